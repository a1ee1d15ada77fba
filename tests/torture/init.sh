#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest /init of the power-loss harness: one boot of one kill point, on the virtio disks the host attached.
# /etc/torture.conf (from the host) names the operation, the phase and the seed:
#   phase=run    set the array up, start the writer (blockio) and the operation, print progress, and wait
#                for the host's SIGKILL: nothing here ever shuts down cleanly
#   phase=check  assemble with mdctl, let mdctl and md finish or resume the operation, check md's state,
#                run md's consistency check and verify every write the host saw acknowledged
#                (/etc/torture-acks); prints "@@TORTURE RESULT PASS|FAIL" and powers off
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
export HOME=/root TERM=linux
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /root /run/mdadm /etc/mdadm
dmesg -n 1
cat /etc/vm-modules /etc/vm-modules-virtio | while read -r m; do
	insmod "$m" 2>/dev/null || echo "@@TORTURE MODFAIL $m"
done
. /vm/lib.sh
. /etc/torture.conf
SCENARIO="$op seed=$seed point=$point ($phase)"
export MDCTL_STATE_DIR=/var/lib/mdctl

# wait for the disks
_i=0
for d in $members $new; do
	while [ ! -b "$d" ]; do
		_i=$((_i + 1))
		[ $_i -lt 300 ] || { echo "FAIL: $SCENARIO: $d never appeared"; echo "@@TORTURE RESULT FAIL"; poweroff -f; }
		usleep 100000
	done
done

# up: the guest's uptime, for the log
up() { echo "$(cut -d' ' -f1 /proc/uptime)s"; }

# md_dev: the array (the only one), as /dev/mdX
md_dev() {
	for _a in /sys/block/md*/md; do
		[ -d "$_a" ] && { _a=${_a%/md}; echo "/dev/${_a##*/}"; return 0; }
	done
	return 1
}

# progress MD: forever, every 0.3 s, where md is (for the host's kill-point line)
progress() {
	_k=$(_kname "$1")
	while :; do
		echo "@@PROG $(cat /sys/block/$_k/md/sync_action) $(cat /sys/block/$_k/md/sync_completed | tr -d ' ')" \
			"$(for _d in /sys/block/$_k/md/dev-*; do printf '%s=%s ' "${_d##*/dev-}" "$(tr , + <"$_d/state")"; done)"
		usleep 300000
	done
}

# create [OPTION...]: the array of $members at $level as /dev/md0, md's copy held to $speed KiB/s (a
# pace that lets the writer's acknowledgements land all through a copy)
create() {
	_chunk=""
	[ "$level" = 1 ] || _chunk=--chunk=64
	mdctl --create /dev/md0 --run --level="$level" --raid-devices=$(echo $members | wc -w) $_chunk "$@" $members 2>&1
	pace /dev/md0
}

pace() {
	echo "$speed" >"/sys/block/$(_kname "$1")/md/sync_speed_min"
	echo "$speed" >"/sys/block/$(_kname "$1")/md/sync_speed_max"
}

# writes MD FIRST COUNT: COUNT acknowledged writes numbered from FIRST, in the foreground
writes() { blockio write "$1" "$seed" "$3" 0 "$2"; }

# writer MD FIRST: acknowledged writes numbered from FIRST until the power goes, in the background
writer() { blockio write "$1" "$seed" 0 20 "$2" & }

# assemble: mdctl --assemble --scan, which must start the array; sets md
assemble() {
	out=$(mdctl --assemble --scan 2>&1) || fail "mdctl --assemble --scan failed (exit $?): $out"
	echo "$out"
	md=$(md_dev) || fail "no array after mdctl --assemble --scan: $out"
}

# whole MD: every member of $members in sync, none missing, nothing left to do
whole() {
	wait_sync "$1" 900
	for _d in $members; do assert_state "$1" "$_d" in_sync; done
	assert_eq 0 "$(cat "/sys/block/$(_kname "$1")/md/degraded")" "degraded members of $1"
}

# repaired MD: what mdctl --assemble --force tells the administrator when it marks a dirty degraded
# array clean: once the array is whole, md's repair rewrites the parity of stripes written at the crash
# (the write in flight then may have reached some members and not others: RAID5's write hole)
repaired() {
	mdctl --action=repair --wait "$1" 2>&1 || fail "mdctl --action=repair --wait $1 failed"
	echo "@@TORTURE STEP repaired after the forced start ($(cat "/sys/block/$(_kname "$1")/md/mismatch_cnt") sectors rewritten)"
}

# ---------------------------------------------------------------- replace (RAID1/5/6/10)

run_replace() {
	create --assume-clean
	writer /dev/md0 1
	echo "@@TORTURE GO"
	mdctl --replace /dev/md0 "$old" --with "$new" 2>&1
	echo "@@TORTURE STEP replace started"
	progress /dev/md0
}

check_replace() {
	assemble
	wait_sync "$md" 900
	_st=$( (dev_state "$md" "$new") 2>/dev/null || echo absent)
	echo "after assembly and resync ($(up)): $(basename "$new")=$_st"
	case "$_st" in
	*in_sync*) echo "@@TORTURE STEP replacement finished" ;;
	*)
		# not resumed by md (paired only after the kill, or not yet a member): mdctl starts it again
		echo "@@TORTURE STEP replacement started again"
		mdctl --replace "$md" "$old" --with "$new" --wait 2>&1 || fail "mdctl --replace again failed"
		;;
	esac
	wait_sync "$md" 900
	assert_state "$md" "$new" in_sync
	assert_eq 1 "$(cat "/sys/block/$(_kname "$md")/md/dev-$(_kname "$new")/slot")" "slot of $new"
	assert_eq 0 "$(cat "/sys/block/$(_kname "$md")/md/degraded")" "degraded members of $md"
}

