# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --metrics during a throttled hot-replace shows the replacing and replacement members with progress and ETA; the monitor's METRICS file follows the change to the end; the host runs promtool over both (02replace-metrics.host).
# timeout: 600

MDCTL_STATE_DIR=$(mktemp -d /tmp/mdctl-state.XXXXXX)
export MDCTL_STATE_DIR

# has FILE LINE WHAT: FILE holds LINE as a whole line.
has() { grep -qxF "$2" "$1" || { cat "$1"; fail "$3: no line '$2'"; }; }
# sample FILE PREFIX: the value of the first sample starting with PREFIX.
sample() { grep -F "$2" "$1" | head -1 | sed 's/.* //'; }
# hand_back NAME FILE: FILE's lines on the console for the host side, each tagged.
hand_back() { sed "s/^/@@MDCTL-FILE $1 /" "$2"; }

make_loops 5 64
mdadm --create /dev/md0 --run --assume-clean --level=5 -n3 --chunk=64 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0
data_write /dev/md0 8
old=$(_kname "$dev0")
new=$(_kname "$dev3")
cat >/tmp/work/mdctl.conf <<CONF
ARRAY /dev/md0 UUID=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p') spare-group=shelf1
METRICS /tmp/work/md.prom
CONF

mdctl --metrics --config /tmp/work/mdctl.conf >/tmp/work/idle.prom
has /tmp/work/idle.prom "mdctl_array_sync_action{array=\"md0\",action=\"idle\"} 1" "idle md0"
has /tmp/work/idle.prom "mdctl_array_degraded_devices{array=\"md0\"} 0" "idle md0"

# 1 MiB/s: a 64 MiB member takes about a minute to copy
throttle /dev/md0 1024
mdctl --monitor --scan --config /tmp/work/mdctl.conf --delay 5 >/tmp/work/mon.out 2>&1 &
monpid=$!
trap 'kill $monpid 2>/dev/null; cat /tmp/work/mon.out' EXIT
mdctl --replace /dev/md0 "$dev0" --with "$dev3"
# until the kernel reports a speed and some progress
i=0
while :; do
	sp=$(cat /sys/block/md0/md/sync_speed)
	done_=$(cut -d' ' -f1 /sys/block/md0/md/sync_completed)
	[ "$sp" != none ] && [ "$sp" -gt 0 ] 2>/dev/null && [ "$done_" != none ] && [ "$done_" -gt 0 ] && break
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the replacement shows no progress: speed $sp, completed $(cat /sys/block/md0/md/sync_completed)"
	usleep 100000
done
assert_state /dev/md0 "$dev3" replacement
mdctl --metrics --config /tmp/work/mdctl.conf >/tmp/work/replace.prom
mdctl --metrics /dev/md0 >/tmp/work/named.prom
cat /tmp/work/replace.prom
m=/tmp/work/replace.prom
has $m "mdctl_array_sync_action{array=\"md0\",action=\"replace\"} 1" "sync action"
has $m "mdctl_member_state{array=\"md0\",member=\"$old\",flag=\"replacing\"} 1" "the original"
has $m "mdctl_member_state{array=\"md0\",member=\"$old\",flag=\"want_replacement\"} 1" "the original"
has $m "mdctl_member_state{array=\"md0\",member=\"$old\",flag=\"in_sync\"} 1" "the original"
has $m "mdctl_member_state{array=\"md0\",member=\"$new\",flag=\"replacement\"} 1" "the replacement"
has $m "mdctl_member_state{array=\"md0\",member=\"$new\",flag=\"in_sync\"} 0" "the replacement"
grep -q "^mdctl_member_info{array=\"md0\",member=\"$old\",device=\"$dev0\",slot=\"0\",role=\"replacing\"" $m ||
	fail "member info of $old"
grep -q "^mdctl_member_info{array=\"md0\",member=\"$new\",device=\"$dev3\",slot=\"0\",role=\"replacement\"" $m ||
	fail "member info of $new"
grep -q 'spare_group="shelf1"} 1$' $m || fail "no spare group label"
ratio=$(sample $m "mdctl_array_sync_completed_ratio{array=\"md0\"}")
eta=$(sample $m "mdctl_array_sync_eta_seconds{array=\"md0\"}")
meta=$(sample $m "mdctl_member_copy_eta_seconds{array=\"md0\",member=\"$new\"}")
mratio=$(sample $m "mdctl_member_copied_ratio{array=\"md0\",member=\"$new\"}")
speed=$(sample $m "mdctl_array_sync_speed_bytes_per_second{array=\"md0\"}")
echo "progress $ratio, member copied $mratio, speed $speed B/s, ETA ${eta}s (member ${meta}s)"
case "$ratio" in 0.*) ;; *) fail "progress ratio '$ratio' not within (0, 1)" ;; esac
case "$mratio" in 0.*) ;; *) fail "member copied ratio '$mratio' not within (0, 1)" ;; esac
[ -n "$eta" ] && [ "$eta" -gt 0 ] || fail "no ETA during the replacement: '$eta'"
[ "$meta" = "$eta" ] || fail "the replacement's ETA '$meta' differs from the array's '$eta'"
[ -n "$speed" ] && [ "$speed" -gt 0 ] || fail "no speed during the replacement: '$speed'"
grep -q "member=\"$old\"" /tmp/work/named.prom || fail "--metrics /dev/md0 misses $old"
# the monitor's file, rewritten on the sync progress wakes, shows the replacement too
i=0
until grep -qxF "mdctl_member_state{array=\"md0\",member=\"$new\",flag=\"replacement\"} 1" /tmp/work/md.prom 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the monitor's METRICS file never showed the replacement"
	usleep 100000
done
cp /tmp/work/md.prom /tmp/work/monitor-replace.prom

unthrottle /dev/md0
i=0
while [ "$(cat /sys/block/md0/md/dev-$new/state 2>/dev/null)" != in_sync ] || [ -e /sys/block/md0/md/dev-$old ]; do
	i=$((i + 1))
	[ $i -lt 1200 ] || fail "the replacement did not finish: $new $(cat /sys/block/md0/md/dev-$new/state)"
	usleep 100000
done
wait_sync /dev/md0
data_verify /dev/md0
# the monitor's file follows: idle, the new member active in slot 0, the original gone
i=0
until grep -qxF "mdctl_array_sync_action{array=\"md0\",action=\"idle\"} 1" /tmp/work/md.prom &&
	grep -q "^mdctl_member_info{array=\"md0\",member=\"$new\",device=\"$dev3\",slot=\"0\",role=\"active\"" /tmp/work/md.prom &&
	! grep -q "member=\"$old\"" /tmp/work/md.prom; do
	i=$((i + 1))
	[ $i -lt 300 ] || { cat /tmp/work/md.prom; fail "the monitor's METRICS file did not follow the end of the replacement"; }
	usleep 100000
done
[ ! -e /tmp/work/md.prom.tmp ] || fail "a temporary metrics file was left behind"
kill $monpid
wait $monpid || fail "the monitor did not exit cleanly"
trap - EXIT
cat /tmp/work/mon.out

hand_back replace.prom /tmp/work/replace.prom
hand_back monitor-replace.prom /tmp/work/monitor-replace.prom
hand_back final.prom /tmp/work/md.prom
