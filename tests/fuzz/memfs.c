// SPDX-License-Identifier: GPL-2.0-or-later
/* memfs.c: the in-memory file tree behind the --wrap'ed file calls of the fuzz harnesses that use it. */
#include "tests/fuzz/memfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/*
 * The real calls, as the linker's --wrap names them.  Only declared here:
 * the link maps __real_X to X (the sanitizer's interceptor, then libc).
 */
int __real_open(const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __real_pread(int fd, void *buf, size_t n, off_t off);
off_t __real_lseek(int fd, off_t off, int whence);
int __real_close(int fd);
int __real_fstat(int fd, struct stat *st);
int __real_stat(const char *path, struct stat *st);
int __real_lstat(const char *path, struct stat *st);
int __real_access(const char *path, int mode);
DIR *__real_opendir(const char *path);
struct dirent *__real_readdir(DIR *d);
int __real_closedir(DIR *d);
FILE *__real_fopen(const char *path, const char *mode);
int __real_fcntl(int fd, int cmd, ...);
int __real_ioctl(int fd, unsigned long req, ...);
int __real_posix_fadvise(int fd, off_t off, off_t len, int advice);

int __wrap_open(const char *path, int flags, ...);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
ssize_t __wrap_read(int fd, void *buf, size_t n);
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off);
off_t __wrap_lseek(int fd, off_t off, int whence);
int __wrap_close(int fd);
int __wrap_fstat(int fd, struct stat *st);
int __wrap_stat(const char *path, struct stat *st);
int __wrap_lstat(const char *path, struct stat *st);
int __wrap_access(const char *path, int mode);
DIR *__wrap_opendir(const char *path);
struct dirent *__wrap_readdir(DIR *d);
int __wrap_closedir(DIR *d);
FILE *__wrap_fopen(const char *path, const char *mode);
int __wrap_fcntl(int fd, int cmd, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);
int __wrap_posix_fadvise(int fd, off_t off, off_t len, int advice);

#define MAX_NODES 128
#define MAX_FDS 32
#define MAX_DIRS 8
#define PATH_LEN 160
/* far above any process's descriptor limit (fs.nr_open tops out at 2^30 - 64), so never a real one */
#define FD_BASE 0x40000000

/*
 * Every directory is a node (those above a file are made with it), so a
 * lookup is one exact match, by length and hash first: libFuzzer hooks
 * each unequal strcmp() to learn from it, and a table walk full of those
 * cost more than the product's own parsing.
 */
struct node {
	char path[PATH_LEN]; /* relative to MEMFS_ROOT, no leading '/' */
	size_t plen;
	uint32_t hash;
	int parent;          /* node index, -1 for the root */
	const void *data;    /* the bytes at data_off; zeros elsewhere */
	size_t data_len;
	uint64_t data_off;
	uint64_t len;        /* the file's size */
	bool dir;
};

struct ofile {
	bool used;
	bool dir;
	int node;     /* -1 for the root directory */
	int flags;    /* as open() was given them, and F_SETFL changes */
	off_t off;
};

struct mdir {
	struct dirent de;
	char (*names)[NAME_MAX + 1];
	unsigned char *types;
	size_t n, pos;
};

static int memfs_path(const char *path, char *rel, int *err);

static struct node nodes[MAX_NODES];
static size_t nnodes;
static struct ofile files[MAX_FDS];
static struct mdir *dirs[MAX_DIRS];

void memfs_reset(void)
{
	for (size_t i = 0; i < MAX_FDS; i++)
		if (files[i].used)
			__builtin_trap(); /* the product left a descriptor open */
	for (size_t i = 0; i < MAX_DIRS; i++)
		if (dirs[i])
			__builtin_trap(); /* ... or a directory stream */
	nnodes = 0;
}

static uint32_t hash_of(const char *p, size_t l)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < l; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

/* The node of path rel[0..l), or -1; -2 for the root (l == 0). */
static int find(const char *rel, size_t l)
{
	uint32_t h;

	if (l == 0)
		return -2;
	h = hash_of(rel, l);
	for (size_t i = 0; i < nnodes; i++)
		if (nodes[i].hash == h && nodes[i].plen == l && memcmp(nodes[i].path, rel, l) == 0)
			return (int)i;
	return -1;
}

/* What a normalised path names. */
enum kind { K_NONE, K_FILE, K_DIR };

static enum kind lookup(const char *rel, int *idx)
{
	int i = find(rel, strlen(rel));

	*idx = i < 0 ? -1 : i;
	if (i == -2)
		return K_DIR;
	if (i == -1)
		return K_NONE;
	return nodes[i].dir ? K_DIR : K_FILE;
}

/* Node rel[0..l) with its parent directories made as needed; an existing directory is reused. */
static int add_node(const char *rel, size_t l, bool dir)
{
	const char *slash = memrchr(rel, '/', l);
	int parent = -1, i = find(rel, l);
	struct node *n;

	if (i >= 0) {
		if (dir && nodes[i].dir)
			return i;
		abort(); /* the harness put one path twice */
	}
	if (slash) {
		parent = add_node(rel, (size_t)(slash - rel), true);
		if (!nodes[parent].dir)
			abort(); /* a file above: the harness's bug */
	}
	if (nnodes == MAX_NODES || l >= PATH_LEN)
		abort();
	n = &nodes[nnodes];
	memset(n, 0, sizeof(*n));
	memcpy(n->path, rel, l);
	n->plen = l;
	n->hash = hash_of(rel, l);
	n->parent = parent;
	n->dir = dir;
	return (int)nnodes++;
}

/* rel as lookups see it ("a/b/../c" is "a/c"); a path that does not resolve is the harness's bug */
static struct node *add_node_at(const char *rel, bool dir)
{
	char path[sizeof(MEMFS_ROOT) + PATH_LEN], norm[PATH_LEN];
	int err;

	snprintf(path, sizeof(path), "%s/%s", MEMFS_ROOT, rel);
	if (!memfs_path(path, norm, &err) || err || !norm[0])
		abort();
	return &nodes[add_node(norm, strlen(norm), dir)];
}

void memfs_put(const char *rel, const void *data, size_t len)
{
	memfs_put_sparse(rel, len, 0, data, len);
}

void memfs_put_sparse(const char *rel, uint64_t size, uint64_t off, const void *data, size_t len)
{
	struct node *n = add_node_at(rel, false);

	if (off > size || len > size - off)
		abort();
	n->data = data;
	n->data_len = len;
	n->data_off = off;
	n->len = size;
}

void memfs_mkdir(const char *rel)
{
	(void)add_node_at(rel, true);
}

/* Absent: ENOTDIR when a leading component is a file (as the kernel says), else ENOENT. */
static int absent_errno(const char *rel)
{
	for (const char *s = strchr(rel, '/'); s; s = strchr(s + 1, '/')) {
		int i = find(rel, (size_t)(s - rel));

		if (i >= 0 && !nodes[i].dir)
			return ENOTDIR;
	}
	return ENOENT;
}

/*
 * A path under MEMFS_ROOT, with "", "." and ".." components resolved as
 * the kernel would (".." only from a directory that exists), into rel.
 * Return: 1 and rel set; 1 with *err set when the walk fails; 0 when the
 * path is not a memfs one (the caller goes to the real call).
 */
static int memfs_path(const char *path, char *rel, int *err)
{
	size_t rl = sizeof(MEMFS_ROOT) - 1, out = 0;
	const char *p;

	*err = 0;
	if (!path || strncmp(path, MEMFS_ROOT, rl) != 0 || (path[rl] != '/' && path[rl] != '\0'))
		return 0;
	rel[0] = '\0';
	for (p = path + rl; *p;) {
		const char *c;
		size_t cl;

		while (*p == '/')
			p++;
		c = p;
		while (*p && *p != '/')
			p++;
		cl = (size_t)(p - c);
		if (cl == 0 || (cl == 1 && c[0] == '.'))
			continue;
		if (cl == 2 && c[0] == '.' && c[1] == '.') {
			int idx;
			char *slash;
			enum kind k = lookup(rel, &idx);

			if (k != K_DIR) {
				*err = k == K_FILE ? ENOTDIR : absent_errno(rel);
				return 1;
			}
			if (out == 0) { /* above the root: leaves the tree */
				*err = ENOENT;
				return 1;
			}
			slash = strrchr(rel, '/');
			out = slash ? (size_t)(slash - rel) : 0;
			rel[out] = '\0';
			continue;
		}
		if (out + (out ? 1 : 0) + cl >= PATH_LEN) {
			*err = ENAMETOOLONG;
			return 1;
		}
		if (out)
			rel[out++] = '/';
		memcpy(rel + out, c, cl);
		out += cl;
		rel[out] = '\0';
	}
	return 1;
}

/* Resolve path for a read-only use: its kind and node, or -1 with errno set. */
static int resolve(const char *rel, int err, enum kind *k, int *idx)
{
	if (err) {
		errno = err;
		return -1;
	}
	*k = lookup(rel, idx);
	if (*k == K_NONE) {
		errno = absent_errno(rel);
		return -1;
	}
	return 0;
}

static struct ofile *ofile_of(int fd)
{
	if (fd < FD_BASE || fd >= FD_BASE + MAX_FDS || !files[fd - FD_BASE].used)
		return NULL;
	return &files[fd - FD_BASE];
}

static void fill_stat(struct stat *st, bool dir, int idx)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 0x4d46; /* any fixed number: one file system */
	st->st_ino = (ino_t)(idx + 2);
	st->st_mode = dir ? S_IFDIR | 0555 : S_IFREG | 0444;
	st->st_nlink = dir ? 2 : 1;
	st->st_blksize = 4096;
	if (!dir) {
		st->st_size = (off_t)nodes[idx].len;
		st->st_blocks = (blkcnt_t)((nodes[idx].data_len + 511) / 512); /* sparse: what holds data */
	}
}

