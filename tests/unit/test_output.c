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

#include "json_check.h"
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
			       "MD_META='$(rm -rf /)`x`;\\x0a'\n");
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
		out_export(f, "MD_V", "%s", values[i]);
		fclose(f);
		snprintf(cmd, sizeof(cmd), ". %s && printf '%%s' \"$MD_V\"", path);
		p = popen(cmd, "r");
		assert_non_null(p);
		size_t n = fread(got, 1, sizeof(got) - 1, p);
		got[n] = '\0';
		assert_int_equal(pclose(p), 0);
		{
			char want[256];

			assert_string_equal(got, out_esc(values[i], want, sizeof(want)));
		}
	}
	close(fd);
	unlink(path);
}


/* the escaping rule: controls, C1 controls, backslash and invalid UTF-8 as \xNN */
static void escape_rule_keeps_utf8_and_escapes_the_rest(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain name", "plain name" },
		{ "a\nb", "a\\x0ab" },
		{ "\x1b[31mred", "\\x1b[31mred" },
		{ "it's", "it's" },
		{ "back\\slash", "back\\x5cslash" },
		{ "del\x7f", "del\\x7f" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },                 /* valid UTF-8 kept */
		{ "\xe2\x82\xac 5", "\xe2\x82\xac 5" },
		{ "\xf0\x9f\x92\xbe", "\xf0\x9f\x92\xbe" },
		{ "x\xff", "x\\xff" },                            /* never UTF-8 */
		{ "\xc3", "\\xc3" },                              /* cut sequence */
		{ "\xc0\xaf", "\\xc0\\xaf" },                     /* overlong '/' */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },            /* surrogate */
		{ "\xc2\x9b" "1m", "\\xc2\\x9b" "1m" },           /* C1 CSI */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },   /* past U+10FFFF */
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(out_escape(buf, sizeof(buf), cases[i].in), strlen(cases[i].out));
		assert_string_equal(buf, cases[i].out);
	}
	/* a short buffer never holds half an escape */
	assert_int_equal(out_escape(buf, 6, "ab\ncd"), 8);
	assert_string_equal(buf, "ab");
	assert_string_equal(out_esc(NULL, buf, sizeof(buf)), "");
}

static void export_lines_are_always_md_keys(void **state)
{
	struct capture c;
	char *s;

	(void)state;
	out_export(cap_open(&c), "MD_DEVICE_dev_sd-b/1_ROLE", "%s", "0");
	out_export(c.f, "SYSTEMD_WANTS", "%s", "x");
	out_export(c.f, "MD_NAME", "%s", "a\nSYSTEMD_WANTS=debug-shell\n#");
	s = cap_close(&c);
	assert_string_equal(s, "MD_DEVICE_dev_sd_b_1_ROLE=0\n"
			       "MD_SYSTEMD_WANTS=x\n"
			       "MD_NAME='a\\x0aSYSTEMD_WANTS=debug-shell\\x0a#'\n");
	free(s);
}

static void conf_word_and_link_name_stay_one_word(void **state)
{
	struct capture c;
	char *s, link[64];

	(void)state;
	out_conf_word(cap_open(&c), "h:a b\"c'd#e\nPROGRAM /x");
	s = cap_close(&c);
	assert_string_equal(s, "h:a\\x20b\\x22c\\x27d\\x23e\\x0aPROGRAM\\x20/x");
	free(s);
	out_link_name("a/b c\n\xff" "d.e_f:g+h-i", link, sizeof(link));
	assert_string_equal(link, "a_b_c__d.e_f:g+h-i");
	out_link_name("..", link, sizeof(link));
	assert_string_equal(link, "unnamed");
	out_link_name("", link, sizeof(link));
	assert_string_equal(link, "unnamed");
}

static void jstr_makes_valid_utf8_json(void **state)
{
	struct json_object *o = json_object_new_object(), *back;

	(void)state;
	json_object_object_add(o, "name", out_jstr("a\n\x1b[31m'\xff"));
	back = jparse_strict(json_object_to_json_string(o));
	assert_string_equal(json_object_get_string(jkey(back, "name")), "a\\x0a\\x1b[31m'\\xff");
	json_object_put(back);
	json_object_put(o);
}

static void out_json_prints_parseable_pretty_json(void **state)
{
	struct json_object *o = json_object_new_object(), *back;
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
	back = jparse(s);
	assert_int_equal(json_object_get_int(jkey(back, "version")), MDCTL_JSON_SCHEMA);
	assert_true(json_object_get_uint64(jkey(back, "big")) == UINT64_MAX);
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
	/* --query's binary units, rounded as mdadm rounds them */
	fmt_brief_kib_iec(23552, buf, sizeof(buf));
	assert_string_equal(buf, "23.00MiB");
	fmt_brief_kib_iec(20460, buf, sizeof(buf));
	assert_string_equal(buf, "19.98MiB");
	fmt_brief_kib_iec(4999, buf, sizeof(buf));
	assert_string_equal(buf, "");
	fmt_brief_kib_iec(976628736, buf, sizeof(buf));
	assert_string_equal(buf, "931.39GiB");
	fmt_brief_kib_iec(3ull << 30, buf, sizeof(buf));
	assert_string_equal(buf, "3.00TiB");
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
		cmocka_unit_test(escape_rule_keeps_utf8_and_escapes_the_rest),
		cmocka_unit_test(export_lines_are_always_md_keys),
		cmocka_unit_test(conf_word_and_link_name_stay_one_word),
		cmocka_unit_test(jstr_makes_valid_utf8_json),
		cmocka_unit_test(uuids_format_in_both_styles),
		cmocka_unit_test(time_formats_like_ctime),
		cmocka_unit_test(human_sizes_match_mdadm),
		cmocka_unit_test(levels_and_layouts_have_mdadm_names),
	};
	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
