/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdstate.h: judgements over an md_array snapshot: member roles, health, sync kind and progress. */
#ifndef MDCTL_MDSTATE_H
#define MDCTL_MDSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct md_array;
struct md_member;
struct sb1_dev;

#define MDSTATE_LEVEL_UNKNOWN (-100)

/* What a member is doing, in words a person and a script can both rely on. */
enum mdstate_role {
	MDR_ACTIVE,            /* in sync in its slot */
	MDR_WANT_REPLACEMENT,  /* in sync, marked for replacement, no replacement paired yet */
	MDR_REPLACING,         /* in sync, a replacement is being copied onto another device */
	MDR_REPLACEMENT,       /* receiving the copy of a slot's member */
	MDR_REBUILDING,        /* in a slot, not in sync, not a replacement: ordinary recovery */
	MDR_SPARE,             /* no slot */
	MDR_FAULTY,            /* failed (or retired after being replaced) */
	MDR_JOURNAL,
};

/* The kind of sync work the kernel is doing. */
enum mdstate_sync {
	MDS_NONE,
	MDS_RESYNC,
	MDS_RECOVER,
	MDS_REPLACE,   /* recovery whose only purpose is copying to replacements */
	MDS_RESHAPE,
	MDS_CHECK,
	MDS_REPAIR,
};

/* --detail --test exit statuses, as mdadm. */
enum mdstate_health {
	MDH_OK = 0,
	MDH_DEGRADED = 1,
	MDH_UNUSABLE = 2,
};

struct mdstate_counts {
	unsigned active;     /* in sync in a slot (the kernel's active_disks) */
	unsigned working;    /* not failed */
	unsigned failed;
	unsigned spare;      /* working - active: spares, rebuilding members and replacements */
	unsigned rebuilding; /* rebuilding members and replacements */
	unsigned replacements;
};

/** mdstate_level_number() - "raid5" -> 5, "linear" -> -1; MDSTATE_LEVEL_UNKNOWN otherwise. */
int mdstate_level_number(const char *level);
/** mdstate_member_failed() - faulty for real: "faulty" while in_sync is the kernel's
 * transient view of unacknowledged bad blocks, not a failure. */
bool mdstate_member_failed(const struct md_member *m);
/** mdstate_member_role() - the member's role within array a. */
enum mdstate_role mdstate_member_role(const struct md_array *a, const struct md_member *m);
/** mdstate_role_word() - "active", "want_replacement", "replacing", "replacement",
 * "rebuilding", "spare", "faulty", "journal". */
const char *mdstate_role_word(enum mdstate_role r);
/** mdstate_count() - the Active/Working/Failed/Spare counts mdadm prints. */
void mdstate_count(const struct md_array *a, struct mdstate_counts *c);
/** mdstate_missing() - slots without an in-sync member (sysfs degraded when present). */
int mdstate_missing(const struct md_array *a);
/**
 * mdstate_enough() - whether the in-sync members still hold all the data:
 * RAID0/linear need every slot, RAID1 one, RAID4/5 all but one, RAID6 all
 * but two, RAID10 one member in every group of near*far consecutive slots.
 */
bool mdstate_enough(const struct md_array *a);
/**
 * md_level_enough() - can an array of level with raid_disks slots (layout for
 * raid10) run with only the slots marked in avail?  The kernel's rule, shared
 * by create (missing members), assembly (degraded start) and detail (health).
 */
bool md_level_enough(int level, uint32_t layout, uint32_t raid_disks, const bool *avail);
/** mdstate_health() - MDH_OK, MDH_DEGRADED (any slot missing) or MDH_UNUSABLE
 * (not enough members, or not started). */
enum mdstate_health mdstate_health(const struct md_array *a);
/** mdstate_health_word() - "ok", "degraded", "unusable". */
const char *mdstate_health_word(enum mdstate_health h);
/** mdstate_sync_kind() - from sync_action, telling a replacement copy from a rebuild. */
enum mdstate_sync mdstate_sync_kind(const struct md_array *a);
/** mdstate_sync_word() - "resync", "recover", "replace", "reshape", "check", "repair", "idle". */
const char *mdstate_sync_word(enum mdstate_sync s);
/** mdstate_sync_percent() - sync_completed as a percentage, -1 when not running. */
double mdstate_sync_percent(const struct md_array *a);
/** mdstate_copied_percent() - how much of a replacement or rebuilding member is written,
 * from sync_completed while recovery runs, else from its recovery_start; -1 unknown. */
double mdstate_copied_percent(const struct md_array *a, const struct md_member *m);
/**
 * mdstate_text() - mdadm's State line: "clean" or "active", then
 * ", degraded" or ", FAILED", then ", recovering"/", replacing"/
 * ", resyncing"/... (" (PENDING)" when it has not started).
 */
void mdstate_text(const struct md_array *a, char *buf, size_t len);

/**
 * mdstate_member_sb() - read the superblock of a member device at path,
 * read-only, 1.minor (-1 probes).  md writes superblocks with its own bios,
 * past the page cache, so cached pages are dropped first or an older copy
 * could be read back.  Return 0 or the sb1_load()/open -errno.
 */
int mdstate_member_sb(const char *path, int minor, struct sb1_dev *sd);

#endif
