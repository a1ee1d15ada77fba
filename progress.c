// SPDX-License-Identifier: GPL-2.0-or-later
/* progress.c: waits for an array's resync/recovery/replacement and shows how far it is. */
#include "progress.h"
#include "mdarray.h"
#include "sysfs.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Array attributes the kernel notifies when a sync starts, advances or ends. */
static const char *const watched_attrs[] = {
	"sync_completed", "sync_action", "degraded", "array_state",
};
#define N_ARRAY_WATCH (sizeof(watched_attrs) / sizeof(watched_attrs[0]))
/* Members whose state files we also watch (a replacement finishing wakes them). */
#define MAX_MEMBER_WATCH 64

void progress_rate_init(struct progress_rate *r)
{
	memset(r, 0, sizeof(*r));
}

void progress_rate_add(struct progress_rate *r, double t, uint64_t done)
{
	unsigned last;

	if (r->n) {
		last = (r->head + PROGRESS_RATE_SAMPLES - 1) % PROGRESS_RATE_SAMPLES;
		/* A sync that restarted (done went backwards) makes old samples lie. */
		if (done < r->done[last])
			r->n = 0;
		else if (t <= r->t[last])
			return;
	}
	r->t[r->head] = t;
	r->done[r->head] = done;
	r->head = (r->head + 1) % PROGRESS_RATE_SAMPLES;
	if (r->n < PROGRESS_RATE_SAMPLES)
		r->n++;
}

double progress_rate_kibps(const struct progress_rate *r)
{
	unsigned first, last;
	double dt;

	if (r->n < 2)
		return -1;
	last = (r->head + PROGRESS_RATE_SAMPLES - 1) % PROGRESS_RATE_SAMPLES;
	first = (r->head + PROGRESS_RATE_SAMPLES - r->n) % PROGRESS_RATE_SAMPLES;
	dt = r->t[last] - r->t[first];
	if (dt <= 0)
		return -1;
	/* done counts 512-byte sectors */
	return (double)(r->done[last] - r->done[first]) / 2.0 / dt;
}

void progress_fmt_duration(long sec, char *buf, size_t len)
{
	if (sec < 0) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%ld:%02ld:%02ld", sec / 3600, (sec / 60) % 60, sec % 60);
}

void progress_fmt_speed(double kibps, char *buf, size_t len)
{
	if (kibps < 0)
		snprintf(buf, len, "?");
	else if (kibps >= 1024.0 * 1024.0)
		snprintf(buf, len, "%.1f GiB/s", kibps / (1024.0 * 1024.0));
	else if (kibps >= 1024.0)
		snprintf(buf, len, "%.1f MiB/s", kibps / 1024.0);
	else
		snprintf(buf, len, "%.0f KiB/s", kibps);
}

long progress_eta(uint64_t done, uint64_t total, double kibps)
{
	if (kibps <= 0 || done > total)
		return -1;
	return (long)((double)(total - done) / 2.0 / kibps + 0.5);
}

void progress_fmt_status(double pct, double kibps, long eta, char *buf, size_t len)
{
	char sp[32], et[32];

	progress_fmt_speed(kibps, sp, sizeof(sp));
	progress_fmt_duration(eta, et, sizeof(et));
	/* whole percent, as mdadm prints its Rebuild Status */
	snprintf(buf, len, "%d%% complete, %s, ETA %s", (int)pct, sp, et);
}

void progress_fmt_bar(const char *label, double pct, double kibps, long eta, int width,
		      char *buf, size_t len)
{
	char bar[128], sp[32], et[32];
	int fill, i;

	if (width < 3)
		width = 3;
	if (width > (int)sizeof(bar) - 1)
		width = (int)sizeof(bar) - 1;
	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	fill = (int)(pct / 100.0 * width);
	for (i = 0; i < width; i++)
		bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
	if (fill >= width)
		bar[width - 1] = '=';
	bar[width] = '\0';
	progress_fmt_speed(kibps, sp, sizeof(sp));
	progress_fmt_duration(eta, et, sizeof(et));
	snprintf(buf, len, "%s [%s] %5.1f%% %s ETA %s", label, bar, pct, sp, et);
}

