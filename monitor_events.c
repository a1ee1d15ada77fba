// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_events.c: the monitor's events: names, priorities, derivation from two snapshots, and their delivery formats. */
#include "monitor.h"
#include "output.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static const struct {
	const char *name;
	int prio;
	bool mail;
} ev_table[MEV_NTYPES] = {
	[MEV_FAIL] = { "Fail", LOG_CRIT, true },
	[MEV_FAIL_SPARE] = { "FailSpare", LOG_CRIT, true },
	[MEV_SPARE_ACTIVE] = { "SpareActive", LOG_INFO, false },
	[MEV_DEGRADED_ARRAY] = { "DegradedArray", LOG_CRIT, true },
	[MEV_SPARES_MISSING] = { "SparesMissing", LOG_WARNING, true },
	[MEV_REBUILD_STARTED] = { "RebuildStarted", LOG_WARNING, false },
	[MEV_REBUILD_NN] = { "RebuildNN", LOG_WARNING, false },
	[MEV_REBUILD_FINISHED] = { "RebuildFinished", LOG_WARNING, false },
	[MEV_NEW_ARRAY] = { "NewArray", LOG_INFO, false },
	[MEV_DEVICE_DISAPPEARED] = { "DeviceDisappeared", LOG_CRIT, false },
	[MEV_MOVE_SPARE] = { "MoveSpare", LOG_INFO, false },
	[MEV_TEST_MESSAGE] = { "TestMessage", LOG_INFO, true },
	/* mdctl's own: a marked member and a stalled replacement need a person, so they mail */
	[MEV_WANT_REPLACEMENT] = { "WantReplacement", LOG_WARNING, true },
	[MEV_REPLACE_STARTED] = { "ReplaceStarted", LOG_INFO, false },
	[MEV_REPLACE_NN] = { "ReplaceNN", LOG_INFO, false },
	[MEV_REPLACE_FINISHED] = { "ReplaceFinished", LOG_INFO, true },
	[MEV_REPLACE_FAILED] = { "ReplaceFailed", LOG_CRIT, true },
	[MEV_REPLACE_STALLED] = { "ReplaceStalled", LOG_WARNING, true },
	[MEV_BAD_BLOCKS] = { "BadBlocks", LOG_WARNING, false },
	/* an alert that did not go out: logged and in EVENTLOG, not sent again the same way */
	[MEV_DELIVERY_FAILED] = { "DeliveryFailed", LOG_ERR, false },
	/* stale data found on a member: a person should know, so it mails */
	[MEV_STALE_BLOCKS] = { "StaleBlocks", LOG_WARNING, true },
};

const char *mon_event_type_name(enum mon_ev t)
{
	return (unsigned)t < MEV_NTYPES ? ev_table[t].name : "Unknown";
}

const char *mon_event_name(const struct mon_event *e, char *buf, size_t len)
{
	if (e->type == MEV_REBUILD_NN || e->type == MEV_REPLACE_NN) {
		snprintf(buf, len, "%s%02d", e->type == MEV_REBUILD_NN ? "Rebuild" : "Replace",
			 e->percent);
		return buf;
	}
	snprintf(buf, len, "%s", mon_event_type_name(e->type));
	return buf;
}

int mon_event_priority(enum mon_ev t)
{
	return (unsigned)t < MEV_NTYPES ? ev_table[t].prio : LOG_WARNING;
}

const char *mon_event_priority_name(enum mon_ev t)
{
	switch (mon_event_priority(t)) {
	case LOG_INFO:
		return "info";
	case LOG_CRIT:
		return "crit";
	case LOG_ERR:
		return "err";
	default:
		return "warning";
	}
}

bool mon_event_mails(enum mon_ev t)
{
	return (unsigned)t < MEV_NTYPES && ev_table[t].mail;
}

int mon_events_push(struct mon_events *l, const struct mon_event *e)
{
	return array_push(&l->v, &l->n, &l->cap, e, sizeof(*e));
}

