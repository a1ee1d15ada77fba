// SPDX-License-Identifier: GPL-2.0-or-later
/* super1.c: the md 1.0/1.1/1.2 superblock: locate, check, checksum, decode, encode, write. */
#include "super1.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SB1_FIXED 256u
#define OFF(f) offsetof(struct md_sb1, f)
#define ROUND_UP(x, a) ((((x) + (a) - 1) / (a)) * (a))

/* ---- little-endian accessors over the raw buffer (never swap in place) ---- */

static uint16_t get16(const void *buf, size_t off)
{
	uint16_t v;

	memcpy(&v, (const unsigned char *)buf + off, sizeof(v));
	return le16toh(v);
}

static uint32_t get32(const void *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, (const unsigned char *)buf + off, sizeof(v));
	return le32toh(v);
}

static uint64_t get64(const void *buf, size_t off)
{
	uint64_t v;

	memcpy(&v, (const unsigned char *)buf + off, sizeof(v));
	return le64toh(v);
}

static void put16(void *buf, size_t off, uint16_t v)
{
	v = htole16(v);
	memcpy((unsigned char *)buf + off, &v, sizeof(v));
}

static void put32(void *buf, size_t off, uint32_t v)
{
	v = htole32(v);
	memcpy((unsigned char *)buf + off, &v, sizeof(v));
}

static void put64(void *buf, size_t off, uint64_t v)
{
	v = htole64(v);
	memcpy((unsigned char *)buf + off, &v, sizeof(v));
}

/* Bytes the kernel checksums and writes: the fixed part plus the roles. */
static size_t sb_bytes(uint32_t max_dev)
{
	return SB1_FIXED + 2u * (size_t)max_dev;
}

uint64_t sb1_location(int minor, uint64_t dev_sectors)
{
	if (dev_sectors < 24)
		return UINT64_MAX;
	switch (minor) {
	case 0:
		/* 8 KiB to 12 KiB before the end, 4 KiB aligned */
		return (dev_sectors - 16) & ~(uint64_t)7;
	case 1:
		return 0;
	case 2:
		return 8;
	default:
		return UINT64_MAX;
	}
}

uint32_t sb1_checksum(const void *buf)
{
	const unsigned char *p = buf;
	uint32_t max_dev = get32(buf, OFF(max_dev));
	size_t size, off;
	uint64_t sum = 0;

	if (max_dev > SB1_MAX_DEV)
		max_dev = SB1_MAX_DEV;
	size = sb_bytes(max_dev);
	for (off = 0; off + 4 <= size; off += 4) {
		/* the stored checksum counts as zero */
		if (off == OFF(sb_csum))
			continue;
		sum += get32(p, off);
	}
	if (size - off == 2)
		sum += get16(p, off);
	return (uint32_t)((sum & 0xffffffffu) + (sum >> 32));
}

/* minor version from where the superblock says it lives, as mdadm derives it */
static int minor_from_offset(uint64_t super_offset)
{
	if (super_offset <= 4)
		return 1;
	if (super_offset <= 8)
		return 2;
	return 0;
}

static int padding_is_zero(const void *buf)
{
	const unsigned char *p = buf;

	if (get32(buf, OFF(pad0)))
		return 0;
	for (size_t i = OFF(pad3); i < SB1_FIXED; i++)
		if (p[i])
			return 0;
	return 1;
}

/**
 * sb1_range_field() - the first geometry field of a superblock that cannot
 * be true, or NULL when the geometry is possible (sb1_check()'s -ERANGE).
 * @buf: the superblock bytes (magic, max_dev and super_offset already checked)
 * @sb_sector: where it was found
 * @dev_sectors: the device's size, 0 when unknown
 *
 * Return: "data_size", "data_offset", "new_offset", "size",
 * "super_offset" (the superblock runs past the end) or NULL.
 */
const char *sb1_range_field(const void *buf, uint64_t sb_sector, uint64_t dev_sectors)
{
	uint64_t data_offset = get64(buf, OFF(data_offset));
	uint64_t data_size = get64(buf, OFF(data_size));
	uint64_t sb_end = sb_sector + ROUND_UP(sb_bytes(get32(buf, OFF(max_dev))), 512) / 512;

	if (data_size < 10)
		return "data_size";
	if (data_offset + data_size < data_offset)
		return "data_offset";
	if (minor_from_offset(sb_sector) != 0) {
		/* 1.1/1.2: data follows the superblock */
		if (data_offset < sb_end)
			return "data_offset";
		if (get32(buf, OFF(feature_map)) & SB1_FEAT_NEW_OFFSET) {
			int64_t delta = (int32_t)get32(buf, OFF(new_offset));
			uint64_t n;

			if (delta < 0 && (uint64_t)(-delta) > data_offset)
				return "new_offset";
			n = data_offset + (uint64_t)delta; /* wraps back for a negative delta */
			if (n < sb_end || (delta > 0 && n < data_offset))
				return "new_offset";
		}
		if (dev_sectors && data_offset + data_size > dev_sectors)
			return "data_size";
	} else {
		/* 1.0: data (from data_offset on) lies before the superblock */
		if (data_size > sb_sector)
			return "data_size";
		if (data_offset + data_size > sb_sector)
			return "data_offset";
	}
	/* each member gives size sectors to the array; it cannot give more than it holds */
	if (get64(buf, OFF(size)) > data_size)
		return "size";
	if (dev_sectors && sb_end > dev_sectors)
		return "super_offset";
	return NULL;
}

