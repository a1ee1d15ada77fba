# SPDX-License-Identifier: GPL-2.0-or-later
# A PROGRAM that hangs is stopped after its timeout, then the later events' programs run (one at a time, in order); one that fails is a DeliveryFailed event logged without -v, and it inherits no descriptor from mdctl's caller; a missing PROGRAM is refused at start and on SIGHUP; SIGHUP with a broken config keeps the old one; a broken config at start is refused with file:line; one instance; --daemonise/--daemonize with --pid-file; SIGTERM exits cleanly; events are mailed through sendmail -t.
# timeout: 420

make_loops 3 64
mdadm --create /dev/md0 --run --level=1 -n3 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0
m=$(basename "$dev1")
cat >/tmp/work/prog.sh <<'PROG'
#!/bin/sh
echo "$1 $2 $3" >>/tmp/work/prog.log
ls /proc/$$/fd >/tmp/work/prog.fds
[ "$1" = TestMessage ] && exec sleep 987654
[ "$1" = WantReplacement ] && exit 3
exit 0
PROG
chmod +x /tmp/work/prog.sh
: >/tmp/work/prog.log
printf 'PROGRAM /tmp/work/prog.sh\nEVENTLOG /tmp/work/events1.jsonl\nMAILADDR root@example.org\nMAILFROM md monitor <md@example.org>\n' >/tmp/work/mdctl.conf
# a stand-in sendmail that keeps what it is given
mkdir -p /usr/sbin
cat >/usr/sbin/sendmail <<'MAIL'
#!/bin/sh
{ echo "argv: $*"; cat; echo "----"; } >>/tmp/work/mail.txt
MAIL
chmod +x /usr/sbin/sendmail

# broken config at start: refused, naming the line
printf 'MAILADDR root\nFROBNICATE yes\n' >/tmp/work/broken.conf
out=$(mdctl --monitor --scan --oneshot --config /tmp/work/broken.conf 2>&1) && fail "a broken config was accepted: $out"
assert_contains "$out" "/tmp/work/broken.conf:2" "the start-up config error"

# a PROGRAM that is not there is found at start, not at the first event
out=$(mdctl --monitor --scan --oneshot --program /tmp/work/no-such-prog --config /tmp/work/mdctl.conf 2>&1) &&
	fail "a missing PROGRAM was accepted: $out"
assert_contains "$out" "PROGRAM /tmp/work/no-such-prog: No such file or directory" "the start-up PROGRAM check"

# descriptor 7 left open by the caller must not reach PROGRAM
mdctl --monitor --scan --test --program-timeout 6 --config /tmp/work/mdctl.conf >/tmp/work/mon.out 2>&1 7>/tmp/work/fd7 &
monpid=$!
trap 'kill $monpid 2>/dev/null; rm -f /usr/sbin/sendmail; cat /tmp/work/mon.out' EXIT
i=0
while ! grep -q TestMessage /tmp/work/prog.log; do i=$((i + 1)); [ $i -lt 300 ] || fail "no TestMessage"; usleep 100000; done
# the first program hangs; programs run one at a time in event order, so the next
# event's waits until the hung one is stopped at its timeout (6 s: at load a TCG guest can take
# seconds to start a shell script), then runs
echo want_replacement >/sys/block/md0/md/dev-$m/state
i=0
while ! grep -q "^WantReplacement /dev/md0 /dev/$m" /tmp/work/prog.log; do
	i=$((i + 1)); [ $i -lt 400 ] || fail "WantReplacement held back past the hanging program's timeout"; usleep 100000
