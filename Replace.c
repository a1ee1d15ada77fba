// SPDX-License-Identifier: GPL-2.0-or-later
/* Replace.c: --replace: mark, pair, wait for, cancel and list hot-replacements of md members. */
#include "cli.h"
#include "mdctl.h"

#include "blkdev.h"
#include "intent.h"
#include "manage_lib.h"
#include "mdops.h"
#include "output.h"
#include "mdarray.h"
#include "progress.h"
#include "replace_lib.h"
#include "super1.h"
#include "sysfs.h"
#include "safefile.h"
#include "util.h"
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#define MAX_DEVS 32

enum {
	OPT_REPLACE = 256,
	OPT_WITH,
	OPT_ADD,
	OPT_KEEP_OLD,
	OPT_CANCEL,
	OPT_LIST,
	OPT_JSON,
	OPT_FORCE,
	OPT_VERIFY,
	OPT_NO_VERIFY,
};

struct replace_opts {
	const char *md_arg;
	const char *olds[MAX_DEVS];
	int nold;
	const char *news[MAX_DEVS];
	int nnew;
	const char *adds[MAX_DEVS];
	int nadd;
	bool wait, keep_old, cancel, list, json, force;
	bool verify, no_verify;
};

/*
 * One replacement this call sets up: OLD (a member index), NEW (a member
 * index, or a disk to add first, or none for mark-only).
 */
struct pair {
	char old_kname[32];
	char old_path[PATH_MAX];
	int slot;
	bool old_was_marked;
	bool marked;              /* we wrote want_replacement */
	const char *new_arg;      /* as typed, NULL for mark only */
	char new_kname[32];       /* known once in the array */
	bool new_outside;         /* not a member yet: md_add_spare() */
	bool paired;              /* we wrote the slot */
	bool following;           /* already paired before this call: only --wait */
	bool rebuild;             /* fail OLD once NEW is paired: NEW is rebuilt from redundancy */
	struct md_spare_undo *undo;
	bool have_uuids;
	bool recorded;            /* its intent is in the state directory */
	uint8_t array_uuid[16];
	uint8_t old_dev_uuid[16];
};

static const char help_text[] =
"Usage: mdctl --replace /dev/mdN [OLD...] [--with NEW...] [--wait [--keep-old] [--verify]]\n"
"                     [--no-verify] [--force]\n"
"       mdctl /dev/mdN --replace OLD [--with NEW] [--replace OLD2 --with NEW2 ...]\n"
"       mdctl --replace /dev/mdN OLD --cancel\n"
"       mdctl --replace --list [/dev/mdN] [--json]\n"
"\n"
"Copy a member that still works (OLD) onto another disk (NEW) while the array\n"
"stays fully redundant; when the copy is done the kernel retires OLD.\n"
"\n"
"  OLD             the member to replace; omitted with --with, the member already\n"
"                  marked for replacement (by the kernel after a write error, or\n"
"                  by an administrator) is taken, the most urgent first\n"
"  --with NEW      the disk to copy onto: a spare of the array, or a disk not in\n"
"                  it, which is checked (size, not in use, no signature) and added\n"
"                  as a spare first.  Pairs with OLDs in the order given.\n"
"                  Without --with, OLD is only marked: the kernel pairs any spare,\n"
"                  now or when one is added\n"
"  --add DEV       add DEV as a spare as well (mdadm's --add NEW --replace OLD --with NEW)\n"
"  --wait, -W      wait for the copy, with progress; then remove the retired OLD\n"
"                  from the array and say which disk can be pulled\n"
"  --keep-old      with --wait: leave the retired OLD in the array (faulty)\n"
"  --verify        with --wait: run md's check over the array after the copy and\n"
"                  report mismatch_cnt (exit 1 when it is not 0)\n"
"  --no-verify     copy an OLD that saw write errors as it is.  By default its\n"
"                  stripes are first compared with redundancy (md's check, bounded\n"
"                  and narrowed), and those it got wrong are recorded as its bad\n"
"                  blocks, so md reads them and the copy rebuilds them from the\n"
"                  other members instead of copying stale data\n"
"  --cancel        stop a pending or running replacement of OLD: the mark is\n"
"                  cleared, a paired NEW is failed and removed; OLD stays\n"
"  --list          pending and running replacements, and recorded intents\n"
"  --json          --list as one JSON object (schema in mdctl(8))\n"
"  --force         accept a NEW with a signature, or on the same disk as a member;\n"
"                  replace an OLD whose superblock cannot be read, unrecorded\n"
"  --quiet, -q / --verbose, -v / --help, -h\n"
"\n"
"Each pending replacement is recorded in $MDCTL_STATE_DIR/replacements.json\n"
"(default /var/lib/mdctl), since the kernel forgets a mark when the array stops.\n"
"See mdctl(8), section REPLACE.\n";

static const struct option longopts[] = {
	{ "replace", optional_argument, NULL, OPT_REPLACE },
	{ "with", optional_argument, NULL, OPT_WITH },
	{ "add", optional_argument, NULL, OPT_ADD },
	{ "wait", no_argument, NULL, 'W' },
	{ "keep-old", no_argument, NULL, OPT_KEEP_OLD },
	{ "cancel", no_argument, NULL, OPT_CANCEL },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
	CLI_COMMON_OPTS,
};

static int push(const char **v, int *n, const char *s, const char *what)
{
	if (*n >= MAX_DEVS) {
		mdctl_err("--replace: at most %d %s devices in one call", MAX_DEVS, what);
		return -E2BIG;
	}
	v[(*n)++] = s;
	return 0;
}

/*
 * Devices follow the option that names their role, as mdadm reads them:
 * after --replace they are OLD, after --with NEW, after --add spares.
 * The first plain argument is always the array.
 */
/* The options that take no value and only turn a flag on. */
static const struct {
	int opt;
	size_t at;
} flag_opts[] = {
	{ 'W', offsetof(struct replace_opts, wait) },
	{ OPT_KEEP_OLD, offsetof(struct replace_opts, keep_old) },
	{ OPT_CANCEL, offsetof(struct replace_opts, cancel) },
	{ OPT_LIST, offsetof(struct replace_opts, list) },
	{ OPT_JSON, offsetof(struct replace_opts, json) },
	{ OPT_FORCE, offsetof(struct replace_opts, force) },
	{ OPT_VERIFY, offsetof(struct replace_opts, verify) },
	{ OPT_NO_VERIFY, offsetof(struct replace_opts, no_verify) },
};

/* The flag option c turns on; NULL when c is not one of flag_opts. */
static bool *flag_of(struct replace_opts *o, int c)
{
	for (size_t i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++)
		if (flag_opts[i].opt == c)
			return (bool *)((char *)o + flag_opts[i].at);
	return NULL;
}

