# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --incremental, device by device in random order, starts the array exactly once; MD_STARTED tells udev what happened.
# timeout: 300

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
