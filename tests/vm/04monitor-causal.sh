# SPDX-License-Identifier: GPL-2.0-or-later
# Causal order: a monitor run through mark -> spare move -> replacement -> finish delivers its events to PROGRAM (run one at a time, a slow one holding back the later ones) and EVENTLOG in the same order, causes first, with increasing sequence numbers and the time of each kernel change.
# timeout: 360

make_loops 6 64
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
mdadm --create /dev/md1 --run --level=1 -n2 -x1 "$dev3" "$dev4" "$dev5" 2>&1
wait_sync /dev/md0
wait_sync /dev/md1
data_write /dev/md0 8
old=$(basename "$dev1")
cat >/tmp/work/mdctl.conf <<CONF
ARRAY /dev/md0 UUID=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p') spare-group=pool
ARRAY /dev/md1 UUID=$(mdadm --detail --export /dev/md1 | sed -n 's/^MD_UUID=//p') spare-group=pool
EVENTLOG /tmp/work/events.jsonl
PROGRAM /tmp/work/prog.sh
CONF
# WantReplacement's program is slow: with programs run side by side, MoveSpare's would be
# logged first (the order issue 16 measured); queued, each waits for the one before
cat >/tmp/work/prog.sh <<'PROG'
#!/bin/sh
[ "$1" = WantReplacement ] && sleep 2
echo "$MDCTL_SEQ $1 $2 $3" >>/tmp/work/prog.log
PROG
chmod +x /tmp/work/prog.sh
: >/tmp/work/prog.log

# slow enough to see ReplaceNN on the way
throttle /dev/md0 4096
mdctl --monitor --scan --config /tmp/work/mdctl.conf --delay 30 --program-timeout 20 >/tmp/work/mon.out 2>&1 &
monpid=$!
trap 'kill $monpid 2>/dev/null; cat /tmp/work/mon.out' EXIT
i=0
while [ ! -e /run/mdctl/monitor.lock ] && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
sleep 1
echo want_replacement >/sys/block/md0/md/dev-$old/state
i=0
while [ -e /sys/block/md0/md/dev-$old ]; do
	i=$((i + 1))
	[ $i -lt 2400 ] || fail "$old was never replaced and retired"
	usleep 100000
done
unthrottle /dev/md0
wait_sync /dev/md0
data_verify /dev/md0
# the programs run one after another: wait for ReplaceFinished's
i=0
until grep -q ' ReplaceFinished ' /tmp/work/prog.log; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "PROGRAM never got ReplaceFinished: $(cat /tmp/work/prog.log)"
	usleep 100000
done
kill $monpid
wait $monpid || fail "the monitor did not exit cleanly"
trap - EXIT
cat /tmp/work/mon.out
echo "---- event log"
cat /tmp/work/events.jsonl
echo "---- program log"
cat /tmp/work/prog.log

# EVENTLOG: sequence numbers 1, 2, 3, ... in the order of the lines
jseq=$(sed 's/.*"seq":\([0-9]*\).*/\1/' /tmp/work/events.jsonl | tr '\n' ' ')
want=$(awk 'END { for (i = 1; i <= NR; i++) printf "%d ", i }' /tmp/work/events.jsonl)
assert_eq "$want" "$jseq" "EVENTLOG sequence numbers"
# every event says when the kernel change it reports was noticed
grep -v '"changed":"[0-9-]*T[0-9:]*\.[0-9]*Z"' /tmp/work/events.jsonl && fail "an event without its change time"
# md0's story, causes first, ReplaceNN on the way
story=$(grep '"array":"/dev/md0"' /tmp/work/events.jsonl | sed 's/.*"event":"\([A-Za-z0-9]*\)".*/\1/' |
	sed 's/^Replace[0-9][0-9]*$/ReplaceNN/' | uniq | tr '\n' ' ')
assert_eq "WantReplacement MoveSpare ReplaceStarted ReplaceNN ReplaceFinished " "$story" "md0's events"
# PROGRAM saw the same events in the same order, with the same numbers
sed 's/.*"seq":\([0-9]*\).*"event":"\([A-Za-z0-9]*\)".*"array":"\([^"]*\)".*/\1 \2 \3/' /tmp/work/events.jsonl >/tmp/work/from-log
cut -d' ' -f1-3 /tmp/work/prog.log >/tmp/work/from-prog
diff /tmp/work/from-log /tmp/work/from-prog || fail "PROGRAM's order differs from the EVENTLOG's"
# the stderr lines carry the same numbers
grep -q "WantReplacement /dev/md0 /dev/$old: .* (#$(grep ' WantReplacement ' /tmp/work/prog.log | cut -d' ' -f1))\$" /tmp/work/mon.out ||
	fail "the WantReplacement line has no sequence number"
