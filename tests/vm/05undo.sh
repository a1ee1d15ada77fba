# SPDX-License-Identifier: GPL-2.0-or-later
# A step that fails after mdctl wrote is undone and said: --add whose disk the kernel refuses (a read-only array) and --assemble --force whose second superblock write fails (a read-only member) leave every disk byte-identical and no member bound.
# timeout: 400

make_loops 7 16
set -- $devs
A=$1 B=$2 C=$3 D=$4 E=$5 F=$6 G=$7
k() { basename "$1"; }
# text where a superblock and its bad-block log would go: no signature libblkid knows
old_data() {
	_i=0
	while [ $_i -lt 512 ]; do echo "old data of $1, line $_i, kept by the undo"; _i=$((_i + 1)); done |
		dd of="$1" bs=4096 conv=notrunc 2>/dev/null
	sync
}

echo "== --add: the kernel refuses the disk after its superblock was written"
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean "$A" "$B" "$C" 2>&1
data_write /dev/md0 2
mdadm --readonly /dev/md0
assert_eq readonly "$(cat /sys/block/md0/md/array_state)" "array_state"
old_data "$D"
devsums_save "$D"
run_out mdctl /dev/md0 --add "$D"
assert_eq 1 "$rc" "exit status of the refused --add"
assert_contains "$out" "mdctl: /dev/md0: cannot add $D: " "what failed"
assert_contains "$out" "; undone: its old superblock area written back" "what was undone"
devsums_check
[ ! -e "/sys/block/md0/md/dev-$(k "$D")" ] || fail "$D left bound to md0"
mdadm --examine "$D" >/dev/null 2>&1 && fail "$D holds an md superblock after the undo"
mdadm --readwrite /dev/md0
data_verify /dev/md0
mdadm --stop /dev/md0

echo "== --assemble --force: the fresh member cannot be written after a stale one was"
r5_two_stale /dev/md1 "$E" "$F" "$G" 2
# --force raises F's event count first, then writes E (F's role): E refuses the write
blockdev --setro "$E"
run_out mdctl --assemble --force /dev/md1 "$E" "$F" "$G"
blockdev --setrw "$E"
assert_eq 1 "$rc" "exit status"
assert_contains "$out" "$F: forced event count from" "the first write was made"
assert_contains "$out" "$E: cannot update the superblock" "the second write failed"
assert_contains "$out" "/dev/md1: undone: the superblocks --force changed are back as they were on $F" "what was undone"
case "$out" in *"could not put back"*) fail "a member was left written: $out" ;; esac
devsums_check
[ ! -d /sys/block/md1/md ] || [ "$(cat /sys/block/md1/md/array_state)" = clear ] ||
	fail "md1 left behind: $(cat /sys/block/md1/md/array_state)"
# put back as it was, the same --force works as it would have
out=$(mdctl --assemble --force /dev/md1 "$E" "$F" "$G" 2>&1) || fail "--force after the undo: $out"
echo "$out"
assert_contains "$out" "has been started with 2 drives (degraded)" "summary"
data_verify /dev/md1
mdadm --stop /dev/md1
