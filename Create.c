// SPDX-License-Identifier: GPL-2.0-or-later
/* Create.c: --create: checks every member, writes 1.x superblocks as mdadm does, starts the array through md sysfs. */
#include "cli.h"
#include "config.h"
#include "mdctl.h"
#include "mdops.h"
#include "mdarray.h"
#include "bitmap.h"
#include "blkdev.h"
#include "output.h"
#include "super1.h"
#include "sysfs.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define LEVEL_UNSET  (-100)

enum { BM_DEFAULT, BM_NONE, BM_INTERNAL };
#define MD_MAJOR     9

static const char create_help[] =
"Usage: mdctl --create /dev/mdN|/dev/md/NAME|NAME --level=L --raid-devices=N [OPTIONS] DEV...\n"
"Write md 1.x superblocks on the member devices and start a new array.\n"
"DEV may be 'missing' to leave a slot empty; devices after the first N are spares.\n"
"\n"
"  -l, --level=L           linear, 0, 1, 4, 5, 6, 10 (also raid5, stripe, mirror)\n"
"  -n, --raid-devices=N    number of slots, 'missing' members included\n"
"  -x, --spare-devices=N   number of spares listed after the raid devices\n"
"  -e, --metadata=V        1.0, 1.1, 1.2 (default; also '1' and 'default')\n"
"  -c, --chunk=KiB         chunk size for levels 0,4,5,6,10 (default 512);\n"
"                          rounding for linear (default 0)\n"
"  -p, --layout=NAME       raid5/6: left-symmetric (default), left-asymmetric,\n"
"                          right-symmetric, right-asymmetric, la, ra, ls, rs,\n"
"                          parity-first, parity-last; raid10: n2 (default), f2, o2, ...\n"
"      --parity=NAME       same as --layout\n"
"  -N, --name=NAME         array name; stored as HOMEHOST:NAME (default: the md number)\n"
"      --homehost=HOST     host part of the name (default: HOMEHOST from the config,\n"
"                          else this host; '<none>' for none)\n"
"      --config=FILE       config file or directory: its HOMEHOST, and CREATE's\n"
"                          owner=, group= and mode= for the /dev/mdN node\n"
"  -z, --size=KiB          space used on each member (suffixes K M G T, 's' sectors; 'max')\n"
"      --assume-clean      mark the array in sync: no initial resync\n"
"  -b, --bitmap=internal|none  a write-intent bitmap beside the superblock, so a\n"
"                          crash or a re-added member resyncs only dirty regions;\n"
"                          default: internal when members hold over 100 GiB\n"
"  -R, --run               accepted for mdadm compatibility: mdctl never asks\n"
"  -f, --force             create over filesystems, partition tables, other RAID\n"
"                          superblocks and partitions of one disk; for raid4/5,\n"
"                          resync parity instead of rebuilding the last member\n"
"  -v, --verbose           say what is written\n"
"  -q, --quiet             no message on success\n"
"  -h, --help              this text\n"
"\n"
"Before anything is written, every member is checked: it must exist, be a block\n"
"device not in use, be large enough, be listed once, and carry no filesystem,\n"
"partition table or RAID signature (unless --force).  If any check fails no\n"
"device is touched.\n";

enum {
	OPT_HOMEHOST = 0x100,
	OPT_ASSUME_CLEAN,
	OPT_PARITY,
	OPT_CONFIG,
};

static const struct option create_long[] = {
	{ "create", no_argument, NULL, 'C' },
	{ "level", required_argument, NULL, 'l' },
	{ "raid-devices", required_argument, NULL, 'n' },
	{ "raid-disks", required_argument, NULL, 'n' },
	{ "spare-devices", required_argument, NULL, 'x' },
	{ "spare-disks", required_argument, NULL, 'x' },
	{ "metadata", required_argument, NULL, 'e' },
	{ "chunk", required_argument, NULL, 'c' },
	{ "rounding", required_argument, NULL, 'c' },
	{ "layout", required_argument, NULL, 'p' },
	{ "parity", required_argument, NULL, OPT_PARITY },
	{ "name", required_argument, NULL, 'N' },
	{ "homehost", required_argument, NULL, OPT_HOMEHOST },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "size", required_argument, NULL, 'z' },
	{ "assume-clean", no_argument, NULL, OPT_ASSUME_CLEAN },
	{ "bitmap", required_argument, NULL, 'b' },
	{ "run", no_argument, NULL, 'R' },
	{ "force", no_argument, NULL, 'f' },
	CLI_REFUSE_OPT("write-mostly", no_argument),
	CLI_REFUSE_OPT("failfast", no_argument),
	CLI_REFUSE_OPT("data-offset", required_argument),
	CLI_REFUSE_OPT("consistency-policy", required_argument),
	CLI_REFUSE_OPT("write-journal", required_argument),
	CLI_REFUSE_OPT("bitmap-chunk", required_argument),
	CLI_REFUSE_OPT("write-behind", required_argument),
	CLI_REFUSE_OPT("array-size", required_argument),
	CLI_REFUSE_OPT("backup-file", required_argument),
	CLI_REFUSE_OPT("nodes", required_argument),
	CLI_REFUSE_OPT("home-cluster", required_argument),
	CLI_COMMON_OPTS,
};

/* struct create_opts - the command line, as given. */
struct create_opts {
	const char *md_arg;
	int level;
	int raid_disks;           /* -1 unset */
	int spare_disks;          /* -1 unset */
	int minor;                /* 1.minor */
	uint32_t chunk_kib;
	bool chunk_set;
	const char *layout_arg;
	const char *name;
	const char *homehost;
	const char *config;       /* --config: HOMEHOST and CREATE from it */
	uint64_t size_kib;        /* 0: the largest that fits */
	bool assume_clean, force;
	int bitmap;               /* BM_DEFAULT, BM_NONE, BM_INTERNAL */
	int ndevs;
	char **devs;
};

/* struct cmember - one listed device ('missing' included) and what create writes on it. */
struct cmember {
	const char *path;         /* NULL for 'missing' */
	int role;                 /* slot, or -1 for a spare */
	unsigned dev_number;
	unsigned major, minor;
	char kname[32];
	uint64_t sectors;
	int fd;
	struct blkdev_id id;      /* what check_member() looked at */
	unsigned check_flags;     /* and with which flags */
	/* what create overwrites, to be put back on failure; save.written: it may be on disk */
	struct mdops_sb_save save;
	struct sb1_dev sb;
};

/* struct create_plan - the array as it will be written. */
struct create_plan {
	int level;
	int layout;
	uint32_t chunk_kib;
	int raid_disks;
	int nmembers;             /* raid_disks + spares, missing included */
	unsigned total_numbers;   /* dev_number slots used (one more with a moved member) */
	uint64_t size;            /* component size, sectors */
	uint64_t data_offset;     /* common, sectors (0 for 1.0) */
	uint64_t resync_offset;
	uint32_t feature_map;
	bool bitmap;              /* an internal write-intent bitmap on every member */
	struct bitmap_plan bm;
	char set_name[33];
	uint8_t uuid[16];
	uint64_t now;
};

/* ---- parsing ---- */

/* --level: md_level_parse() names, restricted to the levels --create writes. */
static int parse_level(const char *s, int *level)
{
	int l;

	if (md_level_parse(s, &l) || !(l == MD_LEVEL_LINEAR || l == 0 || md_level_redundant(l)))
		return -EINVAL;
	*level = l;
	return 0;
}

