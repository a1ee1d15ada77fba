/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_util.h: what several libFuzzer harnesses share: a private scratch directory and file writes. */
#ifndef MDCTL_FUZZ_UTIL_H
#define MDCTL_FUZZ_UTIL_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * One directory per fuzzing process (jobs may run side by side), made on
 * first use: in $TMPDIR when set, else /dev/shm when present (the intents
 * file is fsync'd on every rewrite; on a disk that costs more than the
 * parsing), else /tmp.  Removed by the atexit handler when the run ends.
 */
static char fuzz_scratch_dir[256];

static inline void fuzz_scratch_rm(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_scratch_dir);
	if (system(cmd) != 0)
		return;
}

static inline const char *fuzz_scratch(void)
{
	if (!fuzz_scratch_dir[0]) {
		const char *t = getenv("TMPDIR");

		if (!t || !*t)
			t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(fuzz_scratch_dir, sizeof(fuzz_scratch_dir), "%s/mdctl-fuzz.XXXXXX", t);
		if (!mkdtemp(fuzz_scratch_dir))
			abort();
		atexit(fuzz_scratch_rm);
	}
	return fuzz_scratch_dir;
}

/* dir/rel holds exactly len bytes of data afterwards; parent directories are made. */
static inline void fuzz_put(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[512];
	int fd;

	for (const char *s = strchr(rel, '/'); s; s = strchr(s + 1, '/')) {
		snprintf(path, sizeof(path), "%s/%.*s", dir, (int)(s - rel), rel);
		(void)mkdir(path, 0700);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len))
		abort();
	close(fd);
}

/* Fix a superblock's checksum (offset 216) so that mutations get past it to the logic behind. */
static inline void fuzz_fix_csum(unsigned char *sb)
{
	uint32_t c = sb1_checksum(sb);

	for (int i = 0; i < 4; i++)
		sb[216 + i] = (unsigned char)(c >> (8 * i));
}

#endif
