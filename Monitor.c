// SPDX-License-Identifier: GPL-2.0-or-later
/* Monitor.c: mdctl --monitor: one poll() loop that watches md arrays, reports events and pairs spares with replaceable members. */
#include "mdctl.h"
#include "blkdev.h"
#include "config.h"
#include "intent.h"
#include "manage_lib.h"
#include "mdstat.h"
#include "monitor.h"
#include "super1.h"
#include "sysfs.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <libudev.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
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
 *  - /proc/mdstat (POLLPRI) wakes when arrays start/stop and members are
 *    added/removed.  A removed member's attribute fds then report POLLERR
 *    on every poll: their re-read fails and they are closed at once.
 *  - Not notified: dev-X/bad_blocks growth by itself (it comes with a state
 *    wake), dev-X/errors (corrected read errors).  The --delay timer
 *    re-reads everything for those.
 */

#define SETTLE_MS 10          /* coalesce a burst of wakes before reading */
#define UNSETTLED_MS 100      /* re-read while bad blocks are unacknowledged */
#define UNSETTLED_MAX_MS 5000 /* then report anyway */
#define KILL_GRACE_MS 2000    /* SIGTERM to SIGKILL for a program past its time */

enum { AFD_STATE, AFD_DEGRADED, AFD_SYNC_ACTION, AFD_SYNC_COMPLETED, AFD_N };
static const char *const afd_attr[AFD_N] = { "array_state", "degraded", "sync_action",
					      "sync_completed" };

struct mon_mfd {
	char kname[32];
	int state_fd, bb_fd;
};

struct mon_tracked {
	char kname[32];
	struct md_array snap;
	bool have_snap;
	bool announce;           /* appeared after start: NewArray on first read */
	bool dirty;
	bool gone;               /* reported DeviceDisappeared, waiting for it to return */
	int64_t woke_ms;         /* first notification not yet acted on, 0 none */
	int64_t unsettled_since;
	int afd[AFD_N];
	struct mon_mfd *mfd;
	size_t nmfd;
	char (*stalled)[32];     /* members reported ReplaceStalled */
	size_t nstalled;
	char (*retire)[32];      /* replaced originals waiting to be removed */
	size_t nretire;
};

struct mon_child {
	pid_t pid;
	int64_t deadline;
	int stage;               /* 0 running, 1 sent SIGTERM, 2 sent SIGKILL */
	char what[64];
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
	struct udev *udev;
	struct udev_monitor *umon;
	struct mon_child *kids;
	size_t nkids;
	int64_t deadline;        /* next processing pass, 0 none */
	bool stop, reload, rescan, started;
	bool to_stderr, to_syslog;
	char host[256];
	char state_dir[PATH_MAX];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void schedule(struct monitor *mon, int ms)
{
	int64_t t = now_ms() + ms;

	if (!mon->deadline || t < mon->deadline)
		mon->deadline = t;
}

/* ---- messages: foreground on stderr, daemonised or --syslog to syslog ---- */

static void say(struct monitor *mon, int prio, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(struct monitor *mon, int prio, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (mon->to_stderr)
		fprintf(stderr, "mdctl: %s\n", buf);
	if (mon->to_syslog)
		syslog(prio, "%s", buf);
}

/* ---- names ---- */

static void member_path(struct monitor *mon, const char *kname, char *buf, size_t len)
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
	member_path(mon, e->member, nm->member_path, sizeof(nm->member_path));
	if (e->type == MEV_MOVE_SPARE && e->other[0])
		snprintf(nm->other_path, sizeof(nm->other_path), "/dev/%s", e->other);
	else
		member_path(mon, e->other, nm->other_path, sizeof(nm->other_path));
	copy_str(nm->host, sizeof(nm->host), mon->host);
}

/* ---- children: PROGRAM and sendmail, never waited for in the loop ---- */

static void spawn(struct monitor *mon, const char *what, char *const argv[], char *const envp[],
		  const char *input)
{
	struct mon_child *k;
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		say(mon, LOG_ERR, "%s: cannot make a pipe: %s", what, strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		say(mon, LOG_ERR, "%s: cannot fork: %s", what, strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		sigset_t all;

		/* its own process group, so a timeout reaches whatever it started */
		setpgid(0, 0);
		sigfillset(&all);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(p[0], 0);
		execve(argv[0], argv, envp);
		_exit(127);
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
		/* cannot track it: reaped by the SIGCHLD loop anyway */
		return;
	}
	mon->kids = k;
	k = &mon->kids[mon->nkids++];
	k->pid = pid;
	k->stage = 0;
	k->deadline = now_ms() + (int64_t)mon->o.program_timeout * 1000;
	copy_str(k->what, sizeof(k->what), what);
}

static void reap(struct monitor *mon)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (size_t i = 0; i < mon->nkids; i++) {
			if (mon->kids[i].pid != pid)
				continue;
			if (mon->kids[i].stage == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 127)
				say(mon, LOG_ERR, "%s: could not be run", mon->kids[i].what);
			else if (mon->kids[i].stage == 0 && WIFEXITED(st) && WEXITSTATUS(st))
				mdctl_verb("%s exited with status %d", mon->kids[i].what,
					   WEXITSTATUS(st));
			mon->kids[i] = mon->kids[--mon->nkids];
			break;
		}
	}
}

