// SPDX-License-Identifier: GPL-2.0-or-later
/* test_assembly.c: member selection of assembly.c over hand-built superblocks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assembly.h"
#include "mdarray.h"

#define NDEV 8

struct fixture {
	struct sb1_dev dev[NDEV];
	struct asm_cand c[NDEV];
	char path[NDEV][16];
};

static struct fixture *fx_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	for (int i = 0; i < NDEV; i++) {
		snprintf(f->path[i], sizeof(f->path[i]), "/dev/loop%d", i);
		f->c[i].path = f->path[i];
		f->c[i].dev = &f->dev[i];
	}
	return f;
}

/* Device i of a level/raid_disks array: dev_number i, events ev, every role its index. */
static void fx_dev(struct fixture *f, int i, int level, unsigned raid_disks, uint64_t ev)
{
	struct sb1_info *s = &f->dev[i].info;

	memset(s, 0, sizeof(*s));
	s->minor = 2;
	f->dev[i].minor = 2;
	memset(s->set_uuid, 0xab, 16);
	strcpy(s->set_name, "host:data");
	s->ctime_sec = 1700000000;
	s->level = level;
	s->layout = level == 10 ? 0x102 : 2;
	s->size = 100000;
	s->chunksize = 1024;
	s->raid_disks = raid_disks;
	s->dev_number = (uint32_t)i;
	s->events = ev;
	s->resync_offset = SB1_MAX_SECTOR;
	s->max_dev = 128;
	for (unsigned r = 0; r < SB1_MAX_DEV; r++)
		s->dev_roles[r] = r < raid_disks ? (uint16_t)r : SB1_ROLE_SPARE;
}

static const struct asm_opts no_opts;

static void plan_takes_every_member_of_a_clean_array(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	for (int i = 0; i < 3; i++)
		fx_dev(f, i, 5, 3, 10);
	assert_int_equal(asm_plan(f->c, 3, &no_opts, &p), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(f->c[i].verdict, ASM_IN);
		assert_int_equal(f->c[i].slot, i);
	}
	assert_true(p.complete);
	assert_true(p.usable);
	assert_int_equal(p.in_sync_slots, 3);
	assert_int_equal(p.members, 3);
	free(f);
}

static void plan_puts_a_replacement_in_its_slot_with_its_offset(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;
	struct sb1_info *r;

	(void)state;
	for (int i = 0; i < 4; i++)
		fx_dev(f, i, 5, 3, 20);
	for (int i = 0; i < 4; i++)
		f->dev[i].info.dev_roles[3] = 1;  /* device 3 replaces slot 1 */
	r = &f->dev[3].info;
	r->feature_map = SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET;
	r->recovery_offset = 37000;
	assert_int_equal(asm_plan(f->c, 4, &no_opts, &p), 0);
	assert_int_equal(f->c[3].verdict, ASM_IN);
	assert_int_equal(f->c[3].slot, 1);
	assert_true(f->c[3].replacement);
	assert_true(f->c[3].recovering);
	assert_true(f->c[3].recovery_offset == 37000);
	assert_int_equal(f->c[1].slot, 1);
	assert_false(f->c[1].replacement);
	assert_int_equal(p.replacements, 1);
	assert_true(p.complete);
	assert_int_equal(asm_percent(37000, 100000), 37);
	free(f);
}

static void plan_excludes_a_member_the_freshest_marks_faulty(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	fx_dev(f, 0, 5, 3, 30);
	fx_dev(f, 1, 5, 3, 30);
	fx_dev(f, 2, 5, 3, 12);
	f->dev[0].info.dev_roles[2] = SB1_ROLE_FAULTY;
	f->dev[1].info.dev_roles[2] = SB1_ROLE_FAULTY;
	assert_int_equal(asm_plan(f->c, 3, &no_opts, &p), 0);
	assert_int_equal(f->c[2].verdict, ASM_FAULTY);
	assert_non_null(strstr(f->c[2].why, "marked faulty"));
	assert_non_null(strstr(f->c[2].why, "/dev/loop0"));
	assert_false(p.complete);
	assert_true(p.usable);
	assert_true(p.startable); /* it did not run with device 2 either */
	assert_int_equal(p.split, -1);
	free(f);
}

