#!/bin/sh
# bench/coverage/run.sh URING_SH [CAPTURE_SH]: how many of the shell
# invocations of three real builds uring-sh runs natively.
#   kernel  Debian's linux-source-6.12, tinyconfig, make -j2 $KTARGET (vmlinux)
#   cmake   this project, CMake "Unix Makefiles", make -j2
#   hello   GNU hello 2.10 (autotools) from Debian's source package, make -j2
# Every build runs with SHELL=URING_SH and USPAWN_SH_STATS (one record per
# invocation: "native" or "delegated REASON"); prints a table and the top
# reasons. With CAPTURE_SH (build/bench/coverage/capture-sh), the builds run
# through it instead and leave logs of every line for corpus.py.
# WHICH="kernel cmake hello" selects builds. Sources are cached in
# $USPAWN_CACHE (default /var/cache/uspawn), outside the repo.
set -eu
URING_SH=$(realpath "$1")
CAPTURE_SH=${2:+$(realpath "$2")}
WHICH=${WHICH:-kernel cmake hello}
KTARGET=${KTARGET:-vmlinux}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${USPAWN_CACHE:-/var/cache/uspawn}
OUT=$CACHE/coverage
mkdir -p "$OUT"
unset MAKEFLAGS MAKELEVEL

shell_for() { # $1: build name; sets SH and the stats/capture files
	if [ -n "$CAPTURE_SH" ]; then
		SH=$CAPTURE_SH
		export CAPTURE_SH_LOG="$OUT/$1.capture"
		rm -f "$CAPTURE_SH_LOG"
	else
		SH=$URING_SH
		export USPAWN_SH_STATS="$OUT/$1.stats"
		rm -f "$USPAWN_SH_STATS"
	fi
}

kernel() {
	src=$CACHE/kbuild/linux-source-6.12
	if [ ! -f "$src/Makefile" ]; then
		mkdir -p "$CACHE/kbuild"
		tar -C "$CACHE/kbuild" -xf /usr/src/linux-source-6.12.tar.xz
	fi
	export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
	export KBUILD_BUILD_USER=uspawn KBUILD_BUILD_HOST=bench KBUILD_BUILD_VERSION=1
	rm -rf "$OUT/kout"
	make -s -C "$src" O="$OUT/kout" tinyconfig >/dev/null
	shell_for kernel
	# shellcheck disable=SC2086
	make -C "$src" O="$OUT/kout" SHELL="$SH" -j2 $KTARGET >"$OUT/kernel.log" 2>&1
}

cmake_build() {
	rm -rf "$OUT/cmk"
	cmake -S "$ROOT" -B "$OUT/cmk" -G "Unix Makefiles" >/dev/null
	shell_for cmake
	make -C "$OUT/cmk" SHELL="$SH" -j2 >"$OUT/cmake.log" 2>&1
}

hello() {
	dir=$CACHE/hello
	if [ ! -f "$dir/hello_2.10.orig.tar.gz" ]; then
		# Debian's source package (deb-src from the same registry)
		mkdir -p "$dir/lists"
		printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' >"$dir/src.sources"
		set -- -o Dir::Etc::SourceList="$dir/src.sources" -o Dir::Etc::SourceParts=/dev/null \
			-o Dir::State::Lists="$dir/lists"
		apt-get "$@" update >/dev/null
		(cd "$dir" && apt-get "$@" source --download-only hello >/dev/null 2>&1)
	fi
	rm -rf "$OUT/hello-2.10"
	tar -C "$OUT" -xzf "$dir/hello_2.10.orig.tar.gz"
	(cd "$OUT/hello-2.10" && ./configure >/dev/null)
	shell_for hello
	make -C "$OUT/hello-2.10" SHELL="$SH" -j2 >"$OUT/hello.log" 2>&1
}

for b in $WHICH; do
	case $b in
	kernel) kernel ;;
	cmake) cmake_build ;;
	hello) hello ;;
	*) echo "run.sh: $b: unknown build (kernel, cmake, hello)" >&2; exit 2 ;;
	esac
done
[ -n "$CAPTURE_SH" ] && { ls -l "$OUT"/*.capture; exit 0; }

printf '%-8s %8s %8s %8s\n' build lines native ratio
for b in $WHICH; do
	f=$OUT/$b.stats
	t=$(grep -c '' "$f" || true)
	n=$(grep -c '^native' "$f" || true)
	awk -v b="$b" -v t="$t" -v n="$n" 'BEGIN { printf "%-8s %8d %8d %7.1f%%\n", b, t, n, t ? 100 * n / t : 0 }'
done
echo "# top delegation reasons"
cat "$OUT"/*.stats | grep -v '^native' | sort | uniq -c | sort -rn | head -10
