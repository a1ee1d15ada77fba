# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario helpers for the VM tests: loop devices, data patterns, sync waits, dm-flakey faults, asserts.
# Sourced by busybox sh (ash) inside the guest; scenarios run with `set -e`.
# Every helper that checks something calls fail (exit 1) with what was expected and found.

# fail MSG: the scenario fails with MSG.
fail() {
	if [ -n "${_in_assert_fails:-}" ]; then
		echo "  (failed as expected) $*" >&2
	else
		echo "FAIL: ${SCENARIO:-scenario}: $*" >&2
	fi
	exit 1
}

# skip MSG: the scenario is skipped (exit 3, recognised only through this function).
skip() {
	echo "SKIP: ${SCENARIO:-scenario}: $*" >&2
	: >/tmp/.vm-skip
	exit 3
}

# Under TCG every process start costs the guest about a tenth of a second of CPU, so
# the helpers below that run often (state and sync waits, member lookups) use shell
# builtins only: they set variables instead of printing into $(...), read sysfs with
# read, and nap with read -t rather than usleep.

# _nap SECONDS: sleep (fractions allowed) without starting a process: read -t on a FIFO
# nobody writes to (opened read-write, so the open does not block).
_nap() {
	[ -p /tmp/.nap ] || mkfifo /tmp/.nap 2>/dev/null || [ -p /tmp/.nap ] || { command sleep "$1"; return 0; }
	read -r -t "$1" _ 0<>/tmp/.nap || true
	return 0
}

# usleep MICROSECONDS: busybox's usleep, without starting a process (see _nap).
usleep() {
	_us=$((1000000 + $1 % 1000000))
	_nap "$(($1 / 1000000)).${_us#1}"
}

# _now: sets _up to the whole seconds since boot (/proc/uptime, no process).
_now() {
	read -r _up _ </proc/uptime
	_up=${_up%.*}
}

# _kname_try DEV: sets _kn to the kernel name (loop0, dm-2, md127) of the block device at
# path DEV (or DEV itself when it is a kernel name); 1, quietly, when DEV is no block device.
# /dev/NAME with NAME a kernel block device is a devtmpfs node, taken as it is named;
# anything else (/dev/md/NAME, /dev/mapper/NAME, a symlink) is resolved by its number.
_kname_try() {
	case "$1" in
	/dev/*/*) ;;
	/dev/*)
		_kn=${1#/dev/}
		[ -e "/sys/class/block/$_kn" ] && [ -b "$1" ] && [ ! -L "$1" ] && return 0
		;;
	*/*) ;;
	*) if [ -e "/sys/class/block/$1" ]; then _kn=$1; return 0; fi ;;
	esac
	[ -b "$1" ] || return 1
	set -- $(stat -L -c '%t %T' "$1")
	_kn=$(readlink "/sys/dev/block/$((0x$1)):$((0x$2))") || return 1
	_kn=${_kn##*/}
	[ -n "$_kn" ]
}

# _kname DEV: print the kernel name of the block device at path DEV (see _kname_try).
_kname() {
	_kname_try "$1" || fail "$1: not a block device"
	echo "$_kn"
}

# _md_set MD: sets _mdk to the kernel name of array MD (md0, /dev/md0 or /dev/md/NAME),
# which must exist.
_md_set() {
	_kname_try "$1" || fail "$1: not a block device"
	_mdk=$_kn
	[ -d "/sys/block/$_mdk/md" ] || fail "$1: not an md array"
}

# _md MD: print the kernel name of array MD (see _md_set).
_md() {
	_md_set "$1"
	echo "$_mdk"
}

# _sysrd FILE: sets _v to the first line of FILE, or to none when it does not exist.
_sysrd() {
	_v=none
	[ -e "$1" ] || return 0
	read -r _v <"$1" || true
}

# md_has_level NAME: the running kernel has md's NAME personality loaded (Debian's
# 6.12 has no linear: md's linear.ko was removed in 6.8 and came back only in 6.14).
md_has_level() {
	grep -q "^Personalities :.*\[$1\]" /proc/mdstat
}

