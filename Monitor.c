// SPDX-License-Identifier: GPL-2.0-or-later
/* Monitor.c: mdctl --monitor: one poll() loop that watches md arrays, reports events and pairs spares with replaceable members. */
#include "cli.h"
#include "mdctl.h"
#include "blkdev.h"
#include "config.h"
#include "metrics.h"
#include "monitor.h"
#include "mdarray.h"
#include "mdops.h"
#include "sysfs.h"
#include "safefile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libudev.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/*
 * What the kernel notifies (Debian 6.1 guest, facts section 8, and checked
 * again with this monitor in tests/vm/04monitor-*.sh):
 *  - md/dev-X/state wakes when an admin writes want_replacement or
 *    -want_replacement, and on faulty/blocked changes.  Under write errors it
 *    wakes once per failed block, reading the transient
 *    "faulty,in_sync,blocked,write_error,want_replacement"; the settled state
 *    arrives with no wake of its own (array_state wakes around it), so a
 *    snapshot with a transient member is re-read after UNSETTLED_MS.
 *  - md/sync_action wakes on frozen/idle/recover; md/sync_completed about
 *    every 6 % of a copy; md/degraded on each change; md/array_state on all
 *    changes but active<->active-idle.
 *  - /proc/mdstat (POLLPRI) wakes when arrays start/stop, members fail or
 *    are added/removed, a sync starts or ends: for an event in ANY array.
 *    Its per-array block says which changed (monitor_mdstat.c); only those
 *    are read again.  A removed member's attribute fds then report POLLERR
 *    on every poll: their re-read fails and they are closed at once.
 *  - Not notified: bad blocks added by writing dev-X/bad_blocks (checked in
 *    the VM: with --delay 60 a threshold crossed that way was not seen
 *    within 10 s; with --delay 2 it was), and dev-X/errors (corrected read
 *    errors).  Bad blocks the kernel records after a write error do come
 *    with dev-X/state wakes.  The --delay timer re-reads everything for
 *    what is not notified.
 *  - Where a spare move's time goes (strace in the guest, one mark, one
 *    4-member RAID5 and a RAID1 donor): the snapshot of the marked array
 *    is half of mdctl's ~400 system calls between the wake and
 *    ADD_NEW_DISK; the rest is the donor's "remove" (the kernel's
 *    synchronize_rcu and superblock update), a dozen superblock reads and
 *    writes on the spare and the target's members (the new superblock and
 *    what it replaces, kept for undo), and the kernel's md thread starting
 *    the recovery.  A pass reads no array twice.
 */

#include "monitor_run.h"

static const char *const afd_attr[AFD_N] = { "array_state", "degraded", "sync_action",
					      "sync_completed" };

/* ---- tracking arrays and their watched attributes ---- */

static void close_mfd(struct mon_mfd *f)
{
	if (f->state_fd >= 0)
		close(f->state_fd);
	if (f->bb_fd >= 0)
		close(f->bb_fd);
	f->state_fd = f->bb_fd = -1;
}

static void untrack_fds(struct mon_tracked *t)
{
	for (int i = 0; i < AFD_N; i++) {
		if (t->afd[i] >= 0)
			close(t->afd[i]);
		t->afd[i] = -1;
	}
	for (size_t i = 0; i < t->nmfd; i++)
		close_mfd(&t->mfd[i]);
	free(t->mfd);
	t->mfd = NULL;
	t->nmfd = 0;
}

static int watch(struct monitor *mon, const char *md, const char *member, const char *attr)
{
	char rel[PATH_MAX];
	int n, fd;

	if (member)
		n = snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/%s", md, member, attr);
	else
		n = snprintf(rel, sizeof(rel), "block/%s/md/%s", md, attr);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return -1;
	fd = sysfs_watch_open(mon->ctx->sysfs_root, rel);
	return fd < 0 ? -1 : fd;
}

/* Open watches for members that appeared, close those of members that left. */
static void sync_watches(struct monitor *mon, struct mon_tracked *t)
{
	for (int i = 0; i < AFD_N; i++)
		if (t->afd[i] < 0)
			t->afd[i] = watch(mon, t->kname, NULL, afd_attr[i]);
	for (size_t i = 0; i < t->nmfd;) {
		if (!md_array_find(&t->snap, t->mfd[i].kname)) {
			close_mfd(&t->mfd[i]);
			t->mfd[i] = t->mfd[--t->nmfd];
		} else {
			i++;
		}
	}
	for (unsigned j = 0; j < t->snap.nmembers; j++) {
		const char *k = t->snap.members[j].kname;
		struct mon_mfd *nf;
		bool have = false;

		for (size_t i = 0; i < t->nmfd; i++)
			have |= !strcmp(t->mfd[i].kname, k);
		if (have)
			continue;
		nf = realloc(t->mfd, (t->nmfd + 1) * sizeof(*nf));
		if (!nf)
			return;
		t->mfd = nf;
		nf = &t->mfd[t->nmfd++];
		copy_str(nf->kname, sizeof(nf->kname), k);
		nf->state_fd = watch(mon, t->kname, k, "state");
		nf->bb_fd = watch(mon, t->kname, k, "bad_blocks");
	}
}


static struct mon_tracked *track(struct monitor *mon, const char *kname, bool announce)
{
	struct mon_tracked *t = mon_find_tracked(mon, kname), *na;

