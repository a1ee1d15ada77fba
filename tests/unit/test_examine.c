// SPDX-License-Identifier: GPL-2.0-or-later
/* test_examine.c: end-to-end `mdctl --examine` on image files the test builds (needs $MDCTL). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "super1.h"
#include "sb1_fixture.h"
#include "tree.h"
#include "json_check.h"

#define DEV_SECTORS 16384ull /* 8 MiB sparse images */

static char dir[] = "/tmp/mdctl-examine-XXXXXX";
static const char *mdctl;

static int setup(void **state)
{
	(void)state;
	mdctl = getenv("MDCTL");
	if (!mkdtemp(dir))
		return -1;
	setenv("TZ", "UTC", 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (getenv("MDCTL_TEST_KEEP")) {
		fprintf(stderr, "kept %s\n", dir);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}


/* run "$MDCTL args" and return its exit status; out/err get what it printed */
static int run(const char *args, char **out, char **err)
{
	char cmd[1024], o[128], e[128];
	int st;

	if (!mdctl)
		skip();
	snprintf(o, sizeof(o), "%s/stdout", dir);
	snprintf(e, sizeof(e), "%s/stderr", dir);
	snprintf(cmd, sizeof(cmd), "cd %s && '%s' %s >%s 2>%s", dir, mdctl, args, o, e);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	*out = tree_slurp(o, NULL);
	*err = tree_slurp(e, NULL);
	return WEXITSTATUS(st);
}

static void image(const char *name, const struct sb1_info *s)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(fixture_image(path, DEV_SECTORS, s), 0);
}

/* the raw superblock bytes of an image, read without the library */
static void raw_sb(const char *name, uint64_t sector, unsigned char *buf)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, 4096, (off_t)sector * 512), 4096);
	close(fd);
}

static void patch(const char *name, uint64_t byte, const void *data, size_t len)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, (off_t)byte), (ssize_t)len);
	close(fd);
}

static void patch_le32(const char *name, uint64_t sb_sector, size_t off, uint32_t v, int fix)
{
	unsigned char buf[4096], le[4];

	for (int i = 0; i < 4; i++)
		le[i] = (unsigned char)(v >> (8 * i));
	patch(name, sb_sector * 512 + off, le, 4);
	if (fix) {
		uint32_t c;

		raw_sb(name, sb_sector, buf);
		c = sb1_checksum(buf);
		for (int i = 0; i < 4; i++)
			le[i] = (unsigned char)(c >> (8 * i));
		patch(name, sb_sector * 512 + 216, le, 4);
	}
}

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
}

