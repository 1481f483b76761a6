#!/bin/sh
# Fetch and unpack a Debian source package, for tests that run other
# people's suites (liburing's test/, make-dfsg's tests, configure scripts).
#   sh scripts/debsrc.sh PKG     prints the unpacked source tree's path
# The first call adds a deb-src twin of every deb entry in
# /etc/apt/sources.list.d/debian.sources (same URIs, suites, components,
# keyring), so the sources match the installed binaries' release. Trees are
# cached by package name and version under ${USPAWN_CACHE:-/var/cache/uspawn}/src
# (~/.cache/uspawn/src when that cannot be created): a second call downloads
# nothing. A lock keeps parallel callers (ctest -j) from racing apt.
# Exit status: 0 with the path on stdout; 1 if the package cannot be had.
set -eu
[ $# -eq 1 ] || {
	echo "usage: debsrc.sh PKG" >&2
	exit 2
}
pkg=$1
root=${USPAWN_CACHE:-/var/cache/uspawn}
if [ -z "${USPAWN_CACHE:-}" ] && ! mkdir -p "$root" 2>/dev/null; then
	root=${XDG_CACHE_HOME:-$HOME/.cache}/uspawn
fi
dir=$root/src
mkdir -p "$dir"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

exec 9>"$dir/.lock"
flock 9

list=/etc/apt/sources.list.d/uspawn-src.sources
have_src() { apt-cache showsrc "$pkg" 2>/dev/null | grep -q '^Package:'; }
if ! have_src; then
	if [ ! -f "$list" ]; then
		# A deb-src twin of each stanza of debian.sources: Types: deb -> deb-src.
		sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
			$SUDO tee "$list" >/dev/null
	fi
	$SUDO apt-get update -q >/dev/null
	have_src || {
		echo "debsrc.sh: $pkg: no such source package in $(grep -h '^Suites' "$list" | tr '\n' ' ')" >&2
		exit 1
	}
fi

# The version apt would fetch names the cache entry.
ver=$(apt-cache showsrc "$pkg" | sed -n 's/^Version: //p' | sort -V | tail -n 1)
# an epoch's colon would break PATH-like lists: not in the directory name
out=$dir/$pkg-$(echo "$ver" | tr : _)
if [ ! -d "$out/tree" ]; then
	tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get source -q --download-only "$pkg=$ver" >/dev/null 2>&1) || {
		echo "debsrc.sh: $pkg=$ver: download failed" >&2
		exit 1
	}
	dsc=$(ls "$tmp"/*.dsc | head -n 1)
	# dpkg-source from dpkg-dev unpacks the .dsc (orig + Debian patches applied).
	command -v dpkg-source >/dev/null || {
		echo "debsrc.sh: dpkg-source missing (apt-get install dpkg-dev)" >&2
		exit 1
	}
	(cd "$tmp" && dpkg-source -q -x "$dsc" tree >/dev/null 2>&1) || {
		echo "debsrc.sh: $dsc: unpack failed" >&2
		exit 1
	}
	rm -rf "$out"
	mkdir -p "$out"
	mv "$tmp/tree" "$out/tree"
	rm -rf "$tmp"
	trap - EXIT
fi
echo "$out/tree"
