// SPDX-License-Identifier: GPL-2.0-or-later
/* manage_lib.c: adding a disk to a running array as a spare (superblock, ADD_NEW_DISK) and taking it back. */
#include "manage_lib.h"

#include "super1.h"
#include "mdarray.h"
#include "sysfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <linux/major.h>
#include <linux/raid/md_u.h>

static int member_path(const char *dev_root, const char *kname, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", dev_root, kname);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The model superblock: the first in-sync, healthy member that reads back. */
static int model_sb(const char *dev_root, const struct md_array *a, struct sb1_dev *d)
{
	int rc = -ENODEV;

	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];

		if (!md_member_active(m))
			continue;
		rc = md_member_sb(dev_root, a, m, d);
		if (!rc)
			return 0;
	}
	return rc;
}

int md_disk_of_array(const char *dev_root, const struct md_array *a, const char *path)
{
	struct sb1_dev *model, *d;
	int minor, rc;

	minor = md_metadata_minor(a->metadata_version);
	if (minor < 0)
		return minor;
	model = malloc(sizeof(*model));
	d = malloc(sizeof(*d));
	if (!model || !d) {
		free(model);
		free(d);
		return -ENOMEM;
	}
	rc = model_sb(dev_root, a, model);
	if (!rc)
		rc = !md_sb_read(path, minor, d) &&
		     !memcmp(d->info.set_uuid, model->info.set_uuid, sizeof(d->info.set_uuid));
	free(model);
	free(d);
	return rc;
}

/* Sectors kept after the data on 1.0 (bitmap, bad-block log, superblock at the end). */
static uint64_t tail_sectors(const struct sb1_dev *d)
{
	uint64_t end = d->info.data_offset + d->info.data_size;

	if (d->minor != 0 || d->dev_sectors < end)
		return 0;
	return d->dev_sectors - end;
}

int md_spare_min_sectors(const char *sysfs_root, const char *dev_root, const struct md_array *a,
			 uint64_t *sectors)
{
	struct sb1_dev *d;
	int minor, rc;

	(void)sysfs_root;
	minor = md_metadata_minor(a->metadata_version);
	if (minor < 0)
		return minor;
	d = malloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	rc = model_sb(dev_root, a, d);
	if (!rc)
		*sectors = d->info.data_offset + d->info.size + tail_sectors(d);
	free(d);
	return rc;
}

/*
 * A device number for the new disk: not used by any member we can read,
 * and not an active role in the model's table (a member we could not read
 * may hold it).  The kernel refuses a number already bound (-EBUSY).
 */