/* 1.minor from --metadata; -EOPNOTSUPP for formats mdctl does not write. */
static int parse_metadata(const char *s, int *minor)
{
	if (!strcmp(s, "1.2") || !strcmp(s, "1") || !strcmp(s, "default") ||
	    !strcmp(s, "1.x"))
		*minor = 2;
	else if (!strcmp(s, "1.1"))
		*minor = 1;
	else if (!strcmp(s, "1.0"))
		*minor = 0;
	else if (!strcmp(s, "0.90") || !strcmp(s, "0.9") || !strcmp(s, "0") ||
		 !strcmp(s, "ddf") || !strcmp(s, "imsm"))
		return -EOPNOTSUPP;
	else
		return -EINVAL;
	return 0;
}

static const struct { const char *name, *abbr; int layout; bool raid6_only; } r5_layouts[] = {
	{ "left-asymmetric", "la", 0, false },
	{ "right-asymmetric", "ra", 1, false },
	{ "left-symmetric", "ls", 2, false },
	{ "right-symmetric", "rs", 3, false },
	{ "parity-first", NULL, 4, false },
	{ "parity-last", NULL, 5, false },
	{ "ddf-zero-restart", NULL, 8, false },
	{ "ddf-N-restart", NULL, 9, false },
	{ "ddf-N-continue", NULL, 10, false },
	{ "left-asymmetric-6", NULL, 16, true },
	{ "right-asymmetric-6", NULL, 17, true },
	{ "left-symmetric-6", NULL, 18, true },
	{ "right-symmetric-6", NULL, 19, true },
	{ "parity-first-6", NULL, 20, true },
};

#define R5_DEFAULT_LAYOUT 2      /* left-symmetric */
#define R10_DEFAULT_LAYOUT 0x102 /* n2: near 2, far 1 */
#define RAID0_ORIG_LAYOUT 1
#define RAID0_ALT_LAYOUT 2

/*
 * parse_layout() - the layout number for a level, from mdadm's names;
 * NULL s gives the default.  -EINVAL for a name the level does not know.
 */
static int parse_layout(int level, const char *s, int *layout)
{
	switch (level) {
	case 5:
	case 6:
		if (!s || !strcmp(s, "default")) {
			*layout = R5_DEFAULT_LAYOUT;
			return 0;
		}
		for (size_t i = 0; i < sizeof(r5_layouts) / sizeof(r5_layouts[0]); i++) {
			if (r5_layouts[i].raid6_only && level != 6)
				continue;
			if (!strcmp(s, r5_layouts[i].name) ||
			    (r5_layouts[i].abbr && !strcmp(s, r5_layouts[i].abbr))) {
				*layout = r5_layouts[i].layout;
				return 0;
			}
		}
		return -EINVAL;
	case 10: {
		uint64_t copies;

		if (!s || !strcmp(s, "default")) {
			*layout = R10_DEFAULT_LAYOUT;
			return 0;
		}
		if (!strchr("nfo", s[0]) || parse_u64(s + 1, &copies) || copies < 1 || copies > 200)
			return -EINVAL;
		if (s[0] == 'n')
			*layout = 0x100 | (int)copies;
		else if (s[0] == 'f')
			*layout = ((int)copies << 8) | 1;
		else
			*layout = 0x10000 | ((int)copies << 8) | 1;
		return 0;
	}
	case 0:
		/* mdadm writes "original" (1); the kernel honours it with several zones */
		if (!s || !strcmp(s, "default") || !strcmp(s, "original")) {
			*layout = RAID0_ORIG_LAYOUT;
			return 0;
		}
		if (!strcmp(s, "alternate")) {
			*layout = RAID0_ALT_LAYOUT;
			return 0;
		}
		return -EINVAL;
	default:
		/* linear, raid1, raid4: the layout field stays 0 */
		if (!s) {
			*layout = 0;
			return 0;
		}
		return -EINVAL;
	}
}

static bool is_power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

