# SPDX-License-Identifier: GPL-2.0-or-later
# mdadm compatibility: create and --zero-superblock erase every old md superblock (0.90, 1.0, 1.1, 1.2), --detail --scan diffed against mdadm, raid5 create rebuilds a listed member, --create NAME, -ro.
# timeout: 420

make_loops 5 24

# magics DEV: "V@SECTOR" for each md superblock place holding the md magic (0.90, 1.0, 1.1, 1.2)
magics() {
	_sz=$(blockdev --getsz "$1")
	_out=""
	for _p in "0.90:$(((_sz / 128) * 128 - 128))" "1.0:$(((_sz - 16) / 8 * 8))" "1.1:0" "1.2:8"; do
		_m=$(dd if="$1" bs=512 skip="${_p#*:}" count=1 iflag=direct status=none | od -An -tx4 -N4 | tr -d ' ')
		case "$_m" in a92b4efc|fc4e2ba9) _out="${_out:+$_out }${_p%%:*}@${_p#*:}" ;; esac
	done
	echo "${_out:-none}"
}

# place V DEV: the sector of V's superblock on DEV
place() {
	_sz=$(blockdev --getsz "$2")
	case "$1" in 0.90) echo $(((_sz / 128) * 128 - 128)) ;; 1.0) echo $(((_sz - 16) / 8 * 8)) ;;
	1.1) echo 0 ;; 1.2) echo 8 ;; esac
}

# uuid_of DEV: the Array UUID mdadm --examine reports (0.90 prints "UUID")
uuid_of() { mdadm --examine "$1" 2>/dev/null | sed -n 's/^ *\(Array \)\{0,1\}UUID : \([0-9a-f:]*\).*/\2/p' | head -1; }

echo "== create over every other superblock version: only the new array remains"
for pair in 0.90:1.2 1.1:1.2 1.0:1.2 1.2:1.0 1.2:1.1; do
	old=${pair%%:*} new=${pair#*:}
	mdadm --create /dev/md9 --run --assume-clean --metadata="$old" --level=1 -n2 "$dev0" "$dev1" 2>&1
	mdadm --stop /dev/md9 2>&1
	olduuid=$(uuid_of "$dev0")
	assert_eq "$old@$(place "$old" "$dev0")" "$(magics "$dev0")" "old $old superblock before create"
	if [ "$old" = 0.90 ]; then
		# mdadm's 0.90 superblock passes mdctl's checks: erased without --force
		mdctl --zero-superblock "$dev1" 2>&1
		assert_eq none "$(magics "$dev1")" "0.90 superblock after --zero-superblock"
	fi
	mdctl --create /dev/md9 --force --assume-clean --metadata="$new" --level=1 -n2 "$dev0" "$dev1" 2>&1
	newuuid=$(mdctl --detail --export /dev/md9 | sed -n 's/^MD_UUID=//p')
	mdctl --stop /dev/md9 2>&1
	for d in $dev0 $dev1; do
		assert_eq "$new@$(place "$new" "$d")" "$(magics "$d")" "md superblocks on $d after create $new over $old"
		assert_eq "$newuuid" "$(uuid_of "$d")" "mdadm --examine $d after create $new over $old"
		out=$(mdctl --examine "$d")
		assert_contains "$out" "Array UUID : $newuuid" "mdctl --examine $d after create $new over $old"
		case "$out" in *"$olduuid"*) fail "mdctl --examine $d still shows $olduuid" ;; esac
	done
	[ "$(mdadm --examine --scan | grep -c ARRAY)" = 1 ] || fail "mdadm --examine --scan: $(mdadm --examine --scan)"
	mdctl --zero-superblock "$dev0" "$dev1"
done

echo "== --zero-superblock"
# two superblocks on one device (1.2 put back after a 1.0 create), nothing else changes
mdadm --create /dev/md9 --run --assume-clean --metadata=1.2 --level=1 -n2 "$dev0" "$dev1" 2>&1
mdadm --stop /dev/md9 2>&1
dd if="$dev0" of=/tmp/sb12 bs=512 skip=8 count=8 status=none
mdadm --create /dev/md9 --run --assume-clean --metadata=1.0 --force --level=1 -n2 "$dev0" "$dev1" 2>&1
# refused while the array runs, naming it
out=$(mdctl --zero-superblock "$dev0" 2>&1) && fail "zeroed a member of a running array: $out"
assert_eq 2 "$(mdctl --zero-superblock "$dev0" >/dev/null 2>&1; echo $?)" "exit code for a running member (mdadm's 2)"
assert_contains "$out" "member of array /dev/md9" "refusal names the array"
mdadm --stop /dev/md9 2>&1
dd if=/tmp/sb12 of="$dev0" bs=512 seek=8 conv=notrunc status=none
s10=$(place 1.0 "$dev0")
assert_eq "1.0@$s10 1.2@8" "$(magics "$dev0")" "two superblocks before --zero-superblock"
dd if="$dev0" of=/tmp/expect bs=1M status=none
dd if=/dev/zero of=/tmp/expect bs=512 seek=8 count=8 conv=notrunc status=none
dd if=/dev/zero of=/tmp/expect bs=512 seek="$s10" count=8 conv=notrunc status=none
out=$(mdctl --zero-superblock --verbose "$dev0" 2>&1)
echo "$out"
assert_contains "$out" "erased the 1.0 superblock at sector $s10" "verbose 1.0"
assert_contains "$out" "erased the 1.2 superblock at sector 8" "verbose 1.2"
assert_eq "$(sha256sum </tmp/expect | cut -d' ' -f1)" "$(sha256sum <"$dev0" | cut -d' ' -f1)" \
	"device after --zero-superblock (only the two 4 KiB superblocks zeroed)"
