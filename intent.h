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

#endif