static void kill_overdue(struct monitor *mon)
{
	int64_t t = now_ms();

	for (size_t i = 0; i < mon->nkids; i++) {
		struct mon_child *k = &mon->kids[i];

		if (t < k->deadline || k->stage >= 2)
			continue;
		if (k->stage == 0)
			say(mon, LOG_WARNING, "%s: still running after %d s, stopping it", k->what,
			    mon->o.program_timeout);
		kill(-k->pid, k->stage == 0 ? SIGTERM : SIGKILL);
		kill(k->pid, k->stage == 0 ? SIGTERM : SIGKILL);
		k->stage++;
		k->deadline = t + KILL_GRACE_MS;
	}
}

/* ---- delivery ---- */

static void deliver(struct monitor *mon, const struct mon_event *e)
{
	struct mon_names nm;
	char line[1200], *json;
	const char *program = mon->o.program ? mon->o.program : mon->cfg.program;
	const char *mail = mon->o.mail ? mon->o.mail : mon->cfg.mailaddr;

	event_names(mon, e, &nm);
	mon_event_line(e, &nm, line, sizeof(line));
	say(mon, mon_event_priority(e->type), "%s", line);
	json = mon_event_json(e, &nm);
	if (json && mon->cfg.event_log[0]) {
		int fd = open(mon->cfg.event_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

		if (fd >= 0) {
			char *l = NULL;

			if (asprintf(&l, "%s\n", json) > 0) {
				ssize_t n = write(fd, l, strlen(l));

				(void)n;
			}
			free(l);
			close(fd);
		} else {
			say(mon, LOG_ERR, "%s: cannot open the event log: %s", mon->cfg.event_log,
			    strerror(errno));
		}
	}
	if (mon->o.dry_run) {
		free(json);
		return;
	}
	if (program && program[0]) {
		struct mon_exec *x = malloc(sizeof(*x));

		if (x && mon_build_exec(program, e, &nm, x) == 0) {
			char *in = NULL;

			if (json && asprintf(&in, "%s\n", json) < 0)
				in = NULL;
			spawn(mon, program, x->argv, x->envp, in);
			free(in);
		}
		free(x);
	}
	if (mail && mail[0] && mon_event_mails(e->type)) {
		char *msg = mon_mail_text(e, &nm, mail, mon->cfg.mailfrom);
		char *argv[] = { (char *)"/usr/sbin/sendmail", (char *)"-t", NULL };
		char *envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

		if (msg)
			spawn(mon, "/usr/sbin/sendmail", argv, envp, msg);
		free(msg);
	}
	free(json);
}

static void emit_event(struct monitor *mon, enum mon_ev t, const char *array, const char *member,
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
	deliver(mon, &e);
}

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

static struct mon_tracked *find_tracked(struct monitor *mon, const char *kname)
{
	for (size_t i = 0; i < mon->narr; i++)
		if (!strcmp(mon->arr[i].kname, kname))
			return &mon->arr[i];
	return NULL;
}

static struct mon_tracked *track(struct monitor *mon, const char *kname, bool announce)
{
	struct mon_tracked *t = find_tracked(mon, kname), *na;

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
	free(t->stalled);
	free(t->retire);
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

		if (find_tracked(mon, names[i]))
			continue;
		/* raid0, linear and containers have nothing to monitor */
		if (sysfs_md_read(mon->ctx->sysfs_root, names[i], "level", level, sizeof(level)) ||
		    !mon_level_redundant(level))
			continue;
		track(mon, names[i], mon->started);
	}
	free(names);
}

/* ---- device identity: the member's own superblock (6.1 has no md/dev-X/super) ---- */

static int member_dev_uuid(struct monitor *mon, const char *md, const char *kname, uint8_t uuid[16])
{
	char path[PATH_MAX];
	struct sb1_dev *d;
	int fd, rc;

	(void)md;
	member_path(mon, kname, path, sizeof(path));
	fd = blkdev_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	d = malloc(sizeof(*d));
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	rc = sb1_load(fd, -1, d);
	close(fd);
	if (!rc)
		memcpy(uuid, d->info.device_uuid, 16);
	free(d);
	return rc;
}

static int parse_uuid(const char *s, uint8_t out[16])
{
	unsigned k = 0;

	for (; *s && k < 32; s++) {
		int v;

		if (*s == '-' || *s == ':')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -EINVAL;
		if (k % 2 == 0)
			out[k / 2] = (uint8_t)(v << 4);
		else
			out[k / 2] |= (uint8_t)v;
		k++;
	}
	return k == 32 && !*s ? 0 : -EINVAL;
}

static const struct cfg_array *array_cfg(struct monitor *mon, const struct md_array *a)
{
	uint8_t u[16];

	if (parse_uuid(a->uuid, u))
		return NULL;
	return config_find_array(&mon->cfg, u, NULL);
}

/* ---- actions ---- */

static void set_flag(struct mon_tracked *t, const char *member, unsigned flag)
{
	struct md_member *m = t->have_snap ? md_array_find(&t->snap, member) : NULL;

	if (m)
		m->flags |= flag;
}

