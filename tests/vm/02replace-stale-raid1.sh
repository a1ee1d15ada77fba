# SPDX-License-Identifier: GPL-2.0-or-later
# RAID1 control: the kernel records every failed write of a mirror, nothing is stale; --replace still checks and the data matches.
# timeout: 900
STALE_LEVEL=1
STALE_EXPECT=clean
. /vm/scenarios/02replace-stale-raid5.sh
