/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memfs.h: an in-memory file tree that the fuzz harnesses serve to the product's file reads. */
#ifndef MDCTL_FUZZ_MEMFS_H
#define MDCTL_FUZZ_MEMFS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A harness built with tests/fuzz/memfs.c and the linker's --wrap of
 * open, openat, read, pread, lseek, close, fstat, stat, lstat, access,
 * opendir, readdir, closedir, fopen, fcntl, ioctl and posix_fadvise (see
 * MEMFS_WRAP in the Makefile) serves every path
 * under MEMFS_ROOT from a table instead of the disk: the product's own
 * code paths (sysfs_read(), md_array_read(), config_load(), ...) run
 * unchanged, without a system call per file.  Other paths and
 * descriptors go to the real calls.  Files are read-only: an open for
 * writing fails with EROFS, so a product write never lands silently.
 * Directories exist when a file lies below them (as an emptied
 * directory that the harness removes) or when made with memfs_mkdir().
 */
#define MEMFS_ROOT "/nonexistent-mdctl-memfs"

/* Forget every file and directory; trap if the product left a descriptor or directory stream open. */
void memfs_reset(void);

/* rel (below MEMFS_ROOT; ".." resolved against what exists) holds data[0..len); data must live until memfs_reset(). */
void memfs_put(const char *rel, const void *data, size_t len);

/* rel is a file of size bytes holding data[0..len) at off and zeros elsewhere (a sparse image). */
void memfs_put_sparse(const char *rel, uint64_t size, uint64_t off, const void *data, size_t len);

/* Directory rel exists even when empty. */
void memfs_mkdir(const char *rel);

#endif