static int mark_member(struct monitor *mon, struct mon_tracked *t, const char *member,
		       const char *why, bool record)
{
	int rc;

	if (mon->o.dry_run) {
		say(mon, LOG_INFO, "dry-run: would mark %s of %s for replacement: %s", member,
		    t->kname, why);
		return 0;
	}
	rc = sysfs_dev_write(mon->ctx->sysfs_root, t->kname, member, "state", "want_replacement");
	if (rc) {
		say(mon, LOG_ERR, "%s: cannot mark %s for replacement: %s", t->kname, member,
		    strerror(-rc));
		return rc;
	}
	if (record) {
		struct replace_intent in;

		memset(&in, 0, sizeof(in));
		if (!parse_uuid(t->snap.uuid, in.array_uuid) &&
		    !member_dev_uuid(mon, t->kname, member, in.old_dev_uuid)) {
			copy_str(in.old_kname, sizeof(in.old_kname), member);
			copy_str(in.md_kname, sizeof(in.md_kname), t->kname);
			in.created = time(NULL);
			rc = intent_add(mon->state_dir, &in);
			if (rc)
				say(mon, LOG_WARNING, "%s: cannot record the replacement intent: %s",
				    mon->state_dir, strerror(-rc));
		}
	}
	set_flag(t, member, MDM_WANT_REPLACEMENT);
	emit_event(mon, MEV_WANT_REPLACEMENT, t->kname, member, NULL, why);
	t->dirty = true;
	return 0;
}

/* Add path as a spare of the array md; kname gets the new member's name. */
static int add_spare(struct monitor *mon, const char *md, const char *path, unsigned check_flags,
		     char *kname, size_t klen, char *err, size_t errlen)
{
	struct md_spare_undo undo;
	struct md_array a;
	char why[256] = "";
	int64_t t0 = now_ms();
	int rc;

	rc = blkdev_check_new_member(mon->ctx->sysfs_root, path, 0, NULL, check_flags, why,
				     sizeof(why));
	mdctl_verb("%s: %s checked as a new member in %lld ms", md, path, (long long)(now_ms() - t0));
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, why[0] ? why : strerror(-rc));
		return rc;
	}
	rc = md_array_read(mon->ctx->sysfs_root, md, &a);
	if (rc) {
		snprintf(err, errlen, "%s: %s", md, strerror(-rc));
		return rc;
	}
	memset(&undo, 0, sizeof(undo));
	rc = md_add_spare(mon->ctx->sysfs_root, mon->ctx->dev_root, &a, path, &undo);
	md_array_free(&a);
	mdctl_verb("%s: %s added in %lld ms", md, path, (long long)(now_ms() - t0));
	if (rc) {
		snprintf(err, errlen, "%s: cannot add %s: %s", md, path, strerror(-rc));
		return rc;
	}
	copy_str(kname, klen, undo.kname);
	return 0;
}

static void do_move(struct monitor *mon, const struct mon_action *act)
{
	struct mon_tracked *target = find_tracked(mon, act->target);
	struct mon_tracked *donor = find_tracked(mon, act->donor);
	char path[PATH_MAX], state[128] = "", slot[16] = "", err[512] = "", kname[32] = "";
	char detail[512];
	int rc;

	if (mon->o.dry_run) {
		say(mon, LOG_INFO, "dry-run: would move spare %s from %s to %s: %s", act->spare,
		    act->donor, act->target, act->why);
		return;
	}
	/* still an unslotted working spare? the kernel may have used it meanwhile */
	sysfs_dev_read(mon->ctx->sysfs_root, act->donor, act->spare, "state", state, sizeof(state));
	sysfs_dev_read(mon->ctx->sysfs_root, act->donor, act->spare, "slot", slot, sizeof(slot));
	if (strcmp(slot, "none") || (sysfs_parse_dev_state(state) & MDM_FAULTY)) {
		mdctl_verb("%s: %s is no longer a spare (slot %s), not moved", act->donor, act->spare,
			   slot);
		return;
	}
	member_path(mon, act->spare, path, sizeof(path));
	mdctl_verb("%s: moving %s: checked (+%lld ms)", act->target, act->spare,
		   target && target->woke_ms ? (long long)(now_ms() - target->woke_ms) : -1LL);
	rc = md_member_remove(mon->ctx->sysfs_root, act->donor, act->spare, 1000);
	mdctl_verb("%s: moving %s: removed from %s (+%lld ms)", act->target, act->spare, act->donor,
		   target && target->woke_ms ? (long long)(now_ms() - target->woke_ms) : -1LL);
	if (rc) {
		say(mon, LOG_ERR, "%s: cannot remove spare %s to move it: %s", act->donor, act->spare,
		    strerror(-rc));
		return;
	}
	/* it carries the donor's superblock: the signature is expected, in-use is not */
	rc = add_spare(mon, act->target, path, BLKDEV_FORCE, kname, sizeof(kname), err, sizeof(err));
	if (rc) {
		char err2[512] = "", k2[32];

		say(mon, LOG_ERR, "%s; giving %s back to %s", err, path, act->donor);
		if (add_spare(mon, act->donor, path, BLKDEV_FORCE, k2, sizeof(k2), err2, sizeof(err2)))
			say(mon, LOG_ERR, "%s", err2);
		if (donor)
			donor->dirty = true;
		return;
	}
	snprintf(detail, sizeof(detail), "%s", act->why);
	if (target && target->woke_ms) {
		size_t l = strlen(detail);

		snprintf(detail + l, sizeof(detail) - l, " (%lld ms after the kernel's notification)",
			 (long long)(now_ms() - target->woke_ms));
	}
	emit_event(mon, MEV_MOVE_SPARE, act->target, kname, act->donor, detail);
	if (target)
		target->dirty = true;
	if (donor)
		donor->dirty = true;
}

