# SPDX-License-Identifier: GPL-2.0-or-later
# --cancel before the copy (mark only) and during it: OLD stays, fully redundant, unmarked; the intent is gone.
# timeout: 700

private_state_dir

# intact OLD: OLD in sync in its slot, not marked; nothing paired; array whole; no intent.
intact() {
	assert_state /dev/md0 "$1" in_sync
	case "$(dev_state /dev/md0 "$1")" in
	*want_replacement*) fail "$1 still marked: $(dev_state /dev/md0 "$1")" ;;
	esac
	grep -l replacement /sys/block/md0/md/dev-*/state 2>/dev/null | while read -r _f; do
		case "$(cat "$_f")" in
		*want_replacement*) ;;
		*replacement*) fail "a replacement is still paired: $_f = $(cat "$_f")" ;;
		esac
	done
	assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
	_j=$(mdctl --replace --list --json)
	case "$_j" in
	*'"state"'*) fail "intent left after --cancel: $_j" ;;
	esac
	return 0
}

make_loops 6 32
r5_data 8

echo "== cancel before the copy: mark only, no spare"
mdctl --replace /dev/md0 "$dev1"
assert_state /dev/md0 "$dev1" want_replacement
assert_contains "$(mdctl --replace --list)" "marked (recorded)" "--list before cancel"
mdctl --replace /dev/md0 "$dev1" --cancel
intact "$dev1"

echo "== cancel during the copy, NEW added by mdctl"
throttle /dev/md0 300
mdctl --replace /dev/md0 "$dev1" --with "$dev3"
assert_state /dev/md0 "$dev3" replacement
wait_until 100 'the copy did not start: sync_completed=$copy_at' copy_past /dev/md0 0
echo "copy under way: $copy_at"
mdctl --replace /dev/md0 "$dev1" --cancel
[ ! -e "/sys/block/md0/md/dev-$(kn "$dev3")" ] || fail "$dev3 still in md0: $(dev_state /dev/md0 "$dev3")"
intact "$dev1"
data_verify /dev/md0

echo "== the cancelled NEW may be named again without --force (it holds this array's superblock)"
mdctl --replace /dev/md0 "$dev1" --with "$dev3"
assert_state /dev/md0 "$dev3" replacement
mdctl --replace /dev/md0 "$dev1" --cancel
[ ! -e "/sys/block/md0/md/dev-$(kn "$dev3")" ] || fail "$dev3 still in md0"
intact "$dev1"
# a disk of another array is still refused
mdadm --zero-superblock "$dev3" 2>&1
mdadm --create /dev/md5 --run --assume-clean --level=1 --raid-devices=2 --metadata=1.2 "$dev3" missing 2>&1
mdadm --stop /dev/md5 2>&1
if mdctl --replace /dev/md0 "$dev1" --with "$dev3" 2>/tmp/err; then fail "a member of another array was taken"; fi
assert_contains "$(cat /tmp/err)" "md superblock" "refusal of another array's disk"
intact "$dev1"

echo "== cancel after the kernel paired a spare on its own (mark only with a spare present)"
mdadm /dev/md0 --add "$dev4" 2>&1
mdctl --replace /dev/md0 "$dev2"
_t=0
until case "$(dev_state /dev/md0 "$dev4")" in *replacement*) true ;; *) false ;; esac; do
	_t=$((_t + 1))
	[ $_t -lt 50 ] || fail "the kernel did not pair $dev4: $(dev_state /dev/md0 "$dev4")"
	usleep 100000
done
mdctl --replace /dev/md0 "$dev2" --cancel
[ ! -e "/sys/block/md0/md/dev-$(kn "$dev4")" ] || fail "$dev4 still in md0"
intact "$dev2"
unthrottle /dev/md0
wait_sync /dev/md0 300
intact "$dev2"
data_verify /dev/md0
echo "check" >/sys/block/md0/md/sync_action
wait_sync /dev/md0 300
assert_eq 0 "$(cat /sys/block/md0/md/mismatch_cnt)" "mismatch_cnt after check"
