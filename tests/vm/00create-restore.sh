# SPDX-License-Identifier: GPL-2.0-or-later
# A --create that fails after its superblocks are written (the md device node cannot be made) puts back every byte it wrote: the members are byte-identical by checksum and hold no md superblock.
# timeout: 200

make_loops 3 32
# something on the members that must survive: a pattern where the superblocks and bad-block logs go
for d in $devs; do
	dd if=/dev/urandom of="$d" bs=4096 count=16 2>/dev/null
	dd if=/dev/urandom of="$d" bs=4096 seek=$((32 * 256 - 16)) count=16 2>/dev/null
done
sync
devsums_save $devs

# /dev/md5 taken by a regular file: the array device cannot be made after the write
rm -f /dev/md5
: >/dev/md5
for meta in 1.2 1.0; do
	out=$(mdctl --create /dev/md5 --run --force --metadata=$meta --level=5 -n3 $devs 2>&1) &&
		fail "--create succeeded with /dev/md5 a regular file: $out"
	echo "$out"
	assert_contains "$out" "cannot create the array device" "the cause"
	assert_contains "$out" "removing the new superblocks" "the restore is said"
	case "$out" in *"could not put back"*) fail "a member was left written: $out" ;; esac
	devsums_check
	for d in $devs; do
		mdadm --examine "$d" >/dev/null 2>&1 && fail "$d: an md superblock remains after metadata $meta"
	done
done
rm -f /dev/md5
echo clear >/sys/block/md5/md/array_state 2>/dev/null || true