static void do_add(struct monitor *mon, const struct mon_action *act)
{
	struct mon_tracked *target = find_tracked(mon, act->target);
	char err[512] = "", kname[32] = "";

	if (mon->o.dry_run) {
		say(mon, LOG_INFO, "dry-run: would add %s to %s as a spare: %s", act->path, act->target,
		    act->why);
		return;
	}
	if (add_spare(mon, act->target, act->path, 0, kname, sizeof(kname), err, sizeof(err))) {
		say(mon, LOG_ERR, "%s", err);
		return;
	}
	emit_event(mon, MEV_MOVE_SPARE, act->target, kname, NULL, act->why);
	if (target)
		target->dirty = true;
}

static bool in_list(char (*l)[32], size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i], k))
			return true;
	return false;
}

static void push_name(char (**l)[32], size_t *n, const char *k)
{
	char (*nl)[32];

	if (in_list(*l, *n, k))
		return;
	nl = realloc(*l, (*n + 1) * sizeof(**l));
	if (!nl)
		return;
	*l = nl;
	copy_str(nl[*n], 32, k);
	(*n)++;
}

/* Whether glob matches path, its name, its resolved path or one of its /dev/disk/by-path names. */
static bool path_matches(struct monitor *mon, const char *glob, const char *path, const char *real)
{
	const char *base = strrchr(path, '/');
	char dir[PATH_MAX];
	struct dirent *de;
	bool hit = false;
	DIR *d;

	if (!fnmatch(glob, path, 0) || !fnmatch(glob, real, 0) || (base && !fnmatch(glob, base + 1, 0)))
		return true;
	snprintf(dir, sizeof(dir), "%s/disk/by-path", mon->ctx->dev_root);
	d = opendir(dir);
	if (!d)
		return false;
	while (!hit && (de = readdir(d))) {
		char link[PATH_MAX], target[PATH_MAX];

		if (de->d_name[0] == '.' || fnmatch(glob, de->d_name, 0))
			continue;
		if (snprintf(link, sizeof(link), "%s/%s", dir, de->d_name) >= (int)sizeof(link))
			continue;
		hit = realpath(link, target) && !strcmp(target, real);
	}
	closedir(d);
	return hit;
}

/* POLICY ... action=spare path=GLOB: unused disks the monitor may give to an array. */
static bool policy_allows(struct monitor *mon, const char *path)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		copy_str(real, sizeof(real), path);
	for (size_t i = 0; i < mon->cfg.npolicies; i++) {
		const struct cfg_policy *p = &mon->cfg.policies[i];

		if (strcmp(p->action, "spare") && strcmp(p->action, "force-spare"))
			continue;
		/* no path= would hand out any blank disk: require one */
		if (!p->path[0])
			continue;
		if (path_matches(mon, p->path, path, real))
			return true;
	}
	return false;
}

static void policy_disks(struct monitor *mon, struct mon_plan_disk **out, size_t *nout)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*nout = 0;
	snprintf(dir, sizeof(dir), "%s/class/block", mon->ctx->sysfs_root);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[PATH_MAX], why[256];
		struct mon_plan_disk *nd;
		uint64_t sectors = 0;
		int fd;

		if (de->d_name[0] == '.' || !strncmp(de->d_name, "md", 2))
			continue;
		if (blkdev_path_of_kname(mon->ctx->dev_root, mon->ctx->sysfs_root, de->d_name, path,
					 sizeof(path)))
			continue;
		if (!policy_allows(mon, path))
			continue;
		if (blkdev_check_new_member(mon->ctx->sysfs_root, path, 0, NULL, 0, why, sizeof(why))) {
			mdctl_verb("%s: POLICY allows it as a spare but it %s", path, why);
			continue;
		}
		fd = blkdev_open(path, O_RDONLY);
		if (fd >= 0) {
			blkdev_size(fd, &sectors);
			close(fd);
		}
		nd = realloc(*out, (*nout + 1) * sizeof(*nd));
		if (!nd)
			break;
		*out = nd;
		copy_str(nd[*nout].path, sizeof(nd[*nout].path), path);
		nd[*nout].size_kib = sectors / 2;
		(*nout)++;
	}
	closedir(d);
}

static bool has_spare_policy(struct monitor *mon)
{
	for (size_t i = 0; i < mon->cfg.npolicies; i++)
		if (!strcmp(mon->cfg.policies[i].action, "spare") ||
		    !strcmp(mon->cfg.policies[i].action, "force-spare"))
			return true;
	return false;
}

