// SPDX-License-Identifier: GPL-2.0-or-later
/* test_bitmap.c: the write-intent bitmap superblock's layout, encode/decode, checks, mdadm's placement, and writing/reading it on a file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bitmap.h"

/* byte helpers written independently of bitmap.c */
static uint64_t get_le(const unsigned char *p, size_t off, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = (v << 8) | p[off + (size_t)i];
	return v;
}

/* The first 64 bytes of the bitmap Debian's mdadm 4.2 wrote on a 101 GiB raid1 member (seen in the VM). */
static const unsigned char mdadm_101g[64] = {
	0x62, 0x69, 0x74, 0x6d, 0x04, 0x00, 0x00, 0x00, 0x40, 0xf1, 0xca, 0x4d, 0xc8, 0x70, 0x25, 0xcb,
	0xe6, 0xc7, 0x59, 0x50, 0xe5, 0x6c, 0x3d, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x9d, 0x0c, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void sample(struct bitmap_info *b)
{
	memset(b, 0, sizeof(*b));
	b->magic = BITMAP_MAGIC;
	b->version = BITMAP_VERSION_HI;
	for (int i = 0; i < 16; i++)
		b->uuid[i] = (uint8_t)(0xa0 + i);
	b->events = 0x1122334455667788ull;
	b->events_cleared = 0x0102030405060708ull;
	b->sync_size = 211679232;
	b->state = BITMAP_STATE_STALE;
	b->chunksize = BITMAP_DEFAULT_CHUNK;
	b->daemon_sleep = 5;
	b->write_behind = 256;
	b->sectors_reserved = 8;
	b->nodes = 0;
	strcpy(b->cluster_name, "c1");
}

static void encode_puts_every_field_at_its_offset(void **state)
{
	unsigned char buf[BITMAP_SB_BYTES + 16];
	struct bitmap_info b;

	(void)state;
	sample(&b);
	memset(buf, 0xee, sizeof(buf));
	bitmap_encode(&b, buf);
	assert_int_equal(get_le(buf, 0, 4), BITMAP_MAGIC);
	assert_int_equal(get_le(buf, 4, 4), 4);
	assert_memory_equal(buf + 8, b.uuid, 16);
	assert_true(get_le(buf, 24, 8) == b.events);
	assert_true(get_le(buf, 32, 8) == b.events_cleared);
	assert_int_equal(get_le(buf, 40, 8), 211679232);
	assert_int_equal(get_le(buf, 48, 4), BITMAP_STATE_STALE);
	assert_int_equal(get_le(buf, 52, 4), 64u << 20);
	assert_int_equal(get_le(buf, 56, 4), 5);
	assert_int_equal(get_le(buf, 60, 4), 256);
	assert_int_equal(get_le(buf, 64, 4), 8);
	assert_int_equal(get_le(buf, 68, 4), 0);
	assert_memory_equal(buf + 72, "c1", 3);
	for (size_t i = 75; i < BITMAP_SB_BYTES; i++)
		assert_int_equal(buf[i], 0);
	/* nothing written past the 256 bytes */
	assert_int_equal(buf[BITMAP_SB_BYTES], 0xee);
}

static void decode_undoes_encode(void **state)
{
	unsigned char buf[BITMAP_SB_BYTES];
	struct bitmap_info a, b;

	(void)state;
	sample(&a);
	bitmap_encode(&a, buf);
	bitmap_decode(buf, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(bitmap_check(buf), 0);
}

static void decodes_what_mdadm_wrote(void **state)
{
	unsigned char buf[BITMAP_SB_BYTES] = { 0 };
	struct bitmap_info b;

	(void)state;
	memcpy(buf, mdadm_101g, sizeof(mdadm_101g));
	assert_int_equal(bitmap_check(buf), 0);
	bitmap_decode(buf, &b);
	assert_int_equal(b.version, 4);
	assert_int_equal(b.uuid[0], 0x40);
	assert_int_equal(b.uuid[15], 0x80);
	assert_int_equal(b.sync_size, 211679232);
	assert_int_equal(b.chunksize, 64u << 20);
	assert_int_equal(b.daemon_sleep, 5);
	assert_int_equal(b.state, 0);
	/* mdadm -X said "1615 bits (chunks)" */
	assert_int_equal(bitmap_bits(b.sync_size, b.chunksize), 1615);
	assert_int_equal(bitmap_sectors(1615), 8);
}

static void check_rejects_each_impossible_field(void **state)
{
	unsigned char buf[BITMAP_SB_BYTES];
	struct bitmap_info b;

	(void)state;
	sample(&b);
	b.magic = 0;
	bitmap_encode(&b, buf);
	buf[0] = 0x63;
	assert_int_equal(bitmap_check(buf), -ENOENT);
	sample(&b);
	for (uint32_t v = 0; v < 8; v++) {
		b.version = v;
		bitmap_encode(&b, buf);
		assert_int_equal(bitmap_check(buf), v >= 3 && v <= 5 ? 0 : -EPROTO);
	}
	sample(&b);
	b.chunksize = 0;
	bitmap_encode(&b, buf);
	assert_int_equal(bitmap_check(buf), -EINVAL);
	b.chunksize = 3u << 20;
	bitmap_encode(&b, buf);
	assert_int_equal(bitmap_check(buf), -EINVAL);
	b.chunksize = 256;
	bitmap_encode(&b, buf);
	assert_int_equal(bitmap_check(buf), -EINVAL);
	/* more bits than any kernel keeps */
	b.chunksize = 512;
	b.sync_size = BITMAP_MAX_BITS + 1;
	bitmap_encode(&b, buf);
	assert_int_equal(bitmap_check(buf), -EINVAL);
	b.sync_size = BITMAP_MAX_BITS;
	bitmap_encode(&b, buf);
	assert_int_equal(bitmap_check(buf), 0);
}

static void bits_round_up_and_count_only_the_first_n(void **state)
{
	const uint8_t bits[2] = { 0xff, 0x81 };

	(void)state;
	assert_int_equal(bitmap_bits(126976, 64u << 20), 1);
	assert_int_equal(bitmap_bits(131072, 64u << 20), 1);
	assert_int_equal(bitmap_bits(131073, 64u << 20), 2);
	assert_int_equal(bitmap_bits(100, 0), 0);
	assert_int_equal(bitmap_count_dirty(bits, 2, 16), 10);
	assert_int_equal(bitmap_count_dirty(bits, 2, 9), 9);
	assert_int_equal(bitmap_count_dirty(bits, 2, 1000), 10);
	assert_int_equal(bitmap_count_dirty(bits, 1, 16), 8);
}

static void plan_places_it_as_mdadm_does(void **state)
{
	struct bitmap_plan p;

	(void)state;
	/* 1.2 on 101 GiB: 8 sectors after the superblock, 64 MiB chunks, 1615 bits */
	assert_int_equal(bitmap_plan_internal(2, 211679232, 128, &p), 0);
	assert_int_equal(p.offset, 8);
	assert_int_equal(p.chunksize, 64u << 20);
	assert_int_equal(p.bits, 1615);
	assert_int_equal(p.sectors, 8);
	/* 1.0: below the bad-block log that sits under the superblock ("-16 sectors") */
	assert_int_equal(bitmap_plan_internal(0, 211812096, 256, &p), 0);
	assert_int_equal(p.offset, -16);
	assert_int_equal(p.bits, 1616);
	/* too many bits for the room: the chunk doubles */
	assert_int_equal(bitmap_plan_internal(1, 4096ull * 131072, 1, &p), 0);
	assert_int_equal(p.chunksize, 128u << 20);
	assert_int_equal(p.bits, 2048);
	assert_int_equal(bitmap_plan_internal(2, 100, 0, &p), -ENOSPC);
	assert_int_equal(bitmap_plan_internal(3, 100, 8, &p), -EINVAL);
	assert_int_equal(bitmap_plan_internal(2, 0, 8, &p), -EINVAL);
}

/* a 1 MiB "device" with a 1.2 superblock's geometry */
static int make_dev(struct sb1_dev *d, char *path)
{
	int fd;

	strcpy(path, "/tmp/test_bitmap.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 1 << 20), 0);
	memset(d, 0, sizeof(*d));
	d->minor = 2;
	d->sb_sector = 8;
	d->dev_sectors = 2048;
	d->info.super_offset = 8;
	d->info.data_offset = 1024;
	d->info.data_size = 1024;
	d->info.feature_map = SB1_FEAT_BITMAP_OFFSET;
	d->info.bitmap_offset = 8;
	return fd;
}

static void write_new_then_load_reads_it_back(void **state)
{
	struct bitmap_info in;
	struct bitmap_plan p;
	struct bitmap_dev bd;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	unsigned char raw[BITMAP_SB_BYTES + 8];
	char path[64];
	int fd;

	(void)state;
	fd = make_dev(d, path);
	sample(&in);
	in.sync_size = 1024;
	in.chunksize = 4096;      /* 128 bits */
	assert_int_equal(bitmap_plan_internal(2, 1024, 256, &p), 0);
	p.chunksize = 4096;
	p.bits = 128;
	assert_int_equal(bitmap_write_new(fd, d, &in, &p), 0);
	assert_int_equal(pread(fd, raw, sizeof(raw), 16 * 512), (ssize_t)sizeof(raw));
	assert_int_equal(get_le(raw, 0, 4), BITMAP_MAGIC);
	assert_int_equal(raw[BITMAP_SB_BYTES], 0xff);
	assert_int_equal(bitmap_load(fd, d, 1, &bd), 0);
	assert_int_equal(bd.at, 16);
	assert_int_equal(bd.bits, 128);
	assert_int_equal(bd.dirty, 128);
	assert_memory_equal(&bd.info, &in, offsetof(struct bitmap_info, cluster_name));
	/* a cleared chunk counts as clean */
	raw[BITMAP_SB_BYTES] = 0xfe;
	assert_int_equal(pwrite(fd, raw, sizeof(raw), 16 * 512), (ssize_t)sizeof(raw));
	assert_int_equal(bitmap_load(fd, d, 1, &bd), 0);
	assert_int_equal(bd.dirty, 127);

	/* no BITMAP_OFFSET: no bitmap; one overlapping the data or the superblock: refused */
	d->info.feature_map = 0;
	assert_int_equal(bitmap_load(fd, d, 0, &bd), -ENODATA);
	d->info.feature_map = SB1_FEAT_BITMAP_OFFSET;
	d->info.data_offset = 20;
	assert_int_equal(bitmap_write_new(fd, d, &in, &p), -ERANGE);
	d->info.data_offset = 1024;
	d->info.bitmap_offset = 4;
	assert_int_equal(bitmap_write_new(fd, d, &in, &p), -ERANGE);
	d->info.bitmap_offset = 2100;
	assert_int_equal(bitmap_write_new(fd, d, &in, &p), -ERANGE);
	assert_int_equal(bitmap_load(fd, d, 0, &bd), -ERANGE);
	/* garbage where the bitmap should be */
	d->info.bitmap_offset = 100;
	assert_int_equal(bitmap_load(fd, d, 0, &bd), -ENOENT);
	close(fd);
	unlink(path);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_puts_every_field_at_its_offset),
		cmocka_unit_test(decode_undoes_encode),
		cmocka_unit_test(decodes_what_mdadm_wrote),
		cmocka_unit_test(check_rejects_each_impossible_field),
		cmocka_unit_test(bits_round_up_and_count_only_the_first_n),
		cmocka_unit_test(plan_places_it_as_mdadm_does),
		cmocka_unit_test(write_new_then_load_reads_it_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
