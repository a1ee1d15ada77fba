/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slotrec.h: which array a disk bay (udev ID_PATH) last held a member of, for POLICY action=spare-same-slot. */
#ifndef MDCTL_SLOTREC_H
#define MDCTL_SLOTREC_H

#include <stddef.h>

/*
 * One small file per bay in the run directory (safe_run_dir()):
 * "slot-" followed by the bay's path with every byte outside
 * [A-Za-z0-9_:+-] and any leading '.' written as %XX, so that no path
 * name ("../x", "a/b", "") can leave the directory or collide with
 * another bay's file.  Written to a temporary file and renamed; never
 * read or written through a symbolic link (safe_open_in()).
 */
struct slot_record {
	char uuid[40];  /* the array UUID, 32 hex digits */
	char md[32];    /* its kernel name when the member left, "md0" */
	int slot;       /* the member's slot, -1 when it had none (a spare) */
};

/* The longest bay path accepted (longer: -ENAMETOOLONG). */
#define SLOTREC_PATH_MAX 200

/**
 * slotrec_file_name() - the record's file name for bay path into buf.
 * Return: 0; -EINVAL for an empty path, -ENAMETOOLONG when path is longer
 * than SLOTREC_PATH_MAX or buf too small.
 */
int slotrec_file_name(const char *path, char *buf, size_t len);

/**
 * slotrec_write() - record that bay path held a member of rec's array.
 * @dir: the run directory (safe_run_dir() outside tests)
 * Return: 0 or -errno (safe_strerror() says why: a symlink, loose modes).
 */
int slotrec_write(const char *dir, const char *path, const struct slot_record *rec);

/**
 * slotrec_read() - the record for bay path.
 * Return: 0; -ENOENT none; -EINVAL a file that is not a record (or not a
 * regular file); -ELOOP a symlink; -errno otherwise.
 */
int slotrec_read(const char *dir, const char *path, struct slot_record *rec);

/** slotrec_remove() - drop bay path's record; 0 also when there was none. */
int slotrec_remove(const char *dir, const char *path);

#endif
