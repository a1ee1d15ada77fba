# SPDX-License-Identifier: GPL-2.0-or-later
# Under Debian's own systemd-udevd with mdctl's installed rules, members attached one by one assemble each array once, the name and filesystem links appear, a member's removal runs the remove path, and a degraded array waits for the last resort; with mdadm's rules also installed and mdadm-takeover enabled only mdctl acts, and disable gives mdadm its rules back.
# timeout: 600
# needs: udevd

[ -x /lib/systemd/systemd-udevd ] || fail "no systemd-udevd in the VM (the harness adds it for '# needs: udevd')"
RULES=/usr/lib/udev/rules.d
BIN=/tmp/work/bin
CALLS=/tmp/work/calls
TAKEOVER=/usr/lib/mdctl/mdadm-takeover

# Logging wrappers: the installed rules call $BIN/mdctl and $BIN/mdadm, which record the call
# (and for --incremental the MD_STARTED they answered) and pass the output on to udev.
mkdir -p $BIN
for t in mdctl mdadm; do
	cat >$BIN/$t <<EOF
#!/bin/sh
out=\$(/sbin/$t "\$@"); rc=\$?
[ -n "\$out" ] && printf '%s\n' "\$out"
echo "$t \$* => \$(echo "\$out" | grep '^MD_STARTED=') rc=\$rc" >>$CALLS
exit \$rc
EOF
	chmod 755 $BIN/$t
done

# install_mdctl_rules / install_mdadm_rules: as make install and Debian's mdadm package put them.
install_mdctl_rules() {
	for f in /udev/*.rules; do sed "s|@SBINDIR@|$BIN|g" "$f" >"$RULES/$(basename "$f")"; done
}
install_mdadm_rules() {
	for f in /vm/udev-mdadm/*.rules; do sed "s|/sbin/mdadm|$BIN/mdadm|g" "$f" >"$RULES/$(basename "$f")"; done
}

udevd_stop() {
	udevadm control --exit 2>/dev/null || true
	_p=$(pidof systemd-udevd 2>/dev/null || true)
	[ -z "$_p" ] || kill $_p 2>/dev/null || true
}
trap 'udevd_stop; rm -f $RULES/*md*.rules; rm -rf /etc/udev/rules.d /var/lib/mdctl' EXIT

# Two arrays, made before udevd runs and then taken apart: images attached to loops later.
# alpha: RAID1 of 2 with ext4; beta: RAID5 of 3 with a partition holding ext4.
mkdir -p /tmp/imgs
for i in a1 a2 b1 b2 b3; do truncate -s 48M /tmp/imgs/$i; done
attach() { losetup --find --show "/tmp/imgs/$1"; }
la1=$(attach a1) la2=$(attach a2) lb1=$(attach b1) lb2=$(attach b2) lb3=$(attach b3)
mdctl --create /dev/md10 --run --level=1 --raid-devices=2 --assume-clean --name=alpha "$la1" "$la2"
mdctl --create /dev/md11 --run --level=5 --raid-devices=3 --assume-clean --name=beta "$lb1" "$lb2" "$lb3"
mkfs.ext4 -q -F -L alphafs /dev/md10
printf 'o\nn\np\n1\n\n\nw\n' | fdisk /dev/md11 >/dev/null 2>&1 || true
[ -b /dev/md11p1 ] || fail "fdisk made no /dev/md11p1"
mkfs.ext4 -q -F /dev/md11p1
fs_a=$(blkid -o value -s UUID /dev/md10)
fs_b=$(blkid -o value -s UUID /dev/md11p1)
uuid_a=$(mdctl --detail --export /dev/md10 | sed -n 's/^MD_UUID=//p')
uuid_b=$(mdctl --detail --export /dev/md11 | sed -n 's/^MD_UUID=//p')
[ -n "$fs_a" ] && [ -n "$fs_b" ] && [ -n "$uuid_a" ] && [ -n "$uuid_b" ] || fail "uuids: '$fs_a' '$fs_b' '$uuid_a' '$uuid_b'"
mdctl --stop /dev/md10
mdctl --stop /dev/md11
losetup -d "$la1" "$la2" "$lb1" "$lb2" "$lb3"
rm -f /etc/mdctl.conf /etc/mdadm/mdadm.conf /etc/mdadm.conf

mkdir -p /run/udev /etc/udev/rules.d
[ ! -w /sys/kernel/uevent_helper ] || echo >/sys/kernel/uevent_helper
install_mdctl_rules
/lib/systemd/systemd-udevd --daemon --resolve-names=never
udevadm trigger --type=subsystems --action=add
udevadm trigger --type=devices --action=add
udevadm settle -t 120 || fail "udevadm settle after the start timed out"

# arrays_reset: stop every array and detach every loop; fresh call log and kernel log.
arrays_reset() {
	udevadm settle -t 120 || true
	for _a in /sys/block/md*; do
		[ -d "$_a/md" ] && mdctl --stop "/dev/${_a##*/}" >/dev/null 2>&1
	done
	udevadm settle -t 120 || true
	losetup -D
	udevadm settle -t 120 || true
	: >$CALLS
	dmesg -c >/dev/null
}

