# SPDX-License-Identifier: GPL-2.0-or-later
# An interrupted replacement (RAID5, RAID6, RAID1) comes back in its slot after mdctl --assemble and resumes where it stopped.
# timeout: 600

# sectors_done MD: the numerator of sync_completed, or "none".
sectors_done() {
	_sc=$(cat "/sys/block/$1/md/sync_completed")
	[ "$_sc" = none ] && { echo none; return 0; }
	echo "${_sc%% /*}"
}

# replace_case LEVEL NDISKS: create with mdadm, start a throttled replace of the
# second member, stop mid-copy, assemble with mdctl, check resume and data.
replace_case() {
	level=$1 n=$2
	echo "== raid$level with $n members"
	make_loops $((n + 1)) 64
	set -- $devs
	members=""
	i=0
	while [ $i -lt "$n" ]; do
		members="$members $1"
		shift
		i=$((i + 1))
	done
	new=$1
	old=$(echo $members | cut -d' ' -f2)
	mdadm --create /dev/md0 --run --level=$level -n$n $members 2>&1
	wait_sync /dev/md0 180
	data_write /dev/md0 16

	mdadm /dev/md0 --add "$new"
	throttle /dev/md0 300
	mdadm /dev/md0 --replace "$old" --with "$new"
	end=$(($(date +%s) + 60))
	while :; do
		d=$(sectors_done md0)
		[ "$d" != none ] && [ "$d" -gt 2048 ] && break
		[ "$(date +%s)" -lt "$end" ] || fail "raid$level: the replace made no progress (sync_completed $(cat /sys/block/md0/md/sync_completed))"
		usleep 200000
	done
	assert_state /dev/md0 "$new" replacement
	mdadm --stop /dev/md0

	# What the superblocks say now: NEW is slot 1's replacement with a recovery offset.
	ex=$(mdadm --examine "$new")
	assert_contains "$ex" "Replacement device 1" "mdadm --examine $new"
	off=$(echo "$ex" | sed -n 's/.*Recovery Offset : \([0-9]*\) sectors.*/\1/p')
	[ -n "$off" ] && [ "$off" -gt 0 ] || fail "raid$level: no recovery offset recorded on $new: $ex"
	echo "recovery offset on $new before assembly: $off sectors"

	# Slow resync system-wide so that the resumed copy is seen before it ends.
	echo 1 >/proc/sys/dev/raid/speed_limit_min
	echo 300 >/proc/sys/dev/raid/speed_limit_max
	out=$(mdctl --assemble /dev/md0 $members "$new" 2>&1) || fail "raid$level: mdctl --assemble failed: $out"
	echo "$out"
	assert_contains "$out" "has been started with $n drives and 1 replacement (slot 1," "assemble summary"
	assert_contains "$out" "$new is slot 1, replacement" "assemble member line"
	assert_state /dev/md0 "$new" replacement
	assert_state /dev/md0 "$old" in_sync

	end=$(($(date +%s) + 30))
	while :; do
		first=$(sectors_done md0)
		[ "$first" != none ] && break
		[ "$(date +%s)" -lt "$end" ] || fail "raid$level: no recovery after assembly"
		usleep 100000
	done
	echo "first sync_completed after assembly: $(cat /sys/block/md0/md/sync_completed)"
	[ "$first" -gt 0 ] || fail "raid$level: the copy restarted from zero"
	[ "$first" -ge "$off" ] || fail "raid$level: the copy resumed at $first, before the recorded $off"
	mdadm --detail /dev/md0 | grep -q "spare rebuilding" || fail "raid$level: mdadm --detail does not show the rebuilding replacement"

	echo 100000 >/proc/sys/dev/raid/speed_limit_min
	echo 2000000 >/proc/sys/dev/raid/speed_limit_max
	wait_sync /dev/md0 300
	assert_state /dev/md0 "$new" in_sync
	assert_state /dev/md0 "$old" faulty
	data_verify /dev/md0
	mdadm --stop /dev/md0
	losetup -D
	rm -rf /tmp/loops
}

replace_case 5 3
replace_case 6 4
replace_case 1 2
