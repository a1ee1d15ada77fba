// SPDX-License-Identifier: GPL-2.0-or-later
/* test_verify.c: the stale-stripe planner against simulated md checks, and the pure helpers around it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdarray.h"
#include "sysfs.h"
#include "verify.h"

/* A simulated member: which 8-sector stripes mismatch, as md's check would count them. */
#define SIM_MAX 65536
static bool bad[SIM_MAX / 8];

static void sim_clear(void)
{
	memset(bad, 0, sizeof(bad));
}

static void sim_bad(uint64_t lo, uint64_t hi)
{
	for (uint64_t s = lo; s < hi; s += 8)
		bad[s / 8] = true;
}

/* What check counts over [lo, hi): 8 per mismatched stripe not in a skipped (bad-block) stripe. */
static uint64_t sim_count(const struct verify_geom *g, uint64_t lo, uint64_t hi)
{
	uint64_t c = 0;

	for (uint64_t s = lo; s < hi; s += 8)
		if (bad[s / 8] && !verify_skipped(g->skip, g->nskip, s, s + 8))
			c += 8;
	return c;
}

/*
 * Run the planner to the end; the rules md imposes on a probe are asserted on
 * the way.  before(n), when given, runs before probe n (0 first) is counted:
 * the member changing between probes.
 */
static void sim_run_with(const struct verify_geom *g, struct verify_plan *p, void (*before)(unsigned))
{
	struct verify_probe pr;
	uint64_t counts[2048];
	unsigned n = 0;
	int rc;

	assert_int_equal(verify_plan_init(p, g), 0);
	while ((rc = verify_plan_next(p, &pr)) == 1) {
		if (before)
			before(n++);
		assert_true(pr.nwin >= 1 && pr.nwin <= 2048);
		assert_true(pr.lo < pr.hi && pr.hi <= g->size);
		assert_int_equal(pr.lo % 8, 0);                 /* sync_min is rounded to 4 KiB */
		for (unsigned w = 0; w < pr.nwin; w++) {
			uint64_t a = pr.lo + w * pr.step, b = a + pr.step;

			if (b > pr.hi)
				b = pr.hi;
			if (g->align)                           /* sync_max: a chunk multiple */
				assert_int_equal(b % g->align, 0);
			counts[w] = sim_count(g, a, b);
		}
		assert_int_equal(verify_plan_feed(p, &pr, counts), 0);
	}
	assert_int_equal(rc, 0);
}

static void sim_run(const struct verify_geom *g, struct verify_plan *p)
{
	sim_run_with(g, p, NULL);
}

/* The suspects must be exactly the mismatched stripes outside the skip list (as merged ranges). */
static void assert_exact(const struct verify_geom *g, const struct verify_plan *p)
{
	for (uint64_t s = 0; s < g->size; s += 8) {
		bool want = bad[s / 8] && !verify_skipped(g->skip, g->nskip, s, s + 8);
		bool in = false, skipped = verify_skipped(g->skip, g->nskip, s, s + 8) > 0;

		for (size_t i = 0; i < p->nsuspect; i++)
			in |= s >= p->suspect[i].lo && s < p->suspect[i].hi;
		if (skipped)
			continue;  /* a suspect range may span a stripe already bad: harmless */
		assert_int_equal(in, want);
	}
	for (size_t i = 1; i < p->nsuspect; i++)
		assert_true(p->suspect[i].lo > p->suspect[i - 1].hi);
}

static void plan_clean_array_is_one_pass(void **state)
{
	struct verify_geom g = { .size = 65536, .align = 128, .granule = 8, .additive = true };
	struct verify_plan p;

	(void)state;
	sim_clear();
	sim_run(&g, &p);
	assert_int_equal(p.nsuspect, 0);
	assert_int_equal(p.probes, 1);
	assert_int_equal(p.checked, 65536);
	verify_plan_free(&p);
}