int sb1_check(const void *buf, uint64_t sb_sector, uint64_t dev_sectors)
{
	uint32_t features, max_dev;
	int32_t level;

	if (get32(buf, OFF(magic)) != SB1_MAGIC)
		return -ENOENT;
	if (get32(buf, OFF(major_version)) != 1)
		return -EPROTO;
	max_dev = get32(buf, OFF(max_dev));
	/* the roles must fit in the 4 KiB that was read */
	if (max_dev > SB1_MAX_DEV)
		return -E2BIG;
	/* a superblock copied to another place (or a 1.x sb seen at the wrong probe) */
	if (get64(buf, OFF(super_offset)) != sb_sector)
		return -ESPIPE;
	features = get32(buf, OFF(feature_map));
	/* an unknown bit is a feature we cannot honour: refuse rather than guess */
	if (features & ~SB1_FEAT_ALL)
		return -EOPNOTSUPP;
	if (sb1_checksum(buf) != get32(buf, OFF(sb_csum)))
		return -EBADMSG;
	/* non-zero padding may be a newer feature; refuse as the kernel does */
	if (!padding_is_zero(buf))
		return -ENOTEMPTY;
	/* combinations the kernel refuses in super_1_validate */
	level = (int32_t)get32(buf, OFF(level));
	if ((features & SB1_FEAT_PPL) &&
	    (features & (SB1_FEAT_BITMAP_OFFSET | SB1_FEAT_JOURNAL | SB1_FEAT_MULTIPLE_PPLS)))
		return -EILSEQ;
	if ((features & SB1_FEAT_RAID0_LAYOUT) && level != 0)
		return -EILSEQ;
	/* a recorded bad-block list needs a log the kernel can read (one page) */
	if (features & SB1_FEAT_BAD_BLOCKS) {
		if (get32(buf, OFF(bblog_offset)) == 0 || get16(buf, OFF(bblog_size)) > 8)
			return -EUCLEAN;
	}
	if (sb1_range_field(buf, sb_sector, dev_sectors))
		return -ERANGE;
	return 0;
}

const char *sb1_strerror(int rc)
{
	switch (rc) {
	case 0:
		return "valid superblock";
	case -ENOENT:
		return "no md superblock";
	case -EPROTO:
		return "unsupported major version (not 1)";
	case -E2BIG:
		return "max_dev out of range (more than 1920 roles)";
	case -ESPIPE:
		return "super_offset does not match where the superblock was found";
	case -EOPNOTSUPP:
		return "unknown feature bits";
	case -EBADMSG:
		return "superblock checksum mismatch";
	case -ENOTEMPTY:
		return "non-zero padding";
	case -EILSEQ:
		return "feature combination the kernel refuses";
	case -EUCLEAN:
		return "bad blocks recorded but the bad-block log is missing or too large";
	case -ERANGE:
		return "data_offset/data_size outside the device";
	case -ESTALE:
		return "superblock changed on the device since it was read";
	case -EIO:
		return "superblock read back differs from what was written";
	case -ENOSPC:
		return "device too small";
	case -ENOTBLK:
		return "not a block device or regular file";
	default:
		return strerror(rc < 0 ? -rc : rc);
	}
}

