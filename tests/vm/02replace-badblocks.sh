# SPDX-License-Identifier: GPL-2.0-or-later
# OLD with recorded bad blocks (and garbage under them): the copy takes those blocks from parity, data intact.
# timeout: 700

private_state_dir

make_loops 4 32
r5_data 8
k=$(kn "$dev1")
off=$(cat "/sys/block/md0/md/dev-$k/offset")
# two ranges inside the written data, in device sectors (the list is absolute)
b1=$((off + 1024))
b2=$((off + 3000))
echo "$b1 256" >"/sys/block/md0/md/dev-$k/bad_blocks"
echo "$b2 64" >"/sys/block/md0/md/dev-$k/bad_blocks"
cat "/sys/block/md0/md/dev-$k/bad_blocks"
assert_contains "$(cat "/sys/block/md0/md/dev-$k/bad_blocks")" "$b1 256" "bad blocks recorded on $dev1"
# garbage under the bad blocks, written to the backing file behind md's back: a copy
# that read OLD there would carry it onto NEW
f=$(losetup "$dev1" | sed 's/.*(\(.*\)).*/\1/')
[ -f "$f" ] || f=$(losetup -a | awk -F'[()]' -v d="$dev1:" '$0 ~ d { print $2 }')
[ -f "$f" ] || fail "backing file of $dev1 not found"
dd if=/dev/urandom of="$f" bs=512 seek="$b1" count=256 conv=notrunc status=none
dd if=/dev/urandom of="$f" bs=512 seek="$b2" count=64 conv=notrunc status=none
echo 3 >/proc/sys/vm/drop_caches
data_verify /dev/md0
oslot=$(cat "/sys/block/md0/md/dev-$k/slot")
mdctl --replace /dev/md0 "$dev1" --with "$dev3" --wait
assert_eq "$oslot" "$(cat "/sys/block/md0/md/dev-$(kn "$dev3")/slot")" "slot of $dev3"
assert_state /dev/md0 "$dev3" in_sync
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
[ ! -e "/sys/block/md0/md/dev-$k" ] || fail "retired $dev1 still in md0"
assert_eq "" "$(cat "/sys/block/md0/md/dev-$(kn "$dev3")/bad_blocks")" "bad blocks on the new disk"
# parity and data agree everywhere, including the rebuilt ranges
check_clean /dev/md0 "bad blocks copied from parity"
# and the array reads correctly with the new disk carrying its share: fail another member
mdadm /dev/md0 --fail "$dev0" 2>&1
echo 3 >/proc/sys/vm/drop_caches
data_verify /dev/md0

echo "== OLD fails reads (dm-flakey) during the copy: those blocks come from parity"
md_cleanup
make_loops 4 32
r5_flakey1 rd1
data_write /dev/md0 8
k=$(kn /dev/mapper/rd1)
oslot=$(cat "/sys/block/md0/md/dev-$k/slot")
# 6.1's dm-flakey fails writes together with reads: md cannot rewrite the blocks either
flakey_fail_reads rd1
mdctl --replace /dev/md0 /dev/mapper/rd1 --with "$dev3" --wait
echo "after the copy: $(cat /proc/mdstat | grep -A2 '^md0')"
assert_eq "$oslot" "$(cat "/sys/block/md0/md/dev-$(kn "$dev3")/slot")" "slot of $dev3"
assert_state /dev/md0 "$dev3" in_sync
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
check_clean /dev/md0 "OLD failed reads"
