# SPDX-License-Identifier: GPL-2.0-or-later
# Arrays of each level (1, 5, 6, 10) and metadata (1.0, 1.1, 1.2) made by mdadm, stopped, come back whole under mdctl --assemble.
# timeout: 900

make_loops 4 40
for meta in 1.0 1.1 1.2; do
	for level in 1 5 6 10; do
		n=4
		[ "$level" = 1 ] && n=2
		[ "$level" = 5 ] && n=3
		set -- $devs
		members=""
		i=0
		while [ $i -lt $n ]; do
			members="$members $1"
			shift
			i=$((i + 1))
		done
		echo "== raid$level metadata $meta on$members"
		mdadm --create /dev/md0 --run --metadata=$meta --level=$level -n$n --assume-clean $members 2>&1
		data_write /dev/md0 4
		uuid=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p')
		mdadm --stop /dev/md0

		out=$(mdctl --assemble /dev/md0 $members 2>&1) || fail "raid$level/$meta: mdctl --assemble failed: $out"
		echo "$out"
		assert_contains "$out" "/dev/md0 has been started with $n drives" "raid$level/$meta summary"
		assert_eq "raid$level" "$(cat /sys/block/md0/md/level)" "raid$level/$meta level"
		assert_eq "$meta" "$(cat /sys/block/md0/md/metadata_version)" "raid$level/$meta metadata_version"
		for d in $members; do
			assert_state /dev/md0 "$d" in_sync
		done
		data_verify /dev/md0

		# mdadm accepts what mdctl assembled
		det=$(mdadm --detail /dev/md0) || fail "raid$level/$meta: mdadm --detail failed"
		assert_contains "$det" "Active Devices : $n" "mdadm --detail (raid$level/$meta)"
		assert_contains "$det" "Working Devices : $n" "mdadm --detail (raid$level/$meta)"
		assert_contains "$(mdadm --detail --export /dev/md0)" "MD_UUID=$uuid" "mdadm --detail --export UUID"
		mdadm --stop /dev/md0
		for d in $devs; do
			mdadm --zero-superblock "$d" >/dev/null 2>&1 || true
		done
	done
done

# mdadm assembles again what mdctl assembled and stopped (the superblocks stay valid)
set -- $devs
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean "$1" "$2" "$3" 2>&1
data_write /dev/md0 4
mdadm --stop /dev/md0
mdctl --assemble /dev/md0 "$1" "$2" "$3"
mdadm --stop /dev/md0
mdadm --assemble /dev/md0 "$1" "$2" "$3" 2>&1
data_verify /dev/md0
mdadm --stop /dev/md0

# read-only start
mdctl --assemble --readonly /dev/md0 "$1" "$2" "$3"
assert_eq readonly "$(cat /sys/block/md0/md/array_state)" "array_state after --readonly"
data_verify /dev/md0
mdadm --stop /dev/md0

# assembling a running array is refused, nothing changes
mdctl --assemble /dev/md0 "$1" "$2" "$3"
assert_fails mdctl --assemble /dev/md0 "$1" "$2" "$3"
assert_eq 3 "$(ls -d /sys/block/md0/md/dev-* | wc -l)" "members of md0 after the refused assemble"
data_verify /dev/md0
mdadm --stop /dev/md0

# a /dev/md/NAME that does not exist yet gets the highest free number and the link
out=$(mdctl --assemble /dev/md/data "$1" "$2" "$3" 2>&1) || fail "assemble /dev/md/data: $out"
echo "$out"
assert_contains "$out" "/dev/md/data has been started with 3 drives" "summary"
assert_eq ../md127 "$(readlink /dev/md/data)" "/dev/md/data link"
mv /tmp/.data-md0 /tmp/.data-md127
data_verify /dev/md/data
