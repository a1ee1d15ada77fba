/* SPDX-License-Identifier: GPL-2.0-or-later */
/* super1.h: the md 1.0/1.1/1.2 on-disk superblock: layout, checks, decoding, writing. */
#ifndef MDCTL_SUPER1_H
#define MDCTL_SUPER1_H

#include <stddef.h>
#include <stdint.h>

/* Little-endian on-disk integers; convert with the accessors in super1.c. */
typedef uint16_t le16;
typedef uint32_t le32;
typedef uint64_t le64;

#define SB1_MAGIC        0xa92b4efcu
#define SB1_MAX_DEV      1920u        /* (4096 - 256) / 2 roles fit the 4 KiB read */
#define SB1_READ_SIZE    4096u
#define SB1_MAX_SECTOR   UINT64_MAX   /* "MaxSector": resync done, recovery done */
#define SB1_TIME_SEC_MASK ((1ull << 40) - 1)

#define SB1_ROLE_MAX     0xff00u      /* roles below are slot numbers */
#define SB1_ROLE_JOURNAL 0xfffdu
#define SB1_ROLE_FAULTY  0xfffeu
#define SB1_ROLE_SPARE   0xffffu

enum sb1_feature {
	SB1_FEAT_BITMAP_OFFSET = 1u << 0,
	SB1_FEAT_RECOVERY_OFFSET = 1u << 1,
	SB1_FEAT_RESHAPE_ACTIVE = 1u << 2,
	SB1_FEAT_BAD_BLOCKS = 1u << 3,
	SB1_FEAT_REPLACEMENT = 1u << 4,
	SB1_FEAT_RESHAPE_BACKWARDS = 1u << 5,
	SB1_FEAT_NEW_OFFSET = 1u << 6,
	SB1_FEAT_RECOVERY_BITMAP = 1u << 7,
	SB1_FEAT_CLUSTERED = 1u << 8,
	SB1_FEAT_JOURNAL = 1u << 9,
	SB1_FEAT_PPL = 1u << 10,
	SB1_FEAT_MULTIPLE_PPLS = 1u << 11,
	SB1_FEAT_RAID0_LAYOUT = 1u << 12,
};
#define SB1_FEAT_ALL 0x1fffu

#define SB1_DEVFLAG_WRITEMOSTLY 1u
#define SB1_DEVFLAG_FAILFAST    2u

/*
 * struct md_sb1 - the superblock exactly as on disk (little-endian).
 * Offsets in bytes from the superblock start; sizes in sectors unless said.
 */
struct md_sb1 {
	le32 magic;               /*   0 SB1_MAGIC */
	le32 major_version;       /*   4 must be 1 */
	le32 feature_map;         /*   8 SB1_FEAT_* (per device) */
	le32 pad0;                /*  12 must be 0 */
	uint8_t set_uuid[16];     /*  16 array UUID */
	char set_name[32];        /*  32 "homehost:name", NUL padded */
	le64 ctime;               /*  64 low 40 bits seconds, high 24 bits usec */
	le32 level;               /*  72 signed: -1 linear, 0,1,4,5,6,10 */
	le32 layout;              /*  76 */
	le64 size;                /*  80 used sectors per component */
	le32 chunksize;           /*  88 sectors */
	le32 raid_disks;          /*  92 */
	le32 bitmap_offset;       /*  96 signed sectors from sb; union ppl {le16 offset; le16 size} */
	le32 new_level;           /* 100 reshape fields valid with RESHAPE_ACTIVE */
	le64 reshape_position;    /* 104 array sectors */
	le32 delta_disks;         /* 112 signed */
	le32 new_layout;          /* 116 */
	le32 new_chunk;           /* 120 sectors */
	le32 new_offset;          /* 124 signed delta to data_offset */
	le64 data_offset;         /* 128 sector where data starts */
	le64 data_size;           /* 136 sectors of data on this device */
	le64 super_offset;        /* 144 sector of this superblock */
	le64 recovery_offset;     /* 152 sectors recovered (union journal_tail) */
	le32 dev_number;          /* 160 index into dev_roles */
	le32 cnt_corrected_read;  /* 164 */
	uint8_t device_uuid[16];  /* 168 */
	uint8_t devflags;         /* 184 SB1_DEVFLAG_* */
	uint8_t bblog_shift;      /* 185 bad-block unit = 2^shift sectors */
	le16 bblog_size;          /* 186 sectors reserved for the log */
	le32 bblog_offset;        /* 188 signed sectors from sb */
	le64 utime;               /* 192 as ctime */
	le64 events;              /* 200 */
	le64 resync_offset;       /* 208 SB1_MAX_SECTOR when clean */
	le32 sb_csum;             /* 216 */
	le32 max_dev;             /* 220 entries in dev_roles */
	le32 logical_block_size;  /* 224 newer kernels; 0 = unset */
	uint8_t pad3[28];         /* 228 must be 0 */
	le16 dev_roles[];         /* 256 role per dev_number */
};

