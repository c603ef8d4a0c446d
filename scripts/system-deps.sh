#!/usr/bin/env bash
# Install the Debian packages juesuan needs, if they are missing.  Safe to run repeatedly.
# Runs apt-get directly as root, through sudo otherwise; prints what it would need when neither
# works (the Python parts still install and run).
set -euo pipefail

# command-or-file that proves the package is there : package name
NEEDS=(
)

missing=()
for item in "${NEEDS[@]+"${NEEDS[@]}"}"; do
  probe=${item%%:*}; pkg=${item##*:}
  if [[ "$probe" == /* ]]; then [[ -e "$probe" ]] && continue
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
