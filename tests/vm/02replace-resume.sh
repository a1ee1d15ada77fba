# SPDX-License-Identifier: GPL-2.0-or-later
# Array stopped mid-copy and assembled again by mdadm: the copy resumes from its recovery offset and completes.
# timeout: 700

private_state_dir

# the global speed limits are changed below: put them back however the scenario ends
trap 'echo 200000 >/proc/sys/dev/raid/speed_limit_max; echo 1000 >/proc/sys/dev/raid/speed_limit_min' EXIT
make_loops 4 32
r5_data 8
oslot=$(cat "/sys/block/md0/md/dev-$(kn "$dev1")/slot")
throttle /dev/md0 500
mdctl --replace /dev/md0 "$dev1" --with "$dev3"
wait_until 300 'the copy did not get far: sync_completed=$copy_at' copy_past /dev/md0 16384
echo "stopping at $copy_at"
mdadm --stop /dev/md0 2>&1
ex=$(mdadm --examine "$dev3")
echo "$ex" | grep -iE 'recovery offset|feature|device role'
off=$(echo "$ex" | awk -F: '/Recovery Offset/ { gsub(/[^0-9]/, "", $2); print $2 }')
[ -n "$off" ] && [ "$off" -gt 0 ] || fail "no recovery offset in $dev3's superblock"
assert_contains "$ex" "Replacement" "role of $dev3 after the stop"
# slow everything down so the first sample after assembly is taken early
echo 200 >/proc/sys/dev/raid/speed_limit_max
echo 1 >/proc/sys/dev/raid/speed_limit_min
mdadm --assemble /dev/md0 "$dev0" "$dev1" "$dev2" "$dev3" 2>&1
first=""
_t=0
while [ -z "$first" ]; do
	_c=$(cat /sys/block/md0/md/sync_completed)
	[ "$_c" != none ] && first=${_c%% *}
	_t=$((_t + 1))
	[ $_t -lt 100 ] || fail "no recovery after assembly"
	usleep 50000
done
echo "first sync_completed after assembly: $first (recovery offset was $off)"
[ "$first" -gt 0 ] || fail "the copy restarted from zero"
[ "$first" -ge "$off" ] || fail "the copy resumed at $first, before the recovery offset $off"
assert_state /dev/md0 "$dev3" replacement
echo 200000 >/proc/sys/dev/raid/speed_limit_max
echo 1000 >/proc/sys/dev/raid/speed_limit_min
wait_sync /dev/md0 300
assert_eq "$oslot" "$(cat "/sys/block/md0/md/dev-$(kn "$dev3")/slot")" "slot of $dev3"
assert_state /dev/md0 "$dev3" in_sync
assert_state /dev/md0 "$dev1" faulty
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
# the intent recorded before the stop is noticed as finished and forgotten
assert_contains "$(mdctl --replace --list)" "finished" "--list after the resumed copy"
_j=$(mdctl --replace --list --json)
case "$_j" in *'"state"'*) fail "intent left: $_j" ;; esac
data_verify /dev/md0
