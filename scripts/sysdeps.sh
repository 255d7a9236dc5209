#!/usr/bin/env bash
# Install the Debian packages the integration tests need, if missing and if we may.
# Tests that need a package still missing afterwards skip with a visible reason.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk fonts-wqy-zenhei)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "sysdeps: not root; missing Debian packages (${need[*]}) — the tests that need them will skip." >&2
  exit 0
fi
echo "sysdeps: installing ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
