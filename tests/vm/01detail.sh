# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --detail against mdadm --detail for RAID1/5/6/10; --export, --json, --test; replacement wording.
# timeout: 1200

make_loops 6 16

# field NAME FILE: the value of "NAME : value" in a --detail listing, trailing blanks dropped.
field() { sed -n "s/^ *$1 : \(.*\)/\1/p" "$2" | sed 's/ *$//'; }
# fields FILE: the fields mdctl --detail must print as mdadm does, "NAME : value" each,
# trailing blanks dropped (one sed: under TCG each process start costs ~0.1 s)
fields() {
	sed -n -E -e 's/ *$//' -e 's/^ *(Version|Creation Time|Raid Level|Array Size|Used Dev Size|Raid Devices|Total Devices|Persistence|State|Active Devices|Working Devices|Failed Devices|Spare Devices|Layout|Chunk Size|Consistency Policy|Name|UUID|Events) : /\1 : /p' "$1"
}
# no_advice FILE: --detail output without mdctl's Health/Action block after the table
# (and the blank line before it); mdadm's part must match mdadm exactly
no_advice() {
	awk '/^            (Health|Action) : / { exit } /^$/ { b++; next } { while (b > 0) { print ""; b-- } print }' ${1:+"$1"}
}
# table FILE: the member table, trailing blanks dropped.
table() { no_advice "$1" | sed -n '/Number *Major *Minor *RaidDevice/,$p' | sed 's/ *$//'; }

compare() {
	# let md finish the superblock update a failure or a clean transition starts
	sleep 1
	mdadm --detail /dev/md0 >/tmp/a
	mdctl --detail /dev/md0 >/tmp/b || fail "mdctl --detail exited non-zero"
	assert_eq "$(fields /tmp/a)" "$(fields /tmp/b)" "$1: --detail fields"
	assert_eq "$(table /tmp/a)" "$(table /tmp/b)" "$1: member table"
	# the whole listing, blank lines included, apart from trailing blanks and
	# mdctl's Health/Action block after the table (printed when something needs doing)
	sed 's/ *$//' /tmp/a | no_advice >/tmp/a2
	no_advice /tmp/b >/tmp/b2
	diff /tmp/a2 /tmp/b2 >&2 || fail "$1: --detail differs from mdadm's"
	# every key mdadm exports, mdctl exports with the same value (quoting aside)
	mdctl --detail --export /dev/md0 | tr -d "'" >/tmp/e
	lacks=$(mdadm --detail --export /dev/md0 | grep -vxF -f /tmp/e) || true
	[ -z "$lacks" ] || fail "$1: --export lacks: $lacks"
}

linear="linear 2"
md_has_level linear || { linear="raid0 3"; echo "no linear personality in $(uname -r): linear not shown"; }
for spec in "raid0 3" "$linear" "raid1 2" "raid1 2 --bitmap=internal" "raid5 3" "raid6 4" "raid10 4"; do
	set -- $spec
	lv=$1 n=$2
	shift 2
	extra="$*"
	list=""
	i=0
	for d in $devs; do
		[ "$i" -lt "$n" ] && list="$list $d"
		i=$((i + 1))
	done
	mdadm --create /dev/md0 --run --level="$lv" -n"$n" --name=t"$lv" $extra $list 2>&1
	wait_sync /dev/md0 120
	compare "$lv"

	# --brief is mdadm's ARRAY line
	assert_eq "$(mdadm --detail --brief /dev/md0)" "$(mdctl --detail --brief /dev/md0)" "$lv: --brief"
	assert_eq "$(mdadm --detail --brief -v /dev/md0)" "$(mdctl --detail --brief -v /dev/md0)" "$lv: --brief -v"

	# --json: the schema's keys and this array's values
	mdctl --detail --json /dev/md0 >/tmp/j || fail "$lv: --json exited non-zero"
	uuid=$(field UUID /tmp/a)
	for want in '"version": 2' "\"level\": \"$lv\"" "\"raid_devices\": $n" "\"uuid\": \"$uuid\"" \
		'"health": "ok"' '"members": [' '"replacements": [' '"sync": null'; do
		assert_contains "$(cat /tmp/j)" "$want" "$lv: --json"
	done
	assert_eq "$n" "$(grep -c '"role": "active"' /tmp/j)" "$lv: active members in --json"

	# --test: healthy 0, one member failed 1
	mdctl --detail --test /dev/md0 >/dev/null || fail "$lv: --test on a healthy array exited $?"
	if [ "$lv" = raid0 ] || [ "$lv" = linear ]; then
		mdadm --stop /dev/md0 2>&1
		for d in $list; do mdadm --zero-superblock "$d"; done
		continue
	fi
	mdadm /dev/md0 --fail "$(echo $list | cut -d' ' -f1)" 2>&1
	rc=0
	mdctl --detail --test /dev/md0 >/dev/null || rc=$?
	assert_eq 1 "$rc" "$lv: --test exit status with one member failed"
	compare "$lv degraded"
	assert_contains "$(field State /tmp/b)" "degraded" "$lv: State after a failure"
	first=$(echo $list | cut -d' ' -f1)
	grep -qxF "            Health : degraded: 1 slot without an in-sync member, no spare" /tmp/b ||
		fail "$lv: no degraded Health line: $(cat /tmp/b)"
	grep -qxF "            Action : remove $first, failed: mdctl /dev/md0 --remove failed" /tmp/b ||
		fail "$lv: no Action line removing $first"
	grep -qxF "            Action : add a disk to rebuild onto (a former member given here is re-added and catches up): mdctl /dev/md0 --add NEWDISK" /tmp/b ||
		fail "$lv: no Action line adding a disk"
	# the other copy of slot 0's data: the kernel keeps it, mdctl says why
	if [ "$lv" = raid1 ] || [ "$lv" = raid10 ]; then
		second=$(echo $list | cut -d' ' -f2)
		rc=0
		mdctl /dev/md0 --fail "$second" 2>/tmp/err || rc=$?
		assert_eq 1 "$rc" "$lv: exit status of failing the last copy"
		assert_contains "$(cat /tmp/err)" "cannot set $second faulty: the kernel keeps it" "$lv: refusal"
		assert_state /dev/md0 "$second" in_sync
	fi
	mdadm --stop /dev/md0 2>&1
	for d in $list; do mdadm --zero-superblock "$d"; done
