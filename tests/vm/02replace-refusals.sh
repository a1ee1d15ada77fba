# SPDX-License-Identifier: GPL-2.0-or-later
# Every --replace refusal prints one line naming the cause, exits non-zero and changes no byte of any device.
# timeout: 900

MDCTL_STATE_DIR=$(mktemp -d /tmp/mdctl-state.XXXXXX)
export MDCTL_STATE_DIR

kn() { _kname "$1"; }

# refuse EXPECTED CMD...: CMD fails (exit 1 or 2), its message contains EXPECTED.
refuse() {
	_want=$1
	shift
	if _out=$("$@" 2>&1); then
		fail "expected a refusal ($_want), but it succeeded: $* -> $_out"
	fi
	echo "refused: $* -> $_out"
	assert_contains "$_out" "$_want" "message of: $*"
	case "$_out" in
	"mdctl: "*) ;;
	*) fail "message does not start with 'mdctl: ': $_out" ;;
	esac
	return 0
}

# unmarked MD: no member of MD is marked, and no state file was written.
unmarked() {
	for _s in /sys/block/"$(_md "$1")"/md/dev-*/state; do
		case "$(cat "$_s")" in
		*want_replacement*) fail "$_s became $(cat "$_s")" ;;
		esac
	done
	if [ -e "$MDCTL_STATE_DIR/replacements.json" ] && grep -q array_uuid "$MDCTL_STATE_DIR/replacements.json"; then
		fail "an intent was recorded by a refused command: $(cat "$MDCTL_STATE_DIR/replacements.json")"
	fi
	return 0
}

# the global speed limits are changed below: put them back however the scenario ends
trap 'echo 200000 >/proc/sys/dev/raid/speed_limit_max; echo 1000 >/proc/sys/dev/raid/speed_limit_min' EXIT
make_loops 19 32
# md0: raid6 of 4 (dev0..dev3); dev3 failed (still attached as faulty), rebuilt onto dev4; dev18 a spare
mdadm --create /dev/md0 --run --assume-clean --level=6 --raid-devices=4 --chunk=64 "$dev0" "$dev1" "$dev2" "$dev3" 2>&1
wait_sync /dev/md0 300
data_write /dev/md0 4
mdadm /dev/md0 --add "$dev4" 2>&1
mdadm /dev/md0 --fail "$dev3" 2>&1
wait_sync /dev/md0 300
assert_state /dev/md0 "$dev3" faulty
mdadm /dev/md0 --add "$dev18" 2>&1
assert_state /dev/md0 "$dev18" spare
# md1: raid0, md2: linear (a second raid0 where the kernel has no linear personality)
lin=linear
md_has_level linear || lin=0
mdadm --create /dev/md1 --run --assume-clean --level=0 --raid-devices=2 --chunk=64 "$dev5" "$dev6" 2>&1
mdadm --create /dev/md2 --run --assume-clean --level=$lin --raid-devices=2 "$dev7" "$dev8" 2>&1
# dev9: free and big enough; dev10: a filesystem on it; dev11: too small (re-made at 8 MiB)
mke2fs -q -F "$dev10" >/dev/null 2>&1 || mke2fs -F "$dev10" >/dev/null
losetup -d "$dev11"
_f=$(mktemp /tmp/loops/small.XXXXXX)
truncate -s 8M "$_f"
losetup "$dev11" "$_f"
# dev12: a spare we put into md0 and then fail, for "NEW faulty"
mdadm /dev/md0 --add "$dev12" 2>&1
mdadm /dev/md0 --fail "$dev12" 2>&1
assert_state /dev/md0 "$dev12" faulty
# md0's superblocks settle (events, clean) before the snapshot
sync
_t=0
while [ "$(cat /sys/block/md0/md/array_state)" != clean ] && [ $_t -lt 50 ]; do usleep 100000; _t=$((_t + 1)); done
sleep 1

