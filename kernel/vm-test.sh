#!/bin/bash
# SPDX-License-Identifier: MIT
#
# vm-test.sh VARIANT BINDIR NAME [WORD...]: the ctest entry point. Builds (or
# takes from the cache) the VARIANT kernel (kernel/build.sh), packs BINDIR's
# static test programs into an initramfs with kinit as /init, boots it
# (kernel/run-vm.sh) and exits with the verdict. WORDs go on the kernel
# command line, e.g. USPAWN_TESTS=/bin/kspawn,--stock. The serial log is
# BINDIR/NAME.log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
variant=$1
bindir=$2
name=$3
shift 3

for tool in qemu-system-x86_64 cpio gzip make gcc bc flex bison; do
	if ! command -v "$tool" >/dev/null; then
		echo "vm-test: $tool missing (scripts/deps.sh installs scripts/packages/kernel.txt)" >&2
		exit 77
	fi
done

# The debug kernel (KASAN, lockdep, kmemleak) takes too long to build cold in
# a CI run: use it only when cached, unless asked to build it.
if [ "$variant" = debug ] && [ -z "${USPAWN_BUILD_DEBUG_KERNEL:-}" ] &&
	! "$here/build.sh" debug --check >/dev/null; then
	echo "vm-test: debug kernel not cached; run kernel/build.sh debug first" \
		"(or set USPAWN_BUILD_DEBUG_KERNEL=1): skipped" >&2
	exit 77
fi
kernel=$("$here/build.sh" "$variant")
bins=()
for b in kspawn khelper ksecurity kstress kunit probe_child spawnbench child_stamp child_nop; do
	if [ -x "$bindir/$b" ]; then bins+=("$bindir/$b"); fi
done
# a /bin/sh for the library's ENOEXEC and capture tests (busybox-static)
if [ -x /bin/busybox ]; then bins+=(/bin/busybox); fi
"$here/mkinitramfs.sh" "$bindir/$name.cpio.gz" "$bindir/kinit" "${bins[@]}"
"$here/run-vm.sh" "$kernel" "$bindir/$name.cpio.gz" "$bindir/$name.log" "$@"
rc=$?
grep -E '^(ok|not ok|#|USPAWN-VERDICT)' "$bindir/$name.log" || true
exit $rc
