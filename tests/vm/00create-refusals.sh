# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --create refuses unsafe or impossible requests with one clear line and leaves every device byte-identical.
# timeout: 1000

make_loops 5 4
a0=$dev0 a1=$dev1 a2=$dev2 a3=$dev3 a4=$dev4
big="$a0 $a1 $a2 $a3 $a4"
make_loops 1 1
small=$dev0

# refused CASE NEEDLE ARGS...: mdctl --create ARGS fails, its message contains
# NEEDLE, no device changed, and /dev/md0 got no member.
refused() {
	_case=$1 _needle=$2
	shift 2
	devsums_save $watch
	if _out=$(mdctl --create /dev/md0 "$@" 2>&1); then
		fail "$_case: mdctl --create $* succeeded"
	fi
	echo "$_case: $_out"
	assert_contains "$_out" "$_needle" "$_case: message"
	devsums_check
	if ls /sys/block/md0/md/dev-* >/dev/null 2>&1; then
		fail "$_case: /dev/md0 has members after a refused create"
	fi
	return 0
}
watch="$big $small"

# a filesystem
mke2fs -q -t ext4 "$a0" || mke2fs -q "$a0"
refused "ext4 filesystem" "$a0: has an ext4 filesystem; refusing to create (use --force to override)" \
	-l1 -n2 "$a0" "$a1"
# every member is checked: the ext4 one is named even when listed second
refused "ext4 second" "ext4" -l1 -n2 "$a1" "$a0"

# one device twice, by the same name and through a second node
refused "listed twice" "listed twice" -l1 -n2 "$a1" "$a1"
set -- $(stat -L -c '%t %T' "$a1")
mknod /dev/alias-a1 b $((0x$1)) $((0x$2))
refused "listed twice by two names" "listed twice" -l5 -n3 "$a1" "$a2" /dev/alias-a1
rm -f /dev/alias-a1

# too small: for the superblock and data, and for --size
refused "too small" "$small: " -l1 -n2 "$a1" "$small"
refused "smaller than --size" "too small" -l1 -n2 --size=8M "$a1" "$a2"

# bad shapes
refused "raid6 with 3" "at least 4" -l6 -n3 "$a1" "$a2" "$a3"
refused "raid0 spare" "spare" -l0 -n2 -x1 "$a1" "$a2" "$a3"
refused "raid10 n3 on 2" "at least 3" -l10 -n2 -p n3 "$a1" "$a2"
refused "count mismatch" "3 devices listed" -l5 -n4 "$a1" "$a2" "$a3"
refused "unknown level" "--level=9" -l9 -n2 "$a1" "$a2"
refused "raid1 chunk" "chunk" -l1 -n2 -c 64 "$a1" "$a2"
refused "bad layout" "layout" -l5 -n3 -p n2 "$a1" "$a2" "$a3"
refused "metadata 0.90" "0.90: not supported" -e 0.90 -l1 -n2 "$a1" "$a2"
refused "one device without --force" "use --force" -l1 -n1 "$a1"

# 'missing' that leaves nothing to run
refused "raid5 two missing" "unusable" -l5 -n3 missing missing "$a1"
refused "raid0 missing" "missing" -l0 -n2 missing "$a1"
refused "raid1 all missing" "missing" -l1 -n2 missing missing
refused "raid10 pair missing" "unusable" -l10 -n4 missing missing "$a1" "$a2"

# an md superblock of another array, reported with its UUID
mdadm --create /dev/md1 --run -l1 -n2 "$a3" "$a4" >/dev/null 2>&1 || fail "mdadm --create /dev/md1 failed"
uuid=$(mdadm --detail /dev/md1 | sed -n 's/^ *UUID : //p')

# in use: a member of a running array (md1 writes to a3/a4, so leave them out of the sums)
watch="$a0 $a1 $a2 $small"
refused "in use" "$a3: is in use" -l1 -n2 "$a1" "$a3"
mdadm --stop /dev/md1 >/dev/null

