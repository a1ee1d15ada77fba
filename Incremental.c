// SPDX-License-Identifier: GPL-2.0-or-later
/* Incremental.c: --incremental: attach one device to its array as it appears (udev), start the array when complete. */
#include "cli.h"
#include "assembly.h"
#include "blkdev.h"
#include "config.h"
#include "mdarray.h"
#include "mdctl.h"
#include "mdarray.h"
#include "mdops.h"
#include "output.h"
#include "super1.h"
#include "sysfs.h"
#include "safefile.h"
#include "slotrec.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/*
 * Which inactive array holds which UUID is read from sysfs each time, not
 * from a state file: every md/dev-X/super is the superblock image the
 * kernel loaded for that member, so the map cannot go stale.  Only a lock
 * lives in the run directory (MDCTL_RUN_DIR, default /run/mdctl): udev runs
 * one --incremental per device in parallel, and two of them must not each
 * create an array for the same UUID.
 */
struct incr_opts {
	bool export_vars;  /* --export */
	bool run;          /* --run: start degraded */
	bool fail;         /* --fail: removal event */
	bool scan;         /* --scan (with --run): start every partly assembled array */
	bool remove;       /* -r/--remove: --fail with a device, --rebuild-map without */
	bool rebuild_map;  /* --rebuild-map */
	const char *bay;   /* --path: the disk's bay (udev ID_PATH), for POLICY spares */
	const char *config;
};

static const char incremental_help[] =
"Usage: mdctl --incremental DEV [--export] [--run] [--path P]\n"
"       mdctl --incremental --fail|--remove DEV [--path P]\n"
"       mdctl --incremental [--rebuild-map] --run --scan | --rebuild-map\n"
"Attach DEV to the array its md 1.x superblock names (creating the array,\n"
"inactive, when DEV is its first member) and start the array once every\n"
"device it last ran with is present (as mdadm).  A device of a running array\n"
"is not added, except a replacement whose copy was cut off: it is put back\n"
"and the copy resumes (when the array was not updated without it).\n"
"Called by udev (64-mdctl-assembly.rules).\n"
"\n"
"      --export     print MD_DEVICE, MD_DEVNAME, MD_STARTED, MD_FOREIGN for udev\n"
"  -R, --run        start the array even if degraded (when usable)\n"
"  -f, --fail       DEV was removed: fail it and remove it from its array;\n"
"                   DEV may be a kernel name (sdb) as udev passes it\n"
"  -r, --remove     with DEV: the same as --fail; alone: as --rebuild-map\n"
"      --rebuild-map  mdctl keeps no map (it reads sysfs each time): checks\n"
"                   that the arrays can be listed; with --run --scan, starts them\n"
"      --path=P     DEV's bay (udev's ID_PATH): with --fail, remember which\n"
"                   array and slot bay P held; on an arrival of a disk with\n"
"                   no md superblock, add it as a spare to the degraded array\n"
"                   bay P held (POLICY action=spare-same-slot) or, with\n"
"                   action=spare, to a degraded array (mdctl.conf(5))\n"
"  -s, --scan       with --run: start every partly assembled array that can run\n"
"  -c, --config=F   config file (ARRAY names)\n"
"  -v, --verbose    say more;  -q, --quiet  say less\n"
"MD_STARTED: yes (started now), already (was running), unsafe (could run\n"
"degraded: needs --run), no (waiting for more members).\n";

enum { OPT_EXPORT = 1000, OPT_PATH, OPT_REBUILD_MAP };

static const struct option incremental_longopts[] = {
	{ "incremental", no_argument, NULL, 'I' },
	{ "export", no_argument, NULL, OPT_EXPORT },
	{ "run", no_argument, NULL, 'R' },
	{ "fail", no_argument, NULL, 'f' },
	{ "scan", no_argument, NULL, 's' },
	{ "config", required_argument, NULL, 'c' },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "remove", no_argument, NULL, 'r' },
	{ "rebuild-map", no_argument, NULL, OPT_REBUILD_MAP },
	CLI_COMMON_OPTS,
};

/*
 * The lock is not optional: without it two udev workers could each create
 * an array for the same UUID.  Says why it failed; -1 then.
 */
