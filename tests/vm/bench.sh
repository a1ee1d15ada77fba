# timeout: 5400
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks mdctl against Debian's mdadm in the same VM run (make bench): the targets of
# the project brief as ratios, then scale runs.  Each figure is the median of BENCH_RUNS
# trials (default 5) with min and max.  Times come from kernel timestamps (/dev/kmsg
# markers, microseconds): busybox date has no %N.  Every result is also printed as an
# "@@BENCH" line, from which tests/vm/bench-report writes docs/BENCHMARKS.md on the host.
#
# environment (handed to the guest by tests/vm/run in /etc/vm-bench-env): BENCH_RUNS,
# BENCH_SIZES (arrays for --assemble --scan, default "16 64 128"), BENCH_SCALE_RUNS (trials at
# sizes above 64, default 3), BENCH_MON_ARRAYS (64), BENCH_PARTS (the parts to run, default
# all: "scan detail latency idle event"), BENCH_VERBOSE (1: mdctl's monitor runs with -v and
# MDCTL_TRACE_KMSG, and after each latency trial its log and the kernel's, md's messages and
# mdctl's steps on one clock, are printed: where a spare move's time goes).

[ ! -f /etc/vm-bench-env ] || . /etc/vm-bench-env
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_SIZES=${BENCH_SIZES:-16 64 128}
BENCH_MON_ARRAYS=${BENCH_MON_ARRAYS:-64}
BENCH_SCALE_RUNS=${BENCH_SCALE_RUNS:-3}
BENCH_PARTS=${BENCH_PARTS:-scan detail latency idle event}
BENCH_VERBOSE=${BENCH_VERBOSE:-0}
# mdctl's monitor logs its steps to the kernel's log (MDCTL_TRACE_KMSG: one write each, its
# cost counted in mdctl's time), from which the bench splits a spare move's time between
# the kernel and mdctl; the kernel must not rate-limit those lines
echo on >/proc/sys/kernel/printk_devkmsg
part() { case " $BENCH_PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
results=/tmp/bench-results
: >"$results"
missed=0

# ---------------------------------------------------------------- timing

# kmark: write a fresh marker line (cheap: no process); kmark_time [SEQ]: the kernel
# timestamp (seconds) of marker SEQ (default the last), looked up afterwards so that the
# dmesg pipeline is not inside a measured span.
_kseq=0
kmark() {
	_kseq=$((_kseq + 1))
	echo "mdctl-bench-mark-$_kseq" >/dev/kmsg
}
kmark_time() {
	dmesg | grep "mdctl-bench-mark-${1:-$_kseq}\$" | tail -n 1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/'
}

# kfirst T PATTERN: timestamp of the first kernel line after T matching PATTERN, or "".
kfirst() {
	dmesg | awk -v t="$1" -v p="$2" '{
		ts = $0; sub(/^\[ */, "", ts); sub(/\].*/, "", ts)
		if (ts + 0 > t + 0 && index($0, p)) { print ts; exit } }'
}

# kwait T PATTERN TIMEOUT_S: wait until kfirst finds PATTERN; prints the timestamp or "".
# The kernel's timestamp is the measure, so the wait looks only every half second: a
# tighter loop (a dmesg and two awk per look) would take the guest's CPU from the tool
# being measured (a process start costs a TCG guest tens of milliseconds of CPU).
kwait() {
	usleep 500000
	_end=$(awk -v t="$3" '{ printf "%d", $1 + t }' /proc/uptime)
	while :; do
		_ts=$(kfirst "$1" "$2")
		if [ -n "$_ts" ]; then echo "$_ts"; return 0; fi
		[ "$(awk '{ printf "%d", $1 }' /proc/uptime)" -lt "$_end" ] || break
		usleep 500000
	done
	echo ""
}

sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }

