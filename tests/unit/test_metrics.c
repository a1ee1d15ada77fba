// SPDX-License-Identifier: GPL-2.0-or-later
/* test_metrics.c: the Prometheus exposition of `mdctl --metrics` over a fake sysfs tree, label escaping, the atomic file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "md_fixture.h"
#include "metrics.h"
#include "verify.h"

static void assert_has(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("expected '%s' in:\n%s", line, text);
}

static void assert_lacks(const char *text, const char *line)
{
	if (strstr(text, line))
		fail_msg("did not expect '%s' in:\n%s", line, text);
}

/* Every "name{" sample line is preceded by its family's HELP and TYPE lines, once each. */
static void assert_families_described(const char *text)
{
	const char *p = text;

	while ((p = strstr(p, "\nmdctl_")) != NULL) {
		char name[128], help[160], type[160];
		size_t n = strcspn(p + 1, "{ ");
		const char *h;

		assert_true(n < sizeof(name));
		memcpy(name, p + 1, n);
		name[n] = '\0';
		snprintf(help, sizeof(help), "# HELP %s ", name);
		snprintf(type, sizeof(type), "# TYPE %s ", name);
		h = strstr(text, help);
		if (!h || !strstr(text, type) || h > p)
			fail_msg("%s has no HELP/TYPE before its samples", name);
		assert_null(strstr(h + 1, help));
		p++;
	}
}

static void replacement_shows_roles_progress_and_eta(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(fx_run("--metrics", &out, &err), 0);
	assert_string_equal(err, "");
	assert_families_described(out);
	assert_has(out, "# TYPE mdctl_member_corrected_read_errors_total counter\n");
	assert_has(out, "mdctl_array_state{array=\"md0\",state=\"clean\"} 1\n");
	assert_has(out, "mdctl_array_state{array=\"md0\",state=\"active\"} 0\n");
	assert_has(out, "mdctl_array_sync_action{array=\"md0\",action=\"replace\"} 1\n");
	assert_has(out, "mdctl_array_sync_action{array=\"md0\",action=\"recover\"} 0\n");
	assert_has(out, "mdctl_array_degraded_devices{array=\"md0\"} 0\n");
	assert_has(out, "mdctl_array_spare_devices{array=\"md0\"} 1\n");
	assert_has(out, "mdctl_array_raid_devices{array=\"md0\"} 3\n");
	assert_has(out, "mdctl_array_size_bytes{array=\"md0\"} 132120576\n");
	/* 16256 / 129024 sectors at 4096 KiB/s: 112768 sectors left, 13.8 s */
	assert_has(out, "mdctl_array_sync_completed_ratio{array=\"md0\"} 0.125992\n");
	assert_has(out, "mdctl_array_sync_speed_bytes_per_second{array=\"md0\"} 4194304\n");
	assert_has(out, "mdctl_array_sync_eta_seconds{array=\"md0\"} 14\n");
	assert_has(out, "mdctl_member_info{array=\"md0\",member=\"loop1\",device=\"");
	assert_has(out, "/dev/loop1\",slot=\"1\",role=\"replacing\",disk_id=\"\"} 1\n");
	assert_has(out, "/dev/loop4\",slot=\"1\",role=\"replacement\",disk_id=\"\"} 1\n");
	assert_has(out, "/dev/loop2\",slot=\"\",role=\"faulty\",disk_id=\"\"} 1\n");
	assert_has(out, "mdctl_member_state{array=\"md0\",member=\"loop1\",flag=\"replacing\"} 1\n");
	assert_has(out, "mdctl_member_state{array=\"md0\",member=\"loop1\",flag=\"want_replacement\"} 1\n");
	assert_has(out, "mdctl_member_state{array=\"md0\",member=\"loop1\",flag=\"write_error\"} 1\n");
	assert_has(out, "mdctl_member_state{array=\"md0\",member=\"loop4\",flag=\"replacement\"} 1\n");
	assert_has(out, "mdctl_member_state{array=\"md0\",member=\"loop4\",flag=\"replacing\"} 0\n");
	assert_has(out, "mdctl_member_state{array=\"md0\",member=\"loop4\",flag=\"in_sync\"} 0\n");
	assert_has(out, "mdctl_member_state{array=\"md0\",member=\"loop2\",flag=\"faulty\"} 1\n");
	assert_has(out, "mdctl_member_bad_blocks{array=\"md0\",member=\"loop1\"} 3\n");
	assert_has(out, "mdctl_member_bad_blocks_bytes{array=\"md0\",member=\"loop1\"} 16384\n");
	assert_has(out, "mdctl_member_corrected_read_errors_total{array=\"md0\",member=\"loop1\"} 17\n");
	assert_has(out, "mdctl_member_copied_ratio{array=\"md0\",member=\"loop4\"} 0.12");
	assert_has(out, "mdctl_member_copy_eta_seconds{array=\"md0\",member=\"loop4\"} 14\n");
	assert_lacks(out, "mdctl_member_copied_ratio{array=\"md0\",member=\"loop1\"}");
	/* no mismatch_cnt in the tree: the family is described, no sample */
	assert_has(out, "# TYPE mdctl_array_mismatch_sectors gauge\n");
	assert_lacks(out, "mdctl_array_mismatch_sectors{");
	free(out);
	free(err);
}