# make_loops N SIZE_MB: N fresh loop devices backed by files on tmpfs; sets dev0.. and devs.
make_loops() {
	[ $# -eq 2 ] || fail "usage: make_loops N SIZE_MB"
	mkdir -p /tmp/loops
	devs=""
	_i=0
	while [ "$_i" -lt "$1" ]; do
		_f=$(mktemp /tmp/loops/img.XXXXXX)
		truncate -s "${2}M" "$_f"
		_l=$(losetup --find --show "$_f") || fail "make_loops: no free loop device for $_f"
		eval "dev$_i=$_l"
		devs="${devs:+$devs }$_l"
		_i=$((_i + 1))
	done
	return 0
}

# The checksum for data and device contents: the test VM's /sbin/devsum
# (tests/vm/devsum.c: a 128-bit sum, about 40 times cheaper than sha256sum under
# TCG), else sha256sum (the demo, which shows the sum).  Both print "SUM  NAME".
if command -v devsum >/dev/null 2>&1; then _sumprog=devsum; else _sumprog=sha256sum; fi

# data_write MD [MB [BS]]: write MB (default 8) MiB of random data to MD in direct
# writes of BS bytes (default 64K: below a stripe, so parity is read, modified and
# written, at a sixteenth of the 4 KiB writes' cost under TCG; 4096 where each
# failed block matters, 1M writes whole stripes), remembering its checksum for data_verify.
data_write() {
	_md_set "$1"
	_k=$_mdk
	_mb=${2:-8}
	dd if=/dev/urandom of=/tmp/.pattern bs=1M count="$_mb" status=none
	_sum=$($_sumprog </tmp/.pattern)
	_sum=${_sum%% *}
	dd if=/tmp/.pattern of="/dev/$_k" bs="${3:-64K}" oflag=direct status=none ||
		{ rm -f /tmp/.pattern; fail "data_write $1: writing ${_mb} MiB failed"; }
	rm -f /tmp/.pattern
	echo "$_mb $_sum" >"/tmp/.data-$_k"
	return 0
}

# data_verify MD: read back (direct, 1 MiB at a time) what data_write wrote and compare checksums.
data_verify() {
	_md_set "$1"
	_k=$_mdk
	[ -f "/tmp/.data-$_k" ] || fail "data_verify $1: no data_write before"
	read -r _mb _sum <"/tmp/.data-$_k"
	_got=$(dd if="/dev/$_k" bs=1M count="$_mb" iflag=direct status=none | $_sumprog)
	_got=${_got%% *}
	[ "$_got" = "$_sum" ] || fail "data_verify $1: $_sumprog of the first ${_mb} MiB: expected $_sum, found $_got"
	return 0
}

# _mdstat_of K: the /proc/mdstat lines of array K.
_mdstat_of() {
	awk -v k="$1" '$1 == k && $2 == ":" { on = 1; print; next } on && /^[^ \t]/ { on = 0 } on && NF { print }' /proc/mdstat
}

# _mdstat_busy K: /proc/mdstat shows a sync running or pending for array K (builtins only).
_mdstat_busy() {
	_on=0
	while IFS= read -r _l; do
		case "$_l" in
		" "* | "	"* | "") ;;
		*)
			# a line at the margin starts an array's block (or ends the list)
			[ "$_on" = 1 ] && return 1
			case "$_l" in "$1 : "*) _on=1 ;; esac
			continue
			;;
		esac
		[ "$_on" = 1 ] || continue
		case "$_l" in
		*PENDING* | *DELAYED* | *recovery* | *resync* | *reshape* | *check*) return 0 ;;
		esac
	done </proc/mdstat
	return 1
}

