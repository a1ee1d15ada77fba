/* SPDX-License-Identifier: GPL-2.0-or-later */
/* verify.h: finding the stripes a write-failing member got wrong (bounded md checks narrowed by a pure planner) and rebuilding them from redundancy. */
#ifndef MDCTL_VERIFY_H
#define MDCTL_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct md_array;
struct md_member;

/*
 * Sectors below are member sectors counted from the data offset: the
 * positions md's sync_min, sync_max and sync_completed use for raid1/4/5/6.
 */
struct verify_range {
	uint64_t lo, hi;   /* [lo, hi) */
	uint64_t count;    /* sectors check counted as mismatched in [lo, hi) */
	uint64_t end;      /* suffix probes of this range run to end (an aligned point) */
	uint64_t tail;     /* mismatched sectors in [hi, end) */
};

/* What the planner must know of the array. */
struct verify_geom {
	uint64_t size;      /* member sectors check covers (component size) */
	uint64_t align;     /* sync_max must be a multiple of this (chunk sectors); 0: none */
	uint64_t granule;   /* the unit check counts in: one stripe (8 sectors) */
	bool additive;      /* counts add up stripe by stripe (raid4/5/6): suffix bisection allowed */
	unsigned windows;   /* pause points in the first pass (0: 1024) */
	const struct verify_range *skip; /* sorted, disjoint ranges check cannot count (bad blocks) */
	size_t nskip;
};

/*
 * One bounded check: sync_min = lo, then mismatch_cnt is read each time the
 * check pauses at lo + step, lo + 2 step, ..., hi (sync_max raised each time).
 */
struct verify_probe {
	uint64_t lo, hi, step;
	unsigned nwin;
	int kind;          /* planner-private */
};

struct verify_plan {
	struct verify_geom g;
	struct verify_range *work;    /* measured ranges with mismatches still to narrow */
	size_t nwork, capwork;
	struct verify_range *suspect; /* narrowed: every stripe here mismatched (or granule-sized) */
	size_t nsuspect, capsuspect;
	struct verify_range cur;      /* the range the pending probe narrows */
	bool started, pending;
	bool confirming;              /* narrowing done: checking the chunks suspects end inside */
	uint64_t confirm_at;          /* the next such chunk is at or after this */
	uint64_t checked;             /* member sectors read by probes so far */
	unsigned probes;
};

/** verify_plan_init() - a plan over g (g->skip must outlive it). 0 or -EINVAL. */
int verify_plan_init(struct verify_plan *p, const struct verify_geom *g);
/**
 * verify_plan_next() - the next probe to run: 1 and *pr set, or 0 when done
 * (p->suspect then holds the suspect ranges, sorted and merged), -errno.
 */
int verify_plan_next(struct verify_plan *p, struct verify_probe *pr);
/** verify_plan_feed() - the counts of the probe verify_plan_next() gave (pr->nwin of them). */
int verify_plan_feed(struct verify_plan *p, const struct verify_probe *pr, const uint64_t *counts);
void verify_plan_free(struct verify_plan *p);

/** verify_merge() - sort ranges by lo and merge overlapping or touching ones; returns the new count. */
size_t verify_merge(struct verify_range *r, size_t n);
/** verify_skipped() - sectors of [lo, hi) inside the sorted disjoint skip list. */
uint64_t verify_skipped(const struct verify_range *skip, size_t nskip, uint64_t lo, uint64_t hi);
/** verify_parse_badblocks() - md/dev-X/bad_blocks text ("sector length" lines, absolute
 * device sectors) into ranges relative to data offset, appended to *r. 0 or -errno. */
int verify_parse_badblocks(const char *text, uint64_t offset, struct verify_range **r, size_t *n,
			   size_t *cap);

/* Why a member's mismatches can or cannot be pinned on it. */
enum verify_attr {
	VERIFY_ATTR_OK,          /* the suspects are known and redundancy can rebuild them */
	VERIFY_ATTR_NONE,        /* no member saw write errors: mismatches belong to nobody known */
	VERIFY_ATTR_AMBIGUOUS,   /* more write-failing members than the level has redundancy */
	VERIFY_ATTR_UNSUPPORTED, /* a level whose check cannot be narrowed (raid0, raid10, ...) */
	VERIFY_ATTR_DEGRADED,    /* no redundancy left to compare */
};

