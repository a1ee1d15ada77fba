/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdops.h: the kernel operations every command shares: make, name, bind, start, stop, freeze, fail, remove, add a spare, write a superblock with undo. */
#ifndef MDCTL_MDOPS_H
#define MDCTL_MDOPS_H

#include "blkdev.h"
#include "mdsb.h"
#include "super1.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct md_array;

/*
 * Every function here returns 0 or -errno and never prints: the command
 * that called it names the object in its message.  sysfs_root and dev_root
 * are "/sys" and "/dev" normally, a temporary tree in unit tests.
 * "md" is a kernel name ("md0"), "member" a member's ("sdb", "loop3").
 */

/* ---- the array device and its name ---- */

/** mdops_md_exists() - true when <sysfs_root>/block/<md>/md exists. */
bool mdops_md_exists(const char *sysfs_root, const char *md);

/**
 * mdops_md_create() - make the md device exist: write md to
 * module/md_mod/parameters/new_array when block/<md> is absent (-EEXIST
 * from a concurrent creator is fine), then mknod <dev_root>/<md> from
 * block/<md>/dev if the node is missing.  *created (may be NULL) tells
 * whether this call made the array.  -EEXIST when <dev_root>/<md> is
 * something else.
 */
int mdops_md_create(const char *sysfs_root, const char *dev_root, const char *md, bool *created);

/**
 * mdops_free_md() - the highest free mdN at or below 127 (mdadm's choice
 * for arrays without a number), skipping numbers set in taken[256] (may be
 * NULL).  Return N or -ENOSPC.
 */
int mdops_free_md(const char *sysfs_root, const bool *taken);

/**
 * mdops_array_name() - the md kernel name, and the /dev/md/ link name ("" for
 * none), for an array.  devname (the command line's or an ARRAY line's)
 * may be "/dev/mdN", "mdN", "/dev/md/N" or "/dev/md/NAME" (an existing link
 * is followed; otherwise a free number is chosen and link gets NAME).
 * With devname NULL, name (the name part of the superblock's set_name)
 * decides: digits N give mdN when free, anything else /dev/md/NAME on a
 * free number from 127 down.  taken[256] (may be NULL) marks numbers
 * chosen earlier in this run and is updated.  -EINVAL when devname is no
 * md device name, -ENOSPC when no number is free.
 */
int mdops_array_name(const char *sysfs_root, const char *dev_root, const char *devname,
		     const char *name, bool *taken, char kname[32], char link[64]);

/**
 * mdops_link() - <dev_root>/md/<link> -> ../<md>, as udev makes it.  A link
 * that points elsewhere (a stale one from an array that is gone) is
 * replaced.  An empty link does nothing.
 */
int mdops_link(const char *dev_root, const char *link, const char *md);

/* ---- assembling and starting ---- */

/** mdops_set_metadata() - md/metadata_version "1.<minor>": the first step of a native assembly. */
int mdops_set_metadata(const char *sysfs_root, const char *md, int minor);

/** mdops_bind() - md/new_dev "MAJ:MIN": the kernel reads the member's superblock and binds it. */
int mdops_bind(const char *sysfs_root, const char *md, unsigned major, unsigned minor);

/**
 * mdops_start() - md/array_state "active" (or "readonly").  With md_mod's
 * start_ro=1 a started array is read-auto; unless readonly was asked it is
 * made writable at once.
 */
int mdops_start(const char *sysfs_root, const char *md, bool readonly);

/**
 * mdops_stop() - md/array_state "clear": stop the array and release its
 * members.  -EBUSY while anything holds it open.  An array already gone
 * counts as stopped.
 */
int mdops_stop(const char *sysfs_root, const char *md);

/**
 * mdops_stop_inactive() - stop md only when it is inactive (attached but not
 * started: an --incremental still waiting, or a failed assembly), so that its
 * members can be assembled again.  -EBUSY when it runs; 0 when it is absent.
 */
int mdops_stop_inactive(const char *sysfs_root, const char *md);

/* ---- recovery ---- */

/**
 * mdops_freeze() - md/sync_action "frozen", so the kernel pairs and copies
 * nothing while a command sets up members.  *froze tells whether this call
 * froze it (then mdops_unfreeze() thaws it).  Return 0, 1 when it was
 * already frozen by someone else (left so), -EBUSY while a resync, check or
 * reshape runs.
 */
int mdops_freeze(const char *sysfs_root, const char *md, bool *froze);

/** mdops_unfreeze() - md/sync_action "idle" when *froze; clears *froze. */
int mdops_unfreeze(const char *sysfs_root, const char *md, bool *froze);

