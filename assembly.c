// SPDX-License-Identifier: GPL-2.0-or-later
/* assembly.c: which superblocks form an array (pure planning), and the md sysfs side of starting it. */
#include "assembly.h"
#include "output.h"
#include "mdarray.h"
#include "blkdev.h"
#include "sysfs.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

const char *asm_name_part(const char *set_name)
{
	const char *colon = strchr(set_name, ':');

	return colon ? colon + 1 : set_name;
}

const char *asm_verdict_name(enum asm_verdict v)
{
	switch (v) {
	case ASM_IN: return "member";
	case ASM_NO_SB: return "no superblock";
	case ASM_OTHER_ARRAY: return "other array";
	case ASM_GEOMETRY: return "geometry";
	case ASM_STALE: return "stale";
	case ASM_FAULTY: return "faulty";
	case ASM_SPLIT: return "split";
	case ASM_DUPLICATE: return "duplicate";
	case ASM_BUSY: return "busy";
	case ASM_VANISHED: return "vanished";
	}
	return "?";
}

unsigned asm_percent(uint64_t done, uint64_t total)
{
	if (!total)
		return 0;
	if (done >= total)
		return 100;
	/* done < total, so done * 100 / total < 100; avoid overflow on huge disks */
	if (done > UINT64_MAX / 100)
		return (unsigned)(done / (total / 100));
	return (unsigned)(done * 100 / total);
}

static bool is_sb1_check_error(int rc)
{
	return rc == -ENOENT || rc == -EPROTO || rc == -E2BIG || rc == -ESPIPE ||
	       rc == -EOPNOTSUPP || rc == -EBADMSG || rc == -ENOTEMPTY || rc == -ERANGE;
}

