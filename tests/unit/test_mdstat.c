// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mdstat.c: mdstat.c on /proc/mdstat texts as the kernel prints them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mdstat.h"

/* A replacement copy in progress on md0, a finished mirror, and an inactive array. */
static const char sample_replace[] =
	"Personalities : [raid6] [raid5] [raid4] [raid1] [linear] \n"
	"md0 : active raid5 loop3[4](R) loop2[3] loop1[1] loop0[0]\n"
	"      129024 blocks super 1.2 level 5, 512k chunk, algorithm 2 [3/3] [UUU]\n"
	"      [==>..................]  recovery = 12.6% (8192/64512) finish=0.5min speed=2048K/sec\n"
	"      \n"
	"md1 : active raid1 sdb1[1] sda1[0](W)\n"
	"      1047552 blocks super 1.2 [2/2] [UU]\n"
	"      bitmap: 0/1 pages [0KB], 65536KB chunk\n"
	"\n"
	"md127 : inactive sdd[1](S) sdc[0](S)\n"
	"      2095104 blocks super 1.2\n"
	"       \n"
	"unused devices: <none>\n";

static const char sample_faulty[] =
	"Personalities : [raid6] [raid5] [raid4] \n"
	"md5 : active raid6 sdf[4] sde[3](F) sdd[2] sdc[1] sdb[0]\n"
	"      3142656 blocks super 1.2 level 6, 512k chunk, algorithm 2 [5/4] [UUU_U]\n"
	"      [>....................]  recovery =  0.0% (512/1047552) finish=10.2min speed=1706K/sec\n"
	"      \n"
	"md6 : active (auto-read-only) raid1 sdh[1] sdg[0]\n"
	"      1047552 blocks super 1.2 [2/2] [UU]\n"
	"        resync=PENDING\n"
	"      \n"
	"md7 : active raid1 sdj[1] sdi[0]\n"
	"      1047552 blocks super 1.2 [2/2] [UU]\n"
	"        resync=DELAYED\n"
	"      \n"
	"md8 : active (read-only) raid10 sdk[0] sdl[1] sdm[2] sdn[3]\n"
	"      2095104 blocks super 1.2 512K chunks 2 near-copies [4/4] [UUUU]\n"
	"      [=========>...........]  check = 47.3% (991360/2095104) finish=0.2min speed=90123K/sec\n"
	"\n"
	"unused devices: <none>\n";

static void recovery_with_replacement_member(void **state)
{
	const struct mdstat_array *a;
	struct mdstat m;

	(void)state;
	assert_int_equal(mdstat_parse(sample_replace, &m), 0);
	assert_int_equal(m.narrays, 3);
	a = mdstat_find(&m, "md0");
	assert_non_null(a);
	assert_int_equal(a->active, 1);
	assert_int_equal(a->readonly, 0);
	assert_string_equal(a->level, "raid5");
	assert_int_equal(a->nmembers, 4);
	assert_string_equal(a->members[0].kname, "loop3");
	assert_int_equal(a->members[0].index, 4);
	assert_int_equal(a->members[0].replacement, 1);
	assert_int_equal(a->members[0].spare, 0);
	assert_int_equal(a->members[0].faulty, 0);
	assert_string_equal(a->members[3].kname, "loop0");
	assert_int_equal(a->members[3].replacement, 0);
	assert_int_equal(a->raid_disks, 3);
	assert_int_equal(a->working, 3);
	assert_string_equal(a->status, "UUU");
	assert_string_equal(a->sync_kind, "recovery");
	assert_int_equal(a->sync_permille, 126);
	mdstat_free(&m);
}

static void mirror_without_progress_ignores_bitmap_line(void **state)
{
	const struct mdstat_array *a;
	struct mdstat m;

	(void)state;
	assert_int_equal(mdstat_parse(sample_replace, &m), 0);
	a = mdstat_find(&m, "/dev/md1");
	assert_non_null(a);
	assert_string_equal(a->level, "raid1");
	assert_int_equal(a->nmembers, 2);
	assert_int_equal(a->members[1].write_mostly, 1);
	assert_int_equal(a->raid_disks, 2);
	assert_int_equal(a->working, 2);
	assert_string_equal(a->status, "UU");
	assert_string_equal(a->sync_kind, "");
	assert_int_equal(a->sync_permille, -1);
	mdstat_free(&m);
}

