# timeout: 1500
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks mdctl against Debian's mdadm in the same VM run and prints ratios (make bench).
# Times come from kernel timestamps (/dev/kmsg markers, microseconds): busybox date has no %N.

BENCH_RUNS=${BENCH_RUNS:-3}
results=/tmp/bench-results
: >"$results"

# kmark: write a fresh marker line (cheap: no process); kmark_time: its kernel timestamp
# (seconds), looked up afterwards so that the dmesg pipeline is not inside a measured span.
_kseq=0
kmark() {
	_kseq=$((_kseq + 1))
	echo "mdctl-bench-mark-$_kseq" >/dev/kmsg
}
kmark_time() {
	dmesg | grep "mdctl-bench-mark-$_kseq\$" | tail -n 1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/'
}

# kfirst T PATTERN: timestamp of the first kernel line after T matching PATTERN, or "".
kfirst() {
	dmesg | awk -v t="$1" -v p="$2" '{
		ts = $0; sub(/^\[ */, "", ts); sub(/\].*/, "", ts)
		if (ts + 0 > t + 0 && index($0, p)) { print ts; exit } }'
}

# kwait T PATTERN TIMEOUT_S: wait until kfirst finds PATTERN; prints the timestamp or "".
kwait() {
	_end=$(awk -v t="$3" '{ printf "%d", $1 + t }' /proc/uptime)
	while :; do
		_ts=$(kfirst "$1" "$2")
		if [ -n "$_ts" ]; then echo "$_ts"; return 0; fi
		[ "$(awk '{ printf "%d", $1 }' /proc/uptime)" -lt "$_end" ] || break
		usleep 200000
	done
	echo ""
}

sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }

# best_of CMD...: run CMD BENCH_RUNS times, print the fastest wall time in seconds.
best_of() {
	_best=""
	_r=0
	while [ "$_r" -lt "$BENCH_RUNS" ]; do
		kmark
		"$@" >/dev/null 2>&1 || true
		_a=$(kmark_time)
		kmark
		_b=$(kmark_time)
		_t=$(sub "$_a" "$_b")
		if [ -z "$_best" ] || awk -v x="$_t" -v y="$_best" 'BEGIN { exit !(x < y) }'; then _best=$_t; fi
		_r=$((_r + 1))
	done
	echo "$_best"
}

# report WHAT MDCTL MDADM TARGET: one result row; TARGET is an awk condition on m (mdctl)
# and a (mdadm), e.g. "m <= a / 2".
report() {
	_ok=$(awk -v m="$2" -v a="$3" "BEGIN { if (m == \"\" ) { print \"no\"; exit } print (($4) ? \"yes\" : \"no\") }")
	_ratio=$(awk -v m="$2" -v a="$3" 'BEGIN { if (m > 0 && a > 0) printf "%.2f", m / a; else print "-" }')
	printf '%-44s mdctl %-10s mdadm %-10s ratio %-6s target %-12s met %s\n' \
		"$1" "${2:-never}" "${3:-never}" "$_ratio" "$4" "$_ok" | tee -a "$results"
}

stop_all() {
	for _m in /sys/block/md*/md; do
		[ -d "$_m" ] || continue
		_k=$(basename "$(dirname "$_m")")
		mdadm --stop "/dev/$_k" >/dev/null 2>&1 || echo clear >"$_m/array_state" 2>/dev/null || true
	done
}

echo "==> bench: Debian's mdadm $(mdadm --version 2>&1 | head -n 1 | sed 's/^mdadm - //')"
echo "==> bench: best of $BENCH_RUNS runs; times in seconds, from kernel timestamps"

# ---------------------------------------------------------------- examine and assemble --scan
narr=16
make_loops $((narr * 3)) 8
conf=/tmp/bench.conf
echo "DEVICE /dev/loop*" >"$conf"
i=0
set -- $devs
while [ "$i" -lt "$narr" ]; do
	mdadm --create "/dev/md$((100 + i))" --run --quiet --assume-clean --level=5 --raid-devices=3 \
		--metadata=1.2 --name="b$i" "$1" "$2" "$3" >/dev/null 2>&1 ||
		fail "mdadm --create md$((100 + i)) failed"
	shift 3
	i=$((i + 1))
done
mdadm --detail --scan >>"$conf"
stop_all
[ -z "$(ls /sys/block | grep '^md')" ] || true

ex_mdadm=$(best_of mdadm --examine $devs)
ex_mdctl=$(best_of mdctl --examine $devs)
report "--examine of $((narr * 3)) members" "$ex_mdctl" "$ex_mdadm" "m <= a"

as_run() {
	"$@"
	_ok=$(grep -c '^md1[0-9][0-9] : active' /proc/mdstat)
	[ "$_ok" = "$narr" ] || echo "bench: only $_ok of $narr arrays started by $1" >&2
	stop_all
}
as_mdadm=$(best_of as_run mdadm --assemble --scan --config="$conf")
as_mdctl=$(best_of as_run mdctl --assemble --scan --config="$conf")
report "--assemble --scan of $narr 3-disk RAID5" "$as_mdctl" "$as_mdadm" "m <= a / 2"
md_cleanup

