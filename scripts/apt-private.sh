#!/bin/sh
# Runs an apt command against a private apt configuration under the build
# directory: the host's Debian sources plus deb-src entries, and the foreign
# architectures the firmware targets.  Downloads and source packages come from
# the same archive the host uses, without adding architectures to dpkg or
# editing the host's sources.
#
#   scripts/apt-private.sh apt-get download busybox-static:arm64
#   scripts/apt-private.sh apt-get source --download-only libseccomp
#
# O selects the build directory (default: build).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
dir=$O/apt
native=$(dpkg --print-architecture)

mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc/preferences.d" "$dir/etc/apt.conf.d"
[ -f "$dir/status" ] || : >"$dir/status"

# The host's deb822 sources, each stanza offered as binary and source.
if [ ! -f "$dir/etc/sources.list" ]; then
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			/^Types:/ { print "Types: deb deb-src"; next }
			/^Architectures:/ { next }
			{ print }
			END { print "" }
		' "$f"
	done >"$dir/etc/sources.list.sources"
	# apt reads deb822 files only from a parts directory.
	mkdir -p "$dir/etc/sources.list.d"
	mv "$dir/etc/sources.list.sources" "$dir/etc/sources.list.d/host.sources"
	: >"$dir/etc/sources.list"
	if [ -f /etc/apt/sources.list ]; then
		grep -E '^deb ' /etc/apt/sources.list |
			sed 's/^deb /deb-src /' >>"$dir/etc/sources.list" || true
		grep -E '^deb ' /etc/apt/sources.list >>"$dir/etc/sources.list" || true
	fi
fi

# Written aside and renamed, so that a run in parallel never reads half a
# file; it is the same content every time.
cat >"$dir/apt.conf.$$" <<EOF
APT::Architecture "$native";
APT::Architectures { "$native"; "arm64"; "armhf"; };
Dir::State "$dir";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
Dir::Etc::SourceList "$dir/etc/sources.list";
Dir::Etc::SourceParts "$dir/etc/sources.list.d";
Dir::Etc::Parts "$dir/etc/apt.conf.d";
Dir::Etc::Preferences "$dir/etc/preferences";
Dir::Etc::PreferencesParts "$dir/etc/preferences.d";
Acquire::Languages "none";
APT::Sandbox::User "root";
EOF
mv -f "$dir/apt.conf.$$" "$dir/apt.conf"
APT_CONFIG=$dir/apt.conf
export APT_CONFIG

# The lists are refreshed once a day; an offline rerun keeps working from them.
# A mirror caught mid-sync fails one index now and then: retry, and go on with
# what was fetched, since a package that is really missing fails the download.
stamp=$dir/lists/.updated
exec 9>"$dir/update.lock"
flock 9
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
	n=0
	until apt-get -q update >"$dir/update.log" 2>&1; do
		n=$((n + 1))
		if [ $n -ge 3 ]; then
			grep -E '^(E|W):' "$dir/update.log" >&2 || true
			echo "apt-private: apt-get update incomplete, going on with the lists it fetched" >&2
			# No stamp: the next run tries again.
			exec 9>&-
			exec "$@"
		fi
		sleep 2
	done
	touch "$stamp"
fi
exec 9>&-

exec "$@"
