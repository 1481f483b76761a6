#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mkinitramfs.sh OUT INIT [BINARY...]: pack a gzipped newc initramfs with
# INIT as /init and each BINARY as /bin/<name>. If a binary named khelper is
# given, /bin/{true,false,echo,touch,sigblk,sigpause} link to it. No device
# nodes are needed: /init mounts devtmpfs itself.
set -euo pipefail

out=$1
init=$2
shift 2

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp"
cp "$init" "$stage/init"
for b in "$@"; do
	cp "$b" "$stage/bin/"
	if [ "$(basename "$b")" = busybox ]; then
		for n in sh rm cat ls mkdir; do ln -s busybox "$stage/bin/$n"; done
	fi
	if [ "$(basename "$b")" = khelper ]; then
		for n in true false echo touch sigblk sigpause; do
			ln -s khelper "$stage/bin/$n"
		done
	fi
done
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
