/* SPDX-License-Identifier: GPL-2.0-or-later */
/* manage_lib.h: adding a disk to a running array as a spare, shared by --add and --replace --with. */
#ifndef MDCTL_MANAGE_LIB_H
#define MDCTL_MANAGE_LIB_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stdint.h>

struct md_array;

/*
 * struct md_spare_undo - what md_add_spare() changed, so that a command
 * that fails later can put the disk back as it was.
 */
struct md_spare_undo {
	char path[PATH_MAX];        /* the disk as named by the user */
	char kname[32];             /* its kernel name, "" until known */
	bool added;                 /* bound to the array */
	bool written;               /* saved[] holds what the superblock replaced */
	uint64_t sb_sector;
	dev_t rdev;                 /* the device checked; every write goes to it only */
	unsigned char saved[4096];
};

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
 * md_add_spare() - make path a spare of the running array a: write a
 * superblock modelled on an in-sync member's (same array UUID, geometry,
 * data offset and bad-block log; a fresh device UUID; an unused device
 * number with the spare role), then bind it with ADD_NEW_DISK and check
 * that md/dev-<kname> appeared without a slot.  The caller has already
 * run blkdev_check_new_member() on path.  undo (not NULL) records what
 * was done for md_spare_undo(); its kname gets the new member's name.
 * Return 0 or -errno (-ENOSPC too small, -EOPNOTSUPP clustered or
 * non-1.x metadata, -EEXIST no free device number).
 */
int md_add_spare(const char *sysfs_root, const char *dev_root, const struct md_array *a,
		 const char *path, struct md_spare_undo *undo);

/**
 * md_spare_undo() - take back an md_add_spare(): fail the member if the
 * kernel gave it a slot, remove it from the array (retrying while the
 * kernel is busy, up to about 5 s), and write back the bytes the
 * superblock overwrote.  Return 0 or the first -errno met.
 */
int md_spare_undo(const char *sysfs_root, const char *md, struct md_spare_undo *undo);

/**
 * md_member_remove() - write "remove" to md/dev-<kname>/state, retrying
 * -EBUSY (the kernel removes a member only when no I/O is pending and no
 * sync thread runs) for up to timeout_ms.  Return 0 or -errno.
 */
int md_member_remove(const char *sysfs_root, const char *md, const char *kname, int timeout_ms);

/**
 * md_disk_of_array() - does path carry a superblock of the running array a
 * (same array UUID as an in-sync member's): a former member, a cancelled
 * replacement, a spare removed earlier?  Such a disk may rejoin without
 * --force.  Return 1 yes, 0 no (or unreadable), -errno when no member's
 * superblock can be read.
 */
int md_disk_of_array(const char *dev_root, const struct md_array *a, const char *path);


#endif
