// SPDX-License-Identifier: GPL-2.0-or-later
/* test_output.c: field alignment, export quoting, JSON printing and value formatters in output.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output.h"

/* run fn into a memory stream and return what it printed (free it) */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static char *cap_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static void out_field_aligns_names_like_mdadm(void **state)
{
	struct capture c;
	char *s;

	(void)state;
	out_field(cap_open(&c), "Magic", "%08x", 0xa92b4efcu);
	out_field(c.f, "Recovery Offset", "%d sectors", 12);
	out_field(c.f, "A name longer than fifteen", "x");
	s = cap_close(&c);
	assert_string_equal(s, "          Magic : a92b4efc\n"
			       "Recovery Offset : 12 sectors\n"
			       "A name longer than fifteen : x\n");
	free(s);
}

static void out_export_quotes_only_when_needed(void **state)
{
	struct capture c;
	char *s;

	(void)state;
	out_export(cap_open(&c), "MD_NAME", "%s", "host:data");
	out_export(c.f, "MD_UUID", "%s", "0a:0b");
	out_export(c.f, "MD_EMPTY", "%s", "");
	out_export(c.f, "MD_SPACE", "%s", "my array");
	out_export(c.f, "MD_QUOTE", "%s", "it's");
	out_export(c.f, "MD_META", "%s", "$(rm -rf /)`x`;\n");
	s = cap_close(&c);
	assert_string_equal(s, "MD_NAME=host:data\n"
			       "MD_UUID=0a:0b\n"
			       "MD_EMPTY=\n"
			       "MD_SPACE='my array'\n"
			       "MD_QUOTE='it'\\''s'\n"
			       "MD_META='$(rm -rf /)`x`;\n'\n");
	free(s);
}

static void out_export_values_survive_a_shell_round_trip(void **state)
{
	static const char *const values[] = { "plain", "two words", "it's", "a\"b", "$HOME", "",
					      "back\\slash", "tab\there", "'''" };
	char path[] = "/tmp/mdctl-out-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		FILE *f = fopen(path, "w");
		char cmd[256], got[256] = "";
		FILE *p;

		assert_non_null(f);
		out_export(f, "V", "%s", values[i]);
		fclose(f);
		snprintf(cmd, sizeof(cmd), ". %s && printf '%%s' \"$V\"", path);
		p = popen(cmd, "r");
		assert_non_null(p);
		size_t n = fread(got, 1, sizeof(got) - 1, p);
		got[n] = '\0';
		assert_int_equal(pclose(p), 0);
		assert_string_equal(got, values[i]);
	}
	close(fd);
	unlink(path);
}

static void out_json_prints_parseable_pretty_json(void **state)
{
	struct json_object *o = json_object_new_object(), *back, *v;
	struct capture c;
	char *s;

	(void)state;
	json_object_object_add(o, "version", json_object_new_int(MDCTL_JSON_SCHEMA));
	json_object_object_add(o, "path", json_object_new_string("/dev/md/data"));
	json_object_object_add(o, "big", json_object_new_uint64(UINT64_MAX));
	out_json(cap_open(&c), o);
	s = cap_close(&c);
	assert_non_null(strchr(s, '\n'));
	assert_int_equal(s[strlen(s) - 1], '\n');
	assert_non_null(strstr(s, "\"/dev/md/data\"")); /* no escaped slashes */
	back = json_tokener_parse(s);
	assert_non_null(back);
	assert_true(json_object_object_get_ex(back, "version", &v));
	assert_int_equal(json_object_get_int(v), MDCTL_JSON_SCHEMA);
	assert_true(json_object_object_get_ex(back, "big", &v));
	assert_true(json_object_get_uint64(v) == UINT64_MAX);
	json_object_put(back);
	json_object_put(o);
	free(s);
}

static void uuids_format_in_both_styles(void **state)
{
	uint8_t u[16];
	char a[36], b[37];

	(void)state;
	for (int i = 0; i < 16; i++)
		u[i] = (uint8_t)(i * 17);
	fmt_uuid_mdadm(u, a);
	assert_string_equal(a, "00112233:44556677:8899aabb:ccddeeff");
	fmt_uuid_dashed(u, b);
	assert_string_equal(b, "00112233-4455-6677-8899-aabbccddeeff");
}

