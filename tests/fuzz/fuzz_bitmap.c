// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_bitmap.c: libFuzzer harness over an on-disk write-intent bitmap: its superblock then its bits, as bitmap_load() reads them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bitmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is the bitmap area of a 1.2 member: written at sector 16 of a
 * memfd whose superblock (never read here) says the bitmap is 8 sectors
 * after it and the data starts at sector 64.  The device ends at sector 80:
 * the bitmap area (48 sectors) holds the longest input (`make fuzz` caps
 * them at 16 KiB) and a bitmap that claims more bits runs past the end.
 * bitmap_load() must refuse or read it within the device; a superblock that
 * passes bitmap_check() re-encodes to the same first 72 bytes (the name and
 * padding after them may differ).  One memfd serves every input: emptied
 * and regrown, it reads as zeros where the input does not reach.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sb1_dev d;
	static int fd = -1;
	struct bitmap_dev bd;
	struct bitmap_info a, b;
	unsigned char sb[BITMAP_SB_BYTES] = { 0 }, again[BITMAP_SB_BYTES];
	int rc;

	memcpy(sb, data, size < sizeof(sb) ? size : sizeof(sb));
	if (bitmap_check(sb) == 0) {
		bitmap_decode(sb, &a);
		bitmap_encode(&a, again);
		bitmap_decode(again, &b);
		if (memcmp(&a, &b, sizeof(a)) || memcmp(sb, again, 72))
			abort();
	}
	(void)bitmap_strerror(bitmap_check(sb));

	if (fd < 0)
		fd = memfd_create("fuzz-bitmap", 0);
	if (fd < 0 || ftruncate(fd, 0) < 0)
		abort();
	if (ftruncate(fd, 80 * 512) < 0 || (size && pwrite(fd, data, size, 16 * 512) != (ssize_t)size))
		abort();
	memset(&d, 0, sizeof(d));
	d.minor = 2;
	d.sb_sector = 8;
	d.dev_sectors = 80;
	d.info.super_offset = 8;
	d.info.data_offset = 64;
	d.info.data_size = 16;
	d.info.feature_map = SB1_FEAT_BITMAP_OFFSET;
	d.info.bitmap_offset = 8;
	rc = bitmap_load(fd, &d, 1, &bd);
	if (rc == 0 && (bd.dirty > bd.bits || bd.at != 16 ||
			bd.at + bitmap_sectors(bd.bits) > d.dev_sectors))
		abort();
	return 0;
}
