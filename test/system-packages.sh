#!/usr/bin/env bash
# Checks that the Debian packages in test/system-packages.txt are installed; run first by
# `npm test` (and by .ci/run). As root it installs what is missing (apt-get update, then
# apt-get install); as anyone else it prints the exact command to run and exits 1.
# SHAREKEEPER_SKIP_SYSTEM_PACKAGES=1 skips the check (a machine set up some other way).
set -euo pipefail

LIST="$(dirname "$0")/system-packages.txt"

if [ "${SHAREKEEPER_SKIP_SYSTEM_PACKAGES:-0}" = 1 ]; then
  echo "system packages: check skipped (SHAREKEEPER_SKIP_SYSTEM_PACKAGES=1)"
  exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system packages: no dpkg-query here (not Debian); make sure these are installed:" >&2
  sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$LIST" | tr -s ' \n' ' ' >&2
  echo >&2
  exit 0
fi

mapfile -t WANTED < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$LIST")
MISSING=()
for p in "${WANTED[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  case "$status" in
    *" installed") ;;
    *) MISSING+=("$p") ;;
  esac
done

if [ "${#MISSING[@]}" -eq 0 ]; then
  echo "system packages: all ${#WANTED[@]} installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing: ${MISSING[*]}" >&2
  echo "install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${MISSING[*]}" >&2
  exit 1
fi

echo "system packages: installing ${MISSING[*]}"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${MISSING[@]}"