void sb1_decode(const void *buf, struct sb1_info *out)
{
	uint64_t t;
	uint32_t n;

	memset(out, 0, sizeof(*out));
	out->minor = minor_from_offset(get64(buf, OFF(super_offset)));
	out->feature_map = get32(buf, OFF(feature_map));
	memcpy(out->set_uuid, (const unsigned char *)buf + OFF(set_uuid), 16);
	memcpy(out->set_name, (const unsigned char *)buf + OFF(set_name), 32);
	out->set_name[32] = '\0';
	t = get64(buf, OFF(ctime));
	out->ctime_sec = t & SB1_TIME_SEC_MASK;
	out->ctime_usec = t >> 40;
	out->level = (int32_t)get32(buf, OFF(level));
	out->layout = get32(buf, OFF(layout));
	out->size = get64(buf, OFF(size));
	out->chunksize = get32(buf, OFF(chunksize));
	out->raid_disks = get32(buf, OFF(raid_disks));
	out->bitmap_offset = (int32_t)get32(buf, OFF(bitmap_offset));
	out->ppl_offset = (int16_t)get16(buf, OFF(bitmap_offset));
	out->ppl_size = get16(buf, OFF(bitmap_offset) + 2);
	out->new_level = get32(buf, OFF(new_level));
	out->reshape_position = get64(buf, OFF(reshape_position));
	out->delta_disks = (int32_t)get32(buf, OFF(delta_disks));
	out->new_layout = get32(buf, OFF(new_layout));
	out->new_chunk = get32(buf, OFF(new_chunk));
	out->new_offset = (int32_t)get32(buf, OFF(new_offset));
	out->data_offset = get64(buf, OFF(data_offset));
	out->data_size = get64(buf, OFF(data_size));
	out->super_offset = get64(buf, OFF(super_offset));
	out->recovery_offset = get64(buf, OFF(recovery_offset));
	out->dev_number = get32(buf, OFF(dev_number));
	out->cnt_corrected_read = get32(buf, OFF(cnt_corrected_read));
	memcpy(out->device_uuid, (const unsigned char *)buf + OFF(device_uuid), 16);
	out->devflags = ((const unsigned char *)buf)[OFF(devflags)];
	out->bblog_shift = ((const unsigned char *)buf)[OFF(bblog_shift)];
	out->bblog_size = get16(buf, OFF(bblog_size));
	out->bblog_offset = (int32_t)get32(buf, OFF(bblog_offset));
	t = get64(buf, OFF(utime));
	out->utime_sec = t & SB1_TIME_SEC_MASK;
	out->utime_usec = t >> 40;
	out->events = get64(buf, OFF(events));
	out->resync_offset = get64(buf, OFF(resync_offset));
	out->sb_csum = get32(buf, OFF(sb_csum));
	out->max_dev = get32(buf, OFF(max_dev));
	out->logical_block_size = get32(buf, OFF(logical_block_size));
	n = out->max_dev > SB1_MAX_DEV ? SB1_MAX_DEV : out->max_dev;
	for (uint32_t i = 0; i < SB1_MAX_DEV; i++)
		out->dev_roles[i] = i < n ? get16(buf, SB1_FIXED + 2 * i) : SB1_ROLE_SPARE;
}

/*
 * The feature bits the writer keeps.  feature_map is per device and must
 * agree with the fields it qualifies, so bits without their field are
 * dropped: RECOVERY_OFFSET only for a device holding a slot whose
 * recovery_offset is not MaxSector (otherwise it is in sync);
 * RECOVERY_BITMAP only together with RECOVERY_OFFSET; REPLACEMENT only for
 * a device holding a slot; NEW_OFFSET only with a non-zero new_offset;
 * BITMAP_OFFSET only with a non-zero bitmap_offset and never with PPL;
 * RAID0_LAYOUT only for level 0; BAD_BLOCKS only with a bad-block log
 * (offset and size non-zero).  The encoder never sets a bit on its own.
 */
static uint32_t rebuild_features(const struct sb1_info *in)
{
	uint32_t f = in->feature_map & SB1_FEAT_ALL;
	uint16_t role = sb1_role(in);
	int slot = role < SB1_ROLE_MAX;

	if (!slot || in->recovery_offset == SB1_MAX_SECTOR)
		f &= ~(uint32_t)SB1_FEAT_RECOVERY_OFFSET;
	if (!(f & SB1_FEAT_RECOVERY_OFFSET))
		f &= ~(uint32_t)SB1_FEAT_RECOVERY_BITMAP;
	if (!slot)
		f &= ~(uint32_t)SB1_FEAT_REPLACEMENT;
	if (!in->new_offset)
		f &= ~(uint32_t)SB1_FEAT_NEW_OFFSET;
	if (!in->bitmap_offset || (f & SB1_FEAT_PPL))
		f &= ~(uint32_t)SB1_FEAT_BITMAP_OFFSET;
	if (in->level != 0)
		f &= ~(uint32_t)SB1_FEAT_RAID0_LAYOUT;
	if (!in->bblog_offset || !in->bblog_size)
		f &= ~(uint32_t)SB1_FEAT_BAD_BLOCKS;
	return f;
}