void mon_events_free(struct mon_events *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* ---- snapshot helpers ---- */

static const struct md_member *find_member(const struct md_array *a, const char *kname)
{
	if (!a)
		return NULL;
	for (unsigned i = 0; i < a->nmembers; i++)
		if (!strcmp(a->members[i].kname, kname))
			return &a->members[i];
	return NULL;
}

/* ---- derivation ---- */

/* Whole percent of the running sync, -1 when none. */
static int sync_percent(const struct md_array *a)
{
	double p = md_sync_percent(a);

	return p < 0 ? -1 : (int)p;
}

bool mon_progress_same_step(const struct md_array *snap, const char *sync_completed,
			    unsigned increment)
{
	struct md_array now = { .sync_done = SYSFS_NONE, .sync_total = SYSFS_NONE };
	unsigned long long done, total;
	int inc = increment ? (int)increment : 20, was = sync_percent(snap);
	char extra;

	if (was < 0 || sscanf(sync_completed, "%llu / %llu%c", &done, &total, &extra) != 2 ||
	    total != snap->sync_total)
		return false;
	now.sync_done = done;
	now.sync_total = total;
	return sync_percent(&now) / inc == was / inc;
}

static int emit(struct mon_events *out, enum mon_ev t, const struct md_array *a,
		const char *member, const char *other, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int emit(struct mon_events *out, enum mon_ev t, const struct md_array *a,
		const char *member, const char *other, const char *fmt, ...)
{
	struct mon_event e;
	va_list ap;

	memset(&e, 0, sizeof(e));
	e.type = t;
	e.percent = -1;
	e.time = time(NULL);
	copy_str(e.array, sizeof(e.array), a->kname);
	copy_str(e.member, sizeof(e.member), member ? member : "");
	copy_str(e.other, sizeof(e.other), other ? other : "");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(e.detail, sizeof(e.detail), fmt, ap);
		va_end(ap);
	}
	return mon_events_push(out, &e);
}

static const char *marked_by(const struct md_member *m)
{
	return (m->flags & MDM_WRITE_ERROR) ? "marked by the kernel after write errors"
					    : "marked for replacement";
}

static int derive_first(const struct md_array *cur, const struct mon_derive_opts *o,
			struct mon_events *out)
{
	int spares = md_array_spares(cur), rc = 0;

	if (cur->degraded > 0)
		rc = emit(out, MEV_DEGRADED_ARRAY, cur, NULL, NULL, "%d of %d devices missing",
			  cur->degraded, cur->raid_disks);
	if (!rc && o->expected_spares > spares)
		rc = emit(out, MEV_SPARES_MISSING, cur, NULL, NULL, "%d spare(s) expected, %d present",
			  o->expected_spares, spares);
	for (unsigned i = 0; !rc && i < cur->nmembers; i++) {
		const struct md_member *m = &cur->members[i];

		if (md_member_marked(m) && !md_slot_member(cur, m->slot, true))
			rc = emit(out, MEV_WANT_REPLACEMENT, cur, m->kname, NULL,
				  "found %s (slot %d)", marked_by(m), m->slot);
	}
	return rc;
}

/* Whether a ReplaceFinished onto kname was derived already. */
static bool finished_onto(const struct mon_events *out, const char *array, const char *kname)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].type == MEV_REPLACE_FINISHED && !strcmp(out->v[i].array, array) &&
		    !strcmp(out->v[i].other, kname))
			return true;
	return false;
}

/* Per-member transitions. */
static int derive_members(const struct md_array *old, const struct md_array *cur,
			  struct mon_events *out)
{
	int rc = 0;

