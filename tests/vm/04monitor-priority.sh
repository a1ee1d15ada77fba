# SPDX-License-Identifier: GPL-2.0-or-later
# A degraded array and a member marked for replacement compete for the group's one spare: the degraded array gets it, the other is reported ReplaceStalled.
# timeout: 240

make_loops 8 64
pool_arrays
mdadm --create /dev/md2 --run --level=5 -n3 "$dev6" "$dev7" missing 2>&1
data_write /dev/md2 8
spare=$(basename "$dev5")
marked=$(basename "$dev1")
echo want_replacement >/sys/block/md0/md/dev-$marked/state
assert_eq 1 "$(cat /sys/block/md2/md/degraded)" "md2 degraded before"

cat >/tmp/work/mdctl.conf <<CONF
$(conf_array /dev/md0 spare-group=pool)
$(conf_array /dev/md1 spare-group=pool)
$(conf_array /dev/md2 spare-group=pool)
EVENTLOG /tmp/work/events.jsonl
REPLACE-POLICY expedite-rcu=no
CONF

# -v: the move's lines say whether the kernel's grace periods were expedited
monitor_start --scan --config /tmp/work/mdctl.conf --delay 30 -v
wait_until 100 "the spare never reached md2" [ -e /sys/block/md2/md/dev-$spare ]
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
# expedite-rcu=no: the spare's removal from md1 waited for an ordinary grace period
grep -q "moving $spare: removed from md1 (+[0-9-]* ms)" /tmp/work/mon.out ||
	fail "no plain 'removed from md1' line with expedite-rcu=no"
assert_eq 0 "$(cat /sys/kernel/rcu_expedited)" "rcu_expedited"
monitor_stop