# stats T...: "median min max n" of the non-empty times given, or "" when there are none.
stats() {
	for _t in "$@"; do [ -z "$_t" ] || echo "$_t"; done | sort -n | awk '{ v[NR] = $1 }
		END { if (NR == 0) exit
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%g %g %g %d\n", m, v[1], v[NR], NR }'
}

# timed CMD...: run CMD once (output discarded), print its wall time in seconds.  The
# kernel's log is emptied first: the markers are then found at once however long the run.
timed() {
	dmesg -c >/dev/null
	kmark
	"$@" >/dev/null 2>&1 || true
	kmark
	_b=$(kmark_time)
	_a=$(kmark_time $((_kseq - 1)))
	sub "$_a" "$_b"
}

# trials CMD...: $runs wall times of CMD (BENCH_RUNS, fewer for the sizes past the
# targets' - see the size loop), space-separated.
runs=$BENCH_RUNS
trials() {
	_r=0 _all=""
	while [ "$_r" -lt "$runs" ]; do
		_all="$_all $(timed "$@")"
		_r=$((_r + 1))
	done
	echo "$_all"
}

# cputime CMD...: "real user sys" seconds of one run of CMD (busybox time -p, 10 ms
# resolution): user is the tool's own work, sys the kernel's work for it, the rest waiting.
cputime() {
	busybox time -p "$@" 2>&1 >/dev/null | awk '$1 == "real" { r = $2 } $1 == "user" { u = $2 } $1 == "sys" { s = $2 }
		END { printf "%s %s %s\n", r, u, s }'
}

# ---------------------------------------------------------------- reporting

# report WHAT "MDCTL-TIMES" "MDADM-TIMES" TARGET [UNIT]: one result row from the trials of
# each tool.  TARGET is an awk condition on m and a (the medians; "" when a tool never got
# there), or "-" for a row that only informs.  The row is printed for people and as an
# @@BENCH line (|-separated) for tests/vm/bench-report.
report() {
	set -- "$1" "$(stats $2)" "$(stats $3)" "$4" "${5:-s}"
	_m=${2%% *} _a=${3%% *}
	_ratio=$(awk -v m="$_m" -v a="$_a" 'BEGIN { if (m > 0 && a > 0) printf "%.2f", m / a; else print "-" }')
	if [ "$4" = - ]; then
		_ok=info
	else
		_ok=$(awk -v m="$_m" -v a="$_a" "BEGIN { print (($4) ? \"yes\" : \"no\") }")
		[ "$_ok" = yes ] || missed=$((missed + 1))
	fi
	_fmt() {
		[ -n "$1" ] || { echo never; return; }
		set -- $1
		echo "$1 ($2-$3, n=$4)"
	}
	_mt=$(_fmt "$2") _at=$(_fmt "$3")
	printf '%-44s mdctl %-28s mdadm %-28s ratio %-5s target %-14s met %s\n' \
		"$1" "$_mt" "$_at" "$_ratio" "$4" "$_ok" | tee -a "$results"
	echo "@@BENCH row|$1|$5|$_mt|$_at|$_ratio|$4|$_ok"
}

# note TEXT: a line of findings, kept with the results.
note() {
	echo "    $*" | tee -a "$results"
	echo "@@BENCH note|$*"
}

# make_arrays N DISKS LEVEL: N arrays /dev/md100.. of DISKS members each, made by mdadm
# from $devs (--assume-clean: no resync), in a config file listing them (/tmp/bench.conf).
make_arrays() {
	set -- "$1" "$2" "$3" $devs
	_n=$1 _d=$2 _l=$3
	shift 3
	echo "DEVICE /dev/loop*" >/tmp/bench.conf
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		_mem=""
		_j=0
		while [ "$_j" -lt "$_d" ]; do _mem="$_mem $1"; shift; _j=$((_j + 1)); done
		mdadm --create "/dev/md$((100 + _i))" --run --quiet --assume-clean --level="$_l" --raid-devices="$_d" \
			--metadata=1.2 --name="b$_i" $_mem >/dev/null 2>&1 || fail "mdadm --create md$((100 + _i)) failed"
		_i=$((_i + 1))
	done
	mdadm --detail --scan >>/tmp/bench.conf
}

running_arrays() { grep -c '^md[0-9]* : active' /proc/mdstat; }

echo "==> bench: Debian's mdadm $(mdadm --version 2>&1 | head -n 1 | sed 's/^mdadm - //'), kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) vCPUs"
echo "==> bench: $BENCH_RUNS trials per figure: median (min-max, n=trials that got there); seconds, from kernel timestamps"
echo "@@BENCH meta|mdadm|$(mdadm --version 2>&1 | head -n 1 | sed 's/^mdadm - //')"
echo "@@BENCH meta|kernel|$(uname -r)"
echo "@@BENCH meta|runs|$BENCH_RUNS"

# ---------------------------------------------------------------- assemble --scan and examine, by size
# The smallest size carries the brief's targets (--examine no slower, --assemble --scan at
# most half of mdadm's at 16 and 64 arrays); every size is shown with its time per array.
part scan || BENCH_SIZES=""
for narr in $BENCH_SIZES; do
	echo "==> bench: $narr arrays of 4 members (RAID5, 8 MiB sparse loop devices)" >&2
	# the targets are at 16 and 64 arrays; a larger size only shows the growth, and its
	# mdadm trials take minutes each: BENCH_SCALE_RUNS (3) trials there
	runs=$BENCH_RUNS
	[ "$narr" -le 64 ] || runs=$((BENCH_SCALE_RUNS < BENCH_RUNS ? BENCH_SCALE_RUNS : BENCH_RUNS))
	make_loops $((narr * 4)) 8
	make_arrays "$narr" 4 5
	md_stop_all
	[ "$(running_arrays)" = 0 ] || fail "arrays still running after md_stop_all"

	ex_a=$(trials mdadm --examine $devs)
	ex_m=$(trials mdctl --examine $devs)
	report "--examine of $((narr * 4)) members" "$ex_m" "$ex_a" "m <= a"

	# only the assembly is timed: the arrays are stopped between trials, outside the span
	as_trials() {
		_r=0 _all=""
		while [ "$_r" -lt "$runs" ]; do
			_all="$_all $(timed "$@")"
			_ok=$(running_arrays)
			[ "$_ok" = "$narr" ] || echo "bench: only $_ok of $narr arrays started by $1" >&2
			md_stop_all
			_r=$((_r + 1))
		done
		echo "$_all"
	}
	as_a=$(as_trials mdadm --assemble --scan --config=/tmp/bench.conf)
	as_m=$(as_trials mdctl --assemble --scan --config=/tmp/bench.conf)
	case $narr in 16|64) tgt="m <= a / 2" ;; *) tgt=- ;; esac
	report "--assemble --scan of $narr arrays" "$as_m" "$as_a" "$tgt"
	set -- $(stats $as_m) ""
	pm=$(awk -v t="$1" -v n="$narr" 'BEGIN { if (t != "") printf "%.1f", t * 1000 / n }')
	set -- $(stats $as_a) ""
	pa=$(awk -v t="$1" -v n="$narr" 'BEGIN { if (t != "") printf "%.1f", t * 1000 / n }')
	note "growth: --assemble --scan costs ${pm:-?} ms per array for mdctl, ${pa:-?} ms for mdadm, at $narr arrays"
	# where the time goes: the tools' own CPU time against the kernel's and the waiting
	set -- $(cputime mdctl --assemble --scan --config=/tmp/bench.conf) "" "" ""
	md_stop_all
	cm="real $1 s, mdctl's own CPU (user) $2 s, kernel work for it (sys) $3 s"
	set -- $(cputime mdadm --assemble --scan --config=/tmp/bench.conf) "" "" ""
	md_stop_all
	note "time split at $narr arrays: $cm; mdadm: real $1 s, user $2 s, sys $3 s"
	md_cleanup
