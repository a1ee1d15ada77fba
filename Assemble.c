// SPDX-License-Identifier: GPL-2.0-or-later
/* Assemble.c: --assemble: start arrays from their members' superblocks through md sysfs, including --scan. */

/*
 * No md ioctl is needed here.  SET_ARRAY_INFO/ADD_NEW_DISK/RUN_ARRAY have
 * sysfs equivalents for native 1.x metadata: metadata_version, new_dev
 * (the kernel loads and checks each superblock itself, replacements
 * included) and array_state.  Geometry is never written, so that md_run
 * analyses the superblocks as it does for mdadm's ioctl path.
 */
#include "cli.h"
#include "assembly.h"
#include "blkdev.h"
#include "config.h"
#include "intent.h"
#include "jobpool.h"
#include "mdctl.h"
#include "mdops.h"
#include "output.h"
#include "super1.h"
#include "mdarray.h"
#include "sysfs.h"
#include "safefile.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <glob.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct assemble_opts {
	bool run;          /* --run: start degraded */
	bool readonly;     /* --readonly */
	bool scan;         /* --scan */
	bool no_degraded;  /* --no-degraded: never start degraded, even with --run */
	struct asm_opts sel;
	const char *config;
	const char *homehost; /* --homehost: this host for AUTO homehost (else HOMEHOST) */
};

/* One device as read once: its path, number and superblock. */
struct member_src {
	char path[PATH_MAX];
	char kname[32];
	unsigned major, minor;
	int load_rc;
	char load_why[96];
	bool busy;
	char busy_why[64];
	char holder[32];   /* md holding it, "" when none */
	struct sb1_dev dev;
	bool loaded;       /* read (a pool's listed device) */
};

static const char assemble_help[] =
"Usage: mdctl --assemble /dev/mdN DEV... [--run] [--force] [--readonly]\n"
"       mdctl --assemble /dev/mdN DEV... --uuid=UUID | --name=NAME\n"
"       mdctl --assemble --scan [--config FILE] [/dev/mdN...]\n"
"Start an array from its members' md 1.x superblocks, through md sysfs.\n"
"It starts without --run when every device it last ran with is present\n"
"(so an array already degraded when it stopped starts as it ran).\n"
"The freshest active member decides the roles; members one event behind\n"
"are accepted; replacements go back into their slot and their copy resumes\n"
"where it stopped.  Stale members, members the freshest superblock marks\n"
"faulty and devices of other arrays are left out and named.\n"
"\n"
"  -R, --run            start even if a device it last ran with is missing (when\n"
"                       enough members are present)\n"
"      --no-degraded    never start a degraded array (assemble, do not start)\n"
"  -f, --force          raise the event count of the newest stale members (and\n"
"                       clear their faulty role) until the array can start, and\n"
"                       start it even if degraded; when a later step fails the\n"
"                       superblocks it changed are written back as they were\n"
"  -o, --readonly       start read-only\n"
"  -u, --uuid=UUID      only devices of this array (from a longer device list)\n"
"  -N, --name=NAME      only devices of the array with this name\n"
"  -s, --scan           assemble the config file's ARRAY lines, or every array found,\n"
"                       several at once (MDCTL_ASSEMBLE_JOBS=N, default twice the\n"
"                       CPUs, 2 to 8; 1: one after the other); messages come out\n"
"                       in the same order either way\n"
"  -c, --config=FILE    config file or directory for --scan (default /etc/mdctl.conf,\n"
"                       then mdadm's mdadm.conf and mdadm.conf.d)\n"
"      --homehost=HOST  this host, for AUTO homehost (default: HOMEHOST, else the\n"
"                       host name; <none> for no host)\n"
"  -v, --verbose        say more;  -q, --quiet  say less\n"
"Exit: 0 started, 1 failure, 2 assembled but not started.\n";

enum { OPT_NO_DEGRADED = 1000, OPT_HOMEHOST };

static const struct option assemble_longopts[] = {
	{ "assemble", no_argument, NULL, 'A' },
	{ "run", no_argument, NULL, 'R' },
	{ "force", no_argument, NULL, 'f' },
	{ "readonly", no_argument, NULL, 'o' },
	{ "scan", no_argument, NULL, 's' },
	{ "uuid", required_argument, NULL, 'u' },
	{ "name", required_argument, NULL, 'N' },
	{ "config", required_argument, NULL, 'c' },
	{ "no-degraded", no_argument, NULL, OPT_NO_DEGRADED },
	{ "homehost", required_argument, NULL, OPT_HOMEHOST },
	CLI_REFUSE_OPT("update", required_argument),
	CLI_REFUSE_OPT("backup-file", required_argument),
	CLI_REFUSE_OPT("invalid-backup", no_argument),
	CLI_REFUSE_OPT("freeze-reshape", no_argument),
	CLI_REFUSE_OPT("super-minor", required_argument),
	CLI_REFUSE_OPT("bitmap", required_argument),
	CLI_COMMON_OPTS,
};

/* ---- reading devices ---- */

/* The md array holding kname (sysfs holders/), "" if none. */
static void holder_of(const char *sysfs_root, const char *kname, char *buf, size_t len)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *e;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/class/block/%s/holders", sysfs_root, kname);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			copy_str(buf, len, e->d_name);
			break;
		}
	closedir(d);
}

/*
 * Read a device's superblock once.  The O_EXCL open doubles as the in-use
 * check (a member of a running array or a mounted filesystem refuses it);
 * a busy device is read anyway so that it can be named properly.
 */
static void load_member(const char *sysfs_root, const char *path, struct member_src *m)
{
	struct stat st;
	int fd;

	memset(m, 0, sizeof(*m));
	snprintf(m->path, sizeof(m->path), "%s", path);
	fd = blkdev_open(path, O_RDONLY | O_EXCL);
	if (fd == -EBUSY) {
		m->busy = true;
		fd = blkdev_open(path, O_RDONLY);
	}
	if (fd < 0) {
		m->load_rc = fd;
		snprintf(m->load_why, sizeof(m->load_why), "cannot open: %s", strerror(-fd));
		return;
	}
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode)) {
		close(fd);
		m->load_rc = -ENOTBLK;
		snprintf(m->load_why, sizeof(m->load_why), "not a block device");
		return;
	}
	m->major = major(st.st_rdev);
	m->minor = minor(st.st_rdev);
	m->load_rc = sb1_load(fd, -1, &m->dev);
	close(fd);
	if (sysfs_kname_of_devnum(sysfs_root, m->major, m->minor, m->kname, sizeof(m->kname)))
		snprintf(m->kname, sizeof(m->kname), "%u:%u", m->major, m->minor);
	holder_of(sysfs_root, m->kname, m->holder, sizeof(m->holder));
	if (m->holder[0])
		m->busy = true;
	if (m->busy)
		snprintf(m->busy_why, sizeof(m->busy_why), "is in use%s%s",
			 m->holder[0] ? " by /dev/" : " (mounted or held open)", m->holder);
}

