# SPDX-License-Identifier: GPL-2.0-or-later
# RAID5 written in 4 KiB units (every failed block recorded by the kernel): --replace checks, finds nothing stale, and the copy is exact.
# timeout: 900
STALE_BS=4096
STALE_MB=2
STALE_EXPECT=clean
. /vm/scenarios/02replace-stale-raid5.sh