/*
 * mdadm's start rule: an array that was already degraded when it stopped
 * (a member failed and removed, data written) starts without --run; one
 * missing a device it last ran with does not.
 */
static void plan_startable_when_every_device_it_ran_with_is_here(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	for (int i = 0; i < 2; i++) {
		fx_dev(f, i, 5, 3, 50);
		f->dev[i].info.dev_roles[2] = SB1_ROLE_FAULTY; /* failed and removed */
	}
	assert_int_equal(asm_plan(f->c, 2, &no_opts, &p), 0);
	assert_false(p.complete);
	assert_true(p.usable);
	assert_int_equal(p.working, 2);
	assert_int_equal(p.slot_devs, 2);
	assert_true(p.startable);

	/* removed and then a spare role: the same */
	for (int i = 0; i < 2; i++)
		f->dev[i].info.dev_roles[2] = SB1_ROLE_SPARE;
	assert_int_equal(asm_plan(f->c, 2, &no_opts, &p), 0);
	assert_true(p.startable);

	/* stopped whole, one device missing now: degraded, needs --run */
	for (int i = 0; i < 2; i++)
		fx_dev(f, i, 5, 3, 50);
	assert_int_equal(asm_plan(f->c, 2, &no_opts, &p), 0);
	assert_true(p.usable);
	assert_int_equal(p.working, 3);
	assert_false(p.startable);

	/* a stale member does not count as one of those it ran with */
	fx_dev(f, 2, 5, 3, 40);
	assert_int_equal(asm_plan(f->c, 3, &no_opts, &p), 0);
	assert_int_equal(f->c[2].verdict, ASM_STALE);
	assert_false(p.startable);

	/* too few to run at all: never startable */
	assert_int_equal(asm_plan(f->c, 1, &no_opts, &p), 0);
	assert_false(p.usable);
	assert_false(p.startable);
	free(f);
}

/* A replacement the array ran with is one of its devices: missing, it holds the start. */
static void plan_counts_a_replacement_among_the_devices_it_ran_with(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	for (int i = 0; i < 4; i++) {
		fx_dev(f, i, 5, 3, 20);
		f->dev[i].info.dev_roles[3] = 1;
	}
	f->dev[3].info.feature_map = SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET;
	f->dev[3].info.recovery_offset = 1000;
	assert_int_equal(asm_plan(f->c, 4, &no_opts, &p), 0);
	assert_int_equal(p.working, 4);
	assert_true(p.startable);
	assert_int_equal(asm_plan(f->c, 3, &no_opts, &p), 0);
	assert_true(p.complete);   /* every slot has its primary: starts anyway */
	assert_false(p.startable);
	free(f);
}

static void plan_accepts_one_event_behind_and_refuses_two(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	fx_dev(f, 0, 1, 2, 41);
	fx_dev(f, 1, 1, 2, 40);
	assert_int_equal(asm_plan(f->c, 2, &no_opts, &p), 0);
	assert_int_equal(f->c[1].verdict, ASM_IN);
	assert_true(p.complete);
	f->dev[1].info.events = 39;
	assert_int_equal(asm_plan(f->c, 2, &no_opts, &p), 0);
	assert_int_equal(f->c[1].verdict, ASM_STALE);
	assert_non_null(strstr(f->c[1].why, "events 39"));
	assert_false(p.complete);
	assert_true(p.usable);
	free(f);
}

static void plan_flags_the_two_halves_of_a_split_mirror(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	fx_dev(f, 0, 1, 2, 25);
	fx_dev(f, 1, 1, 2, 18);
	f->dev[0].info.dev_roles[1] = SB1_ROLE_FAULTY;
	f->dev[1].info.dev_roles[0] = SB1_ROLE_FAULTY;
	assert_int_equal(asm_plan(f->c, 2, &no_opts, &p), 0);
	assert_int_equal(p.fresh, 0);
	assert_int_equal(p.split, 1);
	assert_int_equal(f->c[1].verdict, ASM_SPLIT);
	assert_non_null(strstr(f->c[1].why, "split"));
	free(f);
}

