# SPDX-License-Identifier: GPL-2.0-or-later
# NEW fails mid-copy: the array stays fully redundant on OLD, OLD stays marked and the intent stays recorded.
# timeout: 700

MDCTL_STATE_DIR=$(mktemp -d /tmp/mdctl-state.XXXXXX)
export MDCTL_STATE_DIR
kn() { _kname "$1"; }

make_loops 4 32
mdadm --create /dev/md0 --run --assume-clean --level=5 --raid-devices=3 --chunk=64 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 300
data_write /dev/md0 8
flakey_wrap "$dev3" fnew 0
throttle /dev/md0 300
mdctl --replace /dev/md0 "$dev1" --with /dev/mapper/fnew --wait >/tmp/wait.out 2>&1 &
waiter=$!
_t=0
while :; do
	_c=$(cat /sys/block/md0/md/sync_completed)
	[ "$_c" != none ] && [ "${_c%% *}" -gt 2048 ] && break
	_t=$((_t + 1))
	[ $_t -lt 200 ] || fail "the copy did not start: sync_completed=$_c"
	usleep 100000
done
echo "copy at $_c; writes to the new disk now fail"
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
data_verify /dev/md0
echo check >/sys/block/md0/md/sync_action
wait_sync /dev/md0 300
assert_eq 0 "$(cat /sys/block/md0/md/mismatch_cnt)" "mismatch_cnt after check"