out=$(mdadm --examine "$dev0" 2>&1) && fail "mdadm still finds a superblock: $out"
# no superblock: as mdadm, a message and exit 0
mdadm --zero-superblock "$dev0" 2>&1 && echo "mdadm: exit 0"
out=$(mdctl --zero-superblock "$dev0" 2>&1) || fail "no superblock: exit $?, mdadm exits 0"
assert_contains "$out" "no md superblock" "no superblock message"
# damaged (checksum): refused without --force, erased with it
mdadm --create /dev/md9 --run --assume-clean --metadata=1.2 --level=1 -n2 "$dev0" "$dev1" 2>&1
mdadm --stop /dev/md9 2>&1
printf 'XXXX' | dd of="$dev0" bs=1 seek=$((4096 + 300)) conv=notrunc status=none
devsums_save "$dev0" "$dev1"
out=$(mdctl --zero-superblock "$dev1" "$dev0" 2>&1) && fail "zeroed a damaged superblock without --force"
assert_contains "$out" "damaged 1.2 superblock at sector 8" "damaged refusal"
devsums_check
mdctl --zero-superblock --force "$dev0" "$dev1" 2>&1
assert_eq "none none" "$(magics "$dev0") $(magics "$dev1")" "after --zero-superblock --force"

echo "== raid5 -n3 -x2 A B C D E: C is rebuilt, D and E stay spares"
mdctl --create /dev/md0 --level=5 -n3 -x2 "$dev0" "$dev1" "$dev2" "$dev3" "$dev4" 2>&1
throttle /dev/md0 2000
cat /proc/mdstat
c=$(_kname "$dev2") d=$(_kname "$dev3") e=$(_kname "$dev4")
n=0
until grep -q recover /sys/block/md0/md/sync_action; do
	n=$((n + 1)); [ "$n" -lt 50 ] || fail "no recovery started: $(cat /proc/mdstat)"; usleep 200000
done
st=$(_mdstat_of md0)
for k in $d $e; do
	echo "$st" | grep -q "$k\[[0-9]*\](S)" || fail "$k is not a spare in /proc/mdstat: $st"
done
echo "$st" | grep -q "$c\[[0-9]*\](S)" && fail "$c (listed third) left a spare: $st"
assert_eq 2 "$(cat /sys/block/md0/md/dev-$c/slot)" "slot of $c"
mdadm --detail /dev/md0 | grep -E "spare|active" | tee /tmp/det
grep -q "spare rebuilding *$dev2\$" /tmp/det || grep -q "active sync *$dev2\$" /tmp/det ||
	fail "mdadm --detail: $dev2 neither rebuilding nor active"
for x in $dev3 $dev4; do grep -q " spare *$x\$" /tmp/det || fail "mdadm --detail: $x not a spare"; done
unthrottle /dev/md0
wait_sync /dev/md0
mdadm --detail /dev/md0 | grep -q "active sync *$dev2\$" || fail "$dev2 not active after the rebuild"

echo "== --create NAME, -ro, --detail --scan against mdadm"
mdadm /dev/md0 --fail "$dev3" --remove "$dev3" --fail "$dev4" --remove "$dev4" 2>&1
mdctl --zero-superblock "$dev3" "$dev4" 2>&1
mdctl --create compatname --level=1 -n2 --assume-clean "$dev3" "$dev4" 2>&1
[ -L /dev/md/compatname ] || fail "--create compatname made no /dev/md/compatname"
k=$(_md /dev/md/compatname)
mdctl -ro /dev/md/compatname 2>&1
assert_eq readonly "$(cat /sys/block/$k/md/array_state)" "array_state after -ro"
mdctl --readwrite /dev/md/compatname 2>&1
mdadm --detail --scan >/tmp/scan.mdadm
mdctl --detail --scan >/tmp/scan.mdctl
cat /tmp/scan.mdadm
diff /tmp/scan.mdadm /tmp/scan.mdctl || fail "mdctl --detail --scan differs from mdadm's"
mdadm --detail --scan --verbose >/tmp/scan.mdadm
mdctl --detail --scan --verbose >/tmp/scan.mdctl
diff /tmp/scan.mdadm /tmp/scan.mdctl || fail "mdctl --detail --scan --verbose differs from mdadm's"
out=$(mdctl --detail --no-devices --export /dev/md0)
case "$out" in *MD_DEVICE_*) fail "--no-devices --export lists devices: $out" ;; esac
assert_contains "$out" "$(mdadm --detail --no-devices --export /dev/md0 | grep MD_UUID)" "MD_UUID"
out=$(mdctl --detail --no-devices /dev/md0)
case "$out" in *"$dev0"*) fail "--no-devices text lists $dev0" ;; esac
mdctl --stop /dev/md0 "/dev/$k" 2>&1
