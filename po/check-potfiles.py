#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when POTFILES.in is not sorted, names a file that does not exist, or misses a
source (.c) or UI (.ui) file that holds translatable strings.

usage: check-potfiles.py [--update] SOURCE_ROOT

With --update it rewrites POTFILES.in instead: sorted, without the files that are gone, with
the missing ones added. The files checked are those git tracks (or, outside a git checkout, every .c and .ui file
under src/ and ui/)."""

import os
import re
import subprocess
import sys

TRANSLATABLE = re.compile(
    r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_)\s*\('
    r'|(?<![A-Za-z0-9_])g?_?d?n?gettext\s*\('
    r'|translatable\s*=\s*"(?:yes|true|1)"')


def tracked_files(root):
    try:
        out = subprocess.run(['git', '-C', root, 'ls-files', '-z', '--', 'src', 'ui'],
                             check=True, capture_output=True).stdout
        return [f for f in out.decode().split('\0') if f]
    except (OSError, subprocess.CalledProcessError):
        found = []
        for top in ('src', 'ui'):
            for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
                for name in files:
                    found.append(os.path.relpath(os.path.join(dirpath, name), root))
        return found


def main():
    args = sys.argv[1:]
    update = '--update' in args
    args = [a for a in args if a != '--update']
    root = args[0] if args else os.path.join(os.path.dirname(__file__), '..')
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    with open(potfiles, encoding='utf-8') as f:
        listed = [line.strip() for line in f
                  if line.strip() and not line.lstrip().startswith('#')]

    problems = []
    if listed != sorted(listed):
        for a, b in zip(listed, sorted(listed)):
            if a != b:
                problems.append(f'POTFILES.in is not sorted: “{a}” is where “{b}” belongs')
                break
    if len(set(listed)) != len(listed):
        problems.append('POTFILES.in names a file twice')
    for name in listed:
        if not os.path.isfile(os.path.join(root, name)):
            problems.append(f'POTFILES.in names {name}, which does not exist')

    missing = []
    for name in sorted(tracked_files(root)):
        if not name.endswith(('.c', '.ui')) or name in listed:
            continue
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding='utf-8', errors='replace') as f:
            for number, line in enumerate(f, 1):
                if TRANSLATABLE.search(line):
                    problems.append(f'{name}:{number} has translatable strings but is '
                                    'missing from po/POTFILES.in')
                    missing.append(name)
                    break

    if update:
        present = [n for n in listed if os.path.isfile(os.path.join(root, n))]
        with open(potfiles, 'w', encoding='utf-8') as f:
            f.writelines(n + '\n' for n in sorted(set(present + missing)))
        print(f'POTFILES.in: {len(missing)} files added, '
              f'{len(listed) - len(present)} removed')
        return 0

    for problem in problems:
        print(problem)
    print(f'{len(listed)} files in POTFILES.in, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
