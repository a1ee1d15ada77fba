// SPDX-License-Identifier: GPL-2.0-or-later
/* test_util.c: number parsing and array-name resolution in util.c. */
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

#include "util.h"

static void parse_u64_accepts_digits_only(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse_u64("-1", &v), -EINVAL);
	assert_int_equal(parse_u64("12x", &v), -EINVAL);
	assert_int_equal(parse_u64("", &v), -EINVAL);
}

static void parse_size_kib_takes_mdadm_suffixes(void **state)
{
	uint64_t k;

	(void)state;
	assert_int_equal(parse_size_kib("512", &k), 0);
	assert_int_equal(k, 512);
	assert_int_equal(parse_size_kib("64M", &k), 0);
	assert_int_equal(k, 65536);
	assert_int_equal(parse_size_kib("2G", &k), 0);
	assert_int_equal(k, 2097152);
	assert_int_equal(parse_size_kib("2048s", &k), 0);
	assert_int_equal(k, 1024);
	assert_int_equal(parse_size_kib("3s", &k), -EINVAL);
	assert_int_equal(parse_size_kib("1Q", &k), -EINVAL);
	assert_int_equal(parse_size_kib("1MB", &k), -EINVAL);
}

static void md_kname_resolves_each_spelling(void **state)
{
	char dir[] = "/tmp/mdctl-util-XXXXXX", path[PATH_MAX], k[32];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(md_kname_from_arg(dir, "/dev/md0", k, sizeof(k)), 0);
	assert_string_equal(k, "md0");
	assert_int_equal(md_kname_from_arg(dir, "md127", k, sizeof(k)), 0);
	assert_string_equal(k, "md127");
	assert_int_equal(md_kname_from_arg(dir, "/dev/md/3", k, sizeof(k)), 0);
	assert_string_equal(k, "md3");
	snprintf(path, sizeof(path), "%s/md", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/md/data", dir);
	assert_int_equal(symlink("../md5", path), 0);
	assert_int_equal(md_kname_from_arg(dir, "data", k, sizeof(k)), 0);
	assert_string_equal(k, "md5");
	assert_int_equal(md_kname_from_arg(dir, path, k, sizeof(k)), 0);
	assert_string_equal(k, "md5");
	assert_int_equal(md_kname_from_arg(dir, "/dev/sda", k, sizeof(k)), -ENODEV);
	unlink(path);
	snprintf(path, sizeof(path), "%s/md", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_u64_accepts_digits_only),
		cmocka_unit_test(parse_size_kib_takes_mdadm_suffixes),
		cmocka_unit_test(md_kname_resolves_each_spelling),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