static void plan_and_act(struct monitor *mon)
{
	struct mon_plan_array *pa = calloc(mon->narr ? mon->narr : 1, sizeof(*pa));
	struct mon_plan_disk *disks = NULL;
	struct mon_actions acts = { 0 };
	size_t n = 0, ndisks = 0;
	bool want_disks = false;

	if (!pa)
		return;
	for (size_t i = 0; i < mon->narr; i++) {
		struct mon_tracked *t = &mon->arr[i];
		const struct cfg_array *c;

		if (!t->have_snap || t->gone)
			continue;
		c = array_cfg(mon, &t->snap);
		pa[n].a = &t->snap;
		pa[n].spare_group = c && !mon->o.no_sharing ? c->spare_group : "";
		pa[n].replace_badblocks = c && c->replace_badblocks >= 0 ? c->replace_badblocks
									 : mon->cfg.replace_badblocks;
		pa[n].replace_errors = c && c->replace_errors >= 0 ? c->replace_errors
								   : mon->cfg.replace_errors;
		n++;
	}
	if (mon_plan(pa, n, NULL, 0, &acts))
		goto out;
	for (size_t i = 0; i < acts.n; i++)
		want_disks |= acts.v[i].kind == MACT_STALLED ||
			      (acts.v[i].kind == MACT_NOTE && strstr(acts.v[i].why, "no spare"));
	if (want_disks && !mon->o.no_sharing && has_spare_policy(mon)) {
		policy_disks(mon, &disks, &ndisks);
		if (ndisks) {
			mon_actions_free(&acts);
			if (mon_plan(pa, n, disks, ndisks, &acts))
				goto out;
		}
	}
	for (size_t i = 0; i < mon->narr; i++) {
		/* stalled reports are renewed each pass: a member served is forgotten */
		struct mon_tracked *t = &mon->arr[i];
		char (*keep)[32] = NULL;
		size_t nkeep = 0;

		for (size_t k = 0; k < acts.n; k++)
			if (acts.v[k].kind == MACT_STALLED && !strcmp(acts.v[k].target, t->kname) &&
			    in_list(t->stalled, t->nstalled, acts.v[k].member))
				push_name(&keep, &nkeep, acts.v[k].member);
		free(t->stalled);
		t->stalled = keep;
		t->nstalled = nkeep;
	}
	for (size_t i = 0; i < acts.n; i++) {
		const struct mon_action *a = &acts.v[i];
		struct mon_tracked *t = find_tracked(mon, a->target);

		switch (a->kind) {
		case MACT_MARK:
			if (t)
				mark_member(mon, t, a->member, a->why, true);
			break;
		case MACT_MOVE:
			do_move(mon, a);
			break;
		case MACT_ADD:
			do_add(mon, a);
			break;
		case MACT_STALLED:
			if (t && !in_list(t->stalled, t->nstalled, a->member)) {
				push_name(&t->stalled, &t->nstalled, a->member);
				emit_event(mon, MEV_REPLACE_STALLED, a->target, a->member, NULL, a->why);
			}
			break;
		case MACT_NOTE:
			if (mon->o.dry_run)
				say(mon, LOG_INFO, "dry-run: %s: %s", a->target, a->why);
			else
				mdctl_verb("%s: %s", a->target, a->why);
			break;
		}
	}
out:
	mon_actions_free(&acts);
	free(disks);
	free(pa);
}

/* After ReplaceFinished: take the retired original out and forget its intent. */
static void retire_pending(struct monitor *mon, struct mon_tracked *t)
{
	for (size_t i = 0; i < t->nretire;) {
		const char *k = t->retire[i];
		uint8_t au[16], du[16];
		bool have_ids;
		int rc;

		have_ids = !parse_uuid(t->snap.uuid, au) && !member_dev_uuid(mon, t->kname, k, du);
		if (have_ids && !mon->o.dry_run) {
			rc = intent_remove(mon->state_dir, au, du);
			if (rc)
				say(mon, LOG_WARNING, "%s: cannot clear the replacement intent of %s: %s",
				    mon->state_dir, k, strerror(-rc));
		}
		if (!mon->cfg.remove_retired) {
			memmove(t->retire[i], t->retire[t->nretire - 1], 32);
			t->nretire--;
			continue;
		}
		if (mon->o.dry_run) {
			say(mon, LOG_INFO, "dry-run: would remove the retired %s from %s", k, t->kname);
			rc = 0;
		} else {
			rc = md_member_remove(mon->ctx->sysfs_root, t->kname, k, 200);
			if (rc == -EBUSY) {
				schedule(mon, 500);
				i++;
				continue;
			}
			if (rc && rc != -ENOENT && rc != -ENODEV)
				say(mon, LOG_ERR, "%s: cannot remove the retired %s: %s", t->kname, k,
				    strerror(-rc));
			else
				say(mon, LOG_INFO, "%s: removed the retired %s", t->kname, k);
		}
		memmove(t->retire[i], t->retire[t->nretire - 1], 32);
		t->nretire--;
		t->dirty = true;
	}
}

