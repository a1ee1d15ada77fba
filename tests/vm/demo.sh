# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: a narrated walk through mdctl on a real md array (later issues extend the story).
# timeout: 600

say() { printf '\n==> %s\n' "$*"; }
run() { printf '    $ %s\n' "$*"; "$@" 2>&1 | sed 's/^/    /'; }

make_loops 4 64
say "Four 64 MiB loop devices on tmpfs stand in for disks: $devs"
say "Debian's mdadm creates a RAID5 over three of them"
run mdadm --create /dev/md0 --run --level=5 -n3 "$dev0" "$dev1" "$dev2"
wait_sync /dev/md0
run cat /proc/mdstat
say "Write 8 MiB of random data and remember its checksum"
data_write /dev/md0 8
data_verify /dev/md0
echo "    data verified: sha256 $(cut -d' ' -f2 /tmp/.data-md0)"
say "mdctl reads the same superblock"
run mdctl --examine "$dev0"
say "The hot-replace story (mark a disk, copy to a spare, retire the old one) arrives with the replace issue"
mdadm --stop /dev/md0 >/dev/null 2>&1
say "Done"
