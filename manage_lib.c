// SPDX-License-Identifier: GPL-2.0-or-later
/* manage_lib.c: what a running array's member superblocks say: the model for a new spare, its size, a free device number, a former member. */
#include "manage_lib.h"

#include "super1.h"
#include "mdarray.h"
#include "sysfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* The model superblock: the first in-sync, healthy member that reads back. */
int md_model_sb(const char *dev_root, const struct md_array *a, struct sb1_dev *d)
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
	rc = md_model_sb(dev_root, a, model);
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
	rc = md_model_sb(dev_root, a, d);
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
int md_free_dev_number(const char *dev_root, const struct md_array *a,
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