static void to_cand(struct member_src *m, struct asm_cand *c)
{
	memset(c, 0, sizeof(*c));
	c->path = m->path;
	c->load_rc = m->load_rc;
	snprintf(c->load_why, sizeof(c->load_why), "%s", m->load_why);
	c->dev = m->load_rc ? NULL : &m->dev;
	c->major = m->major;
	c->minor = m->minor;
	c->busy = m->busy;
	snprintf(c->busy_why, sizeof(c->busy_why), "%s", m->busy_why);
}

/* ---- starting ---- */

static void report_excluded(const struct asm_target *t, struct asm_cand *c, size_t n, bool *said,
			    bool quiet_other)
{
	for (size_t i = 0; i < n; i++) {
		if (c[i].verdict == ASM_IN || said[i])
			continue;
		if (quiet_other && c[i].verdict == ASM_OTHER_ARRAY)
			continue;
		said[i] = true;
		mdctl_warn("%s: left out of %s: %s", c[i].path, t->devname, c[i].why);
	}
}

/*
 * One --force change to a member's superblock: what it replaces is saved in
 * sv first (the bytes from before the first change, when there are two),
 * and the superblock on disk must still be the one read (sb1_write()).
 */
static int force_write(struct asm_cand *c, struct mdops_sb_save *sv)
{
	int fd = blkdev_open(c->path, O_RDWR | O_EXCL), rc;

	if (fd < 0)
		return fd;
	rc = mdops_sb_rewrite(fd, c->dev, sv);
	if (!rc)
		rc = sb1_load(fd, c->dev->minor, c->dev);
	close(fd);
	return rc;
}

/* "slot 2", "spare", "faulty": a role as --force reports its change. */
static void role_text(uint16_t role, char *buf, size_t len)
{
	if (role == SB1_ROLE_FAULTY)
		snprintf(buf, len, "faulty");
	else if (role == SB1_ROLE_SPARE)
		snprintf(buf, len, "spare");
	else
		snprintf(buf, len, "slot %u", role);
}

/*
 * --force: write what the plan needs, say each change, and re-read the
 * superblocks.  saves[i] keeps what candidate i had before, for
 * undo_force() when a later step fails.
 */
static int apply_force(struct asm_cand *c, size_t n, const struct asm_plan *p,
		       struct mdops_sb_save *saves)
{
	struct asm_cand *fc = &c[p->fresh];
	struct sb1_info *f = &fc->dev->info;
	bool fresh_dirty = false;
	char rb[24];
	int rc;

	for (size_t i = 0; i < n; i++) {
		struct sb1_info *m;

		if (c[i].verdict != ASM_IN || (!c[i].forced && !c[i].force_role))
			continue;
		m = &c[i].dev->info;
		if (c[i].forced) {
			uint64_t old = m->events;

			m->events = f->events;
			rc = force_write(&c[i], &saves[i]);
			if (rc) {
				mdctl_err("%s: cannot raise the event count: %s", c[i].path,
					  rc == -ESTALE ? "the superblock changed since it was read" :
					  strerror(-rc));
				return rc;
			}
			mdctl_info("%s: forced event count from %llu up to %llu (--force)", c[i].path,
				   (unsigned long long)old, (unsigned long long)f->events);
		}
		if (c[i].force_role) {
			role_text(f->dev_roles[m->dev_number], rb, sizeof(rb));
			f->dev_roles[m->dev_number] = (uint16_t)c[i].slot;
			fresh_dirty = true;
			mdctl_info("%s: role of device %u (%s) changed from %s to slot %d (--force)",
				   fc->path, m->dev_number, c[i].path, rb, c[i].slot);
		}
	}
	if (p->mark_clean) {
		f->resync_offset = SB1_MAX_SECTOR;
		fresh_dirty = true;
		mdctl_info("%s: array marked clean so that the degraded raid%d can start; "
			   "parity of stripes written at the crash may be wrong (--force): "
			   "once it is whole again, 'mdctl --action=repair' rewrites it",
			   fc->path, p->level);
	}
	if (fresh_dirty) {
		rc = force_write(fc, &saves[p->fresh]);
		if (rc) {
			mdctl_err("%s: cannot update the superblock: %s", fc->path,
				  rc == -ESTALE ? "it changed since it was read" : strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/*
 * The assembly failed after --force wrote: put every changed superblock
 * back as it was and say so (the array is stopped by then, its members
 * released).  Nothing to say when --force wrote nothing.
 */
static void undo_force(const struct asm_target *t, const struct asm_cand *c, size_t n,
		       struct mdops_sb_save *saves, bool stopped)
{
	char done[512] = "", left[512] = "";
	size_t nd = 0, nl = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (!saves[i].written)
			continue;
		rc = mdops_sb_restore_path(c[i].path, &saves[i]);
		/* 1: the write never reached it, nothing to put back or to name */
		if (!rc && nd < sizeof(done))
			nd += (size_t)snprintf(done + nd, sizeof(done) - nd, "%s%s", nd ? ", " : "",
					       c[i].path);
		else if (rc < 0 && nl < sizeof(left))
			nl += (size_t)snprintf(left + nl, sizeof(left) - nl, "%s%s (%s)",
					       nl ? ", " : "", c[i].path, strerror(-rc));
	}
	if (nd)
		mdctl_err("%s: undone: %sthe superblocks --force changed are back as they were on %s",
			  t->devname, stopped ? "the array stopped, " : "", done);
	if (nl)
		mdctl_err("%s: could not put back what --force wrote on %s", t->devname, left);
}

/* Attach the planned members: metadata_version, then new_dev each, the freshest last. */
static int attach_members(const char *sysfs_root, const struct asm_target *t, struct asm_cand *c,
			  size_t n, const struct asm_plan *p, int *failed)
{
	int rc;

	*failed = -1;
	rc = mdops_set_metadata(sysfs_root, t->kname, p->minor);
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot set metadata_version %s", t->devname,
			  sb1_version_string(p->minor));
		return rc;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			if (c[i].verdict != ASM_IN || (pass == 0) == ((int)i == p->fresh))
				continue;
			rc = mdops_bind(sysfs_root, t->kname, c[i].major, c[i].minor);
			if (rc) {
				*failed = (int)i;
				return rc;
			}
			mdctl_verb("%s: added %s (%u:%u)", t->devname, c[i].path, c[i].major,
				   c[i].minor);
		}
	}
	return 0;
}

static void describe_member(const struct asm_cand *c, const struct asm_plan *p, char *buf,
			    size_t len)
{
	if (c->slot == -1)
		snprintf(buf, len, "spare");
	else if (c->slot == -2)
		snprintf(buf, len, "journal");
	else if (c->replacement)
		snprintf(buf, len, "slot %d, replacement, %u%% copied", c->slot,
			 c->recovering ? asm_percent(c->recovery_offset, p->component_sectors) : 100);
	else if (c->recovering)
		snprintf(buf, len, "slot %d, rebuilding, %u%% done", c->slot,
			 asm_percent(c->recovery_offset, p->component_sectors));
	else
		snprintf(buf, len, "slot %d", c->slot);
}

