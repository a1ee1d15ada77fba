# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --examine --scan finds the members of every array and prints the ARRAY lines mdadm --examine --scan prints.
# timeout: 180

make_loops 6 32
mdadm --create /dev/md0 --run --metadata=1.0 --level=1 -n2 --name=scanone "$dev0" "$dev1" 2>&1
mdadm --create /dev/md1 --run --metadata=1.2 --level=5 -n3 --name=scantwo "$dev2" "$dev3" "$dev4" 2>&1
# a device that is no member at all must not show up
dd if=/dev/zero of="$dev5" bs=1M count=1 status=none

mdadm --examine --scan | sort >/tmp/scan.mdadm
mdctl --examine --scan | sort >/tmp/scan.mdctl
echo "mdadm:"; cat /tmp/scan.mdadm
echo "mdctl:"; cat /tmp/scan.mdctl
assert_eq 2 "$(grep -c '^ARRAY ' /tmp/scan.mdctl)" "ARRAY lines from mdctl --examine --scan"
cmp /tmp/scan.mdadm /tmp/scan.mdctl || fail "mdctl --examine --scan differs from mdadm's"

# verbose: level=, num-devices= and the member list
out=$(mdctl --examine --scan --verbose)
echo "$out"
assert_contains "$out" "level=raid5 metadata=1.2 num-devices=3" "verbose ARRAY line"
for d in $dev2 $dev3 $dev4; do assert_contains "$out" "$d" "raid5 member list"; done
case "$out" in *"$dev5"*) fail "$dev5 holds no superblock but was listed" ;; esac

# JSON: one object per member, always an array
n=$(mdctl --examine --scan --json | grep -c '"version": 1')
assert_eq 5 "$n" "JSON objects from --examine --scan --json"

# --export, one block per member: the replacement keys are there for each
n=$(mdctl --examine --scan --export | grep -c '^MD_DEV_ROLE=')
assert_eq 5 "$n" "MD_DEV_ROLE lines from --examine --scan --export"
mdadm --stop /dev/md0 /dev/md1 2>&1
