#!/bin/sh
# uring-run as the jobserver: $(MAKE) children and nested uring-runs share its -jN.
. "$TESTS/lib.sh"

d=$T/c
conc_init "$d"
: > "$T/sub.mk"
echo "all: $(seq -f 't%g' -s ' ' 6)" >> "$T/sub.mk"
for i in $(seq 6); do printf 't%s:\n\tsh %s/conc.sh %s 0.3\n' "$i" "$TESTS" "$d" >> "$T/sub.mk"; done
: > "$T/nested.txt"
for i in $(seq 6); do echo "sh $TESTS/conc.sh $d 0.3" >> "$T/nested.txt"; done
{
	echo "make -s -f $T/sub.mk"
	echo "make -s -f $T/sub.mk"
	echo "$RUN $T/nested.txt"
	echo "$RUN $T/nested.txt"
	for i in $(seq 6); do echo "sh $TESTS/conc.sh $d 0.3"; done
} > "$T/top.txt"

for J in 3 4; do
	conc_init "$d"
	"$RUN" --jobserver -j$J "$T/top.txt" > "$T/out" 2> "$T/err"
	check "exit status at -j$J" 0 "$?"
	# the parent's own slots: 2 makes and 2 uring-runs hold one each without running conc.sh
	check "peak concurrency under --jobserver -j$J" "$J" "$(cat "$d/max")"
	[ -s "$T/err" ] && fail "stderr at -j$J: $(cat "$T/err")"
done

# fifo style: nested uring-runs (make 4.3 reads only pipes)
grep -v '^make' "$T/top.txt" > "$T/top2.txt"
conc_init "$d"
mkdir "$T/tmp" # a TMPDIR of its own: other programs make fifos in /tmp too
TMPDIR=$T/tmp "$RUN" --jobserver=fifo -j3 "$T/top2.txt" > "$T/out" 2> "$T/err"
check "exit status, fifo" 0 "$?"
check "peak concurrency, fifo" 3 "$(cat "$d/max")"
[ -s "$T/err" ] && fail "stderr, fifo: $(cat "$T/err")"
check "fifo removed" "" "$(ls "$T/tmp")"

# a job that steals a token: reported at exit
cat > "$T/steal.txt" <<'J'
sh -c 'fd=$(echo "$MAKEFLAGS" | sed -n "s/.*auth=\([0-9]*\),.*/\1/p"); dd bs=1 count=1 <&$fd >/dev/null 2>&1'
sleep 0.3
J
"$RUN" --jobserver -j3 "$T/steal.txt" > "$T/out" 2> "$T/err"
grep -q "1 of 2 tokens did not come back" "$T/err" || fail "stolen token not reported: $(cat "$T/err")"

done_testing
