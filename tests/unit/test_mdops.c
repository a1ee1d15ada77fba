// SPDX-License-Identifier: GPL-2.0-or-later
/* test_mdops.c: the shared kernel operations, over a fake sysfs tree and image files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "md_fixture.h"
#include "mdops.h"
#include "sb1_fixture.h"

static char sysroot[PATH_MAX / 2], devroot[PATH_MAX / 2];

static int setup(void **state)
{
	int rc = fx_setup(state);

	snprintf(sysroot, sizeof(sysroot), "%s/sys", fx_dir);
	snprintf(devroot, sizeof(devroot), "%s/dev", fx_dir);
	return rc;
}

static void assert_attr(const char *rel, const char *want)
{
	char *got = fx_get(rel);

	assert_string_equal(got, want);
	free(got);
}

static void fake_md(const char *kname)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "block/%s/md/array_state", kname);
	fx_put(rel, "clear\n");
}

static void name_follows_the_command_line_and_the_superblock(void **state)
{
	char k[32], link[64], path[PATH_MAX + 64];
	bool taken[256] = { false };

	(void)state;
	fake_md("md127");
	/* explicit names */
	assert_int_equal(mdops_array_name(sysroot, devroot, "/dev/md3", "", taken, k, link), 0);
	assert_string_equal(k, "md3");
	assert_string_equal(link, "");
	assert_true(taken[3]);
	/* an unnamed array: the highest free number from 127 down */
	assert_int_equal(mdops_array_name(sysroot, devroot, NULL, "data", taken, k, link), 0);
	assert_string_equal(k, "md126");
	assert_string_equal(link, "data");
	assert_int_equal(mdops_array_name(sysroot, devroot, NULL, "logs", taken, k, link), 0);
	assert_string_equal(k, "md125");
	/* a numeric name takes its own number when free, else a free one */
	assert_int_equal(mdops_array_name(sysroot, devroot, NULL, "1", taken, k, link), 0);
	assert_string_equal(k, "md1");
	assert_int_equal(mdops_array_name(sysroot, devroot, NULL, "1", taken, k, link), 0);
	assert_string_equal(k, "md124");
	assert_string_equal(link, "1");
	/* md0 exists (the fixture's array) */
	assert_int_equal(mdops_array_name(sysroot, devroot, NULL, "0", taken, k, link), 0);
	assert_string_equal(k, "md123");
	assert_string_equal(link, "0");
	/* /dev/md/NAME without a link yet: a free number and the link name */
	snprintf(path, sizeof(path), "%s/md/new", devroot);
	assert_int_equal(mdops_array_name(sysroot, devroot, path, "", taken, k, link), 0);
	assert_string_equal(k, "md122");
	assert_string_equal(link, "new");
	/* a slash in a name cannot escape /dev/md */
	assert_int_equal(mdops_array_name(sysroot, devroot, NULL, "a/b", taken, k, link), 0);
	assert_string_equal(link, "a_b");
	/* not an md name at all */
	assert_int_equal(mdops_array_name(sysroot, devroot, "/dev/sda", "", taken, k, link),
			 -EINVAL);
}

static void link_is_made_kept_and_a_stale_one_replaced(void **state)
{
	char k[32], link[64], path[PATH_MAX + 64], buf[64];
	ssize_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/md/new", devroot);
	assert_int_equal(mdops_link(devroot, "new", "md123"), 0);
	assert_int_equal(mdops_link(devroot, "new", "md123"), 0);
	n = readlink(path, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "../md123");
	/* an existing link is followed */
	assert_int_equal(mdops_array_name(sysroot, devroot, path, "", NULL, k, link), 0);
	assert_string_equal(k, "md123");
	assert_string_equal(link, "new");
	/* a stale link (its array gone, the name now on md5) is replaced */
	assert_int_equal(mdops_link(devroot, "new", "md5"), 0);
	n = readlink(path, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "../md5");
	/* no link: nothing to do */
	assert_int_equal(mdops_link(devroot, "", "md5"), 0);
}

