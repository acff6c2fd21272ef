#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails unless LANG.po translates every string the sources hold today: extracts the
strings of the files in POTFILES.in (as `meson compile caunoi-pot` does), merges them into a
copy of LANG.po, and checks the copy with `msgfmt --check --statistics`: no untranslated and
no fuzzy message may remain, and msgfmt must find no error.

usage: check-translations.py SOURCE_ROOT LANG"""

import os
import re
import subprocess
import sys
import tempfile

# The keywords of meson's i18n "glib" preset.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]


def main():
    root, lang = sys.argv[1], sys.argv[2]
    po = os.path.join(root, 'po', lang + '.po')
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'caunoi.pot')
        merged = os.path.join(tmp, lang + '.po')
        subprocess.run(['xgettext', '--package-name=caunoi', '-o', pot,
                        '--files-from=' + os.path.join('po', 'POTFILES.in')] + XGETTEXT_ARGS,
                       cwd=root, check=True)
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot],
                       check=True)
        result = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, merged],
                                capture_output=True, text=True,
                                env=dict(os.environ, LC_ALL='C'))
        print(result.stdout + result.stderr, end='')
        if result.returncode != 0:
            print(f'msgfmt --check found errors in {lang}.po')
            return 1
        counts = {kind: int(n) for n, kind in re.findall(
            r'(\d+) (translated|fuzzy|untranslated)', result.stderr)}
        if counts.get('fuzzy', 0) or counts.get('untranslated', 0):
            # Name the strings, so that the translator knows what to do.
            missing = subprocess.run(['msgattrib', '--only-fuzzy', '--no-obsolete', merged],
                                     capture_output=True, text=True).stdout
            missing += subprocess.run(['msgattrib', '--untranslated', '--no-obsolete', merged],
                                      capture_output=True, text=True).stdout
            print(missing)
            print(f'{lang}.po: {counts.get("untranslated", 0)} untranslated and '
                  f'{counts.get("fuzzy", 0)} fuzzy messages; update it with '
                  '`meson compile -C BUILDDIR caunoi-update-po` and translate them')
            return 1
        print(f'{lang}.po: all {counts.get("translated", 0)} messages translated')
    return 0


if __name__ == '__main__':
    sys.exit(main())
