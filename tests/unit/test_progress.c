// SPDX-License-Identifier: GPL-2.0-or-later
/* test_progress.c: speed averaging, ETA and line formats, and progress_wait over a fake sysfs tree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"
#include "mdarray.h"
#include "sysfs.h"
#include "tree.h"

static int make_tree(void **state)
{
	char *root = malloc(64);

	strcpy(root, "/tmp/mdctl-progress-XXXXXX");
	assert_non_null(mkdtemp(root));
	tree_put(root, "block/md0/md/level", "raid5\n");
	tree_put(root, "block/md0/md/raid_disks", "3\n");
	tree_put(root, "block/md0/md/array_state", "clean\n");
	tree_put(root, "block/md0/md/sync_action", "recover\n");
	tree_put(root, "block/md0/md/sync_completed", "500 / 1000\n");
	tree_put(root, "block/md0/md/sync_speed", "2048\n");
	tree_put(root, "block/md0/md/degraded", "1\n");
	tree_put(root, "block/md0/md/dev-loop0/state", "in_sync\n");
	tree_put(root, "block/md0/md/dev-loop0/slot", "0\n");
	*state = root;
	return 0;
}


static void rate_averages_over_the_samples(void **state)
{
	struct progress_rate r;

	(void)state;
	progress_rate_init(&r);
	assert_true(progress_rate_kibps(&r) < 0);
	progress_rate_add(&r, 10.0, 0);
	assert_true(progress_rate_kibps(&r) < 0);
	progress_rate_add(&r, 11.0, 2048);   /* 1 MiB in 1 s */
	progress_rate_add(&r, 13.0, 10240);  /* 4 MiB in 2 s */
	/* 10240 sectors = 5 MiB in 3 s */
	assert_true(progress_rate_kibps(&r) > 1706 && progress_rate_kibps(&r) < 1707);
}

static void rate_restarts_when_progress_goes_back(void **state)
{
	struct progress_rate r;

	(void)state;
	progress_rate_init(&r);
	progress_rate_add(&r, 1.0, 5000);
	progress_rate_add(&r, 2.0, 7000);
	progress_rate_add(&r, 3.0, 100);     /* a new pass started */
	assert_true(progress_rate_kibps(&r) < 0);
	progress_rate_add(&r, 4.0, 2148);
	assert_true(progress_rate_kibps(&r) > 1023 && progress_rate_kibps(&r) < 1025);
}

static void rate_holds_only_the_last_samples(void **state)
{
	struct progress_rate r;

	(void)state;
	progress_rate_init(&r);
	/* slow at first, then 2 MiB/s for longer than the window */
	progress_rate_add(&r, 0.0, 0);
	progress_rate_add(&r, 100.0, 2);
	for (int i = 1; i <= 40; i++)
		progress_rate_add(&r, 100.0 + i, 2 + (uint64_t)i * 4096);
	assert_true(progress_rate_kibps(&r) > 2047 && progress_rate_kibps(&r) < 2049);
}

static void eta_and_formats(void **state)
{
	char buf[160];

	(void)state;
	assert_int_equal(progress_eta(0, 2048 * 70, 1024), 70);
	assert_int_equal(progress_eta(10, 20, 0), -1);
	progress_fmt_duration(70, buf, sizeof(buf));
	assert_string_equal(buf, "0:01:10");
	progress_fmt_duration(3 * 3600 + 5, buf, sizeof(buf));
	assert_string_equal(buf, "3:00:05");
	progress_fmt_duration(-1, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	progress_fmt_speed(12.3 * 1024, buf, sizeof(buf));
	assert_string_equal(buf, "12.3 MiB/s");
	progress_fmt_speed(512, buf, sizeof(buf));
	assert_string_equal(buf, "512 KiB/s");
	progress_fmt_status(42.7, 12.3 * 1024, 70, buf, sizeof(buf));
	assert_string_equal(buf, "42% complete, 12.3 MiB/s, ETA 0:01:10");
	progress_fmt_bar("md0", 50.0, 1024, 5, 10, buf, sizeof(buf));
	assert_string_equal(buf, "md0 [=====>    ]  50.0% 1.0 MiB/s ETA 0:00:05");
	progress_fmt_bar("md0", 100.0, 1024, 0, 4, buf, sizeof(buf));
	assert_string_equal(buf, "md0 [====] 100.0% 1.0 MiB/s ETA 0:00:00");
}

static void sync_pending_while_action_or_progress(void **state)
{
	struct md_array a;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.sync_done = SYSFS_NONE;
	strcpy(a.sync_action, "idle");
	assert_int_equal(progress_sync_pending(&a, NULL), 0);
	strcpy(a.sync_action, "frozen");
	assert_int_equal(progress_sync_pending(&a, NULL), 0);
	strcpy(a.sync_action, "recover");
	assert_int_equal(progress_sync_pending(&a, NULL), 1);
	strcpy(a.sync_action, "idle");
	a.sync_done = 5;
	assert_int_equal(progress_sync_pending(&a, NULL), 1);
}

static void wait_returns_at_once_when_idle(void **state)
{
	const char *root = *state;
	char text[512] = "";
	FILE *out = tmpfile();

	tree_put(root, "block/md0/md/sync_action", "idle\n");
	tree_put(root, "block/md0/md/sync_completed", "none\n");
	assert_int_equal(progress_wait(root, "md0", "/dev/md0", NULL, NULL, out), 0);
	rewind(out);
	assert_true(fread(text, 1, sizeof(text) - 1, out) > 0);
	assert_string_equal(text, "/dev/md0: done\n");
	fclose(out);
}

/* Done on the second look, after flipping the tree to idle: waits one display tick. */
static int finish_second_time(const struct md_array *a, void *arg)
{
	int *calls = arg;

	(void)a;
	return ++*calls >= 2 ? 0 : 1;
}

static void wait_prints_percent_lines_when_not_a_terminal(void **state)
{
	const char *root = *state;
	char text[512] = "";
	FILE *out = tmpfile();
	int calls = 0;

	assert_int_equal(progress_wait(root, "md0", "/dev/md0", finish_second_time, &calls, out), 0);
	assert_int_equal(calls, 2);
	rewind(out);
	assert_true(fread(text, 1, sizeof(text) - 1, out) > 0);
	assert_non_null(strstr(text, "/dev/md0: recover 50% complete, 2.0 MiB/s, ETA 0:00:00\n"));
	assert_non_null(strstr(text, "/dev/md0: done\n"));
	fclose(out);
}

static int fail_now(const struct md_array *a, void *arg)
{
	(void)a;
	(void)arg;
	return -EIO;
}

static void wait_returns_predicate_error_and_missing_array(void **state)
{
	const char *root = *state;

	assert_int_equal(progress_wait(root, "md0", NULL, fail_now, NULL, NULL), -EIO);
	assert_int_equal(progress_wait(root, "md9", NULL, NULL, NULL, NULL), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rate_averages_over_the_samples),
		cmocka_unit_test(rate_restarts_when_progress_goes_back),
		cmocka_unit_test(rate_holds_only_the_last_samples),
		cmocka_unit_test(eta_and_formats),
		cmocka_unit_test(sync_pending_while_action_or_progress),
		cmocka_unit_test_setup_teardown(wait_returns_at_once_when_idle, make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(wait_prints_percent_lines_when_not_a_terminal,
						make_tree, tree_remove),
		cmocka_unit_test_setup_teardown(wait_returns_predicate_error_and_missing_array,
						make_tree, tree_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