static int memfs_open(const char *rel, int err, int flags)
{
	enum kind k;
	int idx;

	if (resolve(rel, err, &k, &idx) < 0) {
		if (errno == ENOENT && (flags & O_CREAT))
			errno = EROFS;
		return -1;
	}
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_CREAT))) {
		errno = k == K_DIR ? EISDIR : EROFS;
		if ((flags & O_CREAT) && (flags & O_EXCL))
			errno = EEXIST;
		return -1;
	}
	if ((flags & O_DIRECTORY) && k != K_DIR) {
		errno = ENOTDIR;
		return -1;
	}
	for (int i = 0; i < MAX_FDS; i++) {
		if (!files[i].used) {
			files[i] = (struct ofile){ .used = true, .dir = k == K_DIR, .node = idx,
						   .flags = (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC)) |
							    O_LARGEFILE };
			return FD_BASE + i;
		}
	}
	errno = EMFILE;
	return -1;
}

int __wrap_open(const char *path, int flags, ...)
{
	char rel[PATH_LEN];
	mode_t mode = 0;
	int err;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (memfs_path(path, rel, &err))
		return memfs_open(rel, err, flags);
	return __real_open(path, flags, mode);
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	char rel[PATH_LEN];
	mode_t mode = 0;
	int err;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	/* an absolute path ignores dirfd; a path relative to a memfs directory is not served */
	if (ofile_of(dirfd) && path && path[0] != '/')
		abort();
	if (memfs_path(path, rel, &err))
		return memfs_open(rel, err, flags);
	return __real_openat(dirfd, path, flags, mode);
}