static int take_lock(void)
{
	char path[PATH_MAX];
	int fd = safe_run_lock("incremental.lock", 0, path, sizeof(path));

	if (fd < 0) {
		mdctl_err("%s: cannot take the incremental lock: %s", path, safe_strerror(fd));
		return -1;
	}
	return fd;
}

/* The incremental lock, then the md arrays as they are under it: the lock's fd, or -1 (said). */
static int lock_and_list(const struct mdctl_ctx *ctx, struct asm_md **list, size_t *nl)
{
	int lock = take_lock(), rc;

	if (lock < 0)
		return -1;
	rc = asm_md_list(ctx->sysfs_root, ctx->dev_root, list, nl);
	if (rc) {
		mdctl_err_rc(rc, "cannot list md arrays");
		close(lock);
		return -1;
	}
	return lock;
}

struct attached {
	size_t n;
	char (*path)[PATH_MAX];
	char (*kname)[32];
	struct sb1_dev *dev;
	struct asm_cand *c;
};

static void attached_free(struct attached *a)
{
	free(a->path);
	free(a->kname);
	free(a->dev);
	free(a->c);
	memset(a, 0, sizeof(*a));
}

/* Candidates for the planner from every member attached to md. */
static int attached_read(const char *sysfs_root, const char *dev_root, const struct asm_md *md,
			 struct attached *a)
{
	size_t n = md->ndevs ? md->ndevs : 1;

	memset(a, 0, sizeof(*a));
	a->path = calloc(n, sizeof(*a->path));
	a->kname = calloc(n, sizeof(*a->kname));
	a->dev = calloc(n, sizeof(*a->dev));
	a->c = calloc(n, sizeof(*a->c));
	if (!a->path || !a->kname || !a->dev || !a->c) {
		attached_free(a);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < md->ndevs; i++) {
		struct asm_cand *c = &a->c[a->n];

		snprintf(a->kname[a->n], 32, "%s", md->devs[i]);
		c->path = a->path[a->n];
		c->load_rc = asm_member_sb(sysfs_root, dev_root, md->kname, md->devs[i],
					   &a->dev[a->n], a->path[a->n], sizeof(a->path[a->n]),
					   &c->major, &c->minor);
		c->dev = c->load_rc ? NULL : &a->dev[a->n];
		a->n++;
	}
	return 0;
}

static void export_line(const struct incr_opts *o, const char *key, const char *val)
{
	if (o->export_vars)
		out_export(stdout, key, "%s", val);
}

/* MD_FOREIGN: the homehost part of the name is not this host. */
static bool foreign_name(const char *set_name)
{
	const char *colon = strchr(set_name, ':');
	char host[256] = "";

	if (!colon)
		return false;
	if (gethostname(host, sizeof(host) - 1))
		return false;
	return strncmp(set_name, host, (size_t)(colon - set_name)) ||
	       host[colon - set_name] != '\0';
}

static void export_array(const struct incr_opts *o, const struct asm_target *t,
			 const char *started, bool foreign)
{
	char dev[4200];

	if (!o->export_vars)
		return;
	snprintf(dev, sizeof(dev), "/dev/%s", t->kname);
	export_line(o, "MD_DEVICE", dev);
	export_line(o, "MD_DEVNAME", t->link[0] ? t->link : t->kname);
	export_line(o, "MD_STARTED", started);
	export_line(o, "MD_FOREIGN", foreign ? "yes" : "no");
}

/*
 * Decide about an inactive array from what is attached: start it when
 * complete, or usable with every device it last ran with (mdadm's rule),
 * or usable with --run.  Excluded members (stale, faulty by the
 * freshest) are detached first so that the kernel does not have to kick
 * them.  Returns the MD_STARTED word.
 */
