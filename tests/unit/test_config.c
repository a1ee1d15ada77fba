// SPDX-License-Identifier: GPL-2.0-or-later
/* test_config.c: config.c on mdadm.conf-style texts, mdctl's own keywords and their errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "mdlevel.h"

static const uint8_t uuid_a[16] = {
	0x3c, 0x1f, 0x0c, 0x9a, 0x1d, 0x4e, 0x4c, 0x2b,
	0x8a, 0x41, 0x5f, 0x6e, 0x7d, 0x8c, 0x9b, 0x0a,
};

/* Parse text and expect success; the caller frees. */
static void parse_ok(const char *text, struct mdctl_config *c)
{
	char err[512];
	int rc = config_parse_buffer(text, "t.conf", c, err, sizeof(err));

	if (rc)
		fprintf(stderr, "unexpected: %s\n", err);
	assert_int_equal(rc, 0);
}

/* Parse text, expect -EINVAL with exactly this message. */
static void parse_err(const char *text, const char *want)
{
	struct mdctl_config c;
	char err[512];

	assert_int_equal(config_parse_buffer(text, "t.conf", &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, want);
	config_free(&c);
}

static void uuid_accepts_mdadm_and_dashed_forms(void **state)
{
	uint8_t u[16];

	(void)state;
	assert_int_equal(config_parse_uuid("3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a", u), 0);
	assert_memory_equal(u, uuid_a, 16);
	assert_int_equal(config_parse_uuid("3C1F0C9A.1D4E4C2B.8A415F6E.7D8C9B0A", u), 0);
	assert_memory_equal(u, uuid_a, 16);
	assert_int_equal(config_parse_uuid("3c1f0c9a 1d4e4c2b 8a415f6e 7d8c9b0a", u), 0);
	assert_memory_equal(u, uuid_a, 16);
	assert_int_equal(config_parse_uuid("3c1f0c9a-1d4e-4c2b-8a41-5f6e7d8c9b0a", u), 0);
	assert_memory_equal(u, uuid_a, 16);
	assert_int_equal(config_parse_uuid("3c1f0c9a1d4e4c2b8a415f6e7d8c9b0a", u), 0);
	assert_memory_equal(u, uuid_a, 16);
}

static void uuid_rejects_wrong_length_and_junk(void **state)
{
	uint8_t u[16];

	(void)state;
	memset(u, 0x77, sizeof(u));
	assert_int_equal(config_parse_uuid("3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0", u), -EINVAL);
	assert_int_equal(config_parse_uuid("3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a0", u), -EINVAL);
	assert_int_equal(config_parse_uuid("3c1f0c9g:1d4e4c2b:8a415f6e:7d8c9b0a", u), -EINVAL);
	assert_int_equal(config_parse_uuid(":3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a", u), -EINVAL);
	assert_int_equal(config_parse_uuid("3c1f0c9a::1d4e4c2b:8a415f6e:7d8c9b0a", u), -EINVAL);
	assert_int_equal(config_parse_uuid("3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a:", u), -EINVAL);
	assert_int_equal(config_parse_uuid("", u), -EINVAL);
	assert_int_equal(u[0], 0x77); /* untouched on error */
}

static void array_line_with_every_key(void **state)
{
	static const char text[] =
		"ARRAY /dev/md/data metadata=1.2 uuid=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a name=host:data\n"
		"   level=raid5 num-devices=3 spares=1 spare-group=shelf1\n"
		"   devices=/dev/sdb,/dev/sdc,/dev/sd[d-f] replace-badblocks=8 replace-errors=50\n"
		"   bitmap=/b container=/dev/md/imsm member=0 super-minor=3 auto=yes\n";
	const struct cfg_array *a;
	struct mdctl_config c;

	(void)state;
	parse_ok(text, &c);
	assert_int_equal(c.narrays, 1);
	a = &c.arrays[0];
	assert_string_equal(a->devname, "/dev/md/data");
	assert_true(a->has_uuid);
	assert_memory_equal(a->uuid, uuid_a, 16);
	assert_string_equal(a->name, "host:data");
	assert_int_equal(a->level, 5);
	assert_int_equal(a->num_devices, 3);
	assert_int_equal(a->spares, 1);
	assert_string_equal(a->spare_group, "shelf1");
	assert_string_equal(a->metadata, "1.2");
	assert_int_equal(a->ndevices, 3);
	assert_string_equal(a->devices[0], "/dev/sdb");
	assert_string_equal(a->devices[2], "/dev/sd[d-f]");
	assert_int_equal(a->replace_badblocks, 8);
	assert_int_equal(a->replace_errors, 50);
	assert_string_equal(a->file, "t.conf");
	assert_int_equal(a->line, 1);
	config_free(&c);
}

static void array_defaults_and_levels(void **state)
{
	static const char text[] =
		"ARRAY <ignore> uuid=3c1f0c9a-1d4e-4c2b-8a41-5f6e7d8c9b0a\n"
		"ARRAY /dev/md1 level=linear\n"
		"ARRAY /dev/md2 level=1\n"
		"ARRAY /dev/md3 level=RAID6\n"
		"ARRAY /dev/md4 level=mirror\n"
		"ARRAY /dev/md5 level=raid10 name=only\n";
	struct mdctl_config c;
	int lv;

	(void)state;
	parse_ok(text, &c);
	assert_int_equal(c.narrays, 6);
	assert_string_equal(c.arrays[0].devname, "<ignore>");
	assert_int_equal(c.arrays[0].level, -1000);
	assert_int_equal(c.arrays[0].num_devices, -1);
	assert_int_equal(c.arrays[0].spares, -1);
	assert_int_equal(c.arrays[0].replace_badblocks, -1);
	assert_int_equal(c.arrays[0].replace_errors, -1);
	assert_string_equal(c.arrays[0].name, "");
	assert_int_equal(c.arrays[0].ndevices, 0);
	assert_false(c.arrays[1].has_uuid);
	assert_int_equal(c.arrays[1].level, -1);
	assert_int_equal(c.arrays[2].level, 1);
	assert_int_equal(c.arrays[3].level, 6);
	assert_int_equal(c.arrays[4].level, 1);
	assert_int_equal(c.arrays[5].level, 10);
	assert_int_equal(c.arrays[5].line, 6);
	config_free(&c);
	assert_int_equal(md_level_parse("stripe", &lv), 0);
	assert_int_equal(lv, 0);
	assert_int_equal(md_level_parse("multipath", &lv), 0);
	assert_int_equal(lv, -4);
	assert_int_equal(md_level_parse("raid7", &lv), -EINVAL);
	assert_int_equal(md_level_parse("raid", &lv), -EINVAL);
	assert_int_equal(md_level_parse("RAID5", &lv), 0);
	assert_int_equal(lv, 5);
	assert_int_equal(md_level_parse("container", &lv), 0);
	assert_int_equal(lv, -100);
	assert_string_equal(md_level_name(5), "raid5");
	assert_string_equal(md_level_name(-1), "linear");
	assert_null(md_level_name(7));
}

static void keywords_abbreviate_and_ignore_case(void **state)
{
	static const char text[] =
		"dev /dev/sd* partitions containers\n"
		"Arr /dev/md0 uuid=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a\n"
		"MAI root@example.org\n"
		"mailf mdctl on host <mdctl@example.org>\n"
		"PRO /usr/local/bin/md-alert\n"
		"MON 120\n"
		"pol domain=shelf path=pci-0000:00:1f.2-ata-* type=disk action=spare metadata=1.2 auto=yes\n"
		"REPLACE badblocks=16 errors=100 remove-retired=no\n"
		"eve /var/log/mdctl-events.jsonl\n"
		"sta /run/mdctl\n"
		"METRICS /var/lib/node_exporter/textfile/mdctl.prom\n";
	struct mdctl_config c;

	(void)state;
	parse_ok(text, &c);
	assert_int_equal(c.ndevice_globs, 3);
	assert_string_equal(c.device_globs[0], "/dev/sd*");
	assert_string_equal(c.device_globs[1], "partitions");
	assert_string_equal(c.device_globs[2], "containers");
	assert_int_equal(c.narrays, 1);
	assert_string_equal(c.mailaddr, "root@example.org");
	assert_string_equal(c.mailfrom, "mdctl on host <mdctl@example.org>");
	assert_string_equal(c.program, "/usr/local/bin/md-alert");
	assert_int_equal(c.monitor_delay, 120);
	assert_int_equal(c.npolicies, 1);
	assert_string_equal(c.policies[0].domain, "shelf");
	assert_string_equal(c.policies[0].path, "pci-0000:00:1f.2-ata-*");
	assert_string_equal(c.policies[0].type, "disk");
	assert_string_equal(c.policies[0].action, "spare");
	assert_string_equal(c.policies[0].metadata, "1.2");
	assert_int_equal(c.policies[0].line, 7);
	assert_int_equal(c.replace_badblocks, 16);
	assert_int_equal(c.replace_errors, 100);
	assert_false(c.remove_retired);
	assert_string_equal(c.event_log, "/var/log/mdctl-events.jsonl");
	assert_string_equal(c.state_dir, "/run/mdctl");
	assert_string_equal(c.metrics_path, "/var/lib/node_exporter/textfile/mdctl.prom");
	config_free(&c);
}

static void mdadm_only_keywords_are_accepted(void **state)
{
	static const char text[] =
		"CREATE owner=root group=disk mode=0660 auto=yes metadata=1.2 names=yes bbl=no\n"
		"HOMEHOST <system>\n"
		"HOMECLUSTER c1\n"
		"AUTO +1.x homehost -all\n"
		"PART-POLICY type=part action=include\n"
		"SYSFS name=data sync_speed_max=100000\n"
		"ENCRYPTION_NO_VERIFY sata_opal\n"
		"PROBING ddf_extended\n";
	struct mdctl_config c;

	(void)state;
	parse_ok(text, &c);
	assert_int_equal(c.narrays, 0);
	assert_int_equal(c.npolicies, 0);
	assert_int_equal(c.monitor_delay, -1);
	assert_int_equal(c.replace_badblocks, -1);
	assert_int_equal(c.replace_errors, -1);
	assert_true(c.remove_retired);
	assert_true(c.expedite_rcu);
	assert_string_equal(c.event_log, "");
	/* what they say is kept for the commands that use it */
	assert_int_equal(c.create.uid, 0);
	assert_true(c.create.gid >= 0);
	assert_int_equal(c.create.mode, 0660);
	assert_int_equal(c.create.names, 1);
	assert_int_equal(c.create.bbl, 0);
	assert_int_equal(c.create.symlinks, -1);
	assert_string_equal(c.create.autof, "yes");
	assert_string_equal(c.create.metadata, "1.2");
	assert_true(c.homehost_set);
	assert_string_equal(c.homehost, "<system>");
	assert_false(c.homehost_ignore);
	assert_string_equal(c.homecluster, "c1");
	assert_int_equal(c.nauto_words, 3);
	assert_string_equal(c.auto_words[0], "+1.x");
	assert_string_equal(c.auto_words[2], "-all");
	assert_int_equal(c.npart_policies, 1);
	assert_string_equal(c.part_policies[0].action, "include");
	assert_string_equal(c.part_policies[0].type, "part");
	config_free(&c);
}

/* mdadm takes the device name anywhere on the line, and an array named by devices= alone. */
static void array_words_in_any_order(void **state)
{
	static const char text[] =
		"ARRAY metadata=1.2 UUID=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a /dev/md/data name=h:data\n"
		"ARRAY devices=/dev/loop1,/dev/loop2 /dev/md1\n"
		"ARRAY /dev/md2 disks=3 level=raid5 devices=/dev/sd[bc]1\n"
		"ARRAY num-devices=2 <ignore> name=junk\n";
	struct mdctl_config c;

	(void)state;
	parse_ok(text, &c);
	assert_int_equal(c.narrays, 4);
	assert_string_equal(c.arrays[0].devname, "/dev/md/data");
	assert_true(c.arrays[0].has_uuid);
	assert_memory_equal(c.arrays[0].uuid, uuid_a, 16);
	assert_string_equal(c.arrays[0].name, "h:data");
	assert_string_equal(c.arrays[0].metadata, "1.2");
	assert_string_equal(c.arrays[1].devname, "/dev/md1");
	assert_false(c.arrays[1].has_uuid);
	assert_int_equal(c.arrays[1].ndevices, 2);
	assert_string_equal(c.arrays[1].devices[1], "/dev/loop2");
	assert_int_equal(c.arrays[2].num_devices, 3);
	assert_int_equal(c.arrays[2].level, 5);
	assert_string_equal(c.arrays[3].devname, "<ignore>");
	assert_int_equal(c.arrays[3].num_devices, 2);
	config_free(&c);
}

/* PROGRAM with arguments: the first word is the program, the rest ignored (mdadm). */
static void program_with_arguments_runs_the_first_word(void **state)
{
	struct mdctl_config c;

	(void)state;
	parse_ok("PROGRAM /usr/sbin/handle-mdadm-events --verbose 'two words'\n", &c);
	assert_string_equal(c.program, "/usr/sbin/handle-mdadm-events");
	assert_int_equal(c.program_extra_words, 2);
	config_free(&c);
	parse_ok("PROGRAM /bin/alert\n", &c);
	assert_int_equal(c.program_extra_words, 0);
	config_free(&c);
}

static void homehost_words(void **state)
{
	struct mdctl_config c;
	char h[256], sys[256];

	(void)state;
	assert_int_equal(gethostname(sys, sizeof(sys)), 0);
	parse_ok("", &c);
	assert_int_equal(config_homehost(&c, NULL, h, sizeof(h)), 0);
	assert_string_equal(h, sys);                       /* default: <system> */
	assert_int_equal(config_homehost(&c, "other", h, sizeof(h)), 0);
	assert_string_equal(h, "other");                   /* --homehost wins */
	assert_int_equal(config_homehost(&c, "<none>", h, sizeof(h)), 0);
	assert_string_equal(h, "");
	config_free(&c);

	parse_ok("HOMEHOST <none>\n", &c);
	assert_true(c.homehost_set);
	assert_int_equal(config_homehost(&c, NULL, h, sizeof(h)), 0);
	assert_string_equal(h, "");
	config_free(&c);

	/* <ignore> with a name; a second HOMEHOST line is ignored, as mdadm says */
	parse_ok("HOMEHOST <ignore> box\nHOMEHOST other\n", &c);
	assert_true(c.homehost_ignore);
	assert_int_equal(config_homehost(&c, NULL, h, sizeof(h)), 0);
	assert_string_equal(h, "box");
	config_free(&c);

	parse_ok("HOMEHOST <system>\n", &c);
	assert_int_equal(config_homehost(&c, NULL, h, sizeof(h)), 0);
	assert_string_equal(h, sys);
	config_free(&c);

	assert_true(config_array_is_home("box:data", "box"));
	assert_false(config_array_is_home("boxes:data", "box"));
	assert_false(config_array_is_home("bo:data", "box"));
	assert_false(config_array_is_home("data", "box"));
	assert_false(config_array_is_home(":data", ""));
	assert_false(config_array_is_home("box:data", ""));
}

/* AUTO as mdadm.conf(5) describes it, for 1.x arrays of this host (home) and others. */
static void auto_first_match_wins(void **state)
{
	static const struct {
		const char *line;
		bool home, foreign;
	} cases[] = {
		{ "", true, true },
		{ "AUTO -all\n", false, false },
		{ "AUTO no\n", false, false },
		{ "AUTO +1.x -all\n", true, true },
		{ "AUTO +1 -all\n", true, true },
		{ "AUTO +1.2 -all\n", true, true },
		{ "AUTO -1.x +all\n", false, false },
		{ "AUTO +0.90 -all\n", false, false },
		{ "AUTO homehost -all\n", true, false },
		{ "AUTO homehost no\n", true, false },
		{ "AUTO +1.x homehost -all\n", true, true },
		{ "AUTO +ddf -0.90 homehost -all\n", true, false },
		{ "AUTO -ddf\n", true, true },
		{ "AUTO yes -1.x\n", true, true },
		{ "AUTO -1.x\nAUTO +all\n", false, false }, /* the second line is ignored */
		{ "AUTO +IMSM -ALL\n", false, false },
	};
	struct mdctl_config c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_ok(cases[i].line, &c);
		if (config_auto_allows(&c, "1.2", true) != cases[i].home ||
		    config_auto_allows(&c, "1.x", false) != cases[i].foreign)
			fail_msg("%s: home %d foreign %d", cases[i].line,
				 config_auto_allows(&c, "1.2", true),
				 config_auto_allows(&c, "1.x", false));
		config_free(&c);
	}

	/* the reason said when refused */
	{
		char why[256];

		parse_ok("AUTO +1.x homehost -all\n", &c);
		assert_true(config_auto_check(&c, "box", "box:data", why, sizeof(why)));
		config_free(&c);
		parse_ok("AUTO homehost -all\n", &c);
		assert_true(config_auto_check(&c, "box", "box:data", why, sizeof(why)));
		assert_false(config_auto_check(&c, "box", "other:data", why, sizeof(why)));
		assert_string_equal(why, "AUTO in the config refuses other hosts' 1.x arrays");
		assert_false(config_auto_check(&c, "<none>", "box:data", why, sizeof(why)));
		config_free(&c);
		parse_ok("HOMEHOST <ignore>\nAUTO -1.x\n", &c);
		assert_false(config_auto_check(&c, NULL, "x:data", why, sizeof(why)));
		assert_string_equal(why, "AUTO in the config refuses 1.x arrays");
		config_free(&c);
		/* <ignore>: the host part decides nothing, every array is home */
		parse_ok("HOMEHOST <ignore>\nAUTO homehost -all\n", &c);
		assert_true(config_auto_check(&c, NULL, "x:data", why, sizeof(why)));
		assert_true(config_auto_check(&c, NULL, "data", why, sizeof(why)));
		assert_false(config_auto_check(&c, "box", "x:data", why, sizeof(why)));
		config_free(&c);
		parse_ok("HOMEHOST box\nAUTO homehost -all\n", &c);
		assert_false(config_auto_check(&c, NULL, "x:data", why, sizeof(why)));
		assert_true(config_auto_check(&c, "<ignore>", "x:data", why, sizeof(why)));
		config_free(&c);
	}
}