/* The kernel defect: 8 sectors recorded per chunk, the other 120 stale; no bisection needed. */
static void plan_full_stripe_pattern_settles_without_bisection(void **state)
{
	struct verify_range skip[64];
	struct verify_geom g = { .size = 32768, .align = 128, .granule = 8, .additive = true,
				 .windows = 256 };
	struct verify_plan p;

	(void)state;
	sim_clear();
	sim_bad(0, 8192);
	for (int i = 0; i < 64; i++)
		skip[i] = (struct verify_range){ .lo = (uint64_t)i * 128, .hi = (uint64_t)i * 128 + 8 };
	g.skip = skip;
	g.nskip = 64;
	sim_run(&g, &p);
	assert_exact(&g, &p);
	assert_int_equal(p.nsuspect, 1);
	assert_int_equal(p.suspect[0].lo, 0);
	assert_int_equal(p.suspect[0].hi, 8192);
	assert_int_equal(p.probes, 1);
	verify_plan_free(&p);
}

/* Isolated stripes inside chunks: suffix checks narrow them to 4 KiB, at bounded cost. */
static void plan_isolated_stripes_are_found_exactly(void **state)
{
	struct verify_geom g = { .size = 65536, .align = 1024, .granule = 8, .additive = true,
				 .windows = 64 };
	struct verify_plan p;

	(void)state;
	sim_clear();
	sim_bad(8, 16);
	sim_bad(5000, 5016);
	sim_bad(40960 + 1016, 40960 + 1024);
	sim_run(&g, &p);
	assert_exact(&g, &p);
	assert_int_equal(p.nsuspect, 3);
	/* first pass reads the member once; each suspect then costs a few chunk-sized checks */
	assert_true(p.checked <= 65536 + 3 * 2 * (1024 * 2 + 1024 * 11));
	verify_plan_free(&p);
}

/* Random patterns against the exact answer. */
static void plan_random_patterns_match_the_truth(void **state)
{
	(void)state;
	srand(7);
	for (int round = 0; round < 40; round++) {
		struct verify_geom g = { .size = 16384, .align = (round % 3) ? 128 : 0, .granule = 8,
					 .additive = round % 4 != 1, .windows = 32 };
		struct verify_plan p;
		int k = rand() % 12;

		sim_clear();
		for (int i = 0; i < k; i++) {
			uint64_t lo = (uint64_t)(rand() % 2048) * 8;
			uint64_t len = (uint64_t)(1 + rand() % 40) * 8;

			sim_bad(lo, lo + len < g.size ? lo + len : g.size);
		}
		if (!g.additive && g.align)
			g.align = 0;  /* raid1: no chunk; raid10-style chunks are tested apart */
		sim_run(&g, &p);
		assert_exact(&g, &p);
		verify_plan_free(&p);
	}
}

/* Where counts do not add up and sync_max is chunk-bound, a chunk is as narrow as it gets. */
static void plan_non_additive_with_chunks_stops_at_a_chunk(void **state)
{
	struct verify_geom g = { .size = 4096, .align = 256, .granule = 8, .additive = false };
	struct verify_plan p;

	(void)state;
	sim_clear();
	sim_bad(1032, 1040);
	sim_run(&g, &p);
	assert_int_equal(p.nsuspect, 1);
	assert_int_equal(p.suspect[0].lo, 1024);
	assert_int_equal(p.suspect[0].hi, 1280);
	verify_plan_free(&p);
}

