// SPDX-License-Identifier: GPL-2.0-or-later
/* mdops.c: the kernel operations every command shares, each written once (md sysfs writes, ADD_NEW_DISK, superblock writes with undo). */
#include "mdops.h"

#include "manage_lib.h"
#include "mdarray.h"
#include "output.h"
#include "safefile.h"
#include "sysfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <linux/major.h>
#include <linux/raid/md_u.h>

/* ---- the array device and its name ---- */

bool mdops_md_exists(const char *sysfs_root, const char *md)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/block/%s/md", sysfs_root, md);
	return stat(path, &st) == 0;
}

int mdops_md_create(const char *sysfs_root, const char *dev_root, const char *md, bool *created)
{
	char path[PATH_MAX], buf[32];
	unsigned maj, min;
	struct stat st;
	int rc;

	if (created)
		*created = false;
	snprintf(path, sizeof(path), "%s/block/%s", sysfs_root, md);
	if (stat(path, &st) != 0) {
		rc = sysfs_write(sysfs_root, "module/md_mod/parameters/new_array", md);
		/* EEXIST: someone (udev, another mdctl) made it meanwhile */
		if (rc && rc != -EEXIST)
			return rc;
		if (created)
			*created = rc == 0;
	}
	snprintf(path, sizeof(path), "block/%s/dev", md);
	rc = sysfs_read(sysfs_root, path, buf, sizeof(buf));
	if (rc)
		return rc;
	if (sscanf(buf, "%u:%u", &maj, &min) != 2)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", dev_root, md);
	if (stat(path, &st) == 0) {
		if (S_ISBLK(st.st_mode) && st.st_rdev == makedev(maj, min))
			return 0;
		return -EEXIST;
	}
	/* devtmpfs normally makes the node; without it (or before udev runs) make it */
	if (mknod(path, S_IFBLK | 0660, makedev(maj, min)) && errno != EEXIST)
		return -errno;
	return 0;
}

int mdops_free_md(const char *sysfs_root, const bool *taken)
{
	for (int nr = 127; nr >= 0; nr--) {
		char path[PATH_MAX];
		struct stat st;

		if (taken && taken[nr])
			continue;
		snprintf(path, sizeof(path), "%s/block/md%d", sysfs_root, nr);
		if (stat(path, &st) == 0)
			continue;
		return nr;
	}
	return -ENOSPC;
}

static int md_number(const char *kname)
{
	char *end;
	long v;

	if (strncmp(kname, "md", 2) || !kname[2])
		return -1;
	v = strtol(kname + 2, &end, 10);
	if (*end || v < 0 || v > 255)
		return -1;
	return (int)v;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* mdN for a name that is a number, when that md device is free. */
static bool numbered_name(const char *sysfs_root, const char *name, bool *taken, char kname[32])
{
	char path[PATH_MAX];
	struct stat st;
	int nr;

	if (!all_digits(name) || strlen(name) > 3 || atoi(name) > 255)
		return false;
	nr = atoi(name);
	snprintf(kname, 32, "md%d", nr);
	snprintf(path, sizeof(path), "%s/block/%s", sysfs_root, kname);
	if ((taken && taken[nr]) || stat(path, &st) == 0)
		return false;
	if (taken)
		taken[nr] = true;
	return true;
}

int mdops_array_name(const char *sysfs_root, const char *dev_root, const char *devname,
		     const char *name, bool *taken, char kname[32], char link[64])
{
	struct stat st;
	int nr;

	link[0] = '\0';
	if (devname) {
		const char *md = strstr(devname, "md/");

		if (md_kname_from_arg(dev_root, devname, kname, 32) == 0) {
			nr = md_number(kname);
			if (nr >= 0 && taken)
				taken[nr] = true;
			if (md && !all_digits(md + 3))
				out_link_name(md + 3, link, 64);
			return 0;
		}
		if (!md || !md[3])
			return -EINVAL;
		/* there, but not a link to an md device: not ours to replace */
		if (lstat(devname, &st) == 0)
			return -EEXIST;
		name = md + 3;
	} else if (name && numbered_name(sysfs_root, name, taken, kname)) {
		return 0;
	}
	nr = mdops_free_md(sysfs_root, taken);
	if (nr < 0)
		return nr;
	if (taken)
		taken[nr] = true;
	snprintf(kname, 32, "md%d", nr);
	out_link_name(name && *name ? name : kname, link, 64);
	return 0;
}

int mdops_link(const char *dev_root, const char *link, const char *md)
{
	char dir[PATH_MAX], path[PATH_MAX + 80], target[64], cur[64];
	ssize_t n;

	if (!link || !*link)
		return 0;
	if (snprintf(target, sizeof(target), "../%s", md) >= (int)sizeof(target))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s/md", dev_root);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/%.63s", dir, link);
	n = readlink(path, cur, sizeof(cur) - 1);
	if (n >= 0) {
		cur[n] = '\0';
		if (!strcmp(cur, target))
			return 0;
		/* a stale link from an array that is gone: udev would move it too */
		if (unlink(path))
			return -errno;
	}
	if (symlink(target, path) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	/* made meanwhile (udev): fine when it names the same array */
	n = readlink(path, cur, sizeof(cur) - 1);
	if (n < 0)
		return -EEXIST;
	cur[n] = '\0';
	return strcmp(cur, target) ? -EEXIST : 0;
}

/* ---- assembling and starting ---- */

int mdops_set_metadata(const char *sysfs_root, const char *md, int minor)
{
	return sysfs_md_write(sysfs_root, md, "metadata_version", sb1_version_string(minor));
}

int mdops_bind(const char *sysfs_root, const char *md, unsigned major, unsigned minor)
{
	char val[32];

	snprintf(val, sizeof(val), "%u:%u", major, minor);
	return sysfs_md_write(sysfs_root, md, "new_dev", val);
}

int mdops_start(const char *sysfs_root, const char *md, bool readonly)
{
	char state[32];
	int rc;

	rc = sysfs_md_write(sysfs_root, md, "array_state", readonly ? "readonly" : "active");
	if (rc || readonly)
		return rc;
	/* with md_mod start_ro=1 the array comes up read-auto; make it writable */
	if (!sysfs_md_read(sysfs_root, md, "array_state", state, sizeof(state)) &&
	    !strcmp(state, "read-auto"))
		rc = sysfs_md_write(sysfs_root, md, "array_state", "active");
	return rc;
}

int mdops_stop(const char *sysfs_root, const char *md)
{
	int rc = sysfs_md_write(sysfs_root, md, "array_state", "clear");

	return rc == -ENOENT || rc == -ENODEV ? 0 : rc;
}

int mdops_stop_inactive(const char *sysfs_root, const char *md)
{
	char st[32];
	int rc;

	rc = sysfs_md_read(sysfs_root, md, "array_state", st, sizeof(st));
	if (rc == -ENOENT || rc == -ENODEV)
		return 0;
	if (rc)
		return rc;
	if (!strcmp(st, "clear"))
		return 0;
	if (strcmp(st, "inactive"))
		return -EBUSY;
	return mdops_stop(sysfs_root, md);
}

/* ---- recovery ---- */

int mdops_freeze(const char *sysfs_root, const char *md, bool *froze)
{
	char act[32];
	int rc;

	*froze = false;
	rc = sysfs_md_read(sysfs_root, md, "sync_action", act, sizeof(act));
	if (rc)
		return rc;
	/* someone else froze it: leave it so, the caller says the copy waits */
	if (!strcmp(act, "frozen"))
		return 1;
	if (strcmp(act, "idle") && strcmp(act, "recover"))
		return -EBUSY;
	rc = sysfs_md_write(sysfs_root, md, "sync_action", "frozen");
	if (!rc)
		*froze = true;
	return rc;
}

int mdops_unfreeze(const char *sysfs_root, const char *md, bool *froze)
{
	int rc;

	if (!*froze)
		return 0;
	rc = mdops_sync_action(sysfs_root, md, "idle");
	*froze = false;
	return rc;
}

bool mdops_sync_action_word(const char *action)
{
	static const char *const words[] = { "check", "repair", "idle", "frozen", "resync" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(action, words[i]))
			return true;
	return false;
}

int mdops_sync_action(const char *sysfs_root, const char *md, const char *action)
{
	if (!mdops_sync_action_word(action))
		return -EINVAL;
	return sysfs_md_write(sysfs_root, md, "sync_action", action);
}

/* ---- members ---- */

int mdops_fail(const char *sysfs_root, const char *md, const char *member)
{
	return sysfs_dev_write(sysfs_root, md, member, "state", "faulty");
}

int mdops_mark(const char *sysfs_root, const char *md, const char *member, bool on)
{
	return sysfs_dev_write(sysfs_root, md, member, "state",
			       on ? "want_replacement" : "-want_replacement");
}

int mdops_pair(const char *sysfs_root, const char *md, const char *member, int slot)
{
	char val[16];

	snprintf(val, sizeof(val), "%d", slot);
	return sysfs_dev_write(sysfs_root, md, member, "slot", val);
}

int mdops_remove(const char *sysfs_root, const char *md, const char *member, int timeout_ms)
{
	struct timespec t0, t;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = sysfs_dev_write(sysfs_root, md, member, "state", "remove");
		if (rc != -EBUSY)
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > timeout_ms)
			return rc;
		/* the kernel gives no notification for "no longer busy": look again shortly */
		poll(NULL, 0, 50);
	}
}

