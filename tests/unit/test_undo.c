// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_undo.c: every write step of the superblock-writing paths (mdops'
 * superblock write, --create, --add) made to fail in turn, and the bytes
 * put back checked.  Linked with pwrite, fsync, ioctl and mknod wrapped
 * (Makefile UNIT_WRAP): the Nth write step fails after writing half its
 * bytes, as a disk dying mid-write would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Create's own steps (write_superblocks, start_array) are what is tested: take them in whole. */
#include "Create.c"
#include <sys/ioctl.h>
#include <linux/major.h>
#include <linux/raid/md_u.h>

#include "md_fixture.h"
#include "sb1_fixture.h"

#define DEV_SECTORS 8192
#define DEV_BYTES (DEV_SECTORS * 512)

/* ---- the faults ---- */

static int fault_at;       /* fail the fault_at-th write step (pwrite or fsync); 0: none */
static int steps;          /* write steps seen since arm() */
static int ioctl_add_rc;   /* ADD_NEW_DISK: 0 succeeds, else that -errno */
static bool refuse_whole;  /* the failing pwrite writes nothing (a read-only disk) */
static int adds;           /* ADD_NEW_DISK requests seen */
static mdu_disk_info_t last_add;   /* what the last one asked for */
static bool add_binds_new9;        /* a successful one makes dev 0:0 (new9) a member in its slot */
static int kernel_bound = -1;      /* GET_DISK_INFO: numbers below it bound (7:n); -1: not md */

ssize_t __real_pwrite(int fd, const void *buf, size_t len, off_t off);
int __real_fsync(int fd);
int __real_ioctl(int fd, unsigned long req, void *arg);

static void arm(int at)
{
	fault_at = at;
	steps = 0;
}

static bool step_fails(void)
{
	return ++steps == fault_at;
}

ssize_t __wrap_pwrite(int fd, const void *buf, size_t len, off_t off);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	if (step_fails()) {
		/* half of it reaches the disk, then the error */
		if (len > 1 && !refuse_whole)
			(void)__real_pwrite(fd, buf, len / 2, off);
		errno = EIO;
		return -1;
	}
	return __real_pwrite(fd, buf, len, off);
}

static int preads;         /* pread calls seen */

ssize_t __real_pread(int fd, void *buf, size_t len, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t len, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t len, off_t off)
{
	preads++;
	return __real_pread(fd, buf, len, off);
}

int __wrap_fsync(int fd);
int __wrap_fsync(int fd)
{
	if (step_fails()) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

/* ADD_NEW_DISK answered as the test says; every other request goes to the kernel. */
int __wrap_ioctl(int fd, unsigned long req, void *arg);
int __wrap_ioctl(int fd, unsigned long req, void *arg)
{
	if (req == ADD_NEW_DISK) {
		adds++;
		memcpy(&last_add, arg, sizeof(last_add));
		if (ioctl_add_rc) {
			errno = -ioctl_add_rc;
			return -1;
		}
		if (add_binds_new9) {
			char slot[16];

			snprintf(slot, sizeof(slot), "%d\n", last_add.raid_disk);
			fx_put("block/md0/md/dev-new9/state", "in_sync\n");
			fx_put("block/md0/md/dev-new9/slot", slot);
		}
		return 0;
	}
	if (req == GET_DISK_INFO && kernel_bound >= 0) {
		mdu_disk_info_t *d = arg;
		int n = d->number;

		memset(d, 0, sizeof(*d));
		d->number = n;
		d->major = n < kernel_bound ? 7 : 0;
		d->minor = n < kernel_bound ? n : 0;
		d->raid_disk = -1;
		return 0;
	}
	return __real_ioctl(fd, req, arg);
}

/* The fake md device node "made": nothing in a test tree reads it. */
int __wrap_mknod(const char *path, mode_t mode, dev_t dev);
int __wrap_mknod(const char *path, mode_t mode, dev_t dev)
{
	(void)path;
	(void)mode;
	(void)dev;
	return 0;
}

/* ---- images ---- */

/* A test disk full of text (no signature libblkid knows), with what a superblock write replaces. */
static void old_disk(const char *path, int n)
{
	char line[64];
	size_t len;
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	len = (size_t)snprintf(line, sizeof(line), "old data of disk %d, line of sixty-four.\n", n);
	for (size_t done = 0; done < DEV_BYTES; done += len)
		assert_int_equal(fwrite(line, 1, len, f), len);
	assert_int_equal(ftruncate(fileno(f), DEV_BYTES), 0);
	assert_int_equal(fclose(f), 0);
}

static unsigned char *slurp_disk(const char *path)
{
	unsigned char *buf = malloc(DEV_BYTES);
	int fd = open(path, O_RDONLY);

	assert_non_null(buf);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, DEV_BYTES, 0), DEV_BYTES);
	close(fd);
	return buf;
}

