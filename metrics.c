// SPDX-License-Identifier: GPL-2.0-or-later
/* metrics.c: md arrays and their members in the Prometheus text exposition format (mdctl --metrics, the monitor's METRICS file). */
#include "metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "config.h"
#include "mdarray.h"
#include "progress.h"
#include "util.h"
#include "verify.h"

/* ---- reading ---- */

static void find_spare_group(const struct mdctl_config *cfg, const struct md_array *a,
			     char *buf, size_t len)
{
	const struct cfg_array *c;
	uint8_t uuid[16];

	buf[0] = '\0';
	if (!cfg || !a->uuid[0] || config_parse_uuid(a->uuid, uuid) < 0)
		return;
	c = config_find_array(cfg, uuid, NULL);
	if (c)
		snprintf(buf, len, "%s", c->spare_group);
}

int metrics_read_array(const char *sysfs_root, const char *dev_root, const struct mdctl_config *cfg,
		       const char *state_dir, const char *kname, struct metrics_array *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = md_array_read(sysfs_root, kname, &out->a);
	if (rc < 0)
		return rc;
	snprintf(out->device, sizeof(out->device), "%s/%s", dev_root, kname);
	find_spare_group(cfg, &out->a, out->spare_group, sizeof(out->spare_group));
	if (!out->a.nmembers)
		return 0;
	out->disk_id = calloc(out->a.nmembers, sizeof(*out->disk_id));
	out->member_dev = calloc(out->a.nmembers, sizeof(*out->member_dev));
	out->content = calloc(out->a.nmembers, sizeof(*out->content));
	if (!out->disk_id || !out->member_dev || !out->content)
		return -ENOMEM;
	for (unsigned i = 0; i < out->a.nmembers; i++) {
		const char *mk = out->a.members[i].kname;
		struct metrics_content *c = &out->content[i];
		struct verify_status vs;
		char path[4096];
		bool node;

		c->suspect = verify_content(state_dir, &out->a, &out->a.members[i], &vs, &c->have);
		c->ranges_found = vs.ranges_found;
		c->ranges_rebuilt = vs.ranges_repaired;
		c->sectors = vs.sectors;
		c->when = vs.when;

		node = blkdev_path_of_kname(dev_root, sysfs_root, mk, path, sizeof(path)) == 0;
		(void)copy_str(out->member_dev[i], sizeof(out->member_dev[i]), path);
		(void)blkdev_disk_id(sysfs_root, node ? path : NULL, mk, out->disk_id[i],
				     sizeof(out->disk_id[i]));
	}
	return 0;
}

void metrics_array_free(struct metrics_array *m)
{
	md_array_free(&m->a);
	free(m->disk_id);
	free(m->member_dev);
	free(m->content);
	m->disk_id = NULL;
	m->member_dev = NULL;
	m->content = NULL;
}

/* ---- escaping ---- */

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, past U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void metrics_escape_label(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (!len)
		return;
	while (*p) {
		char tmp[4];
		const char *add = tmp;
		size_t n = utf8_len(p), alen;

		if (n == 1 && (*p == '\\' || *p == '"' || *p == '\n')) {
			tmp[0] = '\\';
			tmp[1] = *p == '\n' ? 'n' : (char)*p;
			alen = 2;
		} else if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f))) {
			add = "\xef\xbf\xbd"; /* U+FFFD: the byte is not text */
			alen = 3;
			n = 1;
		} else {
			add = (const char *)p;
			alen = n;
		}
		if (o + alen >= len)
			break;
		memcpy(buf + o, add, alen);
		o += alen;
		p += n;
	}
	buf[o] = '\0';
}

/* ---- the exposition ---- */

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{array="md0"<extra>} value: extra is ",key=\"escaped\"..." or "" */
static void asample(FILE *f, const char *name, const struct metrics_array *m, const char *extra,
		    const char *value)
{
	char arr[64];

	metrics_escape_label(m->a.kname, arr, sizeof(arr));
	fprintf(f, "%s{array=\"%s\"%s} %s\n", name, arr, extra, value);
}