	/* members that were in old */
	for (unsigned i = 0; !rc && i < old->nmembers; i++) {
		const struct md_member *om = &old->members[i];
		const struct md_member *nm = find_member(cur, om->kname);
		bool was_failed = md_member_failed(om);
		bool now_failed = nm ? md_member_failed(nm) : !was_failed;

		if (was_failed || !now_failed)
			continue;
		/* om failed or vanished while it was working */
		if (md_member_active(om)) {
			const struct md_member *succ = NULL;

			for (unsigned j = 0; j < cur->nmembers; j++) {
				const struct md_member *c = &cur->members[j];

				if (strcmp(c->kname, om->kname) && c->slot == om->slot &&
				    (c->flags & MDM_IN_SYNC) && !md_member_failed(c))
					succ = &cur->members[j];
			}
			if (succ) {
				/* The copy finished: the kernel retired the original. */
				const struct md_member *os = find_member(old, succ->kname);

				if (!os || !(os->flags & MDM_REPLACEMENT))
					rc = emit(out, MEV_REPLACE_STARTED, cur, om->kname, succ->kname,
						  "replacing slot %d onto %s", om->slot,
						  succ->kname);
				if (!rc)
					rc = emit(out, MEV_REPLACE_FINISHED, cur, om->kname, succ->kname,
						  "%s now holds slot %d; %s is retired", succ->kname,
						  om->slot, om->kname);
			} else {
				rc = emit(out, MEV_FAIL, cur, om->kname, NULL, "%s (slot %d)",
					  nm ? "failed" : "disappeared while active", om->slot);
			}
		} else if (om->flags & MDM_REPLACEMENT) {
			const struct md_member *orig = md_slot_member(old, om->slot, false);

			rc = emit(out, MEV_REPLACE_FAILED, cur, orig ? orig->kname : "", om->kname,
				  "replacement %s failed; the original still serves slot %d",
				  om->kname, om->slot);
		} else if (nm) {
			rc = emit(out, MEV_FAIL_SPARE, cur, om->kname, NULL, "%s failed",
				  om->slot >= 0 ? "rebuilding spare" : "spare");
		}
	}

	/* members as they are now */
	for (unsigned i = 0; !rc && i < cur->nmembers; i++) {
		const struct md_member *nm = &cur->members[i];
		const struct md_member *om = find_member(old, nm->kname);
		unsigned of = om ? om->flags : 0;

		if (md_member_failed(nm))
			continue;
		if (md_member_marked(nm) && !(of & MDM_WANT_REPLACEMENT))
			rc = emit(out, MEV_WANT_REPLACEMENT, cur, nm->kname, NULL, "%s (slot %d)",
				  marked_by(nm), nm->slot);
		if (!rc && (nm->flags & MDM_REPLACEMENT) && md_member_rebuilding(nm) &&
		    !(om && (of & MDM_REPLACEMENT))) {
			const struct md_member *orig = md_slot_member(cur, nm->slot, false);

			rc = emit(out, MEV_REPLACE_STARTED, cur, orig ? orig->kname : "", nm->kname,
				  "replacing slot %d onto %s", nm->slot, nm->kname);
		}
		if (!rc && (nm->flags & MDM_IN_SYNC) && nm->slot >= 0 && om &&
		    !(of & MDM_IN_SYNC) && !(of & MDM_REPLACEMENT) &&
		    !finished_onto(out, cur->kname, nm->kname)) {
			/* a replacement that finished is reported as ReplaceFinished above */
			rc = emit(out, MEV_SPARE_ACTIVE, cur, nm->kname, NULL, "slot %d in sync",
				  nm->slot);
		}
		if (!rc && om && nm->bad_blocks > om->bad_blocks)
			rc = emit(out, MEV_BAD_BLOCKS, cur, nm->kname, NULL,
				  "recorded bad blocks grew from %u to %u (%llu sectors)",
				  om->bad_blocks, nm->bad_blocks,
				  (unsigned long long)nm->bad_sectors);
		if (!rc && out->n && out->v[out->n - 1].type == MEV_BAD_BLOCKS &&
		    !strcmp(out->v[out->n - 1].member, nm->kname))
			out->v[out->n - 1].count = nm->bad_blocks;
	}
	return rc;
}

