/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdarray.h: the one model of a running md array and its members, and every rule that judges them. */
#ifndef MDCTL_MDARRAY_H
#define MDCTL_MDARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mdlevel.h"
#include "sysfs.h"

struct sb1_dev;

/*
 * Member state flags, the words of md/dev-X/state.  What the kernel prints
 * (md.c state_show) is not its flag set one to one:
 *   faulty   the Faulty flag, OR unacknowledged bad blocks on a member that
 *            is not Faulty (then "blocked" is printed as well)
 *   blocked  the Blocked flag (a failed member until its failure is
 *            recorded in the superblocks), OR unacknowledged bad blocks
 *            on a member that is not Faulty
 *   spare    not Faulty, not journal, not in_sync: spares, recovering
 *            members and replacements alike
 * The predicates below undo that folding; nothing else tests MDM_FAULTY.
 */
enum md_member_flag {
	MDM_FAULTY = 1u << 0,
	MDM_IN_SYNC = 1u << 1,
	MDM_WRITE_MOSTLY = 1u << 2,
	MDM_BLOCKED = 1u << 3,
	MDM_SPARE = 1u << 4,
	MDM_WRITE_ERROR = 1u << 5,
	MDM_WANT_REPLACEMENT = 1u << 6,
	MDM_REPLACEMENT = 1u << 7,
	MDM_JOURNAL = 1u << 8,
	MDM_FAILFAST = 1u << 9,
	MDM_EXTERNAL_BBL = 1u << 10,
};

/** md_parse_dev_state() - "in_sync,want_replacement" to MDM_* bits; unknown words ignored. */
unsigned md_parse_dev_state(const char *s);
/** md_format_dev_state() - MDM_* bits back to the kernel's words, comma-separated. */
int md_format_dev_state(unsigned flags, char *buf, size_t len);

/*
 * struct md_member_id - who a member is, from its own superblock (read
 * with md_member_load_id(), validated by sb1_check() like every
 * superblock mdctl reads).  loaded is false until asked for.
 */
struct md_member_id {
	bool loaded;
	uint8_t array_uuid[16];
	uint8_t dev_uuid[16];
	uint32_t dev_number;
	uint64_t events;
};

/*
 * struct md_member - one md/dev-<kname> directory of a running or
 * assembling array, as read at snapshot time.
 */
struct md_member {
	char kname[32];           /* "sdb", "loop1", "dm-3" */
	unsigned major, minor;    /* from dev-X/block/dev */
	unsigned flags;           /* MDM_* */
	int slot;                 /* -1 when "none" */
	uint64_t offset;          /* data offset, sectors */
	uint64_t size_kib;        /* dev-X/size */
	uint64_t recovery_start;  /* sectors, SYSFS_NONE when in sync */
	unsigned errors;          /* corrected read errors */
	unsigned bad_blocks;      /* entries in dev-X/bad_blocks */
	uint64_t bad_sectors;     /* sectors they cover */
	unsigned unack_bad_blocks;
	struct md_member_id id;   /* on request: md_member_load_id() */
};

/*
 * struct md_array - a snapshot of block/<md>/md/ and its members.
 */
struct md_array {
	char kname[32];             /* "md0" */
	char metadata_version[32];  /* "1.2", "none", "external:..." */
	char level[16];             /* "raid5", "" when not set */
	int raid_disks;
	uint64_t chunk_size;        /* bytes */
	int layout;
	uint64_t component_size;    /* KiB as the kernel reports it */
	uint64_t array_size_sectors;/* block/<md>/size */
	char array_state[24];       /* "clean", "active", "inactive", ... */
	char sync_action[16];       /* "idle", "recover", ... ("" if absent) */
	uint64_t sync_done;         /* sync_completed numerator, SYSFS_NONE if "none" */
	uint64_t sync_total;
	uint64_t sync_speed;        /* KiB/s, current */
	int degraded;               /* -1 if absent */
	uint64_t reshape_position;  /* SYSFS_NONE when none */
	uint64_t mismatch_cnt;      /* sectors the last check/repair found inconsistent, SYSFS_NONE if absent */
	char uuid[40];              /* md/uuid if present */
	unsigned nmembers;
	struct md_member *members;  /* malloc'd, sorted by slot then name */
};

