// SPDX-License-Identifier: GPL-2.0-or-later
/* test_replace_lib.c: hot-replace decisions over hand-built array snapshots. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "replace_lib.h"
#include "mdarray.h"
#include "sysfs.h"

static struct md_member mem[8];
static struct md_array arr;

/* A clean raid5 of n members loop0..loop{n-1} in slots 0..n-1. */
static void make_array(const char *level, int n)
{
	memset(&arr, 0, sizeof(arr));
	memset(mem, 0, sizeof(mem));
	snprintf(arr.kname, sizeof(arr.kname), "md0");
	snprintf(arr.level, sizeof(arr.level), "%s", level);
	snprintf(arr.metadata_version, sizeof(arr.metadata_version), "1.2");
	snprintf(arr.array_state, sizeof(arr.array_state), "clean");
	snprintf(arr.sync_action, sizeof(arr.sync_action), "idle");
	arr.reshape_position = SYSFS_NONE;
	arr.raid_disks = n;
	arr.layout = 2;
	arr.degraded = 0;
	arr.members = mem;
	arr.nmembers = (unsigned)n;
	for (int i = 0; i < n; i++) {
		snprintf(mem[i].kname, sizeof(mem[i].kname), "loop%d", i);
		mem[i].slot = i;
		mem[i].flags = MDM_IN_SYNC;
		mem[i].recovery_start = SYSFS_NONE;
	}
}

static struct md_member *add_member(const char *kname, int slot, unsigned flags)
{
	struct md_member *m = &mem[arr.nmembers++];

	memset(m, 0, sizeof(*m));
	snprintf(m->kname, sizeof(m->kname), "%s", kname);
	m->slot = slot;
	m->flags = flags;
	return m;
}

/* make_array(), its member in slot marked for replacement, and the device new added (in new_slot, with flags). */
static struct md_member *marked_array(const char *level, int n, int slot, const char *new_kname,
				      int new_slot, unsigned flags)
{
	make_array(level, n);
	mem[slot].flags |= MDM_WANT_REPLACEMENT;
	return add_member(new_kname, new_slot, flags);
}

static void check_array_refuses_raid0_linear_stopped_reshape(void **state)
{
	char why[160];

	(void)state;
	make_array("raid5", 3);
	assert_int_equal(replace_check_array(&arr, why, sizeof(why)), 0);

	make_array("raid0", 2);
	assert_int_equal(replace_check_array(&arr, why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "has no redundancy to keep while replacing"));
	make_array("linear", 2);
	assert_int_equal(replace_check_array(&arr, why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "has no redundancy"));

	make_array("raid6", 4);
	snprintf(arr.array_state, sizeof(arr.array_state), "inactive");
	assert_int_equal(replace_check_array(&arr, why, sizeof(why)), -ENODEV);
	assert_non_null(strstr(why, "not running"));
	snprintf(arr.array_state, sizeof(arr.array_state), "readonly");
	assert_int_equal(replace_check_array(&arr, why, sizeof(why)), -EROFS);

	make_array("raid5", 4);
	arr.reshape_position = 1024;
	assert_int_equal(replace_check_array(&arr, why, sizeof(why)), -EBUSY);
	assert_non_null(strstr(why, "reshap"));
	make_array("raid5", 4);
	snprintf(arr.sync_action, sizeof(arr.sync_action), "reshape");
	assert_int_equal(replace_check_array(&arr, why, sizeof(why)), -EBUSY);

	make_array("raid10", 4);
	snprintf(arr.metadata_version, sizeof(arr.metadata_version), "external:imsm");
	assert_int_equal(replace_check_array(&arr, why, sizeof(why)), -EOPNOTSUPP);
}

