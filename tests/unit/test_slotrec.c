// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slotrec.c: the bay records of POLICY action=spare-same-slot: names escaped so no bay path leaves the run directory or shares a file, written atomically, never through a symlink. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slotrec.h"
#include "tree.h"

static char top[] = "/tmp/mdctl-slotrec-XXXXXX";
static char dir[256];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(top))
		return -1;
	snprintf(dir, sizeof(dir), "%s/run", top);
	return mkdir(dir, 0700);
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

static struct slot_record rec_of(const char *uuid, const char *md, int slot)
{
	struct slot_record r;

	memset(&r, 0, sizeof(r));
	snprintf(r.uuid, sizeof(r.uuid), "%s", uuid);
	snprintf(r.md, sizeof(r.md), "%s", md);
	r.slot = slot;
	return r;
}

static void write_read_remove(void **state)
{
	struct slot_record w = rec_of("00112233445566778899aabbccddeeff", "md127", 2), r;
	char name[128];

	(void)state;
	assert_int_equal(slotrec_write(dir, "pci-0000:00:1f.2-ata-3", &w), 0);
	assert_int_equal(slotrec_file_name("pci-0000:00:1f.2-ata-3", name, sizeof(name)), 0);
	assert_string_equal(name, "slot-pci-0000:00:1f.2-ata-3");
	assert_int_equal(slotrec_read(dir, "pci-0000:00:1f.2-ata-3", &r), 0);
	assert_string_equal(r.uuid, w.uuid);
	assert_string_equal(r.md, "md127");
	assert_int_equal(r.slot, 2);
	/* rewritten: replaced whole, no temporary left */
	w.slot = -1;
	assert_int_equal(slotrec_write(dir, "pci-0000:00:1f.2-ata-3", &w), 0);
	assert_int_equal(slotrec_read(dir, "pci-0000:00:1f.2-ata-3", &r), 0);
	assert_int_equal(r.slot, -1);
	assert_int_equal(tree_count(dir, NULL), 1);
	assert_int_equal(slotrec_read(dir, "pci-0000:00:1f.2-ata-4", &r), -ENOENT);
	assert_int_equal(slotrec_remove(dir, "pci-0000:00:1f.2-ata-3"), 0);
	assert_int_equal(slotrec_remove(dir, "pci-0000:00:1f.2-ata-3"), 0);
	assert_int_equal(slotrec_read(dir, "pci-0000:00:1f.2-ata-3", &r), -ENOENT);
	assert_int_equal(tree_count(dir, NULL), 0);
}

/* hostile bay names stay inside the directory, each in its own file */
static void hostile_paths(void **state)
{
	static const char *const bays[] = {
		"../escape", "..", ".", "a/b", "a%2Fb", "a_b", "/etc/passwd", "x\ny", "sp ace", "*",
	};
	struct slot_record w = rec_of("ffeeddccbbaa99887766554433221100", "md0", 0), r;
	char name[SLOTREC_PATH_MAX * 3 + 16], outside[PATH_MAX], longp[SLOTREC_PATH_MAX + 2];
	size_t n = sizeof(bays) / sizeof(bays[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(slotrec_file_name(bays[i], name, sizeof(name)), 0);
		assert_null(strchr(name, '/'));
		assert_int_equal(strncmp(name, "slot-", 5), 0);
		w.slot = (int)i;
		assert_int_equal(slotrec_write(dir, bays[i], &w), 0);
	}
	/* one file each (a/b, a%2Fb and a_b do not collide), all in dir */
	assert_int_equal(tree_count(dir, NULL), (int)n);
	assert_int_equal(tree_count(top, NULL), 1);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(slotrec_read(dir, bays[i], &r), 0);
		assert_int_equal(r.slot, (int)i);
		assert_int_equal(slotrec_remove(dir, bays[i]), 0);
	}
	snprintf(outside, sizeof(outside), "%s/escape", top);
	assert_int_equal(access(outside, F_OK), -1);
	assert_int_equal(tree_count(dir, NULL), 0);

	assert_int_equal(slotrec_write(dir, "", &w), -EINVAL);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(slotrec_write(dir, longp, &w), -ENAMETOOLONG);
	longp[SLOTREC_PATH_MAX] = '\0';
	assert_int_equal(slotrec_write(dir, longp, &w), 0);
	assert_int_equal(slotrec_remove(dir, longp), 0);
	/* a value with a newline would forge a line */
	w = rec_of("00112233445566778899aabbccddeeff", "md0\nslot=7", 1);
	assert_int_equal(slotrec_write(dir, "bay", &w), -EINVAL);
	assert_int_equal(tree_count(dir, NULL), 0);
}

/* a planted symlink is neither followed on read nor written through */
static void symlink_refused(void **state)
{
	struct slot_record w = rec_of("00112233445566778899aabbccddeeff", "md0", 1), r;
	char link[PATH_MAX], target[PATH_MAX], buf[64];
	int fd;

	(void)state;
	snprintf(target, sizeof(target), "%s/victim", top);
	fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "precious\n", 9), 9);
	close(fd);
	snprintf(link, sizeof(link), "%s/slot-bay1", dir);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(slotrec_read(dir, "bay1", &r), -ELOOP);
	/* the write replaces the link itself; the target keeps its bytes */
	assert_int_equal(slotrec_write(dir, "bay1", &w), 0);
	fd = open(target, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 9);
	close(fd);
	assert_memory_equal(buf, "precious\n", 9);
	assert_int_equal(slotrec_read(dir, "bay1", &r), 0);
	assert_int_equal(r.slot, 1);
	assert_int_equal(slotrec_remove(dir, "bay1"), 0);
	/* a FIFO or a directory in its place is not a record */
	assert_int_equal(mkfifo(link, 0600), 0);
	assert_int_equal(slotrec_read(dir, "bay1", &r), -EINVAL);
	unlink(link);
	/* a file that is not a record */
	fd = open(link, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "uuid=\nslot=x\n", 13), 13);
	close(fd);
	assert_int_equal(slotrec_read(dir, "bay1", &r), -EINVAL);
	unlink(link);
	/* a run directory writable by others is not trusted */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(slotrec_write(dir, "bay1", &w), -EPERM);
	assert_int_equal(chmod(dir, 0700), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_read_remove),
		cmocka_unit_test(hostile_paths),
		cmocka_unit_test(symlink_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
