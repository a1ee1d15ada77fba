// SPDX-License-Identifier: GPL-2.0-or-later
/* test_monitor_config.c: a running monitor's config reload keeps the old config when the new file is broken. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "monitor.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void reload_keeps_old_config_on_error(void **state)
{
	char dir[] = "/tmp/mdctl-monconf-XXXXXX", path[512], err[512];
	struct mdctl_config cfg;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mdctl.conf", dir);
	write_file(path, "MAILADDR root@example.org\nPROGRAM /usr/local/bin/alert\n"
			 "REPLACE-POLICY badblocks=8\n");
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.program, "/usr/local/bin/alert");

	/* a broken line: the old config stays, the error names file and line */
	write_file(path, "MAILADDR other@example.org\nNOSUCHKEYWORD x\n");
	err[0] = 0;
	assert_true(mon_config_reload(&cfg, path, NULL, NULL, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, ":2"));
	assert_string_equal(cfg.mailaddr, "root@example.org");
	assert_string_equal(cfg.program, "/usr/local/bin/alert");
	assert_int_equal(cfg.replace_badblocks, 8);

	/* fixed: the new one replaces it */
	write_file(path, "MAILADDR other@example.org\n");
	assert_int_equal(mon_config_reload(&cfg, path, NULL, NULL, err, sizeof(err)), 0);
	assert_string_equal(cfg.mailaddr, "other@example.org");
	assert_string_equal(cfg.program, "");
	assert_int_equal(cfg.replace_badblocks, -1);
	config_free(&cfg);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reload_keeps_old_config_on_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
