/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bitmap.h: md's on-disk write-intent bitmap: its superblock, where create puts it, reading and writing it. */
#ifndef MDCTL_BITMAP_H
#define MDCTL_BITMAP_H

#include "super1.h"

#include <stddef.h>
#include <stdint.h>

#define BITMAP_MAGIC          0x6d746962u  /* "bitm" little-endian */
#define BITMAP_VERSION_LO     3u           /* host-endian bits (old) */
#define BITMAP_VERSION_HI     4u           /* little-endian bits: what mdadm and mdctl write */
#define BITMAP_VERSION_CLUSTER 5u          /* clustered md */
#define BITMAP_SB_BYTES       256u
#define BITMAP_MAX_BITS       (1ull << 29)
#define BITMAP_DEFAULT_CHUNK  (64u << 20)  /* bytes: mdadm's default for internal bitmaps */
#define BITMAP_DEFAULT_SLEEP  5u           /* seconds between flushes */
/* mdadm gives a new array an internal bitmap when members hold more than this (KiB) */
#define BITMAP_AUTO_MIN_KIB   (100ull * 1024 * 1024)

/* state bits, as the kernel keeps them in bitmap->flags */
#define BITMAP_STATE_STALE       (1u << 1)
#define BITMAP_STATE_WRITE_ERROR (1u << 2)
#define BITMAP_STATE_HOSTENDIAN  (1u << 15)

/*
 * struct md_bitmap_sb - the bitmap superblock exactly as on disk
 * (little-endian); the bits follow it, one per chunk, least significant
 * bit of each byte first.
 */
struct md_bitmap_sb {
	le32 magic;               /*   0 BITMAP_MAGIC */
	le32 version;             /*   4 3, 4 or 5 */
	uint8_t uuid[16];         /*   8 the array's set_uuid */
	le64 events;              /*  24 array events when last written */
	le64 events_cleared;      /*  32 events when a bit was last cleared */
	le64 sync_size;           /*  40 sectors covered (the component size) */
	le32 state;               /*  48 BITMAP_STATE_* */
	le32 chunksize;           /*  52 bytes per bit, a power of two */
	le32 daemon_sleep;        /*  56 seconds */
	le32 write_behind;        /*  60 outstanding write-behind writes allowed */
	le32 sectors_reserved;    /*  64 space kept for the bitmap (0: not recorded) */
	le32 nodes;               /*  68 cluster nodes */
	uint8_t cluster_name[64]; /*  72 */
	uint8_t pad[120];         /* 136 zero */
};

_Static_assert(sizeof(struct md_bitmap_sb) == BITMAP_SB_BYTES, "bitmap superblock is 256 bytes");
_Static_assert(__builtin_offsetof(struct md_bitmap_sb, sync_size) == 40, "sync_size at 40");
_Static_assert(__builtin_offsetof(struct md_bitmap_sb, cluster_name) == 72, "cluster_name at 72");

/* struct bitmap_info - a decoded bitmap superblock in host byte order. */
struct bitmap_info {
	uint32_t magic;
	uint32_t version;
	uint8_t uuid[16];
	uint64_t events;
	uint64_t events_cleared;
	uint64_t sync_size;
	uint32_t state;
	uint32_t chunksize;
	uint32_t daemon_sleep;
	uint32_t write_behind;
	uint32_t sectors_reserved;
	uint32_t nodes;
	char cluster_name[65];    /* NUL-terminated copy */
};

/** bitmap_decode() - a 256-byte buffer to host-order fields (no validation). */
void bitmap_decode(const void *buf, struct bitmap_info *out);

/**
 * bitmap_check() - is buf a bitmap superblock mdctl understands?
 * Return 0; -ENOENT no magic; -EPROTO a version other than 3..5;
 * -EINVAL a chunk size that is zero or not a power of two, or a bit count
 * (sync_size / chunk) above BITMAP_MAX_BITS.
 */
int bitmap_check(const void *buf);

/**
 * bitmap_encode() - host-order fields to a zeroed 256-byte buffer (padding
 * and cluster name beyond the string zero).
 */
void bitmap_encode(const struct bitmap_info *in, void *buf);

/** bitmap_bits() - chunks (bits) covering sync_size sectors at chunksize bytes; 0 when chunksize is 0. */
uint64_t bitmap_bits(uint64_t sync_size, uint32_t chunksize);

/** bitmap_sectors() - the space the superblock and bits take, rounded up to 4 KiB, in sectors. */
uint64_t bitmap_sectors(uint64_t bits);

/**
 * bitmap_count_dirty() - set bits among the first nbits of the bit area
 * (bytes long; bits beyond it count as clean).
 */
uint64_t bitmap_count_dirty(const uint8_t *bits, size_t bytes, uint64_t nbits);

/*
 * struct bitmap_plan - an internal bitmap for a new member, as mdadm lays
 * it out: where it goes (sectors from the superblock), its chunk and size.
 */
struct bitmap_plan {
	int32_t offset;           /* sb1 bitmap_offset */
	uint32_t chunksize;       /* bytes */
	uint64_t bits;
	uint64_t sectors;         /* space taken, 4 KiB multiple */
};

/**
 * bitmap_plan_internal() - mdadm's internal bitmap for component size
 * size_sectors on 1.minor: the default chunk (64 MiB, doubled until the
 * bits fit in room_sectors less the 256-byte header; room is at most 128
 * KiB as mdadm limits it), offset 8 (4 KiB after the superblock) for
 * 1.1/1.2, and for 1.0 just before the bad-block log that precedes the
 * superblock (-(sectors + 8)).  Return 0, -EINVAL for a bad minor or a
 * zero size, -ENOSPC when room_sectors holds no bitmap.
 */
int bitmap_plan_internal(int minor, uint64_t size_sectors, uint64_t room_sectors,
			 struct bitmap_plan *out);

/**
 * bitmap_write_new() - write a new internal bitmap for the superblock d
 * (d->info has BITMAP_OFFSET and its bitmap_offset; d->sb_sector set):
 * the superblock from in, then every bit of plan's space set (as mdadm
 * does: the kernel clears what is in sync), fsync, read back and compare.
 * The area must lie on the device and clear of the data (-ERANGE).
 * Return 0, -EIO when the read-back differs, or -errno.
 */
int bitmap_write_new(int fd, const struct sb1_dev *d, const struct bitmap_info *in,
		     const struct bitmap_plan *plan);

/*
 * struct bitmap_dev - a bitmap found through a member's superblock.
 */
struct bitmap_dev {
	uint64_t at;              /* sector of the bitmap superblock */
	struct bitmap_info info;
	uint64_t bits;            /* chunks */
	uint64_t dirty;           /* set bits */
};

/**
 * bitmap_load() - read the internal bitmap of the superblock d from fd:
 * its superblock (checked with bitmap_check()) and, when with_bits, the
 * bits to count the dirty ones.  out->info and out->bits are filled from
 * whatever superblock was read, also when it is refused.  Return 0;
 * -ENODATA when d has no internal bitmap; -ERANGE when it would lie outside the device; bitmap_check()'s
 * error; a read error.
 */
int bitmap_load(int fd, const struct sb1_dev *d, int with_bits, struct bitmap_dev *out);

/** bitmap_strerror() - the cause text for a bitmap_check()/bitmap_load() error. */
const char *bitmap_strerror(int rc);

#endif