static const char *maybe_start(const struct mdctl_ctx *ctx, const struct incr_opts *o,
			       const struct asm_target *t, const struct asm_md *md, int *exit_code)
{
	struct attached a;
	struct asm_opts sel = { 0 };
	struct asm_plan p;
	const char *word = "no";
	int rc;

	*exit_code = MDCTL_EXIT_OK;
	if (attached_read(ctx->sysfs_root, ctx->dev_root, md, &a)) {
		*exit_code = MDCTL_EXIT_FAIL;
		return "no";
	}
	if (md->have_uuid) {
		sel.have_uuid = true;
		memcpy(sel.uuid, md->uuid, 16);
	}
	rc = asm_plan(a.c, a.n, &sel, &p);
	if (rc) {
		attached_free(&a);
		return "no";
	}
	if (p.split >= 0) {
		mdctl_err("%s: not started: %s and %s have been used apart (split array); "
			  "assemble the half you want with --assemble", t->devname,
			  a.c[p.fresh].path, a.c[p.split].path);
		*exit_code = MDCTL_EXIT_FAIL;
		goto out;
	}
	if (!p.usable)
		goto out;
	/*
	 * Every slot in sync, but a replacement it last ran with (a second device
	 * in a slot, copying) has not appeared: wait for it, or the array starts
	 * and is written without it, and the copy can no longer resume (at boot
	 * the members appear in any order).  --run (the last resort, armed by
	 * "unsafe" as for a degraded array) starts it.
	 */
	if (p.complete && !p.startable && !o->run) {
		word = "unsafe";
		mdctl_verb("%s: complete, but %u of the %u devices it last ran with present "
			   "(a replacement is still to come); not started yet (--run starts it)",
			   t->devname, p.slot_devs, p.working);
		goto out;
	}
	/* as --assemble: every device it last ran with is here, or --run */
	if (!p.complete && !p.startable && !o->run) {
		word = "unsafe";
		mdctl_verb("%s: %u of the %u devices it last ran with present; not started "
			   "(degraded: needs --run)", t->devname, p.slot_devs, p.working);
		goto out;
	}
	if (asm_dirty_degraded(a.c, &p)) {
		mdctl_err("%s: not started: degraded raid%d not shut down cleanly "
			  "(mdctl --assemble --force marks it clean)", t->devname, p.level);
		word = "unsafe";
		goto out;
	}
	for (size_t i = 0; i < a.n; i++) {
		if (a.c[i].verdict == ASM_IN)
			continue;
		mdctl_warn("%s: left out of %s: %s", a.c[i].path, t->devname, a.c[i].why);
		rc = mdops_remove(ctx->sysfs_root, t->kname, a.kname[i], 1000);
		if (rc)
			mdctl_warn_rc(rc, "%s: cannot detach %s", t->devname, a.c[i].path);
	}
	rc = mdops_start(ctx->sysfs_root, t->kname, false);
	if (rc) {
		mdctl_err("%s: the kernel refused to start the array: %s (see the kernel log)",
			  t->devname, strerror(-rc));
		*exit_code = MDCTL_EXIT_FAIL;
		goto out;
	}
	word = "yes";
	assemble_summary(t, a.c, a.n, &p, true, false);
	assemble_verify(ctx->sysfs_root, t, a.c, a.n);
	assemble_reapply_intents(ctx, t, a.c, a.n, &p);
out:
	attached_free(&a);
	return word;
}

/* An existing array: its kernel name and, when a /dev/md/ link points at it, that name. */
static void target_of_existing(const struct mdctl_ctx *ctx, const char *kname,
			       struct asm_target *t)
{
	char dir[PATH_MAX];
	DIR *d;
	struct dirent *e;

	memset(t, 0, sizeof(*t));
	snprintf(t->kname, sizeof(t->kname), "%s", kname);
	snprintf(t->devname, sizeof(t->devname), "%s/%s", ctx->dev_root, kname);
	snprintf(dir, sizeof(dir), "%s/md", ctx->dev_root);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[PATH_MAX + 256], target[PATH_MAX];
		const char *base;
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		if (strcmp(base, kname) || strlen(e->d_name) >= sizeof(t->link))
			continue;
		copy_str(t->link, sizeof(t->link), e->d_name);
		snprintf(t->devname, sizeof(t->devname), "%s/md/%s", ctx->dev_root, t->link);
		break;
	}
	closedir(d);
}

/*
 * No array holds this member's UUID yet: name one (its ARRAY line, else the
 * superblock's name), make it, set its metadata and link.  0 made, 1 the
 * array is <ignore>d in the config, -1 failed (reported).
 */
