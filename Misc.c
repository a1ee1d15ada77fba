// SPDX-License-Identifier: GPL-2.0-or-later
/* Misc.c: mdadm's misc verbs --wait-clean and --query (--action is a manage operation, Manage.c). */
#include "assembly.h"
#include "cli.h"
#include "mdctl.h"
#include "mdarray.h"
#include "output.h"
#include "super1.h"
#include "sysfs.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static int query_one(const struct mdctl_ctx *ctx, const char *dev);

static const char misc_help[] =
"Usage: mdctl --query DEV...\n"
"       mdctl --wait-clean /dev/mdN... | --wait-clean --scan\n"
"mdadm's misc verbs (--action is with the manage operations: mdctl --action --help).\n"
"\n"
"  -Q, --query          say briefly what each DEV is: an md array (size, level,\n"
"                       devices, spares) and/or a member of one (its number, the\n"
"                       array's level and whether it runs with it), as mdadm\n"
"      --wait-clean     arrays with 1.x metadata: the kernel marks them clean\n"
"                       itself, so this checks the array and returns at once\n"
"  -s, --scan           with --wait-clean: every array present\n"
"      --misc           accepted (mdadm's mode word)\n"
"  -v, --verbose        more messages\n"
"  -q, --quiet          fewer messages\n"
"  -h, --help           this text\n"
"\n"
"Exit: 0 done, 1 not an md array (--query: a device cannot be opened), 2 usage.\n";

/* The array's kernel name and the path to name it by; -1 (reported) when it is not one. */
static int resolve(const struct mdctl_ctx *ctx, const char *arg, char *kname, size_t klen,
		   char *path, size_t plen, struct md_array *a)
{
	int rc;

	if (md_kname_from_arg(ctx->dev_root, arg, kname, klen) < 0) {
		mdctl_err("%s: not an md array", arg);
		return -1;
	}
	if (arg[0] == '/')
		snprintf(path, plen, "%s", arg);
	else
		snprintf(path, plen, "%s/%s", ctx->dev_root, kname);
	rc = md_array_read(ctx->sysfs_root, kname, a);
	if (rc == -ENODEV) {
		mdctl_err("%s: not an md array", path);
		return -1;
	}
	if (rc < 0) {
		mdctl_err_rc(rc, "%s: cannot read array state", path);
		return -1;
	}
	return 0;
}

/*
 * --wait-clean: the kernel itself marks an array with internal (1.x)
 * metadata clean when writes stop and at shutdown, so as with mdadm there
 * is nothing to wait for; the array is only checked to be one.
 */
static int do_wait_clean(const struct mdctl_ctx *ctx, const char *arg)
{
	char kname[32], path[PATH_MAX];
	struct md_array a;
	struct stat st;

	if (arg[0] == '/' && (stat(arg, &st) || !S_ISBLK(st.st_mode))) {
		mdctl_err("%s: not a block device", arg);
		return MDCTL_EXIT_USAGE;
	}
	if (resolve(ctx, arg, kname, sizeof(kname), path, sizeof(path), &a) < 0)
		return MDCTL_EXIT_FAIL;
	mdctl_verb("%s: array_state %s; the kernel marks it clean itself", path, a.array_state);
	md_array_free(&a);
	return MDCTL_EXIT_OK;
}

