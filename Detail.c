// SPDX-License-Identifier: GPL-2.0-or-later
/* Detail.c: --detail, what a running array is doing, told from md sysfs and one superblock. */
#include "cli.h"
#include "mdctl.h"
#include "blkdev.h"
#include "manage_lib.h"
#include "mdarray.h"
#include "output.h"
#include "progress.h"
#include "super1.h"
#include "sysfs.h"
#include "util.h"
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

struct detail_opts {
	enum output_format fmt;
	bool test;
	bool scan;
	bool no_devices;          /* --no-devices: no member table, no MD_DEVICE_* keys */
};

/* One row of the member table, with what sysfs alone cannot tell. */
struct drow {
	const struct md_member *m;   /* NULL for a "removed" slot */
	int slot;                    /* for removed rows */
	int number;                  /* superblock dev_number, -1 unknown */
	char path[PATH_MAX];
	enum md_role role;
	double copied;               /* replacement/rebuild percent, -1 unknown */
	char disk_id[128];           /* udev by-id name or serial, "" unknown */
};

/* What needs doing, in words and as the exact command. */
#define DETAIL_MAX_ACTIONS 8
struct detail_action {
	char why[2 * PATH_MAX + 512];
	char cmd[3 * PATH_MAX + 64];
};

struct detail {
	const struct mdctl_ctx *ctx;
	char devpath[PATH_MAX];      /* "/dev/md0", or the name an ARRAY line should carry */
	bool no_devices;
	struct md_array a;
	int level;                   /* -1 linear, ..., MD_LEVEL_UNKNOWN */
	bool have_sb;
	struct sb1_info *sb;         /* from the freshest in-sync member */
	char consistency[32];
	bool bitmap;
	struct drow *rows;
	unsigned nrows;
	struct md_counts cnt;
	char summary[320];           /* the Health line */
	struct detail_action *act;   /* DETAIL_MAX_ACTIONS of them */
	unsigned nact;
};

static const char detail_help[] =
"Usage: mdctl --detail /dev/mdN... [--brief|--export|--json] [--test]\n"
"       mdctl --detail --scan [--verbose] [--export|--json]\n"
"Show a running array as md sysfs reports it: geometry, state, sync progress\n"
"with speed and ETA, and every member with its slot and state, telling a\n"
"member being replaced ('replacing', 'want-replacement') from its\n"
"replacement ('replacement, NN% copied').  When something needs doing, a\n"
"Health line and Action lines with the exact command follow the table.\n"
"\n"
"  -b, --brief     one ARRAY line (mdadm.conf syntax); with -v also level=,\n"
"                  num-devices= and a devices= line\n"
"  -Y, --export    KEY=value lines (mdadm's keys, plus MD_DEVICE_<dev>_STATE)\n"
"      --json      JSON: an object for one array, a list of them for several\n"
"                  or --scan (schema in mdctl(8) and docs/mdctl.schema.json)\n"
"  -t, --test      exit 0 healthy, 1 degraded, 2 unusable, 4 cannot read\n"
"  -s, --scan      every md array present, as ARRAY lines (mdadm --detail --scan,\n"
"                  for mdadm.conf); -v adds level=, num-devices= and devices=;\n"
"                  -vv the full detail of each\n"
"      --no-devices  leave out the member table (and MD_DEVICE_* with --export)\n"
"  -v, --verbose   also the disks' identities (udev by-id name or serial) and\n"
"                  the Health line when all is well\n"
"  -q, --quiet     fewer messages\n"
"  -h, --help      this text\n";

/* ---- reading ---- */

/*
 * The superblock's dev_number of every member (mdadm's "Number" column),
 * and the array-wide fields (name, UUID, times, events) from the in-sync
 * member with the most events.  md sysfs has none of these.
 */
static void read_superblocks(struct detail *d)
{
	struct sb1_dev *sd = malloc(sizeof(*sd));
	int minor = md_metadata_minor(d->a.metadata_version);
	struct sb1_info *any = malloc(sizeof(*any));
	uint64_t best_events = 0, any_events = 0;
	bool have_any = false;

	if (!sd || !any || !d->sb || minor < 0)
		goto out;
	for (unsigned i = 0; i < d->nrows; i++) {
		struct drow *r = &d->rows[i];

		if (!r->m || md_sb_read(r->path, minor, sd) < 0)
			continue;
		r->number = (int)sd->info.dev_number;
		if (!have_any || sd->info.events > any_events) {
			*any = sd->info;
			any_events = sd->info.events;
			have_any = true;
		}
		if (!md_member_active(r->m))
			continue;
		if (!d->have_sb || sd->info.events > best_events) {
			*d->sb = sd->info;
			best_events = sd->info.events;
			d->have_sb = true;
		}
	}
	/* An inactive array has no member in sync yet: the freshest superblock speaks for it. */
	if (!d->have_sb && have_any) {
		*d->sb = *any;
		d->have_sb = true;
	}
out:
	free(any);
	free(sd);
}

static int row_cmp_number(const void *x, const void *y)
{
	const struct drow *a = x, *b = y;

	if (a->number != b->number)
		return a->number < b->number ? -1 : 1;
	return strverscmp(a->m->kname, b->m->kname);
}

/*
 * Rows in mdadm's order: each slot's member, then its replacement, a
 * "removed" row for an empty slot; then everything else (spares, faulty
 * members, journal) by device number.
 */