static void assert_disk_is(const char *path, const unsigned char *want)
{
	unsigned char *got = slurp_disk(path);

	assert_memory_equal(got, want, DEV_BYTES);
	free(got);
}

static void assert_disk_is_not(const char *path, const unsigned char *want)
{
	unsigned char *got = slurp_disk(path);

	assert_memory_not_equal(got, want, DEV_BYTES);
	free(got);
}

static void disk_path(int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/disk%d.img", fx_dir, i);
}

/* ---- mdops_sb_write ---- */

/*
 * A 1.2 superblock written over an old one reads the device four times:
 * the head at once (1.1's and 1.2's places, the superblock's 4 KiB, its
 * log), 1.0's and 0.90's places, and the write's read-back; one fsync.
 */
static void superblock_write_reads_each_place_once(void **state)
{
	struct sb1_dev *d = calloc(1, sizeof(*d));
	struct mdops_sb_save *sv = calloc(1, sizeof(*sv));
	unsigned char blk[SB1_READ_SIZE];
	char path[PATH_MAX];
	int fd, per_read, fsyncs;

	(void)state;
	assert_non_null(d);
	assert_non_null(sv);
	disk_path(0, path, sizeof(path));
	old_disk(path, 0);
	assert_int_equal(fixture_info(&d->info, 2, DEV_SECTORS, 1, 2, 0), 0);
	d->minor = 2;
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	/* how many preads one read below the page cache takes here (O_DIRECT or its fallback) */
	preads = 0;
	assert_int_equal(sb1_pread_fresh(fd, blk, sizeof(blk), 4096), 0);
	per_read = preads;
	assert_true(per_read >= 1);
	preads = 0;
	arm(0);
	assert_int_equal(mdops_sb_save(fd, &d->info, sv), 0);
	assert_int_equal(mdops_sb_write(fd, d, sv), 0);
	fsyncs = steps - 2;   /* the steps were the log, the superblock and the fsyncs */
	assert_int_equal(preads, 4 * per_read);
	assert_int_equal(fsyncs, 1);
	close(fd);
	free(d);
	free(sv);
}

/* Each of the superblock write's steps (log, superblock, one fsync) fails once; the save puts back every byte. */
static void superblock_write_put_back_after_each_failed_step(void **state)
{
	struct sb1_dev *d = calloc(1, sizeof(*d));
	struct mdops_sb_save *sv = calloc(1, sizeof(*sv));
	unsigned char *before;
	char path[PATH_MAX];
	int fd, rc, at;

	(void)state;
	assert_non_null(d);
	assert_non_null(sv);
	disk_path(0, path, sizeof(path));
	old_disk(path, 0);
	before = slurp_disk(path);
	assert_int_equal(fixture_info(&d->info, 2, DEV_SECTORS, 1, 2, 0), 0);
	assert_true(d->info.bblog_size > 0);
	for (at = 1;; at++) {
		d->minor = 2;
		fd = open(path, O_RDWR);
		assert_true(fd >= 0);
		assert_int_equal(mdops_sb_save(fd, &d->info, sv), 0);
		arm(at);
		rc = mdops_sb_write(fd, d, sv);
		arm(0);
		if (rc == 0) {
			close(fd);
			break;
		}
		assert_int_equal(rc, -EIO);
		assert_true(sv->written);
		assert_int_equal(mdops_sb_restore(fd, sv), 0);
		assert_false(sv->written);
		close(fd);
		assert_disk_is(path, before);
	}
	/* the log, the superblock and the one fsync each failed once */
	assert_int_equal(at, 4);
	assert_disk_is_not(path, before);
	free(before);
	/* refused outright, as a read-only disk does: nothing to put back, and restore says so */
	old_disk(path, 0);
	before = slurp_disk(path);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(mdops_sb_save(fd, &d->info, sv), 0);
	refuse_whole = true;
	arm(1);
	assert_int_equal(mdops_sb_write(fd, d, sv), -EIO);
	arm(0);
	refuse_whole = false;
	assert_int_equal(mdops_sb_restore(fd, sv), 1);
	assert_false(sv->written);
	close(fd);
	assert_disk_is(path, before);
	free(before);
	free(d);
	free(sv);
}

