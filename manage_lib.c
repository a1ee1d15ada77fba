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

int md_model_load(const char *dev_root, const struct md_array *a, struct sb1_dev **model)
{
	int rc = md_metadata_minor(a->metadata_version);

	*model = NULL;
	if (rc < 0)
		return rc;
	*model = malloc(sizeof(**model));
	if (!*model)
		return -ENOMEM;
	rc = md_model_sb(dev_root, a, *model);
	if (rc) {
		free(*model);
		*model = NULL;
	}
	return rc;
}

int md_disk_of_array(const char *dev_root, const struct md_array *a, const char *path)
{
	struct sb1_dev *model, *d;
	int rc;

	rc = md_model_load(dev_root, a, &model);
	if (rc)
		return rc;
	d = malloc(sizeof(*d));
	rc = d && !md_sb_read(path, md_metadata_minor(a->metadata_version), d) &&
	     !memcmp(d->info.set_uuid, model->info.set_uuid, sizeof(d->info.set_uuid));
	if (!d)
		rc = -ENOMEM;
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
	int rc;

	(void)sysfs_root;
	rc = md_model_load(dev_root, a, &d);
	if (rc)
		return rc;
	*sectors = d->info.data_offset + d->info.size + tail_sectors(d);
	free(d);
	return 0;
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