static int build_rows(struct detail *d)
{
	const struct md_array *a = &d->a;
	unsigned cap = a->nmembers + (a->raid_disks > 0 ? (unsigned)a->raid_disks : 0) + 1;
	unsigned first_rest;
	bool *used;

	d->rows = calloc(cap, sizeof(*d->rows));
	used = calloc(a->nmembers + 1, sizeof(*used));
	if (!d->rows || !used) {
		free(used);
		return -ENOMEM;
	}
	for (int s = 0; s < a->raid_disks; s++) {
		bool found = false;

		for (unsigned pass = 0; pass < 2; pass++) {
			for (unsigned i = 0; i < a->nmembers; i++) {
				const struct md_member *m = &a->members[i];
				bool repl = m->flags & MDM_REPLACEMENT;

				if (used[i] || m->slot != s || md_member_failed(m) ||
				    repl != (pass == 1))
					continue;
				used[i] = true;
				d->rows[d->nrows].m = m;
				d->rows[d->nrows].slot = s;
				d->nrows++;
				if (!repl)
					found = true;
				break;
			}
			if (pass == 0 && !found) {
				/* A replacement alone in its slot is promoted by the kernel; show it anyway. */
				d->rows[d->nrows].m = NULL;
				d->rows[d->nrows].slot = s;
				d->nrows++;
			}
		}
	}
	first_rest = d->nrows;
	for (unsigned i = 0; i < a->nmembers; i++) {
		if (used[i])
			continue;
		d->rows[d->nrows].m = &a->members[i];
		d->rows[d->nrows].slot = a->members[i].slot;
		d->nrows++;
	}
	free(used);
	for (unsigned i = 0; i < d->nrows; i++) {
		struct drow *r = &d->rows[i];

		r->number = -1;
		r->copied = -1;
		if (r->m && blkdev_path_of_kname(d->ctx->dev_root, d->ctx->sysfs_root, r->m->kname,
						 r->path, sizeof(r->path)) < 0)
			snprintf(r->path, sizeof(r->path), "%s/%s", d->ctx->dev_root, r->m->kname);
	}
	read_superblocks(d);
	/* Rows outside the slots follow the superblock's device numbers, as mdadm lists them. */
	if (d->nrows > first_rest)
		qsort(d->rows + first_rest, d->nrows - first_rest, sizeof(*d->rows), row_cmp_number);
	for (unsigned i = 0; i < d->nrows; i++) {
		struct drow *r = &d->rows[i];

		if (!r->m)
			continue;
		r->role = md_member_role(a, r->m);
		if (r->role == MDR_REPLACEMENT || r->role == MDR_REBUILDING)
			r->copied = md_copied_percent(a, r->m);
		(void)blkdev_disk_id(d->ctx->sysfs_root, r->path, r->m->kname, r->disk_id,
				     sizeof(r->disk_id));
	}
	return 0;
}

/* ---- health and what to do ---- */