static void msample(FILE *f, const char *name, const struct metrics_array *m, unsigned i,
		    const char *extra, const char *value)
{
	char mem[64], more[256];

	metrics_escape_label(m->a.members[i].kname, mem, sizeof(mem));
	snprintf(more, sizeof(more), ",member=\"%s\"%s", mem, extra);
	asample(f, name, m, more, value);
}

static const char *num(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

/* ,key="escaped value" appended to buf */
static void label(char *buf, size_t len, const char *key, const char *val)
{
	char esc[512];
	size_t o = strlen(buf), k = strlen(key), e;

	metrics_escape_label(val, esc, sizeof(esc));
	e = strlen(esc);
	if (o + k + e + 5 > len)
		return; /* the callers' buffers hold every label they build */
	buf[o++] = ',';
	memcpy(buf + o, key, k);
	o += k;
	memcpy(buf + o, "=\"", 2);
	memcpy(buf + o + 2, esc, e);
	memcpy(buf + o + 2 + e, "\"", 2);
}

static bool sync_running(const struct md_array *a)
{
	return md_sync_kind(a) != MDS_NONE && a->sync_done != SYSFS_NONE &&
	       a->sync_total != SYSFS_NONE && a->sync_total;
}

static long sync_eta(const struct md_array *a)
{
	if (!sync_running(a) || !a->sync_speed)
		return -1;
	return progress_eta(a->sync_done, a->sync_total, (double)a->sync_speed);
}

static const char *const array_states[] = {
	"clear", "inactive", "suspended", "readonly", "read-auto", "clean",
	"active", "write-pending", "active-idle", "broken",
};

static const enum md_sync sync_kinds[] = {
	MDS_NONE, MDS_RESYNC, MDS_RECOVER, MDS_REPLACE, MDS_RESHAPE, MDS_CHECK, MDS_REPAIR,
};

static void array_info(FILE *f, const struct metrics_array *v, size_t n)
{
	head(f, "mdctl_array_info", "gauge",
	     "Always 1; the array's device, level, metadata version, UUID and spare group as labels.");
	for (size_t i = 0; i < n; i++) {
		char l[1024] = "";

		label(l, sizeof(l), "device", v[i].device);
		label(l, sizeof(l), "level", v[i].a.level);
		label(l, sizeof(l), "metadata_version", v[i].a.metadata_version);
		label(l, sizeof(l), "uuid", v[i].a.uuid);
		label(l, sizeof(l), "spare_group", v[i].spare_group);
		asample(f, "mdctl_array_info", &v[i], l, "1");
	}
	head(f, "mdctl_array_state", "gauge",
	     "1 for the array_state md reports, 0 for the others.");
	for (size_t i = 0; i < n; i++)
		for (size_t s = 0; s < sizeof(array_states) / sizeof(array_states[0]); s++) {
			char l[64] = "";

			label(l, sizeof(l), "state", array_states[s]);
			asample(f, "mdctl_array_state", &v[i], l,
				strcmp(v[i].a.array_state, array_states[s]) ? "0" : "1");
		}
}

static void array_counts(FILE *f, const struct metrics_array *v, size_t n)
{
	char b[32];

	head(f, "mdctl_array_raid_devices", "gauge", "Slots in the array (raid_disks).");
	for (size_t i = 0; i < n; i++)
		asample(f, "mdctl_array_raid_devices", &v[i], "",
			num(b, sizeof(b), (uint64_t)(v[i].a.raid_disks > 0 ? v[i].a.raid_disks : 0)));
	head(f, "mdctl_array_degraded_devices", "gauge",
	     "Slots without an in-sync member (0 when fully redundant).");
	for (size_t i = 0; i < n; i++) {
		int d = md_array_missing(&v[i].a);

		asample(f, "mdctl_array_degraded_devices", &v[i], "",
			num(b, sizeof(b), (uint64_t)(d > 0 ? d : 0)));
	}
	head(f, "mdctl_array_spare_devices", "gauge", "Working members without a slot (spares).");
	for (size_t i = 0; i < n; i++) {
		uint64_t s = 0;

		for (unsigned k = 0; k < v[i].a.nmembers; k++)
			s += md_member_role(&v[i].a, &v[i].a.members[k]) == MDR_SPARE;
		asample(f, "mdctl_array_spare_devices", &v[i], "", num(b, sizeof(b), s));
	}
	head(f, "mdctl_array_size_bytes", "gauge", "Usable size of the array.");
	for (size_t i = 0; i < n; i++)
		asample(f, "mdctl_array_size_bytes", &v[i], "",
			num(b, sizeof(b), v[i].a.array_size_sectors * 512));
	head(f, "mdctl_array_mismatch_sectors", "gauge",
	     "Sectors found inconsistent by the last check or repair (mismatch_cnt).");
	for (size_t i = 0; i < n; i++)
		if (v[i].a.mismatch_cnt != SYSFS_NONE)
			asample(f, "mdctl_array_mismatch_sectors", &v[i], "",
				num(b, sizeof(b), v[i].a.mismatch_cnt));
}

static void array_sync(FILE *f, const struct metrics_array *v, size_t n)
{
	char b[32];

	head(f, "mdctl_array_sync_action", "gauge",
	     "1 for the sync work under way (replace: a recovery copying onto replacements), 0 for the others.");
	for (size_t i = 0; i < n; i++) {
		enum md_sync k = md_sync_kind(&v[i].a);

		for (size_t s = 0; s < sizeof(sync_kinds) / sizeof(sync_kinds[0]); s++) {
			char l[64] = "";

			label(l, sizeof(l), "action", md_sync_word(sync_kinds[s]));
			asample(f, "mdctl_array_sync_action", &v[i], l, k == sync_kinds[s] ? "1" : "0");
		}
	}
	head(f, "mdctl_array_sync_completed_ratio", "gauge",
	     "Fraction of the running sync done (0 to 1); absent when idle.");
	for (size_t i = 0; i < n; i++)
		if (sync_running(&v[i].a)) {
			snprintf(b, sizeof(b), "%.6f",
				 (double)v[i].a.sync_done / (double)v[i].a.sync_total);
			asample(f, "mdctl_array_sync_completed_ratio", &v[i], "", b);
		}
	head(f, "mdctl_array_sync_speed_bytes_per_second", "gauge",
	     "Current speed of the running sync; absent when idle.");
	for (size_t i = 0; i < n; i++)
		if (sync_running(&v[i].a))
			asample(f, "mdctl_array_sync_speed_bytes_per_second", &v[i], "",
				num(b, sizeof(b), v[i].a.sync_speed * 1024));
	head(f, "mdctl_array_sync_eta_seconds", "gauge",
	     "Time left for the running sync at the current speed; absent when idle or stalled.");
	for (size_t i = 0; i < n; i++) {
		long eta = sync_eta(&v[i].a);

		if (eta >= 0)
			asample(f, "mdctl_array_sync_eta_seconds", &v[i], "",
				num(b, sizeof(b), (uint64_t)eta));
	}
}

/* The member flags exported, kernel words plus "replacing" (a replacement is paired). */
static const struct {
	const char *word;
	unsigned flag;
} member_flags[] = {
	{ "in_sync", MDM_IN_SYNC }, { "faulty", MDM_FAULTY },
	{ "want_replacement", MDM_WANT_REPLACEMENT }, { "replacement", MDM_REPLACEMENT },
	{ "replacing", 0 }, { "write_error", MDM_WRITE_ERROR },
	{ "blocked", MDM_BLOCKED }, { "spare", MDM_SPARE },
};

static void member_info(FILE *f, const struct metrics_array *v, size_t n)
{
	head(f, "mdctl_member_info", "gauge",
	     "Always 1; the member's device, slot, role and disk identity (udev by-id name or serial) as labels.");
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < v[i].a.nmembers; k++) {
			const struct md_member *mm = &v[i].a.members[k];
			char l[1024] = "", slot[16] = "";

			if (mm->slot >= 0)
				snprintf(slot, sizeof(slot), "%d", mm->slot);
			label(l, sizeof(l), "device", v[i].member_dev ? v[i].member_dev[k] : "");
			label(l, sizeof(l), "slot", slot);
			label(l, sizeof(l), "role", md_role_word(md_member_role(&v[i].a, mm)));
			label(l, sizeof(l), "disk_id", v[i].disk_id ? v[i].disk_id[k] : "");
			msample(f, "mdctl_member_info", &v[i], k, l, "1");
		}
	head(f, "mdctl_member_state", "gauge",
	     "1 for each state flag the member has (replacing: a replacement is being copied from it), 0 otherwise.");
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < v[i].a.nmembers; k++) {
			const struct md_member *mm = &v[i].a.members[k];
			bool replacing = md_member_role(&v[i].a, mm) == MDR_REPLACING;

			for (size_t s = 0; s < sizeof(member_flags) / sizeof(member_flags[0]); s++) {
				char l[64] = "";
				bool on = member_flags[s].flag ? (mm->flags & member_flags[s].flag) != 0
							       : replacing;

				label(l, sizeof(l), "flag", member_flags[s].word);
				msample(f, "mdctl_member_state", &v[i], k, l, on ? "1" : "0");
			}
		}
}

