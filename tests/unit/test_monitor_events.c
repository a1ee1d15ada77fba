// SPDX-License-Identifier: GPL-2.0-or-later
/* test_monitor_events.c: events derived from two snapshots, spare planning and delivery formats in monitor_*.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "monitor.h"

/* The kernel's state words, parsed here so the test does not depend on sysfs.c. */
static unsigned sysfs_parse_dev_state_test(const char *s)
{
	static const struct {
		const char *w;
		unsigned f;
	} words[] = {
		{ "faulty", MDM_FAULTY }, { "in_sync", MDM_IN_SYNC }, { "blocked", MDM_BLOCKED },
		{ "spare", MDM_SPARE }, { "write_error", MDM_WRITE_ERROR },
		{ "want_replacement", MDM_WANT_REPLACEMENT }, { "replacement", MDM_REPLACEMENT },
	};
	char buf[256], *save = NULL;
	unsigned f = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save))
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (!strcmp(w, words[i].w))
				f |= words[i].f;
	return f;
}

/* Build an array: level, raid_disks, then members as "kname:slot:flags" with flags from sysfs words. */
static struct md_array *arr(const char *name, const char *level, int disks, int degraded,
			    const char *members[])
{
	struct md_array *a = calloc(1, sizeof(*a));
	unsigned n = 0;

	while (members[n])
		n++;
	snprintf(a->kname, sizeof(a->kname), "%s", name);
	snprintf(a->level, sizeof(a->level), "%s", level);
	snprintf(a->array_state, sizeof(a->array_state), "clean");
	snprintf(a->sync_action, sizeof(a->sync_action), "idle");
	a->raid_disks = disks;
	a->degraded = degraded;
	a->sync_done = a->sync_total = SYSFS_NONE;
	a->reshape_position = SYSFS_NONE;
	a->component_size = 1000;
	a->nmembers = n;
	a->members = calloc(n ? n : 1, sizeof(*a->members));
	for (unsigned i = 0; i < n; i++) {
		struct md_member *m = &a->members[i];
		char buf[128], *p, *q;

		snprintf(buf, sizeof(buf), "%s", members[i]);
		p = strchr(buf, ':');
		*p++ = 0;
		q = strchr(p, ':');
		*q++ = 0;
		snprintf(m->kname, sizeof(m->kname), "%.31s", buf);
		m->slot = atoi(p);
		m->flags = sysfs_parse_dev_state_test(q);
		m->size_kib = 1000;
		m->recovery_start = SYSFS_NONE;
	}
	return a;
}

static void arr_free(struct md_array *a)
{
	free(a->members);
	free(a);
}

static struct md_member *mem(struct md_array *a, const char *k)
{
	for (unsigned i = 0; i < a->nmembers; i++)
		if (!strcmp(a->members[i].kname, k))
			return &a->members[i];
	return NULL;
}

static const struct mon_derive_opts dopts = { .increment = 20, .expected_spares = -1 };

/* "Fail:loop1 SpareActive:loop3" for comparisons */
static void names(const struct mon_events *ev, char *buf, size_t len)
{
	char nb[48];

	buf[0] = 0;
	for (size_t i = 0; i < ev->n; i++) {
		size_t l = strlen(buf);

		snprintf(buf + l, len - l, "%s%s:%s", i ? " " : "", mon_event_name(&ev->v[i], nb, sizeof(nb)),
			 ev->v[i].member);
	}
}

static void derive_check(struct md_array *o, struct md_array *c, const char *want)
{
	struct mon_events ev = { 0 };
	char got[512];

	assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
	names(&ev, got, sizeof(got));
	assert_string_equal(got, want);
	mon_events_free(&ev);
}

static void derive_reports_admin_mark_as_want_replacement(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync", "loop2:2:in_sync", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 0, m1);

	(void)state;
	derive_check(o, c, "WantReplacement:loop1");
	arr_free(o);
	arr_free(c);
}

