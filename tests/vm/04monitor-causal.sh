# SPDX-License-Identifier: GPL-2.0-or-later
# Causal order: a monitor run through mark -> spare move -> replacement -> finish delivers its events to PROGRAM (run one at a time, a slow one holding back the later ones) and EVENTLOG in the same order, causes first, with increasing sequence numbers and the time of each kernel change.
# timeout: 360

make_loops 6 64
pool_arrays
data_write /dev/md0 8
old=$(basename "$dev1")
cat >/tmp/work/mdctl.conf <<CONF
$(conf_array /dev/md0 spare-group=pool)
$(conf_array /dev/md1 spare-group=pool)
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
monitor_start --scan --config /tmp/work/mdctl.conf --delay 30 --program-timeout 20
monitor_ready
echo want_replacement >/sys/block/md0/md/dev-$old/state
wait_until 2400 "$old was never replaced and retired" [ ! -e /sys/block/md0/md/dev-$old ]
unthrottle /dev/md0
wait_sync /dev/md0
data_verify /dev/md0
# the programs run one after another: wait for ReplaceFinished's
wait_until 300 'PROGRAM never got ReplaceFinished: $(cat /tmp/work/prog.log)' \
	grep -q ' ReplaceFinished ' /tmp/work/prog.log
monitor_stop
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