/* After the start: is every planned member there as planned?  Say what is not. */
void assemble_verify(const char *sysfs_root, const struct asm_target *t,
			   const struct asm_cand *c, size_t n)
{
	struct md_array a;
	int rc = md_array_states(sysfs_root, t->kname, &a);

	if (rc) {
		mdctl_warn_rc(rc, "%s: cannot read the array back", t->devname);
		return;
	}
	if (!md_array_running(&a))
		mdctl_warn("%s: array_state is %s after start", t->devname, a.array_state);
	for (size_t i = 0; i < n; i++) {
		struct md_member *m;

		if (c[i].verdict != ASM_IN)
			continue;
		m = md_array_find_devnum(&a, c[i].major, c[i].minor);
		if (!m) {
			mdctl_warn("%s: %s is not in the array after the start (see the kernel log)",
				   t->devname, c[i].path);
			continue;
		}
		if (md_member_failed(m))
			mdctl_warn("%s: %s is faulty after the start", t->devname, c[i].path);
		if (c[i].replacement && !(m->flags & MDM_REPLACEMENT) && !(m->flags & MDM_IN_SYNC))
			mdctl_warn("%s: %s was a replacement but the kernel does not show it as one",
				   t->devname, c[i].path);
	}
	if (a.sync_action[0] && strcmp(a.sync_action, "idle"))
		mdctl_verb("%s: sync_action %s", t->devname, a.sync_action);
	md_array_free(&a);
}

/*
 * Re-apply the replacements recorded by --replace for this array: the
 * kernel forgets want_replacement when an array stops, the intent file
 * does not.  OLD is found by its device UUID among the members.
 */
void assemble_reapply_intents(const struct mdctl_ctx *ctx, const struct asm_target *t,
			    const struct asm_cand *c, size_t n, const struct asm_plan *p)
{
	struct replace_intent *list = NULL;
	size_t nl = 0;
	struct md_array a;
	int rc;

	rc = intent_load(ctx->state_dir, &list, &nl);
	if (rc) {
		if (rc != -ENOENT)
			mdctl_warn("%s: cannot read pending replacements in %s: %s", t->devname,
				   ctx->state_dir, safe_strerror(rc));
		return;
	}
	if (!nl || md_array_read(ctx->sysfs_root, t->kname, &a)) {
		free(list);
		return;
	}
	for (size_t k = 0; k < nl; k++) {
		const struct asm_cand *old = NULL;
		struct md_member *m;
		char dev_uuid[37];

		if (memcmp(list[k].array_uuid, p->uuid, 16))
			continue;
		for (size_t i = 0; i < n; i++)
			if (c[i].verdict == ASM_IN &&
			    !memcmp(c[i].dev->info.device_uuid, list[k].old_dev_uuid, 16))
				old = &c[i];
		fmt_uuid_dashed(list[k].old_dev_uuid, dev_uuid);
		if (!old) {
			mdctl_info("%s: pending replacement of %s (device %s) not re-applied: "
				   "it is not a member now", t->devname,
				   list[k].old_kname[0] ? list[k].old_kname : "?", dev_uuid);
			continue;
		}
		m = md_array_find_devnum(&a, old->major, old->minor);
		if (!m || m->slot < 0 || md_member_failed(m) || (m->flags & MDM_REPLACEMENT)) {
			mdctl_info("%s: pending replacement of %s not re-applied: it is no "
				   "longer an active member", t->devname, old->path);
			continue;
		}
		if (m->flags & MDM_WANT_REPLACEMENT) {
			mdctl_verb("%s: %s is already marked for replacement", t->devname, old->path);
			continue;
		}
		rc = sysfs_dev_write(ctx->sysfs_root, t->kname, m->kname, "state",
				     "want_replacement");
		if (rc)
			mdctl_err_rc(rc, "%s: %s: cannot re-apply the pending replacement",
				  t->devname, old->path);
		else
			mdctl_info("%s: re-applied the pending replacement of %s (slot %d)%s%s",
				   t->devname, old->path, m->slot,
				   list[k].new_path[0] ? ", recorded new disk " : "",
				   list[k].new_path);
	}
	md_array_free(&a);
	free(list);
}

void assemble_summary(const struct asm_target *t, const struct asm_cand *c, size_t n,
		    const struct asm_plan *p, bool started, bool readonly)
{
	unsigned drives = 0;
	char extra[512] = "", part[96];
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		char desc[64];

		if (c[i].verdict != ASM_IN)
			continue;
		if (c[i].slot >= 0 && !c[i].replacement)
			drives++;
		describe_member(&c[i], p, desc, sizeof(desc));
		mdctl_info("%s: %s is %s", t->devname, c[i].path, desc);
	}
	if (p->replacements) {
		bool first = true;

		used += (size_t)snprintf(extra + used, sizeof(extra) - used, " and %u replacement%s (",
					 p->replacements, p->replacements > 1 ? "s" : "");
		for (size_t i = 0; i < n && used < sizeof(extra); i++) {
			if (c[i].verdict != ASM_IN || !c[i].replacement)
				continue;
			snprintf(part, sizeof(part), "%sslot %d, %u%% copied", first ? "" : "; ",
				 c[i].slot, c[i].recovering ?
				 asm_percent(c[i].recovery_offset, p->component_sectors) : 100);
			used += (size_t)snprintf(extra + used, sizeof(extra) - used, "%s", part);
			first = false;
		}
		if (used < sizeof(extra))
			used += (size_t)snprintf(extra + used, sizeof(extra) - used, ")");
	}
	if (p->spares && used < sizeof(extra))
		snprintf(extra + used, sizeof(extra) - used, " and %u spare%s", p->spares,
			 p->spares > 1 ? "s" : "");
	if (started)
		mdctl_info("%s has been started%s with %u drive%s%s%s", t->devname,
			   readonly ? " read-only" : "", drives, drives == 1 ? "" : "s",
			   drives < p->raid_disks ? " (degraded)" : "", extra);
	else
		mdctl_err("%s: assembled from %u drive%s (out of %u)%s, not started: degraded, "
			  "and %u of the %u devices it last ran with are missing; use --run to "
			  "start it", t->devname, drives, drives == 1 ? "" : "s", p->raid_disks,
			  extra, p->working > p->slot_devs ? p->working - p->slot_devs : 0,
			  p->working);
}

static bool any_stale(const struct asm_cand *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].verdict == ASM_STALE || c[i].verdict == ASM_FAULTY)
			return true;
	return false;
}

/*
 * assemble_array() - plan, check, (force), attach and start one array from
 * the candidates.  explicit: the user named the devices (another array's
 * device is then an error rather than something to skip).
 */
/* Plan from what the candidates say, and refuse what cannot be assembled (reported). */
static bool plan_assembly(const struct assemble_opts *o, const struct asm_target *t,
			  struct asm_cand *c, size_t n, bool explicit, bool *said, struct asm_plan *p)
{
	int rc;