/* ---- --create ---- */

#define NMEM 3

struct create_case {
	struct cmember m[NMEM];
	char paths[NMEM][PATH_MAX];
	unsigned char *before[NMEM];
	struct create_plan p;
};

/* Three blank members of a RAID1 with superblocks built, checked as check_member() does. */
static void create_case(struct create_case *c)
{
	char why[128];

	memset(c, 0, sizeof(*c));
	c->p.level = 1;
	c->p.raid_disks = NMEM;
	for (int i = 0; i < NMEM; i++) {
		struct cmember *m = &c->m[i];

		disk_path(i, c->paths[i], sizeof(c->paths[i]));
		old_disk(c->paths[i], i);
		c->before[i] = slurp_disk(c->paths[i]);
		m->path = c->paths[i];
		m->fd = -1;
		m->role = i;
		m->dev_number = (unsigned)i;
		m->sectors = DEV_SECTORS;
		m->check_flags = BLKDEV_FILE_OK;
		assert_int_equal(blkdev_check_new_member(fx_dir, m->path, DEV_SECTORS, NULL,
							 m->check_flags, &m->id, why, sizeof(why)), 0);
		assert_int_equal(fixture_info(&m->sb.info, 2, DEV_SECTORS, 1, NMEM, (uint32_t)i), 0);
	}
}

static void create_case_free(struct create_case *c)
{
	for (int i = 0; i < NMEM; i++) {
		free(c->before[i]);
		mdops_sb_save_release(&c->m[i].save);
	}
}

/* The same members with an internal write-intent bitmap planned as --create --bitmap=internal does. */
static void create_case_bitmap(struct create_case *c)
{
	struct create_opts o = { .md_arg = "/dev/md0", .level = 1, .minor = 2,
				 .bitmap = BM_INTERNAL };

	create_case(c);
	c->p.size = c->m[0].sb.info.size;
	assert_true(plan_bitmap(&o, &c->p, c->m, NMEM));
	assert_true(c->p.bitmap);
	for (int i = 0; i < NMEM; i++) {
		c->m[i].sb.info.feature_map |= c->p.feature_map;
		c->m[i].sb.sb_sector = c->m[i].sb.info.super_offset;
		c->m[i].sb.dev_sectors = DEV_SECTORS;
	}
}

static void assert_members_untouched(const struct create_case *c)
{
	for (int i = 0; i < NMEM; i++)
		assert_disk_is(c->paths[i], c->before[i]);
}

/*
 * write_superblocks() over the members make() sets up (with its plan, or
 * an empty one), the at-th write step made to fail for at = 1, 2, ...:
 * every failure leaves every member as it was, until a run with no step
 * left to fail writes them all.  Return that at.
 */
static int fail_each_write(struct create_case *c, void (*make)(struct create_case *), bool with_plan)
{
	int at;
	bool ok;

	for (at = 1;; at++) {
		make(c);
		arm(at);
		ok = write_superblocks("/dev/md0", with_plan ? &c->p : &(struct create_plan){ 0 }, c->m, NMEM);
		arm(0);
		if (ok)
			break;
		assert_members_untouched(c);
		create_case_free(c);
	}
	close_members(c->m, NMEM);
	for (int i = 0; i < NMEM; i++)
		assert_disk_is_not(c->paths[i], c->before[i]);
	create_case_free(c);
	return at;
}

/* A failure at any of the nine write steps of three members leaves all three as they were. */
static void create_puts_back_every_member_after_each_failed_write(void **state)
{
	struct create_case *c = calloc(1, sizeof(*c));

	(void)state;
	assert_non_null(c);
	assert_int_equal(fail_each_write(c, create_case, false), 3 * NMEM + 1);
	free(c);
}

