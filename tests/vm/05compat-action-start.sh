# SPDX-License-Identifier: GPL-2.0-or-later
# mdadm compatibility: --action (check/repair counting mismatches), --wait-clean, --query, the start rule for arrays that ran degraded, --incremental --fail/--remove; each against Debian's mdadm on the same arrays.
# timeout: 300

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
