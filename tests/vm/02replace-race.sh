# SPDX-License-Identifier: GPL-2.0-or-later
# One writer per array (/run/mdctl/mdN.lock): two --replace of one member at once pair exactly one new disk, the other refused with nothing of it left in the array; while another process holds the lock, --add waits and then names the cause, and the monitor leaves a marked member alone until the holder lets go, then moves the sibling's spare exactly once.
# timeout: 600

MDCTL_STATE_DIR=$(mktemp -d /tmp/mdctl-state.XXXXXX)
export MDCTL_STATE_DIR
make_loops 11 20
kn() { _kname "$1"; }

# ---- two --replace of one member at once
mdadm --create /dev/md0 --run --level=5 -n3 --chunk=64 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0
data_write /dev/md0 4
throttle /dev/md0 500
mdctl --replace /dev/md0 "$dev1" --with "$dev3" >/tmp/work/r1.out 2>&1 &
p1=$!
mdctl --replace /dev/md0 "$dev1" --with "$dev4" >/tmp/work/r2.out 2>&1 &
p2=$!
s1=0; wait $p1 || s1=$?
s2=0; wait $p2 || s2=$?
echo "first: exit $s1: $(cat /tmp/work/r1.out)"
echo "second: exit $s2: $(cat /tmp/work/r2.out)"
if [ "$s1" = 0 ]; then win=$dev3 lose=$dev4 lout=/tmp/work/r2.out; else win=$dev4 lose=$dev3 lout=/tmp/work/r1.out; fi
[ "$s1" = 0 ] || [ "$s2" = 0 ] || fail "neither --replace succeeded"
[ "$s1" != 0 ] || [ "$s2" != 0 ] || fail "both --replace runs claim to have paired a disk with $dev1"
n=0
for d in /sys/block/md0/md/dev-*; do
	case ",$(cat $d/state)," in *,replacement,*) n=$((n + 1)) ;; esac
done
assert_eq 1 "$n" "replacements in md0"
assert_eq "$(cat /sys/block/md0/md/dev-$(kn "$dev1")/slot)" "$(cat /sys/block/md0/md/dev-$(kn "$win")/slot)" "slot of the paired $win"
[ ! -e "/sys/block/md0/md/dev-$(kn "$lose")" ] || fail "the refused $lose was left in md0: $(cat /sys/block/md0/md/dev-$(kn "$lose")/state)"
mdadm --examine "$lose" >/dev/null 2>&1 && fail "the refused $lose got a superblock"
unthrottle /dev/md0
wait_sync /dev/md0 300
data_verify /dev/md0

# ---- another process holds md0's lock: --add waits for it, then says why
mdctl /dev/md0 --remove "$dev1" >/dev/null 2>&1 || true
flock /run/mdctl/md0.lock sleep 14 &
holder=$!
i=0
while flock -n /run/mdctl/md0.lock true; do i=$((i + 1)); [ $i -lt 50 ] || fail "the test could not take md0's lock"; usleep 100000; done
out=$(mdctl /dev/md0 --add "$lose" 2>&1) && fail "--add ran while another process held md0's lock: $out"
assert_contains "$out" "another mdctl is changing this array; try again when it is done" "the lock message"
[ ! -e "/sys/block/md0/md/dev-$(kn "$lose")" ] || fail "$lose was added while the lock was held"
wait $holder || true
out=$(mdctl /dev/md0 --add "$lose" 2>&1) || fail "--add after the holder let go: $out"
assert_state /dev/md0 "$lose" spare

# ---- the monitor defers to a lock holder, then acts once
mdadm --create /dev/md2 --run --level=5 -n3 --chunk=64 "$dev5" "$dev6" "$dev7" 2>&1
mdadm --create /dev/md1 --run --level=1 -n2 -x1 "$dev8" "$dev9" "$dev10" 2>&1
wait_sync /dev/md2
wait_sync /dev/md1
u2=$(mdadm --detail --export /dev/md2 | sed -n 's/^MD_UUID=//p')
u1=$(mdadm --detail --export /dev/md1 | sed -n 's/^MD_UUID=//p')
printf 'ARRAY /dev/md2 UUID=%s spare-group=pool\nARRAY /dev/md1 UUID=%s spare-group=pool\nEVENTLOG /tmp/work/events.jsonl\n' "$u2" "$u1" >/tmp/work/mdctl.conf
mdctl --monitor --config /tmp/work/mdctl.conf --delay 600 -v /dev/md2 /dev/md1 >/tmp/work/mon.out 2>&1 &
monpid=$!
trap 'kill $monpid 2>/dev/null; cat /tmp/work/mon.out' EXIT
i=0
while [ ! -e /run/mdctl/monitor.lock ] && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
sleep 1
spare=$(kn "$dev10")
flock /run/mdctl/md2.lock sleep 6 &
holder=$!
i=0
while flock -n /run/mdctl/md2.lock true; do i=$((i + 1)); [ $i -lt 50 ] || fail "the test could not take md2's lock"; usleep 100000; done
echo want_replacement >/sys/block/md2/md/dev-$(kn "$dev6")/state
sleep 3
[ -e /sys/block/md1/md/dev-$spare ] || fail "the monitor moved md1's spare while md2's lock was held"
assert_contains "$(cat /tmp/work/mon.out)" "md2: another mdctl" "the monitor's deferral (verbose)"
wait $holder || true
i=0
while [ ! -e /sys/block/md2/md/dev-$spare ] || [ "$(cat /sys/block/md2/md/dev-$spare/slot)" = none ]; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "the monitor never moved the spare after the lock was released"; usleep 100000
done
wait_sync /dev/md2 300
sleep 1
assert_eq 1 "$(grep -c '"event":"MoveSpare"' /tmp/work/events.jsonl)" "MoveSpare events"
kill $monpid
wait $monpid || fail "the monitor did not exit cleanly"
trap - EXIT