	rc = asm_plan(c, n, &o->sel, p);
	if (rc == -ENOENT) {
		size_t busy = 0;

		report_excluded(t, c, n, said, !explicit);
		for (size_t i = 0; i < n; i++)
			busy += c[i].verdict == ASM_BUSY;
		if (busy)
			mdctl_err("%s: every member found is in use: is the array already "
				  "running?", t->devname);
		else
			mdctl_err("%s: no device with a superblock of the array asked for",
				  t->devname);
		return false;
	}
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot plan the assembly", t->devname);
		return false;
	}
	if (explicit && p->other_uuid && !o->sel.have_uuid && !o->sel.name) {
		char u[37];

		report_excluded(t, c, n, said, false);
		fmt_uuid_dashed(p->uuid, u);
		mdctl_err("%s: the devices belong to different arrays (first is %s): "
			  "name the array with --uuid or --name, or list only its devices",
			  t->devname, u);
		return false;
	}
	report_excluded(t, c, n, said, true);
	if (p->split >= 0 && !o->sel.force) {
		mdctl_err("%s: refusing to assemble: %s and %s have been used apart (split "
			  "array); assemble the half you want alone, or use --force to take "
			  "%s's side", t->devname, c[p->fresh].path, c[p->split].path,
			  c[p->fresh].path);
		return false;
	}
	if (!p->usable) {
		mdctl_err("%s: not enough members to start the raid%d: %u of %u slots "
			  "in sync%s", t->devname, p->level, p->in_sync_slots, p->raid_disks,
			  any_stale(c, n) && !o->sel.force ?
			  " (--force may start it from stale members)" : "");
		return false;
	}
	return true;
}

static int assemble_array(const struct mdctl_ctx *ctx, const struct assemble_opts *o,
			  const struct asm_target *t, struct asm_cand *c, size_t n, bool explicit)
{
	struct asm_plan p;
	bool *said = calloc(n ? n : 1, sizeof(*said));
	/* what --force overwrote, put back when a later step fails */
	struct mdops_sb_save *saves = calloc(n ? n : 1, sizeof(*saves));
	bool stopped = false;
	int rc, ret = MDCTL_EXIT_FAIL;

	if (!said || !saves) {
		free(said);
		free(saves);
		return MDCTL_EXIT_FAIL;
	}
	for (size_t attempt = 0; attempt <= n + 1; attempt++) {
		bool start;
		int failed;

		if (!plan_assembly(o, t, c, n, explicit, said, &p))
			goto out;
		start = p.complete ||
			((p.startable || o->run || o->sel.force) && !o->no_degraded);
		if (start && !o->sel.force && asm_dirty_degraded(c, &p)) {
			mdctl_err("%s: the raid%d is degraded and was not shut down cleanly; the "
				  "kernel will not start it: use --force to mark it clean",
				  t->devname, p.level);
			goto out;
		}
		if (p.forced || p.mark_clean) {
			if (apply_force(c, n, &p, saves))
				goto out;
			continue; /* plan again from what is now on disk */
		}

		rc = mdops_stop_inactive(ctx->sysfs_root, t->kname);
		if (rc == -EBUSY) {
			mdctl_err("%s: already active", t->devname);
			goto out;
		}
		rc = rc ? rc : mdops_md_create(ctx->sysfs_root, ctx->dev_root, t->kname, NULL);
		if (rc) {
			mdctl_err_rc(rc, "%s: cannot create the md device", t->devname);
			goto out;
		}
		rc = attach_members(ctx->sysfs_root, t, c, n, &p, &failed);
		if (rc) {
			stopped = !mdops_stop(ctx->sysfs_root, t->kname);
			if (failed < 0)
				goto out;
			/* it went away or was taken meanwhile: leave it out and plan again */
			c[failed].vanished = true;
			snprintf(c[failed].busy_why, sizeof(c[failed].busy_why),
				 "the kernel refused it: %s", strerror(-rc));
			for (size_t i = 0; i < n; i++)
				if (c[i].vanished)
					said[i] = false;
			continue;
		}
		if (t->link[0]) {
			rc = mdops_link(ctx->dev_root, t->link, t->kname);
			if (rc)
				mdctl_warn_rc(rc, "%s: cannot create %s/md/%s", t->devname,
					   ctx->dev_root, t->link);
		}
		if (!start) {
			assemble_summary(t, c, n, &p, false, false);
			ret = MDCTL_EXIT_NOT_STARTED;
			goto out;
		}
		rc = mdops_start(ctx->sysfs_root, t->kname, o->readonly);
		if (rc) {
			mdctl_err("%s: the kernel refused to start the array: %s (see the kernel "
				  "log)", t->devname, strerror(-rc));
			stopped = !mdops_stop(ctx->sysfs_root, t->kname);
			goto out;
		}
		assemble_summary(t, c, n, &p, true, o->readonly);
		assemble_verify(ctx->sysfs_root, t, c, n);
		if (!o->readonly)
			assemble_reapply_intents(ctx, t, c, n, &p);
		ret = MDCTL_EXIT_OK;
		goto out;
	}
	mdctl_err("%s: gave up after repeated failures to add members", t->devname);
out:
	if (ret == MDCTL_EXIT_FAIL)
		undo_force(t, c, n, saves, stopped);
	free(said);
	free(saves);
	return ret;
}

/* ---- explicit device list ---- */

static int assemble_explicit(const struct mdctl_ctx *ctx, const struct assemble_opts *o,
			     const char *mdarg, char **devs, int ndevs)
{
	struct member_src *ms;
	struct asm_cand *c;
	struct asm_target t;
	bool taken[256] = { false };
	int rc, ret;

	memset(&t, 0, sizeof(t));
	rc = mdops_array_name(ctx->sysfs_root, ctx->dev_root, mdarg, "", taken, t.kname, t.link);
	if (rc) {
		mdctl_err("%s: not an md device name", mdarg);
		return MDCTL_EXIT_USAGE;
	}
	snprintf(t.devname, sizeof(t.devname), "%s", mdarg);
	/* an array left assembled but not started by an earlier run is stopped first */
	rc = mdops_stop_inactive(ctx->sysfs_root, t.kname);
	if (rc == -EBUSY) {
		mdctl_err("%s: already active", t.devname);
		return MDCTL_EXIT_FAIL;
	}
	ms = calloc((size_t)ndevs, sizeof(*ms));
	c = calloc((size_t)ndevs, sizeof(*c));
	if (!ms || !c) {
		free(ms);
		free(c);
		mdctl_err("%s: out of memory", t.devname);
		return MDCTL_EXIT_FAIL;
	}
	for (int i = 0; i < ndevs; i++) {
		load_member(ctx->sysfs_root, devs[i], &ms[i]);
		/*
		 * Held by an array that was attached but never started (an
		 * --incremental that is still waiting): release it.  An
		 * inactive array does no I/O; a running one is never touched.
		 */
		if (ms[i].holder[0] && !strncmp(ms[i].holder, "md", 2) &&
		    strcmp(ms[i].holder, t.kname) &&
		    mdops_stop_inactive(ctx->sysfs_root, ms[i].holder) == 0) {
			mdctl_verb("%s: released from inactive /dev/%s", devs[i], ms[i].holder);
			load_member(ctx->sysfs_root, devs[i], &ms[i]);
		}
		to_cand(&ms[i], &c[i]);
	}
	ret = assemble_array(ctx, o, &t, c, (size_t)ndevs, true);
	free(ms);
	free(c);
	return ret;
}

