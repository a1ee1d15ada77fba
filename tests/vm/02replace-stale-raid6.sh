# SPDX-License-Identifier: GPL-2.0-or-later
# RAID6: a write-failing member written in whole stripes; --replace rebuilds its stale stripes from redundancy (02replace-stale-raid5 with level 6).
# timeout: 900
STALE_LEVEL=6
. /vm/scenarios/02replace-stale-raid5.sh
