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

# 4. no token free: the spawn starts deferred (uring-sh --uspawn-gate) and
# ninja goes on reading its children's output. With posix_spawn blocked
# waiting for a token, two children holding both tokens and each writing
# more than a pipe buffer hung the build.
mkdir -p "$TMP/o/n"
edges 4 "head -c 300000 /dev/zero | tr '\\0' x && touch \$out" > "$TMP/o/n/build.ninja"
printf 'all:\n\t+"%s" -j8 -C n\n' "$URING_NINJA" > "$TMP/o/Makefile"
(cd "$TMP/o" && timeout 120 make -j2 --no-print-directory) > "$TMP/o.out" 2>&1
rc=$?
[ $rc -eq 124 ] && fail "make -j2 +uring-ninja with 300 KB per command hung"
[ $rc -eq 0 ] || { tail -5 "$TMP/o.out"; fail "make -j2 +uring-ninja with 300 KB per command: exit $rc"; }
[ "$(grep -o 'x\{1000,\}' "$TMP/o.out" | tr -d '\n' | wc -c)" -eq 1200000 ] || fail "output lost: $(wc -c < "$TMP/o.out") bytes"
grep -q INTERNAL "$TMP/o.out" && fail "make lost tokens"
echo "ok: 4 commands of 300 KB output each under make -j2: no hang, nothing lost"

# 5. Ctrl-C while spawns wait for tokens: ninja hears it at once (its
# posix_spawn does not block until a token comes back) and stops the
# running commands before they finish. (A deferred start handed a token in
# the instant between the interrupt and ninja's kills may still begin:
# with plain ninja every command would have been running.)
mkdir -p "$TMP/i/n"
edges 6 "echo start >> $TMP/i/started && sleep 3 && touch \$out" > "$TMP/i/n/build.ninja"
printf 'all:\n\t+"%s" -j8 -C n\n' "$URING_NINJA" > "$TMP/i/Makefile"
# a session of its own, with SIGINT at its default (a background job ignores it)
(cd "$TMP/i" && exec python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp("make", ["make", "-j2", "--no-print-directory"])' > "$TMP/i.out" 2>&1) &
pid=$!
n=0
while [ "$(cat "$TMP/i/started" 2> /dev/null | wc -l)" -lt 2 ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
kill -INT "-$pid"
wait $pid
sleep 4 # a command not stopped would finish now
ls "$TMP/i/n"/out* > /dev/null 2>&1 && fail "Ctrl-C with spawns waiting for tokens: a command ran to the end: $(ls "$TMP/i/n"; cat "$TMP/i.out")"
grep -q 'interrupted by user' "$TMP/i.out" || fail "Ctrl-C: ninja did not stop: $(cat "$TMP/i.out")"
echo "ok: Ctrl-C with spawns waiting for tokens: ninja stopped at once"