/* Work reported as Rebuild*: recovery, resync, reshape, check, repair (not a replacement copy). */
static bool rebuild_like(enum md_sync k)
{
	return k != MDS_NONE && k != MDS_REPLACE;
}

/*
 * A recovery that ended without filling a slot: as many slots missing as while it ran.
 * degraded can lag the member states of the same snapshot (seen on 6.12: the rebuilt
 * member already in_sync in its slot, degraded still 1), so every slot held in sync
 * means it finished, whatever degraded says.
 */
static bool stopped_short(const struct md_array *old, const struct md_array *cur)
{
	int now = md_array_missing(cur);

	if (!md_array_slots_missing(cur))
		return false;
	return now > 0 && now >= md_array_missing(old);
}

static int derive_sync(const struct md_array *old, const struct md_array *cur,
		       const struct mon_derive_opts *o, struct mon_events *out)
{
	enum md_sync ok = md_sync_kind(old), nk = md_sync_kind(cur);
	int op = sync_percent(old), np = sync_percent(cur), rc = 0;
	unsigned inc = o->increment ? o->increment : 20;

	if (rebuild_like(nk) && ok != nk)
		rc = emit(out, MEV_REBUILD_STARTED, cur, NULL, NULL, "%s started",
			  nk == MDS_RECOVER ? "recovery" : cur->sync_action);
	if (!rc && nk != MDS_NONE && nk == ok && np >= 0 && op >= 0 &&
	    np / (int)inc > op / (int)inc) {
		int step = np / (int)inc * (int)inc;

		if (step > 0 && step < 100) {
			rc = emit(out, nk == MDS_REPLACE ? MEV_REPLACE_NN : MEV_REBUILD_NN, cur, NULL,
				  NULL, "%s %d%% done", nk == MDS_REPLACE ? "replacement" : "rebuild",
				  step);
			if (!rc)
				out->v[out->n - 1].percent = step;
		}
	}
	if (!rc && rebuild_like(ok) && nk != ok) {
		/* a check or repair (the monthly scrub) ends with what it found */
		if (ok == MDS_CHECK || ok == MDS_REPAIR)
			rc = emit(out, MEV_REBUILD_FINISHED, cur, NULL, NULL,
				  "%s finished, mismatches found: %llu", old->sync_action,
				  (unsigned long long)cur->mismatch_cnt);
		else if (ok == MDS_RECOVER && stopped_short(old, cur))
			/* the member being rebuilt failed (or left): mdadm's event, but not "finished" */
			rc = emit(out, MEV_REBUILD_FINISHED, cur, NULL, NULL,
				  "recovery stopped before the end: %d slot%s still without an in-sync "
				  "member", md_array_missing(cur), md_array_missing(cur) == 1 ? "" : "s");
		else
			rc = emit(out, MEV_REBUILD_FINISHED, cur, NULL, NULL, "%s finished",
				  ok == MDS_RECOVER ? "recovery" : old->sync_action);
	}
	return rc;
}

/*
 * A snapshot reads one member after another.  When a copy completes, the
 * kernel sets in_sync on the replacement and then faulty on the original;
 * a read between the two sees a faulty original next to a replacement not
 * yet in sync, which looks like a failure mid-copy.  A real failure also
 * raises degraded, so with degraded no higher than before read again before
 * judging (not "still 0": another member may have failed earlier in the copy).
 */
static bool replacement_in_flux(const struct md_array *old, const struct md_array *cur)
{
	if (!old || cur->degraded > (old->degraded > 0 ? old->degraded : 0))
		return false;
	for (unsigned i = 0; i < old->nmembers; i++) {
		const struct md_member *om = &old->members[i];
		const struct md_member *nm = find_member(cur, om->kname);
		const struct md_member *r;

		if (!md_member_active(om) || !nm || !md_member_failed(nm))
			continue;
		r = md_slot_member(cur, om->slot, true);
		if (!r)
			r = md_slot_member(old, om->slot, true);
		if (!r)
			continue;
		r = find_member(cur, r->kname);
		if (r && !(r->flags & MDM_IN_SYNC) && !md_member_failed(r))
			return true;
	}
	return false;
}