static ssize_t memfs_read(struct ofile *f, void *buf, size_t n, off_t off)
{
	const struct node *nd;
	uint64_t o = (uint64_t)off, end, lo, hi;

	if (f->dir) {
		errno = EISDIR;
		return -1;
	}
	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	nd = &nodes[f->node];
	if (o >= nd->len)
		return 0;
	if (n > nd->len - o)
		n = (size_t)(nd->len - o);
	end = o + n;
	memset(buf, 0, n);
	/* the overlap of [o, end) with the data's span */
	lo = o > nd->data_off ? o : nd->data_off;
	hi = end < nd->data_off + nd->data_len ? end : nd->data_off + nd->data_len;
	if (lo < hi)
		memcpy((char *)buf + (lo - o), (const char *)nd->data + (lo - nd->data_off), (size_t)(hi - lo));
	return (ssize_t)n;
}

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	struct ofile *f = ofile_of(fd);
	ssize_t r;

	if (!f)
		return __real_read(fd, buf, n);
	r = memfs_read(f, buf, n, f->off);
	if (r > 0)
		f->off += r;
	return r;
}

ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off)
{
	struct ofile *f = ofile_of(fd);

	return f ? memfs_read(f, buf, n, off) : __real_pread(fd, buf, n, off);
}

off_t __wrap_lseek(int fd, off_t off, int whence)
{
	struct ofile *f = ofile_of(fd);
	off_t base;

	if (!f)
		return __real_lseek(fd, off, whence);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->off;
		break;
	case SEEK_END:
		base = f->dir ? 0 : (off_t)nodes[f->node].len;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && base > INT64_MAX - off)) {
		errno = off < 0 ? EINVAL : EOVERFLOW;
		return -1;
	}
	f->off = base + off;
	return f->off;
}