# wait_sync MD [TIMEOUT_S]: until no resync/recovery/reshape runs or is pending (default 120 s).
wait_sync() {
	_md_set "$1"
	_wk=$_mdk
	_now
	_end=$((_up + ${2:-120}))
	_idle=0
	while :; do
		_sysrd "/sys/block/$_wk/md/sync_action"
		_a=$_v
		_sysrd "/sys/block/$_wk/md/sync_completed"
		_c=$_v
		if { [ "$_a" = idle ] || [ "$_a" = none ]; } && [ "$_c" = none ] && ! _mdstat_busy "$_wk"; then
			_idle=$((_idle + 1))
			[ "$_idle" -ge 2 ] && return 0
		else
			_idle=0
		fi
		_now
		[ "$_up" -lt "$_end" ] ||
			fail "wait_sync $1: still busy after ${2:-120}s (sync_action=$_a sync_completed=$_c)"
		_nap 0.2
	done
}

# md_show MD WHAT: print MD's array_state, degraded, sync_action and each member's state and slot (for the log).
md_show() {
	_md_set "$1"
	_k=$_mdk
	echo "---- $2: array_state=$(cat "/sys/block/$_k/md/array_state") degraded=$(cat "/sys/block/$_k/md/degraded" 2>/dev/null)" \
		"sync_action=$(cat "/sys/block/$_k/md/sync_action" 2>/dev/null)"
	for _d in "/sys/block/$_k/md"/dev-*; do
		[ -e "$_d" ] && echo "  ${_d##*/}: $(cat "$_d/state") slot=$(cat "$_d/slot")"
	done
	return 0
}

# wait_copied MD SECTORS: until MD's running sync has passed SECTORS (30 s at most); prints where it is.
wait_copied() {
	wait_until 300 "wait_copied $1: the copy did not pass $2 sectors: sync_completed=\$copy_at" copy_past "$1" "$2"
	echo "copy at $copy_at"
}

# throttle MD KBps: limit MD's resync/recovery to about KBps KiB/s.
throttle() {
	_md_set "$1"
	_k=$_mdk
	echo 1 >"/sys/block/$_k/md/sync_speed_min" || fail "throttle $1: cannot set sync_speed_min"
	echo "$2" >"/sys/block/$_k/md/sync_speed_max" || fail "throttle $1: cannot set sync_speed_max to $2"
	return 0
}

# unthrottle MD: back to the system-wide limits.
unthrottle() {
	_md_set "$1"
	_k=$_mdk
	echo system >"/sys/block/$_k/md/sync_speed_max" || fail "unthrottle $1: cannot reset sync_speed_max"
	echo system >"/sys/block/$_k/md/sync_speed_min" || fail "unthrottle $1: cannot reset sync_speed_min"
	return 0
}

# _flakey_table NAME MODE: the device-mapper table for MODE (heal, writes, reads).
_flakey_table() {
	read -r _fd _fs _fg <"/tmp/.flakey-$1"
	if [ "$2" = heal ]; then
		echo "0 $_fs linear $_fd 0"
		return 0
	fi
	case "$2" in
	writes) _feat="1 error_writes" ;;
	reads) _feat="" ;;
	esac
	if [ "$_fg" -gt 0 ]; then
		echo "0 $_fg linear $_fd 0"
	fi
	echo "$_fg $((_fs - _fg)) flakey $_fd $_fg 0 1000 $_feat"
}

# _flakey_load NAME MODE: switch NAME's table (suspend, load, resume).
_flakey_load() {
	[ -f "/tmp/.flakey-$1" ] || fail "$1: not wrapped by flakey_wrap"
	dmsetup suspend "$1" || fail "dmsetup suspend $1 failed"
	_flakey_table "$1" "$2" | dmsetup load "$1" || { dmsetup resume "$1"; fail "dmsetup load $1 ($2) failed"; }
	dmsetup resume --noudevsync "$1" || fail "dmsetup resume $1 failed"
	return 0
}