# attach_all: the five members one by one, udev done with each before the next.
attach_all() {
	for i in a1 b1 b2 a2 b3; do
		l=$(attach $i)
		eval "l$i=$l"
		udevadm settle -t 120 || fail "udevadm settle after attaching $i timed out"
	done
}

# md_of UUID: the kernel name of the running array with that md UUID (via its by-id link).
md_of() {
	[ -L "/dev/disk/by-id/md-uuid-$1" ] || fail "/dev/disk/by-id/md-uuid-$1 missing: $(ls /dev/disk/by-id 2>&1 | tr '\n' ' ')"
	basename "$(readlink -f "/dev/disk/by-id/md-uuid-$1")"
}

# check_assembled: exactly the two arrays exist, complete, each started once by the kernel.
check_assembled() {
	n=$(ls -d /sys/block/md*/md 2>/dev/null | wc -l)
	assert_eq 2 "$n" "md arrays present ($(ls -d /sys/block/md* | tr '\n' ' '); $(cat /proc/mdstat))"
	ka=$(md_of "$uuid_a") kb=$(md_of "$uuid_b")
	assert_eq 2 "$(cat /sys/block/$ka/md/raid_disks)" "alpha raid_disks"
	assert_eq 0 "$(cat /sys/block/$ka/md/degraded)" "alpha degraded"
	assert_eq 0 "$(cat /sys/block/$kb/md/degraded)" "beta degraded"
	assert_eq 1 "$(dmesg | grep -c "md/raid1:$ka: active with 2 out of 2 mirrors")" "alpha started (kernel log)"
	assert_eq 1 "$(dmesg | grep -c "md/raid:$kb: raid level 5 active with 3 out of 3 devices")" "beta started (kernel log)"
}

# check_links: what mdadm's rules give an array and its partitions, from mdctl's.
check_links() {
	assert_eq "/dev/$ka" "$(readlink -f /dev/md/alpha)" "/dev/md/alpha"
	assert_eq "/dev/$kb" "$(readlink -f /dev/md/beta)" "/dev/md/beta"
	assert_eq "/dev/$ka" "$(readlink -f "/dev/disk/by-uuid/$fs_a")" "by-uuid of the ext4 on alpha"
	assert_eq "/dev/$ka" "$(readlink -f /dev/disk/by-label/alphafs)" "by-label alphafs"
	assert_eq "/dev/${kb}p1" "$(readlink -f "/dev/disk/by-uuid/$fs_b")" "by-uuid of the ext4 on beta's partition"
	assert_eq "/dev/${kb}p1" "$(readlink -f /dev/md/beta1)" "/dev/md/beta1"
	assert_eq "/dev/${kb}p1" "$(readlink -f "/dev/disk/by-id/md-uuid-$uuid_b-part1")" "md-uuid-...-part1"
	ls /dev/disk/by-id/md-name-*alpha >/dev/null 2>&1 || fail "no md-name link for alpha: $(ls /dev/disk/by-id | tr '\n' ' ')"
}

calls() { grep -c "^$1 $2" $CALLS || true; }

echo "== mdctl's rules alone"
arrays_reset
attach_all
cat $CALLS
check_assembled
check_links
# (a member's close after writing brings a change event, and the rule runs again: answer "already")
[ "$(calls mdctl '--incremental --export')" -ge 5 ] || fail "fewer mdctl --incremental calls than members"
assert_eq 2 "$(grep -c 'MD_STARTED=yes' $CALLS)" "MD_STARTED=yes answers"
udevadm info --query=property --name=/dev/$ka | grep -qx 'SYSTEMD_WANTS=mdctl-monitor.service' ||
	fail "alpha: no SYSTEMD_WANTS=mdctl-monitor.service: $(udevadm info --query=property --name=/dev/$ka)"

echo "== a new filesystem on alpha: the watch brings its link"
mkfs.ext4 -q -F -L alphanew /dev/$ka
udevadm settle -t 120
fs_new=$(blkid -o value -s UUID /dev/$ka)
assert_eq "/dev/$ka" "$(readlink -f "/dev/disk/by-uuid/$fs_new")" "by-uuid of the new ext4"
[ ! -e "/dev/disk/by-uuid/$fs_a" ] || fail "the old filesystem's by-uuid link stayed"
assert_eq "/dev/$ka" "$(readlink -f /dev/disk/by-label/alphanew)" "by-label alphanew"
fs_a=$fs_new
mkfs.ext4 -q -F -L alphafs -U "$fs_a" /dev/$ka