int __wrap_close(int fd)
{
	struct ofile *f = ofile_of(fd);

	if (!f)
		return __real_close(fd);
	f->used = false;
	return 0;
}

int __wrap_fstat(int fd, struct stat *st)
{
	struct ofile *f = ofile_of(fd);

	if (!f)
		return __real_fstat(fd, st);
	fill_stat(st, f->dir, f->node);
	return 0;
}

int __wrap_stat(const char *path, struct stat *st)
{
	char rel[PATH_LEN];
	enum kind k;
	int err, idx;

	if (!memfs_path(path, rel, &err))
		return __real_stat(path, st);
	if (resolve(rel, err, &k, &idx) < 0)
		return -1;
	fill_stat(st, k == K_DIR, idx);
	return 0;
}

/* no symbolic links in memfs: lstat is stat */
int __wrap_lstat(const char *path, struct stat *st)
{
	char rel[PATH_LEN];
	int err;

	if (!memfs_path(path, rel, &err))
		return __real_lstat(path, st);
	return __wrap_stat(path, st);
}

int __wrap_access(const char *path, int mode)
{
	char rel[PATH_LEN];
	enum kind k;
	int err, idx;

	if (!memfs_path(path, rel, &err))
		return __real_access(path, mode);
	if (resolve(rel, err, &k, &idx) < 0)
		return -1;
	if (mode & W_OK) {
		errno = EROFS;
		return -1;
	}
	return 0;
}

/* The entries directly below directory node dir (-1: the root), with ".", ".." first as readdir gives them. */
static int list_dir(int dir, struct mdir *d)
{
	d->names = calloc(nnodes + 2, sizeof(*d->names));
	d->types = calloc(nnodes + 2, 1);
	if (!d->names || !d->types)
		return -1;
	strcpy(d->names[0], ".");
	strcpy(d->names[1], "..");
	d->types[0] = d->types[1] = DT_DIR;
	d->n = 2;
	for (size_t i = 0; i < nnodes; i++) {
		const char *slash;

		if (nodes[i].parent != dir)
			continue;
		slash = strrchr(nodes[i].path, '/');
		snprintf(d->names[d->n], sizeof(d->names[d->n]), "%s", slash ? slash + 1 : nodes[i].path);
		d->types[d->n++] = nodes[i].dir ? DT_DIR : DT_REG;
	}
	return 0;
}

DIR *__wrap_opendir(const char *path)
{
	char rel[PATH_LEN];
	struct mdir *d;
	enum kind k;
	int err, idx;

	if (!memfs_path(path, rel, &err))
		return __real_opendir(path);
	if (resolve(rel, err, &k, &idx) < 0)
		return NULL;
	if (k != K_DIR) {
		errno = ENOTDIR;
		return NULL;
	}
	for (size_t i = 0; i < MAX_DIRS; i++) {
		if (dirs[i])
			continue;
		d = calloc(1, sizeof(*d));
		if (!d || list_dir(idx, d) < 0)
			abort();
		dirs[i] = d;
		return (DIR *)d;
	}
	errno = EMFILE;
	return NULL;
}