/*
 * Member order: slotted members by slot, within a slot the original before
 * its replacement; then members without a slot (spares, faulty) by name.
 * Absent attributes keep defaults: strings "", numbers 0, degraded -1,
 * sync_done/sync_total/reshape_position SYSFS_NONE, sync_speed 0 when
 * "none"; a member's slot -1 ("none"/"journal") and recovery_start SYSFS_NONE.
 */

/** md_array_read() - snapshot an array; -ENODEV when block/<md>/md is absent. */
int md_array_read(const char *root, const char *md, struct md_array *out);
/** md_array_states() - array_state, sync_action and the members' state, slot and device number only. */
int md_array_states(const char *root, const char *md, struct md_array *out);
/** md_array_names() - only the members' names (sysfs order); -ENODEV when block/<md>/md is absent. */
int md_array_names(const char *root, const char *md, struct md_array *out);
/**
 * md_array_reread() - a copy of prev with only the members named read again
 * (a watcher told only they changed), all but their offset, size and
 * device number, which do not change while they are bound; -ENODEV when
 * one is gone, -ENOMEM.
 */
int md_array_reread(const char *root, const struct md_array *prev, const char (*names)[32],
		    size_t n, struct md_array *out);
void md_array_free(struct md_array *a);
/** md_array_find() - the member named "sdb", "/dev/sdb", "dev-sdb" or "MAJ:MIN", or NULL. */
struct md_member *md_array_find(struct md_array *a, const char *kname);
struct md_member *md_array_find_devnum(struct md_array *a, unsigned major, unsigned minor);
/**
 * md_array_find_dev() - the member a user means by arg.  When arg's node
 * exists, by its device number only: the same major:minor is the only proof
 * that the node given is the disk in the array (a /dev/disk/by-id link, a
 * mapper name).  When the node is gone, by name as md_array_find() takes it,
 * then by the path's last component ("/dev/sdb" for dev-sdb): that is how a
 * detached disk is still reachable.  Any other error looking at arg is put
 * in *err (NULL returned); *err is 0 otherwise.
 */
struct md_member *md_array_find_dev(struct md_array *a, const char *arg, int *err);

/* ---- identity: the one superblock reader ---- */

/** md_metadata_minor() - 0, 1 or 2 for metadata_version "1.0", "1.1", "1.2"; -EOPNOTSUPP otherwise. */
int md_metadata_minor(const char *metadata_version);
/**
 * md_sb_read() - read and validate (sb1_load(), hence sb1_check()) the 1.x
 * superblock of the device at path, read-only; minor -1 probes all three
 * places.  md writes superblocks with its own bios, past the page cache,
 * so cached pages are dropped first or an older copy could be read back.
 * Every superblock of a running array's member is read through here.
 * Return 0, or the open/sb1_load() -errno.
 */
int md_sb_read(const char *path, int minor, struct sb1_dev *sd);
/** md_sb_read_fd() - md_sb_read() on a device already open. */
int md_sb_read_fd(int fd, int minor, struct sb1_dev *sd);
/**
 * md_member_sb() - md_sb_read() of member m of array a, at dev_root/<kname>,
 * with the minor the array's metadata_version names (-1 when it names none).
 */
int md_member_sb(const char *dev_root, const struct md_array *a, const struct md_member *m,
		 struct sb1_dev *sd);
/** md_member_load_id() - fill m->id from md_member_sb() (once).  Return 0 or -errno. */
int md_member_load_id(const char *dev_root, const struct md_array *a, struct md_member *m);

/* ---- member predicates (each reads only m->flags, m->slot and the bad-block counts) ---- */

