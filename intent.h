/* SPDX-License-Identifier: GPL-2.0-or-later */
/* intent.h: pending replacements recorded on disk, since the kernel forgets want_replacement. */
#ifndef MDCTL_INTENT_H
#define MDCTL_INTENT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* One pending replacement: array, the member to retire, and the chosen new disk if named. */
struct replace_intent {
	uint8_t array_uuid[16];
	uint8_t old_dev_uuid[16];  /* device_uuid from OLD's superblock */
	char old_kname[32];        /* OLD's kernel name when recorded (informational) */
	char new_path[PATH_MAX];   /* "" when the kernel may pick any spare */
	char md_kname[32];         /* array's kernel name when recorded (informational) */
	time_t created;
};

/*
 * The file is <state_dir>/replacements.json, a JSON object
 * {"version": 1, "replacements": [{"array_uuid", "old_dev_uuid", "md",
 * "old", "new", "created"}, ...]} with UUIDs in the kernel's dashed form.
 * intent_add() and intent_remove() lock the directory (flock), create it
 * 0700 when missing, and rewrite the file (0600) through a temporary file
 * in the same directory: fsync, rename, fsync of the directory.  A file
 * that does not parse is never overwritten (-EBADMSG).
 */

/**
 * intent_load() - all intents in <state_dir>/replacements.json; a missing
 * file is an empty list.  *list malloc'd.  Return 0 or -errno (-EBADMSG for
 * a file that does not parse).
 */
int intent_load(const char *state_dir, struct replace_intent **list, size_t *n);
/** intent_add() - record (replacing an entry with the same array and old device); atomic rewrite. */
int intent_add(const char *state_dir, const struct replace_intent *in);
/** intent_remove() - forget one; 0 also when it was not there. */
int intent_remove(const char *state_dir, const uint8_t array_uuid[16], const uint8_t old_dev_uuid[16]);

/** intent_uuid_str() - 16 bytes as the kernel's "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
void intent_uuid_str(const uint8_t uuid[16], char buf[37]);
/**
 * intent_uuid_parse() - 32 hex digits, grouped by '-', ':' or '.' in any
 * way (kernel and mdadm spellings) to 16 bytes.  Return 0 or -EINVAL.
 */
int intent_uuid_parse(const char *s, uint8_t uuid[16]);

#endif