	if (t)
		return t;
	na = realloc(mon->arr, (mon->narr + 1) * sizeof(*na));
	if (!na)
		return NULL;
	mon->arr = na;
	t = &mon->arr[mon->narr++];
	memset(t, 0, sizeof(*t));
	copy_str(t->kname, sizeof(t->kname), kname);
	for (int i = 0; i < AFD_N; i++)
		t->afd[i] = -1;
	t->announce = announce;
	t->dirty = true;
	return t;
}

static void forget_snapshot(struct mon_tracked *t)
{
	if (t->have_snap)
		md_array_free(&t->snap);
	t->have_snap = false;
}

static void untrack(struct monitor *mon, struct mon_tracked *t)
{
	size_t i = (size_t)(t - mon->arr);

	untrack_fds(t);
	forget_snapshot(t);
	mon_ready_free(t);
	free(t->stalled);
	free(t->retire);
	free(t->touched);
	mon->arr[i] = mon->arr[--mon->narr];
}

/* --scan: arrays that appeared (tracked, NewArray when read) */
static void rescan(struct monitor *mon)
{
	char (*names)[32] = NULL;
	size_t n = 0;

	if (!mon->o.scan)
		return;
	if (sysfs_list_arrays(mon->ctx->sysfs_root, &names, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		char level[16] = "";

		if (mon_find_tracked(mon, names[i]))
			continue;
		/* raid0, linear and containers have nothing to monitor */
		if (sysfs_md_read(mon->ctx->sysfs_root, names[i], "level", level, sizeof(level)) ||
		    !md_level_redundant(md_level_number(level)))
			continue;
		track(mon, names[i], mon->started);
	}
	free(names);
}

/* ---- one processing pass ---- */

/*
 * The array anew: whole, or - when only its members' own watches woke it
 * since its last read (an admin's want_replacement, a member's bad blocks)
 * - those members alone.  What the kernel did not notify waits for the
 * next whole read, which every other wake and the --delay timer make.
 */
static int read_array(struct monitor *mon, struct mon_tracked *t, struct md_array *cur)
{
	bool partial = t->partial && t->have_snap && t->ntouched;

	t->partial = false;
	if (partial && !md_array_reread(mon->ctx->sysfs_root, &t->snap, t->touched, t->ntouched,
					cur)) {
		mdctl_verb("%s: %zu member(s) read again", t->kname, t->ntouched);
		t->ntouched = 0;
		return 0;
	}
	t->ntouched = 0;
	t->ready_stale = true;
	return md_array_read(mon->ctx->sysfs_root, t->kname, cur);
}

static void process_array(struct monitor *mon, struct mon_tracked *t)
{
	struct mon_derive_opts dopt = { .increment = mon->o.increment, .expected_spares = -1 };
	struct mon_events ev = { 0 };
	const struct cfg_array *c;
	struct md_array cur;
	bool first;
	int rc;

	t->dirty = false;
	t->read_ms = mon_now_ms();
	rc = read_array(mon, t, &cur);
	if (rc == 0 && !md_array_running(&cur)) {
		md_array_free(&cur);
		rc = -ENODEV;
	}
	if (rc) {
		if (t->have_snap && !t->gone) {
			mon_emit(mon, MEV_DEVICE_DISAPPEARED, t->kname, NULL, NULL,
				   "the array stopped or was removed");
		}
		untrack_fds(t);
		forget_snapshot(t);
		mon_ready_free(t);
		t->gone = true;
		return;
	}
	first = !t->have_snap;
	c = mon_array_cfg(mon, &cur);
	if (c)
		dopt.expected_spares = c->spares;
	if (!t->unsettled_since)
		t->unsettled_since = mon_now_ms();
	dopt.force = mon_now_ms() - t->unsettled_since > UNSETTLED_MAX_MS;
	if (first && (t->announce || t->gone))
		mon_emit(mon, MEV_NEW_ARRAY, t->kname, NULL, NULL,
			   t->gone ? "the array is back" : "a new array appeared");
	t->gone = false;
	rc = mon_derive(first ? NULL : &t->snap, &cur, &dopt, &ev);
	if (rc == 1) {
		/* write errors being recorded: read again once the burst is over */
		md_array_free(&cur);
		t->dirty = true;
		mon_schedule(mon, UNSETTLED_MS);
		if (first)
			return;
		sync_watches(mon, t);
		return;
	}
	t->unsettled_since = 0;
	forget_snapshot(t);
	t->snap = cur;
	t->have_snap = true;
	sync_watches(mon, t);
	for (size_t i = 0; i < ev.n; i++) {
		/* the kernel's change was noticed at the first wake of this pass (or by the read) */
		ev.v[i].changed_ms = mon_wall_ms(t->woke_ms ? t->woke_ms : t->read_ms);
		mon_deliver(mon, &ev.v[i]);
		if (ev.v[i].type == MEV_REPLACE_FINISHED)
			mon_push_name(&t->retire, &t->nretire, ev.v[i].member);
	}
	mon_events_free(&ev);
	if (first)
		mon_apply_intents(mon, t);
}

/*
 * METRICS: the Prometheus file node_exporter's textfile collector reads,
 * rewritten (tmp + rename) after every pass that read an array.  A failure
 * is said once until the next success.
 */
static void write_metrics(struct monitor *mon)
{
	const char *path = mon->cfg.metrics_path;
	char *text = NULL;
	int rc;

	if (!path[0])
		return;
	rc = metrics_collect(mon->ctx->sysfs_root, mon->ctx->dev_root, &mon->cfg, mon->state_dir, &text);
	if (rc == 0)
		rc = metrics_write_file(path, text);
	free(text);
	if (rc && rc != mon->metrics_err)
		mon_say(mon, LOG_ERR, "%s: cannot write metrics: %s", path, strerror(-rc));
	mon->metrics_err = rc;
}

static void process(struct monitor *mon)
{
	int64_t t0 = mon_now_ms();
	bool any = false;

	mon->deadline = 0;
	mon->defer = true;
	if (mon->rescan) {
		mon->rescan = false;
		rescan(mon);
	}
	for (size_t i = 0; i < mon->narr; i++) {
		struct mon_tracked *t = &mon->arr[i];

		if (!t->dirty)
			continue;
		any = true;
		mdctl_ktrace("%s: reading %s", t->kname,
			     t->partial && t->ntouched ? "the members woken" : "whole");
		process_array(mon, t);
	}
	/* scan mode forgets arrays that went away; named arrays wait for their return */
	for (size_t i = 0; i < mon->narr;) {
		if (mon->o.scan && mon->arr[i].gone)
			untrack(mon, &mon->arr[i]);
		else
			i++;
	}
	if (any) {
		mdctl_verb("arrays read in %lld ms", (long long)(mon_now_ms() - t0));
		mdctl_ktrace("arrays read");
	}
	if (any || mon->replan)
		mon_plan_and_act(mon);
	mon->replan = false;
	/* the actions are under way: now the reports, their forks and writes */
	mon_flush_deferred(mon);
	/* what the next spare move will need, read now that nothing waits for it */
	for (size_t i = 0; i < mon->narr; i++)
		mon_ready_refresh(mon, &mon->arr[i]);
	if (any || !mon->started)
		write_metrics(mon);
	mon->pass_end_ms = mon_now_ms();
	/* after ReplaceFinished is out: the retired original leaves its array */
	for (size_t i = 0; i < mon->narr; i++)
		if (mon->arr[i].nretire && mon->arr[i].have_snap)
			mon_retire_pending(mon, &mon->arr[i]);
	for (size_t i = 0; i < mon->narr; i++) {
		if (mon->arr[i].dirty)
			mon_schedule(mon, SETTLE_MS);
		else
			mon->arr[i].woke_ms = 0;
	}
}

static void mark_all_dirty(struct monitor *mon)
{
	for (size_t i = 0; i < mon->narr; i++) {
		mon->arr[i].dirty = true;
		mon->arr[i].partial = false;
	}
}

/* ---- config ---- */

static void apply_config_defaults(struct monitor *mon)
{
	copy_str(mon->state_dir, sizeof(mon->state_dir),
		 config_state_dir(&mon->cfg, mon->ctx->state_dir));
}

static void udev_watch_sync(struct monitor *mon);

static void reload_config(struct monitor *mon)
{
	char err[512] = "";
	int rc = mon_config_reload(&mon->cfg, mon->o.config, mon->o.program, mon->ctx->state_dir,
				   err, sizeof(err));

	if (rc) {
		mon_say(mon, LOG_ERR, "%s; keeping the previous configuration", err[0] ? err : strerror(-rc));
		return;
	}
	apply_config_defaults(mon);
	udev_watch_sync(mon);
	mon_say(mon, LOG_INFO, "configuration reloaded from %s", mon->cfg.path[0] ? mon->cfg.path : "(none)");
	mon->rescan = true;
	mark_all_dirty(mon);
	mon_schedule(mon, 0);
}

/* ---- the loop ---- */

enum pkind { PK_SIG, PK_MDSTAT, PK_UDEV, PK_TIMER, PK_ARRAY, PK_MEMBER };

struct ptag {
	enum pkind kind;
	size_t arr;
	size_t mfd;
	int which;               /* AFD_* or 0 state / 1 bad_blocks */
};

static void wake(struct monitor *mon, struct mon_tracked *t)
{
	int64_t now = mon_now_ms();

	if (!t->woke_ms)
		t->woke_ms = now;
	t->dirty = true;
	/*
	 * A single change (an admin's mark) is read at once; a burst, or the
	 * kernel's answer to what the last pass did, is coalesced.
	 */
	mon_schedule(mon, now - t->read_ms > SETTLE_MS && now - mon->pass_end_ms > SETTLE_MS ?
			  0 : SETTLE_MS);
}

/* Something about the array as a whole: read all of it. */
static void wake_array(struct monitor *mon, struct mon_tracked *t)
{
	t->partial = false;
	wake(mon, t);
}

/* Member kname's own attribute woke: only it is read, unless more than members woke the array. */
static void wake_member(struct monitor *mon, struct mon_tracked *t, const char *kname)
{
	if (!t->dirty && t->have_snap) {
		t->partial = true;
		t->ntouched = 0;
	}
	/*
	 * once per member: /proc/mdstat and the member's own state name the
	 * same failure; no room to remember it: read it whole
	 */
	if (t->partial && !mon_in_list(t->touched, t->ntouched, kname) &&
	    !mon_push_name(&t->touched, &t->ntouched, kname))
		t->partial = false;
	wake(mon, t);
}

/*
 * /proc/mdstat read whole into *text (malloc'd, NUL-terminated; NULL on
 * error).  Reading to the end re-arms its POLLPRI.
 */
static int read_mdstat(int fd, char **text)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	ssize_t n;

	*text = NULL;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		if (cap - len < 2) {
			size_t nc = cap ? cap * 2 : 4096;
			char *nb = realloc(buf, nc);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap = nc;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (n < 0) {
		n = -errno;
		free(buf);
		return (int)n;
	}
	buf[len] = '\0';
	*text = buf;
	return 0;
}

/* The two readings of /proc/mdstat a wake compares. */
struct mdstat_pair {
	struct monitor *mon;
	const char *old, *cur;
};

/*
 * An array whose /proc/mdstat block changed: read it again, only the
 * members whose flags changed where that is all (a member failing: the
 * first notification of it, read at once); one not tracked may be new.
 */
static void mdstat_changed(const char *kname, void *arg)
{
	struct mdstat_pair *pr = arg;
	struct monitor *mon = pr->mon;
	struct mon_tracked *t = mon_find_tracked(mon, kname);
	char (*names)[32] = NULL;
	size_t n = 0;

	if (t) {
		if (mon_mdstat_members_changed(pr->old, pr->cur, kname, &names, &n) == 1) {
			for (size_t i = 0; i < n; i++)
				wake_member(mon, t, names[i]);
		} else {
			wake_array(mon, t);
		}
		free(names);
	} else {
		mon->rescan = true;
		mon_schedule(mon, SETTLE_MS);
	}
}

/*
 * /proc/mdstat woke: the kernel's md_new_event, for an event in any array.
 * Only the arrays whose block changed, appeared or vanished are read
 * again: at 64 arrays, reading all of them made one event cost 64
 * snapshots (and an array whose members' flags alone changed reads only
 * those members).  What mdstat does not show (a member marked
 * want_replacement, bad blocks, sync_completed) wakes the array's own
 * attribute watches or waits for the --delay timer.  Unreadable: all.
 */
static void mdstat_woke(struct monitor *mon, int fd)
{
	struct mdstat_pair pr = { mon, mon->mdstat_text, NULL };
	char *text;

	if (read_mdstat(fd, &text)) {
		free(mon->mdstat_text);
		mon->mdstat_text = NULL;
		mon->rescan = true;
		for (size_t k = 0; k < mon->narr; k++)
			wake_array(mon, &mon->arr[k]);
		return;
	}
	pr.cur = text;
	mon_mdstat_changed(mon->mdstat_text, text, mdstat_changed, &pr);
	free(mon->mdstat_text);
	mon->mdstat_text = text;
}


static void handle_udev(struct monitor *mon)
{
	struct udev_device *d;

	while ((d = udev_monitor_receive_device(mon->umon))) {
		const char *action = udev_device_get_action(d);
		const char *name = udev_device_get_sysname(d);
		struct mon_tracked *t;

		mdctl_verb("udev: %s %s", action ? action : "?", name ? name : "?");
		if (name && !strncmp(name, "md", 2)) {
			/* an array started, stopped or changed: that one is read again */
			mon->rescan = true;
			t = mon_find_tracked(mon, name);
			if (t)
				wake_array(mon, t);
		} else {
			/*
			 * A disk came, went or changed: what arrays do with their
			 * members reaches mdstat and their own watches; a disk may
			 * have become a POLICY spare, so plan again on what is known.
			 */
			mon->replan = true;
		}
		udev_device_unref(d);
	}
	mon_schedule(mon, SETTLE_MS);
}

/* What one ready descriptor means. */
static void handle_ready(struct monitor *mon, int fd, const struct ptag *tag)
{
	char buf[256];

	switch (tag->kind) {
	case PK_SIG:
		mon_handle_signals(mon);
		break;
	case PK_MDSTAT:
		mdstat_woke(mon, fd);
		break;
	case PK_UDEV:
		handle_udev(mon);
		break;
	case PK_TIMER: {
		uint64_t ticks;

		if (read(fd, &ticks, sizeof(ticks)) < 0)
			break;
		/* the fallback for what the kernel does not notify */
		mon->rescan = true;
		mark_all_dirty(mon);
		mon_schedule(mon, 0);
		break;
	}
	case PK_ARRAY: {
		struct mon_tracked *a = &mon->arr[tag->arr];

		if (sysfs_watch_read(fd, buf, sizeof(buf)) < 0) {
			close(a->afd[tag->which]);
			a->afd[tag->which] = -1;
		} else if (tag->which == AFD_SYNC_COMPLETED && a->have_snap && !a->dirty &&
			   !mon->cfg.metrics_path[0] &&
			   mon_progress_same_step(&a->snap, buf, mon->o.increment)) {
			/* a copy's progress within one RebuildNN step: nothing to report (METRICS would show it) */
			break;
		}
		wake_array(mon, a);
		break;
	}
	case PK_MEMBER: {
		struct mon_tracked *a = &mon->arr[tag->arr];
		struct mon_mfd *f = &a->mfd[tag->mfd];
		int *fdp = tag->which ? &f->bb_fd : &f->state_fd;
		char big[4096];

		/* a member that left: its attributes report POLLERR forever, close them */
		int e = sysfs_watch_read(fd, big, sizeof(big));

		if (e < 0 && e != -EOVERFLOW) {
			close(*fdp);
			*fdp = -1;
			wake_array(mon, a);
		} else {
			wake_member(mon, a, f->kname);
		}
		break;
	}
	}
}

/* What woke, for MDCTL_TRACE_KMSG. */
static void trace_ready(const struct monitor *mon, const struct ptag *tag)
{
	static const char *const kind[] = { "signal", "/proc/mdstat", "udev", "timer" };
	const struct mon_tracked *a;

	if (tag->kind < PK_ARRAY) {
		mdctl_ktrace("woke: %s", kind[tag->kind]);
		return;
	}
	a = &mon->arr[tag->arr];
	if (tag->kind == PK_ARRAY)
		mdctl_ktrace("woke: %s/md/%s", a->kname, afd_attr[tag->which]);
	else
		mdctl_ktrace("woke: %s/md/dev-%s/%s", a->kname, a->mfd[tag->mfd].kname,
			     tag->which ? "bad_blocks" : "state");
}

static int poll_once(struct monitor *mon)
{
	size_t cap = 4 + mon->narr * AFD_N, n = 0;
	struct pollfd *pf;
	struct ptag *tag;
	int timeout = -1, rc;
	int64_t t = mon_now_ms();

	for (size_t i = 0; i < mon->narr; i++)
		cap += mon->arr[i].nmfd * 2;
	pf = calloc(cap, sizeof(*pf));
	tag = calloc(cap, sizeof(*tag));
	if (!pf || !tag) {
		free(pf);
		free(tag);
		return -ENOMEM;
	}
#define ADD(fdv, ev, k, a, m, w) \
	do { \
		if ((fdv) >= 0) { \
			pf[n].fd = (fdv); \
			pf[n].events = (ev); \
			tag[n] = (struct ptag){ (k), (a), (m), (w) }; \
			n++; \
		} \
	} while (0)
	ADD(mon->sig_fd, POLLIN, PK_SIG, 0, 0, 0);
	ADD(mon->mdstat_fd, POLLPRI, PK_MDSTAT, 0, 0, 0);
	ADD(mon->umon ? udev_monitor_get_fd(mon->umon) : -1, POLLIN, PK_UDEV, 0, 0, 0);
	ADD(mon->timer_fd, POLLIN, PK_TIMER, 0, 0, 0);
	for (size_t i = 0; i < mon->narr; i++) {
		struct mon_tracked *a = &mon->arr[i];

		for (int k = 0; k < AFD_N; k++)
			ADD(a->afd[k], POLLPRI, PK_ARRAY, i, 0, k);
		for (size_t m = 0; m < a->nmfd; m++) {
			ADD(a->mfd[m].state_fd, POLLPRI, PK_MEMBER, i, m, 0);
			ADD(a->mfd[m].bb_fd, POLLPRI, PK_MEMBER, i, m, 1);
		}
	}
#undef ADD
	if (mon->deadline)
		timeout = mon->deadline > t ? (int)(mon->deadline - t) : 0;
	for (size_t i = 0; i < mon->nkids; i++) {
		int64_t d = mon->kids[i].deadline - t;

		if (d < 0)
			d = 0;
		if (timeout < 0 || d < timeout)
			timeout = (int)d;
	}
	rc = poll(pf, n, timeout);
	if (rc < 0) {
		rc = errno == EINTR ? 0 : -errno;
		goto out;
	}
	for (size_t i = 0; i < n && rc > 0; i++) {
		if (!pf[i].revents)
			continue;
		trace_ready(mon, &tag[i]);
		handle_ready(mon, pf[i].fd, &tag[i]);
	}
	rc = 0;
out:
	free(pf);
	free(tag);
	return rc;
}

/* ---- setup ---- */

/*
 * Block-device uevents matter only to a POLICY that may turn a new disk into
 * a spare: an array's own changes (started, stopped, a member failed, added
 * or removed) reach /proc/mdstat and its md attributes, and the --delay
 * timer re-reads the rest.  Without such a line the monitor opens no uevent
 * socket (nor touches libudev's code: about 100 KiB less resident); one is
 * opened when a reload adds the line, and closed when a reload drops it.
 */
static void udev_watch_sync(struct monitor *mon)
{
	bool want = mon_has_spare_policy(mon);

	if (!want) {
		if (mon->umon)
			udev_monitor_unref(mon->umon);
		if (mon->udev)
			udev_unref(mon->udev);
		mon->umon = NULL;
		mon->udev = NULL;
		return;
	}
	if (mon->umon)
		return;
	if (!mon->udev)
		mon->udev = udev_new();
	if (mon->udev) {
		/* without udevd (early boot, a bare VM) only the kernel's own uevents exist */
		const char *src = access("/run/udev/control", F_OK) == 0 ? "udev" : "kernel";

		mon->umon = udev_monitor_new_from_netlink(mon->udev, src);
		if (mon->umon &&
		    (udev_monitor_filter_add_match_subsystem_devtype(mon->umon, "block", NULL) < 0 ||
		     udev_monitor_enable_receiving(mon->umon) < 0)) {
			udev_monitor_unref(mon->umon);
			mon->umon = NULL;
		}
		if (mon->umon)
			fcntl(udev_monitor_get_fd(mon->umon), F_SETFL, O_NONBLOCK);
		else
			mon_say(mon, LOG_WARNING, "cannot watch for new disks (udev): POLICY spares are "
				"found only every --delay");
	}
}

static int setup_fds(struct monitor *mon)
{
	char path[PATH_MAX];
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	mon->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (mon->sig_fd < 0)
		return -errno;
	snprintf(path, sizeof(path), "%s/mdstat", mon->ctx->proc_root);
	mon->mdstat_fd = open(path, O_RDONLY | O_CLOEXEC);
	/* the reading the next wake's is compared with (every array is read at start anyway) */
	if (mon->mdstat_fd >= 0)
		read_mdstat(mon->mdstat_fd, &mon->mdstat_text);
	mon->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (mon->timer_fd >= 0) {
		struct itimerspec its = { { mon->o.delay, 0 }, { mon->o.delay, 0 } };

		timerfd_settime(mon->timer_fd, 0, &its, NULL);
	}
	udev_watch_sync(mon);
	return 0;
}

static int take_lock(struct monitor *mon)
{
	char path[PATH_MAX];

	mon->lock_fd = safe_run_lock("monitor.lock", 1, path, sizeof(path));
	if (mon->lock_fd == -EWOULDBLOCK) {
		mdctl_err("%s: another monitor is already running", path);
		return -1;
	}
	if (mon->lock_fd < 0) {
		mdctl_err("%s: cannot take the monitor lock: %s", path, safe_strerror(mon->lock_fd));
		return -1;
	}
	return 0;
}

/*
 * Into the background.  The command returns only once the daemon is ready
 * (pid file written, signals set up): *ready is the daemon's end of a pipe
 * the caller writes one byte to; the first parent exits 0 on that byte and
 * 1 when the pipe closes without it (the daemon failed, and said why in syslog).
 */
static int daemonise(struct monitor *mon, int *ready)
{
	int p[2], fd;
	char c = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		mdctl_err_rc(errno, "--daemonise: cannot fork");
		return -1;
	}
	if (pid > 0) {
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(c == 'k' ? 0 : 1);
	}
	close(p[0]);
	setsid();
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		_exit(1);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	mon->to_stderr = false;
	mon->to_syslog = true;
	*ready = p[1];
	return 0;
}