static void set_why(struct asm_cand *c, enum asm_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_why(struct asm_cand *c, enum asm_verdict v, const char *fmt, ...)
{
	va_list ap;

	c->verdict = v;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

static uint16_t role_in(const struct sb1_info *sb, uint32_t dev_number)
{
	if (dev_number >= sb->max_dev || dev_number >= SB1_MAX_DEV)
		return SB1_ROLE_SPARE;
	return sb->dev_roles[dev_number];
}

/* sb1_role_word(), a slot with its number ("slot 2") */
static const char *role_word(uint16_t role, char *buf, size_t len)
{
	const char *w = sb1_role_word(role);

	if (role < SB1_ROLE_MAX || !strcmp(w, "unknown")) {
		snprintf(buf, len, "slot %u", role);
		return buf;
	}
	return w;
}

/* No device is active in both a's and b's superblock. */
static bool views_disjoint(const struct sb1_info *a, const struct sb1_info *b)
{
	uint32_t lim = a->max_dev < b->max_dev ? a->max_dev : b->max_dev;

	if (lim > SB1_MAX_DEV)
		lim = SB1_MAX_DEV;
	for (uint32_t d = 0; d < lim; d++)
		if (a->dev_roles[d] < SB1_ROLE_MAX && b->dev_roles[d] < SB1_ROLE_MAX)
			return false;
	return true;
}

/* Compare the geometry fields of m against the freshest f; say which differs. */
static bool geometry_differs(const struct sb1_info *m, const struct sb1_info *f,
			     char *why, size_t len)
{
	/* the field, its value here and in the freshest, what follows the value */
	const struct {
		const char *name;
		long long mine, fresh;
		const char *tail;
	} g[] = {
		{ "raid level", m->level, f->level, "differs" },
		{ "raid disks", m->raid_disks, f->raid_disks, "differ" },
		{ "layout", m->layout, f->layout, "differs" },
		{ "chunk", m->chunksize, f->chunksize, "sectors differs" },
		{ "component size", (long long)m->size, (long long)f->size, "sectors differs" },
	};

	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		if (g[i].mine != g[i].fresh)
			return snprintf(why, len, "%s %lld %s from the freshest member's %lld", g[i].name,
					g[i].mine, g[i].tail, g[i].fresh), true;
	if (m->ctime_sec != f->ctime_sec || m->ctime_usec != f->ctime_usec)
		return snprintf(why, len,
				"creation time differs from the freshest member's: another array "
				"with the same UUID"), true;
	return false;
}

static void reset_outputs(struct asm_cand *c)
{
	c->verdict = ASM_IN;
	c->why[0] = '\0';
	c->slot = -1;
	c->replacement = false;
	c->recovering = false;
	c->recovery_offset = 0;
	c->forced = false;
	c->force_role = false;
}

/* The UUID to assemble: the one asked for, else the first device's. */
static int pick_uuid(const struct asm_cand *c, size_t n, const struct asm_opts *o, uint8_t uuid[16])
{
	if (o->have_uuid) {
		memcpy(uuid, o->uuid, 16);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict != ASM_IN)
			continue;
		if (o->name && strcmp(asm_name_part(c[i].dev->info.set_name), o->name))
			continue;
		memcpy(uuid, c[i].dev->info.set_uuid, 16);
		return 0;
	}
	return -ENOENT;
}

/* The freshest active (slotted, not replacement) member; else the freshest of any role. */
static int pick_fresh(const struct asm_cand *c, size_t n)
{
	int best = -1, any = -1;

	for (size_t i = 0; i < n; i++) {
		const struct sb1_info *sb;
		uint16_t own;

		if (c[i].verdict != ASM_IN)
			continue;
		sb = &c[i].dev->info;
		own = sb1_role(sb);
		if (any < 0 || sb->events > c[any].dev->info.events)
			any = (int)i;
		if (own >= sb->raid_disks || (sb->feature_map & SB1_FEAT_REPLACEMENT))
			continue;
		if (best < 0 || sb->events > c[best].dev->info.events)
			best = (int)i;
	}
	return best >= 0 ? best : any;
}

/* Decide c's role from the freshest superblock f (index fi). */
static void judge_member(struct asm_cand *c, size_t i, const struct asm_cand *fc, size_t fi)
{
	const struct sb1_info *m = &c->dev->info, *f = &fc->dev->info;
	uint16_t own = sb1_role(m), fr;
	bool stale = m->events + 1 < f->events;
	char rb[24];

	if (i == fi) {
		fr = own;
	} else {
		fr = role_in(f, m->dev_number);
		if (fr == SB1_ROLE_FAULTY) {
			set_why(c, ASM_FAULTY,
				"marked faulty in the freshest superblock (%s, events %llu; "
				"this device has %llu)", fc->path, (unsigned long long)f->events,
				(unsigned long long)m->events);
			return;
		}
		if (stale && (own < SB1_ROLE_MAX || own == SB1_ROLE_JOURNAL)) {
			set_why(c, ASM_STALE,
				"stale: events %llu, the freshest member %s has %llu",
				(unsigned long long)m->events, fc->path,
				(unsigned long long)f->events);
			return;
		}
		if (fr == SB1_ROLE_SPARE && own < SB1_ROLE_MAX) {
			set_why(c, ASM_FAULTY,
				"no longer a member: it says %s, the freshest superblock (%s) says spare",
				role_word(own, rb, sizeof(rb)), fc->path);
			return;
		}
	}
	if (fr == SB1_ROLE_JOURNAL) {
		c->slot = -2;
		return;
	}
	if (fr >= SB1_ROLE_MAX) {
		c->slot = -1;
		return;
	}
	if (fr >= f->raid_disks) {
		set_why(c, ASM_FAULTY, "role %u is beyond the array's %u raid disks", fr,
			f->raid_disks);
		return;
	}
	c->slot = fr;
	c->replacement = (m->feature_map & SB1_FEAT_REPLACEMENT) != 0;
	if ((m->feature_map & SB1_FEAT_RECOVERY_OFFSET) && m->recovery_offset != SB1_MAX_SECTOR) {
		c->recovering = true;
		c->recovery_offset = m->recovery_offset;
	}
}

/* Two devices for one slot (or two replacements): the fresher stays. */
static void drop_duplicates(struct asm_cand *c, size_t n, size_t fi)
{
	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict != ASM_IN || c[i].slot < 0)
			continue;
		for (size_t j = i + 1; j < n; j++) {
			struct asm_cand *keep = &c[i], *drop = &c[j];

			if (c[j].verdict != ASM_IN || c[j].slot != c[i].slot ||
			    c[j].replacement != c[i].replacement)
				continue;
			if (j == fi || (i != fi && c[j].dev->info.events > c[i].dev->info.events)) {
				keep = &c[j];
				drop = &c[i];
			}
			set_why(drop, ASM_DUPLICATE, "slot %d%s is taken by %s (events %llu)",
				keep->slot, keep->replacement ? " (replacement)" : "", keep->path,
				(unsigned long long)keep->dev->info.events);
			if (drop == &c[i])
				break;
		}
	}
}

