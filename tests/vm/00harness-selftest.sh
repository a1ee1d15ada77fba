# SPDX-License-Identifier: GPL-2.0-or-later
# The harness works: loops, a RAID5 made by Debian's mdadm, data pattern round trip, dm-flakey faults.
# timeout: 360

make_loops 4 64
[ -b "$dev0" ] && [ -b "$dev3" ] || fail "make_loops did not set dev0..dev3 (devs='$devs')"
assert_eq 4 "$(echo $devs | wc -w)" "number of loop devices in \$devs"
assert_eq $((64 * 2048)) "$(blockdev --getsz "$dev1")" "size of $dev1 in sectors"

mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 120
assert_eq "raid5" "$(cat /sys/block/md0/md/level)" "md0 level"
assert_state /dev/md0 "$dev0" in_sync
data_write /dev/md0 8
data_verify /dev/md0

mdctl --version

# throttle really slows a recovery; unthrottle lets it finish.
mdadm /dev/md0 --fail "$dev2" --remove "$dev2" 2>&1
mdadm --zero-superblock "$dev2"
throttle /dev/md0 200
assert_contains "$(cat /sys/block/md0/md/sync_speed_max)" "200 (local)" "sync_speed_max after throttle"
mdadm /dev/md0 --add "$dev2" 2>&1
sleep 2
assert_contains "$(cat /sys/block/md0/md/sync_action)" recover "sync_action while throttled"
assert_fails wait_sync /dev/md0 2
assert_state /dev/md0 "$dev2" spare
unthrottle /dev/md0
assert_contains "$(cat /sys/block/md0/md/sync_speed_max)" "(system)" "sync_speed_max after unthrottle"
wait_sync /dev/md0 120
assert_state /dev/md0 "$dev2" in_sync
data_verify /dev/md0

# devsums: unchanged devices pass, a changed one is caught.
devsums_save "$dev3"
devsums_check
mdadm --stop /dev/md0

# dm-flakey: healthy passes I/O, fail_writes fails writes past GOOD_SECTORS but not
# before them, reads keep working, heal restores writes.
flakey_wrap "$dev3" fl0 2048
dd if=/dev/urandom of=/tmp/blk bs=4096 count=1 status=none
dd if=/tmp/blk of=/dev/mapper/fl0 bs=4096 seek=1000 oflag=direct status=none
flakey_fail_writes fl0
assert_fails dd if=/tmp/blk of=/dev/mapper/fl0 bs=4096 seek=1001 oflag=direct status=none
dd if=/tmp/blk of=/dev/mapper/fl0 bs=4096 seek=10 oflag=direct status=none ||
	fail "write below GOOD_SECTORS failed while writes fail"
assert_eq "$(sha256sum </tmp/blk)" "$(dd if=/dev/mapper/fl0 bs=4096 skip=1000 count=1 iflag=direct status=none | sha256sum)" \
	"read back during fail_writes"
flakey_fail_reads fl0
assert_fails dd if=/dev/mapper/fl0 of=/dev/null bs=4096 skip=1000 count=1 iflag=direct status=none
dd if=/dev/mapper/fl0 of=/dev/null bs=4096 skip=10 count=1 iflag=direct status=none ||
	fail "read below GOOD_SECTORS failed while reads fail"
flakey_heal fl0
dd if=/tmp/blk of=/dev/mapper/fl0 bs=4096 seek=1001 oflag=direct status=none || fail "write after heal failed"
echo "devsums must now see a change on $dev3:"
assert_fails devsums_check
