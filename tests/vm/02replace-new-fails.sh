# SPDX-License-Identifier: GPL-2.0-or-later
# NEW fails mid-copy: the array stays fully redundant on OLD, OLD stays marked and the intent stays recorded.
# timeout: 700

private_state_dir

make_loops 4 32
r5_data 8
flakey_wrap "$dev3" fnew 0
throttle /dev/md0 300
mdctl --replace /dev/md0 "$dev1" --with /dev/mapper/fnew --wait >/tmp/wait.out 2>&1 &
waiter=$!
wait_until 200 'the copy did not start: sync_completed=$copy_at' copy_past /dev/md0 2048
echo "copy at $copy_at; writes to the new disk now fail"
flakey_fail_writes fnew
if wait "$waiter"; then
	cat /tmp/wait.out
	fail "mdctl --wait succeeded although the new disk failed"
fi
cat /tmp/wait.out
assert_contains "$(cat /tmp/wait.out)" "still fully redundant on $dev1" "the --wait message"
unthrottle /dev/md0
wait_sync /dev/md0 300
assert_state /dev/md0 "$dev1" in_sync
assert_state /dev/md0 "$dev1" want_replacement
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
_k=$(kn /dev/mapper/fnew)
if [ -e "/sys/block/md0/md/dev-$_k" ]; then
	assert_state /dev/md0 /dev/mapper/fnew faulty
fi
assert_contains "$(mdctl --replace --list)" "$(kn "$dev1")" "--list after NEW failed"
assert_contains "$(mdctl --replace --list --json)" '"recorded": true' "intent recorded"
check_clean /dev/md0 "NEW failed"
