// SPDX-License-Identifier: GPL-2.0-or-later
/* gen_corpus.c: writes the fuzz_super1 seeds (valid superblocks, one with a bad-block log) into a directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "super1.h"
#include "../unit/sb1_fixture.h"

static void put(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	static unsigned char buf[SB1_READ_SIZE + 64];
	struct sb1_info s;
	int len;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	/* each seed holds only the bytes the encoder wrote; the harness zero-fills the rest */
	fixture_info(&s, 2, 131072, 5, 3, 0);
	len = sb1_encode(&s, buf);
	put(argv[1], "raid5-1.2", buf, (size_t)len);

	fixture_info(&s, 0, 131072, 1, 2, 1);
	s.devflags = SB1_DEVFLAG_WRITEMOSTLY;
	len = sb1_encode(&s, buf);
	put(argv[1], "raid1-1.0", buf, (size_t)len);

	fixture_info(&s, 1, 1 << 24, 6, 5, 5);
	s.dev_roles[5] = 2;
	s.feature_map = SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET;
	s.recovery_offset = 1ull << 33;
	s.max_dev = 129;
	len = sb1_encode(&s, buf);
	put(argv[1], "raid6-1.1-replacement", buf, (size_t)len);

	fixture_info(&s, 2, 1 << 22, 10, 4, 2);
	s.feature_map = SB1_FEAT_RESHAPE_ACTIVE | SB1_FEAT_BITMAP_OFFSET | SB1_FEAT_NEW_OFFSET;
	s.bitmap_offset = 8;
	s.reshape_position = 4096;
	s.delta_disks = 1;
	s.new_offset = -1024;
	s.new_level = 10;
	s.new_layout = 0x102;
	s.new_chunk = 1024;
	len = sb1_encode(&s, buf);
	put(argv[1], "raid10-reshape", buf, (size_t)len);

	/* a full 4 KiB block followed by a log of extents and its terminator */
	fixture_info(&s, 2, 131072, 5, 3, 1);
	s.feature_map = SB1_FEAT_BAD_BLOCKS;
	s.bblog_shift = 3;
	sb1_encode(&s, buf);
	for (int i = 0; i < 7; i++) {
		uint64_t e = ((uint64_t)(100 * (i + 1)) << 10) | (uint64_t)(i + 1);

		for (int b = 0; b < 8; b++)
			buf[SB1_READ_SIZE + 8 * i + b] = (unsigned char)(e >> (8 * b));
	}
	memset(buf + SB1_READ_SIZE + 56, 0xff, 8);
	put(argv[1], "raid5-badblocks", buf, sizeof(buf));
	return 0;
}
