# Shared by tests/distcc/build.sh and bench/distcc/run.sh (sourced):
# a generated C project, and distccd servers started and stopped on this
# machine, either each in a network namespace of its own (root) or on
# loopback addresses 127.x.y.z (anyone).
#
# The caller sets DT (a private temporary directory, removed by the caller)
# and calls dist_stop_all from its EXIT trap.

# gen_project DIR NDIRS NFILES: NDIRS folders d0 d1 ... with NFILES
# translation units each, a main.c calling every function, and Makefiles:
#   make objs            every object, flat (one make)
#   make all             the objects through one sub-make per folder
#                        (+$(MAKE) -f dK/Makefile), then prog linked
#   make -f dK/Makefile  the objects of one folder
# Every compile runs from the top folder as `cd TOP && $(CC) $(CFLAGS) -c
# dK/fI.c -o dK/fI.o` (the form CMake's Makefiles use), so a line run by
# make, by a sub-make or straight from a jobs file makes the same object.
gen_project() {
	gp_dir=$1 gp_ndirs=$2 gp_nfiles=$3
	mkdir -p "$gp_dir/include"
	cat > "$gp_dir/include/common.h" <<'EOF'
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct acc {
	uint32_t h;
	size_t n;
	char name[32];
};
static inline uint32_t mix(uint32_t h, uint32_t v)
{
	h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h * 0x85ebca6bu;
}
EOF
	: > "$gp_dir/include/funcs.h"
	{
		echo '#include "common.h"'
		echo '#include "funcs.h"'
		echo 'int main(void)'
		echo '{'
		echo '	struct acc a = {0};'
	} > "$gp_dir/main.c"
	gp_d=0
	while [ "$gp_d" -lt "$gp_ndirs" ]; do
		mkdir -p "$gp_dir/d$gp_d"
		printf 'D := d%s\ninclude rules.mk\nall: $(patsubst %%.c,%%.o,$(wildcard $(D)/*.c))\n' \
			"$gp_d" > "$gp_dir/d$gp_d/Makefile"
		gp_i=0
		while [ "$gp_i" -lt "$gp_nfiles" ]; do
			gp_f=d${gp_d}_f$gp_i
			echo "void $gp_f(struct acc *a);" >> "$gp_dir/include/funcs.h"
			echo "	$gp_f(&a);" >> "$gp_dir/main.c"
			cat > "$gp_dir/d$gp_d/f$gp_i.c" <<EOF
#include "common.h"
#include "funcs.h"

static const char tag[] = "$gp_f";

static uint32_t walk(const char *s, uint32_t h)
{
	for (; *s; s++)
		h = mix(h, (unsigned char)*s);
	return h;
}

void $gp_f(struct acc *a)
{
	char buf[64];
	int i;

	snprintf(buf, sizeof buf, "%s:%d:%d", tag, $gp_d, $gp_i);
	for (i = 0; i < $((gp_i % 7 + 3)); i++)
		a->h = walk(buf, a->h + (uint32_t)i);
	if (strlen(buf) > strlen(a->name))
		memcpy(a->name, buf, strlen(buf) + 1 < sizeof a->name ? strlen(buf) + 1 : sizeof a->name);
	a->n++;
}
EOF
			gp_i=$((gp_i + 1))
		done
		gp_d=$((gp_d + 1))
	done
	{
		printf '\tprintf("%%zu %%08x %%s\\n", a.n, (unsigned)a.h, a.name);\n'
		echo '	return 0;'
		echo '}'
	} >> "$gp_dir/main.c"
	# -g: distcc preprocesses here (gcc -E writes the working directory
	# into the .i) and compiles the .i remotely with the same gcc, so the
	# debug info has the same paths and lines as a local compile. Not the
	# same columns: gcc -E rewrites the blanks that start a line (a tab
	# becomes one space), and DW_AT_decl_column counts them differently,
	# hence -gno-column-info (gcc 12 emits the columns by default).
	# -MMD: the dependency files a real build writes (locally, while
	# preprocessing).
	cat > "$gp_dir/rules.mk" <<'EOF'
TOP := $(CURDIR)
CFLAGS := -O2 -g -gno-column-info -Wall -I$(TOP)/include -MMD
%.o: %.c
	cd $(TOP) && $(CC) $(CFLAGS) -c $< -o $@
EOF
	{
		printf 'DIRS := $(patsubst %%/Makefile,%%,$(wildcard d*/Makefile))\n'
		printf 'OBJS := $(patsubst %%.c,%%.o,$(wildcard d*/*.c))\n'
		printf 'include rules.mk\n'
		printf '.PHONY: all objs clean $(DIRS)\n'
		printf 'all: prog\n'
		printf 'objs: main.o $(OBJS)\n'
		printf '$(DIRS):\n\t+$(MAKE) -f $@/Makefile\n'
		printf 'prog: main.o $(DIRS)\n\tgcc -o $@ main.o $(OBJS)\n'
		printf 'clean:\n\trm -f prog main.o main.d $(OBJS) $(OBJS:.o=.d)\n'
	} > "$gp_dir/Makefile"
}