done
runs=$BENCH_RUNS

# ---------------------------------------------------------------- --detail of a 32-member RAID6
if part detail; then
echo "==> bench: --detail of a 32-member RAID6" >&2
make_loops 32 8
mdadm --create /dev/md0 --run --quiet --assume-clean --level=6 --raid-devices=32 $devs >/dev/null 2>&1 ||
	fail "mdadm --create of the 32-member RAID6 failed"
de_a=$(trials mdadm --detail /dev/md0)
de_m=$(trials mdctl --detail /dev/md0)
report "--detail of a 32-member RAID6" "$de_m" "$de_a" "-"
md_cleanup
fi

# ---------------------------------------------------------------- monitor: latency of a spare move
# MON_N arrays of 4 members without a spare (RAID5), and one more, the last, a RAID1 with
# one spare; all in one spare-group.  md100's first member is marked or failed; the time
# is from that write to the kernel's "recovery of RAID array md100" ("recover of" on 6.12).
mon_setup() {
	_n=$1
	make_loops $((_n * 4 + 3)) 8
	make_arrays "$_n" 4 5
	set -- $devs
	shift $((_n * 4))
	mdadm --create /dev/md99 --run --quiet --assume-clean --level=1 --raid-devices=2 --metadata=1.2 \
		--name=bspare "$1" "$2" >/dev/null 2>&1 || fail "create md99"
	mdadm /dev/md99 --add "$3" >/dev/null 2>&1 || fail "add the spare to md99"
	throttle md100 1000
	{
		echo "DEVICE /dev/loop*"
		echo "MAILADDR root@localhost"
		mdadm --detail --brief /dev/md* 2>/dev/null | sed 's/$/ spare-group=bench/'
	} >/tmp/mon.conf
	set -- $devs
	mon_victim=${1##*/}
}

mon_start() {
	case "$1" in
	mdctl)
		_v=""
		[ "$BENCH_VERBOSE" = 0 ] || _v=-v
		MDCTL_TRACE_KMSG=1 mdctl --monitor --scan $_v --config=/tmp/mon.conf --delay=60 \
			>/tmp/mon.log 2>&1 &
		;;
	mdadm) mdadm --monitor --scan --config=/tmp/mon.conf --delay=60 >/tmp/mon.log 2>&1 & ;;
	esac
	mon_pid=$!
	sleep 2
}