static bool all_digits(const char *s)
{
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/*
 * md_kname_for_create() - "md0" from /dev/md0, md0 or /dev/md/0, and the
 * default array name ("0").  Named arrays (/dev/md/home) need a symlink
 * mdctl does not make yet.
 */
static int md_kname_for_create(const char *arg, char *kname, size_t len, const char **defname)
{
	const char *base = strrchr(arg, '/');

	base = base ? base + 1 : arg;
	if (!strncmp(base, "md", 2) && all_digits(base + 2)) {
		*defname = base + 2;
		return copy_str(kname, len, base);
	}
	if (base - arg >= 3 && !strncmp(base - 3, "md/", 3) && all_digits(base)) {
		*defname = base;
		return snprintf(kname, len, "md%s", base) >= (int)len ? -ENAMETOOLONG : 0;
	}
	return -EINVAL;
}

/* set_name as mdadm stores it: "homehost:name" when that fits in 32 bytes. */
static int make_set_name(const char *homehost, const char *name, char out[33])
{
	if (strlen(name) > 32)
		return -ENAMETOOLONG;
	if (homehost && *homehost && !strchr(name, ':') &&
	    strlen(homehost) + 1 + strlen(name) <= 32) {
		size_t h = strlen(homehost);

		memcpy(out, homehost, h);
		out[h] = ':';
		memcpy(out + h + 1, name, strlen(name) + 1);
		return 0;
	}
	snprintf(out, 33, "%s", name);
	return 0;
}

/* max_dev at create: roles for every device, rounded up to whole 512-byte sectors. */
static uint32_t max_dev_for(unsigned ndevs)
{
	uint32_t bytes = 256 + 2 * ndevs;

	bytes = (bytes + 511) & ~511u;
	return (bytes - 256) / 2;
}

/* Options into o; returns -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct create_opts *o)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->level = LEVEL_UNSET;
	o->raid_disks = -1;
	o->spare_disks = -1;
	o->minor = 2;
	cli_begin();
	while ((c = cli_getopt(argc, argv, ":Cl:n:x:e:c:p:N:z:b:Rfvqh", create_long, 'C')) != -1) {
		switch (c) {
		case 'R':
			break;
		case 'l':
			if (parse_level(optarg, &o->level)) {
				mdctl_err("--level=%s: not a level mdctl creates "
					  "(linear, 0, 1, 4, 5, 6, 10)", optarg);
				return MDCTL_EXIT_USAGE;
			}
			break;
		case 'n':
		case 'x': {
			int v;

			if (parse_int(optarg, &v) || v < 0 || v > (int)SB1_MAX_DEV) {
				mdctl_err("%s=%s: not a device count", c == 'n' ?
					  "--raid-devices" : "--spare-devices", optarg);
				return MDCTL_EXIT_USAGE;
			}
			if (c == 'n')
				o->raid_disks = v;
			else
				o->spare_disks = v;
			break;
		}
		case 'e':
			rc = parse_metadata(optarg, &o->minor);
			if (rc == -EOPNOTSUPP) {
				mdctl_err("--metadata=%s: not supported: mdctl writes 1.x superblocks only "
					  "(use 1.0 for a superblock at the end of the device)", optarg);
				return MDCTL_EXIT_USAGE;
			}
			if (rc) {
				mdctl_err("--metadata=%s: unknown metadata version (1.0, 1.1 or 1.2)",
					  optarg);
				return MDCTL_EXIT_USAGE;
			}
			break;
		case 'c': {
			uint64_t kib;

			if (parse_size_kib(optarg, &kib) || kib > UINT32_MAX / 2) {
				mdctl_err("--chunk=%s: not a size", optarg);
				return MDCTL_EXIT_USAGE;
			}
			o->chunk_kib = (uint32_t)kib;
			o->chunk_set = true;
			break;
		}
		case 'p':
		case OPT_PARITY:
			o->layout_arg = optarg;
			break;
		case 'N':
			o->name = optarg;
			break;
		case OPT_HOMEHOST:
			o->homehost = optarg;
			break;
		case OPT_CONFIG:
			o->config = optarg;
			break;
		case 'z':
			if (!strcmp(optarg, "max")) {
				o->size_kib = 0;
			} else if (parse_size_kib(optarg, &o->size_kib) || !o->size_kib ||
				   o->size_kib > UINT64_MAX / 4) {
				mdctl_err("--size=%s: not a size", optarg);
				return MDCTL_EXIT_USAGE;
			}
			break;
		case OPT_ASSUME_CLEAN:
			o->assume_clean = true;
			break;
		case 'b':
			if (!strcmp(optarg, "internal")) {
				o->bitmap = BM_INTERNAL;
			} else if (!strcmp(optarg, "none")) {
				o->bitmap = BM_NONE;
			} else {
				mdctl_err("--bitmap=%s: not supported: mdctl writes internal bitmaps "
					  "only (--bitmap=internal or --bitmap=none)", optarg);
				return MDCTL_EXIT_USAGE;
			}
			break;
		case 'f':
			o->force = true;
			break;
		default:
			if ((rc = cli_common("--create", create_help, c, argv)) != CLI_NEXT)
				return rc;
			break;
		}
	}
	if (optind >= argc)
		return cli_usage("--create", "name the array to create, e.g. /dev/md0");
	o->md_arg = argv[optind++];
	o->devs = argv + optind;
	o->ndevs = argc - optind;
	return -1;
}

/*
 * check_shape() - level, counts, chunk and layout agree with each other and
 * with the device list; fills the parts of the plan that do not depend on
 * the devices.  Prints the reason and returns false on refusal.
 */
/* Layout, chunk and --size against the level. */
static bool check_layout_chunk(const struct create_opts *o, struct create_plan *p)
{
	/* layout */
	if (parse_layout(o->level, o->layout_arg, &p->layout)) {
		if (o->level == 5 || o->level == 6 || o->level == 10 || o->level == 0)
			mdctl_err("%s: --layout=%s: not a %s layout", o->md_arg, o->layout_arg,
				  md_level_name(o->level));
		else
			mdctl_err("%s: --layout is not meaningful for %s", o->md_arg,
				  md_level_name(o->level));
		return false;
	}
	if (o->level == 10 && md_raid10_geom(p->layout).copies > o->raid_disks) {
		mdctl_err("%s: --layout=%s needs at least %d raid devices", o->md_arg,
			  o->layout_arg ? o->layout_arg : "n2", md_raid10_geom(p->layout).copies);
		return false;
	}

	/* chunk */
	switch (o->level) {
	case 1:
		if (o->chunk_set && o->chunk_kib) {
			mdctl_err("%s: --chunk is not meaningful for raid1", o->md_arg);
			return false;
		}
		p->chunk_kib = 0;
		break;
	case MD_LEVEL_LINEAR:
		/* linear: "rounding", 0 (none) unless asked for */
		p->chunk_kib = o->chunk_set ? o->chunk_kib : 0;
		if (p->chunk_kib && (!is_power_of_two(p->chunk_kib) || p->chunk_kib < 4)) {
			mdctl_err("%s: --rounding=%uK: must be a power of two, at least 4K",
				  o->md_arg, p->chunk_kib);
			return false;
		}
		break;
	default:
		p->chunk_kib = o->chunk_set ? o->chunk_kib : 512;
		if (!is_power_of_two(p->chunk_kib) || p->chunk_kib < 4) {
			mdctl_err("%s: --chunk=%uK: must be a power of two, at least 4K",
				  o->md_arg, p->chunk_kib);
			return false;
		}
		break;
	}
	if (o->size_kib && o->level <= 0) {
		mdctl_err("%s: --size is not meaningful for %s: it uses each member whole",
			  o->md_arg, md_level_name(o->level));
		return false;
	}
	if (o->size_kib && p->chunk_kib && o->size_kib < p->chunk_kib) {
		mdctl_err("%s: --size=%lluK is smaller than the chunk (%uK)", o->md_arg,
			  (unsigned long long)o->size_kib, p->chunk_kib);
		return false;
	}
	return true;
}

static bool check_shape(const struct create_opts *o, struct create_plan *p, bool *present)
{
	int spares = o->spare_disks < 0 ? 0 : o->spare_disks;
	int nmissing = 0;

	if (o->level == LEVEL_UNSET) {
		mdctl_err("%s: --create needs --level", o->md_arg);
		return false;
	}
	if (o->raid_disks < 0) {
		mdctl_err("%s: --create needs --raid-devices", o->md_arg);
		return false;
	}
	p->level = o->level;
	p->raid_disks = o->raid_disks;
	if (o->raid_disks == 0) {
		mdctl_err("%s: --raid-devices must be at least 1", o->md_arg);
		return false;
	}
	if (o->raid_disks == 1 && !o->force) {
		mdctl_err("%s: 1 raid device is unusual and probably a mistake; "
			  "use --force if you mean it", o->md_arg);
		return false;
	}
	if (o->level == 6 && o->raid_disks < 4) {
		mdctl_err("%s: raid6 needs at least 4 raid devices, not %d", o->md_arg,
			  o->raid_disks);
		return false;
	}
	if ((o->level == 4 || o->level == 5) && o->raid_disks < 2) {
		mdctl_err("%s: raid%d needs at least 2 raid devices", o->md_arg, o->level);
		return false;
	}
	if (o->level == 6 && o->raid_disks > 256) {
		mdctl_err("%s: raid6 supports at most 256 raid devices", o->md_arg);
		return false;
	}
	if (o->level <= 0 && spares) {
		mdctl_err("%s: %s cannot have spare devices", o->md_arg, md_level_name(o->level));
		return false;
	}
	if (o->raid_disks + spares > (int)SB1_MAX_DEV) {
		mdctl_err("%s: too many devices: 1.x metadata holds at most %u", o->md_arg,
			  SB1_MAX_DEV);
		return false;
	}
	if (o->ndevs != o->raid_disks + spares) {
		mdctl_err("%s: %d device%s listed, but --raid-devices=%d and --spare-devices=%d "
			  "need %d ('missing' counts as one)", o->md_arg, o->ndevs,
			  o->ndevs == 1 ? "" : "s", o->raid_disks, spares, o->raid_disks + spares);
		return false;
	}

	if (!check_layout_chunk(o, p))
		return false;

	/* missing members */
	for (int i = 0; i < o->ndevs; i++) {
		bool miss = !strcasecmp(o->devs[i], "missing");

		if (i < o->raid_disks) {
			present[i] = !miss;
			nmissing += miss;
		} else if (miss) {
			mdctl_err("%s: a spare cannot be 'missing'", o->md_arg);
			return false;
		}
	}
	if (nmissing == o->raid_disks) {
		mdctl_err("%s: every raid device is 'missing'", o->md_arg);
		return false;
	}
	if (nmissing && o->level <= 0) {
		mdctl_err("%s: %s cannot have 'missing' devices", o->md_arg,
			  md_level_name(o->level));
		return false;
	}
	if (!md_level_enough(o->level, (uint32_t)p->layout, (uint32_t)o->raid_disks, present)) {
		mdctl_err("%s: %d 'missing' device%s would leave the %s array unusable", o->md_arg,
			  nmissing, nmissing == 1 ? "" : "s", md_level_name(o->level));
		return false;
	}
	p->nmembers = o->ndevs;
	return true;
}

/*
 * assign_roles() - slots and dev_numbers.  Listed order gives both; as
 * mdadm does, a new raid4/5 array (and raid6 with one slot missing) gets
 * its last raid device as a spare in an empty slot, so the kernel rebuilds
 * it (faster than a parity resync) -- unless --assume-clean or --force.
 */
static void assign_roles(const struct create_opts *o, struct create_plan *p, struct cmember *m,
			 const bool *present)
{
	int nmissing = 0, moved = -1;

	for (int i = 0; i < o->raid_disks; i++)
		nmissing += !present[i];
	for (int i = 0; i < o->ndevs; i++) {
		m[i].role = i < o->raid_disks ? i : -1;
		m[i].dev_number = (unsigned)i;
	}
	p->total_numbers = (unsigned)o->ndevs;
	if (!o->assume_clean && !o->force) {
		if ((o->level == 4 || o->level == 5) && nmissing == 0)
			moved = o->raid_disks - 1;
		else if (o->level == 6 && nmissing == 1) {
			moved = o->raid_disks - 1;
			if (!present[moved])
				moved--;
		}
	}
	if (moved >= 0) {
		m[moved].role = -1;
		m[moved].dev_number = p->total_numbers++;
		nmissing++;
	}
	/* Clean unless every slot is present and parity/mirrors must be made. */
	if (o->assume_clean || o->level <= 0 ||
	    ((o->level == 4 || o->level == 5) && nmissing >= 1) ||
	    (o->level == 6 && nmissing >= 2))
		p->resync_offset = SB1_MAX_SECTOR;
	else
		p->resync_offset = 0;
}

/* ---- member checks (read-only) ---- */

/*
 * md_superblock_text() - when path carries a valid md 1.x superblock,
 * describe it ("an md superblock of array a:b:c:d (name host:x)").
 */
static bool md_superblock_text(const char *path, char *buf, size_t len)
{
	struct sb1_dev *d;
	char uuid[36];
	bool found = false;
	int fd;

	fd = blkdev_open(path, O_RDONLY);
	if (fd < 0)
		return false;
	d = calloc(1, sizeof(*d));
	if (d && sb1_load(fd, -1, d) == 0) {
		fmt_uuid_mdadm(d->info.set_uuid, uuid);
		snprintf(buf, len, "has an md %s superblock of array %s (name %s)",
			 sb1_version_string(d->minor), uuid,
			 d->info.set_name[0] ? d->info.set_name : "none");
		found = true;
	}
	free(d);
	close(fd);
	return found;
}

/*
 * check_member() - every refusal for one device, before anything is
 * written.  need_sectors is what the array needs of the device.  Returns
 * true when it may be used; otherwise prints why.
 */
static bool check_member(struct mdctl_ctx *ctx, const struct create_opts *o, struct cmember *m,
			 uint64_t need_sectors)
{
	char why[256], sig[160], type[64];
	int rc;

	static const char force_hint[] = " (use --force to override)";
	size_t wl;

	m->check_flags = o->force ? BLKDEV_FORCE : 0;
	rc = blkdev_check_new_member(ctx->sysfs_root, m->path, need_sectors, NULL, m->check_flags,
				     &m->id, why, sizeof(why));
	if (rc == 0) {
		/* say what --force is about to bury */
		if (o->force && blkdev_probe(m->path, type, sizeof(type)) == 1)
			mdctl_warn("%s: has %s %s signature; creating over it because of --force",
				   m->path, strchr("aeiouAEIOU", type[0]) ? "an" : "a", type);
		return true;
	}
	/* the hint goes at the end of the whole message */
	wl = strlen(why);
	if (wl >= sizeof(force_hint) - 1 &&
	    !strcmp(why + wl - (sizeof(force_hint) - 1), force_hint))
		why[wl - (sizeof(force_hint) - 1)] = '\0';
	if (rc == -EEXIST) {
		/* a signature: name it, and for md say which array */
		if (blkdev_probe(m->path, type, sizeof(type)) == 1 &&
		    !strcmp(type, "linux_raid_member") &&
		    md_superblock_text(m->path, sig, sizeof(sig)))
			snprintf(why, sizeof(why), "%s", sig);
		mdctl_err("%s: %s; refusing to create (use --force to override)", m->path, why);
		return false;
	}
	if (rc == -EXDEV) {
		mdctl_err("%s: %s; refusing to create (use --force to override)", m->path, why);
		return false;
	}
	if (!why[0])
		snprintf(why, sizeof(why), "%s", strerror(-rc));
	mdctl_err("%s: %s; refusing to create", m->path, why);
	return false;
}

/* What the array will use of a member: up to the end of its data (1.1/1.2) or its superblock (1.0). */
static uint64_t need_sectors(const struct cmember *m, const struct create_plan *p)
{
	const struct sb1_info *s = &m->sb.info;
	uint64_t used = p->size ? p->size : s->data_size;

	if (s->super_offset > s->data_offset)
		return s->super_offset + 8 - (s->data_size - used);
	return s->data_offset + used;
}

/*
 * identify_members() - device numbers, kernel names and sizes; duplicates
 * and partitions sharing a disk.  Returns false after printing every
 * problem found.
 */
static bool identify_members(struct mdctl_ctx *ctx, const struct create_opts *o,
			     struct cmember *m, int n)
{
	bool ok = true;

	for (int i = 0; i < n; i++) {
		int rc, fd;

		if (!m[i].path)
			continue;
		rc = blkdev_devnum(m[i].path, &m[i].major, &m[i].minor);
		if (rc == -ENOTBLK) {
			mdctl_err("%s: not a block device; refusing to create", m[i].path);
			ok = false;
			continue;
		}
		if (rc) {
			mdctl_err("%s: %s; refusing to create", m[i].path,
				  rc == -ENOENT ? "does not exist" : strerror(-rc));
			ok = false;
			continue;
		}
		for (int j = 0; j < i; j++)
			if (m[j].path && m[j].major == m[i].major && m[j].minor == m[i].minor &&
			    (m[j].major || m[j].minor)) {
				mdctl_err("%s: listed twice (same device as %s); refusing to create",
					  m[i].path, m[j].path);
				ok = false;
				m[i].major = m[i].minor = 0;
				break;
			}
		if (blkdev_kname(ctx->sysfs_root, m[i].path, m[i].kname, sizeof(m[i].kname)))
			snprintf(m[i].kname, sizeof(m[i].kname), "%u:%u", m[i].major, m[i].minor);
		fd = blkdev_open(m[i].path, O_RDONLY);
		if (fd < 0) {
			mdctl_err("%s: cannot open: %s; refusing to create", m[i].path,
				  strerror(-fd));
			ok = false;
			continue;
		}
		rc = blkdev_size(fd, &m[i].sectors);
		close(fd);
		if (rc) {
			mdctl_err("%s: cannot read its size: %s; refusing to create", m[i].path,
				  strerror(-rc));
			ok = false;
		}
	}
	if (!ok)
		return false;

	/* Two members on one disk: a disk and its partition overlap (never
	 * allowed); two partitions of one disk lose redundancy (--force). */
	for (int i = 0; i < n; i++) {
		char wi[32], wj[32];

		if (!m[i].path || blkdev_whole_disk(ctx->sysfs_root, m[i].kname, wi, sizeof(wi)))
			continue;
		for (int j = 0; j < i; j++) {
			if (!m[j].path ||
			    blkdev_whole_disk(ctx->sysfs_root, m[j].kname, wj, sizeof(wj)) ||
			    strcmp(wi, wj))
				continue;
			if (!strcmp(wi, m[i].kname) || !strcmp(wj, m[j].kname)) {
				mdctl_err("%s: overlaps %s (a disk and its own partition); "
					  "refusing to create", m[i].path, m[j].path);
				ok = false;
			} else if (!o->force) {
				mdctl_err("%s: on the same disk (%s) as %s: one disk failing would "
					  "take both; refusing to create (use --force to override)",
					  m[i].path, wi, m[j].path);
				ok = false;
			}
		}
	}
	return ok;
}

/*
 * plan_geometry() - data_offset from the smallest member (the same on all,
 * as mdadm does), each member's superblock, data_size and bad-block log,
 * and the component size.  Prints and returns false when a member is too
 * small.
 */
static bool plan_geometry(const struct create_opts *o, struct create_plan *p, struct cmember *m,
			  int n)
{
	struct sb1_geometry g;
	uint64_t smallest = UINT64_MAX, comp = UINT64_MAX;
	int small_i = -1, rc;
	bool ok = true;

	for (int i = 0; i < n; i++)
		if (m[i].path && m[i].sectors < smallest) {
			smallest = m[i].sectors;
			small_i = i;
		}
	rc = sb1_default_geometry(o->minor, smallest, p->chunk_kib, &g);
	if (rc) {
		mdctl_err("%s: too small for a %s superblock and data (%llu sectors); "
			  "refusing to create", m[small_i].path, sb1_version_string(o->minor),
			  (unsigned long long)smallest);
		return false;
	}
	p->data_offset = o->minor == 0 ? 0 : g.data_offset;

	for (int i = 0; i < n; i++) {
		struct sb1_geometry gi;
		uint64_t data_size;

		if (!m[i].path)
			continue;
		if (sb1_default_geometry(o->minor, m[i].sectors, p->chunk_kib, &gi)) {
			mdctl_err("%s: too small for a %s superblock and data (%llu sectors); "
				  "refusing to create", m[i].path, sb1_version_string(o->minor),
				  (unsigned long long)m[i].sectors);
			ok = false;
			continue;
		}
		if (o->minor == 0) {
			data_size = gi.data_size;
		} else {
			if (m[i].sectors <= p->data_offset) {
				mdctl_err("%s: too small: %llu sectors, data would start at %llu; "
					  "refusing to create", m[i].path,
					  (unsigned long long)m[i].sectors,
					  (unsigned long long)p->data_offset);
				ok = false;
				continue;
			}
			data_size = m[i].sectors - p->data_offset;
			gi.data_offset = p->data_offset;
			/* the log must end before the common data_offset */
			if ((int64_t)gi.super_offset + gi.bblog_offset + gi.bblog_size >
			    (int64_t)p->data_offset)
				gi.bblog_offset = (int32_t)(p->data_offset - gi.bblog_size -
							    gi.super_offset);
		}
		/*
		 * mdadm reserves no bitmap space for levels without redundancy:
		 * the log follows the superblock (1.1/1.2) or sits right
		 * before it (1.0).
		 */
		if (o->level <= 0) {
			if (o->minor == 0)
				data_size = gi.super_offset - gi.bblog_size;
			else
				gi.bblog_offset = 8;
		}
		gi.data_size = data_size;
		m[i].sb.info.super_offset = gi.super_offset;
		m[i].sb.info.data_offset = gi.data_offset;
		m[i].sb.info.data_size = gi.data_size;
		m[i].sb.info.bblog_offset = gi.bblog_offset;
		m[i].sb.info.bblog_size = gi.bblog_size;
		if (data_size < comp)
			comp = data_size;
		if (o->size_kib && data_size < o->size_kib * 2) {
			mdctl_err("%s: too small: %llu KiB of data space, --size asks for %llu KiB; "
				  "refusing to create", m[i].path, (unsigned long long)data_size / 2,
				  (unsigned long long)o->size_kib);
			ok = false;
		}
	}
	if (!ok)
		return false;

	if (o->size_kib) {
		p->size = o->size_kib * 2;
		if (p->chunk_kib)
			p->size &= ~((uint64_t)p->chunk_kib * 2 - 1);
	} else {
		p->size = comp;
		if (p->chunk_kib)
			p->size &= ~((uint64_t)p->chunk_kib * 2 - 1);
		/* raid1 rounds to 64 KiB, so a later reshape to raid5 has whole chunks */
		if (o->level == 1)
			p->size &= ~(uint64_t)127;
	}
	if (!p->size) {
		mdctl_err("%s: the members leave no space for data after rounding to the chunk "
			  "(%uK); refusing to create", o->md_arg, p->chunk_kib);
		return false;
	}
	/* raid0 and linear use each member's whole data area; size is not stored */
	if (o->level <= 0) {
		uint64_t mask = p->chunk_kib ? ~((uint64_t)p->chunk_kib * 2 - 1) : ~0ull;

		p->size = 0;
		/* members of different sizes make zones: the layout must be honoured */
		for (int i = 0; i < n; i++)
			if (o->level == 0 && m[i].path &&
			    (m[i].sb.info.data_size & mask) != (comp & mask))
				p->feature_map |= SB1_FEAT_RAID0_LAYOUT;
	}
	return true;
}

/*
 * plan_bitmap() - an internal bitmap when asked, or by mdadm's default for
 * redundant levels whose members hold more than 100 GiB; where it goes on
 * each member: 4 KiB after the superblock (1.1/1.2, the bad-block log
 * right after it), or below the superblock's log (1.0, the data ending
 * just before it).  Prints and returns false when it cannot be had.
 */
static bool plan_bitmap(const struct create_opts *o, struct create_plan *p, struct cmember *m,
			int n)
{
	uint64_t room = UINT64_MAX;

	if (o->bitmap == BM_NONE || o->level <= 0 || !p->size) {
		if (o->bitmap == BM_INTERNAL) {
			mdctl_err("%s: --bitmap=internal: %s has no redundancy to resync",
				  o->md_arg, md_level_name(o->level));
			return false;
		}
		return true;
	}
	if (o->bitmap == BM_DEFAULT && p->size / 2 <= BITMAP_AUTO_MIN_KIB)
		return true;
	for (int i = 0; i < n; i++) {
		const struct sb1_info *s = &m[i].sb.info;

		/* 1.1/1.2: between the superblock's 4 KiB and the 8-sector log before the data */
		if (m[i].path && o->minor && s->data_offset - s->super_offset - 16 < room)
			room = s->data_offset - s->super_offset - 16;
	}
	if (bitmap_plan_internal(o->minor, p->size, room, &p->bm)) {
		mdctl_err("%s: no room for an internal bitmap before the data", o->md_arg);
		return false;
	}
	for (int i = 0; i < n; i++) {
		struct sb1_info *s = &m[i].sb.info;

		if (!m[i].path)
			continue;
		s->bitmap_offset = p->bm.offset;
		if (o->minor == 0) {
			s->data_size = s->super_offset - p->bm.sectors - 8;
			if (s->data_size < p->size) {
				mdctl_err("%s: no room for an internal bitmap after the data", m[i].path);
				return false;
			}
		} else if (s->super_offset + 8 + p->bm.sectors + 8 <= s->data_offset) {
			s->bblog_offset = (int32_t)(8 + p->bm.sectors);
		}
	}
	p->bitmap = true;
	p->feature_map |= SB1_FEAT_BITMAP_OFFSET;
	return true;
}

/*
 * check_md_device() - the array device must be unused: absent, or present
 * with no members and not running.
 */
static bool check_md_device(struct mdctl_ctx *ctx, const char *md_arg, const char *kname)
{
	struct md_array a;
	int rc;

	rc = md_array_read(ctx->sysfs_root, kname, &a);
	if (rc == -ENODEV || rc == -ENOENT)
		return true;
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot read its state", md_arg);
		return false;
	}
	if (md_array_running(&a) || a.nmembers) {
		mdctl_err("%s: already in use (%s, %u member%s); stop it first", md_arg,
			  a.array_state[0] ? a.array_state : "unknown state", a.nmembers,
			  a.nmembers == 1 ? "" : "s");
		md_array_free(&a);
		return false;
	}
	md_array_free(&a);
	return true;
}

