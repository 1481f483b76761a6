#!/bin/sh
# uring-sh vs dash: per-line cost, start-up page faults, and a 400-target
# make -j2 build under make's default shell and under SHELL=uring-sh.
# Rounds are interleaved (dash, uring-sh, dash, ...); min and median printed.
# usage: bench.sh URING_SH [ROUNDS] [RUNS_PER_ROUND]
# env: PARTS="lines faults make" (default all three)
set -e
ush=$(readlink -f "$1")
rounds=${2:-5}
runs=${3:-200}
dash=/bin/dash
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT


here=$(dirname "$(readlink -f "$0")")
# mean wall time (us) of one `SHELL -c LINE` (posix_spawn + wait, $runs times)
elapsed_us() {
	python3 "$here/loop.py" "$runs" "$@"
}

faults() {
	perf stat -x, -e page-faults "$1" -c "$2" 2>&1 > /dev/null | tail -n 1 | cut -d, -f1
}

stats() { # values on stdin -> "min median"
	sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s", v[1], m }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

cd "$tmp"
parts=${PARTS:-lines faults make}
case " $parts " in *" lines "*) kinds="builtin ulimit external waitlast andand capture kbuild waitfloor delegated floor" ;; *) kinds= ;; esac
echo "uring-sh: $ush"
echo "rounds: $rounds x $runs runs per line; make build: $rounds rounds"
echo
# the floor of any delegation: a static program that does nothing but exec dash
printf '#include <unistd.h>\nint main(int c, char **v, char **e) { (void)c; execve("/bin/dash", v, e); return 127; }\n' > exec_dash.c
cc_static=$(command -v musl-gcc || echo cc)
$cc_static -O2 -static -o exec_dash exec_dash.c 2> /dev/null || exec_dash=
[ -x exec_dash ] && exec_dash=$PWD/exec_dash
# the floor of a line that must wait for its command (a trap is set, as in
# Kbuild's lines): a static program that only vforks /bin/true and waits
printf '#include <sys/wait.h>\n#include <unistd.h>\nint main(int c, char **v, char **e) { char *a[] = {"/bin/true", 0}; int s; pid_t p; (void)c; (void)v; if (!(p = vfork())) { execve(a[0], a, e); _exit(127); } waitpid(p, &s, 0); return 0; }\n' > spawn_true.c
$cc_static -O2 -static -o spawn_true spawn_true.c 2> /dev/null || spawn_true=
[ -x spawn_true ] && spawn_true=$PWD/spawn_true

[ -z "$kinds" ] || printf '%-28s %12s %12s %12s %12s %8s %8s\n' "line" "dash min" "dash med" "ush min" "ush med" "med x" "own x"
for kind in $kinds; do
	# k: the line's external commands; "own" subtracts k x /bin/true run
	# directly (no shell), measured in the same rounds: the shell's own cost
	k=1
	case $kind in builtin | ulimit | delegated | floor) k=0 ;; andand) k=2 ;; esac
	case $kind in
	waitlast) line='/bin/true' ;;
	floor) line=':'; [ -n "$exec_dash" ] || continue ;;
	waitfloor) line="set -e; echo '  CC x' >/dev/null; trap 'rm -f x; trap - INT; kill -s INT \$\$' INT; if [ -n \"\$HOME\" ]; then /bin/true; fi"; [ -n "$spawn_true" ] || continue ;;
	builtin) line='echo built-in > /dev/null' ;;
	# the issue's delegated line until uring-sh ran ulimit itself
	ulimit) line='ulimit -n > /dev/null' ;;
	external) line='/bin/true' ;;
	andand) line='/bin/true && /bin/true' ;;
	capture) line='x=$(/bin/true); echo "$x" > /dev/null' ;;
	kbuild) line="set -e; echo '  CC x' >/dev/null; trap 'rm -f x; trap - INT; kill -s INT \$\$' INT; if [ -n \"\$HOME\" ]; then /bin/true; fi" ;;
	# -v (verbose) is an option uring-sh leaves to dash: every line under it delegates
	delegated) line=':' ;;
	esac
	flags=
	case $kind in delegated | floor) flags=SHFLAGS=-v ;; esac
	: > d.txt
	: > u.txt
	: > t.txt
	r=0
	while [ $r -lt "$rounds" ]; do
		[ $k -eq 0 ] || elapsed_us /bin/true "$line" >> t.txt
		elapsed_us "$dash" "$line" $flags >> d.txt
		if [ $kind = waitlast ]; then
			elapsed_us "$ush" "$line" USPAWN_SH_EXEC_LAST=0 >> u.txt
		elif [ $kind = floor ]; then
			elapsed_us "$exec_dash" "$line" $flags >> u.txt
		elif [ $kind = waitfloor ]; then
			elapsed_us "$spawn_true" "$line" >> u.txt
		else
			elapsed_us "$ush" "$line" $flags >> u.txt
		fi
		r=$((r + 1))
	done
	set -- $(grep . d.txt | stats) $(grep . u.txt | stats)
	tm=0
	[ $k -eq 0 ] || tm=$(grep . t.txt | stats | cut -d' ' -f2)
	own=$(awk -v u="$4" -v d="$2" -v k=$k -v t="$tm" 'BEGIN { printf "%.2f", (u - k * t) / (d - k * t) }')
	printf '%-28s %12s %12s %12s %12s %8s %8s\n' "$kind: ${flags#SHFLAGS=}${flags:+ -c }$line" "$1" "$2" "$3" "$4" "$(ratio "$4" "$2")" "$own"
