# SPDX-License-Identifier: GPL-2.0-or-later
# The monthly scrub (mdctl-scrub.service: mdctl --action=check --scan) starts md's check on every redundant, complete, idle array and skips a degraded one; a named degraded array is refused; the monitor reports the check's end with the kernel's mismatch count on stderr and to PROGRAM; a broken config exits 6 (the unit's RestartPreventExitStatus).
# timeout: 300

printf 'FROBNICATE yes\n' >/tmp/work/broken.conf
rc=0
mdctl --monitor --scan --config /tmp/work/broken.conf 2>/dev/null || rc=$?
assert_eq 6 "$rc" "exit status of the monitor on a broken config"

make_loops 4 40
set -- $devs
dmesg -c >/dev/null
mdctl --create /dev/md0 --run --level=1 --raid-devices=2 --assume-clean --name=scrub "$1" "$2"
mdctl --create /dev/md1 --run --level=1 --raid-devices=2 --assume-clean --name=deg "$3" "$4"
mdctl /dev/md1 --fail "$4"
data_write /dev/md0 4
# the second mirror disagrees with the first over 1 MiB of the data area: what a check must find
# (written while the array is stopped: nothing of md's in flight or cached over it)
off=$(cat "/sys/block/md0/md/dev-$(basename "$2")/offset")
mdctl --stop /dev/md0
dd if=/dev/urandom of="$2" bs=512 seek=$((off + 2048)) count=2048 oflag=direct conv=notrunc status=none
mdctl --assemble /dev/md0 "$1" "$2"
assert_eq 0 "$(cat /sys/block/md0/md/mismatch_cnt)" "mismatch_cnt before the check"

cat >/tmp/work/prog.sh <<'P'
#!/bin/sh
echo "$*" >>/tmp/work/events
P
chmod 755 /tmp/work/prog.sh
printf 'PROGRAM /tmp/work/prog.sh\n' >/tmp/work/mdctl.conf
mdctl --monitor --scan --config /tmp/work/mdctl.conf >/tmp/work/mon.out 2>&1 &
monpid=$!
trap 'kill $monpid 2>/dev/null || true' EXIT
i=0
until grep -q 'DegradedArray /dev/md1' /tmp/work/events 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the monitor did not report md1 degraded: $(cat /tmp/work/mon.out)"; usleep 100000
done

# named, the degraded array is refused and left alone
rc=0
out=$(mdctl --action=check /dev/md1 2>&1) || rc=$?
assert_eq 1 "$rc" "exit status of a check asked of a degraded array"
assert_contains "$out" "/dev/md1: degraded: no redundancy to compare: no check started" "refusal"
assert_eq idle "$(cat /sys/block/md1/md/sync_action)" "md1 after the refusal"
out=$(mdctl --action=check --scan 2>&1) || fail "the scrub failed: $out"
echo "$out"
assert_contains "$out" "/dev/md0: check started" "scrub output"
assert_contains "$out" "/dev/md1: degraded: no redundancy to compare: no check" "scrub output"
assert_eq idle "$(cat /sys/block/md1/md/sync_action)" "md1 (degraded) not checked"
# md's pace, not the scrub's: nothing per array was changed
assert_eq system "$(cat /sys/block/md0/md/sync_speed_max | cut -d' ' -f2 | tr -d '()')" "md0 sync_speed_max"
# the kernel's word that the check ended (sync_action may read idle before the check thread
# starts): "md0: data-check done" on 6.1, "md0: check done" on 6.12
i=0
until dmesg | grep -qE 'md0: (data-)?check done'; do
	i=$((i + 1)); [ $i -lt 1200 ] || fail "the check did not end: $(cat /proc/mdstat)"; usleep 100000
done
wait_sync /dev/md0 120
n=$(cat /sys/block/md0/md/mismatch_cnt)
[ "$n" -gt 0 ] || fail "the check found no mismatch on a mirror written apart"
i=0
until grep -q 'RebuildFinished /dev/md0' /tmp/work/events 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "no RebuildFinished to PROGRAM: $(cat /tmp/work/events)"; usleep 100000
done
cat /tmp/work/mon.out
grep -q "RebuildStarted /dev/md0" /tmp/work/events || fail "no RebuildStarted for the check: $(cat /tmp/work/events)"
# (the line ends with the count, then the event's sequence number)
grep "RebuildFinished" /tmp/work/mon.out | grep -Eq "/dev/md0.*check finished, mismatches found: $n( \(#[0-9]+\))?\$" ||
	fail "the monitor's RebuildFinished does not carry mismatches found: $n"
# a second scrub right away: nothing busy, the same array is checked again
out=$(mdctl --action=check /dev/md0 2>&1) || fail "a second check of md0 failed: $out"
assert_contains "$out" "/dev/md0: check started" "second check"
wait_sync /dev/md0 120
kill $monpid
wait $monpid || true
