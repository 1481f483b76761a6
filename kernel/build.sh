#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build a Linux 6.12 bzImage from Debian's linux-source-6.12 tarball (no
# network) and print its path. Variants:
#   stock   the unpatched kernel, kernel/config/uspawn.config
#   uspawn  kernel/patches/*.patch applied, same config       (default)
#   debug   patched, uspawn.config + debug.config (KASAN, lockdep, kmemleak)
#
# The image is cached outside the repo in
#   ${USPAWN_CACHE:-/var/cache/uspawn}/kernel/<variant>-<key>/bzImage
# (~/.cache/uspawn when /var/cache/uspawn cannot be created)
# where <key> hashes the patches, the config fragments, this script and the
# tarball's name and size: a repeat run with the same inputs builds nothing.
# stock and uspawn share one extracted tree, .../kernel/tree-main (same
# config): the patches are reverted or applied there as the variant needs,
# so the second of the two kernels is an incremental build that recompiles
# only what the series touches (io_uring/, fs/exec.c, kernel/fork.c, ...).
# debug has its own tree (another config), .../kernel/tree-debug.
#
# Options: --check (exit 0 if cached, 1 if not; build nothing)
# Environment: USPAWN_CACHE, USPAWN_KERNEL_JOBS (default 2),
#              USPAWN_KERNEL_TARBALL (default /usr/src/linux-source-6.12.tar.xz),
#              USPAWN_KERNEL_PATCHES (default kernel/patches: another series,
#              e.g. an older one to show a test failing on it)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
variant=uspawn
check=0
for a in "$@"; do
	case $a in
	--check) check=1 ;;
	stock | uspawn | debug) variant=$a ;;
	*)
		echo "kernel/build.sh: unknown argument '$a' (want stock|uspawn|debug|--check)" >&2
		exit 2
		;;
	esac
done

cache_root=${USPAWN_CACHE:-/var/cache/uspawn}
if [ -z "${USPAWN_CACHE:-}" ] && ! mkdir -p "$cache_root" 2>/dev/null; then
	cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/uspawn # not root: a cache of our own
fi
cache=$cache_root/kernel
tarball=${USPAWN_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
jobs=${USPAWN_KERNEL_JOBS:-2}

patches=()
if [ "$variant" != stock ]; then
	for p in "${USPAWN_KERNEL_PATCHES:-$here/patches}"/*.patch; do
		[ -e "$p" ] && patches+=("$p")
	done
fi
fragments=("$here/config/uspawn.config")
[ "$variant" = debug ] && fragments+=("$here/config/debug.config")

if [ ! -r "$tarball" ]; then
	echo "kernel/build.sh: $tarball missing (apt-get install linux-source-6.12)" >&2
	exit 3
fi

key=$({
	echo "$variant $(basename "$tarball") $(stat -c %s "$tarball")"
	cat "$0" "$here/configure.sh" "${fragments[@]}"
	for p in "${patches[@]}"; do
		basename "$p"
		cat "$p"
	done
} | sha256sum | cut -c1-16)
out=$cache/$variant-$key
if [ -s "$out/bzImage" ]; then
	echo "$out/bzImage"
	exit 0
fi
[ $check = 1 ] && exit 1

mkdir -p "$cache"
treename=main
[ "$variant" = debug ] && treename=debug
tree=$cache/tree-$treename
exec 9>"$cache/tree-$treename.lock"
flock 9
if [ -s "$out/bzImage" ]; then # built while we waited for the lock
	echo "$out/bzImage"
	exit 0
fi

log() { echo "kernel/build.sh[$variant]: $*" >&2; }
start=$(date +%s)

src=$tree/src
if [ ! -f "$tree/.extracted" ]; then
	log "extracting $tarball"
	rm -rf "$tree"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	mkdir -p "$tree/applied"
	touch "$tree/.extracted"
fi

# Bring the tree to exactly our patch list: revert what differs, apply ours.
applied=()
for p in "$tree"/applied/*.patch; do
	[ -e "$p" ] && applied+=("$p")
done
same=1
if [ ${#applied[@]} -ne ${#patches[@]} ]; then
	same=0
else
	for i in "${!patches[@]}"; do
		cmp -s "${patches[$i]}" "${applied[$i]}" || same=0
	done
fi
if [ $same = 0 ]; then
	# Files whose content comes out the same keep their mtime, so make does
	# not rebuild everything that includes a header the series touches.
	files=$(cat "${applied[@]}" "${patches[@]}" /dev/null | sed -n 's|^+++ b/||p' | sort -u)
	declare -A before_sum before_time
	for f in $files; do
		if [ -f "$src/$f" ]; then
			before_sum[$f]=$(sha1sum <"$src/$f")
			before_time[$f]=$(stat -c %Y "$src/$f")
		fi
	done
	for ((i = ${#applied[@]} - 1; i >= 0; i--)); do
		log "reverting $(basename "${applied[$i]}")"
		patch -d "$src" -p1 -R -s -f <"${applied[$i]}"
		rm -f "${applied[$i]}"
	done
	for p in "${patches[@]}"; do
		log "applying $(basename "$p")"
		patch -d "$src" -p1 -s -f --no-backup-if-mismatch <"$p"
		cp "$p" "$tree/applied/"
	done
	for f in $files; do
		if [ -n "${before_sum[$f]:-}" ] && [ -f "$src/$f" ] &&
			[ "$(sha1sum <"$src/$f")" = "${before_sum[$f]}" ]; then
			touch -d "@${before_time[$f]}" "$src/$f"
		fi
	done
fi

build=$tree/build
"$here/configure.sh" "$src" "$build" "${fragments[@]}"

log "make -j$jobs bzImage"
if ! make -s -C "$src" O="$build" -j"$jobs" bzImage >"$tree/make.log" 2>&1; then
	tail -40 "$tree/make.log" >&2
	log "build failed, full log: $tree/make.log"
	exit 1
fi
log "built in $(($(date +%s) - start)) s (extract, patch, configure, make)"

mkdir -p "$out.tmp"
cp "$build/arch/x86/boot/bzImage" "$out.tmp/bzImage"
cp "$build/.config" "$out.tmp/config"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out/bzImage"