_Static_assert(sizeof(struct md_sb1) == 256, "md_sb1 fixed part is 256 bytes");
_Static_assert(__builtin_offsetof(struct md_sb1, data_offset) == 128, "data section at 128");
_Static_assert(__builtin_offsetof(struct md_sb1, utime) == 192, "update section at 192");
_Static_assert(__builtin_offsetof(struct md_sb1, dev_roles) == 256, "roles at 256");

/*
 * struct sb1_info - a decoded superblock in host byte order.
 * minor is 0, 1 or 2 (1.0/1.1/1.2), derived from super_offset as mdadm does.
 */
struct sb1_info {
	int minor;
	uint32_t feature_map;
	uint8_t set_uuid[16];
	char set_name[33];            /* NUL-terminated copy */
	uint64_t ctime_sec, ctime_usec;
	int32_t level;
	uint32_t layout;
	uint64_t size;
	uint32_t chunksize;
	uint32_t raid_disks;
	int32_t bitmap_offset;        /* also ppl_offset (int16) / ppl_size (uint16) */
	int16_t ppl_offset;
	uint16_t ppl_size;
	uint32_t new_level;
	uint64_t reshape_position;
	int32_t delta_disks;
	uint32_t new_layout;
	uint32_t new_chunk;
	int32_t new_offset;
	uint64_t data_offset, data_size, super_offset;
	uint64_t recovery_offset;     /* full 64 bits */
	uint32_t dev_number;
	uint32_t cnt_corrected_read;
	uint8_t device_uuid[16];
	uint8_t devflags;
	uint8_t bblog_shift;
	uint16_t bblog_size;
	int32_t bblog_offset;
	uint64_t utime_sec, utime_usec;
	uint64_t events;
	uint64_t resync_offset;
	uint32_t sb_csum;
	uint32_t max_dev;
	uint32_t logical_block_size;
	uint16_t dev_roles[SB1_MAX_DEV];
};

/* One recorded bad-block extent, in 512-byte sectors. */
struct sb1_badblock {
	uint64_t sector;
	uint64_t len;
};

/** sb1_location() - superblock sector for 1.minor on a device of dev_sectors;
 * UINT64_MAX when the device is too small (< 24 sectors). */
uint64_t sb1_location(int minor, uint64_t dev_sectors);

/**
 * sb1_checksum() - the kernel's checksum over 256 + 2*max_dev bytes of buf,
 * computed as if sb_csum were zero.  max_dev is read from buf and clamped
 * to SB1_MAX_DEV.
 */
uint32_t sb1_checksum(const void *buf);

/**
 * sb1_check() - validate a 4 KiB buffer read at sb_sector of a device with
 * dev_sectors (0: size unknown, skip the end-of-device checks), in the
 * kernel's order.  Return:
 *   0 valid; -ENOENT no magic; -EPROTO major != 1; -E2BIG max_dev > 1920;
 *   -ESPIPE super_offset differs from sb_sector; -EOPNOTSUPP unknown feature
 *   bit; -EBADMSG checksum mismatch; -ENOTEMPTY non-zero padding (pad0,
 *   bytes 228..255; 224 is logical_block_size);
 *   -EILSEQ a feature combination the kernel refuses (PPL with bitmap,
 *   journal or multiple PPLs; RAID0_LAYOUT on a level other than 0);
 *   -EUCLEAN BAD_BLOCKS set but bblog_offset is 0, or the log is larger
 *   than 8 sectors (one page, the kernel's limit);
 *   -ERANGE data_size < 10, data (or new_offset) overlapping the
 *   superblock, or data_offset/data_size outside the device.
 */
int sb1_check(const void *buf, uint64_t sb_sector, uint64_t dev_sectors);
/**
 * sb1_range_field() - name the geometry field that makes sb1_check() return
 * -ERANGE ("data_offset", "data_size", "new_offset", "size", "super_offset"),
 * or NULL when the geometry is possible.
 */
