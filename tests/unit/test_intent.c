// SPDX-License-Identifier: GPL-2.0-or-later
/* test_intent.c: the replacement intents file: add, replace, remove, load, corruption, atomicity. */
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

#include "intent.h"
#include "tree.h"

struct tdir {
	char base[64];
	char state[128];
};

static int setup(void **state)
{
	struct tdir *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	strcpy(t->base, "/tmp/mdctl-intent-XXXXXX");
	if (!mkdtemp(t->base))
		return -1;
	/* a nested path that does not exist yet: intent_add must create it */
	snprintf(t->state, sizeof(t->state), "%s/var/lib/mdctl", t->base);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tdir *t = *state;
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->base);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static void make_intent(struct replace_intent *in, uint8_t array_byte, uint8_t old_byte,
			const char *old, const char *new_path)
{
	memset(in, 0, sizeof(*in));
	memset(in->array_uuid, array_byte, 16);
	memset(in->old_dev_uuid, old_byte, 16);
	snprintf(in->old_kname, sizeof(in->old_kname), "%s", old);
	snprintf(in->new_path, sizeof(in->new_path), "%s", new_path);
	snprintf(in->md_kname, sizeof(in->md_kname), "md0");
	in->created = 1764062272;
}

static void write_file(const char *dir, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "mkdir -p '%s'", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/replacements.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void load_of_missing_file_is_empty_list(void **state)
{
	struct tdir *t = *state;
	struct replace_intent *v = (void *)1;
	size_t n = 7;

	assert_int_equal(intent_load(t->state, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v);
}

static void add_creates_private_dir_and_file_and_loads_back(void **state)
{
	struct tdir *t = *state;
	struct replace_intent in, *v;
	char path[PATH_MAX];
	struct stat st;
	size_t n;

	make_intent(&in, 0x11, 0x22, "sdb", "/dev/sdd");
	assert_int_equal(intent_add(t->state, &in), 0);

	assert_int_equal(stat(t->state, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/replacements.json", t->state);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(intent_load(t->state, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(v[0].array_uuid, in.array_uuid, 16);
	assert_memory_equal(v[0].old_dev_uuid, in.old_dev_uuid, 16);
	assert_string_equal(v[0].old_kname, "sdb");
	assert_string_equal(v[0].new_path, "/dev/sdd");
	assert_string_equal(v[0].md_kname, "md0");
	assert_int_equal(v[0].created, 1764062272);
	free(v);
}

static void add_with_same_array_and_old_replaces_entry(void **state)
{
	struct tdir *t = *state;
	struct replace_intent in, *v;
	size_t n;

	make_intent(&in, 0x11, 0x22, "sdb", "");
	assert_int_equal(intent_add(t->state, &in), 0);
	make_intent(&in, 0x11, 0x33, "sdc", "");
	assert_int_equal(intent_add(t->state, &in), 0);
	make_intent(&in, 0x11, 0x22, "sdb", "/dev/sde");
	assert_int_equal(intent_add(t->state, &in), 0);

	assert_int_equal(intent_load(t->state, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].old_dev_uuid[0], 0x22);
	assert_string_equal(v[0].new_path, "/dev/sde");
	assert_int_equal(v[1].old_dev_uuid[0], 0x33);
	assert_string_equal(v[1].new_path, "");
	free(v);
}

static void remove_forgets_only_the_matching_entry(void **state)
{
	struct tdir *t = *state;
	struct replace_intent a, b, *v;
	size_t n;

	make_intent(&a, 0x11, 0x22, "sdb", "");
	make_intent(&b, 0x44, 0x22, "sdb", "");
	assert_int_equal(intent_add(t->state, &a), 0);
	assert_int_equal(intent_add(t->state, &b), 0);

	assert_int_equal(intent_remove(t->state, a.array_uuid, a.old_dev_uuid), 0);
	assert_int_equal(intent_load(t->state, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].array_uuid[0], 0x44);
	free(v);

	/* not there: still 0, nothing changes */
	assert_int_equal(intent_remove(t->state, a.array_uuid, a.old_dev_uuid), 0);
	assert_int_equal(intent_remove(t->state, b.array_uuid, b.old_dev_uuid), 0);
	assert_int_equal(intent_load(t->state, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
}

static void remove_without_file_does_not_create_dir(void **state)
{
	struct tdir *t = *state;
	uint8_t u[16] = { 1 };
	struct stat st;

	assert_int_equal(intent_remove(t->state, u, u), 0);
	assert_int_equal(stat(t->state, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void corrupt_file_is_ebadmsg_and_not_overwritten(void **state)
{
	struct tdir *t = *state;
	static const char *const bad[] = {
		"{ \"replacements\": [ ",                          /* truncated */
		"not json",
		"[]",                                              /* wrong top type */
		"{ \"version\": 1 }",                              /* no list */
		"{ \"replacements\": [ { \"array_uuid\": \"12\" } ] }", /* short uuid */
		"{ \"replacements\": [] } trailing",
	};
	struct replace_intent in, *v;
	size_t n;

	make_intent(&in, 0x11, 0x22, "sdb", "");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(t->state, bad[i]);
		assert_int_equal(intent_load(t->state, &v, &n), -EBADMSG);
		/* add refuses too: never replace a file we cannot read */
		assert_int_equal(intent_add(t->state, &in), -EBADMSG);
	}
}

static void file_written_by_hand_loads(void **state)
{
	struct tdir *t = *state;
	struct replace_intent *v;
	size_t n;

	write_file(t->state,
		   "{ \"version\": 1, \"replacements\": [ { "
		   "\"array_uuid\": \"0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9\", "
		   "\"old_dev_uuid\": \"00112233-4455-6677-8899-aabbccddeeff\" } ] }\n");
	assert_int_equal(intent_load(t->state, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].array_uuid[0], 0x0a);
	assert_int_equal(v[0].array_uuid[15], 0xf9);
	assert_int_equal(v[0].old_dev_uuid[15], 0xff);
	assert_string_equal(v[0].new_path, "");
	free(v);
}

static void rewrites_leave_no_temporary_files(void **state)
{
	struct tdir *t = *state;
	struct replace_intent in;

	for (int i = 0; i < 20; i++) {
		make_intent(&in, 0x11, (uint8_t)i, "sdb", "");
		assert_int_equal(intent_add(t->state, &in), 0);
	}
	for (int i = 0; i < 20; i += 2) {
		make_intent(&in, 0x11, (uint8_t)i, "sdb", "");
		assert_int_equal(intent_remove(t->state, in.array_uuid, in.old_dev_uuid), 0);
	}
	assert_int_equal(tree_count(t->state, "replacements.json") /* leftover temporaries */, 0);
}

static void replaced_file_is_a_new_inode(void **state)
{
	/* the old file is never truncated in place: a reader sees old or new, whole */
	struct tdir *t = *state;
	struct replace_intent in;
	char path[PATH_MAX];
	struct stat a, b;
	int fd;

	make_intent(&in, 0x11, 0x22, "sdb", "");
	assert_int_equal(intent_add(t->state, &in), 0);
	snprintf(path, sizeof(path), "%s/replacements.json", t->state);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &a), 0);
	make_intent(&in, 0x11, 0x23, "sdc", "");
	assert_int_equal(intent_add(t->state, &in), 0);
	assert_int_equal(stat(path, &b), 0);
	assert_true(a.st_ino != b.st_ino);
	/* the open descriptor still reads the complete old document */
	assert_int_equal(fstat(fd, &b), 0);
	assert_int_equal(a.st_size, b.st_size);
	close(fd);
}

static void uuid_parse_and_format_round_trip(void **state)
{
	uint8_t u[16], w[16];
	char s[37];

	(void)state;
	for (int i = 0; i < 16; i++)
		u[i] = (uint8_t)(i * 17);
	intent_uuid_str(u, s);
	assert_string_equal(s, "00112233-4455-6677-8899-aabbccddeeff");
	assert_int_equal(intent_uuid_parse(s, w), 0);
	assert_memory_equal(u, w, 16);
	assert_int_equal(intent_uuid_parse("00112233:44556677:8899aabb:ccddeeff", w), 0);
	assert_memory_equal(u, w, 16);
	assert_int_equal(intent_uuid_parse("00112233:44556677:8899aabb:ccddee", w), -EINVAL);
	assert_int_equal(intent_uuid_parse("00112233:44556677:8899aabb:ccddeeff00", w), -EINVAL);
	assert_int_equal(intent_uuid_parse("0g112233:44556677:8899aabb:ccddeeff", w), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(load_of_missing_file_is_empty_list, setup, teardown),
		cmocka_unit_test_setup_teardown(add_creates_private_dir_and_file_and_loads_back, setup, teardown),
		cmocka_unit_test_setup_teardown(add_with_same_array_and_old_replaces_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(remove_forgets_only_the_matching_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(remove_without_file_does_not_create_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(corrupt_file_is_ebadmsg_and_not_overwritten, setup, teardown),
		cmocka_unit_test_setup_teardown(file_written_by_hand_loads, setup, teardown),
		cmocka_unit_test_setup_teardown(rewrites_leave_no_temporary_files, setup, teardown),
		cmocka_unit_test_setup_teardown(replaced_file_is_a_new_inode, setup, teardown),
		cmocka_unit_test(uuid_parse_and_format_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