static void examine_text_prints_every_mdadm_field(void **state)
{
	struct sb1_info s;
	unsigned char raw[4096];
	char *out, *err, want[128];

	(void)state;
	if (!mdctl)
		skip();
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 0), 0);
	s.size -= 1024;            /* Used Dev Size differs from Avail Dev Size */
	s.devflags = SB1_DEVFLAG_WRITEMOSTLY | SB1_DEVFLAG_FAILFAST;
	s.feature_map = SB1_FEAT_BITMAP_OFFSET;
	s.bitmap_offset = 8;
	s.bblog_offset = 72;       /* after the bitmap space */
	s.resync_offset = 0;       /* active */
	image("full.img", &s);
	/*
	 * A bitmap superblock at sb + 8 (magic, version 4, the array UUID,
	 * sync_size 3993600 sectors at byte 40, chunk 4096 bytes at 52): its
	 * bits need 128 sectors, which moves Unused Space "before".
	 */
	{
		unsigned char bm[256];
		uint64_t sync = 3993600;
		uint32_t chunk = 4096;

		memset(bm, 0, sizeof(bm));
		for (int i = 0; i < 4; i++) {
			bm[i] = (unsigned char)(0x6d746962u >> (8 * i));
			bm[52 + i] = (unsigned char)(chunk >> (8 * i));
		}
		bm[4] = 4;
		memcpy(bm + 8, s.set_uuid, 16);
		for (int i = 0; i < 8; i++)
			bm[40 + i] = (unsigned char)(sync >> (8 * i));
		patch("full.img", 16 * 512, bm, sizeof(bm));
	}
	assert_int_equal(run("--examine full.img", &out, &err), 0);
	assert_string_equal(err, "");
	raw_sb("full.img", 8, raw);
	snprintf(want, sizeof(want), "       Checksum : %02x%02x%02x%02x - correct\n",
		 raw[219], raw[218], raw[217], raw[216]);
	/* drop leading zeros the way %x prints */
	{
		char *p = strstr(want, ": ") + 2;

		while (*p == '0' && p[1] != ' ')
			memmove(p, p + 1, strlen(p));
	}
	assert_has(out, "full.img:\n");
	assert_has(out, "          Magic : a92b4efc\n");
	assert_has(out, "        Version : 1.2\n");
	assert_has(out, "    Feature Map : 0x1\n");
	assert_has(out, "     Array UUID : 10171e25:2c333a41:484f565d:646b7279\n");
	assert_has(out, "           Name : fixturehost:data");
	assert_has(out, "  Creation Time : Wed Nov 18 11:06:40 2026\n");
	assert_has(out, "     Raid Level : raid5\n");
	assert_has(out, "   Raid Devices : 3\n");
	assert_has(out, " Avail Dev Size : 12288 sectors (6.00 MiB 6.29 MB)\n");
	assert_has(out, "     Array Size : 11264 KiB (11.00 MiB 11.53 MB)\n");
	assert_has(out, "  Used Dev Size : 11264 sectors (5.50 MiB 5.77 MB)\n");
	assert_has(out, "    Data Offset : 4096 sectors\n");
	assert_has(out, "   Super Offset : 8 sectors\n");
	/* Debian's mdadm 4.2 prints the same for this image */
	assert_has(out, "   Unused Space : before=3960 sectors, after=1024 sectors\n");
	assert_has(out, "          State : active\n");
	assert_has(out, "    Device UUID : a0a3a6a9:acafb2b5:b8bbbec1:c4c7cacd\n");
	assert_has(out, "Internal Bitmap : 8 sectors from superblock\n");
	assert_has(out, "          Flags : write-mostly failfast\n");
	assert_has(out, "    Update Time : Wed Nov 18 11:08:20 2026\n");
	assert_has(out, "  Bad Block Log : 512 entries available at offset 72 sectors\n");
	assert_has(out, want);
	assert_has(out, "         Events : 18\n");
	assert_has(out, "         Layout : left-symmetric\n");
	assert_has(out, "     Chunk Size : 512K\n");
	assert_has(out, "   Device Role : Active device 0\n");
	assert_has(out, "   Array State : AAA ('A' == active, '.' == missing, 'R' == replacing)\n");
	/* mdadm's order */
	assert_true(strstr(out, "Magic") < strstr(out, "Version"));
	assert_true(strstr(out, "Super Offset") < strstr(out, "Unused Space"));
	assert_true(strstr(out, "Internal Bitmap") < strstr(out, "Flags"));
	assert_true(strstr(out, "Update Time") < strstr(out, "Bad Block Log"));
	assert_true(strstr(out, "Bad Block Log") < strstr(out, "Checksum"));
	assert_true(strstr(out, "Events") < strstr(out, "Layout"));
	assert_true(strstr(out, "Chunk Size") < strstr(out, "Device Role"));
	free(out);
	free(err);
}

static void examine_text_shows_replacement_and_recovery(void **state)
{
	struct sb1_info s;
	char *out, *err;

	(void)state;
	if (!mdctl)
		skip();
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 6, 4, 4), 0);
	s.dev_roles[4] = 2;
	s.feature_map = SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET;
	s.recovery_offset = 4096;
	s.dev_roles[0] = SB1_ROLE_FAULTY; /* slot 0 missing */
	image("repl.img", &s);
	assert_int_equal(run("-E repl.img", &out, &err), 0);
	assert_has(out, "    Feature Map : 0x12\n");
	assert_has(out, "Recovery Offset : 4096 sectors\n");
	assert_has(out, "   Device Role : Replacement device 2\n");
	assert_has(out, "   Array State : .ARA ('A' == active, '.' == missing, 'R' == replacing)\n");
	assert_true(strstr(out, "Super Offset") < strstr(out, "Recovery Offset"));
	free(out);
	free(err);
	assert_int_equal(run("--examine --export repl.img", &out, &err), 0);
	assert_has(out, "MD_LEVEL=raid6\n");
	assert_has(out, "MD_DEVICES=4\n");
	assert_has(out, "MD_NAME=fixturehost:data\n");
	assert_has(out, "MD_ARRAY_SIZE=12.58MB\n");
	assert_has(out, "MD_UUID=10171e25:2c333a41:484f565d:646b7279\n");
	assert_has(out, "MD_UPDATE_TIME=1795000100\n");
	assert_has(out, "MD_DEV_UUID=");
	assert_has(out, "MD_EVENTS=18\n");
	assert_has(out, "MD_DEV_ROLE=2\n");
	assert_has(out, "MD_REPLACEMENT=1\n");
	assert_has(out, "MD_RECOVERY_OFFSET=4096\n");
	assert_has(out, "MD_BAD_BLOCKS=0\n");
	free(out);
	free(err);
}

