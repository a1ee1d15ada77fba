// SPDX-License-Identifier: GPL-2.0-or-later
/* test_manage.c: `mdctl ARRAY --fail/--remove/...` argument handling and refusals over a fake sysfs tree (needs $MDCTL). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "md_fixture.h"

static void refusals_write_nothing(void **state)
{
	static const char *const files[] = {
		"block/md0/md/dev-loop0/state", "block/md0/md/dev-loop1/state",
		"block/md0/md/dev-loop2/state", "block/md0/md/dev-loop3/state",
		"block/md0/md/array_state",
	};
	char *before[5], *out, *err;

	(void)state;
	for (int i = 0; i < 5; i++)
		before[i] = fx_get(files[i]);
	/* a device that is not in the array */
	assert_int_equal(fx_run("/dev/md0 --fail /nonexistent/loop9", &out, &err), 1);
	assert_non_null(strstr(err, "mdctl: /dev/md0: /nonexistent/loop9 is not a member\n"));
	free(out);
	free(err);
	/* removing a working member */
	assert_int_equal(fx_run("/dev/md0 --remove loop0", &out, &err), 1);
	assert_non_null(strstr(err, "loop0 is an active member; fail it first"));
	free(out);
	free(err);
	/* a name after the array without an operation, or an operation without a name */
	assert_int_equal(fx_run("/dev/md0 loop2", &out, &err), 2);
	free(out);
	free(err);
	assert_int_equal(fx_run("/dev/md0 --fail", &out, &err), 2);
	free(out);
	free(err);
	/* the first failure stops the rest: loop2 is not removed */
	assert_int_equal(fx_run("/dev/md0 --fail loop9 --remove loop2", &out, &err), 1);
	free(out);
	free(err);
	/* --add on this fake tree fails: no member superblock to model on */
	assert_int_equal(fx_run("/dev/md0 --add /nonexistent/sdz", &out, &err), 1);
	free(out);
	free(err);
	/* --wait with --add is not an array operation list */
	assert_int_equal(fx_run("--scan /dev/md0 --fail loop1", &out, &err), 2);
	free(out);
	free(err);
	for (int i = 0; i < 5; i++) {
		char *now = fx_get(files[i]);

		assert_string_equal(before[i], now);
		free(now);
		free(before[i]);
	}
}

static void fail_then_remove_in_order(void **state)
{
	char *out, *err, *st;

	(void)state;
	/* remove takes a faulty member; fail writes "faulty" and reads it back */
	assert_int_equal(fx_run("/dev/md0 --fail loop3 --remove loop2", &out, &err), 0);
	assert_non_null(strstr(err, "mdctl: set loop3 faulty in /dev/md0\n"));
	assert_non_null(strstr(err, "mdctl: hot removed loop2 from /dev/md0\n"));
	/* fail came before remove */
	assert_true(strstr(err, "set loop3") < strstr(err, "hot removed loop2"));
	st = fx_get("block/md0/md/dev-loop3/state");
	assert_string_equal(st, "faulty");
	free(st);
	st = fx_get("block/md0/md/dev-loop2/state");
	assert_string_equal(st, "remove");
	free(st);
	free(out);
	free(err);
}

static void remove_failed_takes_every_faulty_member(void **state)
{
	char *out, *err, *st;

	(void)state;
	fx_put("block/md0/md/dev-loop5/state", "faulty\n");
	assert_int_equal(fx_run("/dev/md0 --remove failed", &out, &err), 0);
	assert_non_null(strstr(err, "hot removed"));
	st = fx_get("block/md0/md/dev-loop2/state");
	assert_string_equal(st, "remove");
	free(st);
	st = fx_get("block/md0/md/dev-loop5/state");
	assert_string_equal(st, "remove");
	free(st);
	/* an in_sync member is never touched */
	st = fx_get("block/md0/md/dev-loop0/state");
	assert_string_equal(st, "in_sync\n");
	free(st);
	free(out);
	free(err);
}