mon_stop() {
	kill "$mon_pid" 2>/dev/null
	wait "$mon_pid" 2>/dev/null
	md_cleanup
}

# phases T0 T1: where mdctl's spare move between the write (T0) and the recovery's start
# (T1) spent its time, from its MDCTL_TRACE_KMSG lines: "NOTIFY DECIDE REMOVE ADD START"
# in ms (the kernel's notification reaching the monitor; mdctl reading, planning and
# preparing; the kernel removing the spare from its array; mdctl writing the superblock
# and ADD_NEW_DISK; the kernel starting the recovery), or nothing when a step is missing.
phases() {
	dmesg | awk -v t0="$1" -v t1="$2" '{ ts = $0; sub(/^\[ */, "", ts); sub(/\].*/, "", ts); ts += 0
		if (ts < t0 + 0 || ts > t1 + 0) next
		if (!w && index($0, "]: woke: ")) w = ts
		if (!p && index($0, "removing it there")) p = ts
		if (!r && p && index($0, " removed from ")) r = ts
		if (!a && r && index($0, ": ADD_NEW_DISK of ")) a = ts }
		END { if (w && p && r && a)
			printf "%.1f %.1f %.1f %.1f %.1f\n", (w - t0) * 1000, (p - w) * 1000, (r - p) * 1000,
				(a - r) * 1000, (t1 - a) * 1000 }'
}

