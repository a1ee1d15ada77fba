# SPDX-License-Identifier: GPL-2.0-or-later
# POLICY action=spare path=GLOB: with no spare in any group, a marked member is replaced onto a blank disk the POLICY line allows; a matching disk holding a filesystem is left alone.
# timeout: 240

make_loops 5 64
mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0
data_write /dev/md0 8
mke2fs -F "$dev3" >/dev/null 2>&1 || fail "mke2fs $dev3"
old=$(basename "$dev1")
blank=$(basename "$dev4")
cat >/tmp/work/mdctl.conf <<CONF
$(conf_array /dev/md0)
POLICY domain=shelf path=$dev3 action=spare
POLICY domain=shelf path=$dev4 action=spare
EVENTLOG /tmp/work/events.jsonl
CONF
cat /tmp/work/mdctl.conf
devsums_save "$dev3"
monitor_start --scan --config /tmp/work/mdctl.conf --delay 30 -v
sleep 2
# a spare POLICY: the monitor listens for new disks
assert_eq 1 "$(uevent_sockets $monpid)" "uevent sockets of the monitor under POLICY action=spare"
echo want_replacement >/sys/block/md0/md/dev-$old/state
wait_until 600 "$old was never replaced and removed" [ ! -e /sys/block/md0/md/dev-$old ]
wait_sync /dev/md0
assert_state /dev/md0 "$dev4" in_sync
[ ! -e /sys/block/md0/md/dev-$(basename "$dev3") ] || fail "the disk with a filesystem was taken"
devsums_check
data_verify /dev/md0
sleep 1
cat /tmp/work/mon.out
grep '"event":"MoveSpare"' /tmp/work/events.jsonl | grep -q "POLICY allows /dev/$blank as a spare" || fail "MoveSpare does not name the POLICY disk"
assert_contains "$(cat /tmp/work/mon.out)" "POLICY allows it as a spare but it" "why the ext2 disk was skipped"
grep -q '"event":"Fail' /tmp/work/events.jsonl && fail "a Fail was reported"
# the POLICY lines dropped by a reload: the uevent socket is closed; put back: opened again
grep -v '^POLICY' /tmp/work/mdctl.conf >/tmp/work/nopolicy.conf
cp /tmp/work/mdctl.conf /tmp/work/policy.conf
cp /tmp/work/nopolicy.conf /tmp/work/mdctl.conf
kill -HUP $monpid
no_uevent() { [ "$(uevent_sockets $monpid)" = 0 ]; }
wait_until 50 "the uevent socket stayed open with no POLICY line: $(uevent_sockets $monpid)" no_uevent
cp /tmp/work/policy.conf /tmp/work/mdctl.conf
kill -HUP $monpid
one_uevent() { [ "$(uevent_sockets $monpid)" = 1 ]; }
wait_until 50 "no uevent socket after POLICY came back: $(uevent_sockets $monpid)" one_uevent
monitor_stop
