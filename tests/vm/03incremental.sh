# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --incremental, device by device in random order, starts the array exactly once; MD_STARTED tells udev what happened; a replacement cut off mid-copy that arrives after its array started resumes its copy.
# timeout: 600

make_loops 4 40
set -- $devs
A=$1 B=$2 C=$3 S=$4
mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean --name=inc "$A" "$B" "$C" 2>&1
mdadm /dev/md0 --add "$S"
data_write /dev/md0 4
mdadm --stop /dev/md0
rm -f /etc/mdctl.conf /etc/mdadm/mdadm.conf /etc/mdadm.conf

round=1
while [ $round -le 3 ]; do
	order=$(for d in $devs; do echo "$(awk 'BEGIN { srand(); print int(rand() * 1000000) }')$RANDOM $d"; done | sort -n | cut -d' ' -f2)
	echo "== round $round: $order"
	yes=0 actives=0 started_at=""
	for d in $order; do
		out=$(mdctl --incremental --export "$d") || fail "--incremental $d failed: $out"
		echo "$d: $(echo $out)"
		MD_STARTED="" MD_DEVICE="" MD_DEVNAME="" MD_FOREIGN=""
		eval "$out"
		[ "$d" = "$S" ] || actives=$((actives + 1))
		case "$MD_STARTED" in
		yes) yes=$((yes + 1)); started_at=$actives ;;
		already) [ "$yes" = 1 ] || fail "$d: MD_STARTED=already before the start" ;;
		unsafe) assert_eq 2 "$actives" "members present when MD_STARTED=unsafe" ;;
		no) [ "$actives" -lt 2 ] || fail "$d: MD_STARTED=no with $actives members" ;;
		*) fail "$d: MD_STARTED='$MD_STARTED'" ;;
		esac
		assert_eq inc "$MD_DEVNAME" "MD_DEVNAME"
		assert_eq no "$MD_FOREIGN" "MD_FOREIGN"
		[ -n "$dev_md" ] || dev_md=$MD_DEVICE
		assert_eq "$dev_md" "$MD_DEVICE" "MD_DEVICE stays the same"
	done
	assert_eq 1 "$yes" "number of MD_STARTED=yes"
	assert_eq 3 "$started_at" "active members present at the start"
	k=$(basename "$dev_md")
	[ "$round" = 1 ] && mv /tmp/.data-md0 "/tmp/.data-$k"
	md_array_state=$(cat /sys/block/$k/md/array_state)
	case "$md_array_state" in clean|active) ;; *) fail "array_state $md_array_state" ;; esac
	assert_eq 0 "$(cat /sys/block/$k/md/degraded)" "degraded"
	data_verify "$dev_md"
	if [ "$round" = 3 ]; then
		echo "== --incremental --fail removes a member"
		mdctl --incremental --fail "$A"
		[ ! -e "/sys/block/$k/md/dev-$(basename "$A")" ] || fail "$A still in $k"
		# a device of a running array is not attached again
		out=$(mdctl --incremental --export "$B")
		eval "$out"
		assert_eq already "$MD_STARTED" "member of a running array"
		data_verify "$dev_md"
	fi
	mdadm --stop "$dev_md"
	rm -f /dev/md/inc
	dev_md=""
	round=$((round + 1))
done

# fresh_array: a new RAID5 on A B C with data, stopped
fresh_array() {
	mdadm --zero-superblock "$A" "$B" "$C" "$S"
	mdadm --create /dev/md0 --run --level=5 -n3 --assume-clean --name=inc "$A" "$B" "$C" 2>&1
	data_write /dev/md0 2
	mdadm --stop /dev/md0
	rm -f /dev/md/inc
}

echo "== --run --scan starts what can run degraded"
fresh_array
mdctl --incremental --export "$A"
out=$(mdctl --incremental --export "$C")
eval "$out"
assert_eq unsafe "$MD_STARTED" "two of three"
k=$(basename "$MD_DEVICE")
mv /tmp/.data-md0 "/tmp/.data-$k"
assert_eq inactive "$(cat /sys/block/$k/md/array_state)" "not started yet"
mdctl --incremental --run --scan
assert_eq 1 "$(cat /sys/block/$k/md/degraded)" "started degraded"
data_verify "$MD_DEVICE"

