// SPDX-License-Identifier: GPL-2.0-or-later
/* test_safefile.c: symlinks, FIFOs and loose modes refused for mdctl's own files (library and, with $MDCTL, the commands). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "intent.h"
#include "safefile.h"

static char dir[] = "/tmp/mdctl-safe-XXXXXX";
static const char *mdctl;

static int setup(void **state)
{
	(void)state;
	mdctl = getenv("MDCTL");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *at(const char *name)
{
	static char path[8][256];
	static int k;

	k = (k + 1) % 8;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* run "$MDCTL args" with env; exit status, stderr in err */
static int run(const char *env, const char *args, char *err, size_t len)
{
	char cmd[1024];
	int st;
	FILE *f;
	size_t n;

	snprintf(cmd, sizeof(cmd), "env %s '%s' %s </dev/null >%s 2>%s", env, mdctl, args,
		 at("stdout"), at("stderr"));
	st = system(cmd);
	assert_true(WIFEXITED(st));
	f = fopen(at("stderr"), "r");
	assert_non_null(f);
	n = fread(err, 1, len - 1, f);
	err[n] = '\0';
	fclose(f);
	return WEXITSTATUS(st);
}

static void assert_one_line(const char *err, const char *needle)
{
	if (strncmp(err, "mdctl: ", 7) || !strstr(err, needle) || strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("want one line with \"%s\", got \"%s\"", needle, err);
}

static void dirs_refused_when_symlinked_or_loose(void **state)
{
	(void)state;
	assert_int_equal(safe_dir(at("new/run")), 0);
	{
		struct stat st;

		assert_int_equal(stat(at("new/run"), &st), 0);
		assert_int_equal(st.st_mode & 0777, SAFE_DIR_MODE);
	}
	assert_int_equal(mkdir(at("target"), 0700), 0);
	assert_int_equal(symlink(at("target"), at("link")), 0);
	assert_int_equal(safe_dir(at("link")), -ELOOP);
	assert_int_equal(mkdir(at("loose"), 0700), 0);
	assert_int_equal(chmod(at("loose"), 0777), 0);
	assert_int_equal(safe_dir(at("loose")), -EPERM);
	assert_int_equal(chmod(at("loose"), 0755), 0);
	assert_int_equal(safe_dir(at("loose")), 0);
	put(at("plain"), "x");
	assert_int_equal(safe_dir(at("plain")), -ENOTDIR);
}

static void files_refused_when_symlinked_or_fifo(void **state)
{
	int fd;

	(void)state;
	put(at("victim"), "precious\n");
	assert_int_equal(symlink(at("victim"), at("log-link")), 0);
	assert_int_equal(safe_open_file(at("log-link"), O_WRONLY | O_APPEND | O_CREAT, 0640), -ELOOP);
	assert_string_equal(slurp(at("victim")), "precious\n");
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	/* returns at once (no reader would ever come) */
	assert_int_equal(safe_open_file(at("fifo"), O_RDONLY, 0), -EINVAL);
	fd = safe_open_file(at("victim"), O_RDONLY, 0);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
	/* devices: a FIFO is refused before any open, a file or block device is not */
	assert_int_equal(safe_open_device(at("fifo"), O_RDONLY), -ENOTBLK);
	assert_int_equal(safe_open_device("/dev/null", O_RDONLY), -ENOTBLK);
	fd = safe_open_device(at("victim"), O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
}

static void pidfile_is_exclusive_and_never_follows(void **state)
{
	pid_t holder = 0, child;
	char buf[32];

	(void)state;
	assert_int_equal(safe_pidfile("relative.pid", &holder), -EINVAL);
	/* a symlink planted where the pid file goes: its target stays as it was */
	put(at("important"), "do not truncate\n");
	assert_int_equal(symlink(at("important"), at("p-link.pid")), 0);
	assert_int_equal(safe_pidfile(at("p-link.pid"), &holder), -ELOOP);
	assert_string_equal(slurp(at("important")), "do not truncate\n");
	/* fresh: our pid */
	assert_int_equal(safe_pidfile(at("m.pid"), &holder), 0);
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	assert_string_equal(slurp(at("m.pid")), buf);
	/* held by a live process (us): refused, named */
	assert_int_equal(safe_pidfile(at("m.pid"), &holder), -EEXIST);
	assert_int_equal(holder, getpid());
	/* stale: the process is gone, the file is taken over */
	child = fork();
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	snprintf(buf, sizeof(buf), "%d\n", (int)child);
	put(at("m.pid"), buf);
	assert_int_equal(safe_pidfile(at("m.pid"), &holder), 0);
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	assert_string_equal(slurp(at("m.pid")), buf);
	assert_int_equal(safe_pidfile_update(at("m.pid")), 0);
}

static void intents_refuse_symlinked_dir_and_fifo_file(void **state)
{
	struct replace_intent *list = NULL, in;
	size_t n = 0;

	(void)state;
	memset(&in, 0, sizeof(in));
	memset(in.array_uuid, 1, 16);
	assert_int_equal(mkdir(at("state-target"), 0700), 0);
	assert_int_equal(symlink(at("state-target"), at("state-link")), 0);
	assert_int_equal(intent_add(at("state-link"), &in), -ELOOP);
	assert_int_equal(intent_load(at("state-link"), &list, &n), -ELOOP);
	assert_int_equal(access(at("state-target/replacements.json"), F_OK), -1);
	assert_int_equal(mkdir(at("state-fifo"), 0700), 0);
	assert_int_equal(mkfifo(at("state-fifo/replacements.json"), 0600), 0);
	/* returns (no hang) with an error */
	assert_int_equal(intent_load(at("state-fifo"), &list, &n), -EINVAL);
}

/* the commands: one line, non-zero exit, the target untouched */
static void commands_refuse_planted_paths(void **state)
{
	char err[2048], args[1024], env[512];

	(void)state;
	if (!mdctl)
		skip();
	assert_int_equal(mkdir(at("run"), 0700), 0);
	put(at("precious"), "precious\n");
	assert_int_equal(symlink(at("precious"), at("evil.pid")), 0);
	snprintf(env, sizeof(env), "MDCTL_RUN_DIR=%s MDCTL_STATE_DIR=%s", at("run"), at("st"));
	put(at("empty.conf"), "");
	snprintf(args, sizeof(args), "--monitor --scan --daemonise --pid-file %s --config %s",
		 at("evil.pid"), at("empty.conf"));
	assert_int_equal(run(env, args, err, sizeof(err)), 1);
	assert_one_line(err, "is a symbolic link");
	assert_string_equal(slurp(at("precious")), "precious\n");
	snprintf(args, sizeof(args), "--monitor --scan --daemonise --pid-file rel.pid --config %s",
		 at("empty.conf"));
	assert_int_equal(run(env, args, err, sizeof(err)), 2);
	assert_one_line(err, "not an absolute path");

	/* EVENTLOG through a symlink */
	assert_int_equal(symlink(at("precious"), at("events.link")), 0);
	snprintf(args, sizeof(args), "EVENTLOG %s\n", at("events.link"));
	put(at("ev.conf"), args);
	snprintf(args, sizeof(args), "--monitor --scan --oneshot --config %s", at("ev.conf"));
	assert_int_equal(run(env, args, err, sizeof(err)), 1);
	assert_one_line(err, "is a symbolic link");
	assert_string_equal(slurp(at("precious")), "precious\n");

	/* a symlinked state directory */
	assert_int_equal(mkdir(at("st-target"), 0700), 0);
	assert_int_equal(symlink(at("st-target"), at("st")), 0);
	assert_int_equal(run(env, "--monitor --scan --oneshot --config none", err, sizeof(err)), 1);
	assert_one_line(err, "is a symbolic link");

	/* --examine of a FIFO: refused at once, nothing read */
	assert_int_equal(mkfifo(at("ex.fifo"), 0600), 0);
	snprintf(args, sizeof(args), "--examine %s", at("ex.fifo"));
	assert_int_equal(run(env, args, err, sizeof(err)), 1);
	assert_one_line(err, "not a block device or regular file");

	/* --incremental without its lock (a symlinked run directory) does nothing */
	assert_int_equal(symlink(at("run"), at("run-link")), 0);
	snprintf(env, sizeof(env), "MDCTL_RUN_DIR=%s", at("run-link"));
	assert_int_equal(run(env, "--incremental --run --scan", err, sizeof(err)), 1);
	assert_one_line(err, "cannot take the incremental lock");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dirs_refused_when_symlinked_or_loose),
		cmocka_unit_test(files_refused_when_symlinked_or_fifo),
		cmocka_unit_test(pidfile_is_exclusive_and_never_follows),
		cmocka_unit_test(intents_refuse_symlinked_dir_and_fifo_file),
		cmocka_unit_test(commands_refuse_planted_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