/* A stored intent whose member is back (after a reboot, the kernel forgot the mark). */
static void apply_intents(struct monitor *mon, struct mon_tracked *t)
{
	struct replace_intent *list = NULL;
	uint8_t au[16];
	size_t n = 0;

	if (parse_uuid(t->snap.uuid, au) || intent_load(mon->state_dir, &list, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		if (memcmp(list[i].array_uuid, au, 16))
			continue;
		for (unsigned j = 0; j < t->snap.nmembers; j++) {
			const struct md_member *m = &t->snap.members[j];
			uint8_t du[16];

			if (member_dev_uuid(mon, t->kname, m->kname, du) ||
			    memcmp(du, list[i].old_dev_uuid, 16))
				continue;
			if (m->slot >= 0 && (m->flags & MDM_IN_SYNC) && !mon_member_failed(m) &&
			    !(m->flags & (MDM_WANT_REPLACEMENT | MDM_REPLACEMENT)))
				mark_member(mon, t, m->kname, "stored replacement intent re-applied",
					    false);
		}
	}
	free(list);
}

/* ---- one processing pass ---- */

static void process_array(struct monitor *mon, struct mon_tracked *t)
{
	struct mon_derive_opts dopt = { .increment = mon->o.increment, .expected_spares = -1 };
	struct mon_events ev = { 0 };
	const struct cfg_array *c;
	struct md_array cur;
	bool first;
	int rc;

	t->dirty = false;
	rc = md_array_read(mon->ctx->sysfs_root, t->kname, &cur);
	if (rc == 0 && !mon_array_active(&cur)) {
		md_array_free(&cur);
		rc = -ENODEV;
	}
	if (rc) {
		if (t->have_snap && !t->gone) {
			emit_event(mon, MEV_DEVICE_DISAPPEARED, t->kname, NULL, NULL,
				   "the array stopped or was removed");
		}
		untrack_fds(t);
		forget_snapshot(t);
		t->gone = true;
		return;
	}
	first = !t->have_snap;
	c = array_cfg(mon, &cur);
	if (c)
		dopt.expected_spares = c->spares;
	if (!t->unsettled_since)
		t->unsettled_since = now_ms();
	dopt.force = now_ms() - t->unsettled_since > UNSETTLED_MAX_MS;
	if (first && (t->announce || t->gone))
		emit_event(mon, MEV_NEW_ARRAY, t->kname, NULL, NULL,
			   t->gone ? "the array is back" : "a new array appeared");
	t->gone = false;
	rc = mon_derive(first ? NULL : &t->snap, &cur, &dopt, &ev);
	if (rc == 1) {
		/* write errors being recorded: read again once the burst is over */
		md_array_free(&cur);
		t->dirty = true;
		schedule(mon, UNSETTLED_MS);
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
		deliver(mon, &ev.v[i]);
		if (ev.v[i].type == MEV_REPLACE_FINISHED)
			push_name(&t->retire, &t->nretire, ev.v[i].member);
	}
	mon_events_free(&ev);
	if (first)
		apply_intents(mon, t);
	if (t->nretire)
		retire_pending(mon, t);
}

static void process(struct monitor *mon)
{
	int64_t t0 = now_ms();
	bool any = false;

	mon->deadline = 0;
	if (mon->rescan) {
		mon->rescan = false;
		rescan(mon);
	}
	for (size_t i = 0; i < mon->narr; i++) {
		struct mon_tracked *t = &mon->arr[i];

		if (!t->dirty)
			continue;
		any = true;
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
		mdctl_verb("arrays read in %lld ms", (long long)(now_ms() - t0));
		plan_and_act(mon);
	}
	for (size_t i = 0; i < mon->narr; i++) {
		if (mon->arr[i].dirty)
			schedule(mon, SETTLE_MS);
		else
			mon->arr[i].woke_ms = 0;
	}
}

static void mark_all_dirty(struct monitor *mon)
{
	for (size_t i = 0; i < mon->narr; i++)
		mon->arr[i].dirty = true;
}

/* ---- config ---- */

static void apply_config_defaults(struct monitor *mon)
{
	const char *sd = mon->cfg.state_dir[0] ? mon->cfg.state_dir : mon->ctx->state_dir;

	copy_str(mon->state_dir, sizeof(mon->state_dir), sd);
}

static void reload_config(struct monitor *mon)
{
	char err[512] = "";
	int rc = mon_config_reload(&mon->cfg, mon->o.config, err, sizeof(err));

	if (rc) {
		say(mon, LOG_ERR, "%s; keeping the previous configuration", err[0] ? err : strerror(-rc));
		return;
	}
	apply_config_defaults(mon);
	say(mon, LOG_INFO, "configuration reloaded from %s", mon->cfg.path[0] ? mon->cfg.path : "(none)");
	mon->rescan = true;
	mark_all_dirty(mon);
	schedule(mon, 0);
}

/* ---- the loop ---- */

enum pkind { PK_SIG, PK_MDSTAT, PK_UDEV, PK_TIMER, PK_ARRAY, PK_MEMBER };

struct ptag {
	enum pkind kind;
	size_t arr;
	size_t mfd;
	int which;               /* AFD_* or 0 state / 1 bad_blocks */
};

static void drain_mdstat(int fd)
{
	char buf[4096];

	/* reading to the end re-arms /proc/mdstat's POLLPRI */
	if (lseek(fd, 0, SEEK_SET) < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void handle_signals(struct monitor *mon)
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
			reap(mon);
			break;
		}
	}
}

