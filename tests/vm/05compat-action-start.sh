# SPDX-License-Identifier: GPL-2.0-or-later
# mdadm compatibility: --action (check/repair counting mismatches, frozen then resync resuming from its checkpoint), --wait-clean, --query, the start rule for arrays that ran degraded, --incremental --fail/--remove; each against Debian's mdadm on the same arrays.
# timeout: 400

make_loops 4 24
A=$dev0 B=$dev1 C=$dev2 D=$dev3

echo "== --action=check|repair on a RAID1 whose halves differ"
# B full of random bytes, A zeros, made in sync by --assume-clean: every
# region not written through the array since is a mismatch
dd if=/dev/urandom of="$B" bs=1M count=24 status=none
mdadm --create /dev/md0 --run --level=1 -n2 --assume-clean "$A" "$B" 2>&1
data_write /dev/md0 4
out=$(mdctl --action=check --wait /dev/md0 2>&1) || fail "--action=check --wait: $out"
echo "$out"
n=$(cat /sys/block/md0/md/mismatch_cnt)
[ "$n" -gt 0 ] || fail "check found no mismatch between the halves"
assert_contains "$out" "/dev/md0: check finished, mismatch_cnt $n" "end line"
assert_eq idle "$(cat /sys/block/md0/md/sync_action)" "sync_action after --wait"
assert_eq check "$(cat /sys/block/md0/md/last_sync_action)" "last_sync_action"
# mdadm counts the same mismatches
mdadm --action=check /dev/md0
mdadm --wait /dev/md0 || true
assert_eq "$n" "$(cat /sys/block/md0/md/mismatch_cnt)" "mismatch_cnt of mdadm's check"
out=$(mdctl --action=repair --wait /dev/md0 2>&1) || fail "--action=repair --wait: $out"
echo "$out"
assert_contains "$out" "/dev/md0: repair finished" "repair end line"
assert_eq repair "$(cat /sys/block/md0/md/last_sync_action)" "last_sync_action after repair"
mdctl --action=check --wait /dev/md0 | grep -q 'check finished, mismatch_cnt 0$' ||
	fail "mismatches left after repair: $(cat /sys/block/md0/md/mismatch_cnt)"
data_verify /dev/md0

echo "== frozen, idle, refusals"
mdctl --action=frozen /dev/md0 || fail "--action=frozen"
assert_eq frozen "$(cat /sys/block/md0/md/sync_action)" "after frozen"
mdctl --action=idle /dev/md0 || fail "--action=idle"
assert_eq idle "$(cat /sys/block/md0/md/sync_action)" "after idle"
rc=0; mdctl --action=scrub /dev/md0 2>/tmp/e || rc=$?
assert_eq 2 "$rc" "exit of an unknown action"
rc=0; mdctl --action=check /dev/loop7 2>/tmp/e || rc=$?
assert_eq 1 "$rc" "exit of --action on a non-array"
# repair is now clean: another check finds nothing, and a tiny array's check
# ending before the wait still reports (exit 0)
mdctl --action=check --wait /dev/md0 >/tmp/w 2>&1 || fail "second check: $(cat /tmp/w)"
assert_contains "$(cat /tmp/w)" "check finished, mismatch_cnt 0" "second check"

echo "== --wait-clean and --query, beside mdadm's"
for prog in mdadm mdctl; do
	rc=0; $prog --wait-clean /dev/md0 || rc=$?
	echo "$prog --wait-clean: $rc"
	eval "wc_$prog=$rc"
done
assert_eq "$wc_mdadm" "$wc_mdctl" "--wait-clean exit status"
for d in /dev/md0 "$A" "$C"; do
	rc=0; want=$(mdadm --query "$d" 2>&1) || rc=$?
	rc2=0; got=$(mdctl --query "$d" 2>&1) || rc2=$?
	echo "$got"
	assert_eq "$(echo "$want" | sed 's/Use mdadm /Use mdctl /')" "$got" "--query $d"
	assert_eq "$rc" "$rc2" "--query $d exit status"
done
mdadm --stop /dev/md0

echo "== start rule: a RAID5 that ran degraded starts without --run"
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean "$A" "$B" "$C" 2>&1
mdadm /dev/md0 --fail "$C" --remove "$C" 2>&1
data_write /dev/md0 4
mdadm --stop /dev/md0
for prog in mdadm mdctl; do
	rc=0; out=$($prog --assemble /dev/md0 "$A" "$B" 2>&1) || rc=$?
	echo "$out"
	assert_eq 0 "$rc" "$prog --assemble exit status"
	assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "$prog: degraded count"
	case "$(cat /sys/block/md0/md/array_state)" in
	clean|active|active-idle) ;;
	*) fail "$prog: array_state $(cat /sys/block/md0/md/array_state)" ;;
	esac
	data_verify /dev/md0
	mdadm --stop /dev/md0
