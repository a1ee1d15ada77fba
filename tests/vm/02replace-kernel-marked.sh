# SPDX-License-Identifier: GPL-2.0-or-later
# Acceptance: write errors (dm-flakey, bad-block log) make the kernel mark a member; --replace --with NEW --wait finishes it.
# timeout: 700

private_state_dir

make_loops 4 32
# data starts at 1 MiB (2048 sectors); superblock and bad-block log before it stay writable
r5_flakey1 fl1
wait_sync /dev/md0 300
k=$(kn /dev/mapper/fl1)
assert_eq 2048 "$(cat "/sys/block/md0/md/dev-$k/offset")" "data offset of fl1"
mdadm --examine /dev/mapper/fl1 | grep -i 'bad block' || fail "no bad-block log on fl1"
oslot=$(cat "/sys/block/md0/md/dev-$k/slot")

flakey_fail_writes fl1
# 4 KiB writes (facts section 7): every failed block is recorded as a bad block.
# 1 MiB, not more: 6.12 records one log entry per failed 4 KiB block (6.1 merges
# neighbours), and once the 512-entry log is full it fails the member instead
# of marking it (8 MiB did that), leaving nothing to hot-replace.
data_write /dev/md0 1 4096
wait_until 50 'the kernel did not mark fl1: $(dev_state /dev/md0 /dev/mapper/fl1)' \
	has_state /dev/md0 /dev/mapper/fl1 want_replacement
sleep 1
st=$(dev_state /dev/md0 /dev/mapper/fl1)
echo "fl1 state: $st; bad blocks: $(wc -l <"/sys/block/md0/md/dev-$k/bad_blocks")"
assert_contains "$st" in_sync "fl1 still in service"
assert_contains "$st" write_error "fl1 write_error"
data_verify /dev/md0

out=$(mdctl --replace /dev/md0 --with "$dev3" --wait 2>&1) || fail "replace failed: $out"
echo "$out"
assert_contains "$out" "/dev/mapper/fl1" "the message names the member the kernel marked"
assert_eq "$oslot" "$(cat "/sys/block/md0/md/dev-$(kn "$dev3")/slot")" "slot of $dev3"
assert_state /dev/md0 "$dev3" in_sync
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
[ ! -e "/sys/block/md0/md/dev-$k" ] || fail "the retired fl1 is still in md0"
case "$(cat /sys/block/md0/md/array_state)" in
clean|active|active-idle) ;;
*) fail "md0 array_state $(cat /sys/block/md0/md/array_state)" ;;
esac
assert_eq idle "$(cat /sys/block/md0/md/sync_action)" "md0 sync_action"
echo 3 >/proc/sys/vm/drop_caches
data_verify /dev/md0
_j=$(mdctl --replace --list --json)
case "$_j" in *'"state"'*) fail "intent left: $_j" ;; esac
mdadm --detail /dev/md0
