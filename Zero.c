// SPDX-License-Identifier: GPL-2.0-or-later
/* Zero.c: --zero-superblock: erase every md superblock (0.90, 1.0, 1.1, 1.2) on devices no array holds. */
#include "cli.h"
#include "mdctl.h"
#include "blkdev.h"
#include "mdsb.h"
#include "super1.h"
#include "sysfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char zero_help[] =
"Usage: mdctl --zero-superblock [--force] [--metadata=V] DEV...\n"
"Erase every md superblock on each device: the 0.90 place (end of the device),\n"
"1.0 (end), 1.1 (sector 0) and 1.2 (4 KiB).  Only places holding the md magic\n"
"are written (4 KiB of zeros each); nothing else on the device is touched.\n"
"Every device is checked before any is written: a member of an array (running\n"
"or being assembled), a device in use, or a damaged superblock without --force\n"
"stops the command with nothing written.  A device with no md superblock is\n"
"reported and left alone (exit 0, as mdadm).\n"
"\n"
"  -f, --force         also erase damaged superblocks (the magic, but a bad\n"
"                      checksum or fields) and places that cannot be read\n"
"  -e, --metadata=V    only the V place (0.90, 1.0, 1.1, 1.2); with --force it\n"
"                      is zeroed whatever it holds\n"
"  -v, --verbose       say what is erased\n"
"  -q, --quiet         no message for a device without a superblock\n"
"  -h, --help          this text\n";

/* struct zdev - one device, opened exclusively, and what will be erased on it. */
struct zdev {
	const char *path;
	int fd;
	struct mdsb_loc loc[MDSB_NVERSIONS];
	bool erase[MDSB_NVERSIONS];
	unsigned nloc, nerase;
};

/* A device an array holds: name the array and its state. */
static int refuse_held(const struct mdctl_ctx *ctx, const char *path, const char *kname)
{
	char holder[64], state[32] = "";

	if (blkdev_holder(ctx->sysfs_root, kname, holder, sizeof(holder)) != 1)
		return 0;
	if (strncmp(holder, "md", 2)) {
		mdctl_err("%s: in use by %s; not zeroing", path, holder);
		return MDCTL_EXIT_USAGE;
	}
	sysfs_md_read(ctx->sysfs_root, holder, "array_state", state, sizeof(state));
	mdctl_err("%s: member of array %s/%s (%s); not zeroing (stop the array, or fail and "
		  "remove the member, first)", path, ctx->dev_root, holder,
		  state[0] ? state : "unknown state");
	return MDCTL_EXIT_USAGE;
}

/* Open and check one device; decide which places to erase.  0 or the exit code of a refusal. */
static int prepare(const struct mdctl_ctx *ctx, struct zdev *z, bool force, int only)
{
	char kname[32];
	unsigned maj, min;
	int rc = blkdev_devnum(z->path, &maj, &min);

	if (rc) {
		mdctl_err("%s: %s; not zeroing", z->path,
			  rc == -ENOENT ? "does not exist" : rc == -ENOTBLK ? "not a block device" :
			  strerror(-rc));
		return MDCTL_EXIT_USAGE;
	}
	if (!blkdev_kname(ctx->sysfs_root, z->path, kname, sizeof(kname)) &&
	    (rc = refuse_held(ctx, z->path, kname)))
		return rc;
	/* exclusive: nothing can assemble or mount it between the check and the write */
	z->fd = blkdev_open(z->path, O_RDWR | O_EXCL);
	if (z->fd < 0) {
		mdctl_err("%s: cannot open exclusively: %s%s; not zeroing", z->path,
			  strerror(-z->fd), z->fd == -EBUSY ? " (in use)" : "");
		return MDCTL_EXIT_USAGE;
	}
	rc = mdsb_scan(z->fd, z->loc, &z->nloc);
	if (rc) {
		mdctl_err_rc(rc, "%s: cannot read its size; not zeroing", z->path);
		return MDCTL_EXIT_FAIL;
	}
	for (unsigned i = 0; i < z->nloc; i++) {
		const struct mdsb_loc *l = &z->loc[i];

		if (only >= 0 && (int)l->version != only)
			continue;
		/* --force --metadata=V: that place, whatever it holds (mdadm does the same) */
		z->erase[i] = l->state == MDSB_VALID || (force && (only >= 0 || l->state != MDSB_ABSENT));
		z->nerase += z->erase[i];
		if (z->erase[i] || l->state == MDSB_ABSENT || l->state == MDSB_VALID)
			continue;
		if (l->state == MDSB_UNREADABLE)
			mdctl_err("%s: cannot read the %s superblock place (sector %llu): %s; not zeroing "
				  "(--force writes zeros there anyway)", z->path,
				  mdsb_version_name(l->version), (unsigned long long)l->sector,
				  strerror(-l->err));
		else
			mdctl_err("%s: damaged %s superblock at sector %llu (%s); not zeroing "
				  "(--force erases it)", z->path, mdsb_version_name(l->version),
				  (unsigned long long)l->sector,
				  l->version == MDSB_V090 && l->err == -EPROTO ?
				  "other byte order or major version" : sb1_strerror(l->err));
		return MDCTL_EXIT_FAIL;
	}
	return 0;
}

