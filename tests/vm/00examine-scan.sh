# SPDX-License-Identifier: GPL-2.0-or-later
# mdctl --examine --scan finds the members of every 1.x array and prints the ARRAY lines mdadm --examine --scan prints; 0.90 members are named, not listed.
# timeout: 180

make_loops 6 32
mdadm --create /dev/md0 --run --metadata=1.0 --level=1 -n2 --name=scanone "$dev0" "$dev1" 2>&1
mdadm --create /dev/md1 --run --metadata=1.2 --level=5 -n3 --name=scantwo "$dev2" "$dev3" "$dev4" 2>&1
# a 0.90 member: mdadm lists it (without metadata=), mdctl leaves it out of --scan and names it on -E
mdadm --create /dev/md2 --run --metadata=0.90 --level=1 -n2 "$dev5" missing 2>&1
mdadm --stop /dev/md2 2>&1
out=$(mdctl --examine "$dev5" 2>&1) && fail "mdctl --examine of a 0.90 member succeeded: $out"
assert_contains "$out" "md 0.90 superblock found" "0.90 member"

mdadm --examine --scan | grep 'metadata=1\.' | sort >/tmp/scan.mdadm
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
case "$out" in *"$dev5"*) fail "$dev5 holds a 0.90 superblock but was listed" ;; esac

# JSON: one object per member, always an array
n=$(mdctl --examine --scan --json | grep -c '"version": 2')
assert_eq 5 "$n" "JSON objects from --examine --scan --json"

# --export, one block per member: the replacement keys are there for each
n=$(mdctl --examine --scan --export | grep -c '^MD_DEV_ROLE=')
assert_eq 5 "$n" "MD_DEV_ROLE lines from --examine --scan --export"
mdadm --stop /dev/md0 /dev/md1 2>&1
