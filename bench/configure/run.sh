#!/bin/bash
# SPDX-License-Identifier: MIT
# configure scripts of Debian source packages (scripts/debsrc.sh), dash vs
# uring-sh as CONFIG_SHELL (`CONFIG_SHELL=S S ./configure`), in interleaved
# rounds (dash, uring-sh, dash, ...), each in a fresh copy of the tree at
# the same path. Wall time and CPU time (user + system of configure and
# everything it waited for, /usr/bin/time) per run; medians and the ratio
# uring-sh / dash per package. Issue 20's target: median wall <= 0.75x.
# usage: bench/configure/run.sh URING_SH [ROUNDS] [PKG...]
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
			(cd "$work/b" && CONFIG_SHELL=$exe /usr/bin/time -f '%e %U %S' -o "$work/t" \
				"$exe" ./configure --prefix=/usr > /dev/null 2>&1) || echo "$pkg $sh: configure failed" >&2
			read -r wall user sys < "$work/t"
			echo "$pkg $sh $r $wall $(echo "$user + $sys" | bc)" >> "$work/runs"
			echo "$pkg round $r $sh: wall $wall s, cpu $(echo "$user + $sys" | bc) s" >&2
		done
	done
done
echo "| package | dash wall s | uring-sh wall s | ratio | dash CPU s | uring-sh CPU s | ratio |"
echo "|---|---|---|---|---|---|---|"
for pkg in $pkgs; do
	grep -q "^$pkg " "$work/runs" 2>/dev/null || continue
	dw=$(awk -v p="$pkg" '$1 == p && $2 == "dash" { print $4 }' "$work/runs" | median)
	uw=$(awk -v p="$pkg" '$1 == p && $2 == "ush" { print $4 }' "$work/runs" | median)
	dc=$(awk -v p="$pkg" '$1 == p && $2 == "dash" { print $5 }' "$work/runs" | median)
	uc=$(awk -v p="$pkg" '$1 == p && $2 == "ush" { print $5 }' "$work/runs" | median)
	printf '| %s | %s | %s | %.3fx | %s | %s | %.3fx |\n' "$pkg" "$dw" "$uw" \
		"$(echo "$uw / $dw" | bc -l)" "$dc" "$uc" "$(echo "$uc / $dc" | bc -l)"
done
