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
	struct mon_action *a;
	va_list ap;

	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		struct mon_action *v = realloc(l->v, nc * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = nc;
	}
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

int mon_plan(const struct mon_plan_array *arrays, size_t narrays,
	     const struct mon_plan_disk *disks, size_t ndisks, struct mon_actions *out)
{
	struct mark *marks = NULL;
	size_t nmarks = 0, nneeds = 0;
	struct need *needs = NULL;
	struct donor *donors = NULL;
	bool *disk_used = NULL;
	int rc = -ENOMEM;

	if (plan_marks(arrays, narrays, out, &marks, &nmarks))
		goto out;
	donors = calloc(narrays ? narrays : 1, sizeof(*donors));
	disk_used = calloc(ndisks ? ndisks : 1, sizeof(*disk_used));
	if (!donors || !disk_used)
		goto out;

	/* needs and donors */
	for (size_t i = 0; i < narrays; i++) {
		const struct md_array *a = arrays[i].a;
		int spares, recovering = 0, missing, want = 0;

		if (!usable(a))
			continue;
		donors[i].taken = calloc(a->nmembers ? a->nmembers : 1, sizeof(bool));
		if (!donors[i].taken)
			goto out;
		spares = md_array_spares(a);
		for (unsigned j = 0; j < a->nmembers; j++) {
			const struct md_member *m = &a->members[j];

			if (md_member_rebuilding(m) && !(m->flags & MDM_REPLACEMENT))
				recovering++;
		}
		missing = (a->degraded > 0 ? a->degraded : 0) - recovering;
		if (missing < 0)
			missing = 0;
		for (unsigned j = 0; j < a->nmembers; j++) {
			const struct md_member *m = &a->members[j];

			if (m->slot >= 0 && !md_member_failed(m) && !(m->flags & MDM_REPLACEMENT) &&
			    member_marked(m, i, marks, nmarks) &&
			    !md_slot_member(a, m->slot, true))
				want++;
		}
		donors[i].spares_left = spares;
		donors[i].has_need = missing > 0 || want > 0;
		if (strcmp(a->sync_action, "frozen") == 0 || a->reshape_position != SYSFS_NONE) {
			if (missing + want > 0 &&
			    !act_new(out, MACT_NOTE, a->kname, NULL,
				     "%s is %s: the kernel pairs no spare now, nothing moved",
				     a->kname, a->reshape_position != SYSFS_NONE ? "reshaping" : "frozen"))
				goto out;
			continue;
		}
		/* own spares first: the kernel pairs those by itself */
		for (int k = 0; k < missing; k++) {
			struct need *nn;

			if (spares > 0) {
				spares--;
				continue;
			}
			nn = realloc(needs, (nneeds + 1) * sizeof(*needs));
			if (!nn)
				goto out;
			needs = nn;
			memset(&needs[nneeds], 0, sizeof(*needs));
			needs[nneeds].ai = i;
			needs[nneeds].degraded = true;
			needs[nneeds].redundancy = md_array_redundancy(a);
			nneeds++;
		}
		for (unsigned j = 0; j < a->nmembers; j++) {
			const struct md_member *m = &a->members[j];
			struct need *nn;

			if (m->slot < 0 || md_member_failed(m) || (m->flags & MDM_REPLACEMENT) ||
			    !member_marked(m, i, marks, nmarks) ||
			    md_slot_member(a, m->slot, true))
				continue;
			if (spares > 0) {
				spares--;
				continue;
			}
			nn = realloc(needs, (nneeds + 1) * sizeof(*needs));
			if (!nn)
				goto out;
			needs = nn;
			memset(&needs[nneeds], 0, sizeof(*needs));
			needs[nneeds].ai = i;
			needs[nneeds].redundancy = md_array_redundancy(a);
			copy_str(needs[nneeds].member, sizeof(needs[nneeds].member), m->kname);
			nneeds++;
		}
	}
	if (nneeds > 1)
		qsort(needs, nneeds, sizeof(*needs), cmp_need);

	for (size_t k = 0; k < nneeds; k++) {
		const struct need *nd = &needs[k];
		const struct mon_plan_array *ta = &arrays[nd->ai];
		const char *grp = ta->spare_group && ta->spare_group[0] ? ta->spare_group : NULL;
		char wants[96], kept[200] = "";
		size_t best = SIZE_MAX;
		unsigned best_m = 0;
		bool too_small = false;

		if (nd->degraded)
			snprintf(wants, sizeof(wants), "%s is degraded", ta->a->kname);
		else
			snprintf(wants, sizeof(wants), "%s of %s wants replacement", nd->member,
				 ta->a->kname);
		for (size_t d = 0; grp && d < narrays; d++) {
			const struct md_array *da = arrays[d].a;

			if (d == nd->ai || !same_group(ta, &arrays[d]) || !usable(da) ||
			    donors[d].spares_left <= 0)
				continue;
			if (donors[d].has_need) {
				snprintf(kept, sizeof(kept), "; %s keeps its spare: it %s itself",
					 da->kname,
					 da->degraded > 0 ? "is degraded" : "has a member to replace");
				continue;
			}
			for (unsigned j = 0; j < da->nmembers; j++) {
				const struct md_member *m = &da->members[j];

				if (!md_member_spare(m) || donors[d].taken[j])
					continue;
				if (m->size_kib && ta->a->component_size &&
				    m->size_kib < ta->a->component_size) {
					too_small = true;
					continue;
				}
				/* the donor with the most spares gives first */
				if (best == SIZE_MAX || donors[d].spares_left > donors[best].spares_left) {
					best = d;
					best_m = j;
				}
				break;
			}
		}
		if (best != SIZE_MAX) {
			struct mon_action *a;

			a = act_new(out, MACT_MOVE, ta->a->kname, nd->member,
				    "%s (%d failure%s left) and %s has a spare in spare-group %s", wants,
				    nd->redundancy, nd->redundancy == 1 ? "" : "s",
				    arrays[best].a->kname, grp);
			if (!a)
				goto out;
			copy_str(a->donor, sizeof(a->donor), arrays[best].a->kname);
			copy_str(a->spare, sizeof(a->spare), arrays[best].a->members[best_m].kname);
			donors[best].taken[best_m] = true;
			donors[best].spares_left--;
			continue;
		}
		for (size_t d = 0; d < ndisks; d++) {
			if (disk_used[d])
				continue;
			if (disks[d].size_kib && ta->a->component_size &&
			    disks[d].size_kib < ta->a->component_size) {
				too_small = true;
				continue;
			}
			best = d;
			break;
		}
		if (best != SIZE_MAX) {
			struct mon_action *a = act_new(out, MACT_ADD, ta->a->kname, nd->member,
						       "%s and POLICY allows %s as a spare", wants,
						       disks[best].path);

			if (!a)
				goto out;
			copy_str(a->path, sizeof(a->path), disks[best].path);
			disk_used[best] = true;
			continue;
		}
		if (!act_new(out, nd->degraded ? MACT_NOTE : MACT_STALLED, ta->a->kname, nd->member,
			     "%s but no spare is available: %s%s%s%s", wants,
			     grp ? "no free spare in spare-group " : "no spare-group set",
			     grp ? grp : "", too_small ? " large enough" : "", kept))
			goto out;
	}
	rc = 0;
out:
	if (donors)
		for (size_t i = 0; i < narrays; i++)
			free(donors[i].taken);
	free(donors);
	free(disk_used);
	free(needs);
	free(marks);
	return rc;
}
