// SPDX-License-Identifier: GPL-2.0-or-later
/* verify.c: finding the stripes a write-failing member got wrong (bounded md checks narrowed by a pure planner) and rebuilding them from redundancy. */
#include "verify.h"

#include "mdarray.h"
#include "sysfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

/*
 * Why md's own "check", bounded with sync_min/sync_max, and nothing else:
 *
 * - It is the only comparison of a stripe's members that is correct on a
 *   live array.  raid5/6 check each stripe inside the stripe cache with the
 *   stripe locked, so a write to that stripe waits for (or is folded into)
 *   the check; reading members from user space past md would race with
 *   writes and report phantom differences.
 * - mismatch_cnt is reset when a check starts and grows by one stripe
 *   (8 sectors) per stripe whose parity disagrees (raid4/5/6), or by the
 *   sectors of a compared block (raid1), so counts over adjacent ranges add up.
 * - A check pauses when it reaches sync_max and sync_completed then reads
 *   exactly that point, once every stripe before it is done (md waits for
 *   the I/O in flight before it updates sync_completed).  Raising sync_max
 *   lets it go on: one pass over the array, paused at many points, counts
 *   every window.  sync_max must be a multiple of the chunk size; sync_min
 *   is rounded down to 4 KiB, so inside a chunk a range is narrowed by
 *   suffix checks [x, chunk end) and differences.
 * - Stripes where a member has a recorded bad block are degraded stripes for
 *   check: it does not count them (nor write to the bad member), so the
 *   planner subtracts them when it asks "did every stripe here mismatch?".
 *
 * Observed in the VM on Debian's 6.1 kernel (tests/vm/02replace-stale-*.sh):
 * a 3-disk RAID5 (64 KiB chunks) whose slot-1 member fails writes past its
 * superblock, written with dd bs=1M oflag=direct: the kernel recorded one
 * 8-sector bad block at the start of every chunk the member holds and none
 * for the rest, so check counted 120 of every 128 sectors.  md/dev-X/bad_blocks
 * lists and takes absolute device sectors (data offset included), and
 * writing "sector length" there adds an acknowledged bad block at once.
 * Once written, check counts 0 for those stripes, and a replacement paired
 * afterwards rebuilds them from parity instead of copying them: after the
 * copy, check counted mismatches only for ranges that had not been
 * recorded.
 */

#define FIRST_WINDOWS 1024
#define SPLIT_WINDOWS 16
#define BB_MAX_LEN 512      /* longest range one kernel bad-block entry holds */

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

static int push_range(struct verify_range **v, size_t *n, size_t *cap, const struct verify_range *r)
{
	return array_push(v, n, cap, r, sizeof(*r));
}

