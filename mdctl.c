// SPDX-License-Identifier: GPL-2.0-or-later
/* mdctl.c: main(): finds the mode in the command line and hands it to that command. */
#include "cli.h"
#include "mdctl.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*cmd_fn)(struct mdctl_ctx *, int, char **);

/*
 * Mode options, as mdadm spells them.  The first one found anywhere on the
 * line decides the mode (mdadm allows "--verbose --assemble").  Options
 * such as --stop, --run, --wait act on a named array and go to manage mode.
 * mdadm's modes and misc/manage options that mdctl does not implement have
 * no command: they are refused by name, pointing at mdadm.
 */
static const struct mode {
	const char *lng;
	char shrt;
	cmd_fn fn;
} modes[] = {
	{ "--create", 'C', cmd_create },
	{ "--assemble", 'A', cmd_assemble },
	{ "--incremental", 'I', cmd_incremental },
	{ "--examine", 'E', cmd_examine },
	{ "--examine-badblocks", 0, cmd_examine },
	{ "--examine-bitmap", 'X', cmd_examine },
	{ "--detail", 'D', cmd_detail },
	{ "--monitor", 'F', cmd_monitor },
	{ "--follow", 0, cmd_monitor },
	{ "--metrics", 0, cmd_metrics },
	{ "--replace", 0, cmd_replace },
	{ "--manage", 0, cmd_manage },
	{ "--add", 'a', cmd_manage },
	{ "--re-add", 0, cmd_manage },
	{ "--fail", 'f', cmd_manage },
	{ "--set-faulty", 0, cmd_manage },
	{ "--remove", 'r', cmd_manage },
	{ "--stop", 'S', cmd_manage },
	{ "--run", 'R', cmd_manage },
	{ "--wait", 'W', cmd_manage },
	{ "--readonly", 'o', cmd_manage },
	{ "--readwrite", 'w', cmd_manage },
	{ "--action", 0, cmd_manage },
	{ "--wait-clean", 0, cmd_misc },
	{ "--query", 'Q', cmd_misc },
	{ "--misc", 0, cmd_misc },
	{ "--rebuild-map", 0, cmd_incremental },
	{ "--zero-superblock", 0, cmd_zero_superblock },
	/* refused: mdadm's, not implemented (the short forms as mdadm spells them) */
	{ "--grow", 'G', NULL }, { "--build", 'B', NULL },
	{ "--auto-detect", 0, NULL },
	{ "--detail-platform", 0, NULL },
	{ "--kill-subarray", 0, NULL }, { "--update-subarray", 0, NULL }, { "--dump", 0, NULL },
	{ "--restore", 0, NULL },
	{ "--add-spare", 0, NULL }, { "--add-journal", 0, NULL },
	{ "--cluster-confirm", 0, NULL }, { "--udev-rules", 0, NULL },
	{ "--help-options", 0, NULL },
};

/*
 * mdadm's options that only qualify a mode (mdadm(8)): on a line that names
 * no mode they are named as such, not called unknown.  Short forms are the
 * letters mdadm gives them.
 */
static const char *const mode_options[] = {
	"--brief", "--no-devices", "--export", "--sparc2.2", "--test", "--prefer", "--scan",
	"--update", "--uuid", "--name", "--super-minor", "--config", "--force", "--no-degraded",
	"--freeze-reshape", "--backup-file", "--invalid-backup", "--array-size", "--continue",
	"--mail", "--program", "--alert", "--increment", "--delay", "--daemonise", "--daemonize",
	"--oneshot", "--pid-file", "--syslog", "--no-sharing", "--bitmap", "--bitmap-chunk",
	"--homehost", "--nodes", "--home-cluster", "--write-journal", "--consistency-policy",
	"--symlinks", "--data-offset", "--write-behind", "--write-mostly", "--readwrite-mostly",
	"--failfast", "--nofailfast", "--assume-clean", "--metadata", "--auto", "--level",
	"--chunk", "--rounding", "--parity", "--layout", "--raid-disks", "--raid-devices",
	"--spare-disks", "--spare-devices", "--size", "--rebuild-map", "--path",
	"--write-zeroes", "--with", "--verbose", "--quiet",
};
static const char mode_option_letters[] = "bYtsuNcfUZdmpyi1elnxzkvqc";

static const char usage_text[] =
"Usage: mdctl MODE [OPTIONS] [DEVICES]\n"
"Administer Linux software RAID (md) arrays, with hot-replace at the centre.\n"
"\n"
"  mdctl --create /dev/mdN --level=L --raid-devices=N [--spare-devices=N] DEV...\n"
"  mdctl --examine DEV... [--brief|--export|--json] | --examine-badblocks DEV...\n"
"  mdctl --examine-bitmap DEV...              (-X: the write-intent bitmap)\n"
"  mdctl --detail /dev/mdN [--brief|--export|--json|--test]\n"
"  mdctl /dev/mdN --add DEV | --re-add DEV | --fail DEV | --remove DEV|failed|detached\n"
"  mdctl --replace /dev/mdN [OLD] [--with NEW] [--wait] [--cancel] | --replace --list\n"
"  mdctl /dev/mdN --replace OLD [--with NEW]\n"
"  mdctl --assemble /dev/mdN DEV... [--run] [--force] | --assemble --scan\n"
"  mdctl --incremental DEV [--export]\n"
"  mdctl --stop /dev/mdN | --run /dev/mdN | --wait /dev/mdN | -ro /dev/mdN\n"
"  mdctl --action=check|repair|resync|idle|frozen /dev/mdN | --action=check --scan\n"
"  mdctl --zero-superblock [--force] DEV...\n"
"  mdctl --monitor [--scan] [--daemonise] [--program P] [--oneshot] [--dry-run]\n"
"  mdctl --metrics [/dev/mdN...]             (Prometheus text format)\n"
"\n"
"'mdctl MODE --help' describes one mode.  mdadm modes mdctl does not implement\n"
"(--grow, --build, ...) are refused by name, exit 2.\n"
"See mdctl(8) and mdctl.conf(5).\n";

