# SPDX-License-Identifier: GPL-2.0-or-later
# A replacement only marked (recorded by mdctl --replace, no spare yet) is marked again after the array is stopped and assembled.
# timeout: 300

export MDCTL_STATE_DIR=/tmp/work/state
make_loops 4 40
set -- $devs
A=$1 B=$2 C=$3 D=$4
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean "$A" "$B" "$C" 2>&1
data_write /dev/md0 4

mdctl --replace /dev/md0 "$B"
assert_state /dev/md0 "$B" want_replacement
[ -s "$MDCTL_STATE_DIR/replacements.json" ] || fail "no intent recorded in $MDCTL_STATE_DIR"
mdadm --stop /dev/md0

echo "== --assemble re-applies the intent"
out=$(mdctl --assemble /dev/md0 "$A" "$B" "$C" 2>&1) || fail "assemble: $out"
echo "$out"
assert_contains "$out" "re-applied the pending replacement of $B (slot 1)" "report"
assert_state /dev/md0 "$B" want_replacement
assert_state /dev/md0 "$A" in_sync
case "$(dev_state /dev/md0 "$A")" in *want_replacement*) fail "$A marked too" ;; esac
mdadm --stop /dev/md0

echo "== --readonly leaves it alone"
out=$(mdctl --assemble --readonly /dev/md0 "$A" "$B" "$C" 2>&1) || fail "assemble: $out"
case "$(dev_state /dev/md0 "$B")" in *want_replacement*) fail "marked on a read-only array" ;; esac
mdadm --stop /dev/md0

echo "== --incremental re-applies it when it starts the array"
rm -f /etc/mdctl.conf /etc/mdadm/mdadm.conf /etc/mdadm.conf
for d in "$C" "$A" "$B"; do
	out=$(mdctl --incremental --export "$d" 2>&1) || fail "incremental $d: $out"
done
echo "$out"
assert_contains "$out" "re-applied the pending replacement of $B" "incremental report"
eval "$(echo "$out" | grep '^MD_')"
assert_eq yes "$MD_STARTED" "started"
assert_state "$MD_DEVICE" "$B" want_replacement
k=$(basename "$MD_DEVICE")
mv /tmp/.data-md0 "/tmp/.data-$k"

echo "== a spare added now replaces the marked member"
mdadm "$MD_DEVICE" --add "$D"
wait_sync "$MD_DEVICE" 200
assert_state "$MD_DEVICE" "$D" in_sync
assert_state "$MD_DEVICE" "$B" faulty
data_verify "$MD_DEVICE"
mdadm --stop "$MD_DEVICE"