int mdops_fail_remove(const char *sysfs_root, const char *md, const char *member, int timeout_ms)
{
	char slot[16];
	int rc;

	/* a slot means the kernel paired or recovers onto it: fail it first */
	if (!sysfs_dev_read(sysfs_root, md, member, "slot", slot, sizeof(slot)) &&
	    strcmp(slot, "none"))
		mdops_fail(sysfs_root, md, member);
	rc = mdops_remove(sysfs_root, md, member, timeout_ms);
	return rc == -ENOENT ? 0 : rc;
}

/* ---- the kernel's RCU grace periods ---- */

#define RCU_EXPEDITED "kernel/rcu_expedited"

/* The knob's value: its first character, or 0 when it cannot be read. */
static char knob_value(int fd)
{
	char v[16];

	return pread(fd, v, sizeof(v), 0) > 0 ? v[0] : 0;
}

int mdops_rcu_open(struct mdops_rcu *r, const char *sysfs_root, const char *run_dir,
		   bool *restored)
{
	char path[PATH_MAX], text[128], id[64];
	ssize_t got;
	size_t idlen;
	long pid = 0;

	memset(r, 0, sizeof(*r));
	r->knob = r->marker = -1;
	*restored = false;
	snprintf(path, sizeof(path), "%s/%s", sysfs_root, RCU_EXPEDITED);
	r->knob = open(path, O_RDWR | O_CLOEXEC);
	if (r->knob < 0)
		return 0;
	r->marker = safe_open_in(run_dir, MDOPS_RCU_MARKER, O_RDWR | O_CREAT, 0600);
	if (r->marker < 0) {
		close(r->knob);
		r->knob = -1;
		return 0;
	}
	r->open = true;
	/* this boot's id, read as the attribute text it is ("" when /proc does not say) */
	if (sysfs_read("/proc", "sys/kernel/random/boot_id", id, sizeof(id)))
		id[0] = '\0';
	snprintf(r->mark, sizeof(r->mark), "%s %ld\n", id[0] ? id : "-", (long)getpid());
	got = pread(r->marker, text, sizeof(text) - 1, 0);
	text[got > 0 ? got : 0] = '\0';
	if (!text[0])
		return 0;
	idlen = strlen(id);
	if (idlen && !strncmp(text, id, idlen) && text[idlen] == ' ')
		pid = strtol(text + idlen + 1, NULL, 10);
	/* its process still runs (another monitor, on named arrays): it undoes its own */
	if (pid > 0 && pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
		return 0;
	if (pid > 0 && knob_value(r->knob) == '1') {
		if (pwrite(r->knob, "0", 1, 0) != 1)
			return -errno;
		*restored = true;
	}
	(void)!ftruncate(r->marker, 0);
	return 0;
}

bool mdops_rcu_expedite(struct mdops_rcu *r)
{
	size_t n = strlen(r->mark);

	if (r->set || !r->open || knob_value(r->knob) != '0')
		return r->set;
	if (pwrite(r->marker, r->mark, n, 0) != (ssize_t)n)
		return false;
	if (pwrite(r->knob, "1", 1, 0) != 1) {
		(void)!ftruncate(r->marker, 0);
		return false;
	}
	r->set = true;
	return true;
}

void mdops_rcu_unexpedite(struct mdops_rcu *r)
{
	if (!r->set)
		return;
	r->set = false;
	if (knob_value(r->knob) == '1' && pwrite(r->knob, "0", 1, 0) != 1)
		return; /* the marker stays: the next monitor tries again */
	(void)!ftruncate(r->marker, 0);
}

void mdops_rcu_close(struct mdops_rcu *r)
{
	if (!r->open)
		return;
	mdops_rcu_unexpedite(r);
	close(r->knob);
	close(r->marker);
	r->knob = r->marker = -1;
	r->open = false;
}

/* ---- superblock writes that can be taken back ---- */

/*
 * What mdops_sb_save() read at once: the new superblock's 4 KiB and its log
 * when they lie close together, from the device's start when that is near
 * (1.1 and 1.2: 1.1's and 1.2's places come with it).  buf NULL: none.
 */
struct save_span {
	unsigned char *buf;
	uint64_t at;
	size_t len;
};

#define SAVE_SPAN_MAX (64u * 1024)

/* Region k of sv, from the span when it lies inside, else read on its own. */
static int save_region(int fd, struct mdops_sb_save *sv, int k, const struct save_span *sp)
{
	if (sp->buf && sv->at[k] >= sp->at && sv->at[k] + sv->len[k] <= sp->at + sp->len) {
		memcpy(sv->buf[k], sp->buf + (sv->at[k] - sp->at), sv->len[k]);
		return 0;
	}
	return sb1_pread_fresh(fd, sv->buf[k], sv->len[k], sv->at[k]);
}

/* One read for regions 0..first_erase-1 where they are close; where it fails, each is read alone. */
static void read_span(int fd, const struct mdops_sb_save *sv, struct save_span *sp)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (int k = 0; k < sv->first_erase; k++) {
		lo = sv->at[k] < lo ? sv->at[k] : lo;
		hi = sv->at[k] + sv->len[k] > hi ? sv->at[k] + sv->len[k] : hi;
	}
	if (hi <= SAVE_SPAN_MAX)
		lo = 0;
	sp->buf = NULL;
	if (hi <= lo || hi - lo > SAVE_SPAN_MAX)
		return;
	sp->buf = malloc(hi - lo);
	if (sp->buf && sb1_pread_fresh(fd, sp->buf, hi - lo, lo)) {
		free(sp->buf);
		sp->buf = NULL;
	}
	sp->at = lo;
	sp->len = hi - lo;
}

