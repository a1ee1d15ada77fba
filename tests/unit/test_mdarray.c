// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mdstate.c: member roles, health (--detail --test), sync kinds and the State line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdarray.h"
#include "sysfs.h"

#define MAXM 8

struct fixture {
	struct md_array a;
	struct md_member m[MAXM];
};

/* An array snapshot built by hand: level, disks, layout; members added with add(). */
static void init(struct fixture *f, const char *level, int disks, int layout)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->a.kname, sizeof(f->a.kname), "md0");
	snprintf(f->a.level, sizeof(f->a.level), "%s", level);
	snprintf(f->a.array_state, sizeof(f->a.array_state), "clean");
	snprintf(f->a.sync_action, sizeof(f->a.sync_action), "idle");
	snprintf(f->a.metadata_version, sizeof(f->a.metadata_version), "1.2");
	f->a.raid_disks = disks;
	f->a.layout = layout;
	f->a.degraded = -1; /* computed from the members unless a test sets it */
	f->a.sync_done = SYSFS_NONE;
	f->a.sync_total = SYSFS_NONE;
	f->a.component_size = 1000;
	f->a.members = f->m;
}

static struct md_member *add(struct fixture *f, const char *kname, int slot, const char *state)
{
	struct md_member *m = &f->m[f->a.nmembers++];

	snprintf(m->kname, sizeof(m->kname), "%s", kname);
	m->slot = slot;
	m->flags = md_parse_dev_state(state);
	m->recovery_start = SYSFS_NONE;
	return m;
}

static void healthy(struct fixture *f, const char *level, int disks, int layout)
{
	char name[16];

	init(f, level, disks, layout);
	for (int i = 0; i < disks; i++) {
		snprintf(name, sizeof(name), "loop%d", i);
		add(f, name, i, "in_sync");
	}
}

static void level_number_parses_kernel_names(void **state)
{
	(void)state;
	assert_int_equal(md_level_number("raid5"), 5);
	assert_int_equal(md_level_number("raid10"), 10);
	assert_int_equal(md_level_number("linear"), -1);
	assert_int_equal(md_level_number("raid0"), 0);
	assert_int_equal(md_level_number(""), MD_LEVEL_UNKNOWN);
	assert_int_equal(md_level_number("raid5x"), MD_LEVEL_UNKNOWN);
}

static void role_tells_replacement_from_original(void **state)
{
	struct fixture f;
	struct md_member *old, *new, *want, *spare, *dead, *rebuild;

	(void)state;
	init(&f, "raid6", 4, 2);
	add(&f, "loop0", 0, "in_sync");
	old = add(&f, "loop1", 1, "in_sync,want_replacement");
	new = add(&f, "loop4", 1, "spare,replacement");
	want = add(&f, "loop2", 2, "in_sync,write_error,want_replacement");
	rebuild = add(&f, "loop3", 3, "spare");
	spare = add(&f, "loop5", -1, "spare");
	dead = add(&f, "loop6", -1, "faulty");
	assert_int_equal(md_member_role(&f.a, old), MDR_REPLACING);
	assert_int_equal(md_member_role(&f.a, new), MDR_REPLACEMENT);
	assert_int_equal(md_member_role(&f.a, want), MDR_WANT_REPLACEMENT);
	assert_int_equal(md_member_role(&f.a, rebuild), MDR_REBUILDING);
	assert_int_equal(md_member_role(&f.a, spare), MDR_SPARE);
	assert_int_equal(md_member_role(&f.a, dead), MDR_FAULTY);
	assert_string_equal(md_role_word(MDR_REPLACING), "replacing");
	assert_string_equal(md_role_word(MDR_WANT_REPLACEMENT), "want_replacement");
}

static void faulty_with_in_sync_is_unacknowledged_bad_blocks_not_failure(void **state)
{
	struct fixture f;
	struct md_member *m;

	(void)state;
	init(&f, "raid5", 3, 2);
	add(&f, "loop0", 0, "in_sync");
	m = add(&f, "loop1", 1, "faulty,in_sync,blocked,write_error,want_replacement");
	add(&f, "loop2", 2, "in_sync");
	assert_false(md_member_failed(m));
	assert_int_equal(md_member_role(&f.a, m), MDR_WANT_REPLACEMENT);
	assert_int_equal(md_array_health(&f.a), MDH_OK);
}

