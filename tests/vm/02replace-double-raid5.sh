# SPDX-License-Identifier: GPL-2.0-or-later
# Double faults during a RAID5 hot-replace: OLD and NEW both fail; another member fails (OLD's copy is then the slot's only source); NEW vanishes (its dm device loses its table and is removed). Each ends in the best state md allows, the data checked, and --wait, --detail and the monitor's events say what happened. md behaves the same on 6.1 and 6.12 here; on 6.12 the monitor once read the end of the copy in case 2 between the kernel's two steps (see docs/KERNEL-FAILURE-MODES.md).
# timeout: 1200

# start_case: RAID5 over dev0..2 with data, NEW = dev3 as /dev/mapper/fnew, a monitor writing
# /tmp/work/events.jsonl, and mdctl --replace dev1 --with fnew --wait running, the copy under way
start_case() {
	md_cleanup
	private_state_dir
	make_loops 4 32
	mdadm --create /dev/md0 --run --assume-clean --level=5 --raid-devices=3 --chunk=64 "$dev0" "$dev1" "$dev2" 2>&1
	data_write /dev/md0 8
	flakey_wrap "$dev3" fnew 0
	event_monitor /dev/md0
	throttle /dev/md0 300
	mdctl --replace /dev/md0 "$dev1" --with /dev/mapper/fnew --wait >/tmp/wait.out 2>&1 &
	waiter=$!
	wait_copied /dev/md0 2048
}

# end_wait EXPECTED_RC: --wait's exit status and output
end_wait() {
	unthrottle /dev/md0
	_rc=0
	wait "$waiter" || _rc=$?
	cat /tmp/wait.out
	assert_eq "$1" "$_rc" "mdctl --replace --wait exit status"
	wait_sync /dev/md0 300
}

end_monitor() {
	monitor_stop
	echo "---- monitor"
	cat /tmp/work/mon.out
}

echo "==== case 1: OLD fails, then NEW fails: slot 1 is left empty, the array runs degraded"
start_case
mdadm /dev/md0 --fail "$dev1" 2>&1
# NEW carries on as a plain recovery of slot 1 (02replace-old-fails); then its writes fail
_t=0
until [ "$(cat /sys/block/md0/md/sync_action)" = recover ] && ! dev_state /dev/md0 /dev/mapper/fnew | grep -q replacement; do
	_t=$((_t + 1))
	[ $_t -lt 100 ] || { md_show /dev/md0 "stuck"; fail "NEW did not go on as a recovery after OLD failed"; }
	usleep 100000
done
md_show /dev/md0 "OLD failed, NEW recovering"
flakey_fail_writes fnew
end_wait 1
md_show /dev/md0 "end"
assert_state /dev/md0 /dev/mapper/fnew faulty
assert_state /dev/md0 "$dev1" faulty
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "degraded"
assert_eq idle "$(cat /sys/block/md0/md/sync_action)" "sync_action"
out=$(cat /tmp/wait.out)
assert_contains "$out" "the replacement of $dev1 failed: /dev/mapper/fnew failed, and $dev1 failed too; slot 1 has no in-sync member" "--wait"
assert_contains "$out" "the array is degraded: slot 1 without an in-sync member; one more failure loses data" "--wait"
rc=0; mdctl --detail --test /dev/md0 >/tmp/detail.out || rc=$?
assert_eq 1 "$rc" "--detail --test (degraded)"
assert_contains "$(cat /tmp/detail.out)" "degraded: 1 slot without an in-sync member, no spare" "--detail Health"
assert_contains "$(mdctl --replace --list)" "old-failed" "--replace --list"
events_have Fail "\"member\":\"$dev1\""
events_have FailSpare '"member":"/dev/mapper/fnew"'
events_have RebuildFinished "recovery stopped before the end: 1 slot still without an in-sync member"
end_monitor
data_verify /dev/md0

echo "==== case 2: another member fails mid-copy: OLD is slot 1's only source, the copy completes"
start_case
mdadm /dev/md0 --fail "$dev2" 2>&1
usleep 500000
md_show /dev/md0 "dev2 failed"
assert_state /dev/md0 /dev/mapper/fnew replacement
assert_state /dev/md0 "$dev1" in_sync
end_wait 0
md_show /dev/md0 "end"
out=$(cat /tmp/wait.out)
assert_contains "$out" "slot 1 is now on /dev/mapper/fnew" "--wait"
assert_contains "$out" "the array is degraded: slot 2 without an in-sync member; one more failure loses data" "--wait"
case "$out" in *"cannot remove"*) fail "--wait: $out" ;; esac
assert_state /dev/md0 /dev/mapper/fnew in_sync
assert_eq 1 "$(cat /sys/block/md0/md/dev-$(kn /dev/mapper/fnew)/slot)" "slot of NEW"
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "degraded"
[ ! -e "/sys/block/md0/md/dev-$(kn "$dev1")" ] || fail "the retired $dev1 is still in md0"
events_have Fail "\"member\":\"$dev2\""
events_have ReplaceFinished '"replacement":"/dev/mapper/fnew"'
end_monitor
data_verify /dev/md0

echo "==== case 3: NEW vanishes mid-copy (its dm table wiped, the device removed once closed)"
start_case
nk=$(kn /dev/mapper/fnew)
dmsetup wipe_table fnew
dmsetup remove --deferred fnew
end_wait 1
md_show /dev/md0 "end"
# md failed the new disk at once; OLD still serves slot 1, still marked
assert_state /dev/md0 "$nk" faulty
assert_eq "in_sync,want_replacement" "$(dev_state /dev/md0 "$dev1")" "state of $dev1"
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "degraded"
assert_contains "$(cat /tmp/wait.out)" "the replacement of $dev1 failed: /dev/mapper/fnew failed and is gone from the system; the array is still fully redundant on $dev1, which stays marked for replacement" "--wait"
events_have ReplaceFailed "replacement $nk failed; the original still serves slot 1"
end_monitor
data_verify /dev/md0
# the dead disk goes with --remove failed, and then it is gone from the system
mdctl /dev/md0 --remove failed
[ ! -e "/sys/block/md0/md/dev-$nk" ] || fail "$nk still in md0 after --remove failed"
_t=0
while [ -e "/sys/block/$nk" ]; do
	_t=$((_t + 1))
	[ $_t -lt 100 ] || fail "$nk still exists after md let go of it"
	usleep 100000
done
# and a working disk takes over (the one under the dm device, its half-written superblock zeroed)
mdctl --zero-superblock "$dev3"
mdctl --replace /dev/md0 "$dev1" --with "$dev3" --wait
wait_sync /dev/md0 300
assert_state /dev/md0 "$dev3" in_sync
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "degraded after the second replacement"
data_verify /dev/md0
