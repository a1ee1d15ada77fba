// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_verify.c: before the monitor gives a spare to a member the kernel marked after write errors, its stale stripes are found and rebuilt from redundancy (verify.c). */
#include "monitor_run.h"
#include "util.h"
#include "verify.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

/*
 * Synchronous on purpose: the spare must not be paired (and start copying)
 * before the stale stripes are recorded.  The pass waits for md's check,
 * which reads the array once (plus a little per stale range); other arrays'
 * events wait that long.  Done once per member and array (the outcome is
 * kept under the state directory, where --detail reads it too).
 */
void mon_verify_before_spare(struct monitor *mon, const char *md, const char *member)
{
	struct verify_report rep;
	struct verify_status st;
	struct mon_event e;
	char state[128] = "", uuid[40] = "", ranges[96];
	unsigned flags;
	int rc;

	/* the member's state now (the spare is about to go to it): only that is read */
	if (!member[0] || sysfs_dev_read(mon->ctx->sysfs_root, md, member, "state", state, sizeof(state)))
		return;
	flags = md_parse_dev_state(state);
	if (!(flags & MDM_WRITE_ERROR) || (flags & MDM_REPLACEMENT) ||
	    sysfs_md_read(mon->ctx->sysfs_root, md, "uuid", uuid, sizeof(uuid)) ||
	    !verify_status_get(mon->state_dir, uuid, member, &st))
		return;
	if (mon->o.dry_run) {
		mon_say(mon, LOG_INFO, "dry-run: would compare the stripes of %s in %s with redundancy "
			"before giving it a spare", member, md);
		return;
	}
	mon_say(mon, LOG_INFO, "%s: %s saw write errors: comparing its stripes with redundancy "
		"before giving it a spare", md, member);
	/* minutes of reading, not a moment: the grace periods go back to normal meanwhile */
	mdops_rcu_unexpedite(&mon->rcu);
	rc = verify_run(mon->ctx->sysfs_root, mon->state_dir, md, &rep);
	if (rc) {
		mon_say(mon, LOG_ERR, "%s: cannot compare the stripes of %s with redundancy: %s", md,
			member, strerror(-rc));
		return;
	}
	if (!rep.nranges) {
		mon_say(mon, LOG_INFO, "%s: every stripe of %s agrees with redundancy", md, member);
		verify_report_free(&rep);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.type = MEV_STALE_BLOCKS;
	e.percent = -1;
	e.time = time(NULL);
	e.count = rep.nranges;
	copy_str(e.array, sizeof(e.array), md);
	copy_str(e.member, sizeof(e.member), member);
	verify_format_ranges(rep.ranges, rep.nranges, 4, ranges, sizeof(ranges));
	if (rep.attr == VERIFY_ATTR_OK && !rep.record_rc)
		snprintf(e.detail, sizeof(e.detail), "%zu ranges (%llu sectors) disagreed with "
			 "redundancy: recorded as bad blocks, rebuilt from redundancy (%s)",
			 rep.nranges, (unsigned long long)rep.sectors, ranges);
	else
		snprintf(e.detail, sizeof(e.detail), "%zu ranges (%llu sectors) disagree with "
			 "redundancy and were not all recorded (%s): a copy may carry them (%s)",
			 rep.nranges, (unsigned long long)rep.sectors,
			 rep.record_rc ? strerror(-rep.record_rc) : verify_attr_why(rep.attr), ranges);
	mon_deliver(mon, &e);
	verify_report_free(&rep);
}