/* Counts that shrink between probes (a write repaired a stripe meanwhile) never underflow. */
static void plan_tolerates_counts_changing_between_probes(void **state)
{
	struct verify_geom g = { .size = 1024, .align = 1024, .granule = 8, .additive = true };
	struct verify_plan p;
	struct verify_probe pr;
	uint64_t c;

	(void)state;
	assert_int_equal(verify_plan_init(&p, &g), 0);
	assert_int_equal(verify_plan_next(&p, &pr), 1);
	c = 16;
	assert_int_equal(verify_plan_feed(&p, &pr, &c), 0);
	while (verify_plan_next(&p, &pr) == 1) {
		c = 0;  /* everything looks clean now */
		assert_int_equal(verify_plan_feed(&p, &pr, &c), 0);
	}
	/* whatever is left is within the first window and well formed */
	for (size_t i = 0; i < p.nsuspect; i++)
		assert_true(p.suspect[i].lo < p.suspect[i].hi && p.suspect[i].hi <= 1024);
	verify_plan_free(&p);
}

/*
 * Part of a chunk goes stale only after the first pass measured it (seen
 * once in the VM under load: the first 64 sectors of a stale range were
 * left out).  The suffix difference then calls that part clean; the
 * confirming probe of the chunk finds more than the suspects explain and
 * takes the whole chunk.
 */
/* before(): the first 64 sectors of chunk 0 go stale just before the second probe */
static void stale_after_first_pass(unsigned n)
{
	if (n == 1)
		sim_bad(0, 64);
}

static void plan_confirms_a_chunk_whose_count_moved(void **state)
{
	struct verify_geom g = { .size = 4096, .align = 128, .granule = 8, .additive = true };
	struct verify_plan p;

	(void)state;
	sim_clear();
	sim_bad(64, 128);   /* what the first pass sees of chunk 0 */
	sim_bad(512, 1024); /* and whole chunks further on, unchanged */
	sim_run_with(&g, &p, stale_after_first_pass);
	assert_exact(&g, &p);
	assert_int_equal(p.nsuspect, 2);
	assert_int_equal(p.suspect[0].lo, 0);
	assert_int_equal(p.suspect[0].hi, 128);
	verify_plan_free(&p);
}

/* A range narrowed inside a chunk with steady counts: the confirming probe adds nothing. */
static void plan_confirm_keeps_an_exact_range(void **state)
{
	struct verify_geom g = { .size = 4096, .align = 128, .granule = 8, .additive = true };
	struct verify_plan p;

	(void)state;
	sim_clear();
	sim_bad(64, 200);
	sim_run(&g, &p);
	assert_exact(&g, &p);
	assert_int_equal(p.nsuspect, 1);
	assert_int_equal(p.suspect[0].lo, 64);
	assert_int_equal(p.suspect[0].hi, 200);
	verify_plan_free(&p);
}

static void plan_init_rejects_geometry_md_cannot_probe(void **state)
{
	struct verify_plan p;
	struct verify_geom g = { .size = 1000, .align = 128, .granule = 8, .additive = true };

	(void)state;
	assert_int_equal(verify_plan_init(&p, &g), -EINVAL);   /* not a chunk multiple */
	g.size = 1024;
	g.granule = 0;
	assert_int_equal(verify_plan_init(&p, &g), -EINVAL);
	g.granule = 8;
	g.align = 12;
	assert_int_equal(verify_plan_init(&p, &g), -EINVAL);
}

static void plan_next_refuses_a_second_probe_before_the_feed(void **state)
{
	struct verify_geom g = { .size = 1024, .align = 128, .granule = 8, .additive = true };
	struct verify_plan p;
	struct verify_probe pr;
	uint64_t c[8] = { 0 };

	(void)state;
	assert_int_equal(verify_plan_init(&p, &g), 0);
	assert_int_equal(verify_plan_next(&p, &pr), 1);
	assert_int_equal(pr.nwin, 8);
	assert_int_equal(verify_plan_next(&p, &pr), -EBUSY);
	assert_int_equal(verify_plan_feed(&p, &pr, c), 0);
	assert_int_equal(verify_plan_feed(&p, &pr, c), -EINVAL);
	verify_plan_free(&p);
}

