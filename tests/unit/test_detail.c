// SPDX-License-Identifier: GPL-2.0-or-later
/* test_detail.c: `mdctl --detail` end to end over a fake sysfs tree (needs $MDCTL). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "json_check.h"
#include "md_fixture.h"

/* The member-table row of kname, or NULL. */
static const char *row_of(const char *text, const char *kname)
{
	char needle[PATH_MAX];

	snprintf(needle, sizeof(needle), "%s/dev/%s\n", fx_dir, kname);
	return strstr(text, needle);
}

/* The start of the line holding p. */
static const char *line_start(const char *text, const char *p)
{
	while (p > text && p[-1] != '\n')
		p--;
	return p;
}

static void assert_row(const char *text, const char *kname, const char *state)
{
	const char *r = row_of(text, kname), *l;
	char line[512];
	size_t n;

	assert_non_null(r);
	l = line_start(text, r);
	n = (size_t)(r - l);
	assert_true(n < sizeof(line));
	memcpy(line, l, n);
	line[n] = '\0';
	if (!strstr(line, state))
		fail_msg("row of %s is '%s', expected '%s' in it", kname, line, state);
}

static void text_tells_replacement_from_original(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(fx_run("--detail /dev/md0", &out, &err), 0);
	assert_non_null(strstr(out, "             State : clean, replacing\n"));
	assert_non_null(strstr(out, "    Replace Status : 12% complete, 4.0 MiB/s, ETA 0:00:14\n"));
	assert_non_null(strstr(out, "    Active Devices : 3\n"));
	assert_non_null(strstr(out, "   Working Devices : 5\n"));
	assert_non_null(strstr(out, "    Failed Devices : 1\n"));
	assert_non_null(strstr(out, "     Spare Devices : 2\n"));
	assert_non_null(strstr(out, "            Layout : left-symmetric\n"));
	assert_non_null(strstr(out, "        Chunk Size : 512K\n"));
	assert_non_null(strstr(out, "        Array Size : 129024 (126.00 MiB 132.12 MB)\n"));
	assert_row(out, "loop0", "active sync   ");
	assert_row(out, "loop1", "active sync replacing write_error bad-blocks=3 corrected-errors=17 content-suspect   ");
	assert_row(out, "loop4", "replacement, 12% copied   ");
	assert_row(out, "loop2", "faulty   ");
	assert_row(out, "loop5", "spare   ");
	/* the replacement row follows its original, both in slot 1 */
	assert_true(row_of(out, "loop1") < row_of(out, "loop4"));
	assert_true(row_of(out, "loop4") < row_of(out, "loop3"));
	assert_row(out, "loop4", "       7        4        1      ");
	free(out);
	free(err);
}

static void want_replacement_without_spare_is_named(void **state)
{
	char *out, *err;

	(void)state;
	fx_put("block/md0/md/dev-loop4/state", "spare\n");
	fx_put("block/md0/md/dev-loop4/slot", "none\n");
	fx_put("block/md0/md/sync_action", "idle\n");
	fx_put("block/md0/md/sync_completed", "none\n");
	assert_int_equal(fx_run("--detail /dev/md0", &out, &err), 0);
	assert_row(out, "loop1", "active sync want-replacement write_error");
	assert_non_null(strstr(out, "             State : clean\n"));
	assert_null(strstr(out, "Status :"));
	free(out);
	free(err);
}

static void export_keeps_mdadm_roles_and_adds_states(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(fx_run("--detail --export /dev/md0", &out, &err), 0);
	assert_non_null(strstr(out, "MD_LEVEL=raid5\nMD_DEVICES=3\nMD_METADATA=1.2\n"));
	assert_non_null(strstr(out, "MD_DEVICE_dev_loop1_ROLE=1\n"));
	assert_non_null(strstr(out, "MD_DEVICE_dev_loop4_ROLE=1\n"));
	assert_non_null(strstr(out, "MD_DEVICE_dev_loop1_STATE=replacing\n"));
	assert_non_null(strstr(out, "MD_DEVICE_dev_loop4_STATE=replacement\n"));
	assert_non_null(strstr(out, "MD_DEVICE_dev_loop4_COPIED=12\n"));
	assert_non_null(strstr(out, "MD_DEVICE_dev_loop2_ROLE=spare\n"));
	assert_non_null(strstr(out, "MD_DEVICE_dev_loop2_STATE=faulty\n"));
	assert_non_null(strstr(out, "MD_DEVICE_dev_loop5_STATE=spare\n"));
	assert_non_null(strstr(out, "MD_STATE=ok\n"));
	free(out);
	free(err);
}