# phase_note TRIGGER: the medians of the phases of mdctl's trials with TRIGGER, as a note.
phase_note() {
	[ -s "/tmp/phases-$1" ] || return 0
	set -- "$1" $(for _c in 1 2 3 4 5; do
		awk -v c="$_c" '{ print $c }' "/tmp/phases-$1" | sort -n | awk '{ v[NR] = $1 }
			END { printf "%s ", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
	done)
	note "where mdctl's $1 time goes (medians of its trials, ms; kernel timestamps of mdctl's own trace lines): kernel's notification $2, mdctl reading, planning and preparing $3, kernel removing the spare from its array $4, mdctl writing the superblock and ADD_NEW_DISK $5, kernel starting the recovery $6"
}

# mon_run TOOL TRIGGER ARRAYS: one trial; prints the latency or "".
mon_run() {
	mon_setup "$3"
	mon_start "$1"
	dmesg -c >/dev/null
	kmark
	case "$2" in
	want) echo want_replacement >"/sys/block/md100/md/dev-$mon_victim/state" ;;
	fail) echo faulty >"/sys/block/md100/md/dev-$mon_victim/state" ;;
	esac
	# nothing of the bench's own runs while the monitor acts (see kwait)
	usleep 1000000
	_t0=$(kmark_time)
	# "recovery of RAID array" on 6.1, "recover of ..." on 6.12
	_t1=$(kwait "$_t0" "of RAID array md100" 10)
	mon_stop
	[ "$1" != mdctl ] || [ -z "$_t1" ] || phases "$_t0" "$_t1" >>"/tmp/phases-$2"
	if [ "$BENCH_VERBOSE" != 0 ]; then
		echo "==> bench: $1 $2: $([ -z "$_t1" ] || sub "$_t0" "$_t1") s; its log:" >&2
		sed 's/^/    /' /tmp/mon.log >&2
		# the kernel's log from the write to 20 ms after the recovery began, in ms from the write
		dmesg | awk -v t="$_t0" -v e="${_t1:-$_t0}" '{ ts = $0; sub(/^\[ */, "", ts); sub(/\].*/, "", ts)
			if (ts + 0 >= t + 0 && ts + 0 <= e + 0.02) printf "    %6.1f ms %s\n", (ts - t) * 1000, $0 }' >&2
	fi
	[ -z "$_t1" ] || sub "$_t0" "$_t1"
}

mon_trials() {
	_r=0 _all=""
	while [ "$_r" -lt "$BENCH_RUNS" ]; do
		echo "==> bench: monitor ($1, $2, $3 arrays) trial $((_r + 1))" >&2
		_all="$_all $(mon_run "$@")"
		_r=$((_r + 1))
	done
	echo "$_all"
}

if part latency; then
rm -f /tmp/phases-want /tmp/phases-fail
w_m=$(mon_trials mdctl want 1)
w_a=$(mon_trials mdadm want 1)
report "monitor: marked member gets a sibling spare" "$w_m" "$w_a" "m != \"\" && m <= 0.05"
phase_note want
f_m=$(mon_trials mdctl fail 1)
f_a=$(mon_trials mdadm fail 1)
report "monitor: failed member gets a sibling spare" "$f_m" "$f_a" "m != \"\" && (a == \"\" || m <= a / 2)"
phase_note fail
fi

# ---------------------------------------------------------------- monitor: idle cost
# pstat PID: "cpu_ticks rss_kib wakeups fds" (wake-ups: voluntary + involuntary context switches).
# RSS from smaps_rollup, which walks the page tables: VmRSS in status comes from per-thread
# counters that 6.1 folds into the process's only every 64 page faults, and read 100 to 350
# KiB low for an idle mdadm --monitor here (mdctl's malloc_trim syncs its own).
pstat() {
	_c=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
	_s=$(awk '/^Rss:/ { print $2 }' "/proc/$1/smaps_rollup")
	_s="$_s $(awk '/ctxt_switches:/ { w += $2 } END { print w }' "/proc/$1/status")"
	_f=$(ls "/proc/$1/fd" | wc -l)
	echo "$_c $_s $_f"
}