static void derive_finished_replacement_is_not_a_fail(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync",
			     "loop5:1:spare,replacement", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:-1:faulty,want_replacement", "loop2:2:in_sync",
			     "loop5:1:in_sync", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 0, m1);
	struct mon_events ev = { 0 };

	(void)state;
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].type, MEV_REPLACE_FINISHED);
	assert_string_equal(ev.v[0].member, "loop1");
	assert_string_equal(ev.v[0].other, "loop5");
	mon_events_free(&ev);
	arr_free(o);
	arr_free(c);
}

/*
 * The kernel's two steps at the end of a copy, read in between, in an array already
 * degraded by another member's failure: degraded did not rise, so read again (6.12's
 * timing showed this as a Fail of the retired original).
 */
static void derive_copy_end_in_degraded_array_reads_again(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:-1:faulty",
			     "loop5:1:spare,replacement", NULL };
	const char *mid[] = { "loop0:0:in_sync", "loop1:1:faulty,want_replacement", "loop2:-1:faulty",
			      "loop5:1:spare,replacement", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:-1:faulty,want_replacement", "loop2:-1:faulty",
			     "loop5:1:in_sync", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 1, m0), *c = arr("md0", "raid5", 3, 1, mid);
	struct md_array *d = arr("md0", "raid5", 3, 1, m1), *f = arr("md0", "raid5", 3, 2, mid);
	struct mon_events ev = { 0 };

	(void)state;
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 1);
	assert_int_equal(ev.n, 0);
	assert_int_equal(mon_derive(o, d, &dopts, &ev), 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].type, MEV_REPLACE_FINISHED);
	mon_events_free(&ev);
	/* the original really failing mid-copy raises degraded: judged at once */
	assert_int_equal(mon_derive(o, f, &dopts, &ev), 0);
	assert_true(ev.n >= 1);
	assert_int_equal(ev.v[0].type, MEV_FAIL);
	mon_events_free(&ev);
	arr_free(o);
	arr_free(c);
	arr_free(d);
	arr_free(f);
}

static void derive_fast_replacement_reports_start_then_finish(void **state)
{
	/* the copy started and finished between two reads: the spare was never seen as replacement */
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync",
			     "loop5:-1:spare", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:-1:faulty,write_error,want_replacement",
			     "loop2:2:in_sync", "loop5:1:in_sync", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 0, m1);

	(void)state;
	derive_check(o, c, "ReplaceStarted:loop1 ReplaceFinished:loop1");
	arr_free(o);
	arr_free(c);
}

static void derive_real_failure_is_fail(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync", "loop2:2:in_sync", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:-1:faulty", "loop2:2:in_sync", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 1, m1);

	(void)state;
	derive_check(o, c, "Fail:loop1");
	arr_free(o);
	arr_free(c);
}

static void derive_original_failing_mid_replace_is_fail(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync",
			     "loop5:1:spare,replacement", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:-1:faulty,want_replacement", "loop2:2:in_sync",
			     "loop5:1:spare", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 1, m1);

	(void)state;
	derive_check(o, c, "Fail:loop1");
	arr_free(o);
	arr_free(c);
}

static void derive_rereads_a_snapshot_caught_mid_completion(void **state)
{
	/* original already faulty, replacement read just before it became in_sync */
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync",
			     "loop5:1:spare,replacement", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:1:faulty,write_error,want_replacement",
			     "loop2:2:in_sync", "loop5:1:spare,replacement", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 0, m1);
	struct mon_events ev = { 0 };

	(void)state;
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 1);
	assert_int_equal(ev.n, 0);
	/* with degraded raised it is a real failure, reported at once */
	c->degraded = 1;
	derive_check(o, c, "Fail:loop1");
	arr_free(o);
	arr_free(c);
}

static void derive_failed_replacement_is_replace_failed(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync",
			     "loop5:1:spare,replacement", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync",
			     "loop5:-1:faulty", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 0, m1);
	struct mon_events ev = { 0 };

	(void)state;
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].type, MEV_REPLACE_FAILED);
	assert_string_equal(ev.v[0].member, "loop1");
	assert_string_equal(ev.v[0].other, "loop5");
	mon_events_free(&ev);
	arr_free(o);
	arr_free(c);
}

