/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdlevel.h: md's RAID level numbers and names, raid10 geometry, and which slots a level can run without. */
#ifndef MDCTL_MDLEVEL_H
#define MDCTL_MDLEVEL_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Level numbers are md's own (the superblock's level field, md/level
 * names): -1 linear, 0, 1, 4, 5, 6, 10, -4 multipath, -5 faulty, and
 * mdadm's -100 for a container.  These facts sit below the array model
 * (mdarray.h re-exports them) because the config and output modules need
 * them too.
 */
#define MD_LEVEL_UNKNOWN (-1000)
#define MD_LEVEL_LINEAR (-1)
#define MD_LEVEL_MULTIPATH (-4)
#define MD_LEVEL_FAULTY (-5)
#define MD_LEVEL_CONTAINER (-100)

/**
 * md_level_parse() - a level as people and the kernel write it: "raid5",
 * "5", "RAID10", "linear", "-1", mdadm's aliases "mirror" (1), "stripe"
 * (0), "mp"/"multipath", "faulty", "container".  Case-insensitive.
 * Return 0 with *level set, or -EINVAL.
 */
int md_level_parse(const char *s, int *level);
/** md_level_number() - md_level_parse() of an md/level value, MD_LEVEL_UNKNOWN when it fails. */
int md_level_number(const char *name);
/** md_level_name() - the kernel's name ("raid5", "linear", ...), NULL for a number md does not know. */
const char *md_level_name(int level);
/**
 * md_level_redundant() - raid1, raid4, raid5, raid6 and raid10 keep data
 * on more than one member: the levels that can lose a member, rebuild it
 * and hot-replace it.
 */
bool md_level_redundant(int level);

/*
 * struct md_raid10_geom - the raid10 layout word decoded: near copies in
 * bits 0-7, far copies in bits 8-15, bit 16 "offset" (far copies in the
 * next stripe rather than the far half), as the kernel's setup_geo() reads it.
 */
struct md_raid10_geom {
	int near;
	int far;
	bool offset;
	int copies;   /* near * far: the copies of each chunk */
};

/** md_raid10_geom() - decode a raid10 layout word. */
struct md_raid10_geom md_raid10_geom(int layout);
/**
 * md_raid10_near_sets() - whether the layout is plain "near" (far 1, not
 * offset, near > 1) with raid_disks a multiple of near: then slots
 * near*k .. near*k+near-1 hold the same chunks (a mirror group, slot / near)
 * and the slots with equal slot % near form complete copies (mdadm's set-A, set-B...).
 */
bool md_raid10_near_sets(int layout, int raid_disks);

/**
 * md_level_enough() - can an array of level with raid_disks slots (layout for
 * raid10) run with only the slots marked in avail?  The kernel's rule, shared
 * by create (missing members), assembly (degraded start) and detail (health):
 * raid0/linear need every slot, raid1 one, raid4/5 all but one, raid6 all but
 * two, raid10 one member in every group of near*far consecutive slots.
 */
bool md_level_enough(int level, uint32_t layout, uint32_t raid_disks, const bool *avail);

/**
 * md_level_tolerates() - how many members an array of level (layout for
 * raid10) can lose at most before data is lost: raid1 raid_disks-1, raid4/5
 * one, raid6 two, raid10 copies-1 (the best case: one per group); -1 for
 * levels without redundancy or unknown.
 */
int md_level_tolerates(int level, int layout, int raid_disks);

#endif