# ---------------------------------------------------------------- assemble

# a stopped array with acknowledged data on it, assembled while the power goes
run_assemble() {
	create --assume-clean
	writes /dev/md0 1 40
	mdctl --stop /dev/md0 2>&1
	echo "@@TORTURE GO"
	assemble
	echo "@@TORTURE STEP assembled"
	pace "$md"
	writer "$md" 41
	progress "$md"
}

check_assemble() {
	assemble
	whole "$md"
	echo "@@TORTURE STEP assembled again"
}

# ---------------------------------------------------------------- create

# the power goes while mdctl --create runs, or during the initial resync with the writer going
run_create() {
	echo "@@TORTURE GO"
	create
	echo "@@TORTURE STEP created"
	writer /dev/md0 1
	progress /dev/md0
}

check_create() {
	if ! out=$(mdctl --assemble --scan 2>&1) || ! md=$(md_dev); then
		echo "$out"
		case "$out" in
		*"was not shut down cleanly"*)
			# cut off in the initial rebuild of the raid5's last member with writes going on: degraded
			# and dirty, which mdadm and mdctl both refuse, and --force (mark it clean) is what they
			# tell the administrator to do; every acknowledged write must still be there
			echo "@@TORTURE STEP refused as dirty and degraded, assembled with --force"
			mdctl --assemble --scan --force 2>&1 || fail "mdctl --assemble --scan --force failed"
			md=$(md_dev) || fail "no array after mdctl --assemble --scan --force"
			forced=1
			;;
		*)
			# cut off inside --create: nothing was acknowledged, and the disks must take a create again
			[ ! -s /etc/torture-acks ] || fail "no array, and writes to it were acknowledged: $out"
			echo "@@TORTURE STEP created again (the first was cut off: $(echo "$out" | tail -1))"
			create
			md=/dev/md0
			;;
		esac
	else
		echo "$out"
		echo "@@TORTURE STEP assembled"
	fi
	whole "$md"
	[ -z "${forced:-}" ] || repaired "$md"
}

# ---------------------------------------------------------------- re-add (write-intent bitmap)

# a member failed and removed, written past, and re-added while the power goes
run_readd() {
	create --assume-clean --bitmap=internal
	writes /dev/md0 1 30
	mdctl /dev/md0 --fail "$old" 2>&1
	mdctl /dev/md0 --remove "$old" 2>&1
	writes /dev/md0 31 30
	echo "@@TORTURE GO"
	mdctl /dev/md0 --re-add "$old" 2>&1
	echo "@@TORTURE STEP re-added"
	writer /dev/md0 61
	progress /dev/md0
}

check_readd() {
	if ! out=$(mdctl --assemble --scan 2>&1); then
		# cut off mid-recovery, the raid5 is degraded and dirty: mdadm and mdctl both refuse it, and
		# --force (mark it clean) is what they tell the administrator to do
		echo "$out"
		assert_contains "$out" "was not shut down cleanly" "why mdctl --assemble --scan refused"
		echo "@@TORTURE STEP refused as dirty and degraded, assembled with --force"
		mdctl --assemble --scan --force 2>&1 || fail "mdctl --assemble --scan --force failed"
		forced=1
	fi
	md=$(md_dev) || fail "no array after mdctl --assemble --scan"
	wait_sync "$md" 900
	_st=$( (dev_state "$md" "$old") 2>/dev/null || echo absent)
	case "$_st" in
	*in_sync*) echo "@@TORTURE STEP re-add finished" ;;
	*)
		echo "@@TORTURE STEP re-added again ($(basename "$old") was $_st)"
		mdctl "$md" --re-add "$old" 2>&1 || fail "mdctl --re-add again failed"
		;;
	esac
	whole "$md"
	[ -z "${forced:-}" ] || repaired "$md"
}