const char *sb1_range_field(const void *buf, uint64_t sb_sector, uint64_t dev_sectors);
/** sb1_strerror() - the cause text for a sb1_check()/sb1_load() error. */
const char *sb1_strerror(int rc);

/** sb1_decode() - buffer to host-order fields (no validation; roles beyond
 * min(max_dev, 1920) read as SB1_ROLE_SPARE). */
void sb1_decode(const void *buf, struct sb1_info *out);
/**
 * sb1_encode() - host-order fields to a zeroed 4 KiB buffer: pads zero,
 * roles beyond max_dev not written (in->dev_roles[] up to max_dev are; keep
 * unused ones 0xffff), checksum computed last.  minor, sb_csum and the
 * ppl_* / bitmap_offset not selected by the features are ignored.
 * feature_map is rebuilt from in->feature_map, dropping any bit whose field
 * says otherwise: RECOVERY_OFFSET needs a slot role and recovery_offset !=
 * MaxSector; RECOVERY_BITMAP needs RECOVERY_OFFSET; REPLACEMENT needs a slot
 * role; NEW_OFFSET a non-zero new_offset; BITMAP_OFFSET a non-zero
 * bitmap_offset and no PPL; RAID0_LAYOUT level 0; BAD_BLOCKS a log
 * (bblog_offset and bblog_size non-zero).  No bit is ever added.
 * Return: bytes to write (256 + 2*max_dev rounded up to 512) or -EINVAL for
 * max_dev 0 or above 1920.
 */
int sb1_encode(const struct sb1_info *in, void *buf);

/** sb1_role() - this device's role: dev_roles[dev_number], or SPARE when out of range. */
uint16_t sb1_role(const struct sb1_info *sb);
/** sb1_feature_name() - "replacement", "recovery_offset", ... for one bit; NULL if unknown. */
const char *sb1_feature_name(uint32_t bit);
/**
 * sb1_role_word() - what a role value is: "spare", "faulty", "journal",
 * "slot" (below SB1_ROLE_MAX) or "unknown".
 */
const char *sb1_role_word(uint16_t role);

/** sb1_version_string() - "1.0", "1.1" or "1.2". */
const char *sb1_version_string(int minor);

/**
 * sb1_badblocks_decode() - decode a bad-block log (bytes long) with unit
 * 2^shift sectors, stopping at the all-ones terminator.  Writes up to max
 * extents to out and the total found to *n.  Return 0 or -EINVAL.
 */
int sb1_badblocks_decode(const void *log, size_t bytes, unsigned shift,
			 struct sb1_badblock *out, size_t max, size_t *n);

/*
 * struct sb1_geometry - where create puts things on one device.
 */
struct sb1_geometry {
	uint64_t super_offset;
	uint64_t data_offset;
	uint64_t data_size;
	int32_t bblog_offset;
	uint16_t bblog_size;
};
/**
 * sb1_default_geometry() - mdadm's defaults for 1.minor on dev_sectors with
 * chunk_kib (0 for levels without chunks).
 * 1.1/1.2: bitmap space 0/8/128/256 sectors by device size; headroom 128 MiB
 * halved while above 0.1% of the device and while half of it still holds
 * two chunks; data_offset = 24 + bitmap space + headroom rounded up to
 * 2048 sectors (1 MiB; 264192 on large disks, 2048 on small ones);
 * data_size = the rest of the device; an 8-sector bad-block log right after
 * the bitmap space (offset 8 + bitmap space, 16 on small disks), or ending
 * at data_offset when that does not fit.
 * 1.0: superblock at the end, data_offset 0, data_size = sb - bitmap space
 * - 8, the log at -8 (just before the superblock).
 * Return 0, -EINVAL for a bad minor, -ENOSPC when the device is too small
 * (data_size < 10 sectors or < two chunks).
 */
int sb1_default_geometry(int minor, uint64_t dev_sectors, uint32_t chunk_kib,
			 struct sb1_geometry *out);

/**
 * sb1_unused_space() - mdadm's "Unused Space" of a device of dev_sectors:
 * for 1.1/1.2 the sectors between the end of the metadata (superblock area
 * of 72 sectors, the bitmap of bitmap_sectors, the bad-block log) and
 * data_offset, and after the data; for 1.0 data_offset before and the gap
 * between the data and the first metadata after it.  "The data" ends at
 * data_offset + size (the used size) for levels above 0, at data_offset +
 * data_size for raid0/linear, as mdadm counts it.  Also as mdadm does, the
 * bitmap's end is bitmap_offset + bitmap_sectors counted from sector 0
 * (the log's end is counted from the superblock), so the output matches.
 */