static void plan_flags_halves_that_each_ran_degraded(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	/* each half was started alone: the other is simply absent (spare) in its view */
	fx_dev(f, 0, 1, 2, 4);
	fx_dev(f, 1, 1, 2, 2);
	f->dev[0].info.dev_roles[1] = SB1_ROLE_SPARE;
	f->dev[1].info.dev_roles[0] = SB1_ROLE_SPARE;
	assert_int_equal(asm_plan(f->c, 2, &no_opts, &p), 0);
	assert_int_equal(p.fresh, 0);
	assert_int_equal(p.split, 1);
	free(f);
}

static void plan_does_not_call_a_failed_member_a_split(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	/* loop0 is a newer disk that took slot 1 after loop1 failed; loop2 held slot 0 */
	fx_dev(f, 0, 1, 2, 20);
	fx_dev(f, 1, 1, 2, 10);
	fx_dev(f, 2, 1, 2, 20);
	for (int i = 0; i < 3; i++)
		memset(f->dev[i].info.dev_roles, 0xff, 8);
	f->dev[0].info.dev_number = 2;
	f->dev[1].info.dev_number = 1;
	f->dev[2].info.dev_number = 0;
	for (int i = 0; i < 3; i += 2) {
		f->dev[i].info.dev_roles[0] = 0;
		f->dev[i].info.dev_roles[1] = SB1_ROLE_FAULTY;
		f->dev[i].info.dev_roles[2] = 1;
	}
	f->dev[1].info.dev_roles[0] = 0;
	f->dev[1].info.dev_roles[1] = 1;
	assert_int_equal(asm_plan(f->c, 3, &no_opts, &p), 0);
	assert_int_equal(p.fresh, 0);
	assert_int_equal(p.split, -1);
	assert_int_equal(f->c[1].verdict, ASM_FAULTY);
	assert_true(p.complete);
	free(f);
}

static void plan_force_raises_the_newest_stale_member_only(void **state)
{
	struct fixture *f = fx_new();
	struct asm_opts o = { .force = true };
	struct asm_plan p;

	(void)state;
	fx_dev(f, 0, 5, 3, 50);
	fx_dev(f, 1, 5, 3, 30);   /* failed first */
	fx_dev(f, 2, 5, 3, 49);   /* failed second: the array died */
	f->dev[0].info.dev_roles[1] = SB1_ROLE_FAULTY;
	f->dev[0].info.dev_roles[2] = SB1_ROLE_FAULTY;
	f->dev[0].info.resync_offset = 0;
	f->dev[2].info.dev_roles[1] = SB1_ROLE_FAULTY;
	assert_int_equal(asm_plan(f->c, 3, &no_opts, &p), 0);
	assert_false(p.usable);
	assert_false(p.forced);
	assert_int_equal(asm_plan(f->c, 3, &o, &p), 0);
	assert_true(p.usable);
	assert_true(p.forced);
	assert_int_equal(f->c[2].verdict, ASM_IN);
	assert_true(f->c[2].forced);
	assert_true(f->c[2].force_role);
	assert_int_equal(f->c[2].slot, 2);
	assert_int_equal(f->c[1].verdict, ASM_FAULTY);
	assert_true(p.mark_clean);
	free(f);
}

/*
 * --force never puts a stale member into a slot that a device still being
 * rebuilt holds (found by fuzz_assembly): the other missing slots are
 * raised instead, and the rebuild goes on from them.
 */