static void derive_waits_while_write_errors_are_unacknowledged(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync", "loop2:2:in_sync", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:1:faulty,in_sync,blocked,write_error,want_replacement",
			     "loop2:2:in_sync", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 0, m1);
	struct mon_events ev = { 0 };
	struct mon_derive_opts f = dopts;

	(void)state;
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 1);
	assert_int_equal(ev.n, 0);
	/* forced, the transient faulty is ignored: a mark, never a Fail */
	f.force = true;
	assert_int_equal(mon_derive(o, c, &f, &ev), 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].type, MEV_WANT_REPLACEMENT);
	assert_non_null(strstr(ev.v[0].detail, "write errors"));
	mon_events_free(&ev);
	arr_free(o);
	arr_free(c);
}

/*
 * A member failed for good ("faulty,blocked": the kernel blocks it until
 * its superblocks record the failure) is a Fail at once: the read is not
 * put off until the block clears, which costs a spare move a second read.
 */
static void derive_does_not_wait_on_a_failure_being_recorded(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync", "loop2:2:in_sync", NULL };
	const char *m1[] = { "loop0:0:in_sync", "loop1:1:faulty,blocked", "loop2:2:in_sync", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 0, m0), *c = arr("md0", "raid5", 3, 1, m1);
	struct mon_events ev = { 0 };
	char got[256];

	(void)state;
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
	names(&ev, got, sizeof(got));
	assert_non_null(strstr(got, "Fail:loop1"));
	mon_events_free(&ev);
	arr_free(o);
	arr_free(c);
}

static void derive_bad_blocks_growth_and_rebuild_progress(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync", "loop2:2:", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 1, m0), *c = arr("md0", "raid5", 3, 1, m0);
	struct mon_events ev = { 0 };

	(void)state;
	snprintf(o->sync_action, sizeof(o->sync_action), "recover");
	snprintf(c->sync_action, sizeof(c->sync_action), "recover");
	o->sync_done = 30;
	c->sync_done = 65;
	o->sync_total = c->sync_total = 100;
	mem(c, "loop1")->bad_blocks = 4;
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[0].type, MEV_BAD_BLOCKS);
	assert_int_equal(ev.v[0].count, 4);
	assert_int_equal(ev.v[1].type, MEV_REBUILD_NN);
	assert_int_equal(ev.v[1].percent, 60);
	mon_events_free(&ev);
	/* recovery ends: RebuildFinished and the member becomes active */
	snprintf(o->sync_action, sizeof(o->sync_action), "idle");
	o->sync_done = o->sync_total = SYSFS_NONE;
	mem(o, "loop2")->flags = MDM_IN_SYNC;
	o->degraded = 0;
	mem(o, "loop1")->bad_blocks = 4;
	derive_check(c, o, "SpareActive:loop2 RebuildFinished:");
	arr_free(o);
	arr_free(c);
}

/*
 * A sync_completed value within the snapshot's step needs no read: exactly
 * the values from which mon_derive() would report nothing.
 */