static int parse_args(int argc, char **argv, struct replace_opts *o)
{
	int c, mode = 0, rc = 0;
	bool *flag;

	memset(o, 0, sizeof(*o));
	cli_begin();
	while ((c = cli_getopt(argc, argv, "-:Wqvah", longopts, 0)) != -1) {
		switch (c) {
		case 1:
			if (!o->md_arg) {
				o->md_arg = optarg;
			} else if (mode == OPT_REPLACE) {
				rc = push(o->olds, &o->nold, optarg, "--replace");
			} else if (mode == OPT_WITH) {
				rc = push(o->news, &o->nnew, optarg, "--with");
			} else if (mode == OPT_ADD) {
				rc = push(o->adds, &o->nadd, optarg, "--add");
			} else {
				mdctl_err("%s: a device must follow --replace, --with or --add", optarg);
				return MDCTL_EXIT_USAGE;
			}
			break;
		case OPT_REPLACE:
			mode = OPT_REPLACE;
			if (optarg)
				rc = push(o->olds, &o->nold, optarg, "--replace");
			break;
		case OPT_WITH:
			if (mode != OPT_REPLACE && mode != OPT_WITH && !o->nold && !o->md_arg) {
				mdctl_err("--with must follow --replace");
				return MDCTL_EXIT_USAGE;
			}
			mode = OPT_WITH;
			if (optarg)
				rc = push(o->news, &o->nnew, optarg, "--with");
			break;
		case OPT_ADD:
		case 'a':
			mode = OPT_ADD;
			if (optarg)
				rc = push(o->adds, &o->nadd, optarg, "--add");
			break;
		default:
			flag = flag_of(o, c);
			if (flag) {
				*flag = true;
				break;
			}
			if ((rc = cli_common("--replace", help_text, c, argv)) != CLI_NEXT)
				return rc;
			rc = 0;
			break;
		}
		if (rc)
			return MDCTL_EXIT_USAGE;
	}
	if (o->list) {
		if (o->cancel || o->wait || o->nold || o->nnew || o->nadd || o->no_verify) {
			mdctl_err("--replace --list takes only an optional array and --json");
			return MDCTL_EXIT_USAGE;
		}
		return -1;
	}
	if (!o->md_arg) {
		mdctl_err("--replace: name the array: mdctl --replace /dev/mdN OLD --with NEW");
		return MDCTL_EXIT_USAGE;
	}
	if (o->json) {
		mdctl_err("--json goes with --replace --list");
		return MDCTL_EXIT_USAGE;
	}
	if (o->cancel && (o->nold != 1 || o->nnew || o->nadd || o->wait)) {
		mdctl_err("--cancel: name exactly one member: mdctl --replace %s OLD --cancel", o->md_arg);
		return MDCTL_EXIT_USAGE;
	}
	if (o->keep_old && !o->wait) {
		mdctl_err("--keep-old goes with --wait");
		return MDCTL_EXIT_USAGE;
	}
	if (o->verify && !o->wait) {
		mdctl_err("--verify goes with --wait: the check runs once the copy is done");
		return MDCTL_EXIT_USAGE;
	}
	if ((o->verify || o->no_verify) && o->cancel) {
		mdctl_err("--verify and --no-verify go with a replacement, not --cancel");
		return MDCTL_EXIT_USAGE;
	}
	if (!o->nold && !o->nnew) {
		mdctl_err("%s: --replace: name the member to replace, or the new disk with --with", o->md_arg);
		return MDCTL_EXIT_USAGE;
	}
	return -1;
}

/* ---------------------------------------------------------------- helpers */

static void display_path(struct mdctl_ctx *ctx, const char *kname, char *buf, size_t len)
{
	if (blkdev_path_of_kname(ctx->dev_root, ctx->sysfs_root, kname, buf, len))
		snprintf(buf, len, "%s/%s", ctx->dev_root, kname);
}

/* The member a user means by path (md_array_find_dev()); errors looking at it mean none. */
static struct md_member *find_member(struct md_array *a, const char *arg)
{
	int err;

	return md_array_find_dev(a, arg, &err);
}

/* Array UUID and OLD's device UUID from OLD's superblock, for the intent. */
static int read_uuids(struct mdctl_ctx *ctx, const struct md_array *a, const char *kname,
		      uint8_t array_uuid[16], uint8_t dev_uuid[16])
{
	struct md_member m = { .slot = -1 };
	int rc;

	if (copy_str(m.kname, sizeof(m.kname), kname))
		return -ENAMETOOLONG;
	rc = md_member_load_id(ctx->dev_root, a, &m);
	if (!rc) {
		memcpy(array_uuid, m.id.array_uuid, 16);
		memcpy(dev_uuid, m.id.dev_uuid, 16);
	}
	return rc;
}