static void plan_force_leaves_a_rebuilding_slot_alone(void **state)
{
	struct fixture *f = fx_new();
	struct asm_opts o = { .force = true };
	struct asm_plan p;
	int in_slot2 = 0;

	(void)state;
	fx_dev(f, 0, 6, 4, 40);
	fx_dev(f, 2, 6, 4, 50);
	fx_dev(f, 3, 6, 4, 50);
	fx_dev(f, 4, 6, 4, 100);  /* the freshest: slot 2, rebuilt up to 5000 */
	f->dev[4].info.dev_roles[4] = 2;
	f->dev[4].info.feature_map = SB1_FEAT_RECOVERY_OFFSET;
	f->dev[4].info.recovery_offset = 5000;
	f->c[1].load_rc = -ENOENT;    /* slot 1's device is gone */
	assert_int_equal(asm_plan(f->c, 5, &o, &p), 0);
	for (int i = 0; i < 5; i++)
		if (f->c[i].verdict == ASM_IN && f->c[i].slot == 2 && !f->c[i].replacement)
			in_slot2++;
	assert_int_equal(in_slot2, 1);
	assert_int_equal(f->c[4].slot, 2);
	assert_true(f->c[4].recovering);
	assert_int_not_equal(f->c[2].verdict, ASM_IN);
	assert_int_equal(f->c[3].verdict, ASM_IN);
	assert_true(f->c[3].forced);
	assert_int_equal(f->c[0].verdict, ASM_IN);
	assert_true(f->c[0].forced);
	assert_true(p.usable);
	free(f);
}

static void plan_refuses_other_uuid_and_geometry(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	for (int i = 0; i < 4; i++)
		fx_dev(f, i, 5, 3, 10);
	f->dev[2].info.set_uuid[0] = 1;
	f->dev[3].info.dev_number = 2;
	f->dev[3].info.ctime_sec++;
	assert_int_equal(asm_plan(f->c, 4, &no_opts, &p), 0);
	assert_int_equal(f->c[2].verdict, ASM_OTHER_ARRAY);
	assert_int_equal(f->c[3].verdict, ASM_GEOMETRY);
	assert_non_null(strstr(f->c[3].why, "creation time"));
	assert_int_equal(p.other_uuid, 1);
	assert_false(p.complete);
	free(f);
}