/*
 * Every other md superblock on fd (the magic, valid or not): left behind, an
 * old one can be assembled instead of the new array, or shown by --examine
 * when the creation times tie.  Unreadable places are not ours to write.
 */
static int save_old_superblocks(int fd, struct mdops_sb_save *sv, const struct save_span *sp)
{
	struct mdsb_loc loc[MDSB_NVERSIONS];
	unsigned nloc;
	/* the places inside the span were read with it: not again */
	int rc = mdsb_scan_known(fd, loc, &nloc, sp->at, sp->buf ? sp->len : 0, sp->buf);

	for (unsigned i = 0; !rc && i < nloc; i++) {
		uint64_t at = loc[i].sector * 512;
		bool clear = true;

		if (loc[i].state != MDSB_VALID && loc[i].state != MDSB_DAMAGED)
			continue;
		for (int k = 0; k < sv->first_erase; k++)
			if (at < sv->at[k] + sv->len[k] && sv->at[k] < at + MDSB_BYTES)
				clear = false;   /* the new superblock or its log covers it */
		if (!clear || sv->n >= MDOPS_SB_REGIONS)
			continue;
		sv->ver[sv->n] = loc[i].version;
		sv->at[sv->n] = at;
		sv->len[sv->n++] = MDSB_BYTES;
	}
	return rc;
}

int mdops_sb_save(int fd, const struct sb1_info *s, struct mdops_sb_save *sv)
{
	struct save_span sp;
	struct stat st;
	int rc = 0;

	/* not the blocks (a survey kept by the monitor touches only those it uses) */
	memset(sv, 0, offsetof(struct mdops_sb_save, buf));
	sv->area = NULL;
	sv->area_at = 0;
	sv->area_len = 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	sv->rdev = st.st_rdev;
	sv->at[sv->n] = s->super_offset * 512;
	sv->len[sv->n++] = SB1_READ_SIZE;
	if (s->bblog_size && s->bblog_offset && s->bblog_size * 512u <= SB1_READ_SIZE) {
		sv->at[sv->n] = (uint64_t)((int64_t)s->super_offset + s->bblog_offset) * 512;
		sv->len[sv->n++] = s->bblog_size * 512u;
	}
	sv->first_erase = sv->n;
	read_span(fd, sv, &sp);
	for (int k = 0; !rc && k < sv->first_erase; k++)
		rc = save_region(fd, sv, k, &sp);
	if (!rc)
		rc = save_old_superblocks(fd, sv, &sp);
	for (int k = sv->first_erase; !rc && k < sv->n; k++)
		rc = save_region(fd, sv, k, &sp);
	free(sp.buf);
	if (rc)
		sv->n = 0;
	return rc;
}