static void array_operations(void **state)
{
	char *out, *err, *st;

	(void)state;
	/* nothing to wait for once idle: 1, as mdadm */
	fx_put("block/md0/md/sync_action", "idle\n");
	fx_put("block/md0/md/sync_completed", "none\n");
	assert_int_equal(fx_run("--wait /dev/md0", &out, &err), 1);
	free(out);
	free(err);
	assert_int_equal(fx_run("/dev/md0 --readonly", &out, &err), 0);
	st = fx_get("block/md0/md/array_state");
	assert_string_equal(st, "readonly");
	free(st);
	free(out);
	free(err);
	assert_int_equal(fx_run("/dev/md0 --readwrite", &out, &err), 0);
	st = fx_get("block/md0/md/array_state");
	assert_string_equal(st, "active");
	free(st);
	free(out);
	free(err);
	/* --run on a running array changes nothing */
	assert_int_equal(fx_run("--run /dev/md0", &out, &err), 0);
	st = fx_get("block/md0/md/array_state");
	assert_string_equal(st, "active");
	free(st);
	free(out);
	free(err);
	assert_int_equal(fx_run("--stop /dev/md0", &out, &err), 0);
	assert_non_null(strstr(err, "mdctl: stopped /dev/md0\n"));
	st = fx_get("block/md0/md/array_state");
	assert_string_equal(st, "clear");
	free(st);
	free(out);
	free(err);
	assert_int_equal(fx_run("--stop /dev/md7", &out, &err), 1);
	assert_non_null(strstr(err, "mdctl: /dev/md7: not an md array"));
	free(out);
	free(err);
}

/* Run args; expect rc, err containing want, and md0's sync_action reading sync after it. */
static void action_case(const char *args, int rc, const char *want, const char *sync)
{
	char *out, *err, *st;

	assert_int_equal(fx_run(args, &out, &err), rc);
	if (!strstr(err, want))
		fail_msg("%s: stderr lacks \"%s\": %s", args, want, err);
	st = fx_get("block/md0/md/sync_action");
	st[strcspn(st, "\n")] = '\0';
	assert_string_equal(st, sync);
	free(st);
	free(out);
	free(err);
}

static void action_check_only_where_it_can_run(void **state)
{
	(void)state;
	/* the fixture copies loop1 onto loop4: busy, named (refused) or scanned (skipped) */
	action_case("--action=check /dev/md0", 1,
		    "mdctl: /dev/md0: replace under way: no check started\n", "recover");
	action_case("--action=check --scan", 0, "/dev/md0: replace under way: no check\n",
		    "recover");
	action_case("--action=scrub /dev/md0", 2, "not a sync action", "recover");
	fx_put("block/md0/md/sync_action", "idle\n");
	fx_put("block/md0/md/sync_completed", "none\n");
	action_case("--action=check /dev/md0", 0, "mdctl: /dev/md0: check started\n", "check");
	fx_put("block/md0/md/sync_action", "frozen\n");
	action_case("--action=repair /dev/md0", 1, "/dev/md0: frozen", "frozen");
	/* resync thaws: written as given, whatever md then needs is md's to decide */
	action_case("--action=resync /dev/md0", 0, "", "resync");
	action_case("--action=idle /dev/md0", 0, "", "idle");
	fx_put("block/md0/md/degraded", "1\n");
	action_case("--action=check --scan", 0,
		    "/dev/md0: degraded: no redundancy to compare: no check\n", "idle");
	fx_put("block/md0/md/degraded", "0\n");
	fx_put("block/md0/md/array_state", "readonly\n");
	action_case("--action=repair /dev/md0", 1, "mdctl: /dev/md0: read-only: no repair started",
		    "idle");
	fx_put("block/md0/md/array_state", "clean\n");
	fx_put("block/md0/md/level", "raid0\n");
	action_case("--action=check /dev/md0", 1, "no redundancy to compare at this level", "idle");
	fx_put("block/md0/md/array_state", "inactive\n");
	action_case("--action=check --scan", 0, "/dev/md0: not running: no check\n", "idle");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(refusals_write_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(fail_then_remove_in_order, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(remove_failed_takes_every_faulty_member, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(array_operations, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(action_check_only_where_it_can_run, fx_setup,
						fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