/* After mdadm's table: the Health line and an Action line per thing to do. */
static void health_and_action_lines(void **state)
{
	char *out, *err, want[PATH_MAX * 2];
	json_object *o, *v;

	(void)state;
	/* a replacement under way, a failed member still attached */
	assert_int_equal(fx_run("--detail /dev/md0", &out, &err), 0);
	assert_non_null(strstr(out, "\n            Health : ok, replacing slot 1 (12% copied)\n"));
	snprintf(want, sizeof(want), "            Action : remove %s/dev/loop2, failed: mdctl %s/dev/md0 "
		 "--remove failed\n", fx_dir, fx_dir);
	assert_non_null(strstr(out, want));
	assert_null(strstr(out, "Action : replace"));
	free(out);
	free(err);
	/* no copy, no spare: the marked member is to be replaced, named with its serial */
	fx_put("block/md0/md/dev-loop4/state", "faulty\n");
	fx_put("block/md0/md/dev-loop4/slot", "none\n");
	fx_put("block/md0/md/dev-loop5/state", "faulty\n");
	fx_put("block/md0/md/sync_action", "idle\n");
	fx_put("block/md0/md/sync_completed", "none\n");
	fx_put("block/loop1/device/serial", "WD-WCC7K1234567\n");
	assert_int_equal(fx_run("--detail /dev/md0", &out, &err), 0);
	assert_non_null(strstr(out, "            Health : ok\n"));
	snprintf(want, sizeof(want), "            Action : replace %s/dev/loop1 (WD-WCC7K1234567), marked for "
		 "replacement: mdctl --replace %s/dev/md0 %s/dev/loop1 --with NEWDISK\n", fx_dir, fx_dir, fx_dir);
	assert_non_null(strstr(out, want));
	free(out);
	free(err);
	/* --verbose lists the disk identities; --json carries the same advice */
	assert_int_equal(fx_run("--detail --verbose /dev/md0", &out, &err), 0);
	snprintf(want, sizeof(want), "\n    Device Identity\n    %s/dev/loop1   WD-WCC7K1234567\n", fx_dir);
	assert_non_null(strstr(out, want));
	free(out);
	free(err);
	assert_int_equal(fx_run("--detail --json /dev/md0", &out, &err), 0);
	o = jparse(out);
	v = jarray(o, "actions", 3);
	snprintf(want, sizeof(want), "mdctl --replace %s/dev/md0 %s/dev/loop1 --with NEWDISK", fx_dir, fx_dir);
	assert_string_equal(json_object_get_string(jkey(json_object_array_get_idx(v, 0), "command")), want);
	json_object_put(o);
	free(out);
	free(err);
	/* degraded, nothing to rebuild onto: add a disk */
	fx_put("block/md0/md/dev-loop3/state", "faulty\n");
	fx_put("block/md0/md/dev-loop3/slot", "none\n");
	fx_put("block/md0/md/degraded", "1\n");
	assert_int_equal(fx_run("--detail /dev/md0", &out, &err), 0);
	assert_non_null(strstr(out, "            Health : degraded: 1 slot without an in-sync member, no spare\n"));
	snprintf(want, sizeof(want), "add a disk to rebuild onto (a former member given here is re-added "
		 "and catches up): mdctl %s/dev/md0 --add NEWDISK\n", fx_dir);
	assert_non_null(strstr(out, want));
	free(out);
	free(err);
}

/* Several arrays, or --scan: one document, a list of the objects. */
static void json_of_several_arrays_is_one_list(void **state)
{
	static const char *const calls[] = { "--detail --json /dev/md0 md0", "--detail --scan --json" };
	static const int lens[] = { 2, 1 };
	json_object *o;
	char *out, *err;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(fx_run(calls[i], &out, &err), 0);
		o = jparse(out);
		assert_true(json_object_is_type(o, json_type_array));
		assert_int_equal(json_object_array_length(o), lens[i]);
		assert_int_equal(json_object_get_int(jkey(json_object_array_get_idx(o, 0), "version")), 2);
		json_object_put(o);
		free(out);
		free(err);
	}
}