static void count_slots(const struct asm_cand *c, size_t n, uint32_t raid_disks, bool *avail,
			bool *present)
{
	memset(avail, 0, raid_disks * sizeof(*avail));
	memset(present, 0, raid_disks * sizeof(*present));
	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict != ASM_IN || c[i].slot < 0 || (uint32_t)c[i].slot >= raid_disks)
			continue;
		if (c[i].replacement) {
			/*
			 * A finished replacement alone in its slot holds the slot's
			 * data.  6.1 promotes it to the slot's member when the array
			 * starts; 6.12 keeps it a replacement (in_sync, the array
			 * reported degraded) but serves the data from it all the same.
			 */
			bool alone = true;

			for (size_t j = 0; j < n; j++)
				if (j != i && c[j].verdict == ASM_IN && c[j].slot == c[i].slot &&
				    !c[j].replacement)
					alone = false;
			if (!alone || c[i].recovering)
				continue;
		}
		present[c[i].slot] = true;
		if (!c[i].recovering)
			avail[c[i].slot] = true;
	}
}

/* --force: raise the newest stale member of a missing slot, repeatedly, until usable. */
static void force_members(struct asm_cand *c, size_t n, size_t fi, struct asm_plan *p,
			  bool *avail, bool *present)
{
	const struct sb1_info *f = &c[fi].dev->info;

	while (!md_level_enough(p->level, p->layout, p->raid_disks, avail)) {
		int best = -1;

		for (size_t i = 0; i < n; i++) {
			const struct sb1_info *m;
			uint16_t own;

			if (c[i].verdict != ASM_STALE && c[i].verdict != ASM_FAULTY)
				continue;
			m = &c[i].dev->info;
			own = sb1_role(m);
			/*
			 * a partly copied device holds no whole data: never force it in;
			 * nor into a slot that holds a device already, even one still
			 * being rebuilt (two devices in one slot is no array md takes)
			 */
			if (own >= f->raid_disks || avail[own] || present[own] ||
			    (m->feature_map & (SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET)))
				continue;
			if (best < 0 || m->events > c[best].dev->info.events)
				best = (int)i;
		}
		if (best < 0)
			return;
		{
			struct asm_cand *b = &c[best];
			uint16_t own = sb1_role(&b->dev->info);

			b->verdict = ASM_IN;
			b->why[0] = '\0';
			b->slot = own;
			b->forced = b->dev->info.events < f->events;
			b->force_role = role_in(f, b->dev->info.dev_number) != own;
			avail[own] = present[own] = true;
			p->forced = true;
		}
	}
}

/* Candidates without a usable superblock are out, saying why; the others start IN. */
static void judge_loaded(struct asm_cand *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		reset_outputs(&c[i]);
		if (c[i].load_rc || !c[i].dev) {
			int e = c[i].load_rc ? c[i].load_rc : -ENOENT;

			if (c[i].load_why[0])
				set_why(&c[i], ASM_NO_SB, "%s", c[i].load_why);
			else if (e == -ENOENT)
				set_why(&c[i], ASM_NO_SB, "no md 1.x superblock");
			else
				set_why(&c[i], ASM_NO_SB, "cannot use superblock: %s",
					is_sb1_check_error(e) ? sb1_strerror(e) : strerror(-e));
		}
	}
}

/* Members of another array (UUID, --name), and devices in use or gone, are out. */
static void judge_set(struct asm_cand *c, size_t n, const struct asm_opts *o, struct asm_plan *p)
{
	for (size_t i = 0; i < n; i++) {
		const struct sb1_info *m;

		if (c[i].verdict != ASM_IN)
			continue;
		m = &c[i].dev->info;
		if (memcmp(m->set_uuid, p->uuid, 16) ||
		    (o->name && strcmp(asm_name_part(m->set_name), o->name))) {
			char u[40];

			snprintf(u, sizeof(u), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
				 "%02x%02x%02x%02x%02x%02x", m->set_uuid[0], m->set_uuid[1],
				 m->set_uuid[2], m->set_uuid[3], m->set_uuid[4], m->set_uuid[5],
				 m->set_uuid[6], m->set_uuid[7], m->set_uuid[8], m->set_uuid[9],
				 m->set_uuid[10], m->set_uuid[11], m->set_uuid[12], m->set_uuid[13],
				 m->set_uuid[14], m->set_uuid[15]);
			set_why(&c[i], ASM_OTHER_ARRAY, "belongs to another array (UUID %s, name %s)",
				u, m->set_name);
			p->other_uuid++;
			continue;
		}
		if (c[i].busy)
			set_why(&c[i], ASM_BUSY, "%s", c[i].busy_why[0] ? c[i].busy_why : "is in use");
		else if (c[i].vanished)
			set_why(&c[i], ASM_VANISHED, "%s",
				c[i].busy_why[0] ? c[i].busy_why : "disappeared");
	}
}

