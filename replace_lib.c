// SPDX-License-Identifier: GPL-2.0-or-later
/* replace_lib.c: hot-replace decisions over an array snapshot (pure: no I/O, no messages). */
#include "replace_lib.h"

#include "mdarray.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int replace_check_array(const struct md_array *a, char *why, size_t len)
{
	int level = md_array_level(a);

	if (!strcmp(a->array_state, "readonly")) {
		snprintf(why, len, "is read-only; the copy needs a writable array (mdctl --readwrite)");
		return -EROFS;
	}
	if (!md_array_writable(a)) {
		snprintf(why, len, "is not running (%s)", a->array_state[0] ? a->array_state : "no state");
		return -ENODEV;
	}
	if (level == 0 || level == MD_LEVEL_LINEAR) {
		snprintf(why, len, "is %s and has no redundancy to keep while replacing", a->level);
		return -EOPNOTSUPP;
	}
	if (!md_level_redundant(level)) {
		snprintf(why, len, "is %s; the kernel replaces members of raid1, raid4, raid5, raid6 "
			 "and raid10 only", a->level[0] ? a->level : "of no level");
		return -EOPNOTSUPP;
	}
	if (!strncmp(a->metadata_version, "external:", 9)) {
		snprintf(why, len, "has external metadata (%s); replace the member through its container",
			 a->metadata_version + 9);
		return -EOPNOTSUPP;
	}
	/* the kernel cannot carry a replacement across a reshape (facts 2.3.8) */
	if (!strcmp(a->sync_action, "reshape") || a->reshape_position != SYSFS_NONE) {
		snprintf(why, len, "is reshaping; replace members after the reshape has finished");
		return -EBUSY;
	}
	return 0;
}

int replace_check_old(const struct md_array *a, const struct md_member *m, char *why, size_t len)
{
	const struct md_member *r;

	if (m->flags & MDM_JOURNAL) {
		snprintf(why, len, "is the journal, not a data member");
		return -EINVAL;
	}
	/* "faulty" shown for bad blocks not yet acknowledged is not a failure (facts 8) */
	if (md_member_failed(m)) {
		snprintf(why, len, "is faulty; a failed member is rebuilt by adding a spare, not replaced");
		return -EINVAL;
	}
	if (m->flags & MDM_REPLACEMENT) {
		snprintf(why, len, "is itself the replacement being written for slot %d", m->slot);
		return -EINVAL;
	}
	if (m->slot < 0) {
		snprintf(why, len, "is a spare, not an active member");
		return -EINVAL;
	}
	if (!(m->flags & MDM_IN_SYNC)) {
		snprintf(why, len, "is still being recovered and holds no complete copy to replace");
		return -EINVAL;
	}
	r = md_slot_member(a, m->slot, true);
	if (r) {
		snprintf(why, len, "is already being replaced by %s", r->kname);
		return -EALREADY;
	}
	return 0;
}

int replace_check_new(const struct md_array *a, const struct md_member *m, char *why, size_t len)
{
	(void)a;
	if (md_member_failed(m)) {
		snprintf(why, len, "is faulty and cannot be a replacement");
		return -EINVAL;
	}
	if (m->flags & MDM_REPLACEMENT) {
		snprintf(why, len, "is already the replacement for slot %d", m->slot);
		return -EALREADY;
	}
	if (m->flags & MDM_JOURNAL) {
		snprintf(why, len, "is the journal and cannot be a replacement");
		return -EINVAL;
	}
	if (m->slot >= 0 || (m->flags & MDM_IN_SYNC)) {
		snprintf(why, len, "is an active member (slot %d) and cannot be a replacement", m->slot);
		return -EINVAL;
	}
	return 0;
}

/* raid10 "near" copies form mirror groups of consecutive slots when they divide raid_disks. */
static int raid10_group(const struct md_array *a, int slot)
{
	if (md_array_level(a) == 10 && md_raid10_near_sets(a->layout, a->raid_disks))
		return slot / md_raid10_geom(a->layout).near;
	return 0;
}