devsums_save $devs
echo "== refusals on devices that must stay byte-identical"
refuse "has no redundancy to keep while replacing" mdctl --replace /dev/md1 "$dev5" --with "$dev9"
refuse "has no redundancy to keep while replacing" mdctl /dev/md2 --replace "$dev7" --with "$dev9"
refuse "is faulty" mdctl --replace /dev/md0 "$dev3" --with "$dev9"
refuse "is a spare" mdctl --replace /dev/md0 "$dev18" --with "$dev9"
refuse "is not a member" mdctl --replace /dev/md0 "$dev9" --with "$dev13"
refuse "is faulty and cannot be a replacement" mdctl --replace /dev/md0 "$dev0" --with "$dev12"
refuse "is an active member" mdctl --replace /dev/md0 "$dev0" --with "$dev1"
refuse "is too small" mdctl --replace /dev/md0 "$dev0" --with "$dev11"
refuse "ext" mdctl --replace /dev/md0 "$dev0" --with "$dev10"
refuse "in use" mdctl --replace /dev/md0 "$dev0" --with "$dev5"
refuse "no member is marked for replacement" mdctl --replace /dev/md0 --with "$dev9"
refuse "no such array" mdctl --replace /dev/md9 "$dev0" --with "$dev9"
refuse "name the array" mdctl --replace
refuse "is not being replaced" mdctl --replace /dev/md0 "$dev0" --cancel
refuse "is named twice" mdctl /dev/md0 --replace "$dev0" --replace "$dev0"
refuse "goes with --wait" mdctl --replace /dev/md0 "$dev0" --with "$dev9" --keep-old
devsums_check
unmarked /dev/md0
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded after the refusals"

echo "== the array must be running"
mdadm --stop /dev/md1 2>&1
mdadm --assemble /dev/md1 "$dev5" "$dev6" 2>&1
echo inactive >/sys/block/md1/md/array_state
assert_eq inactive "$(cat /sys/block/md1/md/array_state)" "md1 state"
devsums_save "$dev5" "$dev6" "$dev9"
refuse "not running" mdctl --replace /dev/md1 "$dev5" --with "$dev9"
devsums_check

echo "== NEW already a replacement, OLD already being replaced (during a throttled copy)"
throttle /dev/md0 200
mdctl --replace /dev/md0 "$dev0" --with "$dev9"
assert_state /dev/md0 "$dev9" replacement
devsums_save "$dev13"
refuse "is already the replacement for slot" mdctl --replace /dev/md0 "$dev1" --with "$dev9"
refuse "is already being replaced by $(kn "$dev9")" mdctl --replace /dev/md0 "$dev0" --with "$dev13"
refuse "is itself the replacement" mdctl --replace /dev/md0 "$dev9" --with "$dev13"
devsums_check
case "$(dev_state /dev/md0 "$dev1")" in
*want_replacement*) fail "$dev1 was marked by a refused command" ;;
esac
mdctl --replace /dev/md0 "$dev0" --cancel
unthrottle /dev/md0
wait_sync /dev/md0 300
data_verify /dev/md0

echo "== a reshape in progress"
mdadm --create /dev/md3 --run --assume-clean --level=5 --raid-devices=3 --chunk=64 "$dev14" "$dev15" "$dev16" 2>&1
wait_sync /dev/md3 300
mdadm /dev/md3 --add "$dev17" 2>&1
echo 100 >/proc/sys/dev/raid/speed_limit_max
echo 10 >/proc/sys/dev/raid/speed_limit_min
if mdadm --grow /dev/md3 --raid-devices=4 --backup-file=/tmp/md3.backup 2>&1 &&
	[ "$(cat /sys/block/md3/md/sync_action)" = reshape ]; then
	_new=$dev13
	devsums_save "$_new"
	refuse "reshap" mdctl --replace /dev/md3 "$dev15" --with "$_new"
	devsums_check
	unmarked /dev/md3
else
	echo "reshape did not start here (sync_action=$(cat /sys/block/md3/md/sync_action)); reshape refusal not exercised"
fi
echo 200000 >/proc/sys/dev/raid/speed_limit_max
echo 1000 >/proc/sys/dev/raid/speed_limit_min
echo "== all refusals passed"