static void examine_shows_reshape_fields(void **state)
{
	struct sb1_info s;
	char *out, *err;

	(void)state;
	if (!mdctl)
		skip();
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 4, 1), 0);
	s.feature_map = SB1_FEAT_RESHAPE_ACTIVE;
	s.reshape_position = 20480;
	s.delta_disks = 1;
	s.new_level = 5;
	s.new_layout = 2;
	s.new_chunk = 256;
	image("reshape.img", &s);
	assert_int_equal(run("-E reshape.img", &out, &err), 0);
	assert_has(out, "  Reshape pos'n : 10240 (10.00 MiB 10.49 MB)\n");
	assert_has(out, "  Delta Devices : 1 (3->4)\n");
	assert_has(out, "  New Chunksize : 128K\n");
	free(out);
	free(err);
}

static void examine_lists_recorded_bad_blocks(void **state)
{
	struct sb1_info s;
	struct sb1_dev *d = calloc(1, sizeof(*d));
	unsigned char entry[16];
	char *out, *err, path[128];
	struct json_object *j, *v;
	int fd;

	(void)state;
	if (!mdctl)
		skip();
	assert_non_null(d);
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 1), 0);
	image("bb.img", &s);
	/* two extents in the log at sb + 16, then the all-ones terminator */
	memset(entry, 0, sizeof(entry));
	for (int i = 0; i < 8; i++) {
		entry[i] = (unsigned char)(((4096ull << 10) | 8) >> (8 * i));
		entry[8 + i] = (unsigned char)(((100ull << 10) | 1) >> (8 * i));
	}
	patch("bb.img", (8 + 16) * 512, entry, sizeof(entry));
	snprintf(path, sizeof(path), "%s/bb.img", dir);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(sb1_load(fd, -1, d), 0);
	d->info.feature_map |= SB1_FEAT_BAD_BLOCKS;
	assert_int_equal(sb1_write(fd, d), 0);
	close(fd);
	free(d);
	assert_int_equal(run("-E bb.img", &out, &err), 0);
	assert_has(out, "  Bad Block Log : 512 entries available at offset 16 sectors - bad blocks present.\n");
	assert_has(out, "bad-block list (2 extents");
	assert_has(out, "                4096 for 8 sectors\n");
	assert_has(out, "                 100 for 1 sectors\n");
	free(out);
	free(err);
	assert_int_equal(run("-E --export bb.img", &out, &err), 0);
	assert_has(out, "MD_BAD_BLOCKS=2\n");
	free(out);
	free(err);

	assert_int_equal(run("-E --json bb.img", &out, &err), 0);
	j = jparse(out);
	v = jarray(j, "bad_blocks", 2);
	assert_int_equal(json_object_get_int64(json_object_object_get(json_object_array_get_idx(v, 0), "sector")), 4096);
	json_object_put(j);
	free(out);
	free(err);
	/* a log that points past the end of the device: printed, but an error */
	{
		unsigned char raw[4096], le[4];
		uint32_t c;

		for (int i = 0; i < 4; i++)
			le[i] = (unsigned char)(100000u >> (8 * i));
		patch("bb.img", 8 * 512 + 188, le, 4);
		raw_sb("bb.img", 8, raw);
		c = sb1_checksum(raw);
		for (int i = 0; i < 4; i++)
			le[i] = (unsigned char)(c >> (8 * i));
		patch("bb.img", 8 * 512 + 216, le, 4);
	}
	assert_int_equal(run("-E bb.img", &out, &err), 1);
	assert_has(out, "   Device Role : Active device 1\n");
	assert_string_equal(err, "mdctl: bb.img: cannot read the bad-block log: "
			    "it lies outside the device\n");
	free(out);
	free(err);
}

