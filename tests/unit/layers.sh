#!/bin/sh
# libuspawn's layers call only downwards (docs/CONTRIBUTING.md): a file
# includes only the headers of its own layer and of the layers below, and
# the library is built with -Werror=implicit-function-declaration, so a
# call upwards cannot compile without an include this test refuses.
#   core/    core/
#   handle.h core/
#   io/      io/ handle.h core/ uspawn/kernel.h
#   engine/  engine/ io/ handle.h core/ uspawn/kernel.h
#   api/     anything
# Usage: layers.sh SRC_LIB_DIR
set -eu
cd "$1"
fail=0
allowed() { # layer: the include prefixes it may name, besides uspawn.h
	case $1 in
	core) echo "core/" ;;
	handle.h) echo "core/" ;;
	io) echo "io/ handle.h core/ uspawn/kernel.h" ;;
	engine) echo "engine/ io/ handle.h core/ uspawn/kernel.h" ;;
	api) echo "api/ engine/ io/ handle.h core/ uspawn/" ;;
	*) return 1 ;;
	esac
}
for f in handle.h */*.[chS]; do
	layer=${f%%/*}
	ok=$(allowed "$layer") || { echo "FAIL: $f is in no layer (core io engine api)"; fail=1; continue; }
	for inc in $(sed -n 's/^#include "\(.*\)"$/\1/p' "$f"); do
		[ "$inc" = uspawn.h ] && continue
		good=0
		for p in $ok; do
			case $inc in "$p"*) good=1 ;; esac
		done
		[ $good = 1 ] || { echo "FAIL: $f includes \"$inc\": $layer may include only $ok"; fail=1; }
	done
done
[ $fail = 0 ] && echo "1 passed, 0 failed"
exit $fail
