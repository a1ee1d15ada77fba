# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input is refused with a clear message and nothing written: a split mirror, a corrupted superblock, stale-only members, devices in use.
# timeout: 400

make_loops 5 40
set -- $devs
A=$1 B=$2 C=$3 D=$4 E=$5

echo "== the two halves of a split RAID1"
mdadm --create /dev/md1 --run --level=1 -n2 --assume-clean "$A" "$B" 2>&1
mdadm --stop /dev/md1
mdadm --assemble --run /dev/md1 "$A" 2>&1
data_write /dev/md1 2
mdadm --stop /dev/md1
mdadm --assemble --run /dev/md1 "$B" 2>&1
data_write /dev/md1 2
data_write /dev/md1 2
mdadm --stop /dev/md1
devsums_save "$A" "$B"
run_out mdctl --assemble /dev/md1 "$A" "$B"
assert_eq 1 "$rc" "exit status for a split array"
assert_contains "$out" "split array" "message"
assert_contains "$out" "refusing to assemble" "message"
devsums_check
[ ! -d /sys/block/md1/md ] || [ -z "$(ls -d /sys/block/md1/md/dev-* 2>/dev/null)" ] || fail "members attached after refusal"
rc=0
out=$(mdctl --assemble --run /dev/md1 "$A" "$B" 2>&1) || rc=$?
assert_eq 1 "$rc" "--run does not override a split"
# one half alone is fine
mdctl --assemble --run /dev/md1 "$B"
data_verify /dev/md1
mdadm --stop /dev/md1

echo "== a corrupted superblock"
mdadm --zero-superblock "$A" "$B"
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean "$A" "$B" "$C" 2>&1
data_write /dev/md0 4
mdadm --stop /dev/md0
# flip a byte of the set name (superblock 1.2 at 4 KiB): the checksum no longer matches
printf 'X' | dd of="$C" bs=1 seek=$((4096 + 40)) conv=notrunc status=none
run_out mdctl --assemble /dev/md0 "$A" "$B" "$C"
assert_eq 2 "$rc" "exit status (degraded, not started)"
assert_contains "$out" "$C: left out of /dev/md0:" "corrupted member named"
assert_contains "$out" "checksum" "cause"
out=$(mdctl --assemble --run /dev/md0 "$A" "$B" "$C" 2>&1) || fail "--run: $out"
assert_contains "$out" "has been started with 2 drives (degraded)" "rest assembled"
data_verify /dev/md0

echo "== devices already in a running array"
# md0 runs on A and B; assembling them again elsewhere is refused
devsums_save "$C"
run_out mdctl --assemble --run /dev/md2 "$A" "$B"
assert_eq 1 "$rc" "exit status"
assert_contains "$out" "$A: left out of /dev/md2: is in use by /dev/md0" "busy member named"
assert_contains "$out" "already running" "message"
assert_eq 2 "$(ls -d /sys/block/md0/md/dev-* | wc -l)" "md0 members untouched"
data_verify /dev/md0
[ ! -d /sys/block/md2/md ] || [ -z "$(ls -d /sys/block/md2/md/dev-* 2>/dev/null)" ] || fail "md2 got members"

echo "== devices of two arrays in one list"
mdadm --create /dev/md3 --run --level=1 -n2 --assume-clean "$D" "$E" 2>&1
mdadm --stop /dev/md3
mdadm --stop /dev/md0
devsums_save "$A" "$B" "$D" "$E"
run_out mdctl --assemble /dev/md3 "$D" "$E" "$A"
assert_eq 1 "$rc" "exit status"
assert_contains "$out" "belong to different arrays" "message"
devsums_check
# --name picks one array from a longer list
mdctl --assemble /dev/md3 --name=3 "$A" "$B" "$D" "$E" || fail "--name did not pick md3's devices"
assert_eq 2 "$(ls -d /sys/block/md3/md/dev-* | wc -l)" "md3 members"
mdadm --stop /dev/md3

echo "== a device with no superblock at all"
mdadm --zero-superblock "$E"
run_out mdctl --assemble --run /dev/md3 "$E"
assert_eq 1 "$rc" "exit status"
assert_contains "$out" "$E: left out of /dev/md3: no md 1.x superblock" "message"
