// SPDX-License-Identifier: GPL-2.0-or-later
/* Manage.c: --add, --fail, --remove, --stop, --run, --readonly, --readwrite, --wait and --action on one array. */
#include "cli.h"
#include "mdctl.h"
#include "blkdev.h"
#include "manage_lib.h"
#include "mdops.h"
#include "mdarray.h"
#include "progress.h"
#include "super1.h"
#include "sysfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum manage_op {
	OP_NONE,
	/* on a member device */
	OP_ADD,
	OP_READD,
	OP_FAIL,
	OP_REMOVE,
	/* on the array */
	OP_STOP,
	OP_RUN,
	OP_WAIT,
	OP_READONLY,
	OP_READWRITE,
	OP_ACTION,
};

struct action {
	enum manage_op op;
	const char *dev;       /* NULL for array operations; --action's word */
};

struct manage_opts {
	bool force;
	bool scan;
	const char *array;     /* with member operations */
	struct action *acts;
	unsigned nacts;
	const char **arrays;   /* array operations only: every array named */
	unsigned narrays;
};

static const char manage_help[] =
"Usage: mdctl /dev/mdN [--add DEV...] [--re-add DEV...] [--fail DEV...] [--remove DEV...|failed|detached]...\n"
"       mdctl --stop|--run|--readonly|--readwrite|--wait /dev/mdN...\n"
"       mdctl --action=check|repair|resync|idle|frozen /dev/mdN... | --action=check --scan\n"
"Change an array's members or state.  Operations run in the order given;\n"
"each one checks first that a device is a member of this array.\n"
"\n"
"  -a, --add DEV        add DEV as a spare (refused if it is in use, too small,\n"
"                       or holds a filesystem, partition table or other RAID\n"
"                       signature, unless --force); if the kernel then refuses\n"
"                       it, it is taken out and its old bytes written back\n"
"      --re-add DEV     put a former member back into its old slot: with a\n"
"                       write-intent bitmap only the regions written since it\n"
"                       left are resynced; refused when it is too old\n"
"                       (--add tries this first for a former member, and adds\n"
"                       it as a spare for a full recovery when it cannot)\n"
"  -f, --fail DEV       mark a member faulty (--set-faulty is the same);\n"
"                       'detached' fails members whose device is gone\n"
"  -r, --remove DEV     remove a faulty or spare member; 'failed' removes every\n"
"                       faulty member, 'detached' every member whose device is gone\n"
"  -S, --stop           stop the array (refused while it is open or mounted)\n"
"  -R, --run            start an assembled, inactive array\n"
"  -o, --readonly       make the array read-only\n"
"  -w, --readwrite      make the array writable again\n"
"      --action=WORD    md's sync_action: check or repair starts a pass over the\n"
"                       whole array at md's own pace (refused unless the array\n"
"                       is redundant, complete, writable and idle; the monitor\n"
"                       reports the mismatch count at its end); idle interrupts\n"
"                       it; frozen starts nothing until idle or resync;\n"
"                       resync lets md go on with what it needs (a resync\n"
"                       interrupted by frozen resumes from its checkpoint)\n"
"  -W, --wait           wait for resync, recovery or replacement to finish, with\n"
"                       a progress bar on a terminal, or a line every 10%;\n"
"                       exit 0 if it waited, 1 if there was nothing to wait for;\n"
"                       after --action=check|repair: then print mismatch_cnt\n"
"      --force          with --add: accept a device holding a signature\n"
"  -s, --scan           with --stop, --wait or --action: every array present\n"
"                       (--action=check|repair skips, and says so, an array\n"
"                       it would refuse: the monthly scrub)\n"
"  -v, --verbose        more messages\n"
"  -q, --quiet          fewer messages\n"
"  -h, --help           this text\n"
"\n"
"Replacing a member is 'mdctl --replace' (see mdctl --replace --help).\n";

static bool is_member_op(enum manage_op op)
{
	return op == OP_ADD || op == OP_READD || op == OP_FAIL || op == OP_REMOVE;
}

/* ---- lookups ---- */

/* The snapshot of the array, with a message when it cannot be had. */
static int snap(const struct mdctl_ctx *ctx, const char *arg, const char *kname, struct md_array *a)
{
	int rc = md_array_read(ctx->sysfs_root, kname, a);

	if (rc == -ENODEV)
		mdctl_err("%s: not an md array", arg);
	else if (rc < 0)
		mdctl_err_rc(rc, "%s: cannot read array state", arg);
	return rc;
}

static void member_path(const struct mdctl_ctx *ctx, const struct md_member *m, char *buf,
			size_t len)
{
	(void)blkdev_path_of_kname(ctx->dev_root, ctx->sysfs_root, m->kname, buf, len);
}

