// SPDX-License-Identifier: GPL-2.0-or-later
/* test_blkdev.c: blkdev.c on regular files with hand-made signatures and a fake sysfs tree. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "blkdev.h"

struct fixture {
	char dir[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/mdctl-blkdev-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* A zero-filled file of 'bytes' with 'len' bytes of 'data' at 'off'. */
static void make_file(const char *path, size_t bytes, size_t off, const void *data, size_t len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)bytes), 0);
	if (len)
		assert_int_equal(pwrite(fd, data, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static void file_path(const struct fixture *f, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", f->dir, name);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/* Just enough of an md 1.2 superblock (at 4 KiB) for libblkid: magic, version, offsets, csum. */
static void md_sb12(uint8_t sb[512])
{
	uint64_t sum = 0;
	int i;

	memset(sb, 0, 512);
	put_le32(sb + 0, 0xa92b4efc);         /* magic */
	put_le32(sb + 4, 1);                  /* major_version */
	memset(sb + 16, 0x5a, 16);            /* set_uuid */
	memcpy(sb + 32, "host:test", 9);      /* set_name */
	put_le32(sb + 72, 5);                 /* level */
	put_le64(sb + 80, 1024);              /* size */
	put_le32(sb + 88, 1024);              /* chunksize */
	put_le32(sb + 92, 3);                 /* raid_disks */
	put_le64(sb + 128, 2048);             /* data_offset */
	put_le64(sb + 136, 1024);             /* data_size */
	put_le64(sb + 144, 8);                /* super_offset: 4 KiB */
	memset(sb + 168, 0xa5, 16);           /* device_uuid */
	put_le64(sb + 208, UINT64_MAX);       /* resync_offset */
	put_le32(sb + 220, 4);                /* max_dev */
	for (i = 0; i < 4; i++) {             /* dev_roles 0,1,2, spare */
		sb[256 + 2 * i] = (uint8_t)(i < 3 ? i : 0xff);
		sb[257 + 2 * i] = (uint8_t)(i < 3 ? 0 : 0xff);
	}
	for (i = 0; i < 256 + 2 * 4; i += 4)
		sum += (uint32_t)sb[i] | (uint32_t)sb[i + 1] << 8 | (uint32_t)sb[i + 2] << 16 |
		       (uint32_t)sb[i + 3] << 24;
	put_le32(sb + 216, (uint32_t)((sum & 0xffffffff) + (sum >> 32)));
}

static void size_of_regular_file_in_sectors(void **state)
{
	struct fixture *f = *state;
	char p[PATH_MAX];
	uint64_t s;
	int fd;

	file_path(f, "img", p, sizeof(p));
	make_file(p, 1048576 + 300, 0, NULL, 0);
	fd = blkdev_open(p, O_RDONLY);
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(blkdev_size(fd, &s), 0);
	assert_true(s == 2048); /* the partial sector does not count */
	close(fd);
	fd = open(f->dir, O_RDONLY | O_DIRECTORY);
	assert_int_equal(blkdev_size(fd, &s), -ENOTBLK);
	close(fd);
	assert_int_equal(blkdev_open("/nonexistent-mdctl", O_RDONLY), -ENOENT);
}

static void devnum_of_regular_file_is_enotblk(void **state)
{
	struct fixture *f = *state;
	char p[PATH_MAX];
	unsigned ma, mi;

	file_path(f, "img", p, sizeof(p));
	make_file(p, 4096, 0, NULL, 0);
	assert_int_equal(blkdev_devnum(p, &ma, &mi), -ENOTBLK);
	assert_int_equal(blkdev_devnum("/nonexistent-mdctl", &ma, &mi), -ENOENT);
}

static void probe_finds_ext2_magic(void **state)
{
	struct fixture *f = *state;
	static const uint8_t magic[2] = { 0x53, 0xef };
	char p[PATH_MAX], type[32], usage[32];

	file_path(f, "ext", p, sizeof(p));
	make_file(p, 1048576, 1080, magic, 2);
	assert_int_equal(blkdev_probe_usage(p, type, sizeof(type), usage, sizeof(usage)), 1);
	assert_true(strncmp(type, "ext", 3) == 0 || strcmp(type, "jbd") == 0);
	assert_string_equal(usage, "filesystem");
}

static void probe_finds_md_superblock(void **state)
{
	struct fixture *f = *state;
	uint8_t sb[512];
	char p[PATH_MAX], type[32], usage[32];

	md_sb12(sb);
	file_path(f, "md", p, sizeof(p));
	make_file(p, 4 * 1048576, 4096, sb, sizeof(sb));
	assert_int_equal(blkdev_probe_usage(p, type, sizeof(type), usage, sizeof(usage)), 1);
	assert_string_equal(type, "linux_raid_member");
	assert_string_equal(usage, "raid");
}

static void probe_of_zeroes_finds_nothing(void **state)
{
	struct fixture *f = *state;
	char p[PATH_MAX], type[32] = "";

	file_path(f, "zero", p, sizeof(p));
	make_file(p, 1048576, 0, NULL, 0);
	assert_int_equal(blkdev_probe(p, type, sizeof(type)), 0);
	assert_int_equal(blkdev_probe("/nonexistent-mdctl", type, sizeof(type)) < 0, 1);
}

static void probe_reports_partition_table(void **state)
{
	struct fixture *f = *state;
	uint8_t mbr[512];
	char p[PATH_MAX], type[32], usage[32];

	/* one Linux partition from sector 2048, 2048 sectors, and the 55AA signature */
	memset(mbr, 0, sizeof(mbr));
	mbr[446 + 4] = 0x83;
	put_le32(mbr + 446 + 8, 2048);
	put_le32(mbr + 446 + 12, 2048);
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	file_path(f, "mbr", p, sizeof(p));
	make_file(p, 4 * 1048576, 0, mbr, sizeof(mbr));
	assert_int_equal(blkdev_probe_usage(p, type, sizeof(type), usage, sizeof(usage)), 1);
	assert_string_equal(type, "dos");
	assert_string_equal(usage, "partition table");
}

/* blkdev_check_new_member() of a test file (f, why in scope) */
#define CHECK(path, min, flags) \
	blkdev_check_new_member(f->dir, path, min, NULL, (flags) | BLKDEV_FILE_OK, NULL, why, \
				sizeof(why))

static void check_new_member_refuses_small_file(void **state)
{
	struct fixture *f = *state;
	char p[PATH_MAX], why[128];

	file_path(f, "small", p, sizeof(p));
	make_file(p, 20480 * 512, 0, NULL, 0);
	assert_int_equal(CHECK(p, 131072, 0),
			 -ENOSPC);
	assert_string_equal(why, "is too small: 20480 sectors, need 131072");
	/* force does not make a disk bigger */
	assert_int_equal(CHECK(p, 131072, BLKDEV_FORCE), -ENOSPC);
	assert_int_equal(CHECK(p, 20480, 0), 0);
	assert_string_equal(why, "");
}

static void check_new_member_refuses_signature_unless_forced(void **state)
{
	struct fixture *f = *state;
	static const uint8_t magic[2] = { 0x53, 0xef };
	uint8_t sb[512];
	char p[PATH_MAX], why[128];

	file_path(f, "ext", p, sizeof(p));
	make_file(p, 1048576, 1080, magic, 2);
	assert_int_equal(CHECK(p, 2048, 0),
			 -EEXIST);
	assert_non_null(strstr(why, "has an ext"));
	assert_non_null(strstr(why, "filesystem (use --force to override)"));
	assert_int_equal(CHECK(p, 2048, BLKDEV_FORCE), 0);

	md_sb12(sb);
	file_path(f, "md", p, sizeof(p));
	make_file(p, 4 * 1048576, 4096, sb, sizeof(sb));
	assert_int_equal(CHECK(p, 2048, 0),
			 -EEXIST);
	assert_string_equal(why, "has an md superblock (linux_raid_member) (use --force to override)");
}

static void check_new_member_refuses_missing_and_odd_types(void **state)
{
	struct fixture *f = *state;
	char p[PATH_MAX], why[128];

	file_path(f, "absent", p, sizeof(p));
	assert_int_equal(CHECK(p, 1, 0), -ENOENT);
	assert_string_equal(why, "does not exist");
	assert_int_equal(CHECK(f->dir, 1, 0),
			 -ENOTBLK);
	assert_string_equal(why, "is not a block device");
	file_path(f, "fifo", p, sizeof(p));
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(CHECK(p, 1, BLKDEV_FORCE),
			 -ENOTBLK);
}

static void file_refused_without_the_test_flag(void **state)
{
	struct fixture *f = *state;
	char p[PATH_MAX], why[128];

	file_path(f, "plain", p, sizeof(p));
	make_file(p, 1048576, 0, NULL, 0);
	assert_int_equal(blkdev_check_new_member(f->dir, p, 1, NULL, BLKDEV_FORCE, NULL, why,
						 sizeof(why)), -ENOTBLK);
	assert_string_equal(why, "is not a block device");
}

/* The second look right before a write: another device, or a signature written since the check. */
static void recheck_refuses_another_device_and_a_new_signature(void **state)
{
	struct fixture *f = *state;
	static const uint8_t magic[2] = { 0x53, 0xef };
	char p[PATH_MAX], q[PATH_MAX], why[128];
	struct blkdev_id id;
	int fd;

	file_path(f, "checked", p, sizeof(p));
	file_path(f, "other", q, sizeof(q));
	make_file(p, 1048576, 0, NULL, 0);
	make_file(q, 1048576, 0, NULL, 0);
	assert_int_equal(blkdev_check_new_member(f->dir, p, 1, NULL, BLKDEV_FILE_OK, &id, why,
						 sizeof(why)), 0);
	fd = open(p, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(blkdev_recheck(fd, &id, 0, why, sizeof(why)), 0);
	close(fd);
	/* the name now leads to another file */
	assert_int_equal(rename(q, p), 0);
	fd = open(p, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(blkdev_recheck(fd, &id, BLKDEV_FORCE, why, sizeof(why)), -ESTALE);
	assert_string_equal(why, "is no longer the device that was checked");
	close(fd);
	/* the same file, given a filesystem between the check and the write */
	assert_int_equal(blkdev_check_new_member(f->dir, p, 1, NULL, BLKDEV_FILE_OK, &id, why,
						 sizeof(why)), 0);
	make_file(p, 1048576, 1080, magic, 2);
	fd = open(p, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(blkdev_recheck(fd, &id, 0, why, sizeof(why)), -EEXIST);
	assert_non_null(strstr(why, " since it was checked"));
	/* what --force accepted at the check it accepts again */
	assert_int_equal(blkdev_recheck(fd, &id, BLKDEV_FORCE, why, sizeof(why)), 0);
	close(fd);
}

/* <dir>/sys: sdb with partition sdb1 held by md0, sdc unheld, dm-3 named "flaky". */
static void fake_sysfs(const struct fixture *f, char *sys, size_t len)
{
	char cmd[1024];

	snprintf(sys, len, "%s/sys", f->dir);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && mkdir -p sys/block/sdb/sdb1/holders sys/block/sdb/sdb2/holders "
		 "sys/block/sdb/holders sys/block/sdc/holders sys/block/dm-3/dm sys/block/dm-4/dm "
		 "dev/mapper && touch sys/block/sdb/sdb1/partition sys/block/sdb/sdb2/partition "
		 "dev/sdb dev/sdb1 dev/dm-4 dev/mapper/flaky && mkdir sys/block/sdb/sdb1/holders/md0 "
		 "&& echo flaky > sys/block/dm-3/dm/name && echo gone > sys/block/dm-4/dm/name",
		 f->dir);
	assert_int_equal(system(cmd), 0);
}

static void whole_disk_of_partition_and_disk(void **state)
{
	struct fixture *f = *state;
	char sys[PATH_MAX], k[32];

	fake_sysfs(f, sys, sizeof(sys));
	assert_int_equal(blkdev_whole_disk(sys, "sdb1", k, sizeof(k)), 0);
	assert_string_equal(k, "sdb");
	assert_int_equal(blkdev_whole_disk(sys, "sdb", k, sizeof(k)), 0);
	assert_string_equal(k, "sdb");
	assert_int_equal(blkdev_whole_disk(sys, "sdz9", k, sizeof(k)), -ENODEV);
	assert_int_equal(blkdev_whole_disk(sys, "../x", k, sizeof(k)), -ENODEV);
}

static void holders_seen_on_partitions_and_disks(void **state)
{
	struct fixture *f = *state;
	char sys[PATH_MAX];

	fake_sysfs(f, sys, sizeof(sys));
	assert_int_equal(blkdev_has_holders(sys, "sdb1"), 1);
	assert_int_equal(blkdev_has_holders(sys, "sdb2"), 0);
	assert_int_equal(blkdev_has_holders(sys, "sdc"), 0);
	assert_int_equal(blkdev_has_holders(sys, "sdz"), -ENODEV);
	{
		char h[32] = "";

		assert_int_equal(blkdev_holder(sys, "sdb1", h, sizeof(h)), 1);
		assert_string_equal(h, "md0");
		assert_int_equal(blkdev_holder(sys, "sdb2", h, sizeof(h)), 0);
	}
}

static void path_of_kname_prefers_mapper_name(void **state)
{
	struct fixture *f = *state;
	char sys[PATH_MAX], dev[PATH_MAX], want[PATH_MAX + 32], p[PATH_MAX + 64];

	fake_sysfs(f, sys, sizeof(sys));
	snprintf(dev, sizeof(dev), "%s/dev", f->dir);
	assert_int_equal(blkdev_path_of_kname(dev, sys, "dm-3", p, sizeof(p)), 0);
	snprintf(want, sizeof(want), "%s/mapper/flaky", dev);
	assert_string_equal(p, want);
	/* dm-4's mapper node is missing: the plain node */
	assert_int_equal(blkdev_path_of_kname(dev, sys, "dm-4", p, sizeof(p)), 0);
	snprintf(want, sizeof(want), "%s/dm-4", dev);
	assert_string_equal(p, want);
	assert_int_equal(blkdev_path_of_kname(dev, sys, "sdb1", p, sizeof(p)), 0);
	snprintf(want, sizeof(want), "%s/sdb1", dev);
	assert_string_equal(p, want);
	/* no node: the conventional name, and -ENOENT */
	assert_int_equal(blkdev_path_of_kname(dev, sys, "cciss!c0d0", p, sizeof(p)), -ENOENT);
	snprintf(want, sizeof(want), "%s/cciss/c0d0", dev);
	assert_string_equal(p, want);
}

static void same_disk_names_the_shared_member(void **state)
{
	struct fixture *f = *state;
	const char *const part_member[] = { "sdc", "sdb1", NULL };
	const char *const disk_member[] = { "sdb", NULL };
	const char *const elsewhere[] = { "sdc", "dm-3", NULL };
	char sys[PATH_MAX], why[128];

	fake_sysfs(f, sys, sizeof(sys));
	assert_int_equal(blkdev_same_disk(sys, "sdb2", part_member, why, sizeof(why)), -EXDEV);
	assert_string_equal(why, "is a partition of sdb, which holds sdb1 of this array");
	assert_int_equal(blkdev_same_disk(sys, "sdb", part_member, why, sizeof(why)), -EXDEV);
	assert_string_equal(why, "is the disk holding sdb1 of this array");
	assert_int_equal(blkdev_same_disk(sys, "sdb2", disk_member, why, sizeof(why)), -EXDEV);
	assert_string_equal(why, "is a partition of sdb, which is a member of this array");
	assert_int_equal(blkdev_same_disk(sys, "sdb1", part_member, why, sizeof(why)), -EEXIST);
	assert_string_equal(why, "is already a member of this array");
	assert_int_equal(blkdev_same_disk(sys, "sdb2", elsewhere, why, sizeof(why)), 0);
	assert_int_equal(blkdev_same_disk(sys, "sdb2", NULL, why, sizeof(why)), 0);
	/* a sibling sysfs does not know cannot be compared: not a refusal */
	assert_int_equal(blkdev_same_disk(sys, "sdb2", (const char *const[]){ "sdq", NULL }, why,
					  sizeof(why)), 0);
}

static void find_raid_members_returns_only_md_members_sorted(void **state)
{
	char **paths, type[64];
	size_t n, i;

	(void)state;
	/* whatever this host has: each result must really probe as an md member */
	assert_int_equal(blkdev_find_raid_members(&paths, &n), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(blkdev_probe(paths[i], type, sizeof(type)), 1);
		assert_string_equal(type, "linux_raid_member");
		if (i)
			assert_true(strcmp(paths[i - 1], paths[i]) != 0);
	}
	blkdev_free_list(paths, n);
}

static void stable_name_of_regular_file_is_enotblk(void **state)
{
	struct fixture *f = *state;
	char p[PATH_MAX], name[128];

	file_path(f, "img", p, sizeof(p));
	make_file(p, 4096, 0, NULL, 0);
	assert_int_equal(blkdev_stable_name(p, name, sizeof(name)), -ENOTBLK);
	assert_int_equal(blkdev_stable_name("/nonexistent-mdctl", name, sizeof(name)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(size_of_regular_file_in_sectors, setup, teardown),
		cmocka_unit_test_setup_teardown(devnum_of_regular_file_is_enotblk, setup, teardown),
		cmocka_unit_test_setup_teardown(probe_finds_ext2_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(probe_finds_md_superblock, setup, teardown),
		cmocka_unit_test_setup_teardown(probe_of_zeroes_finds_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(probe_reports_partition_table, setup, teardown),
		cmocka_unit_test_setup_teardown(check_new_member_refuses_small_file, setup, teardown),
		cmocka_unit_test_setup_teardown(check_new_member_refuses_signature_unless_forced,
						setup, teardown),
		cmocka_unit_test_setup_teardown(check_new_member_refuses_missing_and_odd_types, setup,
						teardown),
		cmocka_unit_test_setup_teardown(file_refused_without_the_test_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(recheck_refuses_another_device_and_a_new_signature,
						setup, teardown),
		cmocka_unit_test_setup_teardown(whole_disk_of_partition_and_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(holders_seen_on_partitions_and_disks, setup, teardown),
		cmocka_unit_test_setup_teardown(path_of_kname_prefers_mapper_name, setup, teardown),
		cmocka_unit_test_setup_teardown(same_disk_names_the_shared_member, setup, teardown),
		cmocka_unit_test(find_raid_members_returns_only_md_members_sorted),
		cmocka_unit_test_setup_teardown(stable_name_of_regular_file_is_enotblk, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