/* ---- --scan ---- */

struct pool {
	struct member_src *m;      /* the candidates, read */
	size_t n, cap;
	struct member_src *listed; /* every device listed, in order, until pool_read() */
	size_t nlisted, caplisted;
};

/* Listed already (the same name twice in DEVICE lines)? */
static bool pool_has(const struct pool *p, const char *path)
{
	for (size_t i = 0; i < p->nlisted; i++)
		if (!strcmp(p->listed[i].path, path))
			return true;
	return false;
}

/* A block device to read: pool_read() reads them all at once. */
static int pool_add(const struct mdctl_ctx *ctx, struct pool *p, const char *path)
{
	struct member_src *nm;
	struct stat st;

	(void)ctx;
	if (pool_has(p, path))
		return 0;
	if (stat(path, &st) || !S_ISBLK(st.st_mode))
		return 0;
	nm = array_room(p->listed, p->nlisted, &p->caplisted, sizeof(*p->listed));
	if (!nm)
		return -ENOMEM;
	p->listed = nm;
	nm = &p->listed[p->nlisted++];
	memset(nm, 0, sizeof(*nm));
	copy_str(nm->path, sizeof(nm->path), path);
	nm->major = major(st.st_rdev);
	nm->minor = minor(st.st_rdev);
	return 0;
}

/* An earlier listed name of the same device: read only the first (pool_keep() decides). */
static bool listed_alias(const struct pool *p, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (p->listed[k].major == p->listed[i].major &&
		    p->listed[k].minor == p->listed[i].minor)
			return true;
	return false;
}

/* Read listed device i into its entry (load_member() with the path it was listed by). */
static void pool_load(const struct mdctl_ctx *ctx, struct pool *p, size_t i)
{
	char path[PATH_MAX];

	copy_str(path, sizeof(path), p->listed[i].path);
	load_member(ctx->sysfs_root, path, &p->listed[i]);
	p->listed[i].loaded = true;
}

struct pool_reader {
	const struct mdctl_ctx *ctx;
	struct pool *p;
	size_t next;               /* the next listed device to take */
};

static void *pool_reader_run(void *arg)
{
	struct pool_reader *r = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED)) < r->p->nlisted)
		if (!listed_alias(r->p, i))
			pool_load(r->ctx, r->p, i);
	return NULL;
}

/*
 * Keep listed device i as a candidate, as a serial read would have: not
 * when a device already kept is the same one read well; devices without
 * a 1.x superblock, and those under another layer, are no candidates.
 */
static int pool_keep(const struct mdctl_ctx *ctx, struct pool *p, size_t i)
{
	struct member_src *m = &p->listed[i], *nm;

	for (size_t k = 0; k < p->n; k++)
		if (p->m[k].major == m->major && p->m[k].minor == m->minor && !p->m[k].load_rc)
			return 0;
	if (!m->loaded)
		pool_load(ctx, p, i);
	if (m->load_rc == -ENOENT && !m->load_why[0])
		return 0;
	/*
	 * A device under another layer (a loop device beneath dm-linear) shows
	 * the superblock of what is stacked on it; only the top of the stack
	 * is a member.
	 */
	if (m->holder[0] && strncmp(m->holder, "md", 2)) {
		mdctl_verb("%s: skipped: held by %s", m->path, m->holder);
		return 0;
	}
	nm = array_room(p->m, p->n, &p->cap, sizeof(*p->m));
	if (!nm)
		return -ENOMEM;
	p->m = nm;
	memcpy(&p->m[p->n++], m, sizeof(*m));
	return 0;
}

/*
 * Read every listed device once, POOL_READERS at a time: most of a read is
 * waiting on the device (a loop device's worker), which overlaps.  The
 * candidates come out in the order listed.
 */
#define POOL_READERS 4

static int pool_read(const struct mdctl_ctx *ctx, struct pool *p)
{
	struct pool_reader r = { .ctx = ctx, .p = p };
	pthread_t th[POOL_READERS - 1];
	size_t nth = 0;
	int rc = 0;

	while (p->nlisted >= 2 * POOL_READERS && nth < POOL_READERS - 1 &&
	       !pthread_create(&th[nth], NULL, pool_reader_run, &r))
		nth++;
	pool_reader_run(&r);
	while (nth)
		pthread_join(th[--nth], NULL);
	for (size_t i = 0; i < p->nlisted && !rc; i++)
		rc = pool_keep(ctx, p, i);
	free(p->listed);
	p->listed = NULL;
	p->nlisted = p->caplisted = 0;
	return rc;
}

/*
 * Without DEVICE lines: every block device in sysfs, each read once with
 * the 1.x superblock probe alone (faster than a full libblkid probe, and
 * it is all mdctl assembles).  md arrays themselves are not candidates.
 */
static int pool_from_sysfs(const struct mdctl_ctx *ctx, struct pool *p)
{
	char dir[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/class/block", ctx->sysfs_root);
	d = opendir(dir);
	if (!d)
		return -errno;
	while (!rc && (e = readdir(d))) {
		char rel[PATH_MAX], path[PATH_MAX];
		uint64_t size;

		if (e->d_name[0] == '.' || !strncmp(e->d_name, "md", 2) ||
		    !strncmp(e->d_name, "ram", 3))
			continue;
		snprintf(rel, sizeof(rel), "class/block/%s/size", e->d_name);
		if (sysfs_read_u64(ctx->sysfs_root, rel, &size) || size < 24)
			continue; /* empty loop devices, drives without media */
		if (blkdev_path_of_kname(ctx->dev_root, ctx->sysfs_root, e->d_name, path,
					 sizeof(path)))
			continue;
		rc = pool_add(ctx, p, path);
	}
	closedir(d);
	return rc;
}

/* DEVICE words: globs, "partitions" (every /proc/partitions entry), "containers" (ignored). */
static int pool_from_config(const struct mdctl_ctx *ctx, const struct mdctl_config *cfg,
			    struct pool *p)
{
	for (size_t g = 0; g < cfg->ndevice_globs; g++) {
		const char *w = cfg->device_globs[g];
		glob_t gl;

		if (!strcasecmp(w, "containers"))
			continue;
		if (!strcasecmp(w, "partitions")) {
			char path[PATH_MAX], line[256], name[128];
			FILE *f;

			snprintf(path, sizeof(path), "%s/partitions", ctx->proc_root);
			f = fopen(path, "re");
			if (!f)
				continue;
			while (fgets(line, sizeof(line), f)) {
				unsigned long long blocks;
				unsigned ma, mi;

				if (sscanf(line, " %u %u %llu %127s", &ma, &mi, &blocks, name) != 4)
					continue;
				snprintf(path, sizeof(path), "%s/%s", ctx->dev_root, name);
				if (pool_add(ctx, p, path)) {
					fclose(f);
					return -ENOMEM;
				}
			}
			fclose(f);
			continue;
		}
		if (glob(w, 0, NULL, &gl) == 0) {
			for (size_t i = 0; i < gl.gl_pathc; i++)
				if (pool_add(ctx, p, gl.gl_pathv[i])) {
					globfree(&gl);
					return -ENOMEM;
				}
			globfree(&gl);
		}
	}
	return 0;
}

static int pool_from_probe(const struct mdctl_ctx *ctx, struct pool *p)
{
	char **paths = NULL;
	size_t n = 0;
	int rc = blkdev_find_raid_members(&paths, &n);

	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc; i++)
		rc = pool_add(ctx, p, paths[i]);
	blkdev_free_list(paths, n);
	return rc;
}