static void counts_match_the_kernels_array_info(void **state)
{
	struct fixture f;
	struct md_counts c;

	(void)state;
	init(&f, "raid5", 3, 2);
	add(&f, "loop0", 0, "in_sync");
	add(&f, "loop1", 1, "in_sync,want_replacement");
	add(&f, "loop4", 1, "spare,replacement");
	add(&f, "loop2", 2, "in_sync");
	add(&f, "loop5", -1, "spare");
	add(&f, "loop6", -1, "faulty");
	md_array_count(&f.a, &c);
	assert_int_equal(c.active, 3);
	assert_int_equal(c.working, 5);
	assert_int_equal(c.failed, 1);
	assert_int_equal(c.spare, 2);
	assert_int_equal(c.replacements, 1);
}

static void health_of_healthy_arrays_is_ok(void **state)
{
	static const char *const levels[] = { "raid0", "raid1", "raid4", "raid5", "raid6", "raid10" };
	struct fixture f;

	(void)state;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		healthy(&f, levels[i], 4, !strcmp(levels[i], "raid10") ? 0x102 : 2);
		assert_int_equal(md_array_health(&f.a), MDH_OK);
	}
}

static void raid5_one_missing_degraded_two_missing_unusable(void **state)
{
	struct fixture f;

	(void)state;
	healthy(&f, "raid5", 3, 2);
	f.m[1].flags = md_parse_dev_state("faulty");
	f.m[1].slot = -1;
	assert_int_equal(md_array_health(&f.a), MDH_DEGRADED);
	f.m[2].flags = md_parse_dev_state("faulty");
	f.m[2].slot = -1;
	assert_int_equal(md_array_health(&f.a), MDH_UNUSABLE);
}

static void raid6_survives_two_missing(void **state)
{
	struct fixture f;

	(void)state;
	healthy(&f, "raid6", 5, 2);
	f.a.nmembers = 3; /* slots 3 and 4 removed */
	assert_int_equal(md_array_health(&f.a), MDH_DEGRADED);
	f.a.nmembers = 2;
	assert_int_equal(md_array_health(&f.a), MDH_UNUSABLE);
}

static void raid10_missing_member_is_degraded_not_ok(void **state)
{
	struct fixture f;

	(void)state;
	/* near=2 over 4 devices: pairs (0,1) and (2,3) */
	healthy(&f, "raid10", 4, 0x102);
	f.m[0].slot = -1;
	f.m[0].flags = md_parse_dev_state("faulty");
	assert_int_equal(md_array_health(&f.a), MDH_DEGRADED);
	/* the other copy of the first pair gone too: data lost */
	f.m[1].slot = -1;
	f.m[1].flags = md_parse_dev_state("faulty");
	assert_int_equal(md_array_health(&f.a), MDH_UNUSABLE);
	/* one of each pair gone: still usable */
	healthy(&f, "raid10", 4, 0x102);
	f.m[0].flags = md_parse_dev_state("faulty");
	f.m[3].flags = md_parse_dev_state("faulty");
	assert_int_equal(md_array_health(&f.a), MDH_DEGRADED);
}

static void raid10_with_odd_devices_wraps_copy_groups(void **state)
{
	struct fixture f;

	(void)state;
	/* near=2 over 3 devices: groups (0,1), (2,0), (1,2) */
	healthy(&f, "raid10", 3, 0x102);
	f.m[0].flags = md_parse_dev_state("faulty");
	assert_int_equal(md_array_health(&f.a), MDH_DEGRADED);
	f.m[1].flags = md_parse_dev_state("faulty");
	assert_int_equal(md_array_health(&f.a), MDH_UNUSABLE);
}

static void raid1_needs_one_and_raid0_needs_all(void **state)
{
	struct fixture f;

	(void)state;
	healthy(&f, "raid1", 3, 0);
	f.a.nmembers = 1;
	assert_int_equal(md_array_health(&f.a), MDH_DEGRADED);
	healthy(&f, "raid0", 3, 0);
	f.a.nmembers = 2;
	assert_int_equal(md_array_health(&f.a), MDH_UNUSABLE);
}

static void stopped_array_is_unusable(void **state)
{
	struct fixture f;

	(void)state;
	healthy(&f, "raid5", 3, 2);
	snprintf(f.a.array_state, sizeof(f.a.array_state), "inactive");
	assert_int_equal(md_array_health(&f.a), MDH_UNUSABLE);
}

static void sync_kind_calls_a_copy_to_replacements_replace(void **state)
{
	struct fixture f;

	(void)state;
	healthy(&f, "raid5", 3, 2);
	assert_int_equal(md_sync_kind(&f.a), MDS_NONE);
	snprintf(f.a.sync_action, sizeof(f.a.sync_action), "recover");
	f.m[1].flags = md_parse_dev_state("in_sync,want_replacement");
	add(&f, "loop4", 1, "spare,replacement");
	assert_int_equal(md_sync_kind(&f.a), MDS_REPLACE);
	/* a rebuild alongside makes it a recovery */
	f.m[2].flags = md_parse_dev_state("spare");
	assert_int_equal(md_sync_kind(&f.a), MDS_RECOVER);
	snprintf(f.a.sync_action, sizeof(f.a.sync_action), "check");
	assert_int_equal(md_sync_kind(&f.a), MDS_CHECK);
}

