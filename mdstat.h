/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdstat.h: /proc/mdstat parsed from a buffer. */
#ifndef MDCTL_MDSTAT_H
#define MDCTL_MDSTAT_H

#include <stddef.h>
#include <stdint.h>

#define MDSTAT_MAX_MEMBERS 64

struct mdstat_member {
	char kname[32];
	int index;        /* the [N] after the name */
	unsigned faulty:1, spare:1, replacement:1, write_mostly:1, journal:1;
};

struct mdstat_array {
	char kname[32];
	int active;             /* "active" vs "inactive" */
	int readonly;           /* "(read-only)" / "(auto-read-only)" */
	char level[16];         /* "raid5", "" for inactive */
	unsigned nmembers;
	struct mdstat_member members[MDSTAT_MAX_MEMBERS];
	int raid_disks, working; /* [n/m], -1 when absent */
	char status[MDSTAT_MAX_MEMBERS + 1]; /* "UU_" */
	char sync_kind[16];     /* "recovery", "resync", "reshape", "check", "" */
	int sync_permille;      /* 0..1000, -1 when none; "DELAYED"/"PENDING" are -1 with kind set */
};

struct mdstat {
	unsigned narrays;
	struct mdstat_array *arrays; /* malloc'd */
};

/** mdstat_parse() - parse buf (NUL-terminated); 0 or -EINVAL/-ENOMEM. */
int mdstat_parse(const char *buf, struct mdstat *out);
/** mdstat_read() - read <proc_root>/mdstat and parse it. */
int mdstat_read(const char *proc_root, struct mdstat *out);
void mdstat_free(struct mdstat *m);
const struct mdstat_array *mdstat_find(const struct mdstat *m, const char *kname);

#endif
