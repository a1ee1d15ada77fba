#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest /init: mounts, loads the md modules, runs the scenarios named in /etc/vm-scenarios, powers off.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
export HOME=/root DM_DISABLE_UDEV=1 TERM=${TERM:-linux}
# the JSON tap at /sbin/mdctl (test runs): the real binary, and where --json documents go
export MDCTL_REAL=/usr/lib/mdctl-test/mdctl MDCTL_JSON_CONSOLE=/dev/console

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /dev/mapper
mount -t tmpfs -o size=90% tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /root /run/mdadm /etc/mdadm
dmesg -n 1

while read -r m; do
	insmod "$m" || echo "@@MDCTL MODFAIL $m"
done </etc/vm-modules

# Resync/recovery as fast as the VM allows; scenarios throttle per array.
echo 100000 >/proc/sys/dev/raid/speed_limit_min
echo 2000000 >/proc/sys/dev/raid/speed_limit_max

. /vm/lib.sh
mode=$(cat /etc/vm-mode)

# run_one NAME SCRIPT: run SCRIPT in its own session with a time limit,
# print BEGIN/RESULT markers around its output, clean up after it.
run_one() {
	name=$1 script=$2
	to=$(sed -n '1,5s/^# *timeout: *\([0-9][0-9]*\).*/\1/p' "$script" | head -1)
	to=${to:-300}
	rm -rf /tmp/work /tmp/.vm-skip /tmp/.vm-timeout
	mkdir -p /tmp/work
	dmesg -c >/dev/null
	echo "@@MDCTL BEGIN $name"
	t0=$(date +%s)
	SCENARIO=$name setsid sh -c "cd /tmp/work || exit 1; set -e; . /vm/lib.sh; . '$script'" </dev/null &
	pid=$!
	# the watchdog's own sleep goes with it (an orphaned "sleep 1000" is what
	# 04monitor-robust looks for as its hung program)
	(
		trap 'kill "$s" 2>/dev/null; exit 0' TERM
		sleep "$to" &
		s=$!
		wait "$s"
		echo "FAIL: $name: timed out after ${to}s, killed"
		: >/tmp/.vm-timeout
		kill -9 -"$pid" 2>/dev/null || kill -9 "$pid"
	) &
	wd=$!
	rc=0
	wait "$pid" || rc=$?
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	kill -9 -"$pid" 2>/dev/null
	t1=$(date +%s)
	res=FAIL
	if [ -e /tmp/.vm-timeout ]; then
		res=FAIL
	elif [ "$rc" = 0 ]; then
		res=PASS
	elif [ "$rc" = 3 ] && [ -e /tmp/.vm-skip ]; then
		res=SKIP
	else
		echo "FAIL: $name: exit status $rc"
	fi
	if [ "$res" = FAIL ]; then
		echo "---- /proc/mdstat"
		cat /proc/mdstat
		echo "---- dmesg"
		dmesg | tail -n 60
		echo "----"
	fi
	killall -9 mdctl mdadm >/dev/null 2>&1
	# event logs go back to the host for tests/host/json-schema-check
	for _j in $(find /tmp/work -name '*.jsonl' 2>/dev/null); do
		sed 's/^/@@MDCTL-JSONL /' "$_j"
	done
	md_cleanup
	left=$(ls -d /sys/block/md*/md 2>/dev/null | cut -d/ -f4 | tr '\n' ' ')
	left="$left$(ls /dev/mapper 2>/dev/null | grep -v '^control$' | tr '\n' ' ')"
	left="$left$(losetup -a 2>/dev/null | cut -d: -f1 | tr '\n' ' ')"
	[ -z "$left" ] || echo "WARNING: $name: left behind after cleanup: $left"
	rm -rf /run/mdadm/* /run/mdctl /etc/mdadm/mdadm.conf /etc/mdadm.conf /etc/mdctl.conf
	# a scenario that ran udevd (# needs: udevd) leaves /run/udev: mdadm would then take udev
	# for running and leave its /dev/md/NAME links to it in the scenarios after
	pidof systemd-udevd >/dev/null 2>&1 || rm -rf /run/udev
	echo "@@MDCTL RESULT $name $res $((t1 - t0))"
}

case "$mode" in
shell)
	cd /tmp
	echo "mdctl test VM: kernel $(uname -r); lib.sh is sourced; scenarios in /vm/scenarios; 'poweroff -f' to leave"
	ENV=/vm/lib.sh setsid cttyhack sh -i
	;;
demo)
	run_one demo /vm/scenarios/demo.sh
	;;
fixtures)
	run_one fixtures /vm/scenarios/fixtures.sh
	;;
bench)
	run_one bench /vm/scenarios/bench.sh
	;;
*)
	while read -r n; do
		[ -n "$n" ] && run_one "$n" "/vm/scenarios/$n.sh"
	done </etc/vm-scenarios
	;;
esac
echo "@@MDCTL DONE"
sync
poweroff -f
