# SPDX-License-Identifier: GPL-2.0-or-later
# A member whose writes fail, written in whole stripes (the kernel records only some bad blocks, facts 7): --replace finds the stale stripes, rebuilds them from redundancy, and the array returns exactly what was written.
# timeout: 900
# Also sourced by 02replace-stale-raid6/-raid1/-small with STALE_LEVEL, STALE_BS set.

level=${STALE_LEVEL:-5}
bs=${STALE_BS:-1M}
private_state_dir
case $level in
1) n=2 ;;
5) n=3 ;;
6) n=4 ;;
esac
make_loops $((n + 1)) 40
new=$(eval echo "\$dev$n")
members=""
i=0
while [ $i -lt $n ]; do
	if [ $i -eq 1 ]; then
		# data starts at 1 MiB; superblock and bad-block log before it stay writable
		flakey_wrap "$dev1" fl1 2048
		members="$members /dev/mapper/fl1"
	else
		members="$members $(eval echo "\$dev$i")"
	fi
	i=$((i + 1))
done
chunk=""
[ "$level" = 1 ] || chunk="--chunk=64"
mdadm --create /dev/md0 --run --assume-clean --level=$level --raid-devices=$n $chunk --data-offset=1024 \
	$members 2>&1
D=/sys/block/md0/md
k=$(_kname /dev/mapper/fl1)
assert_eq 2048 "$(cat $D/dev-$k/offset)" "data offset of fl1"
oslot=$(cat $D/dev-$k/slot)

flakey_fail_writes fl1
data_write /dev/md0 "${STALE_MB:-16}" "$bs"
wait_until 100 'the kernel did not mark fl1: $(cat $D/dev-$k/state)' \
	has_state /dev/md0 /dev/mapper/fl1 want_replacement
sleep 1
echo "fl1: $(cat $D/dev-$k/state); $(wc -l <$D/dev-$k/bad_blocks) bad-block entries"
assert_contains "$(cat $D/dev-$k/state)" in_sync "fl1 still in service"
# metrics say its content is suspect (write errors since assembly) before anything is verified
assert_contains "$(mdctl --metrics /dev/md0)" "mdctl_member_content_suspect{array=\"md0\",member=\"$k\"} 1" "metrics: fl1 suspect"
if [ "${STALE_EXPECT:-stale}" = stale ]; then
	# the kernel defect this scenario is about: reads return stale blocks now
	assert_fails data_verify /dev/md0
fi

out=$(mdctl --replace /dev/md0 --with "$new" --wait --verify 2>&1) || fail "replace failed: $out"
echo "$out"
assert_contains "$out" "saw write errors: comparing its stripes with redundancy" "verification announced"
if [ "${STALE_EXPECT:-stale}" = stale ]; then
	assert_contains "$out" "disagree with redundancy" "stale ranges found"
	assert_contains "$out" "recorded as its bad blocks" "stale ranges recorded"
fi
assert_contains "$out" "--verify: mismatch_cnt 0" "check after the copy"
assert_eq "$oslot" "$(cat $D/dev-$(_kname "$new")/slot)" "slot of $new"
assert_state /dev/md0 "$new" in_sync
assert_eq 0 "$(cat $D/degraded)" "md0 degraded"
[ ! -e "$D/dev-$k" ] || fail "the retired fl1 is still in md0"
echo 3 >/proc/sys/vm/drop_caches
data_verify /dev/md0
# an independent check: md's own count after the replacement
echo check >$D/sync_action
wait_sync /dev/md0 300
assert_eq 0 "$(cat $D/mismatch_cnt)" "mismatch_cnt after a check"
data_verify /dev/md0
