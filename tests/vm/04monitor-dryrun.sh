# SPDX-License-Identifier: GPL-2.0-or-later
# --dry-run --oneshot says which spare it would move and which member it would mark, and why not, and changes nothing: sysfs states and every device byte-identical.
# timeout: 360

make_loops 6 64
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
mdadm --create /dev/md1 --run --level=1 -n2 -x1 "$dev3" "$dev4" "$dev5" 2>&1
wait_sync /dev/md0
wait_sync /dev/md1
echo want_replacement >/sys/block/md0/md/dev-$(basename "$dev1")/state
# three bad blocks on loop0 reach the threshold of the config below
for s in 1000 3000 5000; do echo "$s 8" >/sys/block/md0/md/dev-$(basename "$dev0")/bad_blocks; done
cat >/tmp/work/mdctl.conf <<CONF
ARRAY /dev/md0 UUID=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p') spare-group=pool replace-badblocks=3
ARRAY /dev/md1 UUID=$(mdadm --detail --export /dev/md1 | sed -n 's/^MD_UUID=//p') spare-group=pool
CONF
sleep 2
states() {
	for a in md0 md1; do
		for m in /sys/block/$a/md/dev-*; do echo "$a ${m##*/} $(cat $m/state) $(cat $m/slot)"; done
	done
}
before=$(states)
devsums_save $devs
out=$(MDCTL_STATE_DIR=/tmp/work/state mdctl --monitor --scan --dry-run --oneshot --config /tmp/work/mdctl.conf 2>&1) ||
	fail "dry run failed: $out"
echo "$out"
assert_contains "$out" "dry-run: would mark $(basename "$dev0") of md0 for replacement: 3 bad blocks reached replace-badblocks=3" "the threshold mark"
assert_contains "$out" "dry-run: would move spare $(basename "$dev5") from md1 to md0" "the spare move"
assert_contains "$out" "ReplaceStalled /dev/md0" "a stalled report"
assert_contains "$out" "no free spare in spare-group pool" "why the second member waits"
sleep 1
assert_eq "$before" "$(states)" "sysfs states after the dry run"
devsums_check
[ ! -e /tmp/work/state/replacements.json ] || fail "the dry run recorded an intent"
