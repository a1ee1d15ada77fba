// SPDX-License-Identifier: GPL-2.0-or-later
/* test_monitor_mdstat.c: which arrays mon_mdstat_changed() (monitor_mdstat.c) names from two /proc/mdstat texts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"

/* Three arrays as the 6.1 kernel lists them: newest first, a "      " line after each. */
#define PERS "Personalities : [raid1] [raid6] [raid5] [raid4] \n"
#define MD101 "md101 : active raid5 loop7[3] loop6[2] loop5[1] loop4[0]\n" \
	      "      18432 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/4] [UUUU]\n" \
	      "      \n"
#define MD100 "md100 : active raid5 loop3[3] loop2[2] loop1[1] loop0[0]\n" \
	      "      18432 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/4] [UUUU]\n" \
	      "      \n"
#define MD99 "md99 : active raid1 loop10[2](S) loop9[1] loop8[0]\n" \
	     "      7168 blocks super 1.2 [2/2] [UU]\n" \
	     "      \n"
#define UNUSED "unused devices: <none>\n"

static void collect(const char *kname, void *arg)
{
	char *out = arg;

	strcat(out, kname);
	strcat(out, " ");
}

static const char *changed(const char *old, const char *cur, size_t *n)
{
	static char out[512];

	out[0] = '\0';
	*n = mon_mdstat_changed(old, cur, collect, out);
	return out;
}

static void mdstat_same_text_names_nothing(void **state)
{
	size_t n;

	(void)state;
	assert_string_equal(changed(PERS MD101 MD100 MD99 UNUSED, PERS MD101 MD100 MD99 UNUSED, &n), "");
	assert_int_equal(n, 0);
	/* a personality loaded is no array's event */
	assert_string_equal(changed(PERS MD100 UNUSED,
				    "Personalities : [raid1] [raid6] [raid5] [raid4] [raid10] \n" MD100 UNUSED,
				    &n), "");
}

static void mdstat_failed_member_names_only_its_array(void **state)
{
	const char *failed = "md100 : active raid5 loop3[3] loop2[2] loop1[1] loop0[0](F)\n"
			     "      18432 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/3] [_UUU]\n"
			     "      \n";
	char cur[2048];
	size_t n;

	(void)state;
	snprintf(cur, sizeof(cur), PERS MD101 "%s" MD99 UNUSED, failed);
	assert_string_equal(changed(PERS MD101 MD100 MD99 UNUSED, cur, &n), "md100 ");
	assert_int_equal(n, 1);
	/* the spare leaving md99 and the recovery line appearing under md100 */
	assert_string_equal(changed(PERS MD101 MD100 MD99 UNUSED,
				    PERS MD101 MD100
				    "md99 : active raid1 loop9[1] loop8[0]\n"
				    "      7168 blocks super 1.2 [2/2] [UU]\n"
				    "      \n" UNUSED, &n), "md99 ");
	assert_string_equal(changed(PERS MD100 UNUSED,
				    PERS "md100 : active raid5 loop3[3] loop2[2] loop1[1] loop0[0]\n"
				    "      18432 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/4] [UUUU]\n"
				    "      [>....................]  recovery =  1.5% (96/6144) finish=0.1min speed=96K/sec\n"
				    "      \n" UNUSED, &n), "md100 ");
}

static void mdstat_appeared_and_vanished_arrays_are_named(void **state)
{
	size_t n;

	(void)state;
	assert_string_equal(changed(PERS MD100 MD99 UNUSED, PERS MD101 MD100 UNUSED, &n), "md101 md99 ");
	assert_int_equal(n, 2);
	/* nothing read before: every array is new */
	assert_string_equal(changed(NULL, PERS MD101 MD100 MD99 UNUSED, &n), "md101 md100 md99 ");
	assert_string_equal(changed(PERS MD100 UNUSED, PERS UNUSED, &n), "md100 ");
	/* started inactive, then running: the header changed */
	assert_string_equal(changed(PERS "md100 : inactive loop3[3](S) loop2[2](S)\n      36864 blocks super 1.2\n       \n" UNUSED,
				    PERS MD100 UNUSED, &n), "md100 ");
}

static void mdstat_names_that_prefix_others_are_kept_apart(void **state)
{
	const char *old = PERS "md10 : active raid1 loop1[1] loop0[0]\n      7168 blocks super 1.2 [2/2] [UU]\n      \n"
			  "md1 : active raid1 loop3[1] loop2[0]\n      7168 blocks super 1.2 [2/2] [UU]\n      \n"
			  "md_home : active raid1 loop5[1] loop4[0]\n      7168 blocks super 1.2 [2/2] [UU]\n      \n" UNUSED;
	const char *cur = PERS "md10 : active raid1 loop1[1] loop0[0]\n      7168 blocks super 1.2 [2/2] [UU]\n      \n"
			  "md1 : active raid1 loop3[1] loop2[0](F)\n      7168 blocks super 1.2 [2/1] [_U]\n      \n"
			  "md_home : active raid1 loop5[1](W) loop4[0]\n      7168 blocks super 1.2 [2/2] [UU]\n      \n" UNUSED;
	size_t n;

	(void)state;
	assert_string_equal(changed(old, cur, &n), "md1 md_home ");
	/* a text cut short (no newline at its end) still ends its last block */
	assert_string_equal(changed(PERS "md1 : active raid1 loop3[1] loop2[0]",
				    PERS "md1 : active raid1 loop3[1] loop2[0](F)", &n), "md1 ");
	assert_string_equal(changed("", "", &n), "");
}

