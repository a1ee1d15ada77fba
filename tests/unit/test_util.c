// SPDX-License-Identifier: GPL-2.0-or-later
/* test_util.c: number parsing and array-name resolution in util.c; the option loop in cli.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

/*
 * parse_u64() takes digits only; parse_size_kib() takes mdadm's suffixes
 * (K, M, G, T, s for sectors): a text, what parsing it returns, and on
 * success the value it gives.
 */
static void numbers_parse_as_mdadm_writes_them(void **state)
{
	static const struct {
		int (*parse)(const char *, uint64_t *);
		const char *text;
		int rc;
		uint64_t want;
	} c[] = {
		{ parse_u64, "18446744073709551615", 0, UINT64_MAX },
		{ parse_u64, "18446744073709551616", -ERANGE, 0 },
		{ parse_u64, "-1", -EINVAL, 0 },
		{ parse_u64, "12x", -EINVAL, 0 },
		{ parse_u64, "", -EINVAL, 0 },
		{ parse_size_kib, "512", 0, 512 },
		{ parse_size_kib, "64M", 0, 65536 },
		{ parse_size_kib, "2G", 0, 2097152 },
		{ parse_size_kib, "2048s", 0, 1024 },
		{ parse_size_kib, "3s", -EINVAL, 0 },
		{ parse_size_kib, "1Q", -EINVAL, 0 },
		{ parse_size_kib, "1MB", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t v = 12345;

		assert_int_equal(c[i].parse(c[i].text, &v), c[i].rc);
		if (!c[i].rc)
			assert_int_equal(v, c[i].want);
	}
}

/* array_push() grows the array (past its first 8) and keeps every element in order. */
static void array_push_keeps_every_element(void **state)
{
	struct pt {
		int x, y;
	} *v = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	for (int i = 0; i < 100; i++) {
		struct pt e = { i, -i };

		assert_int_equal(array_push(&v, &n, &cap, &e, sizeof(e)), 0);
	}
	assert_int_equal(n, 100);
	assert_true(cap >= 100);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(v[i].x, i);
		assert_int_equal(v[i].y, -i);
	}
	free(v);
}

/* write_all() writes every byte, read back from the file. */
static void write_all_writes_everything(void **state)
{
	char path[] = "/tmp/mdctl-util-wa-XXXXXX", back[70000], text[65536 + 3];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 26);
	assert_int_equal(write_all(fd, text, sizeof(text)), 0);
	assert_int_equal(pread(fd, back, sizeof(back), 0), sizeof(text));
	assert_memory_equal(back, text, sizeof(text));
	close(fd);
	unlink(path);
	assert_int_equal(write_all(fd, text, 1), -EBADF);
}

/* Only an array's header line of /proc/mdstat names an array, whatever follows it. */
static void mdstat_header_names_only_array_lines(void **state)
{
	static const struct {
		const char *line;
		size_t want;
	} cases[] = {
		{ "md127 : active raid5 loop3[4] loop2[2]\n", 5 },
		{ "md0 : inactive loop1[1](S)", 3 },
		{ "md_home : active raid1 sda1[0]\n", 7 },
		{ "Personalities : [raid1] [raid6]\n", 0 },
		{ "unused devices: <none>\n", 0 },
		{ "      2095104 blocks super 1.2 [3/3] [UUU]\n", 0 },
		{ "md1: active raid1\n", 0 },
		{ "md1 :\n", 0 },
		{ "md", 0 },
		{ "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = cases[i].line;

		assert_int_equal(mdstat_header_name(s, s + strlen(s)), cases[i].want);
	}
	/* eol bounds the line: the same header cut before its " : " is no header */
	assert_int_equal(mdstat_header_name("md9 : active", "md9 : active" + 4), 0);
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
	/* CREATE names=yes: md_NAME, by its node and through its /dev/md/NAME link */
	assert_int_equal(md_kname_from_arg(dir, "/dev/md_home", k, sizeof(k)), 0);
	assert_string_equal(k, "md_home");
	snprintf(path, sizeof(path), "%s/md/home", dir);
	assert_int_equal(symlink("../md_home", path), 0);
	assert_int_equal(md_kname_from_arg(dir, "home", k, sizeof(k)), 0);
	assert_string_equal(k, "md_home");
	unlink(path);
	assert_int_equal(md_kname_from_arg(dir, "/dev/md_", k, sizeof(k)), -ENODEV);
	assert_int_equal(md_kname_from_arg(dir, "/dev/md_a/b", k, sizeof(k)), -ENODEV);
	snprintf(path, sizeof(path), "%s/md", dir);
	rmdir(path);
	rmdir(dir);
}

/* a datagram socket bound at PATH (or in the abstract namespace when PATH starts with '@') */
static int bound_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(path);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = 0;
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)), 0);
	return fd;
}

