/* SPDX-License-Identifier: GPL-2.0-or-later */
/* monitor_run.h: the running monitor's state (one struct monitor, passed by pointer) shared by Monitor.c, monitor_deliver.c and monitor_act.c. */
#ifndef MDCTL_MONITOR_RUN_H
#define MDCTL_MONITOR_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "mdctl.h"
#include "monitor.h"
#include "mdarray.h"
#include "mdops.h"
#include "sysfs.h"

struct sb1_dev;
struct mdops_sb_save;

struct udev;
struct udev_monitor;

#define SETTLE_MS 10          /* coalesce a burst of wakes before reading */
#define UNSETTLED_MS 100      /* re-read while bad blocks are unacknowledged */
#define LOCK_RETRY_MS 250     /* look again when another mdctl held an array's lock */
#define UNSETTLED_MAX_MS 5000 /* then report anyway */
#define KILL_GRACE_MS 2000    /* SIGTERM to SIGKILL for a program past its time */

enum { AFD_STATE, AFD_DEGRADED, AFD_SYNC_ACTION, AFD_SYNC_COMPLETED, AFD_N };

struct mon_mfd {
	char kname[32];
	int state_fd, bb_fd;
};

struct mon_survey {
	char kname[32];
	struct mdops_sb_save *sv;   /* malloc'd */
};

struct mon_tracked {
	char kname[32];
	struct md_array snap;
	bool have_snap;
	bool announce;           /* appeared after start: NewArray on first read */
	bool dirty;
	bool gone;               /* reported DeviceDisappeared, waiting for it to return */
	int64_t woke_ms;         /* first notification not yet acted on, 0 none */
	int64_t read_ms;         /* when the array was last read, 0 never */
	int64_t unsettled_since;
	int afd[AFD_N];
	struct mon_mfd *mfd;
	size_t nmfd;
	char (*stalled)[32];     /* members reported ReplaceStalled */
	size_t nstalled;
	char (*retire)[32];      /* replaced originals waiting to be removed */
	size_t nretire;
	bool partial;            /* only members' own watches woke it since its last read: */
	char (*touched)[32];     /* these, read alone (md_array_reread) */
	size_t ntouched;
	/* monitor_ready.c: read ahead for spare moves (arrays of a spare group only) */
	bool ready_stale;        /* read whole since they were: refresh after the pass */
	struct sb1_dev *model;   /* an in-sync member's superblock, NULL none */
	struct mon_survey *surveys;   /* the array's spares */
	size_t nsurveys;
};

struct mon_child {
	pid_t pid;
	int64_t deadline;
	int stage;               /* 0 running, 1 sent SIGTERM, 2 sent SIGKILL */
	bool program;            /* the PROGRAM run of the queue's head event */
	char what[64];
	char array[32];          /* the array of the event it delivers */
};

struct monitor_opts {
	bool scan, oneshot, test, dry_run, daemonise, syslog, no_sharing;
	int delay;               /* seconds, 0 = from config or 60 */
	unsigned increment;
	int program_timeout;     /* seconds */
	const char *mail, *program, *pid_file, *config;
	char **arrays;
	int narrays;
};

struct monitor {
	struct mdctl_ctx *ctx;
	struct monitor_opts o;
	struct mdctl_config cfg;
	struct mon_tracked *arr;
	size_t narr;
	int mdstat_fd, timer_fd, sig_fd, lock_fd;
	char *mdstat_text;       /* /proc/mdstat as last read, NULL unknown */
	struct udev *udev;
	struct udev_monitor *umon;
	struct mon_child *kids;
	size_t nkids;
	int64_t deadline;        /* next processing pass, 0 none */
	int64_t decided_ms;      /* when the last plan was made (for latency reports) */
	struct mdops_rcu rcu;    /* kernel/rcu_expedited while a pass gives a spare */
	int64_t pass_end_ms;     /* when the last processing pass ended */
	char **dry_seen;         /* --dry-run lines already printed */
	size_t ndry_seen;
	bool stop, reload, rescan, started;
	bool replan;             /* plan again on the snapshots held, none read (a disk came or went) */
	bool defer;              /* a pass is running: events wait in pending until it acted */
	struct mon_events pending;
	uint64_t seq;            /* the last sequence number given to an event */
	struct mon_events progq; /* events whose PROGRAM run waits for the one before */
	size_t progq_head;
	bool prog_running;
	bool to_stderr, to_syslog;
	bool journal;            /* stderr is the journal: lines carry a <priority> prefix */
	char host[256];
	char state_dir[PATH_MAX];
	int metrics_err;         /* last METRICS write error (-errno), said once */
};


