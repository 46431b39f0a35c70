#!/usr/bin/env bash
# Debian packages the tests need beyond Node: poppler-utils renders the Loyalty Report PDF
# (pdftoppm, pdftotext); chromium is the browser of the editor test (test/editor).
# g++/make/python3 for the n8n SQLite driver come with the machine image.
set -euo pipefail
missing=()
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing ${missing[*]}"
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
