/* SPDX-License-Identifier: GPL-2.0-or-later */
/* progress.h: waiting for resync/recovery/replacement with a progress bar or plain lines. */
#ifndef MDCTL_PROGRESS_H
#define MDCTL_PROGRESS_H

#include <stdbool.h>
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

#endif
