/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sb1_fixture.h: builds superblock images for the unit tests and the fuzz seed corpus. */
#ifndef MDCTL_SB1_FIXTURE_H
#define MDCTL_SB1_FIXTURE_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "super1.h"

/*
 * fixture_info() - a plausible member superblock as mdadm would create it:
 * level/raid_disks given, chunk 512 KiB for striped levels, geometry from
 * sb1_default_geometry(), roles 0..raid_disks-1 on dev_numbers 0.., this
 * device dev_number, 128 roles, fixed UUIDs and times.  Return 0 or -errno.
 */
static inline int fixture_info(struct sb1_info *s, int minor, uint64_t dev_sectors,
			       int level, uint32_t raid_disks, uint32_t dev_number)
{
	struct sb1_geometry g;
	uint32_t chunk_kib = (level == 1 || level == -1) ? 0 : 512;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = sb1_default_geometry(minor, dev_sectors, chunk_kib, &g);
	if (rc)
		return rc;
	s->minor = minor;
	for (int i = 0; i < 16; i++) {
		s->set_uuid[i] = (uint8_t)(0x10 + i * 7);
		s->device_uuid[i] = (uint8_t)(0xa0 + i * 3 + dev_number);
	}
	strcpy(s->set_name, "fixturehost:data");
	s->ctime_sec = 1795000000;
	s->utime_sec = 1795000100;
	s->level = level;
	s->layout = level == 5 ? 2 : level == 6 ? 2 : level == 10 ? 0x102 : 0;
	s->chunksize = chunk_kib * 2;
	s->raid_disks = raid_disks;
	s->data_offset = g.data_offset;
	s->data_size = g.data_size;
	s->size = chunk_kib ? g.data_size & ~(uint64_t)(chunk_kib * 2 - 1) : g.data_size;
	s->super_offset = g.super_offset;
	s->bblog_offset = g.bblog_offset;
	s->bblog_size = g.bblog_size;
	s->dev_number = dev_number;
	s->events = 18;
	s->resync_offset = SB1_MAX_SECTOR;
	s->recovery_offset = 0;
	s->max_dev = 128;
	for (uint32_t i = 0; i < SB1_MAX_DEV; i++)
		s->dev_roles[i] = i < raid_disks ? (uint16_t)i : SB1_ROLE_SPARE;
	return 0;
}

/* fixture_image() - a sparse file of dev_sectors with s written by sb1_write_new(). */
static inline int fixture_image(const char *path, uint64_t dev_sectors, const struct sb1_info *s)
{
	struct sb1_dev *d;
	int fd, rc;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)(dev_sectors * 512)) < 0) {
		close(fd);
		return -1;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		close(fd);
		return -1;
	}
	d->minor = s->minor;
	d->info = *s;
	rc = sb1_write_new(fd, d);
	free(d);
	close(fd);
	return rc;
}

#endif