mdadm --stop "$MD_DEVICE"

echo "== a stale member arriving is left out when the array starts"
fresh_array
mdadm --assemble --run /dev/md0 "$A" "$B" 2>&1
data_write /dev/md0 2
data_write /dev/md0 2
mdadm --stop /dev/md0
mdctl --incremental --export "$C" >/dev/null
mdctl --incremental --export "$A" >/dev/null
out=$(mdctl --incremental --export "$B" 2>&1)
echo "$out"
eval "$(echo "$out" | grep '^MD_')"
# A and B are all the array last ran with: it starts without --run (mdadm's rule)
assert_eq yes "$MD_STARTED" "the fresh members are every device it last ran with"
k=$(basename "$MD_DEVICE")
assert_contains "$out" "$(basename "$C"): left out of" "stale member named"
[ ! -e "/sys/block/$k/md/dev-$(basename "$C")" ] || fail "stale $C kept in the array"
mv /tmp/.data-md0 "/tmp/.data-$k"
data_verify "$MD_DEVICE"
mdadm --stop "$MD_DEVICE"

echo "== --assemble takes over members an unfinished --incremental holds"
fresh_array
mdctl --incremental --export "$A" >/dev/null
out=$(mdctl --incremental --export "$B")
eval "$out"
assert_eq unsafe "$MD_STARTED" "two of three attached"
k=$(basename "$MD_DEVICE")
out=$(mdctl --assemble /dev/md0 "$A" "$B" "$C" 2>&1) || fail "assemble after incremental: $out"
echo "$out"
assert_contains "$out" "/dev/md0 has been started with 3 drives" "summary"
[ ! -d "/sys/block/$k/md" ] || [ -z "$(ls -d /sys/block/$k/md/dev-* 2>/dev/null)" ] || fail "$k still holds members"
data_verify /dev/md0
mdadm --stop /dev/md0

# interrupted_replace: a new RAID5 on A B C with data, S replacing B stopped mid-copy (the
# power cut at shutdown); sets off, the sectors S's superblock records as copied
interrupted_replace() {
	fresh_array
	mdadm --assemble /dev/md0 "$A" "$B" "$C" 2>&1
	mdadm /dev/md0 --add "$S"
	throttle /dev/md0 300
	mdadm /dev/md0 --replace "$B" --with "$S"
	_end=$(($(date +%s) + 120))
	until _d=$(cut -d' ' -f1 /sys/block/md0/md/sync_completed) && [ "$_d" != none ] &&
		[ "$_d" -gt 2048 ] 2>/dev/null; do
		[ "$(date +%s)" -lt "$_end" ] || fail "the replacement made no progress"
		usleep 200000
	done
	assert_state /dev/md0 "$S" replacement
	mdadm --stop /dev/md0
	rm -f /dev/md/inc
	off=$(mdadm --examine "$S" | sed -n 's/.*Recovery Offset : \([0-9]*\) sectors.*/\1/p')
	[ -n "$off" ] && [ "$off" -gt 0 ] || fail "no recovery offset recorded on $S"
	echo "recovery offset on $S: $off sectors"
}

# running_without_S: A B C fed to --incremental (udev's order at boot): every slot is in sync
# but the replacement S is still to come, so the array waits ("unsafe": the last resort is
# armed); the last resort (--incremental --run --scan) then starts it without S; sets k
running_without_S() {
	for d in "$A" "$B" "$C"; do
		out=$(mdctl --incremental --export "$d") || fail "--incremental $d: $out"
		eval "$out"
	done
	assert_eq unsafe "$MD_STARTED" "A B C: complete, waiting for the replacement S"
	k=$(basename "$MD_DEVICE")
	[ "$(cat "/sys/block/$k/md/array_state")" = inactive ] || fail "$k started before $S came"
	mdctl --incremental --run --scan || fail "the last resort did not start $k"
	[ "$(cat "/sys/block/$k/md/array_state")" != inactive ] || fail "$k not started by the last resort"
	[ ! -e "/sys/block/$k/md/dev-$(basename "$S")" ] || fail "$S in $k before it was fed"
	mv /tmp/.data-md0 "/tmp/.data-$k"
}