done

# unusable: RAID5 with two failed members
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 120
mdadm /dev/md0 --fail "$dev0" 2>&1
rc=0
mdctl /dev/md0 --fail "$dev1" 2>/tmp/err || rc=$?
assert_eq 1 "$rc" "exit status of failing a second RAID5 member"
assert_contains "$(cat /tmp/err)" "set $dev1 faulty; the array has now failed" "second RAID5 failure message"
rc=0
mdctl --detail --test /dev/md0 >/tmp/b || rc=$?
assert_eq 2 "$rc" "--test exit status of a RAID5 with two failed members"
rc=0
mdadm --detail --test /dev/md0 >/dev/null || rc=$?
assert_eq 2 "$rc" "mdadm --test agrees"
assert_contains "$(field State /tmp/b)" "FAILED" "State of a failed RAID5"
mdadm --stop /dev/md0 2>&1
for d in $dev0 $dev1 $dev2; do mdadm --zero-superblock "$d"; done

# --test with a name that is no array: 4
rc=0
mdctl --detail --test /dev/md9 >/dev/null 2>&1 || rc=$?
assert_eq 4 "$rc" "--test exit status for a missing array"

# a replacement in progress, held slow
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 120
mdadm /dev/md0 --add "$dev3" 2>&1
throttle /dev/md0 100
mdadm /dev/md0 --replace "$dev1" --with "$dev3" 2>&1
usleep 1500000
mdctl --detail /dev/md0 >/tmp/b
cat /tmp/b
k1=$(basename "$dev1") k3=$(basename "$dev3")
grep -q "active sync replacing *$dev1\$" /tmp/b || fail "original not shown as 'active sync replacing'"
grep -q "replacement, [0-9]*% copied *$dev3\$" /tmp/b || fail "new member not shown as 'replacement, NN% copied'"
assert_eq "clean, replacing" "$(field State /tmp/b)" "State during a replacement"
grep -q "Replace Status : [0-9]*% complete, .*ETA" /tmp/b || fail "no Replace Status line"
mdctl --detail --export /dev/md0 >/tmp/e
assert_contains "$(cat /tmp/e)" "MD_DEVICE_dev_${k1}_STATE=replacing" "--export state of the original"
assert_contains "$(cat /tmp/e)" "MD_DEVICE_dev_${k3}_STATE=replacement" "--export state of the replacement"
mdctl --detail --json /dev/md0 >/tmp/j
assert_contains "$(tr -d ' \n' </tmp/j)" "\"replacements\":[{\"slot\":1,\"old\":\"$dev1\",\"new\":\"$dev3\"" "--json replacements"
assert_contains "$(tr -d ' \n' </tmp/j)" '"state":"copying"}]' "--json replacement state"
rc=0
mdctl --detail --test /dev/md0 >/dev/null || rc=$?
assert_eq 0 "$rc" "--test during a replacement (fully redundant)"
unthrottle /dev/md0
wait_sync /dev/md0 120
mdctl --detail /dev/md0 >/tmp/b
grep -q "active sync *$dev3\$" /tmp/b || fail "replacement not active after the copy"

# marked for replacement with no spare to copy to
echo want_replacement >/sys/block/md0/md/dev-$(basename "$dev2")/state
mdctl --detail /dev/md0 >/tmp/b
grep -q "active sync want-replacement *$dev2\$" /tmp/b || fail "no 'want-replacement' wording: $(cat /tmp/b)"
grep -qxF "            Action : replace $dev2, marked for replacement: mdctl --replace /dev/md0 $dev2 --with NEWDISK" /tmp/b ||
	fail "no Action line replacing $dev2: $(cat /tmp/b)"
assert_contains "$(mdctl --detail --json /dev/md0 | tr -d ' \n')" '"state":"waiting-for-spare"' "--json waiting replacement"