static void progress_within_a_step_needs_no_read(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync", "loop2:2:", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 1, m0), *c = arr("md0", "raid5", 3, 1, m0);

	(void)state;
	snprintf(o->sync_action, sizeof(o->sync_action), "recover");
	snprintf(c->sync_action, sizeof(c->sync_action), "recover");
	o->sync_done = 1000;
	o->sync_total = c->sync_total = 10000;
	assert_true(mon_progress_same_step(o, "1500 / 10000", 20));
	assert_true(mon_progress_same_step(o, "1999 / 10000", 20));
	assert_true(mon_progress_same_step(o, "1500 / 10000", 0));   /* the default step, 20 */
	assert_false(mon_progress_same_step(o, "2000 / 10000", 20)); /* Rebuild20 */
	assert_false(mon_progress_same_step(o, "1500 / 10000", 5));  /* 10 % -> 15 %: a step of 5 */
	assert_false(mon_progress_same_step(o, "none", 20));         /* the sync ended */
	assert_false(mon_progress_same_step(o, "delayed", 20));
	assert_false(mon_progress_same_step(o, "1500 / 20000", 20)); /* another sync */
	assert_false(mon_progress_same_step(o, "1500 / 10000 x", 20));
	/* every value it lets pass derives nothing; every other (below 100 %) derives RebuildNN */
	for (uint64_t d = 0; d <= 10000; d += 125) {
		struct mon_events ev = { 0 };
		char text[64];

		snprintf(text, sizeof(text), "%llu / 10000", (unsigned long long)d);
		c->sync_done = d;
		assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
		if (mon_progress_same_step(o, text, 20))
			assert_int_equal(ev.n, 0);
		else if (d >= 2000 && d < 10000)
			assert_int_equal(ev.n, 1);
		mon_events_free(&ev);
	}
	/* no sync in the snapshot: any progress is a start */
	o->sync_done = o->sync_total = SYSFS_NONE;
	snprintf(o->sync_action, sizeof(o->sync_action), "idle");
	assert_false(mon_progress_same_step(o, "0 / 10000", 20));
	arr_free(o);
	arr_free(c);
}

static void derive_check_finished_reports_mismatches(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync", NULL };
	struct md_array *o = arr("md0", "raid1", 2, 0, m0), *c = arr("md0", "raid1", 2, 0, m0);
	struct mon_events ev = { 0 };

	(void)state;
	snprintf(o->sync_action, sizeof(o->sync_action), "check");
	c->mismatch_cnt = 128;
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].type, MEV_REBUILD_FINISHED);
	assert_string_equal(ev.v[0].detail, "check finished, mismatches found: 128");
	mon_events_free(&ev);
	/* a resync's end says nothing about mismatches */
	snprintf(o->sync_action, sizeof(o->sync_action), "resync");
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.v[0].detail, "resync finished");
	mon_events_free(&ev);
	arr_free(o);
	arr_free(c);
}

/* A recovery whose new member failed did not finish: the event says it stopped short. */
static void derive_recovery_ending_with_its_member_failed_says_stopped(void **state)
{
	const char *run[] = { "loop0:0:in_sync", "dm-0:1:", "loop2:2:in_sync", NULL };
	const char *lost[] = { "loop0:0:in_sync", "dm-0:-1:faulty,write_error", "loop2:2:in_sync",
			       NULL };
	const char *won[] = { "loop0:0:in_sync", "dm-0:1:in_sync", "loop2:2:in_sync", NULL };
	struct md_array *o = arr("md0", "raid5", 3, 1, run), *c = arr("md0", "raid5", 3, 1, lost);
	struct md_array *w = arr("md0", "raid5", 3, 0, won);
	struct mon_events ev = { 0 };

	(void)state;
	snprintf(o->sync_action, sizeof(o->sync_action), "recover");
	o->sync_done = 100;
	o->sync_total = 2000;
	/* FailSpare for dm-0, then the end of the recovery */
	assert_int_equal(mon_derive(o, c, &dopts, &ev), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[0].type, MEV_FAIL_SPARE);
	assert_int_equal(ev.v[1].type, MEV_REBUILD_FINISHED);
	assert_string_equal(ev.v[1].detail,
			    "recovery stopped before the end: 1 slot still without an in-sync member");
	mon_events_free(&ev);
	/* the same recovery completing fills the slot: SpareActive, then the end; also
	 * with degraded read before the kernel lowered it (6.12): the filled slot decides */
	for (int lag = 0; lag <= 1; lag++) {
		w->degraded = lag;
		assert_int_equal(mon_derive(o, w, &dopts, &ev), 0);
		assert_int_equal(ev.n, 2);
		assert_int_equal(ev.v[0].type, MEV_SPARE_ACTIVE);
		assert_int_equal(ev.v[1].type, MEV_REBUILD_FINISHED);
		assert_string_equal(ev.v[1].detail, "recovery finished");
		mon_events_free(&ev);
	}
	arr_free(o);
	arr_free(c);
	arr_free(w);
}

