// SPDX-License-Identifier: GPL-2.0-or-later
/* mdstate.c: judgements over an md_array snapshot: member roles, health, sync kind and progress. */
#include "mdstate.h"
#include "blkdev.h"
#include "super1.h"
#include "sysfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mdstate_level_number(const char *level)
{
	char *end;
	long v;

	if (!level)
		return MDSTATE_LEVEL_UNKNOWN;
	if (!strcmp(level, "linear"))
		return -1;
	if (!strcmp(level, "multipath"))
		return -4;
	if (!strcmp(level, "faulty"))
		return -5;
	if (strncmp(level, "raid", 4))
		return MDSTATE_LEVEL_UNKNOWN;
	v = strtol(level + 4, &end, 10);
	if (end == level + 4 || *end || v < 0 || v > 10)
		return MDSTATE_LEVEL_UNKNOWN;
	return (int)v;
}

bool mdstate_member_failed(const struct md_member *m)
{
	/*
	 * The kernel shows "faulty" (and "blocked") for a member with
	 * unacknowledged bad blocks; a member that really failed has lost
	 * in_sync, so only that combination means failed.
	 */
	return (m->flags & MDM_FAULTY) && !(m->flags & MDM_IN_SYNC);
}

/* Whether another member of the same slot is that slot's replacement. */
static bool slot_has_replacement(const struct md_array *a, int slot)
{
	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];

		if (m->slot == slot && (m->flags & MDM_REPLACEMENT) && !mdstate_member_failed(m))
			return true;
	}
	return false;
}

enum mdstate_role mdstate_member_role(const struct md_array *a, const struct md_member *m)
{
	if (mdstate_member_failed(m))
		return MDR_FAULTY;
	if (m->flags & MDM_JOURNAL)
		return MDR_JOURNAL;
	if (m->slot < 0)
		return MDR_SPARE;
	if (m->flags & MDM_REPLACEMENT)
		return MDR_REPLACEMENT;
	if (!(m->flags & MDM_IN_SYNC))
		return MDR_REBUILDING;
	if (m->flags & MDM_WANT_REPLACEMENT)
		return slot_has_replacement(a, m->slot) ? MDR_REPLACING : MDR_WANT_REPLACEMENT;
	return MDR_ACTIVE;
}

const char *mdstate_role_word(enum mdstate_role r)
{
	switch (r) {
	case MDR_ACTIVE:
		return "active";
	case MDR_WANT_REPLACEMENT:
		return "want_replacement";
	case MDR_REPLACING:
		return "replacing";
	case MDR_REPLACEMENT:
		return "replacement";
	case MDR_REBUILDING:
		return "rebuilding";
	case MDR_SPARE:
		return "spare";
	case MDR_FAULTY:
		return "faulty";
	case MDR_JOURNAL:
		return "journal";
	}
	return "unknown";
}

void mdstate_count(const struct md_array *a, struct mdstate_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned i = 0; i < a->nmembers; i++) {
		enum mdstate_role r = mdstate_member_role(a, &a->members[i]);

		switch (r) {
		case MDR_FAULTY:
			c->failed++;
			continue;
		case MDR_ACTIVE:
		case MDR_WANT_REPLACEMENT:
		case MDR_REPLACING:
			c->active++;
			break;
		case MDR_REPLACEMENT:
			c->replacements++;
			c->rebuilding++;
			break;
		case MDR_REBUILDING:
			c->rebuilding++;
			break;
		case MDR_SPARE:
		case MDR_JOURNAL:
			break;
		}
		c->working++;
	}
	c->spare = c->working - c->active;
}

/* Slot s has a member that is in sync (a replacement does not count until it is done). */
static bool slot_in_sync(const struct md_array *a, int s)
{
	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];

		if (m->slot == s && (m->flags & MDM_IN_SYNC) && !mdstate_member_failed(m) &&
		    !(m->flags & MDM_REPLACEMENT))
			return true;
	}
	return false;
}

int mdstate_missing(const struct md_array *a)
{
	int missing = 0;

	if (a->degraded >= 0)
		return a->degraded;
	for (int s = 0; s < a->raid_disks; s++)
		if (!slot_in_sync(a, s))
			missing++;
	return missing;
}

bool md_level_enough(int level, uint32_t layout, uint32_t raid_disks, const bool *avail)
{
	uint32_t have = 0;

	if (!raid_disks)
		return false;
	for (uint32_t i = 0; i < raid_disks; i++)
		have += avail[i];
	switch (level) {
	case 1:
		return have >= 1;
	case 4:
	case 5:
		return have + 1 >= raid_disks;
	case 6:
		return have + 2 >= raid_disks;
	case 10: {
		/*
		 * raid10 keeps near*far copies of each chunk on consecutive
		 * slots, a new group starting every 'near' slots (wrapping),
		 * as the kernel counts it.  Every such group needs one device.
		 */
		uint32_t near = layout & 0xff, far = (layout >> 8) & 0xff;
		uint32_t copies = near * far, start = 0;

		if (!near || !far || copies > raid_disks)
			return have == raid_disks;
		do {
			uint32_t cnt = 0, s = start;

			for (uint32_t k = 0; k < copies; k++) {
				cnt += avail[s];
				s = (s + 1) % raid_disks;
			}
			if (!cnt)
				return false;
			start = (start + near) % raid_disks;
		} while (start != 0);
		return true;
	}
	default:
		/* raid0, linear and anything unknown need every slot */
		return have == raid_disks;
	}
}

