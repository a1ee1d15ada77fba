/* SPDX-License-Identifier: GPL-2.0-or-later */
/* replace_lib.h: hot-replace decisions over an array snapshot: what may be replaced, by what, and how far it got. */
#ifndef MDCTL_REPLACE_LIB_H
#define MDCTL_REPLACE_LIB_H

#include <stdbool.h>
#include <stddef.h>

struct md_array;
struct md_member;

/**
 * replace_check_array() - may members of array a be replaced at all?
 * Refused: not running, no redundancy (raid0, linear), a level the kernel
 * cannot replace on, external metadata, a reshape in progress.
 * Return 0, or -errno with the cause in why ("has no redundancy to keep
 * while replacing").
 */
int replace_check_array(const struct md_array *a, char *why, size_t len);

/**
 * replace_check_old() - may member m be replaced?  It must be an active,
 * in-sync member that is not itself a replacement, and its slot must not
 * already have a replacement paired.  Return 0 or -errno with why.
 */
int replace_check_old(const struct md_array *a, const struct md_member *m, char *why, size_t len);

/**
 * replace_check_new() - may member m (already in the array) become a
 * replacement?  Only a healthy spare may.  Return 0 or -errno with why.
 */
int replace_check_new(const struct md_array *a, const struct md_member *m, char *why, size_t len);

/**
 * replace_peers() - how many other healthy members (in sync, not marked,
 * not replacements) hold copies of, or parity for, m's data: the whole
 * array for raid1/4/5/6, m's mirror set for raid10 "near" layouts.
 */
int replace_peers(const struct md_array *a, const struct md_member *m);

/**
 * replace_pick_marked() - among members marked want_replacement that may
 * be replaced (replace_check_old()) and are not in skip (a bool per member
 * index, may be NULL), the one with the least redundancy left: fewest
 * healthy peers; then one with write_error; then most bad sectors; then
 * most corrected read errors; then the lowest slot.
 * Return its index in a->members, or -ENOENT when none is marked.
 */
int replace_pick_marked(const struct md_array *a, const bool *skip);

/* Where one replacement stands. */
enum replace_phase {
	REPLACE_MARKED,     /* original marked, no replacement paired yet */
	REPLACE_COPYING,    /* replacement paired and being written */
	REPLACE_RECOVERING, /* the original failed; the new disk finishes as a plain recovery */
	REPLACE_DONE,       /* the slot is held by the new disk, in sync */
	REPLACE_FAILED,     /* the new disk failed or vanished, or the original failed with none paired */
	REPLACE_CANCELLED,  /* the mark was cleared with nothing paired */
};

/*
 * struct replace_watch - one replacement followed across snapshots.
 * new_kname may start empty (mark only): replace_eval() fills it in when
 * the kernel pairs a spare.
 */
struct replace_watch {
	int slot;
	char old_kname[32];
	char new_kname[32];
};

/** replace_eval() - the phase of w in snapshot a (learns w->new_kname). */
enum replace_phase replace_eval(const struct md_array *a, struct replace_watch *w);
/** replace_phase_name() - "marked", "copying", "recovering", "done", "failed", "cancelled". */
const char *replace_phase_name(enum replace_phase p);

#endif
