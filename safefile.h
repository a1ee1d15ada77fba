/* SPDX-License-Identifier: GPL-2.0-or-later */
/* safefile.h: opening mdctl's own files and directories so that a planted symlink, FIFO or loose mode cannot redirect or stall them. */
#ifndef MDCTL_SAFEFILE_H
#define MDCTL_SAFEFILE_H

#include <sys/types.h>

/* The one mode of mdctl's run and state directories. */
#define SAFE_DIR_MODE 0700

/**
 * safe_dir() - make sure dir is a directory mdctl can trust, creating it
 * (parents 0755, itself SAFE_DIR_MODE) when missing.
 * @dir: absolute or relative path
 *
 * Return: 0; -ELOOP when dir is a symbolic link, -ENOTDIR when it is not a
 * directory, -EPERM when it is writable by group or others or owned by
 * another user than root or the caller; -errno from mkdir/lstat.
 */
int safe_dir(const char *dir);

/**
 * safe_open_in() - open name inside a directory checked by safe_dir(),
 * never following a symlink and refusing anything but a regular file
 * (a FIFO would block).
 * @dir, @name: the file
 * @flags: O_RDONLY, O_RDWR|O_CREAT, ... (O_NOFOLLOW, O_NONBLOCK for the
 *         open and O_CLOEXEC are added)
 * @mode: for O_CREAT
 *
 * Return: an fd (blocking) or -errno (-ELOOP symlink, -EINVAL not a
 * regular file, or safe_dir()'s codes).
 */
int safe_open_in(const char *dir, const char *name, int flags, mode_t mode);

/**
 * safe_open_file() - open path (no directory check) without following a
 * final symlink and only when it is a regular file; flags as above.
 */
int safe_open_file(const char *path, int flags, mode_t mode);

/**
 * safe_pidfile() - create path holding our pid: absolute path required,
 * O_EXCL creation never following a symlink; an existing file is replaced
 * only when it is a regular file naming a process that no longer runs.
 * Return: 0; -EINVAL relative path, -ELOOP symlink, -EEXIST a running
 * process holds it (*holder gets its pid), -errno otherwise.
 */
int safe_pidfile(const char *path, pid_t *holder);

/**
 * safe_pidfile_update() - rewrite the pid file safe_pidfile() made with
 * the current pid (after daemonising), never following a symlink.
 * Return: 0 or -errno.
 */
int safe_pidfile_update(const char *path);

/**
 * safe_open_device() - open a device or image for reading only when it is
 * a block device or a regular file, checked before the open (a FIFO would
 * block, a character device may act on open) and again on the descriptor.
 * Return: an fd or -errno (-ENOTBLK for any other kind of file).
 */
int safe_open_device(const char *path, int flags);

/** safe_run_dir() - the run directory: $MDCTL_RUN_DIR, default /run/mdctl. */
const char *safe_run_dir(void);

/**
 * safe_run_lock() - take the lock file name in the run directory
 * ($MDCTL_RUN_DIR, default /run/mdctl, checked and made by safe_dir()).
 * @name: "incremental.lock", "monitor.lock"
 * @nonblock: fail with -EWOULDBLOCK instead of waiting when it is held
 * @path: gets the lock's path, for messages
 * Return: the locked fd, or -errno.
 */
int safe_run_lock(const char *name, int nonblock, char *path, size_t len);

/** safe_strerror() - the cause for these functions' codes ("is a symbolic link", ...). */
const char *safe_strerror(int rc);

/**
 * safe_close_inherited() - in a child about to exec: close every descriptor
 * from 3 up, so nothing mdctl's caller left open reaches the program.
 */
void safe_close_inherited(void);

#endif
