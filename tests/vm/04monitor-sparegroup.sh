# SPDX-License-Identifier: GPL-2.0-or-later
# Two arrays in one spare-group, the spare in md1: an admin marks a member of md0, the monitor moves the spare, the copy finishes, the original is retired, never reported as Fail.
# timeout: 600

make_loops 6 64
pool_arrays
data_write /dev/md0 16
spare=$(basename "$dev5")
old=$(basename "$dev1")
assert_state /dev/md1 "$dev5" spare

u0=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p')
cat >/tmp/work/mdctl.conf <<CONF
$(conf_array /dev/md0 spare-group=pool)
$(conf_array /dev/md1 spare-group=pool)
EVENTLOG /tmp/work/events.jsonl
CONF
cat >/tmp/work/prog.sh <<'PROG'
#!/bin/sh
echo "$1 $2 $3 member=$MDCTL_MEMBER json=$(cat)" >>/tmp/work/prog.log
PROG
chmod +x /tmp/work/prog.sh
: >/tmp/work/prog.log

# a monitor killed during a spare move (this boot, a process gone) left the kernel's RCU
# grace periods expedited: the next monitor sets them back
mkdir -p -m 700 /run/mdctl
echo "$(cat /proc/sys/kernel/random/boot_id) 99999999" >/run/mdctl/rcu-expedited
echo 1 >/sys/kernel/rcu_expedited

# --delay 600: everything here must come from the kernel's notifications, and the
# periodic re-read (which costs a few ticks on a starved guest) must not fall in
# the idle window at the end; 04monitor-threshold covers the timer
monitor_start --scan --config /tmp/work/mdctl.conf --program /tmp/work/prog.sh --delay 600 -v
# the monitor has read both arrays when its lock exists and it is asleep in poll
monitor_ready
# no POLICY line: md's own notifications only, no uevent socket
assert_eq 0 "$(uevent_sockets $monpid)" "uevent sockets of the monitor without POLICY"
assert_eq 0 "$(cat /sys/kernel/rcu_expedited)" "rcu_expedited after a killed monitor's marker"
[ ! -s /run/mdctl/rcu-expedited ] || fail "the killed monitor's marker still holds $(cat /run/mdctl/rcu-expedited)"
grep -q "rcu_expedited: set back to 0" /tmp/work/mon.out || fail "the monitor did not say it set rcu_expedited back"

# mark, and time how long until the spare sits in md0's slot as its replacement
echo "mdctl-test: marking $old" >/dev/kmsg
echo want_replacement >/sys/block/md0/md/dev-$old/state
i=0
while [ ! -e /sys/block/md0/md/dev-$spare/slot ] || [ "$(cat /sys/block/md0/md/dev-$spare/slot)" = none ]; do
	i=$((i + 1))
	[ $i -lt 20000 ] || fail "the spare never reached md0"