/**
 * mdops_sync_action() - md/sync_action ACTION: "check" or "repair" (a pass
 * over the whole array at md's own pace; -EBUSY while other work runs),
 * "idle" (interrupt it), "frozen" (start nothing), "resync" (thaw a frozen
 * array: md goes on with what it needs, e.g. an interrupted resync from its
 * checkpoint).  -EINVAL for any other word.
 */
int mdops_sync_action(const char *sysfs_root, const char *md, const char *action);
/** mdops_sync_action_word() - whether mdops_sync_action() takes this word. */
bool mdops_sync_action_word(const char *action);

/* ---- members ---- */

/** mdops_fail() - dev-<member>/state "faulty" (-EBUSY: the kernel keeps the last copy of data). */
int mdops_fail(const char *sysfs_root, const char *md, const char *member);

/** mdops_mark() - dev-<member>/state "want_replacement" (or "-want_replacement" when !on). */
int mdops_mark(const char *sysfs_root, const char *md, const char *member, bool on);

/**
 * mdops_pair() - dev-<member>/slot N for a spare: the kernel makes it the
 * replacement of the marked member in slot N (recovery frozen meanwhile).
 */
int mdops_pair(const char *sysfs_root, const char *md, const char *member, int slot);

/**
 * mdops_remove() - dev-<member>/state "remove", retrying -EBUSY (the kernel
 * removes a member only when no I/O is pending and no sync thread runs) for
 * up to timeout_ms.
 */
int mdops_remove(const char *sysfs_root, const char *md, const char *member, int timeout_ms);

/**
 * mdops_fail_remove() - take a member out whatever its state: fail it when
 * the kernel gave it a slot (paired as a replacement, or recovering), then
 * remove it with mdops_remove().  A member already gone (-ENOENT) is out.
 */
int mdops_fail_remove(const char *sysfs_root, const char *md, const char *member, int timeout_ms);

/* ---- the kernel's RCU grace periods, around a member's removal ---- */

/*
 * md's removal of a member from an array (the unbind, and the md thread's
 * taking a failed member out of its slot) waits for an RCU grace period:
 * 12 to 30 ms in the test VM, about 1.5 ms with <sysfs_root>/kernel/
 * rcu_expedited set.  The monitor sets it while it gives an array a spare.
 * The marker, run_dir/rcu-expedited (run_dir is safe_run_dir(), a
 * temporary directory in unit tests), holds "<boot id> <pid>" while this
 * process has the knob set, and is empty otherwise, so that a process
 * killed in between is undone by the next one.  Both files stay open from
 * mdops_rcu_open() to mdops_rcu_close(): setting the knob is three system
 * calls at the moment it matters.
 */
#define MDOPS_RCU_MARKER "rcu-expedited"

struct mdops_rcu {
	int knob;               /* kernel/rcu_expedited, read-write; -1: none */
	int marker;             /* run_dir/rcu-expedited; -1: none */
	char mark[96];          /* what the marker holds while the knob is set */
	bool open;              /* both open (a zeroed struct is closed) */
	bool set;               /* this process set the knob */
};

/**
 * mdops_rcu_open() - open the knob and the marker (made when missing).  A
 * marker a process of this boot left, one that no longer runs, while the
 * knob still reads 1, is undone first (knob 0, *restored true); another
 * boot's is emptied (the reboot reset the knob; a 1 now is someone's
 * choice); a running process's is left to it.  Without the knob or a
 * usable run directory r stays closed and mdops_rcu_expedite() does
 * nothing.  Return: 0, or -errno when a stale 1 could not be written back.
 */
int mdops_rcu_open(struct mdops_rcu *r, const char *sysfs_root, const char *run_dir,
		   bool *restored);

/**
 * mdops_rcu_expedite() - set the knob to 1 when it reads 0, after writing
 * the marker.  True when set (mdops_rcu_unexpedite() after); false when
 * left alone: it reads non-zero already (an admin's or a boot parameter's
 * choice, or another process's), r is closed, a write failed.  Never an
 * error: the removals only take longer.
 */
bool mdops_rcu_expedite(struct mdops_rcu *r);

/** mdops_rcu_unexpedite() - after a true mdops_rcu_expedite(): the knob back to 0 when it reads 1, the marker emptied. */
void mdops_rcu_unexpedite(struct mdops_rcu *r);

/** mdops_rcu_close() - mdops_rcu_unexpedite() when set, then close both files. */
void mdops_rcu_close(struct mdops_rcu *r);

/* ---- superblock writes that can be taken back ---- */

/* The superblock, its bad-block log, and the other md superblock places (mdsb.h). */
#define MDOPS_SB_REGIONS (2 + MDSB_NVERSIONS)

