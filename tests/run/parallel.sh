#!/bin/sh
# Differential tests against GNU parallel (issue 18, item 4): the same argv
# and input to both, compared byte for byte: stdout, exit status, and where
# the case says so the --results tree and the joblog (times masked).
. "$TESTS/lib.sh"

command -v parallel > /dev/null || { echo "SKIP: GNU parallel is not installed"; exit 0; }
export PARALLEL_SHELL=/bin/sh # the jobs' shell on both sides: dash, as uring-run's /bin/sh -c
export HOME="$T/home"         # parallel's ~/.parallel
mkdir -p "$HOME/.parallel"
touch "$HOME/.parallel/will-cite"
: > "$T/in"

# same NAME ARGS...: stdin from $T/in, both run in $T/u and $T/p
same() {
	name=$1
	shift
	if [ -z "${keep:-}" ]; then # keep=1: the directories of the last case stay
		rm -rf "$T/u" "$T/p"
		mkdir "$T/u" "$T/p"
	fi
	keep=
	(cd "$T/u" && "$RUN" "$@" < "$T/in" > "$T/u.out" 2> "$T/u.err")
	us=$?
	(cd "$T/p" && parallel "$@" < "$T/in" > "$T/p.out" 2> "$T/p.err")
	ps=$?
	cmp -s "$T/u.out" "$T/p.out" ||
		fail "$name: stdout differs: $(diff "$T/p.out" "$T/u.out" | head -20)"
	# parallel exits with the number of failed jobs, uring-run as xargs: want= says ours
	check "$name: exit status (parallel's: $ps)" "${want:-$ps}" "$us"
	want=
}
want=

# the joblog without its times (Starttime, JobRuntime), in Seq order
masked() {
	awk -F'\t' -v OFS='\t' 'NR > 1 { $3 = "T"; $4 = "R" } { print }' "$1" | sort -n -k1,1
}

# --- replacement strings, quoting (dry run and real run) ---
set -- a/b.c.d /x/y.tar.gz plain .hidden 'sp ace.txt' "it's" 'd/' '/' 'a.b/c' '' 'x.' \
	'$HOME' '`id`' '"dq"' 'back\slash' 'semi;colon' 'new
