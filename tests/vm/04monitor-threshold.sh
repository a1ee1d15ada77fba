# SPDX-License-Identifier: GPL-2.0-or-later
# REPLACE-POLICY badblocks=N: bad blocks written through md/dev-X/bad_blocks reach the threshold, the monitor marks the member, the array's own spare replaces it, the original is retired and its intent cleared.
# timeout: 240

make_loops 4 64
mdadm --create /dev/md0 --run --level=5 -n3 -x1 "$dev0" "$dev1" "$dev2" "$dev3" 2>&1
wait_sync /dev/md0
data_write /dev/md0 16
old=$(basename "$dev1")
cat >/tmp/work/mdctl.conf <<CONF
REPLACE-POLICY badblocks=4
EVENTLOG /tmp/work/events.jsonl
CONF
MDCTL_STATE_DIR=/tmp/work/state
export MDCTL_STATE_DIR
monitor_start /dev/md0 --config /tmp/work/mdctl.conf --delay 2
sleep 2
for s in 10000 20000 30000; do echo "$s 8" >/sys/block/md0/md/dev-$old/bad_blocks; done
sleep 3
assert_state /dev/md0 "$dev1" in_sync
case "$(dev_state /dev/md0 "$dev1")" in *want_replacement*) fail "marked below the threshold" ;; esac
echo "40000 8" >/sys/block/md0/md/dev-$old/bad_blocks
wait_until 600 "$old was never replaced and removed" [ ! -e /sys/block/md0/md/dev-$old ]
wait_sync /dev/md0
assert_state /dev/md0 "$dev3" in_sync
assert_eq 1 "$(cat /sys/block/md0/md/dev-$(basename "$dev3")/slot)" "slot of the former spare"
data_verify /dev/md0
sleep 1
cat /tmp/work/mon.out
grep '"event":"WantReplacement"' /tmp/work/events.jsonl | grep -q '4 bad blocks reached replace-badblocks=4' || fail "WantReplacement does not name the threshold"
seq=$(grep -v '"type":"ReplaceNN"' /tmp/work/events.jsonl | sed 's/.*"event":"\([A-Za-z0-9]*\)".*/\1/' | tr '\n' ' ')
case "$seq" in
*"WantReplacement ReplaceStarted ReplaceFinished "*) ;;
*) fail "events out of order: $seq" ;;
esac
grep -q '"event":"Fail"' /tmp/work/events.jsonl && fail "a Fail was reported"
# the intent recorded with the mark is gone after the replacement
[ -f /tmp/work/state/replacements.json ] || fail "no intent file was written"
grep -q old_dev_uuid /tmp/work/state/replacements.json && fail "the intent was not cleared: $(cat /tmp/work/state/replacements.json)"
monitor_stop
