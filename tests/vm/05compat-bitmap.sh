# SPDX-License-Identifier: GPL-2.0-or-later
# Write-intent bitmaps at create (mdadm's default on members over 100 GiB, --bitmap=internal), -X and --examine against mdadm's, --re-add and --add of a former member (bitmap-limited recovery, fallback to a full one).
# timeout: 900

k() { basename "$1"; }
written() { awk '{print $7}' "/sys/block/$(k "$1")/stat"; }
# until the bitmap on DEV has no dirty chunk (the kernel clears in-sync chunks every few seconds)
wait_clean_bitmap() {
	_end=$(($(date +%s) + 90))
	until mdctl -X "$1" | grep -q ' 0 dirty'; do
		[ "$(date +%s)" -lt "$_end" ] || fail "bitmap on $1 still dirty: $(mdctl -X "$1" | tail -1)"
		sleep 1
	done
}

# ---- mdadm's default: an internal bitmap on members over 100 GiB (sparse files)
mkdir -p /tmp/big
for n in a b c d; do truncate -s 101G /tmp/big/$n; done
A=$(losetup -f --show /tmp/big/a); B=$(losetup -f --show /tmp/big/b)
C=$(losetup -f --show /tmp/big/c); D=$(losetup -f --show /tmp/big/d)
mdctl --create /dev/md0 --level=1 -n2 --assume-clean "$A" "$B" 2>/tmp/err || fail "create: $(cat /tmp/err)"
mdadm --create /dev/md1 --run --level=1 -n2 --assume-clean "$C" "$D" 2>/dev/null || fail "mdadm create"
assert_eq "+8" "$(cat /sys/block/md0/md/bitmap/location)" "kernel's bitmap location on mdctl's array"
assert_eq 67108864 "$(cat /sys/block/md0/md/bitmap/chunksize)" "kernel's bitmap chunk on mdctl's array"
assert_contains "$(mdctl --detail /dev/md0)" "Intent Bitmap : Internal" "mdctl --detail"
assert_contains "$(mdadm --detail /dev/md0)" "Intent Bitmap : Internal" "mdadm --detail of mdctl's array"
mdctl --create /dev/md2 --level=1 -n2 --bitmap=none --assume-clean "$C" "$D" 2>/dev/null &&
	fail "create over a running array's members succeeded"

# mdctl's bitmap and superblock read by mdadm look like mdadm's own (ids and times aside)
norm() { grep -E 'Feature Map|Avail Dev|Used Dev|Data Offset|Super Offset|Unused Space|Internal Bitmap|Bad Block Log|Chunksize|Daemon|Write Mode|Sync Size|Version|Magic'; }
mdadm --stop /dev/md0 /dev/md1 >/dev/null 2>&1 || fail "stop"
for d in "$A" "$C"; do
	mdadm --examine "$d" | norm >"/tmp/ex-$(k "$d")"
	mdadm -X "$d" >"/tmp/mdadm-X-$(k "$d")" || fail "mdadm -X $d"
	mdctl -X "$d" >"/tmp/mdctl-X-$(k "$d")" 2>/tmp/err || fail "mdctl -X $d: $(cat /tmp/err)"
	cmp "/tmp/mdadm-X-$(k "$d")" "/tmp/mdctl-X-$(k "$d")" ||
		fail "mdctl -X $d differs from mdadm -X: $(diff "/tmp/mdadm-X-$(k "$d")" "/tmp/mdctl-X-$(k "$d")")"
	mdctl --examine "$d" | norm >"/tmp/exm-$(k "$d")"
	cmp "/tmp/ex-$(k "$d")" "/tmp/exm-$(k "$d")" ||
		fail "mdctl --examine $d differs: $(diff "/tmp/ex-$(k "$d")" "/tmp/exm-$(k "$d")")"
done
cmp "/tmp/ex-$(k "$A")" "/tmp/ex-$(k "$C")" ||
	fail "mdctl's array differs from mdadm's: $(diff "/tmp/ex-$(k "$A")" "/tmp/ex-$(k "$C")")"