static int incremental_new_array(const struct mdctl_ctx *ctx, const struct incr_opts *o,
				 const char *path, const struct sb1_dev *dev, struct asm_target *t)
{
	struct mdctl_config cfg;
	const struct cfg_array *line = NULL;
	char err[512];
	bool taken[256] = { false };
	int rc;

	if (config_load(o->config ? o->config : ctx->config_file, &cfg, err, sizeof(err))) {
		mdctl_err("%s", err);
		return -1;
	}
	line = config_find_array(&cfg, dev->info.set_uuid, asm_name_part(dev->info.set_name));
	if (line && !strcmp(line->devname, "<ignore>")) {
		mdctl_info("%s: its array is marked <ignore> in %s (line %d); not attached",
			   path, line->file, line->line);
		config_free(&cfg);
		return 1;
	}
	/* an array no ARRAY line lists is auto-assembled only as AUTO allows */
	if (!line && !config_auto_check(&cfg, NULL, dev->info.set_name, err, sizeof(err))) {
		mdctl_info("%s: not attached: %s", path, err);
		config_free(&cfg);
		return 1;
	}
	memset(t, 0, sizeof(*t));
	rc = mdops_array_name(ctx->sysfs_root, ctx->dev_root,
			      line && line->devname[0] == '/' ? line->devname : NULL,
			      asm_name_part(dev->info.set_name), taken, t->kname, t->link);
	if (!rc && line && line->devname[0] == '/')
		snprintf(t->devname, sizeof(t->devname), "%s", line->devname);
	else if (!rc && t->link[0])
		snprintf(t->devname, sizeof(t->devname), "%s/md/%s", ctx->dev_root, t->link);
	else
		snprintf(t->devname, sizeof(t->devname), "%s/%s", ctx->dev_root, t->kname);
	config_free(&cfg);
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot choose an md device", path);
		return -1;
	}
	rc = mdops_md_create(ctx->sysfs_root, ctx->dev_root, t->kname, NULL);
	if (!rc)
		rc = mdops_set_metadata(ctx->sysfs_root, t->kname, dev->minor);
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot create %s", path, t->devname);
		return -1;
	}
	if (t->link[0] && (rc = mdops_link(ctx->dev_root, t->link, t->kname)))
		mdctl_warn_rc(rc, "%s: cannot create %s/md/%s", t->devname, ctx->dev_root,
			   t->link);
	return 0;
}

/* Why md_resume_replacement() refused, in words. */
static const char *resume_why(int rc)
{
	switch (rc) {
	case -EXDEV:
		return "its superblock is another array's";
	case -EDOM:
		return "its superblock makes it the replacement of no slot of the array";
	case -EBUSY:
		return "its slot has no active member left to replace, or one paired already, "
		       "or the array is read-only, reshaping or frozen";
	case -EUCLEAN:
		return "it is newer than the array (split array)";
	case -ENODEV:
		return "the device changed while it was read";
	case -EIO:
		return "the kernel did not take it back as the replacement (see the kernel log)";
	default:
		return strerror(-rc);
	}
}

/*
 * path's superblock says it is the replacement of a slot of t, which the
 * udev rules started before path appeared (the replacement was cut off at
 * shutdown): put it back as that slot's replacement so that the copy
 * resumes where it stopped.  True when it is back; false (said why) when
 * md_resume_replacement() finds it may not be, and the caller refuses it
 * as any other device of a running array.
 */
static bool resume_replacement(const struct mdctl_ctx *ctx, const struct asm_target *t,
			       const char *path)
{
	struct md_array a;
	struct md_resume_info ri;
	pid_t holder = 0;
	int rc, lock;

	lock = mdops_lock(t->kname, 5000, &holder);
	if (lock < 0) {
		mdctl_warn_rc(lock, "%s: cannot take the lock of %s%s", path, t->devname,
			      holder ? " (another mdctl holds it)" : "");
		return false;
	}
	rc = md_array_read(ctx->sysfs_root, t->kname, &a);
	if (!rc) {
		rc = md_resume_replacement(ctx->sysfs_root, ctx->dev_root, &a, path, &ri);
		md_array_free(&a);
	}
	mdops_unlock(&lock);
	if (!rc) {
		mdctl_info("%s: back in %s as the replacement of slot %d (%s/%s): the copy "
			   "resumes at sector %llu", path, t->devname, ri.slot, ctx->dev_root,
			   ri.old_kname, (unsigned long long)ri.offset);
		return true;
	}
	if (rc == -ESTALE)
		mdctl_warn("%s: a replacement for %s whose copy cannot resume: the array was "
			   "updated without it (its superblock: events %llu, the array's: %llu, "
			   "written later)", path, t->devname, (unsigned long long)ri.events,
			   (unsigned long long)ri.array_events);
	else
		mdctl_warn("%s: a replacement for %s whose copy cannot resume: %s", path,
			   t->devname, resume_why(rc));
	return false;
}