static void a_file_under_dev_md_is_never_taken_over(void **state)
{
	char k[32], link[64], path[PATH_MAX + 64];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/md", devroot);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/md/notes", devroot);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(mdops_array_name(sysroot, devroot, path, "", NULL, k, link), -EEXIST);
	assert_int_equal(mdops_link(devroot, "notes", "md3"), -EEXIST);
}

static void free_md_skips_existing_and_taken_numbers(void **state)
{
	bool taken[256] = { false };

	(void)state;
	assert_int_equal(mdops_free_md(sysroot, taken), 127);
	fake_md("md127");
	taken[126] = true;
	assert_int_equal(mdops_free_md(sysroot, taken), 125);
	assert_false(mdops_md_exists(sysroot, "md126"));
	assert_true(mdops_md_exists(sysroot, "md127"));
	for (int i = 0; i < 128; i++)
		taken[i] = true;
	assert_int_equal(mdops_free_md(sysroot, taken), -ENOSPC);
}

static void md_create_asks_the_kernel_then_checks_the_node(void **state)
{
	char path[PATH_MAX + 64];
	bool created = true;
	FILE *f;

	(void)state;
	fx_put("module/md_mod/parameters/new_array", "");
	/* the fake kernel makes nothing: block/md9/dev never appears */
	assert_int_equal(mdops_md_create(sysroot, devroot, "md9", &created), -ENOENT);
	assert_attr("module/md_mod/parameters/new_array", "md9");
	/* the device is there but /dev/md9 is a plain file: not ours */
	fx_put("block/md9/dev", "9:9\n");
	snprintf(path, sizeof(path), "%s/md9", devroot);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(mdops_md_create(sysroot, devroot, "md9", &created), -EEXIST);
	assert_false(created);
}

static void bind_and_start_write_what_the_kernel_reads(void **state)
{
	(void)state;
	assert_int_equal(mdops_set_metadata(sysroot, "md0", 2), 0);
	assert_attr("block/md0/md/metadata_version", "1.2");
	assert_int_equal(mdops_set_metadata(sysroot, "md0", 0), 0);
	assert_attr("block/md0/md/metadata_version", "1.0");
	fx_put("block/md0/md/new_dev", "");
	assert_int_equal(mdops_bind(sysroot, "md0", 7, 12), 0);
	assert_attr("block/md0/md/new_dev", "7:12");
	assert_int_equal(mdops_start(sysroot, "md0", true), 0);
	assert_attr("block/md0/md/array_state", "readonly");
	assert_int_equal(mdops_start(sysroot, "md0", false), 0);
	assert_attr("block/md0/md/array_state", "active");
	/* no such array */
	assert_int_equal(mdops_bind(sysroot, "md7", 7, 12), -ENOENT);
}

static void stop_inactive_never_stops_a_running_array(void **state)
{
	(void)state;
	assert_int_equal(mdops_stop_inactive(sysroot, "md0"), -EBUSY);
	assert_attr("block/md0/md/array_state", "clean\n");
	fx_put("block/md0/md/array_state", "inactive\n");
	assert_int_equal(mdops_stop_inactive(sysroot, "md0"), 0);
	assert_attr("block/md0/md/array_state", "clear");
	/* absent arrays are stopped already */
	assert_int_equal(mdops_stop_inactive(sysroot, "md42"), 0);
	assert_int_equal(mdops_stop(sysroot, "md42"), 0);
	fx_put("block/md0/md/array_state", "active\n");
	assert_int_equal(mdops_stop(sysroot, "md0"), 0);
	assert_attr("block/md0/md/array_state", "clear");
}

