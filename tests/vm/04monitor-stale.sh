# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel marks a RAID5 member after write errors in whole-stripe writes (stale blocks, facts 7): the monitor finds and rebuilds them (StaleBlocks) before moving a spare; the array ends with exactly the data written.
# timeout: 900

MDCTL_STATE_DIR=$(mktemp -d /tmp/mdctl-state.XXXXXX)
export MDCTL_STATE_DIR
make_loops 6 40
# data starts at 1 MiB; superblock and bad-block log before it stay writable (facts 7)
flakey_wrap "$dev1" fl1 2048
mdadm --create /dev/md0 --run --assume-clean --level=5 -n3 --chunk=64 --data-offset=1024 \
	"$dev0" /dev/mapper/fl1 "$dev2" 2>&1
mdadm --create /dev/md1 --run --assume-clean --level=1 -n2 -x1 "$dev3" "$dev4" "$dev5" 2>&1
D=/sys/block/md0/md
fl=$(_kname /dev/mapper/fl1)
cat >/tmp/work/mdctl.conf <<CONF
ARRAY /dev/md0 UUID=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p') spare-group=pool
ARRAY /dev/md1 UUID=$(mdadm --detail --export /dev/md1 | sed -n 's/^MD_UUID=//p') spare-group=pool
EVENTLOG /tmp/work/events.jsonl
CONF
mdctl --monitor --scan --config /tmp/work/mdctl.conf --delay 30 >/tmp/work/mon.out 2>&1 &
monpid=$!
trap 'kill $monpid 2>/dev/null; cat /tmp/work/mon.out' EXIT
sleep 2

flakey_fail_writes fl1
# whole stripes: the kernel records a bad block only for the first 4 KiB of each batch
data_write /dev/md0 16 1M
i=0
while [ -e $D/dev-$fl ]; do
	i=$((i + 1))
	[ $i -lt 2400 ] || fail "fl1 was never replaced and retired"
	usleep 100000
done
wait_sync /dev/md0 300
assert_state /dev/md0 "$dev5" in_sync
assert_eq 0 "$(cat $D/degraded)" "md0 degraded"
echo 3 >/proc/sys/vm/drop_caches
data_verify /dev/md0
echo check >$D/sync_action
wait_sync /dev/md0 300
assert_eq 0 "$(cat $D/mismatch_cnt)" "mismatch_cnt after a check"
sleep 1
cat /tmp/work/mon.out
grep '"event":"StaleBlocks"' /tmp/work/events.jsonl | grep -q '"ranges":[1-9]' || fail "no StaleBlocks event with a ranges count"
seq=$(grep '"array":"/dev/md0"' /tmp/work/events.jsonl | grep -v '"type":"ReplaceNN"' | grep -v '"event":"BadBlocks"' | grep -v '"event":"Rebuild' |
	sed 's/.*"event":"\([A-Za-z0-9]*\)".*/\1/' | tr '\n' ' ')
# (Rebuild* left out: they report the scenario's own check)
assert_eq "WantReplacement StaleBlocks MoveSpare ReplaceStarted ReplaceFinished " "$seq" "md0's events in order"
grep -q '"event":"Fail' /tmp/work/events.jsonl && fail "a Fail was reported"
kill $monpid
wait $monpid || fail "the monitor did not exit cleanly"
trap - EXIT
