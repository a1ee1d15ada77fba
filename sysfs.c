// SPDX-License-Identifier: GPL-2.0-or-later
/* sysfs.c: md sysfs attribute reads, writes, change-waits and listings under a redirectable root. */
#include "sysfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* Build "<root>/<rel>" into path; -ENAMETOOLONG rather than a truncated path. */
static int join(char *path, size_t len, const char *root, const char *rel)
{
	int n = snprintf(path, len, "%s/%s", root, rel);

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* Open <root>/<rel> for reading: the fd, or -errno. */
static int open_attr(const char *root, const char *rel)
{
	char path[PATH_MAX];
	int fd, rc = join(path, sizeof(path), root, rel);

	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * Read from the current offset of fd until EOF or the buffer is full.
 * sysfs hands over a whole attribute in one read(), and a regular file
 * (a test tree) gives less than asked only at its end: a short read is
 * the end, with no second read() to see 0 (a snapshot reads some fifty
 * attributes; that read was a fifth of its system calls).
 */
static int read_fd(int fd, char *buf, size_t len)
{
	size_t got = 0;

	if (len == 0)
		return -EOVERFLOW;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
		if (n == 0 || got < len)
			break;
	}
	/* A full buffer leaves no room for the NUL and may hide more data. */
	if (got == len)
		return -EOVERFLOW;
	buf[got] = '\0';
	if (got > 0 && buf[got - 1] == '\n')
		buf[got - 1] = '\0';
	return 0;
}

/**
 * sysfs_read() - read an attribute into buf, one trailing newline stripped.
 * @root: sysfs root ("/sys")
 * @rel: path below the root
 * @buf: destination, NUL-terminated on success
 * @len: size of buf
 *
 * Return: 0, -EOVERFLOW when the value fills buf, or -errno from open/read.
 */
int sysfs_read(const char *root, const char *rel, char *buf, size_t len)
{
	int fd = open_attr(root, rel), rc;

	if (fd < 0)
		return fd;
	rc = read_fd(fd, buf, len);
	close(fd);
	return rc;
}

/* "none" is SYSFS_NONE; otherwise one strict decimal number. */
static int parse_value_u64(const char *s, uint64_t *out)
{
	if (strcmp(s, "none") == 0) {
		*out = SYSFS_NONE;
		return 0;
	}
	return parse_u64(s, out);
}

/**
 * sysfs_read_u64() - read an attribute holding one decimal number.
 * @root: sysfs root
 * @rel: path below the root
 * @out: the value; SYSFS_NONE when the attribute reads "none"
 *
 * Return: 0, -EINVAL when the text is not a number, or a sysfs_read() error.
 */
int sysfs_read_u64(const char *root, const char *rel, uint64_t *out)
{
	char buf[64];
	int rc = sysfs_read(root, rel, buf, sizeof(buf));

	if (rc)
		return rc;
	return parse_value_u64(buf, out);
}

/**
 * sysfs_write() - write a whole value to an attribute with one write().
 * @root: sysfs root
 * @rel: path below the root
 * @val: the text to write (no newline needed; the kernel strips one)
 *
 * The kernel acts on each write() separately, so the value must go in one
 * call; a short write means the kernel took only part of it: -EIO.
 * Return: 0 or -errno (the write's errno, not close's).
 */
int sysfs_write(const char *root, const char *rel, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd, rc, saved;

	rc = join(path, sizeof(path), root, rel);
	if (rc)
		return rc;
	/* O_TRUNC is a no-op on sysfs (as for a shell's "echo >") and keeps test trees exact. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, val, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	else
		rc = 0;
	saved = errno;
	/* sysfs reports some refusals only at close; do not lose those either. */
	if (close(fd) < 0 && rc == 0 && errno != EINTR)
		rc = -errno;
	errno = saved;
	return rc;
}

static int md_rel(char *rel, size_t len, const char *md, const char *member, const char *attr)
{
	int n;

	if (member)
		n = snprintf(rel, len, "block/%s/md/dev-%s/%s", md, member, attr);
	else
		n = snprintf(rel, len, "block/%s/md/%s", md, attr);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * The md directories of the real sysfs read from last, kept open (O_PATH):
 * a snapshot reads some fifty attributes of one array, and an open from
 * the root walks /sys/block, the link to /sys/devices/virtual/block/<md>
 * and md each time; from the directory it walks one or two names.  A
 * directory whose array went away (stopped and deleted, or made anew under
 * the same name) answers no more: it is dropped and the read goes by the
 * whole path, which says what is there now.  Only under "/sys" itself:
 * test trees and fuzzers' trees come and go under other roots.
 */
#define MD_DIRS 4
static struct {
	char md[32];
	int fd;
} md_dirs[MD_DIRS];
static unsigned md_dirs_next;

static int md_dir(const char *root, const char *md)
{
	char path[64];
	unsigned k;
	int fd;

	if (strcmp(root, "/sys") || strlen(md) >= sizeof(md_dirs[0].md) || strchr(md, '/'))
		return -1;
	for (k = 0; k < MD_DIRS; k++)
		if (md_dirs[k].md[0] && !strcmp(md_dirs[k].md, md))
			return md_dirs[k].fd;
	snprintf(path, sizeof(path), "/sys/block/%s/md", md);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	k = md_dirs_next++ % MD_DIRS;
	if (md_dirs[k].md[0])
		close(md_dirs[k].fd);
	snprintf(md_dirs[k].md, sizeof(md_dirs[k].md), "%s", md);
	md_dirs[k].fd = fd;
	return fd;
}

static void md_dir_drop(int fd)
{
	for (unsigned k = 0; k < MD_DIRS; k++)
		if (md_dirs[k].md[0] && md_dirs[k].fd == fd) {
			close(fd);
			md_dirs[k].md[0] = '\0';
		}
}

/* block/<md>/md/[dev-<member>/]<attr>, through md_dir() where it can. */
static int md_read(const char *root, const char *md, const char *member, const char *attr,
		   char *buf, size_t len)
{
	char rel[PATH_MAX];
	int dfd = md_dir(root, md), fd, rc, n;

	if (dfd >= 0) {
		n = member ? snprintf(rel, sizeof(rel), "dev-%s/%s", member, attr)
			   : snprintf(rel, sizeof(rel), "%s", attr);
		if (n > 0 && (size_t)n < sizeof(rel)) {
			fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				rc = read_fd(fd, buf, len);
				close(fd);
				return rc;
			}
			/* absent from a live directory: that is the answer */
			if (errno == ENOENT && faccessat(dfd, "array_state", F_OK, 0) == 0)
				return -ENOENT;
			md_dir_drop(dfd);
		}
	}
	rc = md_rel(rel, sizeof(rel), md, member, attr);
	return rc ? rc : sysfs_read(root, rel, buf, len);
}

/** sysfs_md_read() - read block/<md>/md/<attr>; see sysfs_read(). */
int sysfs_md_read(const char *root, const char *md, const char *attr, char *buf, size_t len)
{
	return md_read(root, md, NULL, attr, buf, len);
}

/** sysfs_md_read_u64() - read block/<md>/md/<attr> as a number; see sysfs_read_u64(). */
int sysfs_md_read_u64(const char *root, const char *md, const char *attr, uint64_t *out)
{
	char buf[64];
	int rc = md_read(root, md, NULL, attr, buf, sizeof(buf));

	return rc ? rc : parse_value_u64(buf, out);
}

/** sysfs_md_write() - write block/<md>/md/<attr>; see sysfs_write(). */
int sysfs_md_write(const char *root, const char *md, const char *attr, const char *val)
{
	char rel[PATH_MAX];
	int rc = md_rel(rel, sizeof(rel), md, NULL, attr);

	return rc ? rc : sysfs_write(root, rel, val);
}

/** sysfs_dev_read() - read block/<md>/md/dev-<member>/<attr>; see sysfs_read(). */
int sysfs_dev_read(const char *root, const char *md, const char *member, const char *attr,
		   char *buf, size_t len)
{
	return md_read(root, md, member, attr, buf, len);
}

/** sysfs_dev_write() - write block/<md>/md/dev-<member>/<attr>; see sysfs_write(). */
int sysfs_dev_write(const char *root, const char *md, const char *member, const char *attr,
		    const char *val)
{
	char rel[PATH_MAX];
	int rc = md_rel(rel, sizeof(rel), md, member, attr);

	return rc ? rc : sysfs_write(root, rel, val);
}

/**
 * sysfs_watch_open() - open an attribute for poll().
 * @root: sysfs root
 * @rel: path below the root
 *
 * kernfs only reports a change to a reader that has read the file since
 * the last notification, so the first read is done here.
 * Return: an fd (close it yourself) or -errno.
 */
int sysfs_watch_open(const char *root, const char *rel)
{
	char buf[4096];
	int fd = open_attr(root, rel), rc;

	if (fd < 0)
		return fd;
	rc = read_fd(fd, buf, sizeof(buf));
	if (rc && rc != -EOVERFLOW) {
		close(fd);
		return rc;
	}
	return fd;
}

/**
 * sysfs_watch_read() - read a watched attribute again from its start.
 * @fd: from sysfs_watch_open()
 * @buf: destination
 * @len: size of buf
 *
 * This read also re-arms the notification.  A member that has left the
 * array reads -ENODEV here: close its fds, poll reports POLLERR forever.
 * Return: 0 or -errno (-EOVERFLOW as sysfs_read()).
 */
int sysfs_watch_read(int fd, char *buf, size_t len)
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	return read_fd(fd, buf, len);
}