static int cmp_lo(const void *a, const void *b)
{
	const struct verify_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

size_t verify_merge(struct verify_range *r, size_t n)
{
	size_t o = 0;

	if (!n)
		return 0;
	qsort(r, n, sizeof(*r), cmp_lo);
	for (size_t i = 1; i < n; i++) {
		if (r[i].lo <= r[o].hi) {
			if (r[i].hi > r[o].hi)
				r[o].hi = r[i].hi;
			r[o].count += r[i].count;
		} else {
			r[++o] = r[i];
		}
	}
	return o + 1;
}

uint64_t verify_skipped(const struct verify_range *skip, size_t nskip, uint64_t lo, uint64_t hi)
{
	uint64_t s = 0;

	for (size_t i = 0; i < nskip; i++) {
		uint64_t a = skip[i].lo > lo ? skip[i].lo : lo;
		uint64_t b = skip[i].hi < hi ? skip[i].hi : hi;

		if (a < b)
			s += b - a;
	}
	return s;
}

int verify_plan_init(struct verify_plan *p, const struct verify_geom *g)
{
	memset(p, 0, sizeof(*p));
	if (!g->size || !g->granule || g->size % g->granule || (g->align && g->align % g->granule) ||
	    (g->align && g->size % g->align))
		return -EINVAL;
	p->g = *g;
	if (!p->g.windows)
		p->g.windows = FIRST_WINDOWS;
	return 0;
}

void verify_plan_free(struct verify_plan *p)
{
	free(p->work);
	free(p->suspect);
	p->work = p->suspect = NULL;
	p->nwork = p->nsuspect = 0;
}

enum { PROBE_WINDOWS, PROBE_SUFFIX, PROBE_CONFIRM };

/* A progressive probe over [lo, hi) in about nwin windows of a size check can pause at. */
static void windows_probe(const struct verify_plan *p, uint64_t lo, uint64_t hi, unsigned nwin,
			  struct verify_probe *pr)
{
	uint64_t unit = p->g.align > p->g.granule ? p->g.align : p->g.granule;
	uint64_t step = round_up((hi - lo + nwin - 1) / nwin, unit);

	pr->lo = lo;
	pr->hi = hi;
	pr->step = step;
	pr->nwin = (unsigned)((hi - lo + step - 1) / step);
	pr->kind = PROBE_WINDOWS;
}

/*
 * Done with a range when it cannot get narrower (one granule, or one chunk
 * where counts do not add up), or when every stripe check could count
 * mismatched (then all of it is wrong, precisely).
 */
static bool range_settled(const struct verify_plan *p, const struct verify_range *r)
{
	uint64_t len = r->hi - r->lo;

	if (len <= p->g.granule)
		return true;
	if (p->g.additive && r->count >= len - verify_skipped(p->g.skip, p->g.nskip, r->lo, r->hi))
		return true;
	return !p->g.additive && p->g.align && len <= p->g.align;
}

/* The first chunk at or after from that a suspect range starts or ends inside (not at its edge). */
static bool next_edge_chunk(const struct verify_plan *p, uint64_t from, uint64_t *chunk)
{
	uint64_t a = p->g.align;

	for (size_t i = 0; i < p->nsuspect; i++) {
		const uint64_t e[2] = { p->suspect[i].lo, p->suspect[i].hi };

		for (int k = 0; k < 2; k++)
			if (e[k] % a && e[k] / a * a >= from) {
				*chunk = e[k] / a * a;
				return true;
			}
	}
	return false;
}

/* Sectors of the suspect ranges inside [lo, hi) that check can count (not skipped). */
static uint64_t suspect_countable(const struct verify_plan *p, uint64_t lo, uint64_t hi)
{
	uint64_t s = 0;

	for (size_t i = 0; i < p->nsuspect; i++) {
		uint64_t a = p->suspect[i].lo > lo ? p->suspect[i].lo : lo;
		uint64_t b = p->suspect[i].hi < hi ? p->suspect[i].hi : hi;

		if (a < b)
			s += b - a - verify_skipped(p->g.skip, p->g.nskip, a, b);
	}
	return s;
}

int verify_plan_next(struct verify_plan *p, struct verify_probe *pr)
{
	uint64_t chunk;

	if (p->pending)
		return -EBUSY;
	if (!p->started) {
		windows_probe(p, 0, p->g.size, p->g.windows, pr);
		p->started = p->pending = true;
		return 1;
	}
	while (p->nwork) {
		struct verify_range r = p->work[--p->nwork];
		uint64_t len = r.hi - r.lo;

		if (range_settled(p, &r)) {
			int rc = push_range(&p->suspect, &p->nsuspect, &p->capsuspect, &r);

			if (rc)
				return rc;
			continue;
		}
		p->cur = r;
		p->pending = true;
		if (!p->g.align || len > p->g.align) {
			windows_probe(p, r.lo, r.hi, SPLIT_WINDOWS, pr);
			return 1;
		}
		/* inside one chunk: check [mid, end) and take differences */
		pr->lo = r.lo + len / p->g.granule / 2 * p->g.granule;
		pr->hi = r.end;
		pr->step = r.end - pr->lo;
		pr->nwin = 1;
		pr->kind = PROBE_SUFFIX;
		return 1;
	}
	/*
	 * Inside a chunk the ranges come from differences of counts taken at
	 * different moments.  A count that moved in between (the kernel still
	 * recording bad blocks, writes still failing) can leave part of a
	 * chunk out.  So each chunk a suspect range ends inside is checked once
	 * more: if check counts more there than the suspects explain, the whole
	 * chunk is suspect (rebuilding a good stripe from redundancy is
	 * harmless; copying a stale one is not).
	 */
	if (!p->confirming) {
		p->nsuspect = verify_merge(p->suspect, p->nsuspect);
		p->confirming = true;
		p->confirm_at = 0;
	}
	if (p->g.additive && p->g.align && next_edge_chunk(p, p->confirm_at, &chunk)) {
		pr->lo = chunk;
		pr->hi = chunk + p->g.align;
		pr->step = p->g.align;
		pr->nwin = 1;
		pr->kind = PROBE_CONFIRM;
		p->confirm_at = pr->hi;
		p->pending = true;
		return 1;
	}
	return 0;
}

int verify_plan_feed(struct verify_plan *p, const struct verify_probe *pr, const uint64_t *counts)
{
	int rc = 0;

	if (!p->pending)
		return -EINVAL;
	p->pending = false;
	p->probes++;
	p->checked += pr->hi - pr->lo;
	if (pr->kind == PROBE_WINDOWS) {
		for (unsigned i = 0; i < pr->nwin && !rc; i++) {
			struct verify_range r = { .lo = pr->lo + i * pr->step, .count = counts[i] };

			r.hi = r.lo + pr->step < pr->hi ? r.lo + pr->step : pr->hi;
			r.end = r.hi;
			if (r.count)
				rc = push_range(&p->work, &p->nwork, &p->capwork, &r);
		}
		return rc;
	}
	if (pr->kind == PROBE_CONFIRM) {
		struct verify_range r = { .lo = pr->lo, .hi = pr->hi, .end = pr->hi, .count = counts[0] };

		if (counts[0] > suspect_countable(p, pr->lo, pr->hi)) {
			rc = push_range(&p->suspect, &p->nsuspect, &p->capsuspect, &r);
			p->nsuspect = verify_merge(p->suspect, p->nsuspect);
		}
		return rc;
	}
	/* suffix: counts[0] mismatches in [pr->lo, end) */
	{
		struct verify_range left = p->cur, right = p->cur;
		uint64_t s = counts[0];

		/* a write between probes may change counts: never below zero */
		right.lo = pr->lo;
		right.count = s > p->cur.tail ? s - p->cur.tail : 0;
		left.hi = pr->lo;
		left.tail = s;
		left.count = p->cur.count > right.count ? p->cur.count - right.count : 0;
		if (right.count)
			rc = push_range(&p->work, &p->nwork, &p->capwork, &right);
		if (!rc && left.count)
			rc = push_range(&p->work, &p->nwork, &p->capwork, &left);
	}
	return rc;
}

int verify_parse_badblocks(const char *text, uint64_t offset, struct verify_range **r, size_t *n,
			   size_t *cap)
{
	const char *s = text;

	while (*s) {
		unsigned long long start, len;
		int used = 0;

		while (*s == '\n' || *s == ' ')
			s++;
		if (!*s)
			break;
		if (sscanf(s, "%llu %llu%n", &start, &len, &used) != 2 || !len)
			return -EBADMSG;
		s += used;
		if (start + len > offset) {
			struct verify_range b = { .lo = start > offset ? start - offset : 0,
						  .hi = start + len - offset };
			int rc = push_range(r, n, cap, &b);

			if (rc)
				return rc;
		}
	}
	return 0;
}

static int level_redundancy(const struct md_array *a)
{
	switch (md_level_number(a->level)) {
	case 1:
		return a->raid_disks - 1;
	case 4:
	case 5:
		return 1;
	case 6:
		return 2;
	default:
		return -1;
	}
}

enum verify_attr verify_attribute(const struct md_array *a, int *idx, size_t max, size_t *n)
{
	int red = level_redundancy(a), missing = md_array_missing(a);

	*n = 0;
	if (red < 0)
		return VERIFY_ATTR_UNSUPPORTED;
	if (missing < 0)
		missing = 0;
	if (red - missing < 1)
		return VERIFY_ATTR_DEGRADED;
	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];

		if (m->slot < 0 || !(m->flags & MDM_IN_SYNC) || (m->flags & MDM_REPLACEMENT) ||
		    md_member_failed(m) || !(m->flags & MDM_WRITE_ERROR))
			continue;
		if (*n < max)
			idx[*n] = (int)i;
		(*n)++;
	}
	if (!*n)
		return VERIFY_ATTR_NONE;
	/* every suspect stripe is rebuilt from the others: at most red - missing of them */
	if (*n > (size_t)(red - missing) || *n > max)
		return VERIFY_ATTR_AMBIGUOUS;
	return VERIFY_ATTR_OK;
}