# ---------------------------------------------------------------- the monitor's spare move

# $members: md0 (RAID5) then md1 (RAID1); $new: md1's spare.  The monitor, both arrays in one
# spare-group, moves the spare to md0 when a member of md0 is marked for replacement.
spare_conf() {
	for _m in md0 md1; do
		echo "ARRAY /dev/$_m UUID=$(mdadm --detail --export "/dev/$_m" | sed -n 's/^MD_UUID=//p') spare-group=pool"
	done >/etc/mdctl.conf
}

# monitor_mark: the monitor running (its lock taken), then $old marked for replacement as the kernel
# marks a member after write errors
monitor_mark() {
	mdctl --monitor --scan --config /etc/mdctl.conf --delay 600 >/tmp/mon.out 2>&1 &
	_i=0
	while [ ! -e /run/mdctl/monitor.lock ] && [ $_i -lt 100 ]; do usleep 100000; _i=$((_i + 1)); done
	sleep 1
	echo want_replacement >"/sys/block/md0/md/dev-$(_kname "$old")/state"
}

run_sparemove() {
	set -- $members
	mdctl --create /dev/md0 --run --level=5 --raid-devices=3 --chunk=64 --assume-clean "$1" "$2" "$3" 2>&1
	mdctl --create /dev/md1 --run --level=1 --raid-devices=2 --spare-devices=1 --assume-clean "$4" "$5" "$new" 2>&1
	pace /dev/md0
	spare_conf
	writer /dev/md0 1
	echo "@@TORTURE GO"
	monitor_mark
	echo "@@TORTURE STEP marked, monitor running"
	progress /dev/md0
}

check_sparemove() {
	out=$(mdctl --assemble --scan 2>&1) || fail "mdctl --assemble --scan failed (exit $?): $out"
	echo "$out"
	[ -d /sys/block/md0/md ] && [ -d /sys/block/md1/md ] || fail "md0 and md1 not both assembled: $out"
	md=/dev/md0
	wait_sync /dev/md0 900
	wait_sync /dev/md1 900
	_st=$( (dev_state /dev/md0 "$new") 2>/dev/null || echo "not in md0")
	case "$_st" in
	*in_sync*) echo "@@TORTURE STEP the spare's copy finished in md0" ;;
	*)
		# the mark is not kept over a power loss: marked again, the monitor moves the spare again
		echo "@@TORTURE STEP marked again ($(basename "$new") was $_st)"
		spare_conf
		monitor_mark
		_i=0
		until dev_state /dev/md0 "$new" 2>/dev/null | grep -q in_sync; do
			_i=$((_i + 1))
			[ $_i -lt 3000 ] || fail "the spare never ended in sync in md0: $(cat /proc/mdstat; cat /tmp/mon.out)"
			usleep 200000
		done
		;;
	esac
	wait_sync /dev/md0 900
	_all=$members
	set -- $members
	members="$1 $new $3"
	whole /dev/md0
	members="$4 $5"
	whole /dev/md1
	members=$_all
	assert_eq 1 "$(cat "/sys/block/md0/md/dev-$(_kname "$new")/slot")" "slot of $new in md0"
}

# ---------------------------------------------------------------- common to every check

# check_data MD: md's own consistency check finds nothing, and every acknowledged write is there
check_data() {
	_k=$(_kname "$1")
	echo check >"/sys/block/$_k/md/sync_action"
	wait_sync "$1" 900
	assert_eq 0 "$(cat "/sys/block/$_k/md/mismatch_cnt")" "mismatch_cnt after md's check of $1"
	echo "md's check found no mismatch ($(up))"
	blockio verify "$1" "$seed" /etc/torture-acks || fail "acknowledged writes lost (above)"
}

case "$phase" in
run)
	( set -e; "run_$op" ) || { echo "FAIL: $SCENARIO: setting up or starting the operation failed"; echo "@@TORTURE RESULT FAIL"; }
	;;
check)
	echo 200000 >/proc/sys/dev/raid/speed_limit_max
	echo 100000 >/proc/sys/dev/raid/speed_limit_min
	if ( set -e; "check_$op"; check_data "$md" ); then
		echo "@@TORTURE RESULT PASS"
	else
		echo "---- /proc/mdstat"
		cat /proc/mdstat
		echo "---- dmesg"
		dmesg | tail -n 40
		echo "@@TORTURE RESULT FAIL"
	fi
	;;
esac
sync
poweroff -f