/**
 * md_member_failed() - the member has failed: the kernel's Faulty flag is
 * set.  "faulty" alone, "faulty,in_sync" (Faulty set before In_sync was
 * cleared, or on a level that keeps it) and "faulty,blocked" (failed, the
 * failure not yet written to the superblocks) are all failed; so is the
 * original the kernel retired after a finished replacement
 * ("faulty,write_error,want_replacement").  Not failed: "faulty" printed
 * only because of unacknowledged bad blocks (md_member_bb_unacked()).
 */
bool md_member_failed(const struct md_member *m);
/** md_flags_failed() - md_member_failed() over dev-X/state bits alone (a state just read back). */
bool md_flags_failed(unsigned flags);
/**
 * md_member_bb_unacked() - bad blocks recorded but not yet acknowledged in
 * the superblock.  The kernel then prints "faulty" and "blocked" on a
 * member that is not Faulty, which shows as in_sync or spare next to them
 * (a Faulty member prints neither together with blocked), e.g.
 * "faulty,in_sync,blocked,write_error,want_replacement"; or the
 * unacknowledged_bad_blocks list is non-empty on a member that has not failed.
 * Transient: it settles within a superblock write.
 */
bool md_member_bb_unacked(const struct md_member *m);
/**
 * md_member_blocked() - "blocked": the kernel holds writes to the member
 * until a pending action completes (the failure recorded in the
 * superblocks, or bad blocks acknowledged).  Transient.
 */
bool md_member_blocked(const struct md_member *m);
/**
 * md_member_unsettled() - blocked (and not failed: a failed member is
 * blocked until the kernel has recorded its failure, which changes no
 * judgement) or with unacknowledged bad blocks: the kernel has an action
 * pending on the member, so a judgement made now (an event, a choice) may
 * be overtaken within moments; the monitor reads again before deciding.
 */
bool md_member_unsettled(const struct md_member *m);
/**
 * md_member_spare() - a working spare: no slot, not failed, not the journal.
 * ("spare" in dev-X/state also covers recovering members and replacements,
 * which have a slot; md_member_rebuilding() and md_member_replacing() name those.)
 */
bool md_member_spare(const struct md_member *m);
/**
 * md_member_active() - holds its slot's data: in a slot, in_sync, not
 * failed, not the journal, not a replacement (a finished replacement
 * drops the flag when it takes the slot over).  Marked members
 * (want_replacement, write_error) are active.
 */
bool md_member_active(const struct md_member *m);
/**
 * md_member_rebuilding() - being written in its slot: in a slot, not
 * in_sync, not failed, not the journal.  Covers ordinary recovery and
 * replacements ("spare,replacement" with a slot).
 */
bool md_member_rebuilding(const struct md_member *m);
/** md_member_replacing() - a replacement that has not failed ("replacement" flag, any sync state). */
bool md_member_replacing(const struct md_member *m);
/** md_member_marked() - an active member marked want_replacement (by a user or by the kernel after write errors). */
bool md_member_marked(const struct md_member *m);
/**
 * md_member_healthy() - an active member not marked for replacement:
 * one a replacement copy or a rebuild can lean on.
 */
bool md_member_healthy(const struct md_member *m);

/**
 * md_slot_member() - the member of slot that has not failed: its primary
 * (replacement false) or the replacement paired with it (true); NULL when none.
 */
const struct md_member *md_slot_member(const struct md_array *a, int slot, bool replacement);
/** md_array_spares() - number of working spares (md_member_spare()). */
int md_array_spares(const struct md_array *a);

/* ---- array predicates ---- */

/**
 * md_array_running() - a personality is attached: array_state is clean,
 * active, active-idle, write-pending, readonly, read-auto, broken or
 * suspended; not clear, inactive or absent.
 */
bool md_array_running(const struct md_array *a);
/** md_state_running() - md_array_running() of an array_state value just read. */
bool md_state_running(const char *array_state);
/**
 * md_array_writable() - running and able to run recovery: not readonly,
 * not broken (MD_BROKEN: too many members lost), not suspended.  read-auto
 * counts: it turns read-write at the first write.
 */