/* Per-member numbers read straight from the snapshot, one family each. */
static uint64_t bad_ranges(const struct md_member *m) { return m->bad_blocks; }
static uint64_t bad_bytes(const struct md_member *m) { return m->bad_sectors * 512; }
static uint64_t unack_ranges(const struct md_member *m) { return m->unack_bad_blocks; }
static uint64_t corrected(const struct md_member *m) { return m->errors; }

static const struct {
	const char *name, *type, *help;
	uint64_t (*get)(const struct md_member *m);
} member_numbers[] = {
	{ "mdctl_member_bad_blocks", "gauge", "Bad-block ranges recorded in the member's log.",
	  bad_ranges },
	{ "mdctl_member_bad_blocks_bytes", "gauge", "Bytes covered by the recorded bad-block ranges.",
	  bad_bytes },
	{ "mdctl_member_unacknowledged_bad_blocks", "gauge",
	  "Bad-block ranges not yet written to the member's superblock.", unack_ranges },
	{ "mdctl_member_corrected_read_errors_total", "counter",
	  "Read errors md corrected by rewriting (kept in the superblock across restarts).",
	  corrected },
};

static void member_errors(FILE *f, const struct metrics_array *v, size_t n)
{
	char b[32];

	for (size_t x = 0; x < sizeof(member_numbers) / sizeof(member_numbers[0]); x++) {
		head(f, member_numbers[x].name, member_numbers[x].type, member_numbers[x].help);
		for (size_t i = 0; i < n; i++)
			for (unsigned k = 0; k < v[i].a.nmembers; k++)
				msample(f, member_numbers[x].name, &v[i], k, "",
					num(b, sizeof(b), member_numbers[x].get(&v[i].a.members[k])));
	}
}

