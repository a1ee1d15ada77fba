# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --create makes every level with 1.0/1.1/1.2 superblocks that match mdadm's field for field, run, and reassemble with data intact.
# timeout: 1800

make_loops 5 32

# examine_each DEV...: one mdadm --examine of every DEV (a process start costs the
# TCG guest far more than the parsing); the part of the I-th DEV (from 0) in $ex_I
examine_each() {
	_out=$(mdadm --examine "$@") || fail "mdadm --examine $* failed: $_out"
	_j=-1
	while IFS= read -r _l; do
		case $_l in
		/dev/*:) _j=$((_j + 1)); eval "ex_$_j="; continue ;;
		esac
		[ "$_j" -ge 0 ] && eval "ex_$_j=\"\${ex_$_j}\$_l
\""
	done <<EOF
$_out
EOF
	[ "$_j" = $(($# - 1)) ] || fail "mdadm --examine $*: $((_j + 1)) device parts for $# devices"
}

# exam_fields TEXT: the fields of an mdadm --examine TEXT that must agree between an
# mdadm-made and an mdctl-made member of the same shape (UUIDs, times, checksums
# differ by nature), leading blanks removed
exam_fields() {
	while IFS= read -r _l; do
		_l=${_l#"${_l%%[! ]*}"}
		case $_l in
		"Version :"* | "Feature Map :"* | "Name :"* | "Raid Level :"* | "Raid Devices :"* | \
		"Avail Dev Size :"* | "Array Size :"* | "Used Dev Size :"* | "Data Offset :"* | \
		"Super Offset :"* | "Unused Space :"* | "State :"* | "Bad Block Log :"* | "Events :"* | \
		"Layout :"* | "Chunk Size :"* | "Rounding :"* | "Device Role :"* | "Array State :"*)
			echo "$_l" ;;
		esac
	done <<EOF
$1
EOF
}

# check_array LEVEL N META: sysfs and mdadm agree that /dev/md0 is what was asked;
# leaves each member's mdadm --examine in $ex_0 .. $ex_(N-1)
check_array() {
	_lvl=$1 _n=$2 _meta=$3
	case $_lvl in linear) _kl=linear ;; *) _kl=raid$_lvl ;; esac
	assert_eq "$_kl" "$(cat /sys/block/md0/md/level)" "md0 level"
	assert_eq "$_n" "$(cat /sys/block/md0/md/raid_disks)" "md0 raid_disks"
	assert_eq "$_meta" "$(cat /sys/block/md0/md/metadata_version)" "md0 metadata_version"
	_st=$(cat /sys/block/md0/md/array_state)
	case $_st in clean|active|active-idle) ;; *) fail "md0 array_state is $_st" ;; esac
	_det=$(mdadm --detail /dev/md0) || fail "mdadm --detail /dev/md0 failed: $_det"
	assert_contains "$_det" "Raid Level : $_kl" "mdadm --detail level"
	assert_contains "$_det" "Raid Devices : $_n" "mdadm --detail raid devices"
	_uuid=$(echo "$_det" | sed -n 's/^ *UUID : //p')
	[ -n "$_uuid" ] || fail "mdadm --detail printed no UUID"
	_mem=$(echo $devs | cut -d' ' -f1-$_n)
	examine_each $_mem
	_i=0
	for _d in $_mem; do
		[ "$_kl" = linear ] || [ "$_kl" = raid0 ] || assert_state /dev/md0 "$_d" in_sync
		eval "_ex=\$ex_$_i"
		assert_contains "$_ex" "Array UUID : $_uuid" "mdadm --examine $_d UUID"
		assert_contains "$_ex" "Raid Level : $_kl" "mdadm --examine $_d level"
		assert_contains "$_ex" "Device Role : Active device $_i" "mdadm --examine $_d role"
		assert_contains "$_ex" "Version : $_meta" "mdadm --examine $_d version"
		_i=$((_i + 1))
	done
}

zero_all() {
	mdadm --zero-superblock $devs >/dev/null 2>&1 || true
}

levels="1 4 5 6 10 0"
if md_has_level linear; then levels="$levels linear"; else echo "no linear personality in $(uname -r): linear not made"; fi
for meta in 1.2 1.0 1.1; do
	for lvl in $levels; do
		n=4
		members=$(echo $devs | cut -d' ' -f1-$n)
		clean=--assume-clean
		case $lvl in 0|linear) clean= ;; esac
		echo "--- level $lvl, metadata $meta ($(date +%s))"

		# reference: the same shape made by mdadm
		zero_all
		mdadm --create /dev/md0 --run --metadata=$meta --level=$lvl --raid-devices=$n $clean $members >/dev/null 2>&1 ||
			fail "mdadm --create level $lvl metadata $meta failed"
		examine_each "$dev0" "$dev3"
		exam_fields "$ex_0" >/tmp/ref0
		exam_fields "$ex_1" >/tmp/ref3
		mdadm --stop /dev/md0 >/dev/null
		zero_all

		out=$(mdctl --create /dev/md0 --metadata=$meta --level=$lvl --raid-devices=$n $clean $members 2>&1) ||
			fail "mdctl --create level $lvl metadata $meta failed: $out"
		assert_contains "$out" "array /dev/md0 started" "mdctl --create message"
		check_array $lvl $n $meta
		exam_fields "$ex_0" >/tmp/got0
		exam_fields "$ex_3" >/tmp/got3
		diff /tmp/ref0 /tmp/got0 || fail "level $lvl metadata $meta: mdadm --examine of $dev0 differs from mdadm's own create (< mdadm, > mdctl)"
		diff /tmp/ref3 /tmp/got3 || fail "level $lvl metadata $meta: mdadm --examine of $dev3 differs from mdadm's own create (< mdadm, > mdctl)"

		data_write /dev/md0 1
		mdctl --stop /dev/md0 || fail "mdctl --stop /dev/md0 failed"
		[ "$(cat /sys/block/md0/md/array_state 2>/dev/null || echo clear)" = clear ] ||
			fail "md0 still running after mdctl --stop"
		mdadm --assemble /dev/md0 $members >/dev/null 2>&1 || fail "mdadm --assemble of the mdctl-made level $lvl array failed"
		check_array $lvl $n $meta
		data_verify /dev/md0
		mdadm --stop /dev/md0 >/dev/null
	done
done

# Without --assume-clean: raid5 rebuilds its last member as mdadm arranges it,
# raid1 and raid6 resync; afterwards a parity/mirror check finds no mismatch.
for lvl in 5 1 6; do
	echo "--- level $lvl, initial sync ($(date +%s))"
	zero_all
	members=$(echo $devs | cut -d' ' -f1-4)
	dmesg -c >/dev/null
	mdctl --create /dev/md0 --level=$lvl --raid-devices=4 $members || fail "mdctl --create level $lvl (no --assume-clean) failed"
	wait_sync /dev/md0 300
	# the kernel says which kind of initial sync it ran (too quick to catch in sync_action);
	# a rebuild is "recovery" on 6.1 and "recover" on 6.12
	if [ "$lvl" = 5 ]; then
		dmesg | grep -qE "md: recover(y)? of RAID array md0" || fail "raid5 create did not rebuild its last member"
	else
		dmesg | grep -q "md: resync of RAID array md0" || fail "raid$lvl create did not resync"
	fi
	for d in $members; do assert_state /dev/md0 "$d" in_sync; done
	assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded after sync"
	echo check >/sys/block/md0/md/sync_action
	wait_sync /dev/md0 300
	assert_eq 0 "$(cat /sys/block/md0/md/mismatch_cnt)" "mismatch_cnt after check"
	data_write /dev/md0 4
	mdadm --stop /dev/md0 >/dev/null
	mdadm --assemble /dev/md0 $members >/dev/null 2>&1 || fail "mdadm --assemble after initial sync failed"
	data_verify /dev/md0
	mdadm --stop /dev/md0 >/dev/null
done

# A spare, a name and a chunk: the spare is attached as spare, roles and name as written.
echo "--- raid5 with a spare, --name, --chunk, --layout"
zero_all
mdctl --create /dev/md0 -l raid5 -n 3 -x 1 -c 64 -p la -N data --homehost=testhost --assume-clean \
	$dev0 $dev1 $dev2 $dev3 || fail "mdctl --create with a spare failed"
assert_state /dev/md0 "$dev3" spare
assert_eq 65536 "$(cat /sys/block/md0/md/chunk_size)" "chunk_size"
assert_eq 0 "$(cat /sys/block/md0/md/layout)" "layout (left-asymmetric)"
ex=$(mdadm --examine "$dev3")
assert_contains "$ex" "Device Role : spare" "spare role"
assert_contains "$ex" "Name : testhost:data" "set_name"
assert_contains "$ex" "Layout : left-asymmetric" "examine layout"
det=$(mdadm --detail /dev/md0)
assert_contains "$det" "Spare Devices : 1" "mdadm --detail spare count"
mdadm --stop /dev/md0 >/dev/null

# 'missing' leaves its slot empty: degraded raid5 that mdadm assembles.
echo "--- raid5 with a missing member"
zero_all
mdctl --create /dev/md0 -l5 -n3 $dev0 missing $dev2 || fail "mdctl --create with missing failed"
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "md0 degraded with one missing"
ex=$(mdadm --examine "$dev2")
assert_contains "$ex" "Array State : A.A" "examine array state with missing slot 1"
assert_contains "$ex" "Device Role : Active device 2" "role of the third listed device"
data_write /dev/md0 4
mdadm --stop /dev/md0 >/dev/null
mdadm --assemble --run /dev/md0 $dev0 $dev2 >/dev/null 2>&1 || fail "mdadm --assemble of the degraded array failed"
data_verify /dev/md0
mdadm --stop /dev/md0 >/dev/null

# --size: a smaller component size, rounded to the chunk.
echo "--- --size"
zero_all
mdctl --create /dev/md0 -l1 -n2 --size=20000 --assume-clean $dev0 $dev1 || fail "mdctl --create --size failed"
assert_eq 20000 "$(cat /sys/block/md0/md/component_size)" "component_size with --size=20000"
mdadm --stop /dev/md0 >/dev/null
zero_all
mdctl --create /dev/md0 -l5 -n3 -c 64 --size=20000 --assume-clean $dev0 $dev1 $dev2 || fail "mdctl --create raid5 --size failed"
assert_eq 19968 "$(cat /sys/block/md0/md/component_size)" "component_size rounded down to the 64K chunk"
mdadm --stop /dev/md0 >/dev/null

# A named array: a free number from 127 down, the /dev/md/NAME link, NAME as the name.
echo "--- /dev/md/named"
zero_all
mdctl --create /dev/md/named -l1 -n2 --assume-clean $dev0 $dev1 || fail "mdctl --create /dev/md/named failed"
assert_eq ../md127 "$(readlink /dev/md/named)" "/dev/md/named link"
assert_eq raid1 "$(cat /sys/block/md127/md/level)" "md127 level"
assert_contains "$(mdadm --examine "$dev0")" "Name : (none):named" "name from /dev/md/named"
mdctl --stop /dev/md/named || fail "mdctl --stop /dev/md/named failed"
