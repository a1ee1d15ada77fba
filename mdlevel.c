// SPDX-License-Identifier: GPL-2.0-or-later
/* mdlevel.c: md's RAID level numbers and names, raid10 geometry, and which slots a level can run without. */
#include "mdlevel.h"

#include <errno.h>
#include <stddef.h>
#include <strings.h>


static const struct {
	const char *name;
	int level;
} level_names[] = {
	/* the kernel's names first: md_level_name() returns the first match */
	{ "linear", MD_LEVEL_LINEAR }, { "raid0", 0 }, { "raid1", 1 }, { "raid4", 4 },
	{ "raid5", 5 }, { "raid6", 6 }, { "raid10", 10 }, { "multipath", MD_LEVEL_MULTIPATH },
	{ "faulty", MD_LEVEL_FAULTY }, { "container", MD_LEVEL_CONTAINER },
	/* mdadm's aliases and plain numbers */
	{ "-1", MD_LEVEL_LINEAR }, { "stripe", 0 }, { "mirror", 1 }, { "mp", MD_LEVEL_MULTIPATH },
	{ "0", 0 }, { "1", 1 }, { "4", 4 }, { "5", 5 }, { "6", 6 }, { "10", 10 },
};

int md_level_parse(const char *s, int *level)
{
	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (!strcasecmp(s, level_names[i].name)) {
			*level = level_names[i].level;
			return 0;
		}
	return -EINVAL;
}

int md_level_number(const char *name)
{
	int l;

	return md_level_parse(name, &l) ? MD_LEVEL_UNKNOWN : l;
}

const char *md_level_name(int level)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (level_names[i].level == level)
			return level_names[i].name;
	return NULL;
}

bool md_level_redundant(int level)
{
	return level == 1 || level == 4 || level == 5 || level == 6 || level == 10;
}

struct md_raid10_geom md_raid10_geom(int layout)
{
	struct md_raid10_geom g = {
		.near = layout & 0xff,
		.far = (layout >> 8) & 0xff,
		.offset = (layout & 0x10000) != 0,
	};

	g.copies = g.near * g.far;
	return g;
}

bool md_raid10_near_sets(int layout, int raid_disks)
{
	struct md_raid10_geom g = md_raid10_geom(layout);

	return g.far == 1 && !g.offset && g.near > 1 && raid_disks > 0 && raid_disks % g.near == 0;
}

bool md_level_enough(int level, uint32_t layout, uint32_t raid_disks, const bool *avail)
{
	uint32_t have = 0;

	if (!raid_disks)
		return false;
	for (uint32_t i = 0; i < raid_disks; i++)
		have += avail[i];
	switch (level) {
	case 1:
		return have >= 1;
	case 4:
	case 5:
		return have + 1 >= raid_disks;
	case 6:
		return have + 2 >= raid_disks;
	case 10: {
		/*
		 * raid10 keeps near*far copies of each chunk on consecutive
		 * slots, a new group starting every 'near' slots (wrapping),
		 * as the kernel counts it.  Every such group needs one device.
		 */
		struct md_raid10_geom g = md_raid10_geom((int)layout);
		uint32_t copies = (uint32_t)g.copies, near = (uint32_t)g.near, start = 0;

		if (!copies || copies > raid_disks)
			return have == raid_disks;
		do {
			uint32_t cnt = 0, s = start;

			for (uint32_t k = 0; k < copies; k++) {
				cnt += avail[s];
				s = (s + 1) % raid_disks;
			}
			if (!cnt)
				return false;
			start = (start + near) % raid_disks;
		} while (start != 0);
		return true;
	}
	default:
		/* raid0, linear and anything unknown need every slot */
		return have == raid_disks;
	}
}

int md_level_tolerates(int level, int layout, int raid_disks)
{
	switch (level) {
	case 1:
		return raid_disks > 0 ? raid_disks - 1 : 0;
	case 4:
	case 5:
		return 1;
	case 6:
		return 2;
	case 10: {
		struct md_raid10_geom g = md_raid10_geom(layout);

		return (g.near ? g.near : 1) * (g.far ? g.far : 1) - 1;
	}
	default:
		return -1;
	}
}
