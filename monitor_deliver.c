// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_deliver.c: how a running monitor reports: stderr/syslog lines, the event log, PROGRAM and sendmail children with time limits. */
#include "blkdev.h"
#include "config.h"
#include "intent.h"
#include "manage_lib.h"
#include "monitor.h"
#include "monitor_run.h"
#include "super1.h"
#include "sysfs.h"
#include "safefile.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

int64_t mon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t mon_wall_ms(int64_t mono_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - (mon_now_ms() - mono_ms);
}

void mon_schedule(struct monitor *mon, int ms)
{
	int64_t t = mon_now_ms() + ms;

	if (!mon->deadline || t < mon->deadline)
		mon->deadline = t;
}

/* ---- messages: foreground on stderr, daemonised or --syslog to syslog ---- */

void mon_say(struct monitor *mon, int prio, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void mon_say(struct monitor *mon, int prio, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (mon->to_stderr && mon->journal)
		fprintf(stderr, "<%d>mdctl: %s\n", prio, buf);
	else if (mon->to_stderr)
		fprintf(stderr, "mdctl: %s\n", buf);
	if (mon->to_syslog)
		syslog(prio, "%s", buf);
}

/* ---- names ---- */

void mon_member_path(struct monitor *mon, const char *kname, char *buf, size_t len)
{
	if (!kname[0]) {
		buf[0] = 0;
		return;
	}
	blkdev_path_of_kname(mon->ctx->dev_root, mon->ctx->sysfs_root, kname, buf, len);
}

static void event_names(struct monitor *mon, const struct mon_event *e, struct mon_names *nm)
{
	memset(nm, 0, sizeof(*nm));
	snprintf(nm->array_path, sizeof(nm->array_path), "/dev/%s", e->array);
	mon_member_path(mon, e->member, nm->member_path, sizeof(nm->member_path));
	if (e->type == MEV_MOVE_SPARE && e->other[0])
		snprintf(nm->other_path, sizeof(nm->other_path), "/dev/%s", e->other);
	else
		mon_member_path(mon, e->other, nm->other_path, sizeof(nm->other_path));
	copy_str(nm->host, sizeof(nm->host), mon->host);
}

/* ---- children: PROGRAM and sendmail, never waited for in the loop ---- */

static void delivery_failed(struct monitor *mon, const char *array, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* an alert that did not go out is an event of its own, logged whatever -v says */
static void delivery_failed(struct monitor *mon, const char *array, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	mon_emit(mon, MEV_DELIVERY_FAILED, array, NULL, NULL, detail);
}

/*
 * The child through posix_spawn (a vfork, no copy of the monitor's page
 * tables for the kernel to make and then fault back, while the array the
 * monitor just acted on starts its rebuild): its own process group, so a
 * timeout reaches whatever it started; every signal unblocked and SIGPIPE
 * at its default; the event on standard input; nothing else mdctl or its
 * caller had open.  A program that cannot be run is known at once.
 */
static int spawn_child(pid_t *pid, int in, char *const argv[], char *const envp[])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	int rc;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	if (posix_spawn_file_actions_init(&fa))
		return ENOMEM;
	if (posix_spawnattr_init(&at)) {
		posix_spawn_file_actions_destroy(&fa);
		return ENOMEM;
	}
	rc = posix_spawn_file_actions_adddup2(&fa, in, 0);
	if (!rc)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!rc)
		rc = posix_spawnattr_setpgroup(&at, 0);
	if (!rc)
		rc = posix_spawnattr_setsigmask(&at, &none);
	if (!rc)
		rc = posix_spawnattr_setsigdefault(&at, &dfl);
	if (!rc)
		rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
						   POSIX_SPAWN_SETSIGDEF);
	if (!rc)
		rc = posix_spawn(pid, argv[0], &fa, &at, argv, envp);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static bool spawn(struct monitor *mon, const char *array, const char *what, char *const argv[],
		  char *const envp[], const char *input, bool program)
{
	struct mon_child *k;
	int p[2], rc;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		delivery_failed(mon, array, "%s: cannot make a pipe: %s", what, strerror(errno));
		return false;
	}
	rc = spawn_child(&pid, p[0], argv, envp);
	if (rc) {
		delivery_failed(mon, array, "%s could not be run: %s", what, strerror(rc));
		close(p[0]);
		close(p[1]);
		return false;
	}
	close(p[0]);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	if (input) {
		/* small (one event): fits the pipe buffer, never blocks */
		ssize_t n = write(p[1], input, strlen(input));

		(void)n;
	}
	close(p[1]);
	k = realloc(mon->kids, (mon->nkids + 1) * sizeof(*k));
	if (!k) {
		/* cannot track it: reaped by the SIGCHLD loop anyway (the queue moves on now) */
		return false;
	}
	mon->kids = k;
	k = &mon->kids[mon->nkids++];
	k->pid = pid;
	k->stage = 0;
	k->program = program;
	k->deadline = mon_now_ms() + (int64_t)mon->o.program_timeout * 1000;
	copy_str(k->what, sizeof(k->what), what);
	copy_str(k->array, sizeof(k->array), array);
	return true;
}