# project_lines DIR CC: the compile lines of every object, as make runs
# them but without `cd TOP &&` (the jobs run in DIR already).
project_lines() {
	(cd "$1" && for c in main.c d*/*.c; do
		printf '%s -O2 -g -gno-column-info -Wall -I%s/include -MMD -c %s -o %s\n' "$2" "$PWD" "$c" "${c%.c}.o"
	done)
}

# The servers started by this run: one line "name kind pid log" each in
# $DT/servers. kind is netns (name: the namespace) or loop; pid is our
# child that holds the server:
# - where PID namespaces can be made (root), `unshare --pid --fork` and a
#   small init ($DT/init.sh) that runs distccd and ends with it: when the
#   init of a PID namespace exits, the kernel kills and reaps every process
#   left in it. (distccd itself as the init would not do: its SIGTERM
#   handler kills its group and re-raises the signal, which an init
#   ignores; and it drops root, which clears unshare's --kill-child.)
#   SIGTERM to the init stops distccd and waits for it.
# - elsewhere distccd itself, leader of a session of its own (setsid); its
#   SIGTERM handler kills the session's group. Its children are then
#   zombies for init to collect.
DIST_HOSTS=""

# dist_init: decide how servers are held (call it before starting any)
dist_init() {
	if unshare --pid --fork true 2> /dev/null; then
		cat > "$DT/init.sh" <<'EOF'
trap 'kill -TERM $d 2> /dev/null' TERM
"$@" &
d=$!
wait $d 2> /dev/null
wait $d 2> /dev/null
EOF
		_dist_wrap="unshare --pid --fork sh $DT/init.sh"
	else
		# not a group leader (no job control here): setsid execs distccd,
		# so $! is distccd and its session
		_dist_wrap=setsid
	fi
}

_dist_log_file() { # a log distccd can still write once it dropped root
	: > "$1"
	if [ "$(id -u)" = 0 ]; then
		chown distccd "$1" 2> /dev/null || chmod 666 "$1"
	fi
}

# wait until server log $1 says it listens; 1 if it died or said no
_dist_wait_ready() {
	dw=0
	while [ "$dw" -lt 100 ]; do
		grep -q 'preforking daemon started' "$1" 2> /dev/null && return 0
		_dist_alive "$2" || break
		sleep 0.1
		dw=$((dw + 1))
	done
	echo "distccd did not start (log $1):" >&2
	cat "$1" >&2
	return 1
}

# pid $1 exists and is not a zombie
_dist_alive() {
	st=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2> /dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# A free /30 in 198.18.0.0/15 (RFC 2544's range for network test beds, so
# no real network is shadowed): the first none of this machine's interfaces
# uses. Prints the subnet's first address as "198.A.B.C"; called with the
# lock held, so that parallel runs never pick the same one.
_dist_free_subnet() {
	used=" $(ip -4 -o addr show | awk '{print $4}' | tr '\n' ' ')"
	ds=0
	while [ "$ds" -lt 32768 ]; do
		n=$((ds * 4))
		a=198.$((18 + n / 65536)).$((n / 256 % 256))
		case $used in
		*" $a.$((n % 256 + 1))/"*) ;;
		*)
			echo "$a.$((n % 256))"
			return 0
			;;
		esac
		ds=$((ds + 1))
	done
	return 1
}

# Remove what earlier runs killed before their trap could run (ctest's
# timeout sends SIGKILL) left behind: namespaces uspawn-distcc-PID-K whose
# PID is gone, with every process still in them.
dist_reap_orphans() {
	for ns in $(ip netns list 2> /dev/null | awk '/^uspawn-distcc-[0-9]+-[0-9]+/ {print $1}'); do
		op=${ns#uspawn-distcc-}
		op=${op%%-*}
		kill -0 "$op" 2> /dev/null && continue
		_dist_kill_netns "$ns"
	done
}

_dist_kill_netns() {
	dk=0
	while [ -n "$(ip netns pids "$1" 2> /dev/null)" ] && [ "$dk" -lt 50 ]; do
		# shellcheck disable=SC2046
		kill $([ "$dk" -ge 30 ] && echo -KILL) $(ip netns pids "$1") 2> /dev/null
		sleep 0.1
		dk=$((dk + 1))
	done
	ip netns del "$1" 2> /dev/null
	[ -z "$(ip netns pids "$1" 2> /dev/null)" ]
}

# dist_start_netns K JOBS: server K in namespace uspawn-distcc-$$-K, reached
# through a veth pair (host side .1 of a free /30, the namespace's side .2).
dist_start_netns() {
	ns=uspawn-distcc-$$-$1
	hv=ud$$h$1
	nv=ud$$n$1
	mkdir -p /run/lock
	(
		flock 9
		net=$(_dist_free_subnet) || { echo "no free /30 in 198.18.0.0/15" >&2; exit 1; }
		a=${net%.*} b=${net##*.}
		ip netns add "$ns" &&
			ip link add "$hv" type veth peer name "$nv" &&
			ip link set "$nv" netns "$ns" &&
			ip addr add "$a.$((b + 1))/30" dev "$hv" &&
			ip link set "$hv" up &&
			ip -n "$ns" addr add "$a.$((b + 2))/30" dev "$nv" &&
			ip -n "$ns" link set "$nv" up &&
			ip -n "$ns" link set lo up &&
			echo "$a.$((b + 1)) $a.$((b + 2))" > "$DT/net$1"
	) 9> /run/lock/uspawn-distcc-net.lock || {
		ip netns del "$ns" 2> /dev/null
		return 1
	}
	read -r client server < "$DT/net$1"
	log=$DT/distccd$1.log
	_dist_log_file "$log"
	# shellcheck disable=SC2086
	ip netns exec "$ns" $_dist_wrap distccd --daemon --no-detach --listen "$server" \
		--allow "$client" --jobs "$2" --log-file "$log" --log-level info < /dev/null &
	echo "$ns netns $! $log" >> "$DT/servers"
	_dist_wait_ready "$log" $! || return 1
	DIST_HOSTS="$DIST_HOSTS $server/$2"
}

# dist_start_loop K JOBS: server K on 127.(100+K).X.Y (X.Y from our pid).
dist_start_loop() {
	addr=127.$((100 + $1)).$(($$ / 256 % 256)).$(($$ % 256))
	log=$DT/distccd$1.log
	_dist_log_file "$log"
	# shellcheck disable=SC2086
	$_dist_wrap distccd --daemon --no-detach --listen "$addr" --allow 127.0.0.0/8 \
		--jobs "$2" --log-file "$log" --log-level info < /dev/null &
	echo "$addr loop $! $log" >> "$DT/servers"
	_dist_wait_ready "$log" $! || return 1
	DIST_HOSTS="$DIST_HOSTS $addr/$2"
}

# _dist_stop PID: stop the server held by our child PID, and reap it
_dist_stop() {
	if [ "$_dist_wrap" = setsid ]; then
		kill -TERM -- "-$1" 2> /dev/null
	else
		d=$(pgrep -P "$1") # the namespace's init
		[ -n "$d" ] && kill -TERM "$d" 2> /dev/null
	fi
	dk=0
	while _dist_alive "$1" && [ "$dk" -lt 50 ]; do
		if [ "$dk" -ge 30 ]; then
			if [ "$_dist_wrap" = setsid ]; then
				kill -KILL -- "-$1" 2> /dev/null
			else
				[ -n "$d" ] && kill -KILL "$d" 2> /dev/null
			fi
		fi
		sleep 0.1
		dk=$((dk + 1))
	done
	_dist_alive "$1" && return 1
	wait "$1" 2> /dev/null
	return 0
}

# Stop every server this run started and remove its namespaces; 1 if any
# server process or namespace is left.
dist_stop_all() {
	[ -f "$DT/servers" ] || return 0
	ds_rc=0
	while read -r name kind pid log; do
		# every process of this server, distccd and its preforked children
		if [ "$kind" = netns ]; then
			procs=$(ip netns pids "$name" 2> /dev/null)
		elif [ "$_dist_wrap" = setsid ]; then
			procs=$(pgrep -s "$pid")
		else
			procs=$(pgrep -P "$pid") # the init, distccd, its children
			procs="$procs $(pgrep -P "$procs") $(pgrep -P "$(pgrep -P "$procs")")"
		fi
		_dist_stop "$pid" || ds_rc=1
		[ "$kind" = netns ] && { _dist_kill_netns "$name" || ds_rc=1; }
		# gone; in a PID namespace not even a zombie (the kernel reaped
		# them before unshare could exit); else init reaps the zombies
		for p in $procs; do
			if [ "$_dist_wrap" = setsid ]; then ! _dist_alive "$p"; else [ ! -e "/proc/$p" ]; fi || {
				echo "server process $p left: $(cat "/proc/$p/stat" 2> /dev/null)" >&2
				ds_rc=1
			}
		done
	done < "$DT/servers"
	rm -f "$DT/servers"
	if ip netns list 2> /dev/null | grep -q "^uspawn-distcc-$$-"; then
		echo "namespaces left: $(ip netns list | grep "^uspawn-distcc-$$-")" >&2
		ds_rc=1
	fi
	return $ds_rc
}

# dist_compiles K: the compiles server K reported done (its log's job summaries)
dist_compiles() {
	grep -c 'COMPILE_OK' "$DT/distccd$1.log" 2> /dev/null || true
}
