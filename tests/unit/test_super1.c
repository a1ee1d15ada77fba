// SPDX-License-Identifier: GPL-2.0-or-later
/* test_super1.c: layout, checksum, checks, decoding, encoding and device I/O of super1.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "super1.h"
#include "sb1_fixture.h"
#include "tree.h"

/* ---- byte helpers written independently of super1.c's accessors ---- */

static void set_le(unsigned char *p, size_t off, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, size_t off, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = (v << 8) | p[off + (size_t)i];
	return v;
}

/*
 * The kernel's checksum computed byte by byte: every byte contributes
 * byte << (8 * (position mod 4)), which is the same as adding little-endian
 * 32-bit words and, for an odd max_dev, a trailing little-endian 16-bit
 * value.  Bytes 216..219 (the stored checksum) count as zero.
 */
static uint32_t ref_checksum(const unsigned char *p)
{
	uint64_t max_dev = get_le(p, 220, 4), sum = 0;
	size_t len;

	if (max_dev > 1920)
		max_dev = 1920;
	len = 256 + 2 * (size_t)max_dev;
	for (size_t i = 0; i < len; i++) {
		if (i >= 216 && i < 220)
			continue;
		sum += (uint64_t)p[i] << (8 * (i % 4));
	}
	return (uint32_t)(sum % (1ull << 32) + sum / (1ull << 32));
}

static void fix_csum(unsigned char *p)
{
	set_le(p, 216, ref_checksum(p), 4);
}

/* Set one field, fix the checksum, and return what sb1_check() makes of the block
 * at sector 8 of a 131072-sector device. */
static int set_and_check(unsigned char *buf, size_t off, uint64_t v, int bytes)
{
	set_le(buf, off, v, bytes);
	fix_csum(buf);
	return sb1_check(buf, 8, 131072);
}

/* a valid 1.2 superblock buffer for a 64 MiB raid5 member */
static void valid_buf(unsigned char *buf, struct sb1_info *s)
{
	struct sb1_info tmp;

	if (!s)
		s = &tmp;
	assert_int_equal(fixture_info(s, 2, 131072, 5, 3, 0), 0);
	assert_int_equal(sb1_encode(s, buf), 512);
	assert_int_equal(sb1_check(buf, 8, 131072), 0);
}

/* ---- layout ---- */

struct field {
	const char *name;
	size_t off, size, want_off, want_size;
};

#define F(f, o, sz) { #f, offsetof(struct md_sb1, f), sizeof(((struct md_sb1 *)0)->f), o, sz }

static void md_sb1_fields_sit_at_kernel_offsets(void **state)
{
	static const struct field fields[] = {
		F(magic, 0, 4), F(major_version, 4, 4), F(feature_map, 8, 4), F(pad0, 12, 4),
		F(set_uuid, 16, 16), F(set_name, 32, 32), F(ctime, 64, 8), F(level, 72, 4),
		F(layout, 76, 4), F(size, 80, 8), F(chunksize, 88, 4), F(raid_disks, 92, 4),
		F(bitmap_offset, 96, 4), F(new_level, 100, 4), F(reshape_position, 104, 8),
		F(delta_disks, 112, 4), F(new_layout, 116, 4), F(new_chunk, 120, 4),
		F(new_offset, 124, 4), F(data_offset, 128, 8), F(data_size, 136, 8),
		F(super_offset, 144, 8), F(recovery_offset, 152, 8), F(dev_number, 160, 4),
		F(cnt_corrected_read, 164, 4), F(device_uuid, 168, 16), F(devflags, 184, 1),
		F(bblog_shift, 185, 1), F(bblog_size, 186, 2), F(bblog_offset, 188, 4),
		F(utime, 192, 8), F(events, 200, 8), F(resync_offset, 208, 8), F(sb_csum, 216, 4),
		F(max_dev, 220, 4), F(logical_block_size, 224, 4), F(pad3, 228, 28),
	};
	size_t next = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (fields[i].off != fields[i].want_off || fields[i].size != fields[i].want_size)
			fail_msg("%s at %zu size %zu, want %zu size %zu", fields[i].name, fields[i].off,
				 fields[i].size, fields[i].want_off, fields[i].want_size);
		/* no gaps: the fields tile the 256 bytes */
		assert_int_equal(fields[i].off, next);
		next = fields[i].off + fields[i].size;
	}
	assert_int_equal(next, 256);
	assert_int_equal(offsetof(struct md_sb1, dev_roles), 256);
	assert_int_equal(sizeof(((struct md_sb1 *)0)->dev_roles[0]), 2);
}

