/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysfs.h: md sysfs reads, writes, change-waits and array snapshots under a redirectable root. */
#ifndef MDCTL_SYSFS_H
#define MDCTL_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYSFS_NONE UINT64_MAX  /* "none" in sync_completed, recovery_start, ... */

/*
 * Every path below is relative to a root ("/sys" normally, a temporary
 * tree in unit tests).  rel is e.g. "block/md0/md/array_state".
 * All return 0 or -errno; none prints.
 */

/** sysfs_read() - read an attribute into buf, one trailing newline stripped.
 * A value that fills the buffer is -EOVERFLOW. */
int sysfs_read(const char *root, const char *rel, char *buf, size_t len);
/** sysfs_read_u64() - an attribute holding one decimal number ("none" is SYSFS_NONE). */
int sysfs_read_u64(const char *root, const char *rel, uint64_t *out);
/** sysfs_write() - one write() of the whole string; a short write is -EIO. */
int sysfs_write(const char *root, const char *rel, const char *val);

/* Shorthands for block/<md>/md/<attr> and block/<md>/md/dev-<member>/<attr>. */
int sysfs_md_read(const char *root, const char *md, const char *attr, char *buf, size_t len);
int sysfs_md_read_u64(const char *root, const char *md, const char *attr, uint64_t *out);
int sysfs_md_write(const char *root, const char *md, const char *attr, const char *val);
int sysfs_dev_read(const char *root, const char *md, const char *member, const char *attr,
		   char *buf, size_t len);
int sysfs_dev_write(const char *root, const char *md, const char *member, const char *attr,
		    const char *val);

/**
 * sysfs_watch_open() - open an attribute for poll(): returns an fd (>= 0)
 * whose first read has been done, or -errno.  The caller polls it for
 * POLLPRI|POLLERR and calls sysfs_watch_read() after each wake.
 */
int sysfs_watch_open(const char *root, const char *rel);
/** sysfs_watch_read() - lseek to 0 and read the current value again. */
int sysfs_watch_read(int fd, char *buf, size_t len);
/** sysfs_wait_change() - poll one watch fd; 1 changed, 0 timeout, -errno. */
int sysfs_wait_change(int fd, int timeout_ms);

/* Member state flags, parsed from md/dev-X/state. */
enum md_member_flag {
	MDM_FAULTY = 1u << 0,
	MDM_IN_SYNC = 1u << 1,
	MDM_WRITE_MOSTLY = 1u << 2,
	MDM_BLOCKED = 1u << 3,
	MDM_SPARE = 1u << 4,
	MDM_WRITE_ERROR = 1u << 5,
	MDM_WANT_REPLACEMENT = 1u << 6,
	MDM_REPLACEMENT = 1u << 7,
	MDM_JOURNAL = 1u << 8,
	MDM_FAILFAST = 1u << 9,
	MDM_EXTERNAL_BBL = 1u << 10,
};

/** sysfs_parse_dev_state() - "in_sync,want_replacement" to MDM_* bits; unknown words ignored. */
unsigned sysfs_parse_dev_state(const char *s);
/** sysfs_format_dev_state() - MDM_* bits back to the kernel's words, comma-separated. */
int sysfs_format_dev_state(unsigned flags, char *buf, size_t len);

/*
 * struct md_member - one md/dev-<kname> directory of a running or
 * assembling array, as read at snapshot time.
 */
struct md_member {
	char kname[32];           /* "sdb", "loop1", "dm-3" */
	unsigned major, minor;    /* from dev-X/block/dev */
	unsigned flags;           /* MDM_* */
	int slot;                 /* -1 when "none" */
	uint64_t offset;          /* data offset, sectors */
	uint64_t size_kib;        /* dev-X/size */
	uint64_t recovery_start;  /* sectors, SYSFS_NONE when in sync */
	unsigned errors;          /* corrected read errors */
	unsigned bad_blocks;      /* entries in dev-X/bad_blocks */
	uint64_t bad_sectors;     /* sectors they cover */
	unsigned unack_bad_blocks;
};

/*
 * struct md_array - a snapshot of block/<md>/md/ and its members.
 */
struct md_array {
	char kname[32];             /* "md0" */
	char metadata_version[32];  /* "1.2", "none", "external:..." */
	char level[16];             /* "raid5", "" when not set */
	int raid_disks;
	uint64_t chunk_size;        /* bytes */
	int layout;
	uint64_t component_size;    /* KiB as the kernel reports it */
	uint64_t array_size_sectors;/* block/<md>/size */
	char array_state[24];       /* "clean", "active", "inactive", ... */
	char sync_action[16];       /* "idle", "recover", ... ("" if absent) */
	uint64_t sync_done;         /* sync_completed numerator, SYSFS_NONE if "none" */
	uint64_t sync_total;
	uint64_t sync_speed;        /* KiB/s, current */
	int degraded;               /* -1 if absent */
	uint64_t reshape_position;  /* SYSFS_NONE when none */
	char uuid[40];              /* md/uuid if present */
	unsigned nmembers;
	struct md_member *members;  /* malloc'd, sorted by slot then name */
};

/*
 * Member order: slotted members by slot, within a slot the original before
 * its replacement; then members without a slot (spares, faulty) by name.
 * Absent attributes keep defaults: strings "", numbers 0, degraded -1,
 * sync_done/sync_total/reshape_position SYSFS_NONE, sync_speed 0 when
 * "none"; a member's slot -1 ("none"/"journal") and recovery_start SYSFS_NONE.
 * md_array_find() also takes "/dev/sdb", "dev-sdb" and "MAJ:MIN".
 * sysfs_watch_read() on a member that has left the array fails (-ENODEV):
 * close its fds then, since poll() reports POLLERR on them forever.
 */

/** md_array_read() - snapshot an array; -ENODEV when block/<md>/md is absent. */
int md_array_read(const char *root, const char *md, struct md_array *out);
void md_array_free(struct md_array *a);
/** md_array_find() - the member whose kname or major:minor matches, or NULL. */
struct md_member *md_array_find(struct md_array *a, const char *kname);
struct md_member *md_array_find_devnum(struct md_array *a, unsigned major, unsigned minor);
/** md_array_running() - array_state is one of the started states. */
bool md_array_running(const struct md_array *a);

/**
 * sysfs_list_arrays() - kernel names of md arrays present (block/md*),
 * sorted; *names is malloc'd (free it), each entry 32 bytes.
 */
int sysfs_list_arrays(const char *root, char (**names)[32], size_t *n);

/**
 * sysfs_kname_of_devnum() - kernel name of a block device from
 * dev/block/MAJ:MIN (e.g. "sdb", "dm-3").
 */
int sysfs_kname_of_devnum(const char *root, unsigned major, unsigned minor, char *buf, size_t len);

#endif