int sb1_encode(const struct sb1_info *in, void *buf)
{
	unsigned char *p = buf;
	uint32_t f;

	if (in->max_dev == 0 || in->max_dev > SB1_MAX_DEV)
		return -EINVAL;
	memset(buf, 0, SB1_READ_SIZE);
	f = rebuild_features(in);
	put32(buf, OFF(magic), SB1_MAGIC);
	put32(buf, OFF(major_version), 1);
	put32(buf, OFF(feature_map), f);
	memcpy(p + OFF(set_uuid), in->set_uuid, 16);
	/* set_name is NUL padded, not necessarily terminated */
	memcpy(p + OFF(set_name), in->set_name, strnlen(in->set_name, 32));
	put64(buf, OFF(ctime), (in->ctime_sec & SB1_TIME_SEC_MASK) | (in->ctime_usec << 40));
	put32(buf, OFF(level), (uint32_t)in->level);
	put32(buf, OFF(layout), in->layout);
	put64(buf, OFF(size), in->size);
	put32(buf, OFF(chunksize), in->chunksize);
	put32(buf, OFF(raid_disks), in->raid_disks);
	if (f & (SB1_FEAT_PPL | SB1_FEAT_MULTIPLE_PPLS)) {
		put16(buf, OFF(bitmap_offset), (uint16_t)in->ppl_offset);
		put16(buf, OFF(bitmap_offset) + 2, in->ppl_size);
	} else if (f & SB1_FEAT_BITMAP_OFFSET) {
		put32(buf, OFF(bitmap_offset), (uint32_t)in->bitmap_offset);
	}
	if (f & SB1_FEAT_RESHAPE_ACTIVE) {
		put32(buf, OFF(new_level), in->new_level);
		put64(buf, OFF(reshape_position), in->reshape_position);
		put32(buf, OFF(delta_disks), (uint32_t)in->delta_disks);
		put32(buf, OFF(new_layout), in->new_layout);
		put32(buf, OFF(new_chunk), in->new_chunk);
	}
	if (f & SB1_FEAT_NEW_OFFSET)
		put32(buf, OFF(new_offset), (uint32_t)in->new_offset);
	put64(buf, OFF(data_offset), in->data_offset);
	put64(buf, OFF(data_size), in->data_size);
	put64(buf, OFF(super_offset), in->super_offset);
	put64(buf, OFF(recovery_offset), in->recovery_offset);
	put32(buf, OFF(dev_number), in->dev_number);
	put32(buf, OFF(cnt_corrected_read), in->cnt_corrected_read);
	memcpy(p + OFF(device_uuid), in->device_uuid, 16);
	p[OFF(devflags)] = in->devflags & (SB1_DEVFLAG_WRITEMOSTLY | SB1_DEVFLAG_FAILFAST);
	p[OFF(bblog_shift)] = in->bblog_shift;
	put16(buf, OFF(bblog_size), in->bblog_size);
	put32(buf, OFF(bblog_offset), (uint32_t)in->bblog_offset);
	put64(buf, OFF(utime), (in->utime_sec & SB1_TIME_SEC_MASK) | (in->utime_usec << 40));
	put64(buf, OFF(events), in->events);
	put64(buf, OFF(resync_offset), in->resync_offset);
	put32(buf, OFF(max_dev), in->max_dev);
	put32(buf, OFF(logical_block_size), in->logical_block_size);
	for (uint32_t i = 0; i < in->max_dev; i++)
		put16(buf, SB1_FIXED + 2 * i, in->dev_roles[i]);
	/* last: everything it covers is in place */
	put32(buf, OFF(sb_csum), sb1_checksum(buf));
	return (int)ROUND_UP(sb_bytes(in->max_dev), 512);
}

uint16_t sb1_role(const struct sb1_info *sb)
{
	if (sb->dev_number >= sb->max_dev || sb->dev_number >= SB1_MAX_DEV)
		return SB1_ROLE_SPARE;
	return sb->dev_roles[sb->dev_number];
}

const char *sb1_role_word(uint16_t role)
{
	switch (role) {
	case SB1_ROLE_SPARE:
		return "spare";
	case SB1_ROLE_FAULTY:
		return "faulty";
	case SB1_ROLE_JOURNAL:
		return "journal";
	default:
		return role < SB1_ROLE_MAX ? "slot" : "unknown";
	}
}

static const char *const feature_names[] = {
	"bitmap_offset", "recovery_offset", "reshape_active", "bad_blocks",
	"replacement", "reshape_backwards", "new_offset", "recovery_bitmap",
	"clustered", "journal", "ppl", "multiple_ppls", "raid0_layout",
};

