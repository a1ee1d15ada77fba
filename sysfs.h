/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysfs.h: md sysfs reads, writes, change-waits and listings under a redirectable root. */
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

/** sysfs_exists() - whether <root>/<rel> exists. */
bool sysfs_exists(const char *root, const char *rel);
/**
 * sysfs_list() - names in directory <root>/<rel> starting with prefix,
 * version-sorted; *names is malloc'd (free it), each entry 32 bytes.
 * -ENOENT when the directory is absent.
 */
int sysfs_list(const char *root, const char *rel, const char *prefix, char (**names)[32], size_t *n);

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