/* The array UUID as a bay record holds it: 32 hex digits. */
static void uuid_hex(const uint8_t uuid[16], char buf[33])
{
	for (int k = 0; k < 16; k++)
		snprintf(buf + 2 * k, 3, "%02x", uuid[k]);
}

/*
 * A blank disk (no md superblock) arriving with --path P: the array a
 * POLICY line lets it join.  action=spare-same-slot (or stronger): the
 * array bay P last held a member of (its record), when that array runs
 * degraded; action=spare (or stronger): else the first running degraded
 * array.  Index in list, -1 when none; *rec_used when the record chose it.
 */
static int bay_target(const struct mdctl_ctx *ctx, const struct mdctl_config *cfg,
		      const struct asm_md *list, size_t nl, const char *bay, bool is_part,
		      const struct slot_record *rec, bool *rec_used)
{
	*rec_used = false;
	for (int pass = rec ? 0 : 1; pass < 2; pass++) {
		for (size_t i = 0; i < nl; i++) {
			struct md_array a;
			char hex[40];
			bool ok;

			if (!list[i].running || !list[i].have_uuid)
				continue;
			uuid_hex(list[i].uuid, hex);
			if (pass == 0 && strcmp(hex, rec->uuid))
				continue;
			if (md_array_read(ctx->sysfs_root, list[i].kname, &a))
				continue;
			ok = a.degraded > 0 && md_array_running(&a) &&
			     config_policy_action(cfg, bay, is_part, a.metadata_version, NULL) >=
				     (pass == 0 ? CFG_ACT_SPARE_SAME_SLOT : CFG_ACT_SPARE);
			md_array_free(&a);
			if (ok) {
				*rec_used = pass == 0;
				return (int)i;
			}
		}
	}
	return -1;
}

static bool is_partition(const struct mdctl_ctx *ctx, const char *kname)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/class/block/%s/partition", ctx->sysfs_root, kname);
	return stat(p, &st) == 0;
}

/* --path P on an arrival of a disk without an md superblock: maybe a spare (POLICY). */
static int incremental_bay(const struct mdctl_ctx *ctx, const struct incr_opts *o,
			   const char *path, const char *kname)
{
	struct mdctl_config cfg;
	struct slot_record rec;
	struct asm_md *list = NULL;
	size_t nl = 0;
	char err[512], mdpath[PATH_MAX];
	bool is_part = is_partition(ctx, kname), rec_used;
	int rc, mi = -1, lock, have_rec, ret = MDCTL_EXIT_FAIL;

	if (config_load(o->config ? o->config : ctx->config_file, &cfg, err, sizeof(err))) {
		mdctl_err("%s", err);
		return MDCTL_EXIT_FAIL;
	}
	if (config_policy_action(&cfg, o->bay, is_part, "1.2", NULL) < CFG_ACT_SPARE) {
		mdctl_err("%s: no md 1.x superblock, and no POLICY line with action=spare or "
			  "spare-same-slot applies to path %s; not added", path, o->bay);
		config_free(&cfg);
		return MDCTL_EXIT_FAIL;
	}
	lock = lock_and_list(ctx, &list, &nl);
	if (lock < 0)
		goto out;
	have_rec = slotrec_read(safe_run_dir(), o->bay, &rec);
	if (have_rec && have_rec != -ENOENT)
		mdctl_warn("%s: cannot read the record of bay %s in %s: %s", path, o->bay,
			   safe_run_dir(), safe_strerror(have_rec));
	mi = bay_target(ctx, &cfg, list, nl, o->bay, is_part, have_rec ? NULL : &rec, &rec_used);
	if (mi < 0) {
		mdctl_err("%s: no md 1.x superblock, and no running degraded array POLICY lets it "
			  "join from path %s; not added", path, o->bay);
		goto out;
	}
	snprintf(mdpath, sizeof(mdpath), "%s/%s", ctx->dev_root, list[mi].kname);
	int alock = cli_lock_array(mdpath, list[mi].kname);

	if (alock < 0)
		goto out;
	rc = manage_add_blank(ctx, mdpath, list[mi].kname, path);
	close(alock);
	if (!rc) {
		mdctl_verb("%s: added to %s as a spare (POLICY action=%s, path %s)", path, mdpath,
			   rec_used ? "spare-same-slot" : "spare", o->bay);
		if ((rc = slotrec_remove(safe_run_dir(), o->bay)))
			mdctl_warn_rc(rc, "%s: cannot remove the record of bay %s", path, o->bay);
		ret = MDCTL_EXIT_OK;
	}
out:
	asm_md_list_free(list, nl);
	if (lock >= 0)
		close(lock);
	config_free(&cfg);
	return ret;
}