static void add_action(struct detail *d, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_action(struct detail *d, const char *cmd, const char *fmt, ...)
{
	struct detail_action *x;
	va_list ap;

	if (!d->act || d->nact >= DETAIL_MAX_ACTIONS)
		return;
	x = &d->act[d->nact++];
	va_start(ap, fmt);
	vsnprintf(x->why, sizeof(x->why), fmt, ap);
	va_end(ap);
	snprintf(x->cmd, sizeof(x->cmd), "%s", cmd);
}

/* "/dev/sdb (ata-WDC_..._WD-XYZ)": the device and, when udev knows it, the disk's label name. */
static void who(const struct drow *r, char *buf, size_t len)
{
	if (r->disk_id[0])
		snprintf(buf, len, "%s (%s)", r->path, r->disk_id);
	else
		snprintf(buf, len, "%s", r->path);
}

/* Members marked for replacement that nothing is copied to: replace them. */
static void advise_marked(struct detail *d, const struct drow *spare)
{
	char cmd[3 * PATH_MAX + 64], w[2 * PATH_MAX];

	for (unsigned i = 0; i < d->nrows; i++) {
		const struct drow *r = &d->rows[i];

		if (!r->m || r->role != MDR_WANT_REPLACEMENT)
			continue;
		who(r, w, sizeof(w));
		snprintf(cmd, sizeof(cmd), "mdctl --replace %s %s --with %s", d->devpath, r->path,
			 spare ? spare->path : "NEWDISK");
		add_action(d, cmd, "replace %s, marked for replacement%s", w,
			   spare ? " (the spare is not being used)" : "");
	}
}

/*
 * The Health line and the Action lines: replace a member marked for
 * replacement, give a degraded array a disk (a former member is re-added by
 * --add and resumes where it left off), remove a failed or retired member,
 * check after write errors, repair after mismatches.
 */
static void detail_advise(struct detail *d)
{
	const struct md_array *a = &d->a;
	const struct drow *spare = NULL, *rebuild = NULL, *failed = NULL, *copy = NULL;
	enum md_health h = md_array_health(a);
	int missing = md_array_missing(a);
	bool write_errors = false;
	char w[2 * PATH_MAX], cmd[3 * PATH_MAX + 64];

	for (unsigned i = 0; i < d->nrows; i++) {
		const struct drow *r = &d->rows[i];

		if (!r->m)
			continue;
		if (r->role == MDR_SPARE && !spare)
			spare = r;
		if (r->role == MDR_REBUILDING && !rebuild)
			rebuild = r;
		if (r->role == MDR_REPLACEMENT && !copy)
			copy = r;
		if (r->role == MDR_FAULTY && !failed)
			failed = r;
		if (r->role != MDR_FAULTY && (r->m->flags & MDM_WRITE_ERROR))
			write_errors = true;
	}
	if (h == MDH_UNUSABLE)
		snprintf(d->summary, sizeof(d->summary), "unusable: %s", md_array_running(a) ?
			 "too few members hold the data" : "the array is not started");
	else if (missing > 0)
		snprintf(d->summary, sizeof(d->summary), "degraded: %d slot%s without an in-sync member%s",
			 missing, missing == 1 ? "" : "s",
			 rebuild ? ", rebuilding" : spare ? "" : ", no spare");
	else if (copy && copy->copied >= 0)
		snprintf(d->summary, sizeof(d->summary), "ok, replacing slot %d (%d%% copied)",
			 copy->m->slot, (int)copy->copied);
	else
		snprintf(d->summary, sizeof(d->summary), "ok");
	if (!md_array_running(a))
		return;
	d->act = calloc(DETAIL_MAX_ACTIONS, sizeof(*d->act));
	advise_marked(d, spare);
	if (missing > 0 && !rebuild && !spare) {
		snprintf(cmd, sizeof(cmd), "mdctl %s --add NEWDISK", d->devpath);
		add_action(d, cmd, "add a disk to rebuild onto (a former member given here is "
			   "re-added and catches up)");
	}
	if (failed) {
		who(failed, w, sizeof(w));
		snprintf(cmd, sizeof(cmd), "mdctl %s --remove failed", d->devpath);
		add_action(d, cmd, "remove %s, %s", w,
			   (failed->m->flags & MDM_WANT_REPLACEMENT) && missing <= 0 ?
			   "replaced and retired" : "failed");
	}
	if (write_errors && !strcmp(a->sync_action, "idle") && !copy) {
		snprintf(cmd, sizeof(cmd), "mdctl --action=check %s", d->devpath);
		add_action(d, cmd, "run a check: a member saw write errors");
	}
	if (a->mismatch_cnt != SYSFS_NONE && a->mismatch_cnt && !strcmp(a->sync_action, "idle")) {
		snprintf(cmd, sizeof(cmd), "mdctl --action=repair %s", d->devpath);
		add_action(d, cmd, "the last check found %llu inconsistent sectors: repair them",
			   (unsigned long long)a->mismatch_cnt);
	}
}

static int detail_load(const struct mdctl_ctx *ctx, const char *arg, struct detail *d)
{
	char kname[32];
	int rc;

	memset(d, 0, sizeof(*d));
	d->ctx = ctx;
	rc = md_kname_from_arg(ctx->dev_root, arg, kname, sizeof(kname));
	if (rc < 0)
		return -ENODEV;
	rc = md_array_read(ctx->sysfs_root, kname, &d->a);
	if (rc < 0)
		return rc;
	snprintf(d->devpath, sizeof(d->devpath), "%s/%s", ctx->dev_root, kname);
	d->level = md_level_number(d->a.level);
	d->sb = calloc(1, sizeof(*d->sb));
	if (!d->sb)
		return -ENOMEM;
	(void)sysfs_md_read(ctx->sysfs_root, kname, "consistency_policy", d->consistency,
			    sizeof(d->consistency));
	{
		char loc[64];

		if (sysfs_md_read(ctx->sysfs_root, kname, "bitmap/location", loc, sizeof(loc)) == 0 &&
		    strcmp(loc, "none") && loc[0])
			d->bitmap = true;
	}
	rc = build_rows(d);
	if (rc < 0)
		return rc;
	md_array_count(&d->a, &d->cnt);
	detail_advise(d);
	return 0;
}

static void detail_free(struct detail *d)
{
	md_array_free(&d->a);
	free(d->rows);
	free(d->sb);
	free(d->act);
	d->rows = NULL;
	d->sb = NULL;
	d->act = NULL;
}

/* ---- shared words ---- */

static void uuid_text(const struct detail *d, char buf[40])
{
	buf[0] = '\0';
	if (d->have_sb) {
		fmt_uuid_mdadm(d->sb->set_uuid, buf);
		return;
	}
	/* md/uuid is dashed; mdadm's form is four colon-separated groups of eight. */
	if (d->a.uuid[0]) {
		unsigned j = 0;

		for (unsigned i = 0; d->a.uuid[i] && j < 35; i++) {
			if (d->a.uuid[i] == '-')
				continue;
			if (j && (j + 1) % 9 == 0)
				buf[j++] = ':';
			buf[j++] = d->a.uuid[i];
		}
		buf[j] = '\0';
	}
}

/* The name without "homehost:", as /dev/md/<name> would be called. */
static const char *short_name(const struct detail *d)
{
	const char *c;

	if (!d->have_sb)
		return NULL;
	c = strchr(d->sb->set_name, ':');
	return c ? c + 1 : d->sb->set_name;
}

/* MD_DEVNAME is only for an array reachable as /dev/md/<name>, as mdadm prints it. */
static bool devname_links_here(const struct detail *d, const char *nm)
{
	char path[PATH_MAX], k[32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/md/%s", d->ctx->dev_root, nm);
	return lstat(path, &st) == 0 && md_kname_from_arg(d->ctx->dev_root, path, k, sizeof(k)) == 0 &&
	       !strcmp(k, d->a.kname);
}

static void export_key_of(const char *kname, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "dev_%s", kname);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '-' || buf[i] == '.' || buf[i] == ':')
			buf[i] = '_';
}

/* ---- text ---- */

