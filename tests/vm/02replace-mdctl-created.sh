# SPDX-License-Identifier: GPL-2.0-or-later
# Replacement on arrays mdctl created (1.2 and 1.0 metadata), cross-checked with Debian's mdadm: examine, detail, assemble.
# timeout: 700

private_state_dir

for meta in 1.2 1.0; do
	md_cleanup
	make_loops 6 32
	mdctl --create /dev/md0 --run --assume-clean --metadata=$meta --level=6 --raid-devices=4 --chunk=64 \
		"$dev0" "$dev1" "$dev2" "$dev3"
	data_write /dev/md0 8
	s1=$(cat "/sys/block/md0/md/dev-$(kn "$dev1")/slot")
	s2=$(cat "/sys/block/md0/md/dev-$(kn "$dev2")/slot")
	# two disks not in the array: mdctl writes their spare superblocks ($meta) and pairs them
	mdctl /dev/md0 --replace "$dev1" --with "$dev4" --replace "$dev2" --with "$dev5" --wait
	assert_eq "$s1" "$(cat "/sys/block/md0/md/dev-$(kn "$dev4")/slot")" "slot of $dev4"
	assert_eq "$s2" "$(cat "/sys/block/md0/md/dev-$(kn "$dev5")/slot")" "slot of $dev5"
	assert_state /dev/md0 "$dev4" in_sync
	assert_state /dev/md0 "$dev5" in_sync
	data_verify /dev/md0
	# mdadm agrees: the new members hold those roles, the array is clean and complete
	ex=$(mdadm --examine "$dev4")
	assert_contains "$ex" "Version : $meta" "metadata version of $dev4 per mdadm"
	assert_contains "$ex" "Device Role : Active device $s1" "role of $dev4 per mdadm"
	ex=$(mdadm --examine "$dev5")
	assert_contains "$ex" "Device Role : Active device $s2" "role of $dev5 per mdadm"
	det=$(mdadm --detail /dev/md0)
	assert_contains "$det" "Active Devices : 4" "mdadm --detail active devices"
	case "$det" in *degraded*|*Failed\ Devices\ :\ [1-9]*) fail "mdadm --detail: $det" ;; esac
	mdadm --stop /dev/md0 2>&1
	mdadm --assemble /dev/md0 "$dev0" "$dev3" "$dev4" "$dev5" 2>&1
	assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "degraded after mdadm --assemble ($meta)"
	check_clean /dev/md0 "$meta"
	mdadm --stop /dev/md0 2>&1
done