# flakey_wrap DEV NAME [GOOD_SECTORS]: DEV as /dev/mapper/NAME, passing all I/O for now;
# the first GOOD_SECTORS (e.g. up to data_offset) never fail later.
flakey_wrap() {
	[ -b "$1" ] || fail "flakey_wrap: $1 is not a block device"
	_fs=$(blockdev --getsz "$1")
	_fg=${3:-0}
	[ "$_fg" -lt "$_fs" ] || fail "flakey_wrap: GOOD_SECTORS $_fg not below the size of $1 ($_fs)"
	echo "$1 $_fs $_fg" >"/tmp/.flakey-$2"
	_flakey_table "$2" heal | dmsetup create --noudevsync "$2" || fail "dmsetup create $2 failed"
	dmsetup mknodes "$2" >/dev/null 2>&1 || true
	[ -b "/dev/mapper/$2" ] || fail "flakey_wrap: /dev/mapper/$2 did not appear"
	return 0
}

# flakey_fail_writes NAME: writes past GOOD_SECTORS fail with EIO, reads still work.
flakey_fail_writes() { _flakey_load "$1" writes; }

# flakey_fail_reads NAME: I/O past GOOD_SECTORS fails with EIO (kernel 6.1's dm-flakey
# cannot fail reads alone: writes there fail too).
flakey_fail_reads() { _flakey_load "$1" reads; }

# flakey_heal NAME: all I/O passes again.
flakey_heal() { _flakey_load "$1" heal; }

# dev_state MD DEV: print md/dev-<kname>/state of member DEV (a path) in MD.
dev_state() {
	_md_set "$1"
	_kname_try "$2" || fail "$2: not a block device"
	[ -e "/sys/block/$_mdk/md/dev-$_kn/state" ] || fail "dev_state: $2 ($_kn) is not a member of $1"
	_sysrd "/sys/block/$_mdk/md/dev-$_kn/state"
	echo "$_v"
}

# devsums_save DEV...: remember the checksum of each whole device.
devsums_save() {
	: >/tmp/.devsums
	for _d in "$@"; do
		_s=$($_sumprog <"$_d")
		echo "$_d ${_s%% *}" >>/tmp/.devsums
	done
	return 0
}

# devsums_check: every device saved by devsums_save is byte-identical to then.
devsums_check() {
	[ -f /tmp/.devsums ] || fail "devsums_check: no devsums_save before"
	_bad=""
	while read -r _d _s; do
		_n=$($_sumprog <"$_d")
		_n=${_n%% *}
		if [ "$_n" != "$_s" ]; then
			echo "  $_d: expected $_sumprog $_s, found $_n" >&2
			_bad="$_bad $_d"
		fi
	done </tmp/.devsums
	[ -z "$_bad" ] || fail "devsums_check: contents changed:$_bad"
	return 0
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', found '$2'"
	return 0
}

# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
	case "$1" in
	*"$2"*) return 0 ;;
	esac
	fail "$3: expected to contain '$2', found '$1'"
}

# run_out CMD...: run CMD, which may fail; out is what it printed (stdout and stderr, also
# shown), rc its exit status.
run_out() {
	rc=0
	out=$("$@" 2>&1) || rc=$?
	echo "$out"
}

# r5_two_stale MD A B C MB: MD, a raid5 of A B C that lost C, had MB MiB written without
# it, then lost B (the kernel fails it although mdadm reports EBUSY, and the array dies);
# stopped, the three devices' contents saved for devsums_check.
r5_two_stale() {
	mdadm --create "$1" --run --level=5 -n3 --assume-clean "$2" "$3" "$4" 2>&1
	data_write "$1" 2
	mdadm "$1" --fail "$4"
	data_write "$1" "$5"
	mdadm "$1" --fail "$3" || true
	mdadm --stop "$1"
	devsums_save "$2" "$3" "$4"
}

# has_state MD DEV WORD: the member's state list contains WORD (a test: never fails the scenario).
has_state() {
	_kname_try "$1" && [ -d "/sys/block/$_kn/md" ] || return 1
	_hk=$_kn
	_kname_try "$2" && [ -e "/sys/block/$_hk/md/dev-$_kn/state" ] || return 1
	_sysrd "/sys/block/$_hk/md/dev-$_kn/state"
	case ",$_v," in
	*",$3,"*) return 0 ;;
	esac
	return 1
}

