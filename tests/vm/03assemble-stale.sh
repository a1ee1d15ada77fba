# SPDX-License-Identifier: GPL-2.0-or-later
# Stale members are left out and named; --run starts the degraded array; --force raises the newest stale member of a dead RAID5.
# timeout: 300

make_loops 3 40
set -- $devs
A=$1 B=$2 C=$3

echo "== a member failed earlier, the array written since"
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean "$A" "$B" "$C" 2>&1
data_write /dev/md0 4
mdadm /dev/md0 --fail "$C"
data_write /dev/md0 4
mdadm --stop /dev/md0
# it ran without C since: started without --run, as mdadm starts it
run_out mdctl --assemble /dev/md0 "$A" "$B" "$C"
assert_eq 0 "$rc" "exit status of assembling an array that ran degraded"
assert_contains "$out" "$C: left out of /dev/md0: marked faulty in the freshest superblock" "message naming the stale member"
assert_contains "$out" "/dev/md0 has been started with 2 drives (degraded)" "summary"
[ ! -e "/sys/block/md0/md/dev-$(basename "$C")" ] || fail "$C was added although stale"
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "degraded count"
data_verify /dev/md0
mdadm --stop /dev/md0

echo "== a mirror half left behind while the other ran alone"
mdadm --zero-superblock "$A" "$B" "$C"
mdadm --create /dev/md0 --run --level=1 -n2 --assume-clean "$A" "$B" 2>&1
mdadm --stop /dev/md0
mdctl --assemble --run /dev/md0 "$A"
data_write /dev/md0 2
data_write /dev/md0 2
mdadm --stop /dev/md0
run_out mdctl --assemble --run /dev/md0 "$A" "$B"
assert_eq 0 "$rc" "exit status"
assert_contains "$out" "$B: left out of /dev/md0: stale: events" "stale message"
data_verify /dev/md0
mdadm --stop /dev/md0

echo "== --force: two members of a RAID5 stale"
mdadm --zero-superblock "$A" "$B" "$C"
r5_two_stale /dev/md0 "$A" "$B" "$C" 4
run_out mdctl --assemble --run /dev/md0 "$A" "$B" "$C"
assert_eq 1 "$rc" "exit status without --force"
assert_contains "$out" "not enough members to start the raid5: 1 of 3" "refusal"
assert_contains "$out" "--force" "hint at --force"
devsums_check
[ ! -d /sys/block/md0/md ] || [ "$(cat /sys/block/md0/md/array_state)" = clear ] ||
	fail "md0 left behind: $(cat /sys/block/md0/md/array_state)"
ev=$(mdadm --examine "$A" | sed -n 's/ *Events : //p')
out=$(mdctl --assemble --force /dev/md0 "$A" "$B" "$C" 2>&1) || fail "--force did not start it: $out"
echo "$out"
assert_contains "$out" "$B: forced event count from" "what --force changed"
assert_contains "$out" "up to $ev (--force)" "new event count"
assert_contains "$out" "$A: role of device 1 ($B) changed from faulty to slot 1" "role change"
assert_contains "$out" "$C: left out of /dev/md0" "the older stale member stays out"
assert_contains "$out" "has been started with 2 drives (degraded)" "summary"
assert_state /dev/md0 "$B" in_sync
data_verify /dev/md0
mdadm --detail /dev/md0 | grep -q "State : clean, degraded" || fail "mdadm --detail: $(mdadm --detail /dev/md0)"