done
# kernel timestamps: the mark, then the recovery that copies onto the paired spare
kernel_ms() {
	dmesg | awk -v m="$1" -v e="$2" '
		index($0, m) { sub(/^\[ */, ""); t0 = $1 + 0; next }
		t0 && index($0, e) { sub(/^\[ */, ""); printf "%d ms\n", ($1 - t0) * 1000; exit }'
}
echo "marked to paired (copy started, kernel clock): $(kernel_ms "mdctl-test: marking $old" "md: recover")"  # 6.1: "recovery of", 6.12: "recover of"

# the replacement completes and the retired original leaves md0
wait_sync /dev/md0 120
wait_until 100 "$old was not removed from md0 after the replacement" [ ! -e /sys/block/md0/md/dev-$old ]
assert_state /dev/md0 "$dev5" in_sync
assert_eq 1 "$(cat /sys/block/md0/md/dev-$spare/slot)" "slot of the moved spare in md0"
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
assert_eq 0 "$(cat /sys/block/md1/md/degraded)" "md1 degraded"
[ ! -e /sys/block/md1/md/dev-$spare ] || fail "$spare is still in md1"
data_verify /dev/md0
# the moved spare carries md0's identity now (mdadm agrees)
mdadm --examine "$dev5" | grep -q "Array UUID : $(echo $u0 | tr -d :| sed 's/\(........\)\(........\)\(........\)\(........\)/\1:\2:\3:\4/')" ||
	fail "$dev5 does not carry md0's UUID: $(mdadm --examine "$dev5" | grep 'Array UUID')"

sleep 1
cat /tmp/work/mon.out
echo "---- event log"
cat /tmp/work/events.jsonl
echo "---- program log"
cat /tmp/work/prog.log
seq=$(grep '"array":"/dev/md0"' /tmp/work/events.jsonl | grep -v '"type":"ReplaceNN"' | sed 's/.*"event":"\([A-Za-z0-9]*\)".*/\1/' | tr '\n' ' ')
assert_eq "WantReplacement MoveSpare ReplaceStarted ReplaceFinished " "$seq" "md0's events in order"
grep -q '"event":"Fail"' /tmp/work/events.jsonl && fail "a Fail was reported"
grep -q "^MoveSpare /dev/md0 /dev/md1 member=/dev/$spare" /tmp/work/prog.log || fail "PROGRAM did not get MoveSpare md0 md1"
grep -q "^ReplaceFinished /dev/md0 /dev/$old" /tmp/work/prog.log || fail "PROGRAM did not get ReplaceFinished for $old"
grep -q '^WantReplacement /dev/md0 /dev/'"$old"'.*json={"version":2' /tmp/work/prog.log || fail "PROGRAM got no JSON on stdin"
grep MoveSpare /tmp/work/mon.out | sed -n "s/.*(\(decided .*notification\)).*/monitor latency: \1/p"
# the spare left md1 with the kernel's grace periods expedited, set back afterwards
grep -q "moving $spare: removed from md1 (+[0-9-]* ms, RCU grace periods expedited)" /tmp/work/mon.out ||
	fail "the spare's removal from md1 was not expedited"
assert_eq 0 "$(cat /sys/kernel/rcu_expedited)" "rcu_expedited after the move"
[ ! -s /run/mdctl/rcu-expedited ] || fail "the marker outlived the move: $(cat /run/mdctl/rcu-expedited)"

# phase 2: a member of md0 really fails; md1 has a spare again (the retired disk, wiped)
mdadm --zero-superblock "$dev1"
mdadm /dev/md1 --add "$dev1" >/dev/null 2>&1 || fail "cannot give md1 a new spare"
# an admin expedites grace periods: the monitor leaves that alone
echo 1 >/sys/kernel/rcu_expedited
sleep 2
echo "mdctl-test: failing $(basename "$dev2")" >/dev/kmsg
mdadm /dev/md0 --fail "$dev2" >/dev/null 2>&1
wait_until 100 "md1's spare never reached the degraded md0" [ -e /sys/block/md0/md/dev-$old ]
echo "failed member to migrated spare (kernel clock, from the kernel's disk-failure message to the rebuild start): $(kernel_ms "Disk failure on" "md: recover")"
wait_sync /dev/md0 120
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded after the rebuild"
assert_state /dev/md0 "$dev1" in_sync
data_verify /dev/md0
sleep 1
grep '"event":"Fail"' /tmp/work/events.jsonl | grep -q "\"member\":\"$dev2\"" || fail "no Fail for $dev2"
grep '"event":"MoveSpare"' /tmp/work/events.jsonl | grep -q 'md0 is degraded' || fail "no MoveSpare for the degraded md0"
grep -q '"event":"SpareActive".*"member":"'"$dev1"'"' /tmp/work/events.jsonl || fail "no SpareActive for $dev1"
assert_eq 1 "$(cat /sys/kernel/rcu_expedited)" "the admin's rcu_expedited after the second move"
grep -q "moving $(basename "$dev1"): removed from md1 (+[0-9-]* ms)" /tmp/work/mon.out ||
	fail "the second move's removal is not reported, or claims expedition"
echo 0 >/sys/kernel/rcu_expedited
# the monitor reports the rebuild's end after the kernel's: on a loaded host that can fall
# inside the idle window below, so wait for its last event first
wait_until 300 "no RebuildFinished for md0" grep -q '"event":"RebuildFinished"' /tmp/work/events.jsonl
sleep 1
# idle, after members left md0 and md1 (their attribute fds report POLLERR forever if kept):
# the monitor must be asleep in poll, using no CPU
cpu() { awk '{print $14 + $15}' /proc/$monpid/stat; }
c0=$(cpu)
sleep 5
c1=$(cpu)
echo "monitor CPU while idle for 5 s: $((c1 - c0)) ticks"
[ $((c1 - c0)) -le 2 ] || fail "the monitor used $((c1 - c0)) ticks of CPU in 5 idle seconds"
monitor_stop
cat /tmp/work/mon.out
