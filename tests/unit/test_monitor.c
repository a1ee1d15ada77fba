// SPDX-License-Identifier: GPL-2.0-or-later
/* test_monitor.c: `mdctl --monitor` as a service manager sees it: a main loop that fails ends the daemon with exit 1 (needs $MDCTL). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/mdctl-mon-XXXXXX";

static void at(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

/* Read the child's stderr into buf (appending) until want appears or it closes. */
static bool read_until(int fd, char *buf, size_t len, const char *want)
{
	size_t used = strlen(buf);

	while (!strstr(buf, want) && used + 1 < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		/* a guard against a hang, not a timing assertion */
		if (poll(&p, 1, 120000) <= 0)
			return false;
		n = read(fd, buf + used, len - 1 - used);
		if (n <= 0)
			return false;
		used += (size_t)n;
		buf[used] = '\0';
	}
	return strstr(buf, want) != NULL;
}

/*
 * The running monitor's event source breaks: its descriptor limit is
 * lowered under it (prlimit), so the next poll() of its loop fails with
 * EINVAL.  It must say so and exit 1, so that Restart=on-failure restarts it.
 */
static void failed_main_loop_exits_1(void **state)
{
	const char *mdctl = getenv("MDCTL");
	char sys[PATH_MAX], run[PATH_MAX], st[PATH_MAX], conf[PATH_MAX], err[8192] = "";
	struct rlimit one = { 1, 1 };
	int pipefd[2], status;
	pid_t pid;
	FILE *f;

	(void)state;
	if (!mdctl)
		skip();
	at("sys", sys, sizeof(sys));
	at("run", run, sizeof(run));
	at("state", st, sizeof(st));
	at("mdctl.conf", conf, sizeof(conf));
	assert_int_equal(mkdir(sys, 0755), 0);
	assert_int_equal(mkdir(run, 0700), 0);
	assert_int_equal(mkdir(st, 0700), 0);
	f = fopen(conf, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		setenv("MDCTL_SYSFS_ROOT", sys, 1);
		setenv("MDCTL_PROC_ROOT", sys, 1);
		setenv("MDCTL_DEV_ROOT", sys, 1);
		setenv("MDCTL_RUN_DIR", run, 1);
		setenv("MDCTL_STATE_DIR", st, 1);
		execl(mdctl, mdctl, "--monitor", "--scan", "-v", "--config", conf, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	/* its last word before the loop */
	assert_true(read_until(pipefd[0], err, sizeof(err), "waiting for one"));
	assert_int_equal(prlimit(pid, RLIMIT_NOFILE, &one, NULL), 0);
	/* wake it: the signal is read, then the loop polls again and fails */
	assert_int_equal(kill(pid, SIGHUP), 0);
	read_until(pipefd[0], err, sizeof(err), "\n\n");   /* to EOF */
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_non_null(strstr(err, "monitor loop failed: Invalid argument"));
	assert_non_null(strstr(err, "monitor stopping after a failure"));
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[sizeof(dir) + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failed_main_loop_exits_1),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
