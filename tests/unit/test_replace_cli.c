// SPDX-License-Identifier: GPL-2.0-or-later
/* test_replace_cli.c: mdctl --replace against a fake sysfs tree: usage errors, refusals that write nothing, --list. */
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
#include <sys/wait.h>
#include <unistd.h>

static char root[64];
static char sysroot[128], devroot[128], statedir[128];
static char out[8192];

static void put(const char *rel, const char *val)
{
	char path[PATH_MAX], cmd[PATH_MAX + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	*strrchr(cmd, '/') = '\0';
	strcat(cmd, "'");
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", val);
	fclose(f);
}

/* The fake sysfs attribute rel holds want (its first line, without the newline). */
static void assert_attr(const char *rel, const char *want)
{
	char path[PATH_MAX], buf[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	if (!fgets(buf, (int)sizeof(buf), f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	assert_string_equal(buf, want);
}

static void member(const char *md, const char *k, const char *state, const char *slot, int minor)
{
	char rel[256], dev[32];

	snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/state", md, k);
	put(rel, state);
	snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/slot", md, k);
	put(rel, slot);
	snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/offset", md, k);
	put(rel, "2048");
	snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/block/dev", md, k);
	snprintf(dev, sizeof(dev), "250:%d", minor);
	put(rel, dev);
}

/* md0: a clean raid5 of fa, fb, fc; fd a spare; fe faulty.  md1: raid0.  md2: inactive raid1. */
static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/mdctl-rcli-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(sysroot, sizeof(sysroot), "%s/sys", root);
	snprintf(devroot, sizeof(devroot), "%s/dev", root);
	snprintf(statedir, sizeof(statedir), "%s/state", root);
	mkdir(devroot, 0755);
	put("block/md0/md/level", "raid5");
	put("block/md0/md/metadata_version", "1.2");
	put("block/md0/md/array_state", "clean");
	put("block/md0/md/sync_action", "idle");
	put("block/md0/md/raid_disks", "3");
	put("block/md0/md/component_size", "31744");
	put("block/md0/md/degraded", "0");
	put("block/md0/md/reshape_position", "none");
	member("md0", "fa", "in_sync", "0", 1);
	member("md0", "fb", "in_sync", "1", 2);
	member("md0", "fc", "in_sync", "2", 3);
	member("md0", "fd", "spare", "none", 4);
	member("md0", "fe", "faulty", "none", 5);
	put("block/md1/md/level", "raid0");
	put("block/md1/md/metadata_version", "1.2");
	put("block/md1/md/array_state", "clean");
	member("md1", "ga", "in_sync", "0", 11);
	member("md1", "gb", "in_sync", "1", 12);
	put("block/md2/md/level", "raid1");
	put("block/md2/md/metadata_version", "1.2");
	put("block/md2/md/array_state", "inactive");
	member("md2", "ha", "", "none", 21);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* Run mdctl with the fake roots; stdout and stderr together in out; the exit status returned. */
static int run(const char *const *args)
{
	const char *mdctl = getenv("MDCTL");
	char outpath[192];
	int fd, status;
	ssize_t n;
	pid_t pid;

	if (!mdctl)
		mdctl = "./mdctl";
	snprintf(outpath, sizeof(outpath), "%s/out", root);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *argv[32];
		int i = 0;

		argv[i++] = mdctl;
		for (; args[i - 1] && i < 31; i++)
			argv[i] = args[i - 1];
		argv[i] = NULL;
		fd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		setenv("MDCTL_SYSFS_ROOT", sysroot, 1);
		setenv("MDCTL_DEV_ROOT", devroot, 1);
		setenv("MDCTL_STATE_DIR", statedir, 1);
		execv(mdctl, (char *const *)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	fd = open(outpath, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, out, sizeof(out) - 1);
	close(fd);
	out[n > 0 ? n : 0] = '\0';
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Nothing under md0 changed: states and slots as set up, still not frozen, no state file. */
static void md0_untouched(void)
{
	char path[PATH_MAX];
	struct stat st;

	assert_attr("block/md0/md/dev-fa/state", "in_sync");
	assert_attr("block/md0/md/dev-fb/state", "in_sync");
	assert_attr("block/md0/md/dev-fd/slot", "none");
	assert_attr("block/md0/md/sync_action", "idle");
	snprintf(path, sizeof(path), "%s/replacements.json", statedir);
	assert_int_equal(stat(path, &st), -1);
}

static void usage_errors_exit_2(void **state)
{
	(void)state;
	assert_int_equal(run((const char *const[]){ "--replace", NULL }), 2);
	assert_non_null(strstr(out, "name the array"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fa", "--keep-old", NULL }), 2);
	assert_non_null(strstr(out, "--keep-old goes with --wait"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fa", "fb", "--cancel",
						    NULL }), 2);
	assert_non_null(strstr(out, "name exactly one member"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "--bogus", NULL }), 2);
	assert_non_null(strstr(out, "unknown option"));
	assert_int_equal(run((const char *const[]){ "--replace", "--help", NULL }), 0);
	assert_non_null(strstr(out, "--with NEW"));
	md0_untouched();
}

static void no_redundancy_and_not_running_are_refused(void **state)
{
	(void)state;
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md1", "ga", "--with", "x", NULL }), 1);
	assert_non_null(strstr(out, "mdctl: /dev/md1: is raid0 and has no redundancy to keep while replacing"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md2", "ha", NULL }), 1);
	assert_non_null(strstr(out, "is not running"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md7", "ha", NULL }), 1);
	assert_non_null(strstr(out, "no such array"));
}

static void bad_old_and_new_are_refused_without_writes(void **state)
{
	(void)state;
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fe", "--with", "fd", NULL }), 1);
	assert_non_null(strstr(out, "fe is faulty"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fd", "--with", "fd", NULL }), 1);
	assert_non_null(strstr(out, "fd is a spare"));
	assert_int_equal(run((const char *const[]){ "/dev/md0", "--replace", "zz", "--with", "fd", NULL }), 1);
	assert_non_null(strstr(out, "zz is not a member"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fa", "--with", "fb", NULL }), 1);
	assert_non_null(strstr(out, "fb is an active member"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fa", "--with", "fe", NULL }), 1);
	assert_non_null(strstr(out, "fe is faulty and cannot be a replacement"));
	md0_untouched();
}

static void with_alone_and_nothing_marked_lists_members(void **state)
{
	(void)state;
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "--with", "fd", NULL }), 1);
	assert_non_null(strstr(out, "no member is marked for replacement"));
	assert_non_null(strstr(out, "mdctl --replace /dev/md0 OLD --with NEW"));
	assert_non_null(strstr(out, "fc  slot 2  in_sync"));
	md0_untouched();
}

static void with_alone_picks_the_most_urgent_marked_member(void **state)
{
	(void)state;
	/* fb: marked with bad sectors; fc: marked after write errors, which weighs more */
	put("block/md0/md/dev-fb/state", "in_sync,want_replacement");
	put("block/md0/md/dev-fb/bad_blocks", "4096 64");
	put("block/md0/md/dev-fc/state", "in_sync,write_error,want_replacement");
	/*
	 * The fake tree has no superblocks: the replacement could not be
	 * recorded, so it is refused with nothing changed (fc keeps its mark,
	 * fd stays a spare) unless --force says to go on unrecorded.
	 */
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "--with", "fd", "--no-verify",
						    NULL }), 1);
	assert_non_null(strstr(out, "fc: cannot read superblock: "));
	assert_non_null(strstr(out, "nothing changed (--force replaces it unrecorded)"));
	assert_attr("block/md0/md/dev-fd/slot", "none");
	assert_attr("block/md0/md/sync_action", "idle");
	/* a fake sysfs runs no check: skip the comparison, which the output must say */
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "--with", "fd", "--no-verify",
						    "--force", NULL }), 0);
	assert_non_null(strstr(out, "replacing it unrecorded (--force)"));
	assert_non_null(strstr(out, "fc saw write errors; --no-verify: it is copied without comparing"));
	assert_null(strstr(out, "fb saw write errors"));
	assert_non_null(strstr(out, "2 members are marked for replacement"));
	assert_non_null(strstr(out, "fc (slot 2) has the least redundancy left (write errors seen"));
	assert_non_null(strstr(out, "fd is replacing"));
	assert_attr("block/md0/md/dev-fd/slot", "2");
	assert_attr("block/md0/md/dev-fb/slot", "1");
	assert_attr("block/md0/md/sync_action", "idle");
}

static void verify_options_are_checked(void **state)
{
	(void)state;
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fa", "--with", "fd", "--verify",
						    NULL }), 2);
	assert_non_null(strstr(out, "--verify goes with --wait"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fa", "--cancel", "--no-verify",
						    NULL }), 2);
	assert_non_null(strstr(out, "go with a replacement, not --cancel"));
	md0_untouched();
}

static void reshape_is_refused(void **state)
{
	(void)state;
	put("block/md0/md/reshape_position", "4096");
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fa", NULL }), 1);
	assert_non_null(strstr(out, "is reshaping"));
	put("block/md0/md/reshape_position", "none");
	md0_untouched();
}

static void already_paired_slot_is_refused(void **state)
{
	(void)state;
	member("md0", "ff", "spare,replacement", "1", 6);
	put("block/md0/md/dev-fb/state", "in_sync,want_replacement");
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fb", "--with", "fd", NULL }), 1);
	assert_non_null(strstr(out, "fb is already being replaced by ff"));
	assert_int_equal(run((const char *const[]){ "--replace", "/dev/md0", "fa", "--with", "ff", NULL }), 1);
	assert_non_null(strstr(out, "ff is already the replacement for slot 1"));
}

static void list_shows_running_and_recorded(void **state)
{
	char path[PATH_MAX];
	FILE *f;

	(void)state;
	member("md0", "ff", "spare,replacement", "1", 6);
	put("block/md0/md/dev-fb/state", "in_sync,want_replacement");
	put("block/md0/md/dev-ff/recovery_start", "15872");
	put("block/md0/md/dev-fc/state", "in_sync,want_replacement");
	mkdir(statedir, 0700);
	snprintf(path, sizeof(path), "%s/replacements.json", statedir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{ \"version\": 1, \"replacements\": [ { \"array_uuid\": \"11111111-2222-3333-4444-555555555555\","
	      " \"old_dev_uuid\": \"66666666-7777-8888-9999-aaaaaaaaaaaa\", \"md\": \"md5\", \"old\": \"sdq\","
	      " \"new\": \"/dev/sdr\", \"created\": 1 } ] }\n", f);
	fclose(f);
	assert_int_equal(run((const char *const[]){ "--replace", "--list", NULL }), 0);
	assert_non_null(strstr(out, "/dev/md0"));
	assert_non_null(strstr(out, "25.0%"));
	assert_non_null(strstr(out, "paired"));
	assert_non_null(strstr(out, "marked"));
	assert_non_null(strstr(out, "not-running"));
	assert_int_equal(run((const char *const[]){ "--replace", "--list", "--json", NULL }), 0);
	assert_non_null(strstr(out, "\"version\": 2,"));
	assert_null(strstr(out, "\"schema\""));
	assert_non_null(strstr(out, "\"state\": \"paired\""));
	assert_non_null(strstr(out, "\"percent\": 25"));
	assert_non_null(strstr(out, "\"array_uuid\": \"11111111-2222-3333-4444-555555555555\""));
	/* a corrupt state file is reported, not overwritten */
	f = fopen(path, "w");
	fputs("{ broken", f);
	fclose(f);
	assert_int_equal(run((const char *const[]){ "--replace", "--list", NULL }), 1);
	assert_non_null(strstr(out, "cannot read recorded intents"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(usage_errors_exit_2, setup, teardown),
		cmocka_unit_test_setup_teardown(no_redundancy_and_not_running_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_old_and_new_are_refused_without_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(with_alone_and_nothing_marked_lists_members, setup, teardown),
		cmocka_unit_test_setup_teardown(with_alone_picks_the_most_urgent_marked_member, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_options_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(reshape_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(already_paired_slot_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(list_shows_running_and_recorded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
