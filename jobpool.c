// SPDX-License-Identifier: GPL-2.0-or-later
/* jobpool.c: a bounded pool of forked workers whose output and results come back in the order the jobs were given. */
#include "jobpool.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

void jobpool_init(struct jobpool *p, unsigned max, void (*on_done)(void *ctx, void *data, int result),
		  void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->max = max ? max : 1;
	p->real_out = p->real_err = -1;
	p->on_done = on_done;
	p->ctx = ctx;
}

bool jobpool_busy(const struct jobpool *p)
{
	return p->flushed < p->n;
}

/* Copy what fd holds (from its start) to dst, and close fd. */
static int copy_out(int *fd, int dst)
{
	char buf[8192];
	ssize_t r;
	int rc = 0;

	if (*fd < 0)
		return 0;
	if (lseek(*fd, 0, SEEK_SET) < 0)
		rc = -errno;
	while (!rc && (r = read(*fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno != EINTR)
				rc = -errno;
			continue;
		}
		rc = write_all(dst, buf, (size_t)r);
	}
	close(*fd);
	*fd = -1;
	return rc;
}

/* This process's stdout and stderr back to its own (what the slot holds stays there). */
static void end_capture(struct jobpool *p)
{
	if (!p->capturing)
		return;
	fflush(stdout);
	fflush(stderr);
	dup2(p->real_out, STDOUT_FILENO);
	dup2(p->real_err, STDERR_FILENO);
	p->capturing = false;
}

/* Print and report the finished slots at the head of the queue, in order. */
static int flush(struct jobpool *p)
{
	int rc = 0, r;

	while (p->flushed < p->n && p->s[p->flushed].done) {
		struct jobpool_slot *s = &p->s[p->flushed];

		fflush(stdout);
		r = copy_out(&s->out, p->real_out >= 0 ? p->real_out : STDOUT_FILENO);
		rc = rc ? rc : r;
		r = copy_out(&s->err, p->real_err >= 0 ? p->real_err : STDERR_FILENO);
		rc = rc ? rc : r;
		p->flushed++;
		if (p->on_done)
			p->on_done(p->ctx, s->data, s->result);
	}
	return rc;
}

/* Worker pid ended with result: its slot is done. */
static void finished(struct jobpool *p, pid_t pid, int result)
{
	for (size_t i = p->flushed; i < p->n; i++) {
		if (p->s[i].pid != pid || !pid)
			continue;
		p->s[i].pid = 0;
		p->s[i].done = true;
		p->s[i].result = result;
		p->running--;
		return;
	}
}

/*
 * Collect ended workers: at least one when block is set and any runs.  A
 * child that cannot be waited for (SIGCHLD ignored) counts as killed.
 */
static void reap(struct jobpool *p, bool block)
{
	while (p->running) {
		int st;
		pid_t pid = waitpid(-1, &st, block ? 0 : WNOHANG);

		if (pid == 0)
			return;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			for (size_t i = p->flushed; i < p->n; i++)
				if (p->s[i].pid)
					finished(p, p->s[i].pid, JOBPOOL_KILLED);
			return;
		}
		finished(p, pid, WIFEXITED(st) ? WEXITSTATUS(st) :
			 JOBPOOL_KILLED + (WIFSIGNALED(st) ? WTERMSIG(st) : 0));
		block = false;
	}
}

int jobpool_drain(struct jobpool *p)
{
	bool was = p->capturing;
	int rc;

	end_capture(p);
	while (p->running)
		reap(p, true);
	rc = flush(p);
	if (!was)
		return rc;
	/* the open slot goes on collecting what this process prints (both, or neither) */
	p->capturing = true;
	if (dup2(p->s[p->n - 1].out, STDOUT_FILENO) < 0 ||
	    dup2(p->s[p->n - 1].err, STDERR_FILENO) < 0)
		end_capture(p);
	return rc;
}