static void dfield(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dfield(const char *name, const char *fmt, ...)
{
	va_list ap;

	/* mdadm right-aligns --detail labels to the width of "Consistency Policy". */
	va_start(ap, fmt);
	out_vfield(stdout, 18, name, fmt, ap);
	va_end(ap);
}

static void size_text(uint64_t kib, char *buf, size_t len)
{
	char human[64];

	/* fmt_human_kib() brings its own leading space and parentheses, or nothing. */
	fmt_human_kib(kib, human, sizeof(human));
	snprintf(buf, len, "%llu%s", (unsigned long long)kib, human);
}

static void row_state_text(const struct detail *d, const struct drow *r, char *buf, size_t len)
{
	const struct md_member *m = r->m;
	const char *word = "", *progress = NULL;
	size_t n;

	if (!m) {
		snprintf(buf, len, "removed");
		return;
	}
	switch (r->role) {
	case MDR_ACTIVE:
		word = "active sync";
		break;
	case MDR_WANT_REPLACEMENT:
		word = "active sync want-replacement";
		break;
	case MDR_REPLACING:
		word = "active sync replacing";
		break;
	case MDR_REPLACEMENT:
		word = "replacement";
		progress = "copied";
		break;
	case MDR_REBUILDING:
		word = "spare rebuilding";
		progress = "done";
		break;
	case MDR_SPARE:
		word = "spare";
		break;
	case MDR_FAULTY:
		/* The kernel retires a replaced original as faulty; say so when that is what happened. */
		if ((m->flags & MDM_WANT_REPLACEMENT) && d->a.degraded == 0)
			word = "faulty replaced";
		else
			word = "faulty";
		break;
	case MDR_JOURNAL:
		word = "journal";
		break;
	}
	if (progress && r->copied >= 0)
		snprintf(buf, len, "%s, %d%% %s", word, (int)r->copied, progress);
	else
		snprintf(buf, len, "%s", word);
	n = strlen(buf);
#define ADDW(...) do { if (n < len) n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); } while (0)
	/*
	 * RAID10 near layouts whose copies divide the devices form sets, each
	 * a complete copy; mdadm names a member's set.
	 */
	if (d->level == 10 && m->slot >= 0 && r->role != MDR_FAULTY &&
	    md_raid10_near_sets(d->a.layout, d->a.raid_disks))
		ADDW(" set-%c", 'A' + m->slot % md_raid10_geom(d->a.layout).near);
	if (m->flags & MDM_WRITE_MOSTLY)
		ADDW(" writemostly");
	if (m->flags & MDM_FAILFAST)
		ADDW(" failfast");
	if (m->flags & MDM_WRITE_ERROR)
		ADDW(" write_error");
	if ((m->flags & MDM_BLOCKED) && r->role != MDR_FAULTY)
		ADDW(" blocked");
	if (m->bad_blocks)
		ADDW(" bad-blocks=%u", m->bad_blocks);
	if (m->unack_bad_blocks)
		ADDW(" unacknowledged-bad-blocks=%u", m->unack_bad_blocks);
	if (m->errors)
		ADDW(" corrected-errors=%u", m->errors);
	{
		/* verify.c: write errors since assembly make the content suspect */
		struct verify_status vs;
		bool have;

		if (verify_content(d->ctx->state_dir, &d->a, m, &vs, &have))
			ADDW(" content-suspect");
		if (have)
			ADDW(" stale-ranges=%llu rebuilt=%llu", (unsigned long long)vs.ranges_found,
			     (unsigned long long)vs.ranges_repaired);
	}
#undef ADDW
}

static void print_rows(const struct detail *d)
{
	bool blank = false;

	printf("\n    Number   Major   Minor   RaidDevice%s\n", md_array_running(&d->a) ? " State" : "");
	for (unsigned i = 0; i < d->nrows; i++) {
		const struct drow *r = &d->rows[i];
		char num[16], slot[16], state[256];
		bool in_slots = r->m ? (r->m->slot >= 0 && r->role != MDR_FAULTY) : true;

		if (!in_slots && !blank) {
			putchar('\n');
			blank = true;
		}
		if (r->m && r->number >= 0)
			snprintf(num, sizeof(num), "%d", r->number);
		else
			snprintf(num, sizeof(num), "-");
		if (in_slots)
			snprintf(slot, sizeof(slot), "%d", r->m ? r->m->slot : r->slot);
		else
			snprintf(slot, sizeof(slot), "-");
		if (!md_array_running(&d->a) && r->m) {
			/* Members of an array not started have no role yet: no number, no state. */
			printf("%8s%8u%9u%9s        %s\n", "-", r->m->major, r->m->minor, "-", r->path);
			continue;
		}
		row_state_text(d, r, state, sizeof(state));
		if (r->m)
			printf("%8s%8u%9u%9s      %s   %s\n", num, r->m->major, r->m->minor, slot, state,
			       r->path);
		else
			printf("%8s%8u%9u%9s      %s\n", num, 0u, 0u, slot, state);
	}
}

/*
 * After mdadm's table (which stays as mdadm prints it): with --verbose the
 * disks' identities and the Health line; always, when something needs
 * doing, the Health line and one Action line per thing to do.
 */
static void print_advice(const struct detail *d)
{
	bool ids = false;

	if (mdctl_verbose > 0) {
		for (unsigned i = 0; i < d->nrows; i++) {
			const struct drow *r = &d->rows[i];

			if (!r->m || !r->disk_id[0])
				continue;
			if (!ids)
				printf("\n    Device Identity\n");
			ids = true;
			printf("    %s   %s\n", r->path, r->disk_id);
		}
	}
	if (!d->nact && mdctl_verbose <= 0)
		return;
	putchar('\n');
	dfield("Health", "%s", d->summary);
	for (unsigned i = 0; i < d->nact; i++)
		dfield("Action", "%s: %s", d->act[i].why, d->act[i].cmd);
}

static const char *status_label(const struct md_array *a, enum md_sync kind)
{
	(void)a;
	switch (kind) {
	case MDS_REPLACE:
		return "Replace Status";
	case MDS_RECOVER:
		return "Rebuild Status";
	case MDS_RESYNC:
		return "Resync Status";
	case MDS_RESHAPE:
		return "Reshape Status";
	case MDS_CHECK:
		return "Check Status";
	case MDS_REPAIR:
		return "Repair Status";
	case MDS_NONE:
		break;
	}
	return NULL;
}

static void print_text(const struct detail *d)
{
	const struct md_array *a = &d->a;
	char buf[256], uuid[40];
	enum md_sync sk = md_sync_kind(a);
	bool geometry = false;
	bool striped = d->level == 0 || d->level == 4 || d->level == 5 || d->level == 6 ||
		       d->level == 10;

	printf("%s:\n", d->devpath);
	dfield("Version", "%s", a->metadata_version[0] ? a->metadata_version : "unknown");
	/* As mdadm: an array not started shows no creation time. */
	if (d->have_sb && md_array_running(a)) {
		fmt_time(d->sb->ctime_sec, buf, sizeof(buf));
		dfield("Creation Time", "%s", buf);
	}
	if (!md_array_running(a)) {
		/* Not started: the kernel knows little; the level comes from the superblock. */
		if (a->level[0])
			dfield("Raid Level", "%s", a->level);
		else if (d->have_sb)
			dfield("Raid Level", "%s", fmt_level(d->sb->level));
		dfield("Total Devices", "%u", a->nmembers);
		dfield("Persistence", "Superblock is persistent");
		putchar('\n');
		dfield("State", "%s", a->array_state[0] ? a->array_state : "inactive");
		dfield("Working Devices", "%u", d->cnt.working);
	} else {
		dfield("Raid Level", "%s", a->level);
		size_text(a->array_size_sectors / 2, buf, sizeof(buf));
		dfield("Array Size", "%s", buf);
		if (d->level >= 1 && d->level != MD_LEVEL_UNKNOWN) {
			size_text(a->component_size, buf, sizeof(buf));
			dfield("Used Dev Size", "%s", buf);
		}
		dfield("Raid Devices", "%d", a->raid_disks);
		dfield("Total Devices", "%u", a->nmembers);
		dfield("Persistence", "Superblock is %spersistent",
		       strcmp(a->metadata_version, "none") ? "" : "not ");
		putchar('\n');
		if (d->bitmap) {
			dfield("Intent Bitmap", "Internal");
			putchar('\n');
		}
		if (d->have_sb) {
			fmt_time(d->sb->utime_sec, buf, sizeof(buf));
			dfield("Update Time", "%s", buf);
		}
		md_array_state_text(a, buf, sizeof(buf));
		dfield("State", "%s", buf);
		dfield("Active Devices", "%u", d->cnt.active);
		dfield("Working Devices", "%u", d->cnt.working);
		dfield("Failed Devices", "%u", d->cnt.failed);
		dfield("Spare Devices", "%u", d->cnt.spare);
		putchar('\n');
		if (d->level == 0 || d->level == 4 || d->level == 5 || d->level == 6 ||
		    d->level == 10) {
			const char *l = fmt_layout(d->level, a->layout, buf, sizeof(buf));

			if (l) {
				dfield("Layout", "%s", l);
				geometry = true;
			}
		}
		if (striped && a->chunk_size) {
			dfield("Chunk Size", "%lluK", (unsigned long long)(a->chunk_size / 1024));
			geometry = true;
		}
		if (d->level == -1) {
			dfield("Rounding", "%lluK", (unsigned long long)(a->chunk_size / 1024));
			geometry = true;
		}
		/* mdadm's blank lines: one closes each group that was printed. */
		if (d->consistency[0]) {
			if (geometry)
				putchar('\n');
			dfield("Consistency Policy", "%s", d->consistency);
		}
		if (sk != MDS_NONE && md_sync_percent(a) >= 0) {
			double pct = md_sync_percent(a);
			char st[128];

			progress_fmt_status(pct, (double)a->sync_speed,
					    progress_eta(a->sync_done, a->sync_total,
							 (double)a->sync_speed),
					    st, sizeof(st));
			putchar('\n');
			dfield(status_label(a, sk), "%s", st);
		}
	}
	putchar('\n');
	if (d->have_sb) {
		char host[256];
		const char *colon = strchr(d->sb->set_name, ':');

		if (colon && gethostname(host, sizeof(host)) == 0 &&
		    (size_t)(colon - d->sb->set_name) == strlen(host) &&
		    !strncmp(d->sb->set_name, host, strlen(host)))
			dfield("Name", "%s  (local to host %s)", d->sb->set_name, host);
		else
			dfield("Name", "%s", d->sb->set_name);
	}
	uuid_text(d, uuid);
	if (uuid[0])
		dfield("UUID", "%s", uuid);
	if (d->have_sb)
		dfield("Events", "%llu", (unsigned long long)d->sb->events);
	if (d->no_devices)
		putchar('\n');
	else
		print_rows(d);
	print_advice(d);
}

static void print_brief(const struct detail *d)
{
	char uuid[40];
	const char *nm;

	uuid_text(d, uuid);
	printf("ARRAY %s", d->devpath);
	/* --verbose adds the geometry and a devices= line, as mdadm -Dbv. */
	if (mdctl_verbose > 0 && d->a.level[0])
		printf(" level=%s num-devices=%d", d->a.level, d->a.raid_disks);
	printf(" metadata=%s", d->a.metadata_version[0] ? d->a.metadata_version : "none");
	/* As mdadm: replacements and rebuilding members count as spares here. */
	if (d->cnt.spare)
		printf(" spares=%u", d->cnt.spare);
	nm = d->have_sb ? d->sb->set_name : NULL;
	if (nm && *nm) {
		fputs(" name=", stdout);
		out_conf_word(stdout, nm);
	}
	if (uuid[0])
		printf(" UUID=%s", uuid);
	putchar('\n');
	if (mdctl_verbose > 0 && !d->no_devices) {
		const char *sep = "   devices=";

		for (unsigned i = 0; i < d->nrows; i++) {
			if (!d->rows[i].m)
				continue;
			fputs(sep, stdout);
			out_conf_word(stdout, d->rows[i].path);
			sep = ",";
		}
		if (*sep == ',')
			putchar('\n');
	}
}

static void print_export(const struct detail *d)
{
	char uuid[40], key[96], nm[64];

	out_link_name(short_name(d), nm, sizeof(nm));
	uuid_text(d, uuid);
	out_export(stdout, "MD_LEVEL", "%s", d->a.level);
	out_export(stdout, "MD_DEVICES", "%d", d->a.raid_disks);
	out_export(stdout, "MD_METADATA", "%s", d->a.metadata_version);
	if (uuid[0])
		out_export(stdout, "MD_UUID", "%s", uuid);
	if (d->have_sb && d->sb->set_name[0] && devname_links_here(d, nm))
		out_export(stdout, "MD_DEVNAME", "%s", nm);
	out_export(stdout, "MD_RESHAPE_ACTIVE", "%s",
		   d->a.reshape_position != SYSFS_NONE ? "True" : "False");
	if (d->have_sb && d->sb->set_name[0])
		out_export(stdout, "MD_NAME", "%s", d->sb->set_name);
	out_export(stdout, "MD_STATE", "%s", md_health_word(md_array_health(&d->a)));
	out_export(stdout, "MD_DEGRADED", "%d", d->a.degraded < 0 ? 0 : d->a.degraded);
	for (unsigned i = 0; i < d->nrows && !d->no_devices; i++) {
		const struct drow *r = &d->rows[i];
		char k[160];

		if (!r->m)
			continue;
		export_key_of(r->m->kname, key, sizeof(key));
		snprintf(k, sizeof(k), "MD_DEVICE_%s_ROLE", key);
		/*
		 * mdadm's ROLE is the slot, else "spare" even for a faulty member;
		 * kept for scripts that read it.  _STATE below says what it is.
		 */
		if (r->m->slot >= 0)
			out_export(stdout, k, "%d", r->m->slot);
		else if (r->role == MDR_JOURNAL)
			out_export(stdout, k, "journal");
		else
			out_export(stdout, k, "spare");
		snprintf(k, sizeof(k), "MD_DEVICE_%s_DEV", key);
		out_export(stdout, k, "%s", r->path);
		snprintf(k, sizeof(k), "MD_DEVICE_%s_STATE", key);
		out_export(stdout, k, "%s", md_role_word(r->role));
		if (r->role == MDR_REPLACEMENT && r->copied >= 0) {
			snprintf(k, sizeof(k), "MD_DEVICE_%s_COPIED", key);
			out_export(stdout, k, "%d", (int)r->copied);
		}
	}
}

/* ---- JSON ---- */

static json_object *jstr(const char *s)
{
	return out_jstr(s);
}

static json_object *member_json(const struct detail *d, const struct drow *r)
{
	const struct md_member *m = r->m;
	json_object *o = json_object_new_object(), *st = json_object_new_array();
	char words[256], *w, *save = NULL;

	json_object_object_add(o, "device", jstr(r->path));
	json_object_object_add(o, "kname", jstr(m->kname));
	json_object_object_add(o, "major", json_object_new_int((int)m->major));
	json_object_object_add(o, "minor", json_object_new_int((int)m->minor));
	json_object_object_add(o, "number", r->number >= 0 ? json_object_new_int(r->number) : NULL);
	json_object_object_add(o, "slot", m->slot >= 0 ? json_object_new_int(m->slot) : NULL);
	json_object_object_add(o, "role", jstr(md_role_word(r->role)));
	if (md_format_dev_state(m->flags, words, sizeof(words)) == 0)
		for (w = strtok_r(words, ",", &save); w; w = strtok_r(NULL, ",", &save))
			json_object_array_add(st, jstr(w));
	json_object_object_add(o, "state", st);
	json_object_object_add(o, "bad_blocks", json_object_new_int64(m->bad_blocks));
	json_object_object_add(o, "bad_sectors", json_object_new_int64((int64_t)m->bad_sectors));
	json_object_object_add(o, "unacknowledged_bad_blocks",
			       json_object_new_int64(m->unack_bad_blocks));
	json_object_object_add(o, "errors", json_object_new_int64(m->errors));
	json_object_object_add(o, "recovery_offset",
			       m->recovery_start != SYSFS_NONE ?
			       json_object_new_int64((int64_t)m->recovery_start) : NULL);
	json_object_object_add(o, "disk_id", r->disk_id[0] ? jstr(r->disk_id) : NULL);
	json_object_object_add(o, "copied_percent",
			       r->copied >= 0 ? json_object_new_double(r->copied) : NULL);
	{
		/* what verification found (verify.c): suspect content and stale ranges */
		json_object *c = json_object_new_object();
		struct verify_status vs;
		bool have, suspect = verify_content(d->ctx->state_dir, &d->a, m, &vs, &have);

		json_object_object_add(c, "suspect", json_object_new_boolean(suspect));
		json_object_object_add(c, "write_errors",
				       json_object_new_boolean(m->flags & MDM_WRITE_ERROR));
		json_object_object_add(c, "stale_ranges_found",
				       have ? json_object_new_int64((int64_t)vs.ranges_found) : NULL);
		json_object_object_add(c, "stale_ranges_rebuilt",
				       have ? json_object_new_int64((int64_t)vs.ranges_repaired) : NULL);
		json_object_object_add(c, "stale_sectors",
				       have ? json_object_new_int64((int64_t)vs.sectors) : NULL);
		json_object_object_add(o, "content", c);
	}
	return o;
}

/* One entry per slot where a replacement is wanted or under way. */
static json_object *replacements_json(const struct detail *d)
{
	json_object *rep = json_object_new_array();

	for (int s = 0; s < d->a.raid_disks; s++) {
		const struct drow *old = NULL, *new = NULL;
		json_object *e;
		const char *state;

		for (unsigned i = 0; i < d->nrows; i++) {
			const struct drow *r = &d->rows[i];

			if (!r->m || r->m->slot != s)
				continue;
			if (r->role == MDR_REPLACEMENT)
				new = r;
			else if (r->role == MDR_WANT_REPLACEMENT || r->role == MDR_REPLACING)
				old = r;
		}
		if (!old && !new)
			continue;
		if (new && old)
			state = "copying";
		else if (old)
			state = "waiting-for-spare";
		else
			state = "rebuilding"; /* original gone: the kernel continues as a rebuild */
		e = json_object_new_object();
		json_object_object_add(e, "slot", json_object_new_int(s));
		json_object_object_add(e, "old", old ? jstr(old->path) : NULL);
		json_object_object_add(e, "new", new ? jstr(new->path) : NULL);
		json_object_object_add(e, "progress", new && new->copied >= 0 ?
				       json_object_new_double(new->copied) : NULL);
		json_object_object_add(e, "state", jstr(state));
		json_object_array_add(rep, e);
	}
	return rep;
}

/* The --json object of one array (schema in mdctl(8) and docs/mdctl.schema.json). */
static json_object *build_json(const struct detail *d)
{
	const struct md_array *a = &d->a;
	json_object *o = json_object_new_object(), *mem = json_object_new_array();
	json_object *sync;
	enum md_sync sk = md_sync_kind(a);
	char buf[256], uuid[40];

	json_object_object_add(o, "version", json_object_new_int(MDCTL_JSON_SCHEMA));
	json_object_object_add(o, "device", jstr(d->devpath));
	json_object_object_add(o, "metadata", jstr(a->metadata_version));
	json_object_object_add(o, "level", jstr(a->level));
	json_object_object_add(o, "raid_devices", json_object_new_int(a->raid_disks));
	json_object_object_add(o, "total_devices", json_object_new_int((int)a->nmembers));
	json_object_object_add(o, "array_size_kib",
			       json_object_new_int64((int64_t)(a->array_size_sectors / 2)));
	json_object_object_add(o, "used_dev_size_kib",
			       json_object_new_int64((int64_t)a->component_size));
	json_object_object_add(o, "chunk_kib", a->chunk_size ?
			       json_object_new_int64((int64_t)(a->chunk_size / 1024)) : NULL);
	{
		const char *l = NULL;

		if (d->level == 4 || d->level == 5 || d->level == 6 || d->level == 10)
			l = fmt_layout(d->level, a->layout, buf, sizeof(buf));
		json_object_object_add(o, "layout", l ? jstr(l) : NULL);
	}
	json_object_object_add(o, "array_state", jstr(a->array_state));
	md_array_state_text(a, buf, sizeof(buf));
	json_object_object_add(o, "state", jstr(buf));
	json_object_object_add(o, "health", jstr(md_health_word(md_array_health(a))));
	json_object_object_add(o, "degraded", json_object_new_int(a->degraded < 0 ? 0 : a->degraded));
	json_object_object_add(o, "active_devices", json_object_new_int((int)d->cnt.active));
	json_object_object_add(o, "working_devices", json_object_new_int((int)d->cnt.working));
	json_object_object_add(o, "failed_devices", json_object_new_int((int)d->cnt.failed));
	json_object_object_add(o, "spare_devices", json_object_new_int((int)d->cnt.spare));
	json_object_object_add(o, "consistency_policy",
			       d->consistency[0] ? jstr(d->consistency) : NULL);
	json_object_object_add(o, "bitmap", json_object_new_boolean(d->bitmap));
	json_object_object_add(o, "name", d->have_sb ? jstr(d->sb->set_name) : NULL);
	uuid_text(d, uuid);
	json_object_object_add(o, "uuid", uuid[0] ? jstr(uuid) : NULL);
	json_object_object_add(o, "events", d->have_sb ?
			       json_object_new_int64((int64_t)d->sb->events) : NULL);
	json_object_object_add(o, "creation_time", d->have_sb ?
			       json_object_new_int64((int64_t)d->sb->ctime_sec) : NULL);
	json_object_object_add(o, "update_time", d->have_sb ?
			       json_object_new_int64((int64_t)d->sb->utime_sec) : NULL);

	json_object_object_add(o, "sync_action", jstr(a->sync_action));
	if (sk != MDS_NONE) {
		double pct = md_sync_percent(a);
		long eta = pct < 0 ? -1 : progress_eta(a->sync_done, a->sync_total,
						       (double)a->sync_speed);

		sync = json_object_new_object();
		json_object_object_add(sync, "kind", jstr(md_sync_word(sk)));
		json_object_object_add(sync, "percent", pct >= 0 ? json_object_new_double(pct) : NULL);
		json_object_object_add(sync, "done_sectors", a->sync_done != SYSFS_NONE ?
				       json_object_new_int64((int64_t)a->sync_done) : NULL);
		json_object_object_add(sync, "total_sectors", a->sync_total != SYSFS_NONE ?
				       json_object_new_int64((int64_t)a->sync_total) : NULL);
		json_object_object_add(sync, "speed_kib_s", json_object_new_int64((int64_t)a->sync_speed));
		json_object_object_add(sync, "eta_seconds", eta >= 0 ? json_object_new_int64(eta) : NULL);
		json_object_object_add(o, "sync", sync);
	} else {
		json_object_object_add(o, "sync", NULL);
	}

	for (unsigned i = 0; i < d->nrows; i++)
		if (d->rows[i].m)
			json_object_array_add(mem, member_json(d, &d->rows[i]));
	json_object_object_add(o, "members", mem);

	json_object_object_add(o, "replacements", replacements_json(d));
	json_object_object_add(o, "health_summary", jstr(d->summary));
	mem = json_object_new_array();
	for (unsigned i = 0; i < d->nact; i++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "why", jstr(d->act[i].why));
		json_object_object_add(x, "command", jstr(d->act[i].cmd));
		json_object_array_add(mem, x);
	}
	json_object_object_add(o, "actions", mem);
	return o;
}

