#!/bin/bash
# SPDX-License-Identifier: MIT
# configure scripts of Debian source packages (scripts/debsrc.sh), dash vs
# uring-sh as CONFIG_SHELL (`CONFIG_SHELL=S S ./configure`), in interleaved
# rounds (dash, uring-sh, dash, ...), each in a fresh copy of the tree at
# the same path. Wall time and CPU time (user + system of configure and
# everything it waited for, /usr/bin/time) per run; medians and the ratio
# uring-sh / dash per package (of the medians, and of the minima), minor
# page faults of the whole tree. Issue 20's target: median wall <= 0.75x.
# With PROFILE=1, then one more run per shell under perf: CPU by program
# (samples by command name: the shell's own share against sed, gcc, ...),
# clone (fork, and glibc's posix_spawn) vs clone3 (libuspawn's vfork
# engine) vs execve calls, page faults. The machine is shared: read the
# load average printed first.
# usage: [PROFILE=1] bench/configure/run.sh URING_SH [ROUNDS] [PKG...]
#        (default: 5 rounds of hello, libpipeline, gzip)
set -u
ush=$(readlink -f "$1")
rounds=${2:-5}
shift $(($# < 2 ? $# : 2))
pkgs=${*:-hello libpipeline gzip}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/uspawn-bench-configure.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
dash=$(readlink -f /bin/sh)
case $dash in */dash) ;; *) dash=$(command -v dash) ;; esac

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cpus, $(git -C "$src" rev-parse --short HEAD 2>/dev/null)"
for pkg in $pkgs; do
	tree=$(sh "$src/scripts/debsrc.sh" "$pkg") || { echo "$pkg: cannot fetch, skipped"; continue; }
	for r in $(seq "$rounds"); do
		for sh in dash ush; do
			exe=$dash
			[ $sh = ush ] && exe=$ush
			rm -rf "$work/b"
			cp -a "$tree" "$work/b"
			(cd "$work/b" && CONFIG_SHELL=$exe /usr/bin/time -f '%e %U %S %R' -o "$work/t" \
				"$exe" ./configure --prefix=/usr > /dev/null 2>&1) || echo "$pkg $sh: configure failed" >&2
			read -r wall user sys flt < "$work/t"
			echo "$pkg $sh $r $wall $(echo "$user + $sys" | bc) $flt" >> "$work/runs"
			echo "$pkg round $r $sh: wall $wall s, cpu $(echo "$user + $sys" | bc) s, $flt faults, load $(cut -d' ' -f1 /proc/loadavg)" >&2
		done
	done
done
min() { sort -g | head -1; }
col() { awk -v p="$1" -v s="$2" -v c="$3" '$1 == p && $2 == s { print $c }' "$work/runs"; }
ratio() { printf '%.3fx' "$(echo "$2 / $1" | bc -l)"; }
echo "| package | dash wall s (min / median) | uring-sh wall s | ratio min / median | dash CPU s | uring-sh CPU s | ratio min / median | faults dash / uring-sh (median) |"
echo "|---|---|---|---|---|---|---|---|"
for pkg in $pkgs; do
	grep -q "^$pkg " "$work/runs" 2>/dev/null || continue
	dw=$(col "$pkg" dash 4 | min) dW=$(col "$pkg" dash 4 | median)
	uw=$(col "$pkg" ush 4 | min) uW=$(col "$pkg" ush 4 | median)
	dc=$(col "$pkg" dash 5 | min) dC=$(col "$pkg" dash 5 | median)
	uc=$(col "$pkg" ush 5 | min) uC=$(col "$pkg" ush 5 | median)
	df=$(col "$pkg" dash 6 | median) uf=$(col "$pkg" ush 6 | median)
	echo "| $pkg | $dw / $dW | $uw / $uW | $(ratio "$dw" "$uw") / **$(ratio "$dW" "$uW")** |" \
		"$dc / $dC | $uc / $uC | $(ratio "$dc" "$uc") / **$(ratio "$dC" "$uC")** | $df / $uf |"
done
echo "# end $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

[ "${PROFILE:-0}" = 1 ] || exit 0
# where the time goes: one run per shell and package under perf
ev=task-clock,page-faults,syscalls:sys_enter_clone,syscalls:sys_enter_clone3,syscalls:sys_enter_execve
for pkg in $pkgs; do
	tree=$(sh "$src/scripts/debsrc.sh" "$pkg") || continue
	for sh in dash ush; do
		exe=$dash
		[ $sh = ush ] && exe=$ush
		rm -rf "$work/b"
		cp -a "$tree" "$work/b"
		(cd "$work/b" && CONFIG_SHELL=$exe perf stat -x, -e "$ev" -o "$work/stat" \
			perf record -q -F 499 -e task-clock -o "$work/perf.data" \
			"$exe" ./configure --prefix=/usr > /dev/null 2>&1)
		echo "## $pkg, $sh: $(awk -F, '/^[0-9]/ { n = $3; sub(/syscalls:sys_enter_/, "", n); printf "%s %s, ", n, $1 }' "$work/stat")"
		perf report -q -i "$work/perf.data" --sort comm --stdio 2>/dev/null | head -8 | sed 's/^/    /'
	done
done