echo "== a replacement cut off mid-copy waits for its array: A B C, then S, start it with S copying on"
interrupted_replace
echo 1 >/proc/sys/dev/raid/speed_limit_min
echo 300 >/proc/sys/dev/raid/speed_limit_max
for d in "$A" "$B" "$C" "$S"; do
	out=$(mdctl --incremental --export "$d") || fail "--incremental $d: $out"
	eval "$out"
done
assert_eq yes "$MD_STARTED" "S completes the array"
k=$(basename "$MD_DEVICE")
assert_state "/dev/$k" "$S" replacement
assert_eq 1 "$(cat "/sys/block/$k/md/dev-$(basename "$S")/slot")" "slot of $S"
echo 100000 >/proc/sys/dev/raid/speed_limit_min
echo 2000000 >/proc/sys/dev/raid/speed_limit_max
mv /tmp/.data-md0 "/tmp/.data-$k"
wait_sync "/dev/$k" 300
assert_state "/dev/$k" "$S" in_sync
assert_eq 0 "$(cat "/sys/block/$k/md/degraded")" "degraded after the copy"
data_verify "/dev/$k"
mdadm --stop "/dev/$k"

echo "== a replacement cut off mid-copy, arriving after its array started, resumes its copy"
interrupted_replace
echo 1 >/proc/sys/dev/raid/speed_limit_min
echo 300 >/proc/sys/dev/raid/speed_limit_max
running_without_S
out=$(mdctl --incremental --export "$S" 2>&1) || fail "--incremental $S: $out"
echo "$out"
eval "$(echo "$out" | grep '^MD_')"
assert_eq already "$MD_STARTED" "the replacement of a running array"
assert_contains "$out" "back in /dev/md/inc as the replacement of slot 1" "message"
assert_state "/dev/$k" "$S" replacement
assert_state "/dev/$k" "$B" in_sync
assert_eq 1 "$(cat "/sys/block/$k/md/dev-$(basename "$S")/slot")" "slot of $S"
_end=$(($(date +%s) + 60))
while first=$(cut -d' ' -f1 "/sys/block/$k/md/sync_completed") && [ "$first" = none ]; do
	[ "$(date +%s)" -lt "$_end" ] || fail "no copy after $S came back"
	usleep 100000
done
echo "first sync_completed: $(cat "/sys/block/$k/md/sync_completed")"
[ "$first" -ge "$off" ] || fail "the copy resumed at $first, before the recorded $off"
echo 100000 >/proc/sys/dev/raid/speed_limit_min
echo 2000000 >/proc/sys/dev/raid/speed_limit_max
unthrottle "/dev/$k"
wait_sync "/dev/$k" 300
assert_state "/dev/$k" "$S" in_sync
assert_state "/dev/$k" "$B" faulty
assert_eq 0 "$(cat "/sys/block/$k/md/degraded")" "degraded after the copy"
data_verify "/dev/$k"
mdadm --stop "/dev/$k"

echo "== ... but not when the array was written without it: refused, nothing written"
interrupted_replace
# the superblock's update time counts seconds: the next update must fall in another one
sleep 1
running_without_S
data_write "/dev/$k" 1
devsums_save "$S"
out=$(mdctl --incremental --export "$S" 2>&1) || fail "--incremental $S: $out"
echo "$out"
eval "$(echo "$out" | grep '^MD_')"
assert_eq already "$MD_STARTED" "the stale replacement of a running array"
assert_contains "$out" "copy cannot resume: the array was updated without it" "why"
assert_contains "$out" "already running without it; not added" "today's refusal"
[ ! -e "/sys/block/$k/md/dev-$(basename "$S")" ] || fail "stale $S bound to $k"
devsums_check
data_verify "/dev/$k"
mdadm --stop "/dev/$k"