/* the pid file, or one line saying why not (a symlink, a live holder, ...) */
static int write_pid_file(const char *path)
{
	pid_t holder = 0;
	int rc = safe_pidfile(path, &holder);

	if (rc == -EEXIST)
		mdctl_err("%s: held by running process %d", path, (int)holder);
	else if (rc)
		mdctl_err("%s: cannot write the pid file: %s", path, safe_strerror(rc));
	return rc;
}

/* ---- options ---- */

enum { OPT_DRY_RUN = 1000, OPT_NO_SHARING, OPT_PROGRAM_TIMEOUT };

static const char help_text[] =
"Usage: mdctl --monitor [OPTIONS] [--scan | /dev/mdN...]\n"
"Watch md arrays, report events, and pair spares with members to replace.\n"
"Events are numbered and reach every sink causes first; PROG runs one at a\n"
"time, in event order.  METRICS in mdctl.conf keeps a Prometheus file.\n"
"\n"
"  -F, --monitor, --follow  monitor mode\n"
"  -s, --scan               all redundant arrays, including ones that appear later\n"
"  -m, --mail=ADDR          mail events to ADDR through sendmail (MAILADDR)\n"
"  -p, --program=PROG       run PROG EVENT MDDEV [MEMBER] per event (PROGRAM), also --alert\n"
"      --program-timeout=S  stop PROG after S seconds, then the next runs (default 10)\n"
"  -y, --syslog             report events to syslog as well (not when stderr is the journal)\n"
"  -d, --delay=S            re-read everything every S seconds (default MONITORDELAY or 60)\n"
"  -r, --increment=N        RebuildNN/ReplaceNN every N percent (default 20)\n"
"  -f, --daemonise          run in the background (also --daemonize)\n"
"  -i, --pid-file=FILE      write the daemon's pid to FILE (absolute; never a symlink)\n"
"  -1, --oneshot            one pass: report, act, exit\n"
"  -t, --test               a TestMessage event for every array at start\n"
"      --dry-run            change nothing: say what would be done and why\n"
"      --no-sharing         never move spares between arrays or add POLICY disks\n"
"  -c, --config=FILE        config file (default /etc/mdctl.conf, then mdadm's)\n"
"  -v, --verbose / -q, --quiet\n"
"\n"
"Events: Fail FailSpare SpareActive DegradedArray SparesMissing RebuildStarted\n"
"RebuildNN RebuildFinished NewArray DeviceDisappeared MoveSpare TestMessage\n"
"WantReplacement ReplaceStarted ReplaceNN ReplaceFinished ReplaceFailed\n"
"ReplaceStalled BadBlocks StaleBlocks.  SIGHUP reloads the config; see mdctl(8) MONITOR.\n"
"Under systemd (mdctl-monitor.service): READY=1 to $NOTIFY_SOCKET after the first pass.\n"
"Exit: 0 stopped, 1 failure, 2 usage, 6 config file does not parse.\n";

