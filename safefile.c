// SPDX-License-Identifier: GPL-2.0-or-later
/* safefile.c: opening mdctl's own files and directories so that a planted symlink, FIFO or loose mode cannot redirect or stall them. */
#include "safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* a directory nobody but root or us can change what is inside */
static int dir_trusted(const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return -ELOOP;
	if (!S_ISDIR(st->st_mode))
		return -ENOTDIR;
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) || (st->st_uid != 0 && st->st_uid != geteuid()))
		return -EPERM;
	return 0;
}

int safe_dir(const char *dir)
{
	char tmp[PATH_MAX];
	struct stat st;
	size_t len = strlen(dir);

	if (!len || len >= sizeof(tmp))
		return -ENAMETOOLONG;
	if (lstat(dir, &st) == 0)
		return dir_trusted(&st);
	if (errno != ENOENT)
		return -errno;
	memcpy(tmp, dir, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, SAFE_DIR_MODE) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(dir, &st) < 0)
		return -errno;
	return dir_trusted(&st);
}

/* open without following, then insist on a regular file and a blocking fd */
static int open_regular(int dirfd, const char *name, int flags, mode_t mode)
{
	struct stat st;
	int fd = openat(dirfd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode);
	int rc;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int safe_open_in(const char *dir, const char *name, int flags, mode_t mode)
{
	int dfd, fd, rc = safe_dir(dir);

	if (rc)
		return rc;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = open_regular(dfd, name, flags, mode);
	close(dfd);
	return fd;
}

int safe_open_file(const char *path, int flags, mode_t mode)
{
	return open_regular(AT_FDCWD, path, flags, mode);
}

/* the pid a pid file names, 0 when it names none */
static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long v;
	char *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	v = strtol(buf, &end, 10);
	if (end == buf || v <= 0 || v > INT_MAX || (*end && *end != '\n'))
		return 0;
	return (pid_t)v;
}

/* write our pid into fd from its start */
static int put_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		return errno ? -errno : -EIO;
	return 0;
}

int safe_pidfile(const char *path, pid_t *holder)
{
	int fd, rc;

	if (path[0] != '/')
		return -EINVAL;
	for (int tries = 0; tries < 2; tries++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			rc = put_pid(fd);
			if (close(fd) < 0 && !rc)
				rc = -errno;
			if (rc)
				unlink(path);
			return rc;
		}
		if (errno != EEXIST)
			return -errno;
		/* there already: a symlink or a FIFO is refused, a live pid kept */
		fd = open_regular(AT_FDCWD, path, O_RDONLY, 0);
		if (fd < 0)
			return fd;
		*holder = read_pid(fd);
		close(fd);
		if (*holder > 0 && (kill(*holder, 0) == 0 || errno == EPERM))
			return -EEXIST;
		/* stale: its process is gone */
		if (unlink(path) < 0)
			return -errno;
	}
	return -EEXIST;
}

int safe_pidfile_update(const char *path)
{
	int fd = open_regular(AT_FDCWD, path, O_WRONLY, 0), rc;

	if (fd < 0)
		return fd;
	rc = put_pid(fd);
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

int safe_open_device(const char *path, int flags)
{
	struct stat st, fst;
	int fd;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return -ENOTBLK;
	fd = open(path, flags | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* the name may have been swapped between the two: trust the descriptor */
	if (fstat(fd, &fst) < 0 || (fst.st_mode & S_IFMT) != (st.st_mode & S_IFMT) ||
	    fst.st_rdev != st.st_rdev || fst.st_ino != st.st_ino) {
		close(fd);
		return -ENOTBLK;
	}
	if (!(flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

const char *safe_run_dir(void)
{
	const char *dir = getenv("MDCTL_RUN_DIR");

	return dir && *dir ? dir : "/run/mdctl";
}

int safe_run_lock(const char *name, int nonblock, char *path, size_t len)
{
	const char *dir = safe_run_dir();
	int fd, rc;

	snprintf(path, len, "%s/%s", dir, name);
	fd = safe_open_in(dir, name, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return fd;
	while (flock(fd, LOCK_EX | (nonblock ? LOCK_NB : 0)) < 0) {
		if (errno == EINTR)
			continue;
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

const char *safe_strerror(int rc)
{
	switch (rc) {
	case -ELOOP:
		return "is a symbolic link: refused";
	case -EPERM:
		return "is writable by group or others, or owned by another user: refused";
	case -EINVAL:
		return "not a regular file: refused";
	case -ENOTBLK:
		return "not a block device or regular file";
	default:
		return strerror(rc < 0 ? -rc : rc);
	}
}

void safe_close_inherited(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
		return;
#endif
	/* older kernels: walk what is open */
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
}
