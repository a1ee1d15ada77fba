// SPDX-License-Identifier: GPL-2.0-or-later
/* test_jobpool.c: jobpool.c's workers give their output and results back in the order the jobs were given. */
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
#include <unistd.h>

#include "jobpool.h"

/*
 * A fake plan of NJOBS arrays, none real: job k prints a line while it is
 * planned (here), then every third is finished here with result 100 + k,
 * the others by a worker that waits longer the earlier it comes (so the
 * workers end in reverse order), prints on stdout and stderr and returns
 * k % 3.  on_done() prints a line itself and records the result.
 */
#define NJOBS 10

static pid_t test_pid;

struct record {
	int result[NJOBS];
	int order[NJOBS];
	int n;
};

static void on_done(void *ctx, void *data, int result)
{
	struct record *r = ctx;
	int k = (int)(intptr_t)data;

	fprintf(stderr, "%d: reported %d\n", k, result);
	r->order[r->n] = k;
	r->result[r->n++] = result;
}

static int worker(void *arg)
{
	int k = (int)(intptr_t)arg;

	usleep((useconds_t)(NJOBS - k) * 20000);
	printf("%d: out\n", k);
	fprintf(stderr, "%d: err\n", k);
	fflush(stdout);
	if (k == 7 && getpid() != test_pid)
		kill(getpid(), SIGKILL); /* a worker that dies: only its own slot fails */
	return k % 3;
}

/* Run the fake plan with max workers; out and err get what was printed on stdout, stderr. */
static void run_plan(unsigned max, struct record *r, char *out, char *err, size_t len)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	int so = dup(STDOUT_FILENO), se = dup(STDERR_FILENO);
	struct jobpool p;
	size_t got;

	assert_non_null(fo);
	assert_non_null(fe);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(fo), STDOUT_FILENO);
	dup2(fileno(fe), STDERR_FILENO);
	memset(r, 0, sizeof(*r));
	jobpool_init(&p, max, on_done, r);
	for (int k = 0; k < NJOBS; k++) {
		if (jobpool_open(&p, (void *)(intptr_t)k))
			break;
		fprintf(stderr, "%d: planned\n", k);
		if (k == 4) {
			/* waiting for the others inside a slot keeps what it prints in it */
			jobpool_drain(&p);
			fprintf(stderr, "%d: after the wait\n", k);
		}
		if (k % 3 == 0)
			jobpool_close(&p, 100 + k);
		else
			jobpool_spawn(&p, worker, (void *)(intptr_t)k);
	}
	jobpool_free(&p);
	fflush(stdout);
	fflush(stderr);
	dup2(so, STDOUT_FILENO);
	dup2(se, STDERR_FILENO);
	close(so);
	close(se);
	rewind(fo);
	got = fread(out, 1, len - 1, fo);
	out[got] = '\0';
	rewind(fe);
	got = fread(err, 1, len - 1, fe);
	err[got] = '\0';
	fclose(fo);
	fclose(fe);
}

/* A job's result: its own, or the kill of job 7's worker (run here with max 1, it is not killed). */
static int expected_result(int k, unsigned max)
{
	if (k % 3 == 0)
		return 100 + k;
	return k == 7 && max > 1 ? JOBPOOL_KILLED + SIGKILL : k % 3;
}

static void expected(unsigned max, char *out, char *err, size_t len)
{
	size_t uo = 0, ue = 0;

	for (int k = 0; k < NJOBS; k++) {
		int result = expected_result(k, max);

		/* one after the other: the lines of each job in turn, its report right after them */
		ue += (size_t)snprintf(err + ue, len - ue, "%d: planned\n", k);
		if (k == 4)
			ue += (size_t)snprintf(err + ue, len - ue, "%d: after the wait\n", k);
		if (k % 3) {
			uo += (size_t)snprintf(out + uo, len - uo, "%d: out\n", k);
			ue += (size_t)snprintf(err + ue, len - ue, "%d: err\n", k);
		}
		ue += (size_t)snprintf(err + ue, len - ue, "%d: reported %d\n", k, result);
	}
}

static void check_plan(unsigned max)
{
	char out[4096], err[4096], wout[4096], werr[4096];
	struct record r;

	test_pid = getpid();
	run_plan(max, &r, out, err, sizeof(out));
	expected(max, wout, werr, sizeof(wout));
	assert_string_equal(out, wout);
	assert_string_equal(err, werr);
	assert_int_equal(r.n, NJOBS);
	for (int k = 0; k < NJOBS; k++) {
		assert_int_equal(r.order[k], k);
		assert_int_equal(r.result[k], expected_result(k, max));
	}
}

static void workers_report_in_plan_order(void **state)
{
	(void)state;
	check_plan(4);
}

static void more_workers_than_jobs_report_in_plan_order(void **state)
{
	(void)state;
	check_plan(16);
}

static void one_worker_runs_each_job_here_in_turn(void **state)
{
	(void)state;
	check_plan(1);
}

/* A slot cannot be finished twice, nor a slot that was never opened. */
static void close_and_spawn_need_an_open_slot(void **state)
{
	struct jobpool p;
	struct record r;

	(void)state;
	memset(&r, 0, sizeof(r));
	jobpool_init(&p, 1, on_done, &r);
	assert_int_equal(jobpool_close(&p, 0), -EINVAL);
	assert_int_equal(jobpool_spawn(&p, worker, NULL), -EINVAL);
	assert_false(jobpool_busy(&p));
	assert_int_equal(jobpool_open(&p, (void *)(intptr_t)0), 0);
	assert_true(jobpool_busy(&p));
	fflush(stderr);
	{
		int se = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);

		dup2(null, STDERR_FILENO);
		assert_int_equal(jobpool_close(&p, 5), 0);
		dup2(se, STDERR_FILENO);
		close(se);
		close(null);
	}
	assert_int_equal(jobpool_close(&p, 6), -EINVAL);
	assert_false(jobpool_busy(&p));
	jobpool_free(&p);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.result[0], 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(workers_report_in_plan_order),
		cmocka_unit_test(more_workers_than_jobs_report_in_plan_order),
		cmocka_unit_test(one_worker_runs_each_job_here_in_turn),
		cmocka_unit_test(close_and_spawn_need_an_open_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
