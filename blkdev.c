// SPDX-License-Identifier: GPL-2.0-or-later
/* blkdev.c: opening members, sizes, device numbers, libblkid probes and libudev enumeration. */
#include "blkdev.h"

#include <blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sysfs.h"
#include "util.h"

/**
 * blkdev_open() - open a device (or test file) with O_CLOEXEC added.
 * @path: device path
 * @flags: open(2) flags; O_EXCL on a block device fails with -EBUSY when
 *         it is mounted or held by md/dm
 *
 * Return: the fd, or -errno.
 */
int blkdev_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * blkdev_size() - size of an open block device or regular file.
 * @fd: open descriptor
 * @sectors: size in 512-byte sectors (a partial last sector is dropped)
 *
 * Return: 0, -ENOTBLK for other file types, or -errno.
 */
int blkdev_size(int fd, uint64_t *sectors)
{
	struct stat st;
	uint64_t bytes = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &bytes) < 0)
			return -errno;
	} else if (S_ISREG(st.st_mode)) {
		bytes = (uint64_t)st.st_size;
	} else {
		return -ENOTBLK;
	}
	*sectors = bytes >> 9;
	return 0;
}

/**
 * blkdev_devnum() - major:minor of a block device node.
 * @path: device path (symlinks followed)
 * @major: out
 * @minor: out
 *
 * Return: 0, -ENOTBLK when path is not a block device, or -errno from stat.
 */
int blkdev_devnum(const char *path, unsigned *major, unsigned *minor)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	*major = major(st.st_rdev);
	*minor = minor(st.st_rdev);
	return 0;
}

/**
 * blkdev_kname() - kernel name of a block device path.
 * @sysfs_root: sysfs root
 * @path: device path
 * @buf: destination ("sdb", "dm-3")
 * @len: size of buf
 *
 * Return: 0, -ENOTBLK, -ENODEV when sysfs does not know the number, or -errno.
 */
