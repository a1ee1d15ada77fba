# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --assemble --scan finds and starts two arrays at once, without a config file and from ARRAY/DEVICE lines.
# timeout: 300

# moved OLD NEW: data_write's record follows an array to its new md number.
moved() { [ "$1" = "$2" ] || mv "/tmp/.data-$1" "/tmp/.data-$2"; }
kname_of() { basename "$(readlink -f "$1")"; }

make_loops 5 40
set -- $devs
A=$1 B=$2 C=$3 D=$4 E=$5
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean --name=alpha "$A" "$B" "$C" 2>&1
data_write /dev/md0 4
mdadm --create /dev/md1 --run --level=1 -n2 --assume-clean --name=beta "$D" "$E" 2>&1
data_write /dev/md1 4
ualpha=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p')
ubeta=$(mdadm --detail --export /dev/md1 | sed -n 's/^MD_UUID=//p')
mdadm --stop /dev/md0
mdadm --stop /dev/md1
last=md0 lastb=md1

echo "== no config file"
rm -f /etc/mdctl.conf /etc/mdadm/mdadm.conf /etc/mdadm.conf
out=$(mdctl --assemble --scan 2>&1) || fail "--scan failed: $out"
echo "$out"
[ -L /dev/md/alpha ] && [ -L /dev/md/beta ] || fail "no /dev/md/alpha and /dev/md/beta links: $(ls -l /dev/md 2>&1)"
ka=$(kname_of /dev/md/alpha) kb=$(kname_of /dev/md/beta)
assert_eq md127 "$ka" "first unnamed array's md number"
assert_eq md126 "$kb" "second unnamed array's md number"
assert_contains "$out" "/dev/md/alpha has been started with 3 drives" "alpha summary"
assert_contains "$out" "/dev/md/beta has been started with 2 drives" "beta summary"
moved $last "$ka"; moved $lastb "$kb"; last=$ka lastb=$kb
data_verify /dev/md/alpha
data_verify /dev/md/beta

echo "== again: both already running"
rc=0
out=$(mdctl --assemble --scan 2>&1) || rc=$?
echo "$out"
assert_eq 0 "$rc" "exit status when everything runs"
assert_contains "$out" "already running" "report"
assert_eq 3 "$(ls -d /sys/block/$ka/md/dev-* | wc -l)" "alpha members"
mdadm --stop /dev/md/alpha
mdadm --stop /dev/md/beta
rm -f /dev/md/alpha /dev/md/beta

echo "== config file with DEVICE and ARRAY lines"
cat >/tmp/work/two.conf <<CONF
DEVICE /dev/loop*
ARRAY /dev/md5 uuid=$ualpha
ARRAY /dev/md/beta name=beta
CONF
out=$(mdctl --assemble --scan --config=/tmp/work/two.conf 2>&1) || fail "--scan --config failed: $out"
echo "$out"
assert_eq raid5 "$(cat /sys/block/md5/md/level)" "md5 level"
kb=$(kname_of /dev/md/beta)
assert_eq raid1 "$(cat /sys/block/$kb/md/level)" "beta level"
moved $last md5; moved $lastb "$kb"; last=md5 lastb=$kb
data_verify /dev/md5
data_verify /dev/md/beta
mdadm --stop /dev/md5
mdadm --stop /dev/md/beta

echo "== only the arrays asked for"
out=$(mdctl --assemble --scan --config=/tmp/work/two.conf /dev/md5 2>&1) || fail "--scan /dev/md5: $out"
[ -d /sys/block/md5/md ] || fail "md5 not assembled"
[ ! -e /dev/md/beta ] || [ ! -d "/sys/block/$(kname_of /dev/md/beta)/md/dev-$(basename "$D")" ] || fail "beta assembled although not asked for"
data_verify /dev/md5
mdadm --stop /dev/md5

echo "== a config that lists one of the two"
cat >/tmp/work/one.conf <<CONF
DEVICE /dev/loop*
ARRAY /dev/md9 uuid=$ubeta
CONF
out=$(mdctl --assemble --scan -c /tmp/work/one.conf 2>&1) || fail "--scan one.conf: $out"
echo "$out"
assert_contains "$out" "is not in /tmp/work/one.conf: not assembled" "unlisted array reported"
moved $lastb md9; lastb=md9
data_verify /dev/md9
[ ! -d /sys/block/md5/md ] || fail "alpha assembled although not listed"
mdadm --stop /dev/md9

echo "== an ARRAY line whose devices are absent"
cat >/tmp/work/absent.conf <<CONF
DEVICE /dev/loop*
ARRAY /dev/md8 uuid=01234567:89abcdef:01234567:89abcdef
ARRAY /dev/md5 uuid=$ualpha
CONF
rc=0
out=$(mdctl --assemble --scan -c /tmp/work/absent.conf 2>&1) || rc=$?
echo "$out"
assert_eq 1 "$rc" "exit status when an array failed"
assert_contains "$out" "/dev/md8: no devices found for this ARRAY line" "message"
assert_contains "$out" "--scan: 1 started, 0 assembled but not started, 1 failed" "summary of what --scan found"
data_verify /dev/md5
mdadm --stop /dev/md5

echo "== several at once: what one after the other prints, in its order, and its exit status"
cat >/tmp/work/three.conf <<CONF
DEVICE /dev/loop*
ARRAY /dev/md5 uuid=$ualpha
ARRAY /dev/md8 uuid=01234567:89abcdef:01234567:89abcdef
ARRAY /dev/md6 uuid=$ubeta
CONF
for jobs in 1 4; do
	rc=0
	MDCTL_ASSEMBLE_JOBS=$jobs mdctl --assemble --scan -c /tmp/work/three.conf >/tmp/work/out.$jobs 2>&1 || rc=$?
	echo "exit $rc" >>/tmp/work/out.$jobs
	cat /tmp/work/out.$jobs
	assert_eq raid5 "$(cat /sys/block/md5/md/level)" "md5 level ($jobs workers)"
	assert_eq raid1 "$(cat /sys/block/md6/md/level)" "md6 started beside the failed md8 ($jobs workers)"
	moved $lastb md6; lastb=md6
	data_verify /dev/md5
	data_verify /dev/md6
	mdadm --stop /dev/md5
	mdadm --stop /dev/md6
done
assert_contains "$(cat /tmp/work/out.4)" "exit 1" "exit status with a failed array"
assert_eq "$(cat /tmp/work/out.1)" "$(cat /tmp/work/out.4)" "messages and exit status of 4 workers against one after the other"

echo "== an array named by --uuid alone"
mdctl --assemble /dev/md7 --uuid="$ubeta"
moved $lastb md7
data_verify /dev/md7