/* Members whose geometry differs from the freshest (fi) are out; a split half is noted. */
static void judge_views(struct asm_cand *c, size_t n, size_t fi, struct asm_plan *p)
{
	const struct sb1_info *f = &c[fi].dev->info;

	for (size_t i = 0; i < n; i++) {
		const struct sb1_info *m;

		if (c[i].verdict != ASM_IN || i == fi)
			continue;
		m = &c[i].dev->info;
		if (geometry_differs(m, f, c[i].why, sizeof(c[i].why))) {
			c[i].verdict = ASM_GEOMETRY;
			continue;
		}
		/*
		 * Two halves of one array used apart: each side's superblock
		 * lists an active set without any device of the other side.
		 * A member that merely failed or went missing still lists the
		 * members it ran with, and they overlap with the freshest view.
		 */
		if (sb1_role(m) < SB1_ROLE_MAX && views_disjoint(m, f)) {
			set_why(&c[i], ASM_SPLIT,
				"ran without %s, which ran without it (events %llu vs %llu): "
				"the two halves of a split array", c[fi].path,
				(unsigned long long)m->events, (unsigned long long)f->events);
			if (p->split < 0)
				p->split = (int)i;
		}
	}
}

/* The plan's counts and verdicts from the members IN and the slots they fill. */
static void tally(const struct asm_cand *c, size_t n, const struct sb1_info *f,
		  const struct asm_opts *o, struct asm_plan *p, const bool *avail, const bool *present)
{
	p->spares = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict != ASM_IN)
			continue;
		p->members++;
		if (c[i].slot >= 0)
			p->slot_devs++;
		if (c[i].slot == -1)
			p->spares++;
		else if (c[i].replacement)
			p->replacements++;
		else if (c[i].slot >= 0 && c[i].recovering)
			p->rebuilding++;
	}
	for (uint32_t s = 0; s < p->raid_disks; s++)
		p->in_sync_slots += avail[s];
	p->usable = md_level_enough(p->level, p->layout, p->raid_disks, avail);
	p->complete = p->usable;
	for (uint32_t s = 0; s < p->raid_disks; s++)
		if (!present[s])
			p->complete = false;
	/*
	 * mdadm's start rule: start without --run when every device the
	 * freshest superblock lists in a slot is here, so an array that was
	 * already degraded when it stopped starts as it ran, and one that
	 * lost a member since does not.
	 */
	p->working = 0;
	for (uint32_t r = 0; r < f->max_dev && r < SB1_MAX_DEV; r++)
		p->working += f->dev_roles[r] < p->raid_disks;
	p->startable = p->usable && p->slot_devs >= p->working;
	p->mark_clean = o->force && p->usable && p->in_sync_slots < p->raid_disks &&
			(p->level == 4 || p->level == 5 || p->level == 6) &&
			f->resync_offset != SB1_MAX_SECTOR;
}

int asm_plan(struct asm_cand *c, size_t n, const struct asm_opts *o, struct asm_plan *p)
{
	bool *avail = NULL, *present = NULL;
	int fi, rc = 0;
	const struct sb1_info *f;

	memset(p, 0, sizeof(*p));
	p->fresh = -1;
	p->split = -1;
	judge_loaded(c, n);
	if (pick_uuid(c, n, o, p->uuid))
		return -ENOENT;
	judge_set(c, n, o, p);
	fi = pick_fresh(c, n);
	if (fi < 0)
		return -ENOENT;
	p->fresh = fi;
	f = &c[fi].dev->info;
	p->level = f->level;
	p->layout = f->layout;
	p->raid_disks = f->raid_disks;
	p->component_sectors = f->size;
	p->events = f->events;
	p->minor = c[fi].dev->minor;

	judge_views(c, n, (size_t)fi, p);
	for (size_t i = 0; i < n; i++)
		if (c[i].verdict == ASM_IN)
			judge_member(&c[i], i, &c[fi], (size_t)fi);
	drop_duplicates(c, n, (size_t)fi);

	if (!p->raid_disks || p->raid_disks > SB1_MAX_DEV)
		return -EINVAL;
	avail = calloc(p->raid_disks, sizeof(*avail));
	present = calloc(p->raid_disks, sizeof(*present));
	if (!avail || !present) {
		rc = -ENOMEM;
		goto out;
	}
	count_slots(c, n, p->raid_disks, avail, present);
	if (o->force)
		force_members(c, n, (size_t)fi, p, avail, present);
	tally(c, n, f, o, p, avail, present);
out:
	free(avail);
	free(present);
	return rc;
}