void sb1_unused_space(const struct sb1_info *sb, uint64_t dev_sectors,
		      uint64_t bitmap_sectors, uint64_t *before, uint64_t *after);

/* ---- device I/O (thin) ---- */

/*
 * struct sb1_dev - a superblock as found on a device (or image file).
 */
struct sb1_dev {
	int minor;                    /* where it was found */
	uint64_t sb_sector;
	uint64_t dev_sectors;
	struct sb1_info info;
	unsigned char raw[SB1_READ_SIZE];
};

/**
 * sb1_pread_fresh() - read len bytes at byte offset off from the device
 * itself, not from a stale page cache (the kernel writes member
 * superblocks below it): O_DIRECT in 4 KiB blocks, else drop the cached
 * pages and read.  Every read in this library goes through it.
 * Return 0, -EIO on a short read, or -errno.
 */
int sb1_pread_fresh(int fd, void *buf, size_t len, uint64_t off);
/** sb1_pwrite() - write all of buf at byte offset off (EINTR retried); 0, -EIO on no progress, or -errno. */
int sb1_pwrite(int fd, const void *buf, size_t len, uint64_t off);
/** sb1_dev_size() - size of a block device or regular file in sectors. */
int sb1_dev_size(int fd, uint64_t *sectors);
/**
 * sb1_load() - find, check and decode the superblock on fd.  minor -1
 * probes 1.1, 1.2 and 1.0 and takes the valid one with the newest ctime.
 * Return 0, or the sb1_check() error of the first location that had a
 * magic (-ENOENT when none had; a read error when a location could not be
 * read and none had a magic).  On a check error, out->raw, minor, sb_sector
 * and dev_sectors describe that location (out->info is not filled), so the
 * caller can report details such as the stored and computed checksum.
 */
int sb1_load(int fd, int minor, struct sb1_dev *out);
/**
 * sb1_load_badblocks() - read and decode the bad-block log of a loaded
 * superblock.  *list is malloc'd (free it), *n entries; empty when the log
 * is absent or BAD_BLOCKS is clear (the kernel ignores the log then).
 * Return 0, -ERANGE when the log lies outside the device, a read error.
 */
int sb1_load_badblocks(int fd, const struct sb1_dev *d, struct sb1_badblock **list, size_t *n);
/**
 * sb1_write() - write d->info to the device at d->sb_sector (which must be
 * d->info.super_offset and the 1.d->minor location).  Refuses with -ESTALE
 * when the superblock now on the device has no magic or differs in set_uuid
 * or events from d->raw (someone else wrote it).  feature_map is rebuilt as
 * sb1_encode() does; BAD_BLOCKS is kept only when the log on the device
 * holds an extent.  The encoded block must pass sb1_check() (else that
 * error, nothing written).  Writes ROUND_UP(256 + 2*max_dev, 512) bytes as
 * a read-modify-write of the 4 KiB block, fsyncs, re-reads; -EIO if not
 * identical.  On success d->raw and d->info are what is on disk (bump
 * d->info.events yourself before writing, as the kernel does).
 */
int sb1_write(int fd, struct sb1_dev *d);
/**
 * sb1_write_new() - write a superblock where none is expected (create):
 * no staleness check, same validation and re-read verification.  d->minor
 * and d->info.super_offset must agree (-EINVAL); d->sb_sector and
 * d->dev_sectors are set here.  BAD_BLOCKS is cleared and the bad-block log
 * area (which must lie on the device, clear of the data and of the
 * superblock's 4 KiB: -ERANGE) is initialised empty (all ones).
 */
int sb1_write_new(int fd, struct sb1_dev *d);
/**
 * sb1_write_new_over() - sb1_write_new() when the caller has just read the
 * SB1_READ_SIZE bytes now at d->info.super_offset below the page cache
 * (current): they are not read again; what follows the roles in that block
 * is kept from current.
 */
int sb1_write_new_over(int fd, struct sb1_dev *d, const void *current);
/**
 * sb1_write_spare_over() - sb1_write_new_over() for a spare that
 * ADD_NEW_DISK hands to a running array right after, which takes it into a
 * slot at once: the block and its empty log written back to the device
 * together (sync_file_range), with no flush and no read-back.  The kernel
 * reads the block back on the add (refusing a bad one) and writes it anew,
 * flushed, when the array takes the disk.  Where that is refused, it
 * writes as sb1_write_new_over() does.
 */
int sb1_write_spare_over(int fd, struct sb1_dev *d, const void *current);

#endif
