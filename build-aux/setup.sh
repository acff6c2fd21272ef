# Shared by build-aux/run, build-aux/test and build-aux/bench: install what is missing,
# make the locales the tests use, configure and build. Sourced, not run.
# shellcheck shell=bash

CN_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian 12 package names. Build, run, test, translate, look at it.
CN_PACKAGES=(
  build-essential clang meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libsqlite3-dev sqlite3 libjson-glib-dev libxml2-dev libsodium-dev libsecret-1-dev
  desktop-file-utils appstream locales libxml2-utils
  xvfb xauth dbus dbus-x11 at-spi2-core gir1.2-atspi-2.0 python3 python3-gi
  fonts-cantarell adwaita-icon-theme imagemagick poppler-utils openssl
)

cn_missing_packages () {
  local p missing=()
  for p in "${CN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  echo "${missing[@]}"
}

cn_install_packages () {
  local missing
  missing=$(cn_missing_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q || return 1
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing || return 1
  else
    echo "These packages are missing. Install them, then run this again:" >&2
    echo "  sudo apt-get install $missing" >&2
    return 1
  fi
}

cn_locale_present () {
  locale -a 2>/dev/null | tr 'A-Z' 'a-z' | sed 's/utf-8/utf8/' | grep -qx "$(echo "$1" | tr 'A-Z' 'a-z' | sed 's/utf-8/utf8/')"
}

cn_ensure_locales () {
  local need=() l
  for l in vi_VN.UTF-8 en_US.UTF-8; do
    cn_locale_present "$l" || need+=("$l")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    for l in "${need[@]}"; do
      grep -q "^$l UTF-8" /etc/locale.gen 2>/dev/null || echo "$l UTF-8" >> /etc/locale.gen
    done
    locale-gen >/dev/null || return 1
  else
    echo "Locales ${need[*]} are missing. As root: add them to /etc/locale.gen and run locale-gen." >&2
    return 1
  fi
}

# cn_build BUILDDIR [meson setup options...]
cn_build () {
  local dir=$1; shift
  if [ ! -f "$CN_SRC/$dir/build.ninja" ]; then
    meson setup "$CN_SRC/$dir" "$CN_SRC" "$@" || return 1
  fi
  meson compile -C "$CN_SRC/$dir" || return 1
}