static void derive_first_sight_reports_degraded_and_missing_spares(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", NULL };
	struct md_array *c = arr("md0", "raid5", 3, 1, m0);
	struct mon_events ev = { 0 };
	struct mon_derive_opts o = dopts;
	char got[256];

	(void)state;
	o.expected_spares = 1;
	assert_int_equal(mon_derive(NULL, c, &o, &ev), 0);
	names(&ev, got, sizeof(got));
	assert_string_equal(got, "DegradedArray: SparesMissing: WantReplacement:loop1");
	assert_int_equal(mon_event_priority(ev.v[0].type), LOG_CRIT);
	mon_events_free(&ev);
	arr_free(c);
}

/* ---- planning ---- */

static size_t count_kind(const struct mon_actions *l, enum mon_action_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].kind == k;
	return n;
}

static const struct mon_action *first_kind(const struct mon_actions *l, enum mon_action_kind k)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == k)
			return &l->v[i];
	return NULL;
}

static void plan_moves_spare_to_marked_member_in_group(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync", NULL };
	const char *m1[] = { "loop3:0:in_sync", "loop4:1:in_sync", "loop5:-1:spare", NULL };
	struct md_array *a0 = arr("md0", "raid5", 3, 0, m0), *a1 = arr("md1", "raid1", 2, 0, m1);
	struct mon_plan_array pa[] = { { a0, "g", -1, -1 }, { a1, "g", -1, -1 } };
	struct mon_actions acts = { 0 };
	const struct mon_action *mv;

	(void)state;
	assert_int_equal(mon_plan(pa, 2, NULL, 0, &acts), 0);
	mv = first_kind(&acts, MACT_MOVE);
	assert_non_null(mv);
	assert_string_equal(mv->target, "md0");
	assert_string_equal(mv->member, "loop1");
	assert_string_equal(mv->donor, "md1");
	assert_string_equal(mv->spare, "loop5");
	assert_non_null(strstr(mv->why, "spare-group g"));
	mon_actions_free(&acts);
	/* other group: stalled, saying why */
	pa[1].spare_group = "h";
	assert_int_equal(mon_plan(pa, 2, NULL, 0, &acts), 0);
	assert_int_equal(count_kind(&acts, MACT_MOVE), 0);
	assert_non_null(first_kind(&acts, MACT_STALLED));
	assert_non_null(strstr(first_kind(&acts, MACT_STALLED)->why, "no free spare in spare-group g"));
	mon_actions_free(&acts);
	arr_free(a0);
	arr_free(a1);
}

static void plan_serves_degraded_array_first(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync", NULL };
	const char *m1[] = { "loop3:0:in_sync", "loop4:1:in_sync", "loop5:-1:spare", NULL };
	const char *m2[] = { "loop6:0:in_sync", "loop7:1:in_sync", "loop8:-1:faulty", NULL };
	struct md_array *a0 = arr("md0", "raid5", 3, 0, m0), *a1 = arr("md1", "raid1", 2, 0, m1),
			*a2 = arr("md2", "raid5", 3, 1, m2);
	struct mon_plan_array pa[] = { { a0, "g", -1, -1 }, { a1, "g", -1, -1 }, { a2, "g", -1, -1 } };
	struct mon_actions acts = { 0 };

	(void)state;
	assert_int_equal(mon_plan(pa, 3, NULL, 0, &acts), 0);
	assert_int_equal(count_kind(&acts, MACT_MOVE), 1);
	assert_string_equal(first_kind(&acts, MACT_MOVE)->target, "md2");
	assert_string_equal(first_kind(&acts, MACT_STALLED)->target, "md0");
	mon_actions_free(&acts);
	arr_free(a0);
	arr_free(a1);
	arr_free(a2);
}

