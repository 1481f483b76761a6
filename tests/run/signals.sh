#!/bin/sh
# Kill uring-run with SIGINT/SIGTERM/SIGHUP at random moments, many times:
# every token must come back, no job may be left, no output may be lost.
. "$TESTS/lib.sh"

ROUNDS=${ROUNDS:-100} # x2 modes: 200 kills
mark="uring-run-sigtest-$$"
: > "$T/jobs.txt"
for i in $(seq 40); do
	echo "sleep 0.0$((i % 7)); echo out $i; echo done $i >> $T/side # $mark" >> "$T/jobs.txt"
done
cat > "$T/Makefile" <<MK
all: runner other
runner:
	+sh -c '$RUN $T/jobs.txt > $T/out 2> $T/err & echo \$\$! > $T/pid; wait \$\$!; echo \$\$? > $T/rc'
other:
	sleep 0.1
MK

rand() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }

one_round() { # one_round MODE SIGNAL
	rm -f "$T/pid" "$T/rc" "$T/side" "$T/out" "$T/err"
	: > "$T/side"
	if [ "$1" = make ]; then
		make -s -C "$T" -j3 > "$T/make.out" 2>&1 &
	else
		"$RUN" --jobserver -j3 "$T/jobs.txt" > "$T/out" 2> "$T/err" &
		echo $! > "$T/pid"
	fi
	bg=$!
	while [ ! -s "$T/pid" ]; do sleep 0.01; done
	sleep "0.$(printf %03d $(($(rand) % 300)))"
	kill -s "$2" "$(cat "$T/pid")" 2> /dev/null
	wait $bg
	rc=$?
	[ "$1" = make ] && rc=$(cat "$T/rc")
	case $2 in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
	[ "$rc" = 0 ] || [ "$rc" = "$want" ] || fail "$1/$2: exit status $rc"
	if [ "$1" = make ]; then
		grep -q INTERNAL "$T/make.out" && fail "$1/$2: tokens lost: $(cat "$T/make.out")"
	fi
	[ -s "$T/err" ] && fail "$1/$2: stderr: $(cat "$T/err")"
	left=$(pgrep -f "$mark")
	[ -n "$left" ] && { fail "$1/$2: jobs left"; for p in $left; do kill -KILL "$p"; done; }
	while read -r _ n; do
		grep -qx "out $n" "$T/out" || fail "$1/$2: output of job $n lost"
	done < "$T/side"
}

for r in $(seq "$ROUNDS"); do
	case $((r % 3)) in 0) sig=INT ;; 1) sig=TERM ;; 2) sig=HUP ;; esac
	one_round make $sig
	one_round direct $sig
	[ "$fails" -gt 5 ] && break
done

done_testing