watch="$big $small"
refused "other array's superblock" "$uuid" -l1 -n2 "$a1" "$a3"
refused "other array's superblock says md" "md 1.2 superblock" -l1 -n2 "$a4" "$a1"

# the array device itself busy
mdadm --assemble /dev/md1 "$a3" "$a4" >/dev/null 2>&1 || fail "mdadm --assemble /dev/md1 failed"
watch="$a0 $a1 $a2 $small"
devsums_save $watch
if out=$(mdctl --create /dev/md1 -l1 -n2 --force "$a1" "$a2" 2>&1); then
	fail "create over a running /dev/md1 succeeded"
fi
assert_contains "$out" "/dev/md1: already in use" "create over a running array"
devsums_check
mdadm --stop /dev/md1 >/dev/null

# several problems at once: each is reported, nothing written
watch="$big $small"
devsums_save $watch
if out=$(mdctl --create /dev/md0 -l5 -n3 "$a0" "$a3" "$small" 2>&1); then
	fail "create with three bad members succeeded"
fi
assert_contains "$out" "$a0: has an ext4 filesystem" "first of several problems"
assert_contains "$out" "$a3: has an md" "second of several problems"
assert_contains "$out" "$small: " "third of several problems"
assert_contains "$out" "no device was written" "summary line"
devsums_check

# --force overrides signatures: ext4 and another array's superblock
out=$(mdctl --create /dev/md0 --force -l1 -n2 --assume-clean "$a0" "$a3" 2>&1) ||
	fail "mdctl --create --force over ext4 failed: $out"
echo "$out"
assert_contains "$out" "$a0: has an ext4 signature; creating over it because of --force" "--force warning"
assert_eq raid1 "$(cat /sys/block/md0/md/level)" "level after --force"
assert_state /dev/md0 "$a0" in_sync
mdadm --detail /dev/md0 >/dev/null || fail "mdadm --detail of the forced array failed"
new=$(mdadm --examine "$a3" | sed -n 's/^ *Array UUID : //p')
[ "$new" != "$uuid" ] || fail "--force kept the old array UUID on $a3"
mdadm --stop /dev/md0 >/dev/null

# Two partitions of one disk: refused unless --force; a disk with its own partition: always.
make_loops 1 16
printf 'o\nn\np\n1\n\n+6M\nn\np\n2\n\n\nw\n' | fdisk "$dev0" >/dev/null 2>&1 || true
img=$(losetup "$dev0" | sed -n 's/.*(\(.*\)).*/\1/p')
losetup -d "$dev0"
pd=$(losetup -P --find --show "$img") || fail "losetup -P $img failed"
[ -b "${pd}p2" ] || fail "no partitions on $pd (fdisk or losetup -P did not work)"
watch="$pd"
refused "two partitions of one disk" "on the same disk" -l1 -n2 "${pd}p1" "${pd}p2"
refused "disk and its partition" "a disk and its own partition" -l1 -n2 --force "$pd" "${pd}p2"
out=$(mdctl --create /dev/md0 --force -l1 -n2 --assume-clean "${pd}p1" "${pd}p2" 2>&1) ||
	fail "--force with two partitions of one disk failed: $out"
assert_eq 2 "$(cat /sys/block/md0/md/raid_disks)" "raid_disks of the partition mirror"
mdadm --stop /dev/md0 >/dev/null

# A superblock write that fails midway: the ones already written are put back.
mdadm --zero-superblock "$a3" >/dev/null 2>&1 || true
flakey_wrap "$a2" flcreate 0
flakey_fail_writes flcreate
watch="$a1 $a3 /dev/mapper/flcreate"
devsums_save $watch
if out=$(mdctl --create /dev/md0 -l5 -n3 --assume-clean "$a1" "$a3" /dev/mapper/flcreate 2>&1); then
	fail "create onto a device failing writes succeeded"
fi
echo "$out"
assert_contains "$out" "/dev/mapper/flcreate: cannot write the superblock" "write failure message"
devsums_check
if ls /sys/block/md0/md/dev-* >/dev/null 2>&1; then
	fail "/dev/md0 has members after a failed create"
fi
flakey_heal flcreate
