# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --stop (refused while open), --run of an inactive array, --readonly/--readwrite; mdadm reassembles.
# timeout: 240

make_loops 3 32
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 120
data_write /dev/md0 8

# held open: refused, array untouched
exec 3</dev/md0
assert_fails mdctl --stop /dev/md0
mdctl --stop /dev/md0 2>/tmp/err || true
exec 3<&-
assert_contains "$(cat /tmp/err)" "/dev/md0: still in use" "stop refusal message"
grep -q "^md0 : active" /proc/mdstat || fail "md0 not running after a refused stop"

mdctl --stop /dev/md0 2>/tmp/err || fail "stop: $(cat /tmp/err)"
assert_contains "$(cat /tmp/err)" "mdctl: stopped /dev/md0" "stop message"
grep -q '^md0 ' /proc/mdstat && fail "md0 still in /proc/mdstat after --stop"

# mdadm brings it back, data intact
mdadm --assemble /dev/md0 "$dev0" "$dev1" "$dev2" 2>&1
data_verify /dev/md0

# --readonly / --readwrite
mdctl /dev/md0 --readonly 2>/tmp/err || fail "readonly: $(cat /tmp/err)"
assert_eq readonly "$(cat /sys/block/md0/md/array_state)" "array_state after --readonly"
assert_fails dd if=/dev/zero of=/dev/md0 bs=4096 count=1 oflag=direct status=none
mdctl /dev/md0 --readwrite 2>/tmp/err || fail "readwrite: $(cat /tmp/err)"
case "$(cat /sys/block/md0/md/array_state)" in
clean|active|active-idle) ;;
*) fail "array_state after --readwrite: $(cat /sys/block/md0/md/array_state)" ;;
esac
data_verify /dev/md0

# --run: an array assembled without all members stays inactive until asked
# (mdadm 4.2 tears such an array down again, so assemble it through sysfs)
mdctl --stop /dev/md0 2>/dev/null
[ -d /sys/block/md0/md ] || echo md0 >/sys/module/md_mod/parameters/new_array
echo 1.2 >/sys/block/md0/md/metadata_version
for d in "$dev0" "$dev1"; do
	cat "/sys/class/block/$(basename "$d")/dev" >/sys/block/md0/md/new_dev
done
assert_eq inactive "$(cat /sys/block/md0/md/array_state)" "state of a partly assembled array"
mdadm --detail /dev/md0 | sed 's/ *$//' >/tmp/a
mdctl --detail /dev/md0 | sed 's/ *$//' >/tmp/b
diff /tmp/a /tmp/b || fail "--detail of an inactive array differs from mdadm's"
rc=0
mdctl --detail --test /dev/md0 >/dev/null || rc=$?
assert_eq 2 "$rc" "--test of an array not started"
mdctl --run /dev/md0 2>/tmp/err || fail "run: $(cat /tmp/err)"
case "$(cat /sys/block/md0/md/array_state)" in
clean|active|active-idle|read-auto) ;;
*) fail "array_state after --run: $(cat /sys/block/md0/md/array_state)" ;;
esac
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "degraded after --run with two of three"
data_verify /dev/md0

# --stop takes several arrays; a missing one fails the call
mdctl --stop /dev/md0 2>/dev/null
assert_fails mdctl --stop /dev/md0

# stopping in the middle of a recovery: the kernel interrupts it, assembly resumes it
mdadm --assemble --run /dev/md0 "$dev0" "$dev1" 2>&1
mdadm --zero-superblock "$dev2"
throttle /dev/md0 500
mdadm /dev/md0 --add "$dev2" 2>&1
usleep 500000
assert_eq recover "$(cat /sys/block/md0/md/sync_action)" "sync_action while rebuilding onto $dev2"
mdctl --stop /dev/md0 2>/tmp/err || fail "stop during recovery: $(cat /tmp/err)"
grep -q '^md0 ' /proc/mdstat && fail "md0 still in /proc/mdstat after --stop during recovery"
mdadm --assemble /dev/md0 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 120
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "degraded after the interrupted recovery resumed"
data_verify /dev/md0