# idle_run TOOL ARRAYS: "ticks rss wakeups fds" over 10 s of watching, after 2 s of start-up
idle_run() {
	echo "==> bench: monitor idle ($1, $2 arrays)" >&2
	mon_setup "$2" >&2
	_tool=$1
	mon_start "$_tool"
	set -- $(pstat "$mon_pid")
	sleep 10
	set -- "$@" $(pstat "$mon_pid")
	# RSS again over two more starts on the same arrays: where the loader puts the libraries
	# (ASLR) decides which neighbouring pages a fault maps with it, 50 to 150 KiB either way
	_rss=$6
	for _i in 2 3; do
		kill "$mon_pid" 2>/dev/null
		wait "$mon_pid" 2>/dev/null
		mon_start "$_tool"
		_rss="$_rss,$(awk '/^Rss:/ { print $2 }' "/proc/$mon_pid/smaps_rollup")"
	done
	mon_stop
	echo "$(($5 - $1)) $_rss $(($7 - $3)) $8"
}

if part idle; then
for n in 1 "$BENCH_MON_ARRAYS"; do
	set -- $(idle_run mdctl "$n")
	im_cpu=$1 im_rss=$(echo "$2" | tr , ' ') im_wake=$3 im_fds=$4
	set -- $(idle_run mdadm "$n")
	ia_cpu=$1 ia_rss=$(echo "$2" | tr , ' ') ia_wake=$3 ia_fds=$4
	arr="$((n + 1)) arrays"
	if [ "$n" = 1 ]; then
		report "monitor idle ($arr): CPU ticks in 10 s" "$im_cpu" "$ia_cpu" "m == 0" ticks
		report "monitor idle ($arr): RSS" "$im_rss" "$ia_rss" "m <= a" KiB
	else
		report "monitor idle ($arr): CPU ticks in 10 s" "$im_cpu" "$ia_cpu" "-" ticks
		report "monitor idle ($arr): RSS" "$im_rss" "$ia_rss" "-" KiB
	fi
	report "monitor idle ($arr): wake-ups in 10 s" "$im_wake" "$ia_wake" "-" wake-ups
	report "monitor idle ($arr): open fds" "$im_fds" "$ia_fds" "-" fds
done
fi

# ---------------------------------------------------------------- monitor at scale: one event
# BENCH_MON_ARRAYS x 4 members: latency of a failed member's spare move, and what the
# monitor spends on that one event (CPU ticks and wake-ups from the write to 1 s after).
event_run() {
	echo "==> bench: monitor event ($1, $BENCH_MON_ARRAYS arrays)" >&2
	mon_setup "$BENCH_MON_ARRAYS" >&2
	mon_start "$1"
	set -- $(pstat "$mon_pid")
	dmesg -c >/dev/null
	kmark
	echo faulty >"/sys/block/md100/md/dev-$mon_victim/state"
	usleep 1000000
	_t0=$(kmark_time)
	_t1=$(kwait "$_t0" "of RAID array md100" 10)
	sleep 1
	set -- "$@" $(pstat "$mon_pid")
	mon_stop
	echo "$([ -z "$_t1" ] || sub "$_t0" "$_t1") $(($5 - $1)) $(($7 - $3))"
}
if part event; then
set -- $(event_run mdctl)
em_t=$1 em_cpu=$2 em_wake=$3
set -- $(event_run mdadm)
ea_t=$1 ea_cpu=$2 ea_wake=$3
case $em_t in *.*) ;; *) em_wake=$em_cpu em_cpu=$em_t em_t="" ;; esac
case $ea_t in *.*) ;; *) ea_wake=$ea_cpu ea_cpu=$ea_t ea_t="" ;; esac
report "monitor, $((BENCH_MON_ARRAYS + 1)) arrays: failed member -> spare" "$em_t" "$ea_t" "-"
report "monitor, $((BENCH_MON_ARRAYS + 1)) arrays: CPU ticks for the event" "$em_cpu" "$ea_cpu" "-" ticks
report "monitor, $((BENCH_MON_ARRAYS + 1)) arrays: wake-ups for the event" "$em_wake" "$ea_wake" "-" wake-ups
fi

echo "==> bench: summary"
cat "$results"
if [ "$missed" -gt 0 ]; then
	echo "==> bench: $missed target(s) not met"
	echo "@@BENCH meta|missed|$missed"
else
	echo "==> bench: all targets met"
	echo "@@BENCH meta|missed|0"
fi