static void plan_donor_with_own_need_keeps_its_spare(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync", NULL };
	const char *m1[] = { "loop3:0:in_sync", "loop4:1:in_sync,want_replacement", "loop5:-1:spare", NULL };
	struct md_array *a0 = arr("md0", "raid5", 3, 0, m0), *a1 = arr("md1", "raid1", 2, 0, m1);
	struct mon_plan_array pa[] = { { a0, "g", -1, -1 }, { a1, "g", -1, -1 } };
	struct mon_actions acts = { 0 };

	(void)state;
	assert_int_equal(mon_plan(pa, 2, NULL, 0, &acts), 0);
	assert_int_equal(count_kind(&acts, MACT_MOVE), 0);
	assert_non_null(strstr(first_kind(&acts, MACT_STALLED)->why, "md1 keeps its spare"));
	mon_actions_free(&acts);
	arr_free(a0);
	arr_free(a1);
}

static void plan_least_redundancy_first_and_policy_disk(void **state)
{
	/* raid6 and raid5 both want one; one spare in the group and one POLICY disk */
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync,want_replacement", "loop2:2:in_sync",
			     "loop9:3:in_sync", NULL };
	const char *m1[] = { "loop3:0:in_sync", "loop4:1:in_sync,want_replacement", "loop5:2:in_sync", NULL };
	const char *m2[] = { "loop6:0:in_sync", "loop7:1:in_sync", "loop8:-1:spare", NULL };
	struct md_array *a0 = arr("md0", "raid6", 4, 0, m0), *a1 = arr("md1", "raid5", 3, 0, m1),
			*a2 = arr("md2", "raid1", 2, 0, m2);
	struct mon_plan_array pa[] = { { a0, "g", -1, -1 }, { a1, "g", -1, -1 }, { a2, "g", -1, -1 } };
	struct mon_plan_disk d = { .path = "/dev/sdz", .size_kib = 2000 };
	struct mon_actions acts = { 0 };

	(void)state;
	assert_int_equal(mon_plan(pa, 3, &d, 1, &acts), 0);
	assert_string_equal(first_kind(&acts, MACT_MOVE)->target, "md1");
	assert_string_equal(first_kind(&acts, MACT_ADD)->target, "md0");
	assert_string_equal(first_kind(&acts, MACT_ADD)->path, "/dev/sdz");
	mon_actions_free(&acts);
	/* a spare too small is not taken */
	mem(a2, "loop8")->size_kib = 10;
	d.size_kib = 10;
	assert_int_equal(mon_plan(pa, 3, &d, 1, &acts), 0);
	assert_int_equal(count_kind(&acts, MACT_MOVE) + count_kind(&acts, MACT_ADD), 0);
	assert_non_null(strstr(first_kind(&acts, MACT_STALLED)->why, "large enough"));
	mon_actions_free(&acts);
	arr_free(a0);
	arr_free(a1);
	arr_free(a2);
}

static void plan_threshold_marks_and_leaves_own_spare_to_kernel(void **state)
{
	const char *m0[] = { "loop0:0:in_sync", "loop1:1:in_sync", "loop2:2:in_sync", "loop3:-1:spare", NULL };
	struct md_array *a0 = arr("md0", "raid5", 3, 0, m0);
	struct mon_plan_array pa[] = { { a0, "", 10, -1 } };
	struct mon_actions acts = { 0 };

	(void)state;
	mem(a0, "loop1")->bad_blocks = 9;
	assert_int_equal(mon_plan(pa, 1, NULL, 0, &acts), 0);
	assert_int_equal(acts.n, 0);
	mem(a0, "loop1")->bad_blocks = 10;
	assert_int_equal(mon_plan(pa, 1, NULL, 0, &acts), 0);
	assert_int_equal(acts.n, 1);
	assert_int_equal(acts.v[0].kind, MACT_MARK);
	assert_string_equal(acts.v[0].member, "loop1");
	assert_non_null(strstr(acts.v[0].why, "replace-badblocks=10"));
	mon_actions_free(&acts);
	/* without its own spare the marked member needs one */
	a0->nmembers = 3;
	assert_int_equal(mon_plan(pa, 1, NULL, 0, &acts), 0);
	assert_int_equal(count_kind(&acts, MACT_MARK), 1);
	assert_int_equal(count_kind(&acts, MACT_STALLED), 1);
	mon_actions_free(&acts);
	arr_free(a0);
}