const char *sb1_feature_name(uint32_t bit)
{
	for (unsigned i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (bit == (1u << i))
			return feature_names[i];
	return NULL;
}

const char *sb1_version_string(int minor)
{
	switch (minor) {
	case 0:
		return "1.0";
	case 1:
		return "1.1";
	case 2:
		return "1.2";
	default:
		return "1.?";
	}
}

int sb1_badblocks_decode(const void *log, size_t bytes, unsigned shift,
			 struct sb1_badblock *out, size_t max, size_t *n)
{
	size_t found = 0;

	*n = 0;
	if (bytes % 8 || shift > 63)
		return -EINVAL;
	for (size_t off = 0; off < bytes; off += 8) {
		uint64_t e = get64(log, off), start, len;

		if (e == UINT64_MAX)
			break;
		start = e >> 10;
		len = e & 0x3ff;
		/* a zero-length entry records nothing (an unwritten, zeroed log) */
		if (!len)
			continue;
		if (shift && (start > (UINT64_MAX >> shift) || len > (UINT64_MAX >> shift)))
			return -EINVAL;
		if (found < max) {
			out[found].sector = start << shift;
			out[found].len = len << shift;
		}
		found++;
	}
	*n = found;
	return 0;
}

/* mdadm's bitmap reservation for a device of devsize sectors (facts 1.6) */
static uint64_t choose_bm_space(uint64_t devsize)
{
	if (devsize < 64 * 2)
		return 0;
	if (devsize - 64 * 2 >= 200ull * 1024 * 1024 * 2)
		return 128 * 2;
	if (devsize - 4 * 2 > 8ull * 1024 * 1024 * 2)
		return 64 * 2;
	return 4 * 2;
}

int sb1_default_geometry(int minor, uint64_t dev_sectors, uint32_t chunk_kib,
			 struct sb1_geometry *out)
{
	uint64_t sb = sb1_location(minor, dev_sectors);
	uint64_t bmspace = choose_bm_space(dev_sectors);

	memset(out, 0, sizeof(*out));
	if (sb == UINT64_MAX)
		return dev_sectors < 24 ? -ENOSPC : -EINVAL;
	out->super_offset = sb;
	if (minor == 0) {
		/* bitmap space and the 8-sector log sit between data and superblock */
		uint64_t reserve = bmspace + 8;

		if (sb < reserve + 10)
			return -ENOSPC;
		out->data_offset = 0;
		out->data_size = sb - reserve;
		out->bblog_size = 8;
		out->bblog_offset = -8;
	} else {
		uint64_t headroom = 128 * 1024 * 2;
		uint64_t bblog_start;

		/*
		 * About 0.1% of the device, but keep at least two chunks: half
		 * the headroom (sectors) must still hold two chunks (2 * 2 *
		 * chunk_kib sectors).  mdadm 4.2 gives 4096 for 64 MiB members
		 * with 512 KiB chunks (seen in the VM), not 2048.
		 */
		while ((headroom << 10) > dev_sectors &&
		       (chunk_kib == 0 || headroom / 2 >= 4ull * chunk_kib))
			headroom >>= 1;
		out->data_offset = ROUND_UP(24 + bmspace + headroom, 2048);
		if (out->data_offset >= dev_sectors)
			return -ENOSPC;
		out->data_size = dev_sectors - out->data_offset;
		/* the log follows the bitmap space (bitmap at sb + 8), else ends at data */
		out->bblog_size = 8;
		bblog_start = sb + 8 + bmspace;
		if (bblog_start + 8 <= out->data_offset)
			out->bblog_offset = (int32_t)(8 + bmspace);
		else
			out->bblog_offset = (int32_t)(out->data_offset - 8 - sb);
	}
	if (out->data_size < 10 || out->data_size < 2ull * chunk_kib)
		return -ENOSPC;
	return 0;
}

/* min(end, base + off) for a metadata area at a signed offset before base */
static uint64_t lower_end(uint64_t end, uint64_t base, int32_t off)
{
	uint64_t back;

	if (off >= 0)
		return end;
	back = (uint64_t)(-(int64_t)off);
	if (back > base)
		return 0;
	return base - back < end ? base - back : end;
}

void sb1_unused_space(const struct sb1_info *sb, uint64_t dev_sectors,
		      uint64_t bitmap_sectors, uint64_t *before, uint64_t *after)
{
	/* mdadm counts the used size for redundant levels, the whole data area otherwise */
	uint64_t end_data = sb->data_offset + (sb->level > 0 ? sb->size : sb->data_size);

	if (sb->super_offset < sb->data_offset) {
		/* 1.1/1.2: the kernel keeps 36 KiB after the superblock for it */
		uint64_t earliest = sb->super_offset + 72;

		if ((sb->feature_map & SB1_FEAT_BITMAP_OFFSET) && sb->bitmap_offset > 0) {
			/* mdadm counts the bitmap end from sector 0, not from the superblock */
			uint64_t bmend = (uint64_t)sb->bitmap_offset + bitmap_sectors;

			if (bmend > earliest)
				earliest = bmend;
		}
		if (sb->bblog_offset > 0 && sb->bblog_size) {
			uint64_t bbend = sb->super_offset + (uint64_t)sb->bblog_offset + sb->bblog_size;

			if (bbend > earliest)
				earliest = bbend;
		}
		*before = earliest < sb->data_offset ? sb->data_offset - earliest : 0;
		*after = dev_sectors > end_data ? dev_sectors - end_data : 0;
	} else {
		/* 1.0: metadata after the data; the first of bitmap, log, superblock */
		uint64_t end = sb->super_offset;

		*before = sb->data_offset;
		if (sb->bblog_offset && sb->bblog_size)
			end = lower_end(end, sb->super_offset, sb->bblog_offset);
		if (sb->feature_map & SB1_FEAT_BITMAP_OFFSET)
			end = lower_end(end, sb->super_offset, sb->bitmap_offset);
		*after = end > end_data ? end - end_data : 0;
	}
}

/* ---- device I/O ---- */

int sb1_dev_size(int fd, uint64_t *sectors)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISREG(st.st_mode)) {
		*sectors = (uint64_t)st.st_size / 512;
		return 0;
	}
	if (S_ISBLK(st.st_mode)) {
		uint64_t bytes;

		if (ioctl(fd, BLKGETSIZE64, &bytes) < 0)
			return -errno;
		*sectors = bytes / 512;
		return 0;
	}
	return -ENOTBLK;
}

/* bytes read at off into buf (aligned for O_DIRECT), stopping early at the end */
static int read_upto(int fd, void *buf, size_t len, uint64_t off, size_t *got)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		done += (size_t)r;
	}
	*got = done;
	return 0;
}

/* read exactly len bytes at byte offset off; a short read is -EIO */
static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got;
	int rc = read_upto(fd, buf, len, off, &got);

	if (rc)
		return rc;
	return got == len ? 0 : -EIO;
}


