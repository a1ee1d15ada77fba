# SPDX-License-Identifier: GPL-2.0-or-later
# A writer keeps writing a known pattern in 4 KiB units during the replacement; what it wrote reads back.
# timeout: 800

MDCTL_STATE_DIR=$(mktemp -d /tmp/mdctl-state.XXXXXX)
export MDCTL_STATE_DIR
kn() { _kname "$1"; }

MB=2
make_loops 4 32
mdadm --create /dev/md0 --run --assume-clean --level=5 --raid-devices=3 --chunk=64 "$dev0" "$dev1" "$dev2" 2>&1
wait_sync /dev/md0 300
dd if=/dev/urandom of=/tmp/pat0 bs=1M count=$MB status=none
dd if=/dev/urandom of=/tmp/pat1 bs=1M count=$MB status=none
dd if=/tmp/pat0 of=/dev/md0 bs=4096 oflag=direct status=none
rm -f /tmp/stop
: >/tmp/passes

# writer: pass after pass over the first MB MiB, region by region (256 KiB), in 4 KiB
# direct writes, alternating patterns; it stops only at the end of a pass.
(
	pass=1
	while :; do
		r=0
		while [ $r -lt $((MB * 4)) ]; do
			dd if=/tmp/pat$((pass % 2)) of=/dev/md0 bs=4096 skip=$((r * 64)) seek=$((r * 64)) \
				count=64 oflag=direct conv=notrunc status=none || exit 1
			r=$((r + 1))
		done
		echo $pass >>/tmp/passes
		[ -f /tmp/stop ] && exit 0
		pass=$((pass + 1))
	done
) &
writer=$!
throttle /dev/md0 600
oslot=$(cat "/sys/block/md0/md/dev-$(kn "$dev1")/slot")
sleep 1
passes_before=$(cat /tmp/passes 2>/dev/null | wc -l)
mdctl --replace /dev/md0 "$dev1" --with "$dev3" --wait
passes_during=$(( $(cat /tmp/passes 2>/dev/null | wc -l) - passes_before ))
touch /tmp/stop
wait $writer || fail "the writer failed"
last=$(tail -n 1 /tmp/passes)
echo "writer passes completed during the replacement: $passes_during; last pass $last"
[ "$passes_during" -ge 1 ] || fail "the writer did not complete a pass while the copy ran"
want=$(sha256sum </tmp/pat$((last % 2)) | cut -d' ' -f1)
echo 3 >/proc/sys/vm/drop_caches
got=$(dd if=/dev/md0 bs=4096 count=$((MB * 256)) iflag=direct status=none | sha256sum | cut -d' ' -f1)
assert_eq "$want" "$got" "sha256 of the last pattern written"
unthrottle /dev/md0
assert_eq "$oslot" "$(cat "/sys/block/md0/md/dev-$(kn "$dev3")/slot")" "slot of $dev3"
assert_state /dev/md0 "$dev3" in_sync
assert_eq 0 "$(cat /sys/block/md0/md/degraded)" "md0 degraded"
echo check >/sys/block/md0/md/sync_action
wait_sync /dev/md0 300
assert_eq 0 "$(cat /sys/block/md0/md/mismatch_cnt)" "mismatch_cnt after check"
# the new disk's share is right: read with another member failed
mdadm /dev/md0 --fail "$dev0" 2>&1
echo 3 >/proc/sys/vm/drop_caches
got=$(dd if=/dev/md0 bs=4096 count=$((MB * 256)) iflag=direct status=none | sha256sum | cut -d' ' -f1)
assert_eq "$want" "$got" "sha256 read degraded, through the new disk"
