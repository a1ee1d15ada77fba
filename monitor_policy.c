// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_policy.c: which member gets marked and which spare goes where, decided over snapshots without touching anything. */
#include "monitor.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mon_actions_free(struct mon_actions *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static struct mon_action *act_new(struct mon_actions *l, enum mon_action_kind kind,
				  const char *target, const char *member, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static struct mon_action *act_new(struct mon_actions *l, enum mon_action_kind kind,
				  const char *target, const char *member, const char *fmt, ...)
{
	struct mon_action *a = array_room(l->v, l->n, &l->cap, sizeof(*a));
	va_list ap;

	if (!a)
		return NULL;
	l->v = a;
	a = &l->v[l->n++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	copy_str(a->target, sizeof(a->target), target);
	copy_str(a->member, sizeof(a->member), member ? member : "");
	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
	return a;
}

/* One array's need for a spare. */
struct need {
	size_t ai;              /* index into arrays */
	bool degraded;          /* a missing device, else a member to replace */
	int redundancy;         /* failures left */
	char member[32];
};

struct donor {
	int spares_left;
	bool has_need;          /* degraded or a marked member: keeps its spares */
	bool *taken;            /* per member: spare already given */
};

struct mark {
	size_t ai;
	char kname[32];
};

static bool usable(const struct md_array *a)
{
	return md_array_running(a) && md_level_redundant(md_array_level(a));
}

static int cmp_need(const void *x, const void *y)
{
	const struct need *a = x, *b = y;

	if (a->degraded != b->degraded)
		return a->degraded ? -1 : 1;
	if (a->redundancy != b->redundancy)
		return a->redundancy < b->redundancy ? -1 : 1;
	if (a->ai != b->ai)
		return a->ai < b->ai ? -1 : 1;
	return strcmp(a->member, b->member);
}

static bool member_marked(const struct md_member *m, size_t ai, const struct mark *marks,
			  size_t nmarks)
{
	if (m->flags & MDM_WANT_REPLACEMENT)
		return true;
	for (size_t i = 0; i < nmarks; i++)
		if (marks[i].ai == ai && !strcmp(marks[i].kname, m->kname))
			return true;
	return false;
}

static bool same_group(const struct mon_plan_array *x, const struct mon_plan_array *y)
{
	return x->spare_group && x->spare_group[0] && y->spare_group &&
	       !strcmp(x->spare_group, y->spare_group);
}

/* Threshold marks: bad blocks first (they mean lost writes), then corrected read errors. */
static int plan_marks(const struct mon_plan_array *arrays, size_t narrays, struct mon_actions *out,
		      struct mark **marks, size_t *nmarks)
{
	for (size_t i = 0; i < narrays; i++) {
		const struct md_array *a = arrays[i].a;

		if (!usable(a))
			continue;
		for (unsigned j = 0; j < a->nmembers; j++) {
			const struct md_member *m = &a->members[j];
			char why[200] = "";

			if (!md_member_healthy(m))
				continue;
			if (arrays[i].replace_badblocks >= 0 &&
			    m->bad_blocks >= (unsigned)arrays[i].replace_badblocks)
				snprintf(why, sizeof(why), "%u bad blocks reached replace-badblocks=%d",
					 m->bad_blocks, arrays[i].replace_badblocks);
			else if (arrays[i].replace_errors >= 0 &&
				 m->errors >= (unsigned)arrays[i].replace_errors)
				snprintf(why, sizeof(why),
					 "%u corrected read errors reached replace-errors=%d", m->errors,
					 arrays[i].replace_errors);
			if (!why[0])
				continue;
			if (!act_new(out, MACT_MARK, a->kname, m->kname, "%s", why))
				return -ENOMEM;
			{
				struct mark *nm = realloc(*marks, (*nmarks + 1) * sizeof(**marks));

				if (!nm)
					return -ENOMEM;
				*marks = nm;
				nm[*nmarks].ai = i;
				copy_str(nm[*nmarks].kname, sizeof(nm[*nmarks].kname), m->kname);
				(*nmarks)++;
			}
		}
	}
	return 0;
}

/* The plan's working state: what is needed, who can give, which disks are taken. */
struct plan {
	const struct mon_plan_array *arrays;
	size_t narrays;
	const struct mon_plan_disk *disks;
	size_t ndisks;
	struct mark *marks;
	size_t nmarks;
	struct need *needs;
	size_t nneeds;
	struct donor *donors;
	bool *disk_used;
	struct mon_actions *out;
};

/* m (of array ai) is marked for replacement and no replacement is paired with it yet. */
static bool wants_spare(const struct plan *p, size_t ai, const struct md_member *m)
{
	const struct md_array *a = p->arrays[ai].a;

	return m->slot >= 0 && !md_member_failed(m) && !(m->flags & MDM_REPLACEMENT) &&
	       member_marked(m, ai, p->marks, p->nmarks) && !md_slot_member(a, m->slot, true);
}

static int push_need(struct plan *p, size_t ai, bool degraded, const char *member)
{
	struct need *nn = realloc(p->needs, (p->nneeds + 1) * sizeof(*nn));

	if (!nn)
		return -ENOMEM;
	p->needs = nn;
	nn = &p->needs[p->nneeds++];
	memset(nn, 0, sizeof(*nn));
	nn->ai = ai;
	nn->degraded = degraded;
	nn->redundancy = md_array_redundancy(p->arrays[ai].a);
	copy_str(nn->member, sizeof(nn->member), member ? member : "");
	return 0;
}

/* What array i needs beyond its own spares (the kernel pairs those by itself), and what it can give. */
static int collect_needs(struct plan *p, size_t i)
{
	const struct md_array *a = p->arrays[i].a;
	int spares = md_array_spares(a), recovering = 0, missing, want = 0;

	p->donors[i].taken = calloc(a->nmembers ? a->nmembers : 1, sizeof(bool));
	if (!p->donors[i].taken)
		return -ENOMEM;
	for (unsigned j = 0; j < a->nmembers; j++) {
		recovering += md_member_rebuilding(&a->members[j]) &&
			      !(a->members[j].flags & MDM_REPLACEMENT);
		want += wants_spare(p, i, &a->members[j]);
	}
	missing = (a->degraded > 0 ? a->degraded : 0) - recovering;
	if (missing < 0)
		missing = 0;
	p->donors[i].spares_left = spares;
	p->donors[i].has_need = missing > 0 || want > 0;
	if (strcmp(a->sync_action, "frozen") == 0 || a->reshape_position != SYSFS_NONE) {
		if (missing + want > 0 &&
		    !act_new(p->out, MACT_NOTE, a->kname, NULL,
			     "%s is %s: the kernel pairs no spare now, nothing moved",
			     a->kname, a->reshape_position != SYSFS_NONE ? "reshaping" : "frozen"))
			return -ENOMEM;
		return 0;
	}
	for (int k = 0; k < missing; k++)
		if (spares > 0)
			spares--;
		else if (push_need(p, i, true, NULL))
			return -ENOMEM;
	for (unsigned j = 0; j < a->nmembers; j++) {
		if (!wants_spare(p, i, &a->members[j]))
			continue;
		if (spares > 0)
			spares--;
		else if (push_need(p, i, false, a->members[j].kname))
			return -ENOMEM;
	}
	return 0;
}

/*
 * A spare in another array of nd's spare-group that has no need of its
 * own: from the donor with the most spares.  Sets *too_small when only
 * smaller spares were seen, kept to why a needy donor kept its spare.
 */
static bool pick_donor(const struct plan *p, const struct need *nd, size_t *best, unsigned *best_m,
		       bool *too_small, char *kept, size_t keptlen)
{
	const struct mon_plan_array *ta = &p->arrays[nd->ai];

	*best = SIZE_MAX;
	for (size_t d = 0; ta->spare_group && ta->spare_group[0] && d < p->narrays; d++) {
		const struct md_array *da = p->arrays[d].a;

		if (d == nd->ai || !same_group(ta, &p->arrays[d]) || !usable(da) ||
		    p->donors[d].spares_left <= 0)
			continue;
		if (p->donors[d].has_need) {
			snprintf(kept, keptlen, "; %s keeps its spare: it %s itself", da->kname,
				 da->degraded > 0 ? "is degraded" : "has a member to replace");
			continue;
		}
		for (unsigned j = 0; j < da->nmembers; j++) {
			const struct md_member *m = &da->members[j];

			if (!md_member_spare(m) || p->donors[d].taken[j])
				continue;
			if (m->size_kib && ta->a->component_size && m->size_kib < ta->a->component_size) {
				*too_small = true;
				continue;
			}
			if (*best == SIZE_MAX || p->donors[d].spares_left > p->donors[*best].spares_left) {
				*best = d;
				*best_m = j;
			}
			break;
		}
	}
	return *best != SIZE_MAX;
}

/* A free disk POLICY allows that is large enough for nd's array, or SIZE_MAX. */
static size_t pick_disk(const struct plan *p, const struct need *nd, bool *too_small)
{
	const struct md_array *ta = p->arrays[nd->ai].a;

	for (size_t d = 0; d < p->ndisks; d++) {
		if (p->disk_used[d])
			continue;
		if (p->disks[d].size_kib && ta->component_size &&
		    p->disks[d].size_kib < ta->component_size) {
			*too_small = true;
			continue;
		}
		return d;
	}
	return SIZE_MAX;
}

/* One need: a spare moved from a donor, else a POLICY disk added, else a note why not. */
static int serve_need(struct plan *p, const struct need *nd)
{
	const struct mon_plan_array *ta = &p->arrays[nd->ai];
	const char *grp = ta->spare_group && ta->spare_group[0] ? ta->spare_group : NULL;
	char wants[96], kept[200] = "";
	bool too_small = false;
	struct mon_action *a;
	unsigned best_m = 0;
	size_t best;

	if (nd->degraded)
		snprintf(wants, sizeof(wants), "%s is degraded", ta->a->kname);
	else
		snprintf(wants, sizeof(wants), "%s of %s wants replacement", nd->member, ta->a->kname);
	if (pick_donor(p, nd, &best, &best_m, &too_small, kept, sizeof(kept))) {
		a = act_new(p->out, MACT_MOVE, ta->a->kname, nd->member,
			    "%s (%d failure%s left) and %s has a spare in spare-group %s", wants,
			    nd->redundancy, nd->redundancy == 1 ? "" : "s", p->arrays[best].a->kname, grp);
		if (!a)
			return -ENOMEM;
		copy_str(a->donor, sizeof(a->donor), p->arrays[best].a->kname);
		copy_str(a->spare, sizeof(a->spare), p->arrays[best].a->members[best_m].kname);
		p->donors[best].taken[best_m] = true;
		p->donors[best].spares_left--;
		return 0;
	}
	best = pick_disk(p, nd, &too_small);
	if (best != SIZE_MAX) {
		a = act_new(p->out, MACT_ADD, ta->a->kname, nd->member,
			    "%s and POLICY allows %s as a spare", wants, p->disks[best].path);
		if (!a)
			return -ENOMEM;
		copy_str(a->path, sizeof(a->path), p->disks[best].path);
		p->disk_used[best] = true;
		return 0;
	}
	if (!act_new(p->out, nd->degraded ? MACT_NOTE : MACT_STALLED, ta->a->kname, nd->member,
		     "%s but no spare is available: %s%s%s%s", wants,
		     grp ? "no free spare in spare-group " : "no spare-group set",
		     grp ? grp : "", too_small ? " large enough" : "", kept))
		return -ENOMEM;
	return 0;
}

int mon_plan(const struct mon_plan_array *arrays, size_t narrays,
	     const struct mon_plan_disk *disks, size_t ndisks, struct mon_actions *out)
{
	struct plan p = {
		.arrays = arrays, .narrays = narrays, .disks = disks, .ndisks = ndisks, .out = out,
	};
	int rc = -ENOMEM;

	if (plan_marks(arrays, narrays, out, &p.marks, &p.nmarks))
		goto out;
	p.donors = calloc(narrays ? narrays : 1, sizeof(*p.donors));
	p.disk_used = calloc(ndisks ? ndisks : 1, sizeof(*p.disk_used));
	if (!p.donors || !p.disk_used)
		goto out;
	for (size_t i = 0; i < narrays; i++)
		if (usable(arrays[i].a) && collect_needs(&p, i))
			goto out;
	if (p.nneeds > 1)
		qsort(p.needs, p.nneeds, sizeof(*p.needs), cmp_need);
	for (size_t k = 0; k < p.nneeds; k++)
		if (serve_need(&p, &p.needs[k]))
			goto out;
	rc = 0;
out:
	if (p.donors)
		for (size_t i = 0; i < narrays; i++)
			free(p.donors[i].taken);
	free(p.donors);
	free(p.disk_used);
	free(p.needs);
	free(p.marks);
	return rc;
}