void jobpool_free(struct jobpool *p)
{
	jobpool_drain(p);
	for (size_t i = p->flushed; i < p->n; i++) {
		if (p->s[i].out >= 0)
			close(p->s[i].out);
		if (p->s[i].err >= 0)
			close(p->s[i].err);
	}
	if (p->real_out >= 0)
		close(p->real_out);
	if (p->real_err >= 0)
		close(p->real_err);
	free(p->s);
	memset(p, 0, sizeof(*p));
	p->real_out = p->real_err = -1;
}

/* Anonymous files for the slot, and this process's output into them; false when there are none. */
static bool start_capture(struct jobpool *p, struct jobpool_slot *s)
{
	if (p->real_out < 0) {
		p->real_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
		p->real_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (p->real_out < 0 || p->real_err < 0)
			return false;
	}
	s->out = memfd_create("mdctl-job-out", MFD_CLOEXEC);
	s->err = memfd_create("mdctl-job-err", MFD_CLOEXEC);
	if (s->out < 0 || s->err < 0) {
		if (s->out >= 0)
			close(s->out);
		if (s->err >= 0)
			close(s->err);
		s->out = s->err = -1;
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	if (dup2(s->out, STDOUT_FILENO) < 0 || dup2(s->err, STDERR_FILENO) < 0) {
		p->capturing = true;
		end_capture(p);
		close(s->out);
		close(s->err);
		s->out = s->err = -1;
		return false;
	}
	p->capturing = true;
	return true;
}

int jobpool_open(struct jobpool *p, void *data)
{
	struct jobpool_slot *s, *grown;
	int rc;

	end_capture(p);
	reap(p, false);
	rc = flush(p);
	grown = array_room(p->s, p->n, &p->cap, sizeof(*p->s));
	if (!grown)
		return -ENOMEM;
	p->s = grown;
	s = &p->s[p->n++];
	memset(s, 0, sizeof(*s));
	s->out = s->err = -1;
	s->data = data;
	/*
	 * Without files to hold its output the slot runs uncaptured, which
	 * keeps the order only once everything before it is out.
	 */
	if (p->max > 1 && !start_capture(p, s)) {
		p->n--;
		rc = jobpool_drain(p);
		p->n++;
	}
	return rc;
}

int jobpool_close(struct jobpool *p, int result)
{
	struct jobpool_slot *s;

	if (!p->n || p->s[p->n - 1].done || p->s[p->n - 1].pid)
		return -EINVAL;
	end_capture(p);
	s = &p->s[p->n - 1];
	s->done = true;
	s->result = result;
	return flush(p);
}

/* Run fn here: everything before the slot, and what the slot holds so far, are printed first. */
static int run_here(struct jobpool *p, int (*fn)(void *arg), void *arg)
{
	struct jobpool_slot *s;
	int rc, r;

	p->n--;
	rc = jobpool_drain(p);
	p->n++;
	s = &p->s[p->n - 1];
	fflush(stdout);
	r = copy_out(&s->out, p->real_out >= 0 ? p->real_out : STDOUT_FILENO);
	rc = rc ? rc : r;
	r = copy_out(&s->err, p->real_err >= 0 ? p->real_err : STDERR_FILENO);
	rc = rc ? rc : r;
	r = jobpool_close(p, fn(arg));
	return rc ? rc : r;
}

int jobpool_spawn(struct jobpool *p, int (*fn)(void *arg), void *arg)
{
	struct jobpool_slot *s;
	pid_t pid;

	if (!p->n || p->s[p->n - 1].done || p->s[p->n - 1].pid)
		return -EINVAL;
	end_capture(p);
	if (p->max <= 1 || p->s[p->n - 1].out < 0)
		return run_here(p, fn, arg);
	while (p->running >= p->max) {
		reap(p, true);
		flush(p);
	}
	fflush(stdout);
	fflush(stderr);
	s = &p->s[p->n - 1];
	pid = fork();
	if (pid < 0)
		return run_here(p, fn, arg);
	if (pid == 0) {
		int rc;

		if (dup2(s->out, STDOUT_FILENO) < 0 || dup2(s->err, STDERR_FILENO) < 0)
			_exit(1);
		rc = fn(arg);
		fflush(stdout);
		fflush(stderr);
		_exit(rc & 0xff);
	}
	s->pid = pid;
	p->running++;
	return 0;
}