/* A member whose device is gone: its node is missing or the kernel says there is no device. */
static bool member_detached(const struct mdctl_ctx *ctx, const struct md_member *m)
{
	char path[PATH_MAX];
	int fd;

	if (blkdev_path_of_kname(ctx->dev_root, ctx->sysfs_root, m->kname, path, sizeof(path)) ==
	    -ENOENT)
		return true;
	fd = blkdev_open(path, O_RDONLY | O_NONBLOCK);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return fd == -ENXIO || fd == -ENODEV || fd == -ENOENT;
}

/* ---- fail / remove ---- */

static int fail_member(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname,
		       const struct md_member *m, const char *name)
{
	struct md_array after;
	struct md_member *now;
	bool failed = false, gone = false;
	int rc;

	if (md_member_failed(m)) {
		mdctl_info("%s is already faulty in %s", name, mdpath);
		return 0;
	}
	rc = mdops_fail(ctx->sysfs_root, kname, m->kname);
	if (rc < 0 && rc != -EBUSY) {
		mdctl_err_rc(rc, "%s: cannot set %s faulty", mdpath, name);
		return rc;
	}
	/*
	 * Read back.  EBUSY means the array is broken or would be: RAID1/10
	 * keep their last copy working and refuse; RAID4/5/6 fail the member
	 * anyway and the array has lost data.  Tell which.
	 */
	if (md_array_read(ctx->sysfs_root, kname, &after) == 0) {
		now = md_array_find(&after, m->kname);
		failed = now && md_member_failed(now);
		gone = !now;
		md_array_free(&after);
		if (rc == -EBUSY && (failed || gone)) {
			mdctl_err("%s: set %s faulty; the array has now failed (too few working members)",
				  mdpath, name);
			return rc;
		}
		if (!failed && !gone) {
			mdctl_err("%s: cannot set %s faulty: the kernel keeps it so that the array "
				  "does not lose data", mdpath, name);
			return -EBUSY;
		}
	} else if (rc == -EBUSY) {
		mdctl_err_rc(rc, "%s: cannot set %s faulty", mdpath, name);
		return rc;
	}
	mdctl_info("set %s faulty in %s", name, mdpath);
	return 0;
}

static int remove_member(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname,
			 const struct md_member *m, const char *name)
{
	int rc;

	/* Removing a working member would degrade the array behind the user's back. */
	if (!md_member_failed(m) && m->slot >= 0) {
		mdctl_err("%s: %s is an active member; fail it first (--fail %s)", mdpath, name, name);
		return -EBUSY;
	}
	/*
	 * A member that just failed keeps its slot until md's thread detaches
	 * it from the personality; "remove" says EBUSY until then.
	 */
	rc = mdops_remove(ctx->sysfs_root, kname, m->kname, 2000);
	if (rc < 0) {
		mdctl_err_rc(rc, "%s: cannot remove %s", mdpath, name);
		return rc;
	}
	/*
	 * Success means the kernel has already detached the member; its dev-X
	 * directory goes away a little later (deferred work), so it is not
	 * re-read here.
	 */
	mdctl_info("hot removed %s from %s", name, mdpath);
	return 0;
}

/* "failed", "faulty" and "detached" name several members; do op on each of them. */
static int op_on_keyword(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname,
			 enum manage_op op, const char *word)
{
	struct md_array a;
	unsigned done = 0;
	int rc;

	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < a.nmembers; i++) {
		const struct md_member *m = &a.members[i];
		char path[PATH_MAX];
		bool match;

		if (!strcmp(word, "detached"))
			match = member_detached(ctx, m);
		else
			match = md_member_failed(m);
		if (!match)
			continue;
		member_path(ctx, m, path, sizeof(path));
		if (op == OP_FAIL)
			rc = fail_member(ctx, mdpath, kname, m, path);
		else
			rc = remove_member(ctx, mdpath, kname, m, path);
		if (rc < 0)
			break;
		done++;
	}
	md_array_free(&a);
	if (rc >= 0 && !done)
		mdctl_verb("%s: no %s members", mdpath, word);
	return rc < 0 ? rc : 0;
}

static int op_fail_remove(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname,
			  enum manage_op op, const char *dev)
{
	struct md_array a;
	struct md_member *m;
	int rc, err;

