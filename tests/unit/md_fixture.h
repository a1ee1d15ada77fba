/* SPDX-License-Identifier: GPL-2.0-or-later */
/* md_fixture.h: a fake /sys tree holding a RAID5 with a replacement under way, and a runner for $MDCTL. */
#ifndef MDCTL_TEST_MD_FIXTURE_H
#define MDCTL_TEST_MD_FIXTURE_H

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tree.h"

static char fx_dir[] = "/tmp/mdctl-md-XXXXXX";

/* Write text to sys/<rel> of the fake tree, making its directories. */
static void fx_put(const char *rel, const char *text)
{
	char root[sizeof(fx_dir) + 8];

	snprintf(root, sizeof(root), "%s/sys", fx_dir);
	tree_put(root, rel, text);
}

static char *fx_slurp(const char *path)
{
	return tree_slurp(path, NULL);
}

/* The text of sys/<rel>, for checking that a refusal wrote nothing. */
static __attribute__((unused)) char *fx_get(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/%s", fx_dir, rel);
	return fx_slurp(path);
}

static void fx_member(const char *kname, const char *devnum, const char *state, const char *slot)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/state", kname);
	fx_put(rel, state);
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/slot", kname);
	fx_put(rel, slot);
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/block/dev", kname);
	fx_put(rel, devnum);
	snprintf(rel, sizeof(rel), "block/md0/md/dev-%s/errors", kname);
	fx_put(rel, "0\n");
}

/* md0's array attributes: a clean 3-slot RAID5 (left-symmetric, 512 KiB chunks) doing sync_action. */
static void fx_raid5(const char *sync_action, const char *sync_completed)
{
	fx_put("block/md0/md/metadata_version", "1.2\n");
	fx_put("block/md0/md/level", "raid5\n");
	fx_put("block/md0/md/raid_disks", "3\n");
	fx_put("block/md0/md/chunk_size", "524288\n");
	fx_put("block/md0/md/layout", "2\n");
	fx_put("block/md0/md/component_size", "64512\n");
	fx_put("block/md0/md/array_state", "clean\n");
	fx_put("block/md0/md/sync_action", sync_action);
	fx_put("block/md0/md/sync_completed", sync_completed);
	fx_put("block/md0/size", "258048\n");
}

/*
 * md0: RAID5 over 3 slots; loop1 (slot 1) is being copied onto loop4, 12%
 * done; loop2 is faulty and out of its slot; loop5 is a spare.
 */
static int fx_setup(void **state)
{
	char dev[PATH_MAX];

	(void)state;
	if (!mkdtemp(fx_dir))
		return -1;
	snprintf(dev, sizeof(dev), "%s/dev", fx_dir);
	mkdir(dev, 0755);
	fx_raid5("recover\n", "16256 / 129024\n");
	fx_put("block/md0/md/sync_speed", "4096\n");
	fx_put("block/md0/md/degraded", "0\n");
	fx_put("block/md0/md/consistency_policy", "resync\n");
	fx_member("loop0", "7:0\n", "in_sync\n", "0\n");
	fx_member("loop1", "7:1\n", "in_sync,write_error,want_replacement\n", "1\n");
	fx_member("loop3", "7:3\n", "in_sync\n", "2\n");
	fx_member("loop4", "7:4\n", "spare,replacement\n", "1\n");
	fx_member("loop2", "7:2\n", "faulty\n", "none\n");
	fx_member("loop5", "7:5\n", "spare\n", "none\n");
	fx_put("block/md0/md/dev-loop4/recovery_start", "16000\n");
	fx_put("block/md0/md/dev-loop1/errors", "17\n");
	fx_put("block/md0/md/dev-loop1/bad_blocks", "4096 8\n8192 16\n100000 8\n");
	setenv("TZ", "UTC", 1);
	return 0;
}

static int fx_teardown(void **state)
{
	char cmd[PATH_MAX];

	(void)state;
	if (getenv("MDCTL_TEST_KEEP")) {
		fprintf(stderr, "kept %s\n", fx_dir);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx_dir);
	assert_int_equal(system(cmd), 0);
	strcpy(fx_dir, "/tmp/mdctl-md-XXXXXX");
	return 0;
}

/* Run "$MDCTL args" against the fake tree; return the exit status, out/err what it printed. */
static __attribute__((unused)) int fx_run(const char *args, char **out, char **err)
{
	const char *mdctl = getenv("MDCTL");
	char cmd[3 * PATH_MAX + 512], o[PATH_MAX], e[PATH_MAX];
	int st;

	if (!mdctl)
		skip();
	snprintf(o, sizeof(o), "%s/stdout", fx_dir);
	snprintf(e, sizeof(e), "%s/stderr", fx_dir);
	snprintf(cmd, sizeof(cmd),
		 "MDCTL_SYSFS_ROOT=%s/sys MDCTL_DEV_ROOT=%s/dev '%s' %s >%s 2>%s </dev/null",
		 fx_dir, fx_dir, mdctl, args, o, e);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	*out = fx_slurp(o);
	*err = fx_slurp(e);
	return WEXITSTATUS(st);
}

#endif
