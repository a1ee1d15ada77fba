// SPDX-License-Identifier: GPL-2.0-or-later
/* test_monitor_mdstat.c: which arrays mon_mdstat_changed() (monitor_mdstat.c) names from two /proc/mdstat texts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mdstat_same_text_names_nothing),
		cmocka_unit_test(mdstat_failed_member_names_only_its_array),
		cmocka_unit_test(mdstat_appeared_and_vanished_arrays_are_named),
		cmocka_unit_test(mdstat_names_that_prefix_others_are_kept_apart),
		cmocka_unit_test(mdstat_recovery_progress_names_only_its_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
