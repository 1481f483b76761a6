#!/bin/sh
# libuspawn installs with a pkg-config file, and a program built only from
# what was installed (static and shared) spawns, captures and reaps.
set -eu
build=$1 src=$2
# a sanitizer build installs an instrumented library: link its runtime too
export CC="cc ${3:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig:$tmp/prefix/lib/x86_64-linux-gnu/pkgconfig"
pkg-config --exists uspawn || { echo "FAIL: pkg-config does not find uspawn"; exit 1; }
libdir=$(pkg-config --variable=libdir uspawn)
# shellcheck disable=SC2046
$CC -o "$tmp/static" "$src/examples/lib/parallel_echo.c" $(pkg-config --cflags uspawn) "$libdir/libuspawn.a" -luring
# shellcheck disable=SC2046
$CC -o "$tmp/shared" "$src/examples/lib/parallel_echo.c" $(pkg-config --cflags --libs uspawn) -Wl,-rpath,"$libdir"
ldd "$tmp/static" | grep -q libuspawn && { echo "FAIL: the static build needs libuspawn.so"; exit 1; }
ldd "$tmp/shared" | grep -q libuspawn || { echo "FAIL: the shared build does not use libuspawn.so"; exit 1; }
want='3 jobs through the (nowait|vfork|uring) engine, 0 failed
job 0: alpha
job 1: beta
job 2: gamma'
for v in static shared; do
	out=$("$tmp/$v" alpha beta gamma) || { echo "FAIL ($v): exit $?"; exit 1; }
	printf '%s\n' "$out" | sort | tr '\n' ';' | grep -Eqx "$(printf '%s\n' "$want" | sort | tr '\n' ';')" ||
		{ echo "FAIL ($v): got:"; echo "$out"; exit 1; }
done
# Only the API leaves the libraries: every symbol they define for others
# is a uspawn_ name that a public header declares.
api=$(cat "$src/include/uspawn.h" "$src/include/uspawn/jobserver.h")
exported() { # what LIB defines for the programs linked against it
	case $1 in
	*.so) nm -D --defined-only "$1" ;;
	*) nm -g --defined-only "$1" ;;
	esac | awk 'NF == 3 && $2 ~ /[TDBRVWi]/ { print $3 }' | sort -u
}
for lib in "$libdir/libuspawn.so" "$libdir/libuspawn.a"; do
	for sym in $(exported "$lib"); do
		case $sym in
		uspawn_*) printf '%s\n' "$api" | grep -q "\b$sym(" && continue ;;
		esac
		echo "FAIL: $(basename "$lib") exports $sym, which is not in the API"
		exit 1
	done
done
# A program with job_new, now_ns, ring_wait ... of its own links against
# either library and runs, each side calling its own.
# shellcheck disable=SC2046
$CC -o "$tmp/clash-static" "$src/tests/integration/clash.c" $(pkg-config --cflags uspawn) "$libdir/libuspawn.a" -luring ||
	{ echo "FAIL: a program defining job_new does not link against libuspawn.a"; exit 1; }
# shellcheck disable=SC2046
$CC -o "$tmp/clash-shared" "$src/tests/integration/clash.c" $(pkg-config --cflags --libs uspawn) -Wl,-rpath,"$libdir"
for v in static shared; do
	out=$("$tmp/clash-$v") || { echo "FAIL (clash-$v): exit $?: $out"; exit 1; }
done
echo "1 passed, 0 failed"