static int incremental_add(const struct mdctl_ctx *ctx, const struct incr_opts *o,
			   const char *path)
{
	struct asm_md *list = NULL;
	size_t nl = 0;
	struct sb1_dev *dev;
	struct asm_target t;
	struct stat st;
	char kname[32];
	int fd, rc, lock, mi = -1, ret = MDCTL_EXIT_FAIL;
	bool foreign;
	const char *word;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return MDCTL_EXIT_FAIL;
	fd = blkdev_open(path, O_RDONLY);
	if (fd < 0) {
		mdctl_err_rc(fd, "%s: cannot open", path);
		goto out_free;
	}
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode)) {
		close(fd);
		mdctl_err("%s: not a block device", path);
		goto out_free;
	}
	rc = sb1_load(fd, -1, dev);
	close(fd);
	if (rc == -ENOENT && o->bay &&
	    !sysfs_kname_of_devnum(ctx->sysfs_root, major(st.st_rdev), minor(st.st_rdev), kname,
				   sizeof(kname))) {
		ret = incremental_bay(ctx, o, path, kname);
		goto out_free;
	}
	if (rc) {
		mdctl_err("%s: %s", path, rc == -ENOENT ? "no md 1.x superblock" : sb1_strerror(rc));
		goto out_free;
	}
	rc = sysfs_kname_of_devnum(ctx->sysfs_root, major(st.st_rdev), minor(st.st_rdev), kname,
				   sizeof(kname));
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot find it in sysfs", path);
		goto out_free;
	}
	foreign = foreign_name(dev->info.set_name);

	lock = lock_and_list(ctx, &list, &nl);
	if (lock < 0)
		goto out_free;
	mi = asm_md_holding(list, nl, kname);
	if (mi < 0)
		for (size_t i = 0; i < nl; i++)
			if (list[i].have_uuid && !memcmp(list[i].uuid, dev->info.set_uuid, 16)) {
				mi = (int)i;
				break;
			}
	if (mi >= 0 && list[mi].running) {
		target_of_existing(ctx, list[mi].kname, &t);
		if (asm_md_holding(list, nl, kname) != mi &&
		    !((dev->info.feature_map & SB1_FEAT_REPLACEMENT) &&
		      resume_replacement(ctx, &t, path)))
			mdctl_info("%s: %s is already running without it; not added (use "
				   "mdctl %s --add %s)", path, t.devname, t.devname, path);
		export_array(o, &t, "already", foreign);
		ret = MDCTL_EXIT_OK;
		goto out_unlock;
	}
	if (mi >= 0) {
		target_of_existing(ctx, list[mi].kname, &t);
	} else {
		rc = incremental_new_array(ctx, o, path, dev, &t);
		if (rc) {
			ret = rc > 0 ? MDCTL_EXIT_OK : MDCTL_EXIT_FAIL;
			rc = 0;
			goto out_unlock;
		}
	}
	if (asm_md_holding(list, nl, kname) < 0) {
		rc = mdops_bind(ctx->sysfs_root, t.kname, major(st.st_rdev), minor(st.st_rdev));
		if (rc) {
			mdctl_err_rc(rc, "%s: cannot attach to %s", path, t.devname);
			goto out_unlock;
		}
		mdctl_verb("%s: attached to %s", path, t.devname);
	}
	/* read the array again, now with this member */
	asm_md_list_free(list, nl);
	list = NULL;
	rc = asm_md_list(ctx->sysfs_root, ctx->dev_root, &list, &nl);
	mi = -1;
	for (size_t i = 0; !rc && i < nl; i++)
		if (!strcmp(list[i].kname, t.kname))
			mi = (int)i;
	if (mi < 0) {
		mdctl_err("%s: %s vanished", path, t.devname);
		goto out_unlock;
	}
	word = maybe_start(ctx, o, &t, &list[mi], &ret);
	if (strcmp(word, "yes"))
		mdctl_verb("%s: attached to %s, not started (%s)", path, t.devname, word);
	export_array(o, &t, word, foreign);