/* ---- writing ---- */

static int random_bytes(uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = getrandom(buf, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fill every member's superblock from the plan. */
static int build_superblocks(const struct create_plan *p, struct cmember *m, int n)
{
	uint32_t max_dev = max_dev_for(p->total_numbers);
	int rc;

	for (int i = 0; i < n; i++) {
		struct sb1_info *s = &m[i].sb.info;

		if (!m[i].path)
			continue;
		s->feature_map = p->feature_map;
		memcpy(s->set_uuid, p->uuid, 16);
		memcpy(s->set_name, p->set_name, sizeof(s->set_name));
		s->ctime_sec = p->now;
		s->utime_sec = p->now;
		s->level = p->level;
		s->layout = (uint32_t)p->layout;
		s->size = p->size;
		s->chunksize = p->chunk_kib * 2;
		s->raid_disks = (uint32_t)p->raid_disks;
		s->reshape_position = 0;
		s->dev_number = m[i].dev_number;
		rc = random_bytes(s->device_uuid, 16);
		if (rc)
			return rc;
		s->bblog_shift = 0;
		s->events = 0;
		s->resync_offset = p->resync_offset;
		s->recovery_offset = 0;
		s->max_dev = max_dev;
		for (uint32_t r = 0; r < SB1_MAX_DEV; r++)
			s->dev_roles[r] = SB1_ROLE_SPARE;
		for (int j = 0; j < n; j++)
			if (m[j].path && m[j].role >= 0)
				s->dev_roles[m[j].dev_number] = (uint16_t)m[j].role;
		m[i].sb.sb_sector = s->super_offset;
		m[i].sb.dev_sectors = m[i].sectors;
	}
	return 0;
}

static void close_members(struct cmember *m, int n)
{
	for (int i = 0; i < n; i++)
		if (m[i].fd >= 0) {
			close(m[i].fd);
			m[i].fd = -1;
		}
}

/*
 * After putting back: the members whose superblock could not be, or that
 * every member written is as it was.
 */
static void report_left_written(const char *md_arg, struct cmember *m, int n)
{
	char list[1024] = "";
	size_t used = 0;

	for (int i = 0; i < n; i++)
		if (m[i].save.written && used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 used ? ", " : "", m[i].path);
	if (used)
		mdctl_err("could not put back the old contents: new superblocks may remain on %s", list);
	else
		mdctl_err("%s: undone: every member is back as it was before the superblock writes",
			  md_arg);
}

/*
 * The second look, on the descriptor about to be written: still the device
 * checked (whose number the kernel is given), still without a signature.
 */
static int recheck_member(const struct cmember *m, char *why, size_t len)
{
	int rc = blkdev_recheck(m->fd, &m->id, m->check_flags, why, len);

	if (!rc && m->id.blk && (major(m->id.rdev) != m->major || minor(m->id.rdev) != m->minor)) {
		snprintf(why, len, "is no longer the device that was checked");
		rc = -ESTALE;
	}
	return rc;
}

/*
 * write_superblocks() - open every member exclusively (so nothing can
 * claim it between the checks and the write), save the block about to be
 * overwritten, then write.  On a failure, put back what was written.
 */
static bool write_superblocks(const char *md_arg, const struct create_plan *p, struct cmember *m,
			      int n)
{
	struct bitmap_info bi = {
		.version = BITMAP_VERSION_HI,
		.sync_size = p->size,
		.chunksize = p->bm.chunksize,
		.daemon_sleep = BITMAP_DEFAULT_SLEEP,
	};
	char why[160];
	int rc;

	memcpy(bi.uuid, p->uuid, sizeof(bi.uuid));
	for (int i = 0; i < n; i++) {
		if (!m[i].path)
			continue;
		m[i].fd = blkdev_open(m[i].path, O_RDWR | O_EXCL);
		if (m[i].fd < 0) {
			mdctl_err("%s: cannot open exclusively: %s; nothing written", m[i].path,
				  strerror(-m[i].fd));
			close_members(m, n);
			return false;
		}
		/* the name may lead elsewhere than when it was checked: write only to that device */
		if (recheck_member(&m[i], why, sizeof(why))) {
			mdctl_err("%s: %s; nothing written", m[i].path, why);
			close_members(m, n);
			return false;
		}
		rc = mdops_sb_save(m[i].fd, &m[i].sb.info, &m[i].save);
		/* the bitmap's space too: put back with the superblock on a failure */
		if (!rc && p->bitmap)
			rc = mdops_sb_save_area(m[i].fd, &m[i].save,
						((uint64_t)m[i].sb.sb_sector +
						 (uint64_t)(int64_t)m[i].sb.info.bitmap_offset) * 512,
						(size_t)p->bm.sectors * 512);
		if (rc) {
			mdctl_err("%s: cannot read the superblock area: %s; nothing written",
				  m[i].path, strerror(-rc));
			close_members(m, n);
			return false;
		}
	}
	for (int i = 0; i < n; i++) {
		if (!m[i].path)
			continue;
		m[i].sb.minor = m[i].sb.info.super_offset == 0 ? 1 :
				m[i].sb.info.super_offset == 8 ? 2 : 0;
		rc = mdops_sb_write(m[i].fd, &m[i].sb, &m[i].save);
		/* the bitmap area is metadata space before (1.1/1.2) or after (1.0) the data */
		if (!rc && p->bitmap) {
			rc = bitmap_write_new(m[i].fd, &m[i].sb, &bi, &p->bm);
			if (rc)
				mdctl_err_rc(rc, "%s: cannot write the write-intent bitmap", m[i].path);
		} else if (rc) {
			mdctl_err_rc(rc, "%s: cannot write the superblock", m[i].path);
		}
		if (rc) {
			for (int j = 0; j <= i; j++)
				if (m[j].path)
					mdops_sb_restore(m[j].fd, &m[j].save);
			report_left_written(md_arg, m, n);
			close_members(m, n);
			return false;
		}
		for (int k = m[i].save.first_erase; k < m[i].save.n; k++)
			mdctl_verb("%s: erased the old %s superblock at sector %llu", m[i].path,
				   mdsb_version_name(m[i].save.ver[k]),
				   (unsigned long long)(m[i].save.at[k] / 512));
		mdctl_verb("%s: wrote a %s superblock at sector %llu, %s", m[i].path,
			   sb1_version_string(m[i].sb.minor),
			   (unsigned long long)m[i].sb.info.super_offset,
			   m[i].role >= 0 ? "raid device" : "spare");
	}
	return true;
}

/* Put the saved blocks back after a start that failed. */
static void restore_all(const char *md_arg, struct cmember *m, int n)
{
	close_members(m, n);
	for (int i = 0; i < n; i++)
		if (m[i].path)
			mdops_sb_restore_path(m[i].path, &m[i].save);
	report_left_written(md_arg, m, n);
}

/*
 * verify_started() - read the array back: level, raid_disks, and every
 * member in its slot (spares attached, possibly already rebuilding).
 */
static bool verify_started(struct mdctl_ctx *ctx, const char *md_arg, const char *kname,
			   const struct create_plan *p, struct cmember *m, int n)
{
	struct md_array a;
	bool ok = true;
	int rc;

	rc = md_array_read(ctx->sysfs_root, kname, &a);
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot read the started array", md_arg);
		return false;
	}
	if (!md_array_running(&a)) {
		mdctl_err("%s: array is %s after start", md_arg, a.array_state);
		ok = false;
	}
	if (strcmp(a.level, md_level_name(p->level))) {
		mdctl_err("%s: kernel reports level %s, expected %s", md_arg, a.level,
			  md_level_name(p->level));
		ok = false;
	}
	if (a.raid_disks != p->raid_disks) {
		mdctl_err("%s: kernel reports %d raid devices, expected %d", md_arg, a.raid_disks,
			  p->raid_disks);
		ok = false;
	}
	for (int i = 0; i < n; i++) {
		struct md_member *mm;

		if (!m[i].path)
			continue;
		mm = md_array_find_devnum(&a, m[i].major, m[i].minor);
		if (!mm) {
			mdctl_err("%s: %s is not a member after start", md_arg, m[i].path);
			ok = false;
		} else if (md_member_failed(mm)) {
			mdctl_err("%s: %s is faulty after start", md_arg, m[i].path);
			ok = false;
		} else if (m[i].role >= 0 && mm->slot != m[i].role) {
			mdctl_err("%s: %s is in slot %d, expected %d", md_arg, m[i].path, mm->slot,
				  m[i].role);
			ok = false;
		}
	}
	md_array_free(&a);
	return ok;
}

/* The present member with device number nr, or -1. */
static int member_numbered(const struct cmember *m, int n, unsigned nr)
{
	for (int i = 0; i < n; i++)
		if (m[i].path && m[i].dev_number == nr)
			return i;
	return -1;
}

/*
 * The config's part in a create: HOMEHOST when --homehost is not given (hh
 * holds it), and CREATE's owner/group/mode kept for the device node.  A
 * config that cannot be read stops the create before anything is written.
 */
static bool create_config(const struct mdctl_ctx *ctx, struct create_opts *o, char *hh,
			  size_t hhlen, struct cfg_create *cr)
{
	struct mdctl_config cfg;
	char err[512];
	int rc = config_load(o->config ? o->config : ctx->config_file, &cfg, err, sizeof(err));

	if (rc) {
		mdctl_err("%s", rc == -EINVAL || err[0] ? err : strerror(-rc));
		config_free(&cfg);
		return false;
	}
	if (!o->homehost && cfg.homehost_set) {
		config_homehost(&cfg, NULL, hh, hhlen);
		o->homehost = hh[0] ? hh : "<none>";
	}
	*cr = cfg.create;
	config_free(&cfg);
	return true;
}

/*
 * CREATE names=yes: a new /dev/md/NAME whose NAME is not a number gets the
 * kernel device md_NAME, as mdadm names it, instead of a free number.
 * Only a NAME the kernel takes (letters, digits, '_', '-', '.'; md_NAME
 * under 32 bytes) and when /dev/md/NAME is not already there.
 */
static void named_kname(const struct cfg_create *cr, const char *md_arg, bool existed,
			char kname[32])
{
	const char *md = strstr(md_arg, "md/");
	const char *name = md ? md + 3 : "";
	bool digits = true;

	if (cr->names != 1 || existed || !*name || strlen(name) + 3 >= 32)
		return;
	for (const char *c = name; *c; c++) {
		if (!isalnum((unsigned char)*c) && !strchr("_-.", *c))
			return;
		digits = digits && isdigit((unsigned char)*c);
	}
	if (!digits)
		snprintf(kname, 32, "md_%s", name);
}

/* CREATE owner= group= mode=: applied to the /dev/mdN node mdctl made or found. */
static void apply_create_perms(const struct mdctl_ctx *ctx, const char *kname,
			       const struct cfg_create *cr)
{
	char node[PATH_MAX];

	snprintf(node, sizeof(node), "%s/%s", ctx->dev_root, kname);
	if ((cr->uid >= 0 || cr->gid >= 0) &&
	    chown(node, cr->uid >= 0 ? (uid_t)cr->uid : (uid_t)-1,
		  cr->gid >= 0 ? (gid_t)cr->gid : (gid_t)-1))
		mdctl_warn("%s: cannot set the owner CREATE gives: %s", node, strerror(errno));
	if (cr->mode >= 0 && chmod(node, (mode_t)cr->mode))
		mdctl_warn("%s: cannot set the mode CREATE gives: %s", node, strerror(errno));
}

/*
 * start_array() - attach the members through md sysfs and run the array.
 * The kernel reads the superblocks written above; geometry is not written
 * (writing raid_disks would make the kernel skip superblock analysis).
 */
static bool start_array(struct mdctl_ctx *ctx, const char *md_arg, const char *kname,
			int minor, const struct create_plan *p, struct cmember *m, int n)
{
	bool created;
	int rc;

	rc = mdops_md_create(ctx->sysfs_root, ctx->dev_root, kname, &created);
	if (rc) {
		/* the superblocks are written: a failure from here on puts every byte back */
		mdctl_err("%s: cannot create the array device: %s; removing the new superblocks",
			  md_arg, strerror(-rc));
		if (created)
			mdops_stop(ctx->sysfs_root, kname);
		restore_all(md_arg, m, n);
		return false;
	}
	rc = mdops_set_metadata(ctx->sysfs_root, kname, minor);
	if (rc) {
		mdctl_err("%s: cannot set metadata_version %s: %s", md_arg,
			  sb1_version_string(minor), strerror(-rc));
		goto stop;
	}
	/*
	 * In device-number order, as mdadm adds them: the member a new
	 * raid4/5 rebuilds (numbered after the spares) comes last, and the
	 * kernel offers the most recently bound spare a free slot first, so
	 * the rebuild goes to that listed member and never to a spare.
	 */
	for (unsigned nr = 0; nr < p->total_numbers; nr++) {
		int i = member_numbered(m, n, nr);

		if (i < 0)
			continue;
		rc = mdops_bind(ctx->sysfs_root, kname, m[i].major, m[i].minor);
		if (rc) {
			mdctl_err_rc(rc, "%s: kernel refused %s (new_dev %u:%u)", md_arg, m[i].path,
				  m[i].major, m[i].minor);
			goto stop;
		}
		mdctl_verb("%s: attached %s", md_arg, m[i].path);
	}
	rc = mdops_start(ctx->sysfs_root, kname, false);
	if (rc) {
		mdctl_err_rc(rc, "%s: kernel refused to start the array", md_arg);
		goto stop;
	}
	if (!verify_started(ctx, md_arg, kname, p, m, n))
		goto stop;
	return true;
stop:
	rc = mdops_stop(ctx->sysfs_root, kname);
	if (rc)
		mdctl_err_rc(rc, "%s: cannot stop the array again", md_arg);
	else
		mdctl_err("%s: stopped the array again; removing the new superblocks", md_arg);
	restore_all(md_arg, m, n);
	return false;
}

/* The superblock's set_name from --homehost and --name (or the default name). */
static bool plan_set_name(const struct create_opts *o, const char *defname, struct create_plan *p)
{
	const char *homehost = o->homehost;
	char host[256];

	if (!homehost || !strcmp(homehost, "<system>")) {
		if (gethostname(host, sizeof(host)) == 0) {
			host[sizeof(host) - 1] = '\0';
			homehost = host;
		} else {
			homehost = NULL;
		}
	} else if (!strcmp(homehost, "<none>") || !strcmp(homehost, "<ignore>")) {
		homehost = NULL;
	}
	if (make_set_name(homehost, o->name ? o->name : defname, p->set_name)) {
		mdctl_err("%s: --name=%s: longer than 32 bytes", o->md_arg, o->name ? o->name : defname);
		return false;
	}
	return true;
}

/*
 * The array o->md_arg names: its kernel name (kname[32]), the /dev/md/NAME
 * link to make (link[64], "" for none) and the name it suggests for the
 * superblock (*defname).  As mdadm, a bare NAME is /dev/md/NAME (written
 * into bare_path[PATH_MAX], which o->md_arg then points at); /dev/md/NAME
 * is the array its link names, or a free number and the link.  Return -1
 * to go on, or the exit code (said).
 */
static int resolve_md_name(const struct mdctl_ctx *ctx, struct create_opts *o,
			   const struct cfg_create *cr, char *bare_path, char *kname, char *link,
			   const char **defname)
{
	if (!strchr(o->md_arg, '/') && md_kname_for_create(o->md_arg, kname, 32, defname)) {
		if (snprintf(bare_path, PATH_MAX, "%s/md/%s", ctx->dev_root, o->md_arg) >= PATH_MAX)
			return cli_usage("--create", "%s: name too long", o->md_arg);
		o->md_arg = bare_path;
	}
	if (md_kname_for_create(o->md_arg, kname, 32, defname)) {
		const char *md = strstr(o->md_arg, "md/");
		struct stat st;
		bool existed = lstat(o->md_arg, &st) == 0;
		int rc = -EINVAL;

		if (md && strlen(md + 3) <= 32)
			rc = mdops_array_name(ctx->sysfs_root, ctx->dev_root, o->md_arg, NULL, NULL,
					      kname, link);
		if (!rc)
			named_kname(cr, o->md_arg, existed, kname);
		*defname = md ? md + 3 : o->md_arg;
		if (rc) {
			mdctl_err("%s: %s", o->md_arg, rc == -ENOSPC ? "no free md device number" :
				  "not an md device name mdctl can create "
				  "(/dev/mdN, /dev/md/N or /dev/md/NAME)");
			return MDCTL_EXIT_USAGE;
		}
	}
	return -1;
}

int cmd_create(struct mdctl_ctx *ctx, int argc, char **argv)
{
	struct create_opts o;
	struct create_plan p;
	struct cmember *m = NULL;
	bool *present = NULL;
	char kname[32], link[64] = "", hh[256], bare_path[PATH_MAX];
	struct cfg_create cr;
	const char *defname = NULL;
	int rc, ret = MDCTL_EXIT_FAIL;
	bool ok;

	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (!create_config(ctx, &o, hh, sizeof(hh), &cr))
		return MDCTL_EXIT_FAIL;
	memset(&p, 0, sizeof(p));
	rc = resolve_md_name(ctx, &o, &cr, bare_path, kname, link, &defname);
	if (rc >= 0)
		return rc;
	present = calloc((size_t)(o.ndevs > 0 ? o.ndevs : 1), sizeof(*present));
	m = calloc((size_t)(o.ndevs > 0 ? o.ndevs : 1), sizeof(*m));
	if (!present || !m) {
		mdctl_err("%s: out of memory", o.md_arg);
		goto out;
	}
	if (!check_shape(&o, &p, present)) {
		ret = MDCTL_EXIT_USAGE;
		goto out;
	}

	if (!plan_set_name(&o, defname, &p)) {
		ret = MDCTL_EXIT_USAGE;
		goto out;
	}

	for (int i = 0; i < o.ndevs; i++) {
		m[i].fd = -1;
		m[i].path = strcasecmp(o.devs[i], "missing") ? o.devs[i] : NULL;
	}
	assign_roles(&o, &p, m, present);

	/* Every check on every device before the first write. */
	ok = check_md_device(ctx, o.md_arg, kname);
	if (!identify_members(ctx, &o, m, o.ndevs)) {
		ok = false;
	} else {
		bool fits = plan_geometry(&o, &p, m, o.ndevs) && plan_bitmap(&o, &p, m, o.ndevs);

		/* in use, signatures: reported for every member, sizes or not */
		for (int i = 0; i < o.ndevs; i++)
			if (m[i].path && !check_member(ctx, &o, &m[i], fits ? need_sectors(&m[i], &p) : 0))
				ok = false;
		if (!fits)
			ok = false;
	}
	if (!ok) {
		mdctl_err("%s: not created; no device was written", o.md_arg);
		goto out;
	}

	p.now = (uint64_t)time(NULL);
	rc = random_bytes(p.uuid, sizeof(p.uuid));
	if (!rc)
		rc = build_superblocks(&p, m, o.ndevs);
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot get random bytes for the UUIDs", o.md_arg);
		goto out;
	}
	if (!write_superblocks(o.md_arg, &p, m, o.ndevs)) {
		mdctl_err("%s: not created", o.md_arg);
		goto out;
	}
	/* the kernel must claim the members itself */
	close_members(m, o.ndevs);
	if (!start_array(ctx, o.md_arg, kname, o.minor, &p, m, o.ndevs))
		goto out;

	{
		char uuid[36];

		fmt_uuid_mdadm(p.uuid, uuid);
		mdctl_verb("%s: %s, %d raid device%s, metadata %s, UUID %s, name %s", o.md_arg,
			   md_level_name(p.level), p.raid_disks, p.raid_disks == 1 ? "" : "s",
			   sb1_version_string(o.minor), uuid, p.set_name);
	}
	apply_create_perms(ctx, kname, &cr);
	rc = mdops_link(ctx->dev_root, link, kname);
	if (rc)
		mdctl_warn_rc(rc, "%s/md/%s: cannot make the link to /dev/%s", ctx->dev_root, link,
			   kname);
	mdctl_info("array %s started", o.md_arg);
	ret = MDCTL_EXIT_OK;
out:
	if (m)
		close_members(m, o.ndevs);
	for (int i = 0; m && i < o.ndevs; i++)
		mdops_sb_save_release(&m[i].save);
	free(m);
	free(present);
	return ret;
}
