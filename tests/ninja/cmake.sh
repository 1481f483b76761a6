# CMake -G Ninja with CMAKE_MAKE_PROGRAM=uring-ninja: configure, build,
# a second build with nothing to do, and the same console output as plain ninja.
. "$TESTS/lib.sh"

build() {
	tag=$1 prog=$2
	b="$TMP/$tag"
	cmake -S "$TESTS/cmake" -B "$b" -G Ninja -DCMAKE_MAKE_PROGRAM="$prog" > "$b.cfg" 2>&1 ||
		fail "$tag: configure: $(cat "$b.cfg")"
	cmake --build "$b" -- -j1 > "$b.out" 2>&1 || fail "$tag: build: $(cat "$b.out")"
	"$b/demo" >> "$b.out" || fail "$tag: demo did not run"
	cmake --build "$b" -- -j1 >> "$b.out" 2>&1 || fail "$tag: rebuild"
	sed -i "s|$b|BUILD|g" "$b.out"
}

build plain "$(command -v ninja)"
build uring "$URING_NINJA"
diff -u "$TMP/plain.out" "$TMP/uring.out" || fail "cmake: uring-ninja differs from ninja"
grep -q "hello from a generated header" "$TMP/uring.out" || fail "cmake: demo output"
echo "ok: cmake -G Ninja with uring-ninja"
