# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --wait returns when recovery ends, prints percent lines when not on a terminal, exits 1 when idle.
# timeout: 240

make_loops 4 32
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 120
data_write /dev/md0 4

mdctl --wait /dev/md0 >/tmp/w 2>&1 && fail "--wait on an idle array exited 0 (mdadm exits 1)"

mdadm /dev/md0 --fail "$dev1" --remove "$dev1" 2>&1
throttle /dev/md0 4000
mdadm /dev/md0 --add "$dev3" 2>&1
mdctl --wait /dev/md0 >/tmp/w 2>&1 || fail "--wait during recovery: $(cat /tmp/w)"
cat /tmp/w
assert_eq idle "$(cat /sys/block/md0/md/sync_action)" "sync_action after --wait"
assert_eq none "$(cat /sys/block/md0/md/sync_completed)" "sync_completed after --wait"
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "degraded after --wait"
assert_state /dev/md0 "$dev3" in_sync
grep -q '^/dev/md0: recover [0-9]*% complete, .*ETA [0-9]*:[0-9][0-9]:[0-9][0-9]$' /tmp/w ||
	fail "no percent line in --wait output: $(cat /tmp/w)"
[ "$(grep -c '% complete' /tmp/w)" -ge 2 ] || fail "fewer than two progress lines: $(cat /tmp/w)"
assert_contains "$(cat /tmp/w)" "/dev/md0: done" "--wait end line"
tr -d '\r' </tmp/w | cmp -s - /tmp/w || fail "carriage returns in --wait output to a file"
unthrottle /dev/md0
data_verify /dev/md0
