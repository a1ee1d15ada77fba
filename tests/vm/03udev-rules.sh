# SPDX-License-Identifier: GPL-2.0-or-later
# The command lines in udev/64-mdctl-assembly.rules and 63-mdctl-arrays.rules, taken from the files and run as udev would, assemble, describe and drop members.
# timeout: 200

[ -f /udev/64-mdctl-assembly.rules ] || fail "the udev rules are not in the VM (/udev)"

# rule_cmd FILE KEY DEVNODE [MATCH [ID_PATH]]: the program of the first rule line holding KEY
# ("IMPORT{program}" or "RUN+") and MATCH, as udev would run it: @SBINDIR@ filled in as make
# install does, $devnode and $env{ID_PATH} substituted.
rule_cmd() {
	_line=$(grep -v '^#' "$1" | grep -F "$2" | grep -F -- "${4:-$2}" | head -1)
	[ -n "$_line" ] || fail "$1: no rule with $2 ${4:-}"
	echo "$_line" | awk -v k="$2" '{ i = index($0, k "=\""); s = substr($0, i + length(k) + 2);
		print substr(s, 1, index(s, "\"") - 1) }' | sed -e 's|@SBINDIR@|/sbin|g' -e "s|\\\$devnode|$3|g" \
		-e "s|\\\$env{ID_PATH}|${5:-}|g"
}

make_loops 3 40
set -- $devs
A=$1 B=$2 C=$3
mdadm --create /dev/md0 --run --level=1 -n3 --assume-clean --name=rules "$A" "$B" "$C" 2>&1
data_write /dev/md0 2
uuid=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p')
mdadm --stop /dev/md0
rm -f /etc/mdctl.conf /etc/mdadm/mdadm.conf /etc/mdadm.conf

# the add rule applies to linux_raid_member devices: check that is what they are
assert_eq linux_raid_member "$(blkid -o value -s TYPE "$A")" "blkid type of $A"

for d in $A $B $C; do
	cmd=$(rule_cmd /udev/64-mdctl-assembly.rules 'IMPORT{program}' "$d")
	echo "udev add $d: $cmd"
	out=$($cmd) || fail "$cmd failed"
	echo "$out"
	assert_contains "$out" "MD_STARTED=" "IMPORT output of $cmd"
	eval "$out"
done
assert_eq yes "$MD_STARTED" "after the last member"
k=$(basename "$MD_DEVICE")
mv /tmp/.data-md0 "/tmp/.data-$k"
data_verify "$MD_DEVICE"

cmd=$(rule_cmd /udev/63-mdctl-arrays.rules 'IMPORT{program}' "$MD_DEVICE")
echo "udev change $MD_DEVICE: $cmd"
out=$($cmd) || fail "$cmd failed"
echo "$out"
assert_contains "$out" "MD_UUID=$uuid" "detail export"
assert_contains "$out" "MD_LEVEL=raid1" "detail export (the monitor rule matches raid[1-9]*)"
assert_contains "$out" "MD_DEVNAME=rules" "detail export (the /dev/md/ link name)"

# the remove rule as udev runs it when the disk has an ID_PATH (mdadm's spelling): the bay is recorded
grep -q 'ACTION=="remove", ENV{ID_PATH}!="?\*", RUN+="@SBINDIR@/mdctl --incremental --fail \$devnode"' \
	/udev/64-mdctl-assembly.rules || fail "no remove rule for a disk without ID_PATH"
rm -f /run/mdctl/slot-*
cmd=$(rule_cmd /udev/64-mdctl-assembly.rules 'RUN+' "$B" 'ACTION=="remove", ENV{ID_PATH}=="?*"' pci-0000:00:1f.2-ata-2)
echo "udev remove $B: $cmd"
assert_contains "$cmd" "--incremental --fail $B --path pci-0000:00:1f.2-ata-2" "remove rule"
$cmd || fail "$cmd failed"
[ ! -e "/sys/block/$k/md/dev-$(basename "$B")" ] || fail "$B still a member after the remove rule"
assert_eq 1 "$(cat /sys/block/$k/md/degraded)" "degraded after the remove rule"
assert_contains "$(cat /run/mdctl/slot-pci-0000:00:1f.2-ata-2)" "uuid=$(echo "$uuid" | tr -d :)" "bay record"
data_verify "$MD_DEVICE"

# a blank disk arriving in that bay: the add rule for disks without a signature makes it a spare
make_loops 1 40
N=$dev0
echo "POLICY path=pci-0000:00:1f.2-ata-* action=spare-same-slot" >/etc/mdctl.conf
cmd=$(rule_cmd /udev/64-mdctl-assembly.rules 'RUN+' "$N" 'ENV{ID_FS_TYPE}==""' pci-0000:00:1f.2-ata-2)
echo "udev add $N: $cmd"
assert_contains "$cmd" "--incremental $N --path pci-0000:00:1f.2-ata-2" "blank-disk add rule"
$cmd || fail "$cmd failed"
[ -e "/sys/block/$k/md/dev-$(basename "$N")" ] || fail "$N not added by the blank-disk rule"
wait_sync "$MD_DEVICE" 200
assert_eq 0 "$(cat /sys/block/$k/md/degraded)" "degraded after the rebuild onto $N"
data_verify "$MD_DEVICE"
rm -f /etc/mdctl.conf

# make install fills in the binary's path
mkdir -p /tmp/work/inst
for r in /udev/*.rules; do
	sed 's|@SBINDIR@|/usr/sbin|g' "$r" >"/tmp/work/inst/$(basename "$r")"
done
! grep -q '@SBINDIR@' /tmp/work/inst/*.rules || fail "@SBINDIR@ left in installed rules"
grep -q '"/usr/sbin/mdctl --incremental --export \$devnode"' /tmp/work/inst/64-mdctl-assembly.rules ||
	fail "installed 64 rule: $(cat /tmp/work/inst/64-mdctl-assembly.rules)"
