/* SPDX-License-Identifier: GPL-2.0-or-later */
/* monitor.h: the monitor's pure parts: events derived from two array snapshots, spare planning, delivery formats. */
#ifndef MDCTL_MONITOR_H
#define MDCTL_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mdarray.h"

/* Event types: mdadm's names first, then the replacement-aware ones mdadm lacks. */
enum mon_ev {
	MEV_FAIL,
	MEV_FAIL_SPARE,
	MEV_SPARE_ACTIVE,
	MEV_DEGRADED_ARRAY,
	MEV_SPARES_MISSING,
	MEV_REBUILD_STARTED,
	MEV_REBUILD_NN,
	MEV_REBUILD_FINISHED,
	MEV_NEW_ARRAY,
	MEV_DEVICE_DISAPPEARED,
	MEV_MOVE_SPARE,
	MEV_TEST_MESSAGE,
	MEV_WANT_REPLACEMENT,
	MEV_REPLACE_STARTED,
	MEV_REPLACE_NN,
	MEV_REPLACE_FINISHED,
	MEV_REPLACE_FAILED,
	MEV_REPLACE_STALLED,
	MEV_BAD_BLOCKS,
	MEV_DELIVERY_FAILED,     /* mdctl's own: PROGRAM or sendmail failed; logged, never re-sent */
	MEV_STALE_BLOCKS,
	MEV_NTYPES
};

/*
 * struct mon_event - one event.  Names are kernel names ("md0", "loop1");
 * delivery turns them into /dev paths.
 */
struct mon_event {
	enum mon_ev type;
	char array[32];     /* the array the event is about */
	char member[32];    /* the member concerned, "" when none */
	char other[32];     /* Replace*: the replacement; MoveSpare: the donor array ("" for a POLICY disk) */
	int percent;        /* RebuildNN/ReplaceNN, -1 otherwise */
	uint64_t count;     /* BadBlocks: entries now recorded; StaleBlocks: ranges found; 0 otherwise */
	char detail[256];   /* why, in words */
	time_t time;
	uint64_t seq;       /* delivery order, from 1, set when the monitor delivers it */
	int64_t changed_ms; /* when the kernel change it reports was noticed (ms since the epoch), 0 unknown */
};

struct mon_events {
	struct mon_event *v;
	size_t n, cap;
};

/** mon_events_push() - append a copy of e; 0 or -ENOMEM. */
int mon_events_push(struct mon_events *l, const struct mon_event *e);
void mon_events_free(struct mon_events *l);

/** mon_event_type_name() - "Fail", "RebuildNN", ... for a type (the generic name). */
const char *mon_event_type_name(enum mon_ev t);
/** mon_event_name() - the delivered name: as the type, but "Rebuild40"/"Replace40" for progress. */
const char *mon_event_name(const struct mon_event *e, char *buf, size_t len);
/** mon_event_priority() - syslog priority (LOG_INFO, LOG_WARNING, LOG_CRIT). */
int mon_event_priority(enum mon_ev t);
/** mon_event_priority_name() - "info", "warning" or "crit". */
const char *mon_event_priority_name(enum mon_ev t);
/** mon_event_mails() - whether MAILADDR gets this event (mdadm's choice plus the replacement alarms). */
bool mon_event_mails(enum mon_ev t);

/* Options for mon_derive(). */
struct mon_derive_opts {
	unsigned increment;     /* RebuildNN step in percent, 1..99 */
	int expected_spares;    /* config spares=, -1 unknown */
	bool force;             /* report even while members are unsettled (see mon_derive) */
};

