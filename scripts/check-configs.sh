#!/bin/sh
# The committed configurations must stay complete, as olddefconfig leaves
# them, so that a build needs no Kconfig tool: this fails when one is not.
set -eu
py=${KCONFIG_PY:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for f in configs/*_defconfig; do
	cp "$f" "$tmp/config"
	KCONFIG_CONFIG=$tmp/config "$py" -m olddefconfig Kconfig >/dev/null
	if ! diff -u "$f" "$tmp/config" >"$tmp/diff"; then
		echo "$f is out of sync with Kconfig (make NAME_defconfig olddefconfig, then copy .config back):"
		cat "$tmp/diff"
		status=1
	fi
done
exit $status