#define MD100_REC(bar, pct, done) \
	"md100 : active raid5 loop11[4] loop3[3] loop2[2] loop1[1] loop0[0](F)\n" \
	"      18432 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/3] [_UUU]\n" \
	"      [" bar "]  recovery = " pct "% (" done "/6144) finish=0.1min speed=768K/sec\n" \
	"      \n"

static void mdstat_recovery_progress_names_only_its_array(void **state)
{
	size_t n;

	(void)state;
	/* the spare taken in and its recovery line appearing: md100 alone */
	assert_string_equal(changed(PERS MD101 MD100 MD99 UNUSED,
				    PERS MD101 MD100_REC("==>..................", "12.5", "768") MD99 UNUSED, &n),
			    "md100 ");
	assert_int_equal(n, 1);
	/* the recovery moving on: still md100 alone, the siblings are not read */
	assert_string_equal(changed(PERS MD101 MD100_REC("==>..................", "12.5", "768") MD99 UNUSED,
				    PERS MD101 MD100_REC("=====>...............", "25.0", "1536") MD99 UNUSED, &n),
			    "md100 ");
	assert_int_equal(n, 1);
}

/* members(old, cur, kname): "loop0 loop3 " for a flags-only change, "whole" for a whole read. */
static const char *members(const char *old, const char *cur, const char *kname)
{
	static char out[512];
	char (*names)[32] = NULL;
	size_t n = 7;
	int rc = mon_mdstat_members_changed(old, cur, kname, &names, &n);

	out[0] = '\0';
	if (rc != 1) {
		assert_int_equal(rc, 0);
		assert_null(names);
		assert_int_equal(n, 0);
		return "whole";
	}
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		strcat(out, names[i]);
		strcat(out, " ");
	}
	free(names);
	return out;
}

/*
 * A member's flags alone changed: only it is named (and its array's lines
 * under the header may differ with it); anything else about the array is
 * a whole read.
 */
static void mdstat_flags_alone_name_their_members(void **state)
{
	const char *failed = PERS MD101
		"md100 : active raid5 loop3[3] loop2[2] loop1[1] loop0[0](F)\n"
		"      18432 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/3] [_UUU]\n"
		"      \n" MD99 UNUSED;
	const char *two = PERS MD101
		"md100 : active raid5 loop3[3](F) loop2[2] loop1[1] loop0[0](F)\n"
		"      18432 blocks super 1.2 level 5, 512k chunk, algorithm 2 [4/2] [__UU]\n"
		"      \n" MD99 UNUSED;
	const char *all = PERS MD101 MD100 MD99 UNUSED;

	(void)state;
	assert_string_equal(members(all, failed, "md100"), "loop0 ");
	assert_string_equal(members(all, two, "md100"), "loop3 loop0 ");
	assert_string_equal(members(failed, two, "md100"), "loop3 ");
	/* back again (re-added in place): a flag gone is a change too */
	assert_string_equal(members(failed, all, "md100"), "loop0 ");
	/* md101 did not change; md99 did not either; md7 is in neither */
	assert_string_equal(members(all, failed, "md101"), "whole");
	assert_string_equal(members(all, failed, "md7"), "whole");
	/* no earlier reading */
	assert_string_equal(members(NULL, failed, "md100"), "whole");
	/* a spare taken out: a member fewer */
	assert_string_equal(members(all, PERS MD101 MD100
				    "md99 : active raid1 loop9[1] loop8[0]\n"
				    "      7168 blocks super 1.2 [2/2] [UU]\n      \n" UNUSED, "md99"),
			    "whole");
	/* a member more: the spare taken in, its recovery line */
	assert_string_equal(members(failed, PERS MD101 MD100_REC("==>..................", "12.5", "768")
				    MD99 UNUSED, "md100"), "whole");
	/* only the lines under the header changed (a recovery moving on): read whole */
	assert_string_equal(members(PERS MD100_REC("==>..................", "12.5", "768") UNUSED,
				    PERS MD100_REC("=====>...............", "25.0", "1536") UNUSED, "md100"),
			    "whole");
	/* the same name with another number is another member; the state word changed */
	assert_string_equal(members(all, PERS MD101
				    "md100 : active raid5 loop3[3] loop2[2] loop1[1] loop0[5]\n"
				    "      \n" MD99 UNUSED, "md100"), "whole");
	assert_string_equal(members(all, PERS MD101
				    "md100 : active (read-only) raid5 loop3[3] loop2[2] loop1[1] loop0[0]\n"
				    "      \n" MD99 UNUSED, "md100"), "whole");
	assert_string_equal(members(PERS "md100 : inactive loop3[3](S) loop2[2](S)\n      \n" UNUSED,
				    PERS "md100 : active raid1 loop3[3] loop2[2]\n      \n" UNUSED, "md100"),
			    "whole");
	/* a word that is not a member's ("loop0[x]", "[3]") changing: whole */
	assert_string_equal(members(PERS "md1 : active raid1 loop0[x] loop1[1]\n" UNUSED,
				    PERS "md1 : active raid1 loop0[x](F) loop1[1]\n" UNUSED, "md1"), "whole");
	assert_string_equal(members(PERS "md1 : active raid1 [3] loop1[1]\n" UNUSED,
				    PERS "md1 : active raid1 [3](F) loop1[1]\n" UNUSED, "md1"), "whole");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mdstat_same_text_names_nothing),
		cmocka_unit_test(mdstat_failed_member_names_only_its_array),
		cmocka_unit_test(mdstat_appeared_and_vanished_arrays_are_named),
		cmocka_unit_test(mdstat_names_that_prefix_others_are_kept_apart),
		cmocka_unit_test(mdstat_recovery_progress_names_only_its_array),
		cmocka_unit_test(mdstat_flags_alone_name_their_members),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
