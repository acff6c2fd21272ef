#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks data/caunoi-server.service with systemd-analyze: the unit must verify, and its
# sandbox must keep the exposure score low. Skipped (77) where systemd-analyze is missing.
# usage: verify-service.sh UNIT.in SERVER_BINARY
set -eu

unit_in=$1
# Absolute: ExecStart must be.
binary=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze not found: skipping" >&2
  exit 77
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM

# The unit as installed, but pointing at the program just built (verify checks that
# ExecStart is an executable).
sed "s|@bindir@|$(dirname "$binary")|g" "$unit_in" > "$dir/caunoi-server.service"

systemd-analyze verify --man=no "$dir/caunoi-server.service"

# Exposure 0.0 (locked down) … 10.0 (unprotected); refuse anything above 2.5.
if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
  systemd-analyze security --offline=yes --threshold=25 --no-pager "$dir/caunoi-server.service" \
    > "$dir/security.txt" || { cat "$dir/security.txt"; exit 1; }
  tail -n 1 "$dir/security.txt"
fi