static void handle_udev(struct monitor *mon)
{
	struct udev_device *d;

	while ((d = udev_monitor_receive_device(mon->umon))) {
		const char *action = udev_device_get_action(d);

		mdctl_verb("udev: %s %s", action ? action : "?", udev_device_get_sysname(d));
		udev_device_unref(d);
		/* an array started or stopped, or a disk came or went: look again */
		mon->rescan = true;
		mark_all_dirty(mon);
	}
	schedule(mon, SETTLE_MS);
}

static void wake_array(struct monitor *mon, struct mon_tracked *t)
{
	if (!t->woke_ms)
		t->woke_ms = now_ms();
	t->dirty = true;
	schedule(mon, SETTLE_MS);
}

static int poll_once(struct monitor *mon)
{
	size_t cap = 4 + mon->narr * AFD_N, n = 0;
	struct pollfd *pf;
	struct ptag *tag;
	int timeout = -1, rc;
	int64_t t = now_ms();

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
		char buf[256];

		if (!pf[i].revents)
			continue;
		switch (tag[i].kind) {
		case PK_SIG:
			handle_signals(mon);
			break;
		case PK_MDSTAT:
			drain_mdstat(pf[i].fd);
			mon->rescan = true;
			mark_all_dirty(mon);
			for (size_t k = 0; k < mon->narr; k++)
				if (!mon->arr[k].woke_ms)
					mon->arr[k].woke_ms = now_ms();
			schedule(mon, SETTLE_MS);
			break;
		case PK_UDEV:
			handle_udev(mon);
			break;
		case PK_TIMER: {
			uint64_t ticks;

			if (read(pf[i].fd, &ticks, sizeof(ticks)) < 0)
				break;
			/* the fallback for what the kernel does not notify */
			mon->rescan = true;
			mark_all_dirty(mon);
			schedule(mon, 0);
			break;
		}
		case PK_ARRAY: {
			struct mon_tracked *a = &mon->arr[tag[i].arr];

			if (sysfs_watch_read(pf[i].fd, buf, sizeof(buf)) < 0) {
				close(a->afd[tag[i].which]);
				a->afd[tag[i].which] = -1;
			}
			wake_array(mon, a);
			break;
		}
		case PK_MEMBER: {
			struct mon_tracked *a = &mon->arr[tag[i].arr];
			struct mon_mfd *f = &a->mfd[tag[i].mfd];
			int *fdp = tag[i].which ? &f->bb_fd : &f->state_fd;
			char big[4096];

			/* a member that left: its attributes report POLLERR forever, close them */
			int e = sysfs_watch_read(pf[i].fd, big, sizeof(big));

			if (e < 0 && e != -EOVERFLOW) {
				close(*fdp);
				*fdp = -1;
			}
			wake_array(mon, a);
			break;
		}
		}
	}
	rc = 0;
out:
	free(pf);
	free(tag);
	return rc;
}

/* ---- setup ---- */

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
	if (mon->mdstat_fd >= 0)
		drain_mdstat(mon->mdstat_fd);
	mon->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (mon->timer_fd >= 0) {
		struct itimerspec its = { { mon->o.delay, 0 }, { mon->o.delay, 0 } };

		timerfd_settime(mon->timer_fd, 0, &its, NULL);
	}
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
	}
	return 0;
}

