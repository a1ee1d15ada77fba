# SPDX-License-Identifier: GPL-2.0-or-later
# --replace records its intent before the kernel is told: when the record cannot be written (a symlinked state directory) it is an error, exit 1, and the kernel is never told; when it succeeds the record is there as the copy starts.
# timeout: 240

make_loops 3 32
mdadm --create /dev/md0 --run --assume-clean --level=1 -n2 "$dev0" "$dev1" 2>&1
data_write /dev/md0 2
mkdir -p /tmp/work/state-target
chmod 700 /tmp/work/state-target
rm -rf /tmp/work/state
ln -s /tmp/work/state-target /tmp/work/state
export MDCTL_STATE_DIR=/tmp/work/state
out=$(mdctl --replace /dev/md0 "$dev0" --with "$dev2" 2>&1) && fail "--replace succeeded without its record: $out"
echo "$out"
assert_contains "$out" "cannot record the replacement of $dev0" "the cause"
assert_contains "$out" "is a symbolic link" "the cause"
case "$(dev_state /dev/md0 "$dev0")" in *want_replacement*) fail "$dev0 was marked" ;; esac
[ ! -e "/sys/block/md0/md/dev-$(_kname "$dev2")" ] || fail "$dev2 was added to the array"
[ ! -e /tmp/work/state-target/replacements.json ] || fail "a record went through the symlink"

# a real directory: recorded, then the copy runs
rm /tmp/work/state
mdctl --replace /dev/md0 "$dev0" --with "$dev2" 2>&1 || fail "--replace failed"
grep -q '"array_uuid"' /tmp/work/state/replacements.json || fail "no record of the replacement"
wait_sync /dev/md0
data_verify /dev/md0