/**
 * mon_derive() - the events between two snapshots of one array.
 * @old: the previous snapshot, or NULL when the array is first seen (then
 *       only DegradedArray, SparesMissing and WantReplacement are derived).
 * @cur: the new snapshot.
 * @o: options.
 * @out: events are appended here.
 *
 * A member reading faulty together with blocked, or with unacknowledged
 * bad blocks, is in the kernel's transient write-error state (facts 8): it
 * is not failed.  Unless o->force, such a snapshot derives nothing and 1 is
 * returned so that the caller re-reads a little later (and keeps @old);
 * with o->force the transient faulty bit is ignored.
 * Return: 0 settled, 1 unsettled (nothing derived), -ENOMEM.
 */
int mon_derive(const struct md_array *old, const struct md_array *cur,
	       const struct mon_derive_opts *o, struct mon_events *out);

/**
 * mon_progress_same_step() - whether a new md/sync_completed text is only
 * progress within the --increment step the snapshot is in.
 * @snap: the array's last snapshot.
 * @sync_completed: the attribute's text now ("done / total", "none", "delayed").
 * @increment: the RebuildNN/ReplaceNN step in percent.
 *
 * sync_completed wakes about every 6 % of a copy, but mon_derive() reports
 * each step only: a value of the same sync (same total) in the same step
 * would derive nothing, and the array need not be read for it.
 * Return: true for such a value; false when it starts, ends, changes the
 * sync or crosses a step (then the array is read).
 */
bool mon_progress_same_step(const struct md_array *snap, const char *sync_completed,
			    unsigned increment);

/* ---- spare planning ---- */

/* What the planner knows of one array besides its snapshot. */
struct mon_plan_array {
	const struct md_array *a;
	const char *spare_group;   /* "" or NULL: none */
	int replace_badblocks;     /* threshold, -1 off */
	int replace_errors;        /* threshold, -1 off */
};

/* An unused disk a POLICY action=spare line allows, already checked. */
struct mon_plan_disk {
	char path[4096];
	uint64_t size_kib;         /* usable size */
};

enum mon_action_kind {
	MACT_MARK,      /* write want_replacement to target/member (threshold) */
	MACT_MOVE,      /* move spare from donor to target */
	MACT_ADD,       /* add POLICY disk path to target */
	MACT_STALLED,   /* target/member wants replacement but nothing can serve it */
	MACT_NOTE,      /* a reason something was not done (dry-run and verbose output) */
};

struct mon_action {
	enum mon_action_kind kind;
	char target[32];           /* array in need */
	char member[32];           /* the member to replace ("" for a degraded array) */
	char donor[32];            /* MOVE: donor array */
	char spare[32];            /* MOVE: the spare's kname */
	char path[4096];           /* ADD: disk path */
	char why[320];
};

struct mon_actions {
	struct mon_action *v;
	size_t n, cap;
};

void mon_actions_free(struct mon_actions *l);

/**
 * mon_plan() - decide which spares go where.  Degraded arrays are served
 * first, then members marked want_replacement, fewest failures left first.
 * A spare comes from another array of the same spare group (never from an
 * array that is itself degraded or has a member waiting for replacement),
 * else from the POLICY disks.  Arrays that have a spare of their own are
 * left to the kernel, which pairs it by itself.  Threshold marks come first
 * and count as marked for the rest of the plan.
 * @disks may be NULL with ndisks 0.  Disks used are not reused.
 * Return: 0 or -ENOMEM.
 */
int mon_plan(const struct mon_plan_array *arrays, size_t narrays,
	     const struct mon_plan_disk *disks, size_t ndisks, struct mon_actions *out);

/* ---- /proc/mdstat ---- */

/**
 * mon_mdstat_changed() - the arrays whose /proc/mdstat block differs
 * between two readings.  /proc/mdstat wakes its pollers for an event in
 * any array; an array's block (its "mdN : ..." line and the indented lines
 * after it: members and their flags, geometry, [UU_], sync progress) shows
 * what changed, so only those arrays need reading again.
 * @old: the earlier reading, or NULL when there was none (every array is then new).
 * @cur: the reading now.
 * @fn: called once for each array (its kernel name, "md127") whose block
 *      changed, appeared or vanished.
 * @arg: passed to fn.
 * Return: how many arrays fn was called for.
 */