static void freeze_leaves_someone_elses_freeze_and_a_resync_alone(void **state)
{
	bool froze = true;

	(void)state;
	fx_put("block/md0/md/sync_action", "idle\n");
	assert_int_equal(mdops_freeze(sysroot, "md0", &froze), 0);
	assert_true(froze);
	assert_attr("block/md0/md/sync_action", "frozen");
	assert_int_equal(mdops_unfreeze(sysroot, "md0", &froze), 0);
	assert_false(froze);
	assert_attr("block/md0/md/sync_action", "idle");
	/* frozen by someone else: reported, and left frozen */
	fx_put("block/md0/md/sync_action", "frozen\n");
	assert_int_equal(mdops_freeze(sysroot, "md0", &froze), 1);
	assert_false(froze);
	assert_int_equal(mdops_unfreeze(sysroot, "md0", &froze), 0);
	assert_attr("block/md0/md/sync_action", "frozen\n");
	/* a resync is not interrupted */
	fx_put("block/md0/md/sync_action", "resync\n");
	assert_int_equal(mdops_freeze(sysroot, "md0", &froze), -EBUSY);
	assert_attr("block/md0/md/sync_action", "resync\n");
}

static void member_operations_write_the_kernel_words(void **state)
{
	(void)state;
	assert_int_equal(mdops_mark(sysroot, "md0", "loop3", true), 0);
	assert_attr("block/md0/md/dev-loop3/state", "want_replacement");
	assert_int_equal(mdops_mark(sysroot, "md0", "loop3", false), 0);
	assert_attr("block/md0/md/dev-loop3/state", "-want_replacement");
	assert_int_equal(mdops_fail(sysroot, "md0", "loop3"), 0);
	assert_attr("block/md0/md/dev-loop3/state", "faulty");
	assert_int_equal(mdops_pair(sysroot, "md0", "loop5", 2), 0);
	assert_attr("block/md0/md/dev-loop5/slot", "2");
	assert_int_equal(mdops_remove(sysroot, "md0", "loop2", 0), 0);
	assert_attr("block/md0/md/dev-loop2/state", "remove");
	/* a member that is gone already is out */
	assert_int_equal(mdops_fail_remove(sysroot, "md0", "loop9", 100), 0);
	assert_int_equal(mdops_remove(sysroot, "md0", "loop9", 0), -ENOENT);
}

/* A member image with a superblock and a bad-block log, the log area marked. */
static int image_with_log(const char *path, struct sb1_info *s, unsigned char *mark)
{
	int fd;

	if (fixture_info(s, 2, 65536, 5, 3, 1) || fixture_image(path, 65536, s))
		return -1;
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -1;
	memset(mark, 0x5a, 512);
	if (pwrite(fd, mark, 512, (off_t)((s->super_offset + (uint64_t)s->bblog_offset) * 512)) != 512)
		return -1;
	return fd;
}

static void superblock_write_is_put_back_exactly(void **state)
{
	char path[PATH_MAX];
	struct sb1_info s;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	struct mdops_sb_save *sv = calloc(1, sizeof(*sv));
	unsigned char mark[512], before[SB1_READ_SIZE], after[SB1_READ_SIZE], log[512];
	uint64_t sb_at, log_at;
	int fd;

	(void)state;
	assert_non_null(d);
	assert_non_null(sv);
	snprintf(path, sizeof(path), "%s/member.img", fx_dir);
	fd = image_with_log(path, &s, mark);
	assert_true(fd >= 0);
	assert_true(s.bblog_size > 0);
	sb_at = s.super_offset * 512;
	log_at = (s.super_offset + (uint64_t)s.bblog_offset) * 512;
	assert_int_equal(pread(fd, before, sizeof(before), (off_t)sb_at), (ssize_t)sizeof(before));
	/* no write without a save first */
	d->minor = 2;
	d->info = s;
	d->info.dev_number = 7;
	d->info.events = 99;
	assert_int_equal(mdops_sb_write(fd, d, sv), -EINVAL);
	assert_false(sv->written);
	assert_int_equal(mdops_sb_save(fd, &d->info, sv), 0);
	assert_int_equal(sv->n, 2);
	assert_int_equal(mdops_sb_write(fd, d, sv), 0);
	assert_true(sv->written);
	/* the new superblock is there, and the log it empties */
	assert_int_equal(pread(fd, after, sizeof(after), (off_t)sb_at), (ssize_t)sizeof(after));
	assert_memory_not_equal(before, after, sizeof(before));
	assert_int_equal(pread(fd, log, sizeof(log), (off_t)log_at), (ssize_t)sizeof(log));
	assert_memory_not_equal(log, mark, sizeof(log));
	close(fd);
	/* put back through the path, as after a failed start */
	assert_int_equal(mdops_sb_restore_path(path, sv), 0);
	assert_false(sv->written);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, after, sizeof(after), (off_t)sb_at), (ssize_t)sizeof(after));
	assert_memory_equal(before, after, sizeof(before));
	assert_int_equal(pread(fd, log, sizeof(log), (off_t)log_at), (ssize_t)sizeof(log));
	assert_memory_equal(log, mark, sizeof(log));
	close(fd);
	/* nothing written: nothing to restore, even without the device */
	assert_int_equal(mdops_sb_restore_path("/nonexistent", sv), 0);
	free(d);
	free(sv);
}