/* O_DIRECT is on for fd: read the whole 4 KiB blocks around the span through an aligned buffer */
static int read_direct(int fd, void *buf, size_t len, uint64_t off)
{
	uint64_t start = off & ~(uint64_t)4095;
	size_t span = (size_t)(ROUND_UP(off + len, 4096) - start), got = 0;
	void *bounce = NULL;
	int rc = posix_memalign(&bounce, 4096, span) ? -ENOMEM : 0;

	if (!rc)
		rc = read_upto(fd, bounce, span, start, &got);
	if (!rc && got < (size_t)(off - start) + len)
		rc = -EINVAL; /* cut short: let the buffered read say what is there */
	if (!rc)
		memcpy(buf, (char *)bounce + (off - start), len);
	free(bounce);
	return rc;
}

int sb1_pread_fresh(int fd, void *buf, size_t len, uint64_t off)
{
	int fl = fcntl(fd, F_GETFL), rc = -EINVAL;

	/*
	 * The kernel writes member superblocks below the page cache, so a
	 * buffered read can return what was there before.  Read with O_DIRECT
	 * in whole 4 KiB blocks (on for the whole of sb1_load(), else for this
	 * read); where that is refused (tmpfs, odd alignment), drop the cached
	 * pages and read normally.
	 */
	if (fl >= 0 && (fl & O_DIRECT)) {
		rc = read_direct(fd, buf, len, off);
		if (rc != -EINVAL || fcntl(fd, F_SETFL, fl & ~O_DIRECT))
			return rc;
	} else if (fl >= 0 && fcntl(fd, F_SETFL, fl | O_DIRECT) == 0) {
		rc = read_direct(fd, buf, len, off);
		fcntl(fd, F_SETFL, fl);
	}
	if (rc != -EINVAL)
		return rc;
	posix_fadvise(fd, (off_t)off, (off_t)len, POSIX_FADV_DONTNEED);
	rc = read_at(fd, buf, len, off);
	if (fl >= 0 && (fl & O_DIRECT))
		fcntl(fd, F_SETFL, fl);
	return rc;
}

int sb1_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -EIO;
		done += (size_t)r;
	}
	return 0;
}

static int newer(const struct sb1_info *a, const struct sb1_info *b)
{
	if (a->ctime_sec != b->ctime_sec)
		return a->ctime_sec > b->ctime_sec;
	return a->ctime_usec > b->ctime_usec;
}

int sb1_load(int fd, int minor, struct sb1_dev *out)
{
	static const int probe_all[] = { 1, 2, 0 };
	const int *probe = probe_all;
	size_t nprobe = 3;
	struct sb1_dev *cand;
	uint64_t dev_sectors;
	int rc, err = -ENOENT, found = 0, have_bad = 0, fl;
	bool restore = false, have_head = false;
	unsigned char head[2 * SB1_READ_SIZE];

	if (minor < -1 || minor > 2)
		return -EINVAL;
	rc = sb1_dev_size(fd, &dev_sectors);
	if (rc)
		return rc;
	if (minor >= 0) {
		probe = &probe_all[minor == 1 ? 0 : minor == 2 ? 1 : 2];
		nprobe = 1;
	}
	cand = malloc(sizeof(*cand));
	if (!cand)
		return -ENOMEM;
	/* O_DIRECT once for every probe rather than set and cleared around each read */
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && !(fl & O_DIRECT) && fcntl(fd, F_SETFL, fl | O_DIRECT) == 0)
		restore = true;
	/* 1.1 (sector 0) and 1.2 (sector 8) lie side by side: one read for both */
	if (nprobe == 3 && dev_sectors >= 24 &&
	    sb1_pread_fresh(fd, head, sizeof(head), 0) == 0)
		have_head = true;
	for (size_t i = 0; i < nprobe; i++) {
		uint64_t sb = sb1_location(probe[i], dev_sectors);

		if (sb == UINT64_MAX)
			continue;
		if (have_head && sb * 512 + SB1_READ_SIZE <= sizeof(head)) {
			memcpy(cand->raw, head + sb * 512, SB1_READ_SIZE);
			rc = 0;
		} else {
			rc = sb1_pread_fresh(fd, cand->raw, SB1_READ_SIZE, sb * 512);
		}
		if (rc) {
			/* an unreadable device is worth saying, not "no superblock" */
			if (err == -ENOENT)
				err = rc;
			continue;
		}
		rc = sb1_check(cand->raw, sb, dev_sectors);
		if (rc) {
			if (rc != -ENOENT && !have_bad) {
				/* keep the first damaged one for the caller's message */
				err = rc;
				have_bad = 1;
				if (!found) {
					memcpy(out->raw, cand->raw, SB1_READ_SIZE);
					out->minor = probe[i];
					out->sb_sector = sb;
					out->dev_sectors = dev_sectors;
				}
			}
			continue;
		}
		cand->minor = probe[i];
		cand->sb_sector = sb;
		cand->dev_sectors = dev_sectors;
		sb1_decode(cand->raw, &cand->info);
		if (!found || newer(&cand->info, &out->info))
			memcpy(out, cand, sizeof(*cand));
		found = 1;
	}
	if (restore)
		fcntl(fd, F_SETFL, fl);
	free(cand);
	return found ? 0 : err;
}