	if (!strcmp(dev, "detached") || ((!strcmp(dev, "failed") || !strcmp(dev, "faulty")) &&
					 op == OP_REMOVE))
		return op_on_keyword(ctx, mdpath, kname, op, dev);
	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	m = md_array_find_dev(&a, dev, &err);
	if (!m) {
		if (err)
			mdctl_err_rc(err, "%s: %s", mdpath, dev);
		else
			mdctl_err("%s: %s is not a member", mdpath, dev);
		md_array_free(&a);
		return -ENODEV;
	}
	rc = op == OP_FAIL ? fail_member(ctx, mdpath, kname, m, dev)
			   : remove_member(ctx, mdpath, kname, m, dev);
	md_array_free(&a);
	return rc;
}

/* ---- add ---- */

/* The array UUID, from the first in-sync member whose superblock reads. */
static int array_uuid(const struct mdctl_ctx *ctx, const struct md_array *a, int minor,
		      uint8_t uuid[16])
{
	struct sb1_dev *sd = malloc(sizeof(*sd));
	int rc = -ENOENT;

	if (!sd)
		return -ENOMEM;
	for (unsigned i = 0; i < a->nmembers && rc; i++) {
		const struct md_member *m = &a->members[i];
		char path[PATH_MAX];

		if (!md_member_active(m))
			continue;
		member_path(ctx, m, path, sizeof(path));
		if (md_sb_read(path, minor, sd) == 0) {
			memcpy(uuid, sd->info.set_uuid, 16);
			rc = 0;
		}
	}
	free(sd);
	return rc;
}

/* Does dev already carry a superblock of this array (a former member coming back)? */
static bool has_our_superblock(const char *dev, int minor, const uint8_t uuid[16])
{
	struct sb1_dev *sd = malloc(sizeof(*sd));
	bool ours = false;

	if (!sd)
		return false;
	if (md_sb_read(dev, minor, sd) == 0)
		ours = !memcmp(sd->info.set_uuid, uuid, 16);
	free(sd);
	return ours;
}

/* Why md_readd() could not put dev back, for the message. */
static void readd_reason(int rc, const struct md_readd_info *ri, bool bitmap, char *buf,
			 size_t len)
{
	switch (rc) {
	case -EINVAL:
		if (bitmap)
			snprintf(buf, len, "too old for the write-intent bitmap (events %llu, "
				 "array %llu)", (unsigned long long)ri->events,
				 (unsigned long long)ri->array_events);
		else
			snprintf(buf, len, "it missed writes (events %llu, array %llu) and the "
				 "array has no write-intent bitmap", (unsigned long long)ri->events,
				 (unsigned long long)ri->array_events);
		break;
	case -EDOM:
		snprintf(buf, len, "it held no slot (a spare, faulty, or an unfinished replacement)");
		break;
	case -EBUSY:
		snprintf(buf, len, "its slot %d is taken", ri->slot);
		break;
	case -EXDEV:
		snprintf(buf, len, "it belongs to another array");
		break;
	case -ENOENT:
		snprintf(buf, len, "no readable md superblock on it");
		break;
	case -ESTALE:
		snprintf(buf, len, "its name no longer leads to the device that was checked");
		break;
	case -EUCLEAN:
		snprintf(buf, len, "it is newer than the array (events %llu, array %llu)",
			 (unsigned long long)ri->events, (unsigned long long)ri->array_events);
		break;
	default:
		snprintf(buf, len, "%s", strerror(-rc));
		break;
	}
}

/* Does the array keep a write-intent bitmap (md/bitmap/location other than "none")? */
static bool array_has_bitmap(const struct mdctl_ctx *ctx, const char *kname)
{
	char loc[64];

	return sysfs_md_read(ctx->sysfs_root, kname, "bitmap/location", loc, sizeof(loc)) == 0 &&
	       strcmp(loc, "none") != 0;
}

/*
 * try_readd() - a former member back into its slot.  1 when re-added; 0
 * when it cannot be and --add may go on with a spare (the reason said);
 * -errno when nothing more may be done (--re-add, or a member newer than
 * the array, which becoming a spare would wipe).
 */
static int try_readd(const struct mdctl_ctx *ctx, const struct md_array *a, const char *mdpath,
		     const char *dev, const struct blkdev_id *id, bool readd_only)
{
	struct md_readd_info ri;
	bool bitmap = array_has_bitmap(ctx, a->kname);
	char why[160];
	int rc;

	rc = md_readd(ctx->sysfs_root, ctx->dev_root, a, dev, id, 0, &ri);
	if (rc == 0) {
		mdctl_info("re-added %s to slot %d of %s: %s", dev, ri.slot, mdpath,
			   bitmap ? "only the regions the write-intent bitmap marks are resynced" :
			   "no write-intent bitmap, full recovery");
		return 1;
	}
	readd_reason(rc, &ri, bitmap, why, sizeof(why));
	if (readd_only) {
		mdctl_err("--re-add for %s to %s is not possible: %s", dev, mdpath, why);
		return rc;
	}
	if (rc == -EUCLEAN) {
		mdctl_err("%s: not added to %s: %s; adding it would wipe it", dev, mdpath, why);
		return rc;
	}
	if (rc == -ESTALE) {
		mdctl_err("%s: not added to %s: %s", dev, mdpath, why);
		return rc;
	}
	/* a former spare simply becomes a spare again */
	if (rc == -EDOM)
		mdctl_verb("%s: cannot re-add to %s: %s; adding it as a spare", dev, mdpath, why);
	else
		mdctl_info("%s: cannot re-add to %s: %s; adding it as a spare, full recovery",
			   dev, mdpath, why);
	return 0;
}

