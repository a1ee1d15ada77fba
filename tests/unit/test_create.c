// SPDX-License-Identifier: GPL-2.0-or-later
/* test_create.c: the decisions in Create.c that need no device: names, shapes, roles, refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* The command's static helpers are what is tested: take them in whole. */
#include "Create.c"

static void level_names_are_mdadms(void **state)
{
	int l;

	(void)state;
	assert_int_equal(parse_level("raid5", &l), 0);
	assert_int_equal(l, 5);
	assert_int_equal(parse_level("5", &l), 0);
	assert_int_equal(l, 5);
	assert_int_equal(parse_level("mirror", &l), 0);
	assert_int_equal(l, 1);
	assert_int_equal(parse_level("stripe", &l), 0);
	assert_int_equal(l, 0);
	assert_int_equal(parse_level("linear", &l), 0);
	assert_int_equal(l, MD_LEVEL_LINEAR);
	assert_int_equal(parse_level("RAID10", &l), 0);
	assert_int_equal(l, 10);
	assert_int_equal(parse_level("9", &l), -EINVAL);
	assert_int_equal(parse_level("multipath", &l), -EINVAL);
}

static void metadata_090_is_refused_as_unsupported(void **state)
{
	int m;

	(void)state;
	assert_int_equal(parse_metadata("1.2", &m), 0);
	assert_int_equal(m, 2);
	assert_int_equal(parse_metadata("default", &m), 0);
	assert_int_equal(m, 2);
	assert_int_equal(parse_metadata("1", &m), 0);
	assert_int_equal(m, 2);
	assert_int_equal(parse_metadata("1.1", &m), 0);
	assert_int_equal(m, 1);
	assert_int_equal(parse_metadata("1.0", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(parse_metadata("0.90", &m), -EOPNOTSUPP);
	assert_int_equal(parse_metadata("imsm", &m), -EOPNOTSUPP);
	assert_int_equal(parse_metadata("1.3", &m), -EINVAL);
}

static void layouts_take_mdadm_names_and_defaults(void **state)
{
	int l;

	(void)state;
	assert_int_equal(parse_layout(5, NULL, &l), 0);
	assert_int_equal(l, 2);
	assert_int_equal(parse_layout(5, "la", &l), 0);
	assert_int_equal(l, 0);
	assert_int_equal(parse_layout(5, "right-symmetric", &l), 0);
	assert_int_equal(l, 3);
	assert_int_equal(parse_layout(6, "parity-first-6", &l), 0);
	assert_int_equal(l, 20);
	assert_int_equal(parse_layout(5, "parity-first-6", &l), -EINVAL);
	assert_int_equal(parse_layout(10, NULL, &l), 0);
	assert_int_equal(l, 0x102);
	assert_int_equal(parse_layout(10, "f2", &l), 0);
	assert_int_equal(l, 0x201);
	assert_int_equal(parse_layout(10, "o2", &l), 0);
	assert_int_equal(l, 0x10201);
	assert_int_equal(parse_layout(10, "n3", &l), 0);
	assert_int_equal(l, 0x103);
	assert_int_equal(parse_layout(10, "x2", &l), -EINVAL);
	assert_int_equal(parse_layout(10, "n", &l), -EINVAL);
	assert_int_equal(parse_layout(0, NULL, &l), 0);
	assert_int_equal(l, 1);
	assert_int_equal(parse_layout(0, "alternate", &l), 0);
	assert_int_equal(l, 2);
	assert_int_equal(parse_layout(1, NULL, &l), 0);
	assert_int_equal(l, 0);
	assert_int_equal(parse_layout(1, "ls", &l), -EINVAL);
	assert_int_equal(parse_layout(4, "ls", &l), -EINVAL);
}

static void missing_slots_decide_whether_the_array_can_run(void **state)
{
	bool p4[4];

	(void)state;
	/* raid10 n2 on 4: slots pair up as 0-1 and 2-3 */
	memcpy(p4, (bool[]){ false, true, false, true }, sizeof(p4));
	assert_true(md_level_enough(10, 0x102, 4, p4));
	memcpy(p4, (bool[]){ false, false, true, true }, sizeof(p4));
	assert_false(md_level_enough(10, 0x102, 4, p4));
	/* raid5 survives one, raid6 two, raid1 all but one */
	memcpy(p4, (bool[]){ true, false, true, true }, sizeof(p4));
	assert_true(md_level_enough(5, 2, 4, p4));
	memcpy(p4, (bool[]){ false, false, true, true }, sizeof(p4));
	assert_false(md_level_enough(5, 2, 4, p4));
	assert_true(md_level_enough(6, 2, 4, p4));
	memcpy(p4, (bool[]){ false, false, false, true }, sizeof(p4));
	assert_false(md_level_enough(6, 2, 4, p4));
	assert_true(md_level_enough(1, 0, 4, p4));
	memcpy(p4, (bool[]){ true, true, true, false }, sizeof(p4));
	assert_false(md_level_enough(0, 1, 4, p4));
	assert_false(md_level_enough(MD_LEVEL_LINEAR, 0, 4, p4));
}

static void array_names_give_kernel_name_and_default_name(void **state)
{
	char k[32];
	const char *def = NULL;

	(void)state;
	assert_int_equal(md_kname_for_create("/dev/md0", k, sizeof(k), &def), 0);
	assert_string_equal(k, "md0");
	assert_string_equal(def, "0");
	assert_int_equal(md_kname_for_create("md127", k, sizeof(k), &def), 0);
	assert_string_equal(k, "md127");
	assert_string_equal(def, "127");
	assert_int_equal(md_kname_for_create("/dev/md/3", k, sizeof(k), &def), 0);
	assert_string_equal(k, "md3");
	assert_string_equal(def, "3");
	assert_int_equal(md_kname_for_create("/dev/md/home", k, sizeof(k), &def), -EINVAL);
	assert_int_equal(md_kname_for_create("/dev/md01", k, sizeof(k), &def), -EINVAL);
	assert_int_equal(md_kname_for_create("/dev/sda", k, sizeof(k), &def), -EINVAL);
	assert_int_equal(md_kname_for_create("/dev/md", k, sizeof(k), &def), -EINVAL);
}

static void set_name_is_homehost_colon_name_when_it_fits(void **state)
{
	char out[33];

	(void)state;
	assert_int_equal(make_set_name("box", "data", out), 0);
	assert_string_equal(out, "box:data");
	assert_int_equal(make_set_name(NULL, "data", out), 0);
	assert_string_equal(out, "data");
	assert_int_equal(make_set_name("box", "other:data", out), 0);
	assert_string_equal(out, "other:data");
	/* 28 + 1 + 4 > 32: the name alone, as mdadm */
	assert_int_equal(make_set_name("a-rather-long-host-name-here", "data", out), 0);
	assert_string_equal(out, "data");
	assert_int_equal(make_set_name("box", "0123456789012345678901234567890123", out),
			 -ENAMETOOLONG);
}

static void max_dev_fills_whole_sectors(void **state)
{
	(void)state;
	assert_int_equal(max_dev_for(4), 128);
	assert_int_equal(max_dev_for(128), 128);
	assert_int_equal(max_dev_for(129), 384);
}

static void roles_for(const char *const *argv, int argc, struct create_opts *o,
		      struct create_plan *p, struct cmember *m, bool *present)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(parse_args(argc, (char **)argv, o), -1);
	assert_true(check_shape(o, p, present));
	for (int i = 0; i < o->ndevs; i++)
		m[i].path = strcmp(o->devs[i], "missing") ? o->devs[i] : NULL;
	assign_roles(o, p, m, present);
}

static void raid5_rebuilds_its_last_member_unless_clean_or_forced(void **state)
{
	const char *a[] = { "mdctl", "--create", "/dev/md0", "-l5", "-n4", "a", "b", "c", "d" };
	const char *b[] = { "mdctl", "--create", "/dev/md0", "-l5", "-n4", "--force",
			    "a", "b", "c", "d" };
	const char *c[] = { "mdctl", "-C", "/dev/md0", "-l5", "-n3", "-x1", "--assume-clean",
			    "a", "b", "c", "d" };
	struct create_opts o;
	struct create_plan p;
	struct cmember m[4];
	bool present[4];

	(void)state;
	memset(m, 0, sizeof(m));
	roles_for(a, 9, &o, &p, m, present);
	assert_int_equal(m[2].role, 2);
	assert_int_equal(m[3].role, -1);
	assert_int_equal(m[3].dev_number, 4);
	assert_int_equal(p.total_numbers, 5);
	assert_true(p.resync_offset == SB1_MAX_SECTOR);

	memset(m, 0, sizeof(m));
	roles_for(b, 10, &o, &p, m, present);
	assert_int_equal(m[3].role, 3);
	assert_int_equal(m[3].dev_number, 3);
	assert_true(p.resync_offset == 0);

	memset(m, 0, sizeof(m));
	roles_for(c, 11, &o, &p, m, present);
	assert_int_equal(m[2].role, 2);
	assert_int_equal(m[3].role, -1);
	assert_int_equal(m[3].dev_number, 3);
	assert_true(p.resync_offset == SB1_MAX_SECTOR);
}

static void raid6_with_one_missing_rebuilds_a_second_slot(void **state)
{
	const char *a[] = { "mdctl", "--create", "/dev/md0", "-l6", "-n4", "a", "b", "c", "missing" };
	const char *b[] = { "mdctl", "--create", "/dev/md0", "-l1", "-n2", "a", "b" };
	struct create_opts o;
	struct create_plan p;
	struct cmember m[4];
	bool present[4];

	(void)state;
	memset(m, 0, sizeof(m));
	roles_for(a, 9, &o, &p, m, present);
	assert_null(m[3].path);
	assert_int_equal(m[2].role, -1);
	assert_int_equal(m[2].dev_number, 4);
	assert_true(p.resync_offset == SB1_MAX_SECTOR);

	memset(m, 0, sizeof(m));
	roles_for(b, 7, &o, &p, m, present);
	assert_int_equal(m[1].role, 1);
	assert_true(p.resync_offset == 0);
}

/* Exit status of cmd_create for a command line that must be refused before any device is opened. */
static int run(int argc, const char *const *argv)
{
	struct mdctl_ctx ctx = { .prog = "mdctl", .sysfs_root = "/nonexistent",
				 .proc_root = "/nonexistent", .dev_root = "/nonexistent",
				 .state_dir = "/nonexistent" };

	return cmd_create(&ctx, argc, (char **)argv);
}

#define RUN(...) run(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *), \
		     (const char *[]){ __VA_ARGS__ })

