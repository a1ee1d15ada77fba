// SPDX-License-Identifier: GPL-2.0-or-later
/* cli.c: the option handling every command shares, so that every mode reports usage errors, help and refusals the same way. */
#include "cli.h"

#include "config.h"
#include "mdops.h"
#include "safefile.h"
#include "mdctl.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cli_usage(const char *mode, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mdctl: %s: ", mode);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'mdctl %s --help')\n", mode);
	return MDCTL_EXIT_USAGE;
}

int cli_refused(const char *option, const char *mode)
{
	if (mode && strcmp(mode, option))
		mdctl_err("%s is not supported; use mdadm %s %s", option, mode, option);
	else
		mdctl_err("%s is not supported; use mdadm %s", option, option);
	return MDCTL_EXIT_USAGE;
}

/* The option as typed, without "=value" (argv[optind - 1] for long options). */
static void option_name(int opt, char **argv, char *buf, size_t len)
{
	const char *a = optind > 0 ? argv[optind - 1] : "";
	size_t n;

	if (opt == '?' && optopt) {
		snprintf(buf, len, "-%c", optopt);
		return;
	}
	if (opt == ':' && optopt && strncmp(a, "--", 2)) {
		snprintf(buf, len, "-%c", optopt);
		return;
	}
	n = strcspn(a, "=");
	snprintf(buf, len, "%.*s", (int)n, a);
}

void cli_begin(void)
{
	optind = 0;
	opterr = 0;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, int self)
{
	int c;

	do
		c = getopt_long(argc, argv, shortopts, longopts, NULL);
	while (self && c == self);
	return c;
}

int cli_common(const char *mode, const char *help, int opt, char **argv)
{
	char name[64];

	switch (opt) {
	case 'v':
		mdctl_verbose = mdctl_verbose < 0 ? 1 : mdctl_verbose + 1;
		return CLI_NEXT;
	case 'q':
		mdctl_verbose = -1;
		return CLI_NEXT;
	case 'h':
		fputs(help, stdout);
		return MDCTL_EXIT_OK;
	case ':':
		option_name(opt, argv, name, sizeof(name));
		return cli_usage(mode, "option %s needs a value", name);
	case CLI_UNSUPPORTED:
		option_name(opt, argv, name, sizeof(name));
		return cli_refused(name, mode);
	default:
		option_name(opt, argv, name, sizeof(name));
		return cli_usage(mode, "unknown option %s", name);
	}
}

int cli_state_dir(struct mdctl_ctx *ctx, const char *config)
{
	static char dir[PATH_MAX];
	char err[512];
	int rc;

	rc = config_load_state_dir(config ? config : ctx->config_file, ctx->state_dir, dir,
				   sizeof(dir), err, sizeof(err));
	if (rc) {
		if (err[0])
			mdctl_err("%s", err);
		else
			mdctl_err_rc(rc, "cannot read the configuration");
		return MDCTL_EXIT_FAIL;
	}
	ctx->state_dir = dir;
	return 0;
}

int cli_finish(int rc)
{
	int err = 0;

	if (fflush(stdout) == EOF)
		err = errno;
	if (ferror(stdout) || err) {
		/* errno is known only when the last flush failed */
		mdctl_err_rc(err, "write error on standard output");
		return rc ? rc : MDCTL_EXIT_FAIL;
	}
	return rc;
}

int cli_lock_array(const char *arg, const char *md)
{
	pid_t holder;
	int fd = mdops_lock(md, CLI_LOCK_WAIT_MS, &holder);

	if (fd == -EWOULDBLOCK && holder > 0)
		mdctl_err("%s: another mdctl (pid %ld) is changing this array; try again when it is "
			  "done", arg, (long)holder);
	else if (fd == -EWOULDBLOCK)
		mdctl_err("%s: another mdctl is changing this array; try again when it is done", arg);
	else if (fd < 0)
		mdctl_err("%s: cannot take the array's lock: %s", arg, safe_strerror(fd));
	return fd < 0 ? -1 : fd;
}