/*
 * struct mdops_sb_save - what a superblock write replaces on one device: the
 * 4 KiB at the superblock, the bad-block log that a new superblock empties,
 * and every other md superblock (0.90, 1.0, 1.1, 1.2) the write erases.
 */
struct mdops_sb_save {
	int n;
	int first_erase;          /* regions first_erase..n-1 are old superblocks to erase */
	bool written;             /* the device may hold the new superblock */
	dev_t rdev;               /* the device saved from: the only one ever written back */
	uint64_t at[MDOPS_SB_REGIONS];   /* byte offsets */
	size_t len[MDOPS_SB_REGIONS];
	enum mdsb_version ver[MDOPS_SB_REGIONS];   /* erased regions: which superblock */
	unsigned char buf[MDOPS_SB_REGIONS][SB1_READ_SIZE];
	/* one larger area written beside the superblock (create's bitmap), NULL when none */
	unsigned char *area;
	uint64_t area_at;         /* bytes */
	size_t area_len;
};

/**
 * mdops_sb_save() - start a new save (sv zeroed or released before): read
 * what writing the superblock described by s (its
 * super_offset, bblog_offset, bblog_size) would replace on fd, below the
 * page cache as the kernel writes it; and find every other md superblock on
 * fd (any location holding the md magic, valid or damaged, clear of the
 * new superblock and its log), saved too, for mdops_sb_write() to erase.
 */
int mdops_sb_save(int fd, const struct sb1_info *s, struct mdops_sb_save *sv);

/**
 * mdops_sb_save_area() - after mdops_sb_save() on fd, save len bytes at
 * byte offset at too (the write-intent bitmap create writes beside the
 * superblock), read below the page cache; mdops_sb_restore() then puts
 * them back with the rest.  One area per save.  Return 0, -EEXIST when sv
 * already holds one, -EINVAL before mdops_sb_save(), -ENOMEM, a read error.
 * mdops_sb_save_release() frees it.
 */
int mdops_sb_save_area(int fd, struct mdops_sb_save *sv, uint64_t at, size_t len);

/** mdops_sb_save_release() - free the area of mdops_sb_save_area(), if any. */
void mdops_sb_save_release(struct mdops_sb_save *sv);

/**
 * mdops_sb_write() - erase the old superblocks mdops_sb_save() found, then
 * sb1_write_new() and fsync, after mdops_sb_save() on the same device.
 * sv->written is set before the first write so that a failure half way is
 * put back by mdops_sb_restore() too.
 */
int mdops_sb_write(int fd, struct sb1_dev *d, struct mdops_sb_save *sv);
/** mdops_sb_write_spare() - mdops_sb_write() with sb1_write_spare_over() for the superblock. */
int mdops_sb_write_spare(int fd, struct sb1_dev *d, struct mdops_sb_save *sv);

/**
 * mdops_sb_rewrite() - sb1_write() (the superblock on the device must still
 * be the one read into d: same array, device UUID, dev_number and events)
 * with the bytes it replaces saved in sv first, for a change to a member's
 * existing superblock (--assemble --force).  A sv already holding a save
 * keeps it: the bytes from before the first change are the ones put back.
 */
int mdops_sb_rewrite(int fd, struct sb1_dev *d, struct mdops_sb_save *sv);

/**
 * mdops_sb_restore() - write the saved bytes back and fsync; clears
 * sv->written.  Return 0, 1 when the device already held the saved bytes
 * (the write never reached it: nothing written), or -errno.
 */
int mdops_sb_restore(int fd, struct mdops_sb_save *sv);

/**
 * mdops_sb_restore_path() - mdops_sb_restore() on path opened O_EXCL,
 * waiting up to about 2 s while the kernel still holds it (a stopped
 * array releases its members a little later).  -ESTALE when path no longer
 * leads to the device the bytes were saved from: nothing is written then.
 * 1 as for mdops_sb_restore().
 */
int mdops_sb_restore_path(const char *path, struct mdops_sb_save *sv);

/* ---- a spare added to a running array ---- */

/*
 * struct md_spare_undo - what md_add_spare() changed, so that a command
 * that fails later can put the disk back as it was.
 */
struct md_spare_undo {
	char path[PATH_MAX];        /* the disk as named by the user */
	char kname[32];             /* its kernel name, "" until known */
	bool added;                 /* bound to the array */
	struct mdops_sb_save save;  /* save.written: the superblock may be on the disk */
	char why[128];              /* why the second look refused the disk (-ESTALE, -EEXIST) */
	bool wrote;                 /* a superblock write was started */
	bool bound;                 /* ADD_NEW_DISK took it */
	bool unbound;               /* ... and the undo took it out again */
	bool restored;              /* the undo wrote the saved bytes back */
};