out_unlock:
	asm_md_list_free(list, nl);
	if (lock >= 0)
		close(lock);
out_free:
	free(dev);
	return ret;
}

/* The kernel name of a device that may already be gone (udev remove event). */
static void kname_of_path(const struct mdctl_ctx *ctx, const char *path, char *buf, size_t len)
{
	struct stat st;
	const char *base;

	if (!stat(path, &st) && S_ISBLK(st.st_mode) &&
	    !sysfs_kname_of_devnum(ctx->sysfs_root, major(st.st_rdev), minor(st.st_rdev), buf,
				   len))
		return;
	base = strrchr(path, '/');
	copy_str(buf, len, base ? base + 1 : path);
}

/*
 * --fail --path P: remember that bay P held a member of this array (its
 * UUID, md device and slot), for a blank disk arriving in that bay
 * (POLICY action=spare-same-slot).  A record that cannot be written is
 * worth a warning, not a failed removal.
 */
static void record_bay(const char *path, const char *bay, const struct asm_md *md, int slot)
{
	struct slot_record rec;
	int rc;

	if (!bay || !md->have_uuid)
		return;
	memset(&rec, 0, sizeof(rec));
	uuid_hex(md->uuid, rec.uuid);
	copy_str(rec.md, sizeof(rec.md), md->kname);
	rec.slot = slot;
	rc = slotrec_write(safe_run_dir(), bay, &rec);
	if (rc)
		mdctl_warn("%s: cannot record bay %s in %s: %s", path, bay, safe_run_dir(),
			   safe_strerror(rc));
	else
		mdctl_verb("%s: bay %s held slot %d of /dev/%s", path, bay, slot, md->kname);
}

/* The member's slot before it leaves, -1 when it had none or cannot be read. */
static int member_slot(const struct mdctl_ctx *ctx, const char *md, const char *kname)
{
	struct md_array a;
	const struct md_member *m;
	int slot = -1;

	if (md_array_read(ctx->sysfs_root, md, &a))
		return -1;
	m = md_array_find(&a, kname);
	if (m)
		slot = m->slot;
	md_array_free(&a);
	return slot;
}

static int incremental_fail(const struct mdctl_ctx *ctx, const struct incr_opts *o,
			    const char *path)
{
	struct asm_md *list = NULL;
	size_t nl = 0;
	char kname[32];
	int mi, rc, lock, slot;

	kname_of_path(ctx, path, kname, sizeof(kname));
	lock = lock_and_list(ctx, &list, &nl);
	if (lock < 0)
		return MDCTL_EXIT_FAIL;
	mi = asm_md_holding(list, nl, kname);
	if (mi < 0) {
		mdctl_err("%s: not a member of any array", path);
		goto fail;
	}
	slot = member_slot(ctx, list[mi].kname, kname);
	if (list[mi].running) {
		rc = mdops_fail(ctx->sysfs_root, list[mi].kname, kname);
		if (rc && rc != -EBUSY)
			mdctl_warn_rc(rc, "%s: cannot mark it faulty in /dev/%s", path, list[mi].kname);
	}
	rc = mdops_remove(ctx->sysfs_root, list[mi].kname, kname, 1000);
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot remove it from /dev/%s", path, list[mi].kname);
		goto fail;
	}
	mdctl_info("%s: %sremoved from /dev/%s", path, list[mi].running ? "failed and " : "",
		   list[mi].kname);
	record_bay(path, o->bay, &list[mi], slot);
	asm_md_list_free(list, nl);
	if (lock >= 0)
		close(lock);
	return MDCTL_EXIT_OK;
fail:
	asm_md_list_free(list, nl);
	if (lock >= 0)
		close(lock);
	return MDCTL_EXIT_FAIL;
}

