#!/bin/bash
# SPDX-License-Identifier: MIT
# Real GNU configure scripts nobody here wrote (Debian source packages,
# scripts/debsrc.sh): each package is configured and built three times in
# the same directory,
#   dash:  CONFIG_SHELL=/bin/sh /bin/sh ./configure (Debian's /bin/sh: dash)
#   ush:   CONFIG_SHELL=uring-sh uring-sh ./configure (make's recipes then run
#          in uring-sh too: automake's Makefiles use SHELL = $CONFIG_SHELL)
#   binsh: the dash command again, with uring-sh bind-mounted on /bin/sh in
#          a private mount namespace (root only; skipped otherwise): /bin/sh
#          is uring-sh for configure, config.status, libtool and make
# (A plain ./configure would not do: autoconf's shell search finds dash,
# as uring-sh, lacking its LINENO tests and re-executes itself in bash.)
# and config.status, config.h, every generated Makefile, libtool, config.log
# (temp names masked, uring-sh's path read as /bin/sh) and every built
# object, library and program must be identical to dash's; configure must
# leave only "native" USPAWN_SH_STATS records.
# Every run works in a directory of its own (mktemp) and only copies the
# cached source tree, so two runs at once cannot collide; a failed build
# is kept (its path printed) with config.log's end and the tree's listing.
# usage: configure_test.sh URING_SH SOURCE_DIR [PKG...]  (default: hello libpipeline)
# Exit: 0 all identical, 1 a difference, 77 no package could be fetched.
set -u
ush=$(readlink -f "$1") src=$2
shift 2
pkgs=${*:-hello libpipeline}
work=$(mktemp -d /tmp/uspawn-configure.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
fail=0 ran=0
jobs=$(nproc 2>/dev/null || echo 2)

# the build, in $work/b (the same path for every mode)
build() { # build MODE
	case $1 in
	dash) CONFIG_SHELL=/bin/sh /bin/sh ./configure --prefix=/usr && make -j"$jobs" ;;
	ush) CONFIG_SHELL=$ush "$ush" ./configure --prefix=/usr && make -j"$jobs" ;;
	binsh) unshare -m --propagation private bash -c 'mount --bind "$1" /bin/sh &&
		CONFIG_SHELL=/bin/sh /bin/sh ./configure --prefix=/usr && make -j"$2"' binsh "$ush" "$jobs" ;;
	esac
}

# what a run leaves, text masked, into $work/MODE
collect() { # collect MODE
	local out=$work/$1
	mkdir -p "$out"
	(cd "$work/b" && find . -type f \( -name config.status -o -name config.h -o -name Makefile \
		-o -name libtool -o -name config.log -o -name '*.o' -o -name '*.lo' -o -name '*.la' \
		-o -name '*.a' -o -name '*.so*' -o -perm -u+x -newer configure \) -print0 |
		cpio -0pdm --quiet "$out")
	find "$out" -type f \( -name config.status -o -name config.h -o -name Makefile \
		-o -name libtool -o -name config.log \) -print0 |
		xargs -0 sed -i -E -e "s#$ush#/bin/sh#g" \
			-e 's#/tmp/cc[A-Za-z0-9]{6}#/tmp/ccXXXXXX#g' \
			-e 's#conf[0-9]+#confNNN#g' -e 's#\.[0-9]+\.tmp#.NNN.tmp#g'
	# config.log's header line of the command (the shell path masked above)
}

for pkg in $pkgs; do
	tree=$(sh "$src/scripts/debsrc.sh" "$pkg") || { echo "$pkg: cannot fetch, skipped"; continue; }
	ran=1
	modes="dash ush"
	[ "$(id -u)" = 0 ] && command -v unshare >/dev/null && modes="$modes binsh"
	for mode in $modes; do
		rm -rf "$work/b" "$work/$mode" "$work/stats"
		cp -a "$tree" "$work/b"
		start=$(date +%s)
		(cd "$work/b" && USPAWN_SH_STATS=$work/stats build "$mode") > "$work/$mode.out" 2>&1
		st=$?
		echo "$pkg $mode: status $st, $(($(date +%s) - start)) s, $(grep -c '^native' "$work/stats" 2>/dev/null || echo 0) native uring-sh runs"
		if [ $st != 0 ]; then
			# what the failure needs to be understood later (issue 20: a libpipeline
			# run once said "cannot find input file: Makefile.in", never reproduced)
			echo "FAIL: $pkg $mode: the build failed"
			tail -20 "$work/$mode.out"
			echo "--- config.log, last lines:"
			tail -30 "$work/b/config.log" 2>/dev/null
			echo "--- the build directory:"
			ls -la --time-style=full-iso "$work/b" | head -60
			keep=$(mktemp -d /tmp/uspawn-configure-failed.XXXXXX) &&
				cp -a "$work/b" "$work/$mode.out" "$keep/" && echo "--- kept in $keep"
			fail=1
		fi
		if [ -f "$work/stats" ] && grep -v '^native' "$work/stats" | sort | uniq -c | grep .; then
			echo "FAIL: $pkg $mode: not everything ran natively"
			fail=1
		fi
		collect "$mode"
		mv "$work/$mode" "$work/$pkg.$mode"
	done
	for mode in $modes; do
		[ $mode = dash ] && continue
		if ! diff -r "$work/$pkg.dash" "$work/$pkg.$mode" > "$work/diff" 2>&1; then
			echo "FAIL: $pkg: $mode differs from dash"
			head -40 "$work/diff"
			fail=1
		else
			echo "$pkg: $mode identical to dash ($(find "$work/$pkg.dash" -type f | wc -l) files)"
		fi
	done
	rm -rf "$work/$pkg".* "$work/b"
done
[ $ran = 1 ] || exit 77
exit $fail