/* ---- command ---- */

/*
 * The arrays of --detail --scan (those sysfs lists) in mdadm's order:
 * oldest first, as /proc/mdstat lists them newest first; any that
 * /proc/mdstat does not list (or without it) after those, in sysfs order.
 */
static int scan_arrays(const struct mdctl_ctx *ctx, char (**names)[32], size_t *n)
{
	char path[PATH_MAX], line[512];
	FILE *f;
	int rc = sysfs_list_arrays(ctx->sysfs_root, names, n);

	snprintf(path, sizeof(path), "%s/mdstat", ctx->proc_root);
	f = rc ? NULL : fopen(path, "re");
	/* each array /proc/mdstat names goes to the front: the last one named ends first */
	while (f && fgets(line, sizeof(line), f)) {
		size_t len = mdstat_header_name(line, line + strlen(line));

		for (size_t i = 0; len && len < sizeof(**names) && i < *n; i++) {
			if (strlen((*names)[i]) != len || memcmp((*names)[i], line, len))
				continue;
			memmove(*names + 1, *names, i * sizeof(**names));
			memcpy((*names)[0], line, len);
			(*names)[0][len] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	return rc;
}

/*
 * The name mdadm --detail --scan gives an array: the path mdadm's map
 * (/run/mdadm/map: "mdN metadata uuid path") records for it when that path
 * exists, else <dev_root>/mdN.
 */
static const char *scan_name(const struct mdctl_ctx *ctx, const char *kname, char *buf,
			     size_t len)
{
	const char *map = getenv("MDCTL_MDADM_MAP");
	char line[PATH_MAX + 128], nm[32], meta[64], uuid[64], p[PATH_MAX];
	struct stat st;
	FILE *f = fopen(map && *map ? map : "/run/mdadm/map", "re");

	snprintf(buf, len, "%s/%s", ctx->dev_root, kname);
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %63s %63s %4095s", nm, meta, uuid, p) == 4 &&
		    !strcmp(nm, kname) && stat(p, &st) == 0) {
			snprintf(buf, len, "%s", p);
			break;
		}
	if (f)
		fclose(f);
	return buf;
}

/*
 * One array.  With --json the object goes into list when the call may name
 * several arrays (printed once, as one document, by the caller), else it is
 * printed alone.
 */
static int detail_one(const struct mdctl_ctx *ctx, const struct detail_opts *o, const char *arg,
		      const char *shown, json_object *list)
{
	struct detail d;
	int rc, status;

	rc = detail_load(ctx, arg, &d);
	d.no_devices = o->no_devices;
	/* as mdadm, an ARRAY line carries the name the array was asked by */
	if (rc == 0 && shown)
		snprintf(d.devpath, sizeof(d.devpath), "%s", shown);
	if (rc < 0) {
		if (rc == -ENODEV)
			mdctl_err("%s: not an md array (no md directory in sysfs)", arg);
		else
			mdctl_err_rc(rc, "%s: cannot read array", arg);
		detail_free(&d);
		return o->test ? MDCTL_EXIT_ERROR : MDCTL_EXIT_FAIL;
	}
	switch (o->fmt) {
	case OUT_BRIEF:
		print_brief(&d);
		break;
	case OUT_EXPORT:
		print_export(&d);
		break;
	case OUT_JSON:
		if (list)
			json_object_array_add(list, build_json(&d));
		else {
			json_object *j = build_json(&d);

			out_json(stdout, j);
			json_object_put(j);
		}
		break;
	case OUT_TEXT:
		print_text(&d);
		break;
	}
	status = md_array_health(&d.a);
	detail_free(&d);
	return o->test ? status : MDCTL_EXIT_OK;
}

/* The --json list of a --scan or several arrays: printed once, even when empty. */
static void print_list(json_object *list)
{
	if (!list)
		return;
	out_json(stdout, list);
	json_object_put(list);
}

int cmd_detail(struct mdctl_ctx *ctx, int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_NO_DEVICES };
	static const struct option longopts[] = {
		{ "detail", no_argument, NULL, 'D' },
		{ "brief", no_argument, NULL, 'b' },
		{ "export", no_argument, NULL, 'Y' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "test", no_argument, NULL, 't' },
		{ "scan", no_argument, NULL, 's' },
		{ "no-devices", no_argument, NULL, OPT_NO_DEVICES },
		CLI_COMMON_OPTS,
	};
	struct detail_opts o = { .fmt = OUT_TEXT };
	json_object *list = NULL;
	int c, rc = MDCTL_EXIT_OK;

	cli_begin();
	while ((c = cli_getopt(argc, argv, ":DbYtsvqh", longopts, 'D')) != -1) {
		enum output_format f = OUT_TEXT;

		switch (c) {
		case 'b':
			f = OUT_BRIEF;
			break;
		case 'Y':
			f = OUT_EXPORT;
			break;
		case OPT_JSON:
			f = OUT_JSON;
			break;
		case 't':
			o.test = true;
			continue;
		case 's':
			o.scan = true;
			continue;
		case OPT_NO_DEVICES:
			o.no_devices = true;
			continue;
		default:
			if ((rc = cli_common("--detail", detail_help, c, argv)) != CLI_NEXT)
				return rc;
			rc = MDCTL_EXIT_OK;
			continue;
		}
		/* --brief, --export and --json exclude each other. */
		if (o.fmt != OUT_TEXT && o.fmt != f) {
			mdctl_err("--detail: --brief, --export and --json are mutually exclusive");
			return MDCTL_EXIT_USAGE;
		}
		o.fmt = f;
	}
	if (o.scan) {
		char (*names)[32] = NULL, shown[PATH_MAX];
		size_t n = 0;
		int r;

		if (optind < argc) {
			mdctl_err("--detail --scan: takes no array names");
			return MDCTL_EXIT_USAGE;
		}
		/* as mdadm: --scan means --brief (ARRAY lines for mdadm.conf) unless -vv */
		if (o.fmt == OUT_TEXT && mdctl_verbose < 2)
			o.fmt = OUT_BRIEF;
		r = scan_arrays(ctx, &names, &n);
		if (r < 0) {
			mdctl_err_rc(r, "%s: cannot list md arrays", ctx->sysfs_root);
			return o.test ? MDCTL_EXIT_ERROR : MDCTL_EXIT_FAIL;
		}
		list = o.fmt == OUT_JSON ? json_object_new_array() : NULL;
		for (size_t i = 0; i < n; i++) {
			r = detail_one(ctx, &o, names[i], scan_name(ctx, names[i], shown,
								     sizeof(shown)), list);
			if (r > rc)
				rc = r;
		}
		free(names);
		print_list(list);
		return rc;
	}
	if (optind >= argc) {
		mdctl_err("--detail: name an array (/dev/mdN), or give --scan");
		return MDCTL_EXIT_USAGE;
	}
	/* several arrays named: one JSON document, a list */
	if (o.fmt == OUT_JSON && argc - optind > 1)
		list = json_object_new_array();
	for (int i = optind; i < argc; i++) {
		int r;

		if (o.fmt == OUT_TEXT && i > optind)
			putchar('\n');
		r = detail_one(ctx, &o, argv[i], argv[i][0] == '/' ? argv[i] : NULL, list);
		if (r > rc)
			rc = r;
	}
	print_list(list);
	return rc;
}
