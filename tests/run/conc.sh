#!/bin/sh
# conc.sh DIR SECONDS: count this job as running for SECONDS; DIR/max keeps the peak.
d=$1
flock "$d/lock" sh -c 'n=$(($(cat "$1/cur") + 1)); echo $n > "$1/cur"
	[ $n -gt $(cat "$1/max") ] && echo $n > "$1/max"; exit 0' _ "$d"
sleep "$2"
flock "$d/lock" sh -c 'echo $(($(cat "$1/cur") - 1)) > "$1/cur"' _ "$d"