static void impossible_shapes_are_usage_errors(void **state)
{
	(void)state;
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-n2", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l6", "-n3", "a", "b", "c"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l0", "-n2", "-x1", "a", "b", "c"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l10", "-n2", "-pn3", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l5", "-n4", "a", "b", "c"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l5", "-n2", "a", "b", "c"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "-n2", "-c64", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l5", "-n3", "-c100", "a", "b", "c"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "-n1", "a"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l5", "-n3", "missing", "missing", "a"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l0", "-n2", "missing", "a"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "-n2", "-x1", "a", "b", "missing"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l0", "-n2", "-z1M", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-e0.90", "-l1", "-n2", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "-n2", "--bitmap=/tmp/bm", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "-n2", "--bitmap=clustered", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "-n2", "--bogus", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "-n2", "-N",
			     "a-name-much-longer-than-thirty-two-bytes", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/mdx", "-l1", "-n2", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md/", "-l1", "-n2", "a", "b"), 2);
	assert_int_equal(RUN("mdctl", "-C"), 2);
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "--help"), 0);
}

static void devices_that_do_not_exist_are_refused_before_writing(void **state)
{
	(void)state;
	/* a valid shape: the refusal comes from the device checks (exit 1) */
	assert_int_equal(RUN("mdctl", "-C", "/dev/md0", "-l1", "-n2", "/nonexistent/a",
			     "/nonexistent/b"), 1);
	/* a named array gets a free number; its devices are still checked first */
	assert_int_equal(RUN("mdctl", "-C", "/dev/md/home", "-l1", "-n2", "/nonexistent/a",
			     "/nonexistent/b"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(level_names_are_mdadms),
		cmocka_unit_test(metadata_090_is_refused_as_unsupported),
		cmocka_unit_test(layouts_take_mdadm_names_and_defaults),
		cmocka_unit_test(missing_slots_decide_whether_the_array_can_run),
		cmocka_unit_test(array_names_give_kernel_name_and_default_name),
		cmocka_unit_test(set_name_is_homehost_colon_name_when_it_fits),
		cmocka_unit_test(max_dev_fills_whole_sectors),
		cmocka_unit_test(raid5_rebuilds_its_last_member_unless_clean_or_forced),
		cmocka_unit_test(raid6_with_one_missing_rebuilds_a_second_slot),
		cmocka_unit_test(impossible_shapes_are_usage_errors),
		cmocka_unit_test(devices_that_do_not_exist_are_refused_before_writing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
