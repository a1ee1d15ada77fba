// SPDX-License-Identifier: GPL-2.0-or-later
/* bitmap.c: md's on-disk write-intent bitmap: superblock decode/check/encode, mdadm's placement at create, read and write. */
#include "bitmap.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROOM_LIMIT_SECTORS 256u   /* mdadm keeps a default-chunk bitmap within 128 KiB */

void bitmap_decode(const void *buf, struct bitmap_info *out)
{
	struct md_bitmap_sb sb;

	memcpy(&sb, buf, sizeof(sb));
	memset(out, 0, sizeof(*out));
	out->magic = le32toh(sb.magic);
	out->version = le32toh(sb.version);
	memcpy(out->uuid, sb.uuid, sizeof(out->uuid));
	out->events = le64toh(sb.events);
	out->events_cleared = le64toh(sb.events_cleared);
	out->sync_size = le64toh(sb.sync_size);
	out->state = le32toh(sb.state);
	out->chunksize = le32toh(sb.chunksize);
	out->daemon_sleep = le32toh(sb.daemon_sleep);
	out->write_behind = le32toh(sb.write_behind);
	out->sectors_reserved = le32toh(sb.sectors_reserved);
	out->nodes = le32toh(sb.nodes);
	/* up to its NUL: what follows it is not part of the name */
	memcpy(out->cluster_name, sb.cluster_name,
	       strnlen((const char *)sb.cluster_name, sizeof(sb.cluster_name)));
}

void bitmap_encode(const struct bitmap_info *in, void *buf)
{
	struct md_bitmap_sb sb;

	memset(&sb, 0, sizeof(sb));
	sb.magic = htole32(BITMAP_MAGIC);
	sb.version = htole32(in->version);
	memcpy(sb.uuid, in->uuid, sizeof(sb.uuid));
	sb.events = htole64(in->events);
	sb.events_cleared = htole64(in->events_cleared);
	sb.sync_size = htole64(in->sync_size);
	sb.state = htole32(in->state);
	sb.chunksize = htole32(in->chunksize);
	sb.daemon_sleep = htole32(in->daemon_sleep);
	sb.write_behind = htole32(in->write_behind);
	sb.sectors_reserved = htole32(in->sectors_reserved);
	sb.nodes = htole32(in->nodes);
	memcpy(sb.cluster_name, in->cluster_name,
	       strnlen(in->cluster_name, sizeof(sb.cluster_name)));
	memcpy(buf, &sb, sizeof(sb));
}

uint64_t bitmap_bits(uint64_t sync_size, uint32_t chunksize)
{
	uint64_t chunk_sectors = chunksize >> 9;

	if (!chunk_sectors)
		return 0;
	return sync_size / chunk_sectors + (sync_size % chunk_sectors != 0);
}

uint64_t bitmap_sectors(uint64_t bits)
{
	return ((bits + 7) / 8 + BITMAP_SB_BYTES + 4095) / 4096 * 8;
}

int bitmap_check(const void *buf)
{
	struct bitmap_info b;

	bitmap_decode(buf, &b);
	if (b.magic != BITMAP_MAGIC)
		return -ENOENT;
	if (b.version < BITMAP_VERSION_LO || b.version > BITMAP_VERSION_CLUSTER)
		return -EPROTO;
	/* the kernel refuses chunks below 512 bytes or not a power of two */
	if (b.chunksize < 512 || (b.chunksize & (b.chunksize - 1)))
		return -EINVAL;
	/* 64 MiB of bits (an exabyte at 64 MiB chunks) is more than any kernel writes */
	if (bitmap_bits(b.sync_size, b.chunksize) > BITMAP_MAX_BITS)
		return -EINVAL;
	return 0;
}

const char *bitmap_strerror(int rc)
{
	switch (rc) {
	case -ENOENT:
		return "no bitmap superblock (bad magic)";
	case -EPROTO:
		return "unknown bitmap version";
	case -EINVAL:
		return "impossible chunk size or sync size";
	case -ENODATA:
		return "no internal bitmap";
	case -ERANGE:
		return "the bitmap lies outside the device";
	default:
		return strerror(rc < 0 ? -rc : rc);
	}
}

uint64_t bitmap_count_dirty(const uint8_t *bits, size_t bytes, uint64_t nbits)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < nbits && i / 8 < bytes; i++)
		n += (bits[i / 8] >> (i % 8)) & 1;
	return n;
}