static void check_old_accepts_only_in_sync_unpaired_members(void **state)
{
	char why[160];
	struct md_member *s, *r;

	(void)state;
	make_array("raid5", 3);
	assert_int_equal(replace_check_old(&arr, &mem[1], why, sizeof(why)), 0);
	/* already marked but unpaired is fine: we may pair it */
	mem[1].flags |= MDM_WANT_REPLACEMENT;
	assert_int_equal(replace_check_old(&arr, &mem[1], why, sizeof(why)), 0);

	r = add_member("loop5", 1, MDM_REPLACEMENT | MDM_SPARE);
	assert_int_equal(replace_check_old(&arr, &mem[1], why, sizeof(why)), -EALREADY);
	assert_non_null(strstr(why, "already being replaced by loop5"));
	assert_int_equal(replace_check_old(&arr, r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "replacement"));

	s = add_member("loop6", -1, MDM_SPARE);
	assert_int_equal(replace_check_old(&arr, s, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "spare"));

	mem[2].flags = MDM_FAULTY;
	assert_int_equal(replace_check_old(&arr, &mem[2], why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "faulty"));

	/* faulty+blocked is an unacknowledged bad block, not a failure */
	mem[0].flags = MDM_FAULTY | MDM_BLOCKED | MDM_IN_SYNC | MDM_WRITE_ERROR;
	assert_int_equal(replace_check_old(&arr, &mem[0], why, sizeof(why)), 0);

	mem[0].flags = MDM_SPARE; /* recovering into slot 0 */
	assert_int_equal(replace_check_old(&arr, &mem[0], why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "recovered"));
}

static void check_new_accepts_only_healthy_spares(void **state)
{
	char why[160];
	struct md_member *s, *f, *r;

	(void)state;
	make_array("raid6", 4);
	s = add_member("loop4", -1, MDM_SPARE);
	f = add_member("loop5", -1, MDM_FAULTY);
	r = add_member("loop6", 2, MDM_SPARE | MDM_REPLACEMENT);
	assert_int_equal(replace_check_new(&arr, s, why, sizeof(why)), 0);
	assert_int_equal(replace_check_new(&arr, f, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "is faulty and cannot be a replacement"));
	assert_int_equal(replace_check_new(&arr, r, why, sizeof(why)), -EALREADY);
	assert_non_null(strstr(why, "already the replacement for slot 2"));
	assert_int_equal(replace_check_new(&arr, &mem[0], why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "active"));
}

static void pick_marked_none_is_enoent(void **state)
{
	(void)state;
	make_array("raid5", 4);
	assert_int_equal(replace_pick_marked(&arr, NULL), -ENOENT);
	/* marked but already paired does not count */
	mem[2].flags |= MDM_WANT_REPLACEMENT;
	add_member("loop9", 2, MDM_SPARE | MDM_REPLACEMENT);
	assert_int_equal(replace_pick_marked(&arr, NULL), -ENOENT);
}

static void pick_marked_prefers_write_error_then_bad_blocks_on_raid5(void **state)
{
	bool skip[8] = { false };

	(void)state;
	make_array("raid5", 4);
	mem[1].flags |= MDM_WANT_REPLACEMENT;
	mem[3].flags |= MDM_WANT_REPLACEMENT;
	assert_int_equal(replace_pick_marked(&arr, NULL), 1); /* tie: lowest slot */
	mem[3].bad_sectors = 64;
	assert_int_equal(replace_pick_marked(&arr, NULL), 3);
	mem[1].flags |= MDM_WRITE_ERROR;
	assert_int_equal(replace_pick_marked(&arr, NULL), 1);
	skip[1] = true;
	assert_int_equal(replace_pick_marked(&arr, skip), 3);
	mem[3].errors = 5;
	mem[1].flags &= ~MDM_WRITE_ERROR;
	mem[3].bad_sectors = 0;
	assert_int_equal(replace_pick_marked(&arr, NULL), 3);
}

static void pick_marked_prefers_raid10_mirror_set_with_fewer_healthy_copies(void **state)
{
	(void)state;
	/* near=2 over 4 slots: sets {0,1} and {2,3} */
	make_array("raid10", 4);
	arr.layout = 0x102;
	mem[0].flags |= MDM_WANT_REPLACEMENT | MDM_WRITE_ERROR;
	mem[0].bad_sectors = 800;
	mem[2].flags |= MDM_WANT_REPLACEMENT;
	/* slot 3 (mirror of 2) is failed: slot 2 has no healthy copy left */
	mem[3].flags = MDM_FAULTY;
	assert_int_equal(replace_peers(&arr, &mem[0]), 1);
	assert_int_equal(replace_peers(&arr, &mem[2]), 0);
	assert_int_equal(replace_pick_marked(&arr, NULL), 2);
}