/* The second look refuses a disk that got a filesystem after the check: nothing written anywhere. */
static void create_refuses_a_signature_written_since_the_check(void **state)
{
	struct create_case *c = calloc(1, sizeof(*c));
	static const uint8_t ext_magic[2] = { 0x53, 0xef };
	int fd;

	(void)state;
	assert_non_null(c);
	create_case(c);
	fd = open(c->paths[2], O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, ext_magic, 2, 1080), 2);
	close(fd);
	free(c->before[2]);
	c->before[2] = slurp_disk(c->paths[2]);
	assert_false(write_superblocks("/dev/md0", &(struct create_plan){ 0 }, c->m, NMEM));
	assert_members_untouched(c);
	create_case_free(c);
	free(c);
}

/* The fake kernel for start_array(): md0 exists, every attribute writable. */
static void fake_md0(void)
{
	fx_put("block/md0/dev", "9:0\n");
	fx_put("block/md0/md/metadata_version", "none\n");
	fx_put("block/md0/md/new_dev", "");
	fx_put("block/md0/md/array_state", "clear\n");
}

/* An attribute the kernel refuses: a directory where the file should be. */
static void refuse(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/%s", fx_dir, rel);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
}

/*
 * After the superblocks are written, each later step fails in turn: the md
 * device cannot be made, metadata_version, a member's new_dev, starting,
 * and the array read back wrong.  Every member is put back each time.
 */
static void create_puts_back_every_member_when_a_later_step_fails(void **state)
{
	static const char *const refused[] = {
		"block/md0",                   /* no md0 and no new_array: cannot be made */
		"block/md0/md/metadata_version",
		"block/md0/md/new_dev",
		"block/md0/md/array_state",
		NULL,                          /* started, but the read-back differs */
	};
	struct create_case *c = calloc(1, sizeof(*c));
	char sysroot[PATH_MAX / 2], devroot[PATH_MAX / 2], cmd[PATH_MAX];
	struct mdctl_ctx ctx = { .prog = "mdctl" };

	(void)state;
	assert_non_null(c);
	snprintf(sysroot, sizeof(sysroot), "%s/sys", fx_dir);
	snprintf(devroot, sizeof(devroot), "%s/dev", fx_dir);
	ctx.sysfs_root = sysroot;
	ctx.dev_root = devroot;
	for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sysroot);
		assert_int_equal(system(cmd), 0);
		fake_md0();
		if (refused[k] && !strcmp(refused[k], "block/md0")) {
			snprintf(cmd, sizeof(cmd), "rm -rf '%s/block/md0'", sysroot);
			assert_int_equal(system(cmd), 0);
		} else if (refused[k]) {
			refuse(refused[k]);
		}
		create_case(c);
		assert_true(write_superblocks("/dev/md0", &(struct create_plan){ 0 }, c->m, NMEM));
		close_members(c->m, NMEM);
		for (int i = 0; i < NMEM; i++)
			assert_disk_is_not(c->paths[i], c->before[i]);
		assert_false(start_array(&ctx, "/dev/md0", "md0", 2, &c->p, c->m, NMEM));
		assert_members_untouched(c);
		for (int i = 0; i < NMEM; i++)
			assert_false(c->m[i].save.written);
		create_case_free(c);
	}
	free(c);
}

/*
 * With a write-intent bitmap: a failure at any write step, the bitmap's
 * included, and a start that fails after every write, leave all three
 * members as they were, the bitmap's space too.
 */
static void create_puts_back_the_bitmap_area(void **state)
{
	struct create_case *c = calloc(1, sizeof(*c));
	struct mdctl_ctx ctx = { .prog = "mdctl" };
	char sysroot[PATH_MAX / 2], devroot[PATH_MAX / 2];

	(void)state;
	assert_non_null(c);
	/* per member: the log, the superblock, fsync; the bitmap and its fsync */
	assert_int_equal(fail_each_write(c, create_case_bitmap, true), 5 * NMEM + 1);
	/* written in full, then the kernel refuses to start it: every byte put back */
	snprintf(sysroot, sizeof(sysroot), "%s/sys", fx_dir);
	snprintf(devroot, sizeof(devroot), "%s/dev", fx_dir);
	ctx.sysfs_root = sysroot;
	ctx.dev_root = devroot;
	fake_md0();
	refuse("block/md0/md/array_state");
	create_case_bitmap(c);
	assert_true(write_superblocks("/dev/md0", &c->p, c->m, NMEM));
	close_members(c->m, NMEM);
	assert_false(start_array(&ctx, "/dev/md0", "md0", 2, &c->p, c->m, NMEM));
	assert_members_untouched(c);
	create_case_free(c);
	free(c);
}