static const struct mode *find_mode(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			size_t n = strlen(modes[m].lng);

			if (!strncmp(a, modes[m].lng, n) && (a[n] == '\0' || a[n] == '='))
				return &modes[m];
			/* short form, alone or first of a cluster ("-As") */
			if (modes[m].shrt && a[0] == '-' && a[1] == modes[m].shrt)
				return &modes[m];
		}
	}
	return NULL;
}

static void init_ctx(struct mdctl_ctx *ctx)
{
	const char *e;

	ctx->prog = "mdctl";
	ctx->sysfs_root = (e = getenv("MDCTL_SYSFS_ROOT")) && *e ? e : "/sys";
	ctx->proc_root = (e = getenv("MDCTL_PROC_ROOT")) && *e ? e : "/proc";
	ctx->dev_root = (e = getenv("MDCTL_DEV_ROOT")) && *e ? e : "/dev";
	ctx->state_dir = (e = getenv("MDCTL_STATE_DIR")) && *e ? e : "/var/lib/mdctl";
	ctx->config_file = NULL;
	ctx->mode = NULL;
}

/* Is opt (up to any "=") one of mdadm's options that qualify a mode? */
static bool is_mode_option(const char *opt)
{
	size_t n = strcspn(opt, "=");

	if (opt[1] != '-')
		return opt[1] && strchr(mode_option_letters, opt[1]);
	for (size_t i = 0; i < sizeof(mode_options) / sizeof(mode_options[0]); i++)
		if (strlen(mode_options[i]) == n && !strncmp(opt, mode_options[i], n))
			return true;
	return false;
}

/*
 * mdadm's --offroot (mark the process to be left running past the switch
 * from the initramfs) changes nothing mdctl does: accepted anywhere and
 * dropped, so every mode takes it as mdadm's do.
 */
static int drop_offroot(int argc, char **argv)
{
	int n = 1;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--offroot"))
			argv[n++] = argv[i];
	argv[n] = NULL;
	return n;
}

/* The first option on a line that names no mode: mdctl does not know it. */
static const char *first_option(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (argv[i][0] == '-' && argv[i][1])
			return argv[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct mdctl_ctx ctx;
	const struct mode *m;

	init_ctx(&ctx);
	argc = drop_offroot(argc, argv);
	if (argc < 2) {
		fputs(usage_text, stderr);
		return MDCTL_EXIT_USAGE;
	}
	m = find_mode(argc, argv);
	if (!m) {
		const char *opt = first_option(argc, argv);

		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			fputs(usage_text, stdout);
			return cli_finish(MDCTL_EXIT_OK);
		}
		if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
			printf("mdctl %s\n", MDCTL_VERSION);
			return cli_finish(MDCTL_EXIT_OK);
		}
		if (opt && is_mode_option(opt)) {
			mdctl_err("%.*s qualifies a mode: name the mode too, e.g. --detail, --examine, "
				  "--assemble, --create, --monitor or --incremental (see 'mdctl --help')",
				  (int)strcspn(opt, "="), opt);
			return MDCTL_EXIT_USAGE;
		}
		if (opt) {
			mdctl_err("unknown option %.*s (see 'mdctl --help')", (int)strcspn(opt, "="),
				  opt);
			return MDCTL_EXIT_USAGE;
		}
		mdctl_err("no mode given: name one of --create, --examine, --detail, --replace, "
			  "--assemble, --incremental, --monitor, --metrics, or an array and a manage option");
		return MDCTL_EXIT_USAGE;
	}
	if (!m->fn)
		return cli_refused(m->lng, NULL);
	/* mdadm reads "-ro" as -r -o: with no member after it, --readonly */
	if (m->fn == cmd_manage) {
		static char readonly[] = "--readonly";

		for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
			if (!strcmp(argv[i], "-ro"))
				argv[i] = readonly;
		m = find_mode(argc, argv);
	}
	ctx.mode = m->lng;
	/*
	 * mdadm's recipe "mdadm /dev/md0 --add NEW --replace OLD --with NEW"
	 * names --add first: --replace anywhere on a manage line makes it a
	 * replace line (the replace mode takes --add too).
	 */
	if (m->fn == cmd_manage)
		for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
			if (!strcmp(argv[i], "--replace") || !strncmp(argv[i], "--replace=", 10))
				return cli_finish(cmd_replace(&ctx, argc, argv));
	return cli_finish(m->fn(&ctx, argc, argv));
}
