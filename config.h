/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.h: /etc/mdctl.conf (mdadm.conf syntax plus mdctl's own keywords). */
#ifndef MDCTL_CONFIG_H
#define MDCTL_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest word a config line may hold; a longer one is an error. */
#define CONFIG_WORD_MAX 1023

/* One ARRAY line. Unset numbers are -1, unset strings "". */
struct cfg_array {
	char devname[256];       /* "/dev/md0", "/dev/md/name" or "<ignore>" */
	bool has_uuid;
	uint8_t uuid[16];
	char name[160];          /* name=, as written (a disk's name in its escaped form) */
	char **devices;          /* devices= list (comma separated globs) */
	size_t ndevices;
	int level;               /* -1000 when unset; -1 linear, 0..10 */
	int num_devices;
	int spares;
	char spare_group[64];
	char metadata[16];
	int replace_badblocks;   /* mdctl: replace-badblocks=N, -1 unset */
	int replace_errors;      /* mdctl: replace-errors=M, -1 unset */
	char file[PATH_MAX];
	int line;
};

/* One POLICY line. */
struct cfg_policy {
	char domain[64];
	char path[256];          /* by-path glob, "" = any */
	char type[16];           /* "disk", "part", "" */
	char action[32];         /* include, re-add, spare, spare-same-slot, force-spare */
	char metadata[16];
	int line;
};

/* The CREATE line: defaults for new arrays and their device nodes (-1 unset). */
struct cfg_create {
	long uid;                /* owner= (a number or a user name resolved) */
	long gid;                /* group= */
	int mode;                /* mode= (octal) */
	int names;               /* names=yes 1, names=no 0 */
	int bbl;                 /* bbl=yes 1, bbl=no 0 */
	int symlinks;            /* symlinks=yes 1, symlinks=no 0 */
	char metadata[16];       /* metadata= */
	char autof[16];          /* auto= as written (yes, md, mdp, part...) */
};

struct mdctl_config {
	char path[PATH_MAX];     /* the first file (or directory) read, "" when none existed */
	char **device_globs;     /* DEVICE words; "partitions" and "containers" kept as words */
	size_t ndevice_globs;
	struct cfg_array *arrays;
	size_t narrays;
	struct cfg_policy *policies;
	size_t npolicies;
	struct cfg_policy *part_policies; /* PART-POLICY lines: accepted, kept, not used */
	size_t npart_policies;
	struct cfg_create create;
	/* HOMEHOST: the first line wins, as with mdadm */
	bool homehost_set;
	char homehost[256];      /* a name, "<system>" (gethostname), "" for <none> */
	bool homehost_ignore;    /* <ignore>: auto-assembly does not check the homehost */
	char homecluster[256];
	/* AUTO: the first line's words, in order ("+1.x", "homehost", "-all") */
	char **auto_words;
	size_t nauto_words;
	bool auto_seen;
	char mailaddr[256];
	char mailfrom[256];
	char program[PATH_MAX];  /* PROGRAM's first word; as mdadm, later words are ignored */
	int program_extra_words; /* how many were ignored (the monitor says so) */
	int monitor_delay;       /* MONITORDELAY seconds, -1 unset */
	/* mdctl's own keywords (man/mdctl.conf.5) */
	int replace_badblocks;   /* REPLACE-POLICY badblocks=N, -1 off */
	int replace_errors;      /* REPLACE-POLICY errors=M, -1 off */
	bool remove_retired;     /* REPLACE-POLICY remove-retired=yes|no, default yes */
	bool expedite_rcu;       /* REPLACE-POLICY expedite-rcu=yes|no, default yes */
	char event_log[PATH_MAX];/* EVENTLOG path, "" none */
	char state_dir[PATH_MAX];/* STATEDIR path, "" default */
	char metrics_path[PATH_MAX]; /* METRICS path: the monitor's Prometheus file, "" none */
};

/**
 * config_load() - read path, or with path NULL the first that exists of
 * /etc/mdctl.conf, /etc/mdadm/mdadm.conf, /etc/mdadm.conf, each followed by
 * its ".d" directory as mdadm reads them (no file is not an error: an
 * empty config).  A path naming a directory reads its *.conf files in
 * lexical order.  Keywords are case-insensitive and may be
 * abbreviated to 3 characters as mdadm allows; lines starting with
 * whitespace continue the previous one.  On a syntax error returns -EINVAL
 * with err = "FILE:LINE: cause": an unterminated quote, a NUL or other
 * control byte, a word over CONFIG_WORD_MAX bytes, a singleton keyword
 * (MAILADDR, MAILFROM, PROGRAM, MONITORDELAY, EVENTLOG, STATEDIR, METRICS)
 * given twice, also across files, a relative PROGRAM.
 */
int config_load(const char *path, struct mdctl_config *out, char *err, size_t errlen);
/**
 * config_load_root() - config_load() with the default files looked up
 * under etc instead of /etc (tests).
 */
int config_load_root(const char *etc, const char *path, struct mdctl_config *out, char *err,
		     size_t errlen);

/**
 * config_homehost() - the host name arrays are checked against: override
 * (--homehost) when not NULL, else HOMEHOST, else gethostname(); "<system>"
 * is gethostname() and "<none>" (or an empty name) is no host at all.
 * Return 0, buf "" when there is none.
 */
int config_homehost(const struct mdctl_config *cfg, const char *override, char *buf, size_t len);

/**
 * config_array_is_home() - does set_name ("host:name") belong to homehost?
 * A name without a host part never does; homehost "" matches nothing.
 */
bool config_array_is_home(const char *set_name, const char *homehost);

/**
 * config_auto_allows() - may auto-assembly (--assemble --scan of arrays no
 * ARRAY line lists, --incremental) take an array of this metadata ("1.x",
 * "1.2", "0.90", "ddf", "imsm") under the first AUTO line?  Words are read
 * in order and the first that names the metadata (+1.x, -1, +all, -all,
 * yes, no) decides; "homehost" before a '-' word turns that refusal into
 * "only arrays of this host".  home: the array belongs to this host.  No
 * AUTO line, or no word that matches: allowed.
 */
bool config_auto_allows(const struct mdctl_config *cfg, const char *metadata, bool home);

/**
 * config_auto_check() - config_auto_allows() for a 1.x array named set_name,
 * home judged against config_homehost(cfg, homehost); under HOMEHOST
 * <ignore> (homehost NULL) or homehost "<ignore>" every array is home.  When refused, why
 * gets "AUTO in FILE refuses [other hosts'] 1.x arrays".
 */
bool config_auto_check(const struct mdctl_config *cfg, const char *homehost, const char *set_name,
		       char *why, size_t len);
void config_free(struct mdctl_config *cfg);

/**
 * config_state_dir() - where replacement intents live: STATEDIR when the
 * config sets it, else fallback (MDCTL_STATE_DIR, or /var/lib/mdctl).  The
 * one rule every command and the monitor follow.
 */
const char *config_state_dir(const struct mdctl_config *cfg, const char *fallback);

/**
 * config_load_state_dir() - config_load(path) and config_state_dir() into
 * out, for a command that needs only the paths.  Return 0 or -errno (err
 * set as config_load() sets it).
 */
int config_load_state_dir(const char *path, const char *fallback, char *out, size_t len,
			  char *err, size_t errlen);
/** config_find_array() - the ARRAY line matching uuid (or else name, raw or
 * in the escaped form --examine --scan writes), or NULL. */
const struct cfg_array *config_find_array(const struct mdctl_config *cfg, const uint8_t uuid[16],
					  const char *name);
/* POLICY actions, weakest first: each includes what the ones before allow. */
enum cfg_policy_action {
	CFG_ACT_NONE = 0, CFG_ACT_INCLUDE, CFG_ACT_READD, CFG_ACT_SPARE, CFG_ACT_SPARE_SAME_SLOT,
	CFG_ACT_FORCE_SPARE,
};

/**
 * config_policy_action() - the strongest action= of the POLICY lines that
 * apply to a disk in bay path (udev's ID_PATH) joining an array of metadata
 * version metadata ("1.2"): path= a glob matching path (no path= matches any
 * bay), type= disk or part as is_part says (none: either), metadata= the
 * array's version ("1", "1.x" and "default" match any 1.x; none: any).
 * domain= is not compared.  line (may be NULL) gets the deciding line.
 */
enum cfg_policy_action config_policy_action(const struct mdctl_config *cfg, const char *path,
					    bool is_part, const char *metadata,
					    const struct cfg_policy **line);

/** config_parse_uuid() - mdadm's "a:b:c:d" or dashed form to 16 bytes. */
int config_parse_uuid(const char *s, uint8_t uuid[16]);
/**
 * config_parse_buffer() - parse configuration text as config_load() does;
 * file names the text in error messages.  Free out with config_free().
 */
int config_parse_buffer(const char *text, const char *file, struct mdctl_config *out,
			char *err, size_t errlen);

#endif