const char *verify_attr_why(enum verify_attr v)
{
	static const char *const why[] = {
		[VERIFY_ATTR_OK] = "the write-failing members hold the wrong copies",
		[VERIFY_ATTR_NONE] = "no member saw write errors, so redundancy cannot tell which member is wrong",
		[VERIFY_ATTR_AMBIGUOUS] = ("more members saw write errors than the level can rebuild at "
					   "once, so redundancy cannot tell which of them is wrong"),
		[VERIFY_ATTR_UNSUPPORTED] = "md's check cannot tell on this level which stripes disagree",
		[VERIFY_ATTR_DEGRADED] = "the array has no redundancy left to compare",
	};

	return ENUM_WORD(why, v, "?");
}

int verify_geom_of(const struct md_array *a, struct verify_geom *g)
{
	int level = md_level_number(a->level);

	memset(g, 0, sizeof(*g));
	g->size = a->component_size * 2;
	g->granule = 8;
	if (level == 4 || level == 5 || level == 6) {
		g->align = a->chunk_size / 512;
		g->additive = true;
	} else if (level != 1) {
		return -EOPNOTSUPP;
	}
	if (g->align && g->size % g->align)
		g->size -= g->size % g->align;
	if (g->size % g->granule)
		g->size -= g->size % g->granule;
	return g->size ? 0 : -EOPNOTSUPP;
}

