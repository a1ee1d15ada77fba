# SPDX-License-Identifier: GPL-2.0-or-later
# An interrupted replacement (RAID5, RAID6, RAID1, RAID10; metadata 1.0/1.1/1.2) comes back in its slot after mdctl --assemble and resumes where it stopped.
# timeout: 1500

# sectors_done MD: the numerator of sync_completed, or "none".
sectors_done() {
	_sc=$(cat "/sys/block/$1/md/sync_completed")
	[ "$_sc" = none ] && { echo none; return 0; }
	echo "${_sc%% /*}"
}

# wait_done_above MD N WHAT: until sync_completed's numerator exceeds N (60 s at most).
wait_done_above() {
	_end=$(($(date +%s) + 60))
	while :; do
		_d=$(sectors_done "$1")
		[ "$_d" != none ] && [ "$_d" -gt "$2" ] && return 0
		[ "$(date +%s)" -lt "$_end" ] || fail "$3: no progress past $2 (sync_completed $(cat /sys/block/$1/md/sync_completed))"
		usleep 200000
	done
}

# first_done MD WHAT: the first sync_completed numerator once recovery runs after assembly.
first_done() {
	_end=$(($(date +%s) + 30))
	while :; do
		_d=$(sectors_done "$1")
		[ "$_d" != none ] && { echo "$_d"; return 0; }
		[ "$(date +%s)" -lt "$_end" ] || fail "$2: no recovery after assembly"
		usleep 100000
	done
}

# offset_of DEV: the recovery offset mdadm --examine reads from DEV's superblock.
offset_of() {
	mdadm --examine "$1" | sed -n 's/.*Recovery Offset : \([0-9]*\) sectors.*/\1/p'
}

slow() {
	echo 1 >/proc/sys/dev/raid/speed_limit_min
	echo 300 >/proc/sys/dev/raid/speed_limit_max
}
fast() {
	echo 100000 >/proc/sys/dev/raid/speed_limit_min
	echo 2000000 >/proc/sys/dev/raid/speed_limit_max
}

# start_replace LEVEL N META: an array made by mdadm with data, NEW replacing OLD (the
# second member) stopped mid-copy; sets members, old, new, off.
start_replace() {
	level=$1 n=$2 meta=$3
	what="raid$level/$meta"
	echo "== $what with $n members"
	make_loops $((n + 1)) 24
	set -- $devs
	members=""
	i=0
	while [ $i -lt "$n" ]; do
		members="$members $1"
		shift
		i=$((i + 1))
	done
	new=$1
	old=$(echo $members | cut -d' ' -f2)
	mdadm --create /dev/md0 --run --metadata=$meta --level=$level -n$n --assume-clean $members 2>&1
	data_write /dev/md0 8
	mdadm /dev/md0 --add "$new"
	throttle /dev/md0 300
	mdadm /dev/md0 --replace "$old" --with "$new"
	wait_done_above md0 2048 "$what replace"
	assert_state /dev/md0 "$new" replacement
	mdadm --stop /dev/md0
	ex=$(mdadm --examine "$new")
	assert_contains "$ex" "Replacement device 1" "mdadm --examine $new"
	off=$(offset_of "$new")
	[ -n "$off" ] && [ "$off" -gt 0 ] || fail "$what: no recovery offset recorded on $new: $ex"
	echo "recovery offset on $new before assembly: $off sectors"
}

# assemble_resume LIST...: mdctl --assemble, then the copy must resume at or after $off.
assemble_resume() {
	slow
	out=$(mdctl --assemble /dev/md0 "$@" 2>&1) || fail "$what: mdctl --assemble failed: $out"
	echo "$out"
	assert_contains "$out" "has been started with $n drives and 1 replacement (slot 1," "$what summary"
	assert_contains "$out" "$new is slot 1, replacement" "$what member line"
	assert_state /dev/md0 "$new" replacement
	assert_state /dev/md0 "$old" in_sync
	first=$(first_done md0 "$what")
	echo "first sync_completed after assembly: $(cat /sys/block/md0/md/sync_completed)"
	[ "$first" -gt 0 ] || fail "$what: the copy restarted from zero"
	[ "$first" -ge "$off" ] || fail "$what: the copy resumed at $first, before the recorded $off"
}

finish_replace() {
	mdadm --detail /dev/md0 | grep -q "spare rebuilding" ||
		fail "$what: mdadm --detail does not show the rebuilding replacement"
	fast
	wait_sync /dev/md0 300
	assert_state /dev/md0 "$new" in_sync
	assert_state /dev/md0 "$old" faulty
	data_verify /dev/md0
	mdadm --stop /dev/md0
	losetup -D
	rm -rf /tmp/loops
}

# replace_case LEVEL N META: interrupted once, resumed, completed.
replace_case() {
	start_replace "$@"
	assemble_resume $members "$new"
	finish_replace
}

replace_case 5 3 1.2
replace_case 6 4 1.0
replace_case 1 2 1.1
replace_case 10 4 1.2

# Interrupted twice: the second assembly (devices listed in another order) resumes at
# the second, later offset.
start_replace 5 3 1.2
assemble_resume $members "$new"
wait_done_above md0 $((off + 2048)) "$what resumed copy"
mdadm --stop /dev/md0
off1=$off
off=$(offset_of "$new")
echo "recovery offset after the second interruption: $off sectors"
[ "$off" -gt "$off1" ] || fail "$what: the offset did not advance ($off1 then $off)"
assemble_resume "$new" $(echo $members | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
finish_replace

# The original gone: the replacement alone in its slot is promoted and the rebuild
# (from parity now) still starts at its offset; --run because the slot is not whole.
start_replace 5 3 1.2
others=$(echo $members | tr ' ' '\n' | grep -v "^$old\$" | tr '\n' ' ')
slow
rc=0
out=$(mdctl --assemble /dev/md0 $others "$new" 2>&1) || rc=$?
echo "$out"
assert_eq 2 "$rc" "$what: without the original, not started without --run"
out=$(mdctl --assemble --run /dev/md0 $others "$new" 2>&1) || fail "$what: --run: $out"
echo "$out"
assert_contains "$out" "has been started with 2 drives (degraded) and 1 replacement (slot 1," "$what summary"
first=$(first_done md0 "$what")
echo "first sync_completed after assembly: $(cat /sys/block/md0/md/sync_completed)"
[ "$first" -ge "$off" ] || fail "$what: the rebuild started at $first, before the recorded $off"
fast
wait_sync /dev/md0 300
assert_state /dev/md0 "$new" in_sync
case "$(uname -r)" in
6.1.*)
	# 6.1 promotes a replacement alone in its slot to the slot's member when the
	# array starts: the rebuild makes the array whole
	assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "$what: degraded after the rebuild"
	;;
*)
	# 6.12 does not (mdadm's assembly ends the same way): after the rebuild the
	# device is in_sync but still a replacement, [U_U], degraded 1, also after a
	# re-assembly; its data is complete (verified below)
	assert_state /dev/md0 "$new" replacement
	assert_eq 1 "$(cat /sys/block/md0/md/degraded)" "$what: degraded after the rebuild on $(uname -r)"
	;;
esac
data_verify /dev/md0
