# conc.sh DIR: one job of the concurrency tests. DIR/max ends up holding
# the largest number of these that ever ran at once (flock keeps count).
d=$1
(
	flock 9
	n=$(($(cat "$d/now" 2>/dev/null || echo 0) + 1))
	echo $n > "$d/now"
	m=$(cat "$d/max" 2>/dev/null || echo 0)
	[ $n -gt $m ] && echo $n > "$d/max"
) 9> "$d/lock"
sleep 0.3
(
	flock 9
	echo $(($(cat "$d/now") - 1)) > "$d/now"
) 9> "$d/lock"