/* ---- --add ---- */

/* md_fixture's md0 (a 1.2 RAID5) with loop0's superblock on an image, and a blank disk to add. */
static void add_case(char *newdisk, size_t len, struct blkdev_id *id, unsigned char **before)
{
	char path[PATH_MAX], why[128];
	struct sb1_info s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/dev/loop0", fx_dir);
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 0), 0);
	assert_int_equal(fixture_image(path, DEV_SECTORS, &s), 0);
	snprintf(path, sizeof(path), "%s/dev/md0", fx_dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	fx_put("block/md0/md/component_size", "1024\n");
	snprintf(newdisk, len, "%s/new.img", fx_dir);
	old_disk(newdisk, 9);
	*before = slurp_disk(newdisk);
	assert_int_equal(blkdev_check_new_member(fx_dir, newdisk, 1, NULL, BLKDEV_FILE_OK, id, why,
						 sizeof(why)), 0);
}

/* The fake tree's roots and md0 as read from it, for a call into mdops. */
struct md0 {
	char sys[PATH_MAX], dev[PATH_MAX];
	struct md_array a;
};

static void md0_open(struct md0 *x)
{
	snprintf(x->sys, sizeof(x->sys), "%s/sys", fx_dir);
	snprintf(x->dev, sizeof(x->dev), "%s/dev", fx_dir);
	assert_int_equal(md_array_read(x->sys, "md0", &x->a), 0);
}

/* Free what md0_open() read; rc is passed through. */
static int md0_close(struct md0 *x, int rc)
{
	md_array_free(&x->a);
	return rc;
}

static int add(const char *newdisk, const struct blkdev_id *id, struct md_spare_undo *undo)
{
	struct md0 x;

	md0_open(&x);
	return md0_close(&x, md_add_spare(x.sys, x.dev, &x.a, newdisk, id, BLKDEV_FILE_OK, undo));
}

/* The spare's superblock write fails at each step: the disk is as it was, and the text says so. */
static void add_puts_back_the_disk_after_each_failed_write(void **state)
{
	struct md_spare_undo *undo = calloc(1, sizeof(*undo));
	unsigned char *before;
	struct blkdev_id id;
	char disk[PATH_MAX], text[256];
	int at, rc;

	(void)state;
	assert_non_null(undo);
	add_case(disk, sizeof(disk), &id, &before);
	ioctl_add_rc = -EBUSY;
	for (at = 1; at <= 3; at++) {
		arm(at);
		rc = add(disk, &id, undo);
		arm(0);
		assert_int_equal(rc, -EIO);
		assert_disk_is(disk, before);
		md_spare_undo_text(undo, text, sizeof(text));
		assert_string_equal(text, "undone: its old superblock area written back");
	}
	/* every write done, the kernel refuses the disk (ADD_NEW_DISK) */
	rc = add(disk, &id, undo);
	assert_int_equal(rc, -EBUSY);
	assert_disk_is(disk, before);
	assert_false(undo->added);
	md_spare_undo_text(undo, text, sizeof(text));
	assert_string_equal(text, "undone: its old superblock area written back");
	free(before);
	free(undo);
}

/*
 * The spare's device number is the kernel's first unbound one (a failed
 * member still bound keeps its number, whatever the superblocks say), not
 * an active role of the model's table; where md cannot be asked (not an md
 * node), the superblocks of the members decide.
 */