int mdops_sb_save_area(int fd, struct mdops_sb_save *sv, uint64_t at, size_t len)
{
	int rc;

	if (!sv->n || !len)
		return -EINVAL;
	if (sv->area)
		return -EEXIST;
	sv->area = malloc(len);
	if (!sv->area)
		return -ENOMEM;
	rc = sb1_pread_fresh(fd, sv->area, len, at);
	if (rc) {
		mdops_sb_save_release(sv);
		return rc;
	}
	sv->area_at = at;
	sv->area_len = len;
	return 0;
}

void mdops_sb_save_release(struct mdops_sb_save *sv)
{
	free(sv->area);
	sv->area = NULL;
	sv->area_len = 0;
}

static int sb_write(int fd, struct sb1_dev *d, struct mdops_sb_save *sv, bool spare)
{
	int rc;

	if (!sv->n)
		return -EINVAL;   /* nothing saved: refuse a write that cannot be undone */
	sv->written = true;
	for (int k = sv->first_erase; k < sv->n; k++) {
		struct mdsb_loc l = { .version = sv->ver[k], .sector = sv->at[k] / 512 };

		rc = mdsb_erase(fd, &l, false);
		if (rc)
			return rc;
	}
	/* the block saved first is what the superblock's place holds (no erase touches it) */
	return spare ? sb1_write_spare_over(fd, d, sv->buf[0]) : sb1_write_new_over(fd, d, sv->buf[0]);
}

int mdops_sb_write(int fd, struct sb1_dev *d, struct mdops_sb_save *sv)
{
	return sb_write(fd, d, sv, false);
}

int mdops_sb_write_spare(int fd, struct sb1_dev *d, struct mdops_sb_save *sv)
{
	return sb_write(fd, d, sv, true);
}

int mdops_sb_rewrite(int fd, struct sb1_dev *d, struct mdops_sb_save *sv)
{
	int rc;

	if (!sv->n) {
		rc = mdops_sb_save(fd, &d->info, sv);
		if (rc)
			return rc;
	}
	sv->written = true;
	return sb1_write(fd, d);
}

/* Does the device hold exactly the saved bytes (a write that failed before reaching it)? */
static bool holds_saved(int fd, const struct mdops_sb_save *sv)
{
	unsigned char *now = malloc(sv->area_len > SB1_READ_SIZE ? sv->area_len : SB1_READ_SIZE);
	bool same = now != NULL;

	for (int k = 0; same && k < sv->n; k++)
		same = !sb1_pread_fresh(fd, now, sv->len[k], sv->at[k]) &&
		       !memcmp(now, sv->buf[k], sv->len[k]);
	if (same && sv->area)
		same = !sb1_pread_fresh(fd, now, sv->area_len, sv->area_at) &&
		       !memcmp(now, sv->area, sv->area_len);
	free(now);
	return same;
}

/* One saved region back in place. */
static int put_back(int fd, const void *buf, size_t len, uint64_t at)
{
	ssize_t w = pwrite(fd, buf, len, (off_t)at);

	if (w < 0)
		return -errno;
	return (size_t)w == len ? 0 : -EIO;
}

int mdops_sb_restore(int fd, struct mdops_sb_save *sv)
{
	if (!sv->written)
		return 0;
	/* nothing reached the disk (a read-only device refuses the first write): nothing to put back */
	if (holds_saved(fd, sv)) {
		sv->written = false;
		return 1;
	}
	/* the area first: a failure half way leaves the superblock, hence the array, written */
	if (sv->area) {
		int rc = put_back(fd, sv->area, sv->area_len, sv->area_at);

		if (rc)
			return rc;
	}
	for (int k = 0; k < sv->n; k++) {
		int rc = put_back(fd, sv->buf[k], sv->len[k], sv->at[k]);

		if (rc)
			return rc;
	}
	if (fsync(fd) < 0)
		return -errno;
	sv->written = false;
	return 0;
}

/*
 * Open path exclusively, only when it is still the device rdev (the one
 * checked and saved from): a name that now leads elsewhere is never written.
 */