static bool devices_match(const struct cfg_array *a, const char *path)
{
	if (!a->ndevices)
		return true;
	for (size_t i = 0; i < a->ndevices; i++)
		if (!fnmatch(a->devices[i], path, 0))
			return true;
	return false;
}

struct scan_result {
	unsigned started, not_started, failed, running;
};

/*
 * One array of a --scan: planned in the scanning process (its members,
 * its md number and name), then assembled by a worker of the pool.
 */
struct scan_job {
	const struct mdctl_ctx *ctx;
	struct assemble_opts o;
	struct asm_target t;
	struct asm_cand *c;
	size_t n;
	size_t *members;           /* pool indices of c[] */
	struct scan_job *next;     /* on scan.live while a worker may run it */
};

/* What a --scan shares between its arrays. */
struct scan {
	const struct mdctl_ctx *ctx;
	const struct assemble_opts *o;
	struct pool pool;
	bool taken[256];           /* md numbers running or chosen in this run */
	struct jobpool jobs;
	struct scan_job *live;
	struct scan_result r;
};

/* Slot results that are no exit code: an array already running, and nothing to count. */
enum { SCAN_RUNNING = -1, SCAN_NONE = -2 };

/*
 * Arrays assembled at once by default: twice the CPUs online, 2 to 8.  Most
 * of a start is waiting on the kernel, which overlaps; more workers than
 * that only make the kernel's own work contend (measured on 2 vCPUs: 4
 * workers beat 8 and 16).  MDCTL_ASSEMBLE_JOBS overrides; 1: one at a time.
 */
#define SCAN_WORKERS_MAX 8

static void tally(struct scan_result *r, int ret)
{
	if (ret == MDCTL_EXIT_OK)
		r->started++;
	else if (ret == MDCTL_EXIT_NOT_STARTED)
		r->not_started++;
	else
		r->failed++;
}

/* A slot is printed: count its result (jobpool's on_done), in the order the arrays were planned. */
static void scan_done(void *arg, void *data, int result)
{
	struct scan *sc = arg;
	struct scan_job *j = data, **pp;

	if (result >= JOBPOOL_KILLED) {
		mdctl_err("%s: the assembly stopped unexpectedly (signal %d)",
			  j ? j->t.devname : "array", result - JOBPOOL_KILLED);
		result = MDCTL_EXIT_FAIL;
	}
	if (result == SCAN_RUNNING)
		sc->r.running++;
	else if (result != SCAN_NONE)
		tally(&sc->r, result);
	if (!j)
		return;
	for (pp = &sc->live; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	free(j->c);
	free(j->members);
	free(j);
}

static unsigned scan_workers(void)
{
	const char *e = getenv("MDCTL_ASSEMBLE_JOBS");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned def = cpus >= SCAN_WORKERS_MAX / 2 ? SCAN_WORKERS_MAX : cpus > 1 ? 2 * (unsigned)cpus : 2;
	char *end;
	unsigned long v;

	if (!e || !*e)
		return def;
	v = strtoul(e, &end, 10);
	if (*end || v < 1 || v > 64) {
		mdctl_warn("MDCTL_ASSEMBLE_JOBS=%s is not a number from 1 to 64: using %u", e, def);
		return def;
	}
	return (unsigned)v;
}

/* The next slot of the scan, with a job for it (the slot's on_done frees it). */
static struct scan_job *scan_open(struct scan *sc)
{
	struct scan_job *j = calloc(1, sizeof(*j));

	if (j && !jobpool_open(&sc->jobs, j)) {
		j->ctx = sc->ctx;
		return j;
	}
	free(j);
	mdctl_err("--scan: out of memory");
	sc->r.failed++;
	return NULL;
}

static int scan_run(void *arg)
{
	struct scan_job *j = arg;

	return assemble_array(j->ctx, &j->o, &j->t, j->c, j->n, false);
}

/*
 * Must j wait for the arrays being assembled?  When it shares a device
 * with one, would get the same md device or /dev/md/ name (or follow a
 * link one of them makes), or has an md device among its members: then
 * the result of the others decides what it finds, as when one array was
 * assembled after the other.
 */
static bool scan_conflicts(const struct scan *sc, const struct scan_job *j, const char *devname,
			   const char *name)
{
	bool taken[256];
	char kname[32] = "", link[64] = "";

	if (!sc->live)
		return false;
	for (size_t i = 0; i < j->n; i++)
		if (!strncmp(sc->pool.m[j->members[i]].kname, "md", 2))
			return true;
	memcpy(taken, sc->taken, sizeof(taken));
	if (mdops_array_name(sc->ctx->sysfs_root, sc->ctx->dev_root, devname, name, taken, kname,
			     link))
		return true;
	for (const struct scan_job *l = sc->live; l; l = l->next) {
		if (!strcmp(l->t.kname, kname) || (link[0] && !strcmp(l->t.link, link)))
			return true;
		for (size_t a = 0; a < j->n; a++)
			for (size_t b = 0; b < l->n; b++)
				if (j->members[a] == l->members[b])
					return true;
	}
	return false;
}

/* The pool's devices of uuid (and of the ARRAY line) into j; *holder: a running array holding one. */
static const char *scan_collect(struct scan *sc, struct scan_job *j, const uint8_t uuid[16],
				const struct cfg_array *line, const char **holder)
{
	const char *set_name = NULL;

	*holder = NULL;
	for (size_t i = 0; i < sc->pool.n; i++) {
		struct member_src *m = &sc->pool.m[i];

		if (m->load_rc || memcmp(m->dev.info.set_uuid, uuid, 16))
			continue;
		if (line && !devices_match(line, m->path))
			continue;
		if (m->holder[0]) {
			char st[32] = "";

			sysfs_md_read(sc->ctx->sysfs_root, m->holder, "array_state", st, sizeof(st));
			if (strcmp(st, "inactive") && strcmp(st, "clear")) {
				*holder = m->holder;
				continue;
			}
		}
		set_name = m->dev.info.set_name;
		j->members[j->n] = i;
		to_cand(m, &j->c[j->n++]);
	}
	return set_name;
}

/* Members held by an inactive array (an earlier incremental run) are released. */
static void scan_release(struct scan *sc, struct scan_job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		struct member_src *m = &sc->pool.m[j->members[i]];

		if (m->holder[0] && mdops_stop_inactive(sc->ctx->sysfs_root, m->holder) == 0) {
			j->c[i].busy = false;
			j->c[i].busy_why[0] = '\0';
			m->holder[0] = '\0';
			m->busy = false;
		}
	}
}