static void examine_brief_prints_one_array_line(void **state)
{
	struct sb1_info s;
	char *out, *err;

	(void)state;
	if (!mdctl)
		skip();
	for (uint32_t i = 0; i < 2; i++) {
		char name[16];

		assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 1, 2, i), 0);
		snprintf(name, sizeof(name), "m%u.img", i);
		image(name, &s);
	}
	assert_int_equal(run("-Eb m0.img m1.img", &out, &err), 0);
	assert_string_equal(out, "ARRAY /dev/md/data  metadata=1.2 UUID=10171e25:2c333a41:484f565d:646b7279"
			    " name=fixturehost:data\n");
	free(out);
	free(err);
	assert_int_equal(run("--examine --brief --verbose m0.img m1.img", &out, &err), 0);
	assert_string_equal(out, "ARRAY /dev/md/data  level=raid1 metadata=1.2 num-devices=2 "
			    "UUID=10171e25:2c333a41:484f565d:646b7279 name=fixturehost:data\n"
			    "   devices=m0.img,m1.img\n");
	free(out);
	free(err);
}

static void examine_json_has_schema_version_and_roles(void **state)
{
	struct sb1_info s;
	struct json_object *j, *o, *v;
	char *out, *err;

	(void)state;
	if (!mdctl)
		skip();
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 3), 0);
	s.dev_roles[3] = 1;
	s.feature_map = SB1_FEAT_REPLACEMENT | SB1_FEAT_RECOVERY_OFFSET;
	s.recovery_offset = 1ull << 33;
	image("j.img", &s);
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 0), 0);
	image("j0.img", &s);
	assert_int_equal(run("--examine --json j.img", &out, &err), 0);
	o = jparse(out);
	assert_int_equal(json_object_get_int(json_object_object_get(o, "version")), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "metadata")), "1.2");
	assert_string_equal(json_object_get_string(json_object_object_get(o, "role")), "replacement");
	assert_int_equal(json_object_get_int(json_object_object_get(o, "slot")), 1);
	assert_true(json_object_get_boolean(json_object_object_get(o, "replacement")));
	assert_true(json_object_get_int64(json_object_object_get(o, "recovery_offset")) == (1ll << 33));
	assert_string_equal(json_object_get_string(json_object_object_get(o, "array_state")), "ARA");
	v = jarray(o, "features", 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "recovery_offset");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)), "replacement");
	v = jarray(o, "roles", 4);
	assert_true(json_object_get_boolean(json_object_object_get(o, "checksum_ok")));
	assert_null(jkey(o, "resync_offset")); /* clean: MaxSector is null */
	json_object_put(o);
	free(out);
	free(err);
	/* several devices: an array */
	assert_int_equal(run("--examine --json j.img j0.img", &out, &err), 0);
	j = jparse(out);
	assert_true(json_object_is_type(j, json_type_array));
	assert_int_equal(json_object_array_length(j), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(json_object_array_get_idx(j, 1), "role")),
			    "active");
	json_object_put(j);
	free(out);
	free(err);
}

/* one corruption class: the message, exit 1, nothing on stdout, file untouched */
static void expect_rejected(const char *name, const char *message)
{
	char path[128], args[160], *before, *after, *out, *err;
	size_t lb, la;
	struct stat s0, s1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	before = tree_slurp(path, &lb);
	assert_int_equal(stat(path, &s0), 0);
	for (int f = 0; f < 4; f++) {
		static const char *const opts[] = { "-E", "-E --brief", "-E --export", "-E --json" };

		snprintf(args, sizeof(args), "%s %s", opts[f], name);
		assert_int_equal(run(args, &out, &err), 1);
		assert_string_equal(out, "");
		if (strncmp(err, "mdctl: ", 7) || !strstr(err, name) || !strstr(err, message) ||
		    strchr(err, '\n') != err + strlen(err) - 1)
			fail_msg("%s: want one line naming it with \"%s\", got \"%s\"", name, message, err);
		free(out);
		free(err);
	}
	after = tree_slurp(path, &la);
	assert_int_equal(stat(path, &s1), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(before, after, lb);
	assert_true(s0.st_mtim.tv_sec == s1.st_mtim.tv_sec && s0.st_mtim.tv_nsec == s1.st_mtim.tv_nsec);
	free(before);
	free(after);
}

static void fresh(const char *name)
{
	struct sb1_info s;

	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 5, 3, 0), 0);
	image(name, &s);
}