# ---------------------------------------------------------------- monitor
# md0: RAID5 without a spare; md1: RAID1 with one spare; one spare-group.
mon_setup() {
	make_loops 6 32
	mdadm --create /dev/md0 --run --quiet --assume-clean --level=5 --raid-devices=3 "$dev0" "$dev1" "$dev2" >/dev/null 2>&1 ||
		fail "create md0"
	mdadm --create /dev/md1 --run --quiet --assume-clean --level=1 --raid-devices=2 "$dev3" "$dev4" >/dev/null 2>&1 ||
		fail "create md1"
	mdadm /dev/md1 --add "$dev5" >/dev/null 2>&1 || fail "add spare to md1"
	throttle md0 1000
	{
		echo "DEVICE /dev/loop*"
		echo "MAILADDR root@localhost"
		mdadm --detail --brief /dev/md0 | sed 's/$/ spare-group=bench/'
		mdadm --detail --brief /dev/md1 | sed 's/$/ spare-group=bench/'
	} >/tmp/mon.conf
}

# mon_run TOOL TRIGGER: start TOOL's monitor, fire TRIGGER, time until md0 starts recovery.
mon_run() {
	echo "==> bench: monitor ($1, $2) run" >&2
	mon_setup
	case "$1" in
	mdctl) mdctl --monitor --scan --config=/tmp/mon.conf --delay=60 >/tmp/mon.log 2>&1 & ;;
	mdadm) mdadm --monitor --scan --config=/tmp/mon.conf --delay=60 >/tmp/mon.log 2>&1 & ;;
	esac
	_mp=$!
	sleep 2
	_k0=$(basename "$(readlink -f "$dev0")")
	kmark
	case "$2" in
	want) echo want_replacement >"/sys/block/md0/md/dev-$_k0/state" ;;
	fail) echo faulty >"/sys/block/md0/md/dev-$_k0/state" ;;
	esac
	_t0=$(kmark_time)
	_t1=$(kwait "$_t0" "md: recovery of RAID array md0" 10)
	kill "$_mp" 2>/dev/null
	wait "$_mp" 2>/dev/null
	md_cleanup
	[ -n "$_t1" ] && sub "$_t0" "$_t1"
	return 0
}

best_mon() {
	_best=""
	_r=0
	while [ "$_r" -lt "$BENCH_RUNS" ]; do
		_t=$(mon_run "$1" "$2")
		if [ -n "$_t" ] && { [ -z "$_best" ] || awk -v x="$_t" -v y="$_best" 'BEGIN { exit !(x < y) }'; }; then _best=$_t; fi
		_r=$((_r + 1))
	done
	echo "$_best"
}

w_mdctl=$(best_mon mdctl want)
w_mdadm=$(best_mon mdadm want)
report "monitor: marked member gets a sibling spare" "$w_mdctl" "$w_mdadm" "m != \"\" && m <= 0.05"
f_mdctl=$(best_mon mdctl fail)
f_mdadm=$(best_mon mdadm fail)
report "monitor: failed member gets a sibling spare" "$f_mdctl" "$f_mdadm" "a == \"\" || m <= a / 2"

# idle cost: CPU ticks over 10 s and resident memory, same arrays watched
idle_run() {
	echo "==> bench: monitor idle ($1)" >&2
	mon_setup
	case "$1" in
	mdctl) mdctl --monitor --scan --config=/tmp/mon.conf --delay=60 >/dev/null 2>&1 & ;;
	mdadm) mdadm --monitor --scan --config=/tmp/mon.conf --delay=60 >/dev/null 2>&1 & ;;
	esac
	_mp=$!
	sleep 2
	_c0=$(awk '{ print $14 + $15 }' "/proc/$_mp/stat")
	sleep 10
	_c1=$(awk '{ print $14 + $15 }' "/proc/$_mp/stat")
	_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$_mp/status")
	kill "$_mp" 2>/dev/null
	wait "$_mp" 2>/dev/null
	md_cleanup
	echo "$((_c1 - _c0)) $_rss"
}
set -- $(idle_run mdctl)
i_cpu_mdctl=$1 i_rss_mdctl=$2
set -- $(idle_run mdadm)
i_cpu_mdadm=$1 i_rss_mdadm=$2
report "monitor idle: CPU ticks in 10 s" "$i_cpu_mdctl" "$i_cpu_mdadm" "m == 0"
report "monitor idle: RSS KiB" "$i_rss_mdctl" "$i_rss_mdadm" "m <= a"

echo "==> bench: summary"
cat "$results"
if grep -q ' met no$' "$results"; then
	echo "==> bench: some targets not met"
else
	echo "==> bench: all targets met"
fi
