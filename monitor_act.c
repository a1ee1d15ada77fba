// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_act.c: what a running monitor changes: threshold marks, spare moves and POLICY disks, retiring replaced members, replacement intents. */
#include "blkdev.h"
#include "config.h"
#include "intent.h"
#include "manage_lib.h"
#include "mdops.h"
#include "monitor.h"
#include "monitor_run.h"
#include "super1.h"
#include "mdarray.h"
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/*
 * --dry-run says each would-be action once: a long-running dry run plans
 * again on every wake and would otherwise repeat itself.
 */
static void dry_say(struct monitor *mon, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void dry_say(struct monitor *mon, const char *fmt, ...)
{
	char buf[1024], **nl;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < mon->ndry_seen; i++)
		if (!strcmp(mon->dry_seen[i], buf))
			return;
	mon_say(mon, LOG_INFO, "%s", buf);
	nl = realloc(mon->dry_seen, (mon->ndry_seen + 1) * sizeof(*nl));
	if (!nl)
		return;
	mon->dry_seen = nl;
	nl[mon->ndry_seen] = strdup(buf);
	if (nl[mon->ndry_seen])
		mon->ndry_seen++;
}

/* ---- device identity: the member's own superblock (6.1 has no md/dev-X/super) ---- */

static int member_dev_uuid(struct monitor *mon, const struct mon_tracked *t, const char *kname,
			   uint8_t uuid[16])
{
	struct md_member m = { .slot = -1 };
	int rc;

	if (copy_str(m.kname, sizeof(m.kname), kname))
		return -ENAMETOOLONG;
	rc = md_member_load_id(mon->ctx->dev_root, &t->snap, &m);
	if (!rc)
		memcpy(uuid, m.id.dev_uuid, 16);
	return rc;
}

const struct cfg_array *mon_array_cfg(struct monitor *mon, const struct md_array *a)
{
	uint8_t u[16];

	if (config_parse_uuid(a->uuid, u))
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
		dry_say(mon, "dry-run: would mark %s of %s for replacement: %s", member,
		    t->kname, why);
		return 0;
	}
	rc = mdops_mark(mon->ctx->sysfs_root, t->kname, member, true);
	if (rc) {
		mon_say(mon, LOG_ERR, "%s: cannot mark %s for replacement: %s", t->kname, member,
		    strerror(-rc));
		return rc;
	}
	if (record) {
		struct replace_intent in;

		memset(&in, 0, sizeof(in));
		if (!config_parse_uuid(t->snap.uuid, in.array_uuid) &&
		    !member_dev_uuid(mon, t, member, in.old_dev_uuid)) {
			copy_str(in.old_kname, sizeof(in.old_kname), member);
			copy_str(in.md_kname, sizeof(in.md_kname), t->kname);
			in.created = time(NULL);
			rc = intent_add(mon->state_dir, &in);
			if (rc)
				mon_say(mon, LOG_WARNING, "%s: cannot record the replacement intent: %s",
				    mon->state_dir, safe_strerror(rc));
		}
	}
	set_flag(t, member, MDM_WANT_REPLACEMENT);
	mon_emit(mon, MEV_WANT_REPLACEMENT, t->kname, member, NULL, why);
	t->dirty = true;
	return 0;
}

/*
 * Add path as a spare of the array md; kname gets the new member's name.
 * prep: md's model and free number gathered beforehand (NULL: found here).
 */
/*
 * known: the device is a spare its array has just let go, this number
 * (the kernel's own record of the member removed): the checks of a new
 * member are left to the write's exclusive open and its comparison with
 * that number (md_add_spare_prepared()), which is what they would find.
 */
