#!/bin/bash
# SPDX-License-Identifier: MIT
#
# liburing-vm.sh BINDIR: a peer's test suite against our series. liburing's
# own regression tests (test/ of Debian's liburing source, fetched by
# scripts/debsrc.sh) are built static against its liburing.a with the SQPOLL
# submit count fixed (kernel/liburing-submit.patch: liburing 2.3 returns what
# the SQ thread has not taken, racy; checked by tests/kernel/ksubmit.c), then
# run in the VM on the stock and on the patched kernel, both VMs at once,
# each test with a timeout (tests/kernel/ksuite.c). The patched kernel must pass, fail, skip and
# time out on exactly the same tests as stock, and log no kernel report
# that stock does not. Tests whose result differs between two stock runs
# under TCG are listed with the reason in kernel/liburing-flaky.txt and
# left out of the comparison (they still run). Any other test whose result
# differs is run three times more on each kernel; the patched kernel fails
# only with a result stock never showed for that test (syzkaller's
# reproducers among the tests crash now and then on stock alone).
# Prints the differing tests and a summary; exit 0 when the sets agree,
# 77 when liburing's source or a tool is missing (ctest skips), 1 otherwise.
# Tests that never finish under TCG on either kernel (kernel/liburing-slow.txt)
# get USPAWN_LIBURING_SHORT seconds (default 30) instead of the timeout; some
# of them do finish on a quiet machine (multicqes_drain.t passed in 20 s on
# patched and timed out on stock, load 4, 2026-12-05), so their result is
# not compared, only the kernel report check applies to them. A patched
# "pass" is never a regression.
# Environment: USPAWN_LIBURING_TIMEOUT (seconds per test, default 120),
# USPAWN_LIBURING_TESTS (names to run, default all), USPAWN_LIBURING_JOBS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bindir=$(cd "$1" && pwd)
timeout=${USPAWN_LIBURING_TIMEOUT:-120}
jobs=${USPAWN_LIBURING_JOBS:-$(nproc)}

for tool in qemu-system-x86_64 cpio gzip make gcc g++ strip; do
	if ! command -v "$tool" >/dev/null; then
		echo "liburing-vm: $tool missing (scripts/deps.sh)" >&2
		exit 77
	fi
done
if ! src=$(sh "$here/../scripts/debsrc.sh" liburing); then
	echo "liburing-vm: no liburing source (scripts/debsrc.sh liburing failed)" >&2
	exit 77
fi

# Build the suite once per source tree and patch, outside the shared source
# cache, with liburing's SQPOLL submit count fixed (kernel/liburing-submit.patch).
work=$bindir/liburing
built="$src $(sha256sum <"$here/liburing-submit.patch" | cut -c1-16)"
if [ "$(cat "$work/.built" 2>/dev/null)" != "$built" ]; then
	rm -rf "$work"
	mkdir -p "$work"
	cp -a "$src/." "$work/src"
	(
		cd "$work/src"
		patch -p1 -s -f --no-backup-if-mismatch <"$here/liburing-submit.patch"
		./configure >"$work/build.log" 2>&1
		make -C src -j"$jobs" liburing.a >>"$work/build.log" 2>&1
		make -C test -j"$jobs" CFLAGS="-O2 -Wall" LDFLAGS=-static all >>"$work/build.log" 2>&1
	) || {
		tail -30 "$work/build.log" >&2
		echo "liburing-vm: building liburing's tests failed, see $work/build.log" >&2
		exit 1
	}
	mkdir -p "$work/bin"
	for t in "$work"/src/test/*.t; do
		strip -o "$work/bin/$(basename "$t")" "$t"
	done
	echo "$built" >"$work/.built"
fi
# The library the tests link must count what it submits (tests/kernel/ksubmit.c).
gcc -O2 -Wall -I"$work/src/src/include" -o "$work/ksubmit" "$here/../tests/kernel/ksubmit.c" \
	"$work/src/src/liburing.a"
rc=0
"$work/ksubmit" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
	echo "liburing-vm: ksubmit (exit $rc): the liburing.a built for liburing's tests" \
		"miscounts SQPOLL submits" >&2
	exit 1
fi

stock=$("$here/build.sh" stock)
patched=$("$here/build.sh" uspawn)
names=${USPAWN_LIBURING_TESTS:-}
"$here/mkinitramfs.sh" "$bindir/liburing.cpio.gz" "$bindir/kinit" -d "lu=$work/bin" \
	"$bindir/ksuite"
# listed NAME: the test names a list file holds, one per line
listed() { sed -n 's/^\([^# ][^ ]*\).*/\1/p' "$here/liburing-$1.txt" 2>/dev/null; }
slow=$(listed slow)
short=$(echo "$slow" | paste -sd:)
export USPAWN_VM_MEM=${USPAWN_VM_MEM:-1G}

