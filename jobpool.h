/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jobpool.h: a bounded pool of forked workers whose output and results come back in the order the jobs were given. */
#ifndef MDCTL_JOBPOOL_H
#define MDCTL_JOBPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A job is one slot, opened in order.  Its serial part runs in this process
 * with stdout and stderr sent to the slot's own anonymous files; then the
 * slot is either closed here with a result, or handed to a forked worker
 * that goes on writing into the same files and whose exit status is the
 * result.  When a slot and every slot before it are finished, its bytes are
 * copied to the real stdout and stderr and on_done() is called, so that
 * what is printed, and what on_done() prints itself, comes out exactly as
 * if the jobs had run one after the other.  With max 1 nothing is captured
 * and nothing forked: each job runs here, in turn.
 */

/* A worker killed by signal S reports JOBPOOL_KILLED + S (exit statuses are 0..255). */
#define JOBPOOL_KILLED 256

struct jobpool_slot {
	int out, err;              /* anonymous files holding the slot's stdout, stderr; -1 none */
	pid_t pid;                 /* its worker while it runs, else 0 */
	bool done;
	int result;
	void *data;                /* the caller's, handed to on_done() */
};

struct jobpool {
	unsigned max;              /* workers at once; 1: no workers */
	unsigned running;
	struct jobpool_slot *s;
	size_t n, cap;
	size_t flushed;            /* slots before this one are printed and reported */
	bool capturing;            /* this process's stdout/stderr go to slot n-1 */
	int real_out, real_err;    /* this process's own stdout and stderr, kept while capturing */
	void (*on_done)(void *ctx, void *data, int result);
	void *ctx;
};

/**
 * jobpool_init() - an empty pool of up to max workers (0 counts as 1).
 * on_done(ctx, data, result) is called once per slot, in slot order, right
 * after the slot's output is printed.
 */
void jobpool_init(struct jobpool *p, unsigned max, void (*on_done)(void *ctx, void *data, int result),
		  void *ctx);

/**
 * jobpool_open() - start the next slot (data for on_done()); while it is
 * open, this process's stdout and stderr go into it.  Finished slots
 * before it are printed first.  Return 0 or -errno (nothing opened).
 */
int jobpool_open(struct jobpool *p, void *data);

/**
 * jobpool_close() - finish the open slot here with result.  Return 0 or -errno.
 */
int jobpool_close(struct jobpool *p, int result);

/**
 * jobpool_spawn() - finish the open slot in a worker: fn(arg) runs in a
 * forked child (once fewer than max run) whose stdout and stderr go on
 * into the slot, and its return value (0..255) is the slot's result.  When
 * the pool has no workers, or fork fails, fn runs here instead, after
 * every earlier slot is finished.  Return 0 or -errno.
 */
int jobpool_spawn(struct jobpool *p, int (*fn)(void *arg), void *arg);

/** jobpool_busy() - true while any slot is not yet reported. */
bool jobpool_busy(const struct jobpool *p);

/**
 * jobpool_drain() - wait for every worker, then print and report every
 * finished slot.  An open slot stays open and goes on collecting this
 * process's output.  Return 0 or the first -errno met while printing.
 */
int jobpool_drain(struct jobpool *p);

/** jobpool_free() - drain, then free the pool's memory. */
void jobpool_free(struct jobpool *p);

#endif