static void inactive_array_has_spares_and_no_level(void **state)
{
	const struct mdstat_array *a;
	struct mdstat m;

	(void)state;
	assert_int_equal(mdstat_parse(sample_replace, &m), 0);
	a = mdstat_find(&m, "md127");
	assert_non_null(a);
	assert_int_equal(a->active, 0);
	assert_string_equal(a->level, "");
	assert_int_equal(a->nmembers, 2);
	assert_int_equal(a->members[0].spare, 1);
	assert_int_equal(a->members[1].spare, 1);
	assert_int_equal(a->raid_disks, -1);
	assert_int_equal(a->working, -1);
	assert_string_equal(a->status, "");
	assert_null(mdstat_find(&m, "md2"));
	mdstat_free(&m);
}

static void faulty_member_and_degraded_counts(void **state)
{
	const struct mdstat_array *a;
	struct mdstat m;

	(void)state;
	assert_int_equal(mdstat_parse(sample_faulty, &m), 0);
	assert_int_equal(m.narrays, 4);
	a = mdstat_find(&m, "md5");
	assert_non_null(a);
	assert_string_equal(a->level, "raid6");
	assert_int_equal(a->members[1].faulty, 1);
	assert_string_equal(a->members[1].kname, "sde");
	assert_int_equal(a->members[1].index, 3);
	assert_int_equal(a->raid_disks, 5);
	assert_int_equal(a->working, 4);
	assert_string_equal(a->status, "UUU_U");
	assert_string_equal(a->sync_kind, "recovery");
	assert_int_equal(a->sync_permille, 0);
	mdstat_free(&m);
}

static void pending_and_delayed_resync_have_kind_but_no_progress(void **state)
{
	const struct mdstat_array *a;
	struct mdstat m;

	(void)state;
	assert_int_equal(mdstat_parse(sample_faulty, &m), 0);
	a = mdstat_find(&m, "md6");
	assert_int_equal(a->readonly, 1);
	assert_string_equal(a->level, "raid1");
	assert_string_equal(a->sync_kind, "resync");
	assert_int_equal(a->sync_permille, -1);
	a = mdstat_find(&m, "md7");
	assert_int_equal(a->readonly, 0);
	assert_string_equal(a->sync_kind, "resync");
	assert_int_equal(a->sync_permille, -1);
	a = mdstat_find(&m, "md8");
	assert_int_equal(a->readonly, 1);
	assert_string_equal(a->level, "raid10");
	assert_string_equal(a->sync_kind, "check");
	assert_int_equal(a->sync_permille, 473);
	mdstat_free(&m);
}

static void unknown_lines_and_empty_text_are_tolerated(void **state)
{
	static const char odd[] =
		"Personalities : \n"
		"read_ahead 1024 sectors\n"
		"something new : from a future kernel\n"
		"/dev/md0 : active raid1 sda[0]\n"
		"md9 : active linear sdx[0] sdy[1]\n"
		"      2048 blocks super 1.2 64k rounding\n"
		"      some future detail = 3 widgets\n"
		"unused devices: sdz\n";
	const struct mdstat_array *a;
	struct mdstat m;

	(void)state;
	assert_int_equal(mdstat_parse(odd, &m), 0);
	assert_int_equal(m.narrays, 1);
	a = mdstat_find(&m, "md9");
	assert_string_equal(a->level, "linear");
	assert_int_equal(a->nmembers, 2);
	assert_string_equal(a->sync_kind, "");
	mdstat_free(&m);
	assert_int_equal(mdstat_parse("", &m), 0);
	assert_int_equal(m.narrays, 0);
	mdstat_free(&m);
	assert_int_equal(mdstat_parse("Personalities : [raid1]\nunused devices: <none>\n", &m), 0);
	assert_int_equal(m.narrays, 0);
	mdstat_free(&m);
	assert_int_equal(mdstat_parse(NULL, &m), -EINVAL);
}

static void read_takes_file_under_proc_root(void **state)
{
	char dir[] = "/tmp/mdctl-mdstat-XXXXXX", path[64];
	struct mdstat m;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(mdstat_read(dir, &m), -ENOENT);
	snprintf(path, sizeof(path), "%s/mdstat", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(sample_faulty, f);
	fclose(f);
	assert_int_equal(mdstat_read(dir, &m), 0);
	assert_int_equal(m.narrays, 4);
	assert_non_null(mdstat_find(&m, "md8"));
	mdstat_free(&m);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recovery_with_replacement_member),
		cmocka_unit_test(mirror_without_progress_ignores_bitmap_line),
		cmocka_unit_test(inactive_array_has_spares_and_no_level),
		cmocka_unit_test(faulty_member_and_degraded_counts),
		cmocka_unit_test(pending_and_delayed_resync_have_kind_but_no_progress),
		cmocka_unit_test(unknown_lines_and_empty_text_are_tolerated),
		cmocka_unit_test(read_takes_file_under_proc_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