static void merge_joins_touching_and_overlapping_ranges(void **state)
{
	struct verify_range r[] = { { .lo = 50, .hi = 60 }, { .lo = 0, .hi = 8 }, { .lo = 8, .hi = 16 },
				    { .lo = 55, .hi = 70 }, { .lo = 100, .hi = 108 } };

	(void)state;
	assert_int_equal(verify_merge(r, 5), 3);
	assert_int_equal(r[0].lo, 0);
	assert_int_equal(r[0].hi, 16);
	assert_int_equal(r[1].lo, 50);
	assert_int_equal(r[1].hi, 70);
	assert_int_equal(r[2].lo, 100);
	assert_int_equal(verify_merge(r, 0), 0);
}

static void parse_badblocks_makes_sectors_relative_to_the_data_offset(void **state)
{
	struct verify_range *r = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	assert_int_equal(verify_parse_badblocks("2048 8\n2176 512\n100 8\n", 2048, &r, &n, &cap), 0);
	assert_int_equal(n, 2);     /* the entry before the data offset is not data */
	assert_int_equal(r[0].lo, 0);
	assert_int_equal(r[0].hi, 8);
	assert_int_equal(r[1].lo, 128);
	assert_int_equal(r[1].hi, 640);
	assert_int_equal(verify_parse_badblocks("12 x\n", 0, &r, &n, &cap), -EBADMSG);
	assert_int_equal(verify_parse_badblocks("12 0\n", 0, &r, &n, &cap), -EBADMSG);
	assert_int_equal(verify_skipped(r, 2, 0, 256), 8 + 128);
	free(r);
}

static struct md_member mem[6];
static struct md_array arr;

static void make_array(const char *level, int n)
{
	memset(&arr, 0, sizeof(arr));
	memset(mem, 0, sizeof(mem));
	snprintf(arr.level, sizeof(arr.level), "%s", level);
	arr.raid_disks = n;
	arr.degraded = 0;
	arr.members = mem;
	arr.nmembers = (unsigned)n;
	arr.component_size = 32768;
	arr.chunk_size = 65536;
	for (int i = 0; i < n; i++) {
		snprintf(mem[i].kname, sizeof(mem[i].kname), "loop%d", i);
		mem[i].slot = i;
		mem[i].flags = MDM_IN_SYNC;
		mem[i].recovery_start = SYSFS_NONE;
	}
}