/* Erase what prepare() chose on one device.  0 or MDCTL_EXIT_FAIL. */
static int erase_dev(struct zdev *z, bool force)
{
	int ret = 0;

	if (!z->nerase) {
		/* as mdadm, not an error: the device is already free of md */
		mdctl_info("%s: no md superblock found; nothing to zero", z->path);
		return 0;
	}
	for (unsigned i = 0; i < z->nloc; i++) {
		const struct mdsb_loc *l = &z->loc[i];
		int rc;

		if (!z->erase[i])
			continue;
		rc = mdsb_erase(z->fd, l, force);
		if (rc) {
			mdctl_err_rc(rc, "%s: cannot zero the %s superblock at sector %llu", z->path,
				     mdsb_version_name(l->version), (unsigned long long)l->sector);
			ret = MDCTL_EXIT_FAIL;
			continue;
		}
		mdctl_verb("%s: erased the %s superblock at sector %llu%s", z->path,
			   mdsb_version_name(l->version), (unsigned long long)l->sector,
			   l->state == MDSB_VALID ? "" : " (--force)");
	}
	return ret;
}

int cmd_zero_superblock(struct mdctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "zero-superblock", no_argument, NULL, 'Z' },
		{ "force", no_argument, NULL, 'f' },
		{ "metadata", required_argument, NULL, 'e' },
		CLI_COMMON_OPTS,
	};
	struct zdev *z = NULL;
	enum mdsb_version v;
	bool force = false;
	int c, only = -1, ndev, rc = MDCTL_EXIT_OK;

	cli_begin();
	while ((c = cli_getopt(argc, argv, ":fe:vqh", longopts, 'Z')) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 'e':
			if (mdsb_parse_version(optarg, &v))
				return cli_usage(ctx->mode, "--metadata=%s: not one superblock place "
						 "(0.90, 1.0, 1.1 or 1.2)", optarg);
			only = (int)v;
			break;
		default:
			rc = cli_common(ctx->mode, zero_help, c, argv);
			if (rc != CLI_NEXT)
				return rc;
			rc = MDCTL_EXIT_OK;
		}
	}
	ndev = argc - optind;
	if (ndev < 1)
		return cli_usage(ctx->mode, "name the devices to zero");
	z = calloc((size_t)ndev, sizeof(*z));
	if (!z) {
		mdctl_err("%s", strerror(ENOMEM));
		return MDCTL_EXIT_FAIL;
	}
	for (int i = 0; i < ndev; i++) {
		z[i].path = argv[optind + i];
		z[i].fd = -1;
	}
	/* every device checked before any is written */
	for (int i = 0; i < ndev; i++) {
		int r = prepare(ctx, &z[i], force, only);

		if (r > rc)
			rc = r;
	}
	if (rc)
		mdctl_err("nothing zeroed");
	for (int i = 0, refused = rc; i < ndev; i++) {
		int r = refused ? 0 : erase_dev(&z[i], force);

		if (r > rc)
			rc = r;
		if (z[i].fd >= 0)
			close(z[i].fd);
	}
	free(z);
	return rc;
}
