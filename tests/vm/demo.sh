# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: a narrated walk through mdctl on a real md array (later issues extend the story).
# timeout: 600

say() { printf '\n==> %s\n' "$*"; }
run() { printf '    $ %s\n' "$*"; "$@" 2>&1 | sed 's/^/    /'; }

make_loops 4 64
say "Four 64 MiB loop devices on tmpfs stand in for disks: $devs"
if mdctl --create --help >/dev/null 2>&1; then
	say "mdctl creates a RAID5 over three of them"
	run mdctl --create /dev/md0 --run --level=5 --raid-devices=3 "$dev0" "$dev1" "$dev2"
else
	say "Debian's mdadm creates a RAID5 over three of them (mdctl --create is not built yet)"
	run mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2"
fi
wait_sync /dev/md0
run cat /proc/mdstat
say "Write 8 MiB of random data and remember its checksum"
data_write /dev/md0 8
data_verify /dev/md0
echo "    data verified: sha256 $(cut -d' ' -f2 /tmp/.data-md0)"
say "mdctl reads the same superblock"
run mdctl --examine "$dev0"

# ---- hot-replace (helper replace) ----------------------------------------
# detail: mdctl --detail when it is built, else mdadm's.
detail() {
	if mdctl --detail /dev/md0 >/tmp/.demo-detail 2>&1; then
		printf '    $ mdctl --detail /dev/md0\n'
	else
		printf '    $ mdadm --detail /dev/md0   (mdctl --detail is not built yet)\n'
		mdadm --detail /dev/md0 >/tmp/.demo-detail 2>&1
	fi
	sed 's/^/    /' /tmp/.demo-detail
}
say "Hot-replace: $dev1 still works but should go. Its data is copied to $dev3 while"
echo "    the array stays fully redundant; only then is $dev1 retired."
say "Before"
detail
say "Slow the copy to about 2 MiB/s so it can be watched"
throttle /dev/md0 2000
say "$dev3 is not in the array: mdctl checks it (size, not in use, no signature), adds it"
echo "    as a spare, marks $dev1, pairs $dev3 with its slot, and waits for the copy"
printf '    $ mdctl --replace /dev/md0 %s --with %s --wait\n' "$dev1" "$dev3"
mdctl --replace /dev/md0 "$dev1" --with "$dev3" --wait >/tmp/.demo-replace 2>&1 &
replacer=$!
sleep 4
say "During: $dev3 is the replacement in $dev1's slot, $dev1 is still in service"
detail
run cat /proc/mdstat
say "mdctl --replace --list shows it, with the intent recorded in /var/lib/mdctl"
run mdctl --replace --list
say "Let the copy finish at full speed"
unthrottle /dev/md0
wait $replacer || { sed 's/^/    /' /tmp/.demo-replace; fail "the replacement failed"; }
sed 's/^/    /' /tmp/.demo-replace
say "After: the data checksum still matches"
data_verify /dev/md0
echo "    data verified: sha256 $(cut -d' ' -f2 /tmp/.data-md0)"
say "After: $dev3 holds the slot, $dev1 is out of the array and can be pulled"
detail
run mdctl --replace --list

say "Second story: a disk starts failing writes. With a bad-block log (mdadm and mdctl"
echo "    create one), the kernel records the failed blocks, keeps the disk in service and"
echo "    marks it want_replacement by itself."
mdadm --stop /dev/md0 >/dev/null 2>&1
make_loops 4 64
flakey_wrap "$dev1" failing 2048
run mdadm --create /dev/md1 --run --assume-clean --level=5 -n3 --data-offset=1024 \
	"$dev0" /dev/mapper/failing "$dev2"