int replace_peers(const struct md_array *a, const struct md_member *m)
{
	int group = raid10_group(a, m->slot), n = 0;

	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *p = &a->members[i];

		if (p == m || !md_member_healthy(p))
			continue;
		if (raid10_group(a, p->slot) == group)
			n++;
	}
	return n;
}

/* Is x a worse (more urgent) candidate than y?  The order is documented in replace_lib.h. */
static bool more_urgent(const struct md_array *a, const struct md_member *x, const struct md_member *y)
{
	int px = replace_peers(a, x), py = replace_peers(a, y);
	bool wx = x->flags & MDM_WRITE_ERROR, wy = y->flags & MDM_WRITE_ERROR;

	if (px != py)
		return px < py;
	if (wx != wy)
		return wx;
	if (x->bad_sectors != y->bad_sectors)
		return x->bad_sectors > y->bad_sectors;
	if (x->errors != y->errors)
		return x->errors > y->errors;
	return x->slot < y->slot;
}

int replace_pick_marked(const struct md_array *a, const bool *skip)
{
	char why[128];
	int best = -ENOENT;

	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];

		if ((skip && skip[i]) || !(m->flags & MDM_WANT_REPLACEMENT))
			continue;
		if (replace_check_old(a, m, why, sizeof(why)))
			continue;
		if (best < 0 || more_urgent(a, m, &a->members[best]))
			best = (int)i;
	}
	return best;
}

static const struct md_member *find(const struct md_array *a, const char *kname)
{
	if (!kname[0])
		return NULL;
	for (unsigned i = 0; i < a->nmembers; i++)
		if (!strcmp(a->members[i].kname, kname))
			return &a->members[i];
	return NULL;
}

/* The member holding slot in sync, other than the original. */
static const struct md_member *slot_holder(const struct md_array *a, int slot, const char *old)
{
	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];

		if (m->slot == slot && md_member_active(m) && strcmp(m->kname, old))
			return m;
	}
	return NULL;
}

/* A member writing slot, other than the original: a paired replacement or, after the original failed, a recovery. */
static const struct md_member *slot_writer(const struct md_array *a, int slot, const char *old)
{
	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];

		if (m->slot == slot && strcmp(m->kname, old) && md_member_rebuilding(m))
			return m;
	}
	return NULL;
}

enum replace_phase replace_eval(const struct md_array *a, struct replace_watch *w)
{
	const struct md_member *o = find(a, w->old_kname), *n, *h;
	bool old_gone = !o || md_member_failed(o) || o->slot != w->slot;

	if (!w->new_kname[0]) {
		/* mark only: learn the disk the kernel paired, or the one that took the slot */
		n = slot_writer(a, w->slot, w->old_kname);
		if (!n && old_gone)
			n = slot_holder(a, w->slot, w->old_kname);
		if (n)
			snprintf(w->new_kname, sizeof(w->new_kname), "%s", n->kname);
	}
	n = find(a, w->new_kname);
	if (w->new_kname[0]) {
		if (!n || md_member_failed(n))
			return REPLACE_FAILED;
		if (n->slot == w->slot && md_member_active(n))
			return REPLACE_DONE;
		if (n->slot == w->slot)
			return old_gone ? REPLACE_RECOVERING : REPLACE_COPYING;
		/* still a spare: waiting for the kernel to pair it */
		if (old_gone)
			return REPLACE_FAILED;
		return (o->flags & MDM_WANT_REPLACEMENT) ? REPLACE_MARKED : REPLACE_CANCELLED;
	}
	if (old_gone) {
		h = slot_holder(a, w->slot, w->old_kname);
		return h ? REPLACE_DONE : REPLACE_FAILED;
	}
	return (o->flags & MDM_WANT_REPLACEMENT) ? REPLACE_MARKED : REPLACE_CANCELLED;
}

const char *replace_phase_name(enum replace_phase p)
{
	static const char *const names[] = {
		[REPLACE_MARKED] = "marked", [REPLACE_COPYING] = "copying",
		[REPLACE_RECOVERING] = "recovering", [REPLACE_DONE] = "done",
		[REPLACE_FAILED] = "failed", [REPLACE_CANCELLED] = "cancelled",
	};

	return ENUM_WORD(names, p, "unknown");
}