size_t mon_mdstat_changed(const char *old, const char *cur, void (*fn)(const char *kname, void *arg),
			  void *arg);

/**
 * mon_mdstat_members_changed() - whether array kname's change between two
 * readings is only its members' flags ("loop0[0]" becoming "loop0[0](F)",
 * a spare's "(S)" going), and which members those are.  The same members
 * in the same order, the same state and level: the members named, with the
 * array attributes that move with them, are all that needs reading again
 * (the lines under the header, [UU_] and sync progress, follow from those).
 * @old: the earlier reading (NULL: none)
 * @cur: the reading now
 * @kname: the array ("md100")
 * @names: on 1, the members' kernel names (malloc'd; the caller frees)
 * @n: on 1, how many (at least one)
 * Return: 1 with the members; 0 when the array must be read whole (it
 * appeared, vanished, changed state, gained or lost a member, or only its
 * other lines changed); -ENOMEM.
 */
int mon_mdstat_members_changed(const char *old, const char *cur, const char *kname,
			       char (**names)[32], size_t *n);

/* ---- delivery formats ---- */

/* Where a delivered event's names resolve (paths under /dev, host name). */
struct mon_names {
	char array_path[4096];
	char member_path[4096];    /* "" when none */
	char other_path[4096];     /* "" when none */
	char host[256];
};

/**
 * mon_event_json() - the event as one JSON object on one line (no newline).
 * Return: malloc'd string or NULL.
 */
char *mon_event_json(const struct mon_event *e, const struct mon_names *nm);

/* argv and environment for a PROGRAM run; strings live inside the struct. */
#define MON_EXEC_MAXENV 16
struct mon_exec {
	char *argv[5];
	char *envp[MON_EXEC_MAXENV + 1];
	char store[MON_EXEC_MAXENV + 4][4200];
};

/**
 * mon_build_exec() - PROG EVENT MDDEV [MEMBER] (MEMBER is the donor array
 * for MoveSpare, as mdadm passes it) and MDCTL_* variables, plus PATH.
 * Return: 0, or -E2BIG when a value does not fit.
 */
int mon_build_exec(const char *prog, const struct mon_event *e, const struct mon_names *nm,
		   struct mon_exec *x);

/**
 * mon_mail_text() - a whole message for sendmail -t: To, From (when from is
 * non-empty), Subject "EVENT event on MD:HOST", body.  Return malloc'd or NULL.
 */
char *mon_mail_text(const struct mon_event *e, const struct mon_names *nm, const char *to,
		    const char *from);

/** mon_event_line() - the one-line text for stderr/syslog: "EVENT MD [MEMBER]: detail". */
void mon_event_line(const struct mon_event *e, const struct mon_names *nm, char *buf, size_t len);

/* ---- configuration ---- */

struct mdctl_config;

/**
 * mon_config_check() - what the monitor will use from a config, checked
 * before it is used: the program (program, else PROGRAM) is an executable
 * regular file, the state directory (STATEDIR, else state_dir) is not a
 * symlink nor writable by others when it exists, EVENTLOG opens (created)
 * as a regular file without following a symlink.
 * Return: 0, or -errno with err = "WHAT PATH: cause".
 */
int mon_config_check(const struct mdctl_config *cfg, const char *program, const char *state_dir,
		     char *err, size_t errlen);

/**
 * mon_config_reload() - load the config again (path NULL: the default
 * search) and mon_config_check() it with program and state_dir.  On
 * success *cur is replaced (the old one freed); on a broken file or a
 * failed check *cur is left exactly as it was and err says why
 * ("FILE:LINE: cause" for the file).
 * Return: 0 or -errno.
 */
int mon_config_reload(struct mdctl_config *cur, const char *path, const char *program,
		      const char *state_dir, char *err, size_t errlen);

#endif
