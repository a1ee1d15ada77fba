/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blkdev.h: opening members, sizes, device numbers, libblkid probes and libudev enumeration. */
#ifndef MDCTL_BLKDEV_H
#define MDCTL_BLKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/** blkdev_open() - open(path, flags|O_CLOEXEC); returns fd or -errno.
 * Pass O_EXCL for "not in use" checks on block devices. */
int blkdev_open(const char *path, int flags);
/** blkdev_size() - size in 512-byte sectors of a block device or regular file. */
int blkdev_size(int fd, uint64_t *sectors);
/** blkdev_devnum() - major:minor of a block device path (-ENOTBLK otherwise). */
int blkdev_devnum(const char *path, unsigned *major, unsigned *minor);
/** blkdev_kname() - kernel name ("sdb", "dm-3") of a block device path, via sysfs. */
int blkdev_kname(const char *sysfs_root, const char *path, char *buf, size_t len);
/** blkdev_path_of_kname() - a /dev path for a kernel name ("dm-3" -> "/dev/mapper/x" if present, else "/dev/dm-3"). */
int blkdev_path_of_kname(const char *dev_root, const char *sysfs_root, const char *kname,
			 char *buf, size_t len);
/** blkdev_whole_disk() - kernel name of the disk holding a partition (itself for a whole disk). */
int blkdev_whole_disk(const char *sysfs_root, const char *kname, char *buf, size_t len);
/** blkdev_holders() - 1 if sysfs lists holders for kname (in an md/dm stack), 0 if none. */
int blkdev_has_holders(const char *sysfs_root, const char *kname);
/** blkdev_holder() - blkdev_has_holders() that names the first holder ("md0") in buf. */
int blkdev_holder(const char *sysfs_root, const char *kname, char *buf, size_t len);

/**
 * blkdev_probe() - libblkid low-level probe of path for superblocks and
 * partition tables.  On a find, type gets e.g. "ext4", "linux_raid_member",
 * "dos" (partition table) and 1 is returned; 0 for nothing; -errno.
 */
int blkdev_probe(const char *path, char *type, size_t len);
/**
 * blkdev_probe_usage() - blkdev_probe() plus what was found: usage gets
 * libblkid's "filesystem", "raid", "crypto", "other", or "partition table"
 * (usage may be NULL).
 */
int blkdev_probe_usage(const char *path, char *type, size_t len, char *usage, size_t ulen);

/*
 * struct blkdev_id - which device a check looked at: a block device by its
 * number, a regular file (unit tests) by its inode.
 */
struct blkdev_id {
	bool blk;
	dev_t rdev;   /* block devices */
	dev_t dev;    /* regular files: st_dev and st_ino */
	ino_t ino;
};

/** blkdev_id_of_fd() - the identity of an open block device or regular file (-ENOTBLK otherwise). */
int blkdev_id_of_fd(int fd, struct blkdev_id *id);
/** blkdev_id_same() - a and b name the same device (or file). */
bool blkdev_id_same(const struct blkdev_id *a, const struct blkdev_id *b);

/* Flags for blkdev_check_new_member(). */
enum {
	BLKDEV_FORCE = 1u << 0,   /* --force: signatures and same-disk partitions allowed */
	BLKDEV_FILE_OK = 1u << 1, /* a regular file passes as a device (unit tests only) */
};

/**
 * blkdev_check_new_member() - every check made before a disk joins an array
 * (create, --add, --replace --with, the monitor's POLICY spares): exists and
 * is a block device (or, with BLKDEV_FILE_OK for tests, a regular file), not in use (O_EXCL open
 * succeeds, no holders), at least min_sectors, no filesystem/partition
 * table/RAID signature unless BLKDEV_FORCE, not a partition of a disk
 * holding one of the member knames in 'siblings' (NULL-terminated) unless
 * BLKDEV_FORCE.  id (may be NULL) gets the identity of the device checked,
 * for blkdev_recheck().  On refusal, why gets the cause ("has an ext4
 * filesystem", "is in use", "is too small: 1000 sectors, need 2048") and
 * -errno is returned: -ENOENT, -ENOTBLK, -EBUSY, -ENOSPC, -EEXIST
 * (signature), -EXDEV (same disk).
 */
int blkdev_check_new_member(const char *sysfs_root, const char *path, uint64_t min_sectors,
			    const char *const *siblings, unsigned flags, struct blkdev_id *id,
			    char *why, size_t whylen);

/**
 * blkdev_recheck() - the second look, on the descriptor about to be written
 * and right before a superblock write: fd is still the device checked
 * (-ESTALE, why "is no longer the device that was checked") and, unless
 * flags has BLKDEV_FORCE, libblkid still finds no signature on it (-EEXIST,
 * why "has an ext4 filesystem since it was checked").  -errno when it
 * cannot be probed.
 */
int blkdev_recheck(int fd, const struct blkdev_id *checked, unsigned flags, char *why,
		   size_t whylen);

/**
 * blkdev_same_disk() - the same-disk part of blkdev_check_new_member():
 * -EXDEV (why says which member shares the disk), -EEXIST when kname is
 * itself one of the siblings, 0 otherwise.
 */
int blkdev_same_disk(const char *sysfs_root, const char *kname, const char *const *siblings,
		     char *why, size_t whylen);

/**
 * blkdev_find_raid_members() - device nodes that libblkid/libudev identify
 * as linux_raid_member, sorted; *paths malloc'd array of malloc'd strings.
 */
int blkdev_find_raid_members(char ***paths, size_t *n);
void blkdev_free_list(char **paths, size_t n);

/** blkdev_stable_name() - a name to tell a person which disk to pull:
 * the udev by-id link ("ata-WDC_WD40..._WD-XYZ") or serial; -ENOENT if udev knows none. */
int blkdev_stable_name(const char *path, char *buf, size_t len);
/** blkdev_disk_id() - blkdev_stable_name(), else the whole disk's serial or WWID from
 * sysfs; path may be NULL.  -ENOENT when none is known. */
int blkdev_disk_id(const char *sysfs_root, const char *path, const char *kname, char *buf,
		   size_t len);

#endif