/**
 * md_add_spare() - make path a spare of the running array a: write a
 * superblock modelled on an in-sync member's (same array UUID, geometry,
 * data offset and bad-block log; a fresh device UUID; an unused device
 * number with the spare role), then bind it with ADD_NEW_DISK and check
 * that md/dev-<kname> appeared and is not faulty.  The caller has already
 * run blkdev_check_new_member() on path, which gave checked (with flags);
 * right before the write blkdev_recheck() looks again on the descriptor
 * written (-ESTALE or -EEXIST, undo->why says why).  undo (not NULL)
 * records what was done for md_spare_undo(); its kname gets the new
 * member's name.  On failure everything done is taken back, and
 * md_spare_undo_text() says what that was.
 * Return 0 or -errno (-ENOSPC too small, -EOPNOTSUPP clustered or
 * non-1.x metadata, -EEXIST no free device number).
 */
int md_add_spare(const char *sysfs_root, const char *dev_root, const struct md_array *a,
		 const char *path, const struct blkdev_id *checked, unsigned flags,
		 struct md_spare_undo *undo);

/*
 * struct md_spare_prep - what md_add_spare() learns of the array before it
 * touches the disk: an in-sync member's superblock as the model and a free
 * device number.  Neither depends on the disk, so a caller with a disk to
 * free first (the monitor taking a spare from a sibling array) gathers it
 * before, and the disk is written and bound right after it is free.
 */
struct md_spare_prep {
	struct sb1_dev *model;      /* malloc'd; md_spare_prep_free() */
	uint32_t number;
	/*
	 * borrowed, NULL when none: what the disk held where its superblock
	 * goes, read (md_spare_survey()) while it was still another array's
	 * spare; taken as the save when it is still the same device and the
	 * places match, so that no read comes between its release and its write
	 */
	const struct mdops_sb_save *survey;
	/*
	 * the array takes the spare into a slot at once (the monitor's spare
	 * for a failed or marked member): its superblock is written as
	 * sb1_write_spare_over() writes it, the kernel's own write flushing it
	 */
	bool at_once;
};

/**
 * md_spare_prepare() - the model and a free device number of the running
 * array a, as md_add_spare() would find them.  Return 0 or -errno (as
 * md_add_spare()); on error nothing is held.
 */
int md_spare_prepare(const char *sysfs_root, const char *dev_root, const struct md_array *a,
		     struct md_spare_prep *prep);

/**
 * md_spare_prepare_from() - md_spare_prepare() with a copy of model (an
 * in-sync member's superblock read earlier; NULL: read now) instead of a
 * fresh read.  Only the device number is asked of the kernel.  A model
 * some events old gives the same spare superblock but for its event count,
 * which the kernel does not judge for a spare and rewrites at once.
 */
int md_spare_prepare_from(const char *sysfs_root, const char *dev_root, const struct md_array *a,
			  const struct sb1_dev *model, struct md_spare_prep *prep);

/**
 * md_spare_survey() - what writing a spare superblock on path would
 * replace, saved as mdops_sb_save() saves it, read through a read-only
 * descriptor while the disk still belongs to an array (the places of its
 * own superblock of metadata minor @minor, -1 any).  Nothing is written.
 * The bytes may age while the array updates the disk's superblock: they
 * serve only to take a failed move back, after which the disk is given
 * back to its array with a superblock written anew.
 */
int md_spare_survey(const char *path, int minor, struct mdops_sb_save *sv);

/** md_spare_prep_free() - release what md_spare_prepare() holds. */
void md_spare_prep_free(struct md_spare_prep *prep);

/**
 * md_add_spare_prepared() - md_add_spare() with the model and number of
 * prep, gathered by md_spare_prepare() on the same array while its lock
 * was held.  A number taken meanwhile by someone not holding the lock
 * makes ADD_NEW_DISK fail (-EBUSY), and the write is undone.
 */
int md_add_spare_prepared(const char *sysfs_root, const char *dev_root, const struct md_array *a,
			  const char *path, const struct blkdev_id *checked, unsigned flags,
			  const struct md_spare_prep *prep, struct md_spare_undo *undo);

/**
 * md_spare_undo() - take back an md_add_spare(): fail and remove the member
 * (mdops_fail_remove(), up to about 5 s), and write back the bytes the
 * superblock overwrote.  Return 0 or the first -errno met.
 */
int md_spare_undo(const char *sysfs_root, const char *md, struct md_spare_undo *undo);