done

echo "== start rule: a member missing that it last ran with: left inactive"
mdadm --zero-superblock "$A" "$B" "$C"
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean "$A" "$B" "$C" 2>&1
data_write /dev/md0 4
mdadm --stop /dev/md0
# mdadm does not start it either (it exits 1 and lets the members go;
# mdctl leaves it assembled, exit 2, as an assembled-not-started array)
rc=0; out=$(mdadm --assemble /dev/md0 "$A" "$B" 2>&1) || rc=$?
echo "mdadm: $rc: $out"
[ "$rc" -ne 0 ] || fail "mdadm started it"
st=$(cat /sys/block/md0/md/array_state 2>/dev/null || echo absent)
case $st in inactive|absent) ;; *) fail "mdadm left it $st" ;; esac
mdadm --stop /dev/md0 2>/dev/null || true
rc=0; out=$(mdctl --assemble /dev/md0 "$A" "$B" 2>&1) || rc=$?
echo "$out"
assert_eq 2 "$rc" "mdctl exit status"
assert_eq inactive "$(cat /sys/block/md0/md/array_state)" "mdctl left it"
assert_contains "$out" "1 of the 3 devices it last ran with are missing; use --run" "why"
mdadm --stop /dev/md0

echo "== --incremental --fail / --remove (udev's remove path)"
mdctl --assemble /dev/md0 "$A" "$B" "$C" 2>&1 || fail "assemble"
mdctl --incremental --fail "$C" || fail "--incremental --fail"
[ ! -e "/sys/block/md0/md/dev-$(basename "$C")" ] || fail "$C still a member after --incremental --fail"
assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "degraded after --fail"
mdadm /dev/md0 --add "$D" 2>&1
wait_sync /dev/md0 120
mdctl --incremental --remove "$D" || fail "--incremental --remove"
[ ! -e "/sys/block/md0/md/dev-$(basename "$D")" ] || fail "$D still a member after --incremental --remove"
data_verify /dev/md0
rc=0; mdctl --incremental --fail "$C" 2>/tmp/e || rc=$?
echo "again: $rc $(cat /tmp/e)"
mdadm --stop /dev/md0

echo "== --action=frozen interrupts a resync; --action=resync resumes it from its checkpoint"
mdadm --zero-superblock "$A" "$D" 2>/dev/null || true
# slow from the first block: the resync starts as the array does
lmin=$(cat /proc/sys/dev/raid/speed_limit_min) lmax=$(cat /proc/sys/dev/raid/speed_limit_max)
echo 1 >/proc/sys/dev/raid/speed_limit_min
echo 1000 >/proc/sys/dev/raid/speed_limit_max
mdadm --create /dev/md0 --run --level=1 -n2 "$A" "$D" 2>&1
throttle /dev/md0 1000
echo "$lmin" >/proc/sys/dev/raid/speed_limit_min
echo "$lmax" >/proc/sys/dev/raid/speed_limit_max
n=0
until [ "$(cut -d' ' -f1 /sys/block/md0/md/sync_completed)" -gt 0 ] 2>/dev/null; do
	n=$((n + 1)); [ "$n" -lt 300 ] || fail "resync made no progress: $(cat /sys/block/md0/md/sync_completed)"
	usleep 100000
done
mdctl --action=frozen /dev/md0 || fail "--action=frozen during a resync"
assert_eq frozen "$(cat /sys/block/md0/md/sync_action)" "sync_action after frozen"
ckpt=$(cat /sys/block/md0/md/resync_start)
echo "checkpoint: $ckpt"
case $ckpt in ''|none|0|*[!0-9]*) fail "no resync checkpoint after frozen: '$ckpt'" ;; esac
mdctl --action=resync /dev/md0 || fail "--action=resync"
n=0
while [ "$(cat /sys/block/md0/md/sync_action)" != resync ]; do
	n=$((n + 1)); [ "$n" -lt 100 ] || fail "no resync after --action=resync: $(cat /sys/block/md0/md/sync_action)"
	usleep 100000
done
done_now=$(cut -d' ' -f1 /sys/block/md0/md/sync_completed)
echo "resumed at $done_now"
[ "$done_now" -ge "$ckpt" ] 2>/dev/null || fail "resync restarted below its checkpoint ($done_now < $ckpt)"
unthrottle /dev/md0
wait_sync /dev/md0 120
assert_eq none "$(cat /sys/block/md0/md/resync_start)" "resync_start after the resync"
mdctl --action=check --wait /dev/md0 | grep -q 'check finished, mismatch_cnt 0$' ||
	fail "halves differ after the resumed resync: $(cat /sys/block/md0/md/mismatch_cnt)"
rc=0; mdctl --action=resync /dev/md9 2>/tmp/e || rc=$?
assert_eq 1 "$rc" "exit of --action=resync on a missing array"
mdadm --stop /dev/md0