static int dir_slot(DIR *d)
{
	for (int i = 0; i < MAX_DIRS; i++)
		if (dirs[i] && (DIR *)dirs[i] == d)
			return i;
	return -1;
}

struct dirent *__wrap_readdir(DIR *dp)
{
	int i = dir_slot(dp);
	struct mdir *d;

	if (i < 0)
		return __real_readdir(dp);
	d = dirs[i];
	if (d->pos == d->n)
		return NULL;
	memset(&d->de, 0, sizeof(d->de));
	d->de.d_ino = d->pos + 1;
	d->de.d_type = d->types[d->pos];
	d->de.d_reclen = sizeof(d->de);
	strcpy(d->de.d_name, d->names[d->pos++]);
	return &d->de;
}

int __wrap_closedir(DIR *dp)
{
	int i = dir_slot(dp);

	if (i < 0)
		return __real_closedir(dp);
	free(dirs[i]->names);
	free(dirs[i]->types);
	free(dirs[i]);
	dirs[i] = NULL;
	return 0;
}

/*
 * The flags F_SETFL may change (Linux's SETFL_MASK).  O_DIRECT is taken
 * and reads stay the same, with no alignment asked, as for a tmpfs file
 * (or a memfd reopened through /proc/self/fd) on Linux 6.6 and later.
 */
#define SETFL_OK (O_APPEND | O_NONBLOCK | O_ASYNC | O_NOATIME | O_DIRECT)

int __wrap_fcntl(int fd, int cmd, ...)
{
	struct ofile *f = ofile_of(fd);
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long); /* read for every command: the real call ignores it where unused */
	va_end(ap);
	if (!f)
		return __real_fcntl(fd, cmd, arg);
	switch (cmd) {
	case F_GETFL:
		return f->flags & ~O_CLOEXEC; /* a descriptor flag, not the file's */
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_OK) | ((int)arg & SETFL_OK);
		return 0;
	case F_GETFD:
		return (f->flags & O_CLOEXEC) ? FD_CLOEXEC : 0;
	case F_SETFD:
		f->flags = (arg & FD_CLOEXEC) ? f->flags | O_CLOEXEC : f->flags & ~O_CLOEXEC;
		return 0;
	default:
		abort(); /* a command memfs does not serve: extend it rather than guess */
	}
}

/* A memfs file is a regular file: no block-device ioctl applies. */
int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!ofile_of(fd))
		return __real_ioctl(fd, req, arg);
	errno = ENOTTY;
	return -1;
}

int __wrap_posix_fadvise(int fd, off_t off, off_t len, int advice)
{
	if (!ofile_of(fd))
		return __real_posix_fadvise(fd, off, len, advice);
	if (len < 0 || advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE)
		return EINVAL;
	return 0; /* nothing cached to drop: every read is of the table */
}

/*
 * A memfs file read with stdio is a fmemopen() stream over its bytes:
 * fread(), fgets() and ferror() behave as on a file; fileno() is -1.
 * Writing modes are refused (EROFS), a directory with EISDIR (where a
 * real fopen("r") would succeed and the first read fail).
 */
FILE *__wrap_fopen(const char *path, const char *mode)
{
	static const char empty[1];
	char rel[PATH_LEN];
	enum kind k;
	int err, idx;

	if (!memfs_path(path, rel, &err))
		return __real_fopen(path, mode);
	if (resolve(rel, err, &k, &idx) < 0)
		return NULL;
	if (strpbrk(mode, "wa+")) {
		errno = k == K_DIR ? EISDIR : EROFS;
		return NULL;
	}
	if (k == K_DIR) {
		errno = EISDIR;
		return NULL;
	}
	if (nodes[idx].data_off || nodes[idx].data_len != nodes[idx].len)
		abort(); /* a sparse file through stdio: not served */
	/* fmemopen takes a non-const buffer; mode "r" never writes to it (glibc takes size 0) */
	return fmemopen((void *)(uintptr_t)(nodes[idx].len ? nodes[idx].data : empty), (size_t)nodes[idx].len, "r");
}