/**
 * md_spare_undo_text() - what a failed md_add_spare() left, for the
 * message: "nothing was written", "undone: ...", or "could not be undone:
 * ..." naming what may remain.
 */
void md_spare_undo_text(const struct md_spare_undo *undo, char *buf, size_t len);

/* ---- one writer per array ---- */

/*
 * Two mdctl processes must never interleave their sysfs sequences on one
 * array (a --replace pairing while the monitor moves a spare in, two
 * --replace runs): each takes <run dir>/<md>.lock (flock; MDCTL_RUN_DIR or
 * /run/mdctl) around its sequence, never around a wait for the copy.  The
 * holder's pid is written into the file for the others' messages.
 */

/**
 * mdops_lock() - take array md's lock, waiting up to wait_ms for another
 * holder (0: try once).  *holder (may be NULL) gets the holder's pid when
 * the lock stays taken, 0 when unknown.
 * Return: the lock's fd (>= 0), -EWOULDBLOCK when another process still
 * holds it, other -errno.
 */
int mdops_lock(const char *md, int wait_ms, pid_t *holder);

/** mdops_unlock() - release a lock from mdops_lock() (*fd < 0: nothing); *fd becomes -1. */
void mdops_unlock(int *fd);

/* ---- a former member back in its slot ---- */

/* struct md_readd_info - what md_readd() found and did. */
struct md_readd_info {
	int slot;                   /* the slot its superblock records, -1 unknown */
	uint64_t events;            /* its superblock's event count */
	uint64_t array_events;      /* an in-sync member's */
	char kname[32];             /* its kernel name once bound */
};

/**
 * md_readd() - put path, a former member of the running array a, back
 * into the slot its own superblock records.  path must still be the
 * device checked (blkdev_check_new_member()'s id; -ESTALE otherwise, and
 * a block device, -ENOTBLK, unless flags has BLKDEV_FILE_OK): its
 * superblock is read from that open device and the kernel is given that
 * device's number, never what the name leads to later.  ADD_NEW_DISK marked in
 * sync: the kernel accepts it when its events are recent enough (with a
 * write-intent bitmap: not older than the bitmap's last clear, and then
 * it recovers only the chunks the bitmap marks; without one: no change
 * since it left) and recovers it in that slot.  Nothing is written to the
 * device.  Return 0 (out->kname bound, not faulty), -ENOENT no readable
 * superblock, -EXDEV another array's, -EDOM it held no slot (spare,
 * faulty, an unfinished replacement), -EBUSY its slot is taken, -EUCLEAN it is newer than the array,
 * -EINVAL the kernel refused it as too old, or another -errno.
 */
int md_readd(const char *sysfs_root, const char *dev_root, const struct md_array *a,
	     const char *path, const struct blkdev_id *checked, unsigned flags,
	     struct md_readd_info *out);

/* ---- an interrupted replacement back in its slot ---- */

/* struct md_resume_info - what md_resume_replacement() found and did. */
struct md_resume_info {
	int slot;                   /* the slot its superblock makes it the replacement of, -1 unknown */
	uint64_t offset;            /* sectors copied before it stopped: where the copy resumes */
	uint64_t events;            /* its superblock's event count */
	uint64_t array_events;      /* an in-sync member's */
	char old_kname[32];         /* the slot's member, which it replaces */
	char kname[32];             /* its kernel name once bound */
};

/**
 * md_resume_replacement() - put path, a replacement whose copy was cut off
 * (its own superblock gives it the replacement role of a slot of the
 * running array a, and the sectors already copied), back as that slot's
 * replacement, so that md copies on from there rather than from the start.
 * Checked first, with nothing written: a 1.x superblock (-ENOENT) read
 * from the device path still names (-ENODEV otherwise), the same
 * array UUID (-EXDEV), a replacement of one of a's slots (-EDOM), that slot
 * held by an active member with no replacement paired, the array writable
 * and not reshaping (-EBUSY), and its event count and update time those of
 * a's in-sync members (-ESTALE: the array was updated without it, so what
 * it holds may be stale; -EUCLEAN: newer than the array).  Then, recovery
 * frozen: bound (new_dev), recovery_start set to the sectors copied, the
 * slot's member marked want_replacement, the device given the slot (the
 * kernel pairs it as the replacement), the result read back (-EIO: the
 * kernel did not take it so); recovery thawed.  A failure takes back what
 * was done.  Nothing is written to the device.  Return 0 or -errno.
 */
int md_resume_replacement(const char *sysfs_root, const char *dev_root, const struct md_array *a,
			  const char *path, struct md_resume_info *out);

#endif
