#!/usr/bin/env bash
# Install the Debian packages juesuan needs, if they are missing.  Safe to run repeatedly.
# Runs apt-get directly as root, through sudo otherwise; prints what it would need when neither
# works (the Python parts still install and run).
set -euo pipefail

# What proves the package is there : package name.  A probe is a command, an absolute path, or
# lib:NAME (a shared library known to ldconfig).
NEEDS=(
  # PDF output (WeasyPrint lays out text with Pango) and the TrueType CJK fonts it embeds
  "lib:libpango-1.0.so.0:libpango-1.0-0"
  "lib:libpangoft2-1.0.so.0:libpangoft2-1.0-0"
  "/usr/share/fonts/truetype/arphic/uming.ttc:fonts-arphic-uming"
  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:fonts-wqy-microhei"
  "fc-list:fontconfig"
  # tests: pdffonts/pdftoppm look at built PDFs; LibreOffice converts generated documents to PDF
  "pdffonts:poppler-utils"
  "soffice:libreoffice-writer-nogui"
  # tests: the web application in a real browser, and the store on a real PostgreSQL server
  "chromium:chromium"
  "/usr/lib/postgresql:postgresql"
)

missing=()
for item in "${NEEDS[@]+"${NEEDS[@]}"}"; do
  pkg=${item##*:}; probe=${item%:*}
  if [[ "$probe" == lib:* ]]; then ldconfig -p 2>/dev/null | grep -q "${probe#lib:}" && continue
  elif [[ "$probe" == /* ]]; then [[ -e "$probe" ]] && continue
  else command -v "$probe" >/dev/null 2>&1 && continue
  fi
  missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "安装系统软件包：${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "需要以下 Debian 软件包，但当前用户无权安装：${missing[*]}" >&2
  echo "请管理员运行：apt-get install -y ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
