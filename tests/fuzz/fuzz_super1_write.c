// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_super1_write.c: libFuzzer harness over the superblock read-modify-write path on an image. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "super1.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IMG_SECTORS 8192u  /* 4 MiB sparse image */

/*
 * Input: one control byte, then the 4 KiB block that is written at the
 * 1.x location the control byte picks (bits 0-1: 1.0/1.1/1.2), its
 * checksum fixed unless bit 2 is set; bytes past that are a bad-block log
 * written where the superblock says.  When the image loads, the harness
 * makes the changes --assemble --force and --replace make (events bump, a
 * role, the recovery offset) and writes: a successful write must read back
 * identical and load again with the same events; a write over a block
 * changed behind the loader's back must be refused (-ESTALE) and leave it.
 */
static void rmw(int fd, const uint8_t *data, size_t size, struct sb1_dev *d)
{
	struct sb1_dev *again = malloc(sizeof(*again));
	struct sb1_badblock *bb = NULL;
	size_t nbb = 0;
	uint8_t ctl = data[0];

	if (!again)
		abort();
	if (sb1_load_badblocks(fd, d, &bb, &nbb) == 0)
		free(bb);
	d->info.events++;
	if (d->info.max_dev > 0)
		d->info.dev_roles[ctl % d->info.max_dev] = (uint16_t)(size > 4097 ? data[4097] : 0);
	d->info.recovery_offset = size > 4098 ? data[4098] : 0;
	if (sb1_write(fd, d) == 0) {
		if (sb1_load(fd, d->minor, again) != 0 || again->info.events != d->info.events ||
		    memcmp(again->raw, d->raw, sizeof(d->raw)))
			__builtin_trap();
		/* someone else writes: the next write must notice */
		again->info.events += 5;
		if (sb1_write(fd, again) != 0)
			__builtin_trap();
		d->info.events++;
		if (sb1_write(fd, d) != -ESTALE)
			__builtin_trap();
	}
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t where[] = { 0, 0, 8 };
	struct sb1_dev *d = malloc(sizeof(*d));
	unsigned char *blk = calloc(1, SB1_READ_SIZE);
	uint64_t at;
	int minor, fd;

	if (!d || !blk)
		abort();
	if (size < 1)
		goto out;
	minor = data[0] % 3;
	at = minor == 0 ? sb1_location(0, IMG_SECTORS) : where[minor];
	memcpy(blk, data + 1, size - 1 < SB1_READ_SIZE ? size - 1 : SB1_READ_SIZE);
	if (!(data[0] & 4))
		fuzz_fix_csum(blk);
	fd = memfd_create("fuzz-sb1w", 0);
	if (fd < 0 || ftruncate(fd, (off_t)IMG_SECTORS * 512) < 0 ||
	    pwrite(fd, blk, SB1_READ_SIZE, (off_t)(at * 512)) != SB1_READ_SIZE)
		abort();
	if (size > 1 + SB1_READ_SIZE) {
		int64_t bbo = (int32_t)(blk[188] | blk[189] << 8 | blk[190] << 16 | (uint32_t)blk[191] << 24);
		int64_t pos = (int64_t)at + bbo;

		if (pos >= 0 && pos < IMG_SECTORS)
			(void)pwrite(fd, data + 1 + SB1_READ_SIZE, size - 1 - SB1_READ_SIZE, pos * 512);
	}
	if (sb1_load(fd, (data[0] & 8) ? -1 : minor, d) == 0)
		rmw(fd, data, size, d);
	close(fd);
out:
	free(d);
	free(blk);
	return 0;
}
