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

# _kname DEV: kernel name (loop0, dm-2, md127) of the block device at path DEV.
_kname() {
	case "$1" in
	*/*) ;;
	*) if [ -e "/sys/class/block/$1" ]; then echo "$1"; return 0; fi ;;
	esac
	[ -b "$1" ] || fail "$1: not a block device"
	set -- $(stat -L -c '%t %T' "$1")
	basename "$(readlink "/sys/dev/block/$((0x$1)):$((0x$2))")"
}

# _md MD: kernel name of array MD (md0, /dev/md0 or /dev/md/NAME), which must exist.
_md() {
	_mdk=$(_kname "$1") || exit 1
	[ -d "/sys/block/$_mdk/md" ] || fail "$1: not an md array"
	echo "$_mdk"
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

# data_write MD [MB [BS]]: write MB (default 8) MiB of random data to MD in direct
# writes of BS bytes (default 4096; 1M writes whole stripes), remembering its sha256 for data_verify.
data_write() {
	_k=$(_md "$1")
	_mb=${2:-8}
	dd if=/dev/urandom of=/tmp/.pattern bs=1M count="$_mb" status=none
	_sum=$(sha256sum </tmp/.pattern | cut -d' ' -f1)
	dd if=/tmp/.pattern of="/dev/$_k" bs="${3:-4096}" oflag=direct status=none ||
		{ rm -f /tmp/.pattern; fail "data_write $1: writing ${_mb} MiB failed"; }
	rm -f /tmp/.pattern
	echo "$_mb $_sum" >"/tmp/.data-$_k"
	return 0
}

# data_verify MD: read back what data_write wrote and compare checksums.
data_verify() {
	_k=$(_md "$1")
	[ -f "/tmp/.data-$_k" ] || fail "data_verify $1: no data_write before"
	read -r _mb _sum <"/tmp/.data-$_k"
	_got=$(dd if="/dev/$_k" bs=4096 count=$((_mb * 256)) iflag=direct status=none | sha256sum | cut -d' ' -f1)
	[ "$_got" = "$_sum" ] || fail "data_verify $1: sha256 of the first ${_mb} MiB: expected $_sum, found $_got"
	return 0
}

# _mdstat_of K: the /proc/mdstat lines of array K.
_mdstat_of() {
	awk -v k="$1" '$1 == k && $2 == ":" { on = 1; print; next } on && /^[^ \t]/ { on = 0 } on && NF { print }' /proc/mdstat
}

# wait_sync MD [TIMEOUT_S]: until no resync/recovery/reshape runs or is pending (default 120 s).
wait_sync() {
	_k=$(_md "$1")
	_end=$(($(date +%s) + ${2:-120}))
	_idle=0
	while :; do
		_a=$(cat "/sys/block/$_k/md/sync_action" 2>/dev/null || echo none)
		_c=$(cat "/sys/block/$_k/md/sync_completed" 2>/dev/null || echo none)
		if { [ "$_a" = idle ] || [ "$_a" = none ]; } && [ "$_c" = none ] &&
			! _mdstat_of "$_k" | grep -qE 'PENDING|DELAYED|recovery|resync|reshape|check'; then
			_idle=$((_idle + 1))
			[ "$_idle" -ge 2 ] && return 0
		else
			_idle=0
		fi
		[ "$(date +%s)" -lt "$_end" ] ||
			fail "wait_sync $1: still busy after ${2:-120}s (sync_action=$_a sync_completed=$_c)"
		usleep 200000
	done
}

# throttle MD KBps: limit MD's resync/recovery to about KBps KiB/s.
throttle() {
	_k=$(_md "$1")
	echo 1 >"/sys/block/$_k/md/sync_speed_min" || fail "throttle $1: cannot set sync_speed_min"
	echo "$2" >"/sys/block/$_k/md/sync_speed_max" || fail "throttle $1: cannot set sync_speed_max to $2"
	return 0
}

# unthrottle MD: back to the system-wide limits.
unthrottle() {
	_k=$(_md "$1")
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
	_k=$(_md "$1")
	_d=$(_kname "$2") || exit 1
	[ -e "/sys/block/$_k/md/dev-$_d/state" ] || fail "dev_state: $2 ($_d) is not a member of $1"
	cat "/sys/block/$_k/md/dev-$_d/state"
}

# devsums_save DEV...: remember the sha256 of each whole device.
devsums_save() {
	: >/tmp/.devsums
	for _d in "$@"; do
		echo "$_d $(sha256sum <"$_d" | cut -d' ' -f1)" >>/tmp/.devsums
	done
	return 0
}

# devsums_check: every device saved by devsums_save is byte-identical to then.
devsums_check() {
	[ -f /tmp/.devsums ] || fail "devsums_check: no devsums_save before"
	_bad=""
	while read -r _d _s; do
		_n=$(sha256sum <"$_d" | cut -d' ' -f1)
		if [ "$_n" != "$_s" ]; then
			echo "  $_d: expected sha256 $_s, found $_n" >&2
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

# assert_state MD DEV WORD: the member's state list contains WORD.
assert_state() {
	_st=$(dev_state "$1" "$2") || exit 1
	case ",$_st," in
	*",$3,"*) return 0 ;;
	esac
	fail "state of $2 in $1: expected '$3' in it, found '$_st'"
}

# assert_fails CMD...: CMD must exit non-zero (run in a subshell, so a lib.sh check
# that fails inside it does not end the scenario).
assert_fails() {
	if (_in_assert_fails=1; "$@"); then
		fail "expected to fail, but succeeded: $*"
	fi
	return 0
}

# md_cleanup: stop every md array, remove dm devices, detach loop devices. Never fails.
md_cleanup() {
	for _p in 1 2; do
		for _a in /sys/block/md*; do
			[ -d "$_a/md" ] || continue
			_k=${_a##*/}
			mdadm --stop "/dev/$_k" >/dev/null 2>&1 || { echo clear >"$_a/md/array_state"; } 2>/dev/null || true
		done
	done
	dmsetup remove_all --noudevsync >/dev/null 2>&1 || dmsetup remove_all -f >/dev/null 2>&1 || true
	losetup -D >/dev/null 2>&1 || true
	rm -rf /tmp/loops /tmp/.flakey-* /tmp/.data-* /tmp/.devsums /tmp/.pattern /dev/md/* 2>/dev/null || true
	return 0
}