int cmd_misc(struct mdctl_ctx *ctx, int argc, char **argv)
{
	enum { OPT_WAIT_CLEAN = 256, OPT_MISC };
	static const struct option longopts[] = {
		{ "wait-clean", no_argument, NULL, OPT_WAIT_CLEAN },
		{ "query", no_argument, NULL, 'Q' },
		{ "scan", no_argument, NULL, 's' },
		{ "misc", no_argument, NULL, OPT_MISC },
		CLI_COMMON_OPTS,
	};
	bool wait_clean = false, scan = false, query = false;
	char (*names)[32] = NULL;
	size_t nnames = 0;
	int c, rc = MDCTL_EXIT_OK;

	cli_begin();
	while ((c = cli_getopt(argc, argv, ":Qsvqh", longopts, 0)) != -1) {
		switch (c) {
		case OPT_WAIT_CLEAN:
			wait_clean = true;
			break;
		case 'Q':
			query = true;
			break;
		case 's':
			scan = true;
			break;
		case OPT_MISC:
			break;
		default:
			rc = cli_common(ctx->mode, misc_help, c, argv);
			if (rc == CLI_NEXT)
				continue;
			return rc;
		}
	}
	if (query == wait_clean)
		return cli_usage(ctx->mode, "name what to do: --query or --wait-clean");
	if (query && scan)
		return cli_usage(ctx->mode, "--query takes devices only");
	if (scan && optind < argc)
		return cli_usage(ctx->mode, "--scan takes no array names");
	if (!scan && optind >= argc)
		return cli_usage(ctx->mode, query ? "name a device" : "name an array");
	if (scan) {
		int r = sysfs_list_arrays(ctx->sysfs_root, &names, &nnames);

		if (r < 0) {
			mdctl_err_rc(r, "%s: cannot list md arrays", ctx->sysfs_root);
			return MDCTL_EXIT_FAIL;
		}
		rc = MDCTL_EXIT_OK;
		for (size_t i = 0; i < nnames; i++) {
			int r1 = do_wait_clean(ctx, names[i]);

			rc = r1 > rc ? r1 : rc;
		}
		free(names);
		return rc;
	}
	rc = MDCTL_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		int r = query ? query_one(ctx, argv[i]) : do_wait_clean(ctx, argv[i]);

		rc = r > rc ? r : rc;
	}
	return rc;
}

/* ---- --query ---- */

/* The array line, when dev is an md device. */
static void query_array(const struct mdctl_ctx *ctx, const char *dev, const char *kname)
{
	struct md_array a;
	char size[32];
	int spares;

	if (md_array_read(ctx->sysfs_root, kname, &a) < 0) {
		printf("%s: is not an md array\n", dev);
		return;
	}
	if (!md_array_running(&a)) {
		printf("%s: is an md device which is not active\n", dev);
		md_array_free(&a);
		return;
	}
	fmt_brief_kib_iec(a.array_size_sectors / 2, size, sizeof(size));
	spares = md_array_spares(&a);
	printf("%s: %s %s %d devices, %d spare%s. Use mdctl --detail for more detail.\n", dev,
	       size, a.level, a.raid_disks, spares, spares == 1 ? "" : "s");
	md_array_free(&a);
}

/* The member line, when dev carries a 1.x superblock. */
static void query_member(const struct mdctl_ctx *ctx, const char *dev, const char *kname)
{
	struct asm_md *list = NULL;
	struct sb1_dev sd;
	const char *activity = "inactive";
	char mddev[64] = "array";
	size_t n = 0;

	if (md_sb_read(dev, -1, &sd) < 0)
		return;
	if (asm_md_list(ctx->sysfs_root, ctx->dev_root, &list, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (!list[i].have_uuid || memcmp(list[i].uuid, sd.info.set_uuid, 16))
				continue;
			snprintf(mddev, sizeof(mddev), "%s/%s", ctx->dev_root, list[i].kname);
			if (!list[i].running)
				activity = "undetected";
			else if (kname[0] && asm_md_holding(&list[i], 1, kname) == 0)
				activity = "active";
			else
				activity = "mismatch";
			break;
		}
		asm_md_list_free(list, n);
	}
	printf("%s: device %u in %u device %s %s %s.  Use mdctl --examine for more detail.\n",
	       dev, sd.info.dev_number, sd.info.raid_disks, activity, fmt_level(sd.info.level),
	       mddev);
}

static int query_one(const struct mdctl_ctx *ctx, const char *dev)
{
	char kname[32] = "";
	struct stat st;
	bool is_md;

	if (stat(dev, &st) < 0) {
		mdctl_err("cannot open %s: %s", dev, strerror(errno));
		return MDCTL_EXIT_FAIL;
	}
	if (S_ISBLK(st.st_mode))
		(void)sysfs_kname_of_devnum(ctx->sysfs_root, major(st.st_rdev), minor(st.st_rdev),
					    kname, sizeof(kname));
	is_md = kname[0] && !strncmp(kname, "md", 2) && kname[2] >= '0' && kname[2] <= '9';
	if (is_md)
		query_array(ctx, dev, kname);
	else
		printf("%s: is not an md array\n", dev);
	query_member(ctx, dev, kname);
	return MDCTL_EXIT_OK;
}