echo "== a member goes away: the remove path"
: >$CALLS
echo remove >"/sys/class/block/$(basename "$la2")/uevent"
udevadm settle -t 120
cat $CALLS
assert_eq 1 "$(calls mdctl "--incremental --fail $la2")" "remove rule call"
[ ! -e "/sys/block/$ka/md/dev-$(basename "$la2")" ] || fail "$la2 still in alpha after its remove event"
assert_eq 1 "$(cat /sys/block/$ka/md/degraded)" "alpha degraded after the remove event"
# back into alpha, so that the later rounds find two fresh members
mdctl /dev/$ka --add "$la2"
wait_sync /dev/$ka
assert_eq 0 "$(cat /sys/block/$ka/md/degraded)" "alpha after $la2 is added back"

echo "== two of beta's three: degraded start left to mdctl-last-resort@.timer"
arrays_reset
lb1=$(attach b1); udevadm settle -t 120
lb2=$(attach b2); udevadm settle -t 120
cat $CALLS
kb=$(ls -d /sys/block/md*/md | cut -d/ -f4)
assert_eq 1 "$(echo "$kb" | wc -w)" "arrays after two of beta's members ($kb)"
assert_eq inactive "$(cat /sys/block/$kb/md/array_state)" "beta with 2 of 3 members"
udevadm info --query=property --name="$lb2" | grep -qx "SYSTEMD_WANTS=mdctl-last-resort@$kb.timer" ||
	fail "$lb2: no SYSTEMD_WANTS=mdctl-last-resort@$kb.timer: $(udevadm info --query=property --name="$lb2")"
# no systemd here: run the service's command as systemd would for instance $kb, after its condition
unit=/tmp/work/mdctl-last-resort@.service
sed "s|@SBINDIR@|/sbin|g" /systemd/mdctl-last-resort@.service >$unit
cond=$(sed -n 's/^ConditionPathExists=!//p' $unit | sed "s|%i|$kb|g")
[ ! -e "$cond" ] || fail "the service's condition $cond holds before the start"
cmd=$(sed -n 's/^ExecStart=//p' $unit | sed "s|%i|$kb|g")
echo "last resort: $cmd"
$cmd || fail "$cmd failed"
udevadm settle -t 120
[ -e "$cond" ] || fail "$cond missing after the last resort"
assert_eq 1 "$(cat /sys/block/$kb/md/degraded)" "beta degraded after the last resort"
assert_eq "/dev/$kb" "$(readlink -f "/dev/disk/by-id/md-uuid-$uuid_b")" "beta's md-uuid link once running"
assert_eq "/dev/${kb}p1" "$(readlink -f "/dev/disk/by-uuid/$fs_b")" "by-uuid of beta's partition once running"

echo "== mdadm's rules installed too, no takeover (control: both act)"
arrays_reset
install_mdadm_rules
udevadm control --reload
attach_all
cat $CALLS
[ "$(calls mdadm '--incremental')" -gt 0 ] || fail "control: mdadm's rules did not call mdadm --incremental"
[ "$(calls mdctl '--incremental')" -gt 0 ] || fail "control: mdctl's rules did not call mdctl --incremental"

echo "== mdadm's rules installed, takeover enabled: mdctl alone"
arrays_reset
$TAKEOVER enable
[ "$(readlink /etc/udev/rules.d/64-md-raid-assembly.rules)" = /dev/null ] || fail "takeover did not mask 64-md-raid-assembly.rules"
udevadm control --reload
attach_all
cat $CALLS
assert_eq 0 "$(grep -c '^mdadm ' $CALLS)" "mdadm calls with the takeover enabled"
[ "$(calls mdctl '--incremental --export')" -ge 5 ] || fail "fewer mdctl --incremental calls than members"
assert_eq 2 "$(grep -c 'MD_STARTED=yes' $CALLS)" "MD_STARTED=yes answers"
check_assembled
check_links

echo "== takeover disabled, mdctl's rules removed (uninstall): mdadm alone again"
arrays_reset
$TAKEOVER disable
[ ! -e /etc/udev/rules.d/64-md-raid-assembly.rules ] || fail "mask left after disable"
rm -f $RULES/63-mdctl-arrays.rules $RULES/64-mdctl-assembly.rules
udevadm control --reload
attach_all
cat $CALLS
assert_eq 0 "$(grep -c '^mdctl ' $CALLS)" "mdctl calls after the uninstall"
[ "$(calls mdadm '--incremental')" -ge 5 ] || fail "fewer mdadm --incremental calls than members after the uninstall"
check_assembled
arrays_reset