/**
 * verify_attribute() - which members of a hold the suspect content: the
 * in-sync slotted members with write_error.  Their indices go to idx (up
 * to max).  RAID4/5 can rebuild one member per stripe and RAID6 two, RAID1
 * all but one; missing members use that up first.
 * Return: the verdict; *n the number of suspects found.
 */
enum verify_attr verify_attribute(const struct md_array *a, int *idx, size_t max, size_t *n);
/** verify_attr_why() - the verdict in words, for messages. */
const char *verify_attr_why(enum verify_attr v);
/** verify_geom_of() - the planner geometry of array a (skip left empty). 0 or -EOPNOTSUPP. */
int verify_geom_of(const struct md_array *a, struct verify_geom *g);

/* ---- on a live array (sysfs) ---- */

/* What verify_member() found and did, for messages, events and --detail. */
struct verify_report {
	enum verify_attr attr;
	char suspects[2][32];         /* knames of the members blamed */
	size_t nsuspects;
	struct verify_range *ranges;  /* suspect ranges (member sectors from the data offset) */
	size_t nranges;
	uint64_t sectors;             /* sectors they cover */
	uint64_t checked;             /* member sectors check read */
	unsigned probes;
	size_t recorded;              /* ranges recorded as bad blocks on every suspect */
	int record_rc;                /* 0, -ENOSPC: the bad-block log is full, other -errno */
};

/**
 * verify_probe_run() - run one bounded check on array md and fill counts
 * (pr->nwin).  The array must be idle.  sync_min/sync_max are restored.
 * Return 0, -EBUSY (other sync work), -EINTR (someone stopped the check), -errno.
 */
int verify_probe_run(const char *root, const char *md, uint64_t size, const struct verify_probe *pr,
		     uint64_t *counts);
/**
 * verify_member() - locate the stripes of array md whose redundancy
 * disagrees, and when they can be pinned on write-failing members, record
 * them as bad blocks there (md then serves them from redundancy, and a
 * replacement rebuilds them instead of copying).  With repair false only
 * locates.  rep is filled (free with verify_report_free()).
 * Return 0 (see rep->attr and rep->record_rc), or -errno when a check
 * could not run.
 */
int verify_member(const char *root, const char *md, bool repair, struct verify_report *rep);
void verify_report_free(struct verify_report *rep);
/**
 * verify_run() - verify_member() with repair, then the outcome saved for
 * each suspect under state_dir (NULL: not saved), for --detail.
 */
int verify_run(const char *root, const char *state_dir, const char *md, struct verify_report *rep);
/** verify_full_check() - one check over the whole array; *mismatch the sectors counted. */
int verify_full_check(const char *root, const char *md, uint64_t *mismatch);
/** verify_format_ranges() - "lo+len lo+len ..." of up to max ranges into buf (", ..." when cut). */
void verify_format_ranges(const struct verify_range *r, size_t n, size_t max, char *buf, size_t len);

/* ---- what was found, kept for --detail and --json ---- */

/* One member's last verification. */
struct verify_status {
	uint64_t ranges_found, ranges_repaired, sectors;
	int64_t when;                 /* time(NULL) of the verification */
	bool untrusted;               /* found but could not be rebuilt */
};

/** verify_status_save() - remember rep for member of array uuid under state_dir. 0 or -errno. */
int verify_status_save(const char *state_dir, const char *uuid, const char *member,
		       const struct verify_report *rep);
/**
 * verify_content() - whether member m of a holds content that cannot be
 * trusted (write errors since assembly, or stale ranges found and not all
 * rebuilt); *st and *have give the saved verification, if any.
 */
bool verify_content(const char *state_dir, const struct md_array *a, const struct md_member *m,
		    struct verify_status *st, bool *have);
/** verify_status_get() - the saved status of member of array uuid: 0, -ENOENT, -errno. */
int verify_status_get(const char *state_dir, const char *uuid, const char *member,
		      struct verify_status *st);

#endif
