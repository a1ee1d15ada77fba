# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --add/--fail/--remove round trips read back from sysfs, keywords, several operations per call, refusals.
# timeout: 600

make_loops 6 32
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 120
data_write /dev/md0 8
k() { basename "$1"; }
slot() { cat "/sys/block/md0/md/dev-$(k "$1")/slot"; }
in_mdstat() { grep '^md0 ' /proc/mdstat | grep -q "$(k "$1")\["; }
# settle: md marks the array clean a moment after the last write
settle() { sleep 1; echo 3 >/proc/sys/vm/drop_caches; }

# --add: a blank device joins as a spare, with a superblock of this array
mdctl /dev/md0 --add "$dev3" 2>/tmp/err || fail "add $dev3: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "mdctl: added $dev3" "add message"
assert_state /dev/md0 "$dev3" spare
assert_eq none "$(slot "$dev3")" "slot of the added spare"
assert_contains "$(mdadm --detail /dev/md0)" "Spare Devices : 1" "mdadm sees one spare"
uuid=$(mdadm --detail /dev/md0 | sed -n 's/^ *UUID : //p')
ex=$(mdadm --examine "$dev3")
assert_contains "$ex" "Array UUID : $uuid" "examine of the added spare: array UUID"
assert_contains "$ex" "Device Role : spare" "examine of the added spare: role"
assert_contains "$ex" "Checksum : " "examine of the added spare"
case "$ex" in *"- correct"*) ;; *) fail "spare superblock checksum not correct: $ex" ;; esac

# --fail: the member goes faulty, the spare rebuilds into its slot
mdctl /dev/md0 --fail "$dev1" 2>/tmp/err || fail "fail $dev1: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "mdctl: set $dev1 faulty in /dev/md0" "fail message"
assert_state /dev/md0 "$dev1" faulty
wait_sync /dev/md0 120
assert_eq 1 "$(slot "$dev3")" "slot of the rebuilt spare"
assert_state /dev/md0 "$dev3" in_sync
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "degraded after rebuild"

# --remove: the faulty member leaves
mdctl /dev/md0 --remove "$dev1" 2>/tmp/err || fail "remove $dev1: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "mdctl: hot removed $dev1 from /dev/md0" "remove message"
in_mdstat "$dev1" && fail "$dev1 still in /proc/mdstat after --remove"
data_verify /dev/md0

# a former member comes back without --force (its superblock is this array's)
mdctl /dev/md0 --add "$dev1" 2>/tmp/err || fail "add back $dev1: $(cat /tmp/err)"
assert_state /dev/md0 "$dev1" spare

# several operations in one call, in order
mdctl /dev/md0 --fail "$dev3" --remove "$dev3" 2>/tmp/err || fail "fail+remove: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "set $dev3 faulty" "fail+remove: fail message"
assert_contains "$(cat /tmp/err)" "hot removed $dev3" "fail+remove: remove message"
in_mdstat "$dev3" && fail "$dev3 still in /proc/mdstat after --fail --remove"
wait_sync /dev/md0 120
assert_eq 1 "$(slot "$dev1")" "slot of $dev1 after the second rebuild"

# --remove failed: every faulty member
mdctl /dev/md0 --add "$dev3" 2>/dev/null
mdctl /dev/md0 --set-faulty "$dev0" 2>/dev/null
wait_sync /dev/md0 120
assert_state /dev/md0 "$dev0" faulty
mdctl /dev/md0 --remove failed 2>/tmp/err || fail "remove failed: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "hot removed $dev0" "remove failed: message"
in_mdstat "$dev0" && fail "$dev0 still in /proc/mdstat after --remove failed"

# --remove detached: a spare whose device node has gone
mdctl /dev/md0 --add "$dev5" 2>/dev/null
assert_state /dev/md0 "$dev5" spare
set -- $(stat -c '%t %T' "$dev5")
mv "$dev5" /tmp/node-dev5
# mdadm's example: fail whatever has gone, then remove it
mdctl /dev/md0 --fail detached --remove detached 2>/tmp/err ||
	{ mv /tmp/node-dev5 "$dev5"; fail "fail+remove detached: $(cat /tmp/err)"; }
mv /tmp/node-dev5 "$dev5"
assert_contains "$(cat /tmp/err)" "set $dev5 faulty in /dev/md0" "fail detached: message"
assert_contains "$(cat /tmp/err)" "hot removed $dev5 from /dev/md0" "remove detached: message"
in_mdstat "$dev5" && fail "$dev5 still in /proc/mdstat after --remove detached"
# nothing detached now: both keywords find nothing and succeed
mdctl /dev/md0 --fail detached --remove detached 2>/tmp/err || fail "detached with none: $(cat /tmp/err)"
assert_state /dev/md0 "$dev1" in_sync

# refusals change no byte of any device
mke2fs -q "$dev4" 2>&1
settle
devsums_save $devs
assert_fails mdctl /dev/md0 --fail "$dev4"
mdctl /dev/md0 --fail "$dev4" 2>/tmp/err || true
assert_contains "$(cat /tmp/err)" "/dev/md0: $dev4 is not a member" "not-a-member message"
assert_fails mdctl /dev/md0 --remove "$dev2"
mdctl /dev/md0 --remove "$dev2" 2>/tmp/err || true
assert_contains "$(cat /tmp/err)" "$dev2 is an active member" "active-member message"
assert_state /dev/md0 "$dev2" in_sync
assert_fails mdctl /dev/md0 --add "$dev4"
mdctl /dev/md0 --add "$dev4" 2>/tmp/err || true
assert_contains "$(cat /tmp/err)" "ext2 filesystem" "filesystem refusal names the signature"
assert_fails mdctl /dev/md0 --add "$dev2"
assert_fails mdctl /dev/md0 --fail
assert_fails mdctl /dev/md0 "$dev4"
settle
devsums_check

# a degraded array without spares rebuilds onto a device added later
mdctl /dev/md0 --fail "$dev2" --remove "$dev2" 2>/dev/null
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "degraded after failing $dev2"
dd if=/dev/zero of="$dev0" bs=1M count=4 status=none
mdctl /dev/md0 --add "$dev0" 2>/tmp/err || fail "add to degraded: $(cat /tmp/err)"
wait_sync /dev/md0 120
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "degraded after adding $dev0"
assert_state /dev/md0 "$dev0" in_sync
data_verify /dev/md0
mdadm --detail /dev/md0 >/dev/null