/*
 * Assemble the pool's devices of one UUID in the slot of j, which this
 * finishes: here when the array already runs or cannot be named (-1 for
 * running), else by a worker (assemble_array()'s exit code).
 */
static void scan_one(struct scan *sc, struct scan_job *j, const uint8_t uuid[16],
		     const struct cfg_array *line, const char *devname)
{
	const char *set_name, *holder, *name;
	struct asm_target *t = &j->t;
	int rc;

	j->c = calloc(sc->pool.n ? sc->pool.n : 1, sizeof(*j->c));
	j->members = calloc(sc->pool.n ? sc->pool.n : 1, sizeof(*j->members));
	if (!j->c || !j->members) {
		jobpool_close(&sc->jobs, MDCTL_EXIT_FAIL);
		return;
	}
	set_name = scan_collect(sc, j, uuid, line, &holder);
	if (holder) {
		char u[37];

		fmt_uuid_dashed(uuid, u);
		mdctl_info("/dev/%s: array %s is already running", holder, u);
		jobpool_close(&sc->jobs, SCAN_RUNNING);
		return;
	}
	if (!devname && line && line->devname[0] == '/')
		devname = line->devname;
	name = asm_name_part(set_name ? set_name : "");
	if (scan_conflicts(sc, j, devname, name))
		jobpool_drain(&sc->jobs);
	rc = mdops_array_name(sc->ctx->sysfs_root, sc->ctx->dev_root, devname, name, sc->taken,
			      t->kname, t->link);
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot choose an md device", devname ? devname : "array");
		jobpool_close(&sc->jobs, MDCTL_EXIT_FAIL);
		return;
	}
	if (devname)
		snprintf(t->devname, sizeof(t->devname), "%s", devname);
	else if (t->link[0])
		snprintf(t->devname, sizeof(t->devname), "%s/md/%s", sc->ctx->dev_root, t->link);
	else
		snprintf(t->devname, sizeof(t->devname), "%s/%s", sc->ctx->dev_root, t->kname);
	scan_release(sc, j);
	j->o = *sc->o;
	j->o.sel.have_uuid = true;
	memcpy(j->o.sel.uuid, uuid, 16);
	j->o.sel.name = NULL;
	j->next = sc->live;
	sc->live = j;
	jobpool_spawn(&sc->jobs, scan_run, j);
}

static bool devname_wanted(char **want, int nwant, const char *devname, const char *kname)
{
	if (!nwant)
		return true;
	for (int i = 0; i < nwant; i++) {
		char k[32];

		if (!strcmp(want[i], devname))
			return true;
		if (kname && !md_kname_from_arg("/dev", want[i], k, sizeof(k)) && !strcmp(k, kname))
			return true;
	}
	return false;
}

/* The ARRAY line's array among the pool's devices: its UUID, or NULL. */
static const uint8_t *line_uuid(const struct pool *pool, const struct cfg_array *line)
{
	for (size_t i = 0; i < pool->n; i++) {
		const struct sb1_info *s = &pool->m[i].dev.info;

		if (pool->m[i].load_rc || !devices_match(line, pool->m[i].path))
			continue;
		if (line->has_uuid ? !memcmp(s->set_uuid, line->uuid, 16) :
		    line->name[0] && (!strcmp(asm_name_part(s->set_name), line->name) ||
				      !strcmp(s->set_name, line->name)))
			return s->set_uuid;
	}
	return NULL;
}

/* --scan with ARRAY lines: each line wanted, then say which arrays found are not listed. */
static void scan_config_arrays(struct scan *sc, const struct mdctl_config *cfg, bool *done,
			       char **want, int nwant)
{
	struct pool *pool = &sc->pool;

	for (size_t a = 0; a < cfg->narrays; a++) {
		const struct cfg_array *line = &cfg->arrays[a];
		const uint8_t *uuid;
		struct scan_job *j;
		char k[32];

		if (!strcmp(line->devname, "<ignore>"))
			continue;
		if (!devname_wanted(want, nwant, line->devname,
				    md_kname_from_arg(sc->ctx->dev_root, line->devname, k,
						      sizeof(k)) ? NULL : k))
			continue;
		if (!(j = scan_open(sc)))
			continue;
		uuid = line_uuid(pool, line);
		if (!uuid) {
			mdctl_err("%s: no devices found for this ARRAY line (%s:%d)",
				  line->devname, line->file, line->line);
			jobpool_close(&sc->jobs, MDCTL_EXIT_FAIL);
			continue;
		}
		for (size_t i = 0; i < pool->n; i++)
			if (!pool->m[i].load_rc && !memcmp(pool->m[i].dev.info.set_uuid, uuid, 16))
				done[i] = true;
		scan_one(sc, j, uuid, line, NULL);
	}
	jobpool_drain(&sc->jobs);
	for (size_t i = 0; i < pool->n; i++) {
		char u[37];

		if (done[i] || pool->m[i].load_rc)
			continue;
		fmt_uuid_dashed(pool->m[i].dev.info.set_uuid, u);
		mdctl_info("%s: array %s (name %s) is not in %s: not assembled",
			   pool->m[i].path, u, pool->m[i].dev.info.set_name, cfg->path);
		for (size_t j = i; j < pool->n; j++)
			if (!pool->m[j].load_rc && !memcmp(pool->m[j].dev.info.set_uuid,
							  pool->m[i].dev.info.set_uuid, 16))
				done[j] = true;
	}
}

/*
 * Auto-assembly of an array no ARRAY line lists: the config's AUTO line
 * decides (AUTO -all keeps them all out), with "homehost" letting this
 * host's arrays in (HOMEHOST, or --homehost).  Says why when it refuses.
 */
static bool auto_allowed(const struct assemble_opts *o, const struct mdctl_config *cfg,
			 const struct member_src *m)
{
	char why[PATH_MAX + 64], u[37];

	if (config_auto_check(cfg, o->homehost, m->dev.info.set_name, why, sizeof(why)))
		return true;
	fmt_uuid_dashed(m->dev.info.set_uuid, u);
	mdctl_info("%s: array %s (name %s) not assembled: %s", m->path, u, m->dev.info.set_name,
		   why);
	return false;
}