static void ms_since(const struct timespec *t0, long *ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	*ms = (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void unfreeze(struct mdctl_ctx *ctx, const char *md, bool *froze)
{
	if (mdops_unfreeze(ctx->sysfs_root, md, froze))
		mdctl_warn("/dev/%s: could not unfreeze recovery: write idle to md/sync_action", md);
}


/* ---------------------------------------------------------------- verification */

/* Say what verify_run() found; decide for each pair whether NEW is copied, rebuilt, or refused. */
static int verify_outcome(struct mdctl_ctx *ctx, const char *md, const struct md_array *a,
			  const struct verify_report *rep, struct pair *pairs, int npairs)
{
	char ranges[512], who[PATH_MAX];
	bool survives;

	display_path(ctx, rep->nsuspects ? rep->suspects[0] : "?", who, sizeof(who));
	verify_format_ranges(rep->ranges, rep->nranges, 8, ranges, sizeof(ranges));
	if (!rep->nranges) {
		mdctl_info("/dev/%s: every stripe agrees with redundancy (check read %llu MiB per "
			   "member in %u passes); %s is copied as it is", md,
			   (unsigned long long)(rep->checked / 2048), rep->probes, who);
		return 0;
	}
	if (rep->attr != VERIFY_ATTR_OK) {
		mdctl_err("/dev/%s: %zu ranges (%llu sectors) disagree with redundancy, but %s; a copy "
			  "could carry wrong data, so nothing is replaced.  Untrusted ranges (member "
			  "sectors from the data offset): %s", md, rep->nranges,
			  (unsigned long long)rep->sectors, verify_attr_why(rep->attr), ranges);
		return -EUCLEAN;
	}
	if (!rep->record_rc) {
		mdctl_info("/dev/%s: %s: %zu ranges (%llu sectors) disagree with redundancy (%s); "
			   "recorded as its bad blocks, so md reads them from redundancy and the copy "
			   "rebuilds them", md, who, rep->nranges, (unsigned long long)rep->sectors, ranges);
		return 0;
	}
	/* the kernel refused more bad blocks: only a rebuild of the whole slot avoids the copy */
	{
		struct md_array b = *a;
		struct md_member *mv = malloc(a->nmembers * sizeof(*mv));

		if (!mv)
			return -ENOMEM;
		memcpy(mv, a->members, a->nmembers * sizeof(*mv));
		b.members = mv;
		for (unsigned k = 0; k < b.nmembers; k++)
			for (size_t i = 0; i < rep->nsuspects; i++)
				if (!strcmp(mv[k].kname, rep->suspects[i]))
					mv[k].flags = (mv[k].flags | MDM_FAULTY) & ~MDM_IN_SYNC;
		survives = md_array_enough(&b);
		free(mv);
	}
	if (!survives || rep->nsuspects != 1) {
		mdctl_err("/dev/%s: %s: %zu ranges disagree with redundancy and the kernel took only "
			  "%zu as bad blocks (%s); without %s the array cannot run, so nothing is "
			  "replaced.  Untrusted ranges (member sectors from the data offset): %s", md,
			  who, rep->nranges, rep->recorded, strerror(-rep->record_rc), who, ranges);
		return -EUCLEAN;
	}
	for (int i = 0; i < npairs; i++)
		if (!strcmp(pairs[i].old_kname, rep->suspects[0]))
			pairs[i].rebuild = true;
	mdctl_warn("/dev/%s: %s: %zu ranges disagree with redundancy but the kernel took only %zu "
		   "as bad blocks (%s): the new disk is rebuilt from redundancy instead of copied, "
		   "and %s is failed as soon as it is paired", md, who, rep->nranges, rep->recorded,
		   strerror(-rep->record_rc), who);
	return 0;
}

/* Before pairing: compare the stripes of OLDs that saw write errors with redundancy. */
static int verify_olds(struct mdctl_ctx *ctx, const char *md, const struct md_array *a,
		       struct pair *pairs, int npairs, const struct replace_opts *o)
{
	struct verify_report rep;
	bool any = false;
	int rc;

	for (int i = 0; i < npairs; i++) {
		const struct md_member *m = md_array_find((struct md_array *)a, pairs[i].old_kname);

		if (!m || !(m->flags & MDM_WRITE_ERROR) || pairs[i].following)
			continue;
		if (o->no_verify)
			mdctl_info("/dev/%s: %s saw write errors; --no-verify: it is copied without "
				   "comparing it with redundancy, stale blocks included", md,
				   pairs[i].old_path);
		else
			mdctl_info("/dev/%s: %s saw write errors: comparing its stripes with redundancy "
				   "first (md check; --no-verify skips)", md, pairs[i].old_path);
		any = true;
	}
	if (!any || o->no_verify)
		return 0;
	rc = verify_run(ctx->sysfs_root, ctx->state_dir, md, &rep);
	if (rc) {
		mdctl_err("/dev/%s: cannot compare stripes with redundancy: %s%s", md,
			  rc == -EBUSY ? "the array is busy with other sync work" : strerror(-rc),
			  "; nothing is replaced (--no-verify copies as it is)");
		return rc;
	}
	rc = verify_outcome(ctx, md, a, &rep, pairs, npairs);
	verify_report_free(&rep);
	return rc;
}

/* --verify: one check over the array once the copy is done. */
static int verify_after(struct mdctl_ctx *ctx, const char *md)
{
	uint64_t mm = 0;
	int rc;

	mdctl_info("/dev/%s: --verify: checking the array against its redundancy", md);
	rc = verify_full_check(ctx->sysfs_root, md, &mm);
	if (rc) {
		mdctl_err("/dev/%s: --verify: the check did not run to the end: %s", md, strerror(-rc));
		return MDCTL_EXIT_FAIL;
	}
	if (mm) {
		mdctl_err("/dev/%s: --verify: mismatch_cnt %llu: %llu sectors disagree with redundancy "
			  "after the copy", md, (unsigned long long)mm, (unsigned long long)mm);
		return MDCTL_EXIT_FAIL;
	}
	mdctl_info("/dev/%s: --verify: mismatch_cnt 0", md);
	return MDCTL_EXIT_OK;
}

/* ---------------------------------------------------------------- --list */

struct list_row {
	char md[32];
	int slot;
	char old_path[PATH_MAX];
	char new_path[PATH_MAX];
	double percent;             /* -1 unknown */
	const char *state;
	bool recorded;
	char array_uuid[37];
	char old_dev_uuid[37];
};

static double replacement_percent(const struct md_array *a, const struct md_member *r)
{
	uint64_t total = a->component_size * 2;

	if (!strcmp(a->sync_action, "recover") && a->sync_done != SYSFS_NONE && a->sync_total &&
	    a->sync_total != SYSFS_NONE)
		return 100.0 * (double)a->sync_done / (double)a->sync_total;
	if (r->recovery_start != SYSFS_NONE && total)
		return 100.0 * (double)r->recovery_start / (double)total;
	return -1;
}

/* Does an intent match this array and member?  Reads the member's superblock. */
static bool intent_matches(struct mdctl_ctx *ctx, const struct md_array *a, const char *kname,
			   const struct replace_intent *in)
{
	uint8_t au[16], du[16];

	if (read_uuids(ctx, a, kname, au, du))
		return false;
	return !memcmp(au, in->array_uuid, 16) && !memcmp(du, in->old_dev_uuid, 16);
}

/* The --list table, or its JSON. */
static void print_rows(const struct list_row *rows, size_t nrows, bool json)
{
	if (json) {
		struct json_object *root = json_object_new_object(), *arr = json_object_new_array();

		json_object_object_add(root, "version", json_object_new_int(MDCTL_JSON_SCHEMA));
		json_object_object_add(root, "replacements", arr);
		for (size_t i = 0; i < nrows; i++) {
			struct json_object *e = json_object_new_object();
			char md[64];

			snprintf(md, sizeof(md), "/dev/%s", rows[i].md);
			json_object_object_add(e, "array", out_jstr(md));
			json_object_object_add(e, "slot", rows[i].slot >= 0 ?
					       json_object_new_int(rows[i].slot) : NULL);
			json_object_object_add(e, "old", out_jstr(rows[i].old_path));
			json_object_object_add(e, "new", rows[i].new_path[0] ?
					       out_jstr(rows[i].new_path) : NULL);
			json_object_object_add(e, "percent", rows[i].percent >= 0 ?
					       json_object_new_double(rows[i].percent) : NULL);
			json_object_object_add(e, "state", out_jstr(rows[i].state));
			json_object_object_add(e, "recorded", json_object_new_boolean(rows[i].recorded));
			if (rows[i].recorded) {
				json_object_object_add(e, "array_uuid",
						       out_jstr(rows[i].array_uuid));
				json_object_object_add(e, "old_dev_uuid",
						       out_jstr(rows[i].old_dev_uuid));
			}
			json_object_array_add(arr, e);
		}
		out_json(stdout, root);
		json_object_put(root);
	} else if (!nrows) {
		printf("no replacements pending or running\n");
	} else {
		printf("%-10s %4s  %-20s %-20s %8s  %s\n", "ARRAY", "SLOT", "OLD", "NEW", "PROGRESS", "STATE");
		for (size_t i = 0; i < nrows; i++) {
			char md[40], slot[12], pct[16];

			snprintf(md, sizeof(md), "/dev/%s", rows[i].md);
			if (rows[i].slot >= 0)
				snprintf(slot, sizeof(slot), "%d", rows[i].slot);
			else
				snprintf(slot, sizeof(slot), "-");
			if (rows[i].percent >= 0)
				snprintf(pct, sizeof(pct), "%.1f%%", rows[i].percent);
			else
				snprintf(pct, sizeof(pct), "-");
			printf("%-10s %4s  %-20s %-20s %8s  %s%s\n", md, slot, rows[i].old_path,
			       rows[i].new_path[0] ? rows[i].new_path : "-", pct, rows[i].state,
			       rows[i].recorded && strcmp(rows[i].state, "recorded") &&
			       strcmp(rows[i].state, "not-running") && strcmp(rows[i].state, "finished") ?
			       " (recorded)" : "");
		}
	}
}

/* The rows of one running array: its replacements, and the intents recorded for it. */
static int list_array(struct mdctl_ctx *ctx, const struct md_array *a,
		      const struct replace_intent *intents, size_t nint, bool *used,
		      struct list_row **rows, size_t *nrows, size_t *cap)
{
	struct list_row row;
	int status = MDCTL_EXIT_OK;

	for (unsigned m = 0; m < a->nmembers; m++) {
		const struct md_member *om = &a->members[m], *r;

		if (om->slot < 0 || (om->flags & MDM_REPLACEMENT))
			continue;
		r = md_slot_member(a, om->slot, true);
		if (!r && !(om->flags & MDM_WANT_REPLACEMENT))
			continue;
		memset(&row, 0, sizeof(row));
		snprintf(row.md, sizeof(row.md), "%s", a->kname);
		row.slot = om->slot;
		display_path(ctx, om->kname, row.old_path, sizeof(row.old_path));
		if (r) {
			display_path(ctx, r->kname, row.new_path, sizeof(row.new_path));
			row.percent = replacement_percent(a, r);
			row.state = strcmp(a->sync_action, "recover") ? "paired" : "copying";
		} else {
			row.percent = -1;
			row.state = "marked";
		}
		for (size_t k = 0; k < nint; k++) {
			if (!used[k] && intent_matches(ctx, a, om->kname, &intents[k])) {
				used[k] = true;
				row.recorded = true;
				intent_uuid_str(intents[k].array_uuid, row.array_uuid);
				intent_uuid_str(intents[k].old_dev_uuid, row.old_dev_uuid);
				if (!r && intents[k].new_path[0])
					snprintf(row.new_path, sizeof(row.new_path), "%s",
						 intents[k].new_path);
			}
		}
		if (array_push(rows, nrows, cap, &row, sizeof(row)))
			status = MDCTL_EXIT_FAIL;
	}
	/* intents of this array the kernel no longer shows */
	for (size_t k = 0; k < nint; k++) {
		struct md_member *hit = NULL;

		if (used[k])
			continue;
		for (unsigned m = 0; m < a->nmembers && !hit; m++)
			if (intent_matches(ctx, a, a->members[m].kname, &intents[k]))
				hit = &a->members[m];
		if (!hit) {
			uint8_t au[16];

			/* the array is this one, but OLD is gone from it: finished (or lost) */
			if (!a->uuid[0] || intent_uuid_parse(a->uuid, au) ||
			    memcmp(au, intents[k].array_uuid, 16))
				continue;
		}
		used[k] = true;
		memset(&row, 0, sizeof(row));
		snprintf(row.md, sizeof(row.md), "%s", a->kname);
		row.recorded = true;
		row.percent = -1;
		intent_uuid_str(intents[k].array_uuid, row.array_uuid);
		intent_uuid_str(intents[k].old_dev_uuid, row.old_dev_uuid);
		snprintf(row.new_path, sizeof(row.new_path), "%s", intents[k].new_path);
		if (hit && md_member_active(hit)) {
			row.slot = hit->slot;
			display_path(ctx, hit->kname, row.old_path, sizeof(row.old_path));
			row.state = "recorded";
		} else if (a->degraded <= 0) {
			/* OLD retired or removed and the array whole: the replacement finished */
			row.slot = hit ? hit->slot : -1;
			snprintf(row.old_path, sizeof(row.old_path), "%s%s",
				 intents[k].old_kname[0] ? "/dev/" : "", intents[k].old_kname);
			row.state = "finished";
			intent_remove(ctx->state_dir, intents[k].array_uuid, intents[k].old_dev_uuid);
		} else {
			row.slot = hit ? hit->slot : -1;
			snprintf(row.old_path, sizeof(row.old_path), "%s%s",
				 intents[k].old_kname[0] ? "/dev/" : "", intents[k].old_kname);
			row.state = "old-failed";
		}
		if (array_push(rows, nrows, cap, &row, sizeof(row)))
			status = MDCTL_EXIT_FAIL;
	}
	return status;
}

static int do_list(struct mdctl_ctx *ctx, const struct replace_opts *o)
{
	char (*names)[32] = NULL, filter[32] = "";
	struct replace_intent *intents = NULL;
	bool *used = NULL;
	struct list_row *rows = NULL, row;
	size_t nnames = 0, nint = 0, nrows = 0, cap = 0;
	int rc, status = MDCTL_EXIT_OK;

	if (o->md_arg && md_kname_from_arg(ctx->dev_root, o->md_arg, filter, sizeof(filter))) {
		mdctl_err("%s: not an md array name", o->md_arg);
		return MDCTL_EXIT_USAGE;
	}
	rc = intent_load(ctx->state_dir, &intents, &nint);
	if (rc) {
		mdctl_warn("%s/replacements.json: cannot read recorded intents: %s", ctx->state_dir,
			   rc == -EBADMSG ? "not valid JSON of the expected shape" : safe_strerror(rc));
		status = MDCTL_EXIT_FAIL;
		nint = 0;
	}
	used = calloc(nint ? nint : 1, sizeof(*used));
	rc = sysfs_list_arrays(ctx->sysfs_root, &names, &nnames);
	if (rc && rc != -ENOENT) {
		mdctl_err_rc(rc, "cannot list md arrays");
		free(intents);
		free(used);
		return MDCTL_EXIT_FAIL;
	}
	for (size_t i = 0; i < nnames; i++) {
		struct md_array a;

		if (filter[0] && strcmp(filter, names[i]))
			continue;
		if (md_array_read(ctx->sysfs_root, names[i], &a))
			continue;
		if (list_array(ctx, &a, intents, nint, used, &rows, &nrows, &cap))
			status = MDCTL_EXIT_FAIL;
		md_array_free(&a);
	}
	/* intents of arrays that are not running */
	for (size_t k = 0; k < nint; k++) {
		if (used[k] || (filter[0] && strcmp(filter, intents[k].md_kname)))
			continue;
		memset(&row, 0, sizeof(row));
		snprintf(row.md, sizeof(row.md), "%s", intents[k].md_kname);
		row.slot = -1;
		row.recorded = true;
		row.percent = -1;
		snprintf(row.old_path, sizeof(row.old_path), "%s%s", intents[k].old_kname[0] ? "/dev/" : "",
			 intents[k].old_kname);
		snprintf(row.new_path, sizeof(row.new_path), "%s", intents[k].new_path);
		intent_uuid_str(intents[k].array_uuid, row.array_uuid);
		intent_uuid_str(intents[k].old_dev_uuid, row.old_dev_uuid);
		row.state = "not-running";
		if (array_push(&rows, &nrows, &cap, &row, sizeof(row)))
			status = MDCTL_EXIT_FAIL;
	}

	print_rows(rows, nrows, o->json);
	free(rows);
	free(names);
	free(intents);
	free(used);
	return status;
}

/* ---------------------------------------------------------------- waiting */

struct wait_set {
	struct replace_watch w[MAX_DEVS];
	enum replace_phase phase[MAX_DEVS];
	int n;
	bool said_waiting;
};

/* progress_wait() predicate: 1 while any replacement is marked or copying, 0 when all are done. */
static int replace_pending(const struct md_array *a, void *arg)
{
	struct wait_set *ws = arg;
	int pending = 0, err = 0;

	for (int i = 0; i < ws->n; i++) {
		ws->phase[i] = replace_eval(a, &ws->w[i]);
		switch (ws->phase[i]) {
		case REPLACE_MARKED:
		case REPLACE_COPYING:
		case REPLACE_RECOVERING:
			pending = 1;
			break;
		case REPLACE_DONE:
			break;
		case REPLACE_FAILED:
			err = -EIO;
			break;
		case REPLACE_CANCELLED:
			if (!err)
				err = -ECANCELED;
			break;
		}
	}
	return err ? err : pending;
}

/*
 * Why a replacement failed, from what is left of it: which disk went (a new
 * disk whose path is gone was unplugged) and what holds the slot now.
 */
static void say_failed(const char *md, struct md_array *a, const struct replace_watch *w,
		       const struct pair *p, const struct md_member *om, const char *newp)
{
	const struct md_member *nm = w->new_kname[0] ? md_array_find(a, w->new_kname) : NULL;
	char what[PATH_MAX + 64];
	struct stat st;

	if (!w->new_kname[0])
		snprintf(what, sizeof(what), "no new disk was paired");
	else if (p->new_arg && strchr(p->new_arg, '/') && stat(p->new_arg, &st) && errno == ENOENT)
		snprintf(what, sizeof(what), "%s failed and is gone from the system", p->new_arg);
	else if (!nm)
		snprintf(what, sizeof(what), "%s left the array", newp);
	else
		snprintf(what, sizeof(what), "%s failed", newp);
	if (om && md_member_active(om) && md_array_missing(a) == 0)
		mdctl_err("/dev/%s: the replacement of %s failed: %s; the array is still fully "
			  "redundant on %s, which stays marked for replacement", md, p->old_path, what,
			  p->old_path);
	else if (om && md_member_active(om))
		mdctl_err("/dev/%s: the replacement of %s failed: %s; slot %d stays on %s, which "
			  "stays marked for replacement", md, p->old_path, what, w->slot, p->old_path);
	else if (md_slot_active(a, w->slot))
		mdctl_err("/dev/%s: the replacement of %s failed: %s, and %s failed too; slot %d "
			  "was rebuilt from the other members", md, p->old_path, what, p->old_path,
			  w->slot);
	else
		mdctl_err("/dev/%s: the replacement of %s failed: %s, and %s failed too; slot %d "
			  "has no in-sync member", md, p->old_path, what, p->old_path, w->slot);
}

/* Members other than the pairs may fail while the copy runs: say what the array is left with. */
static void say_degraded(const char *md, const struct md_array *a)
{
	char slots[256] = "";
	size_t len = 0;
	int missing = md_array_missing(a), left = md_array_redundancy(a);

	if (missing <= 0 || !md_array_running(a))
		return;
	for (int s = 0; s < a->raid_disks && len < sizeof(slots) - 16; s++)
		if (!md_slot_active(a, s))
			len += (size_t)snprintf(slots + len, sizeof(slots) - len, "%s%d",
						len ? ", " : "", s);
	if (left > 0)
		mdctl_warn("/dev/%s: the array is degraded: slot%s %s without an in-sync member; it "
			   "can lose %d more member%s", md, missing == 1 ? "" : "s", slots, left,
			   left == 1 ? "" : "s");
	else
		mdctl_warn("/dev/%s: the array is degraded: slot%s %s without an in-sync member; one "
			   "more failure loses data", md, missing == 1 ? "" : "s", slots);
}

/* After the copies: report each, remove retired originals, forget intents. */
static int finish_waited(struct mdctl_ctx *ctx, const char *md, struct wait_set *ws,
			 struct pair *pairs, bool keep_old)
{
	struct md_array a;
	int status = MDCTL_EXIT_OK, rc;

	rc = md_array_read(ctx->sysfs_root, md, &a);
	if (rc) {
		mdctl_err_rc(rc, "/dev/%s: cannot read the array after the copy", md);
		return MDCTL_EXIT_FAIL;
	}
	for (int i = 0; i < ws->n; i++) {
		struct replace_watch *w = &ws->w[i];
		enum replace_phase ph = replace_eval(&a, w);
		const struct md_member *om = md_array_find(&a, w->old_kname);
		char newp[PATH_MAX] = "?", stable[256];

		if (w->new_kname[0])
			display_path(ctx, w->new_kname, newp, sizeof(newp));
		if (ph == REPLACE_DONE) {
			mdctl_info("/dev/%s: slot %d is now on %s", md, w->slot, newp);
			if (om && !keep_old) {
				/* name the disk before it leaves: udev still knows it */
				if (blkdev_stable_name(pairs[i].old_path, stable, sizeof(stable)))
					stable[0] = '\0';
				rc = mdops_remove(ctx->sysfs_root, md, w->old_kname, 10000);
				if (rc == -ENOENT || rc == -ENODEV) {
					/* the monitor (or an admin) removed it while we waited: its
					 * directory is gone, or going (the kernel's -ENODEV) */
					mdctl_info("/dev/%s: the retired %s was already removed", md,
						   pairs[i].old_path);
				} else if (rc) {
					mdctl_err_rc(rc, "/dev/%s: cannot remove the retired %s", md,
						  pairs[i].old_path);
					status = MDCTL_EXIT_FAIL;
				} else {
					mdctl_info("/dev/%s: removed the retired %s; it can be pulled%s%s%s", md,
						   pairs[i].old_path, stable[0] ? " (" : "", stable,
						   stable[0] ? ")" : "");
				}
			} else if (om) {
				mdctl_info("/dev/%s: the retired %s stays in the array as faulty (--keep-old); "
					   "remove it with mdctl /dev/%s --remove %s", md, pairs[i].old_path,
					   md, pairs[i].old_path);
			}
			if (pairs[i].have_uuids)
				intent_remove(ctx->state_dir, pairs[i].array_uuid, pairs[i].old_dev_uuid);
		} else if (ph == REPLACE_FAILED) {
			say_failed(md, &a, w, &pairs[i], om, newp);
			status = MDCTL_EXIT_FAIL;
		} else if (ph == REPLACE_CANCELLED) {
			mdctl_err("/dev/%s: the replacement of %s was cancelled", md, pairs[i].old_path);
			status = MDCTL_EXIT_FAIL;
		} else {
			mdctl_err("/dev/%s: the replacement of %s stopped while %s", md, pairs[i].old_path,
				  replace_phase_name(ph));
			status = MDCTL_EXIT_FAIL;
		}
	}
	say_degraded(md, &a);
	md_array_free(&a);
	return status;
}

static int wait_pairs(struct mdctl_ctx *ctx, const char *md, struct pair *pairs, int npairs,
		      bool keep_old)
{
	struct wait_set ws;
	char label[128];
	int rc;

	memset(&ws, 0, sizeof(ws));
	for (int i = 0; i < npairs; i++) {
		ws.w[i].slot = pairs[i].slot;
		copy_str(ws.w[i].old_kname, sizeof(ws.w[i].old_kname), pairs[i].old_kname);
		copy_str(ws.w[i].new_kname, sizeof(ws.w[i].new_kname), pairs[i].new_kname);
	}
	ws.n = npairs;
	if (npairs == 1)
		snprintf(label, sizeof(label), "%.31s: %.31s -> %.31s", md, pairs[0].old_kname,
			 pairs[0].new_kname[0] ? pairs[0].new_kname : "(any spare)");
	else
		snprintf(label, sizeof(label), "%s: %d replacements", md, npairs);
	rc = progress_wait(ctx->sysfs_root, md, label, replace_pending, &ws, stdout);
	if (rc && rc != -EIO && rc != -ECANCELED) {
		mdctl_err_rc(rc, "/dev/%s: waiting for the replacement", md);
		return MDCTL_EXIT_FAIL;
	}
	return finish_waited(ctx, md, &ws, pairs, keep_old);
}

/* ---------------------------------------------------------------- --cancel */

static int do_cancel(struct mdctl_ctx *ctx, const char *md, struct md_array *a, const char *old_arg)
{
	struct md_member *om = find_member(a, old_arg);
	const struct md_member *r;
	uint8_t au[16], du[16];
	bool have_uuids = false, froze = false, intent_there = false;
	char oldk[32], rk[32] = "", rpath[PATH_MAX] = "";
	struct replace_intent *v = NULL;
	size_t nv = 0;
	int rc, slot;

	if (!om) {
		mdctl_err("/dev/%s: %s is not a member, so there is no replacement of it to cancel",
			  md, old_arg);
		return MDCTL_EXIT_FAIL;
	}
	snprintf(oldk, sizeof(oldk), "%s", om->kname);
	slot = om->slot;
	if (!read_uuids(ctx, a, oldk, au, du)) {
		have_uuids = true;
		if (!intent_load(ctx->state_dir, &v, &nv))
			for (size_t i = 0; i < nv; i++)
				intent_there |= !memcmp(v[i].array_uuid, au, 16) &&
						!memcmp(v[i].old_dev_uuid, du, 16);
		free(v);
	}
	if (om->flags & MDM_REPLACEMENT) {
		mdctl_err("/dev/%s: %s is the replacement, not the original; cancel by naming the "
			  "member it replaces", md, old_arg);
		return MDCTL_EXIT_FAIL;
	}
	r = slot >= 0 ? md_slot_member(a, slot, true) : NULL;
	if (md_member_failed(om)) {
		if (intent_there)
			intent_remove(ctx->state_dir, au, du);
		mdctl_err("/dev/%s: %s is faulty (retired or failed): nothing to cancel%s", md, old_arg,
			  intent_there ? "; forgot its recorded intent" : "");
		return MDCTL_EXIT_FAIL;
	}
	if (!(om->flags & MDM_WANT_REPLACEMENT) && !r) {
		if (intent_there) {
			intent_remove(ctx->state_dir, au, du);
			mdctl_info("/dev/%s: %s was not marked in the kernel; forgot its recorded intent",
				   md, old_arg);
			return MDCTL_EXIT_OK;
		}
		mdctl_err("/dev/%s: %s is not being replaced", md, old_arg);
		return MDCTL_EXIT_FAIL;
	}
	if (r) {
		snprintf(rk, sizeof(rk), "%s", r->kname);
		display_path(ctx, rk, rpath, sizeof(rpath));
	}

	/* frozen, the kernel neither re-pairs a spare nor keeps copying while we undo */
	rc = mdops_freeze(ctx->sysfs_root, md, &froze);
	if (rc < 0 && rc != -EBUSY) {
		mdctl_err_rc(rc, "/dev/%s: cannot freeze recovery", md);
		return MDCTL_EXIT_FAIL;
	}
	rc = mdops_mark(ctx->sysfs_root, md, oldk, false);
	if (rc) {
		mdctl_err_rc(rc, "/dev/%s: cannot clear want_replacement on %s", md, old_arg);
		unfreeze(ctx, md, &froze);
		return MDCTL_EXIT_FAIL;
	}
	if (rk[0]) {
		rc = mdops_fail(ctx->sysfs_root, md, rk);
		if (!rc)
			rc = mdops_remove(ctx->sysfs_root, md, rk, 10000);
		if (rc) {
			unfreeze(ctx, md, &froze);
			mdctl_err_rc(rc, "/dev/%s: cleared the mark on %s, but cannot fail and remove the "
				  "replacement %s", md, old_arg, rpath);
			return MDCTL_EXIT_FAIL;
		}
	}
	unfreeze(ctx, md, &froze);

	/* read back: OLD in sync, unmarked, nothing paired in its slot */
	{
		struct md_array b;
		struct md_member *ob;

		rc = md_array_read(ctx->sysfs_root, md, &b);
		if (!rc) {
			ob = md_array_find(&b, oldk);
			if (!ob || !(ob->flags & MDM_IN_SYNC) || (ob->flags & MDM_WANT_REPLACEMENT) ||
			    md_slot_member(&b, slot, true))
				rc = -EIO;
			md_array_free(&b);
		}
		if (rc) {
			mdctl_err("/dev/%s: after cancelling, %s does not read back as an unmarked "
				  "in-sync member", md, old_arg);
			return MDCTL_EXIT_FAIL;
		}
	}
	if (have_uuids)
		intent_remove(ctx->state_dir, au, du);
	if (rk[0])
		mdctl_info("/dev/%s: cancelled the replacement of %s; %s was failed and removed from "
			   "the array", md, old_arg, rpath);
	else
		mdctl_info("/dev/%s: cancelled the replacement of %s (it is no longer marked)", md,
			   old_arg);
	return MDCTL_EXIT_OK;
}

/* ---------------------------------------------------------------- pairing */

/* No OLD named and none marked: say so, and how to name one. */
static void explain_no_marked(struct mdctl_ctx *ctx, const char *md, const struct md_array *a)
{
	char p[PATH_MAX];

	mdctl_err("/dev/%s: no member is marked for replacement; name the one to replace: "
		  "mdctl --replace /dev/%s OLD --with NEW", md, md);
	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];
		char st[128];

		display_path(ctx, m->kname, p, sizeof(p));
		md_format_dev_state(m->flags, st, sizeof(st));
		if (m->slot >= 0)
			mdctl_err("  %s  slot %d  %s", p, m->slot, st);
		else
			mdctl_err("  %s  no slot  %s", p, st);
	}
}