static void copied_percent_from_sync_completed_or_recovery_start(void **state)
{
	struct fixture f;
	struct md_member *r;

	(void)state;
	healthy(&f, "raid5", 3, 2);
	r = add(&f, "loop4", 1, "spare,replacement");
	r->recovery_start = 500; /* of 2000 sectors */
	assert_true(md_copied_percent(&f.a, r) > 24.9 && md_copied_percent(&f.a, r) < 25.1);
	snprintf(f.a.sync_action, sizeof(f.a.sync_action), "recover");
	f.a.sync_done = 1000;
	f.a.sync_total = 2000;
	assert_true(md_copied_percent(&f.a, r) > 49.9 && md_copied_percent(&f.a, r) < 50.1);
	assert_true(md_sync_percent(&f.a) > 49.9);
}

static void state_text_as_mdadm_plus_replacing(void **state)
{
	struct fixture f;
	char buf[128];

	(void)state;
	healthy(&f, "raid5", 3, 2);
	md_array_state_text(&f.a, buf, sizeof(buf));
	assert_string_equal(buf, "clean");
	snprintf(f.a.array_state, sizeof(f.a.array_state), "active");
	f.m[2].flags = md_parse_dev_state("spare"); /* rebuilding slot 2 */
	snprintf(f.a.sync_action, sizeof(f.a.sync_action), "recover");
	f.a.sync_done = 10;
	f.a.sync_total = 100;
	md_array_state_text(&f.a, buf, sizeof(buf));
	assert_string_equal(buf, "active, degraded, recovering");
	f.m[2].flags = md_parse_dev_state("in_sync,want_replacement");
	add(&f, "loop4", 2, "spare,replacement");
	md_array_state_text(&f.a, buf, sizeof(buf));
	assert_string_equal(buf, "active, replacing");
	f.m[0].flags = md_parse_dev_state("faulty");
	f.m[1].flags = md_parse_dev_state("faulty");
	snprintf(f.a.sync_action, sizeof(f.a.sync_action), "idle");
	md_array_state_text(&f.a, buf, sizeof(buf));
	assert_string_equal(buf, "active, FAILED");
}

/* raid10 far-2 on 4 disks: chunk copies sit on slots i and i+1, so losing
 * two neighbours loses data even though each "pair" of two still has one. */
static void level_enough_counts_raid10_groups_as_the_kernel(void **state)
{
	bool far_neighbours_gone[4] = { true, false, false, true };
	bool far_alternate_gone[4] = { true, false, true, false };
	bool near_pair_gone[4] = { false, false, true, true };
	bool r5_one_gone[3] = { true, false, true };
	bool r5_two_gone[3] = { true, false, false };

	(void)state;
	assert_false(md_level_enough(10, 0x201, 4, far_neighbours_gone));
	assert_true(md_level_enough(10, 0x201, 4, far_alternate_gone));
	assert_false(md_level_enough(10, 0x102, 4, near_pair_gone));
	assert_true(md_level_enough(5, 2, 3, r5_one_gone));
	assert_false(md_level_enough(5, 2, 3, r5_two_gone));
	assert_false(md_level_enough(0, 0, 3, r5_one_gone));
	assert_false(md_level_enough(-1, 0, 3, r5_one_gone));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(level_number_parses_kernel_names),
		cmocka_unit_test(level_enough_counts_raid10_groups_as_the_kernel),
		cmocka_unit_test(role_tells_replacement_from_original),
		cmocka_unit_test(faulty_with_in_sync_is_unacknowledged_bad_blocks_not_failure),
		cmocka_unit_test(counts_match_the_kernels_array_info),
		cmocka_unit_test(health_of_healthy_arrays_is_ok),
		cmocka_unit_test(raid5_one_missing_degraded_two_missing_unusable),
		cmocka_unit_test(raid6_survives_two_missing),
		cmocka_unit_test(raid10_missing_member_is_degraded_not_ok),
		cmocka_unit_test(raid10_with_odd_devices_wraps_copy_groups),
		cmocka_unit_test(raid1_needs_one_and_raid0_needs_all),
		cmocka_unit_test(stopped_array_is_unusable),
		cmocka_unit_test(sync_kind_calls_a_copy_to_replacements_replace),
		cmocka_unit_test(copied_percent_from_sync_completed_or_recovery_start),
		cmocka_unit_test(state_text_as_mdadm_plus_replacing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