static void add_takes_the_kernels_free_number(void **state)
{
	struct md_spare_undo *undo = calloc(1, sizeof(*undo));
	unsigned char *before;
	struct blkdev_id id;
	char disk[PATH_MAX];

	(void)state;
	assert_non_null(undo);
	add_case(disk, sizeof(disk), &id, &before);
	ioctl_add_rc = -EBUSY;
	/* numbers 0-4 bound: more than any superblock names */
	kernel_bound = 5;
	assert_int_equal(add(disk, &id, undo), -EBUSY);
	assert_int_equal(last_add.number, 5);
	/* only 0 bound: 1 and 2 are roles of the model's table, kept for their members */
	kernel_bound = 1;
	assert_int_equal(add(disk, &id, undo), -EBUSY);
	assert_int_equal(last_add.number, 3);
	/* md0 is a plain file here: the members' superblocks (loop0 holds 0; roles 0-2) */
	kernel_bound = -1;
	assert_int_equal(add(disk, &id, undo), -EBUSY);
	assert_int_equal(last_add.number, 3);
	assert_disk_is(disk, before);
	free(before);
	free(undo);
}

/*
 * The monitor's spare move: the model and free number are found before the
 * disk is free (md_spare_prepare() touches no disk), and the add uses that
 * number even when more are bound since; a number taken meanwhile makes the
 * kernel refuse it, and the disk is put back as it was.
 */
static void add_prepared_uses_the_number_found_before(void **state)
{
	struct md_spare_undo *undo = calloc(1, sizeof(*undo));
	struct md_spare_prep prep;
	unsigned char *before;
	struct blkdev_id id;
	char disk[PATH_MAX], text[256];
	struct md0 x;

	(void)state;
	assert_non_null(undo);
	add_case(disk, sizeof(disk), &id, &before);
	kernel_bound = 1;
	md0_open(&x);
	assert_int_equal(md_spare_prepare(x.sys, x.dev, &x.a, &prep), 0);
	assert_int_equal(prep.number, 3);
	assert_non_null(prep.model);
	assert_disk_is(disk, before);
	/* someone bound 1-4 since, outside the lock: the kernel says the number is taken */
	kernel_bound = 5;
	ioctl_add_rc = -EBUSY;
	assert_int_equal(md_add_spare_prepared(x.sys, x.dev, &x.a, disk, &id, BLKDEV_FILE_OK, &prep,
					       undo), -EBUSY);
	assert_int_equal(last_add.number, 3);
	assert_disk_is(disk, before);
	md_spare_undo_text(undo, text, sizeof(text));
	assert_string_equal(text, "undone: its old superblock area written back");
	md_spare_prep_free(&prep);
	assert_null(prep.model);
	md0_close(&x, 0);
	free(before);
	free(undo);
}

/*
 * The monitor surveys a sibling's spare while that array still holds it
 * (md_spare_survey(): read-only, nothing written) and, once the spare is
 * free, takes the survey as the save instead of reading the disk again:
 * a failed add then puts back the bytes of the survey.  A survey whose
 * places differ from the new superblock's is not taken (the disk is read).
 */
static void add_prepared_takes_the_survey(void **state)
{
	struct md_spare_undo *undo = calloc(1, sizeof(*undo));
	struct mdops_sb_save *sv = malloc(sizeof(*sv)), *moved = malloc(sizeof(*moved));
	unsigned char *before, *later;
	struct md_spare_prep prep;
	struct sb1_info donor;
	struct blkdev_id id;
	char disk[PATH_MAX], why[128];
	struct md0 x;
	int fd;

	(void)state;
	assert_non_null(undo);
	assert_non_null(sv);
	assert_non_null(moved);
	add_case(disk, sizeof(disk), &id, &before);
	free(before);
	/* the disk is a spare of another array (dev_number 5 there) */
	assert_int_equal(fixture_info(&donor, 2, DEV_SECTORS, 1, 2, 5), 0);
	donor.set_uuid[0] ^= 0x5a;
	assert_int_equal(fixture_image(disk, DEV_SECTORS, &donor), 0);
	assert_int_equal(blkdev_check_new_member(fx_dir, disk, 1, NULL, BLKDEV_FILE_OK | BLKDEV_FORCE,
						 &id, why, sizeof(why)), 0);
	before = slurp_disk(disk);
	assert_int_equal(md_spare_survey(disk, 2, sv), 0);
	assert_disk_is(disk, before);
	assert_int_equal(sv->at[0], 8 * 512);
	/* its array updates the disk's superblock after the survey (its events) */
	fd = open(disk, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\x42", 1, 8 * 512 + 200), 1);
	close(fd);
	later = slurp_disk(disk);
	kernel_bound = 1;
	md0_open(&x);
	assert_int_equal(md_spare_prepare(x.sys, x.dev, &x.a, &prep), 0);
	prep.survey = sv;
	prep.at_once = true;   /* as the monitor's move: written back without a flush */
	ioctl_add_rc = -EBUSY;
	assert_int_equal(md_add_spare_prepared(x.sys, x.dev, &x.a, disk, &id,
					       BLKDEV_FILE_OK | BLKDEV_FORCE, &prep, undo), -EBUSY);
	/* written back from the survey, not from a read after it */
	assert_true(undo->wrote);
	assert_disk_is(disk, before);
	/* a survey of other places: the disk is read before the write, as without one */
	fd = open(disk, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, later + 8 * 512, 4096, 8 * 512), 4096);
	close(fd);
	*moved = *sv;
	moved->at[0] += 4096;
	prep.survey = moved;
	memset(undo, 0, sizeof(*undo));
	assert_int_equal(md_add_spare_prepared(x.sys, x.dev, &x.a, disk, &id,
					       BLKDEV_FILE_OK | BLKDEV_FORCE, &prep, undo), -EBUSY);
	assert_true(undo->wrote);
	assert_disk_is(disk, later);
	md_spare_prep_free(&prep);
	md0_close(&x, 0);
	free(before);
	free(later);
	free(moved);
	free(sv);
	free(undo);
}

