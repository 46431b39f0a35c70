#!/usr/bin/env bash
# Debian packages the tests need beyond Node: poppler-utils renders the Loyalty Report PDF
# (pdftoppm, pdftotext); chromium is the browser of the editor test (test/editor); redis-server
# and postgresql carry n8n's queue mode in the queue-mode suite and bench/queue (scripts/n8n/queue.cjs starts them itself on free ports; the system
# services the packages set up are not used). g++/make/python3 for the n8n SQLite driver come
# with the machine image.
set -euo pipefail
missing=()
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing ${missing[*]}"
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