/* copied percent of a replacement or rebuilding member, -1 for the others */
static double copied(const struct md_array *a, const struct md_member *m)
{
	enum md_role r = md_member_role(a, m);

	if (r != MDR_REPLACEMENT && r != MDR_REBUILDING)
		return -1;
	return md_copied_percent(a, m);
}

static void member_copy(FILE *f, const struct metrics_array *v, size_t n)
{
	char b[32];

	head(f, "mdctl_member_copied_ratio", "gauge",
	     "Fraction of a replacement or rebuilding member written (0 to 1); absent for other members.");
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < v[i].a.nmembers; k++) {
			double pct = copied(&v[i].a, &v[i].a.members[k]);

			if (pct < 0)
				continue;
			snprintf(b, sizeof(b), "%.6f", pct / 100.0);
			msample(f, "mdctl_member_copied_ratio", &v[i], k, "", b);
		}
	head(f, "mdctl_member_copy_eta_seconds", "gauge",
	     "Time left until a replacement or rebuilding member is written, at the current speed.");
	for (size_t i = 0; i < n; i++) {
		long eta = sync_eta(&v[i].a);

		if (eta < 0)
			continue;
		for (unsigned k = 0; k < v[i].a.nmembers; k++)
			if (copied(&v[i].a, &v[i].a.members[k]) >= 0)
				msample(f, "mdctl_member_copy_eta_seconds", &v[i], k, "",
					num(b, sizeof(b), (uint64_t)eta));
	}
}

