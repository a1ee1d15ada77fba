/* SPDX-License-Identifier: GPL-2.0-or-later */
/* progress.h: waiting for resync/recovery/replacement with a progress bar or plain lines. */
#ifndef MDCTL_PROGRESS_H
#define MDCTL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct md_array;

/*
 * A predicate over a fresh snapshot: return 1 to keep waiting, 0 when done,
 * -errno to stop with an error.
 */
typedef int (*progress_pending_fn)(const struct md_array *a, void *arg);

/**
 * progress_wait() - wait on array md (sysfs under root) until pending() says
 * done.  Woken by sync_completed/sync_action/degraded and members' state
 * (poll, no sleeping loop), with a 1 s timer for the display.  On a terminal
 * (isatty(out)) draws one updating bar "label [=====>   ] 42.1% 12.3MiB/s ETA 0:01:13";
 * otherwise prints a plain line every 10%.  ETA from a moving average of speed.
 * Return 0 when done, or the predicate's/-errno error.
 */
int progress_wait(const char *root, const char *md, const char *label,
		  progress_pending_fn pending, void *arg, FILE *out);

/** progress_sync_pending() - the stock predicate: waiting while sync_action is not idle
 * or sync_completed is not "none" (what --wait waits for). */
int progress_sync_pending(const struct md_array *a, void *arg);

/* ---- helpers behind the display, exported for the tests and for Detail ---- */

#define PROGRESS_RATE_SAMPLES 16

/*
 * struct progress_rate - the last samples of (time, sectors done), giving a
 * moving-average speed over about PROGRESS_RATE_SAMPLES seconds.
 */
struct progress_rate {
	double t[PROGRESS_RATE_SAMPLES];
	uint64_t done[PROGRESS_RATE_SAMPLES];
	unsigned head, n;
};

void progress_rate_init(struct progress_rate *r);
/** progress_rate_add() - add a sample (seconds, sectors done); a smaller done restarts. */
void progress_rate_add(struct progress_rate *r, double t, uint64_t done);
/** progress_rate_kibps() - KiB/s over the samples held, or -1 with fewer than two. */
double progress_rate_kibps(const struct progress_rate *r);
/** progress_eta() - seconds left for (total - done) sectors at kibps, -1 if unknown. */
long progress_eta(uint64_t done, uint64_t total, double kibps);
/** progress_fmt_duration() - "H:MM:SS", "?" for a negative value. */
void progress_fmt_duration(long sec, char *buf, size_t len);
/** progress_fmt_speed() - "12.3 MiB/s", "512 KiB/s", "?" for a negative value. */
void progress_fmt_speed(double kibps, char *buf, size_t len);
/** progress_fmt_status() - "42% complete, 12.3 MiB/s, ETA 0:01:10". */
void progress_fmt_status(double pct, double kibps, long eta, char *buf, size_t len);
/** progress_fmt_bar() - "label [=====>    ]  42.1% 12.3 MiB/s ETA 0:01:13" with a bar of width. */
void progress_fmt_bar(const char *label, double pct, double kibps, long eta, int width,
		      char *buf, size_t len);

#endif