static void examine_rejects_each_corruption_with_its_own_message(void **state)
{
	unsigned char raw[4096], zero[8192];
	char want[128];
	uint32_t stored, computed;

	(void)state;
	if (!mdctl)
		skip();
	fresh("c-none.img");
	memset(zero, 0, sizeof(zero));
	patch("c-none.img", 4096, zero, sizeof(zero));
	expect_rejected("c-none.img", "no md superblock detected");

	fresh("c-major.img");
	patch_le32("c-major.img", 8, 4, 2, 1);
	expect_rejected("c-major.img", "major version 2");

	fresh("c-maxdev.img");
	patch_le32("c-maxdev.img", 8, 220, 1921, 1);
	expect_rejected("c-maxdev.img", "max_dev 1921 out of range");

	fresh("c-offset.img");
	patch_le32("c-offset.img", 8, 144, 24, 1);
	expect_rejected("c-offset.img", "super_offset 24 does not match where the superblock was found");

	fresh("c-feature.img");
	patch_le32("c-feature.img", 8, 8, 1u << 14, 1);
	expect_rejected("c-feature.img", "unknown feature bits 0x4000");

	fresh("c-csum.img");
	patch_le32("c-csum.img", 8, 92, 4, 0); /* raid_disks changed, checksum not */
	raw_sb("c-csum.img", 8, raw);
	stored = (uint32_t)raw[216] | (uint32_t)raw[217] << 8 | (uint32_t)raw[218] << 16 |
		 (uint32_t)raw[219] << 24;
	computed = sb1_checksum(raw);
	snprintf(want, sizeof(want), "superblock checksum mismatch: stored 0x%08x, computed 0x%08x",
		 stored, computed);
	assert_int_not_equal(stored, computed);
	expect_rejected("c-csum.img", want);

	fresh("c-pad.img");
	patch_le32("c-pad.img", 8, 240, 7, 1);
	expect_rejected("c-pad.img", "non-zero padding");

	fresh("c-combo.img");
	patch_le32("c-combo.img", 8, 8, SB1_FEAT_RAID0_LAYOUT, 1);
	expect_rejected("c-combo.img", "feature combination");

	fresh("c-bblog.img");
	patch_le32("c-bblog.img", 8, 8, SB1_FEAT_BAD_BLOCKS, 0);
	patch_le32("c-bblog.img", 8, 188, 0, 1);
	expect_rejected("c-bblog.img", "bad-block log");

	fresh("c-range.img");
	patch_le32("c-range.img", 8, 136, (uint32_t)DEV_SECTORS, 1);
	expect_rejected("c-range.img", "impossible geometry: data_size out of range");
}

static void examine_reports_each_device_and_fails_if_any_failed(void **state)
{
	char *out, *err;

	(void)state;
	if (!mdctl)
		skip();
	fresh("ok.img");
	assert_int_equal(run("-E ok.img missing.img", &out, &err), 1);
	assert_has(out, "ok.img:\n");
	assert_string_equal(err, "mdctl: missing.img: cannot open: No such file or directory\n");
	free(out);
	free(err);
}

static void examine_usage_errors_exit_2(void **state)
{
	char *out, *err;

	(void)state;
	if (!mdctl)
		skip();
	assert_int_equal(run("--examine --brief --json ok.img", &out, &err), 2);
	assert_has(err, "--brief and --json cannot be combined");
	free(out);
	free(err);
	assert_int_equal(run("--examine", &out, &err), 2);
	assert_has(err, "no device given");
	free(out);
	free(err);
	assert_int_equal(run("--examine --frobnicate ok.img", &out, &err), 2);
	assert_has(err, "unknown option --frobnicate");
	free(out);
	free(err);
	assert_int_equal(run("--examine --help", &out, &err), 0);
	assert_has(out, "Usage: mdctl --examine");
	free(out);
	free(err);
}