/*
 * PROGRAM runs one at a time, in event order: a later event's program
 * never finishes before an earlier one's, and a hung one holds the queue
 * only until its timeout kills it.
 */
void mon_program_next(struct monitor *mon)
{
	const char *program = mon->o.program ? mon->o.program : mon->cfg.program;

	while (!mon->prog_running && mon->progq_head < mon->progq.n) {
		const struct mon_event *e = &mon->progq.v[mon->progq_head++];
		struct mon_exec *x = malloc(sizeof(*x));
		struct mon_names nm;
		char *json, *in = NULL;

		event_names(mon, e, &nm);
		json = mon_event_json(e, &nm);
		if (json && asprintf(&in, "%s\n", json) < 0)
			in = NULL;
		if (x && program && program[0] && mon_build_exec(program, e, &nm, x) == 0)
			mon->prog_running = spawn(mon, e->array, program, x->argv, x->envp, in, true);
		free(in);
		free(json);
		free(x);
	}
	if (mon->progq_head >= mon->progq.n) {
		mon_events_free(&mon->progq);
		mon->progq_head = 0;
	}
}

void mon_reap(struct monitor *mon)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (size_t i = 0; i < mon->nkids; i++) {
			struct mon_child k = mon->kids[i];

			if (k.pid != pid)
				continue;
			if (k.program)
				mon->prog_running = false;
			mon->kids[i] = mon->kids[--mon->nkids];
			/* stage > 0: stopped for its timeout, already said */
			if (k.stage || (WIFEXITED(st) && WEXITSTATUS(st) == 0))
				break;
			if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
				delivery_failed(mon, k.array, "%s could not be run (exit status 127)", k.what);
			else if (WIFEXITED(st))
				delivery_failed(mon, k.array, "%s exited with status %d", k.what,
						WEXITSTATUS(st));
			else
				delivery_failed(mon, k.array, "%s killed by signal %d", k.what,
						WTERMSIG(st));
			break;
		}
	}
}

void mon_kill_overdue(struct monitor *mon)
{
	int64_t t = mon_now_ms();

	for (size_t i = 0; i < mon->nkids; i++) {
		struct mon_child *k = &mon->kids[i];

		if (t < k->deadline || k->stage >= 2)
			continue;
		if (k->stage == 0)
			mon_say(mon, LOG_WARNING, "%s: still running after %d s, stopping it", k->what,
			    mon->o.program_timeout);
		kill(-k->pid, k->stage == 0 ? SIGTERM : SIGKILL);
		kill(k->pid, k->stage == 0 ? SIGTERM : SIGKILL);
		k->stage++;
		k->deadline = t + KILL_GRACE_MS;
	}
}

/* ---- delivery ---- */