/* ---- delivery ---- */

static void exec_argv_and_env_carry_the_event(void **state)
{
	struct mon_event e = { .type = MEV_REPLACE_NN, .array = "md0", .member = "loop1",
			       .other = "loop5", .percent = 40, .detail = "replacement 40% done" };
	struct mon_names nm = { .array_path = "/dev/md0", .member_path = "/dev/loop1",
				.other_path = "/dev/loop5", .host = "box" };
	struct mon_exec x;
	bool have_pct = false, have_repl = false;

	(void)state;
	assert_int_equal(mon_build_exec("/usr/bin/alert", &e, &nm, &x), 0);
	assert_string_equal(x.argv[0], "/usr/bin/alert");
	assert_string_equal(x.argv[1], "Replace40");
	assert_string_equal(x.argv[2], "/dev/md0");
	assert_string_equal(x.argv[3], "/dev/loop1");
	assert_null(x.argv[4]);
	for (char **p = x.envp; *p; p++) {
		have_pct |= !strcmp(*p, "MDCTL_PERCENT=40");
		have_repl |= !strcmp(*p, "MDCTL_REPLACEMENT=/dev/loop5");
	}
	assert_true(have_pct && have_repl);
	/* the sequence number and the change time, when the monitor set them */
	e.seq = 12;
	e.changed_ms = 1795600000123;
	assert_int_equal(mon_build_exec("/usr/bin/alert", &e, &nm, &x), 0);
	have_pct = have_repl = false;
	for (char **p = x.envp; *p; p++) {
		have_pct |= !strcmp(*p, "MDCTL_SEQ=12");
		have_repl |= !strcmp(*p, "MDCTL_CHANGED_MS=1795600000123");
	}
	assert_true(have_pct && have_repl);
	/* MoveSpare passes the source array third, as mdadm does */
	e.type = MEV_MOVE_SPARE;
	e.percent = -1;
	snprintf(nm.other_path, sizeof(nm.other_path), "/dev/md1");
	assert_int_equal(mon_build_exec("/usr/bin/alert", &e, &nm, &x), 0);
	assert_string_equal(x.argv[1], "MoveSpare");
	assert_string_equal(x.argv[3], "/dev/md1");
	/* no member: three arguments only */
	e.type = MEV_TEST_MESSAGE;
	nm.member_path[0] = nm.other_path[0] = 0;
	assert_int_equal(mon_build_exec("/usr/bin/alert", &e, &nm, &x), 0);
	assert_null(x.argv[3]);
}

static void json_and_mail_formats(void **state)
{
	struct mon_event e = { .type = MEV_FAIL, .array = "md0", .member = "loop1", .percent = -1,
			       .detail = "failed \"now\"", .seq = 7, .changed_ms = 1795600000123 };
	struct mon_names nm = { .array_path = "/dev/md0", .member_path = "/dev/loop1", .host = "box" };
	char *j = mon_event_json(&e, &nm), *m;

	(void)state;
	assert_non_null(j);
	assert_non_null(strstr(j, "\"event\":\"Fail\""));
	assert_non_null(strstr(j, "\"priority\":\"crit\""));
	assert_non_null(strstr(j, "\"member\":\"/dev/loop1\""));
	assert_non_null(strstr(j, "failed \\\"now\\\""));
	assert_non_null(strstr(j, "\"seq\":7,"));
	assert_non_null(strstr(j, "\"changed\":\"2026-11-25T"));
	assert_non_null(strstr(j, ".123Z\""));
	assert_null(strchr(j, '\n'));
	free(j);
	m = mon_mail_text(&e, &nm, "root@example.org", "md@box");
	assert_non_null(strstr(m, "failed \"now\" (#7)\n"));
	assert_non_null(strstr(m, "Subject: Fail event on /dev/md0:box\n"));
	assert_non_null(strstr(m, "From: md@box\n"));
	free(m);
}