/* --examine-badblocks prints exactly what Debian's mdadm printed for each real fixture */
static void examine_badblocks_matches_mdadm_on_real_fixtures(void **state)
{
	FILE *ls;
	char fx[512];
	int seen = 0;

	(void)state;
	if (!mdctl)
		skip();
	ls = fixtures_open();
	while (fixture_next(ls, fx, sizeof(fx))) {
		char cmd[1400], want_path[600], args[700], dev[64] = "", *want, *out, *err, *p;
		size_t stem;

		stem = strlen(fx) - strlen(".img.xz");
		snprintf(want_path, sizeof(want_path), "%.*s.mdadm-examine-badblocks.txt", (int)stem, fx);
		if (access(want_path, R_OK))
			continue;
		snprintf(cmd, sizeof(cmd), "xz -dc '%s' > %s/fx.img", fx, dir);
		assert_int_equal(system(cmd), 0);
		want = tree_slurp(want_path, NULL);
		/* the saved output names the loop device it was read from */
		p = strstr(want, "/dev/");
		assert_non_null(p);
		snprintf(dev, sizeof(dev), "%.*s", (int)strcspn(p, ":\n"), p);
		snprintf(args, sizeof(args), "--examine-badblocks fx.img");
		assert_int_equal(run(args, &out, &err), 0);
		assert_string_equal(err, "");
		p = strstr(out, "fx.img");
		assert_non_null(p);
		{
			char fixed[4096];

			snprintf(fixed, sizeof(fixed), "%.*s%s%s", (int)(p - out), out, dev, p + strlen("fx.img"));
			if (strcmp(fixed, want))
				fail_msg("%s: want\n%s\ngot\n%s", fx, want, fixed);
		}
		free(want);
		free(out);
		free(err);
		seen++;
	}
	fixtures_close(ls, seen);
}

static void examine_names_a_0_90_superblock(void **state)
{
	unsigned char magic[4] = { 0xfc, 0x4e, 0x2b, 0xa9 };
	char path[128], *out, *err;
	int fd;

	(void)state;
	if (!mdctl)
		skip();
	snprintf(path, sizeof(path), "%s/v090.img", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 20 << 20), 0);
	close(fd);
	/* 0.90: 64 KiB before the end rounded down to 64 KiB */
	patch("v090.img", (((20ull << 20) / 512 & ~127ull) - 128) * 512, magic, 4);
	assert_int_equal(run("-E v090.img", &out, &err), 1);
	assert_string_equal(err, "mdctl: v090.img: md 0.90 superblock found: only 1.0, 1.1 and 1.2 "
			    "metadata are supported\n");
	free(out);
	free(err);
}

/* every key the JSON SCHEMA section of mdctl(8) documents is printed */
static void examine_json_has_every_documented_key(void **state)
{
	static const char *const keys[] = {
		"version", "device", "magic", "metadata", "feature_map", "features", "array_uuid",
		"name", "creation_time", "creation_time_usec", "update_time", "update_time_usec",
		"level", "level_number", "layout", "layout_number", "chunk_sectors", "raid_devices",
		"avail_dev_size", "used_dev_size", "array_size", "data_offset", "data_size",
		"super_offset", "new_offset", "device_size", "recovery_offset", "unused_space",
		"state", "resync_offset", "device_uuid", "dev_number", "role", "slot", "replacement",
		"flags", "bitmap_offset", "ppl", "reshape", "bad_block_log", "bad_blocks",
		"checksum", "checksum_computed", "checksum_ok", "events", "cnt_corrected_read",
		"logical_block_size", "max_dev", "roles", "array_state",
	};
	struct json_object *o, *v;
	char *out, *err;

	(void)state;
	if (!mdctl)
		skip();
	fresh("keys.img");
	assert_int_equal(run("-E --json keys.img", &out, &err), 0);
	o = jparse(out);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_object_object_get_ex(o, keys[i], &v))
			fail_msg("JSON key \"%s\" documented in mdctl(8) is missing", keys[i]);
	assert_int_equal(json_object_object_length(o), sizeof(keys) / sizeof(keys[0]));
	json_object_put(o);
	free(out);
	free(err);
}


/* no control byte but the line ends, and valid UTF-8 throughout */
static void assert_clean_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			fail_msg("control byte 0x%02x in:\n%s", *p, s);
		if (*p >= 0x80)
			fail_msg("byte 0x%02x (the name is ASCII after escaping) in:\n%s", *p, s);
	}
}

/* a bitmap whose size would wrap, and a size past data_size: errors naming the field */
static void examine_names_impossible_geometry(void **state)
{
	unsigned char bm[64] = { 'b', 'i', 't', 'm' };
	char *out, *err;

	(void)state;
	if (!mdctl)
		skip();
	fresh("g-bitmap.img");
	patch_le32("g-bitmap.img", 8, 96, 8, 0);     /* bitmap 8 sectors after the superblock */
	patch_le32("g-bitmap.img", 8, 8, 1, 1);      /* feature BITMAP_OFFSET, checksum fixed */
	memset(bm + 40, 0xff, 8);                    /* sync_size: every sector there could be */
	bm[53] = 2;                                  /* chunk 512 bytes: one bit per sector */
	patch("g-bitmap.img", 16 * 512, bm, sizeof(bm));
	assert_int_equal(run("--examine g-bitmap.img", &out, &err), 1);
	assert_string_equal(out, "");
	assert_has(err, "g-bitmap.img: impossible geometry: bitmap sync_size out of range");
	free(out);
	free(err);

	fresh("g-size.img");
	patch_le32("g-size.img", 8, 84, 1, 1);       /* size's high word: past data_size */
	expect_rejected("g-size.img", "impossible geometry: size out of range");
}

