# ninja and uring-ninja on the same build.ninja files: the same console
# output, exit status and files, for plain runs, failures with and without
# -k, rspfiles, the console pool and depfiles.
. "$TESTS/lib.sh"

# run NAME TOOL ARGS...: in $TMP/NAME.run, copy of $TMP/NAME, output to $TMP/NAME.TOOL
run() {
	name=$1 tool=$2
	shift 2
	rm -rf "$TMP/$name.run"
	cp -r "$TMP/$name" "$TMP/$name.run"
	if [ "$tool" = ninja ]; then
		(cd "$TMP/$name.run" && ninja "$@") > "$TMP/$name.$tool" 2>&1
	else
		(cd "$TMP/$name.run" && USPAWN_PRELOAD_TRACE="$TMP/$name.trace" "$URING_NINJA" "$@") \
			> "$TMP/$name.$tool" 2>&1
	fi
	echo "exit $?" >> "$TMP/$name.$tool"
	# depfile-derived state and the next (incremental) run belong to the result too
	(cd "$TMP/$name.run" && ninja -t deps | sed "s/mtime [0-9]*/mtime T/" &&
		touch -c hdr.h && ninja -n "$@") \
		>> "$TMP/$name.$tool" 2>&1
	echo "tree $(tree_hash "$TMP/$name.run")" >> "$TMP/$name.$tool"
}

same() {
	name=$1
	shift
	run "$name" ninja "$@"
	run "$name" uring "$@"
	diff -u "$TMP/$name.ninja" "$TMP/$name.uring" || fail "$name $*: uring-ninja differs"
}

mk() {
	mkdir -p "$TMP/$1"
	cat > "$TMP/$1/build.ninja"
}

mk basic <<'E'
rule touch
  command = touch $out
rule cp
  command = cp $in $out
rule echo
  command = echo "line for $out" > $out && echo made $out
rule mkdir
  command = mkdir -p $out
rule env
  command = FOO='a b' sh -c 'echo "$$FOO"' > $out
rule pipe
  command = printf 'b\na\n' | sort > $out
rule loop
  command = for i in 1 2; do echo $$i; done > $out
rule quiet
  command = cat $in > $out 2>&1
  description = QUIET $out
rule big
  command = seq 1 30000
build t: touch
build c: cp t
build e: echo
build d/x: mkdir
build v: env
build p: pipe
build l: loop
build q: quiet e
build big: big
E
same basic -j1

mk fails <<'E'
rule run
  command = $cmd
build ok1: run
  cmd = touch ok1
build f1: run
  cmd = false
build f2: run
  cmd = exit 3
build f3: run
  cmd = no_such_tool_xyz arg
build f4: run
  cmd = ./noexec
build f5: run
  cmd = cat < /nonexistent/input
build f6: run
  cmd = echo to stderr >&2; exit 1
build ok2: run ok1
  cmd = touch ok2
build after: run f1
  cmd = touch after
E
printf 'echo hi\n' > "$TMP/fails/noexec"
for k in 1 0 3; do
	same fails -j1 -k $k
done

mk rsp <<'E'
rule link
  command = cat $out.rsp > $out
  rspfile = $out.rsp
  rspfile_content = $in one two "three four"
rule linkfail
  command = cat $out.rsp && false
  rspfile = $out.rsp
  rspfile_content = kept on failure
build a: link x y
build b: linkfail
build x: phony
build y: phony
E
same rsp -j1 -k 0

mk console <<'E'
rule con
  command = echo on the console; echo to stderr >&2
  pool = console
rule other
  command = echo captured
build c1: con
build o1: other
build c2: con
E
same console -j1

mk deps <<'E'
rule cc
  command = cat $in hdr.h > $out && printf '%s: %s hdr.h\n' $out $in > $out.d
  depfile = $out.d
  deps = gcc
rule ccmake
  command = cat $in > $out && printf '%s: %s hdr.h\n' $out $in > $out.d
  depfile = $out.d
build o1: cc s1
build o2: cc s2
build o3: ccmake s1
E
echo s1 > "$TMP/deps/s1"
echo s2 > "$TMP/deps/s2"
echo h > "$TMP/deps/hdr.h"
same deps -j1

# the preload did run them: some directly, some through uring-sh
grep -q '^direct ' "$TMP/basic.trace" || fail "no direct spawn in basic"
grep -q '^uring-sh ' "$TMP/basic.trace" || fail "no uring-sh in basic"
echo "ok: $(wc -l < "$TMP/basic.trace") spawns in basic:" \
	"$(cut -d' ' -f1 "$TMP/basic.trace" | sort | uniq -c | tr '\n' ' ')"