/*
 * monitor_deliver.c: reporting.  mon_say() writes a line to stderr and/or
 * syslog; mon_deliver() numbers an event and sends it to every sink (line,
 * EVENTLOG, mail; PROGRAM runs are queued and run one at a time in event
 * order) without waiting, or while mon->defer is set keeps it for
 * mon_flush_deferred() (a pass acts first, then reports, causes first); children are reaped on SIGCHLD
 * (mon_handle_signals) and stopped past their time (mon_kill_overdue).
 */
int64_t mon_now_ms(void);
/** mon_wall_ms() - a mon_now_ms() instant as ms since the epoch. */
int64_t mon_wall_ms(int64_t mono_ms);
/** mon_program_next() - start the next queued PROGRAM run when none runs. */
void mon_program_next(struct monitor *mon);
void mon_schedule(struct monitor *mon, int ms);
void mon_say(struct monitor *mon, int prio, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void mon_member_path(struct monitor *mon, const char *kname, char *buf, size_t len);
void mon_reap(struct monitor *mon);
void mon_kill_overdue(struct monitor *mon);
void mon_wait_children(struct monitor *mon);
void mon_handle_signals(struct monitor *mon);
void mon_deliver(struct monitor *mon, const struct mon_event *e);
void mon_flush_deferred(struct monitor *mon);
void mon_emit(struct monitor *mon, enum mon_ev t, const char *array, const char *member,
	      const char *other, const char *detail);
struct mon_tracked *mon_find_tracked(struct monitor *mon, const char *kname);

/*
 * monitor_ready.c: mon_ready_refresh() reads, after a pass that read t
 * whole, what a spare move to or from t needs from the disks (t's model
 * superblock, its spares' surveys); mon_ready_survey() finds a spare's.
 */
void mon_ready_refresh(struct monitor *mon, struct mon_tracked *t);
const struct mdops_sb_save *mon_ready_survey(const struct mon_tracked *t, const char *kname);
void mon_ready_free(struct mon_tracked *t);

/*
 * monitor_act.c: changes.  mon_plan_and_act() runs mon_plan() over every
 * tracked snapshot and carries the actions out (or, with --dry-run, says
 * them); mon_retire_pending() removes replaced originals and clears their
 * intents; mon_apply_intents() re-marks members with a stored intent.
 */
const struct cfg_array *mon_array_cfg(struct monitor *mon, const struct md_array *a);
bool mon_in_list(char (*l)[32], size_t n, const char *k);
/* mon_push_name(): add k unless there; false when out of memory (k not in the list). */
bool mon_push_name(char (**l)[32], size_t *n, const char *k);
void mon_plan_and_act(struct monitor *mon);
/* mon_has_spare_policy(): a POLICY action=spare|force-spare line: new disks may become spares. */
bool mon_has_spare_policy(const struct monitor *mon);
void mon_retire_pending(struct monitor *mon, struct mon_tracked *t);
void mon_apply_intents(struct monitor *mon, struct mon_tracked *t);

/* monitor_verify.c: stale stripes of a write-failing member rebuilt before a spare is given (StaleBlocks). */
void mon_verify_before_spare(struct monitor *mon, const char *md, const char *member);

#endif