/* ---------------------------------------------------------------- live array */

static int write_u64(const char *root, const char *md, const char *attr, uint64_t v, uint64_t size)
{
	char buf[32];

	if (v >= size)
		snprintf(buf, sizeof(buf), "max");
	else
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return sysfs_md_write(root, md, attr, buf);
}

/* sync_completed's numerator, SYSFS_NONE for "none". */
static int read_completed(const char *root, const char *md, uint64_t *done)
{
	char buf[64];
	int rc = sysfs_md_read(root, md, "sync_completed", buf, sizeof(buf));

	*done = SYSFS_NONE;
	if (rc)
		return rc;
	if (strcmp(buf, "none"))
		*done = strtoull(buf, NULL, 10);
	return 0;
}

/* Stop a paused check and put sync_min/sync_max back to the whole array. */
static void probe_stop(const char *root, const char *md, int fd)
{
	char act[32];

	for (int i = 0; i < 600; i++) {
		if (sysfs_md_read(root, md, "sync_action", act, sizeof(act)) || !strcmp(act, "idle"))
			break;
		if (!strcmp(act, "check"))
			sysfs_md_write(root, md, "sync_action", "idle");
		if (fd >= 0)
			sysfs_wait_change(fd, 100);
		else
			usleep(100000);
	}
	sysfs_md_write(root, md, "sync_max", "max");
	sysfs_md_write(root, md, "sync_min", "0");
}

/* Wait until the check paused at (or passed) mark, or ended. */
static int probe_wait(const char *root, const char *md, int fd, uint64_t mark, bool last_to_end)
{
	for (;;) {
		char act[32];
		uint64_t done;
		int rc = read_completed(root, md, &done);

		if (!rc)
			rc = sysfs_md_read(root, md, "sync_action", act, sizeof(act));
		if (rc)
			return rc;
		if (done != SYSFS_NONE && done >= mark)
			return 0;
		if (strcmp(act, "check")) {
			/* ended: normal only when the last window runs to the end of the array */
			if (last_to_end && !strcmp(act, "idle"))
				return 0;
			return strcmp(act, "idle") ? -EBUSY : -EINTR;
		}
		if (fd >= 0)
			sysfs_wait_change(fd, 1000);
		else
			usleep(100000);
	}
}