/*
 * Every event type as JSON: one object carrying the schema version.  With
 * MDCTL_JSON_DIR set (make unittest) each is also kept for
 * tests/host/json-schema-check, which validates it against the shipped schema.
 */
static void json_of_every_event_type(void **state)
{
	const char *dir = getenv("MDCTL_JSON_DIR");

	(void)state;
	for (int t = 0; t < MEV_NTYPES; t++) {
		struct mon_event e = { .type = (enum mon_ev)t, .array = "md0", .member = "loop1",
				       .other = "loop5", .percent = -1, .time = 1795600000,
				       .detail = "why \"it\" happened", .seq = (uint64_t)t + 1,
				       .changed_ms = 1795600000000 + t };
		struct mon_names nm = { .array_path = "/dev/md0", .member_path = "/dev/loop1",
					.other_path = "/dev/loop5", .host = "box" };
		struct json_object *o, *v;
		char *j;

		if (t == MEV_REBUILD_NN || t == MEV_REPLACE_NN)
			e.percent = 40;
		if (t == MEV_BAD_BLOCKS)
			e.count = 12;
		j = mon_event_json(&e, &nm);
		assert_non_null(j);
		o = json_tokener_parse(j);
		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "version", &v));
		assert_int_equal(json_object_get_int(v), 2);
		json_object_put(o);
		if (dir && *dir) {
			char path[4096];
			FILE *f;

			mkdir(dir, 0755);
			snprintf(path, sizeof(path), "%s/event-%d.json", dir, t);
			f = fopen(path, "w");
			assert_non_null(f);
			fprintf(f, "%s\n", j);
			fclose(f);
			snprintf(path, sizeof(path), "%s/event-%d.args", dir, t);
			f = fopen(path, "w");
			assert_non_null(f);
			fputs("event\n", f);
			fclose(f);
		}
		free(j);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(derive_reports_admin_mark_as_want_replacement),
		cmocka_unit_test(derive_finished_replacement_is_not_a_fail),
		cmocka_unit_test(derive_fast_replacement_reports_start_then_finish),
		cmocka_unit_test(derive_real_failure_is_fail),
		cmocka_unit_test(derive_original_failing_mid_replace_is_fail),
		cmocka_unit_test(derive_rereads_a_snapshot_caught_mid_completion),
		cmocka_unit_test(derive_failed_replacement_is_replace_failed),
		cmocka_unit_test(derive_waits_while_write_errors_are_unacknowledged),
		cmocka_unit_test(derive_does_not_wait_on_a_failure_being_recorded),
		cmocka_unit_test(derive_bad_blocks_growth_and_rebuild_progress),
		cmocka_unit_test(progress_within_a_step_needs_no_read),
		cmocka_unit_test(derive_check_finished_reports_mismatches),
		cmocka_unit_test(derive_recovery_ending_with_its_member_failed_says_stopped),
		cmocka_unit_test(derive_copy_end_in_degraded_array_reads_again),
		cmocka_unit_test(derive_first_sight_reports_degraded_and_missing_spares),
		cmocka_unit_test(plan_moves_spare_to_marked_member_in_group),
		cmocka_unit_test(plan_serves_degraded_array_first),
		cmocka_unit_test(plan_donor_with_own_need_keeps_its_spare),
		cmocka_unit_test(plan_least_redundancy_first_and_policy_disk),
		cmocka_unit_test(plan_threshold_marks_and_leaves_own_spare_to_kernel),
		cmocka_unit_test(exec_argv_and_env_carry_the_event),
		cmocka_unit_test(json_and_mail_formats),
		cmocka_unit_test(json_of_every_event_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