static void idle_array_has_no_progress_but_mismatches(void **state)
{
	char *out, *err;

	(void)state;
	fx_put("block/md0/md/sync_action", "idle\n");
	fx_put("block/md0/md/sync_completed", "none\n");
	fx_put("block/md0/md/sync_speed", "none\n");
	fx_put("block/md0/md/mismatch_cnt", "128\n");
	assert_int_equal(fx_run("--metrics /dev/md0", &out, &err), 0);
	assert_has(out, "mdctl_array_sync_action{array=\"md0\",action=\"idle\"} 1\n");
	assert_has(out, "mdctl_array_mismatch_sectors{array=\"md0\"} 128\n");
	assert_lacks(out, "mdctl_array_sync_eta_seconds{");
	assert_lacks(out, "mdctl_array_sync_completed_ratio{");
	assert_lacks(out, "mdctl_member_copy_eta_seconds{");
	free(out);
	free(err);
}

static void disk_id_and_spare_group_are_escaped_labels(void **state)
{
	char *out, *err, args[PATH_MAX + 64], conf[PATH_MAX];
	FILE *f;

	(void)state;
	/* a serial holding a quote, a backslash, an escape and a byte that is not UTF-8 */
	fx_put("block/loop1/device/serial", "  WD-\"A\\B\x1b[31m\xff  \n");
	fx_put("block/loop3/device/wwid", "naa.5000c500a1b2c3d4\n");
	fx_put("block/md0/md/uuid", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9\n");
	snprintf(conf, sizeof(conf), "%s/mdctl.conf", fx_dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fputs("ARRAY /dev/md0 uuid=0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9 spare-group=backup\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "--metrics --config %s", conf);
	assert_int_equal(fx_run(args, &out, &err), 0);
	assert_string_equal(err, "");
	assert_has(out, "role=\"replacing\",disk_id=\"WD-\\\"A\\\\B\xef\xbf\xbd[31m\xef\xbf\xbd\"} 1\n");
	assert_has(out, "role=\"active\",disk_id=\"naa.5000c500a1b2c3d4\"} 1\n");
	assert_has(out, "uuid=\"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9\",spare_group=\"backup\"} 1\n");
	free(out);
	free(err);
}

/* promtool finds nothing to say about the last fx_run's stdout (skipped without promtool). */
static void promtool_clean(void)
{
	char cmd[PATH_MAX * 2], *out;

	if (system("command -v promtool >/dev/null 2>&1") != 0)
		return;
	snprintf(cmd, sizeof(cmd), "promtool check metrics <%s/stdout >%s/promtool 2>&1", fx_dir, fx_dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/promtool", fx_dir);
	out = fx_slurp(cmd);
	assert_string_equal(out, "");
	free(out);
}

/* What verification found: suspect content, and the saved ranges of the last verification. */
static void content_suspect_and_stale_ranges(void **state)
{
	struct verify_range r[3] = { { 0, 8, 8, 8, 0 }, { 64, 72, 8, 72, 0 }, { 128, 144, 16, 144, 0 } };
	struct verify_report rep = { .ranges = r, .nranges = 3, .sectors = 32, .recorded = 3 };
	char sd[PATH_MAX], *out, *err;

	(void)state;
	fx_put("block/md0/md/uuid", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9\n");
	snprintf(sd, sizeof(sd), "%s/state", fx_dir);
	/* loop3: three ranges found and all rebuilt; loop0: one found, none rebuilt */
	assert_int_equal(verify_status_save(sd, "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", "loop3", &rep), 0);
	rep.nranges = 1;
	rep.sectors = 8;
	rep.recorded = 0;
	assert_int_equal(verify_status_save(sd, "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", "loop0", &rep), 0);
	setenv("MDCTL_STATE_DIR", sd, 1);
	assert_int_equal(fx_run("--metrics", &out, &err), 0);
	unsetenv("MDCTL_STATE_DIR");
	assert_string_equal(err, "");
	assert_families_described(out);
	/* loop1 has write_error: suspect without any verification */
	assert_has(out, "mdctl_member_content_suspect{array=\"md0\",member=\"loop1\"} 1\n");
	assert_has(out, "mdctl_member_content_suspect{array=\"md0\",member=\"loop3\"} 0\n");
	assert_has(out, "mdctl_member_content_suspect{array=\"md0\",member=\"loop0\"} 1\n");
	assert_has(out, "mdctl_member_stale_ranges{array=\"md0\",member=\"loop3\"} 3\n");
	assert_has(out, "mdctl_member_stale_ranges_rebuilt{array=\"md0\",member=\"loop3\"} 3\n");
	assert_has(out, "mdctl_member_stale_bytes{array=\"md0\",member=\"loop3\"} 16384\n");
	assert_has(out, "mdctl_member_stale_ranges{array=\"md0\",member=\"loop0\"} 1\n");
	assert_has(out, "mdctl_member_stale_ranges_rebuilt{array=\"md0\",member=\"loop0\"} 0\n");
	assert_has(out, "# TYPE mdctl_member_last_verified_timestamp_seconds gauge\n");
	assert_has(out, "mdctl_member_last_verified_timestamp_seconds{array=\"md0\",member=\"loop3\"} ");
	/* no verification saved for loop1: no stale-range samples */
	assert_lacks(out, "mdctl_member_stale_ranges{array=\"md0\",member=\"loop1\"}");
	free(out);
	free(err);
	promtool_clean();
}

static void unknown_array_is_named_in_the_error(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(fx_run("--metrics /dev/md0 /dev/md9", &out, &err), 1);
	assert_string_equal(out, "");
	assert_string_equal(err, "mdctl: /dev/md9: not an md array (no md directory in sysfs)\n");
	free(out);
	free(err);
	assert_int_equal(fx_run("--metrics --bogus", &out, &err), 2);
	assert_string_equal(err, "mdctl: --metrics: unknown option --bogus (see 'mdctl --metrics --help')\n");
	free(out);
	free(err);
}

/* promtool (Debian's prometheus package) finds no error and no lint problem. */
static void promtool_accepts_the_output(void **state)
{
	char *out, *err;

	(void)state;
	if (system("command -v promtool >/dev/null 2>&1") != 0)
		skip();
	fx_put("block/loop1/device/serial", "WD-\"A\\B\x1b\xff\n");
	assert_int_equal(fx_run("--metrics", &out, &err), 0);
	free(out);
	free(err);
	promtool_clean();
}

static void escape_label_rules(void **state)
{
	char buf[64];

	(void)state;
	metrics_escape_label("a\"b\\c\nd", buf, sizeof(buf));
	assert_string_equal(buf, "a\\\"b\\\\c\\nd");
	metrics_escape_label("caf\xc3\xa9 \xe2\x82\xac", buf, sizeof(buf));
	assert_string_equal(buf, "caf\xc3\xa9 \xe2\x82\xac");
	/* stray continuation, overlong slash, surrogate, truncated sequence */
	metrics_escape_label("\x80\xc0\xaf\xed\xa0\x80\xe2\x82", buf, sizeof(buf));
	assert_null(strchr(buf, '\x80'));
	assert_string_equal(buf, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* truncation never splits an escape */
	metrics_escape_label("ab\"", buf, 4);
	assert_string_equal(buf, "ab");
}

static void write_file_replaces_atomically(void **state)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	char *got;

	(void)state;
	snprintf(path, sizeof(path), "%s/md.prom", fx_dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(metrics_write_file(path, "first\n"), 0);
	assert_int_equal(metrics_write_file(path, "second\n"), 0);
	got = fx_slurp(path);
	assert_string_equal(got, "second\n");
	free(got);
	assert_int_equal(access(tmp, F_OK), -1);
	snprintf(path, sizeof(path), "%s/no/such/dir/md.prom", fx_dir);
	assert_int_equal(metrics_write_file(path, "x"), -ENOENT);
}

/* The monitor's METRICS file holds what --metrics prints. */
static void monitor_writes_the_metrics_file(void **state)
{
	char conf[PATH_MAX], prom[PATH_MAX], args[2 * PATH_MAX];
	char *out, *err, *file;
	FILE *f;

	(void)state;
	snprintf(conf, sizeof(conf), "%s/mdctl.conf", fx_dir);
	snprintf(prom, sizeof(prom), "%s/md.prom", fx_dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "METRICS %s\n", prom);
	fclose(f);
	snprintf(args, sizeof(args), "--monitor --oneshot --dry-run --config %s /dev/md0", conf);
	assert_int_equal(fx_run(args, &out, &err), 0);
	free(out);
	free(err);
	file = fx_slurp(prom);
	assert_families_described(file);
	assert_has(file, "mdctl_member_state{array=\"md0\",member=\"loop1\",flag=\"replacing\"} 1\n");
	assert_has(file, "mdctl_array_sync_eta_seconds{array=\"md0\"} 14\n");
	snprintf(args, sizeof(args), "--metrics --config %s", conf);
	assert_int_equal(fx_run(args, &out, &err), 0);
	assert_string_equal(out, file);
	free(out);
	free(err);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(replacement_shows_roles_progress_and_eta, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(idle_array_has_no_progress_but_mismatches, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(disk_id_and_spare_group_are_escaped_labels, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(unknown_array_is_named_in_the_error, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(content_suspect_and_stale_ranges, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(promtool_accepts_the_output, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(monitor_writes_the_metrics_file, fx_setup, fx_teardown),
		cmocka_unit_test(escape_label_rules),
		cmocka_unit_test_setup_teardown(write_file_replaces_atomically, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