/*
 * --add: the same checks as a new member of --create (in use, size,
 * signatures, same disk as a member); a former member is re-added to its
 * slot first (mdadm's rule); otherwise md_add_spare() writes a spare
 * superblock modelled on an in-sync member's and binds the disk.
 * --re-add: the re-add only.
 */
static int op_add(const struct mdctl_ctx *ctx, const struct manage_opts *o, const char *mdpath,
		  const char *kname, const char *dev, bool readd_only)
{
	const char **siblings = NULL;
	struct md_spare_undo *undo = NULL;
	struct blkdev_id id;
	struct md_array a;
	uint8_t uuid[16];
	char why[256];
	unsigned ma, mi, flags = o->force ? BLKDEV_FORCE : 0;
	uint64_t need;
	bool former = false;
	int minor, rc;

	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	minor = md_metadata_minor(a.metadata_version);
	if (minor < 0) {
		mdctl_err("%s: metadata %s is not supported for --add (1.0, 1.1, 1.2 are)", mdpath,
			  a.metadata_version[0] ? a.metadata_version : "none");
		rc = -EOPNOTSUPP;
		goto out;
	}
	if (!md_array_running(&a)) {
		mdctl_err("%s: not running (state %s); start it before adding", mdpath,
			  a.array_state[0] ? a.array_state : "unknown");
		rc = -EINVAL;
		goto out;
	}
	if (blkdev_devnum(dev, &ma, &mi) == 0 && md_array_find_devnum(&a, ma, mi)) {
		mdctl_err("%s: %s is already a member", mdpath, dev);
		rc = -EEXIST;
		goto out;
	}
	rc = md_spare_min_sectors(ctx->sysfs_root, ctx->dev_root, &a, &need);
	if (rc < 0) {
		mdctl_err_rc(rc, "%s: cannot read the superblock of an in-sync member", mdpath);
		goto out;
	}
	siblings = calloc(a.nmembers + 1, sizeof(*siblings));
	undo = malloc(sizeof(*undo));
	if (!siblings || !undo) {
		rc = -ENOMEM;
		mdctl_err_rc(ENOMEM, "%s", mdpath);
		goto out;
	}
	for (unsigned i = 0; i < a.nmembers; i++)
		siblings[i] = a.members[i].kname;
	/* A former member of this array may come back without --force. */
	if (array_uuid(ctx, &a, minor, uuid) == 0 && has_our_superblock(dev, minor, uuid)) {
		flags |= BLKDEV_FORCE;
		former = true;
	}
	rc = blkdev_check_new_member(ctx->sysfs_root, dev, need, siblings, flags, &id, why,
				     sizeof(why));
	if (rc < 0) {
		mdctl_err("%s: cannot add to %s: %s", dev, mdpath, why);
		goto out;
	}
	if (former || readd_only) {
		rc = try_readd(ctx, &a, mdpath, dev, &id, readd_only);
		if (rc)
			goto out;
	}
	rc = md_add_spare(ctx->sysfs_root, ctx->dev_root, &a, dev, &id, flags, undo);
	if (rc < 0) {
		/* what failed, then what was taken back (or what may remain) */
		md_spare_undo_text(undo, why, sizeof(why));
		mdctl_err("%s: cannot add %s: %s; %s", mdpath, dev,
			  undo->why[0] ? undo->why : strerror(-rc), why);
		goto out;
	}
	mdctl_info("added %s", dev);
out:
	free(siblings);
	free(undo);
	md_array_free(&a);
	return rc < 0 ? rc : 0;
}

int manage_add_blank(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname,
		     const char *dev)
{
	struct manage_opts o;

	memset(&o, 0, sizeof(o));
	return op_add(ctx, &o, mdpath, kname, dev, false);
}

/* ---- array operations ---- */