/* Arrays already running keep their numbers: one listing of block/md*, not a look per number. */
static void mark_taken(const char *sysfs_root, bool taken[256])
{
	char (*names)[32] = NULL;
	size_t n = 0;

	if (sysfs_list_arrays(sysfs_root, &names, &n))
		return; /* mdops_free_md() still skips what exists */
	for (size_t i = 0; i < n; i++) {
		char *end;
		long nr = strtol(names[i] + 2, &end, 10);

		if (names[i][2] && !*end && nr >= 0 && nr < 256 && mdops_md_exists(sysfs_root, names[i]))
			taken[nr] = true;
	}
	free(names);
}

/* --scan without ARRAY lines: every array found (or the one --uuid/--name/the device asks for). */
static void scan_found_arrays(struct scan *sc, const struct mdctl_config *cfg, bool *done,
			      char **want, int nwant)
{
	const struct assemble_opts *o = sc->o;
	struct pool *pool = &sc->pool;
	bool sel = o->sel.have_uuid || o->sel.name;

	for (size_t i = 0; i < pool->n; i++) {
		const struct sb1_info *s = &pool->m[i].dev.info;
		struct scan_job *j;

		if (done[i] || pool->m[i].load_rc)
			continue;
		for (size_t k = i; k < pool->n; k++)
			if (!pool->m[k].load_rc && !memcmp(pool->m[k].dev.info.set_uuid,
							   s->set_uuid, 16))
				done[k] = true;
		if ((o->sel.have_uuid && memcmp(s->set_uuid, o->sel.uuid, 16)) ||
		    (o->sel.name && strcmp(asm_name_part(s->set_name), o->sel.name)))
			continue;
		if (!(j = scan_open(sc)))
			continue;
		if (!sel && !nwant && !auto_allowed(o, cfg, &pool->m[i])) {
			jobpool_close(&sc->jobs, SCAN_NONE);
			continue;
		}
		scan_one(sc, j, s->set_uuid, NULL, nwant ? want[0] : NULL);
	}
	jobpool_drain(&sc->jobs);
}

/*
 * --assemble --scan: every device read once into the pool, then one array
 * after another planned here and assembled by up to scan_workers() workers
 * at once; what each prints, and the counts, come out in the planned order.
 */
static int assemble_scan(const struct mdctl_ctx *ctx, const struct assemble_opts *o,
			 char **want, int nwant)
{
	struct mdctl_config cfg;
	struct scan sc = { .ctx = ctx, .o = o };
	struct scan_result *r = &sc.r;
	bool *done = NULL;
	char err[512];
	int rc;

	rc = config_load(o->config ? o->config : ctx->config_file, &cfg, err, sizeof(err));
	if (rc) {
		mdctl_err("%s", rc == -EINVAL ? err : strerror(-rc));
		return MDCTL_EXIT_FAIL;
	}
	jobpool_init(&sc.jobs, scan_workers(), scan_done, &sc);
	if (cfg.ndevice_globs)
		rc = pool_from_config(ctx, &cfg, &sc.pool);
	else if ((rc = pool_from_sysfs(ctx, &sc.pool)) == -ENOENT)
		rc = pool_from_probe(ctx, &sc.pool); /* no sysfs class/block: ask libblkid */
	if (!rc)
		rc = pool_read(ctx, &sc.pool);
	if (rc) {
		mdctl_err_rc(rc, "cannot list candidate devices");
		goto out;
	}
	done = calloc(sc.pool.n ? sc.pool.n : 1, sizeof(*done));
	if (!done) {
		rc = -ENOMEM;
		goto out;
	}
	mark_taken(ctx->sysfs_root, sc.taken);
	if (cfg.narrays) {
		scan_config_arrays(&sc, &cfg, done, want, nwant);
	} else if (nwant > 1 || (nwant && !o->sel.have_uuid && !o->sel.name)) {
		mdctl_err("%s: not identified in a config file: name its devices, or give "
			  "--uuid or --name", want[0]);
		r->failed++;
		goto out; /* rc 0: no summary line after this one */
	} else {
		scan_found_arrays(&sc, &cfg, done, want, nwant);
	}
	rc = 0;
	if (!r->started && !r->not_started && !r->failed && !r->running)
		mdctl_err("no arrays found in %s or by probing devices",
			  cfg.path[0] ? cfg.path : "a config file");
	else if (r->not_started || r->failed)
		mdctl_err("--scan: %u started, %u assembled but not started, %u failed, %u already "
			  "running", r->started, r->not_started, r->failed, r->running);
out:
	jobpool_free(&sc.jobs);
	free(done);
	free(sc.pool.m);
	free(sc.pool.listed);
	config_free(&cfg);
	if (rc)
		return MDCTL_EXIT_FAIL;
	if (r->failed || (!r->started && !r->not_started && !r->running))
		return MDCTL_EXIT_FAIL;
	if (r->not_started)
		return MDCTL_EXIT_NOT_STARTED;
	return MDCTL_EXIT_OK;
}

int cmd_assemble(struct mdctl_ctx *ctx, int argc, char **argv)
{
	struct assemble_opts o;
	int c, rc;

	memset(&o, 0, sizeof(o));
	cli_begin();
	while ((c = cli_getopt(argc, argv, ":ARfosu:N:c:vqh", assemble_longopts, 'A')) != -1) {
		switch (c) {
		case 'R':
			o.run = true;
			break;
		case 'f':
			o.sel.force = true;
			break;
		case 'o':
			o.readonly = true;
			break;
		case 's':
			o.scan = true;
			break;
		case 'u':
			if (config_parse_uuid(optarg, o.sel.uuid)) {
				mdctl_err("--uuid: %s is not a UUID", optarg);
				return MDCTL_EXIT_USAGE;
			}
			o.sel.have_uuid = true;
			break;
		case 'N':
			o.sel.name = optarg;
			break;
		case 'c':
			o.config = optarg;
			break;
		case OPT_NO_DEGRADED:
			o.no_degraded = true;
			break;
		case OPT_HOMEHOST:
			o.homehost = optarg;
			break;
		default:
			if ((rc = cli_common("--assemble", assemble_help, c, argv)) != CLI_NEXT)
				return rc;
			break;
		}
	}
	if (cli_state_dir(ctx, o.config))
		return MDCTL_EXIT_FAIL;
	if (o.run && o.no_degraded) {
		mdctl_err("--assemble: --run and --no-degraded contradict each other");
		return MDCTL_EXIT_USAGE;
	}
	if (o.scan)
		return assemble_scan(ctx, &o, argv + optind, argc - optind);
	if (optind >= argc) {
		mdctl_err("--assemble: name the array (/dev/mdN) and its devices, or use --scan");
		return MDCTL_EXIT_USAGE;
	}
	if (optind + 1 == argc)
		/* only the array: find its members as --scan would */
		return assemble_scan(ctx, &o, argv + optind, 1);
	return assemble_explicit(ctx, &o, argv[optind], argv + optind + 1, argc - optind - 1);
}