bool mdstate_enough(const struct md_array *a)
{
	bool *avail;
	bool ok;

	if (a->raid_disks <= 0)
		return false;
	avail = calloc((size_t)a->raid_disks, sizeof(*avail));
	if (!avail)
		return false;
	for (int s = 0; s < a->raid_disks; s++)
		avail[s] = slot_in_sync(a, s);
	ok = md_level_enough(mdstate_level_number(a->level), (uint32_t)a->layout,
			     (uint32_t)a->raid_disks, avail);
	free(avail);
	return ok;
}

enum mdstate_health mdstate_health(const struct md_array *a)
{
	if (!md_array_running(a) || !mdstate_enough(a))
		return MDH_UNUSABLE;
	/*
	 * Any missing slot is degraded, whatever the level (mdadm's --test
	 * reports 0 for a RAID10 with missing members; that is its bug #26).
	 */
	if (mdstate_missing(a) > 0)
		return MDH_DEGRADED;
	for (int s = 0; s < a->raid_disks; s++)
		if (!slot_in_sync(a, s))
			return MDH_DEGRADED;
	return MDH_OK;
}

const char *mdstate_health_word(enum mdstate_health h)
{
	switch (h) {
	case MDH_OK:
		return "ok";
	case MDH_DEGRADED:
		return "degraded";
	case MDH_UNUSABLE:
		return "unusable";
	}
	return "unknown";
}

enum mdstate_sync mdstate_sync_kind(const struct md_array *a)
{
	const char *s = a->sync_action;

	if (!strcmp(s, "resync"))
		return MDS_RESYNC;
	if (!strcmp(s, "reshape"))
		return MDS_RESHAPE;
	if (!strcmp(s, "check"))
		return MDS_CHECK;
	if (!strcmp(s, "repair"))
		return MDS_REPAIR;
	if (!strcmp(s, "recover")) {
		bool repl = false, rebuild = false;

		for (unsigned i = 0; i < a->nmembers; i++) {
			enum mdstate_role r = mdstate_member_role(a, &a->members[i]);

			if (r == MDR_REPLACEMENT)
				repl = true;
			else if (r == MDR_REBUILDING)
				rebuild = true;
		}
		return repl && !rebuild ? MDS_REPLACE : MDS_RECOVER;
	}
	return MDS_NONE;
}

const char *mdstate_sync_word(enum mdstate_sync s)
{
	switch (s) {
	case MDS_NONE:
		return "idle";
	case MDS_RESYNC:
		return "resync";
	case MDS_RECOVER:
		return "recover";
	case MDS_REPLACE:
		return "replace";
	case MDS_RESHAPE:
		return "reshape";
	case MDS_CHECK:
		return "check";
	case MDS_REPAIR:
		return "repair";
	}
	return "unknown";
}

double mdstate_sync_percent(const struct md_array *a)
{
	if (a->sync_done == SYSFS_NONE || a->sync_total == SYSFS_NONE || !a->sync_total)
		return -1;
	if (a->sync_done >= a->sync_total)
		return 100.0;
	return 100.0 * (double)a->sync_done / (double)a->sync_total;
}

double mdstate_copied_percent(const struct md_array *a, const struct md_member *m)
{
	enum mdstate_sync k = mdstate_sync_kind(a);
	double pct;

	if (m->slot < 0)
		return -1;
	if (k == MDS_RECOVER || k == MDS_REPLACE) {
		pct = mdstate_sync_percent(a);
		if (pct >= 0)
			return pct;
	}
	/* Between passes the kernel's checkpoint is the member's recovery_start. */
	if (m->recovery_start != SYSFS_NONE && a->component_size)
		return 100.0 * (double)m->recovery_start / (double)(a->component_size * 2);
	return -1;
}

void mdstate_text(const struct md_array *a, char *buf, size_t len)
{
	static const char *const active_states[] = { "active", "write-pending", "active-idle" };
	const char *base = "clean", *sw = NULL;
	enum mdstate_sync k;
	size_t n;

	if (!md_array_running(a)) {
		snprintf(buf, len, "%s", a->array_state[0] ? a->array_state : "inactive");
		return;
	}
	for (size_t i = 0; i < sizeof(active_states) / sizeof(active_states[0]); i++)
		if (!strcmp(a->array_state, active_states[i]))
			base = "active";
	n = (size_t)snprintf(buf, len, "%s", base);
#define ADD(...) do { if (n < len) n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); } while (0)
	if (!mdstate_enough(a))
		ADD(", FAILED");
	else if (mdstate_missing(a) > 0)
		ADD(", degraded");
	k = mdstate_sync_kind(a);
	switch (k) {
	case MDS_NONE:
		break;
	case MDS_RESYNC:
		sw = "resyncing";
		break;
	case MDS_RECOVER:
		sw = "recovering";
		break;
	case MDS_REPLACE:
		sw = "replacing";
		break;
	case MDS_RESHAPE:
		sw = "reshaping";
		break;
	case MDS_CHECK:
		sw = "checking";
		break;
	case MDS_REPAIR:
		sw = "repairing";
		break;
	}
	if (sw) {
		ADD(", %s", sw);
		if (a->sync_done == SYSFS_NONE)
			ADD(" (PENDING)");
	}
	if (!strcmp(a->array_state, "readonly"))
		ADD(", read-only");
	else if (!strcmp(a->array_state, "read-auto"))
		ADD(", read-auto");
#undef ADD
}

int mdstate_member_sb(const char *path, int minor, struct sb1_dev *sd)
{
	int fd, rc;

	fd = blkdev_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	rc = sb1_load(fd, minor, sd);
	close(fd);
	return rc;
}