static int add_spare(struct monitor *mon, const char *md, const char *path, unsigned check_flags,
		     const struct blkdev_id *known, const struct md_spare_prep *prep, char *kname,
		     size_t klen, char *err, size_t errlen)
{
	struct md_spare_undo undo;
	struct blkdev_id id;
	struct mon_tracked *t;
	struct md_array a;
	char why[256] = "";
	int64_t t0 = mon_now_ms();
	int rc = 0;

	if (known) {
		id = *known;
	} else {
		rc = blkdev_check_new_member(mon->ctx->sysfs_root, path, 0, NULL, check_flags, &id,
					     why, sizeof(why));
		mdctl_verb("%s: %s checked as a new member in %lld ms", md, path,
			   (long long)(mon_now_ms() - t0));
	}
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, why[0] ? why : strerror(-rc));
		return rc;
	}
	/* the pass's fresh snapshot names the model members; md_add_spare reads the rest anew */
	t = mon_find_tracked(mon, md);
	if (!t || !t->have_snap) {
		rc = md_array_read(mon->ctx->sysfs_root, md, &a);
		if (rc) {
			snprintf(err, errlen, "%s: %s", md, strerror(-rc));
			return rc;
		}
	}
	memset(&undo, 0, sizeof(undo));
	if (prep)
		rc = md_add_spare_prepared(mon->ctx->sysfs_root, mon->ctx->dev_root,
					   t && t->have_snap ? &t->snap : &a, path, &id, check_flags,
					   prep, &undo);
	else
		rc = md_add_spare(mon->ctx->sysfs_root, mon->ctx->dev_root,
				  t && t->have_snap ? &t->snap : &a, path, &id, check_flags, &undo);
	if (!t || !t->have_snap)
		md_array_free(&a);
	mdctl_verb("%s: %s added in %lld ms", md, path, (long long)(mon_now_ms() - t0));
	if (rc) {
		md_spare_undo_text(&undo, why, sizeof(why));
		snprintf(err, errlen, "%s: cannot add %s: %s; %s", md, path,
			 undo.why[0] ? undo.why : strerror(-rc), why);
		return rc;
	}
	copy_str(kname, klen, undo.kname);
	return 0;
}

static void do_move(struct monitor *mon, const struct mon_action *act)
{
	struct mon_tracked *target = mon_find_tracked(mon, act->target);
	struct mon_tracked *donor = mon_find_tracked(mon, act->donor);
	char path[PATH_MAX], state[128] = "", slot[16] = "", err[512] = "", kname[32] = "";
	char detail[512];
	const struct md_member *m;
	struct md_spare_prep prep;
	struct blkdev_id id;
	bool have_prep, have_id;
	int rc;

	if (mon->o.dry_run) {
		dry_say(mon, "dry-run: would move spare %s from %s to %s: %s", act->spare,
		    act->donor, act->target, act->why);
		return;
	}
	/* still an unslotted working spare? the kernel may have used it meanwhile */
	sysfs_dev_read(mon->ctx->sysfs_root, act->donor, act->spare, "state", state, sizeof(state));
	sysfs_dev_read(mon->ctx->sysfs_root, act->donor, act->spare, "slot", slot, sizeof(slot));
	if (strcmp(slot, "none") || md_flags_failed(md_parse_dev_state(state))) {
		mdctl_verb("%s: %s is no longer a spare (slot %s), not moved", act->donor, act->spare,
			   slot);
		return;
	}
	mon_member_path(mon, act->spare, path, sizeof(path));
	mdctl_ktrace("%s: moving %s from %s: still a spare there", act->target, act->spare, act->donor);
	m = donor && donor->have_snap ? md_array_find(&donor->snap, act->spare) : NULL;
	have_id = m && (m->major || m->minor);
	if (have_id) {
		memset(&id, 0, sizeof(id));
		id.blk = true;
		id.rdev = makedev(m->major, m->minor);
	}
	/*
	 * The target's model superblock and free number do not depend on the
	 * spare: found before the donor lets it go, the spare is written and
	 * bound as soon as it is free, and a target that cannot take a spare
	 * (no member's superblock reads) leaves the donor's spare where it is.
	 * The model and the spare's survey were read after an earlier pass
	 * (monitor_ready.c); only the number is asked now.  Read beside the
	 * donor's remove instead (a thread), they made it slower by as much:
	 * the kernel's remove waits for an RCU grace period, which a busy
	 * second CPU delays.  Without a snapshot of the target add_spare()
	 * finds them itself.
	 */
	have_prep = false;
	if (target && target->have_snap) {
		/* read ahead after the last pass that read the arrays whole (monitor_ready.c) */
		rc = md_spare_prepare_from(mon->ctx->sysfs_root, mon->ctx->dev_root, &target->snap,
					   target->model, &prep);
		prep.survey = mon_ready_survey(donor, act->spare);
		/* planned for a failed or marked member: md puts it in a slot at once */
		prep.at_once = true;
		if (rc) {
			mon_say(mon, LOG_ERR, "%s: cannot give it spare %s of %s: %s", act->target,
				act->spare, act->donor, strerror(-rc));
			return;
		}
		have_prep = true;
	}
	mdctl_verb("%s: moving %s: checked (+%lld ms)", act->target, act->spare,
		   target && target->woke_ms ? (long long)(mon_now_ms() - target->woke_ms) : -1LL);
	mdctl_ktrace("%s: moving %s from %s: prepared, removing it there%s", act->target, act->spare,
		     act->donor, mon->rcu.set ? " (RCU grace periods expedited)" : "");
	rc = mdops_remove(mon->ctx->sysfs_root, act->donor, act->spare, 1000);
	mdctl_ktrace("%s: %s removed from %s", act->target, act->spare, act->donor);
	mdctl_verb("%s: moving %s: removed from %s (+%lld ms%s)", act->target, act->spare, act->donor,
		   target && target->woke_ms ? (long long)(mon_now_ms() - target->woke_ms) : -1LL,
		   mon->rcu.set ? ", RCU grace periods expedited" : "");
	if (rc) {
		mon_say(mon, LOG_ERR, "%s: cannot remove spare %s to move it: %s", act->donor, act->spare,
		    strerror(-rc));
		if (have_prep)
			md_spare_prep_free(&prep);
		return;
	}
	/* it carries the donor's superblock: the signature is expected, in-use is not */
	rc = add_spare(mon, act->target, path, BLKDEV_FORCE, have_id ? &id : NULL,
		       have_prep ? &prep : NULL, kname, sizeof(kname), err, sizeof(err));
	if (have_prep)
		md_spare_prep_free(&prep);
	if (rc) {
		char err2[512] = "", k2[32];

		mon_say(mon, LOG_ERR, "%s; giving %s back to %s", err, path, act->donor);
		if (add_spare(mon, act->donor, path, BLKDEV_FORCE, NULL, NULL, k2, sizeof(k2), err2,
			      sizeof(err2)))
			mon_say(mon, LOG_ERR, "%s", err2);
		if (donor)
			donor->dirty = true;
		return;
	}
	snprintf(detail, sizeof(detail), "%s", act->why);
	if (target && target->woke_ms) {
		size_t l = strlen(detail);

		snprintf(detail + l, sizeof(detail) - l,
			 " (decided %lld ms and added %lld ms after the kernel's notification)",
			 (long long)(mon->decided_ms - target->woke_ms),
			 (long long)(mon_now_ms() - target->woke_ms));
	}
	mon_emit(mon, MEV_MOVE_SPARE, act->target, kname, act->donor, detail);
	if (target)
		target->dirty = true;
	if (donor)
		donor->dirty = true;
}