say "Writes to /dev/mapper/failing now fail (dm-flakey; its superblock area stays writable)"
flakey_fail_writes failing
say "Write 8 MiB to the array, in 4 KiB direct writes"
data_write /dev/md1 8
sleep 1
run cat "/sys/block/md1/md/dev-$(_kname /dev/mapper/failing)/state"
echo "    bad blocks recorded: $(wc -l <"/sys/block/md1/md/dev-$(_kname /dev/mapper/failing)/bad_blocks")"
run mdctl --replace --list
say "No need to name the failing disk: --with alone replaces the member the kernel marked"
run mdctl --replace /dev/md1 --with "$dev3" --wait
say "The data written while the disk was failing is intact"
data_verify /dev/md1
echo "    data verified: sha256 $(cut -d' ' -f2 /tmp/.data-md1)"
if mdctl --detail /dev/md1 >/tmp/.demo-detail 2>&1; then
	run mdctl --detail /dev/md1
else
	run mdadm --detail /dev/md1
fi
mdadm --stop /dev/md1 >/dev/null 2>&1
# ---- end of hot-replace ---------------------------------------------------

# ---- the monitor story (helper monitor): a failing disk is hot-replaced with nobody awake
monitor_story() {
	make_loops 6 64
	say "The monitor story: two arrays share a spare group.  md10 is a RAID5 whose first disk sits behind dm-flakey (so we can make its writes fail); md11 is a RAID1 that owns the group's only spare"
	flakey_wrap "$dev0" sick 8192
	run mdadm --create /dev/md10 --run --level=5 -n3 /dev/mapper/sick "$dev1" "$dev2"
	run mdadm --create /dev/md11 --run --level=1 -n2 -x1 "$dev3" "$dev4" "$dev5"
	wait_sync /dev/md10
	wait_sync /dev/md11
	sick=$(_kname /dev/mapper/sick)
	say "Write 16 MiB of random data to md10 and remember its checksum"
	data_write /dev/md10 16
	cat >/tmp/demo-mdctl.conf <<CONF
ARRAY /dev/md10 UUID=$(mdadm --detail --export /dev/md10 | sed -n 's/^MD_UUID=//p') spare-group=shelf
ARRAY /dev/md11 UUID=$(mdadm --detail --export /dev/md11 | sed -n 's/^MD_UUID=//p') spare-group=shelf
EVENTLOG /tmp/demo-events.jsonl
CONF
	say "The configuration: both arrays in spare-group 'shelf', events also to a JSON-lines log"
	sed 's/^/    /' /tmp/demo-mdctl.conf
	say "Start the monitor; its events appear below as [monitor] lines as they happen"
	printf '    $ mdctl --monitor --scan --config /tmp/demo-mdctl.conf &\n'
	(mdctl --monitor --scan --config /tmp/demo-mdctl.conf 2>&1 | while IFS= read -r l; do echo "    [monitor] $l"; done) &
	sleep 2
	say "The disk behind md10's first member starts failing writes (its superblock area stays writable)"
	flakey_fail_writes sick
	say "An application keeps writing to md10 in 4 KiB units; the kernel records bad blocks and marks the member want_replacement, the monitor moves md11's spare over, and the kernel copies onto it"
	data_write /dev/md10 16
	i=0
	while [ -e /sys/block/md10/md/dev-$sick ] && [ $i -lt 600 ]; do usleep 100000; i=$((i + 1)); done
	wait_sync /dev/md10
	sleep 1
	if [ -e /sys/block/md10/md/dev-$sick ]; then
		say "The failing disk is still attached to md10 (state $(cat /sys/block/md10/md/dev-$sick/state)): the monitor did not retire it"
	else
		say "The failing disk has been retired and removed from md10, which is whole again; md11 gave up its spare"
	fi
	run cat /proc/mdstat
	say "The data read back from md10 matches what was written"
	data_verify /dev/md10
	echo "    data verified: sha256 $(cut -d' ' -f2 /tmp/.data-md10)"
	say "The same events, as the JSON lines a log shipper would read"
	grep -v '"type":"ReplaceNN"' /tmp/demo-events.jsonl | sed 's/^/    /'
	kill $(pidof mdctl) 2>/dev/null || true
	sleep 1
	mdadm --stop /dev/md10 /dev/md11 >/dev/null 2>&1 || true
}
monitor_story

say "Done"