int bitmap_plan_internal(int minor, uint64_t size_sectors, uint64_t room_sectors,
			 struct bitmap_plan *out)
{
	uint64_t max_bits;
	uint32_t chunk = BITMAP_DEFAULT_CHUNK;

	memset(out, 0, sizeof(*out));
	if (minor < 0 || minor > 2 || !size_sectors)
		return -EINVAL;
	if (room_sectors > ROOM_LIMIT_SECTORS)
		room_sectors = ROOM_LIMIT_SECTORS;
	if (room_sectors < 1)
		return -ENOSPC;
	max_bits = (room_sectors * 512 - BITMAP_SB_BYTES) * 8;
	while (bitmap_bits(size_sectors, chunk) > max_bits) {
		if (chunk >= (1u << 31))
			return -ENOSPC;
		chunk <<= 1;
	}
	out->chunksize = chunk;
	out->bits = bitmap_bits(size_sectors, chunk);
	out->sectors = bitmap_sectors(out->bits);
	/* 1.0: below the superblock, under the 8-sector bad-block log */
	out->offset = minor == 0 ? -(int32_t)(out->sectors + 8) : 8;
	return 0;
}

/* The bitmap area [start, start + len) lies on the device and off the data and superblock. */
static int area_ok(const struct sb1_dev *d, int64_t start, uint64_t len)
{
	const struct sb1_info *s = &d->info;
	uint64_t end;

	if (start < 0)
		return 0;
	end = (uint64_t)start + len;
	if (end > d->dev_sectors)
		return 0;
	if ((uint64_t)start < s->data_offset + s->data_size && end > s->data_offset)
		return 0;
	return !((uint64_t)start < d->sb_sector + 8 && end > d->sb_sector);
}

int bitmap_write_new(int fd, const struct sb1_dev *d, const struct bitmap_info *in,
		     const struct bitmap_plan *plan)
{
	int64_t start = (int64_t)d->sb_sector + d->info.bitmap_offset;
	size_t bytes = (size_t)plan->sectors * 512;
	uint8_t *buf, *back;
	int rc;

	if (!(d->info.feature_map & SB1_FEAT_BITMAP_OFFSET) || !plan->sectors ||
	    plan->sectors > (1u << 20))
		return -EINVAL;
	if (!area_ok(d, start, plan->sectors))
		return -ERANGE;
	buf = malloc(2 * bytes);
	if (!buf)
		return -ENOMEM;
	back = buf + bytes;
	/* every chunk dirty: the kernel clears what it finds in sync */
	memset(buf, 0xff, bytes);
	bitmap_encode(in, buf);
	rc = sb1_pwrite(fd, buf, bytes, (uint64_t)start * 512);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (!rc)
		rc = sb1_pread_fresh(fd, back, bytes, (uint64_t)start * 512);
	if (!rc && memcmp(buf, back, bytes))
		rc = -EIO;
	free(buf);
	return rc;
}

int bitmap_load(int fd, const struct sb1_dev *d, int with_bits, struct bitmap_dev *out)
{
	int64_t start = (int64_t)d->sb_sector + d->info.bitmap_offset;
	uint8_t sb[BITMAP_SB_BYTES];
	uint8_t *bits;
	size_t bytes;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(d->info.feature_map & SB1_FEAT_BITMAP_OFFSET) ||
	    (d->info.feature_map & SB1_FEAT_PPL))
		return -ENODATA;
	if (start < 0 || (uint64_t)start + 1 > d->dev_sectors)
		return -ERANGE;
	out->at = (uint64_t)start;
	rc = sb1_pread_fresh(fd, sb, sizeof(sb), (uint64_t)start * 512);
	if (rc)
		return rc;
	/* decoded even when refused: the caller may name what is wrong */
	bitmap_decode(sb, &out->info);
	out->bits = bitmap_bits(out->info.sync_size, out->info.chunksize);
	rc = bitmap_check(sb);
	if (rc)
		return rc;
	if (!with_bits)
		return 0;
	if ((uint64_t)start + bitmap_sectors(out->bits) > d->dev_sectors)
		return -ERANGE;
	bytes = (size_t)((out->bits + 7) / 8);
	bits = malloc(BITMAP_SB_BYTES + bytes);
	if (!bits)
		return -ENOMEM;
	rc = sb1_pread_fresh(fd, bits, BITMAP_SB_BYTES + bytes, (uint64_t)start * 512);
	if (!rc)
		out->dirty = bitmap_count_dirty(bits + BITMAP_SB_BYTES, bytes, out->bits);
	free(bits);
	return rc;
}