# assert_state MD DEV WORD: the member's state list contains WORD.
assert_state() {
	has_state "$@" && return 0
	_st=$(dev_state "$1" "$2") || exit 1
	fail "state of $2 in $1: expected '$3' in it, found '$_st'"
}

# wait_until TRIES MSG CMD...: run CMD every 0.1 s until it succeeds; after TRIES tries
# the scenario fails with MSG, expanded again then (single-quote it to show a state then).
wait_until() {
	_wn=$1
	_wmsg=$2
	shift 2
	_wi=0
	until "$@"; do
		_wi=$((_wi + 1))
		[ "$_wi" -lt "$_wn" ] || eval "fail \"$_wmsg\""
		_nap 0.1
	done
	return 0
}

# copy_past MD SECTORS: MD's sync_completed is past SECTORS (a test); sets copy_at to it.
copy_past() {
	_md_set "$1"
	_sysrd "/sys/block/$_mdk/md/sync_completed"
	copy_at=$_v
	[ "$copy_at" != none ] && [ "${copy_at%% *}" -gt "$2" ]
}

# private_state_dir: mdctl keeps this scenario's replacement intents in a directory of its own.
private_state_dir() {
	MDCTL_STATE_DIR=$(mktemp -d /tmp/mdctl-state.XXXXXX)
	export MDCTL_STATE_DIR
}

# kn DEV: kernel name of the block device at path DEV.
kn() { _kname "$1"; }

# r5_data MB: md0, a clean raid5 of dev0 dev1 dev2 (64 KiB chunks), holding MB MiB of data_write.
r5_data() {
	mdadm --create /dev/md0 --run --assume-clean --level=5 --raid-devices=3 --chunk=64 \
		"$dev0" "$dev1" "$dev2" 2>&1
	wait_sync /dev/md0 300
	data_write /dev/md0 "$1"
}

# r5_flakey1 NAME: md0, a clean raid5 (64 KiB chunks) of dev0, dev1 behind dm-flakey NAME and
# dev2, its data from 1 MiB on: the superblock and bad-block log before it never fail (facts 7).
r5_flakey1() {
	flakey_wrap "$dev1" "$1" 2048
	mdadm --create /dev/md0 --run --assume-clean --level=5 --raid-devices=3 --chunk=64 --data-offset=1024 \
		"$dev0" "/dev/mapper/$1" "$dev2" 2>&1
}

# check_clean MD WHAT: after dropping the caches MD reads back what data_write wrote, and a
# check finds parity and data in agreement everywhere (mismatch_cnt 0).
check_clean() {
	echo 3 >/proc/sys/vm/drop_caches
	data_verify "$1"
	_md_set "$1"
	echo check >"/sys/block/$_mdk/md/sync_action"
	wait_sync "$1" 300
	_md_set "$1"
	_sysrd "/sys/block/$_mdk/md/mismatch_cnt"
	assert_eq 0 "$_v" "mismatch_cnt after check ($2)"
}

# pool_arrays: md0, raid5 of dev0 dev1 dev2, and md1, raid1 of dev3 dev4 with dev5 as its
# spare, both synced: two arrays for one spare-group.
pool_arrays() {
	mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
	mdadm --create /dev/md1 --run --level=1 -n2 -x1 "$dev3" "$dev4" "$dev5" 2>&1
	wait_sync /dev/md0
	wait_sync /dev/md1
}

# conf_array MD [WORD...]: an mdctl.conf ARRAY line for MD with its UUID, then the WORDs.
conf_array() {
	_u=$(mdadm --detail --export "$1" | sed -n 's/^MD_UUID=//p')
	[ -n "$_u" ] || fail "conf_array $1: no UUID from mdadm --detail"
	_a=$1
	shift
	echo "ARRAY $_a UUID=$_u${1:+ $*}"
}

# monitor_start ARG...: mdctl --monitor ARG... in the background, its output in
# /tmp/work/mon.out; monpid is its pid; when the scenario ends it is killed and its output shown.
monitor_start() {
	mdctl --monitor "$@" >/tmp/work/mon.out 2>&1 &
	monpid=$!
	trap 'kill $monpid 2>/dev/null; cat /tmp/work/mon.out' EXIT
}

