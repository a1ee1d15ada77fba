/* SPDX-License-Identifier: GPL-2.0-or-later */
/* manage_lib.h: what a running array's member superblocks say, for adding a spare and recognising a former member. */
#ifndef MDCTL_MANAGE_LIB_H
#define MDCTL_MANAGE_LIB_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

struct md_array;
struct sb1_dev;

/**
 * md_model_sb() - the superblock a new spare of a is modelled on: the
 * first in-sync, healthy member's that reads back (md_member_sb()).
 * Return 0 or -errno (-ENODEV: no such member).
 */
int md_model_sb(const char *dev_root, const struct md_array *a, struct sb1_dev *d);

/**
 * md_model_load() - md_model_sb() into a superblock allocated here (*model,
 * the caller frees it; NULL on error), for an array with 1.x metadata.
 * Return 0 or -errno (-EOPNOTSUPP: not 1.x metadata).
 */
int md_model_load(const char *dev_root, const struct md_array *a, struct sb1_dev **model);

/**
 * md_spare_min_sectors() - the size in 512-byte sectors a disk needs to
 * join the running array a: a member's data offset plus the component
 * size (plus, for 1.0 metadata, the space kept after the data).
 * sysfs_root/dev_root locate a member whose superblock is the model.
 * Return 0 or -errno.
 */
int md_spare_min_sectors(const char *sysfs_root, const char *dev_root, const struct md_array *a,
			 uint64_t *sectors);

/**
 * md_free_dev_number() - a device number for a new member: used by no
 * member whose superblock reads, and no active role in model's table (a
 * member that could not be read may hold it).  Return 0 or -EEXIST.
 */
int md_free_dev_number(const char *dev_root, const struct md_array *a,
		       const struct sb1_dev *model, uint32_t *out);

/**
 * md_disk_of_array() - does path carry a superblock of the running array a
 * (same array UUID as an in-sync member's): a former member, a cancelled
 * replacement, a spare removed earlier?  Such a disk may rejoin without
 * --force.  Return 1 yes, 0 no (or unreadable), -errno when no member's
 * superblock can be read.
 */
int md_disk_of_array(const char *dev_root, const struct md_array *a, const char *path);


#endif