int blkdev_kname(const char *sysfs_root, const char *path, char *buf, size_t len)
{
	unsigned ma, mi;
	int rc = blkdev_devnum(path, &ma, &mi);

	if (rc)
		return rc;
	return sysfs_kname_of_devnum(sysfs_root, ma, mi, buf, len);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/**
 * blkdev_path_of_kname() - the /dev path a person would use for a kernel name.
 * @dev_root: "/dev"
 * @sysfs_root: "/sys"
 * @kname: "sdb", "dm-3", "cciss!c0d0"
 * @buf: destination
 * @len: size of buf
 *
 * A dm device is named by its /dev/mapper link when that exists; a '!' in
 * the kernel name is a '/' in /dev.  When no node exists, buf still gets
 * <dev_root>/<kname> (good enough for a message) and -ENOENT is returned.
 * Return: 0, -ENOENT, -ENAMETOOLONG.
 */
int blkdev_path_of_kname(const char *dev_root, const char *sysfs_root, const char *kname,
			 char *buf, size_t len)
{
	char rel[PATH_MAX], name[256], path[PATH_MAX];
	char *p;
	int n;

	if (strncmp(kname, "dm-", 3) == 0) {
		n = snprintf(rel, sizeof(rel), "block/%s/dm/name", kname);
		if (n > 0 && (size_t)n < sizeof(rel) &&
		    sysfs_read(sysfs_root, rel, name, sizeof(name)) == 0 && name[0] &&
		    !strchr(name, '/')) {
			n = snprintf(path, sizeof(path), "%s/mapper/%s", dev_root, name);
			if (n > 0 && (size_t)n < sizeof(path) && exists(path))
				return copy_str(buf, len, path);
		}
	}
	n = snprintf(path, sizeof(path), "%s/%s", dev_root, kname);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	for (p = path + strlen(dev_root) + 1; *p; p++)
		if (*p == '!')
			*p = '/';
	n = copy_str(buf, len, path);
	if (n)
		return n;
	return exists(path) ? 0 : -ENOENT;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/**
 * blkdev_whole_disk() - the disk a partition lives on.
 * @sysfs_root: "/sys"
 * @kname: "sdb1" or "sdb"
 * @buf: destination ("sdb" in both cases)
 * @len: size of buf
 *
 * <sysfs>/block/ holds only whole disks; a partition is a directory with a
 * "partition" file inside its disk's directory.
 * Return: 0, -ENODEV when sysfs knows no such device, -ENAMETOOLONG.
 */
int blkdev_whole_disk(const char *sysfs_root, const char *kname, char *buf, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int n;

	if (!kname[0] || strchr(kname, '/'))
		return -ENODEV;
	n = snprintf(path, sizeof(path), "%s/block/%s", sysfs_root, kname);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	if (is_dir(path))
		return copy_str(buf, len, kname);
	n = snprintf(path, sizeof(path), "%s/block", sysfs_root);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	d = opendir(path);
	if (!d)
		return -ENODEV;
	while ((de = readdir(d)) != NULL) {
		char part[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		n = snprintf(part, sizeof(part), "%s/block/%s/%s/partition", sysfs_root,
			     de->d_name, kname);
		if (n < 0 || (size_t)n >= sizeof(part) || !exists(part))
			continue;
		n = copy_str(buf, len, de->d_name);
		closedir(d);
		return n;
	}
	closedir(d);
	return -ENODEV;
}

/* The sysfs directory of kname, whole disk or partition. */
static int kname_dir(const char *sysfs_root, const char *kname, char *path, size_t len)
{
	char disk[64];
	int n, rc;

	rc = blkdev_whole_disk(sysfs_root, kname, disk, sizeof(disk));
	if (rc)
		return rc;
	if (strcmp(disk, kname) == 0)
		n = snprintf(path, len, "%s/block/%s", sysfs_root, kname);
	else
		n = snprintf(path, len, "%s/block/%s/%s", sysfs_root, disk, kname);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* First entry of <kname>/holders into holder (may be NULL): 1 found, 0 none, -errno. */
static int first_holder(const char *sysfs_root, const char *kname, char *holder, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc;

	rc = kname_dir(sysfs_root, kname, path, sizeof(path) - 8);
	if (rc)
		return rc;
	strcat(path, "/holders");
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (holder)
			copy_str(holder, len, de->d_name);
		rc = 1;
		break;
	}
	closedir(d);
	return rc;
}

/**
 * blkdev_has_holders() - whether md or dm has claimed a device.
 * @sysfs_root: "/sys"
 * @kname: kernel name, disk or partition
 *
 * Return: 1 holders listed, 0 none, -ENODEV when sysfs knows no such device.
 */
int blkdev_has_holders(const char *sysfs_root, const char *kname)
{
	return first_holder(sysfs_root, kname, NULL, 0);
}

/**
 * blkdev_holder() - the kernel name of what holds a device ("md0", "dm-2").
 * @sysfs_root: "/sys"
 * @kname: kernel name, disk or partition
 * @buf: gets the first holder's name
 * @len: size of buf
 *
 * Return: 1 held, 0 not held, -ENODEV when sysfs knows no such device.
 */
int blkdev_holder(const char *sysfs_root, const char *kname, char *buf, size_t len)
{
	return first_holder(sysfs_root, kname, buf, len);
}

/**
 * blkdev_probe_usage() - blkdev_probe() that also says what kind of thing was found.
 * @path: device or file
 * @type: gets the signature's name ("ext4", "linux_raid_member", "gpt")
 * @len: size of type
 * @usage: gets libblkid's usage ("filesystem", "raid", "crypto", "other")
 *         or "partition table"; may be NULL
 * @ulen: size of usage
 *
 * Return: 1 found, 0 nothing, -errno (-EIO when libblkid fails).
 */
/* The probe itself, on a libblkid probe already pointed at the device. */
static int probe_found(blkid_probe pr, char *type, size_t len, char *usage, size_t ulen)
{
	const char *val = NULL, *use = NULL;
	int rc;

	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);
	/*
	 * fullprobe rather than safeprobe: two signatures at once (a stale
	 * filesystem under a partition table) must still count as found.
	 */
	rc = blkid_do_fullprobe(pr);
	if (rc < 0)
		return -EIO;
	if (rc == 0) {
		if (blkid_probe_lookup_value(pr, "TYPE", &val, NULL) == 0) {
			if (blkid_probe_lookup_value(pr, "USAGE", &use, NULL) != 0)
				use = "other";
		} else if (blkid_probe_lookup_value(pr, "PTTYPE", &val, NULL) == 0) {
			use = "partition table";
		}
	}
	if (!val)
		return 0;
	copy_str(type, len, val);
	if (usage)
		copy_str(usage, ulen, use);
	return 1;
}

int blkdev_probe_usage(const char *path, char *type, size_t len, char *usage, size_t ulen)
{
	blkid_probe pr;
	int rc;

	pr = blkid_new_probe_from_filename(path);
	if (!pr)
		return errno ? -errno : -EIO;
	rc = probe_found(pr, type, len, usage, ulen);
	blkid_free_probe(pr);
	return rc;
}

/* blkdev_probe_usage() on an open descriptor: what is on that very device, whatever its name leads to now. */
static int probe_fd(int fd, char *type, size_t len, char *usage, size_t ulen)
{
	blkid_probe pr = blkid_new_probe();
	int rc;

	if (!pr)
		return -ENOMEM;
	/* libblkid reads through the page cache: drop what an earlier read left there */
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	rc = blkid_probe_set_device(pr, fd, 0, 0) ? -EIO : probe_found(pr, type, len, usage, ulen);
	blkid_free_probe(pr);
	return rc;
}

/**
 * blkdev_probe() - libblkid low-level probe for superblocks and partition tables.
 * @path: device or file
 * @type: gets e.g. "ext4", "linux_raid_member", "dos"
 * @len: size of type
 *
 * Return: 1 found, 0 nothing, -errno.
 */
int blkdev_probe(const char *path, char *type, size_t len)
{
	return blkdev_probe_usage(path, type, len, NULL, 0);
}

static const char *article(const char *word)
{
	return strchr("aeiouAEIOU", word[0]) && word[0] ? "an" : "a";
}

/* "has an ext4 filesystem", "has a dos partition table", "has an md superblock (...)". */
static void describe_signature(const char *type, const char *usage, char *why, size_t len)
{
	if (strcmp(type, "linux_raid_member") == 0)
		snprintf(why, len, "has an md superblock (linux_raid_member)");
	else if (strcmp(usage, "filesystem") == 0 || strcmp(usage, "partition table") == 0)
		snprintf(why, len, "has %s %s %s", article(type), type, usage);
	else
		snprintf(why, len, "has %s %s signature", article(type), type);
}

/**
 * blkdev_same_disk() - whether a device shares a disk with an array's members.
 * @sysfs_root: "/sys"
 * @kname: the candidate's kernel name
 * @siblings: members' kernel names, NULL-terminated, or NULL
 * @why: gets the cause ("is a partition of sdb, which holds sdb1 of this array")
 * @whylen: size of why
 *
 * Losing that disk would take two members at once: the candidate is a
 * partition of a disk holding a member, the disk one of whose partitions is
 * a member, or a partition of a disk that is itself a member.
 * Return: 0 no, -EXDEV yes, -EEXIST when kname is itself a sibling.
 */
int blkdev_same_disk(const char *sysfs_root, const char *kname, const char *const *siblings,
		     char *why, size_t whylen)
{
	char disk[64], sdisk[64];
	size_t i;

	if (!siblings || blkdev_whole_disk(sysfs_root, kname, disk, sizeof(disk)))
		return 0;
	for (i = 0; siblings[i]; i++) {
		const char *s = siblings[i];

		if (strcmp(s, kname) == 0) {
			snprintf(why, whylen, "is already a member of this array");
			return -EEXIST;
		}
		if (blkdev_whole_disk(sysfs_root, s, sdisk, sizeof(sdisk)) ||
		    strcmp(sdisk, disk) != 0)
			continue;
		if (strcmp(disk, kname) == 0)
			snprintf(why, whylen, "is the disk holding %s of this array", s);
		else if (strcmp(sdisk, s) == 0)
			snprintf(why, whylen, "is a partition of %s, which is a member of this array",
				 disk);
		else
			snprintf(why, whylen, "is a partition of %s, which holds %s of this array",
				 disk, s);
		return -EXDEV;
	}
	return 0;
}

/* A probe's answer as a refusal: -errno ("cannot be probed"), -EEXIST (the signature, then tail), or 0. */
static int probe_verdict(int rc, const char *type, const char *usage, const char *tail, char *why,
			 size_t whylen)
{
	size_t used;

	if (rc < 0) {
		snprintf(why, whylen, "cannot be probed: %s", strerror(-rc));
		return rc;
	}
	if (rc == 0)
		return 0;
	describe_signature(type, usage, why, whylen);
	used = strlen(why);
	snprintf(why + used, whylen - used, "%s", tail);
	return -EEXIST;
}

int blkdev_id_of_fd(int fd, struct blkdev_id *id)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	memset(id, 0, sizeof(*id));
	id->blk = S_ISBLK(st.st_mode);
	if (!id->blk && !S_ISREG(st.st_mode))
		return -ENOTBLK;
	id->rdev = id->blk ? st.st_rdev : 0;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

bool blkdev_id_same(const struct blkdev_id *a, const struct blkdev_id *b)
{
	if (a->blk != b->blk)
		return false;
	/* a device node is its number wherever the node lives; a file is its inode */
	return a->blk ? a->rdev == b->rdev : a->dev == b->dev && a->ino == b->ino;
}

int blkdev_recheck(int fd, const struct blkdev_id *checked, unsigned flags, char *why,
		   size_t whylen)
{
	struct blkdev_id now;
	char type[64], usage[32];
	int rc;

	if (whylen)
		why[0] = '\0';
	rc = blkdev_id_of_fd(fd, &now);
	if (rc == -ENOTBLK || (!rc && !blkdev_id_same(&now, checked))) {
		snprintf(why, whylen, "is no longer the device that was checked");
		return -ESTALE;
	}
	if (rc) {
		snprintf(why, whylen, "cannot be examined: %s", strerror(-rc));
		return rc;
	}
	if (flags & BLKDEV_FORCE)
		return 0;
	rc = probe_fd(fd, type, sizeof(type), usage, sizeof(usage));
	return probe_verdict(rc, type, usage, " since it was checked", why, whylen);
}

/**
 * blkdev_check_new_member() - may this device join an array?
 * @sysfs_root: "/sys"
 * @path: candidate device (a regular file only with BLKDEV_FILE_OK, for unit tests)
 * @min_sectors: smallest acceptable size
 * @siblings: kernel names of the array's members, NULL-terminated, or NULL
 * @flags: BLKDEV_FORCE, BLKDEV_FILE_OK
 * @id: gets the identity of what was checked (may be NULL)
 * @why: gets the cause of a refusal, without the device name
 * @whylen: size of why
 *
 * Checks, cheapest and least overridable first: existence and type; held
 * by md/dm (holders) or opened exclusively (mounted, O_EXCL fails); size;
 * same disk as a member (force overrides); an existing signature (force
 * overrides).  Nothing is written.
 * Return: 0 when acceptable; -ENOENT, -ENOTBLK, -EBUSY, -ENOSPC, -EXDEV,
 * -EEXIST (signature, or already a member), or -errno from open/probe.
 */
int blkdev_check_new_member(const char *sysfs_root, const char *path, uint64_t min_sectors,
			    const char *const *siblings, unsigned flags, struct blkdev_id *id,
			    char *why, size_t whylen)
{
	char kname[64] = "", holder[64], type[64], usage[32];
	struct stat st;
	uint64_t sectors = 0;
	bool blk;
	int fd, rc;

	if (whylen)
		why[0] = '\0';
	if (stat(path, &st) < 0) {
		rc = -errno;
		snprintf(why, whylen, rc == -ENOENT ? "does not exist" : "cannot be examined: %s",
			 strerror(-rc));
		return rc;
	}
	blk = S_ISBLK(st.st_mode);
	if (!blk && !(S_ISREG(st.st_mode) && (flags & BLKDEV_FILE_OK))) {
		snprintf(why, whylen, "is not a block device");
		return -ENOTBLK;
	}
	if (blk && sysfs_kname_of_devnum(sysfs_root, major(st.st_rdev), minor(st.st_rdev), kname,
					 sizeof(kname)) == 0 &&
	    first_holder(sysfs_root, kname, holder, sizeof(holder)) == 1) {
		snprintf(why, whylen, "is in use by %s", holder);
		return -EBUSY;
	}
	/* O_EXCL on a block device is the kernel's own "is anyone using it" test. */
	fd = blkdev_open(path, O_RDONLY | (blk ? O_EXCL : 0));
	if (fd < 0) {
		if (fd == -EBUSY)
			snprintf(why, whylen, "is in use (mounted or opened exclusively)");
		else
			snprintf(why, whylen, "cannot be opened: %s", strerror(-fd));
		return fd;
	}
	rc = blkdev_size(fd, &sectors);
	/* what was checked, for blkdev_recheck() right before a write */
	if (!rc && id)
		rc = blkdev_id_of_fd(fd, id);
	close(fd);
	if (rc) {
		snprintf(why, whylen, "cannot be sized: %s", strerror(-rc));
		return rc;
	}
	if (sectors < min_sectors) {
		snprintf(why, whylen, "is too small: %llu sectors, need %llu",
			 (unsigned long long)sectors, (unsigned long long)min_sectors);
		return -ENOSPC;
	}
	if (kname[0]) {
		rc = blkdev_same_disk(sysfs_root, kname, siblings, why, whylen);
		if (rc == -EEXIST)
			return rc;
		if (rc && !(flags & BLKDEV_FORCE)) {
			snprintf(why + strlen(why), whylen - strlen(why),
				 " (use --force to override)");
			return rc;
		}
		if (whylen)
			why[0] = '\0';
	}
	if (!(flags & BLKDEV_FORCE)) {
		rc = blkdev_probe_usage(path, type, sizeof(type), usage, sizeof(usage));
		return probe_verdict(rc, type, usage, " (use --force to override)", why, whylen);
	}
	return 0;
}

static int path_cmp(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/**
 * blkdev_find_raid_members() - every block device carrying an md superblock.
 * @paths: gets a malloc'd array of malloc'd device node paths, sorted
 * @n: number of paths
 *
 * libudev only enumerates (it reads sysfs, no udevd needed); the decision is
 * libblkid's own probe, since udev's ID_FS_TYPE is absent without udevd.
 * Devices that cannot be opened (no medium, unattached loop) are skipped.
 * Return: 0, -ENOMEM.
 */
int blkdev_find_raid_members(char ***paths, size_t *n)
{
	struct udev_list_entry *entry;
	struct udev_enumerate *en;
	struct udev *udev;
	char **list = NULL, **p;
	size_t cnt = 0, cap = 0;
	int rc = 0;

	*paths = NULL;
	*n = 0;
	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	en = udev_enumerate_new(udev);
	if (!en) {
		udev_unref(udev);
		return -ENOMEM;
	}
	udev_enumerate_add_match_subsystem(en, "block");
	udev_enumerate_scan_devices(en);
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(en)) {
		struct udev_device *dev;
		const char *node;
		char type[64];
		char *copy;

		dev = udev_device_new_from_syspath(udev, udev_list_entry_get_name(entry));
		if (!dev)
			continue;
		node = udev_device_get_devnode(dev);
		if (!node || blkdev_probe(node, type, sizeof(type)) != 1 ||
		    strcmp(type, "linux_raid_member") != 0) {
			udev_device_unref(dev);
			continue;
		}
		p = array_room(list, cnt, &cap, sizeof(*p));
		if (!p) {
			udev_device_unref(dev);
			rc = -ENOMEM;
			break;
		}
		list = p;
		copy = strdup(node);
		udev_device_unref(dev);
		if (!copy) {
			rc = -ENOMEM;
			break;
		}
		list[cnt++] = copy;
	}
	udev_enumerate_unref(en);
	udev_unref(udev);
	if (rc) {
		blkdev_free_list(list, cnt);
		return rc;
	}
	if (cnt)
		qsort(list, cnt, sizeof(*list), path_cmp);
	*paths = list;
	*n = cnt;
	return 0;
}

/** blkdev_free_list() - free what blkdev_find_raid_members() returned. */
void blkdev_free_list(char **paths, size_t n)
{
	size_t i;

	if (!paths)
		return;
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/**
 * blkdev_stable_name() - the name printed on the disk's label, as udev knows it.
 * @path: device path
 * @buf: gets the by-id link's name ("ata-WDC_WD40..._WD-XYZ") or ID_SERIAL
 * @len: size of buf
 *
 * Return: 0, -ENOENT when udev has no record (no udevd, virtual device),
 * -ENOTBLK, -ENOMEM.
 */
int blkdev_stable_name(const char *path, char *buf, size_t len)
{
	static const char byid[] = "/dev/disk/by-id/";
	struct udev_list_entry *entry;
	struct udev_device *dev;
	struct udev *udev;
	struct stat st;
	const char *serial;
	int rc = -ENOENT;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	dev = udev_device_new_from_devnum(udev, 'b', st.st_rdev);
	if (!dev) {
		udev_unref(udev);
		return -ENOENT;
	}
	udev_list_entry_foreach(entry, udev_device_get_devlinks_list_entry(dev)) {
		const char *link = udev_list_entry_get_name(entry);

		if (strncmp(link, byid, sizeof(byid) - 1) == 0 && link[sizeof(byid) - 1]) {
			rc = copy_str(buf, len, link + sizeof(byid) - 1);
			break;
		}
	}
	if (rc == -ENOENT) {
		serial = udev_device_get_property_value(dev, "ID_SERIAL");
		if (serial && serial[0])
			rc = copy_str(buf, len, serial);
	}
	udev_device_unref(dev);
	udev_unref(udev);
	return rc;
}

/**
 * blkdev_disk_id() - what identifies a member's disk to a person: udev's
 * by-id name or serial (blkdev_stable_name()), else the serial or WWID the
 * kernel shows in sysfs for the whole disk holding kname (NVMe, SCSI, virtio
 * with a serial).
 * @sysfs_root: "/sys"
 * @path: the member's /dev path (may not exist: then only sysfs is asked)
 * @kname: its kernel name ("sdb1")
 * @buf: destination
 * @len: size of buf
 *
 * Return: 0, -ENOENT when nobody knows one.
 */
int blkdev_disk_id(const char *sysfs_root, const char *path, const char *kname, char *buf,
		   size_t len)
{
	static const char *const attrs[] = { "device/serial", "serial", "device/wwid", "wwid" };
	char whole[64], rel[PATH_MAX];

	if (path && blkdev_stable_name(path, buf, len) == 0)
		return 0;
	if (blkdev_whole_disk(sysfs_root, kname, whole, sizeof(whole)) < 0)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		char *p;

		snprintf(rel, sizeof(rel), "block/%s/%s", whole, attrs[i]);
		if (sysfs_read(sysfs_root, rel, buf, len) < 0)
			continue;
		/* SCSI pads serials with blanks */
		for (p = buf + strlen(buf); p > buf && p[-1] == ' '; p--)
			p[-1] = '\0';
		for (p = buf; *p == ' '; p++)
			;
		memmove(buf, p, strlen(p) + 1);
		if (buf[0])
			return 0;
	}
	buf[0] = '\0';
	return -ENOENT;
}
