# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel marks a RAID5 member after write errors in whole-stripe writes (stale blocks, facts 7): the monitor finds and rebuilds them (StaleBlocks) before moving a spare; the array ends with exactly the data written.
# timeout: 900

private_state_dir
make_loops 6 40
# data starts at 1 MiB; superblock and bad-block log before it stay writable (facts 7)
r5_flakey1 fl1
mdadm --create /dev/md1 --run --assume-clean --level=1 -n2 -x1 "$dev3" "$dev4" "$dev5" 2>&1
D=/sys/block/md0/md
fl=$(_kname /dev/mapper/fl1)
pool_monitor

flakey_fail_writes fl1
# whole stripes: the kernel records a bad block only for the first 4 KiB of each batch
data_write /dev/md0 16 1M
wait_until 2400 "fl1 was never replaced and retired" [ ! -e $D/dev-$fl ]
wait_sync /dev/md0 300
assert_state /dev/md0 "$dev5" in_sync
assert_eq 0 "$(cat $D/degraded)" "md0 degraded"
echo 3 >/proc/sys/vm/drop_caches
data_verify /dev/md0
echo check >$D/sync_action
wait_sync /dev/md0 300
assert_eq 0 "$(cat $D/mismatch_cnt)" "mismatch_cnt after a check"
sleep 1
cat /tmp/work/mon.out
grep '"event":"StaleBlocks"' /tmp/work/events.jsonl | grep -q '"ranges":[1-9]' || fail "no StaleBlocks event with a ranges count"
seq=$(grep '"array":"/dev/md0"' /tmp/work/events.jsonl | grep -v '"type":"ReplaceNN"' | grep -v '"event":"BadBlocks"' | grep -v '"event":"Rebuild' |
	sed 's/.*"event":"\([A-Za-z0-9]*\)".*/\1/' | tr '\n' ' ')
# (Rebuild* left out: they report the scenario's own check)
assert_eq "WantReplacement StaleBlocks MoveSpare ReplaceStarted ReplaceFinished " "$seq" "md0's events in order"
grep -q '"event":"Fail' /tmp/work/events.jsonl && fail "a Fail was reported"
monitor_stop