static const struct option long_opts[] = {
	{ "monitor", no_argument, NULL, 'F' },
	{ "follow", no_argument, NULL, 'F' },
	{ "scan", no_argument, NULL, 's' },
	{ "mail", required_argument, NULL, 'm' },
	{ "program", required_argument, NULL, 'p' },
	{ "alert", required_argument, NULL, 'p' },
	{ "program-timeout", required_argument, NULL, OPT_PROGRAM_TIMEOUT },
	{ "syslog", no_argument, NULL, 'y' },
	{ "delay", required_argument, NULL, 'd' },
	{ "increment", required_argument, NULL, 'r' },
	{ "daemonise", no_argument, NULL, 'f' },
	{ "daemonize", no_argument, NULL, 'f' },
	{ "pid-file", required_argument, NULL, 'i' },
	{ "oneshot", no_argument, NULL, '1' },
	{ "test", no_argument, NULL, 't' },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "no-sharing", no_argument, NULL, OPT_NO_SHARING },
	{ "config", required_argument, NULL, 'c' },
	CLI_COMMON_OPTS,
};

/* 0 parsed, 1 --help given (and printed), -1 usage error (already reported) */
static int parse_opts(struct monitor_opts *o, int argc, char **argv)
{
	int c, v;

	o->increment = 20;
	o->program_timeout = 10;
	cli_begin();
	while ((c = cli_getopt(argc, argv, ":Fsm:p:yd:r:fi:1tc:vqh", long_opts, 'F')) != -1) {
		switch (c) {
		case 's':
			o->scan = true;
			break;
		case 'm':
			o->mail = optarg;
			break;
		case 'p':
			o->program = optarg;
			break;
		case OPT_PROGRAM_TIMEOUT:
			if (parse_int(optarg, &v) || v < 1 || v > 3600) {
				mdctl_err("--program-timeout: %s is not a number of seconds (1-3600)", optarg);
				return -1;
			}
			o->program_timeout = v;
			break;
		case 'y':
			o->syslog = true;
			break;
		case 'd':
			if (parse_int(optarg, &v) || v < 1) {
				mdctl_err("--delay: %s is not a number of seconds", optarg);
				return -1;
			}
			o->delay = v;
			break;
		case 'r':
			if (parse_int(optarg, &v) || v < 1 || v > 99) {
				mdctl_err("--increment: %s is not a percentage from 1 to 99", optarg);
				return -1;
			}
			o->increment = (unsigned)v;
			break;
		case 'f':
			o->daemonise = true;
			break;
		case 'i':
			o->pid_file = optarg;
			break;
		case '1':
			o->oneshot = true;
			break;
		case 't':
			o->test = true;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_NO_SHARING:
			o->no_sharing = true;
			break;
		case 'c':
			o->config = optarg;
			break;
		default:
			v = cli_common("--monitor", help_text, c, argv);
			if (v != CLI_NEXT)
				return v == MDCTL_EXIT_OK ? 1 : -1;
			break;
		}
	}
	o->arrays = argv + optind;
	o->narrays = argc - optind;
	if (o->scan && o->narrays) {
		mdctl_err("--monitor: --scan and a list of arrays exclude each other");
		return -1;
	}
	if (o->pid_file && !o->daemonise) {
		mdctl_err("--pid-file: only with --daemonise");
		return -1;
	}
	/* the daemon changes to / : a relative name would land somewhere else */
	if (o->pid_file && o->pid_file[0] != '/') {
		mdctl_err("--pid-file: %s: not an absolute path", o->pid_file);
		return -1;
	}
	if (o->oneshot && o->daemonise) {
		mdctl_err("--oneshot: not with --daemonise");
		return -1;
	}
	return 0;
}