static void eval_follows_a_replacement_to_done(void **state)
{
	struct replace_watch w = { .slot = 1, .old_kname = "loop1", .new_kname = "loop4" };
	struct md_member *n;

	(void)state;
	n = marked_array("raid5", 3, 1, "loop4", -1, MDM_SPARE);
	assert_int_equal(replace_eval(&arr, &w), REPLACE_MARKED);
	n->slot = 1;
	n->flags = MDM_SPARE | MDM_REPLACEMENT;
	assert_int_equal(replace_eval(&arr, &w), REPLACE_COPYING);
	/* the kernel's completion: new in sync in the slot, original retired as faulty */
	n->flags = MDM_IN_SYNC;
	mem[1].flags = MDM_FAULTY | MDM_WANT_REPLACEMENT;
	mem[1].slot = -1;
	assert_int_equal(replace_eval(&arr, &w), REPLACE_DONE);
}

static void eval_reports_new_failure_and_cancel(void **state)
{
	struct replace_watch w = { .slot = 0, .old_kname = "loop0", .new_kname = "loop4" };
	struct md_member *n;

	(void)state;
	n = marked_array("raid6", 4, 0, "loop4", 0, MDM_SPARE | MDM_REPLACEMENT);
	n->flags |= MDM_FAULTY;
	assert_int_equal(replace_eval(&arr, &w), REPLACE_FAILED);
	arr.nmembers--; /* removed altogether */
	assert_int_equal(replace_eval(&arr, &w), REPLACE_FAILED);

	struct replace_watch m = { .slot = 0, .old_kname = "loop0" };
	assert_int_equal(replace_eval(&arr, &m), REPLACE_MARKED);
	mem[0].flags &= ~MDM_WANT_REPLACEMENT;
	assert_int_equal(replace_eval(&arr, &m), REPLACE_CANCELLED);
}

static void eval_old_failing_mid_copy_becomes_recovery_then_done(void **state)
{
	struct replace_watch w = { .slot = 2, .old_kname = "loop2", .new_kname = "loop5" };
	struct md_member *n;

	(void)state;
	n = marked_array("raid4", 3, 2, "loop5", 2, MDM_SPARE | MDM_REPLACEMENT);
	mem[2].flags = MDM_FAULTY | MDM_WANT_REPLACEMENT;
	assert_int_equal(replace_eval(&arr, &w), REPLACE_RECOVERING);
	/* promoted into the slot as an ordinary recovering member */
	mem[2].slot = -1;
	n->flags = MDM_SPARE;
	assert_int_equal(replace_eval(&arr, &w), REPLACE_RECOVERING);
	n->flags = MDM_IN_SYNC;
	assert_int_equal(replace_eval(&arr, &w), REPLACE_DONE);
}

static void eval_mark_only_learns_the_paired_spare(void **state)
{
	struct replace_watch w = { .slot = 1, .old_kname = "loop1" };
	struct md_member *n;

	(void)state;
	marked_array("raid1", 2, 1, "loop3", -1, MDM_SPARE);
	assert_int_equal(replace_eval(&arr, &w), REPLACE_MARKED);
	assert_string_equal(w.new_kname, "");
	n = &mem[2];
	n->slot = 1;
	n->flags = MDM_SPARE | MDM_REPLACEMENT;
	assert_int_equal(replace_eval(&arr, &w), REPLACE_COPYING);
	assert_string_equal(w.new_kname, "loop3");
	assert_string_equal(replace_phase_name(REPLACE_COPYING), "copying");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_array_refuses_raid0_linear_stopped_reshape),
		cmocka_unit_test(check_old_accepts_only_in_sync_unpaired_members),
		cmocka_unit_test(check_new_accepts_only_healthy_spares),
		cmocka_unit_test(pick_marked_none_is_enoent),
		cmocka_unit_test(pick_marked_prefers_write_error_then_bad_blocks_on_raid5),
		cmocka_unit_test(pick_marked_prefers_raid10_mirror_set_with_fewer_healthy_copies),
		cmocka_unit_test(eval_follows_a_replacement_to_done),
		cmocka_unit_test(eval_reports_new_failure_and_cancel),
		cmocka_unit_test(eval_old_failing_mid_copy_becomes_recovery_then_done),
		cmocka_unit_test(eval_mark_only_learns_the_paired_spare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