static void time_formats_like_ctime(void **state)
{
	char buf[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	fmt_time(1795000000, buf, sizeof(buf));
	assert_string_equal(buf, "Wed Nov 18 11:06:40 2026");
	/* single-digit day is space padded as ctime() does */
	fmt_time(0, buf, sizeof(buf));
	assert_string_equal(buf, "Thu Jan  1 00:00:00 1970");
	/* 40-bit seconds far beyond what localtime handles print as a number */
	fmt_time(UINT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "18446744073709551615");
}

static void human_sizes_match_mdadm(void **state)
{
	char buf[64];

	(void)state;
	/* values printed by Debian's mdadm 4.2 for the same sizes */
	fmt_human_kib(129024 / 2, buf, sizeof(buf));
	assert_string_equal(buf, " (63.00 MiB 66.06 MB)");
	fmt_human_kib(129024, buf, sizeof(buf));
	assert_string_equal(buf, " (126.00 MiB 132.12 MB)");
	fmt_human_kib(1953257472ull / 2, buf, sizeof(buf));
	assert_string_equal(buf, " (931.39 GiB 1000.07 GB)");
	fmt_human_kib(4999, buf, sizeof(buf));
	assert_string_equal(buf, "");
	fmt_human_kib(5000, buf, sizeof(buf));
	assert_string_equal(buf, " (4.88 MiB 5.12 MB)");
	fmt_human_kib(3ull << 30, buf, sizeof(buf));
	assert_string_equal(buf, " (3.00 TiB 3.30 TB)");
	fmt_human_kib(UINT64_MAX, buf, sizeof(buf));
	assert_non_null(strstr(buf, "TiB"));
	fmt_brief_kib(129024, buf, sizeof(buf));
	assert_string_equal(buf, "132.12MB");
	fmt_brief_kib(100, buf, sizeof(buf));
	assert_string_equal(buf, "");
	fmt_brief_kib(976628736, buf, sizeof(buf));
	assert_string_equal(buf, "1000.07GB");
	fmt_brief_kib(3221225472ull, buf, sizeof(buf));
	assert_string_equal(buf, "3.30TB");
}

static void levels_and_layouts_have_mdadm_names(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(fmt_level(-1), "linear");
	assert_string_equal(fmt_level(0), "raid0");
	assert_string_equal(fmt_level(1), "raid1");
	assert_string_equal(fmt_level(4), "raid4");
	assert_string_equal(fmt_level(5), "raid5");
	assert_string_equal(fmt_level(6), "raid6");
	assert_string_equal(fmt_level(10), "raid10");
	assert_string_equal(fmt_level(7), "-unknown-");
	assert_string_equal(fmt_layout(5, 2, buf, sizeof(buf)), "left-symmetric");
	assert_string_equal(fmt_layout(5, 0, buf, sizeof(buf)), "left-asymmetric");
	assert_string_equal(fmt_layout(4, 5, buf, sizeof(buf)), "parity-last");
	assert_string_equal(fmt_layout(6, 18, buf, sizeof(buf)), "left-symmetric-6");
	assert_string_equal(fmt_layout(6, 3, buf, sizeof(buf)), "right-symmetric");
	assert_string_equal(fmt_layout(5, 18, buf, sizeof(buf)), "-unknown-");
	assert_string_equal(fmt_layout(10, 0x102, buf, sizeof(buf)), "near=2");
	assert_string_equal(fmt_layout(10, 0x201, buf, sizeof(buf)), "far=2");
	assert_string_equal(fmt_layout(10, 0x10201, buf, sizeof(buf)), "offset=2");
	assert_string_equal(fmt_layout(10, 0x202, buf, sizeof(buf)), "near=2, far=2");
	assert_string_equal(fmt_layout(10, 0x101, buf, sizeof(buf)), "NO REDUNDANCY");
	assert_string_equal(fmt_layout(0, 2, buf, sizeof(buf)), "alternate");
	assert_null(fmt_layout(1, 0, buf, sizeof(buf)));
	assert_null(fmt_layout(-1, 0, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(out_field_aligns_names_like_mdadm),
		cmocka_unit_test(out_export_quotes_only_when_needed),
		cmocka_unit_test(out_export_values_survive_a_shell_round_trip),
		cmocka_unit_test(out_json_prints_parseable_pretty_json),
		cmocka_unit_test(uuids_format_in_both_styles),
		cmocka_unit_test(time_formats_like_ctime),
		cmocka_unit_test(human_sizes_match_mdadm),
		cmocka_unit_test(levels_and_layouts_have_mdadm_names),
	};
	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
