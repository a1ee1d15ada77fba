# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --examine agrees with Debian's mdadm --examine on live members: 1.0/1.1/1.2, RAID1/5/6, replacement, bad blocks.
# timeout: 240

make_loops 4 32
out=$(mdctl --examine "$dev0" 2>&1 || true)
case "$out" in *"not implemented"*) skip "mdctl --examine not implemented yet" ;; esac

# same_examine DEV WHAT: both tools print the same fields for DEV (a superblock
# rewritten between the two reads gets one more try).
same_examine() {
	for _try in 1 2; do
		mdadm --examine "$1" >/tmp/ex.mdadm 2>&1 || fail "mdadm --examine $1 failed: $(cat /tmp/ex.mdadm)"
		mdctl --examine "$1" >/tmp/ex.mdctl 2>&1 || fail "mdctl --examine $1 failed: $(cat /tmp/ex.mdctl)"
		/vm/examine-compare /tmp/ex.mdadm /tmp/ex.mdctl "$2 $1" >/tmp/ex.cmp && { cat /tmp/ex.cmp; return 0; }
		sleep 1
	done
	cat /tmp/ex.cmp
	fail "mdctl --examine disagrees with mdadm on $1 ($2)"
}

# RAID5, metadata 1.2: clean members, then one with bad blocks and one being replaced.
mdadm --create /dev/md0 --run --metadata=1.2 --level=5 -n3 --name=ex5 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0
for d in $dev0 $dev1 $dev2; do same_examine "$d" "raid5 1.2 clean"; done
echo "50000 16" >/sys/block/md0/md/dev-$(_kname "$dev1")/bad_blocks
mdadm /dev/md0 --add "$dev3" 2>&1
wait_sync /dev/md0
throttle /dev/md0 200
mdadm /dev/md0 --replace "$dev2" --with "$dev3" 2>&1
n=0
until [ "$(cut -d' ' -f1 /sys/block/md0/md/sync_completed)" -gt 0 ] 2>/dev/null; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "replacement did not start"; usleep 100000
done
sleep 2
echo frozen >/sys/block/md0/md/sync_action
sleep 1
assert_state /dev/md0 "$dev3" replacement
for d in $devs; do same_examine "$d" "raid5 1.2 replacing (frozen)"; done
mdadm --stop /dev/md0 2>&1
assert_contains "$(mdadm --examine "$dev3")" "Replacement device 2" "mdadm's view of the replacement"
assert_contains "$(mdadm --examine "$dev3")" "Recovery Offset" "mdadm's view of the replacement"
assert_contains "$(mdadm --examine "$dev1")" "bad blocks present" "mdadm's view of the bad-block member"
for d in $devs; do same_examine "$d" "raid5 1.2 stopped mid-replacement"; done
md_cleanup

# RAID6, metadata 1.0 (superblock at the end).
make_loops 4 32
mdadm --create /dev/md1 --run --metadata=1.0 --level=6 -n4 --name=ex6 $devs 2>&1
wait_sync /dev/md1
for d in $devs; do same_examine "$d" "raid6 1.0"; done
mdadm --stop /dev/md1 2>&1
md_cleanup

# RAID1, metadata 1.1 (superblock at the start), one member missing.
make_loops 2 32
mdadm --create /dev/md2 --run --metadata=1.1 --level=1 -n3 --name=ex1 "$dev0" "$dev1" missing 2>&1
wait_sync /dev/md2
for d in $devs; do same_examine "$d" "raid1 1.1 degraded"; done
