#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages handson needs, when they are missing.
# WeasyPrint: Pango + HarfBuzz subsetting (without libharfbuzz-subset0 a Japanese page is
# 4-30x slower) + the IPAex fonts; gettext for compilemessages; poppler-utils (pdftotext)
# for the PDF tests; chromium for the browser tests (only with WITH_BROWSER=1).
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-ipaexfont-gothic
          fonts-ipaexfont-mincho gettext poppler-utils)
if [ "${WITH_BROWSER:-0}" = "1" ]; then packages+=(chromium); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "These system packages are missing: ${missing[*]}" >&2
  echo "Install them as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
