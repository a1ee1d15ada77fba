// SPDX-License-Identifier: GPL-2.0-or-later
/* mdsb.c: every place an md superblock can sit on a device (0.90, 1.0, 1.1, 1.2): what is there, and erasing it. */
#include "mdsb.h"
#include "super1.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 0.90 (mdp_super_t, host-endian): magic at word 0, major_version word 1, sb_csum word 38. */
#define SB0_WORD_MAJOR 1
#define SB0_WORD_CSUM  38

static uint32_t le32_at(const void *buf, size_t word)
{
	const unsigned char *p = (const unsigned char *)buf + 4 * word;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *const names[MDSB_NVERSIONS] = { "0.90", "1.0", "1.1", "1.2" };

const char *mdsb_version_name(enum mdsb_version v)
{
	return v < MDSB_NVERSIONS ? names[v] : "?";
}

int mdsb_parse_version(const char *s, enum mdsb_version *v)
{
	if (!strcmp(s, "0") || !strcmp(s, "0.90") || !strcmp(s, "00.90")) {
		*v = MDSB_V090;
		return 0;
	}
	for (int i = MDSB_V10; i < MDSB_NVERSIONS; i++)
		if (!strcmp(s, names[i]) || (s[0] == '0' && !strcmp(s + 1, names[i]))) {
			*v = (enum mdsb_version)i;
			return 0;
		}
	return -EINVAL;
}

uint64_t mdsb_sector(enum mdsb_version v, uint64_t dev_sectors)
{
	switch (v) {
	case MDSB_V090:
		/* the last 64 KiB-aligned 64 KiB; nothing sensible below 128 KiB */
		return dev_sectors < 256 ? UINT64_MAX : (dev_sectors & ~(uint64_t)127) - 128;
	case MDSB_V10:
		return sb1_location(0, dev_sectors);
	case MDSB_V11:
		return sb1_location(1, dev_sectors);
	case MDSB_V12:
		return sb1_location(2, dev_sectors);
	default:
		return UINT64_MAX;
	}
}

int mdsb_check_090(const void *buf)
{
	uint64_t sum = 0;
	uint32_t stored = le32_at(buf, SB0_WORD_CSUM), csum;

	if (le32_at(buf, 0) == MDSB_MAGIC_SWAPPED)
		return -EPROTO;   /* written on a host of the other byte order */
	if (le32_at(buf, 0) != SB1_MAGIC)
		return -ENOENT;
	if (le32_at(buf, SB0_WORD_MAJOR) != 0)
		return -EPROTO;
	/* the 32-bit words of all 4 KiB, checksum word taken as 0, folded once */
	for (size_t w = 0; w < MDSB_BYTES / 4; w++)
		if (w != SB0_WORD_CSUM)
			sum += le32_at(buf, w);
	csum = (uint32_t)((sum & 0xffffffffu) + (sum >> 32));
	return csum == stored ? 0 : -EBADMSG;
}

enum mdsb_state mdsb_classify(enum mdsb_version v, const void *buf, uint64_t dev_sectors,
			      int *err)
{
	int rc;

	*err = 0;
	if (v == MDSB_V090) {
		rc = mdsb_check_090(buf);
	} else {
		uint32_t magic = le32_at(buf, 0);

		if (magic != SB1_MAGIC)
			return MDSB_ABSENT;
		rc = sb1_check(buf, mdsb_sector(v, dev_sectors), dev_sectors);
	}
	if (rc == -ENOENT)
		return MDSB_ABSENT;
	*err = rc;
	return rc ? MDSB_DAMAGED : MDSB_VALID;
}

int mdsb_scan(int fd, struct mdsb_loc out[MDSB_NVERSIONS], unsigned *n)
{
	return mdsb_scan_known(fd, out, n, 0, 0, NULL);
}

int mdsb_scan_known(int fd, struct mdsb_loc out[MDSB_NVERSIONS], unsigned *n, uint64_t known_at,
		    size_t known_len, const void *known)
{
	unsigned char *buf;
	uint64_t sectors;
	int rc;

	*n = 0;
	rc = sb1_dev_size(fd, &sectors);
	if (rc)
		return rc;
	buf = malloc(MDSB_BYTES);
	if (!buf)
		return -ENOMEM;
	for (int v = 0; v < MDSB_NVERSIONS; v++) {
		struct mdsb_loc *l = &out[*n];

		l->version = (enum mdsb_version)v;
		l->sector = mdsb_sector(l->version, sectors);
		if (l->sector == UINT64_MAX || l->sector + MDSB_BYTES / 512 > sectors)
			continue;
		rc = 0;
		if (known && l->sector * 512 >= known_at &&
		    l->sector * 512 + MDSB_BYTES <= known_at + known_len)
			/* inside the caller's read */
			memcpy(buf, (const unsigned char *)known + (l->sector * 512 - known_at), MDSB_BYTES);
		else
			rc = sb1_pread_fresh(fd, buf, MDSB_BYTES, l->sector * 512);
		if (rc) {
			l->state = MDSB_UNREADABLE;
			l->err = rc;
		} else {
			l->state = mdsb_classify(l->version, buf, sectors, &l->err);
		}
		(*n)++;
	}
	free(buf);
	return 0;
}

int mdsb_erase(int fd, const struct mdsb_loc *l, bool force)
{
	unsigned char *buf = calloc(1, MDSB_BYTES), *zero = calloc(1, MDSB_BYTES);
	uint64_t off = l->sector * 512;
	int rc = buf && zero ? 0 : -ENOMEM;

	/* the magic must still be there: a location someone rewrote since the scan is left alone */
	if (!rc && !force) {
		rc = sb1_pread_fresh(fd, buf, MDSB_BYTES, off);
		if (!rc && le32_at(buf, 0) != SB1_MAGIC && le32_at(buf, 0) != MDSB_MAGIC_SWAPPED)
			rc = -ESTALE;
	}
	if (!rc)
		rc = sb1_pwrite(fd, zero, MDSB_BYTES, off);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (!rc)
		rc = sb1_pread_fresh(fd, buf, MDSB_BYTES, off);
	if (!rc && memcmp(buf, zero, MDSB_BYTES))
		rc = -EIO;
	free(buf);
	free(zero);
	return rc;
}