/* Write text to dir/name (dir made as needed). */
static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "mkdir -p '%s'", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* mdadm.conf, then mdadm.conf.d/ *.conf in lexical order; --config DIR reads a directory. */
static void conf_d_directory_is_read_in_order(void **state)
{
	char etc[] = "/tmp/mdctl-conf-XXXXXX", d[256], err[512], cmd[300];
	struct mdctl_config c;

	(void)state;
	assert_non_null(mkdtemp(etc));
	snprintf(d, sizeof(d), "%s/mdadm", etc);
	put(d, "mdadm.conf", "AUTO -all\nARRAY /dev/md0 name=main\n");
	snprintf(d, sizeof(d), "%s/mdadm/mdadm.conf.d", etc);
	put(d, "20-b.conf", "ARRAY /dev/md2 name=b\nAUTO +all\nMAILADDR root\n");
	put(d, "10-a.conf", "ARRAY /dev/md1 name=a\n");
	put(d, ".hidden.conf", "ARRAY /dev/md9 name=hidden\n");
	put(d, "notes.txt", "this is not a config file\n");
	put(d, "30-c.conf.dpkg-old", "garbage\n");

	assert_int_equal(config_load_root(etc, NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(c.narrays, 3);
	assert_string_equal(c.arrays[0].name, "main");
	assert_string_equal(c.arrays[1].name, "a");
	assert_string_equal(c.arrays[2].name, "b");
	assert_non_null(strstr(c.arrays[2].file, "20-b.conf"));
	assert_int_equal(c.arrays[2].line, 1);
	assert_false(config_auto_allows(&c, "1.x", true)); /* the first AUTO wins */
	assert_string_equal(c.mailaddr, "root");
	config_free(&c);

	/* --config DIR: that directory alone */
	assert_int_equal(config_load_root(etc, d, &c, err, sizeof(err)), 0);
	assert_int_equal(c.narrays, 2);
	assert_string_equal(c.arrays[0].name, "a");
	assert_true(config_auto_allows(&c, "1.x", false));
	config_free(&c);

	/* a keyword said once, said again in another file: which two lines */
	put(d, "40-d.conf", "\nMAILADDR other@example.org\n");
	assert_int_equal(config_load_root(etc, NULL, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "40-d.conf:2: MAILADDR given twice (first at "));
	assert_non_null(strstr(err, "20-b.conf:3)"));
	config_free(&c);

	/* only a directory, no mdadm.conf: still read */
	snprintf(cmd, sizeof(cmd), "rm -f '%s/mdadm/mdadm.conf' '%s/40-d.conf'", etc, d);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(config_load_root(etc, NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(c.narrays, 2);
	config_free(&c);

	/* mdctl.conf first when it exists (its own .d beside it) */
	put(etc, "mdctl.conf", "ARRAY /dev/md5 name=own\n");
	assert_int_equal(config_load_root(etc, NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(c.narrays, 1);
	assert_string_equal(c.arrays[0].name, "own");
	config_free(&c);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", etc);
	assert_int_equal(system(cmd), 0);
}

/* n lines "ARRAY /dev/md<i> name=<prefix><i>", a POLICY after every third, a PART-POLICY every fifth */
static char *many_lines(const char *prefix, int n)
{
	size_t cap = (size_t)n * 80 + 1, used = 0;
	char *t = malloc(cap);

	assert_non_null(t);
	t[0] = '\0';
	for (int i = 0; i < n; i++) {
		used += (size_t)snprintf(t + used, cap - used, "ARRAY /dev/md%d name=%s%d\n", i,
					 prefix, i);
		if (i % 3 == 2)
			used += (size_t)snprintf(t + used, cap - used,
						 "POLICY domain=d%d action=spare\n", i);
		if (i % 5 == 4)
			used += (size_t)snprintf(t + used, cap - used, "PART-POLICY domain=p%d\n", i);
		assert_true(used < cap);
	}
	return t;
}

/*
 * Thousands of lines (a fuzzed 16 KiB file holds 640 ARRAY lines): every
 * one is kept, in file order, with its own line, in one file or across
 * conf.d files.  Lines naming the same array twice are not an error: both
 * are kept and the first is the one found.
 */
static void many_arrays_and_policies_keep_every_line(void **state)
{
	char etc[] = "/tmp/mdctl-conf-XXXXXX", d[256], err[512], cmd[300], want[32];
	struct mdctl_config c;
	char *text = many_lines("a", 1000), *more;
	int line = 0, np = 0, npp = 0;

	(void)state;
	parse_ok(text, &c);
	assert_int_equal(c.narrays, 1000);
	assert_int_equal(c.npolicies, 333);
	assert_int_equal(c.npart_policies, 200);
	for (int i = 0; i < 1000; i++) {
		line++;
		snprintf(want, sizeof(want), "a%d", i);
		assert_string_equal(c.arrays[i].name, want);
		snprintf(want, sizeof(want), "/dev/md%d", i);
		assert_string_equal(c.arrays[i].devname, want);
		assert_int_equal(c.arrays[i].line, line);
		if (i % 3 == 2) {
			snprintf(want, sizeof(want), "d%d", i);
			assert_string_equal(c.policies[np].domain, want);
			assert_int_equal(c.policies[np++].line, ++line);
		}
		if (i % 5 == 4) {
			snprintf(want, sizeof(want), "p%d", i);
			assert_string_equal(c.part_policies[npp].domain, want);
			assert_int_equal(c.part_policies[npp++].line, ++line);
		}
	}
	assert_ptr_equal(config_find_array(&c, NULL, "a999"), &c.arrays[999]);
	config_free(&c);

	/* the same uuid, name (with and without host) and device twice: kept, first found */
	more = malloc(strlen(text) + 400);
	assert_non_null(more);
	sprintf(more, "%sARRAY /dev/md0 uuid=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a name=h:dup\n"
		      "ARRAY /dev/md0 uuid=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a name=dup\n"
		      "ARRAY /dev/md/x name=a7\n", text);
	parse_ok(more, &c);
	assert_int_equal(c.narrays, 1003);
	assert_ptr_equal(config_find_array(&c, uuid_a, NULL), &c.arrays[1000]);
	assert_ptr_equal(config_find_array(&c, NULL, "dup"), &c.arrays[1000]);
	assert_ptr_equal(config_find_array(&c, NULL, "a7"), &c.arrays[7]);
	assert_string_equal(c.arrays[1001].devname, "/dev/md0");
	config_free(&c);
	free(more);
	free(text);

	/* the lists go on growing across the files of a conf.d */
	assert_non_null(mkdtemp(etc));
	snprintf(d, sizeof(d), "%s/mdadm/mdadm.conf.d", etc);
	text = many_lines("b", 300);
	put(d, "10-b.conf", text);
	free(text);
	text = many_lines("c", 300);
	put(d, "20-c.conf", text);
	free(text);
	assert_int_equal(config_load_root(etc, NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(c.narrays, 600);
	assert_int_equal(c.npolicies, 200);
	assert_int_equal(c.npart_policies, 120);
	assert_string_equal(c.arrays[299].name, "b299");
	assert_string_equal(c.arrays[300].name, "c0");
	assert_string_equal(c.arrays[599].name, "c299");
	assert_non_null(strstr(c.arrays[599].file, "20-c.conf"));
	assert_string_equal(c.policies[199].domain, "d299");
	assert_string_equal(c.part_policies[119].domain, "p299");
	config_free(&c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", etc);
	assert_int_equal(system(cmd), 0);
}

static void continuation_lines_and_comments(void **state)
{
	static const char text[] =
		"# mdctl.conf\n"
		"\n"
		"ARRAY /dev/md0   # the boot mirror\n"
		"\tuuid=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a\n"
		"# a comment between continuation lines\n"
		"\n"
		"     name=\"my host:boot\" level=1\n"
		"DEVICE /dev/sda1\n"
		"  /dev/sdb1 #/dev/sdc1\n";
	struct mdctl_config c;

	(void)state;
	parse_ok(text, &c);
	assert_int_equal(c.narrays, 1);
	assert_true(c.arrays[0].has_uuid);
	assert_string_equal(c.arrays[0].name, "my host:boot");
	assert_int_equal(c.arrays[0].level, 1);
	assert_int_equal(c.arrays[0].line, 3);
	assert_int_equal(c.ndevice_globs, 2);
	assert_string_equal(c.device_globs[1], "/dev/sdb1");
	config_free(&c);
}

static void errors_name_file_and_line(void **state)
{
	(void)state;
	parse_err("DEVICE /dev/sd*\nFROBNICATE yes\n", "t.conf:2: unknown keyword 'FROBNICATE'");
	parse_err("AR /dev/md0\n", "t.conf:1: unknown keyword 'AR'");
	parse_err("MAIL root\nMAILFRO x\nMAIX y\n", "t.conf:3: unknown keyword 'MAIX'");
	parse_err("ARRAY /dev/md0\n  uuid=1234\n", "t.conf:2: bad uuid: 1234");
	parse_err("ARRAY /dev/md0 num-devices=three\n",
		  "t.conf:1: bad number: num-devices=three");
	parse_err("ARRAY /dev/md0 spares=-1\n", "t.conf:1: bad number: spares=-1");
	parse_err("ARRAY /dev/md0 level=raid7\n", "t.conf:1: bad level: raid7");
	parse_err("ARRAY /dev/md0 replace-badblocks=x\n",
		  "t.conf:1: bad number: replace-badblocks=x");
	parse_err("ARRAY /dev/md0 spare-groop=a\n", "t.conf:1: ARRAY: unknown key 'spare-groop=a'");
	parse_err("ARRAY /dev/md0 /dev/md1\n",
		  "t.conf:1: ARRAY: two device names: '/dev/md0' and '/dev/md1'");
	parse_err("ARRAY uuid=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a md0 name=x md1\n",
		  "t.conf:1: ARRAY: two device names: 'md0' and 'md1'");
	parse_err("CREATE mode=0699\n", "t.conf:1: CREATE: bad mode 0699 (octal, as 0660)");
	parse_err("CREATE mode=\n", "t.conf:1: CREATE: bad mode  (octal, as 0660)");
	parse_err("CREATE owner=\n", "t.conf:1: CREATE: owner= needs a value");
	parse_err("CREATE names=maybe\n", "t.conf:1: CREATE: names=maybe takes yes or no");
	parse_err("CREATE colour=blue\n", "t.conf:1: CREATE: unknown word 'colour=blue'");
	parse_err("AUTO +1.x sometimes\n",
		  "t.conf:1: AUTO: 'sometimes' is not +METADATA, -METADATA, homehost, yes or no");
	parse_err("PROGRAM\n", "t.conf:1: PROGRAM takes a path");
	parse_err("PART-POLICY action=explode\n", "t.conf:1: POLICY: bad action: explode");
	parse_err("\n\nMONITORDELAY soon\n", "t.conf:3: bad number: MONITORDELAY soon");
	parse_err("MONITORDELAY 0\n", "t.conf:1: bad number: MONITORDELAY 0");
	parse_err("REPLACE-POLICY badblocks=8 erors=3\n",
		  "t.conf:1: REPLACE-POLICY: unknown key 'erors=3'");
	parse_err("REPLACE-POLICY errors=many\n", "t.conf:1: bad number: errors=many");
	parse_err("REPLACE-POLICY remove-retired=maybe\n",
		  "t.conf:1: remove-retired takes yes or no, not 'maybe'");
	parse_err("REPLACE-POLICY expedite-rcu=often\n",
		  "t.conf:1: expedite-rcu takes yes or no, not 'often'");
	parse_err("REPLACE-POLICY\n", "t.conf:1: REPLACE-POLICY: nothing set");
	parse_err("EVENTLOG relative.log\n", "t.conf:1: EVENTLOG: not an absolute path: relative.log");
	parse_err("STATEDIR /a /b\n", "t.conf:1: STATEDIR takes one path");
	parse_err("METRICS md.prom\n", "t.conf:1: METRICS: not an absolute path: md.prom");
	parse_err("POLICY action=explode\n", "t.conf:1: POLICY: bad action: explode");
	parse_err("POLICY type=lun\n", "t.conf:1: POLICY: bad type: lun (disk or part)");
}

static void thresholds_take_off(void **state)
{
	struct mdctl_config c;

	(void)state;
	parse_ok("REPLACE-POLICY badblocks=off errors=0 remove-retired=yes expedite-rcu=no\n"
		 "ARRAY /dev/md0 replace-badblocks=none\n", &c);
	assert_int_equal(c.replace_badblocks, -1);
	assert_int_equal(c.replace_errors, 0);
	assert_true(c.remove_retired);
	assert_false(c.expedite_rcu);
	assert_int_equal(c.arrays[0].replace_badblocks, -1);
	config_free(&c);
}

static void debian_generated_mdadm_conf_is_read(void **state)
{
	/* what Debian's mkconf and "mdadm --detail --scan" write: upper-case UUID= */
	static const char text[] =
		"# mdadm.conf\n"
		"#\n"
		"# !NB! Run update-initramfs -u after updating this file.\n"
		"#DEVICE partitions containers\n"
		"CREATE owner=root group=disk mode=0660 auto=yes\n"
		"HOMEHOST <system>\n"
		"MAILADDR root\n"
		"ARRAY /dev/md0 metadata=1.2 spares=1 name=deb:0 UUID=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a\n"
		"# This configuration was auto-generated on Wed, 25 Nov 2026 09:00:00 +0000 by mkconf\n";
	struct mdctl_config c;

	(void)state;
	parse_ok(text, &c);
	assert_int_equal(c.ndevice_globs, 0);
	assert_string_equal(c.mailaddr, "root");
	assert_int_equal(c.narrays, 1);
	assert_true(c.arrays[0].has_uuid);
	assert_memory_equal(c.arrays[0].uuid, uuid_a, 16);
	assert_int_equal(c.arrays[0].spares, 1);
	assert_string_equal(c.arrays[0].name, "deb:0");
	assert_ptr_equal(config_find_array(&c, uuid_a, NULL), &c.arrays[0]);
	config_free(&c);
}

static void find_array_by_uuid_then_name(void **state)
{
	static const char text[] =
		"ARRAY /dev/md0 uuid=3c1f0c9a:1d4e4c2b:8a415f6e:7d8c9b0a name=host:data\n"
		"ARRAY /dev/md1 name=logs\n"
		"ARRAY /dev/md2 name=otherhost:scratch\n";
	uint8_t other[16] = { 1 };
	struct mdctl_config c;

	(void)state;
	parse_ok(text, &c);
	assert_ptr_equal(config_find_array(&c, uuid_a, NULL), &c.arrays[0]);
	assert_ptr_equal(config_find_array(&c, uuid_a, "whatever"), &c.arrays[0]);
	assert_ptr_equal(config_find_array(&c, other, "myhost:logs"), &c.arrays[1]);
	assert_ptr_equal(config_find_array(&c, NULL, "logs"), &c.arrays[1]);
	assert_ptr_equal(config_find_array(&c, NULL, "scratch"), &c.arrays[2]);
	assert_null(config_find_array(&c, NULL, "myhost:scratch"));
	/* a line with another uuid never matches by name */
	assert_null(config_find_array(&c, other, "host:data"));
	assert_null(config_find_array(&c, other, NULL));
	config_free(&c);
}


/* what the file does not say plainly is refused, with file:line */
static void strict_parser_refuses_what_it_cannot_read_plainly(void **state)
{
	char big[1200 + 32];

	(void)state;
	parse_err("ARRAY /dev/md0 name=\"abc\n", "t.conf:1: unterminated \" quote");
	parse_err("DEVICE /dev/sda\nARRAY /dev/md0 name='x\nPROGRAM /tmp/evil\n",
		  "t.conf:2: unterminated ' quote");
	parse_err("MAILADDR a@b\nMAILADDR c@d\n", "t.conf:2: MAILADDR given twice (first at line 1)");
	parse_err("PROGRAM /bin/a\n\nPRO /bin/b\n", "t.conf:3: PRO given twice (first at line 1)");
	parse_err("EVENTLOG /a\nEVENTLOG /b\n", "t.conf:2: EVENTLOG given twice (first at line 1)");
	parse_err("PROGRAM alert.sh\n", "t.conf:1: PROGRAM: not an absolute path: alert.sh");
	parse_err("ARRAY /dev/md0 name=a\x1b[31m\n", "t.conf:1: control byte 0x1b");
	memcpy(big, "PROGRAM /", 9);
	memset(big + 9, 'a', 1100);
	strcpy(big + 1109, "\n");
	parse_err(big, "t.conf:1: word longer than 1023 bytes");
}

/* an ARRAY line --examine --scan wrote from a hostile name finds its array */
static void find_array_by_escaped_name(void **state)
{
	struct mdctl_config c;

	(void)state;
	parse_ok("ARRAY /dev/md/a_PROGRAM__x name=a\\x0aPROGRAM\\x20/x\n", &c);
	assert_int_equal(c.narrays, 1);
	assert_string_equal(c.program, "");
	assert_ptr_equal(config_find_array(&c, NULL, "a\nPROGRAM /x"), &c.arrays[0]);
	config_free(&c);
}

static void load_refuses_a_nul_byte(void **state)
{
	char dir[] = "/tmp/mdctl-config-XXXXXX", path[64], err[512], want[600];
	static const char text[] = "MAILADDR a@b\nDEVICE /dev/sda\0\nPROGRAM /tmp/hidden\n";
	struct mdctl_config c;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mdctl.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
	fclose(f);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: NUL byte", path);
	assert_string_equal(err, want);
	config_free(&c);
	unlink(path);
	rmdir(dir);
}

static void load_reads_file_and_reports_missing(void **state)
{
	char dir[] = "/tmp/mdctl-config-XXXXXX", path[64], err[512], want[600];
	struct mdctl_config c;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mdctl.conf", dir);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: cannot read: No such file or directory", path);
	assert_string_equal(err, want);
	config_free(&c);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("MAILADDR ops@example.org\nARRAY /dev/md0 uuid=nope\n", f);
	fclose(f);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: bad uuid: nope", path);
	assert_string_equal(err, want);
	config_free(&c);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("MAILADDR ops@example.org\n", f);
	fclose(f);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), 0);
	assert_string_equal(c.path, path);
	assert_string_equal(c.mailaddr, "ops@example.org");
	config_free(&c);

	assert_int_equal(config_load("partitions", &c, err, sizeof(err)), 0);
	assert_int_equal(c.ndevice_globs, 1);
	assert_string_equal(c.device_globs[0], "partitions");
	config_free(&c);
	assert_int_equal(config_load("none", &c, err, sizeof(err)), 0);
	assert_int_equal(c.ndevice_globs, 0);
	config_free(&c);

	unlink(path);
	rmdir(dir);
}

/* POLICY lines for a disk arriving in a bay: path glob, type, metadata, strongest action. */
static void policy_action_by_bay(void **state)
{
	struct mdctl_config c;
	const struct cfg_policy *line;

	(void)state;
	parse_ok("POLICY domain=a path=pci-0000:00:1f.2-ata-* action=spare-same-slot\n"
		 "POLICY domain=a path=pci-0000:00:1f.2-ata-3 action=include\n"
		 "POLICY path=usb-* type=part action=spare\n"
		 "POLICY path=sas-* metadata=1.x action=force-spare\n"
		 "POLICY path=ddf-* metadata=ddf action=spare\n", &c);
	assert_int_equal(config_policy_action(&c, "pci-0000:00:1f.2-ata-3", false, "1.2", &line),
			 CFG_ACT_SPARE_SAME_SLOT);
	assert_non_null(line);
	assert_int_equal(line->line, 1);
	/* a glob is not a prefix: another controller is another bay */
	assert_int_equal(config_policy_action(&c, "pci-0000:00:1f.3-ata-3", false, "1.2", &line),
			 CFG_ACT_NONE);
	assert_null(line);
	assert_int_equal(config_policy_action(&c, "", false, "1.2", NULL), CFG_ACT_NONE);
	/* type=part: a whole disk in that bay is not covered */
	assert_int_equal(config_policy_action(&c, "usb-1", true, "1.2", NULL), CFG_ACT_SPARE);
	assert_int_equal(config_policy_action(&c, "usb-1", false, "1.2", NULL), CFG_ACT_NONE);
	/* metadata=1.x covers every 1.x array, metadata=ddf none of mdctl's */
	assert_int_equal(config_policy_action(&c, "sas-9", false, "1.0", NULL), CFG_ACT_FORCE_SPARE);
	assert_int_equal(config_policy_action(&c, "sas-9", false, "0.90", NULL), CFG_ACT_NONE);
	assert_int_equal(config_policy_action(&c, "ddf-1", false, "1.2", NULL), CFG_ACT_NONE);
	config_free(&c);

	/* no path=: every bay */
	parse_ok("POLICY action=spare\n", &c);
	assert_int_equal(config_policy_action(&c, "anything/../x", false, "1.2", NULL), CFG_ACT_SPARE);
	config_free(&c);
	parse_ok("ARRAY /dev/md0 uuid=0123abcd:0123abcd:0123abcd:0123abcd\n", &c);
	assert_int_equal(config_policy_action(&c, "pci-1", false, "1.2", NULL), CFG_ACT_NONE);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid_accepts_mdadm_and_dashed_forms),
		cmocka_unit_test(uuid_rejects_wrong_length_and_junk),
		cmocka_unit_test(array_line_with_every_key),
		cmocka_unit_test(array_defaults_and_levels),
		cmocka_unit_test(keywords_abbreviate_and_ignore_case),
		cmocka_unit_test(mdadm_only_keywords_are_accepted),
		cmocka_unit_test(continuation_lines_and_comments),
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(thresholds_take_off),
		cmocka_unit_test(debian_generated_mdadm_conf_is_read),
		cmocka_unit_test(find_array_by_uuid_then_name),
		cmocka_unit_test(load_reads_file_and_reports_missing),
		cmocka_unit_test(strict_parser_refuses_what_it_cannot_read_plainly),
		cmocka_unit_test(find_array_by_escaped_name),
		cmocka_unit_test(load_refuses_a_nul_byte),
		cmocka_unit_test(array_words_in_any_order),
		cmocka_unit_test(program_with_arguments_runs_the_first_word),
		cmocka_unit_test(homehost_words),
		cmocka_unit_test(auto_first_match_wins),
		cmocka_unit_test(conf_d_directory_is_read_in_order),
		cmocka_unit_test(policy_action_by_bay),
		cmocka_unit_test(many_arrays_and_policies_keep_every_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
