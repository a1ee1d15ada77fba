// SPDX-License-Identifier: GPL-2.0-or-later
/* test_sysfs.c: sysfs.c against a fake /sys tree built in a temporary directory. */
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

#include "mdarray.h"
#include "sysfs.h"
#include "tree.h"

static void mkdirs(const char *root, const char *rel)
{
	char path[PATH_MAX];
	char *p;

	snprintf(path, sizeof(path), "%s/%s/", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
}

static void rmdir_rel(const char *root, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(rmdir(path), 0);
}

static void link_to(const char *root, const char *target, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* A member as the kernel lays it out: md/dev-X/block -> the member's block dir. */
static void add_member(const char *root, const char *kname, const char *devnum,
		       const char *state, const char *slot)
{
	char rel[256], target[512];

	snprintf(rel, sizeof(rel), "block/%s/dev", kname);
	tree_put(root, rel, devnum);
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/state", kname);
	tree_put(root, rel, state);
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/slot", kname);
	tree_put(root, rel, slot);
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/offset", kname);
	tree_put(root, rel, "2048\n");
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/size", kname);
	tree_put(root, rel, "64512\n");
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/errors", kname);
	tree_put(root, rel, "0\n");
	snprintf(target, sizeof(target), "%s/block/%s", root, kname);
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/block", kname);
	link_to(root, target, rel);
	snprintf(target, sizeof(target), "../../block/%s", kname);
	snprintf(rel, sizeof(rel), "dev/block/%s", devnum);
	/* devnum holds a trailing newline for the dev file; strip it for the link name */
	rel[strcspn(rel, "\n")] = '\0';
	link_to(root, target, rel);
}

static int make_tree(void **state)
{
	char *root = malloc(64);

	strcpy(root, "/tmp/mdctl-sysfs-XXXXXX");
	assert_non_null(mkdtemp(root));
	mkdirs(root, "dev/block");
	tree_put(root, "block/md0/md/metadata_version", "1.2\n");
	tree_put(root, "block/md0/md/level", "raid5\n");
	tree_put(root, "block/md0/md/raid_disks", "3\n");
	tree_put(root, "block/md0/md/chunk_size", "524288\n");
	tree_put(root, "block/md0/md/layout", "2\n");
	tree_put(root, "block/md0/md/component_size", "64512\n");
	tree_put(root, "block/md0/md/array_state", "clean\n");
	tree_put(root, "block/md0/md/sync_action", "recover\n");
	tree_put(root, "block/md0/md/sync_completed", "16256 / 129024\n");
	tree_put(root, "block/md0/md/sync_speed", "4123\n");
	tree_put(root, "block/md0/md/degraded", "0\n");
	tree_put(root, "block/md0/md/reshape_position", "none\n");
	tree_put(root, "block/md0/md/uuid", "3c1f0c9a-1d4e-4c2b-8a41-5f6e7d8c9b0a\n");
	tree_put(root, "block/md0/size", "258048\n");
	/* slot 1 is being replaced: loop1 wants out, loop4 copies onto slot 1 */
	add_member(root, "loop0", "7:0\n", "in_sync\n", "0\n");
	add_member(root, "loop1", "7:1\n", "in_sync,write_error,want_replacement\n", "1\n");
	add_member(root, "loop2", "7:2\n", "faulty\n", "none\n");
	add_member(root, "loop3", "7:3\n", "in_sync,write_mostly\n", "2\n");
	add_member(root, "loop4", "7:4\n", "spare,replacement\n", "1\n");
	tree_put(root, "block/md0/md/dev-loop4/recovery_start", "16256\n");
	tree_put(root, "block/md0/md/dev-loop1/recovery_start", "none\n");
	tree_put(root, "block/md0/md/dev-loop1/errors", "17\n");
	tree_put(root, "block/md0/md/dev-loop1/bad_blocks", "4096 8\n8192 16\n100000 8\n");
	tree_put(root, "block/md0/md/dev-loop1/unacknowledged_bad_blocks", "200000 8\n");
	/* an inactive array with hardly any attributes */
	tree_put(root, "block/md10/md/array_state", "inactive\n");
	tree_put(root, "block/md2/md/array_state", "clear\n");
	mkdirs(root, "block/sda");
	*state = root;
	return 0;
}


static void read_strips_one_newline(void **state)
{
	const char *root = *state;
	char buf[64];

	tree_put(root, "a", "two\n\n");
	assert_int_equal(sysfs_read(root, "a", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "two\n");
	tree_put(root, "a", "none");
	assert_int_equal(sysfs_read(root, "a", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "none");
}

static void read_reports_overflow_when_value_fills_buffer(void **state)
{
	const char *root = *state;
	char buf[8];

	tree_put(root, "a", "1234567\n"); /* 8 bytes: fills the buffer */
	assert_int_equal(sysfs_read(root, "a", buf, sizeof(buf)), -EOVERFLOW);
	tree_put(root, "a", "123456\n");
	assert_int_equal(sysfs_read(root, "a", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "123456");
}

static void read_of_missing_attribute_is_enoent(void **state)
{
	char buf[8];

	assert_int_equal(sysfs_read(*state, "nope", buf, sizeof(buf)), -ENOENT);
}

static void read_u64_takes_none_and_rejects_junk(void **state)
{
	const char *root = *state;
	uint64_t v;

	assert_int_equal(sysfs_md_read_u64(root, "md0", "component_size", &v), 0);
	assert_true(v == 64512);
	assert_int_equal(sysfs_md_read_u64(root, "md0", "reshape_position", &v), 0);
	assert_true(v == SYSFS_NONE);
	assert_int_equal(sysfs_md_read_u64(root, "md0", "level", &v), -EINVAL);
}

static void write_stores_whole_value_and_reads_back(void **state)
{
	const char *root = *state;
	char buf[64];

	assert_int_equal(sysfs_dev_write(root, "md0", "loop0", "state", "want_replacement"), 0);
	assert_int_equal(sysfs_dev_read(root, "md0", "loop0", "state", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "want_replacement");
	assert_int_equal(sysfs_md_write(root, "md0", "sync_action", "idle"), 0);
	assert_int_equal(sysfs_md_read(root, "md0", "sync_action", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "idle");
}

static void write_to_missing_attribute_fails_without_creating_it(void **state)
{
	const char *root = *state;
	char path[PATH_MAX];

	assert_int_equal(sysfs_md_write(root, "md0", "no_such_attr", "x"), -ENOENT);
	snprintf(path, sizeof(path), "%s/block/md0/md/no_such_attr", root);
	assert_int_equal(access(path, F_OK), -1);
}

static void write_error_keeps_errno(void **state)
{
	const char *root = *state;
	char path[PATH_MAX];

	/* a directory cannot be opened for writing: -EISDIR, and errno says so too */
	snprintf(path, sizeof(path), "%s/wdir", root);
	mkdir(path, 0755);
	errno = 0;
	assert_int_equal(sysfs_write(root, "wdir", "x"), -EISDIR);
	assert_int_equal(errno, EISDIR);
}

static void watch_rereads_from_start(void **state)
{
	const char *root = *state;
	char buf[64];
	int fd;

	tree_put(root, "w", "idle\n");
	fd = sysfs_watch_open(root, "w");
	assert_true(fd >= 0);
	tree_put(root, "w", "recover\n");
	assert_int_equal(sysfs_watch_read(fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "recover");
	assert_int_equal(sysfs_watch_read(fd, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "recover");
	/* a regular file never raises POLLPRI: the wait times out */
	assert_int_equal(sysfs_wait_change(fd, 10), 0);
	close(fd);
	assert_int_equal(sysfs_wait_change(fd, 10), -EBADF);
	assert_int_equal(sysfs_watch_open(root, "absent"), -ENOENT);
}

static void dev_state_parse_format_round_trip(void **state)
{
	char buf[256];
	unsigned f, all = (MDM_EXTERNAL_BBL << 1) - 1, bit;

	(void)state;
	f = md_parse_dev_state("in_sync,write_error,want_replacement");
	assert_int_equal(f, MDM_IN_SYNC | MDM_WRITE_ERROR | MDM_WANT_REPLACEMENT);
	assert_int_equal(md_parse_dev_state("spare,replacement"), MDM_SPARE | MDM_REPLACEMENT);
	assert_int_equal(md_parse_dev_state("write_mostly"), MDM_WRITE_MOSTLY);
	assert_int_equal(md_parse_dev_state("writemostly"), MDM_WRITE_MOSTLY);
	assert_int_equal(md_parse_dev_state("faulty,some_future_word,blocked"),
			 MDM_FAULTY | MDM_BLOCKED);
	assert_int_equal(md_parse_dev_state("in_syn,in_sync_"), 0);
	assert_int_equal(md_parse_dev_state(""), 0);
	for (bit = 1; bit <= MDM_EXTERNAL_BBL; bit <<= 1) {
		assert_int_equal(md_format_dev_state(bit, buf, sizeof(buf)), 0);
		assert_int_equal(md_parse_dev_state(buf), bit);
	}
	assert_int_equal(md_format_dev_state(all, buf, sizeof(buf)), 0);
	assert_int_equal(md_parse_dev_state(buf), all);
	assert_int_equal(md_format_dev_state(MDM_IN_SYNC | MDM_WANT_REPLACEMENT, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "in_sync,want_replacement");
	assert_int_equal(md_format_dev_state(MDM_WRITE_MOSTLY, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "write_mostly");
	assert_int_equal(md_format_dev_state(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(md_format_dev_state(MDM_WANT_REPLACEMENT, buf, 8), -EOVERFLOW);
}

static void array_read_snapshots_geometry_and_progress(void **state)
{
	struct md_array a;

	assert_int_equal(md_array_read(*state, "md0", &a), 0);
	assert_string_equal(a.kname, "md0");
	assert_string_equal(a.metadata_version, "1.2");
	assert_string_equal(a.level, "raid5");
	assert_int_equal(a.raid_disks, 3);
	assert_true(a.chunk_size == 524288);
	assert_int_equal(a.layout, 2);
	assert_true(a.component_size == 64512);
	assert_true(a.array_size_sectors == 258048);
	assert_string_equal(a.array_state, "clean");
	assert_string_equal(a.sync_action, "recover");
	assert_true(a.sync_done == 16256);
	assert_true(a.sync_total == 129024);
	assert_true(a.sync_speed == 4123);
	assert_int_equal(a.degraded, 0);
	assert_true(a.reshape_position == SYSFS_NONE);
	assert_string_equal(a.uuid, "3c1f0c9a-1d4e-4c2b-8a41-5f6e7d8c9b0a");
	assert_true(md_array_running(&a));
	md_array_free(&a);
}

static void array_read_orders_members_and_pairs_replacement(void **state)
{
	struct md_array a;
	struct md_member *m;

	assert_int_equal(md_array_read(*state, "md0", &a), 0);
	assert_int_equal(a.nmembers, 5);
	/* slot order, the original before its replacement, slotless last */
	assert_string_equal(a.members[0].kname, "loop0");
	assert_string_equal(a.members[1].kname, "loop1");
	assert_string_equal(a.members[2].kname, "loop4");
	assert_string_equal(a.members[3].kname, "loop3");
	assert_string_equal(a.members[4].kname, "loop2");

	m = md_array_find(&a, "loop1");
	assert_non_null(m);
	assert_int_equal(m->slot, 1);
	assert_int_equal(m->flags, MDM_IN_SYNC | MDM_WRITE_ERROR | MDM_WANT_REPLACEMENT);
	assert_int_equal(m->errors, 17);
	assert_int_equal(m->bad_blocks, 3);
	assert_true(m->bad_sectors == 32);
	assert_int_equal(m->unack_bad_blocks, 1);
	assert_true(m->recovery_start == SYSFS_NONE);
	assert_int_equal(m->major, 7);
	assert_int_equal(m->minor, 1);

	m = md_array_find(&a, "/dev/loop4");
	assert_non_null(m);
	assert_int_equal(m->slot, 1);
	assert_int_equal(m->flags, MDM_SPARE | MDM_REPLACEMENT);
	assert_true(m->recovery_start == 16256);
	assert_true(m->offset == 2048);
	assert_true(m->size_kib == 64512);

	m = md_array_find(&a, "dev-loop2");
	assert_non_null(m);
	assert_int_equal(m->slot, -1);
	assert_int_equal(m->flags, MDM_FAULTY);
	assert_int_equal(m->bad_blocks, 0);

	assert_int_equal(md_array_find(&a, "loop3")->flags, MDM_IN_SYNC | MDM_WRITE_MOSTLY);
	assert_ptr_equal(md_array_find(&a, "7:3"), md_array_find(&a, "loop3"));
	assert_ptr_equal(md_array_find_devnum(&a, 7, 4), md_array_find(&a, "loop4"));
	assert_null(md_array_find_devnum(&a, 7, 9));
	assert_null(md_array_find(&a, "loop9"));
	md_array_free(&a);
	assert_null(a.members);
}

static void array_read_tolerates_missing_attributes(void **state)
{
	struct md_array a;

	/* a member directory with no attributes at all is still a member */
	mkdirs(*state, "block/md10/md/dev-sdq");
	assert_int_equal(md_array_read(*state, "md10", &a), 0);
	assert_int_equal(a.nmembers, 1);
	assert_string_equal(a.members[0].kname, "sdq");
	assert_int_equal(a.members[0].slot, -1);
	assert_int_equal(a.members[0].flags, 0);
	assert_true(a.members[0].recovery_start == SYSFS_NONE);
	md_array_free(&a);
	rmdir_rel(*state, "block/md10/md/dev-sdq");
	assert_int_equal(md_array_read(*state, "md10", &a), 0);
	assert_string_equal(a.array_state, "inactive");
	assert_string_equal(a.level, "");
	assert_string_equal(a.sync_action, "");
	assert_int_equal(a.raid_disks, 0);
	assert_int_equal(a.degraded, -1);
	assert_true(a.sync_done == SYSFS_NONE && a.sync_total == SYSFS_NONE);
	assert_true(a.reshape_position == SYSFS_NONE);
	assert_int_equal(a.nmembers, 0);
	assert_false(md_array_running(&a));
	md_array_free(&a);
}

static void array_read_of_non_md_is_enodev(void **state)
{
	struct md_array a;

	assert_int_equal(md_array_read(*state, "sda", &a), -ENODEV);
	assert_int_equal(md_array_read(*state, "md99", &a), -ENODEV);
	md_array_free(&a);
}

static void sync_completed_none_and_reshape_raid_disks(void **state)
{
	const char *root = *state;
	struct md_array a;

	tree_put(root, "block/md0/md/sync_completed", "none\n");
	tree_put(root, "block/md0/md/sync_speed", "none\n");
	tree_put(root, "block/md0/md/raid_disks", "4 (3)\n");
	assert_int_equal(md_array_read(root, "md0", &a), 0);
	assert_true(a.sync_done == SYSFS_NONE && a.sync_total == SYSFS_NONE);
	assert_true(a.sync_speed == 0);
	assert_int_equal(a.raid_disks, 4);
	md_array_free(&a);
}

static void list_arrays_sorts_in_number_order(void **state)
{
	char (*names)[32];
	size_t n;

	assert_int_equal(sysfs_list_arrays(*state, &names, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "md0");
	assert_string_equal(names[1], "md2");
	assert_string_equal(names[2], "md10");
	free(names);
	assert_int_equal(sysfs_list_arrays("/nonexistent-mdctl", &names, &n), 0);
	assert_int_equal(n, 0);
	assert_null(names);
}

static void kname_of_devnum_follows_dev_block_link(void **state)
{
	char k[32];

	assert_int_equal(sysfs_kname_of_devnum(*state, 7, 4, k, sizeof(k)), 0);
	assert_string_equal(k, "loop4");
	assert_int_equal(sysfs_kname_of_devnum(*state, 7, 99, k, sizeof(k)), -ENODEV);
	assert_int_equal(sysfs_kname_of_devnum(*state, 7, 4, k, 3), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(read_strips_one_newline, make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(read_reports_overflow_when_value_fills_buffer,
						make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(read_of_missing_attribute_is_enoent, make_tree,
						tree_remove),
		cmocka_unit_test_setup_teardown(read_u64_takes_none_and_rejects_junk, make_tree,
						tree_remove),
		cmocka_unit_test_setup_teardown(write_stores_whole_value_and_reads_back, make_tree,
						tree_remove),
		cmocka_unit_test_setup_teardown(write_to_missing_attribute_fails_without_creating_it,
						make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(write_error_keeps_errno, make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(watch_rereads_from_start, make_tree, tree_remove),
		cmocka_unit_test(dev_state_parse_format_round_trip),
		cmocka_unit_test_setup_teardown(array_read_snapshots_geometry_and_progress,
						make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(array_read_orders_members_and_pairs_replacement,
						make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(array_read_tolerates_missing_attributes, make_tree,
						tree_remove),
		cmocka_unit_test_setup_teardown(array_read_of_non_md_is_enodev, make_tree,
						tree_remove),
		cmocka_unit_test_setup_teardown(sync_completed_none_and_reshape_raid_disks,
						make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(list_arrays_sorts_in_number_order, make_tree,
						tree_remove),
		cmocka_unit_test_setup_teardown(kname_of_devnum_follows_dev_block_link, make_tree,
						tree_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
