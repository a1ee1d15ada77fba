// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * monitor_ready.c: what a spare move between arrays of a spare group needs
 * from the disks, read after a pass has acted rather than when a member
 * fails.  Per array of a spare group: an in-sync member's superblock, the
 * model of a spare's new superblock.  Per spare of such an array: what its
 * new superblock would replace (md_spare_survey()).  A move then reads no
 * superblock between the failure and ADD_NEW_DISK; the device number still
 * comes from the kernel at the time, and the disk is checked again once its
 * array has let it go.
 */
#include "manage_lib.h"
#include "mdops.h"
#include "monitor_run.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void drop_survey(struct mon_tracked *t, size_t i)
{
	free(t->surveys[i].sv);
	t->surveys[i] = t->surveys[--t->nsurveys];
}

void mon_ready_free(struct mon_tracked *t)
{
	free(t->model);
	t->model = NULL;
	while (t->nsurveys)
		drop_survey(t, t->nsurveys - 1);
	free(t->surveys);
	t->surveys = NULL;
	t->ready_stale = false;
}

const struct mdops_sb_save *mon_ready_survey(const struct mon_tracked *t, const char *kname)
{
	for (size_t i = 0; t && i < t->nsurveys; i++)
		if (!strcmp(t->surveys[i].kname, kname))
			return t->surveys[i].sv;
	return NULL;
}

/* A survey of spare m of t, kept; none when it cannot be read (a move then reads after the remove). */
static void take_survey(struct monitor *mon, struct mon_tracked *t, const struct md_member *m)
{
	struct mon_survey *ns;
	struct mdops_sb_save *sv;
	char path[PATH_MAX];
	int rc;

	mon_member_path(mon, m->kname, path, sizeof(path));
	sv = malloc(sizeof(*sv));
	if (!path[0] || !sv) {
		free(sv);
		return;
	}
	rc = md_spare_survey(path, md_metadata_minor(t->snap.metadata_version), sv);
	ns = rc ? NULL : realloc(t->surveys, (t->nsurveys + 1) * sizeof(*t->surveys));
	if (!ns) {
		mdctl_verb("%s: spare %s not surveyed: %s", t->kname, m->kname,
			   rc ? strerror(-rc) : "out of memory");
		free(sv);
		return;
	}
	t->surveys = ns;
	copy_str(ns[t->nsurveys].kname, sizeof(ns[t->nsurveys].kname), m->kname);
	ns[t->nsurveys++].sv = sv;
}

void mon_ready_refresh(struct monitor *mon, struct mon_tracked *t)
{
	const struct cfg_array *c;
	struct sb1_dev *model;

	if (!t->ready_stale)
		return;
	t->ready_stale = false;
	c = t->have_snap && !t->gone ? mon_array_cfg(mon, &t->snap) : NULL;
	if (!c || !c->spare_group[0] || mon->o.no_sharing || mon->o.dry_run) {
		mon_ready_free(t);
		return;
	}
	/* the model anew (its roles and geometry as they are now); none read: none kept, a move reads */
	free(t->model);
	if (md_model_load(mon->ctx->dev_root, &t->snap, &model))
		model = NULL;
	t->model = model;
	/* surveys of spares that left or took a slot go; new spares get one */
	for (size_t i = 0; i < t->nsurveys;) {
		const struct md_member *m = md_array_find(&t->snap, t->surveys[i].kname);

		if (!m || !md_member_spare(m))
			drop_survey(t, i);
		else
			i++;
	}
	for (size_t k = 0; k < t->snap.nmembers; k++) {
		const struct md_member *m = &t->snap.members[k];

		if (md_member_spare(m) && !mon_ready_survey(t, m->kname))
			take_survey(mon, t, m);
	}
	mdctl_verb("%s: ready for spare moves (model %s, %zu spare(s) surveyed)", t->kname,
		   t->model ? "read" : "not read", t->nsurveys);
}