int sb1_load_badblocks(int fd, const struct sb1_dev *d, struct sb1_badblock **list, size_t *n)
{
	const struct sb1_info *s = &d->info;
	size_t bytes, cnt;
	int64_t start;
	void *log;
	int rc;

	*list = NULL;
	*n = 0;
	/* the kernel reads the log only when bad blocks are recorded */
	if (!(s->feature_map & SB1_FEAT_BAD_BLOCKS) || !s->bblog_offset || !s->bblog_size)
		return 0;
	start = (int64_t)d->sb_sector + s->bblog_offset;
	bytes = (size_t)s->bblog_size * 512;
	if (start < 0 || (uint64_t)start + s->bblog_size > d->dev_sectors)
		return -ERANGE;
	log = malloc(bytes);
	if (!log)
		return -ENOMEM;
	rc = sb1_pread_fresh(fd, log, bytes, (uint64_t)start * 512);
	if (!rc)
		rc = sb1_badblocks_decode(log, bytes, s->bblog_shift, NULL, 0, &cnt);
	if (!rc && cnt) {
		*list = calloc(cnt, sizeof(**list));
		if (!*list)
			rc = -ENOMEM;
		else
			rc = sb1_badblocks_decode(log, bytes, s->bblog_shift, *list, cnt, n);
	}
	free(log);
	if (rc) {
		free(*list);
		*list = NULL;
		*n = 0;
	}
	return rc;
}

/* The log must lie on the device and clear of the data area. */
static int bblog_placement_ok(const struct sb1_info *s, uint64_t dev_sectors)
{
	int64_t start = (int64_t)s->super_offset + s->bblog_offset;
	uint64_t end;

	if (start < 0)
		return 0;
	end = (uint64_t)start + s->bblog_size;
	if (end > dev_sectors)
		return 0;
	if ((uint64_t)start < s->data_offset + s->data_size && end > s->data_offset)
		return 0;
	/* nor may it share the superblock's 4 KiB block */
	if ((uint64_t)start < s->super_offset + SB1_READ_SIZE / 512 && end > s->super_offset)
		return 0;
	return 1;
}

/*
 * Encode, validate as the kernel would, optionally initialise an empty
 * bad-block log, read-modify-write the 4 KiB block, fsync, drop the cached
 * copy, re-read and compare.  Nothing is written when validation fails.
 * On success d->raw and d->info hold what is now on the device.
 *
 * WRITE_NO_FLUSH, for a spare ADD_NEW_DISK hands to an array at once: the
 * log and the block go to the device together (sync_file_range(): written
 * back and waited for, both in one round trip), with no flush and no
 * read-back.  The kernel reads the block back on the add, refusing a bad
 * one, and writes it anew with a flush when the array takes the disk.
 * Where sync_file_range() is refused, fsync and read-back as usual.
 */
#define WRITE_LOG 1        /* initialise an empty bad-block log */
#define WRITE_NO_FLUSH 2

/* The block at d's place and, with log, the log: written back to the device and waited for. */
static bool written_back(int fd, const struct sb1_dev *d, bool log)
{
	int64_t lo = (int64_t)d->sb_sector * 512, hi = lo + SB1_READ_SIZE;
	const unsigned flags = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
			       SYNC_FILE_RANGE_WAIT_AFTER;

	if (log && d->info.bblog_size && d->info.bblog_offset) {
		int64_t at = ((int64_t)d->sb_sector + d->info.bblog_offset) * 512;

		lo = at < lo ? at : lo;
		hi = at + d->info.bblog_size * 512 > hi ? at + d->info.bblog_size * 512 : hi;
	}
	if (sync_file_range(fd, lo, hi - lo, flags))
		return false;
	/* md writes below the page cache from now on: keep no copy to go stale */
	posix_fadvise(fd, (off_t)lo, (off_t)(hi - lo), POSIX_FADV_DONTNEED);
	return true;
}
static int write_block(int fd, struct sb1_dev *d, const unsigned char *current, int how)
{
	int init_log = how & WRITE_LOG;
	unsigned char *buf, *back;
	int len, rc;

	buf = malloc(2 * SB1_READ_SIZE);
	if (!buf)
		return -ENOMEM;
	back = buf + SB1_READ_SIZE;
	len = sb1_encode(&d->info, buf);
	if (len < 0) {
		rc = len;
		goto out;
	}
	/* refuse to write what the kernel would refuse to load */
	rc = sb1_check(buf, d->sb_sector, d->dev_sectors);
	if (rc)
		goto out;
	/* keep whatever follows the roles in the same 4 KiB block */
	memcpy(buf + len, current + len, SB1_READ_SIZE - (size_t)len);
	if (init_log && d->info.bblog_size && d->info.bblog_offset) {
		/* an empty log is all ones, as the kernel leaves unused entries */
		size_t bytes = (size_t)d->info.bblog_size * 512;
		unsigned char *empty = malloc(bytes);

		if (!empty) {
			rc = -ENOMEM;
			goto out;
		}
		memset(empty, 0xff, bytes);
		rc = sb1_pwrite(fd, empty, bytes,
			      (uint64_t)((int64_t)d->sb_sector + d->info.bblog_offset) * 512);
		free(empty);
		if (rc)
			goto out;
	}
	rc = sb1_pwrite(fd, buf, SB1_READ_SIZE, d->sb_sector * 512);
	if (rc)
		goto out;
	if ((how & WRITE_NO_FLUSH) && written_back(fd, d, init_log))
		goto done;
	if (fsync(fd) < 0) {
		rc = -errno;
		goto out;
	}
	posix_fadvise(fd, (off_t)(d->sb_sector * 512), SB1_READ_SIZE, POSIX_FADV_DONTNEED);
	rc = sb1_pread_fresh(fd, back, SB1_READ_SIZE, d->sb_sector * 512);
	if (rc)
		goto out;
	if (memcmp(buf, back, SB1_READ_SIZE)) {
		rc = -EIO;
		goto out;
	}
done:
	if (!rc) {
		memcpy(d->raw, buf, SB1_READ_SIZE);
		sb1_decode(d->raw, &d->info);
	}
out:
	free(buf);
	return rc;
}

