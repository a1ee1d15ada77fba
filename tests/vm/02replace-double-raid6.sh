# SPDX-License-Identifier: GPL-2.0-or-later
# Double faults on RAID6: two other members fail while OLD is copied (OLD becomes slot 1's only source; the copy completes, the array is left with no redundancy and --wait says so); a member that fails at assembly (reads fail: left out, not started without --run; writes fail: the array starts whole and md fails the member at the first write). md behaves the same on 6.1 and 6.12 here.
# timeout: 1200

private_state_dir

echo "==== case 1: two other members fail mid-copy"
make_loops 5 32
mdadm --create /dev/md0 --run --assume-clean --level=6 --raid-devices=4 --chunk=64 "$dev0" "$dev1" "$dev2" "$dev3" 2>&1
data_write /dev/md0 8
event_monitor /dev/md0
throttle /dev/md0 300
mdctl --replace /dev/md0 "$dev1" --with "$dev4" --wait >/tmp/wait.out 2>&1 &
waiter=$!
wait_copied /dev/md0 2048
mdadm /dev/md0 --fail "$dev2" 2>&1
mdadm /dev/md0 --fail "$dev3" 2>&1
usleep 500000
md_show /dev/md0 "dev2 and dev3 failed"
# md restarts the copy where it was; OLD is now the only source of slot 1
assert_state /dev/md0 "$dev4" replacement
assert_state /dev/md0 "$dev1" in_sync
assert_eq 2 "$(cat /sys/block/md0/md/degraded)" "degraded with two members failed"
unthrottle /dev/md0
rc=0
wait $waiter || rc=$?
cat /tmp/wait.out
assert_eq 0 "$rc" "--wait exit status (the replacement itself succeeded)"
wait_sync /dev/md0 300
md_show /dev/md0 "end"
out=$(cat /tmp/wait.out)
assert_contains "$out" "slot 1 is now on $dev4" "--wait"
assert_contains "$out" "the array is degraded: slots 2, 3 without an in-sync member; one more failure loses data" "--wait"
case "$out" in *"cannot remove"*) fail "--wait: $out" ;; esac
assert_state /dev/md0 "$dev4" in_sync
assert_eq 1 "$(cat /sys/block/md0/md/dev-$(kn "$dev4")/slot)" "slot of NEW"
[ ! -e "/sys/block/md0/md/dev-$(kn "$dev1")" ] || fail "the retired $dev1 is still in md0"
rc=0; mdctl --detail --test /dev/md0 >/tmp/detail.out || rc=$?
assert_eq 1 "$rc" "--detail --test"
assert_contains "$(cat /tmp/detail.out)" "degraded: 2 slots without an in-sync member, no spare" "--detail Health"
events_have ReplaceFinished ""
for d in "$dev2" "$dev3"; do
	grep '"event":"Fail"' /tmp/work/events.jsonl | grep -q "\"member\":\"$d\"" || fail "no Fail event for $d"
done
monitor_stop
cat /tmp/work/mon.out
data_verify /dev/md0

echo "==== case 2: a member's reads fail at assembly"
md_cleanup
make_loops 4 32
flakey_wrap "$dev3" fm 0
mdadm --create /dev/md0 --run --assume-clean --level=6 --raid-devices=4 --chunk=64 "$dev0" "$dev1" "$dev2" /dev/mapper/fm 2>&1
data_write /dev/md0 8
mdctl --stop /dev/md0
flakey_fail_reads fm
rc=0
mdctl --assemble /dev/md0 "$dev0" "$dev1" "$dev2" /dev/mapper/fm >/tmp/asm.out 2>&1 || rc=$?
cat /tmp/asm.out
assert_eq 2 "$rc" "--assemble exit status (assembled, not started)"
out=$(cat /tmp/asm.out)
assert_contains "$out" "/dev/mapper/fm: left out of /dev/md0: cannot use superblock: Input/output error" "--assemble"
assert_contains "$out" "assembled from 3 drives (out of 4), not started" "--assemble"
assert_eq inactive "$(cat /sys/block/md0/md/array_state)" "array_state without --run"
mdctl --stop /dev/md0
rc=0
mdctl --assemble --run /dev/md0 "$dev0" "$dev1" "$dev2" /dev/mapper/fm >/tmp/asm.out 2>&1 || rc=$?
cat /tmp/asm.out
assert_eq 0 "$rc" "--assemble --run exit status"
assert_contains "$(cat /tmp/asm.out)" "has been started with 3 drives (degraded)" "--assemble --run"
md_show /dev/md0 "assembled with --run"
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "degraded"
[ ! -e "/sys/block/md0/md/dev-$(kn /dev/mapper/fm)" ] || fail "the unreadable member was bound to md0"
data_verify /dev/md0
mdctl --stop /dev/md0

echo "==== case 3: a member's writes fail at assembly (reads work)"
flakey_fail_writes fm
rc=0
mdctl --assemble /dev/md0 "$dev0" "$dev1" "$dev2" /dev/mapper/fm >/tmp/asm.out 2>&1 || rc=$?
cat /tmp/asm.out
assert_eq 0 "$rc" "--assemble exit status"
# md reads superblocks only as it assembles and starts the array clean without writing them:
# the member is whole until the first write (which marks the array active in every superblock)
assert_contains "$(cat /tmp/asm.out)" "/dev/md0 has been started with 4 drives" "--assemble"
md_show /dev/md0 "right after --assemble"
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "degraded right after --assemble"
dd if=/dev/zero of=/dev/md0 bs=4096 count=1 seek=4096 oflag=direct 2>&1
usleep 500000
md_show /dev/md0 "after a write"
rc=0; mdctl --detail --test /dev/md0 >/tmp/detail.out || rc=$?
cat /tmp/detail.out
assert_eq 1 "$rc" "--detail --test after the member failed"
assert_contains "$(cat /tmp/detail.out)" "faulty   /dev/mapper/fm" "--detail"
assert_state /dev/md0 /dev/mapper/fm faulty
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "degraded once the member's writes failed"
data_verify /dev/md0