int verify_probe_run(const char *root, const char *md, uint64_t size, const struct verify_probe *pr,
		     uint64_t *counts)
{
	char act[32], rel[96];
	uint64_t prev = 0, mm;
	int rc, fd;

	rc = sysfs_md_read(root, md, "sync_action", act, sizeof(act));
	if (rc)
		return rc;
	if (strcmp(act, "idle"))
		return -EBUSY;
	/* sync_min may not pass sync_max and the other way round: open up first */
	rc = sysfs_md_write(root, md, "sync_max", "max");
	if (!rc)
		rc = write_u64(root, md, "sync_min", pr->lo, UINT64_MAX);
	if (!rc)
		rc = write_u64(root, md, "sync_max", pr->lo + pr->step, size);
	if (rc) {
		probe_stop(root, md, -1);
		return rc;
	}
	snprintf(rel, sizeof(rel), "block/%s/md/sync_completed", md);
	fd = sysfs_watch_open(root, rel);
	rc = sysfs_md_write(root, md, "sync_action", "check");
	for (unsigned w = 0; !rc && w < pr->nwin; w++) {
		uint64_t mark = pr->lo + (uint64_t)(w + 1) * pr->step;

		if (mark > pr->hi)
			mark = pr->hi;
		rc = probe_wait(root, md, fd, mark, mark >= size);
		if (!rc)
			rc = sysfs_md_read_u64(root, md, "mismatch_cnt", &mm);
		if (rc)
			break;
		counts[w] = mm >= prev ? mm - prev : 0;
		prev = mm;
		if (w + 1 < pr->nwin)
			rc = write_u64(root, md, "sync_max", mark + pr->step, size);
	}
	probe_stop(root, md, fd);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Bad blocks of member m, relative to its data offset, merged. */
static int member_badblocks(const char *root, const char *md, const struct md_member *m,
			    struct verify_range **r, size_t *n)
{
	size_t cap = 0;
	char *buf = malloc(65536);
	int rc;

	if (!buf)
		return -ENOMEM;
	*r = NULL;
	*n = 0;
	rc = sysfs_dev_read(root, md, m->kname, "bad_blocks", buf, 65536);
	if (!rc)
		rc = verify_parse_badblocks(buf, m->offset, r, n, &cap);
	else if (rc == -ENOENT)
		rc = 0;   /* the member left the array meanwhile: nothing of it to skip */
	free(buf);
	if (!rc)
		*n = verify_merge(*r, *n);
	return rc;
}

/* Bad blocks of every slotted member (as skip ranges: check cannot count those stripes). */
static int read_skips(const char *root, const char *md, const struct md_array *a,
		      struct verify_range **skip, size_t *n)
{
	size_t cap = 0;
	int rc = 0;

	*skip = NULL;
	*n = 0;
	for (unsigned i = 0; i < a->nmembers && !rc; i++) {
		struct verify_range *bb;
		size_t nbb;

		if (a->members[i].slot < 0)
			continue;
		rc = member_badblocks(root, md, &a->members[i], &bb, &nbb);
		for (size_t k = 0; !rc && k < nbb; k++)
			rc = push_range(skip, n, &cap, &bb[k]);
		free(bb);
	}
	if (!rc)
		*n = verify_merge(*skip, *n);
	return rc;
}

static int write_badblock(const char *root, const char *md, const struct md_member *m,
			  uint64_t lo, uint64_t hi)
{
	for (uint64_t s = lo; s < hi; s += BB_MAX_LEN) {
		uint64_t len = hi - s < BB_MAX_LEN ? hi - s : BB_MAX_LEN;
		char v[64];
		int rc;

		snprintf(v, sizeof(v), "%llu %llu", (unsigned long long)(m->offset + s),
			 (unsigned long long)len);
		rc = sysfs_dev_write(root, md, m->kname, "bad_blocks", v);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Record ranges as acknowledged bad blocks on member m.  Only the parts not
 * already bad are written: on 6.1 a written range that covers several
 * existing entries was merged wrongly (three of every four chunks of a
 * 512-sector write stayed unprotected and were copied stale), while ranges
 * that only touch existing entries at their ends merge correctly.  The list
 * is read back and every range must be covered; -EIO if not.
 */
static int record_ranges(const char *root, const char *md, const struct md_member *m,
			 const struct verify_range *r, size_t n, size_t *done)
{
	struct verify_range *bb = NULL;
	size_t nbb = 0;
	int rc;

	*done = 0;
	rc = member_badblocks(root, md, m, &bb, &nbb);
	for (size_t i = 0; !rc && i < n; i++) {
		uint64_t at = r[i].lo;

		for (size_t k = 0; !rc && k < nbb && at < r[i].hi; k++) {
			if (bb[k].hi <= at || bb[k].lo >= r[i].hi)
				continue;
			if (bb[k].lo > at)
				rc = write_badblock(root, md, m, at, bb[k].lo);
			at = bb[k].hi;
		}
		if (!rc && at < r[i].hi)
			rc = write_badblock(root, md, m, at, r[i].hi);
		if (!rc)
			(*done)++;
	}
	free(bb);
	if (rc)
		return rc;
	rc = member_badblocks(root, md, m, &bb, &nbb);
	for (size_t i = 0; !rc && i < n; i++)
		if (verify_skipped(bb, nbb, r[i].lo, r[i].hi) != r[i].hi - r[i].lo) {
			*done = i;
			rc = -EIO;
		}
	free(bb);
	return rc;
}

static int locate(const char *root, const char *md, const struct md_array *a,
		  struct verify_report *rep)
{
	struct verify_range *skip = NULL;
	struct verify_plan p;
	struct verify_probe pr;
	struct verify_geom g;
	uint64_t *counts = NULL;
	size_t nskip = 0;
	int rc;

	rc = verify_geom_of(a, &g);
	if (!rc)
		rc = read_skips(root, md, a, &skip, &nskip);
	if (rc) {
		free(skip);
		return rc;
	}
	g.skip = skip;
	g.nskip = nskip;
	rc = verify_plan_init(&p, &g);
	while (!rc && (rc = verify_plan_next(&p, &pr)) == 1) {
		uint64_t *nc = realloc(counts, pr.nwin * sizeof(*counts));

		if (!nc) {
			rc = -ENOMEM;
			break;
		}
		counts = nc;
		rc = verify_probe_run(root, md, g.size, &pr, counts);
		if (!rc)
			rc = verify_plan_feed(&p, &pr, counts);
		/* the kernel may record bad blocks meanwhile (writes still failing): count them out */
		if (!rc) {
			free(skip);
			skip = NULL;
			nskip = 0;
			rc = read_skips(root, md, a, &skip, &nskip);
			p.g.skip = skip;
			p.g.nskip = nskip;
		}
	}
	if (!rc) {
		rep->ranges = p.suspect;
		rep->nranges = p.nsuspect;
		p.suspect = NULL;
		for (size_t i = 0; i < rep->nranges; i++)
			rep->sectors += rep->ranges[i].hi - rep->ranges[i].lo;
	}
	rep->checked = p.checked;
	rep->probes = p.probes;
	verify_plan_free(&p);
	free(counts);
	free(skip);
	return rc;
}

int verify_member(const char *root, const char *md, bool repair, struct verify_report *rep)
{
	struct md_array a;
	int idx[2], rc;

	memset(rep, 0, sizeof(*rep));
	rc = md_array_read(root, md, &a);
	if (rc)
		return rc;
	rep->attr = verify_attribute(&a, idx, 2, &rep->nsuspects);
	if (rep->nsuspects > 2)
		rep->nsuspects = 2;
	for (size_t i = 0; i < rep->nsuspects; i++)
		copy_str(rep->suspects[i], sizeof(rep->suspects[i]), a.members[idx[i]].kname);
	if (rep->attr == VERIFY_ATTR_UNSUPPORTED || rep->attr == VERIFY_ATTR_DEGRADED) {
		md_array_free(&a);
		return 0;
	}
	rc = locate(root, md, &a, rep);
	if (!rc && repair && rep->attr == VERIFY_ATTR_OK && rep->nranges) {
		/* every suspect gets every range: the stripe is rebuilt from the others */
		for (size_t i = 0; i < rep->nsuspects && !rep->record_rc; i++) {
			size_t done;

			rep->record_rc = record_ranges(root, md, &a.members[idx[i]], rep->ranges,
						       rep->nranges, &done);
			rep->recorded = i ? (done < rep->recorded ? done : rep->recorded) : done;
		}
	}
	md_array_free(&a);
	return rc;
}

void verify_report_free(struct verify_report *rep)
{
	free(rep->ranges);
	rep->ranges = NULL;
	rep->nranges = 0;
}

int verify_full_check(const char *root, const char *md, uint64_t *mismatch)
{
	struct md_array a;
	struct verify_probe pr;
	int rc = md_array_read(root, md, &a);

	if (rc)
		return rc;
	pr.lo = 0;
	pr.hi = pr.step = a.component_size * 2;
	pr.nwin = 1;
	pr.kind = PROBE_WINDOWS;
	md_array_free(&a);
	if (!pr.hi)
		return -EINVAL;
	return verify_probe_run(root, md, pr.hi, &pr, mismatch);
}

void verify_format_ranges(const struct verify_range *r, size_t n, size_t max, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && i < max && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%llu+%llu", i ? " " : "",
				      (unsigned long long)r[i].lo,
				      (unsigned long long)(r[i].hi - r[i].lo));
	if (n > max && o < len)
		snprintf(buf + o, len - o, " ... (%zu more)", n - max);
}

/* ---------------------------------------------------------------- status kept for --detail */

#define STATUS_FILE "verify.json"

static struct json_object *status_load(const char *state_dir)
{
	char path[4096];
	struct json_object *root, *list;

	snprintf(path, sizeof(path), "%s/%s", state_dir, STATUS_FILE);
	root = json_object_from_file(path);
	if (!root || !json_object_object_get_ex(root, "members", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		if (root)
			json_object_put(root);
		root = json_object_new_object();
		json_object_object_add(root, "schema", json_object_new_int(1));
		json_object_object_add(root, "members", json_object_new_array());
	}
	return root;
}

static bool status_is(struct json_object *e, const char *uuid, const char *member)
{
	struct json_object *u, *m;

	return json_object_object_get_ex(e, "array_uuid", &u) &&
	       json_object_object_get_ex(e, "member", &m) &&
	       !strcmp(json_object_get_string(u), uuid) && !strcmp(json_object_get_string(m), member);
}

int verify_status_save(const char *state_dir, const char *uuid, const char *member,
		       const struct verify_report *rep)
{
	struct json_object *root, *list, *e, *nl;
	char path[4096], tmp[4200];
	int rc = 0;

	if (mkdir(state_dir, 0755) && errno != EEXIST)
		return -errno;
	root = status_load(state_dir);
	json_object_object_get_ex(root, "members", &list);
	nl = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (!status_is(e, uuid, member))
			json_object_array_add(nl, json_object_get(e));
	}
	e = json_object_new_object();
	json_object_object_add(e, "array_uuid", json_object_new_string(uuid));
	json_object_object_add(e, "member", json_object_new_string(member));
	json_object_object_add(e, "ranges_found", json_object_new_int64((int64_t)rep->nranges));
	json_object_object_add(e, "ranges_repaired", json_object_new_int64((int64_t)rep->recorded));
	json_object_object_add(e, "sectors", json_object_new_int64((int64_t)rep->sectors));
	json_object_object_add(e, "untrusted", json_object_new_boolean(rep->recorded < rep->nranges));
	json_object_object_add(e, "time", json_object_new_int64((int64_t)time(NULL)));
	json_object_array_add(nl, e);
	json_object_object_add(root, "members", nl);
	snprintf(path, sizeof(path), "%s/%s", state_dir, STATUS_FILE);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_object_to_file_ext(tmp, root, JSON_C_TO_STRING_PRETTY) || rename(tmp, path))
		rc = -EIO;
	json_object_put(root);
	return rc;
}

static int64_t get_i64(struct json_object *e, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(e, k, &v) ? json_object_get_int64(v) : 0;
}

int verify_status_get(const char *state_dir, const char *uuid, const char *member,
		      struct verify_status *st)
{
	struct json_object *root = status_load(state_dir), *list, *v;
	int rc = -ENOENT;

	json_object_object_get_ex(root, "members", &list);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i);

		if (!status_is(e, uuid, member))
			continue;
		st->ranges_found = (uint64_t)get_i64(e, "ranges_found");
		st->ranges_repaired = (uint64_t)get_i64(e, "ranges_repaired");
		st->sectors = (uint64_t)get_i64(e, "sectors");
		st->when = get_i64(e, "time");
		st->untrusted = json_object_object_get_ex(e, "untrusted", &v) && json_object_get_boolean(v);
		rc = 0;
	}
	json_object_put(root);
	return rc;
}

int verify_run(const char *root, const char *state_dir, const char *md, struct verify_report *rep)
{
	char uuid[40];
	int rc = verify_member(root, md, true, rep);

	if (rc || !state_dir || sysfs_md_read(root, md, "uuid", uuid, sizeof(uuid)))
		return rc;
	for (size_t i = 0; i < rep->nsuspects; i++)
		verify_status_save(state_dir, uuid, rep->suspects[i], rep);
	return 0;
}

bool verify_content(const char *state_dir, const struct md_array *a, const struct md_member *m,
		    struct verify_status *st, bool *have)
{
	memset(st, 0, sizeof(*st));
	*have = state_dir && a->uuid[0] && !verify_status_get(state_dir, a->uuid, m->kname, st);
	return (m->flags & MDM_WRITE_ERROR) || (*have && st->untrusted);
}