/* What the last verification of a member found (verify.c), absent when none was saved. */
static uint64_t stale_found(const struct metrics_content *c) { return c->ranges_found; }
static uint64_t stale_rebuilt(const struct metrics_content *c) { return c->ranges_rebuilt; }
static uint64_t stale_bytes(const struct metrics_content *c) { return c->sectors * 512; }
static uint64_t verified_at(const struct metrics_content *c) { return (uint64_t)c->when; }

static const struct {
	const char *name, *help;
	uint64_t (*get)(const struct metrics_content *c);
} content_numbers[] = {
	{ "mdctl_member_stale_ranges", "Ranges whose redundancy disagreed with the member at its last verification.",
	  stale_found },
	{ "mdctl_member_stale_ranges_rebuilt",
	  "Of those ranges, the ones recorded as bad blocks so md rebuilds them from redundancy.", stale_rebuilt },
	{ "mdctl_member_stale_bytes", "Bytes the stale ranges of the last verification cover.", stale_bytes },
	{ "mdctl_member_last_verified_timestamp_seconds", "When the member was last verified (Unix time).",
	  verified_at },
};

static void member_content(FILE *f, const struct metrics_array *v, size_t n)
{
	char b[32];

	head(f, "mdctl_member_content_suspect", "gauge",
	     "1 when the member's data cannot be trusted: write errors since assembly, or stale ranges not all rebuilt.");
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < v[i].a.nmembers; k++)
			msample(f, "mdctl_member_content_suspect", &v[i], k, "",
				v[i].content && v[i].content[k].suspect ? "1" : "0");
	for (size_t x = 0; x < sizeof(content_numbers) / sizeof(content_numbers[0]); x++) {
		head(f, content_numbers[x].name, "gauge", content_numbers[x].help);
		for (size_t i = 0; i < n; i++)
			for (unsigned k = 0; k < v[i].a.nmembers; k++)
				if (v[i].content && v[i].content[k].have)
					msample(f, content_numbers[x].name, &v[i], k, "",
						num(b, sizeof(b), content_numbers[x].get(&v[i].content[k])));
	}
}

int metrics_format(const struct metrics_array *v, size_t n, char **text)
{
	size_t len = 0;
	FILE *f;

	*text = NULL;
	f = open_memstream(text, &len);
	if (!f)
		return -ENOMEM;
	array_info(f, v, n);
	array_counts(f, v, n);
	array_sync(f, v, n);
	member_info(f, v, n);
	member_errors(f, v, n);
	member_copy(f, v, n);
	member_content(f, v, n);
	if (fclose(f) != 0 || !*text) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}

int metrics_collect(const char *sysfs_root, const char *dev_root, const struct mdctl_config *cfg,
		    const char *state_dir, char **text)
{
	char (*names)[32] = NULL;
	struct metrics_array *v;
	size_t n = 0, got = 0;
	int rc;

	*text = NULL;
	rc = sysfs_list_arrays(sysfs_root, &names, &n);
	if (rc < 0)
		return rc;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		free(names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = metrics_read_array(sysfs_root, dev_root, cfg, state_dir, names[i], &v[got]);
		if (rc == 0 && v[got].a.array_state[0] && strcmp(v[got].a.array_state, "clear")) {
			got++;
			continue;
		}
		metrics_array_free(&v[got]);
		if (rc == -ENODEV || rc == -ENOENT)
			rc = 0; /* stopped meanwhile, or an md node without an array */
	}
	if (rc == 0)
		rc = metrics_format(v, got, text);
	for (size_t i = 0; i < got; i++)
		metrics_array_free(&v[i]);
	free(v);
	free(names);
	return rc;
}

int metrics_write_file(const char *path, const char *text)
{
	char tmp[4096];
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, text, strlen(text));
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
