# SPDX-License-Identifier: GPL-2.0-or-later
# A degraded array and a member marked for replacement compete for the group's one spare: the degraded array gets it, the other is reported ReplaceStalled.
# timeout: 240

make_loops 8 64
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
mdadm --create /dev/md1 --run --level=1 -n2 -x1 "$dev3" "$dev4" "$dev5" 2>&1
mdadm --create /dev/md2 --run --level=5 -n3 "$dev6" "$dev7" missing 2>&1
wait_sync /dev/md0
wait_sync /dev/md1
data_write /dev/md2 8
spare=$(basename "$dev5")
marked=$(basename "$dev1")
echo want_replacement >/sys/block/md0/md/dev-$marked/state
assert_eq 1 "$(cat /sys/block/md2/md/degraded)" "md2 degraded before"

cat >/tmp/work/mdctl.conf <<CONF
ARRAY /dev/md0 UUID=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p') spare-group=pool
ARRAY /dev/md1 UUID=$(mdadm --detail --export /dev/md1 | sed -n 's/^MD_UUID=//p') spare-group=pool
ARRAY /dev/md2 UUID=$(mdadm --detail --export /dev/md2 | sed -n 's/^MD_UUID=//p') spare-group=pool
EVENTLOG /tmp/work/events.jsonl
CONF

mdctl --monitor --scan --config /tmp/work/mdctl.conf --delay 30 >/tmp/work/mon.out 2>&1 &
monpid=$!
trap 'kill $monpid 2>/dev/null; cat /tmp/work/mon.out' EXIT
i=0
while [ ! -e /sys/block/md2/md/dev-$spare ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the spare never reached md2"
	usleep 100000
done
wait_sync /dev/md2 120
assert_eq 0 "$(cat /sys/block/md2/md/degraded)" "md2 degraded after the move"
assert_state /dev/md2 "$dev5" in_sync
data_verify /dev/md2
# md0's marked member keeps serving, unpaired, and the monitor said why
assert_state /dev/md0 "$dev1" want_replacement
assert_state /dev/md0 "$dev1" in_sync
for m in /sys/block/md0/md/dev-*; do
	case "$(cat $m/state)" in *replacement,*|replacement) [ "${m##*/}" = "dev-$marked" ] || fail "md0 got a replacement: $m" ;; esac
done
sleep 1
cat /tmp/work/mon.out
grep -q '"event":"MoveSpare".*"array":"/dev/md2".*"source":"/dev/md1"' /tmp/work/events.jsonl || fail "no MoveSpare to md2"
grep '"event":"ReplaceStalled"' /tmp/work/events.jsonl | grep -q "\"member\":\"/dev/$marked\"" || fail "no ReplaceStalled for $marked"
grep '"event":"ReplaceStalled"' /tmp/work/events.jsonl | grep -q 'no free spare in spare-group pool' || fail "ReplaceStalled does not say why"
assert_eq 1 "$(grep -c '"event":"ReplaceStalled"' /tmp/work/events.jsonl)" "ReplaceStalled reported once"
kill $monpid
wait $monpid || fail "the monitor did not exit cleanly"
trap - EXIT
