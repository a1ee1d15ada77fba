# SPDX-License-Identifier: GPL-2.0-or-later
# OLD fails mid-copy: NEW carries on as an ordinary recovery, --wait follows it, the array ends healthy.
# timeout: 700

private_state_dir

for level in raid5 raid1; do
	md_cleanup
	make_loops 4 32
	if [ $level = raid1 ]; then
		mdadm --create /dev/md0 --run --assume-clean --level=1 --raid-devices=2 "$dev0" "$dev1" 2>&1
	else
		mdadm --create /dev/md0 --run --assume-clean --level=5 --raid-devices=3 --chunk=64 "$dev0" "$dev1" "$dev2" 2>&1
	fi
	wait_sync /dev/md0 300
	data_write /dev/md0 8
	oslot=$(cat "/sys/block/md0/md/dev-$(kn "$dev1")/slot")
	throttle /dev/md0 300
	mdctl --replace /dev/md0 "$dev1" --with "$dev3" --wait >/tmp/wait.out 2>&1 &
	waiter=$!
	wait_until 200 'the copy did not start: sync_completed=$copy_at' copy_past /dev/md0 2048
	echo "$level: copy at $copy_at; failing $dev1"
	assert_state /dev/md0 "$dev3" replacement
	mdadm /dev/md0 --fail "$dev1" 2>&1
	unthrottle /dev/md0
	wait "$waiter" || { cat /tmp/wait.out; fail "$level: mdctl --wait failed after OLD failed"; }
	cat /tmp/wait.out
	wait_sync /dev/md0 300
	assert_eq "$oslot" "$(cat "/sys/block/md0/md/dev-$(kn "$dev3")/slot")" "slot of $dev3"
	assert_state /dev/md0 "$dev3" in_sync
	assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "$level degraded at the end"
	[ ! -e "/sys/block/md0/md/dev-$(kn "$dev1")" ] || fail "$level: failed $dev1 still in md0"
	_j=$(mdctl --replace --list --json)
	case "$_j" in *'"state"'*) fail "intent left: $_j" ;; esac
	data_verify /dev/md0
done
