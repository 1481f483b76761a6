# Tokens: under make -j4, +uring-ninja runs at most 4 jobs at once (ninja's
# own -j is 8); uring-ninja --jobserver serves -j3 to sub-makes (pipe) and
# to nested uring-ninjas (fifo), and gets every token back.
. "$TESTS/lib.sh"
command -v flock > /dev/null || fail "flock missing (util-linux)"

# edges N CMD: a build.ninja of N edges running CMD (with $$i for the edge)
edges() {
	printf 'rule job\n  command = %s\n' "$2"
	i=0
	while [ $i -lt "$1" ]; do
		printf 'build out%d: job\n  i = %d\n' $i $i
		i=$((i + 1))
	done
}

check_max() {
	max=$(cat "$1/max")
	[ "$max" -le "$2" ] || fail "$3: $max jobs at once, limit $2"
	echo "ok: $3: at most $max at once (limit $2)"
}

# 1. client of make 4.3's pipe jobserver
mkdir -p "$TMP/c/n"
edges 12 "sh $TESTS/conc.sh $TMP/c && touch \$out" > "$TMP/c/n/build.ninja"
printf 'all:\n\t+"%s" -j8 -C n\n' "$URING_NINJA" > "$TMP/c/Makefile"
(cd "$TMP/c" && make -j4 --no-print-directory) > "$TMP/c.out" 2>&1 || {
	cat "$TMP/c.out"
	fail "make -j4 +uring-ninja failed"
}
grep -q INTERNAL "$TMP/c.out" && fail "make lost tokens: $(cat "$TMP/c.out")"
check_max "$TMP/c" 4 "make -j4 +uring-ninja -j8"

# without '+' make closes the fds: a warning, and ninja's own -j
printf 'all:\n\t"%s" -j2 -C n\n' "$URING_NINJA" > "$TMP/c/Makefile"
rm -f "$TMP/c/max" "$TMP/c/n/out"*
(cd "$TMP/c" && make -j4 --no-print-directory) > "$TMP/c2.out" 2>&1 || fail "no '+': failed"
grep -q 'jobserver unavailable' "$TMP/c2.out" || fail "no '+': no warning"

# 2. server, pipe style, for make 4.3 sub-makes
mkdir -p "$TMP/s"
printf 'all: a b c d\na b c d:\n\t@sh %s %s\n' "$TESTS/conc.sh" "$TMP/s" > "$TMP/s/sub.mk"
edges 3 "make -s -f sub.mk && touch \$out" > "$TMP/s/build.ninja"
(cd "$TMP/s" && "$URING_NINJA" --jobserver=pipe -j3) > "$TMP/s.out" 2>&1 || {
	cat "$TMP/s.out"
	fail "uring-ninja --jobserver=pipe failed"
}
grep -qE 'did not come back|INTERNAL' "$TMP/s.out" && fail "tokens lost: $(cat "$TMP/s.out")"
check_max "$TMP/s" 3 "uring-ninja --jobserver=pipe -j3 with sub-makes"

# 3. server, fifo style, for nested uring-ninjas
mkdir -p "$TMP/f"
for d in x y; do
	mkdir -p "$TMP/f/$d"
	edges 4 "sh $TESTS/conc.sh $TMP/f && touch \$out" > "$TMP/f/$d/build.ninja"
done
printf 'rule sub\n  command = "%s" -C $dir\nbuild x: sub\n  dir = x\nbuild y: sub\n  dir = y\n' \
	"$URING_NINJA" > "$TMP/f/build.ninja"
(cd "$TMP/f" && "$URING_NINJA" --jobserver -j3) > "$TMP/f.out" 2>&1 || {
	cat "$TMP/f.out"
	fail "uring-ninja --jobserver failed"
}
grep -q 'did not come back' "$TMP/f.out" && fail "tokens lost: $(cat "$TMP/f.out")"
check_max "$TMP/f" 3 "uring-ninja --jobserver -j3 with nested uring-ninjas"
