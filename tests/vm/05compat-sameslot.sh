# SPDX-License-Identifier: GPL-2.0-or-later
# Same-bay hot-swap (POLICY action=spare-same-slot): --incremental --fail --path records the bay, a blank disk arriving there becomes a spare of that array (RAID1, RAID5) and md rebuilds onto it; action=spare needs no record; another bay, a disk with a filesystem, or an array not degraded leave the disk untouched.
# timeout: 400

make_loops 9 16
A=$dev0 B=$dev1 C=$dev2 D=$dev3 E=$dev4 N1=$dev5 N2=$dev6 N3=$dev7 N4=$dev8
rundir=/run/mdctl
mdctl --create /dev/md0 --run -l1 -n2 --assume-clean "$A" "$B" 2>&1
mdctl --create /dev/md1 --run -l5 -n3 --assume-clean "$C" "$D" "$E" 2>&1
data_write /dev/md0 4
data_write /dev/md1 8
u0=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p' | tr -d ':')
u1=$(mdadm --detail --export /dev/md1 | sed -n 's/^MD_UUID=//p' | tr -d ':')
cat >/etc/mdctl.conf <<CONF
POLICY domain=shelf path=fake-bay-* action=spare-same-slot
CONF
rm -f "$rundir"/slot-*
degraded() { cat "/sys/block/$1/md/degraded"; }
member() { [ -e "/sys/block/$1/md/dev-$(basename "$2")" ]; }

# removal: the member is failed and removed, the bay remembered
slotB=$(cat "/sys/block/md0/md/dev-$(basename "$B")/slot")
mdctl --incremental --fail "$B" --path fake-bay-1 2>&1 || fail "--incremental --fail --path"
! member md0 "$B" || fail "$B still in md0"
assert_eq 1 "$(degraded md0)" "md0 degraded after the removal"
rec=$(cat "$rundir/slot-fake-bay-1") || fail "no record for fake-bay-1: $(ls -la $rundir)"
assert_contains "$rec" "uuid=$u0" "record of fake-bay-1"
assert_contains "$rec" "slot=$slotB" "record of fake-bay-1"

# a disk with a filesystem in that bay, and a blank disk in a bay no POLICY names: untouched
mkfs.ext2 -q -F "$N3" >/dev/null 2>&1 || fail "mkfs.ext2 $N3"
devsums_save "$N2" "$N3"
out=$(mdctl --incremental "$N3" --path fake-bay-1 2>&1) && fail "a disk with ext2 was taken: $out"
echo "$out"
assert_contains "$out" "ext2" "refusal of $N3"
out=$(mdctl --incremental "$N2" --path other-bay-2 2>&1) && fail "a disk in another bay was taken: $out"
echo "$out"
assert_contains "$out" "no POLICY line" "refusal of $N2"
devsums_check
! member md0 "$N2" && ! member md0 "$N3" || fail "a refused disk joined md0"
assert_eq 1 "$(degraded md0)" "md0 still degraded"
[ -f "$rundir/slot-fake-bay-1" ] || fail "the record went with a refused disk"

# the blank disk in the same bay: a spare of md0, md rebuilds onto it
mdctl --incremental "$N1" --path fake-bay-1 2>&1 || fail "blank disk in fake-bay-1 not added"
member md0 "$N1" || fail "$N1 not in md0"
[ ! -e "$rundir/slot-fake-bay-1" ] || fail "the record of fake-bay-1 stayed"
wait_sync /dev/md0 200
assert_eq 0 "$(degraded md0)" "md0 degraded after the rebuild"
assert_state /dev/md0 "$N1" in_sync
assert_eq "$slotB" "$(cat "/sys/block/md0/md/dev-$(basename "$N1")/slot")" "slot of $N1"
data_verify /dev/md0

# an array that is not degraded takes nothing, even from its bay
devsums_save "$N2"
out=$(mdctl --incremental "$N2" --path fake-bay-1 2>&1) && fail "a healthy array took $N2: $out"
echo "$out"
devsums_check

# RAID5, with md0 degraded too: the record, not the first degraded array, chooses
mdctl --incremental --fail "$A" --path fake-bay-0 2>&1 || fail "--fail $A"
mdctl --incremental --fail "$D" --path fake-bay-5 2>&1 || fail "--fail $D"
assert_eq 1 "$(degraded md0)" "md0 degraded"
assert_eq 1 "$(degraded md1)" "md1 degraded"
assert_contains "$(cat "$rundir/slot-fake-bay-5")" "uuid=$u1" "record of fake-bay-5"
mdctl --incremental "$N2" --path fake-bay-5 2>&1 || fail "blank disk in fake-bay-5 not added"
member md1 "$N2" || fail "$N2 not in md1"
! member md0 "$N2" || fail "$N2 went to md0"
wait_sync /dev/md1 200
assert_eq 0 "$(degraded md1)" "md1 degraded after the rebuild"
assert_state /dev/md1 "$N2" in_sync
data_verify /dev/md1

# action=spare needs no record: a blank disk in a bay it names joins the degraded md0
echo "POLICY path=spare-bay-* action=spare" >/etc/mdctl.conf
[ ! -e "$rundir/slot-spare-bay-1" ] || fail "a record for spare-bay-1 exists"
mdctl --incremental "$N4" --path spare-bay-1 2>&1 || fail "blank disk in spare-bay-1 not added"
member md0 "$N4" || fail "$N4 not in md0"
wait_sync /dev/md0 200
assert_eq 0 "$(degraded md0)" "md0 degraded after the rebuild onto $N4"
data_verify /dev/md0
rm -f /etc/mdctl.conf