static void cleanup(struct monitor *mon)
{
	while (mon->narr)
		untrack(mon, &mon->arr[0]);
	free(mon->arr);
	free(mon->kids);
	for (size_t i = 0; i < mon->ndry_seen; i++)
		free(mon->dry_seen[i]);
	free(mon->dry_seen);
	if (mon->umon)
		udev_monitor_unref(mon->umon);
	if (mon->udev)
		udev_unref(mon->udev);
	if (mon->sig_fd >= 0)
		close(mon->sig_fd);
	if (mon->mdstat_fd >= 0)
		close(mon->mdstat_fd);
	free(mon->mdstat_text);
	if (mon->timer_fd >= 0)
		close(mon->timer_fd);
	if (mon->lock_fd >= 0)
		close(mon->lock_fd);
	mdops_rcu_close(&mon->rcu);
	config_free(&mon->cfg);
	mon_events_free(&mon->pending);
	mon_events_free(&mon->progq);
}

/* the configuration at start: read, and what it names checked; says why not.  Returns the exit code */
static int load_config(struct monitor *mon)
{
	char err[512] = "";
	int rc;

	if (!mon->o.config)
		mon->o.config = mon->ctx->config_file;
	rc = config_load(mon->o.config, &mon->cfg, err, sizeof(err));
	if (rc) {
		/* refused at start: the line is named, nothing runs on a half-read config */
		mdctl_err("%s", err[0] ? err : strerror(-rc));
		return MDCTL_EXIT_CONFIG;
	}
	/* what the config names (EVENTLOG, state directory) refused: not the file's syntax */
	rc = mon_config_check(&mon->cfg, mon->o.program, mon->ctx->state_dir, err, sizeof(err));
	if (rc) {
		mdctl_err("%s", err);
		config_free(&mon->cfg);
		return MDCTL_EXIT_FAIL;
	}
	return 0;
}