/*
 * --rebuild-map: mdadm rewrites its map of arrays being assembled; mdctl
 * keeps none (every run reads sysfs), so there is nothing to rebuild.  The
 * arrays are listed, so that a sysfs that cannot be read is still reported.
 */
static int incremental_rebuild_map(const struct mdctl_ctx *ctx)
{
	struct asm_md *list = NULL;
	size_t nl = 0;
	int rc = asm_md_list(ctx->sysfs_root, ctx->dev_root, &list, &nl);

	if (rc) {
		mdctl_err_rc(rc, "cannot list md arrays");
		return MDCTL_EXIT_FAIL;
	}
	for (size_t i = 0; i < nl; i++)
		mdctl_verb("/dev/%s: %s, %u member%s", list[i].kname,
			   list[i].running ? "running" : "not started", list[i].ndevs,
			   list[i].ndevs == 1 ? "" : "s");
	asm_md_list_free(list, nl);
	return MDCTL_EXIT_OK;
}

/* --run --scan: start every inactive array that can run now. */
static int incremental_run_all(const struct mdctl_ctx *ctx, const struct incr_opts *o)
{
	struct asm_md *list = NULL;
	size_t nl = 0;
	int rc, ret = MDCTL_EXIT_OK, lock = take_lock();

	if (lock < 0)
		return MDCTL_EXIT_FAIL;
	rc = asm_md_list(ctx->sysfs_root, ctx->dev_root, &list, &nl);
	if (rc) {
		mdctl_err_rc(rc, "cannot list md arrays");
		ret = MDCTL_EXIT_FAIL;
	}
	for (size_t i = 0; !rc && i < nl; i++) {
		struct asm_target t;
		int ec;

		if (list[i].running || !list[i].ndevs)
			continue;
		target_of_existing(ctx, list[i].kname, &t);
		if (strcmp(maybe_start(ctx, o, &t, &list[i], &ec), "yes")) {
			mdctl_err("%s: cannot be started with the members present", t.devname);
			ret = MDCTL_EXIT_FAIL;
		}
	}
	asm_md_list_free(list, nl);
	if (lock >= 0)
		close(lock);
	return ret;
}

int cmd_incremental(struct mdctl_ctx *ctx, int argc, char **argv)
{
	struct incr_opts o;
	int c, rc;

	memset(&o, 0, sizeof(o));
	cli_begin();
	while ((c = cli_getopt(argc, argv, ":IRfrsc:vqh", incremental_longopts, 'I')) != -1) {
		switch (c) {
		case OPT_PATH:
			o.bay = optarg;
			break;
		case OPT_EXPORT:
			o.export_vars = true;
			break;
		case 'R':
			o.run = true;
			break;
		case 'f':
			o.fail = true;
			break;
		case 'r':
			o.remove = true;
			break;
		case OPT_REBUILD_MAP:
			o.rebuild_map = true;
			break;
		case 's':
			o.scan = true;
			break;
		case 'c':
			o.config = optarg;
			break;
		default:
			if ((rc = cli_common("--incremental", incremental_help, c, argv)) != CLI_NEXT)
				return rc;
			break;
		}
	}
	if (cli_state_dir(ctx, o.config))
		return MDCTL_EXIT_FAIL;
	/* mdadm reads -r as --rebuild-map; given a device, udev's remove path means --fail */
	if (o.remove && optind < argc)
		o.fail = true;
	else if (o.remove)
		o.rebuild_map = true;
	if (o.rebuild_map && !o.scan) {
		if (optind < argc || o.fail) {
			mdctl_err("--incremental --rebuild-map: takes no device");
			return MDCTL_EXIT_USAGE;
		}
		return incremental_rebuild_map(ctx);
	}
	if (o.scan) {
		if (!o.run || o.fail || optind < argc) {
			mdctl_err("--incremental --scan: only as --incremental --run --scan, "
				  "without devices");
			return MDCTL_EXIT_USAGE;
		}
		return incremental_run_all(ctx, &o);
	}
	if (optind + 1 != argc) {
		mdctl_err("--incremental: name exactly one device");
		return MDCTL_EXIT_USAGE;
	}
	if (o.bay && !*o.bay)
		o.bay = NULL; /* udev's rule with ID_PATH unset */
	if (o.fail)
		return incremental_fail(ctx, &o, argv[optind]);
	return incremental_add(ctx, &o, argv[optind]);
}
