# SPDX-License-Identifier: GPL-2.0-or-later
# mdadm.conf keywords take effect, each beside Debian's mdadm: AUTO (-all, homehost -all, +1.x homehost -all) for --assemble --scan and --incremental, HOMEHOST (<system>, a name, <none>, <ignore>, --homehost), CREATE owner/group/mode on the node and names=yes (md_NAME).
# timeout: 400

make_loops 4 16
A=$dev0 B=$dev1 C=$dev2 D=$dev3
hostname vmhost
mkdir -p /tmp/work
mdadm --create /dev/md0 --run -l1 -n2 --assume-clean --homehost=vmhost --name=mine "$A" "$B" 2>&1
mdadm --create /dev/md1 --run -l1 -n2 --assume-clean --homehost=elsewhere --name=theirs "$C" "$D" 2>&1
umine=$(mdadm --detail --export /dev/md0 | sed -n 's/^MD_UUID=//p')
mdadm --stop /dev/md0
mdadm --stop /dev/md1
rm -f /etc/mdctl.conf /etc/mdadm/mdadm.conf /etc/mdadm.conf

# running_with DEV: DEV is a member of an array that runs
running_with() {
	for _d in /sys/block/md*/md/dev-"$(basename "$1")"; do
		[ -e "$_d" ] || continue
		case $(cat "${_d%/dev-*}/array_state") in inactive|clear) ;; *) return 0 ;; esac
	done
	return 1
}
# which of the two arrays run: "", "mine", "theirs" or "mine theirs"
which_run() {
	_s=""
	running_with "$A" && _s=mine
	running_with "$C" && _s="${_s:+$_s }theirs"
	echo "$_s"
}
stop_all() {
	for _a in /sys/block/md*; do
		[ -d "$_a/md" ] && mdadm --stop "/dev/${_a##*/}" >/dev/null 2>&1
	done
	rm -f /dev/md/* 2>/dev/null
	return 0
}
# conf TEXT: the config file for the next case
conf() { printf 'DEVICE /dev/loop*\n%s\n' "$1" >/tmp/work/c.conf; echo "-- config: $(echo "$1" | tr '\n' ';')"; }
# scan_case WANT [ARGS...]: --assemble --scan by mdadm and by mdctl start exactly WANT;
# WANT as "MDADM|MDCTL" where they differ on purpose (mdctl(8) DIFFERENCES FROM MDADM)
scan_case() {
	_wants=$1
	shift
	for prog in mdadm mdctl; do
		case $_wants in
		*'|'*) [ $prog = mdadm ] && _want=${_wants%%|*} || _want=${_wants#*|} ;;
		*) _want=$_wants ;;
		esac
		$prog --assemble --scan --config=/tmp/work/c.conf "$@" >/tmp/work/out 2>&1 || true
		sed 's/^/   /' /tmp/work/out
		_got=$(which_run)
		stop_all
		assert_eq "$_want" "$_got" "$prog --assemble --scan $*"
	done
}

echo "== AUTO and HOMEHOST for --assemble --scan (no ARRAY lines)"
conf ""
scan_case "mine theirs"
conf "AUTO -all"
scan_case ""
# Debian's mdadm 4.2 assembles another host's array under "AUTO homehost -all"
# too (as HOST:NAME) once it has a homehost, by --assemble --scan and by
# --incremental; mdctl keeps it out, as mdadm.conf(5) describes AUTO
conf "HOMEHOST <system>
AUTO homehost -all"
scan_case "mine theirs|mine"
conf "HOMEHOST elsewhere
AUTO homehost -all"
scan_case "mine theirs|theirs"
conf "HOMEHOST <system>
AUTO homehost -all"
scan_case "mine theirs|theirs" --homehost=elsewhere
conf "HOMEHOST <system>
AUTO +1.x homehost -all"
scan_case "mine theirs"
conf "HOMEHOST <none>
AUTO homehost -all"
scan_case ""
# <ignore>: the host part decides nothing, both count as this host's
conf "HOMEHOST <ignore>
AUTO homehost -all"
scan_case "mine theirs"

echo "== AUTO homehost -all for --incremental: this host's array only"
conf "HOMEHOST <system>
AUTO homehost -all"
for prog in mdadm mdctl; do
	for d in "$A" "$B" "$C" "$D"; do
		$prog --incremental --config=/tmp/work/c.conf "$d" 2>&1 | sed 's/^/   /' || true
	done
	got=$(which_run)
	stop_all
	want=mine
	[ $prog = mdadm ] && want="mine theirs"
	assert_eq "$want" "$got" "$prog --incremental under AUTO homehost -all"
done
rm -rf /run/mdadm/map

echo "== AUTO -all for --incremental: the listed array only"
conf "AUTO -all
ARRAY /dev/md/mine UUID=$umine"
for prog in mdadm mdctl; do
	for d in "$A" "$B" "$C" "$D"; do
		$prog --incremental --config=/tmp/work/c.conf "$d" 2>&1 | sed 's/^/   /' || true
	done
	got=$(which_run)
	running_with "$C" || ! ls -d /sys/block/md*/md/dev-"$(basename "$C")" >/dev/null 2>&1 ||
		fail "$prog --incremental left $C in an array AUTO refuses"
	stop_all
	assert_eq "mine" "$got" "$prog --incremental under AUTO -all"
done
rm -rf /run/mdadm/map

echo "== CREATE owner= group= mode= on the node made"
conf "CREATE owner=1234 group=5678 mode=0640"
mdctl --create /dev/md5 --config=/tmp/work/c.conf --force -l1 -n2 --assume-clean "$A" "$B" 2>&1 ||
	fail "create under CREATE owner/group/mode"
assert_eq "1234 5678 640" "$(stat -c '%u %g %a' /dev/md5)" "owner, group and mode of /dev/md5"
mdadm --stop /dev/md5

echo "== CREATE names=yes: /dev/md/NAME is the kernel's md_NAME, as mdadm makes it"
conf "CREATE names=yes"
mdadm --create /dev/md/theirs2 --config=/tmp/work/c.conf --run -l1 -n2 --assume-clean "$C" "$D" 2>&1
[ -d /sys/block/md_theirs2/md ] || fail "mdadm made no md_theirs2: $(ls /sys/block)"
assert_eq /dev/md_theirs2 "$(readlink -f /dev/md/theirs2)" "mdadm's /dev/md/theirs2 link"
mdctl --create /dev/md/home --config=/tmp/work/c.conf --force -l1 -n2 --assume-clean "$A" "$B" 2>&1 ||
	fail "create under CREATE names=yes"
[ -d /sys/block/md_home/md ] || fail "mdctl made no md_home: $(ls /sys/block)"
assert_eq raid1 "$(cat /sys/block/md_home/md/level)" "md_home level"
assert_eq /dev/md_home "$(readlink -f /dev/md/home)" "mdctl's /dev/md/home link"
data_write /dev/md/home 4
data_verify /dev/md/home
# md keeps an array "active" for safe_mode_delay after its last write, then marks it clean
home_clean() { [ "$(cat /sys/block/md_home/md/array_state)" = clean ]; }
wait_until 100 'md_home not clean 10 s after the writes: array_state $(cat /sys/block/md_home/md/array_state), safe_mode_delay $(cat /sys/block/md_home/md/safe_mode_delay)' home_clean
mdadm --detail /dev/md/home | grep -q 'State : clean' || fail "mdadm --detail of md_home: $(mdadm --detail /dev/md/home 2>&1)"
mdctl --detail /dev/md/home >/dev/null || fail "mdctl --detail /dev/md/home"
stop_all
# names=no (or no CREATE line): a number, as before
conf "CREATE names=no"
mdctl --create /dev/md/home --config=/tmp/work/c.conf --force -l1 -n2 --assume-clean "$A" "$B" 2>&1 ||
	fail "create under CREATE names=no"
case $(readlink /dev/md/home) in ../md[0-9]*) ;; *) fail "names=no: /dev/md/home -> $(readlink /dev/md/home)" ;; esac
stop_all