static int op_stop(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname)
{
	char node[PATH_MAX];
	struct md_array a;
	int fd, rc;

	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	md_array_free(&a);
	/*
	 * An exclusive open fails while the array is mounted or held by
	 * another device (LVM, another md); the kernel itself refuses to stop
	 * an array that any process has open.  Our own fd must be closed
	 * again before asking, or it would count as that process.
	 */
	snprintf(node, sizeof(node), "%s/%s", ctx->dev_root, kname);
	fd = blkdev_open(node, O_RDONLY | O_EXCL);
	if (fd == -EBUSY) {
		mdctl_err("%s: still in use (mounted, or held by another device); not stopped", mdpath);
		return -EBUSY;
	}
	if (fd >= 0)
		close(fd);
	rc = mdops_stop(ctx->sysfs_root, kname);
	if (rc == -EBUSY) {
		mdctl_err("%s: still in use (open by a process, mounted, or held by another device); "
			  "not stopped", mdpath);
		return rc;
	}
	if (rc < 0) {
		mdctl_err_rc(rc, "%s: cannot stop", mdpath);
		return rc;
	}
	mdctl_info("stopped %s", mdpath);
	return 0;
}

static int op_run(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname)
{
	struct md_array a;
	int rc;

	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	if (md_array_running(&a)) {
		mdctl_verb("%s: already running", mdpath);
		md_array_free(&a);
		return 0;
	}
	if (!a.nmembers) {
		mdctl_err("%s: has no members to start", mdpath);
		md_array_free(&a);
		return -ENODEV;
	}
	md_array_free(&a);
	rc = mdops_start(ctx->sysfs_root, kname, false);
	if (rc < 0) {
		mdctl_err_rc(rc, "%s: failed to run array", mdpath);
		return rc;
	}
	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	if (!md_array_running(&a)) {
		mdctl_err("%s: still %s after the request to run it", mdpath, a.array_state);
		rc = -EIO;
	} else {
		mdctl_info("started %s", mdpath);
	}
	md_array_free(&a);
	return rc;
}

static int op_ro_rw(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname, bool ro)
{
	struct md_array a;
	int rc;

	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	if (!md_array_running(&a)) {
		mdctl_err("%s: not running", mdpath);
		md_array_free(&a);
		return -EINVAL;
	}
	if (ro == !strcmp(a.array_state, "readonly")) {
		mdctl_verb("%s: already %s", mdpath, ro ? "read-only" : "read-write");
		md_array_free(&a);
		return 0;
	}
	md_array_free(&a);
	rc = sysfs_md_write(ctx->sysfs_root, kname, "array_state", ro ? "readonly" : "active");
	if (rc < 0) {
		mdctl_err("%s: cannot make %s: %s%s", mdpath, ro ? "read-only" : "read-write",
			  strerror(-rc), rc == -EBUSY ? " (in use)" : "");
		return rc;
	}
	mdctl_verb("%s: now %s", mdpath, ro ? "read-only" : "read-write");
	return 0;
}

/* Why a check or repair cannot run on a (NULL: it can).  One rule for named and scanned arrays. */
static const char *no_check_reason(const struct md_array *a, char *buf, size_t len)
{
	if (!md_array_running(a))
		return "not running";
	if (md_array_redundancy(a) < 0)
		return "no redundancy to compare at this level";
	if (md_array_missing(a) > 0)
		return "degraded: no redundancy to compare";
	if (!md_array_writable(a))
		return "read-only";
	if (!strcmp(a->sync_action, "frozen"))
		return "frozen (a command is setting up members)";
	if (strcmp(a->sync_action, "idle")) {
		snprintf(buf, len, "%s under way", md_sync_kind(a) != MDS_NONE ?
			 md_sync_word(md_sync_kind(a)) : a->sync_action);
		return buf;
	}
	return NULL;
}

/*
 * --action=WORD.  check/repair: refused (exit 1) on an array that cannot take
 * one; with --scan such an array is skipped with a note instead.
 */
static int op_action(const struct mdctl_ctx *ctx, const struct manage_opts *o, const char *mdpath,
		     const char *kname, const char *word)
{
	bool pass = !strcmp(word, "check") || !strcmp(word, "repair");
	const char *why = NULL;
	struct md_array a;
	char buf[64];
	int rc;

	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	if (pass)
		why = no_check_reason(&a, buf, sizeof(buf));
	md_array_free(&a);
	if (why && o->scan) {
		mdctl_info("%s: %s: no %s", mdpath, why, word);
		return 0;
	}
	if (why) {
		mdctl_err("%s: %s: no %s started", mdpath, why, word);
		return -EBUSY;
	}
	rc = mdops_sync_action(ctx->sysfs_root, kname, word);
	if (rc < 0) {
		mdctl_err_rc(rc, "%s: cannot set sync_action to %s", mdpath, word);
		return rc;
	}
	if (pass)
		mdctl_info("%s: %s started", mdpath, word);
	else
		mdctl_verb("%s: sync_action %s", mdpath, word);
	return 0;
}

