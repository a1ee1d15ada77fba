// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_super1.c: libFuzzer harness over the superblock checks, decoder, encoder and bad-block decoder. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "super1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: the first 4096 bytes are the superblock block (zero-filled when
 * shorter), the rest a bad-block log.  The probe sector is the one the
 * superblock names (so valid seeds get past -ESPIPE) unless the input
 * length is odd; the device size is derived from the end of the data or
 * of the superblock area, plus a slack byte, or 0 (unknown) for lengths
 * divisible by 3.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t blk = SB1_READ_SIZE;
	unsigned char *buf = calloc(1, blk), *enc = calloc(1, blk);
	struct sb1_info *info = malloc(sizeof(*info)), *again = malloc(sizeof(*again));
	struct sb1_badblock bb[64];
	uint64_t sb_sector, dev_sectors, before, after;
	size_t n, loglen;
	char tmp[64];
	int rc;

	if (!buf || !enc || !info || !again)
		abort();
	memcpy(buf, data, size < blk ? size : blk);
	sb1_decode(buf, info);
	sb_sector = (size & 1) ? 8 : info->super_offset;
	dev_sectors = info->data_offset + info->data_size;
	if (dev_sectors < sb_sector + 16)
		dev_sectors = sb_sector + 16;
	dev_sectors = (size % 3 == 0) ? 0 : dev_sectors + buf[blk - 1];
	rc = sb1_check(buf, sb_sector, dev_sectors);
	(void)sb1_strerror(rc);
	(void)sb1_checksum(buf);
	(void)sb1_role(info);
	(void)sb1_version_string(info->minor);
	for (uint32_t bit = 1; bit; bit <<= 1)
		(void)sb1_feature_name(bit);
	sb1_unused_space(info, dev_sectors, buf[blk - 2], &before, &after);
	(void)fmt_level(info->level);
	(void)fmt_layout(info->level, (int)info->layout, tmp, sizeof(tmp));
	fmt_human_kib(info->size, tmp, sizeof(tmp));
	fmt_brief_kib(info->data_size, tmp, sizeof(tmp));
	fmt_time(info->ctime_sec, tmp, sizeof(tmp));

	/* a valid superblock re-encoded must still be valid and decode the same way */
	if (rc == 0 && info->max_dev > 0) {
		if (sb1_encode(info, enc) < 0)
			__builtin_trap();
		if (sb1_check(enc, sb_sector, dev_sectors) != 0)
			__builtin_trap();
		sb1_decode(enc, again);
		if (again->data_offset != info->data_offset || again->data_size != info->data_size ||
		    again->events != info->events || sb1_role(again) != sb1_role(info) ||
		    memcmp(again->set_uuid, info->set_uuid, 16) ||
		    (again->feature_map & ~info->feature_map))
			__builtin_trap();
	}

	/* the tail as a log, with the superblock's shift and with a shift from the data */
	loglen = size > blk ? size - blk : 0;
	if (loglen) {
		(void)sb1_badblocks_decode(data + blk, loglen & ~(size_t)7, info->bblog_shift, bb, 64, &n);
		(void)sb1_badblocks_decode(data + blk, loglen, data[blk] & 0x7f, bb, 64, &n);
	}
	/* and the whole input as a log */
	(void)sb1_badblocks_decode(data, size & ~(size_t)7, size ? data[0] % 70 : 0, bb, 64, &n);
	(void)sb1_badblocks_decode(data, size & ~(size_t)7, 0, NULL, 0, &n);
	free(buf);
	free(enc);
	free(info);
	free(again);
	return 0;
}