/**
 * sysfs_wait_change() - wait for the kernel to notify a watched attribute.
 * @fd: from sysfs_watch_open()
 * @timeout_ms: poll() timeout, -1 for none
 *
 * kernfs signals a change with POLLPRI|POLLERR; a removed attribute does
 * the same on every poll, so callers must re-read (sysfs_watch_read()) and
 * drop the fd when that fails.
 * Return: 1 notified, 0 timeout, -EINTR on a signal, -EBADF for a bad fd.
 */
int sysfs_wait_change(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLPRI | POLLERR };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	if (p.revents & POLLNVAL)
		return -EBADF;
	return (p.revents & (POLLPRI | POLLERR)) ? 1 : 0;
}

/**
 * sysfs_exists() - whether <root>/<rel> exists (a directory such as
 * block/md0/md or block/md0/md/dev-sdb).
 */
bool sysfs_exists(const char *root, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	return join(path, sizeof(path), root, rel) == 0 && stat(path, &st) == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strverscmp((const char *)a, (const char *)b);
}

/**
 * sysfs_list() - the entries of directory <root>/<rel> whose names start with prefix.
 * @root: sysfs root
 * @rel: directory below the root
 * @prefix: "md", "dev-"
 * @names: set to a malloc'd array of 32-byte names (NULL when none); longer names are skipped
 * @n: number of names
 *
 * Sorted in version order (md2 before md10).
 * Return: 0, -ENOENT when the directory is absent, -ENOMEM or -errno.
 */