static void service_notify_sends_one_datagram(void **state)
{
	char dir[] = "/tmp/mdctl-notify.XXXXXX", path[128], buf[64], abs[64];
	ssize_t n;
	int fd;

	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(service_notify("READY=1"), 0);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = bound_socket(path);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(service_notify("READY=1"), 1);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_int_equal(n, 7);
	buf[n] = 0;
	assert_string_equal(buf, "READY=1");
	close(fd);
	unlink(path);
	rmdir(dir);
	/* nobody listening: the error comes back, nothing else happens */
	assert_true(service_notify("STOPPING=1") < 0);
	snprintf(abs, sizeof(abs), "@mdctl-test-%d", (int)getpid());
	fd = bound_socket(abs);
	setenv("NOTIFY_SOCKET", abs, 1);
	assert_int_equal(service_notify("STATUS=x"), 1);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_int_equal(n, 8);
	close(fd);
	setenv("NOTIFY_SOCKET", "relative/name", 1);
	assert_int_equal(service_notify("READY=1"), -EINVAL);
	unsetenv("NOTIFY_SOCKET");
}

static void stderr_is_journal_compares_device_and_inode(void **state)
{
	struct stat st;
	char v[64];

	(void)state;
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	unsetenv("JOURNAL_STREAM");
	assert_false(stderr_is_journal());
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", v, 1);
	assert_true(stderr_is_journal());
	/* stderr redirected since systemd started us: another file, not the journal */
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", v, 1);
	assert_false(stderr_is_journal());
	setenv("JOURNAL_STREAM", "12:34x", 1);
	assert_false(stderr_is_journal());
	unsetenv("JOURNAL_STREAM");
}

/*
 * cli_getopt() passes over the mode's own option wherever it stands, and
 * cli_begin() restarts a parse: the second parse of a command line (tests
 * and the shell parse repeatedly) sees every option again.
 */
static void option_loop_skips_the_mode_and_restarts(void **state)
{
	static const struct option longopts[] = {
		{ "assemble", no_argument, NULL, 'A' },
		{ "run", no_argument, NULL, 'R' },
		{ "config", required_argument, NULL, 'c' },
		CLI_COMMON_OPTS,
	};
	char a0[] = "mdctl", a1[] = "-Rv", a2[] = "--assemble", a3[] = "--config=x",
	     a4[] = "-A", a5[] = "/dev/md0";
	char *argv[] = { a0, a1, a2, a3, a4, a5, NULL };
	char seen[8];
	int c, n, pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		cli_begin();
		while ((c = cli_getopt(6, argv, ":ARc:vqh", longopts, 'A')) != -1 && n < 7)
			seen[n++] = (char)c;
		seen[n] = 0;
		assert_string_equal(seen, "Rvc");
		assert_int_equal(optind, 5);   /* getopt moved the operand last */
		assert_string_equal(argv[optind], "/dev/md0");
	}
	/* self 0 passes everything through; an unknown option reads '?' */
	char b1[] = "--bogus", b2[] = "-A";
	char *bad[] = { a0, b1, b2, NULL };
	n = 0;
	cli_begin();
	while ((c = cli_getopt(3, bad, ":ARc:vqh", longopts, 0)) != -1 && n < 7)
		seen[n++] = (char)c;
	seen[n] = 0;
	assert_string_equal(seen, "?A");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_parse_as_mdadm_writes_them),
		cmocka_unit_test(array_push_keeps_every_element),
		cmocka_unit_test(write_all_writes_everything),
		cmocka_unit_test(md_kname_resolves_each_spelling),
		cmocka_unit_test(mdstat_header_names_only_array_lines),
		cmocka_unit_test(service_notify_sends_one_datagram),
		cmocka_unit_test(stderr_is_journal_compares_device_and_inode),
		cmocka_unit_test(option_loop_skips_the_mode_and_restarts),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