done
[ -z "$kinds" ] || {
echo "(microseconds per line: posix_spawn of the shell + wait, mean of $runs; load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "(own x: the shell's own cost, the line's time less that of running its external"
echo " commands (/bin/true) directly with posix_spawn + wait, measured in the same rounds)"
echo "(waitlast: USPAWN_SH_EXEC_LAST=0, dash's fork and wait for the last command;"
echo " floor: in the ush columns a static program that only execs dash, the least a delegation can cost;"
echo " waitfloor: a static program that only vforks /bin/true and waits, the least a line that must wait can cost)"
echo
}

case " $parts " in *" faults "*)
printf '%-28s %8s %8s %8s\n' "page faults" "dash" "ush" "x"
for line in ':' '/bin/true' 'for i in 1; do :; done' 'ulimit -n > /dev/null' "alias ll='ls -l'"; do
	d=$(faults "$dash" "$line")
	u=$(faults "$ush" "$line")
	printf '%-28s %8s %8s %8s\n' "$line" "$d" "$u" "$(ratio "$u" "$d")"
done
echo "(whole process tree: the shell and what it runs)"
echo
;; esac
case " $parts " in *" make "*) ;; *) exit 0 ;; esac

# the floor of any SHELL for these recipes: a static program that splits the
# line into words and runs them, nothing else (floor_sh.c)
$cc_static -O2 -static -o floor-sh "$here/floor_sh.c" 2> /dev/null || { echo "bench.sh: floor_sh.c: no static build" >&2; exit 1; }
floor_sh=$PWD/floor-sh

# 400 targets with typical recipe lines
mkdir build && cd build
{
	printf 'all:'
	i=0
	while [ $i -lt 400 ]; do printf ' t%d' $i; i=$((i + 1)); done
	printf '\n\nt%%:\n'
	printf '\tmkdir -p out/$* && echo $* > out/$*/obj\n'
	printf '\tcp out/$*/obj out/$*/copy\n'
	printf '\ttest -f out/$*/copy || exit 1\n'
	printf '\tcd out/$* && cat obj copy > both\n'
	printf '\t@echo built $@ > /dev/null\n'
	printf '.PHONY: all\n'
} > Makefile
: > d.txt
: > u.txt
: > e.txt
: > f.txt
now_ms() { date +%s%N | cut -c1-13; }
r=0
while [ $r -lt "$rounds" ]; do
	rm -rf out; t0=$(now_ms); make -s -j2 > /dev/null; t1=$(now_ms)
	echo $((t1 - t0)) >> d.txt
	rm -rf out; t0=$(now_ms); make -s -j2 SHELL="$ush" > /dev/null; t1=$(now_ms)
	echo $((t1 - t0)) >> u.txt
	rm -rf out; t0=$(now_ms); USPAWN_SH_EXEC_LAST=0 make -s -j2 SHELL="$ush" > /dev/null; t1=$(now_ms)
	echo $((t1 - t0)) >> e.txt
	rm -rf out; t0=$(now_ms); make -s -j2 SHELL="$floor_sh" > /dev/null; t1=$(now_ms)
	echo $((t1 - t0)) >> f.txt
	# the floor's build must be the real one: every target's two files joined
	[ "$(cat out/*/both | LC_ALL=C sort | uniq -c | awk '$1 == 2' | wc -l)" -eq 400 ] ||
		{ echo "bench.sh: the build under floor-sh is wrong" >&2; exit 1; }
	r=$((r + 1))
done
set -- $(stats < d.txt) $(stats < u.txt) $(stats < e.txt) $(stats < f.txt)
printf '%-28s %12s %12s %12s %12s %8s\n' "make -j2, 400 targets (ms)" "default min" "default med" "ush min" "ush med" "med x"
printf '%-28s %12s %12s %12s %12s %8s\n' "SHELL=uring-sh" "$1" "$2" "$3" "$4" "$(ratio "$4" "$2")"
echo "(load: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-28s %12s %12s %12s %12s %8s\n' "  USPAWN_SH_EXEC_LAST=0" "$1" "$2" "$5" "$6" "$(ratio "$6" "$2")"
printf '%-28s %12s %12s %12s %12s %8s\n' "  SHELL=floor-sh (floor)" "$1" "$2" "$7" "$8" "$(ratio "$8" "$2")"
echo "(floor-sh: a static program that only splits each line into words and runs them, the least any SHELL can cost here)"
