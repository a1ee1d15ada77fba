// SPDX-License-Identifier: GPL-2.0-or-later
/* test_create.c: the decisions in Create.c that need no device: names, shapes, roles, refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* The command's static helpers are what is tested: take them in whole. */
#include "Create.c"

/*
 * Level names, metadata versions and layouts as mdadm spells them: a word
 * (a layout with its level), what parsing it returns, and on success the
 * value it gives.
 */
static void words_parse_as_mdadm_spells_them(void **state)
{
	enum { LEVEL, METADATA, LAYOUT };
	static const struct {
		int what, level;
		const char *word;
		int rc, want;
	} c[] = {
		{ LEVEL, 0, "raid5", 0, 5 },
		{ LEVEL, 0, "5", 0, 5 },
		{ LEVEL, 0, "mirror", 0, 1 },
		{ LEVEL, 0, "stripe", 0, 0 },
		{ LEVEL, 0, "linear", 0, MD_LEVEL_LINEAR },
		{ LEVEL, 0, "RAID10", 0, 10 },
		{ LEVEL, 0, "9", -EINVAL, 0 },
		{ LEVEL, 0, "multipath", -EINVAL, 0 },
		/* 0.90 is refused as unsupported, not as unknown */
		{ METADATA, 0, "1.2", 0, 2 },
		{ METADATA, 0, "default", 0, 2 },
		{ METADATA, 0, "1", 0, 2 },
		{ METADATA, 0, "1.1", 0, 1 },
		{ METADATA, 0, "1.0", 0, 0 },
		{ METADATA, 0, "0.90", -EOPNOTSUPP, 0 },
		{ METADATA, 0, "imsm", -EOPNOTSUPP, 0 },
		{ METADATA, 0, "1.3", -EINVAL, 0 },
		{ LAYOUT, 5, NULL, 0, 2 },
		{ LAYOUT, 5, "la", 0, 0 },
		{ LAYOUT, 5, "right-symmetric", 0, 3 },
		{ LAYOUT, 6, "parity-first-6", 0, 20 },
		{ LAYOUT, 5, "parity-first-6", -EINVAL, 0 },
		{ LAYOUT, 10, NULL, 0, 0x102 },
		{ LAYOUT, 10, "f2", 0, 0x201 },
		{ LAYOUT, 10, "o2", 0, 0x10201 },
		{ LAYOUT, 10, "n3", 0, 0x103 },
		{ LAYOUT, 10, "x2", -EINVAL, 0 },
		{ LAYOUT, 10, "n", -EINVAL, 0 },
		{ LAYOUT, 0, NULL, 0, 1 },
		{ LAYOUT, 0, "alternate", 0, 2 },
		{ LAYOUT, 1, NULL, 0, 0 },
		{ LAYOUT, 1, "ls", -EINVAL, 0 },
		{ LAYOUT, 4, "ls", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int v = -12345, rc;

		if (c[i].what == LEVEL)
			rc = parse_level(c[i].word, &v);
		else if (c[i].what == METADATA)
			rc = parse_metadata(c[i].word, &v);
		else
			rc = parse_layout(c[i].level, c[i].word, &v);
		assert_int_equal(rc, c[i].rc);
		if (!rc)
			assert_int_equal(v, c[i].want);
	}
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

/* What --create decides for up to four devices: options, plan, members' roles. */
struct roles {
	struct create_opts o;
	struct create_plan p;
	struct cmember m[4];
	bool present[4];
};

static void roles_for(const char *const *argv, int argc, struct roles *r)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(parse_args(argc, (char **)argv, &r->o), -1);
	assert_true(check_shape(&r->o, &r->p, r->present));
	for (int i = 0; i < r->o.ndevs; i++)
		r->m[i].path = strcmp(r->o.devs[i], "missing") ? r->o.devs[i] : NULL;
	assign_roles(&r->o, &r->p, r->m, r->present);
}

static void raid5_rebuilds_its_last_member_unless_clean_or_forced(void **state)
{
	const char *a[] = { "mdctl", "--create", "/dev/md0", "-l5", "-n4", "a", "b", "c", "d" };
	const char *b[] = { "mdctl", "--create", "/dev/md0", "-l5", "-n4", "--force",
			    "a", "b", "c", "d" };
	const char *c[] = { "mdctl", "-C", "/dev/md0", "-l5", "-n3", "-x1", "--assume-clean",
			    "a", "b", "c", "d" };
	struct roles r;

	(void)state;
	roles_for(a, 9, &r);
	assert_int_equal(r.m[2].role, 2);
	assert_int_equal(r.m[3].role, -1);
	assert_int_equal(r.m[3].dev_number, 4);
	assert_int_equal(r.p.total_numbers, 5);
	assert_true(r.p.resync_offset == SB1_MAX_SECTOR);

	roles_for(b, 10, &r);
	assert_int_equal(r.m[3].role, 3);
	assert_int_equal(r.m[3].dev_number, 3);
	assert_true(r.p.resync_offset == 0);

	roles_for(c, 11, &r);
	assert_int_equal(r.m[2].role, 2);
	assert_int_equal(r.m[3].role, -1);
	assert_int_equal(r.m[3].dev_number, 3);
	assert_true(r.p.resync_offset == SB1_MAX_SECTOR);
}

static void raid6_with_one_missing_rebuilds_a_second_slot(void **state)
{
	const char *a[] = { "mdctl", "--create", "/dev/md0", "-l6", "-n4", "a", "b", "c", "missing" };
	const char *b[] = { "mdctl", "--create", "/dev/md0", "-l1", "-n2", "a", "b" };
	struct roles r;

	(void)state;
	roles_for(a, 9, &r);
	assert_null(r.m[3].path);
	assert_int_equal(r.m[2].role, -1);
	assert_int_equal(r.m[2].dev_number, 4);
	assert_true(r.p.resync_offset == SB1_MAX_SECTOR);

	roles_for(b, 7, &r);
	assert_int_equal(r.m[1].role, 1);
	assert_true(r.p.resync_offset == 0);
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
		cmocka_unit_test(words_parse_as_mdadm_spells_them),
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