/* --wait: 0 if it waited, 1 if there was nothing to wait for (as mdadm), -errno. */
static int op_wait(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname)
{
	struct md_array a;
	int rc, pending;

	rc = snap(ctx, mdpath, kname, &a);
	if (rc < 0)
		return rc;
	pending = progress_sync_pending(&a, NULL);
	md_array_free(&a);
	if (!pending) {
		mdctl_verb("%s: nothing to wait for", mdpath);
		return 1;
	}
	rc = progress_wait(ctx->sysfs_root, kname, mdpath, progress_sync_pending, NULL,
			   mdctl_verbose < 0 ? NULL : stdout);
	if (rc < 0)
		mdctl_err_rc(rc, "%s: stopped waiting", mdpath);
	return rc;
}

static int run_action(const struct mdctl_ctx *ctx, const struct manage_opts *o, const char *mdpath,
		      const char *kname, const struct action *act)
{
	switch (act->op) {
	case OP_ADD:
	case OP_READD:
		return op_add(ctx, o, mdpath, kname, act->dev, act->op == OP_READD);
	case OP_FAIL:
	case OP_REMOVE:
		return op_fail_remove(ctx, mdpath, kname, act->op, act->dev);
	case OP_STOP:
		return op_stop(ctx, mdpath, kname);
	case OP_RUN:
		return op_run(ctx, mdpath, kname);
	case OP_WAIT:
		return op_wait(ctx, mdpath, kname);
	case OP_READONLY:
		return op_ro_rw(ctx, mdpath, kname, true);
	case OP_READWRITE:
		return op_ro_rw(ctx, mdpath, kname, false);
	case OP_ACTION:
		return op_action(ctx, o, mdpath, kname, act->dev);
	case OP_NONE:
		break;
	}
	return -EINVAL;
}

/* Run every action on one array, in order; stop at the first failure. */
/* After "--action=check|repair --wait": what the pass found, as mdadm's monitor words it. */
static void report_pass(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname,
			const char *word)
{
	struct md_array a;

	if (md_array_read(ctx->sysfs_root, kname, &a) < 0)
		return;
	if (a.mismatch_cnt != SYSFS_NONE)
		printf("%s: %s finished, mismatch_cnt %llu\n", mdpath, word,
		       (unsigned long long)a.mismatch_cnt);
	md_array_free(&a);
}

static int manage_array(const struct mdctl_ctx *ctx, const struct manage_opts *o, const char *arg,
			const struct action *acts, unsigned nacts, bool *waited_all)
{
	char kname[32], mdpath[PATH_MAX];
	const char *pass = NULL;   /* a check or repair this line started */
	int rc;

	if (md_kname_from_arg(ctx->dev_root, arg, kname, sizeof(kname)) < 0) {
		mdctl_err("%s: not an md array", arg);
		return MDCTL_EXIT_FAIL;
	}
	snprintf(mdpath, sizeof(mdpath), "%s", arg[0] == '/' ? arg : "");
	if (!mdpath[0])
		snprintf(mdpath, sizeof(mdpath), "%s/%s", ctx->dev_root, kname);
	for (unsigned i = 0; i < nacts; i++) {
		int lock = -1;

		/* each change under the array's lock; a wait holds nothing */
		if (acts[i].op != OP_WAIT && (lock = cli_lock_array(arg, kname)) < 0)
			return MDCTL_EXIT_FAIL;
		rc = run_action(ctx, o, mdpath, kname, &acts[i]);
		mdops_unlock(&lock);
		if (acts[i].op == OP_ACTION && rc == 0 &&
		    (!strcmp(acts[i].dev, "check") || !strcmp(acts[i].dev, "repair")))
			pass = acts[i].dev;
		if (acts[i].op == OP_WAIT && pass && rc >= 0) {
			/* "--action=check --wait": a small array's check may end before the wait */
			report_pass(ctx, mdpath, kname, pass);
			pass = NULL;
			continue;
		}
		if (acts[i].op == OP_WAIT && rc == 1) {
			*waited_all = false;
			continue;
		}
		if (rc < 0)
			return MDCTL_EXIT_FAIL;
	}
	return MDCTL_EXIT_OK;
}

static int push(struct action **v, unsigned *n, enum manage_op op, const char *dev)
{
	struct action *p = realloc(*v, (*n + 1) * sizeof(**v));

	if (!p)
		return -ENOMEM;
	p[*n].op = op;
	p[*n].dev = dev;
	*v = p;
	(*n)++;
	return 0;
}