/* A copy of a model read earlier is the model: the same spare superblock but for what is the disk's own. */
static void prepare_from_copies_the_model(void **state)
{
	struct md_spare_prep a, b;
	unsigned char *before;
	struct blkdev_id id;
	char disk[PATH_MAX];
	struct md0 x;

	(void)state;
	add_case(disk, sizeof(disk), &id, &before);
	kernel_bound = 1;
	md0_open(&x);
	assert_int_equal(md_spare_prepare(x.sys, x.dev, &x.a, &a), 0);
	assert_int_equal(md_spare_prepare_from(x.sys, x.dev, &x.a, a.model, &b), 0);
	assert_ptr_not_equal(a.model, b.model);
	assert_memory_equal(&a.model->info, &b.model->info, sizeof(a.model->info));
	assert_int_equal(a.number, b.number);
	assert_null(b.survey);
	md_spare_prep_free(&a);
	md_spare_prep_free(&b);
	assert_disk_is(disk, before);
	md0_close(&x, 0);
	free(before);
}

/* The kernel takes the disk but it comes out faulty: taken out again, bytes put back. */
static void add_takes_a_faulty_spare_back_out(void **state)
{
	struct md_spare_undo *undo = calloc(1, sizeof(*undo));
	unsigned char *before;
	struct blkdev_id id;
	char disk[PATH_MAX], text[256], link[PATH_MAX];
	char *st;
	int rc;

	(void)state;
	assert_non_null(undo);
	add_case(disk, sizeof(disk), &id, &before);
	/* what the fake kernel shows once ADD_NEW_DISK "succeeded": dev 0:0 is new9, faulty */
	fx_put("block/new9/dev", "0:0\n");
	fx_put("dev/block/.keep", "");
	snprintf(link, sizeof(link), "%s/sys/dev/block/0:0", fx_dir);
	assert_int_equal(symlink("../../block/new9", link), 0);
	fx_put("block/md0/md/dev-new9/state", "faulty\n");
	fx_put("block/md0/md/dev-new9/slot", "none\n");
	ioctl_add_rc = 0;
	rc = add(disk, &id, undo);
	assert_int_equal(rc, -EIO);
	st = fx_get("block/md0/md/dev-new9/state");
	assert_string_equal(st, "remove");
	free(st);
	assert_disk_is(disk, before);
	md_spare_undo_text(undo, text, sizeof(text));
	assert_string_equal(text, "undone: taken out of the array, its old superblock area written back");
	/* the disk given a filesystem after the check: refused by the second look, nothing written */
	{
		static const uint8_t ext_magic[2] = { 0x53, 0xef };
		int fd = open(disk, O_RDWR);

		assert_true(fd >= 0);
		assert_int_equal(pwrite(fd, ext_magic, 2, 1080), 2);
		close(fd);
		free(before);
		before = slurp_disk(disk);
		assert_int_equal(add(disk, &id, undo), -EEXIST);
		assert_non_null(strstr(undo->why, "signature since it was checked"));
		md_spare_undo_text(undo, text, sizeof(text));
		assert_string_equal(text, "nothing was written");
		assert_disk_is(disk, before);
	}
	free(before);
	free(undo);
}