done
assert_contains "$(cat /tmp/work/mon.out)" "prog.sh: still running after 6 s, stopping it" "the hung program stopped first"
# the program exited 3: a DeliveryFailed event, logged without -v, with the status
i=0
while ! grep -q "DeliveryFailed /dev/md0: /tmp/work/prog.sh exited with status 3" /tmp/work/mon.out; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "no DeliveryFailed line: $(cat /tmp/work/mon.out)"; usleep 100000
done
grep -qx 7 /tmp/work/prog.fds && fail "PROGRAM inherited descriptor 7: $(cat /tmp/work/prog.fds)"
# mailed too, mdadm's subject format
i=0
while ! grep -q '^Subject: WantReplacement event on /dev/md0:' /tmp/work/mail.txt 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "no mail for WantReplacement: $(cat /tmp/work/mail.txt 2>/dev/null)"; usleep 100000
done
assert_contains "$(cat /tmp/work/mail.txt)" "argv: -t" "sendmail arguments"
assert_contains "$(cat /tmp/work/mail.txt)" "To: root@example.org" "mail recipient"
assert_contains "$(cat /tmp/work/mail.txt)" "From: md monitor <md@example.org>" "mail sender"
assert_contains "$(cat /tmp/work/mail.txt)" "Subject: TestMessage event on /dev/md0:" "TestMessage mailed"
# after its timeout the hanging program is gone
hung() {
	for p in /proc/[0-9]*; do
		case "$(tr '\0' ' ' <$p/cmdline 2>/dev/null)" in
		"sleep 987654 ") echo "pid ${p#/proc/}, $(cat $p/stat)"; return 0 ;;
		esac
	done
	return 1
}
i=0
while h=$(hung); do i=$((i + 1)); [ $i -lt 100 ] || fail "the hanging program still runs ($h)"; usleep 100000; done
assert_contains "$(cat /tmp/work/mon.out)" "still running after 6 s, stopping it" "the timeout message"

# one instance at a time
out=$(mdctl --monitor --scan --oneshot --config /tmp/work/mdctl.conf 2>&1) && fail "a second monitor ran: $out"
assert_contains "$out" "another monitor is already running" "the lock message"

# SIGHUP with a broken config: reported, the old config (its EVENTLOG) stays in force
printf 'EVENTLOG /tmp/work/events2.jsonl\nPROGRAM\n' >/tmp/work/mdctl.conf
kill -HUP $monpid
sleep 1
assert_contains "$(cat /tmp/work/mon.out)" "/tmp/work/mdctl.conf:2" "the reload error"
assert_contains "$(cat /tmp/work/mon.out)" "keeping the previous configuration" "the reload error"
echo -want_replacement >/sys/block/md0/md/dev-$m/state
sleep 1
echo want_replacement >/sys/block/md0/md/dev-$m/state
sleep 1
assert_eq 2 "$(grep -c '"event":"WantReplacement"' /tmp/work/events1.jsonl)" "WantReplacement events in the old event log"
[ ! -e /tmp/work/events2.jsonl ] || fail "the broken config's EVENTLOG was used"
# SIGHUP with a PROGRAM that cannot be run: refused the same way
printf 'EVENTLOG /tmp/work/events2.jsonl\nPROGRAM /tmp/work/mdctl.conf\n' >/tmp/work/mdctl.conf
kill -HUP $monpid
sleep 1
assert_contains "$(cat /tmp/work/mon.out)" "PROGRAM /tmp/work/mdctl.conf: not an executable file; keeping the previous configuration" "the reload PROGRAM check"
# a good config is taken
printf 'EVENTLOG /tmp/work/events2.jsonl\n' >/tmp/work/mdctl.conf
kill -HUP $monpid
sleep 1
echo -want_replacement >/sys/block/md0/md/dev-$m/state
sleep 1
echo want_replacement >/sys/block/md0/md/dev-$m/state
sleep 1
assert_eq 1 "$(grep -c '"event":"WantReplacement"' /tmp/work/events2.jsonl)" "WantReplacement events in the new event log"
kill -TERM $monpid
wait $monpid || fail "SIGTERM: the monitor exited non-zero"
trap - EXIT
rm -f /usr/sbin/sendmail

# both spellings of --daemonise, with a pid file
for opt in --daemonise --daemonize; do
	mdctl --monitor --scan $opt --pid-file /tmp/work/mon.pid --config /tmp/work/mdctl.conf
	i=0
	while [ ! -s /tmp/work/mon.pid ]; do i=$((i + 1)); [ $i -lt 50 ] || fail "$opt: no pid file"; usleep 100000; done
	pid=$(cat /tmp/work/mon.pid)
	[ -d /proc/$pid ] || fail "$opt: pid $pid is not running"
	kill -TERM "$pid"
	i=0
	while [ -d /proc/$pid ]; do i=$((i + 1)); [ $i -lt 50 ] || fail "$opt: did not stop on SIGTERM"; usleep 100000; done
	[ ! -e /tmp/work/mon.pid ] || fail "$opt: pid file left behind"
done