/* Whether the line asks for a replacement: that is cmd_replace's, whatever came first. */
static bool wants_replace(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--replace") || !strncmp(argv[i], "--replace=", 10) ||
		    !strcmp(argv[i], "--with") || !strncmp(argv[i], "--with=", 7))
			return true;
	}
	return false;
}

/* mdctl /dev/mdN --fail DEV --remove DEV ...: the first name is the array. */
static int run_member_ops(const struct mdctl_ctx *ctx, struct manage_opts *o,
			  const struct action *tokens, unsigned ntok, bool *waited_all)
{
	enum manage_op cur = OP_NONE;

	if (o->scan) {
		mdctl_err("--scan does not go with --add, --fail or --remove");
		return MDCTL_EXIT_USAGE;
	}
	for (unsigned i = 0; i < ntok; i++) {
		const struct action *t = &tokens[i];

		if (t->op == OP_NONE && !o->array) {
			o->array = t->dev;
		} else if (t->op == OP_NONE) {
			if (cur == OP_NONE) {
				mdctl_err("%s: no operation given for it (--add, --fail or "
					  "--remove)", t->dev);
				return MDCTL_EXIT_USAGE;
			}
			if (push(&o->acts, &o->nacts, cur, t->dev) < 0)
				return -ENOMEM;
		} else if (is_member_op(t->op)) {
			cur = t->op;
		} else if (push(&o->acts, &o->nacts, t->op, NULL) < 0) {
			return -ENOMEM;
		}
	}
	if (!o->array) {
		mdctl_err("name the array first: mdctl /dev/mdN --add DEV");
		return MDCTL_EXIT_USAGE;
	}
	for (unsigned i = 0; i < o->nacts; i++)
		if (is_member_op(o->acts[i].op))
			goto have_dev;
	mdctl_err("%s: no device given to add, fail or remove", o->array);
	return MDCTL_EXIT_USAGE;
have_dev:
	return manage_array(ctx, o, o->array, o->acts, o->nacts, waited_all);
}

/* --stop /dev/md0 /dev/md1, --wait /dev/md0, /dev/md0 --readonly: each op on each array. */
static int run_array_ops(const struct mdctl_ctx *ctx, struct manage_opts *o,
			 const struct action *tokens, unsigned ntok, bool *waited_all)
{
	char (*names)[32] = NULL;
	size_t nnames = 0;
	int rc = MDCTL_EXIT_OK;

	for (unsigned i = 0; i < ntok; i++) {
		if (tokens[i].op != OP_NONE) {
			if (push(&o->acts, &o->nacts, tokens[i].op, tokens[i].dev) < 0)
				return -ENOMEM;
		} else {
			const char **p = realloc(o->arrays, (o->narrays + 1) * sizeof(*p));

			if (!p)
				return -ENOMEM;
			o->arrays = p;
			o->arrays[o->narrays++] = tokens[i].dev;
		}
	}
	if (o->scan) {
		int r;

		if (o->narrays) {
			mdctl_err("--scan takes no array names");
			return MDCTL_EXIT_USAGE;
		}
		r = sysfs_list_arrays(ctx->sysfs_root, &names, &nnames);
		if (r < 0) {
			mdctl_err_rc(r, "%s: cannot list md arrays", ctx->sysfs_root);
			return MDCTL_EXIT_FAIL;
		}
		for (size_t i = 0; i < nnames; i++) {
			const char **p = realloc(o->arrays, (o->narrays + 1) * sizeof(*p));

			if (!p) {
				free(names);
				return -ENOMEM;
			}
			o->arrays = p;
			o->arrays[o->narrays++] = names[i];
		}
	}
	if (!o->nacts) {
		mdctl_err("no operation given");
		rc = MDCTL_EXIT_USAGE;
	} else if (!o->narrays && !o->scan) {
		mdctl_err("name an array: mdctl --stop /dev/mdN");
		rc = MDCTL_EXIT_USAGE;
	} else {
		for (unsigned i = 0; i < o->narrays; i++) {
			int r = manage_array(ctx, o, o->arrays[i], o->acts, o->nacts, waited_all);

			if (r > rc)
				rc = r;
		}
	}
	free(names);
	return rc;
}

