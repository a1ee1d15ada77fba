// SPDX-License-Identifier: GPL-2.0-or-later
/* gen_corpus.c: writes the superblock seeds of fuzz_super1, fuzz_assembly and fuzz_super1_write under a seeds directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "super1.h"
#include "../unit/sb1_fixture.h"

static void put(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)mkdir(dir, 0755);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

#define ASM_SB 1024  /* fuzz_assembly's bytes per candidate */

/* fuzz_assembly input: options byte, then per member a flags byte and its superblock */
static size_t asm_add(unsigned char *set, size_t used, const struct sb1_info *s)
{
	set[used] = 0;
	memset(set + used + 1, 0, ASM_SB);
	sb1_encode(s, set + used + 1);
	return used + 1 + ASM_SB;
}

/* one array of level with n members (dev_number i in slot i); events lowered on member stale */
static void asm_set(const char *dir, const char *name, int level, uint32_t n, int stale,
		    int replacement)
{
	static unsigned char set[1 + 8 * (1 + ASM_SB)];
	struct sb1_info s;
	size_t used = 1;

	set[0] = 0;
	for (uint32_t i = 0; i < n; i++) {
		fixture_info(&s, 2, 131072, level, n, i);
		if ((int)i == stale)
			s.events -= 3;
		used = asm_add(set, used, &s);
	}
	if (replacement >= 0) {
		fixture_info(&s, 2, 131072, level, n, n);
		s.dev_roles[n] = (uint16_t)replacement;
		s.feature_map = SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET;
		s.recovery_offset = 8192;
		used = asm_add(set, used, &s);
	}
	put(dir, name, set, used);
}

/* fuzz_super1_write input: control byte (the minor), the 4 KiB block, a bad-block log */
static void write_seed(const char *dir, const char *name, int minor, int level, int bblog)
{
	static unsigned char buf[1 + SB1_READ_SIZE + 64];
	struct sb1_info s;
	size_t len = 1 + SB1_READ_SIZE;

	memset(buf, 0, sizeof(buf));
	buf[0] = (unsigned char)minor;
	fixture_info(&s, minor, 8192, level, 3, 1);
	if (bblog) {
		s.feature_map = SB1_FEAT_BAD_BLOCKS;
		s.bblog_shift = 0;
		/* one extent of 8 sectors at 64, then the terminator */
		uint64_t e = (64ull << 10) | 8;
		for (int b = 0; b < 8; b++)
			buf[len + b] = (unsigned char)(e >> (8 * b));
		memset(buf + len + 8, 0xff, 8);
		len += 16;
	}
	sb1_encode(&s, buf + 1);
	put(dir, name, buf, len);
}

static void more_seeds(const char *root)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/fuzz_assembly", root);
	asm_set(dir, "raid5-clean", 5, 3, -1, -1);
	asm_set(dir, "raid5-stale", 5, 3, 2, -1);
	asm_set(dir, "raid5-replacement", 5, 3, -1, 1);
	asm_set(dir, "raid6-replacement-stale", 6, 4, 0, 2);
	asm_set(dir, "raid10-clean", 10, 4, -1, -1);
	asm_set(dir, "raid1-replacement", 1, 2, -1, 0);
	snprintf(dir, sizeof(dir), "%s/fuzz_super1_write", root);
	write_seed(dir, "raid5-1.0", 0, 5, 0);
	write_seed(dir, "raid6-1.1", 1, 6, 0);
	write_seed(dir, "raid5-1.2-badblocks", 2, 5, 1);
	write_seed(dir, "raid1-1.2", 2, 1, 0);
}

int main(int argc, char **argv)
{
	static unsigned char buf[SB1_READ_SIZE + 64];
	struct sb1_info s;
	char dir[512];
	int len;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus SEEDS_DIR\n");
		return 2;
	}
	more_seeds(argv[1]);
	snprintf(dir, sizeof(dir), "%s/fuzz_super1", argv[1]);
	argv[1] = dir;
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