# run_both TAG [NAME...]: both VMs at once, each test with its timeout, the
# whole run a bound; leaves $bindir/liburing-TAG-{stock,patched}.txt, one
# "name result" line per run of a test, and rc_stock, rc_patched.
run_both() {
	local tag=$1 words count
	shift
	# sysctl.kernel.randomize_va_space=1: the heap of a static program starts
	# anywhere in the gigabyte after its data (x86-64's brk randomization),
	# and in ~2 % of runs inside the 16 MiB that syzkaller's reproducers map
	# MAP_FIXED at 0x20000000; that mmap replaces malloc's heap and the test
	# dies of SIGSEGV on either kernel (2 of 38 runs on stock, 2026-12-05).
	# Level 1 keeps stack, mmap and vDSO randomization and puts brk right
	# after the data, as for the dynamically linked programs liburing's
	# tests are written for.
	words="sysctl.kernel.randomize_va_space=1"
	words="$words USPAWN_TESTS=KSUITE_LINKS=exec-target.t,KSUITE_SHORT=$short"
	words="$words,KSUITE_SHORT_TIMEOUT=${USPAWN_LIBURING_SHORT:-30},/bin/ksuite,$timeout,/lu"
	for name; do words="$words,$name"; done
	count=$(if [ $# -gt 0 ]; then echo $#; else ls "$work/bin" | wc -l; fi)
	rc_stock=0
	rc_patched=0
	local bound=${USPAWN_VM_TIMEOUT:-$((count * timeout / 4 + 600))}
	USPAWN_VM_TIMEOUT=$bound \
		"$here/run-vm.sh" "$stock" "$bindir/liburing.cpio.gz" "$bindir/liburing-$tag-stock.log" "$words" &
	pid_stock=$!
	USPAWN_VM_TIMEOUT=$bound \
		"$here/run-vm.sh" "$patched" "$bindir/liburing.cpio.gz" "$bindir/liburing-$tag-patched.log" "$words" ||
		rc_patched=$?
	wait $pid_stock || rc_stock=$?
	# "SUITE name result secs" lines; a program may have written over the console
	for k in stock patched; do
		grep -ao 'SUITE [^ ]* [^ ]* [0-9.]*$' "$bindir/liburing-$tag-$k.log" |
			awk '{print $2, $3}' | sort >"$bindir/liburing-$tag-$k.txt"
	done
}

run_both all $names
flaky=$(listed flaky)
count=$(if [ -n "$names" ]; then echo $names | wc -w; else ls "$work/bin" | wc -l; fi)

status=0
n_stock=$(wc -l <"$bindir/liburing-all-stock.txt")
n_patched=$(wc -l <"$bindir/liburing-all-patched.txt")
if [ "$n_stock" -ne "$count" ] || [ "$n_patched" -ne "$count" ]; then
	echo "liburing-vm: $count tests, $n_stock results on stock, $n_patched on patched" >&2
	status=1
fi
# a kernel report on the patched kernel that stock did not have
if [ "$rc_patched" -ne 0 ] && [ "$rc_stock" -eq 0 ]; then
	echo "liburing-vm: the patched VM failed (kernel report or timeout), stock did not:" \
		"$bindir/liburing-all-patched.log" >&2
	status=1
fi
differ=$(join -a1 -a2 -e missing -o 0,1.2,2.2 "$bindir/liburing-all-stock.txt" \
	"$bindir/liburing-all-patched.txt" | awk '$2 != $3')
again=
while read -r name on_stock on_patched; do
	[ -n "$name" ] || continue
	if printf '%s\n' "$flaky" | grep -qx "$name"; then
		echo "liburing-vm: $name: stock $on_stock, patched $on_patched (listed flaky)"
	elif printf '%s\n' "$slow" | grep -qx "$name"; then
		echo "liburing-vm: $name: stock $on_stock, patched $on_patched (listed slow: not compared)"
	elif [ "$on_patched" = pass ]; then
		echo "liburing-vm: $name: stock $on_stock, patched $on_patched (a pass is no regression)"
	else
		again="$again $name $name $name"
	fi
done <<<"$differ"

# A difference is run again, three times on each kernel: syzkaller's
# reproducers among liburing's tests crash now and then on stock alone
# under TCG. The patched kernel fails only with a result that stock never
# showed for that test, in the first run or again.
if [ -n "$again" ]; then
	run_both again $again
	if [ "$rc_patched" -ne 0 ] && [ "$rc_stock" -eq 0 ]; then
		echo "liburing-vm: the patched VM failed (kernel report or timeout) running" \
			"the differing tests again, stock did not: $bindir/liburing-again-patched.log" >&2
		status=1
	fi
	# results_of KERNEL NAME: each result NAME had on KERNEL, first run and again
	results_of() { awk -v n="$2" '$1 == n {print $2}' "$bindir/liburing-all-$1.txt" \
		"$bindir/liburing-again-$1.txt"; }
	for name in $(printf '%s\n' $again | sort -u); do
		seen="stock$(results_of stock "$name" | sort | uniq -c | awk '{printf " %sx%s", $2, $1}')"
		seen="$seen, patched$(results_of patched "$name" | sort | uniq -c | awk '{printf " %sx%s", $2, $1}')"
		new=$(results_of patched "$name" | sort -u | grep -vxF -f <(results_of stock "$name") |
			grep -vx pass || true)
		if [ -n "$new" ]; then
			echo "liburing-vm: $name: $seen" >&2
			status=1
		else
			echo "liburing-vm: $name: $seen (every patched result also on stock)"
		fi
	done
fi
for k in stock patched; do
	printf 'liburing-vm: %-7s' "$k"
	awk '{n[$2]++} END {for (r in n) printf " %s %d", r, n[r]; printf "\n"}' \
		"$bindir/liburing-all-$k.txt"
done
exit $status
