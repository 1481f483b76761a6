# This project's own CMake build with -G Ninja and CMAKE_MAKE_PROGRAM=uring-ninja
# (libraries, uring-sh, uring-run, the preload, benchmarks; tests off to stay short).
. "$TESTS/lib.sh"
cmake -S "$SRC" -B "$TMP/b" -G Ninja -DCMAKE_MAKE_PROGRAM="$URING_NINJA" -DUSPAWN_TESTS=OFF \
	> "$TMP/cfg" 2>&1 || fail "configure: $(tail -20 "$TMP/cfg")"
cmake --build "$TMP/b" -- -j2 > "$TMP/out" 2>&1 || fail "build: $(tail -30 "$TMP/out")"
# what it built works: its uring-ninja builds a one-edge file
mkdir "$TMP/e"
printf 'rule t\n  command = touch $out\nbuild x: t\n' > "$TMP/e/build.ninja"
(cd "$TMP/e" && "$TMP/b/src/preload/uring-ninja" > /dev/null) || fail "the built uring-ninja"
[ -f "$TMP/e/x" ] || fail "the built uring-ninja made nothing"
echo "ok: $(grep -c '^\[' "$TMP/out") edges built with uring-ninja"