/*
 * kernel/rcu_expedited and its marker, kept open for the spare moves
 * (mdops_rcu_open; zeroed, mon->rcu is closed).  What a monitor killed
 * during a move left expedited is undone here, and said.
 */
static void open_rcu(struct monitor *mon)
{
	const char *root = mon->ctx->sysfs_root;
	bool restored;
	int rc;

	/* a dry run writes nothing: closed, no expedite either */
	if (mon->o.dry_run)
		return;
	rc = mdops_rcu_open(&mon->rcu, root, safe_run_dir(), &restored);
	if (restored)
		mon_say(mon, LOG_WARNING, "%s/kernel/rcu_expedited: set back to 0, where a monitor "
			"stopped during a spare move had left it at 1", root);
	else if (rc < 0)
		mon_say(mon, LOG_ERR, "%s/kernel/rcu_expedited: cannot set it back to 0: %s", root,
			strerror(-rc));
}

/* the daemon's loop until SIGTERM/SIGINT; true when it had to stop on a failure */
static bool run_loop(struct monitor *mon)
{
	int rc;

	while (!mon->stop) {
		rc = poll_once(mon);
		if (rc < 0) {
			/* cannot go on: say so and exit non-zero, so a service manager restarts it */
			mon_say(mon, LOG_CRIT, "monitor loop failed: %s", strerror(-rc));
			return true;
		}
		if (mon->reload) {
			mon->reload = false;
			service_notify("RELOADING=1");
			reload_config(mon);
			service_notify("READY=1");
		}
		mon_kill_overdue(mon);
		if (mon->deadline && mon_now_ms() >= mon->deadline)
			process(mon);
	}
	return false;
}