static void deliver_now(struct monitor *mon, const struct mon_event *e)
{
	struct mon_names nm;
	char line[1200], *json;
	const char *program = mon->o.program ? mon->o.program : mon->cfg.program;
	const char *mail = mon->o.mail ? mon->o.mail : mon->cfg.mailaddr;

	event_names(mon, e, &nm);
	mon_event_line(e, &nm, line, sizeof(line));
	mon_say(mon, mon_event_priority(e->type), "%s", line);
	json = mon_event_json(e, &nm);
	if (json && mon->cfg.event_log[0]) {
		/* never through a symlink, never into a FIFO that would block the daemon */
		int fd = safe_open_file(mon->cfg.event_log, O_WRONLY | O_APPEND | O_CREAT, 0640);

		if (fd >= 0) {
			char *l = NULL;

			if (asprintf(&l, "%s\n", json) > 0) {
				ssize_t n = write(fd, l, strlen(l));

				(void)n;
			}
			free(l);
			close(fd);
		} else {
			mon_say(mon, LOG_ERR, "%s: cannot open the event log: %s", mon->cfg.event_log,
			    safe_strerror(fd));
		}
	}
	/* a failed delivery is not sent through the channels that just failed */
	if (mon->o.dry_run || e->type == MEV_DELIVERY_FAILED) {
		free(json);
		return;
	}
	if (program && program[0] && mon_events_push(&mon->progq, e) == 0)
		mon_program_next(mon);
	if (mail && mail[0] && mon_event_mails(e->type)) {
		char *msg = mon_mail_text(e, &nm, mail, mon->cfg.mailfrom);
		char *argv[] = { (char *)"/usr/sbin/sendmail", (char *)"-t", NULL };
		char *envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

		if (msg)
			spawn(mon, e->array, "/usr/sbin/sendmail", argv, envp, msg, false);
		free(msg);
	}
	free(json);
}

/*
 * Events are numbered in the order they are delivered, which is causal: a
 * pass derives the kernel's changes first and its actions (MoveSpare) after
 * them, and reports them in that order once the actions are done.
 */
void mon_deliver(struct monitor *mon, const struct mon_event *e)
{
	struct mon_event n = *e;

	n.seq = ++mon->seq;
	if (!n.changed_ms)
		n.changed_ms = mon_wall_ms(mon_now_ms());
	/* during a pass, reporting (a fork for PROGRAM or mail) waits until the actions are done */
	if (mon->defer && mon_events_push(&mon->pending, &n) == 0)
		return;
	deliver_now(mon, &n);
}

/**
 * mon_flush_deferred() - deliver the events kept during a pass, in order.
 * @mon: the running monitor
 */
void mon_flush_deferred(struct monitor *mon)
{
	mon->defer = false;
	for (size_t i = 0; i < mon->pending.n; i++)
		deliver_now(mon, &mon->pending.v[i]);
	mon_events_free(&mon->pending);
}

void mon_emit(struct monitor *mon, enum mon_ev t, const char *array, const char *member,
		       const char *other, const char *detail)
{
	struct mon_event e;

	memset(&e, 0, sizeof(e));
	e.type = t;
	e.percent = -1;
	e.time = time(NULL);
	copy_str(e.array, sizeof(e.array), array);
	copy_str(e.member, sizeof(e.member), member ? member : "");
	copy_str(e.other, sizeof(e.other), other ? other : "");
	copy_str(e.detail, sizeof(e.detail), detail ? detail : "");
	mon_deliver(mon, &e);
}

struct mon_tracked *mon_find_tracked(struct monitor *mon, const char *kname)
{
	for (size_t i = 0; i < mon->narr; i++)
		if (!strcmp(mon->arr[i].kname, kname))
			return &mon->arr[i];
	return NULL;
}

void mon_handle_signals(struct monitor *mon)
{
	struct signalfd_siginfo si;

	while (read(mon->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			mon->stop = true;
			break;
		case SIGHUP:
			mon->reload = true;
			break;
		case SIGCHLD:
			mon_reap(mon);
			mon_program_next(mon);
			break;
		}
	}
}

void mon_wait_children(struct monitor *mon)
{
	/* --oneshot: the programs started (and queued) get their time, no more */
	while (mon->nkids || mon->prog_running || mon->progq_head < mon->progq.n) {
		int64_t t = mon_now_ms(), next = INT64_MAX;
		struct pollfd p = { .fd = mon->sig_fd, .events = POLLIN };

		mon_program_next(mon);
		if (!mon->nkids) {
			mon->prog_running = false; /* an untracked run: nothing to wait for */
			continue;
		}

		for (size_t i = 0; i < mon->nkids; i++)
			if (mon->kids[i].deadline < next)
				next = mon->kids[i].deadline;
		if (poll(&p, 1, next > t ? (int)(next - t) : 0) > 0)
			mon_handle_signals(mon);
		mon_kill_overdue(mon);
		mon_reap(mon);
	}
}

