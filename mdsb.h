/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdsb.h: every place an md superblock can sit on a device (0.90, 1.0, 1.1, 1.2): what is there, and erasing it. */
#ifndef MDCTL_MDSB_H
#define MDCTL_MDSB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The four native md superblock formats, each at its own place. */
enum mdsb_version {
	MDSB_V090,      /* last 64 KiB-aligned 64 KiB of the device */
	MDSB_V10,       /* 8 to 12 KiB before the end */
	MDSB_V11,       /* sector 0 */
	MDSB_V12,       /* 4 KiB from the start */
	MDSB_NVERSIONS,
};

/* What a location holds. */
enum mdsb_state {
	MDSB_ABSENT,     /* no md magic */
	MDSB_VALID,      /* a superblock its own checks accept */
	MDSB_DAMAGED,    /* the magic, but the superblock fails its checks */
	MDSB_UNREADABLE, /* the read failed */
};

/* The bytes an md superblock occupies at its location (0.90's whole size; 1.x as the kernel reads). */
#define MDSB_BYTES 4096u

/* 0.90's magic as read little-endian from a superblock written on a big-endian host. */
#define MDSB_MAGIC_SWAPPED 0xfc4e2ba9u

/* struct mdsb_loc - one location and what it holds. */
struct mdsb_loc {
	enum mdsb_version version;
	uint64_t sector;
	enum mdsb_state state;
	int err;                  /* DAMAGED: the check's -errno; UNREADABLE: the read's */
};

/** mdsb_version_name() - "0.90", "1.0", "1.1" or "1.2". */
const char *mdsb_version_name(enum mdsb_version v);

/**
 * mdsb_parse_version() - a --metadata value naming one location: "0.90"
 * (also "0", "00.90"), "1.0", "1.1", "1.2".  Return 0 or -EINVAL ("1" and
 * "default" name several places and are refused here).
 */
int mdsb_parse_version(const char *s, enum mdsb_version *v);

/**
 * mdsb_sector() - where a v superblock starts on a device of dev_sectors;
 * UINT64_MAX when the device is too small to hold one (1.x: < 24 sectors,
 * 0.90: < 256).
 */
uint64_t mdsb_sector(enum mdsb_version v, uint64_t dev_sectors);

/**
 * mdsb_check_090() - validate a 4 KiB buffer read at the 0.90 location:
 * 0 valid, -ENOENT no magic, -EPROTO written on a host of the other byte
 * order or major_version not 0, -EBADMSG checksum mismatch.
 */
int mdsb_check_090(const void *buf);

/**
 * mdsb_classify() - what buf (MDSB_BYTES read at v's location of a device
 * of dev_sectors) holds; *err gets the check's -errno for MDSB_DAMAGED.
 */
enum mdsb_state mdsb_classify(enum mdsb_version v, const void *buf, uint64_t dev_sectors,
			      int *err);

/**
 * mdsb_scan() - read every location that fits on fd and classify it, in
 * enum order; *n gets how many were filled.  Return 0 or -errno (the
 * device's size cannot be read; a location that cannot be read is
 * MDSB_UNREADABLE, not an error).
 */
int mdsb_scan(int fd, struct mdsb_loc out[MDSB_NVERSIONS], unsigned *n);

/**
 * mdsb_scan_known() - mdsb_scan() when the caller has already read the
 * known_len bytes at byte offset known_at below the page cache (known): a
 * location wholly inside them is classified from known, not read again.
 */
int mdsb_scan_known(int fd, struct mdsb_loc out[MDSB_NVERSIONS], unsigned *n, uint64_t known_at,
		    size_t known_len, const void *known);

/**
 * mdsb_erase() - write zeros over the MDSB_BYTES at l and fsync.  Unless
 * force, the location is read again first and must still hold the md
 * magic (-ESTALE otherwise: nothing written).  The zeros are read back
 * (-EIO when they did not stick).  Return 0 or -errno.
 */
int mdsb_erase(int fd, const struct mdsb_loc *l, bool force);

#endif