int sysfs_list(const char *root, const char *rel, const char *prefix, char (**names)[32], size_t *n)
{
	char path[PATH_MAX];
	char (*list)[32] = NULL, (*p)[32];
	size_t cap = 0, cnt = 0, plen = strlen(prefix);
	struct dirent *de;
	DIR *d;
	int rc;

	*names = NULL;
	*n = 0;
	rc = join(path, sizeof(path), root, rel);
	if (rc)
		return rc;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, plen) != 0 || !de->d_name[plen] ||
		    strlen(de->d_name) >= 32)
			continue;
		p = array_room(list, cnt, &cap, sizeof(*p));
		if (!p) {
			closedir(d);
			free(list);
			return -ENOMEM;
		}
		list = p;
		memcpy(list[cnt], de->d_name, strlen(de->d_name) + 1);
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(list, cnt, sizeof(*list), name_cmp);
	*names = list;
	*n = cnt;
	return 0;
}

/**
 * sysfs_list_arrays() - the md arrays present under block/, sorted as sysfs_list().
 * Return: 0 (also when block/ is absent: no arrays), -ENOMEM or -errno.
 */
int sysfs_list_arrays(const char *root, char (**names)[32], size_t *n)
{
	int rc = sysfs_list(root, "block", "md", names, n);

	return rc == -ENOENT ? 0 : rc;
}

/**
 * sysfs_kname_of_devnum() - kernel name of a block device number.
 * @root: sysfs root
 * @major: device major
 * @minor: device minor
 * @buf: destination ("sdb", "dm-3")
 * @len: size of buf
 *
 * Return: 0, -ENODEV when no such device, -ENAMETOOLONG.
 */
int sysfs_kname_of_devnum(const char *root, unsigned major, unsigned minor, char *buf, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;
	int w;

	w = snprintf(path, sizeof(path), "%s/dev/block/%u:%u", root, major, minor);
	if (w < 0 || (size_t)w >= sizeof(path))
		return -ENAMETOOLONG;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	target[n] = '\0';
	while (n > 1 && target[n - 1] == '/')
		target[--n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	return copy_str(buf, len, base);
}