int mon_derive(const struct md_array *old, const struct md_array *cur,
	       const struct mon_derive_opts *o, struct mon_events *out)
{
	int rc;

	for (unsigned i = 0; i < cur->nmembers; i++)
		if (md_member_unsettled(&cur->members[i]) && !o->force)
			return 1;
	if (!o->force && replacement_in_flux(old, cur))
		return 1;
	if (!old)
		return derive_first(cur, o, out) ? -ENOMEM : 0;
	/*
	 * Replacement failure and completion are decided on members before
	 * the array-wide view, so that a finished copy is never a Fail.
	 */
	rc = derive_members(old, cur, out);
	if (!rc)
		rc = derive_sync(old, cur, o, out);
	return rc ? -ENOMEM : 0;
}

/* ---- delivery formats ---- */

char *mon_event_json(const struct mon_event *e, const struct mon_names *nm)
{
	struct json_object *o = json_object_new_object();
	char name[48], when[40];
	struct tm tm;
	char *s = NULL;

	if (!o)
		return NULL;
	gmtime_r(&e->time, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(o, "version", json_object_new_int(MDCTL_JSON_SCHEMA));
	json_object_object_add(o, "seq", json_object_new_int64((int64_t)e->seq));
	json_object_object_add(o, "time", out_jstr(when));
	if (e->changed_ms > 0) {
		time_t sec = (time_t)(e->changed_ms / 1000);
		char changed[48];
		size_t l;

		gmtime_r(&sec, &tm);
		l = strftime(changed, sizeof(changed), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(changed + l, sizeof(changed) - l, ".%03dZ", (int)(e->changed_ms % 1000));
		json_object_object_add(o, "changed", out_jstr(changed));
	}
	json_object_object_add(o, "host", out_jstr(nm->host));
	json_object_object_add(o, "event", out_jstr(mon_event_name(e, name, sizeof(name))));
	json_object_object_add(o, "type", out_jstr(mon_event_type_name(e->type)));
	json_object_object_add(o, "priority", out_jstr(mon_event_priority_name(e->type)));
	json_object_object_add(o, "array", out_jstr(nm->array_path));
	if (nm->member_path[0])
		json_object_object_add(o, "member", out_jstr(nm->member_path));
	if (nm->other_path[0])
		json_object_object_add(o, e->type == MEV_MOVE_SPARE ? "source" : "replacement",
				       out_jstr(nm->other_path));
	if (e->percent >= 0)
		json_object_object_add(o, "percent", json_object_new_int(e->percent));
	if (e->type == MEV_BAD_BLOCKS)
		json_object_object_add(o, "bad_blocks", json_object_new_int64((int64_t)e->count));
	if (e->type == MEV_STALE_BLOCKS)
		json_object_object_add(o, "ranges", json_object_new_int64((int64_t)e->count));
	json_object_object_add(o, "detail", out_jstr(e->detail));
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

int mon_build_exec(const char *prog, const struct mon_event *e, const struct mon_names *nm,
		   struct mon_exec *x)
{
	char name[48], pct[16], cnt[24], seq[24], changed[24];
	const char *third;
	size_t k = 0, s = 0;
	struct {
		const char *key, *val;
	} env[] = {
		{ "MDCTL_EVENT", mon_event_name(e, name, sizeof(name)) },
		{ "MDCTL_ARRAY", nm->array_path },
		{ "MDCTL_MEMBER", nm->member_path },
		{ e->type == MEV_MOVE_SPARE ? "MDCTL_SOURCE" : "MDCTL_REPLACEMENT", nm->other_path },
		{ "MDCTL_PRIORITY", mon_event_priority_name(e->type) },
		{ "MDCTL_DETAIL", e->detail },
		{ "MDCTL_HOST", nm->host },
		{ "MDCTL_PERCENT", e->percent >= 0 ? pct : "" },
		{ "MDCTL_BAD_BLOCKS", e->type == MEV_BAD_BLOCKS ? cnt : "" },
		{ "MDCTL_SEQ", e->seq ? seq : "" },
		{ "MDCTL_CHANGED_MS", e->changed_ms > 0 ? changed : "" },
		{ "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
	};

	memset(x, 0, sizeof(*x));
	snprintf(pct, sizeof(pct), "%d", e->percent);
	snprintf(cnt, sizeof(cnt), "%llu", (unsigned long long)e->count);
	snprintf(seq, sizeof(seq), "%llu", (unsigned long long)e->seq);
	snprintf(changed, sizeof(changed), "%lld", (long long)e->changed_ms);
	/* mdadm passes the source array as the third argument of MoveSpare */
	third = e->type == MEV_MOVE_SPARE ? nm->other_path : nm->member_path;
	if (copy_str(x->store[s], sizeof(x->store[s]), prog))
		return -E2BIG;
	x->argv[k++] = x->store[s++];
	copy_str(x->store[s], sizeof(x->store[s]), name);
	x->argv[k++] = x->store[s++];
	if (copy_str(x->store[s], sizeof(x->store[s]), nm->array_path))
		return -E2BIG;
	x->argv[k++] = x->store[s++];
	if (third && third[0]) {
		if (copy_str(x->store[s], sizeof(x->store[s]), third))
			return -E2BIG;
		x->argv[k++] = x->store[s++];
	}
	x->argv[k] = NULL;
	k = 0;
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]) && k < MON_EXEC_MAXENV; i++) {
		int n;

		if (!env[i].val[0])
			continue;
		n = snprintf(x->store[s], sizeof(x->store[s]), "%s=%s", env[i].key, env[i].val);
		if (n < 0 || (size_t)n >= sizeof(x->store[s]))
			return -E2BIG;
		x->envp[k++] = x->store[s++];
	}
	x->envp[k] = NULL;
	return 0;
}

char *mon_mail_text(const struct mon_event *e, const struct mon_names *nm, const char *to,
		    const char *from)
{
	char name[48], line[1024], *s = NULL;
	int n;

	mon_event_name(e, name, sizeof(name));
	mon_event_line(e, nm, line, sizeof(line));
	n = asprintf(&s,
		     "To: %s\n%s%s%sSubject: %s event on %s:%s\n\n"
		     "This is an automatically generated mail message from mdctl\n"
		     "running on %s\n\n"
		     "A %s event had been detected on md device %s.\n\n%s\n",
		     to, from && from[0] ? "From: " : "", from && from[0] ? from : "",
		     from && from[0] ? "\n" : "", name, nm->array_path, nm->host, nm->host, name,
		     nm->array_path, line);
	return n < 0 ? NULL : s;
}

void mon_event_line(const struct mon_event *e, const struct mon_names *nm, char *buf, size_t len)
{
	char name[48], *raw = NULL;
	size_t n;

	/* names and details may come from disks: the line is escaped as plain text */
	mon_event_name(e, name, sizeof(name));
	if (asprintf(&raw, "%s %s%s%s%s%s: %s", name, nm->array_path,
		 nm->member_path[0] ? " " : "", nm->member_path,
		 nm->other_path[0] ? (e->type == MEV_MOVE_SPARE ? " from " : " with ") : "",
		 nm->other_path, e->detail) < 0)
		raw = NULL;
	out_esc(raw ? raw : name, buf, len);
	free(raw);
	/* the sequence number orders the lines as the JSON and PROGRAM see them */
	n = strlen(buf);
	if (e->seq && n < len)
		snprintf(buf + n, len - n, " (#%llu)", (unsigned long long)e->seq);
}