static int take_lock(struct monitor *mon)
{
	const char *dir = getenv("MDCTL_RUN_DIR");
	char path[PATH_MAX];

	if (!dir || !*dir)
		dir = "/run/mdctl";
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/monitor.lock", dir);
	mon->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (mon->lock_fd < 0) {
		mdctl_err("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (flock(mon->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		mdctl_err("%s: another monitor is already running", path);
		return -1;
	}
	return 0;
}

static int daemonise(struct monitor *mon)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		mdctl_err("--daemonise: cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		_exit(0);
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
	return 0;
}

static int write_pid_file(const char *path)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, strlen(buf)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

static void wait_children(struct monitor *mon)
{
	/* --oneshot: the programs started get their time, no more */
	while (mon->nkids) {
		int64_t t = now_ms(), next = INT64_MAX;
		struct pollfd p = { .fd = mon->sig_fd, .events = POLLIN };

		for (size_t i = 0; i < mon->nkids; i++)
			if (mon->kids[i].deadline < next)
				next = mon->kids[i].deadline;
		if (poll(&p, 1, next > t ? (int)(next - t) : 0) > 0)
			handle_signals(mon);
		kill_overdue(mon);
		reap(mon);
	}
}

/* ---- options ---- */

enum { OPT_DRY_RUN = 1000, OPT_NO_SHARING, OPT_PROGRAM_TIMEOUT };

static const char help_text[] =
"Usage: mdctl --monitor [OPTIONS] [--scan | /dev/mdN...]\n"
"Watch md arrays, report events, and pair spares with members to replace.\n"
"\n"
"  -F, --monitor, --follow  monitor mode\n"
"  -s, --scan               all redundant arrays, including ones that appear later\n"
"  -m, --mail=ADDR          mail events to ADDR through sendmail (MAILADDR)\n"
"  -p, --program=PROG       run PROG EVENT MDDEV [MEMBER] per event (PROGRAM), also --alert\n"
"      --program-timeout=S  stop PROG after S seconds (default 10)\n"
"  -y, --syslog             report events to syslog as well\n"
"  -d, --delay=S            re-read everything every S seconds (default MONITORDELAY or 60)\n"
"  -r, --increment=N        RebuildNN/ReplaceNN every N percent (default 20)\n"
"  -f, --daemonise          run in the background (also --daemonize)\n"
"  -i, --pid-file=FILE      write the daemon's pid to FILE\n"
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
"ReplaceStalled BadBlocks.  SIGHUP reloads the config; see mdctl(8) MONITOR.\n";

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
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* 0 parsed, 1 --help given, -1 usage error (already reported) */
static int parse_opts(struct monitor_opts *o, int argc, char **argv)
{
	int c, v;

	o->increment = 20;
	o->program_timeout = 10;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Fsm:p:yd:r:fi:1tc:vqh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			break;
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
		case 'v':
			mdctl_verbose++;
			break;
		case 'q':
			mdctl_verbose--;
			break;
		case 'h':
			return 1;
		case ':':
			mdctl_err("--monitor: option %s needs a value", argv[optind - 1]);
			return -1;
		default:
			mdctl_err("--monitor: unknown option %s", argv[optind - 1]);
			return -1;
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
	if (mon->umon)
		udev_monitor_unref(mon->umon);
	if (mon->udev)
		udev_unref(mon->udev);
	if (mon->sig_fd >= 0)
		close(mon->sig_fd);
	if (mon->mdstat_fd >= 0)
		close(mon->mdstat_fd);
	if (mon->timer_fd >= 0)
		close(mon->timer_fd);
	if (mon->lock_fd >= 0)
		close(mon->lock_fd);
	config_free(&mon->cfg);
}

int cmd_monitor(struct mdctl_ctx *ctx, int argc, char **argv)
{
	struct monitor mon;
	char err[512] = "";
	int rc;

	memset(&mon, 0, sizeof(mon));
	mon.ctx = ctx;
	mon.sig_fd = mon.mdstat_fd = mon.timer_fd = mon.lock_fd = -1;
	rc = parse_opts(&mon.o, argc, argv);
	if (rc) {
		if (rc > 0) {
			fputs(help_text, stdout);
			return MDCTL_EXIT_OK;
		}
		return MDCTL_EXIT_USAGE;
	}
	if (!mon.o.config)
		mon.o.config = ctx->config_file;
	rc = config_load(mon.o.config, &mon.cfg, err, sizeof(err));
	if (rc) {
		/* refused at start: the line is named, nothing runs on a half-read config */
		mdctl_err("%s", err[0] ? err : strerror(-rc));
		return MDCTL_EXIT_FAIL;
	}
	apply_config_defaults(&mon);
	if (!mon.o.delay)
		mon.o.delay = mon.cfg.monitor_delay > 0 ? mon.cfg.monitor_delay : 60;
	if (gethostname(mon.host, sizeof(mon.host) - 1) < 0)
		copy_str(mon.host, sizeof(mon.host), "localhost");
	mon.to_stderr = true;
	mon.to_syslog = mon.o.syslog;
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
	if (mon.o.daemonise && daemonise(&mon)) {
		cleanup(&mon);
		return MDCTL_EXIT_FAIL;
	}
	if (mon.to_syslog)
		openlog("mdctl", LOG_PID, LOG_DAEMON);
	if (mon.o.pid_file && (rc = write_pid_file(mon.o.pid_file)))
		say(&mon, LOG_ERR, "%s: cannot write the pid file: %s", mon.o.pid_file, strerror(-rc));
	rc = setup_fds(&mon);
	if (rc) {
		say(&mon, LOG_ERR, "--monitor: cannot set up signals: %s", strerror(-rc));
		cleanup(&mon);
		return MDCTL_EXIT_FAIL;
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
				emit_event(&mon, MEV_TEST_MESSAGE, mon.arr[i].kname, NULL, NULL,
					   "generated by --test");
	if (mon.o.oneshot) {
		/* retirements and moves want one more look once the kernel has acted */
		if (mon.deadline) {
			usleep(50 * 1000);
			process(&mon);
		}
		wait_children(&mon);
		cleanup(&mon);
		return MDCTL_EXIT_OK;
	}
	if (!mon.narr)
		mdctl_verb("no redundant array yet: waiting for one");
	while (!mon.stop) {
		if (poll_once(&mon) < 0)
			break;
		if (mon.reload) {
			mon.reload = false;
			reload_config(&mon);
		}
		kill_overdue(&mon);
		if (mon.deadline && now_ms() >= mon.deadline)
			process(&mon);
	}
	say(&mon, LOG_INFO, "monitor stopping");
	wait_children(&mon);
	if (mon.o.pid_file)
		unlink(mon.o.pid_file);
	cleanup(&mon);
	return MDCTL_EXIT_OK;
}