/* ---- md sysfs side ---- */

int asm_member_sb(const char *sysfs_root, const char *dev_root, const char *md,
		  const char *kname, struct sb1_dev *d, char *path, size_t pathlen,
		  unsigned *maj, unsigned *min)
{
	char rel[PATH_MAX], buf[32];
	int rc;

	memset(d, 0, sizeof(*d));
	snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/block/dev", md, kname);
	rc = sysfs_read(sysfs_root, rel, buf, sizeof(buf));
	if (rc)
		return rc;
	if (sscanf(buf, "%u:%u", maj, min) != 2)
		return -EINVAL;
	blkdev_path_of_kname(dev_root, sysfs_root, kname, path, pathlen);

	/* the one validated reader, as for every member superblock (md does not hold it exclusively) */
	return md_sb_read(path, -1, d);
}

/* Members of one array and its UUID from the first member superblock that decodes. */
static int read_md(const char *sysfs_root, const char *dev_root, const char *kname,
		   struct asm_md *out)
{
	char path[4096], buf[64];
	struct sb1_dev *sb;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->kname, sizeof(out->kname), "%s", kname);
	rc = sysfs_md_read(sysfs_root, kname, "array_state", buf, sizeof(buf));
	if (rc)
		return rc;
	out->running = md_state_running(buf);
	snprintf(path, sizeof(path), "block/%s/md", kname);
	rc = sysfs_list(sysfs_root, path, "dev-", &out->devs, &n);
	if (rc)
		return rc;
	out->ndevs = (unsigned)n;
	for (unsigned i = 0; i < out->ndevs; i++)
		memmove(out->devs[i], out->devs[i] + 4, strlen(out->devs[i] + 4) + 1);
	sb = malloc(sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	for (unsigned i = 0; i < out->ndevs && !out->have_uuid; i++) {
		unsigned maj, min;

		if (asm_member_sb(sysfs_root, dev_root, kname, out->devs[i], sb, path,
				  sizeof(path), &maj, &min))
			continue;
		memcpy(out->uuid, sb->info.set_uuid, 16);
		out->have_uuid = true;
	}
	free(sb);
	return 0;
}

int asm_md_list(const char *sysfs_root, const char *dev_root, struct asm_md **list, size_t *n)
{
	char (*names)[32] = NULL;
	size_t nn = 0, got = 0;
	struct asm_md *l;
	int rc;

	*list = NULL;
	*n = 0;
	rc = sysfs_list_arrays(sysfs_root, &names, &nn);
	if (rc)
		return rc;
	l = calloc(nn ? nn : 1, sizeof(*l));
	if (!l) {
		free(names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nn; i++) {
		rc = read_md(sysfs_root, dev_root, names[i], &l[got]);
		if (rc == -ENOMEM) {
			free(l[got].devs);
			asm_md_list_free(l, got);
			free(names);
			return rc;
		}
		if (rc) {
			/* gone meanwhile, or being torn down: not an array to use */
			free(l[got].devs);
			continue;
		}
		got++;
	}
	free(names);
	*list = l;
	*n = got;
	return 0;
}

void asm_md_list_free(struct asm_md *list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		free(list[i].devs);
	free(list);
}

int asm_md_holding(const struct asm_md *list, size_t n, const char *kname)
{
	for (size_t i = 0; i < n; i++)
		for (unsigned j = 0; j < list[i].ndevs; j++)
			if (!strcmp(list[i].devs[j], kname))
				return (int)i;
	return -1;
}

bool asm_dirty_degraded(const struct asm_cand *c, const struct asm_plan *p)
{
	if (p->fresh < 0 || p->in_sync_slots >= p->raid_disks)
		return false;
	if (p->level != 4 && p->level != 5 && p->level != 6)
		return false;
	return c[p->fresh].dev->info.resync_offset != SB1_MAX_SECTOR;
}
