/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli.h: what every command's option loop shares: -v/-q/-h, usage errors in one form, options refused by name, the stdout check at exit. */
#ifndef MDCTL_CLI_H
#define MDCTL_CLI_H

/* Returned by cli_common() when the option was handled and parsing goes on. */
#define CLI_NEXT (-1)

/*
 * The getopt_long() value of an mdadm option mdctl does not implement.
 * Commands list such options in their long option table with this value
 * (CLI_REFUSE_OPT("write-mostly", no_argument)); cli_common() refuses them
 * by name.
 */
#define CLI_UNSUPPORTED 0x7fff
#define CLI_REFUSE_OPT(name, has_arg) { name, has_arg, NULL, CLI_UNSUPPORTED }

/*
 * The options every mode takes, closing its long option table:
 * --verbose, --quiet, --help, then the terminating entry.
 */
#define CLI_COMMON_OPTS \
	{ "verbose", no_argument, NULL, 'v' }, { "quiet", no_argument, NULL, 'q' }, \
	{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }

struct option;

/**
 * cli_begin() - start parsing a new command line: getopt_long() restarts
 * at argv[1] with its state cleared (optind 0; tests parse repeatedly) and
 * prints nothing itself (cli_common() reports, in one form).
 */
void cli_begin(void);

/**
 * cli_getopt() - the next option, as getopt_long() returns it, except that
 * the mode's own option (self: 'A' for --assemble; 0 for none) is passed
 * over, being the mode already chosen.  Call cli_begin() before the first.
 * Return: the option, or -1 at the end.
 */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, int self);

/**
 * cli_common() - handle what every mode's option loop shares, after the
 * mode's own cases: 'v' (more verbose), 'q' (quiet), 'h' (help text on
 * stdout, exit 0), ':' (an option without its value), '?' (an unknown
 * option) and CLI_UNSUPPORTED.  mode is the mode actually in use
 * ("--create", "--wait"), help its --help text.  Call it from the
 * switch's default case with optind/optopt as getopt_long() left them.
 * Return CLI_NEXT to go on, or the exit code to return.
 */
int cli_common(const char *mode, const char *help, int opt, char **argv);

/**
 * cli_usage() - a usage error in the one form every mode uses:
 * "mdctl: MODE: TEXT (see 'mdctl MODE --help')".  Return MDCTL_EXIT_USAGE.
 */
int cli_usage(const char *mode, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * cli_refused() - "mdctl: OPTION is not supported; use mdadm MODE OPTION"
 * for an mdadm mode or option mdctl does not implement.  mode may be NULL
 * (option is a mode itself).  Return MDCTL_EXIT_USAGE.
 */
int cli_refused(const char *option, const char *mode);

struct mdctl_ctx;

/**
 * cli_state_dir() - point ctx->state_dir where the config says (STATEDIR),
 * exactly as the monitor does, for a command that reads or records
 * replacement intents.  config is the --config file (NULL: the default
 * search).  A config that cannot be read is reported.  Return 0 or
 * MDCTL_EXIT_FAIL.
 */
int cli_state_dir(struct mdctl_ctx *ctx, const char *config);

/**
 * cli_finish() - flush stdout at exit and check that everything printed
 * was written (a full disk, a closed pipe): on a write error, a message
 * and exit code 1 unless rc already says failure.  Return the exit code.
 */
int cli_finish(int rc);

/*
 * How long a command waits for another mdctl that holds an array's lock
 * (mdops_lock): a pairing or a spare move takes well under a second, a
 * --replace verifying a write-failing member can take minutes.
 */
#define CLI_LOCK_WAIT_MS 10000

/**
 * cli_lock_array() - take array md's lock for a command (arg names it in
 * messages), waiting up to CLI_LOCK_WAIT_MS; when that fails, says why,
 * naming the process that holds it.
 * Return: the lock's fd for mdops_unlock(), or -1 (said).
 */
int cli_lock_array(const char *arg, const char *md);

#endif
