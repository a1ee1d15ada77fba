/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdctl.h: the command context, exit codes and command entry points shared by all modes. */
#ifndef MDCTL_H
#define MDCTL_H

#include <stdbool.h>
#include <stdint.h>

#define MDCTL_VERSION "0.1.0"

/* Exit codes, as mdadm uses them. */
enum {
	MDCTL_EXIT_OK = 0,
	MDCTL_EXIT_FAIL = 1,
	MDCTL_EXIT_USAGE = 2,       /* usage error, or assembled but not started */
	MDCTL_EXIT_NOT_STARTED = 2,
	/* --detail --test */
	MDCTL_EXIT_DEGRADED = 1,
	MDCTL_EXIT_UNUSABLE = 2,
	MDCTL_EXIT_ERROR = 4,
	/* --monitor: the config file is unusable (LSB "not configured"); the unit does not restart on it */
	MDCTL_EXIT_CONFIG = 6,
};

/*
 * struct mdctl_ctx - what every command is handed by main().
 * The roots are "/sys", "/proc", "/dev" normally; tests redirect them with
 * MDCTL_SYSFS_ROOT, MDCTL_PROC_ROOT, MDCTL_DEV_ROOT.  state_dir holds the
 * replacement intents (MDCTL_STATE_DIR, default /var/lib/mdctl).
 */
struct mdctl_ctx {
	const char *prog;        /* "mdctl", used as the message prefix */
	const char *sysfs_root;  /* "/sys" */
	const char *proc_root;   /* "/proc" */
	const char *dev_root;    /* "/dev" */
	const char *state_dir;   /* "/var/lib/mdctl" */
	const char *config_file; /* NULL: /etc/mdctl.conf, then mdadm's */
	const char *mode;        /* the mode option in use, long form ("--wait" for -W) */
};

/*
 * Command entry points.  Each receives the whole command line (argv[0] is
 * the program) and parses it with its own option table, including the mode
 * option that selected it.  Return value is the process exit code.
 */
int cmd_create(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_examine(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_detail(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_manage(struct mdctl_ctx *ctx, int argc, char **argv);
/**
 * manage_add_blank() - --add DEV to the running array kname (mdpath names it
 * in messages) without --force: every check --add makes, then a spare with
 * undo.  Says what happened.  Return 0 or -errno.
 */
int manage_add_blank(const struct mdctl_ctx *ctx, const char *mdpath, const char *kname,
		     const char *dev);
int cmd_replace(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_assemble(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_incremental(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_monitor(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_metrics(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_misc(struct mdctl_ctx *ctx, int argc, char **argv);
int cmd_zero_superblock(struct mdctl_ctx *ctx, int argc, char **argv);

#endif