int cmd_monitor(struct mdctl_ctx *ctx, int argc, char **argv)
{
	struct monitor mon;
	bool failed;
	int rc, ready = -1;

	memset(&mon, 0, sizeof(mon));
	mon.ctx = ctx;
	mon.sig_fd = mon.mdstat_fd = mon.timer_fd = mon.lock_fd = -1;
	rc = parse_opts(&mon.o, argc, argv);
	if (rc) {
		return rc > 0 ? MDCTL_EXIT_OK : MDCTL_EXIT_USAGE;
	}
	rc = load_config(&mon);
	if (rc)
		return rc;
	apply_config_defaults(&mon);
	if (!mon.o.delay)
		mon.o.delay = mon.cfg.monitor_delay > 0 ? mon.cfg.monitor_delay : 60;
	if (gethostname(mon.host, sizeof(mon.host) - 1) < 0)
		copy_str(mon.host, sizeof(mon.host), "localhost");
	mon.to_stderr = true;
	mon.to_syslog = mon.o.syslog;
	/* run by systemd, stderr is the journal already: --syslog would log every line twice */
	mon.journal = stderr_is_journal();
	if (mon.journal)
		mon.to_syslog = false;
	if (!mon.o.scan && !mon.o.narrays) {
		for (size_t i = 0; i < mon.cfg.narrays; i++) {
			char k[32];

			if (!md_kname_from_arg(ctx->dev_root, mon.cfg.arrays[i].devname, k, sizeof(k)))
				track(&mon, k, false);
		}
		if (!mon.narr) {
			mdctl_err("--monitor: name the arrays to watch, or give --scan");
			cleanup(&mon);
			return MDCTL_EXIT_USAGE;
		}
	}
	for (int i = 0; i < mon.o.narrays; i++) {
		char k[32];

		if (md_kname_from_arg(ctx->dev_root, mon.o.arrays[i], k, sizeof(k))) {
			mdctl_err("%s: not an md array", mon.o.arrays[i]);
			cleanup(&mon);
			return MDCTL_EXIT_FAIL;
		}
		track(&mon, k, false);
	}
	/* one monitor acts on arrays at a time; a dry run changes nothing and needs no lock */
	if (mon.o.scan && !mon.o.dry_run && take_lock(&mon)) {
		cleanup(&mon);
		return MDCTL_EXIT_FAIL;
	}
	/* the pid file is made before forking, so a refusal reaches the caller's terminal */
	if (mon.o.pid_file && write_pid_file(mon.o.pid_file)) {
		cleanup(&mon);
		return MDCTL_EXIT_FAIL;
	}
	if (mon.o.daemonise && daemonise(&mon, &ready)) {
		cleanup(&mon);
		return MDCTL_EXIT_FAIL;
	}
	if (mon.to_syslog)
		openlog("mdctl", LOG_PID, LOG_DAEMON);
	if (mon.o.pid_file && (rc = safe_pidfile_update(mon.o.pid_file))) {
		mon_say(&mon, LOG_ERR, "%s: cannot write the pid file: %s", mon.o.pid_file,
			safe_strerror(rc));
		cleanup(&mon);
		return MDCTL_EXIT_FAIL;
	}
	rc = setup_fds(&mon);
	if (rc) {
		mon_say(&mon, LOG_ERR, "--monitor: cannot set up signals: %s", strerror(-rc));
		cleanup(&mon);
		return MDCTL_EXIT_FAIL;
	}
	open_rcu(&mon);
	if (ready >= 0) {
		/* the pid file is right and the daemon is set up: the command may return */
		if (write(ready, "k", 1) != 1)
			mon_say(&mon, LOG_WARNING, "--daemonise: cannot tell the caller: %s", strerror(errno));
		close(ready);
	}
	if (!mon.o.program && !mon.cfg.program[0] && !mon.o.mail && !mon.cfg.mailaddr[0])
		mdctl_verb("no MAILADDR or PROGRAM: events go to %s only",
			   mon.to_syslog ? "syslog" : "stderr");
	rescan(&mon);
	process(&mon);
	mon.started = true;
	if (mon.o.test)
		for (size_t i = 0; i < mon.narr; i++)
			if (mon.arr[i].have_snap)
				mon_emit(&mon, MEV_TEST_MESSAGE, mon.arr[i].kname, NULL, NULL,
					   "generated by --test");
	if (mon.o.oneshot) {
		/* retirements and moves want one more look once the kernel has acted */
		if (mon.deadline) {
			usleep(50 * 1000);
			process(&mon);
		}
		mon_wait_children(&mon);
		cleanup(&mon);
		return MDCTL_EXIT_OK;
	}
	if (!mon.narr)
		mdctl_verb("no redundant array yet: waiting for one");
	/* what start-up alone needed (config copies, directory buffers) goes back */
	malloc_trim(0);
	/* Type=notify: ready once the first pass has looked at every array */
	service_notify("READY=1");
	failed = run_loop(&mon);
	service_notify("STOPPING=1");
	mon_say(&mon, failed ? LOG_ERR : LOG_INFO, "monitor stopping%s", failed ? " after a failure" : "");
	mon_wait_children(&mon);
	if (mon.o.pid_file)
		unlink(mon.o.pid_file);
	cleanup(&mon);
	return failed ? MDCTL_EXIT_FAIL : MDCTL_EXIT_OK;
}