int progress_sync_pending(const struct md_array *a, void *arg)
{
	(void)arg;
	if (a->sync_done != SYSFS_NONE)
		return 1;
	if (a->sync_action[0] && strcmp(a->sync_action, "idle") && strcmp(a->sync_action, "frozen"))
		return 1;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct watch {
	char kname[32];
	int fd;
};

struct waiter {
	const char *root;
	const char *md;
	int array_fd[N_ARRAY_WATCH];
	struct watch member[MAX_MEMBER_WATCH];
	unsigned nmember;
};

static void watch_close_all(struct waiter *w)
{
	for (unsigned i = 0; i < N_ARRAY_WATCH; i++)
		if (w->array_fd[i] >= 0)
			close(w->array_fd[i]);
	for (unsigned i = 0; i < w->nmember; i++)
		close(w->member[i].fd);
	w->nmember = 0;
}

static void watch_open_array(struct waiter *w)
{
	char rel[PATH_MAX];

	for (unsigned i = 0; i < N_ARRAY_WATCH; i++) {
		snprintf(rel, sizeof(rel), "block/%s/md/%s", w->md, watched_attrs[i]);
		/* Absent attributes (raid0 has no sync_action) are simply not watched. */
		w->array_fd[i] = sysfs_watch_open(w->root, rel);
		if (w->array_fd[i] < 0)
			w->array_fd[i] = -1;
	}
}

/*
 * Keep one watch per current member's state file.  A removed member's
 * attribute returns POLLERR on every poll forever, so its fd must be
 * closed as soon as a snapshot no longer lists it.
 */
static void watch_sync_members(struct waiter *w, const struct md_array *a)
{
	char rel[PATH_MAX];
	unsigned i = 0;

	while (i < w->nmember) {
		bool present = false;

		for (unsigned m = 0; m < a->nmembers; m++)
			if (!strcmp(a->members[m].kname, w->member[i].kname))
				present = true;
		if (present) {
			i++;
			continue;
		}
		close(w->member[i].fd);
		w->member[i] = w->member[--w->nmember];
	}
	for (unsigned m = 0; m < a->nmembers && w->nmember < MAX_MEMBER_WATCH; m++) {
		bool have = false;
		int fd;

		for (i = 0; i < w->nmember; i++)
			if (!strcmp(a->members[m].kname, w->member[i].kname))
				have = true;
		if (have)
			continue;
		snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/state", w->md, a->members[m].kname);
		fd = sysfs_watch_open(w->root, rel);
		if (fd < 0)
			continue;
		snprintf(w->member[w->nmember].kname, sizeof(w->member[0].kname), "%s",
			 a->members[m].kname);
		w->member[w->nmember].fd = fd;
		w->nmember++;
	}
}

/* Wait until a watched attribute changes or timeout_ms passes; re-arm what fired. */
static int watch_wait(struct waiter *w, int timeout_ms)
{
	struct pollfd pfd[N_ARRAY_WATCH + MAX_MEMBER_WATCH];
	char buf[256];
	nfds_t n = 0;
	int rc;

	for (unsigned i = 0; i < N_ARRAY_WATCH; i++)
		if (w->array_fd[i] >= 0)
			pfd[n++] = (struct pollfd){ .fd = w->array_fd[i], .events = POLLPRI | POLLERR };
	for (unsigned i = 0; i < w->nmember; i++)
		pfd[n++] = (struct pollfd){ .fd = w->member[i].fd, .events = POLLPRI | POLLERR };
	rc = poll(pfd, n, timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	for (nfds_t i = 0; i < n; i++)
		if (pfd[i].revents)
			(void)sysfs_watch_read(pfd[i].fd, buf, sizeof(buf));
	return rc;
}

/* The kind of work the kernel is doing, for the display. */
static const char *sync_word(const struct md_array *a)
{
	enum md_sync k = md_sync_kind(a);

	return k == MDS_NONE ? (a->sync_action[0] ? a->sync_action : "sync") : md_sync_word(k);
}

struct display {
	FILE *out;
	bool tty;
	bool drawn;          /* a bar is on the current line */
	int last_decile;     /* plain mode: last 10% step printed */
	char last_word[16];
};

static void display_update(struct display *d, const char *label, const struct md_array *a,
			   const struct progress_rate *r)
{
	char line[256], status[128];
	const char *word = sync_word(a);
	double pct = -1, kibps;
	long eta = -1;

	if (a->sync_done != SYSFS_NONE && a->sync_total && a->sync_total != SYSFS_NONE)
		pct = 100.0 * (double)a->sync_done / (double)a->sync_total;
	kibps = progress_rate_kibps(r);
	if (kibps < 0 && a->sync_speed != SYSFS_NONE)
		kibps = (double)a->sync_speed;
	if (pct >= 0)
		eta = progress_eta(a->sync_done, a->sync_total, kibps);

	if (d->tty) {
		char lab[96];

		snprintf(lab, sizeof(lab), "%s %s", label, word);
		if (pct < 0)
			snprintf(line, sizeof(line), "%s: waiting to start", lab);
		else
			progress_fmt_bar(lab, pct, kibps, eta, 30, line, sizeof(line));
		fprintf(d->out, "\r%s\033[K", line);
		fflush(d->out);
		d->drawn = true;
		return;
	}
	/* Plain output: one line when the work changes and every 10%. */
	if (strcmp(d->last_word, word)) {
		snprintf(d->last_word, sizeof(d->last_word), "%s", word);
		d->last_decile = -1;
	}
	if (pct < 0)
		return;
	if ((int)(pct / 10) <= d->last_decile)
		return;
	d->last_decile = (int)(pct / 10);
	progress_fmt_status(pct, kibps, eta, status, sizeof(status));
	fprintf(d->out, "%s: %s %s\n", label, word, status);
	fflush(d->out);
}

static void display_end(struct display *d, const char *label, int rc)
{
	if (d->tty && d->drawn)
		fputc('\n', d->out);
	if (rc == 0)
		fprintf(d->out, "%s: done\n", label);
	fflush(d->out);
}

int progress_wait(const char *root, const char *md, const char *label,
		  progress_pending_fn pending, void *arg, FILE *out)
{
	struct waiter w = { .root = root, .md = md };
	struct display d = { .out = out, .tty = out && isatty(fileno(out)), .last_decile = -1 };
	struct progress_rate rate;
	double next_tick = 0;
	int rc;

	if (!pending)
		pending = progress_sync_pending;
	if (!label)
		label = md;
	progress_rate_init(&rate);
	watch_open_array(&w);
	for (;;) {
		struct md_array a;
		double t;
		int timeout;

		rc = md_array_read(root, md, &a);
		if (rc < 0)
			break;
		rc = pending(&a, arg);
		if (rc <= 0) {
			md_array_free(&a);
			break;
		}
		watch_sync_members(&w, &a);
		t = now_s();
		if (a.sync_done != SYSFS_NONE)
			progress_rate_add(&rate, t, a.sync_done);
		else
			progress_rate_init(&rate);
		if (out && t >= next_tick) {
			display_update(&d, label, &a, &rate);
			next_tick = t + 1.0;
		}
		md_array_free(&a);
		/* Sleep in poll() until the kernel notifies or the next redraw is due. */
		timeout = (int)((next_tick - now_s()) * 1000.0);
		if (timeout < 10)
			timeout = 10;
		if (timeout > 1000)
			timeout = 1000;
		rc = watch_wait(&w, timeout);
		if (rc < 0)
			break;
	}
	watch_close_all(&w);
	if (out)
		display_end(&d, label, rc);
	return rc;
}