static void do_add(struct monitor *mon, const struct mon_action *act)
{
	struct mon_tracked *target = mon_find_tracked(mon, act->target);
	char err[512] = "", kname[32] = "";

	if (mon->o.dry_run) {
		dry_say(mon, "dry-run: would add %s to %s as a spare: %s", act->path, act->target,
		    act->why);
		return;
	}
	if (add_spare(mon, act->target, act->path, 0, NULL, NULL, kname, sizeof(kname), err,
		      sizeof(err))) {
		mon_say(mon, LOG_ERR, "%s", err);
		return;
	}
	mon_emit(mon, MEV_MOVE_SPARE, act->target, kname, NULL, act->why);
	if (target)
		target->dirty = true;
}

bool mon_in_list(char (*l)[32], size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i], k))
			return true;
	return false;
}

bool mon_push_name(char (**l)[32], size_t *n, const char *k)
{
	char (*nl)[32];

	if (mon_in_list(*l, *n, k))
		return true;
	nl = realloc(*l, (*n + 1) * sizeof(**l));
	if (!nl)
		return false;
	*l = nl;
	copy_str(nl[*n], 32, k);
	(*n)++;
	return true;
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
		if (blkdev_check_new_member(mon->ctx->sysfs_root, path, 0, NULL, 0, NULL, why,
					    sizeof(why))) {
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

bool mon_has_spare_policy(const struct monitor *mon)
{
	for (size_t i = 0; i < mon->cfg.npolicies; i++)
		if (!strcmp(mon->cfg.policies[i].action, "spare") ||
		    !strcmp(mon->cfg.policies[i].action, "force-spare"))
			return true;
	return false;
}

/*
 * The lock of array md (mdops_lock) for one action.  When another mdctl
 * holds it (a --replace pairing or verifying), the action is left for the
 * pass after it has finished: false.  Without a usable run directory the
 * monitor acts unlocked rather than not at all.
 */
static bool lock_for(struct monitor *mon, const char *md, int *fd)
{
	pid_t holder;

	*fd = -1;
	if (mon->o.dry_run)
		return true;
	*fd = mdops_lock(md, 0, &holder);
	if (*fd == -EWOULDBLOCK) {
		struct mon_tracked *t = mon_find_tracked(mon, md);

		mdctl_verb("%s: another mdctl (pid %ld) is changing it; acting after it is done", md,
			   (long)holder);
		if (t)
			t->dirty = true;
		mon_schedule(mon, LOCK_RETRY_MS);
		*fd = -1;
		return false;
	}
	if (*fd < 0)
		mdctl_verb("%s: cannot take the array's lock (%s); acting without it", md,
			   strerror(-*fd));
	return true;
}

/* kernel/rcu_expedited 1 (expedite_for()) unless the config says no; again after a verify. */
static void expedite(struct monitor *mon)
{
	if (mon->cfg.expedite_rcu && !mon->o.dry_run && !mon->rcu.set && mdops_rcu_expedite(&mon->rcu))
		mdctl_ktrace("RCU grace periods expedited");
}

/* One planned action, under the locks of the arrays it changes. */
static void act_locked(struct monitor *mon, const struct mon_action *a, struct mon_tracked *t)
{
	int l1 = -1, l2 = -1;

	if (!lock_for(mon, a->target, &l1))
		return;
	if (a->kind == MACT_MOVE && !lock_for(mon, a->donor, &l2)) {
		mdops_unlock(&l1);
		return;
	}
	mdctl_ktrace("%s: locked%s%s", a->target, a->kind == MACT_MOVE ? " with " : "",
		     a->kind == MACT_MOVE ? a->donor : "");
	switch (a->kind) {
	case MACT_MARK:
		if (t)
			mark_member(mon, t, a->member, a->why, true);
		break;
	case MACT_MOVE:
		mon_verify_before_spare(mon, a->target, a->member);
		expedite(mon);
		do_move(mon, a);
		break;
	case MACT_ADD:
		mon_verify_before_spare(mon, a->target, a->member);
		expedite(mon);
		do_add(mon, a);
		break;
	default:
		break;
	}
	mdops_unlock(&l2);
	mdops_unlock(&l1);
}

/*
 * An action on an array whose read was unsettled (re-read pending): no
 * spare is given or reported missing on that view, the next pass decides.
 */
static bool deferred(struct monitor *mon, const struct mon_action *a, const bool *stale)
{
	const struct mon_tracked *t = mon_find_tracked(mon, a->target);

	return t && (!stale || stale[t - mon->arr]) &&
	       (a->kind == MACT_MOVE || a->kind == MACT_ADD || a->kind == MACT_STALLED);
}

/*
 * Before giving an array a spare (moved from a sibling, or a new disk):
 * kernel/rcu_expedited 1 until the pass ends, unless the config says
 * expedite-rcu=no or the knob reads non-zero already.  md waits for RCU
 * grace periods (12 to 30 ms each in the VM, about 1.5 ms expedited) when
 * the donor unbinds the spare, and, after a failure, when the target's md
 * thread takes the failed member out of its slot, holding the array's lock
 * that ADD_NEW_DISK needs: set at the decision, the second one usually
 * starts expedited too.
 */
static void expedite_for(struct monitor *mon, const struct mon_actions *acts, const bool *stale)
{
	for (size_t i = 0; i < acts->n; i++)
		if ((acts->v[i].kind == MACT_MOVE || acts->v[i].kind == MACT_ADD) &&
		    !deferred(mon, &acts->v[i], stale)) {
			expedite(mon);
			return;
		}
}

void mon_plan_and_act(struct monitor *mon)
{
	struct mon_plan_array *pa = calloc(mon->narr ? mon->narr : 1, sizeof(*pa));
	struct mon_plan_disk *disks = NULL;
	struct mon_actions acts = { 0 };
	size_t n = 0, ndisks = 0;
	bool want_disks = false, *stale = NULL;

	if (!pa)
		return;
	for (size_t i = 0; i < mon->narr; i++) {
		struct mon_tracked *t = &mon->arr[i];
		const struct cfg_array *c;

		if (!t->have_snap || t->gone)
			continue;
		c = mon_array_cfg(mon, &t->snap);
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
	mon->decided_ms = mon_now_ms();
	mdctl_ktrace("planned: %zu action(s)", acts.n);
	for (size_t i = 0; i < acts.n; i++)
		want_disks |= acts.v[i].kind == MACT_STALLED ||
			      (acts.v[i].kind == MACT_NOTE && strstr(acts.v[i].why, "no spare"));
	if (want_disks && !mon->o.no_sharing && mon_has_spare_policy(mon)) {
		policy_disks(mon, &disks, &ndisks);
		if (ndisks) {
			mon_actions_free(&acts);
			if (mon_plan(pa, n, disks, ndisks, &acts))
				goto out;
			mon->decided_ms = mon_now_ms();
		}
	}
	for (size_t i = 0; i < mon->narr; i++) {
		/* stalled reports are renewed each pass: a member served is forgotten */
		struct mon_tracked *t = &mon->arr[i];
		char (*keep)[32] = NULL;
		size_t nkeep = 0;

		for (size_t k = 0; k < acts.n; k++)
			if (acts.v[k].kind == MACT_STALLED && !strcmp(acts.v[k].target, t->kname) &&
			    mon_in_list(t->stalled, t->nstalled, acts.v[k].member))
				mon_push_name(&keep, &nkeep, acts.v[k].member);
		free(t->stalled);
		t->stalled = keep;
		t->nstalled = nkeep;
	}
	/* an array whose read was unsettled (re-read pending) is planned on its older view */
	stale = calloc(mon->narr ? mon->narr : 1, sizeof(*stale));
	for (size_t i = 0; stale && i < mon->narr; i++)
		stale[i] = mon->arr[i].dirty;
	expedite_for(mon, &acts, stale);
	for (size_t i = 0; i < acts.n; i++) {
		const struct mon_action *a = &acts.v[i];
		struct mon_tracked *t = mon_find_tracked(mon, a->target);

		if (deferred(mon, a, stale))
			continue;
		switch (a->kind) {
		case MACT_MARK:
		case MACT_MOVE:
		case MACT_ADD:
			act_locked(mon, a, t);
			break;
		case MACT_STALLED:
			if (t && !mon_in_list(t->stalled, t->nstalled, a->member)) {
				mon_push_name(&t->stalled, &t->nstalled, a->member);
				mon_emit(mon, MEV_REPLACE_STALLED, a->target, a->member, NULL, a->why);
			}
			break;
		case MACT_NOTE:
			if (mon->o.dry_run)
				dry_say(mon, "dry-run: %s: %s", a->target, a->why);
			else
				mdctl_verb("%s: %s", a->target, a->why);
			break;
		}
	}
	mdops_rcu_unexpedite(&mon->rcu);
out:
	mon_actions_free(&acts);
	free(stale);
	free(disks);
	free(pa);
}

/* After ReplaceFinished: take the retired original out and forget its intent. */
void mon_retire_pending(struct monitor *mon, struct mon_tracked *t)
{
	for (size_t i = 0; i < t->nretire;) {
		const char *k = t->retire[i];
		uint8_t au[16], du[16];
		bool have_ids;
		int rc;

		have_ids = !config_parse_uuid(t->snap.uuid, au) && !member_dev_uuid(mon, t, k, du);
		if (have_ids && !mon->o.dry_run) {
			rc = intent_remove(mon->state_dir, au, du);
			if (rc)
				mon_say(mon, LOG_WARNING, "%s: cannot clear the replacement intent of %s: %s",
				    mon->state_dir, k, strerror(-rc));
		}
		if (!mon->cfg.remove_retired) {
			memmove(t->retire[i], t->retire[t->nretire - 1], 32);
			t->nretire--;
			continue;
		}
		if (mon->o.dry_run) {
			dry_say(mon, "dry-run: would remove the retired %s from %s", k, t->kname);
			rc = 0;
		} else {
			int lock;

			if (!lock_for(mon, t->kname, &lock)) {
				i++;
				continue;
			}
			rc = mdops_remove(mon->ctx->sysfs_root, t->kname, k, 200);
			mdops_unlock(&lock);
			if (rc == -EBUSY) {
				mon_schedule(mon, 500);
				i++;
				continue;
			}
			if (rc && rc != -ENOENT && rc != -ENODEV)
				mon_say(mon, LOG_ERR, "%s: cannot remove the retired %s: %s", t->kname, k,
				    strerror(-rc));
			else
				mon_say(mon, LOG_INFO, "%s: removed the retired %s", t->kname, k);
		}
		memmove(t->retire[i], t->retire[t->nretire - 1], 32);
		t->nretire--;
		t->dirty = true;
	}
}

/* A stored intent whose member is back (after a reboot, the kernel forgot the mark). */
void mon_apply_intents(struct monitor *mon, struct mon_tracked *t)
{
	struct replace_intent *list = NULL;
	uint8_t au[16];
	size_t n = 0;

	if (config_parse_uuid(t->snap.uuid, au) || intent_load(mon->state_dir, &list, &n))
		return;
	for (size_t i = 0; i < n; i++) {
		if (memcmp(list[i].array_uuid, au, 16))
			continue;
		for (unsigned j = 0; j < t->snap.nmembers; j++) {
			const struct md_member *m = &t->snap.members[j];
			uint8_t du[16];

			if (member_dev_uuid(mon, t, m->kname, du) ||
			    memcmp(du, list[i].old_dev_uuid, 16))
				continue;
			if (md_member_healthy(m))
				mark_member(mon, t, m->kname, "stored replacement intent re-applied",
					    false);
		}
	}
	free(list);
}