assert_contains "$(cat "/tmp/mdctl-X-$(k "$A")")" "Chunksize : 64 MB" "mdctl -X"

# ---- re-add: only the chunk written while it was out is recovered
mdctl --assemble /dev/md0 "$A" "$B" 2>/tmp/err || fail "assemble: $(cat /tmp/err)"
wait_clean_bitmap "$A"
mdctl /dev/md0 --fail "$B" --remove "$B" 2>/dev/null || fail "fail/remove $B"
data_write /dev/md0 8
w0=$(written "$B")
mdctl /dev/md0 --add "$B" 2>/tmp/err || fail "add back $B: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "re-added $B to slot 1 of /dev/md0: only the regions the write-intent bitmap marks" "add of a former member"
assert_eq 1 "$(cat /sys/block/md0/md/dev-$(k "$B")/slot)" "slot of the re-added member"
wait_sync /dev/md0 300
assert_state /dev/md0 "$B" in_sync
w=$(($(written "$B") - w0))
size=$(blockdev --getsz "$B")
echo "re-add wrote $w of $size sectors to $B"
[ "$w" -gt 0 ] && [ "$w" -lt $((size / 100)) ] || fail "re-add wrote $w sectors of $size to $B: not a bitmap-limited recovery"
# the data now comes from the re-added member alone
mdctl /dev/md0 --fail "$A" --remove "$A" 2>/dev/null || fail "fail/remove $A"
echo 3 >/proc/sys/vm/drop_caches
data_verify /dev/md0
mdctl /dev/md0 --re-add "$A" 2>/tmp/err || fail "--re-add $A: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "re-added $A to slot 0" "--re-add message"
wait_sync /dev/md0 300
assert_state /dev/md0 "$A" in_sync
mdctl --stop /dev/md0 2>/dev/null || fail "stop md0"
losetup -d "$A" "$B" "$C" "$D"
rm -f /tmp/big/*

# ---- small members: --bitmap=internal; a member too old for the bitmap gets a full recovery
make_loops 4 64
mdctl --create /dev/md0 --level=1 -n2 --bitmap=internal "$dev0" "$dev1" 2>/tmp/err || fail "create --bitmap=internal: $(cat /tmp/err)"
assert_eq "+8" "$(cat /sys/block/md0/md/bitmap/location)" "bitmap of a small array"
wait_sync /dev/md0
mdctl /dev/md0 --fail "$dev1" --remove "$dev1" 2>/dev/null || fail "fail/remove $dev1"
mdctl /dev/md0 --add "$dev2" 2>/dev/null || fail "add $dev2"
wait_sync /dev/md0
data_write /dev/md0 4      # not degraded: the bitmap's events_cleared passes dev1's events
sleep 1
mdctl /dev/md0 --fail "$dev2" --remove "$dev2" 2>/dev/null || fail "fail/remove $dev2"
assert_fails mdctl /dev/md0 --re-add "$dev1" 2>/tmp/err
assert_contains "$(cat /tmp/err)" "--re-add for $dev1 to /dev/md0 is not possible: too old for the write-intent bitmap" "--re-add of a too old member"
mdctl /dev/md0 --add "$dev1" 2>/tmp/err || fail "add of a too old member: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "cannot re-add to /dev/md0: too old" "add of a too old member"
assert_contains "$(cat /tmp/err)" "full recovery" "add of a too old member"
wait_sync /dev/md0
assert_state /dev/md0 "$dev1" in_sync
mdctl /dev/md0 --fail "$dev0" --remove "$dev0" 2>/dev/null || fail "fail/remove $dev0"
data_verify /dev/md0
# never a member: --re-add refuses and writes nothing
devsums_save "$dev3"
assert_fails mdctl /dev/md0 --re-add "$dev3" 2>/tmp/err
assert_contains "$(cat /tmp/err)" "--re-add for $dev3 to /dev/md0 is not possible: no readable md superblock" "--re-add of a blank disk"
devsums_check
assert_fails mdctl -X "$dev3" 2>/tmp/err
assert_contains "$(cat /tmp/err)" "$dev3" "-X of a disk without a superblock"