/* ---- --re-add ---- */

/*
 * md0 with slot 2 free (loop3 failed out of it), loop0's superblock on an
 * image, and former.img: the member that held slot 2, its superblock as
 * recent as the array's.  Dev 0:0 is new9, which ADD_NEW_DISK makes a
 * member in the slot asked for.
 */
static void readd_case(char *former, size_t len, struct blkdev_id *id)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct sb1_info s;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/loop0", fx_dir);
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 0), 0);
	assert_int_equal(fixture_image(path, DEV_SECTORS, &s), 0);
	snprintf(path, sizeof(path), "%s/dev/md0", fx_dir);
	fclose(fopen(path, "w"));
	fx_member("loop3", "7:3\n", "faulty\n", "none\n");
	snprintf(former, len, "%s/former.img", fx_dir);
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 2), 0);
	assert_int_equal(fixture_image(former, DEV_SECTORS, &s), 0);
	fd = open(former, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(blkdev_id_of_fd(fd, id), 0);
	close(fd);
	fx_put("block/new9/dev", "0:0\n");
	fx_put("dev/block/.keep", "");
	snprintf(link, sizeof(link), "%s/sys/dev/block/0:0", fx_dir);
	(void)unlink(link);
	assert_int_equal(symlink("../../block/new9", link), 0);
}

static int readd(const char *path, const struct blkdev_id *id, unsigned flags,
		 struct md_readd_info *ri)
{
	struct md0 x;

	md0_open(&x);
	return md0_close(&x, md_readd(x.sys, x.dev, &x.a, path, id, flags, ri));
}

/*
 * The name checked is made to lead to another disk (carrying a superblock
 * of the same array that the re-add would accept) before the re-add: it is
 * refused, the kernel is asked nothing.  Left alone, the device checked
 * goes back into its slot under its own number.
 */
static void readd_uses_the_device_checked(void **state)
{
	struct md_readd_info ri;
	struct blkdev_id id;
	char former[PATH_MAX], other[PATH_MAX];
	struct sb1_info s;

	(void)state;
	readd_case(former, sizeof(former), &id);
	ioctl_add_rc = 0;
	adds = 0;
	add_binds_new9 = true;
	/* a file is not a block device: only unit tests pass BLKDEV_FILE_OK */
	assert_int_equal(readd(former, &id, 0, &ri), -ENOTBLK);
	assert_int_equal(adds, 0);
	/* swapped under the name: another image with the same array's superblock */
	snprintf(other, sizeof(other), "%s/other.img", fx_dir);
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 2), 0);
	assert_int_equal(fixture_image(other, DEV_SECTORS, &s), 0);
	assert_int_equal(rename(other, former), 0);
	assert_int_equal(readd(former, &id, BLKDEV_FILE_OK, &ri), -ESTALE);
	assert_int_equal(adds, 0);
	/* the device checked, still under its name: back to slot 2 */
	readd_case(former, sizeof(former), &id);
	assert_int_equal(readd(former, &id, BLKDEV_FILE_OK, &ri), 0);
	assert_int_equal(adds, 1);
	assert_int_equal(last_add.number, 2);
	assert_int_equal(last_add.raid_disk, 2);
	assert_int_equal(last_add.major, (int)major(id.rdev));
	assert_int_equal(last_add.minor, (int)minor(id.rdev));
	assert_int_equal(ri.slot, 2);
	assert_string_equal(ri.kname, "new9");
	add_binds_new9 = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(superblock_write_reads_each_place_once, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(superblock_write_put_back_after_each_failed_step,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(create_puts_back_every_member_after_each_failed_write,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(create_puts_back_the_bitmap_area, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(create_refuses_a_signature_written_since_the_check,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(create_puts_back_every_member_when_a_later_step_fails,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(add_puts_back_the_disk_after_each_failed_write,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(add_takes_the_kernels_free_number, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(add_prepared_uses_the_number_found_before, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(add_prepared_takes_the_survey, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(prepare_from_copies_the_model, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(add_takes_a_faulty_spare_back_out, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(readd_uses_the_device_checked, fx_setup,
						fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
