// SPDX-License-Identifier: GPL-2.0-or-later
/* Metrics.c: mdctl --metrics [/dev/mdN...]: every (or the named) array in the Prometheus text exposition format. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "mdctl.h"
#include "metrics.h"
#include "util.h"

static const char metrics_help[] =
"Usage: mdctl --metrics [/dev/mdN...] [--config FILE]\n"
"Print every md array (or the ones named) in the Prometheus text exposition\n"
"format: per array its state, level, degraded and spare counts, sync action,\n"
"progress, speed and ETA, mismatch count and spare group; per member its\n"
"role, state flags (in_sync, faulty, want_replacement, replacement,\n"
"replacing, write_error, blocked, spare), bad blocks, corrected read errors\n"
"and disk identity.  Families and labels are listed in mdctl(8).  The\n"
"monitor keeps a file of the same (METRICS in mdctl.conf(5)).\n"
"\n"
"  -c, --config FILE  where spare groups are read (default: the usual search)\n"
"  -h, --help         this text\n";

/* The named arrays, each checked, in the order given. */
static int named(struct mdctl_ctx *ctx, const struct mdctl_config *cfg, char **args, int n,
		 char **text)
{
	struct metrics_array *v = calloc((size_t)n, sizeof(*v));
	int rc = 0, got = 0;

	if (!v)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		char kname[32];

		if (md_kname_from_arg(ctx->dev_root, args[i], kname, sizeof(kname)) < 0)
			rc = -ENODEV;
		else
			rc = metrics_read_array(ctx->sysfs_root, ctx->dev_root, cfg,
						config_state_dir(cfg, ctx->state_dir), kname, &v[got]);
		if (rc < 0) {
			if (rc == -ENODEV)
				mdctl_err("%s: not an md array (no md directory in sysfs)", args[i]);
			else
				mdctl_err_rc(rc, "%s: cannot read array", args[i]);
			metrics_array_free(&v[got]);
			break;
		}
		got++;
	}
	if (rc == 0) {
		rc = metrics_format(v, (size_t)got, text);
		if (rc < 0)
			mdctl_err_rc(rc, "--metrics");
	}
	for (int i = 0; i < got; i++)
		metrics_array_free(&v[i]);
	free(v);
	return rc;
}

int cmd_metrics(struct mdctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "metrics", no_argument, NULL, 'M' },
		{ "config", required_argument, NULL, 'c' },
		CLI_COMMON_OPTS,
	};
	struct mdctl_config cfg;
	const char *cfile = ctx->config_file;
	char err[512], *text = NULL;
	int c, rc;

	cli_begin();
	while ((c = cli_getopt(argc, argv, ":c:vqh", longopts, 'M')) != -1) {
		switch (c) {
		case 'c':
			cfile = optarg;
			break;
		default:
			if ((rc = cli_common("--metrics", metrics_help, c, argv)) != CLI_NEXT)
				return rc;
			break;
		}
	}
	rc = config_load(cfile, &cfg, err, sizeof(err));
	if (rc < 0) {
		mdctl_err("%s", err[0] ? err : strerror(-rc));
		return MDCTL_EXIT_FAIL;
	}
	if (optind < argc) {
		rc = named(ctx, &cfg, argv + optind, argc - optind, &text);
	} else {
		rc = metrics_collect(ctx->sysfs_root, ctx->dev_root, &cfg,
				     config_state_dir(&cfg, ctx->state_dir), &text);
		if (rc < 0)
			mdctl_err_rc(rc, "%s: cannot list md arrays", ctx->sysfs_root);
	}
	config_free(&cfg);
	if (rc < 0)
		return MDCTL_EXIT_FAIL;
	fputs(text, stdout);
	free(text);
	return fflush(stdout) == 0 ? MDCTL_EXIT_OK : MDCTL_EXIT_FAIL;
}