/* Each geometry field that differs from the freshest member's is named with both values. */
static void plan_names_the_geometry_that_differs(void **state)
{
	static const char *const why[] = {
		"raid level 6 differs from the freshest member's 5",
		"raid disks 4 differ from the freshest member's 3",
		"layout 0 differs from the freshest member's 2",
		"chunk 128 sectors differs from the freshest member's 1024",
		"component size 99999 sectors differs from the freshest member's 100000",
	};
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	for (int i = 0; i < 8; i++)
		fx_dev(f, i, 5, 3, 10);
	/* devices 3..7 are spares of the array (dev_number past raid_disks), each with one field changed */
	f->dev[3].info.level = 6;
	f->dev[4].info.raid_disks = 4;
	f->dev[5].info.layout = 0;
	f->dev[6].info.chunksize = 128;
	f->dev[7].info.size = 99999;
	assert_int_equal(asm_plan(f->c, 8, &no_opts, &p), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(f->c[i].verdict, ASM_IN);
	for (int i = 3; i < 8; i++) {
		assert_int_equal(f->c[i].verdict, ASM_GEOMETRY);
		assert_string_equal(f->c[i].why, why[i - 3]);
	}
	free(f);
}

static void plan_picks_the_array_named_or_uuid_given(void **state)
{
	struct fixture *f = fx_new();
	struct asm_opts o = { .name = "other" };
	struct asm_plan p;

	(void)state;
	for (int i = 0; i < 4; i++)
		fx_dev(f, i, 1, 2, 10);
	f->dev[2].info.set_uuid[0] = 7;
	f->dev[3].info.set_uuid[0] = 7;
	strcpy(f->dev[2].info.set_name, "host:other");
	strcpy(f->dev[3].info.set_name, "host:other");
	f->dev[2].info.dev_number = 0;
	f->dev[3].info.dev_number = 1;
	assert_int_equal(asm_plan(f->c, 4, &o, &p), 0);
	assert_int_equal(f->c[0].verdict, ASM_OTHER_ARRAY);
	assert_int_equal(f->c[2].verdict, ASM_IN);
	assert_int_equal(f->c[3].verdict, ASM_IN);
	assert_true(p.complete);
	memset(&o, 0, sizeof(o));
	o.have_uuid = true;
	memset(o.uuid, 0xab, 16);
	assert_int_equal(asm_plan(f->c, 4, &o, &p), 0);
	assert_int_equal(f->c[0].verdict, ASM_IN);
	assert_int_equal(f->c[2].verdict, ASM_OTHER_ARRAY);
	o.uuid[5] = 0;
	assert_int_equal(asm_plan(f->c, 4, &o, &p), -ENOENT);
	free(f);
}

static void plan_keeps_the_fresher_of_two_devices_in_one_slot(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	fx_dev(f, 0, 1, 2, 10);
	fx_dev(f, 1, 1, 2, 10);
	fx_dev(f, 2, 1, 2, 9);
	f->dev[2].info.dev_number = 1;  /* a copy of device 1, one event older */
	assert_int_equal(asm_plan(f->c, 3, &no_opts, &p), 0);
	assert_int_equal(f->c[1].verdict, ASM_IN);
	assert_int_equal(f->c[2].verdict, ASM_DUPLICATE);
	assert_non_null(strstr(f->c[2].why, "/dev/loop1"));
	free(f);
}

static void plan_names_devices_without_superblock_and_busy_ones(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	for (int i = 0; i < 4; i++)
		fx_dev(f, i, 6, 4, 10);
	f->c[0].load_rc = -EBADMSG;
	f->c[3].busy = true;
	strcpy(f->c[3].busy_why, "is in use by md1");
	assert_int_equal(asm_plan(f->c, 4, &no_opts, &p), 0);
	assert_int_equal(f->c[0].verdict, ASM_NO_SB);
	assert_int_equal(f->c[3].verdict, ASM_BUSY);
	assert_string_equal(f->c[3].why, "is in use by md1");
	assert_true(p.usable);  /* raid6 runs on 2 of 4 */
	assert_false(p.complete);
	free(f);
}

static void plan_counts_a_spare_and_an_interrupted_rebuild(void **state)
{
	struct fixture *f = fx_new();
	struct asm_plan p;

	(void)state;
	for (int i = 0; i < 4; i++)
		fx_dev(f, i, 5, 3, 10);
	f->dev[2].info.feature_map = SB1_FEAT_RECOVERY_OFFSET;
	f->dev[2].info.recovery_offset = 5000;
	assert_int_equal(asm_plan(f->c, 4, &no_opts, &p), 0);
	assert_int_equal(f->c[3].slot, -1);
	assert_int_equal(p.spares, 1);
	assert_int_equal(p.rebuilding, 1);
	assert_int_equal(p.in_sync_slots, 2);
	assert_true(p.usable);
	assert_true(p.complete);  /* every slot has its device; one is still rebuilding */
	free(f);
}

/* A fake sysfs root with block/<md> directories for the names given. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_takes_every_member_of_a_clean_array),
		cmocka_unit_test(plan_puts_a_replacement_in_its_slot_with_its_offset),
		cmocka_unit_test(plan_excludes_a_member_the_freshest_marks_faulty),
		cmocka_unit_test(plan_startable_when_every_device_it_ran_with_is_here),
		cmocka_unit_test(plan_counts_a_replacement_among_the_devices_it_ran_with),
		cmocka_unit_test(plan_accepts_one_event_behind_and_refuses_two),
		cmocka_unit_test(plan_flags_the_two_halves_of_a_split_mirror),
		cmocka_unit_test(plan_flags_halves_that_each_ran_degraded),
		cmocka_unit_test(plan_does_not_call_a_failed_member_a_split),
		cmocka_unit_test(plan_force_raises_the_newest_stale_member_only),
		cmocka_unit_test(plan_force_leaves_a_rebuilding_slot_alone),
		cmocka_unit_test(plan_refuses_other_uuid_and_geometry),
		cmocka_unit_test(plan_names_the_geometry_that_differs),
		cmocka_unit_test(plan_picks_the_array_named_or_uuid_given),
		cmocka_unit_test(plan_keeps_the_fresher_of_two_devices_in_one_slot),
		cmocka_unit_test(plan_names_devices_without_superblock_and_busy_ones),
		cmocka_unit_test(plan_counts_a_spare_and_an_interrupted_rebuild),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
