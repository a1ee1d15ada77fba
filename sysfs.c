// SPDX-License-Identifier: GPL-2.0-or-later
/* sysfs.c: md sysfs reads, writes, change-waits and array snapshots under a redirectable root. */
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

/*
 * Read from the current offset of fd until EOF or the buffer is full.
 * sysfs hands over a whole attribute in one read(), but a regular file
 * in a test tree may come in pieces, so loop.
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
		if (n == 0)
			break;
		got += (size_t)n;
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
	char path[PATH_MAX];
	int fd, rc;

	rc = join(path, sizeof(path), root, rel);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
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

/** sysfs_md_read() - read block/<md>/md/<attr>; see sysfs_read(). */
int sysfs_md_read(const char *root, const char *md, const char *attr, char *buf, size_t len)
{
	char rel[PATH_MAX];
	int rc = md_rel(rel, sizeof(rel), md, NULL, attr);

	return rc ? rc : sysfs_read(root, rel, buf, len);
}

/** sysfs_md_read_u64() - read block/<md>/md/<attr> as a number; see sysfs_read_u64(). */
int sysfs_md_read_u64(const char *root, const char *md, const char *attr, uint64_t *out)
{
	char rel[PATH_MAX];
	int rc = md_rel(rel, sizeof(rel), md, NULL, attr);

	return rc ? rc : sysfs_read_u64(root, rel, out);
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
	char rel[PATH_MAX];
	int rc = md_rel(rel, sizeof(rel), md, member, attr);

	return rc ? rc : sysfs_read(root, rel, buf, len);
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
	char path[PATH_MAX], buf[4096];
	int fd, rc;

	rc = join(path, sizeof(path), root, rel);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
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

/* The kernel's words for dev-X/state, in the order of the MDM_* bits. */
static const struct {
	const char *word;
	unsigned flag;
} state_words[] = {
	{ "faulty", MDM_FAULTY },
	{ "in_sync", MDM_IN_SYNC },
	{ "write_mostly", MDM_WRITE_MOSTLY },
	{ "blocked", MDM_BLOCKED },
	{ "spare", MDM_SPARE },
	{ "write_error", MDM_WRITE_ERROR },
	{ "want_replacement", MDM_WANT_REPLACEMENT },
	{ "replacement", MDM_REPLACEMENT },
	{ "journal", MDM_JOURNAL },
	{ "failfast", MDM_FAILFAST },
	{ "external_bbl", MDM_EXTERNAL_BBL },
};

/**
 * sysfs_parse_dev_state() - dev-X/state text to MDM_* bits.
 * @s: "in_sync,want_replacement" (commas or white space between words)
 *
 * Words a newer kernel may add are ignored.  "writemostly" (the spelling
 * written to the kernel) is accepted as well as the read form.
 * Return: the bits.
 */
unsigned sysfs_parse_dev_state(const char *s)
{
	unsigned flags = 0;

	while (*s) {
		size_t n = strcspn(s, ", \t\n");
		size_t i;

		for (i = 0; n && i < sizeof(state_words) / sizeof(state_words[0]); i++) {
			if (strlen(state_words[i].word) == n &&
			    strncmp(s, state_words[i].word, n) == 0)
				flags |= state_words[i].flag;
		}
		if (n == 11 && strncmp(s, "writemostly", n) == 0)
			flags |= MDM_WRITE_MOSTLY;
		s += n;
		if (*s)
			s++;
	}
	return flags;
}

/**
 * sysfs_format_dev_state() - MDM_* bits back to the kernel's read form.
 * @flags: MDM_* bits (unknown bits ignored)
 * @buf: destination, "" for no flags
 * @len: size of buf
 *
 * Return: 0 or -EOVERFLOW.
 */
int sysfs_format_dev_state(unsigned flags, char *buf, size_t len)
{
	size_t used = 0, i;

	if (len == 0)
		return -EOVERFLOW;
	buf[0] = '\0';
	for (i = 0; i < sizeof(state_words) / sizeof(state_words[0]); i++) {
		int n;

		if (!(flags & state_words[i].flag))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", state_words[i].word);
		if (n < 0 || (size_t)n >= len - used)
			return -EOVERFLOW;
		used += (size_t)n;
	}
	return 0;
}

/* Leading signed decimal of s ("4 (3)" during a reshape reads as 4). */
static int leading_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || errno || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* Optional attributes: a missing or unparsable one leaves *out at its default. */
static void opt_str(const char *root, const char *rel, char *buf, size_t len)
{
	if (sysfs_read(root, rel, buf, len))
		buf[0] = '\0';
}

static void opt_u64(const char *root, const char *rel, uint64_t *out)
{
	char buf[64];
	uint64_t v;

	if (sysfs_read(root, rel, buf, sizeof(buf)) == 0 && parse_value_u64(buf, &v) == 0)
		*out = v;
}

static void opt_int(const char *root, const char *rel, int *out)
{
	char buf[64];

	if (sysfs_read(root, rel, buf, sizeof(buf)) == 0)
		leading_int(buf, out);
}

/*
 * A bad-block list: one "sector length" per line.  The kernel shows at most
 * a page of it, so 8 KiB is enough; a longer list (test trees) counts what fits.
 */
static void read_badblocks(const char *root, const char *rel, unsigned *count, uint64_t *sectors)
{
	char *buf = malloc(8192);
	char *line, *save = NULL;

	*count = 0;
	if (sectors)
		*sectors = 0;
	if (!buf)
		return;
	if (sysfs_read(root, rel, buf, 8192)) {
		free(buf);
		return;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long start, length;

		if (sscanf(line, "%llu %llu", &start, &length) != 2)
			continue;
		(*count)++;
		if (sectors)
			*sectors += length;
	}
	free(buf);
}

static int read_member(const char *root, const char *md, const char *kname, struct md_member *m)
{
	char rel[PATH_MAX], buf[64];
	int rc;

	memset(m, 0, sizeof(*m));
	rc = copy_str(m->kname, sizeof(m->kname), kname);
	if (rc)
		return rc;
	m->slot = -1;
	m->recovery_start = SYSFS_NONE;

#define MEMBER_REL(attr) \
	do { \
		rc = md_rel(rel, sizeof(rel), md, kname, attr); \
		if (rc) \
			return rc; \
	} while (0)

	MEMBER_REL("state");
	rc = sysfs_read(root, rel, buf, sizeof(buf));
	if (rc == 0) {
		m->flags = sysfs_parse_dev_state(buf);
	} else if (rc == -ENOENT || rc == -ENODEV) {
		/* removed since readdir: leave it out rather than report a ghost */
		char path[PATH_MAX];
		struct stat st;

		MEMBER_REL("");
		if (join(path, sizeof(path), root, rel) == 0 && stat(path, &st) < 0)
			return -ENODEV;
	}
	MEMBER_REL("slot");
	if (sysfs_read(root, rel, buf, sizeof(buf)) == 0 && leading_int(buf, &m->slot))
		m->slot = -1; /* "none", "journal" */
	MEMBER_REL("offset");
	opt_u64(root, rel, &m->offset);
	MEMBER_REL("size");
	opt_u64(root, rel, &m->size_kib);
	MEMBER_REL("recovery_start");
	opt_u64(root, rel, &m->recovery_start);
	MEMBER_REL("errors");
	if (sysfs_read(root, rel, buf, sizeof(buf)) == 0) {
		uint64_t v;

		if (parse_u64(buf, &v) == 0 && v <= UINT32_MAX)
			m->errors = (unsigned)v;
	}
	MEMBER_REL("bad_blocks");
	read_badblocks(root, rel, &m->bad_blocks, &m->bad_sectors);
	MEMBER_REL("unacknowledged_bad_blocks");
	read_badblocks(root, rel, &m->unack_bad_blocks, NULL);
	MEMBER_REL("block/dev");
	if (sysfs_read(root, rel, buf, sizeof(buf)) == 0) {
		unsigned ma, mi;
		char extra;

		if (sscanf(buf, "%u:%u%c", &ma, &mi, &extra) == 2) {
			m->major = ma;
			m->minor = mi;
		}
	}
#undef MEMBER_REL
	return 0;
}

/* Slotted members by slot (the original before its replacement), then the rest by name. */
static int member_cmp(const void *a, const void *b)
{
	const struct md_member *x = a, *y = b;
	unsigned xs = (unsigned)x->slot, ys = (unsigned)y->slot; /* -1 sorts last */
	int xr = !!(x->flags & MDM_REPLACEMENT), yr = !!(y->flags & MDM_REPLACEMENT);

	if (xs != ys)
		return xs < ys ? -1 : 1;
	if (xr != yr)
		return xr - yr;
	return strverscmp(x->kname, y->kname);
}

/**
 * md_array_read() - snapshot block/<md>/md and its dev-* directories.
 * @root: sysfs root
 * @md: kernel name ("md0")
 * @out: filled; free with md_array_free()
 *
 * Absent attributes (an inactive array has few) keep their defaults:
 * strings "", numbers 0, degraded -1, sync_done/sync_total/reshape_position
 * SYSFS_NONE; a member's slot -1 and recovery_start SYSFS_NONE.
 * Return: 0, -ENODEV when block/<md>/md is absent, -ENOMEM.
 */
int md_array_read(const char *root, const char *md, struct md_array *out)
{
	char rel[PATH_MAX], path[PATH_MAX], buf[128];
	struct stat st;
	struct dirent *de;
	size_t cap = 0;
	DIR *d;
	int rc;

	memset(out, 0, sizeof(*out));
	out->degraded = -1;
	out->sync_done = SYSFS_NONE;
	out->sync_total = SYSFS_NONE;
	out->reshape_position = SYSFS_NONE;
	if (copy_str(out->kname, sizeof(out->kname), md))
		return -ENODEV;

	rc = md_rel(rel, sizeof(rel), md, NULL, "");
	if (rc)
		return rc;
	rc = join(path, sizeof(path), root, rel);
	if (rc)
		return rc;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return -ENODEV;

#define ARRAY_REL(attr) \
	do { \
		rc = md_rel(rel, sizeof(rel), md, NULL, attr); \
		if (rc) \
			return rc; \
	} while (0)

	ARRAY_REL("metadata_version");
	opt_str(root, rel, out->metadata_version, sizeof(out->metadata_version));
	ARRAY_REL("level");
	opt_str(root, rel, out->level, sizeof(out->level));
	ARRAY_REL("raid_disks");
	opt_int(root, rel, &out->raid_disks);
	ARRAY_REL("chunk_size");
	opt_u64(root, rel, &out->chunk_size);
	ARRAY_REL("layout");
	opt_int(root, rel, &out->layout);
	ARRAY_REL("component_size");
	opt_u64(root, rel, &out->component_size);
	ARRAY_REL("array_state");
	opt_str(root, rel, out->array_state, sizeof(out->array_state));
	ARRAY_REL("sync_action");
	opt_str(root, rel, out->sync_action, sizeof(out->sync_action));
	ARRAY_REL("sync_completed");
	if (sysfs_read(root, rel, buf, sizeof(buf)) == 0) {
		unsigned long long done, total;
		char extra;

		if (sscanf(buf, "%llu / %llu%c", &done, &total, &extra) == 2) {
			out->sync_done = done;
			out->sync_total = total;
		}
	}
	ARRAY_REL("sync_speed");
	opt_u64(root, rel, &out->sync_speed);
	if (out->sync_speed == SYSFS_NONE)
		out->sync_speed = 0;
	ARRAY_REL("degraded");
	opt_int(root, rel, &out->degraded);
	ARRAY_REL("reshape_position");
	opt_u64(root, rel, &out->reshape_position);
	ARRAY_REL("uuid");
	opt_str(root, rel, out->uuid, sizeof(out->uuid));
#undef ARRAY_REL
	if (snprintf(rel, sizeof(rel), "block/%s/size", md) < (int)sizeof(rel))
		opt_u64(root, rel, &out->array_size_sectors);

	d = opendir(path);
	if (!d)
		return 0; /* raced with the array going away: an empty snapshot */
	while ((de = readdir(d)) != NULL) {
		struct md_member *m;

		if (strncmp(de->d_name, "dev-", 4) != 0 || !de->d_name[4])
			continue;
		if (out->nmembers == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct md_member *p = realloc(out->members, ncap * sizeof(*p));

			if (!p) {
				closedir(d);
				md_array_free(out);
				return -ENOMEM;
			}
			out->members = p;
			cap = ncap;
		}
		m = &out->members[out->nmembers];
		if (read_member(root, md, de->d_name + 4, m) == 0)
			out->nmembers++;
	}
	closedir(d);
	if (out->nmembers)
		qsort(out->members, out->nmembers, sizeof(*out->members), member_cmp);
	return 0;
}

/** md_array_free() - release a snapshot's members (the struct itself is the caller's). */
void md_array_free(struct md_array *a)
{
	if (!a)
		return;
	free(a->members);
	a->members = NULL;
	a->nmembers = 0;
}

/**
 * md_array_find() - a member by name.
 * @a: snapshot
 * @kname: "sdb", "/dev/sdb", "dev-sdb", or "MAJ:MIN"
 *
 * Return: the member, or NULL.
 */
struct md_member *md_array_find(struct md_array *a, const char *kname)
{
	unsigned ma, mi;
	char extra;
	unsigned i;

	if (!a || !kname)
		return NULL;
	if (sscanf(kname, "%u:%u%c", &ma, &mi, &extra) == 2)
		return md_array_find_devnum(a, ma, mi);
	if (strncmp(kname, "/dev/", 5) == 0)
		kname += 5;
	else if (strncmp(kname, "dev-", 4) == 0)
		kname += 4;
	for (i = 0; i < a->nmembers; i++)
		if (strcmp(a->members[i].kname, kname) == 0)
			return &a->members[i];
	return NULL;
}

/** md_array_find_devnum() - a member by device number, or NULL (0:0 never matches). */
struct md_member *md_array_find_devnum(struct md_array *a, unsigned major, unsigned minor)
{
	unsigned i;

	if (!a || (major == 0 && minor == 0))
		return NULL;
	for (i = 0; i < a->nmembers; i++)
		if (a->members[i].major == major && a->members[i].minor == minor)
			return &a->members[i];
	return NULL;
}

/**
 * md_array_running() - whether array_state is one of a started array's states.
 * @a: snapshot
 *
 * Return: true for clean, active, active-idle, write-pending, readonly,
 * read-auto, suspended and broken; false for clear, inactive or absent.
 */
bool md_array_running(const struct md_array *a)
{
	static const char *const started[] = {
		"clean", "active", "active-idle", "write-pending", "readonly",
		"read-auto", "suspended", "broken",
	};
	size_t i;

	for (i = 0; i < sizeof(started) / sizeof(started[0]); i++)
		if (strcmp(a->array_state, started[i]) == 0)
			return true;
	return false;
}

static int name_cmp(const void *a, const void *b)
{
	return strverscmp((const char *)a, (const char *)b);
}

/**
 * sysfs_list_arrays() - the md arrays present under block/.
 * @root: sysfs root
 * @names: set to a malloc'd array of 32-byte names (NULL when none)
 * @n: number of names
 *
 * Sorted in version order (md2 before md10).
 * Return: 0 (also when block/ is absent: no arrays), -ENOMEM or -errno.
 */
int sysfs_list_arrays(const char *root, char (**names)[32], size_t *n)
{
	char path[PATH_MAX];
	char (*list)[32] = NULL;
	size_t cap = 0, cnt = 0;
	struct dirent *de;
	DIR *d;
	int rc;

	*names = NULL;
	*n = 0;
	rc = join(path, sizeof(path), root, "block");
	if (rc)
		return rc;
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "md", 2) != 0 || !de->d_name[2] ||
		    strlen(de->d_name) >= 32)
			continue;
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char (*p)[32] = realloc(list, ncap * sizeof(*p));

			if (!p) {
				closedir(d);
				free(list);
				return -ENOMEM;
			}
			list = p;
			cap = ncap;
		}
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
