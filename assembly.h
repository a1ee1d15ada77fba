/* SPDX-License-Identifier: GPL-2.0-or-later */
/* assembly.h: deciding which superblocks form an array, and starting it through md sysfs. */
#ifndef MDCTL_ASSEMBLY_H
#define MDCTL_ASSEMBLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "super1.h"

/* Why a candidate device is in or out of the array. */
enum asm_verdict {
	ASM_IN = 0,        /* a member: slot, spare or journal */
	ASM_NO_SB,         /* no readable 1.x superblock (load_rc says why) */
	ASM_OTHER_ARRAY,   /* another array UUID, or not the --uuid/--name asked for */
	ASM_GEOMETRY,      /* same UUID but level/layout/chunk/disks/size/ctime differ */
	ASM_STALE,         /* more than one event behind the freshest member */
	ASM_FAULTY,        /* the freshest superblock marks it faulty (or no longer a member) */
	ASM_SPLIT,         /* it reports the freshest member as failed: the other half of a split */
	ASM_DUPLICATE,     /* its slot is held by a fresher device */
	ASM_BUSY,          /* in use (held by another array or mounted) */
	ASM_VANISHED,      /* the kernel refused it at new_dev */
};

/*
 * struct asm_cand - one device offered for assembly.  The caller fills the
 * input part (path, load_rc and dev); asm_plan() fills the rest.
 */
struct asm_cand {
	/* input */
	const char *path;          /* for messages: "/dev/loop0" */
	int load_rc;               /* sb1_load() result; dev valid only when 0 */
	char load_why[96];         /* caller's text for load_rc (e.g. "cannot open: ..."), or "" */
	struct sb1_dev *dev;
	unsigned major, minor;     /* device number, for new_dev */
	bool busy;                 /* caller found it in use; why in busy_why */
	char busy_why[64];
	bool vanished;             /* caller: new_dev failed for it */
	/* output */
	enum asm_verdict verdict;
	char why[192];             /* the reason when not ASM_IN */
	int slot;                  /* >= 0 slot; -1 spare; -2 journal */
	bool replacement;          /* SB1_FEAT_REPLACEMENT: the second device of its slot */
	bool recovering;           /* recovery_offset in force (partly rebuilt) */
	uint64_t recovery_offset;  /* sectors, when recovering */
	bool forced;               /* --force: its event count (and/or role) must be raised */
	bool force_role;           /* the freshest superblock's role for it must be set to slot */
};

struct asm_opts {
	bool force;                /* --force: raise stale members until usable */
	bool have_uuid;            /* --uuid */
	uint8_t uuid[16];
	const char *name;          /* --name: matches the name part of set_name */
};

/*
 * struct asm_plan - what asm_plan() decided.
 */
struct asm_plan {
	int fresh;                 /* index of the freshest active member, -1 if none */
	uint8_t uuid[16];
	int level;
	uint32_t layout, raid_disks;
	uint64_t component_sectors;
	uint64_t events;
	int minor;                 /* 0, 1, 2 for 1.0/1.1/1.2 */
	unsigned members;          /* candidates IN */
	unsigned in_sync_slots;    /* slots with an in-sync primary device */
	unsigned replacements;     /* IN with replacement */
	unsigned rebuilding;       /* IN primaries still recovering */
	unsigned spares;
	unsigned other_uuid;       /* candidates of another array */
	int split;                 /* index of a device reporting the freshest as failed, or -1 */
	bool complete;             /* every slot has an in-sync primary */
	unsigned working;          /* devices the freshest superblock lists in a slot */
	unsigned slot_devs;        /* IN devices in a slot (primaries and replacements) */
	bool startable;            /* mdadm's rule: usable, and no device that was
				    * active at the last stop is missing */
	bool usable;               /* enough slots for the level to run degraded */
	bool forced;               /* at least one member must be forced */
	bool mark_clean;           /* --force: degraded dirty raid4/5/6 must be marked clean */
};

/**
 * asm_name_part() - the name part of a set_name ("host:data" -> "data").
 */
const char *asm_name_part(const char *set_name);

/**
 * asm_plan() - decide the members of one array among n candidates, as
 * described in man/mdctl.8 (ASSEMBLE): group by UUID (the --uuid/--name
 * asked for, else the first device with a superblock), freshest active
 * member by events, geometry checks against it, roles from it, one event
 * of slack, replacements in their slot, and with --force the newest stale
 * members raised until the array is usable.  Return 0, or -ENOENT when no
 * candidate has a usable superblock of the array asked for.
 */
int asm_plan(struct asm_cand *c, size_t n, const struct asm_opts *o, struct asm_plan *p);

/**
 * asm_verdict_name() - short word for a verdict ("stale", "faulty", ...).
 */
const char *asm_verdict_name(enum asm_verdict v);

/**
 * asm_percent() - recovery_offset as a whole percentage of component sectors (0..100).
 */
unsigned asm_percent(uint64_t done, uint64_t total);

/* ---- md sysfs side ---- */

/**
 * asm_member_sb() - the superblock of member kname of array md, read from
 * the member's device node by md_sb_read() (checked like every superblock).
 * path gets the node ("/dev/sdb"), *maj:*min the device number.
 * Return 0 or -errno (-ENOENT: no 1.x superblock).
 */
int asm_member_sb(const char *sysfs_root, const char *dev_root, const char *md,
		  const char *kname, struct sb1_dev *d, char *path, size_t pathlen,
		  unsigned *maj, unsigned *min);

/*
 * struct asm_md - one md array found in sysfs, for --incremental and --scan.
 */
struct asm_md {
	char kname[32];
	bool running;              /* array_state is a started state */
	bool have_uuid;
	uint8_t uuid[16];          /* from a member's md/dev-X/super */
	unsigned ndevs;
	char (*devs)[32];          /* member knames; malloc'd */
};

/**
 * asm_md_list() - every md array under sysfs with its members and the UUID
 * read from a member's superblock image (md/dev-X/super).  *list malloc'd;
 * free with asm_md_list_free().
 */
int asm_md_list(const char *sysfs_root, const char *dev_root, struct asm_md **list, size_t *n);
void asm_md_list_free(struct asm_md *list, size_t n);

/**
 * asm_md_holding() - index in list of the array holding member kname, or -1.
 */
int asm_md_holding(const struct asm_md *list, size_t n, const char *kname);

/**
 * asm_dirty_degraded() - would the kernel refuse to start this plan as a
 * degraded raid4/5/6 that was not shut down cleanly (resync pending)?
 */
bool asm_dirty_degraded(const struct asm_cand *c, const struct asm_plan *p);

/* ---- command side, defined in Assemble.c (these print) ---- */

struct mdctl_ctx;

/* Where an array goes: kernel name, name for messages, /dev/md/ link. */
struct asm_target {
	char kname[32];          /* "md0" */
	char devname[4096];      /* "/dev/md0" or "/dev/md/data", for messages */
	char link[64];           /* /dev/md/<link> to create, "" none */
};

/** assemble_summary() - one line per member and the "has been started" line. */
void assemble_summary(const struct asm_target *t, const struct asm_cand *c, size_t n,
		      const struct asm_plan *p, bool started, bool readonly);
/** assemble_verify() - read the started array back and warn about what differs from the plan. */
void assemble_verify(const char *sysfs_root, const struct asm_target *t,
		     const struct asm_cand *c, size_t n);
/** assemble_reapply_intents() - mark OLD want_replacement again for recorded intents. */
void assemble_reapply_intents(const struct mdctl_ctx *ctx, const struct asm_target *t,
			      const struct asm_cand *c, size_t n, const struct asm_plan *p);

#endif