static void json_lists_members_and_replacements(void **state)
{
	json_object *o, *m, *r, *e, *c;
	char *out, *err, want[PATH_MAX];

	(void)state;
	assert_int_equal(fx_run("--detail --json /dev/md0", &out, &err), 0);
	o = jparse(out);
	assert_int_equal(json_object_get_int(jkey(o, "version")), 2);
	assert_string_equal(json_object_get_string(jkey(o, "health")), "ok");
	assert_string_equal(json_object_get_string(jkey(jkey(o, "sync"), "kind")), "replace");
	m = jarray(o, "members", 6);
	e = json_object_array_get_idx(m, 1);
	assert_string_equal(json_object_get_string(jkey(e, "role")), "replacing");
	assert_int_equal(json_object_get_int(jkey(e, "bad_blocks")), 3);
	assert_int_equal(json_object_get_int(jkey(e, "errors")), 17);
	/* write errors since assembly: its content is suspect; no verification saved yet */
	c = jkey(e, "content");
	assert_true(json_object_get_boolean(jkey(c, "suspect")));
	assert_null(jkey(c, "stale_ranges_found"));
	c = jkey(json_object_array_get_idx(m, 0), "content");
	assert_false(json_object_get_boolean(jkey(c, "suspect")));
	r = jarray(o, "replacements", 1);
	e = json_object_array_get_idx(r, 0);
	assert_int_equal(json_object_get_int(jkey(e, "slot")), 1);
	snprintf(want, sizeof(want), "%s/dev/loop1", fx_dir);
	assert_string_equal(json_object_get_string(jkey(e, "old")), want);
	snprintf(want, sizeof(want), "%s/dev/loop4", fx_dir);
	assert_string_equal(json_object_get_string(jkey(e, "new")), want);
	assert_string_equal(json_object_get_string(jkey(e, "state")), "copying");
	json_object_put(o);
	free(out);
	free(err);
}

static void test_exit_status_follows_health(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(fx_run("--detail --test /dev/md0", &out, &err), 0);
	free(out);
	free(err);
	/* slot 0 lost: degraded */
	fx_put("block/md0/md/dev-loop0/state", "faulty\n");
	fx_put("block/md0/md/dev-loop0/slot", "none\n");
	fx_put("block/md0/md/degraded", "1\n");
	assert_int_equal(fx_run("--detail --test /dev/md0", &out, &err), 1);
	assert_non_null(strstr(out, "State : clean, degraded, replacing"));
	free(out);
	free(err);
	/* slot 2 lost as well: a RAID5 cannot hold its data */
	fx_put("block/md0/md/dev-loop3/state", "faulty\n");
	fx_put("block/md0/md/dev-loop3/slot", "none\n");
	fx_put("block/md0/md/degraded", "2\n");
	assert_int_equal(fx_run("--detail --test /dev/md0", &out, &err), 2);
	assert_non_null(strstr(out, "State : clean, FAILED"));
	free(out);
	free(err);
	/* without --test the status is 0; a missing array is 4 with --test, 1 without */
	assert_int_equal(fx_run("--detail /dev/md0", &out, &err), 0);
	free(out);
	free(err);
	assert_int_equal(fx_run("--detail --test /dev/md5", &out, &err), 4);
	assert_non_null(strstr(err, "mdctl: /dev/md5: not an md array"));
	free(out);
	free(err);
	assert_int_equal(fx_run("--detail /dev/md5", &out, &err), 1);
	free(out);
	free(err);
}

static void brief_and_usage_errors(void **state)
{
	char *out, *err, want[PATH_MAX];

	(void)state;
	/* as mdadm, the line carries the array's name as given */
	assert_int_equal(fx_run("--detail --brief /dev/md0", &out, &err), 0);
	assert_string_equal(out, "ARRAY /dev/md0 metadata=1.2 spares=2\n");
	free(out);
	free(err);
	/* --no-devices: no devices= line */
	assert_int_equal(fx_run("--detail --brief -v --no-devices /dev/md0", &out, &err), 0);
	assert_non_null(strstr(out, "num-devices=3"));
	assert_null(strstr(out, "   devices="));
	free(out);
	free(err);
	assert_int_equal(fx_run("--detail --no-devices --export /dev/md0", &out, &err), 0);
	assert_null(strstr(out, "MD_DEVICE_"));
	assert_non_null(strstr(out, "MD_LEVEL=raid5"));
	free(out);
	free(err);
	assert_int_equal(fx_run("--detail --no-devices /dev/md0", &out, &err), 0);
	assert_null(strstr(out, "RaidDevice"));
	free(out);
	free(err);
	/* --scan alone is --brief, as mdadm */
	snprintf(want, sizeof(want), "ARRAY %s/dev/md0 metadata=1.2 spares=2\n", fx_dir);
	assert_int_equal(fx_run("--detail --scan", &out, &err), 0);
	assert_string_equal(out, want);
	free(out);
	free(err);
	assert_int_equal(fx_run("--detail --brief --json /dev/md0", &out, &err), 2);
	assert_non_null(strstr(err, "mutually exclusive"));
	free(out);
	free(err);
	assert_int_equal(fx_run("--detail", &out, &err), 2);
	free(out);
	free(err);
	assert_int_equal(fx_run("--detail --scan --brief", &out, &err), 0);
	assert_string_equal(out, want);
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(text_tells_replacement_from_original, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(want_replacement_without_spare_is_named, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(export_keeps_mdadm_roles_and_adds_states, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(json_lists_members_and_replacements, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(json_of_several_arrays_is_one_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(health_and_action_lines, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_exit_status_follows_health, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(brief_and_usage_errors, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