static int open_checked(const char *path, dev_t rdev)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_EXCL | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_rdev != rdev) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/* Open path for the spare's superblock: still the device checked, still blank (blkdev_recheck()). */
static int open_rechecked(const char *path, const struct blkdev_id *checked, unsigned flags,
			  char *why, size_t whylen)
{
	int fd = open(path, O_RDWR | O_EXCL | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = blkdev_recheck(fd, checked, flags, why, whylen);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int mdops_sb_restore_path(const char *path, struct mdops_sb_save *sv)
{
	int fd = -EBUSY, rc;

	if (!sv->written)
		return 0;
	/* the kernel may release a stopped array's members a little later */
	for (int tries = 0; tries < 40; tries++) {
		fd = open_checked(path, sv->rdev);
		if (fd != -EBUSY)
			break;
		poll(NULL, 0, 50);
	}
	if (fd < 0)
		return fd;
	rc = mdops_sb_restore(fd, sv);
	close(fd);
	return rc;
}

/* ---- a spare added to a running array ---- */

/* The spare's superblock, modelled on the array's: geometry kept, member state cleared. */
static int spare_sb(int fd, const struct sb1_dev *model, uint32_t dev_number, struct sb1_dev *d)
{
	const uint32_t keep = SB1_FEAT_BITMAP_OFFSET | SB1_FEAT_JOURNAL | SB1_FEAT_PPL |
			      SB1_FEAT_MULTIPLE_PPLS | SB1_FEAT_RAID0_LAYOUT;
	uint64_t dev_sectors, so;
	int rc;

	rc = sb1_dev_size(fd, &dev_sectors);
	if (rc)
		return rc;
	so = sb1_location(model->minor, dev_sectors);
	if (so == UINT64_MAX)
		return -ENOSPC;
	memset(d, 0, sizeof(*d));
	d->minor = model->minor;
	d->info = model->info;
	d->info.minor = model->minor;
	d->info.super_offset = so;
	if (model->minor == 0) {
		/* keep the model's room between the data and the superblock (log, bitmap) */
		uint64_t end = model->info.data_offset + model->info.data_size;
		uint64_t gap = model->info.super_offset > end ? model->info.super_offset - end : 0;

		if (so < d->info.data_offset + gap)
			return -ENOSPC;
		d->info.data_size = so - gap - d->info.data_offset;
	} else {
		if (dev_sectors <= d->info.data_offset)
			return -ENOSPC;
		d->info.data_size = dev_sectors - d->info.data_offset;
	}
	if (d->info.data_size < d->info.size)
		return -ENOSPC;
	/* a spare carries no recovery, replacement, reshape or bad-block state */
	d->info.feature_map &= keep;
	d->info.recovery_offset = 0;
	d->info.cnt_corrected_read = 0;
	d->info.devflags = 0;
	d->info.new_offset = 0;
	d->info.dev_number = dev_number;
	if (dev_number >= d->info.max_dev) {
		for (uint32_t i = d->info.max_dev; i <= dev_number; i++)
			d->info.dev_roles[i] = SB1_ROLE_SPARE;
		d->info.max_dev = dev_number + 1;
	}
	d->info.dev_roles[dev_number] = SB1_ROLE_SPARE;
	d->info.utime_sec = (uint64_t)time(NULL);
	d->info.utime_usec = 0;
	if (getrandom(d->info.device_uuid, sizeof(d->info.device_uuid), 0) !=
	    (ssize_t)sizeof(d->info.device_uuid))
		return -EIO;
	return 0;
}

/* Does survey save what writing d's superblock on device rdev replaces (the same places)? */
static bool survey_fits(const struct mdops_sb_save *survey, const struct sb1_info *d, dev_t rdev)
{
	bool log = d->bblog_size && d->bblog_offset && d->bblog_size * 512u <= SB1_READ_SIZE;

	if (!survey || survey->n < 1 || survey->written || survey->area || survey->rdev != rdev ||
	    survey->at[0] != d->super_offset * 512 || survey->len[0] != SB1_READ_SIZE)
		return false;
	if (!log)
		return survey->first_erase == 1;
	return survey->first_erase == 2 &&
	       survey->at[1] == (uint64_t)((int64_t)d->super_offset + d->bblog_offset) * 512 &&
	       survey->len[1] == d->bblog_size * 512u;
}

int md_spare_survey(const char *path, int minor, struct mdops_sb_save *sv)
{
	struct sb1_dev *d = malloc(sizeof(*d));
	int fd, rc;

	sv->n = 0;
	if (!d)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(d);
		return -errno;
	}
	rc = sb1_load(fd, minor, d);
	if (!rc)
		rc = mdops_sb_save(fd, &d->info, sv);
	close(fd);
	free(d);
	return rc;
}

/* Build and write the spare's superblock, saving what it replaces in undo (or taking survey's). */
static int write_spare_sb(const struct sb1_dev *model, uint32_t dev_number,
			  const struct md_spare_prep *prep, const struct blkdev_id *checked,
			  unsigned flags, struct md_spare_undo *undo)
{
	const struct mdops_sb_save *survey = prep->survey;
	struct sb1_dev *d = malloc(sizeof(*d));
	int fd, rc;

	if (!d)
		return -ENOMEM;
	/* only the device checked, whose number ADD_NEW_DISK is given, and still blank */
	fd = open_rechecked(undo->path, checked, flags, undo->why, sizeof(undo->why));
	if (fd < 0) {
		free(d);
		return fd;
	}
	mdctl_ktrace("%s: opened and checked again", undo->path);
	rc = spare_sb(fd, model, dev_number, d);
	if (!rc && survey_fits(survey, &d->info, checked->rdev)) {
		undo->save = *survey;
		mdctl_ktrace("%s: what the superblock replaces taken from the survey", undo->path);
	} else if (!rc) {
		rc = mdops_sb_save(fd, &d->info, &undo->save);
		mdctl_ktrace("%s: what the superblock replaces saved", undo->path);
	}
	if (!rc) {
		undo->wrote = true;
		rc = prep->at_once ? mdops_sb_write_spare(fd, d, &undo->save)
				   : mdops_sb_write(fd, d, &undo->save);
	}
	mdctl_ktrace("%s: superblock written", undo->path);
	if (rc && undo->save.written && !mdops_sb_restore(fd, &undo->save))
		undo->restored = true;
	/* closed before the kernel claims the disk: our O_EXCL would make it busy */
	close(fd);
	free(d);
	return rc;
}

/*
 * ADD_NEW_DISK with the device number the superblock carries: as a spare
 * (raid_disk -1), or back into slot raid_disk marked in sync (a re-add:
 * the kernel then checks the device's events against the array's and its
 * bitmap's, and refuses with -EINVAL when they do not allow it).
 */
/* The array's node <dev_root>/<md>, opened for md's ioctls: the fd or -errno. */
static int open_md_node(const char *dev_root, const char *md)
{
	char mdpath[PATH_MAX];
	int fd;

	if (snprintf(mdpath, sizeof(mdpath), "%s/%s", dev_root, md) >= (int)sizeof(mdpath))
		return -ENAMETOOLONG;
	fd = open(mdpath, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int add_new_disk(const char *dev_root, const char *md, uint32_t number, dev_t rdev,
			int raid_disk)
{
	mdu_disk_info_t info;
	int mdfd = open_md_node(dev_root, md), rc;

	if (mdfd < 0)
		return mdfd;
	memset(&info, 0, sizeof(info));
	info.number = (int)number;
	info.major = (int)major(rdev);
	info.minor = (int)minor(rdev);
	info.raid_disk = raid_disk;
	info.state = raid_disk >= 0 ? 1 << 2 : 0;   /* MD_DISK_SYNC (bit 2) */
	rc = ioctl(mdfd, ADD_NEW_DISK, &info) < 0 ? -errno : 0;
	close(mdfd);
	return rc;
}

/*
 * The kernel's own answer to "which device numbers are bound" (GET_DISK_INFO
 * by number reports 0:0 for a free one): the first number below SB1_MAX_DEV
 * that is free there and no active role in model's table.  No superblock is
 * read, and a failed member still bound keeps its number.  -ENOTTY when md
 * cannot be asked (not an md node).
 */
static int kernel_free_number(const char *dev_root, const char *md, const struct sb1_dev *model,
			      uint32_t *number)
{
	int mdfd = open_md_node(dev_root, md), rc = -EEXIST;

	if (mdfd < 0)
		return mdfd;
	for (uint32_t n = 0; n < SB1_MAX_DEV; n++) {
		mdu_disk_info_t info;

		memset(&info, 0, sizeof(info));
		info.number = (int)n;
		if (ioctl(mdfd, GET_DISK_INFO, &info) < 0) {
			rc = -errno;
			break;
		}
		if (info.major || info.minor)
			continue;   /* bound, faulty or not */
		if (n < model->info.max_dev && model->info.dev_roles[n] < SB1_ROLE_MAX)
			continue;   /* an absent member's role: keep it for its return */
		*number = n;
		rc = 0;
		break;
	}
	close(mdfd);
	return rc;
}

/*
 * A free device number for a spare modelled on model (not clustered), from
 * a fresh look at the array: the kernel's table of bound numbers; where md
 * cannot be asked, the superblocks of the members sysfs lists now.
 */
static int spare_number(const char *sysfs_root, const char *dev_root, const struct md_array *a,
		       const struct sb1_dev *model, uint32_t *number)
{
	struct md_array now;
	int rc;

	if (model->info.feature_map & SB1_FEAT_CLUSTERED)
		return -EOPNOTSUPP;
	rc = kernel_free_number(dev_root, a->kname, model, number);
	if (rc != -ENOTTY && rc != -EINVAL)
		return rc;
	/* spares added since the caller's snapshot hold numbers too: who is a member now */
	rc = md_array_names(sysfs_root, a->kname, &now);
	if (rc)
		return rc;
	memcpy(now.metadata_version, a->metadata_version, sizeof(now.metadata_version));
	rc = md_free_dev_number(dev_root, &now, model, number);
	md_array_free(&now);
	return rc;
}

/* After ADD_NEW_DISK: the member's kernel name, and it is not faulty (-EIO). */
static int joined_ok(const char *sysfs_root, const char *md, dev_t rdev, char *kname, size_t len)
{
	char state[128];
	int rc;

	rc = sysfs_kname_of_devnum(sysfs_root, major(rdev), minor(rdev), kname, len);
	if (!rc)
		rc = sysfs_dev_read(sysfs_root, md, kname, "state", state, sizeof(state));
	if (!rc && md_flags_failed(md_parse_dev_state(state)))
		rc = -EIO;
	return rc;
}

/*
 * A device joining the running array a: its device number, its own
 * superblock (-ENOENT: none reads; -ENODEV: path led to another device
 * once it was read) and an in-sync member's, for the checks before any
 * write; the event counts of both.  *mine and *model are malloc'd; the caller frees them, also on error.
 */
static int joining_read(const char *dev_root, const struct md_array *a, const char *path,
			dev_t *rdev, struct sb1_dev **mine, struct sb1_dev **model,
			uint64_t *events, uint64_t *array_events)
{
	struct stat st;
	int minor, rc;

	*mine = *model = NULL;
	minor = md_metadata_minor(a->metadata_version);
	if (minor < 0)
		return minor;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	*rdev = st.st_rdev;
	*mine = malloc(sizeof(**mine));
	*model = malloc(sizeof(**model));
	if (!*mine || !*model)
		return -ENOMEM;
	if (md_sb_read(path, minor, *mine))
		return -ENOENT;
	if (stat(path, &st) || st.st_rdev != *rdev)
		return -ENODEV;
	*events = (*mine)->info.events;
	rc = md_model_sb(dev_root, a, *model);
	if (!rc)
		*array_events = (*model)->info.events;
	return rc;
}

int md_spare_prepare(const char *sysfs_root, const char *dev_root, const struct md_array *a,
		     struct md_spare_prep *prep)
{
	return md_spare_prepare_from(sysfs_root, dev_root, a, NULL, prep);
}

int md_spare_prepare_from(const char *sysfs_root, const char *dev_root, const struct md_array *a,
			  const struct sb1_dev *model, struct md_spare_prep *prep)
{
	int rc = 0;

	memset(prep, 0, sizeof(*prep));
	if (!model) {
		rc = md_model_load(dev_root, a, &prep->model);
	} else {
		prep->model = malloc(sizeof(*prep->model));
		if (prep->model)
			*prep->model = *model;
		else
			rc = -ENOMEM;
	}
	if (!rc)
		rc = spare_number(sysfs_root, dev_root, a, prep->model, &prep->number);
	if (rc)
		md_spare_prep_free(prep);
	return rc;
}

void md_spare_prep_free(struct md_spare_prep *prep)
{
	free(prep->model);
	prep->model = NULL;
}

int md_add_spare(const char *sysfs_root, const char *dev_root, const struct md_array *a,
		 const char *path, const struct blkdev_id *checked, unsigned flags,
		 struct md_spare_undo *undo)
{
	struct md_spare_prep prep;
	int rc;

	memset(undo, 0, sizeof(*undo));
	if (copy_str(undo->path, sizeof(undo->path), path))
		return -ENAMETOOLONG;
	rc = md_spare_prepare(sysfs_root, dev_root, a, &prep);
	if (rc)
		return rc;
	rc = md_add_spare_prepared(sysfs_root, dev_root, a, path, checked, flags, &prep, undo);
	md_spare_prep_free(&prep);
	return rc;
}

int md_add_spare_prepared(const char *sysfs_root, const char *dev_root, const struct md_array *a,
			  const char *path, const struct blkdev_id *checked, unsigned flags,
			  const struct md_spare_prep *prep, struct md_spare_undo *undo)
{
	uint32_t number = prep->number;
	int rc;

	memset(undo, 0, sizeof(*undo));
	if (copy_str(undo->path, sizeof(undo->path), path))
		return -ENAMETOOLONG;
	rc = write_spare_sb(prep->model, number, prep, checked, flags, undo);
	if (rc)
		return rc;
	/* the number of the device checked and written, not whatever path names now */
	rc = add_new_disk(dev_root, a->kname, number, checked->rdev, -1);
	mdctl_ktrace("%s: ADD_NEW_DISK of %s: %d", a->kname, path, rc);
	if (!rc) {
		undo->added = undo->bound = true;
		/* read back: the disk is a member, not faulty */
		rc = joined_ok(sysfs_root, a->kname, checked->rdev, undo->kname,
			       sizeof(undo->kname));
	}
	if (rc)
		md_spare_undo(sysfs_root, a->kname, undo);
	return rc;
}

/* The checks of md_readd() that need no kernel: same array, an active role, its slot free, not newer. */
static int readd_check(const struct md_array *a, const struct sb1_dev *mine,
		       const struct sb1_dev *model, int *role)
{
	uint16_t r = sb1_role(&mine->info);

	if (memcmp(mine->info.set_uuid, model->info.set_uuid, sizeof(mine->info.set_uuid)))
		return -EXDEV;
	/* a spare, a faulty member, or a replacement that never took its slot over */
	if (r >= SB1_ROLE_MAX || r >= (uint32_t)a->raid_disks ||
	    (mine->info.feature_map & SB1_FEAT_REPLACEMENT))
		return -EDOM;
	for (unsigned i = 0; i < a->nmembers; i++)
		if (a->members[i].slot == (int)r && !md_member_failed(&a->members[i]))
			return -EBUSY;
	/* newer than the array: it went on without it (split brain); never roll it back */
	if (mine->info.events > model->info.events)
		return -EUCLEAN;
	*role = r;
	return 0;
}

/*
 * Open path read-only, only when it is still the device checked (its
 * number is what the kernel is given), a block device unless flags allow
 * a file (unit tests).  The superblock read and the number given to the
 * kernel then both come from that one device.
 */
static int open_joining(const char *path, const struct blkdev_id *checked, unsigned flags)
{
	struct blkdev_id now;
	int fd = blkdev_open(path, O_RDONLY), rc;

	if (fd < 0)
		return fd;
	rc = blkdev_id_of_fd(fd, &now);
	if (!rc && !blkdev_id_same(&now, checked))
		rc = -ESTALE;
	if (!rc && !now.blk && !(flags & BLKDEV_FILE_OK))
		rc = -ENOTBLK;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int md_readd(const char *sysfs_root, const char *dev_root, const struct md_array *a,
	     const char *path, const struct blkdev_id *checked, unsigned flags,
	     struct md_readd_info *out)
{
	struct sb1_dev *mine = NULL, *model = NULL;
	dev_t rdev = checked->rdev;
	int minor, rc, fd;

	memset(out, 0, sizeof(*out));
	out->slot = -1;
	minor = md_metadata_minor(a->metadata_version);
	if (minor < 0)
		return minor;
	/* held open until the kernel has it: the device read is the device given */
	fd = open_joining(path, checked, flags);
	if (fd < 0)
		return fd;
	mine = malloc(sizeof(*mine));
	model = malloc(sizeof(*model));
	rc = mine && model ? 0 : -ENOMEM;
	if (!rc)
		rc = md_sb_read_fd(fd, minor, mine);
	if (rc) {
		rc = rc == -ENOMEM ? rc : -ENOENT;
		goto out;
	}
	out->events = mine->info.events;
	rc = md_model_sb(dev_root, a, model);
	if (!rc) {
		out->array_events = model->info.events;
		rc = readd_check(a, mine, model, &out->slot);
	}
	if (!rc)
		rc = add_new_disk(dev_root, a->kname, mine->info.dev_number, rdev, out->slot);
	/* back in, but faulty: take it out again rather than leave a failed member */
	if (!rc) {
		rc = joined_ok(sysfs_root, a->kname, rdev, out->kname, sizeof(out->kname));
		if (rc == -EIO)
			mdops_fail_remove(sysfs_root, a->kname, out->kname, 5000);
	}
out:
	close(fd);
	free(mine);
	free(model);
	return rc;
}

int md_spare_undo(const char *sysfs_root, const char *md, struct md_spare_undo *undo)
{
	int rc = 0, r;

	if (undo->added && undo->kname[0]) {
		r = mdops_fail_remove(sysfs_root, md, undo->kname, 5000);
		if (r) {
			rc = r;
		} else {
			undo->added = false;
			undo->unbound = true;
		}
	}
	if (!undo->added && undo->save.written) {
		r = mdops_sb_restore_path(undo->path, &undo->save);
		if (r < 0 && !rc)
			rc = r;
		undo->restored = r == 0;
	}
	return rc;
}

void md_spare_undo_text(const struct md_spare_undo *undo, char *buf, size_t len)
{
	if (undo->added)
		snprintf(buf, len, "could not be undone: it may still be in the array%s",
			 undo->save.written ? " with its new superblock" : "");
	else if (undo->save.written)
		snprintf(buf, len, "could not be undone: a new superblock may remain on it");
	else if (undo->wrote || undo->bound)
		snprintf(buf, len, "undone: %s%s", undo->unbound ? "taken out of the array, " : "",
			 undo->restored ? "its old superblock area written back" :
			 "nothing of the superblock write reached it");
	else
		snprintf(buf, len, "nothing was written");
}

/* ---- one writer per array ---- */

static pid_t lock_holder(const char *md)
{
	char name[64], buf[32] = "";
	ssize_t n;
	pid_t pid;
	int fd;

	snprintf(name, sizeof(name), "%s.lock", md);
	fd = safe_open_in(safe_run_dir(), name, O_RDONLY, 0);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	pid = (pid_t)strtol(buf, NULL, 10);
	/* a holder that is gone left its pid (killed before mdops_unlock): not named */
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM) ? pid : 0;
}

int mdops_lock(const char *md, int wait_ms, pid_t *holder)
{
	char name[64], path[PATH_MAX], pid[24];
	struct timespec t0, now;
	long waited;
	int fd;

	if (holder)
		*holder = 0;
	if (strchr(md, '/') || snprintf(name, sizeof(name), "%s.lock", md) >= (int)sizeof(name))
		return -EINVAL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		fd = safe_run_lock(name, 1, path, sizeof(path));
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (fd != -EWOULDBLOCK || waited >= wait_ms)
			break;
		usleep(20000);
	}
	if (fd == -EWOULDBLOCK && holder)
		*holder = lock_holder(md);
	if (fd < 0)
		return fd;
	/* the pid only names the holder in the others' messages: a failed write costs nothing */
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0)
		(void)!pwrite(fd, pid, strlen(pid), 0);
	return fd;
}

void mdops_unlock(int *fd)
{
	if (*fd < 0)
		return;
	/* no pid left behind to be named as the holder of a lock someone else takes later */
	(void)!ftruncate(*fd, 0);
	close(*fd);
	*fd = -1;
}

/* ---- an interrupted replacement back in its slot ---- */

/*
 * The checks of md_resume_replacement() that need no kernel: the same
 * array, a replacement of a slot whose member is active with no
 * replacement paired, and the superblock written in the array's last
 * update (same events and update time as an in-sync member's): the kernel
 * writes a paired replacement's superblock in every update, and takes
 * an array's events back by one on a dirty-to-clean return, so the event
 * count alone would not show writes made while it was away.
 */
static int resume_check(const struct md_array *a, const struct sb1_dev *mine,
			const struct sb1_dev *model, struct md_resume_info *out)
{
	const struct sb1_info *s = &mine->info;
	const struct md_member *old;
	uint16_t r = sb1_role(s);

	if (memcmp(s->set_uuid, model->info.set_uuid, sizeof(s->set_uuid)))
		return -EXDEV;
	if (!(s->feature_map & SB1_FEAT_REPLACEMENT) || r >= SB1_ROLE_MAX ||
	    r >= (uint32_t)a->raid_disks)
		return -EDOM;
	out->slot = r;
	out->offset = (s->feature_map & SB1_FEAT_RECOVERY_OFFSET) ? s->recovery_offset : 0;
	if (out->offset > model->info.size)
		return -EDOM;
	old = md_slot_member(a, r, false);
	if (!old || !md_member_active(old) || md_slot_member(a, r, true) ||
	    !md_array_writable(a) || a->reshape_position != SYSFS_NONE)
		return -EBUSY;
	copy_str(out->old_kname, sizeof(out->old_kname), old->kname);
	if (s->events > model->info.events)
		return -EUCLEAN;
	if (s->events != model->info.events || s->utime_sec != model->info.utime_sec ||
	    s->utime_usec != model->info.utime_usec)
		return -ESTALE;
	return 0;
}

/* Read back after the pairing: a replacement of slot, not failed, resuming at offset. */
static int resumed_ok(const char *sysfs_root, const char *md, const struct md_resume_info *out)
{
	char state[128], slot[16];
	uint64_t start = 0;
	unsigned flags;
	char rel[256];

	if (sysfs_dev_read(sysfs_root, md, out->kname, "state", state, sizeof(state)) ||
	    sysfs_dev_read(sysfs_root, md, out->kname, "slot", slot, sizeof(slot)))
		return -EIO;
	snprintf(rel, sizeof(rel), "block/%s/md/dev-%s/recovery_start", md, out->kname);
	if (sysfs_read_u64(sysfs_root, rel, &start))
		return -EIO;
	flags = md_parse_dev_state(state);
	if (md_flags_failed(flags) || !(flags & MDM_REPLACEMENT) || atoi(slot) != out->slot ||
	    start != out->offset)
		return -EIO;
	return 0;
}

/* The kernel sequence of md_resume_replacement(), recovery frozen by the caller. */
static int resume_pair(const char *sysfs_root, const char *md, dev_t rdev, bool mark,
		       struct md_resume_info *out)
{
	char val[32];
	bool marked = false;
	int rc;

	rc = mdops_bind(sysfs_root, md, major(rdev), minor(rdev));
	if (rc)
		return rc;
	rc = sysfs_kname_of_devnum(sysfs_root, major(rdev), minor(rdev), out->kname,
				   sizeof(out->kname));
	if (rc)
		return rc;
	/* a spare for now: the sectors copied, then the slot makes it the replacement */
	snprintf(val, sizeof(val), "%llu", (unsigned long long)out->offset);
	rc = sysfs_dev_write(sysfs_root, md, out->kname, "recovery_start", val);
	if (!rc && mark) {
		rc = mdops_mark(sysfs_root, md, out->old_kname, true);
		marked = !rc;
	}
	if (!rc)
		rc = mdops_pair(sysfs_root, md, out->kname, out->slot);
	if (!rc)
		rc = resumed_ok(sysfs_root, md, out);
	if (rc) {
		mdops_fail_remove(sysfs_root, md, out->kname, 5000);
		if (marked)
			mdops_mark(sysfs_root, md, out->old_kname, false);
	}
	return rc;
}

int md_resume_replacement(const char *sysfs_root, const char *dev_root, const struct md_array *a,
			  const char *path, struct md_resume_info *out)
{
	struct sb1_dev *mine, *model;
	const struct md_member *old;
	dev_t rdev = 0;
	bool froze = false;
	int rc;

	memset(out, 0, sizeof(*out));
	out->slot = -1;
	rc = joining_read(dev_root, a, path, &rdev, &mine, &model, &out->events,
			  &out->array_events);
	if (!rc)
		rc = resume_check(a, mine, model, out);
	if (rc)
		goto out;
	rc = mdops_freeze(sysfs_root, a->kname, &froze);
	if (rc == 1)
		rc = -EBUSY;   /* frozen by someone else: not ours to thaw */
	if (rc)
		goto out;
	old = md_slot_member(a, out->slot, false);
	rc = resume_pair(sysfs_root, a->kname, rdev, !md_member_marked(old), out);
	mdops_unfreeze(sysfs_root, a->kname, &froze);
out:
	free(mine);
	free(model);
	return rc;
}