static const char *urgency_reason(const struct md_array *a, const struct md_member *m,
				  char *buf, size_t len)
{
	if (m->flags & MDM_WRITE_ERROR)
		snprintf(buf, len, "write errors seen, %d healthy peers", replace_peers(a, m));
	else if (m->bad_sectors)
		snprintf(buf, len, "%llu bad sectors, %d healthy peers",
			 (unsigned long long)m->bad_sectors, replace_peers(a, m));
	else
		snprintf(buf, len, "%d healthy peers", replace_peers(a, m));
	return buf;
}

/* Wait (bounded) until each pair with a new disk reads back as paired, copying, or done. */
static int verify_pairs(struct mdctl_ctx *ctx, const char *md, struct pair *pairs, int npairs,
			int *bad)
{
	struct timespec t0;
	char rel[96];
	long ms = 0;
	int fd, rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(rel, sizeof(rel), "block/%s/md/sync_action", md);
	fd = sysfs_watch_open(ctx->sysfs_root, rel);
	for (;;) {
		struct md_array a;
		int ok = 0;

		rc = md_array_read(ctx->sysfs_root, md, &a);
		if (rc)
			break;
		for (int i = 0; i < npairs; i++) {
			struct replace_watch w = { .slot = pairs[i].slot };
			enum replace_phase ph;

			snprintf(w.old_kname, sizeof(w.old_kname), "%s", pairs[i].old_kname);
			snprintf(w.new_kname, sizeof(w.new_kname), "%s", pairs[i].new_kname);
			if (!pairs[i].new_kname[0]) {
				ok++;
				continue;
			}
			ph = replace_eval(&a, &w);
			if (ph == REPLACE_COPYING || ph == REPLACE_DONE || ph == REPLACE_RECOVERING)
				ok++;
			else if (ph == REPLACE_FAILED || ph == REPLACE_CANCELLED)
				*bad = i;
		}
		md_array_free(&a);
		if (ok == npairs)
			break;
		ms_since(&t0, &ms);
		if (*bad >= 0 || ms > 5000) {
			rc = -ETIMEDOUT;
			break;
		}
		/* woken by sync_action (recovery starting), else look again in 100 ms */
		if (fd >= 0)
			sysfs_wait_change(fd, 100);
		else
			poll(NULL, 0, 100);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Take back everything this call did, newest first. */
/* drop the intents record_intents() wrote (the kernel was not told, or it was undone) */
static void forget_intents(struct mdctl_ctx *ctx, const struct pair *pairs, int npairs)
{
	for (int i = 0; i < npairs; i++)
		if (pairs[i].recorded &&
		    intent_remove(ctx->state_dir, pairs[i].array_uuid, pairs[i].old_dev_uuid))
			mdctl_err("%s: undo: cannot remove the record of the replacement of %s",
				  ctx->state_dir, pairs[i].old_path);
}

/*
 * Record each replacement before the kernel hears of it: a crash between
 * the two then leaves a record to re-apply, never a copy nobody knows of.
 * A record that cannot be written is an error, and nothing is changed.
 */
static int record_intents(struct mdctl_ctx *ctx, const char *md, struct pair *pairs, int npairs)
{
	struct replace_intent in;
	int rc;

	for (int i = 0; i < npairs; i++) {
		if (!pairs[i].have_uuids || pairs[i].following)
			continue;
		memset(&in, 0, sizeof(in));
		memcpy(in.array_uuid, pairs[i].array_uuid, 16);
		memcpy(in.old_dev_uuid, pairs[i].old_dev_uuid, 16);
		copy_str(in.old_kname, sizeof(in.old_kname), pairs[i].old_kname);
		copy_str(in.md_kname, sizeof(in.md_kname), md);
		if (pairs[i].new_arg)
			copy_str(in.new_path, sizeof(in.new_path), pairs[i].new_arg);
		in.created = time(NULL);
		rc = intent_add(ctx->state_dir, &in);
		if (rc) {
			mdctl_err("%s: cannot record the replacement of %s: %s; nothing was changed",
				  ctx->state_dir, pairs[i].old_path, rc == -EBADMSG ?
				  "replacements.json is not valid; fix or remove it" : safe_strerror(rc));
			forget_intents(ctx, pairs, npairs);
			return -1;
		}
		pairs[i].recorded = true;
	}
	return 0;
}

static void undo_all(struct mdctl_ctx *ctx, const char *md, struct pair *pairs, int npairs,
		     struct md_spare_undo *adds, int nadds, bool *froze)
{
	bool f2 = false;

	/* frozen again so the kernel does not pair a spare we are removing */
	if (!*froze)
		mdops_freeze(ctx->sysfs_root, md, &f2);
	for (int i = npairs - 1; i >= 0; i--) {
		struct pair *p = &pairs[i];

		if (p->paired && !p->new_outside) {
			/* an existing spare we paired: the kernel cannot unpair it, only fail it */
			mdops_fail(ctx->sysfs_root, md, p->new_kname);
			if (!mdops_remove(ctx->sysfs_root, md, p->new_kname, 5000))
				mdctl_err("/dev/%s: undo: the spare %s was paired, so it had to be failed "
					  "and removed; add it again with mdctl /dev/%s --add %s", md,
					  p->new_arg, md, p->new_arg);
		}
		if (p->marked &&
		    mdops_mark(ctx->sysfs_root, md, p->old_kname, false))
			mdctl_err("/dev/%s: undo: cannot clear want_replacement on %s", md, p->old_path);
	}
	for (int i = nadds - 1; i >= 0; i--)
		if ((adds[i].added || adds[i].save.written) && md_spare_undo(ctx->sysfs_root, md, &adds[i]))
			mdctl_err("/dev/%s: undo: cannot take %s back out of the array", md, adds[i].path);
	unfreeze(ctx, md, froze);
	unfreeze(ctx, md, &f2);
	forget_intents(ctx, pairs, npairs);
}

/*
 * struct replace_plan - what one --replace line will do, decided before any
 * change: the pairs (OLD, and NEW when named), and the disks from outside
 * the array to check and add as spares.
 */
struct replace_plan {
	struct pair pairs[MAX_DEVS];
	int npairs;
	const char *outside[2 * MAX_DEVS];
	struct blkdev_id outside_id[2 * MAX_DEVS];   /* what was checked, for the write */
	unsigned outside_flags[2 * MAX_DEVS];
	bool outside_paired[2 * MAX_DEVS];
	int nout;
	bool need_freeze;
	int *lock;               /* the array's lock (mdops_lock), released before waiting */
};

/* OLD: the members named, then marked ones for --with disks beyond them.  -1 or an exit code. */
static int plan_olds(struct mdctl_ctx *ctx, const char *md, struct md_array *a,
		     const struct replace_opts *o, struct replace_plan *p)
{
	bool taken[256] = { false };
	char why[256];
	int rc;

	/* ---- OLD: named ones */
	for (int i = 0; i < o->nold; i++) {
		struct md_member *m = find_member(a, o->olds[i]);
		int idx;

		if (!m) {
			mdctl_err("/dev/%s: %s is not a member, so it cannot be replaced", md, o->olds[i]);
			return MDCTL_EXIT_FAIL;
		}
		idx = (int)(m - a->members);
		if (taken[idx]) {
			mdctl_err("/dev/%s: %s is named twice", md, o->olds[i]);
			return MDCTL_EXIT_USAGE;
		}
		rc = replace_check_old(a, m, why, sizeof(why));
		if (rc == -EALREADY && o->wait && i >= o->nnew) {
			/* already under way and no new disk named: just follow it */
			const struct md_member *r = md_slot_member(a, m->slot, true);

			snprintf(p->pairs[p->npairs].new_kname, sizeof(p->pairs[p->npairs].new_kname), "%s", r->kname);
			p->pairs[p->npairs].following = true;
			rc = 0;
		}
		if (rc) {
			mdctl_err("/dev/%s: %s %s", md, o->olds[i], why);
			return MDCTL_EXIT_FAIL;
		}
		taken[idx] = true;
		snprintf(p->pairs[p->npairs].old_kname, sizeof(p->pairs[p->npairs].old_kname), "%s", m->kname);
		snprintf(p->pairs[p->npairs].old_path, sizeof(p->pairs[p->npairs].old_path), "%s", o->olds[i]);
		p->pairs[p->npairs].slot = m->slot;
		p->pairs[p->npairs].old_was_marked = m->flags & MDM_WANT_REPLACEMENT;
		p->npairs++;
	}
	/* ---- OLD: members already marked, for --with disks beyond the named OLDs */
	for (int i = o->nold; i < o->nnew; i++) {
		int idx = replace_pick_marked(a, taken), cand = 0;
		const struct md_member *m;

		if (idx < 0) {
			if (o->nold)
				mdctl_err("/dev/%s: no matching --replace device for --with %s, and no other "
					  "member is marked for replacement", md, o->news[i]);
			else
				explain_no_marked(ctx, md, a);
			return MDCTL_EXIT_FAIL;
		}
		m = &a->members[idx];
		for (unsigned k = 0; k < a->nmembers; k++) {
			char w2[8];

			if (!taken[k] && (a->members[k].flags & MDM_WANT_REPLACEMENT) &&
			    !replace_check_old(a, &a->members[k], w2, sizeof(w2)))
				cand++;
		}
		taken[idx] = true;
		display_path(ctx, m->kname, p->pairs[p->npairs].old_path, sizeof(p->pairs[p->npairs].old_path));
		snprintf(p->pairs[p->npairs].old_kname, sizeof(p->pairs[p->npairs].old_kname), "%s", m->kname);
		p->pairs[p->npairs].slot = m->slot;
		p->pairs[p->npairs].old_was_marked = true;
		if (cand > 1)
			mdctl_info("/dev/%s: %d members are marked for replacement; %s (slot %d) has the "
				   "least redundancy left (%s), so %s replaces it", md, cand,
				   p->pairs[p->npairs].old_path, m->slot,
				   urgency_reason(a, m, why, sizeof(why)), o->news[i]);
		else
			mdctl_info("/dev/%s: %s (slot %d) is marked for replacement; %s replaces it", md,
				   p->pairs[p->npairs].old_path, m->slot, o->news[i]);
		p->npairs++;
	}
	return -1;
}

/* NEW: a spare of the array, or a disk to check and add.  -1 or an exit code. */
static int plan_news(struct mdctl_ctx *ctx, const char *md, struct md_array *a,
		     const struct replace_opts *o, struct replace_plan *p, struct md_spare_undo *adds)
{
	const char *siblings[257];
	uint64_t min_sectors = 0;
	char why[256];
	int rc;

	/* ---- NEW: a spare of the array, or a disk to check and add */
	for (int i = 0; i < o->nnew + o->nadd; i++) {
		const char *arg = i < o->nnew ? o->news[i] : o->adds[i - o->nnew];
		struct md_member *m = find_member(a, arg);

		for (int k = 0; k < i; k++) {
			const char *prev = k < o->nnew ? o->news[k] : o->adds[k - o->nnew];

			if (!strcmp(prev, arg) && !(k < o->nnew && i >= o->nnew)) {
				mdctl_err("%s: named twice as a new disk", arg);
				return MDCTL_EXIT_USAGE;
			}
		}
		if (i >= o->nnew) {
			/* --add X ... --with X is mdadm's recipe: one disk, added once */
			bool dup = false;

			for (int k = 0; k < o->nnew; k++)
				dup |= !strcmp(o->news[k], arg);
			if (dup)
				continue;
		}
		if (m) {
			if (i >= o->nnew) {
				mdctl_err("/dev/%s: %s is already in the array", md, arg);
				return MDCTL_EXIT_FAIL;
			}
			if (replace_check_new(a, m, why, sizeof(why))) {
				mdctl_err("/dev/%s: %s %s", md, arg, why);
				return MDCTL_EXIT_FAIL;
			}
			for (int k = 0; k < i; k++)
				if (!strcmp(p->pairs[k].new_kname, m->kname)) {
					mdctl_err("%s: named twice as a new disk", arg);
					return MDCTL_EXIT_USAGE;
				}
			p->pairs[i].new_arg = arg;
			snprintf(p->pairs[i].new_kname, sizeof(p->pairs[i].new_kname), "%s", m->kname);
			continue;
		}
		if (!min_sectors) {
			rc = md_spare_min_sectors(ctx->sysfs_root, ctx->dev_root, a, &min_sectors);
			if (rc) {
				mdctl_err_rc(rc, "/dev/%s: cannot read a member's superblock to size %s", md, arg);
				return MDCTL_EXIT_FAIL;
			}
			for (unsigned k = 0; k < a->nmembers; k++)
				siblings[k] = a->members[k].kname;
			siblings[a->nmembers] = NULL;
		}
		/* a disk that already belonged to this array (say, a cancelled replacement) may return */
		p->outside_flags[p->nout] = o->force || md_disk_of_array(ctx->dev_root, a, arg) == 1 ?
					    BLKDEV_FORCE : 0;
		rc = blkdev_check_new_member(ctx->sysfs_root, arg, min_sectors, siblings,
					     p->outside_flags[p->nout], &p->outside_id[p->nout], why,
					     sizeof(why));
		if (rc) {
			mdctl_err("%s: %s", arg, why[0] ? why : strerror(-rc));
			return MDCTL_EXIT_FAIL;
		}
		p->outside[p->nout] = arg;
		p->outside_paired[p->nout] = i < o->nnew;
		if (i < o->nnew) {
			p->pairs[i].new_arg = arg;
			p->pairs[i].new_outside = true;
			p->pairs[i].undo = &adds[p->nout];
		}
		p->nout++;
	}
	return -1;
}

/* Done: say what was set up (the intents were recorded before the kernel was told). */
static void report_done(const char *md, const struct replace_plan *p)
{
	for (int i = 0; i < p->npairs; i++) {
		if (p->pairs[i].following)
			mdctl_info("/dev/%s: %s is already being replaced by %s; waiting for it", md,
				   p->pairs[i].old_path, p->pairs[i].new_kname);
		else if (p->pairs[i].new_kname[0])
			mdctl_info("/dev/%s: %s is replacing %s in slot %d", md, p->pairs[i].new_arg,
				   p->pairs[i].old_path, p->pairs[i].slot);
		else
			mdctl_info("/dev/%s: marked %s (slot %d) for replacement; the kernel pairs it "
				   "with a spare now or when one is added", md, p->pairs[i].old_path,
				   p->pairs[i].slot);
	}
	for (int k = 0; k < p->nout; k++)
		if (!p->outside_paired[k])
			mdctl_info("/dev/%s: added %s as a spare", md, p->outside[k]);
}

/* Carry the plan out: every change is undone on failure.  Return the exit code. */
static int apply_plan(struct mdctl_ctx *ctx, const char *md, struct md_array *a,
		      const struct replace_opts *o, struct replace_plan *p,
		      struct md_spare_undo *adds)
{
	int nadds = 0, rc, bad = -1;
	bool froze = false;

	/* ---- from here on, every change is undone on failure */
	if (p->need_freeze) {
		rc = mdops_freeze(ctx->sysfs_root, md, &froze);
		if (rc == -EBUSY) {
			char act[32] = "?";

			sysfs_md_read(ctx->sysfs_root, md, "sync_action", act, sizeof(act));
			mdctl_err("/dev/%s: is busy with %s; pair a new disk when it is idle "
				  "(mdctl --wait /dev/%s), or mark only: mdctl --replace /dev/%s OLD",
				  md, act, md, md);
			return MDCTL_EXIT_FAIL;
		}
		if (rc < 0) {
			mdctl_err_rc(rc, "/dev/%s: cannot freeze recovery", md);
			return MDCTL_EXIT_FAIL;
		}
		if (rc == 1)
			mdctl_warn("/dev/%s: recovery is frozen (md/sync_action); the copy starts when it "
				   "is unfrozen: echo idle > /sys/block/%s/md/sync_action", md, md);
	}
	for (int k = 0; k < p->nout; k++) {
		rc = md_add_spare(ctx->sysfs_root, ctx->dev_root, a, p->outside[k], &p->outside_id[k],
				  p->outside_flags[k], &adds[k]);
		nadds = k + 1;
		if (rc) {
			mdctl_err("/dev/%s: cannot add %s as a spare: %s", md, p->outside[k],
				  adds[k].why[0] ? adds[k].why :
				  rc == -ENOSPC ? "too small for the array" : strerror(-rc));
			goto undo;
		}
		mdctl_verb("/dev/%s: added %s as a spare (%s)", md, p->outside[k], adds[k].kname);
		if (p->outside_paired[k])
			for (int i = 0; i < p->npairs; i++)
				if (p->pairs[i].undo == &adds[k])
					snprintf(p->pairs[i].new_kname, sizeof(p->pairs[i].new_kname), "%s",
						 adds[k].kname);
	}
	for (int i = 0; i < p->npairs; i++) {
		if (p->pairs[i].old_was_marked || p->pairs[i].following)
			continue;
		rc = mdops_mark(ctx->sysfs_root, md, p->pairs[i].old_kname, true);
		if (rc) {
			mdctl_err_rc(rc, "/dev/%s: cannot mark %s for replacement", md, p->pairs[i].old_path);
			goto undo;
		}
		p->pairs[i].marked = true;
	}
	for (int i = 0; i < p->npairs; i++) {
		if (!p->pairs[i].new_kname[0] || p->pairs[i].following)
			continue;
		rc = mdops_pair(ctx->sysfs_root, md, p->pairs[i].new_kname, p->pairs[i].slot);
		if (rc) {
			mdctl_err_rc(rc, "/dev/%s: cannot pair %s with %s (slot %d)", md, p->pairs[i].new_arg,
				  p->pairs[i].old_path, p->pairs[i].slot);
			goto undo;
		}
		p->pairs[i].paired = true;
		if (p->pairs[i].rebuild) {
			/* still frozen: nothing was copied from OLD; NEW now recovers from the others */
			rc = sysfs_dev_write(ctx->sysfs_root, md, p->pairs[i].old_kname, "state", "faulty");
			if (rc) {
				mdctl_err("/dev/%s: cannot fail %s for a rebuild of slot %d: %s", md,
					  p->pairs[i].old_path, p->pairs[i].slot, strerror(-rc));
				goto undo;
			}
		}
	}
	unfreeze(ctx, md, &froze);
	rc = verify_pairs(ctx, md, p->pairs, p->npairs, &bad);
	if (rc) {
		if (bad >= 0)
			mdctl_err("/dev/%s: %s did not become the replacement of %s: it failed or was "
				  "removed", md, p->pairs[bad].new_arg, p->pairs[bad].old_path);
		else
			mdctl_err_rc(rc, "/dev/%s: the pairing did not read back within 5 s", md);
		goto undo;
	}

	report_done(md, p);
	/* the kernel copies from here on: others may act on the array while this one waits */
	mdops_unlock(p->lock);
	if (o->wait) {
		bool spare = p->nout > 0, unpaired = false;

		for (unsigned k = 0; k < a->nmembers; k++)
			spare |= md_member_spare(&a->members[k]);
		for (int i = 0; i < p->npairs; i++)
			unpaired |= !p->pairs[i].new_kname[0];
		if (unpaired && !spare)
			mdctl_info("/dev/%s: no spare yet: the copy starts when one is added "
				   "(mdctl /dev/%s --add DISK)", md, md);
		rc = wait_pairs(ctx, md, p->pairs, p->npairs, o->keep_old);
		if (rc == MDCTL_EXIT_OK && o->verify)
			rc = verify_after(ctx, md);
		return rc;
	}
	return MDCTL_EXIT_OK;
undo:
	undo_all(ctx, md, p->pairs, p->npairs, adds, nadds, &froze);
	mdctl_err("/dev/%s: nothing was changed (what had been done is undone)", md);
	return MDCTL_EXIT_FAIL;
}

/*
 * The intents need both UUIDs from OLD's superblock, read before anything
 * is changed.  Unreadable, the replacement cannot be recorded: after a
 * restart the kernel would have forgotten the mark and nothing could put
 * it back, so that is refused (nothing changed) unless --force says to go
 * on unrecorded.  Return 0 or -1 after the message.
 */
static int read_all_uuids(struct mdctl_ctx *ctx, const struct md_array *a,
			  const struct replace_opts *o, struct replace_plan *p)
{
	for (int i = 0; i < p->npairs; i++) {
		struct pair *q = &p->pairs[i];
		int rc = read_uuids(ctx, a, q->old_kname, q->array_uuid, q->old_dev_uuid);

		q->have_uuids = !rc;
		if (!rc)
			continue;
		if (!o->force) {
			mdctl_err("%s: cannot read superblock: %s; the replacement could not be recorded "
				  "to survive a restart, nothing changed (--force replaces it unrecorded)",
				  q->old_path, strerror(-rc));
			return -1;
		}
		mdctl_warn("%s: cannot read superblock: %s; replacing it unrecorded (--force): a "
			   "restart before the copy ends forgets it", q->old_path, strerror(-rc));
	}
	return 0;
}

static int do_replace(struct mdctl_ctx *ctx, const char *md, struct md_array *a,
		      const struct replace_opts *o, int *lock)
{
	struct replace_plan *p = calloc(1, sizeof(*p));
	struct md_spare_undo *adds = calloc(2 * MAX_DEVS, sizeof(*adds));
	int rc;

	if (!p || !adds) {
		mdctl_err("/dev/%s: out of memory", md);
		rc = MDCTL_EXIT_FAIL;
		goto out;
	}
	p->lock = lock;
	if (a->nmembers > 256) {
		mdctl_err("/dev/%s: too many members", md);
		rc = MDCTL_EXIT_FAIL;
		goto out;
	}
	rc = plan_olds(ctx, md, a, o, p);
	if (rc < 0)
		rc = plan_news(ctx, md, a, o, p, adds);
	if (rc >= 0)
		goto out;
	for (int i = 0; i < p->npairs; i++)
		p->need_freeze |= p->pairs[i].new_arg != NULL && !p->pairs[i].following;
	p->need_freeze |= p->nout > 0;
	if (read_all_uuids(ctx, a, o, p) || verify_olds(ctx, md, a, p->pairs, p->npairs, o)) {
		rc = MDCTL_EXIT_FAIL;
		goto out;
	}
	rc = record_intents(ctx, md, p->pairs, p->npairs) ? MDCTL_EXIT_FAIL :
	     apply_plan(ctx, md, a, o, p, adds);
out:
	free(p);
	free(adds);
	return rc;
}

int cmd_replace(struct mdctl_ctx *ctx, int argc, char **argv)
{
	struct replace_opts o;
	struct md_array a;
	char md[32], why[256];
	int rc, status, lock;

	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (cli_state_dir(ctx, NULL))
		return MDCTL_EXIT_FAIL;
	if (o.list)
		return do_list(ctx, &o);
	if (md_kname_from_arg(ctx->dev_root, o.md_arg, md, sizeof(md))) {
		mdctl_err("%s: not an md array name", o.md_arg);
		return MDCTL_EXIT_USAGE;
	}
	/* what is read, planned and done below happens under the array's lock */
	lock = cli_lock_array(o.md_arg, md);
	if (lock < 0)
		return MDCTL_EXIT_FAIL;
	rc = md_array_read(ctx->sysfs_root, md, &a);
	if (rc) {
		mdctl_err("%s: %s", o.md_arg, rc == -ENODEV ? "no such array" : strerror(-rc));
		mdops_unlock(&lock);
		return MDCTL_EXIT_FAIL;
	}
	if (o.cancel)
		status = do_cancel(ctx, md, &a, o.olds[0]);
	else if (replace_check_array(&a, why, sizeof(why))) {
		mdctl_err("%s: %s", o.md_arg, why);
		status = MDCTL_EXIT_FAIL;
	} else
		status = do_replace(ctx, md, &a, &o, &lock);
	md_array_free(&a);
	mdops_unlock(&lock);
	return status;
}