bool md_array_writable(const struct md_array *a);
/** md_array_level() - md_level_number() of the array's md/level. */
int md_array_level(const struct md_array *a);

/* What a member is doing, in words a person and a script can both rely on. */
enum md_role {
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
enum md_sync {
	MDS_NONE,
	MDS_RESYNC,
	MDS_RECOVER,
	MDS_REPLACE,   /* recovery whose only purpose is copying to replacements */
	MDS_RESHAPE,
	MDS_CHECK,
	MDS_REPAIR,
};

/* --detail --test exit statuses, as mdadm. */
enum md_health {
	MDH_OK = 0,
	MDH_DEGRADED = 1,
	MDH_UNUSABLE = 2,
};

struct md_counts {
	unsigned active;     /* in sync in a slot (the kernel's active_disks) */
	unsigned working;    /* not failed */
	unsigned failed;
	unsigned spare;      /* working - active: spares, rebuilding members and replacements */
	unsigned rebuilding; /* rebuilding members and replacements */
	unsigned replacements;
};

/** md_member_role() - the member's role within array a (from the predicates above). */
enum md_role md_member_role(const struct md_array *a, const struct md_member *m);
/** md_role_word() - "active", "want_replacement", "replacing", "replacement",
 * "rebuilding", "spare", "faulty", "journal". */
const char *md_role_word(enum md_role r);
/** md_array_count() - the Active/Working/Failed/Spare counts mdadm prints. */
void md_array_count(const struct md_array *a, struct md_counts *c);
/** md_slot_active() - slot s has a member that is in sync and not failed (md_member_active). */
bool md_slot_active(const struct md_array *a, int s);
/** md_array_missing() - slots without an active member (sysfs degraded when present). */
int md_array_missing(const struct md_array *a);
/** md_array_slots_missing() - slots without an active member, from the members' states alone. */
int md_array_slots_missing(const struct md_array *a);
/** md_array_enough() - md_level_enough() over the slots that have an active member. */
bool md_array_enough(const struct md_array *a);
/**
 * md_array_redundancy() - failures the array can still take (0: one more
 * loses data): md_level_tolerates() less the missing slots; -1 for levels
 * without redundancy.
 */
int md_array_redundancy(const struct md_array *a);
/** md_array_health() - MDH_OK, MDH_DEGRADED (any slot missing) or MDH_UNUSABLE
 * (not enough members, or not started). */
enum md_health md_array_health(const struct md_array *a);
/** md_health_word() - "ok", "degraded", "unusable". */
const char *md_health_word(enum md_health h);
/**
 * md_sync_kind() - from sync_action: resync, reshape, check, repair; for
 * "recover" a replacement copy (only replacements being written), a
 * recovery (some ordinary rebuild), or nothing when no member is being
 * written (the kernel shows "recover" for a moment when recovery is
 * needed but impossible); "idle", "frozen" and absent are none.
 */
enum md_sync md_sync_kind(const struct md_array *a);
/** md_sync_word() - "resync", "recover", "replace", "reshape", "check", "repair", "idle". */
const char *md_sync_word(enum md_sync s);
/** md_sync_percent() - sync_completed as a percentage, -1 when not running. */
double md_sync_percent(const struct md_array *a);
/** md_copied_percent() - how much of a replacement or rebuilding member is written,
 * from sync_completed while recovery runs, else from its recovery_start; -1 unknown. */
double md_copied_percent(const struct md_array *a, const struct md_member *m);
/**
 * md_array_state_text() - mdadm's State line: "clean" or "active", then
 * ", degraded" or ", FAILED", then ", recovering"/", replacing"/
 * ", resyncing"/... (" (PENDING)" when it has not started).
 */
void md_array_state_text(const struct md_array *a, char *buf, size_t len);

#endif
