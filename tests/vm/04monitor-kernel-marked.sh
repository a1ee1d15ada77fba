# SPDX-License-Identifier: GPL-2.0-or-later
# dm-flakey write errors on a member with a bad-block log: the kernel records bad blocks and marks it (6.1) or, its log full, fails it (6.12); the monitor moves the sibling's spare, the replacement or rebuild completes, the data matches what was written.
# timeout: 600

make_loops 6 64
# the superblock and bad-block log live before data_offset: keep the first 4 MiB writable (facts 7)
flakey_wrap "$dev0" fl0 8192
mdadm --create /dev/md0 --run --level=5 -n3 /dev/mapper/fl0 "$dev1" "$dev2" 2>&1
mdadm --create /dev/md1 --run --level=1 -n2 -x1 "$dev3" "$dev4" "$dev5" 2>&1
fl=$(_kname /dev/mapper/fl0)
[ "$(cat /sys/block/md0/md/dev-$fl/offset)" -le 8192 ] || fail "data offset of fl0 beyond the writable area"
assert_contains "$(mdadm --examine "$dev0")" "Bad Block Log" "bad-block log on fl0"
wait_sync /dev/md0
wait_sync /dev/md1
spare=$(basename "$dev5")
data_write /dev/md0 8
pool_monitor

# writes to fl0's data area now fail; write a new pattern in 4 KiB units. 6.1 merges
# neighbouring bad blocks and marks fl0 want_replacement: the monitor moves the
# sibling's spare in as its replacement. 6.12 keeps one log entry per failed 4 KiB
# block, the 512-entry log overflows and md fails fl0 outright (docs/KERNEL-FAILURE-MODES.md):
# the monitor moves the spare in for a rebuild from parity instead.
case "$(uname -r)" in
6.1.*) outcome=marked ;;
6.12.*) outcome=failed ;;
*) fail "no expectation for kernel $(uname -r) (6.1: marked, 6.12: failed)" ;;
esac
flakey_fail_writes fl0
data_write /dev/md0 16 4096
echo "fl0 ($fl) after the writes: $(cat /sys/block/md0/md/dev-$fl/state 2>/dev/null || echo gone), $({ wc -l </sys/block/md0/md/dev-$fl/bad_blocks; } 2>/dev/null || echo 0) bad-block ranges"
if [ "$outcome" = failed ]; then
	assert_state /dev/md0 /dev/mapper/fl0 faulty
	assert_eq 512 "$(wc -l </sys/block/md0/md/dev-$fl/bad_blocks)" "bad-block ranges of the failed fl0 (a full log)"
	wait_until 1800 "the moved spare $dev5 never got into sync in md0" has_state /dev/md0 "$dev5" in_sync
else
	wait_until 1800 "fl0 was never replaced and retired" [ ! -e /sys/block/md0/md/dev-$fl ]
fi
wait_sync /dev/md0
assert_state /dev/md0 "$dev5" in_sync
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
data_verify /dev/md0
sleep 1
cat /tmp/work/mon.out
seq=$(grep '"array":"/dev/md0"' /tmp/work/events.jsonl | grep -v '"type":"ReplaceNN"' | grep -v '"event":"BadBlocks"' |
	sed 's/.*"event":"\([A-Za-z0-9]*\)".*/\1/' | tr '\n' ' ')
if [ "$outcome" = failed ]; then
	# the failed member stays attached (faulty), as under mdadm --monitor; whether the
	# monitor saw the brief want_replacement before the failure is down to timing
	assert_state /dev/md0 /dev/mapper/fl0 faulty
	seq=$(echo "$seq" | sed 's/Rebuild[0-9][0-9]* //g')
	seq=${seq#WantReplacement }
	case "$seq" in
	"MoveSpare Fail RebuildStarted SpareActive RebuildFinished " | "Fail MoveSpare RebuildStarted SpareActive RebuildFinished ") ;;
	*) fail "md0's events in order: expected Fail and MoveSpare, RebuildStarted, SpareActive, RebuildFinished, found '$seq'" ;;
	esac
	grep '"event":"Fail"' /tmp/work/events.jsonl | grep -q '"member":"/dev/mapper/fl0"' || fail "the Fail does not name fl0"
	grep '"event":"MoveSpare"' /tmp/work/events.jsonl | grep -q "\"member\":\"$dev5\"" || fail "MoveSpare does not name $dev5"
	grep '"event":"RebuildFinished"' /tmp/work/events.jsonl | grep -q '"detail":"recovery finished"' ||
		fail "RebuildFinished does not say the recovery finished: $(grep '"event":"RebuildFinished"' /tmp/work/events.jsonl)"
else
	assert_eq "WantReplacement MoveSpare ReplaceStarted ReplaceFinished " "$seq" "md0's events in order"
	grep '"event":"WantReplacement"' /tmp/work/events.jsonl | grep -q 'by the kernel after write errors' || fail "WantReplacement does not say the kernel marked it"
	grep -q '"event":"Fail' /tmp/work/events.jsonl && fail "a Fail was reported"
fi
grep -q '"event":"BadBlocks"' /tmp/work/events.jsonl || fail "no BadBlocks event"
monitor_stop