static void attribute_blames_write_failing_members_within_redundancy(void **state)
{
	int idx[2];
	size_t n;

	(void)state;
	make_array("raid5", 3);
	assert_int_equal(verify_attribute(&arr, idx, 2, &n), VERIFY_ATTR_NONE);
	mem[1].flags |= MDM_WRITE_ERROR | MDM_WANT_REPLACEMENT;
	assert_int_equal(verify_attribute(&arr, idx, 2, &n), VERIFY_ATTR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(idx[0], 1);
	mem[2].flags |= MDM_WRITE_ERROR;
	assert_int_equal(verify_attribute(&arr, idx, 2, &n), VERIFY_ATTR_AMBIGUOUS);
	make_array("raid6", 5);
	mem[0].flags |= MDM_WRITE_ERROR;
	mem[3].flags |= MDM_WRITE_ERROR;
	assert_int_equal(verify_attribute(&arr, idx, 2, &n), VERIFY_ATTR_OK);
	assert_int_equal(n, 2);
	/* one slot missing: raid6 can rebuild only one more per stripe */
	arr.degraded = 1;
	mem[4].flags = MDM_FAULTY;
	assert_int_equal(verify_attribute(&arr, idx, 2, &n), VERIFY_ATTR_AMBIGUOUS);
	make_array("raid5", 3);
	arr.degraded = 1;
	mem[2].flags = MDM_FAULTY;
	mem[0].flags |= MDM_WRITE_ERROR;
	assert_int_equal(verify_attribute(&arr, idx, 2, &n), VERIFY_ATTR_DEGRADED);
	make_array("raid0", 2);
	assert_int_equal(verify_attribute(&arr, idx, 2, &n), VERIFY_ATTR_UNSUPPORTED);
	make_array("raid1", 3);
	mem[0].flags |= MDM_WRITE_ERROR;
	mem[1].flags |= MDM_WRITE_ERROR;
	assert_int_equal(verify_attribute(&arr, idx, 2, &n), VERIFY_ATTR_OK);
}

static void geometry_follows_the_level(void **state)
{
	struct verify_geom g;

	(void)state;
	make_array("raid5", 3);
	assert_int_equal(verify_geom_of(&arr, &g), 0);
	assert_int_equal(g.size, 65536);
	assert_int_equal(g.align, 128);
	assert_true(g.additive);
	make_array("raid1", 2);
	assert_int_equal(verify_geom_of(&arr, &g), 0);
	assert_int_equal(g.align, 0);
	assert_false(g.additive);
	make_array("raid10", 4);
	assert_int_equal(verify_geom_of(&arr, &g), -EOPNOTSUPP);
}

static void format_ranges_cuts_long_lists(void **state)
{
	struct verify_range r[] = { { .lo = 0, .hi = 8 }, { .lo = 128, .hi = 256 }, { .lo = 512, .hi = 520 } };
	char buf[128];

	(void)state;
	verify_format_ranges(r, 3, 2, buf, sizeof(buf));
	assert_string_equal(buf, "0+8 128+128 ... (1 more)");
	verify_format_ranges(r, 3, 8, buf, sizeof(buf));
	assert_string_equal(buf, "0+8 128+128 512+8");
}

static void status_is_saved_and_found_per_member(void **state)
{
	char dir[] = "/tmp/mdctl-verify-XXXXXX";
	struct verify_range rr[2] = { { .lo = 0, .hi = 8 }, { .lo = 64, .hi = 72 } };
	struct verify_report rep = { .ranges = rr, .nranges = 2, .sectors = 16, .recorded = 1 };
	struct verify_status st;
	char cmd[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(verify_status_get(dir, "u1", "dm-0", &st), -ENOENT);
	assert_int_equal(verify_status_save(dir, "u1", "dm-0", &rep), 0);
	rep.recorded = 2;
	assert_int_equal(verify_status_save(dir, "u1", "dm-0", &rep), 0);   /* replaces */
	assert_int_equal(verify_status_save(dir, "u2", "dm-0", &rep), 0);
	assert_int_equal(verify_status_get(dir, "u1", "dm-0", &st), 0);
	assert_int_equal(st.ranges_found, 2);
	assert_int_equal(st.ranges_repaired, 2);
	assert_int_equal(st.sectors, 16);
	assert_false(st.untrusted);
	assert_int_equal(verify_status_get(dir, "u1", "dm-1", &st), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_clean_array_is_one_pass),
		cmocka_unit_test(plan_full_stripe_pattern_settles_without_bisection),
		cmocka_unit_test(plan_isolated_stripes_are_found_exactly),
		cmocka_unit_test(plan_random_patterns_match_the_truth),
		cmocka_unit_test(plan_non_additive_with_chunks_stops_at_a_chunk),
		cmocka_unit_test(plan_tolerates_counts_changing_between_probes),
		cmocka_unit_test(plan_confirms_a_chunk_whose_count_moved),
		cmocka_unit_test(plan_confirm_keeps_an_exact_range),
		cmocka_unit_test(plan_init_rejects_geometry_md_cannot_probe),
		cmocka_unit_test(plan_next_refuses_a_second_probe_before_the_feed),
		cmocka_unit_test(merge_joins_touching_and_overlapping_ranges),
		cmocka_unit_test(parse_badblocks_makes_sectors_relative_to_the_data_offset),
		cmocka_unit_test(attribute_blames_write_failing_members_within_redundancy),
		cmocka_unit_test(geometry_follows_the_level),
		cmocka_unit_test(format_ranges_cuts_long_lists),
		cmocka_unit_test(status_is_saved_and_found_per_member),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
