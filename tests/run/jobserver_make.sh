#!/bin/sh
# GNU make as the jobserver: uring-run shares make's -jJ with make's own jobs.
. "$TESTS/lib.sh"

for J in 2 3 4; do
	d=$T/c$J
	conc_init "$d"
	: > "$T/jobs$J.txt"
	for i in $(seq 12); do echo "sh $TESTS/conc.sh $d 0.3" >> "$T/jobs$J.txt"; done
	cat > "$T/Makefile" <<MK
all: runner other1 other2 other3
runner:
	+$RUN $T/jobs$J.txt
other1 other2 other3:
	sh $TESTS/conc.sh $d 0.6
MK
	make -s -C "$T" -j$J > "$T/make.out" 2>&1 || fail "make -j$J failed: $(cat "$T/make.out")"
	check "peak concurrency at make -j$J" "$J" "$(cat "$d/max")"
	check "jobs still counted as running at -j$J" 0 "$(cat "$d/cur")"
	grep -q INTERNAL "$T/make.out" && fail "make -j$J lost tokens: $(cat "$T/make.out")"
	grep -q warning "$T/make.out" && fail "make -j$J: unexpected warning: $(cat "$T/make.out")"
done

# nested: make -> uring-run -> uring-run, all on make's pool
d=$T/nest
conc_init "$d"
: > "$T/nested.txt"
for i in $(seq 6); do echo "sh $TESTS/conc.sh $d 0.3" >> "$T/nested.txt"; done
{
	echo "$RUN $T/nested.txt"
	echo "$RUN $T/nested.txt"
	for i in $(seq 6); do echo "sh $TESTS/conc.sh $d 0.3"; done
} > "$T/outer.txt"
cat > "$T/Makefile" <<MK
all: runner other1 other2
runner:
	+$RUN $T/outer.txt
other1 other2:
	sh $TESTS/conc.sh $d 0.6
MK
make -s -C "$T" -j4 > "$T/make.out" 2>&1 || fail "nested: make failed: $(cat "$T/make.out")"
check "nested: peak concurrency at make -j4" 4 "$(cat "$d/max")"
grep -q INTERNAL "$T/make.out" && fail "nested: tokens lost: $(cat "$T/make.out")"
[ -s "$T/make.out" ] && fail "nested: unexpected output: $(cat "$T/make.out")"

# without '+', make 4.3 closes the pipe: warn once, run one job at a time
d=$T/noplus
conc_init "$d"
: > "$T/jobs.txt"
for i in $(seq 6); do echo "sh $TESTS/conc.sh $d 0.2" >> "$T/jobs.txt"; done
cat > "$T/Makefile" <<MK
all:
	$RUN $T/jobs.txt
MK
make -s -C "$T" -j4 > "$T/make.out" 2>&1 || fail "make without + failed"
check "peak without +" 1 "$(cat "$d/max")"
check "warnings without +" 1 "$(grep -c 'jobserver unavailable: using -j1' "$T/make.out")"

# a failing job: uring-run fails, make stops, every token is back
printf 'false\nsh %s/conc.sh %s 0.2\n' "$TESTS" "$d" > "$T/fail.txt"
cat > "$T/Makefile" <<MK
all:
	+$RUN -k $T/fail.txt
MK
make -s -C "$T" -j4 > "$T/make.out" 2>&1 && fail "make should fail when a job fails"
grep -q INTERNAL "$T/make.out" && fail "tokens lost on failure: $(cat "$T/make.out")"

# make -n: uring-run (a recursive command) prints the lines and runs nothing
printf 'touch %s/ran\n' "$T" > "$T/dry.txt"
cat > "$T/Makefile" <<MK
all:
	+$RUN $T/dry.txt
MK
make -s -n -C "$T" -j2 > "$T/make.out" 2>&1
[ -e "$T/ran" ] && fail "make -n ran a job"
grep -q "touch $T/ran" "$T/make.out" || fail "make -n: line not printed: $(cat "$T/make.out")"

# MAKEFLAGS read as make 4.3 reads it (issue 18.3): -n anywhere is a dry run,
# an 'n' that is an option's argument is not
for mf in '-n' ' -n' 'ks -n' ' --dry-run' ' --just-print' 'kn -j2'; do
	rm -f "$T/ran"
	MAKEFLAGS=$mf "$RUN" "$T/dry.txt" > "$T/o" 2>&1
	[ -e "$T/ran" ] && fail "MAKEFLAGS='$mf' ran a job"
	check "MAKEFLAGS='$mf' prints" "touch $T/ran" "$(cat "$T/o")"
done
for mf in 'w -In' ' -I n' ' -C n' ' -- n=1' 'X=n'; do
	rm -f "$T/ran"
	MAKEFLAGS=$mf "$RUN" "$T/dry.txt" > "$T/o" 2>&1
	[ -e "$T/ran" ] || fail "MAKEFLAGS='$mf' did not run the job: $(cat "$T/o")"
done

# make without -j has no jobserver: a + line runs one job at a time, as a
# sub-make would; make -j (no limit) lets uring-run use the CPUs
d=$T/noj
conc_init "$d"
: > "$T/jobs.txt"
for i in $(seq 6); do echo "sh $TESTS/conc.sh $d 0.3" >> "$T/jobs.txt"; done
cat > "$T/Makefile" <<MK
all:
	+$RUN $T/jobs.txt
MK
make -s -C "$T" > "$T/make.out" 2>&1 || fail "make without -j failed: $(cat "$T/make.out")"
check "peak under make without -j" 1 "$(cat "$d/max")"
[ -s "$T/make.out" ] && fail "make without -j: unexpected output: $(cat "$T/make.out")"
# uring-run -j given in the recipe: as $(MAKE) -j4 would, it decides
conc_init "$d"
cat > "$T/Makefile" <<MK
all:
	+$RUN -j3 $T/jobs.txt
MK
make -s -C "$T" > "$T/make.out" 2>&1 || fail "make, uring-run -j3 failed: $(cat "$T/make.out")"
check "peak under make without -j, uring-run -j3" 3 "$(cat "$d/max")"

done_testing