/*
 * BAD_BLOCKS follows the log on the device: it stays set only when the
 * caller had it set and the log holds at least one extent; the writer never
 * sets it (only the kernel records bad blocks).
 */
static int sync_badblocks_bit(int fd, struct sb1_dev *d)
{
	struct sb1_badblock *list;
	size_t n;
	int rc;

	if (!(d->info.feature_map & SB1_FEAT_BAD_BLOCKS))
		return 0;
	if (!d->info.bblog_offset || !d->info.bblog_size) {
		d->info.feature_map &= ~(uint32_t)SB1_FEAT_BAD_BLOCKS;
		return 0;
	}
	rc = sb1_load_badblocks(fd, d, &list, &n);
	if (rc)
		return rc;
	free(list);
	if (!n)
		d->info.feature_map &= ~(uint32_t)SB1_FEAT_BAD_BLOCKS;
	return 0;
}

/* Another writer since d was read, or another member's superblock at the place? */
static int not_ours(const unsigned char *cur, const struct sb1_dev *d)
{
	return get32(cur, OFF(magic)) != SB1_MAGIC ||
	       memcmp(cur + OFF(set_uuid), d->raw + OFF(set_uuid), 16) ||
	       memcmp(cur + OFF(device_uuid), d->raw + OFF(device_uuid), 16) ||
	       get32(cur, OFF(dev_number)) != get32(d->raw, OFF(dev_number)) ||
	       get64(cur, OFF(events)) != get64(d->raw, OFF(events));
}

/* sb1_write() and, with fresh set, sb1_write_new(); known: the block now there, when read already. */
static int write_sb(int fd, struct sb1_dev *d, int fresh, const void *known, int no_flush)
{
	unsigned char *cur;
	uint64_t dev_sectors;
	int rc;

	rc = sb1_dev_size(fd, &dev_sectors);
	if (rc)
		return rc;
	if (sb1_location(d->minor, dev_sectors) != d->info.super_offset ||
	    (!fresh && d->info.super_offset != d->sb_sector))
		return -EINVAL;
	if (fresh) {
		d->sb_sector = d->info.super_offset;
		/* a new member starts with no recorded bad blocks */
		d->info.feature_map &= ~(uint32_t)SB1_FEAT_BAD_BLOCKS;
	}
	d->dev_sectors = dev_sectors;
	if (d->info.bblog_size && d->info.bblog_offset && !bblog_placement_ok(&d->info, dev_sectors))
		return -ERANGE;
	cur = malloc(SB1_READ_SIZE);
	if (!cur)
		return -ENOMEM;
	if (known)
		memcpy(cur, known, SB1_READ_SIZE);
	else
		rc = sb1_pread_fresh(fd, cur, SB1_READ_SIZE, d->sb_sector * 512);
	/*
	 * someone else (the kernel, another tool) wrote since we read it, or
	 * this is another member's superblock (same array, other device UUID
	 * or dev_number): never write one member's identity onto another
	 */
	if (!rc && !fresh && not_ours(cur, d))
		rc = -ESTALE;
	if (!rc && !fresh)
		rc = sync_badblocks_bit(fd, d);
	if (!rc)
		rc = write_block(fd, d, cur, (fresh ? WRITE_LOG : 0) | (no_flush ? WRITE_NO_FLUSH : 0));
	free(cur);
	return rc;
}

int sb1_write(int fd, struct sb1_dev *d)
{
	return write_sb(fd, d, 0, NULL, 0);
}

int sb1_write_new(int fd, struct sb1_dev *d)
{
	return write_sb(fd, d, 1, NULL, 0);
}

int sb1_write_new_over(int fd, struct sb1_dev *d, const void *current)
{
	return write_sb(fd, d, 1, current, 0);
}

int sb1_write_spare_over(int fd, struct sb1_dev *d, const void *current)
{
	return write_sb(fd, d, 1, current, 1);
}
