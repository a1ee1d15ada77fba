/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics.h: md arrays and their members in the Prometheus text exposition format (mdctl --metrics, the monitor's METRICS file). */
#ifndef MDCTL_METRICS_H
#define MDCTL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mdarray.h"

struct mdctl_config;

/* struct metrics_content - whether a member's data can be trusted (verify.c). */
struct metrics_content {
	bool suspect;              /* write errors since assembly, or stale ranges not all rebuilt */
	bool have;                 /* a verification of this member was saved */
	uint64_t ranges_found, ranges_rebuilt, sectors;
	int64_t when;              /* time() of that verification */
};

/*
 * struct metrics_array - what the exposition says about one array: its
 * snapshot plus what the snapshot does not hold.
 */
struct metrics_array {
	struct md_array a;
	char device[64];           /* "/dev/md0" */
	char spare_group[64];      /* from the config's ARRAY line, "" none */
	char (*disk_id)[128];      /* per member (a.members order): by-id name or serial, "" unknown */
	char (*member_dev)[256];    /* per member: "/dev/loop1" */
	struct metrics_content *content; /* per member: what verification says of its data */
};

/**
 * metrics_read_array() - snapshot array kname and the extras above.
 * @sysfs_root: "/sys"
 * @dev_root: "/dev"
 * @cfg: the configuration for spare groups (NULL: none)
 * @state_dir: where verifications are saved (config_state_dir()), NULL: none
 * @kname: "md0"
 * @out: filled; free with metrics_array_free() (also after an error)
 * Return: 0, -ENODEV when kname is not an md array, -ENOMEM, other -errno.
 */
int metrics_read_array(const char *sysfs_root, const char *dev_root, const struct mdctl_config *cfg,
		       const char *state_dir, const char *kname, struct metrics_array *out);
void metrics_array_free(struct metrics_array *m);

/**
 * metrics_format() - the exposition text for n arrays: every family with
 * its HELP and TYPE lines, its samples together, label values escaped.
 * @v: arrays
 * @n: how many (0 gives the families' HELP/TYPE lines and no samples)
 * @text: gets a malloc'd NUL-terminated string
 * Return: 0 or -ENOMEM.
 */
int metrics_format(const struct metrics_array *v, size_t n, char **text);

/**
 * metrics_collect() - metrics_read_array() over every array present and
 * metrics_format() of the ones running or assembling (arrays that vanish
 * between listing and reading are left out).
 * Return: 0 and *text malloc'd, or -errno.
 */
int metrics_collect(const char *sysfs_root, const char *dev_root, const struct mdctl_config *cfg,
		    const char *state_dir, char **text);

/**
 * metrics_write_file() - replace path with text atomically: written to
 * "path.tmp" (mode 0644), fsync'd, renamed over path, so a reader such as
 * node_exporter's textfile collector never sees half a file.
 * Return: 0 or -errno (the temporary file is removed on failure).
 */
int metrics_write_file(const char *path, const char *text);

/**
 * metrics_escape_label() - a label value as the exposition format wants it:
 * backslash, double quote and newline escaped; bytes that are not valid
 * UTF-8 and other control characters replaced by U+FFFD.  Always
 * terminates buf (truncating at a character boundary).
 */
void metrics_escape_label(const char *s, char *buf, size_t len);

#endif