static int free_dev_number(const char *dev_root, const struct md_array *a,
			   const struct sb1_dev *model, uint32_t *out)
{
	uint8_t *used = calloc(SB1_MAX_DEV, 1);
	struct sb1_dev *d = malloc(sizeof(*d));
	int rc = -EEXIST;

	if (!used || !d) {
		free(used);
		free(d);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < a->nmembers; i++)
		if (!md_member_sb(dev_root, a, &a->members[i], d) &&
		    d->info.dev_number < SB1_MAX_DEV)
			used[d->info.dev_number] = 1;
	for (uint32_t n = 0; n < SB1_MAX_DEV; n++) {
		if (used[n])
			continue;
		if (n < model->info.max_dev && model->info.dev_roles[n] < SB1_ROLE_MAX)
			continue;
		*out = n;
		rc = 0;
		break;
	}
	free(used);
	free(d);
	return rc;
}

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int write_at(int fd, const void *buf, size_t len, uint64_t off)
{
	ssize_t n = pwrite(fd, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* Build and write the spare's superblock; fills undo->saved first. */
static int write_spare_sb(int fd, const struct sb1_dev *model, uint32_t dev_number,
			  struct md_spare_undo *undo)
{
	struct sb1_dev *d = malloc(sizeof(*d));
	const uint32_t keep = SB1_FEAT_BITMAP_OFFSET | SB1_FEAT_JOURNAL | SB1_FEAT_PPL |
			      SB1_FEAT_MULTIPLE_PPLS | SB1_FEAT_RAID0_LAYOUT;
	uint64_t dev_sectors, so;
	int rc;

	if (!d)
		return -ENOMEM;
	rc = sb1_dev_size(fd, &dev_sectors);
	if (rc)
		goto out;
	so = sb1_location(model->minor, dev_sectors);
	if (so == UINT64_MAX) {
		rc = -ENOSPC;
		goto out;
	}
	memset(d, 0, sizeof(*d));
	d->minor = model->minor;
	d->info = model->info;
	d->info.minor = model->minor;
	d->info.super_offset = so;
	if (model->minor == 0) {
		/* keep the model's room between the data and the superblock (log, bitmap) */
		uint64_t end = model->info.data_offset + model->info.data_size;
		uint64_t gap = model->info.super_offset > end ? model->info.super_offset - end : 0;

		if (so < d->info.data_offset + gap) {
			rc = -ENOSPC;
			goto out;
		}
		d->info.data_size = so - gap - d->info.data_offset;
	} else {
		if (dev_sectors <= d->info.data_offset) {
			rc = -ENOSPC;
			goto out;
		}
		d->info.data_size = dev_sectors - d->info.data_offset;
	}
	if (d->info.data_size < d->info.size) {
		rc = -ENOSPC;
		goto out;
	}
	/* a spare carries no recovery, replacement, reshape or bad-block state */
	d->info.feature_map &= keep;
	d->info.recovery_offset = 0;
	d->info.cnt_corrected_read = 0;
	d->info.devflags = 0;
	d->info.new_offset = 0;
	d->info.dev_number = dev_number;
	if (dev_number >= d->info.max_dev) {
		for (uint32_t i = d->info.max_dev; i <= dev_number; i++)
			d->info.dev_roles[i] = SB1_ROLE_SPARE;
		d->info.max_dev = dev_number + 1;
	}
	d->info.dev_roles[dev_number] = SB1_ROLE_SPARE;
	d->info.utime_sec = (uint64_t)time(NULL);
	d->info.utime_usec = 0;
	if (getrandom(d->info.device_uuid, sizeof(d->info.device_uuid), 0) !=
	    (ssize_t)sizeof(d->info.device_uuid)) {
		rc = -EIO;
		goto out;
	}
	/* keep what the superblock overwrites, so a failed command can give it back */
	rc = read_at(fd, undo->saved, sizeof(undo->saved), so * 512);
	if (rc)
		goto out;
	undo->sb_sector = so;
	undo->written = true;
	rc = sb1_write_new(fd, d);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
out:
	free(d);
	return rc;
}

/*
 * Open path exclusively, only when it is still the block device rdev (the
 * one checked, whose number ADD_NEW_DISK is given): a name that now leads
 * elsewhere is never written.
 */
static int open_checked(const char *path, dev_t rdev)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_EXCL | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != rdev) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

static int restore_sb_area(struct md_spare_undo *undo)
{
	int fd, rc;

	fd = open_checked(undo->path, undo->rdev);
	if (fd < 0)
		return fd;
	rc = write_at(fd, undo->saved, sizeof(undo->saved), undo->sb_sector * 512);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	close(fd);
	if (!rc)
		undo->written = false;
	return rc;
}

int md_add_spare(const char *sysfs_root, const char *dev_root, const struct md_array *a,
		 const char *path, struct md_spare_undo *undo)
{
	struct sb1_dev *model;
	mdu_disk_info_t info;
	struct stat st;
	char mdpath[PATH_MAX], state[128], slot[16];
	uint32_t number;
	int minor, fd, mdfd, rc;

	memset(undo, 0, sizeof(*undo));
	if (copy_str(undo->path, sizeof(undo->path), path))
		return -ENAMETOOLONG;
	minor = md_metadata_minor(a->metadata_version);
	if (minor < 0)
		return minor;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	model = malloc(sizeof(*model));
	if (!model)
		return -ENOMEM;
	rc = model_sb(dev_root, a, model);
	if (rc)
		goto out;
	if (model->info.feature_map & SB1_FEAT_CLUSTERED) {
		rc = -EOPNOTSUPP;
		goto out;
	}
	/* a fresh look: spares added since the caller's snapshot hold numbers too */
	{
		struct md_array now;

		rc = md_array_read(sysfs_root, a->kname, &now);
		if (rc)
			goto out;
		rc = free_dev_number(dev_root, &now, model, &number);
		md_array_free(&now);
	}
	if (rc)
		goto out;

	undo->rdev = st.st_rdev;
	fd = open_checked(path, st.st_rdev);
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	rc = write_spare_sb(fd, model, number, undo);
	/* close before the kernel claims the disk: our O_EXCL would make it busy */
	close(fd);
	if (rc) {
		if (undo->written)
			restore_sb_area(undo);
		goto out;
	}

	rc = member_path(dev_root, a->kname, mdpath, sizeof(mdpath));
	if (rc)
		goto undo;
	mdfd = open(mdpath, O_RDONLY | O_CLOEXEC);
	if (mdfd < 0) {
		rc = -errno;
		goto undo;
	}
	memset(&info, 0, sizeof(info));
	info.number = (int)number;
	info.major = (int)major(st.st_rdev);
	info.minor = (int)minor(st.st_rdev);
	info.raid_disk = -1;
	info.state = 0;
	rc = ioctl(mdfd, ADD_NEW_DISK, &info) < 0 ? -errno : 0;
	close(mdfd);
	if (rc)
		goto undo;
	undo->added = true;
	rc = sysfs_kname_of_devnum(sysfs_root, major(st.st_rdev), minor(st.st_rdev),
				   undo->kname, sizeof(undo->kname));
	if (rc)
		goto undo;
	/* read back: the disk is a member without a slot, not faulty */
	rc = sysfs_dev_read(sysfs_root, a->kname, undo->kname, "state", state, sizeof(state));
	if (!rc)
		rc = sysfs_dev_read(sysfs_root, a->kname, undo->kname, "slot", slot, sizeof(slot));
	if (!rc && md_flags_failed(md_parse_dev_state(state)))
		rc = -EIO;
	if (rc)
		goto undo;
	free(model);
	return 0;
undo:
	md_spare_undo(sysfs_root, a->kname, undo);
out:
	free(model);
	return rc;
}

int md_member_remove(const char *sysfs_root, const char *md, const char *kname, int timeout_ms)
{
	struct timespec t0, t;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = sysfs_dev_write(sysfs_root, md, kname, "state", "remove");
		if (rc != -EBUSY)
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > timeout_ms)
			return rc;
		/* the kernel gives no notification for "no longer busy": look again shortly */
		poll(NULL, 0, 50);
	}
}

int md_spare_undo(const char *sysfs_root, const char *md, struct md_spare_undo *undo)
{
	char slot[16];
	int rc = 0, r;

	if (undo->added && undo->kname[0]) {
		/* a slot means the kernel paired or recovers onto it: fail it first */
		if (!sysfs_dev_read(sysfs_root, md, undo->kname, "slot", slot, sizeof(slot)) &&
		    strcmp(slot, "none"))
			sysfs_dev_write(sysfs_root, md, undo->kname, "state", "faulty");
		r = md_member_remove(sysfs_root, md, undo->kname, 5000);
		if (r && r != -ENOENT)
			rc = r;
		else
			undo->added = false;
	}
	if (!undo->added && undo->written) {
		r = restore_sb_area(undo);
		if (r && !rc)
			rc = r;
	}
	return rc;
}