/* Create over a device carrying a 1.0 and a 0.90 superblock: both erased, both put back. */
static void old_superblocks_are_erased_and_put_back(void **state)
{
	char path[PATH_MAX];
	struct sb1_info old, s;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	struct mdops_sb_save *sv = calloc(1, sizeof(*sv));
	unsigned char v090[512] = { 0 }, before[SB1_READ_SIZE], after[SB1_READ_SIZE];
	const uint64_t dev_sectors = 40000, at10 = (40000 - 16) & ~7u, at090 = 39808;
	struct mdsb_loc loc[MDSB_NVERSIONS];
	unsigned n;
	int fd;

	(void)state;
	assert_non_null(d);
	assert_non_null(sv);
	snprintf(path, sizeof(path), "%s/old.img", fx_dir);
	assert_int_equal(fixture_info(&old, 0, dev_sectors, 1, 2, 0), 0);
	assert_int_equal(fixture_image(path, dev_sectors, &old), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	v090[0] = 0xfc, v090[1] = 0x4e, v090[2] = 0x2b, v090[3] = 0xa9;   /* the magic, little-endian */
	assert_int_equal(pwrite(fd, v090, sizeof(v090), (off_t)(at090 * 512)), (ssize_t)sizeof(v090));
	assert_int_equal(pread(fd, before, sizeof(before), (off_t)(at10 * 512)), (ssize_t)sizeof(before));
	/* the new array: 1.2 */
	assert_int_equal(fixture_info(&s, 2, dev_sectors, 1, 2, 0), 0);
	d->minor = 2;
	d->info = s;
	assert_int_equal(mdops_sb_save(fd, &d->info, sv), 0);
	assert_int_equal(sv->n - sv->first_erase, 2);
	assert_int_equal(mdops_sb_write(fd, d, sv), 0);
	assert_int_equal(mdsb_scan(fd, loc, &n), 0);
	assert_int_equal(loc[MDSB_V090].state, MDSB_ABSENT);
	assert_int_equal(loc[MDSB_V10].state, MDSB_ABSENT);
	assert_int_equal(loc[MDSB_V11].state, MDSB_ABSENT);
	assert_int_equal(loc[MDSB_V12].state, MDSB_VALID);
	/* a failed create puts every byte back: the old superblocks too */
	assert_int_equal(mdops_sb_restore(fd, sv), 0);
	assert_int_equal(pread(fd, after, sizeof(after), (off_t)(at10 * 512)), (ssize_t)sizeof(after));
	assert_memory_equal(before, after, sizeof(before));
	assert_int_equal(mdsb_scan(fd, loc, &n), 0);
	assert_int_equal(loc[MDSB_V090].state, MDSB_DAMAGED);   /* only a magic: its checksum is wrong */
	assert_int_equal(loc[MDSB_V10].state, MDSB_VALID);
	assert_int_equal(loc[MDSB_V12].state, MDSB_ABSENT);
	close(fd);
	free(d);
	free(sv);
}

/* One writer per array: a second taker is refused (naming the holder) until the first lets go. */
static void array_lock_is_exclusive_and_names_its_holder(void **state)
{
	char run[PATH_MAX];
	pid_t holder = -1;
	int a, b;

	(void)state;
	snprintf(run, sizeof(run), "%s/run", fx_dir);
	setenv("MDCTL_RUN_DIR", run, 1);
	a = mdops_lock("md0", 0, &holder);
	assert_true(a >= 0);
	assert_int_equal(holder, 0);
	/* flock is per open file: a second open in this process conflicts like another process */
	assert_int_equal(mdops_lock("md0", 0, &holder), -EWOULDBLOCK);
	assert_int_equal(holder, getpid());
	/* waiting: still held after 60 ms */
	assert_int_equal(mdops_lock("md0", 60, &holder), -EWOULDBLOCK);
	/* another array is another lock */
	b = mdops_lock("md1", 0, NULL);
	assert_true(b >= 0);
	mdops_unlock(&a);
	assert_int_equal(a, -1);
	mdops_unlock(&a);
	a = mdops_lock("md0", 0, &holder);
	assert_true(a >= 0);
	mdops_unlock(&a);
	mdops_unlock(&b);
	/* a name that would leave the run directory is refused */
	assert_int_equal(mdops_lock("../md0", 0, NULL), -EINVAL);
	unsetenv("MDCTL_RUN_DIR");
}

/* run_dir for the RCU marker: <fx_dir>/run */
static const char *rcu_run_dir(void)
{
	static char dir[sizeof(fx_dir) + 8];

	snprintf(dir, sizeof(dir), "%s/run", fx_dir);
	return dir;
}

/* the marker's text, "" when empty, NULL when absent */
static char *rcu_marker(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", rcu_run_dir(), MDOPS_RCU_MARKER);
	return access(path, F_OK) ? NULL : tree_slurp(path, NULL);
}

static void assert_rcu_marker(const char *want)
{
	char *m = rcu_marker();

	assert_non_null(m);
	assert_string_equal(m, want);
	free(m);
}

static void put_rcu_marker(const char *boot, long pid)
{
	char text[128];

	snprintf(text, sizeof(text), "%s %ld\n", boot, pid);
	tree_put(rcu_run_dir(), MDOPS_RCU_MARKER, text);
}

static void this_boot(char *id, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	assert_non_null(f);
	assert_non_null(fgets(id, (int)len, f));
	fclose(f);
	id[strcspn(id, "\n")] = '\0';
}

static void rcu_expedite_sets_the_knob_and_puts_it_back(void **state)
{
	struct mdops_rcu r;
	char id[64], want[128];
	bool restored = true;

	(void)state;
	this_boot(id, sizeof(id));
	fx_put("kernel/rcu_expedited", "0\n");
	assert_int_equal(mdops_rcu_open(&r, sysroot, rcu_run_dir(), &restored), 0);
	assert_false(restored);
	/* open, nothing set: the marker is there and empty */
	assert_rcu_marker("");
	assert_true(mdops_rcu_expedite(&r));
	assert_attr("kernel/rcu_expedited", "1\n");
	/* the marker names this boot and this process while the knob is set */
	snprintf(want, sizeof(want), "%s %ld\n", id, (long)getpid());
	assert_rcu_marker(want);
	/* a second call in the same pass: still set, nothing written again */
	assert_true(mdops_rcu_expedite(&r));
	mdops_rcu_unexpedite(&r);
	assert_attr("kernel/rcu_expedited", "0\n");
	assert_rcu_marker("");
	/* closing while set puts it back too */
	assert_true(mdops_rcu_expedite(&r));
	mdops_rcu_close(&r);
	assert_attr("kernel/rcu_expedited", "0\n");
	assert_rcu_marker("");
	/* closed: nothing is set, and closing again is harmless */
	assert_false(mdops_rcu_expedite(&r));
	mdops_rcu_close(&r);
	assert_attr("kernel/rcu_expedited", "0\n");
}

static void rcu_expedite_leaves_a_set_or_missing_knob_alone(void **state)
{
	struct mdops_rcu r, zero;
	bool restored;

	(void)state;
	/* an admin's (or rcupdate.rcu_expedited=1's) choice */
	fx_put("kernel/rcu_expedited", "1\n");
	assert_int_equal(mdops_rcu_open(&r, sysroot, rcu_run_dir(), &restored), 0);
	assert_false(mdops_rcu_expedite(&r));
	mdops_rcu_unexpedite(&r);
	mdops_rcu_close(&r);
	assert_attr("kernel/rcu_expedited", "1\n");
	assert_rcu_marker("");
	/* no such knob (a kernel without it, a container's sysfs): nothing made either */
	assert_int_equal(mdops_rcu_open(&r, devroot, "/proc/no-such-dir", &restored), 0);
	assert_false(mdops_rcu_expedite(&r));
	mdops_rcu_close(&r);
	/* a marker that cannot be made: the knob is not touched */
	fx_put("kernel/rcu_expedited", "0\n");
	assert_int_equal(mdops_rcu_open(&r, sysroot, "/proc/no-such-dir", &restored), 0);
	assert_false(mdops_rcu_expedite(&r));
	mdops_rcu_close(&r);
	assert_attr("kernel/rcu_expedited", "0\n");
	/* a zeroed struct is closed (its fds are not 0) */
	memset(&zero, 0, sizeof(zero));
	assert_false(mdops_rcu_expedite(&zero));
	mdops_rcu_close(&zero);
	assert_attr("kernel/rcu_expedited", "0\n");
}

static void rcu_open_undoes_only_a_dead_process_of_this_boot(void **state)
{
	struct mdops_rcu r;
	char id[64], want[128];
	bool restored;

	(void)state;
	this_boot(id, sizeof(id));
	/* another boot's marker: the 1 is someone's choice now */
	fx_put("kernel/rcu_expedited", "1\n");
	put_rcu_marker("00000000-0000-0000-0000-000000000000", 99999999);
	assert_int_equal(mdops_rcu_open(&r, sysroot, rcu_run_dir(), &restored), 0);
	assert_false(restored);
	mdops_rcu_close(&r);
	assert_attr("kernel/rcu_expedited", "1\n");
	assert_rcu_marker("");
	/* this boot's, by a process that still runs: it undoes its own */
	put_rcu_marker(id, (long)getppid());
	snprintf(want, sizeof(want), "%s %ld\n", id, (long)getppid());
	assert_int_equal(mdops_rcu_open(&r, sysroot, rcu_run_dir(), &restored), 0);
	assert_false(restored);
	mdops_rcu_close(&r);
	assert_attr("kernel/rcu_expedited", "1\n");
	assert_rcu_marker(want);
	/* this boot's, by a process gone (no pid reaches 99999999) */
	put_rcu_marker(id, 99999999);
	assert_int_equal(mdops_rcu_open(&r, sysroot, rcu_run_dir(), &restored), 0);
	assert_true(restored);
	assert_attr("kernel/rcu_expedited", "0\n");
	assert_rcu_marker("");
	mdops_rcu_close(&r);
	/* the same, with the knob already back at 0: only the marker is emptied */
	put_rcu_marker(id, 99999999);
	assert_int_equal(mdops_rcu_open(&r, sysroot, rcu_run_dir(), &restored), 0);
	assert_false(restored);
	assert_attr("kernel/rcu_expedited", "0\n");
	assert_rcu_marker("");
	mdops_rcu_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(old_superblocks_are_erased_and_put_back, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(rcu_expedite_sets_the_knob_and_puts_it_back, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(rcu_expedite_leaves_a_set_or_missing_knob_alone, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(rcu_open_undoes_only_a_dead_process_of_this_boot,
						setup, fx_teardown),
		cmocka_unit_test_setup_teardown(name_follows_the_command_line_and_the_superblock,
						setup, fx_teardown),
		cmocka_unit_test_setup_teardown(link_is_made_kept_and_a_stale_one_replaced, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(a_file_under_dev_md_is_never_taken_over, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(free_md_skips_existing_and_taken_numbers, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(md_create_asks_the_kernel_then_checks_the_node, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(bind_and_start_write_what_the_kernel_reads, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(stop_inactive_never_stops_a_running_array, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(freeze_leaves_someone_elses_freeze_and_a_resync_alone,
						setup, fx_teardown),
		cmocka_unit_test_setup_teardown(member_operations_write_the_kernel_words, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(superblock_write_is_put_back_exactly, setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(array_lock_is_exclusive_and_names_its_holder, setup,
						fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
