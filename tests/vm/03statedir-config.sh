# SPDX-License-Identifier: GPL-2.0-or-later
# STATEDIR set only in the config file: the intent --replace records is there, --replace --list shows it, --assemble re-applies it after a stop, and the monitor re-applies it and clears it once the replacement is done.
# timeout: 420

unset MDCTL_STATE_DIR
sd=/tmp/work/statedir
rm -f /etc/mdadm/mdadm.conf /etc/mdadm.conf
mkdir -p /etc
cat >/etc/mdctl.conf <<CONF
STATEDIR $sd
CONF
monpid=
trap 'rm -f /etc/mdctl.conf; [ -z "$monpid" ] || kill $monpid 2>/dev/null' EXIT
default_intents=/var/lib/mdctl/replacements.json
before=$(cat "$default_intents" 2>/dev/null || true)

make_loops 4 40
set -- $devs
A=$1 B=$2 C=$3 D=$4
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean "$A" "$B" "$C" 2>&1
data_write /dev/md0 4
b=$(basename "$B")

echo "== --replace records the intent under STATEDIR"
mdctl --replace /dev/md0 "$B" || fail "--replace"
assert_state /dev/md0 "$B" want_replacement
[ -s "$sd/replacements.json" ] || fail "no intent in $sd (STATEDIR of /etc/mdctl.conf)"
assert_eq "$before" "$(cat "$default_intents" 2>/dev/null || true)" "the default state directory"
out=$(mdctl --replace --list --json) || fail "--replace --list: $out"
echo "$out"
assert_contains "$out" '"recorded": true' "the running replacement is listed as recorded"
mdadm --stop /dev/md0

echo "== --replace --list shows the intent of the stopped array"
out=$(mdctl --replace --list) || fail "--replace --list: $out"
echo "$out"
assert_contains "$out" "not-running" "the stopped array's intent"

echo "== --assemble re-applies it"
out=$(mdctl --assemble /dev/md0 "$A" "$B" "$C" 2>&1) || fail "assemble: $out"
echo "$out"
assert_contains "$out" "re-applied the pending replacement of $B" "assemble report"
assert_state /dev/md0 "$B" want_replacement
mdadm --stop /dev/md0

echo "== the monitor re-applies it on an array mdadm assembled, and clears it when done"
mdadm --assemble /dev/md0 "$A" "$B" "$C" 2>&1
case "$(dev_state /dev/md0 "$B")" in *want_replacement*) fail "marked before the monitor ran" ;; esac
mdctl --monitor --scan --delay 30 -v >/tmp/work/mon.out 2>&1 &
monpid=$!
i=0
until dev_state /dev/md0 "$B" | grep -q want_replacement; do
	i=$((i + 1))
	[ $i -lt 600 ] || { cat /tmp/work/mon.out; fail "the monitor never re-applied the intent"; }
	usleep 100000
done
mdadm /dev/md0 --add "$D" 2>&1
i=0
while [ -e "/sys/block/md0/md/dev-$b" ]; do
	i=$((i + 1))
	[ $i -lt 1200 ] || { cat /tmp/work/mon.out; fail "$B was never replaced and retired"; }
	usleep 100000
done
wait_sync /dev/md0
assert_state /dev/md0 "$D" in_sync
data_verify /dev/md0
i=0
while grep -q array_uuid "$sd/replacements.json" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$sd/replacements.json"; fail "the intent was not cleared from $sd"; }
	usleep 100000
done
kill $monpid
wait $monpid || fail "the monitor did not exit cleanly"
monpid=
cat /tmp/work/mon.out
assert_contains "$(cat /tmp/work/mon.out)" "stored replacement intent re-applied" "monitor log"
mdadm --stop /dev/md0