line' 'tab	x' 'caf�' 'naïve' '*' '~' '-n' 'a  b'
same "replacement strings, dry run" -j1 --dry-run echo {} {.} {/} {//} {/.} {#} ::: "$@"
same "replacement strings, run" -j1 echo {} {.} {/} {//} {/.} {#} ::: "$@"
same "no replacement string: {} appended" -j1 printf '[%s]\n' ::: "$@"
same "inside a word" -j1 echo 'pre{}post' '{.}.out' ::: a.c 'b c.d'
same "twice in one word" -j1 --dry-run echo {}{} ::: "x'y"
same "{#} and {%} at -j1" -j1 echo '{#}-{%}' ::: a b c
same "a shell template" -j1 'x={}; echo "${x%.c}" | tr a-z A-Z' ::: abc.c 'd e.c'

# --- several sources: every combination, the first slowest ---
same "two sources" -j1 echo {1} {2} {} ::: a b ::: 1 2 3
same "positional modifiers" -j1 --dry-run echo {1.} {2/} {1//} {2/.} {3} ::: /a/b.c ::: d/e.f
same "sources without a command" -j1 ::: 'echo hi' 'echo "x y"'
same "two sources, no command" -j1 ::: echo printf ::: a
printf 'f1\nf2\n' > "$T/f"
same ":::: FILE" -j1 echo :::: "$T/f" ::: x y
same "-a FILE first" -j1 -a "$T/f" echo ::: x y
same "-a FILE, -a FILE" -j1 -a "$T/f" -a "$T/f" echo

# --- arguments from stdin: one per line, empty lines too; -0 ---
printf 'a\n\nb c\nd.e\n' > "$T/in"
same "stdin lines" -j1 echo 'x{}y' '{.}'
same "stdin, one command word" -j1 echo
same ":::: -" -j1 echo :::: - ::: x
printf 'a b\0c\nd\0' > "$T/in"
same "-0" -j1 -0 echo 'x{}y'
same "--null" -j1 --null printf '[%s]\n'
printf 'no newline at the end' > "$T/in"
same "last line unterminated" -j1 echo
: > "$T/in"
same "no arguments" -j1 echo x

# --- --tag ---
same "--tag, one source" -j1 --tag echo ::: a 'b c'
same "--tag, two sources" -j1 --tag echo ::: a b ::: 1 2
printf 'echo 1\necho "2 3"\n' > "$T/in"
same "--tag, command lines" -j1 --tag

# --- --keep-order (parallel's -k; uring-run's -k is make's --keep-going) ---
same "--keep-order" -j3 --keep-order 'sleep 0.{}; echo {}; echo e{} >&2' ::: 5 1 3 2
same "--keep-order --tag" -j3 --keep-order --tag 'sleep 0.{}; echo {}' ::: 4 1 2
printf 'sleep 0.3; echo a\necho b\nsleep 0.1; echo c\n' > "$T/in"
same "--keep-order, command lines" -j3 --keep-order
"$RUN" -j3 --keep-order 'sleep 0.{}; echo {}; echo e{} >&2' ::: 5 1 3 2 2> "$T/e" > /dev/null
check "--keep-order: stderr in order too" "e5 e1 e3 e2" "$(tr '\n' ' ' < "$T/e" | sed 's/ $//')"
printf 'exit 0\n' > "$T/in"

# --- --retries N: up to N runs in all, only the last one's output and joblog line ---
files_same() { # files_same NAME FILE: the file each side left in its directory
	cmp -s "$T/u/$2" "$T/p/$2" || fail "$1: $2 differs: $(diff "$T/p/$2" "$T/u/$2" | head)"
}
same "--retries, success at the 3rd run" -j1 --retries 3 --joblog log \
	'echo try {}; echo x >> cnt; [ $(wc -l < cnt) -ge 3 ]' ::: a
files_same "--retries, success at the 3rd run" cnt
masked "$T/u/log" > "$T/u.log"; masked "$T/p/log" > "$T/p.log"
cmp -s "$T/u.log" "$T/p.log" || fail "--retries joblog differs: $(diff "$T/p.log" "$T/u.log")"
want=123 same "--retries, always failing" -j1 --halt never --retries 2 'echo {}; echo x >> cnt; exit 3' ::: a b
files_same "--retries, always failing" cnt
same "--retries, retried before the next job" -j1 --retries 3 \
	'echo {}; echo {} >> cnt; [ {} = b ] || [ $(wc -l < cnt) -ge 3 ]' ::: a b c
files_same "--retries, retried before the next job" cnt
want=125 same "--retries with --timeout" -j1 --halt never --retries 2 --timeout 0.3 'echo x >> cnt; sleep 5; : {}' ::: a
files_same "--retries with --timeout" cnt
"$RUN" -j1 --retries 2 'echo x >> cnt; exit 3' ::: a > /dev/null 2> "$T/e"
check "--retries: the failure said once" 1 "$(grep -c '^uring-run: job 1 ' "$T/e")"

# --- --results: the same tree of files, nothing printed ---
tree() { # tree DIR: every file under DIR with its bytes
	(cd "$1" && find . -type f | LC_ALL=C sort | while IFS= read -r f; do
		printf '%s:' "$f"
		od -An -c "$f" | tr -s ' \n' '  '
		echo
	done)
}
results_same() { # results_same NAME ARGS...: same, then the trees under r
	same "$@"
	[ -d "$T/p/r" ] || fail "$1: parallel made no r/"
	tree "$T/u" > "$T/u.tree"
	tree "$T/p" > "$T/p.tree"
	cmp -s "$T/u.tree" "$T/p.tree" || fail "$1: --results trees differ: $(diff "$T/p.tree" "$T/u.tree" | head -20)"
}
results_same "--results DIR" -j1 --results r 'echo {}; echo err {} >&2' ::: a 'b c' 'x/y' '' 'back\slash' 'tab	x'
results_same "--results DIR, two sources" -j1 --results r 'echo {1}{2}; echo e >&2' ::: a b ::: 1 2
printf 'echo hi\necho "ho"\n' > "$T/in"
results_same "--results DIR, command lines" -j1 --results r
results_same "--results DIR/{}.out" -j1 --results 'r/{}.out' 'echo {}' ::: a 'b c'
results_same "--results DIR/{#}/{/}" -j1 --results 'r/{#}/{/}.txt' 'echo {}' ::: 'a b/c d' e
results_same "--results DIR/{}/" -j1 --results 'r/{}/' 'echo {}' ::: a b
want=123 results_same "--results, a failing job" -j1 --halt never --results r 'echo {}; exit {}' ::: 0 3
printf 'exit 0\n' > "$T/in"

# --- --resume, --resume-failed: jobs by sequence number, the joblog appended ---
joblogs_same() { # joblogs_same NAME: the joblog each side wrote, times masked
	masked "$T/u/jl" > "$T/u.log"
	masked "$T/p/jl" > "$T/p.log"
	cmp -s "$T/u.log" "$T/p.log" || fail "$1: joblogs differ: $(diff "$T/p.log" "$T/u.log")"
}
want=123 same "resume: the first run" -j1 --halt never --joblog jl 'echo {}; [ {} != b ]' ::: a b c
keep=1 same "--resume" -j1 --halt never --resume --joblog jl 'echo {}; [ {} != b ]' ::: a b c d
joblogs_same "--resume"
keep=1 want=123 same "--resume-failed" -j1 --halt never --resume-failed --joblog jl 'echo {}; [ {} != b ]' ::: a b c d e
joblogs_same "--resume-failed"
keep=1 want=123 same "--resume-failed again" -j1 --halt never --resume-failed --joblog jl 'echo {}; [ {} != b ]' ::: a b c d e f
joblogs_same "--resume-failed again"
printf 'echo 1\necho 2\necho 3\n' > "$T/in"
same "--resume, command lines: the first run" -j1 --joblog jl
printf 'echo 1\necho 2\necho 3\necho 4\n' > "$T/in"
keep=1 same "--resume, command lines" -j1 --resume --joblog jl
joblogs_same "--resume, command lines"
same "--resume without a joblog yet" -j1 --resume --joblog jl
joblogs_same "--resume without a joblog yet"
"$RUN" --resume ::: a > "$T/o" 2> "$T/e"
check "--resume without --joblog: status" 2 "$?"
check "--resume without --joblog: message" "uring-run: --resume and --resume-failed need --joblog FILE" "$(cat "$T/e")"
printf 'not a joblog\n1\tx\n' > "$T/bad.tsv"
"$RUN" --resume --joblog "$T/bad.tsv" echo ::: a > "$T/o" 2> "$T/e"
check "--resume, a broken joblog: status" 2 "$?"
check "--resume, a broken joblog: message" "uring-run: $T/bad.tsv: line 2: not a joblog line" "$(cat "$T/e")"
printf 'exit 0\n' > "$T/in"

# --- --halt: fail, success, done; counts and percentages; the old numbers ---
same "--halt now,success=1" -j1 --halt now,success=1 'echo {}; [ {} = b ]' ::: a b c
want=123 same "--halt soon,fail=50%, not reached" -j1 --halt soon,fail=50% 'echo {}; exit {}' ::: 0 1 0 1 0 1 0 0
want=123 same "--halt soon,fail=50%, reached" -j1 --halt soon,fail=50% 'echo {}; exit {}' ::: 1 1 0 1 1 0
want=0 same "--halt soon,done=2" -j1 --halt soon,done=2 echo ::: a b c d
want=123 same "--halt 2 (now,fail=1)" -j1 --halt 2 'echo {}; exit {}' ::: 0 3 0
want=123 same "--halt 1 (soon,fail=1)" -j1 --halt 1 'echo {}; exit {}' ::: 0 3 0
want=123 same "--halt 0 (never)" -j1 --halt 0 'echo {}; exit {}' ::: 0 3 0
same "--halt -1 (soon,success=1)" -j1 --halt -1 'echo {}; exit {}' ::: 1 0 1
same "--halt -2 (now,success=1)" -j1 --halt -2 'echo {}; exit {}' ::: 1 0 1
want=123 same "--halt 50% (soon,fail=50%)" -j1 --halt 50% 'echo {}; exit {}' ::: 1 0 1 0 0 0
same "--halt soon,success=30%" -j1 --halt soon,success=30% 'echo {}; exit {}' ::: 1 0 1 0 0 0 0 0 0 0
want=123 same "--halt now,done=25%" -j1 --halt now,done=25% 'echo {}; exit {}' ::: 1 0 1 0 0 0 0 0
printf 'echo a; false\necho b\necho c\necho d\n' > "$T/in"
# now stops the running jobs, soon lets them finish (-j3: the first ends at 0.5 s, when
# parallel has started all three, the others at 2 s)
want=123 same "--halt now,fail=1 at -j3" -j3 --keep-order --halt now,fail=1 \
	'case {} in f) sleep 0.5; echo f; exit 1;; *) sleep 2; echo {};; esac' ::: f b c d
want=123 same "--halt soon,fail=1 at -j3" -j3 --keep-order --halt soon,fail=1 \
	'case {} in f) sleep 0.5; echo f; exit 1;; *) sleep 2; echo {};; esac' ::: f b c d
same "--halt now,success=1 at -j3" -j3 --keep-order --halt now,success=1 \
	'case {} in s) sleep 0.5; echo s;; *) sleep 2; echo {}; exit 1;; esac' ::: s b c d
same "--halt soon,success=1 at -j3" -j3 --keep-order --halt soon,success=1 \
	'case {} in s) sleep 0.5; echo s;; *) sleep 2; echo {}; exit 1;; esac' ::: s b c d
same "--halt soon,success=50% of stdin's lines" -j1 --halt soon,success=50%
printf 'exit 0\n' > "$T/in"
"$RUN" -j1 --halt soon,success=1 'echo {}; [ {} = b ]' ::: a b c > "$T/o" 2> "$T/e"
check "--halt success: status" 0 "$?"
check "--halt success: messages" "uring-run: job 1 (echo a; [ a = b ]): exit status 1
uring-run: stopped after 1 success: 1 job not started" "$(cat "$T/e")"
for bad in 'soon,fail=0' 'now,fail=x%' 'soon,win=1' 'later,fail=1' 'soon,fail=101%' 3 -3 0% 5x%; do
	"$RUN" --halt "$bad" ::: a > "$T/o" 2> "$T/e"
	check "--halt $bad: status" 2 "$?"
	grep -q "^uring-run: invalid --halt '$bad': " "$T/e" || fail "--halt $bad: $(cat "$T/e")"
done

# --- --delay: starts at least that far apart; the output as parallel's ---
same "--delay" -j3 --keep-order --delay 0.2 --joblog log 'echo {}' ::: a b c
awk -F'\t' 'NR > 1 {print $3}' "$T/u/log" | sort -n | awk 'NR > 1 && $1 - prev < 0.19 {bad = 1} {prev = $1} END {exit bad}' ||
	fail "--delay 0.2: starts closer than 0.2 s: $(cat "$T/u/log")"

# --- the joblog: the same columns but the times ---
want=123 same "joblog" -j1 --halt never --joblog "$T/log" 'echo {}; echo e >&2; [ {} != b ]' ::: a b c
masked "$T/log" > "$T/u.log"
(cd "$T/p" && parallel -j1 --halt never --joblog "$T/log" 'echo {}; echo e >&2; [ {} != b ]' ::: a b c > /dev/null 2>&1)
masked "$T/log" > "$T/p.log"
cmp -s "$T/u.log" "$T/p.log" || fail "joblog differs: $(diff "$T/p.log" "$T/u.log")"

done_testing