#define HOSTILE "a\nPROGRAM /x\nMD_X=y\x1b[31m'\xff"

/*
 * A name written by whoever wrote the disk: every output form escapes it,
 * --export prints only MD_ lines, --brief one ARRAY line that a config
 * reads back as one ARRAY and nothing else, --json valid UTF-8 JSON.
 */
static void examine_escapes_a_hostile_name_in_every_form(void **state)
{
	struct mdctl_config cfg;
	struct json_object *root, *j;
	struct sb1_info s;
	char *out, *err, cfgerr[256];

	(void)state;
	if (!mdctl)
		skip();
	assert_int_equal(fixture_info(&s, 2, DEV_SECTORS, 1, 2, 0), 0);
	strcpy(s.set_name, HOSTILE);
	image("h.img", &s);

	assert_int_equal(run("--examine h.img", &out, &err), 0);
	assert_clean_text(out);
	assert_has(out, "           Name : a\\x0aPROGRAM /x\\x0aMD_X=y\\x1b[31m'\\xff\n");
	free(out);
	free(err);

	assert_int_equal(run("--examine --export h.img", &out, &err), 0);
	assert_clean_text(out);
	for (char *l = out; *l; l = strchr(l, '\n') + 1) {
		size_t k = strspn(l + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

		if (strncmp(l, "MD_", 3) || !k || l[3 + k] != '=')
			fail_msg("not an MD_ line: %.40s", l);
	}
	assert_has(out, "MD_NAME='a\\x0aPROGRAM /x\\x0aMD_X=y\\x1b[31m'\\''\\xff'\n");
	free(out);
	free(err);

	assert_int_equal(run("--examine --brief h.img", &out, &err), 0);
	assert_clean_text(out);
	assert_int_equal(strncmp(out, "ARRAY ", 6), 0);
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	assert_int_equal(config_parse_buffer(out, "scan.conf", &cfg, cfgerr, sizeof(cfgerr)), 0);
	assert_int_equal(cfg.narrays, 1);
	assert_string_equal(cfg.program, "");
	assert_string_equal(cfg.mailaddr, "");
	assert_ptr_equal(config_find_array(&cfg, NULL, HOSTILE), &cfg.arrays[0]);
	config_free(&cfg);
	free(out);
	free(err);

	assert_int_equal(run("--examine --json h.img", &out, &err), 0);
	assert_clean_text(out);
	root = jparse_strict(out);
	j = json_object_is_type(root, json_type_array) ? json_object_array_get_idx(root, 0) : root;
	assert_non_null(j);
	assert_string_equal(json_object_get_string(jkey(j, "name")), "a\\x0aPROGRAM /x\\x0aMD_X=y\\x1b[31m'\\xff");
	json_object_put(root);
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(examine_text_prints_every_mdadm_field),
		cmocka_unit_test(examine_text_shows_replacement_and_recovery),
		cmocka_unit_test(examine_shows_reshape_fields),
		cmocka_unit_test(examine_lists_recorded_bad_blocks),
		cmocka_unit_test(examine_brief_prints_one_array_line),
		cmocka_unit_test(examine_json_has_schema_version_and_roles),
		cmocka_unit_test(examine_rejects_each_corruption_with_its_own_message),
		cmocka_unit_test(examine_reports_each_device_and_fails_if_any_failed),
		cmocka_unit_test(examine_usage_errors_exit_2),
		cmocka_unit_test(examine_badblocks_matches_mdadm_on_real_fixtures),
		cmocka_unit_test(examine_names_a_0_90_superblock),
		cmocka_unit_test(examine_json_has_every_documented_key),
		cmocka_unit_test(examine_escapes_a_hostile_name_in_every_form),
		cmocka_unit_test(examine_names_impossible_geometry),
	};
	return cmocka_run_group_tests_name("examine", tests, setup, teardown);
}
