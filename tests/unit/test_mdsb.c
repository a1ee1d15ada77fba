// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mdsb.c: the md superblock places (0.90, 1.0, 1.1, 1.2), what each holds, and erasing one, on image files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mdsb.h"
#include "sb1_fixture.h"

#define DEV_SECTORS 40000u   /* about 20 MB: every place fits, 0.90 at 39808 */

static void put32(unsigned char *b, size_t word, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[4 * word + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static void places_are_where_each_format_puts_them(void **state)
{
	enum mdsb_version v;

	(void)state;
	assert_int_equal(mdsb_sector(MDSB_V090, DEV_SECTORS), 39808);
	assert_int_equal(mdsb_sector(MDSB_V090, 40064), 39936);   /* 64 KiB aligned */
	assert_int_equal(mdsb_sector(MDSB_V10, DEV_SECTORS), 39984);
	assert_int_equal(mdsb_sector(MDSB_V11, DEV_SECTORS), 0);
	assert_int_equal(mdsb_sector(MDSB_V12, DEV_SECTORS), 8);
	assert_true(mdsb_sector(MDSB_V090, 255) == UINT64_MAX);
	assert_true(mdsb_sector(MDSB_V12, 23) == UINT64_MAX);
	assert_int_equal(mdsb_parse_version("0.90", &v), 0);
	assert_int_equal(v, MDSB_V090);
	assert_int_equal(mdsb_parse_version("1.1", &v), 0);
	assert_int_equal(v, MDSB_V11);
	assert_int_equal(mdsb_parse_version("01.2", &v), 0);
	assert_int_equal(v, MDSB_V12);
	assert_int_equal(mdsb_parse_version("1", &v), -EINVAL);
	assert_int_equal(mdsb_parse_version("default", &v), -EINVAL);
	assert_string_equal(mdsb_version_name(MDSB_V10), "1.0");
}

static void v090_checksum_folds_the_carry_once(void **state)
{
	unsigned char b[MDSB_BYTES] = { 0 };

	(void)state;
	assert_int_equal(mdsb_check_090(b), -ENOENT);
	put32(b, 0, 0xa92b4efcu);
	put32(b, 38, 0xa92b4efcu);   /* the only non-zero word besides itself */
	assert_int_equal(mdsb_check_090(b), 0);
	/* two words whose sum carries out of 32 bits: the carry is added back once */
	put32(b, 5, 0x80000000u);
	put32(b, 6, 0x80000000u);
	assert_int_equal(mdsb_check_090(b), -EBADMSG);
	put32(b, 38, 0xa92b4efdu);
	assert_int_equal(mdsb_check_090(b), 0);
	put32(b, 1, 1);                /* major_version 1 is not 0.90 */
	assert_int_equal(mdsb_check_090(b), -EPROTO);
	put32(b, 0, MDSB_MAGIC_SWAPPED);
	assert_int_equal(mdsb_check_090(b), -EPROTO);
}

/* A device image in path (a mkstemp template) holding a valid 1.2 superblock, open read-write. */
static int image_with_v12(char *path)
{
	struct sb1_info s;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 1, 2, 0), 0);
	assert_int_equal(fixture_image(path, DEV_SECTORS, &s), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	return fd;
}

static void scan_tells_valid_damaged_and_absent_and_erase_zeroes_only_a_magic(void **state)
{
	char path[] = "/tmp/mdctl-mdsb-XXXXXX";
	unsigned char garbage[512], blk[MDSB_BYTES], zero[MDSB_BYTES] = { 0 };
	struct mdsb_loc loc[MDSB_NVERSIONS];
	unsigned n;
	int fd;

	(void)state;
	fd = image_with_v12(path);
	/* a magic with nothing valid after it at 1.1's place */
	memset(garbage, 0x5a, sizeof(garbage));
	put32(garbage, 0, 0xa92b4efcu);
	put32(garbage, 1, 1);
	assert_int_equal(pwrite(fd, garbage, sizeof(garbage), 0), (ssize_t)sizeof(garbage));
	assert_int_equal(mdsb_scan(fd, loc, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(loc[MDSB_V090].state, MDSB_ABSENT);
	assert_int_equal(loc[MDSB_V10].state, MDSB_ABSENT);
	assert_int_equal(loc[MDSB_V11].state, MDSB_DAMAGED);
	assert_true(loc[MDSB_V11].err < 0);
	assert_int_equal(loc[MDSB_V12].state, MDSB_VALID);
	assert_int_equal(loc[MDSB_V12].sector, 8);
	/* nothing to erase where there is no magic (unless forced) */
	assert_int_equal(mdsb_erase(fd, &loc[MDSB_V10], false), -ESTALE);
	assert_int_equal(pread(fd, blk, sizeof(blk), (off_t)loc[MDSB_V10].sector * 512),
			 (ssize_t)sizeof(blk));
	assert_memory_equal(blk, zero, sizeof(blk));
	assert_int_equal(mdsb_erase(fd, &loc[MDSB_V12], false), 0);
	assert_int_equal(mdsb_erase(fd, &loc[MDSB_V11], false), 0);
	assert_int_equal(pread(fd, blk, sizeof(blk), 4096), (ssize_t)sizeof(blk));
	assert_memory_equal(blk, zero, sizeof(blk));
	assert_int_equal(mdsb_scan(fd, loc, &n), 0);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(loc[i].state, MDSB_ABSENT);
	/* forced: written whatever the place holds */
	assert_int_equal(mdsb_erase(fd, &loc[MDSB_V090], true), 0);
	close(fd);
	unlink(path);
}

/*
 * A place the caller has just read is classified from that read, not read
 * again: here the caller's copy (zeros) disagrees with the device (a valid
 * 1.2 superblock), and the scan reports the caller's.
 */
static void scan_known_takes_the_callers_block(void **state)
{
	char path[] = "/tmp/mdctl-mdsb-XXXXXX";
	unsigned char zero[MDSB_BYTES] = { 0 };
	struct mdsb_loc loc[MDSB_NVERSIONS];
	unsigned n;
	int fd;

	(void)state;
	fd = image_with_v12(path);
	assert_int_equal(mdsb_scan_known(fd, loc, &n, 8 * 512, sizeof(zero), zero), 0);
	assert_int_equal(n, 4);
	assert_int_equal(loc[MDSB_V12].state, MDSB_ABSENT);
	/* a known block elsewhere leaves the 1.2 place read from the device */
	assert_int_equal(mdsb_scan_known(fd, loc, &n, 0, sizeof(zero), zero), 0);
	assert_int_equal(loc[MDSB_V12].state, MDSB_VALID);
	assert_int_equal(loc[MDSB_V11].state, MDSB_ABSENT);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(places_are_where_each_format_puts_them),
		cmocka_unit_test(v090_checksum_folds_the_carry_once),
		cmocka_unit_test(scan_tells_valid_damaged_and_absent_and_erase_zeroes_only_a_magic),
		cmocka_unit_test(scan_known_takes_the_callers_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