static void encode_puts_each_field_at_its_offset(void **state)
{
	unsigned char buf[SB1_READ_SIZE];
	struct sb1_info s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.feature_map = SB1_FEAT_RECOVERY_OFFSET | SB1_FEAT_RESHAPE_ACTIVE | SB1_FEAT_NEW_OFFSET |
			SB1_FEAT_BITMAP_OFFSET;
	memset(s.set_uuid, 0x5a, 16);
	strcpy(s.set_name, "h:n");
	s.ctime_sec = 0x123456789aull;
	s.ctime_usec = 0x0bcdef;
	s.level = -1;
	s.layout = 0x11223344;
	s.size = 0x0102030405060708ull;
	s.chunksize = 0x99;
	s.raid_disks = 7;
	s.bitmap_offset = -24;
	s.new_level = 6;
	s.reshape_position = 0xaabbccddeeull;
	s.delta_disks = -2;
	s.new_layout = 18;
	s.new_chunk = 256;
	s.new_offset = -4096;
	s.data_offset = 0x10000;
	s.data_size = 0x20000;
	s.super_offset = 8;
	s.recovery_offset = 0x1122334455ull;
	s.dev_number = 3;
	s.cnt_corrected_read = 77;
	memset(s.device_uuid, 0xc3, 16);
	s.devflags = 3;
	s.bblog_shift = 2;
	s.bblog_size = 8;
	s.bblog_offset = -8;
	s.utime_sec = 0x33;
	s.utime_usec = 5;
	s.events = 0x0fedcba987654321ull;
	s.resync_offset = 99;
	s.max_dev = 5;
	s.logical_block_size = 4096;
	for (int i = 0; i < 5; i++)
		s.dev_roles[i] = (uint16_t)(i == 4 ? SB1_ROLE_FAULTY : (unsigned)i);
	assert_int_equal(sb1_encode(&s, buf), 512);
	assert_int_equal(get_le(buf, 0, 4), 0xa92b4efc);
	assert_int_equal(get_le(buf, 4, 4), 1);
	assert_int_equal(get_le(buf, 8, 4), s.feature_map);
	assert_int_equal(buf[16], 0x5a);
	assert_int_equal(buf[31], 0x5a);
	assert_memory_equal(buf + 32, "h:n\0", 4);
	assert_true(get_le(buf, 64, 8) == (0x123456789aull | (0x0bcdefull << 40)));
	assert_int_equal(get_le(buf, 72, 4), 0xffffffffu);
	assert_int_equal(get_le(buf, 76, 4), 0x11223344);
	assert_true(get_le(buf, 80, 8) == 0x0102030405060708ull);
	assert_int_equal(get_le(buf, 88, 4), 0x99);
	assert_int_equal(get_le(buf, 92, 4), 7);
	assert_int_equal(get_le(buf, 96, 4), (uint32_t)-24);
	assert_int_equal(get_le(buf, 100, 4), 6);
	assert_true(get_le(buf, 104, 8) == 0xaabbccddeeull);
	assert_int_equal(get_le(buf, 112, 4), (uint32_t)-2);
	assert_int_equal(get_le(buf, 116, 4), 18);
	assert_int_equal(get_le(buf, 120, 4), 256);
	assert_int_equal(get_le(buf, 124, 4), (uint32_t)-4096);
	assert_int_equal(get_le(buf, 128, 8), 0x10000);
	assert_int_equal(get_le(buf, 136, 8), 0x20000);
	assert_int_equal(get_le(buf, 144, 8), 8);
	assert_true(get_le(buf, 152, 8) == 0x1122334455ull);
	assert_int_equal(get_le(buf, 160, 4), 3);
	assert_int_equal(get_le(buf, 164, 4), 77);
	assert_int_equal(buf[168], 0xc3);
	assert_int_equal(buf[183], 0xc3);
	assert_int_equal(buf[184], 3);
	assert_int_equal(buf[185], 2);
	assert_int_equal(get_le(buf, 186, 2), 8);
	assert_int_equal(get_le(buf, 188, 4), (uint32_t)-8);
	assert_true(get_le(buf, 192, 8) == (0x33ull | (5ull << 40)));
	assert_true(get_le(buf, 200, 8) == 0x0fedcba987654321ull);
	assert_int_equal(get_le(buf, 208, 8), 99);
	assert_int_equal(get_le(buf, 216, 4), ref_checksum(buf));
	assert_int_equal(get_le(buf, 220, 4), 5);
	assert_int_equal(get_le(buf, 224, 4), 4096);
	for (int i = 228; i < 256; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(get_le(buf, 12, 4), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(get_le(buf, 256 + 2 * (size_t)i, 2), i);
	assert_int_equal(get_le(buf, 264, 2), 0xfffe);
	/* nothing past the roles */
	for (size_t i = 266; i < SB1_READ_SIZE; i++)
		assert_int_equal(buf[i], 0);
}

/* ---- checksum ---- */

static void checksum_vectors(uint32_t max_dev, unsigned seed)
{
	unsigned char buf[SB1_READ_SIZE];

	srand(seed);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rand();
	set_le(buf, 220, max_dev, 4);
	assert_int_equal(sb1_checksum(buf), ref_checksum(buf));
	/* the stored value does not take part */
	set_le(buf, 216, 0xdeadbeef, 4);
	assert_int_equal(sb1_checksum(buf), ref_checksum(buf));
	/* bytes past the roles do not either */
	if (256 + 2 * max_dev < sizeof(buf)) {
		uint32_t c = sb1_checksum(buf);

		buf[256 + 2 * max_dev] ^= 0xff;
		assert_int_equal(sb1_checksum(buf), c);
	}
}

static void checksum_matches_reference_for_even_max_dev(void **state)
{
	(void)state;
	checksum_vectors(128, 1);
	checksum_vectors(1920, 2);
	checksum_vectors(0, 3);
}

static void checksum_matches_reference_for_odd_max_dev(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	checksum_vectors(1, 4);
	checksum_vectors(127, 5);
	checksum_vectors(1919, 6);
	/* the trailing role of an odd max_dev is summed as a 16-bit value */
	memset(buf, 0, sizeof(buf));
	set_le(buf, 220, 3, 4);
	set_le(buf, 260, 0xabcd, 2);
	set_le(buf, 262, 0x1234, 2);
	/* roles 0 and 1 are zero; role 2 is the trailing value; role 3 is outside */
	assert_int_equal(sb1_checksum(buf), 3u + 0xabcdu);
}

static void checksum_folds_carry_once(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	/*
	 * 0xffffffff + 0xffffffff + 1 = 0x1_ffffffff: low 0xffffffff plus high 1
	 * carries out of 32 bits; the kernel drops that carry (0), a second
	 * fold would give 1.
	 */
	memset(buf, 0, sizeof(buf));
	memset(buf, 0xff, 8);
	buf[8] = 1;
	assert_int_equal(sb1_checksum(buf), 0);
	assert_int_equal(ref_checksum(buf), 0);
	/* 62 words of 0xffffffff fold to exactly 0xffffffff */
	memset(buf, 0xff, 216);
	memset(buf + 224, 0xff, 32);
	set_le(buf, 220, 0, 4);
	assert_int_equal(sb1_checksum(buf), 0xffffffffu);
}

static void checksum_clamps_max_dev_to_1920(void **state)
{
	/* exactly 4 KiB on the heap: reading past it trips the sanitizer build */
	unsigned char *b = malloc(SB1_READ_SIZE);
	uint64_t sum = 0;

	(void)state;
	assert_non_null(b);
	memset(b, 0, SB1_READ_SIZE);
	set_le(b, 220, 0xffffffff, 4);
	set_le(b, 4092, 0x00010002, 4); /* the last word counts */
	sum = 0xffffffffull + 0x00010002ull;
	assert_int_equal(sb1_checksum(b), (uint32_t)(sum + (sum >> 32)));
	free(b);
}

static void checksum_agrees_with_mdadm_for_the_fixture(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	/* Debian's mdadm 4.2 reported "Checksum : 23fcddfd - correct" for this superblock */
	valid_buf(buf, NULL);
	assert_int_equal(get_le(buf, 216, 4), 0x23fcddfd);
}

/* ---- checks ---- */

static void sb1_check_accepts_valid_superblock(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	assert_int_equal(sb1_check(buf, 8, 131072), 0);
	/* size unknown: the end-of-device checks are skipped */
	assert_int_equal(sb1_check(buf, 8, 0), 0);
	/* logical_block_size at 224 is a field, not padding */
	assert_int_equal(set_and_check(buf, 224, 4096, 4), 0);
}

static void sb1_check_rejects_missing_magic(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	assert_int_equal(set_and_check(buf, 0, 0xa92b4efd, 4), -ENOENT);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(sb1_check(buf, 8, 131072), -ENOENT);
}

static void sb1_check_rejects_major_version_other_than_1(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	assert_int_equal(set_and_check(buf, 4, 0, 4), -EPROTO);
	assert_int_equal(set_and_check(buf, 4, 2, 4), -EPROTO);
}

static void sb1_check_rejects_max_dev_above_1920(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	assert_int_equal(set_and_check(buf, 220, 1921, 4), -E2BIG);
	/* 1920 roles fill the 4 KiB exactly and are accepted */
	assert_int_equal(set_and_check(buf, 220, 1920, 4), 0);
}

static void sb1_check_rejects_super_offset_elsewhere(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	/* found at sector 0 (a 1.1 probe) but it says 8 */
	assert_int_equal(sb1_check(buf, 0, 131072), -ESPIPE);
	assert_int_equal(set_and_check(buf, 144, 16, 8), -ESPIPE);
}

static void sb1_check_rejects_unknown_feature_bits(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	for (int bit = 13; bit < 32; bit++) {
		valid_buf(buf, NULL);
		assert_int_equal(set_and_check(buf, 8, 1u << bit, 4), -EOPNOTSUPP);
	}
}

static void sb1_check_rejects_checksum_mismatch(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	set_le(buf, 216, get_le(buf, 216, 4) + 1, 4);
	assert_int_equal(sb1_check(buf, 8, 131072), -EBADMSG);
	/* a flipped role byte is covered too */
	valid_buf(buf, NULL);
	buf[256 + 2 * 100] ^= 1;
	assert_int_equal(sb1_check(buf, 8, 131072), -EBADMSG);
}

static void sb1_check_rejects_nonzero_padding(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	assert_int_equal(set_and_check(buf, 12, 1, 4), -ENOTEMPTY);
	for (int i = 228; i < 256; i += 9) {
		valid_buf(buf, NULL);
		buf[i] = 0x80;
		fix_csum(buf);
		assert_int_equal(sb1_check(buf, 8, 131072), -ENOTEMPTY);
	}
}

static void sb1_check_rejects_features_the_kernel_refuses_together(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	assert_int_equal(set_and_check(buf, 8, SB1_FEAT_PPL | SB1_FEAT_BITMAP_OFFSET, 4), -EILSEQ);
	assert_int_equal(set_and_check(buf, 8, SB1_FEAT_PPL | SB1_FEAT_MULTIPLE_PPLS, 4), -EILSEQ);
	set_le(buf, 8, SB1_FEAT_RAID0_LAYOUT, 4); /* level is 5 */
	fix_csum(buf);
	assert_int_equal(sb1_check(buf, 8, 131072), -EILSEQ);
}

static void sb1_check_rejects_bad_blocks_without_usable_log(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	assert_int_equal(set_and_check(buf, 8, SB1_FEAT_BAD_BLOCKS, 4), 0);
	assert_int_equal(set_and_check(buf, 188, 0, 4), -EUCLEAN);
	valid_buf(buf, NULL);
	set_le(buf, 8, SB1_FEAT_BAD_BLOCKS, 4);
	assert_int_equal(set_and_check(buf, 186, 9, 2), -EUCLEAN);
	/* an empty (0-sector) log is what the kernel reads as no bad blocks */
	assert_int_equal(set_and_check(buf, 186, 0, 2), 0);
}

static void sb1_check_rejects_data_outside_device(void **state)
{
	unsigned char buf[SB1_READ_SIZE];

	(void)state;
	valid_buf(buf, NULL);
	/* the device shrank by one sector */
	assert_int_equal(sb1_check(buf, 8, 131071), -ERANGE);
	/* data_size below the kernel's minimum */
	assert_int_equal(set_and_check(buf, 136, 9, 8), -ERANGE);
	/* data starting inside the superblock */
	valid_buf(buf, NULL);
	assert_int_equal(set_and_check(buf, 128, 8, 8), -ERANGE);
	/* overflow of data_offset + data_size */
	valid_buf(buf, NULL);
	set_le(buf, 136, UINT64_MAX - 100, 8);
	fix_csum(buf);
	assert_int_equal(sb1_check(buf, 8, 0), -ERANGE);
}

static void sb1_check_rejects_1_0_data_over_superblock(void **state)
{
	unsigned char buf[SB1_READ_SIZE];
	struct sb1_info s;
	uint64_t sb;

	(void)state;
	assert_int_equal(fixture_info(&s, 0, 131072, 1, 2, 0), 0);
	sb = s.super_offset;
	assert_int_equal(sb1_encode(&s, buf), 512);
	assert_int_equal(sb1_check(buf, sb, 131072), 0);
	set_le(buf, 136, sb + 1, 8);
	fix_csum(buf);
	assert_int_equal(sb1_check(buf, sb, 131072), -ERANGE);
}

static void sb1_strerror_names_each_rejection(void **state)
{
	static const int codes[] = { -ENOENT, -EPROTO, -E2BIG, -ESPIPE, -EOPNOTSUPP, -EBADMSG,
				     -ENOTEMPTY, -EILSEQ, -EUCLEAN, -ERANGE, -ESTALE };

	(void)state;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(sb1_strerror(codes[i]), sb1_strerror(codes[j]));
	assert_non_null(strstr(sb1_strerror(-EBADMSG), "checksum"));
}

/* ---- decode / encode ---- */

static void decode_reads_replacement_for_its_slot(void **state)
{
	unsigned char buf[SB1_READ_SIZE];
	struct sb1_info s, d;

	(void)state;
	assert_int_equal(fixture_info(&s, 2, 131072, 5, 3, 3), 0);
	s.dev_roles[3] = 1; /* same slot as dev_number 1 */
	s.feature_map = SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET;
	s.recovery_offset = 0x100000001ull; /* needs all 64 bits */
	assert_int_equal(sb1_encode(&s, buf), 512);
	/* written independently: both bits on disk */
	assert_int_equal(get_le(buf, 8, 4), 0x12);
	assert_true(get_le(buf, 152, 8) == 0x100000001ull);
	assert_int_equal(sb1_check(buf, 8, 131072), 0);
	sb1_decode(buf, &d);
	assert_int_equal(d.feature_map, SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET);
	assert_int_equal(d.dev_number, 3);
	assert_int_equal(sb1_role(&d), 1);
	assert_true(d.recovery_offset == 0x100000001ull);
	assert_int_equal(d.dev_roles[1], 1);
	assert_string_equal(sb1_feature_name(SB1_FEAT_REPLACEMENT), "replacement");
	assert_string_equal(sb1_feature_name(SB1_FEAT_RECOVERY_OFFSET), "recovery_offset");
}

static void decode_reads_times_roles_and_flags(void **state)
{
	unsigned char buf[SB1_READ_SIZE];
	struct sb1_info d;

	(void)state;
	memset(buf, 0, sizeof(buf));
	set_le(buf, 64, (0xfffffull << 40) | 0xffffffffffull, 8);
	set_le(buf, 192, (7ull << 40) | 1234, 8);
	set_le(buf, 96, 0xfff80010, 4); /* ppl: offset 16, size 0xfff8 */
	buf[184] = 3;
	set_le(buf, 220, 4, 4);
	set_le(buf, 256, 0xffff, 2);
	set_le(buf, 258, 0xfffe, 2);
	set_le(buf, 260, 0xfffd, 2);
	set_le(buf, 262, 2, 2);
	set_le(buf, 264, 5, 2); /* beyond max_dev */
	set_le(buf, 160, 9, 4);
	sb1_decode(buf, &d);
	assert_true(d.ctime_sec == 0xffffffffffull);
	assert_true(d.ctime_usec == 0xfffff);
	assert_int_equal(d.utime_sec, 1234);
	assert_int_equal(d.utime_usec, 7);
	assert_int_equal(d.ppl_offset, 16);
	assert_int_equal(d.ppl_size, 0xfff8);
	assert_int_equal(d.bitmap_offset, (int32_t)0xfff80010);
	assert_int_equal(d.devflags, SB1_DEVFLAG_WRITEMOSTLY | SB1_DEVFLAG_FAILFAST);
	assert_int_equal(d.dev_roles[0], SB1_ROLE_SPARE);
	assert_int_equal(d.dev_roles[1], SB1_ROLE_FAULTY);
	assert_int_equal(d.dev_roles[2], SB1_ROLE_JOURNAL);
	assert_int_equal(d.dev_roles[3], 2);
	assert_int_equal(d.dev_roles[4], SB1_ROLE_SPARE);
	/* dev_number beyond max_dev reads as spare */
	assert_int_equal(sb1_role(&d), SB1_ROLE_SPARE);
	d.dev_number = 3;
	assert_int_equal(sb1_role(&d), 2);
	assert_string_equal(sb1_version_string(0), "1.0");
	assert_string_equal(sb1_version_string(1), "1.1");
	assert_string_equal(sb1_version_string(2), "1.2");
}

static void encode_decode_round_trip_keeps_every_field(void **state)
{
	unsigned char buf[SB1_READ_SIZE];
	struct sb1_info in, out;

	(void)state;
	assert_int_equal(fixture_info(&in, 2, 1 << 22, 6, 5, 4), 0);
	in.feature_map = SB1_FEAT_BITMAP_OFFSET | SB1_FEAT_RECOVERY_OFFSET | SB1_FEAT_RESHAPE_ACTIVE |
			 SB1_FEAT_BAD_BLOCKS | SB1_FEAT_REPLACEMENT | SB1_FEAT_RESHAPE_BACKWARDS |
			 SB1_FEAT_NEW_OFFSET | SB1_FEAT_RECOVERY_BITMAP;
	in.dev_roles[4] = 2;
	in.ctime_usec = 999999;
	in.utime_usec = 1;
	in.bitmap_offset = 8;
	in.new_level = 5;
	in.reshape_position = 123456;
	in.delta_disks = -1;
	in.new_layout = 3;
	in.new_chunk = 128;
	in.new_offset = 2048;
	in.recovery_offset = 1ull << 40;
	in.cnt_corrected_read = 4;
	in.devflags = SB1_DEVFLAG_FAILFAST;
	in.bblog_shift = 3;
	in.resync_offset = 77;
	in.logical_block_size = 512;
	in.max_dev = 129;
	in.dev_roles[128] = SB1_ROLE_FAULTY;
	strcpy(in.set_name, "0123456789012345678901234567890"); /* 31 chars + NUL */
	assert_int_equal(sb1_encode(&in, buf), 1024);
	assert_int_equal(sb1_check(buf, 8, 1 << 22), 0);
	sb1_decode(buf, &out);
	in.sb_csum = out.sb_csum;
	in.ppl_offset = out.ppl_offset;
	in.ppl_size = out.ppl_size;
	assert_int_equal(in.sb_csum, ref_checksum(buf));
	assert_memory_equal(&in, &out, sizeof(in));
	/* a full 32-byte name has no terminator on disk but decodes terminated */
	memset(in.set_name, 'x', 32);
	in.set_name[32] = '\0';
	assert_int_equal(sb1_encode(&in, buf), 1024);
	sb1_decode(buf, &out);
	assert_int_equal(strlen(out.set_name), 32);
}

static void encode_rebuilds_inconsistent_feature_bits(void **state)
{
	unsigned char buf[SB1_READ_SIZE];
	struct sb1_info in, out;

	(void)state;
	assert_int_equal(fixture_info(&in, 2, 131072, 5, 3, 5), 0); /* dev 5: spare */
	in.feature_map = SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET | SB1_FEAT_RECOVERY_BITMAP |
			 SB1_FEAT_NEW_OFFSET | SB1_FEAT_BITMAP_OFFSET | SB1_FEAT_RAID0_LAYOUT |
			 (1u << 20);
	in.recovery_offset = 100;
	assert_int_equal(sb1_encode(&in, buf), 512);
	sb1_decode(buf, &out);
	/* spare: no slot to recover or replace; no new_offset/bitmap_offset values; level 5 */
	assert_int_equal(out.feature_map, 0);
	/* in a slot but fully recovered: RECOVERY_OFFSET means nothing */
	in.dev_number = 0;
	in.feature_map = SB1_FEAT_RECOVERY_OFFSET | SB1_FEAT_REPLACEMENT;
	in.recovery_offset = SB1_MAX_SECTOR;
	assert_int_equal(sb1_encode(&in, buf), 512);
	sb1_decode(buf, &out);
	assert_int_equal(out.feature_map, SB1_FEAT_REPLACEMENT);
	/* BAD_BLOCKS without a log is dropped */
	in.feature_map = SB1_FEAT_BAD_BLOCKS;
	in.bblog_offset = 0;
	assert_int_equal(sb1_encode(&in, buf), 512);
	sb1_decode(buf, &out);
	assert_int_equal(out.feature_map, 0);
}

static void encode_rejects_max_dev_out_of_range(void **state)
{
	unsigned char buf[SB1_READ_SIZE];
	struct sb1_info in;

	(void)state;
	assert_int_equal(fixture_info(&in, 2, 131072, 5, 3, 0), 0);
	in.max_dev = 0;
	assert_int_equal(sb1_encode(&in, buf), -EINVAL);
	in.max_dev = 1921;
	assert_int_equal(sb1_encode(&in, buf), -EINVAL);
	in.max_dev = 1920;
	assert_int_equal(sb1_encode(&in, buf), 4096);
	in.max_dev = 129;
	assert_int_equal(sb1_encode(&in, buf), 1024);
	in.max_dev = 127;
	assert_int_equal(sb1_encode(&in, buf), 512);
	assert_int_equal(get_le(buf, 216, 4), ref_checksum(buf));
}

/* ---- bad-block log ---- */

static void badblocks_decode_stops_at_terminator(void **state)
{
	unsigned char log[64];
	struct sb1_badblock bb[8];
	size_t n;

	(void)state;
	memset(log, 0xff, sizeof(log));
	set_le(log, 0, (1000ull << 10) | 8, 8);   /* sector 1000, 8 */
	set_le(log, 8, (5ull << 10) | 0x3ff, 8);  /* sector 5, 1023 */
	set_le(log, 16, 0, 8);                    /* zero length: nothing */
	set_le(log, 24, ((1ull << 54) - 1) << 10 | 1, 8);
	/* 32: terminator; 40 looks like an entry but follows it */
	set_le(log, 40, (7ull << 10) | 1, 8);
	assert_int_equal(sb1_badblocks_decode(log, sizeof(log), 0, bb, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(bb[0].sector, 1000);
	assert_int_equal(bb[0].len, 8);
	assert_int_equal(bb[1].sector, 5);
	assert_int_equal(bb[1].len, 1023);
	assert_true(bb[2].sector == (1ull << 54) - 1);
	assert_int_equal(bb[2].len, 1);
	/* an all-ones log is empty */
	memset(log, 0xff, sizeof(log));
	assert_int_equal(sb1_badblocks_decode(log, sizeof(log), 0, bb, 8, &n), 0);
	assert_int_equal(n, 0);
}

static void badblocks_decode_scales_by_shift(void **state)
{
	unsigned char log[16];
	struct sb1_badblock bb[2];
	size_t n;

	(void)state;
	memset(log, 0xff, sizeof(log));
	set_le(log, 0, (100ull << 10) | 2, 8);
	assert_int_equal(sb1_badblocks_decode(log, sizeof(log), 3, bb, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(bb[0].sector, 800);
	assert_int_equal(bb[0].len, 16);
	/* an extent that overflows 64 bits once shifted is refused */
	set_le(log, 0, ((1ull << 54) - 1) << 10 | 1, 8);
	assert_int_equal(sb1_badblocks_decode(log, sizeof(log), 20, bb, 2, &n), -EINVAL);
	assert_int_equal(sb1_badblocks_decode(log, sizeof(log), 64, bb, 2, &n), -EINVAL);
}

static void badblocks_decode_counts_past_max_and_checks_length(void **state)
{
	unsigned char log[32];
	struct sb1_badblock bb[1];
	size_t n;

	(void)state;
	for (int i = 0; i < 4; i++)
		set_le(log, 8 * (size_t)i, ((uint64_t)(i + 1) << 10) | 1, 8);
	assert_int_equal(sb1_badblocks_decode(log, sizeof(log), 0, bb, 1, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(bb[0].sector, 1);
	assert_int_equal(sb1_badblocks_decode(log, 12, 0, bb, 1, &n), -EINVAL);
}

/* ---- geometry ---- */

static void default_geometry_matches_mdadm(void **state)
{
	struct sb1_geometry g;

	(void)state;
	/*
	 * small test device, 512 KiB chunks: the headroom keeps two chunks
	 * (2048 sectors), so 2 MiB offset as mdadm 4.2 writes it on 64 MiB;
	 * log after 4 KiB bitmap space
	 */
	assert_int_equal(sb1_default_geometry(2, 131072, 512, &g), 0);
	assert_int_equal(g.super_offset, 8);
	assert_int_equal(g.data_offset, 4096);
	assert_int_equal(g.data_size, 131072 - 4096);
	assert_int_equal(g.bblog_offset, 16);
	assert_int_equal(g.bblog_size, 8);
	/* without a chunk (raid1) the same device gets 1 MiB */
	assert_int_equal(sb1_default_geometry(2, 131072, 0, &g), 0);
	assert_int_equal(g.data_offset, 2048);
	/* a 1 TB disk: the 264192 sectors (129 MiB) users usually see, log at 264 */
	assert_int_equal(sb1_default_geometry(2, 1953525168, 512, &g), 0);
	assert_int_equal(g.data_offset, 264192);
	assert_int_equal(g.bblog_offset, 264);
	assert_int_equal(g.data_size, 1953525168 - 264192);
	/* 10 GiB: 64 KiB bitmap space; headroom 8 MiB (about 0.1%) */
	assert_int_equal(sb1_default_geometry(2, 20971520, 512, &g), 0);
	assert_int_equal(g.data_offset, 18432);
	assert_int_equal(g.bblog_offset, 136);
	/* 1.1 at sector 0 */
	assert_int_equal(sb1_default_geometry(1, 131072, 0, &g), 0);
	assert_int_equal(g.super_offset, 0);
	assert_int_equal(g.data_offset, 2048);
	assert_int_equal(g.bblog_offset, 16);
	/* 1.0: superblock 8-12 KiB from the end, data first, log just before the sb */
	assert_int_equal(sb1_default_geometry(0, 131075, 512, &g), 0);
	assert_int_equal(g.super_offset, (131075 - 16) & ~7ull);
	assert_int_equal(g.data_offset, 0);
	assert_int_equal(g.data_size, g.super_offset - 16);
	assert_int_equal(g.bblog_offset, -8);
	assert_int_equal(g.bblog_size, 8);
}

static void default_geometry_refuses_tiny_devices(void **state)
{
	struct sb1_geometry g;

	(void)state;
	assert_int_equal(sb1_default_geometry(2, 23, 0, &g), -ENOSPC);
	assert_int_equal(sb1_default_geometry(2, 2050, 0, &g), -ENOSPC);
	assert_int_equal(sb1_default_geometry(2, 2058, 0, &g), 0);
	assert_int_equal(sb1_default_geometry(2, 2058, 512, &g), -ENOSPC);
	assert_int_equal(sb1_default_geometry(0, 30, 0, &g), -ENOSPC);
	assert_int_equal(sb1_default_geometry(3, 131072, 0, &g), -EINVAL);
}

static void location_follows_minor(void **state)
{
	(void)state;
	assert_int_equal(sb1_location(1, 1000), 0);
	assert_int_equal(sb1_location(2, 1000), 8);
	assert_int_equal(sb1_location(0, 1000), 984);
	assert_int_equal(sb1_location(0, 1007), 984);
	assert_int_equal(sb1_location(0, 1008), 992);
	assert_true(sb1_location(2, 23) == UINT64_MAX);
	assert_true(sb1_location(0, 23) == UINT64_MAX);
	assert_int_equal(sb1_location(0, 24), 8);
}

/* ---- device I/O on image files ---- */

static char *tmp_image(void)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/mdctl-sb1-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

static void read_file(const char *path, unsigned char **buf, size_t *len)
{
	*buf = (unsigned char *)tree_slurp(path, len);
}

static void write_then_load_round_trip_each_minor(void **state)
{
	(void)state;
	for (int minor = 0; minor <= 2; minor++) {
		struct sb1_info s;
		struct sb1_dev *d = calloc(1, sizeof(*d));
		char *path = tmp_image();
		unsigned char raw[SB1_READ_SIZE];
		int fd;

		assert_non_null(d);
		assert_int_equal(fixture_info(&s, minor, 40000, 1, 2, 1), 0);
		s.feature_map = SB1_FEAT_BAD_BLOCKS; /* cleared: a new member has none */
		assert_int_equal(fixture_image(path, 40000, &s), 0);
		fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(sb1_load(fd, -1, d), 0);
		assert_int_equal(d->minor, minor);
		assert_int_equal(d->sb_sector, sb1_location(minor, 40000));
		assert_int_equal(d->dev_sectors, 40000);
		assert_int_equal(d->info.feature_map, 0);
		assert_memory_equal(d->info.set_uuid, s.set_uuid, 16);
		assert_string_equal(d->info.set_name, s.set_name);
		assert_int_equal(d->info.events, 18);
		assert_int_equal(d->info.data_offset, s.data_offset);
		assert_int_equal(sb1_role(&d->info), 1);
		/* bytes on disk, independently of the decoder */
		assert_int_equal(pread(fd, raw, sizeof(raw), (off_t)d->sb_sector * 512), (ssize_t)sizeof(raw));
		assert_int_equal(get_le(raw, 0, 4), 0xa92b4efc);
		assert_int_equal(get_le(raw, 216, 4), ref_checksum(raw));
		/* the specific minor finds it too, the others do not */
		assert_int_equal(sb1_load(fd, minor, d), 0);
		assert_int_equal(sb1_load(fd, (minor + 1) % 3, d), -ENOENT);
		/* the log area was initialised empty */
		assert_int_equal(pread(fd, raw, 4096, (off_t)(sb1_location(minor, 40000) + (uint64_t)(int64_t)s.bblog_offset) * 512), 4096);
		for (int i = 0; i < 4096; i++)
			assert_int_equal(raw[i], 0xff);
		close(fd);
		unlink(path);
		free(d);
	}
}

/* An image of sectors filled with byte b, and the 4 KiB now at sector at (the caller frees). */
static unsigned char *filled_image(const char *path, uint64_t sectors, unsigned char b,
				   uint64_t at)
{
	unsigned char *blk = malloc(SB1_READ_SIZE);
	size_t len = (size_t)sectors * 512;
	unsigned char *all = malloc(len);
	int fd = open(path, O_RDWR | O_TRUNC);

	assert_non_null(blk);
	assert_non_null(all);
	assert_true(fd >= 0);
	memset(all, b, len);
	assert_int_equal(pwrite(fd, all, len, 0), (ssize_t)len);
	close(fd);
	memcpy(blk, all + at * 512, SB1_READ_SIZE);
	free(all);
	return blk;
}

/*
 * A spare's superblock for ADD_NEW_DISK (sb1_write_spare_over(): one
 * O_DIRECT write, no fsync or read-back) leaves the same bytes as the
 * verified write: the block with what followed the roles kept, the log
 * all ones, nothing else touched; the log where mdadm puts it (a 4 KiB gap
 * after the block) and further away.
 */
static void spare_write_leaves_what_the_verified_write_leaves(void **state)
{
	struct sb1_dev *d = calloc(1, sizeof(*d)), *e = calloc(1, sizeof(*e));
	char a[64], b[64];
	unsigned char *ba, *bb, *cur;
	size_t la, lb;
	struct sb1_info s;
	int fa, fb;

	(void)state;
	assert_non_null(d);
	assert_non_null(e);
	assert_int_equal(fixture_info(&s, 2, 40000, 5, 3, 1), 0);
	for (int apart = 0; apart < 2; apart++) {
		if (apart)
			s.bblog_offset = 40;
		snprintf(a, sizeof(a), "%s", tmp_image());
		snprintf(b, sizeof(b), "%s", tmp_image());
		cur = filled_image(a, 40000, 0x5a, 8);
		free(filled_image(b, 40000, 0x5a, 8));
		fa = open(a, O_RDWR);
		fb = open(b, O_RDWR);
		assert_true(fa >= 0 && fb >= 0);
		memset(d, 0, sizeof(*d));
		d->minor = 2;
		d->info = s;
		*e = *d;
		assert_int_equal(sb1_write_spare_over(fa, d, cur), 0);
		assert_int_equal(sb1_write_new_over(fb, e, cur), 0);
		assert_memory_equal(d->raw, e->raw, SB1_READ_SIZE);
		close(fa);
		close(fb);
		read_file(a, &ba, &la);
		read_file(b, &bb, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(ba, bb, la);
		/* the log all ones, the rest of the image as it was */
		for (size_t i = 0; i < la; i++) {
			size_t log0 = (8 + (size_t)s.bblog_offset) * 512;

			if (i >= log0 && i < log0 + (size_t)s.bblog_size * 512)
				assert_int_equal(ba[i], 0xff);
			else if (i < 8 * 512 || i >= 8 * 512 + SB1_READ_SIZE)
				assert_int_equal(ba[i], 0x5a);
		}
		assert_int_equal(sb1_check(ba + 8 * 512, 8, 40000), 0);
		assert_int_equal(ba[8 * 512 + SB1_READ_SIZE - 1], 0x5a);   /* after the roles: kept */
		free(ba);
		free(bb);
		free(cur);
		unlink(a);
		unlink(b);
	}
	free(d);
	free(e);
}

static void load_prefers_newest_ctime(void **state)
{
	struct sb1_info a, b;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	struct sb1_dev *w = calloc(1, sizeof(*w));
	char *path = tmp_image();
	int fd;

	(void)state;
	assert_non_null(d);
	assert_non_null(w);
	assert_int_equal(fixture_info(&a, 1, 40000, 1, 2, 0), 0);
	assert_int_equal(fixture_info(&b, 0, 40000, 1, 2, 0), 0);
	b.data_offset = 4096; /* keep the 1.0 data clear of the 1.1 metadata */
	b.data_size -= 4096;
	b.size = b.data_size;
	b.ctime_sec = a.ctime_sec + 10;
	assert_int_equal(fixture_image(path, 40000, &a), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	w->minor = 0;
	w->info = b;
	assert_int_equal(sb1_write_new(fd, w), 0);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	assert_int_equal(d->minor, 0);
	/* now make the 1.1 one newer */
	assert_int_equal(sb1_load(fd, 1, w), 0);
	w->info.ctime_sec = b.ctime_sec + 1;
	assert_int_equal(sb1_write(fd, w), 0);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	assert_int_equal(d->minor, 1);
	close(fd);
	unlink(path);
	free(d);
	free(w);
}

static void load_reports_damaged_location(void **state)
{
	struct sb1_info s;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	char *path = tmp_image();
	unsigned char byte = 0x42;
	int fd;

	(void)state;
	assert_non_null(d);
	assert_int_equal(fixture_info(&s, 2, 40000, 5, 3, 0), 0);
	assert_int_equal(fixture_image(path, 40000, &s), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &byte, 1, 8 * 512 + 40), 1); /* inside set_name */
	assert_int_equal(sb1_load(fd, -1, d), -EBADMSG);
	assert_int_equal(d->sb_sector, 8);
	assert_int_equal(d->raw[40], 0x42);
	assert_int_not_equal(get_le(d->raw, 216, 4), sb1_checksum(d->raw));
	close(fd);
	/* an empty file has no superblock */
	assert_int_equal(truncate(path, 0), 0);
	fd = open(path, O_RDONLY);
	assert_int_equal(sb1_load(fd, -1, d), -ENOENT);
	close(fd);
	unlink(path);
	free(d);
}

static void write_refuses_when_superblock_changed_underneath(void **state)
{
	struct sb1_info s;
	struct sb1_dev *mine = calloc(1, sizeof(*mine)), *other = calloc(1, sizeof(*other));
	unsigned char *before, *after;
	size_t lb, la;
	char *path = tmp_image();
	int fd;

	(void)state;
	assert_non_null(mine);
	assert_non_null(other);
	assert_int_equal(fixture_info(&s, 2, 40000, 5, 3, 0), 0);
	assert_int_equal(fixture_image(path, 40000, &s), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(sb1_load(fd, -1, mine), 0);
	assert_int_equal(sb1_load(fd, -1, other), 0);
	/* someone else bumps the events */
	other->info.events++;
	assert_int_equal(sb1_write(fd, other), 0);
	read_file(path, &before, &lb);
	mine->info.level = 6;
	assert_int_equal(sb1_write(fd, mine), -ESTALE);
	read_file(path, &after, &la);
	assert_int_equal(la, lb);
	assert_memory_equal(before, after, lb);
	free(before);
	free(after);
	/* a different array UUID written underneath is refused too */
	assert_int_equal(sb1_load(fd, -1, mine), 0);
	assert_int_equal(sb1_load(fd, -1, other), 0);
	other->info.set_uuid[0] ^= 1;
	assert_int_equal(sb1_write(fd, other), 0);
	assert_int_equal(sb1_write(fd, mine), -ESTALE);
	/* after reloading it works, and the events written are read back */
	assert_int_equal(sb1_load(fd, -1, mine), 0);
	mine->info.events += 5;
	assert_int_equal(sb1_write(fd, mine), 0);
	assert_int_equal(sb1_load(fd, -1, other), 0);
	assert_int_equal(other->info.events, 18 + 1 + 5);
	close(fd);
	unlink(path);
	free(mine);
	free(other);
}

static void write_keeps_bytes_after_roles(void **state)
{
	struct sb1_info s;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	unsigned char tail[8] = "KEEPME!", got[8];
	char *path = tmp_image();
	int fd;

	(void)state;
	assert_non_null(d);
	assert_int_equal(fixture_info(&s, 2, 40000, 5, 3, 0), 0);
	assert_int_equal(fixture_image(path, 40000, &s), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, tail, 8, 8 * 512 + 3000), 8);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	d->info.events++;
	assert_int_equal(sb1_write(fd, d), 0);
	assert_int_equal(pread(fd, got, 8, 8 * 512 + 3000), 8);
	assert_memory_equal(got, tail, 8);
	close(fd);
	unlink(path);
	free(d);
}

static void write_refuses_what_the_kernel_would_reject(void **state)
{
	struct sb1_info s;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	unsigned char *before, *after;
	size_t lb, la;
	char *path = tmp_image();
	int fd;

	(void)state;
	assert_non_null(d);
	assert_int_equal(fixture_info(&s, 2, 40000, 5, 3, 0), 0);
	assert_int_equal(fixture_image(path, 40000, &s), 0);
	read_file(path, &before, &lb);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	d->info.data_size = 40000; /* beyond the end */
	assert_int_equal(sb1_write(fd, d), -ERANGE);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	d->minor = 1; /* minor and location disagree */
	assert_int_equal(sb1_write(fd, d), -EINVAL);
	/* a new superblock whose log would overwrite data */
	d->minor = 2;
	d->info.bblog_offset = (int32_t)d->info.data_offset;
	assert_int_equal(sb1_write_new(fd, d), -ERANGE);
	read_file(path, &after, &la);
	assert_memory_equal(before, after, lb);
	free(before);
	free(after);
	close(fd);
	unlink(path);
	free(d);
}

static void badblocks_bit_follows_the_log_on_disk(void **state)
{
	struct sb1_info s;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	struct sb1_badblock *list;
	unsigned char entry[8];
	char *path = tmp_image();
	off_t log_at;
	size_t n;
	int fd;

	(void)state;
	assert_non_null(d);
	assert_int_equal(fixture_info(&s, 2, 40000, 5, 3, 0), 0);
	assert_int_equal(fixture_image(path, 40000, &s), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	log_at = (off_t)(8 + 16) * 512;
	/* the kernel recorded an extent: sector 4096, 8 sectors */
	set_le(entry, 0, (4096ull << 10) | 8, 8);
	assert_int_equal(pwrite(fd, entry, 8, log_at), 8);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	/* BAD_BLOCKS clear: the log is not in use */
	assert_int_equal(sb1_load_badblocks(fd, d, &list, &n), 0);
	assert_int_equal(n, 0);
	assert_null(list);
	d->info.feature_map |= SB1_FEAT_BAD_BLOCKS;
	d->info.events++;
	assert_int_equal(sb1_write(fd, d), 0);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	assert_int_equal(d->info.feature_map & SB1_FEAT_BAD_BLOCKS, SB1_FEAT_BAD_BLOCKS);
	assert_int_equal(sb1_load_badblocks(fd, d, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].sector, 4096);
	assert_int_equal(list[0].len, 8);
	free(list);
	/* the kernel cleared the list: the writer drops the bit */
	memset(entry, 0xff, 8);
	assert_int_equal(pwrite(fd, entry, 8, log_at), 8);
	d->info.events++;
	assert_int_equal(sb1_write(fd, d), 0);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	assert_int_equal(d->info.feature_map & SB1_FEAT_BAD_BLOCKS, 0);
	close(fd);
	unlink(path);
	free(d);
}

static void dev_size_reads_regular_files(void **state)
{
	char *path = tmp_image();
	uint64_t sec;
	int fd;

	(void)state;
	assert_int_equal(truncate(path, 512 * 1000 + 100), 0);
	fd = open(path, O_RDONLY);
	assert_int_equal(sb1_dev_size(fd, &sec), 0);
	assert_int_equal(sec, 1000);
	close(fd);
	unlink(path);
	fd = open("/dev/null", O_RDONLY);
	assert_int_equal(sb1_dev_size(fd, &sec), -ENOTBLK);
	close(fd);
}

static void pread_fresh_reads_unaligned_ranges_and_stops_at_the_end(void **state)
{
	char *path = tmp_image();
	unsigned char data[10000], got[10000];
	int fd;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, sizeof(data), 0), (ssize_t)sizeof(data));
	assert_int_equal(fsync(fd), 0);
	assert_int_equal(sb1_pread_fresh(fd, got, 4096, 4096), 0);
	assert_memory_equal(got, data + 4096, 4096);
	/* not block aligned, crossing a 4 KiB boundary, ending at the file's end */
	assert_int_equal(sb1_pread_fresh(fd, got, 10000 - 4000, 4000), 0);
	assert_memory_equal(got, data + 4000, 10000 - 4000);
	assert_int_equal(sb1_pread_fresh(fd, got, 3, 9997), 0);
	assert_memory_equal(got, data + 9997, 3);
	/* past the end is a short read */
	assert_int_equal(sb1_pread_fresh(fd, got, 8, 9996), -EIO);
	/* the caller's file flags are left as they were */
	assert_int_equal(fcntl(fd, F_GETFL) & O_DIRECT, 0);
	close(fd);
	unlink(path);
}

/*
 * Superblocks written by Debian's kernel and mdadm (tests/data, made in the
 * test VM) decode, pass the checks, sit where sb1_default_geometry() puts
 * them, and re-encode to the very same bytes; writing one back unchanged
 * leaves the image byte-identical.
 */
static void real_superblocks_match_geometry_and_reencode_byte_identical(void **state)
{
	FILE *ls = fixtures_open();
	char fx[512];
	int seen = 0;

	(void)state;
	while (fixture_next(ls, fx, sizeof(fx))) {
		char cmd[1200], *path = tmp_image();
		struct sb1_dev *d = calloc(1, sizeof(*d));
		unsigned char enc[SB1_READ_SIZE], *before, *after;
		size_t lb, la;
		int fd, len;

		assert_non_null(d);
		snprintf(cmd, sizeof(cmd), "xz -dc '%s' > '%s'", fx, path);
		if (system(cmd) != 0)
			fail_msg("%s: cannot decompress", fx);
		fd = open(path, O_RDWR);
		assert_true(fd >= 0);
		if (sb1_load(fd, -1, d))
			fail_msg("%s: sb1_load failed", fx);
		len = sb1_encode(&d->info, enc);
		assert_true(len > 0);
		if (memcmp(enc, d->raw, (size_t)len))
			fail_msg("%s: re-encoded superblock differs from the kernel's", fx);
		/* mdadm placed the metadata where sb1_default_geometry() says it would */
		{
			struct sb1_geometry g;
			uint32_t chunk_kib = d->info.level == 1 ? 0 : d->info.chunksize / 2;

			assert_int_equal(sb1_default_geometry(d->minor, d->dev_sectors, chunk_kib, &g), 0);
			if (g.super_offset != d->info.super_offset || g.data_offset != d->info.data_offset ||
			    g.data_size != d->info.data_size || g.bblog_offset != d->info.bblog_offset ||
			    g.bblog_size != d->info.bblog_size)
				fail_msg("%s: default geometry %llu/%llu/%llu/%d/%u, mdadm chose %llu/%llu/%llu/%d/%u",
					 fx, (unsigned long long)g.super_offset,
					 (unsigned long long)g.data_offset, (unsigned long long)g.data_size,
					 g.bblog_offset, g.bblog_size,
					 (unsigned long long)d->info.super_offset,
					 (unsigned long long)d->info.data_offset,
					 (unsigned long long)d->info.data_size, d->info.bblog_offset,
					 d->info.bblog_size);
		}
		/* the replacement fixtures carry both bits and a slot */
		if (strstr(fx, "replacement")) {
			assert_int_equal(d->info.feature_map & (SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET),
					 SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET);
			assert_true(sb1_role(&d->info) < SB1_ROLE_MAX);
		}
		read_file(path, &before, &lb);
		assert_int_equal(sb1_write(fd, d), 0);
		read_file(path, &after, &la);
		assert_int_equal(la, lb);
		if (memcmp(before, after, lb))
			fail_msg("%s: writing the superblock back unchanged altered the image", fx);
		free(before);
		free(after);
		close(fd);
		unlink(path);
		free(d);
		seen++;
	}
	fixtures_close(ls, seen);
}


/* one member's superblock is never written onto another member of the array */
static void write_refuses_another_members_superblock(void **state)
{
	struct sb1_info s0, s1;
	struct sb1_dev *mine = calloc(1, sizeof(*mine));
	unsigned char *before, *after;
	size_t lb, la;
	char p0[64], *p1;
	int fd0, fd1;

	(void)state;
	assert_non_null(mine);
	snprintf(p0, sizeof(p0), "%s", tmp_image());
	p1 = tmp_image();
	assert_int_equal(fixture_info(&s0, 2, 40000, 5, 3, 0), 0);
	assert_int_equal(fixture_info(&s1, 2, 40000, 5, 3, 1), 0);
	assert_int_equal(fixture_image(p0, 40000, &s0), 0);
	assert_int_equal(fixture_image(p1, 40000, &s1), 0);
	fd0 = open(p0, O_RDWR);
	fd1 = open(p1, O_RDWR);
	assert_true(fd0 >= 0 && fd1 >= 0);
	assert_int_equal(sb1_load(fd0, -1, mine), 0);
	read_file(p1, &before, &lb);
	/* same array, same events: only the device UUID and dev_number differ */
	assert_int_equal(sb1_write(fd1, mine), -ESTALE);
	read_file(p1, &after, &la);
	assert_memory_equal(before, after, lb);
	free(after);
	/* the same device UUID with another dev_number is another member too */
	memcpy(s1.device_uuid, s0.device_uuid, 16);
	assert_int_equal(fixture_image(p1, 40000, &s1), 0);
	free(before);
	read_file(p1, &before, &lb);
	assert_int_equal(sb1_write(fd1, mine), -ESTALE);
	read_file(p1, &after, &la);
	assert_memory_equal(before, after, lb);
	/* its own device: written */
	mine->info.events++;
	assert_int_equal(sb1_write(fd0, mine), 0);
	free(before);
	free(after);
	close(fd0);
	close(fd1);
	unlink(p0);
	unlink(p1);
	free(mine);
}

/* each impossible geometry names its field */
static void range_field_names_the_impossible_field(void **state)
{
	unsigned char buf[SB1_READ_SIZE];
	struct sb1_info s;
	uint64_t sb;

	(void)state;
	valid_buf(buf, NULL);
	assert_null(sb1_range_field(buf, 8, 131072));
	assert_string_equal(sb1_range_field(buf, 8, 131071), "data_size");
	/* size past data_size: the array would be larger than its members */
	{
		uint64_t ds = 0;

		for (int i = 0; i < 8; i++)
			ds |= (uint64_t)buf[136 + i] << (8 * i);
		set_le(buf, 80, ds + 1, 8); /* size (80) one past data_size (136) */
	}
	fix_csum(buf);
	assert_string_equal(sb1_range_field(buf, 8, 131072), "size");
	assert_int_equal(sb1_check(buf, 8, 131072), -ERANGE);
	/* 1.0: data_offset pushing the data over the superblock */
	assert_int_equal(fixture_info(&s, 0, 131072, 1, 2, 0), 0);
	sb = s.super_offset;
	assert_int_equal(sb1_encode(&s, buf), 512);
	assert_null(sb1_range_field(buf, sb, 131072));
	set_le(buf, 128, 64, 8);
	fix_csum(buf);
	assert_string_equal(sb1_range_field(buf, sb, 131072), "data_offset");
	assert_int_equal(sb1_check(buf, sb, 131072), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(md_sb1_fields_sit_at_kernel_offsets),
		cmocka_unit_test(encode_puts_each_field_at_its_offset),
		cmocka_unit_test(checksum_matches_reference_for_even_max_dev),
		cmocka_unit_test(checksum_matches_reference_for_odd_max_dev),
		cmocka_unit_test(checksum_folds_carry_once),
		cmocka_unit_test(checksum_clamps_max_dev_to_1920),
		cmocka_unit_test(checksum_agrees_with_mdadm_for_the_fixture),
		cmocka_unit_test(sb1_check_accepts_valid_superblock),
		cmocka_unit_test(sb1_check_rejects_missing_magic),
		cmocka_unit_test(sb1_check_rejects_major_version_other_than_1),
		cmocka_unit_test(sb1_check_rejects_max_dev_above_1920),
		cmocka_unit_test(sb1_check_rejects_super_offset_elsewhere),
		cmocka_unit_test(sb1_check_rejects_unknown_feature_bits),
		cmocka_unit_test(sb1_check_rejects_checksum_mismatch),
		cmocka_unit_test(sb1_check_rejects_nonzero_padding),
		cmocka_unit_test(sb1_check_rejects_features_the_kernel_refuses_together),
		cmocka_unit_test(sb1_check_rejects_bad_blocks_without_usable_log),
		cmocka_unit_test(sb1_check_rejects_data_outside_device),
		cmocka_unit_test(sb1_check_rejects_1_0_data_over_superblock),
		cmocka_unit_test(sb1_strerror_names_each_rejection),
		cmocka_unit_test(decode_reads_replacement_for_its_slot),
		cmocka_unit_test(decode_reads_times_roles_and_flags),
		cmocka_unit_test(encode_decode_round_trip_keeps_every_field),
		cmocka_unit_test(encode_rebuilds_inconsistent_feature_bits),
		cmocka_unit_test(encode_rejects_max_dev_out_of_range),
		cmocka_unit_test(badblocks_decode_stops_at_terminator),
		cmocka_unit_test(badblocks_decode_scales_by_shift),
		cmocka_unit_test(badblocks_decode_counts_past_max_and_checks_length),
		cmocka_unit_test(default_geometry_matches_mdadm),
		cmocka_unit_test(default_geometry_refuses_tiny_devices),
		cmocka_unit_test(location_follows_minor),
		cmocka_unit_test(write_then_load_round_trip_each_minor),
		cmocka_unit_test(load_prefers_newest_ctime),
		cmocka_unit_test(spare_write_leaves_what_the_verified_write_leaves),
		cmocka_unit_test(load_reports_damaged_location),
		cmocka_unit_test(write_refuses_when_superblock_changed_underneath),
		cmocka_unit_test(write_refuses_another_members_superblock),
		cmocka_unit_test(range_field_names_the_impossible_field),
		cmocka_unit_test(write_keeps_bytes_after_roles),
		cmocka_unit_test(write_refuses_what_the_kernel_would_reject),
		cmocka_unit_test(badblocks_bit_follows_the_log_on_disk),
		cmocka_unit_test(dev_size_reads_regular_files),
		cmocka_unit_test(pread_fresh_reads_unaligned_ranges_and_stops_at_the_end),
		cmocka_unit_test(real_superblocks_match_geometry_and_reencode_byte_identical),
	};
	return cmocka_run_group_tests_name("super1", tests, NULL, NULL);
}