enum { OPT_FORCE = 256, OPT_MANAGE, OPT_SETFAULTY, OPT_ACTION, OPT_READD };
static const struct option manage_longopts[] = {
	{ "add", no_argument, NULL, 'a' },
	{ "re-add", no_argument, NULL, OPT_READD },
	{ "fail", no_argument, NULL, 'f' },
	{ "set-faulty", no_argument, NULL, OPT_SETFAULTY },
	{ "remove", no_argument, NULL, 'r' },
	{ "stop", no_argument, NULL, 'S' },
	{ "run", no_argument, NULL, 'R' },
	{ "wait", no_argument, NULL, 'W' },
	{ "readonly", no_argument, NULL, 'o' },
	{ "readwrite", no_argument, NULL, 'w' },
	{ "manage", no_argument, NULL, OPT_MANAGE },
	{ "action", required_argument, NULL, OPT_ACTION },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "scan", no_argument, NULL, 's' },
	CLI_REFUSE_OPT("write-mostly", no_argument),
	CLI_REFUSE_OPT("readwrite-mostly", no_argument),
	CLI_REFUSE_OPT("failfast", no_argument),
	CLI_REFUSE_OPT("nofailfast", no_argument),
	CLI_COMMON_OPTS,
};

/* The operation an option letter asks for; OP_NONE when it is no operation. */
static enum manage_op op_of_option(int c)
{
	switch (c) {
	case 'a':
		return OP_ADD;
	case OPT_READD:
		return OP_READD;
	case 'f':
	case OPT_SETFAULTY:
		return OP_FAIL;
	case 'r':
		return OP_REMOVE;
	case 'S':
		return OP_STOP;
	case 'R':
		return OP_RUN;
	case 'W':
		return OP_WAIT;
	case 'o':
		return OP_READONLY;
	case 'w':
		return OP_READWRITE;
	default:
		return OP_NONE;
	}
}

/*
 * The command line as operations and names in their order (*tokens, the
 * caller frees it), the options into o; *member_ops when any operation
 * acts on a member.  Return CLI_NEXT to go on, -ENOMEM, or an exit code.
 */
static int parse_manage(const struct mdctl_ctx *ctx, int argc, char **argv, struct manage_opts *o,
			struct action **tokens, unsigned *ntok, bool *member_ops)
{
	int c, rc;

	cli_begin();
	/* A leading '-' keeps names in place: "--fail X --remove X" must stay in order. */
	while ((c = cli_getopt(argc, argv, "-:afrSRWowsvqh", manage_longopts, 0)) != -1) {
		enum manage_op op = op_of_option(c);
		const char *word = NULL;

		switch (c) {
		case 1:
			word = optarg;
			break;
		case OPT_ACTION:
			/* "mdctl --action --help": the help, not a word */
			if (!strcmp(optarg, "--help") || !strcmp(optarg, "-h"))
				return cli_common(ctx->mode, manage_help, 'h', argv);
			if (!mdops_sync_action_word(optarg))
				return cli_usage(ctx->mode, "%s: not a sync action (check, repair, "
						 "resync, idle, frozen)", optarg);
			op = OP_ACTION;
			word = optarg;
			break;
		case OPT_MANAGE:
			continue;
		case OPT_FORCE:
			o->force = true;
			continue;
		case 's':
			o->scan = true;
			continue;
		default:
			if (op != OP_NONE)
				break;
			rc = cli_common(ctx->mode, manage_help, c, argv);
			if (rc == CLI_NEXT)
				continue;
			return rc;
		}
		if (is_member_op(op))
			*member_ops = true;
		if (push(tokens, ntok, op, word) < 0)
			return -ENOMEM;
	}
	for (unsigned i = optind; i < (unsigned)argc; i++)
		if (push(tokens, ntok, OP_NONE, argv[i]) < 0)
			return -ENOMEM;
	return CLI_NEXT;
}

int cmd_manage(struct mdctl_ctx *ctx, int argc, char **argv)
{
	struct manage_opts o = { 0 };
	struct action *tokens = NULL;   /* options and names in command-line order */
	unsigned ntok = 0;
	bool member_ops = false, waited_all = true;
	int rc;

	if (wants_replace(argc, argv))
		return cmd_replace(ctx, argc, argv);
	rc = parse_manage(ctx, argc, argv, &o, &tokens, &ntok, &member_ops);
	if (rc == CLI_NEXT)
		rc = member_ops ? run_member_ops(ctx, &o, tokens, ntok, &waited_all)
				: run_array_ops(ctx, &o, tokens, ntok, &waited_all);
	if (rc == -ENOMEM) {
		mdctl_err("%s", strerror(ENOMEM));
		rc = MDCTL_EXIT_FAIL;
	}
	if (rc == MDCTL_EXIT_OK && !waited_all)
		rc = MDCTL_EXIT_FAIL;
	free(tokens);
	free(o.acts);
	free(o.arrays);
	return rc;
}