# pool_monitor: the monitor started (monitor_start) over md0 and md1 in spare-group pool,
# its events in /tmp/work/events.jsonl, 2 s to settle.
pool_monitor() {
	cat >/tmp/work/mdctl.conf <<CONF
$(conf_array /dev/md0 spare-group=pool)
$(conf_array /dev/md1 spare-group=pool)
EVENTLOG /tmp/work/events.jsonl
CONF
	monitor_start --scan --config /tmp/work/mdctl.conf --delay 30
	sleep 2
}

# uevent_sockets PID: how many kernel uevent sockets (netlink protocol 15) PID holds.
uevent_sockets() {
	_un=0
	for _uf in /proc/"$1"/fd/*; do
		_ul=$(readlink "$_uf" 2>/dev/null) || continue
		case $_ul in
		'socket:['*']')
			_ui=${_ul#socket:[}
			_ui=${_ui%]}
			awk -v i="$_ui" '$2 == 15 && $NF == i { f = 1 } END { exit !f }' /proc/net/netlink &&
				_un=$((_un + 1))
			;;
		esac
	done
	echo "$_un"
}

# monitor_stop: SIGTERM to the monitor monitor_start started, which must exit cleanly.
monitor_stop() {
	kill "$monpid"
	wait "$monpid" || fail "the monitor did not exit cleanly on SIGTERM"
	trap - EXIT
}

# event_monitor MD: the monitor (monitor_start) over MD alone, --delay 5, its events in
# /tmp/work/events.jsonl, ready (monitor_ready).
event_monitor() {
	rm -f /tmp/work/events.jsonl
	{ conf_array "$1"; echo "EVENTLOG /tmp/work/events.jsonl"; } >/tmp/work/mdctl.conf
	monitor_start --scan --config /tmp/work/mdctl.conf --delay 5
	monitor_ready
}

# events_have EVENT TEXT: the monitor logged EVENT with TEXT in it (within 30 s).
_event_logged() {
	[ -e /tmp/work/events.jsonl ] || return 1
	while IFS= read -r _el; do
		case "$_el" in
		*"\"event\":\"$1\""*) case "$_el" in *"$2"*) return 0 ;; esac ;;
		esac
	done </tmp/work/events.jsonl
	return 1
}
events_have() {
	_ev=$1 _etext=$2
	wait_until 300 'no $_ev event with [$_etext] in the event log' _event_logged "$1" "$2"
}

# monitor_ready: the monitor has read the arrays: its lock exists (up to 5 s), a second more.
monitor_ready() {
	_wi=0
	while [ ! -e /run/mdctl/monitor.lock ] && [ "$_wi" -lt 50 ]; do
		_nap 0.1
		_wi=$((_wi + 1))
	done
	sleep 1
}

# assert_fails CMD...: CMD must exit non-zero (run in a subshell, so a lib.sh check
# that fails inside it does not end the scenario).
assert_fails() {
	if (_in_assert_fails=1; "$@"); then
		fail "expected to fail, but succeeded: $*"
	fi
	return 0
}

# md_stop_all: stop every md array (mdadm --stop, else clear), quietly. Never fails.
md_stop_all() {
	for _a in /sys/block/md*; do
		[ -d "$_a/md" ] || continue
		_k=${_a##*/}
		mdadm --stop "/dev/$_k" >/dev/null 2>&1 || { echo clear >"$_a/md/array_state"; } 2>/dev/null || true
	done
}

# md_cleanup: stop every md array, remove dm devices, detach loop devices. Never fails.
md_cleanup() {
	md_stop_all
	md_stop_all
	dmsetup remove_all --noudevsync >/dev/null 2>&1 || dmsetup remove_all -f >/dev/null 2>&1 || true
	losetup -D >/dev/null 2>&1 || true
	rm -rf /tmp/loops /tmp/.flakey-* /tmp/.data-* /tmp/.devsums /tmp/.pattern /dev/md/* 2>/dev/null || true
	return 0
}
