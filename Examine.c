// SPDX-License-Identifier: GPL-2.0-or-later
/* Examine.c: `mdctl --examine DEV...`: print the md 1.x superblock of devices or image files, read-only. */
#include "cli.h"
#include "bitmap.h"
#include "blkdev.h"
#include "mdctl.h"
#include "mdlevel.h"
#include "output.h"
#include "safefile.h"
#include "super1.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct examine_opts {
	enum output_format fmt;
	int verbose;
	int badblocks;   /* --examine-badblocks: the log only */
	int bitmap;      /* --examine-bitmap: the bitmap superblock only */
	int scan;        /* --scan: every md member libblkid finds */
};

/* One examined device: what was found, and what the text needs besides. */
struct examined {
	const char *name;
	struct sb1_dev d;
	struct sb1_badblock *bb;
	size_t nbb;
	int bb_rc;                 /* error reading the log, 0 when fine */
	uint64_t bitmap_sectors;   /* size of the internal bitmap, 0 unknown */
	struct bitmap_dev bm;      /* with --examine-bitmap */
	int bm_rc;                 /* its bitmap_load() result */
};

static const char examine_usage[] =
"Usage: mdctl --examine [--brief|--export|--json] [--verbose] DEV...\n"
"       mdctl --examine --scan [--verbose] [--export|--json]\n"
"       mdctl --examine-badblocks DEV...\n"
"       mdctl --examine-bitmap DEV...      (-X)\n"
"Print the md 1.0/1.1/1.2 superblock found on each DEV (block device or\n"
"image file).  Devices are opened read-only and never written.\n"
"\n"
"  -E, --examine   this mode\n"
"  -b, --brief     one ARRAY line per array, for mdadm.conf/mdctl.conf\n"
"  -Y, --export    KEY=value lines (mdadm's MD_* keys and MD_DEV_ROLE,\n"
"                  MD_REPLACEMENT, MD_RECOVERY_OFFSET, MD_BAD_BLOCKS)\n"
"      --json      every decoded field as JSON: an object for one DEV, a list for\n"
"                  several or --scan (schema in mdctl(8), docs/mdctl.schema.json)\n"
"  -s, --scan      examine every device libblkid identifies as an md member;\n"
"                  implies --brief unless --export or --json is given\n"
"  -v, --verbose   with --brief: level=, num-devices= and a devices= line\n"
"      --examine-badblocks  only the bad-block list, as mdadm prints it\n"
"  -X, --examine-bitmap     only the write-intent bitmap superblock, as mdadm -X\n"
"  -h, --help      this text\n"
"\n"
"Exit status: 0 when every DEV holds a valid superblock, 1 otherwise,\n"
"2 on a usage error.\n";

enum { OPT_JSON = 256, OPT_BADBLOCKS };


static const struct option examine_options[] = {
	{ "examine", no_argument, NULL, 'E' },
	{ "brief", no_argument, NULL, 'b' },
	{ "export", no_argument, NULL, 'Y' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "examine-badblocks", no_argument, NULL, OPT_BADBLOCKS },
	{ "examine-bitmap", no_argument, NULL, 'X' },
	{ "scan", no_argument, NULL, 's' },
	CLI_COMMON_OPTS,
};

static const char *fmt_option_name(enum output_format f)
{
	switch (f) {
	case OUT_BRIEF:
		return "--brief";
	case OUT_EXPORT:
		return "--export";
	case OUT_JSON:
		return "--json";
	default:
		return "text";
	}
}

/* --brief, --export and --json exclude each other; return -1 on a clash */
static int set_format(struct examine_opts *o, enum output_format f)
{
	if (o->fmt != OUT_TEXT && o->fmt != f) {
		mdctl_err("--examine: %s and %s cannot be combined", fmt_option_name(o->fmt),
			  fmt_option_name(f));
		return -1;
	}
	o->fmt = f;
	return 0;
}

/* ---- decoding helpers shared by the formats ---- */

static uint32_t raw32(const unsigned char *raw, size_t off)
{
	uint32_t v;

	memcpy(&v, raw + off, sizeof(v));
	return le32toh(v);
}

static uint64_t raw64(const unsigned char *raw, size_t off)
{
	uint64_t v;

	memcpy(&v, raw + off, sizeof(v));
	return le64toh(v);
}

/* Array size in sectors as mdadm derives it from the used size; 0 if none. */
static uint64_t array_sectors(const struct sb1_info *s)
{
	uint64_t data_disks = 0, denom = 1;

	switch (s->level) {
	case 1:
		data_disks = 1;
		break;
	case 4:
	case 5:
		data_disks = s->raid_disks > 1 ? s->raid_disks - 1 : 0;
		break;
	case 6:
		data_disks = s->raid_disks > 2 ? s->raid_disks - 2 : 0;
		break;
	case 10:
		data_disks = s->raid_disks;
		denom = (uint64_t)md_raid10_geom((int)s->layout).copies;
		break;
	default:
		return 0;
	}
	if (!denom)
		return 0;
	return s->size * data_disks / denom;
}

/* "A" active, "R" replacing, "." missing, "?" inconsistent per slot; 1 if inconsistent */
static int array_state(const struct sb1_info *s, char *buf, size_t len)
{
	uint32_t slots = s->raid_disks;
	uint32_t n = s->max_dev > SB1_MAX_DEV ? SB1_MAX_DEV : s->max_dev;
	int bad = 0;
	size_t k = 0;

	/* a shrinking reshape still shows the slots that are going away */
	if ((s->feature_map & SB1_FEAT_RESHAPE_ACTIVE) && s->delta_disks < 0)
		slots += (uint32_t)(-(int64_t)s->delta_disks);
	for (uint32_t d = 0; d < slots && k + 1 < len; d++) {
		unsigned cnt = 0;

		for (uint32_t i = 0; i < n; i++)
			if (s->dev_roles[i] == d)
				cnt++;
		if (cnt == 1)
			buf[k++] = 'A';
		else if (cnt == 0)
			buf[k++] = '.';
		else if (cnt == 2 && s->level > 0)
			buf[k++] = 'R';
		else {
			buf[k++] = '?';
			bad = 1;
		}
	}
	buf[k] = '\0';
	for (uint32_t i = 0; i < n; i++)
		if (s->dev_roles[i] < SB1_ROLE_MAX && s->dev_roles[i] >= slots)
			bad = 1;
	return bad;
}

static int is_replacement(const struct sb1_info *s)
{
	return (s->feature_map & SB1_FEAT_REPLACEMENT) && sb1_role(s) < SB1_ROLE_MAX;
}

/* "host:name" -> "name"; a name without a homehost is used whole */
static const char *short_name(const char *set_name)
{
	const char *c = strchr(set_name, ':');

	return c ? c + 1 : set_name;
}

static int local_to_host(const char *set_name, char *host, size_t len)
{
	const char *c = strchr(set_name, ':');

	if (!c || gethostname(host, len) < 0)
		return 0;
	host[len - 1] = '\0';
	return strlen(host) == (size_t)(c - set_name) && !strncmp(set_name, host, (size_t)(c - set_name));
}

/*
 * The internal bitmap's size in sectors from its own superblock, with
 * --examine-bitmap its bits too; bitmap_sectors 0 when it cannot be read.
 * -ERANGE when the size would wrap or pass the device (a sync_size no
 * device has): an error naming the field, not a number.
 */
static int read_bitmap(int fd, struct examined *e, int with_bits)
{
	e->bitmap_sectors = 0;
	e->bm_rc = bitmap_load(fd, &e->d, with_bits, &e->bm);
	/* bytes = bits / 8 + 256 header: past the device no bitmap can be */
	if (e->bm.info.magic == BITMAP_MAGIC && e->bm.bits / 8 / 512 > e->d.dev_sectors)
		return -ERANGE;
	if (e->bm_rc == 0 || (e->bm_rc == -ERANGE && e->bm.bits))
		e->bitmap_sectors = bitmap_sectors(e->bm.bits);
	return 0;
}

/* ---- text ---- */

/* The second half of the text: layout, chunk, this device's role, the array state. */
static void print_text_geometry_role(FILE *f, const struct examined *e)
{
	const struct sb1_info *s = &e->d.info;
	uint16_t role = sb1_role(s);
	char buf[128];
	int inconsistent;

	if ((s->level == 0 && (s->feature_map & SB1_FEAT_RAID0_LAYOUT)) ||
	    s->level == 5 || s->level == 6 || s->level == 10) {
		const char *l = fmt_layout(s->level, (int)s->layout, buf, sizeof(buf));

		out_field(f, "Layout", "%s", l ? l : "-unknown-");
	}
	switch (s->level) {
	case 0:
	case 4:
	case 5:
	case 6:
	case 10:
		out_field(f, "Chunk Size", "%uK", s->chunksize / 2);
		break;
	case -1:
		out_field(f, "Rounding", "%uK", s->chunksize / 2);
		break;
	default:
		break;
	}
	fputc('\n', f);
	/* mdadm indents these two one column less than the other fields */
	fputs("   Device Role : ", f);
	if (role >= SB1_ROLE_FAULTY)
		fputs("spare\n", f);
	else if (role == SB1_ROLE_JOURNAL)
		fputs("Journal\n", f);
	else if (is_replacement(s))
		fprintf(f, "Replacement device %u\n", role);
	else
		fprintf(f, "Active device %u\n", role);
	inconsistent = array_state(s, buf, sizeof(buf));
	fprintf(f, "   Array State : %s ('A' == active, '.' == missing, 'R' == replacing)\n", buf);
	if (inconsistent) {
		uint32_t n = s->max_dev > SB1_MAX_DEV ? SB1_MAX_DEV : s->max_dev;

		fputs("WARNING Array state is inconsistent - each number should appear only once\n", f);
		for (uint32_t i = 0; i < n; i++)
			if (s->dev_roles[i] < SB1_ROLE_MAX)
				fprintf(f, " %u:%u", i, s->dev_roles[i]);
		fputc('\n', f);
	}
	/* mdctl's own addition after mdadm's fields */
	if (e->nbb) {
		fprintf(f, "mdctl: bad-block list (%zu %s, start sector and length in sectors):\n",
			e->nbb, e->nbb == 1 ? "extent" : "extents");
		for (size_t i = 0; i < e->nbb; i++)
			fprintf(f, "%20llu for %llu sectors\n", (unsigned long long)e->bb[i].sector,
				(unsigned long long)e->bb[i].len);
	}
}

static void print_text(FILE *f, const struct examined *e)
{
	const struct sb1_info *s = &e->d.info;
	uint32_t computed = sb1_checksum(e->d.raw);
	uint64_t before, after, asz;
	char buf[128], hum[48], host[256];

	out_text(f, e->name);
	fputs(":\n", f);
	out_field(f, "Magic", "%08x", SB1_MAGIC);
	out_field(f, "Version", "%s", sb1_version_string(s->minor));
	out_field(f, "Feature Map", "0x%x", s->feature_map);
	fmt_uuid_mdadm(s->set_uuid, buf);
	out_field(f, "Array UUID", "%s", buf);
	if (local_to_host(s->set_name, host, sizeof(host)))
		out_field(f, "Name", "%s  (local to host %s)", s->set_name, host);
	else
		out_field(f, "Name", "%s", s->set_name);
	fmt_time(s->ctime_sec, buf, sizeof(buf));
	out_field(f, "Creation Time", "%s", buf);
	out_field(f, "Raid Level", "%s", fmt_level(s->level));
	out_field(f, "Raid Devices", "%u", s->raid_disks);
	fputc('\n', f);
	fmt_human_kib(s->data_size / 2, hum, sizeof(hum));
	out_field(f, "Avail Dev Size", "%llu sectors%s", (unsigned long long)s->data_size, hum);
	asz = array_sectors(s);
	if (s->level > 0 && asz) {
		fmt_human_kib(asz / 2, hum, sizeof(hum));
		out_field(f, "Array Size", "%llu KiB%s", (unsigned long long)(asz / 2), hum);
	}
	/* mdadm leaves it out for raid0 */
	if (s->size != s->data_size && s->level != 0) {
		fmt_human_kib(s->size / 2, hum, sizeof(hum));
		out_field(f, "Used Dev Size", "%llu sectors%s", (unsigned long long)s->size, hum);
	}
	if (s->data_offset)
		out_field(f, "Data Offset", "%llu sectors", (unsigned long long)s->data_offset);
	if ((s->feature_map & SB1_FEAT_NEW_OFFSET) && s->new_offset)
		out_field(f, "New Offset", "%llu sectors",
			  (unsigned long long)(s->data_offset + (uint64_t)(int64_t)s->new_offset));
	out_field(f, "Super Offset", "%llu sectors", (unsigned long long)s->super_offset);
	if (s->feature_map & SB1_FEAT_RECOVERY_OFFSET)
		out_field(f, "Recovery Offset", "%llu sectors", (unsigned long long)s->recovery_offset);
	if (!(s->feature_map & SB1_FEAT_NEW_OFFSET)) {
		sb1_unused_space(s, e->d.dev_sectors, e->bitmap_sectors, &before, &after);
		out_field(f, "Unused Space", "before=%llu sectors, after=%llu sectors",
			  (unsigned long long)before, (unsigned long long)after);
	}
	out_field(f, "State", "%s", s->resync_offset == SB1_MAX_SECTOR ? "clean" : "active");
	fmt_uuid_mdadm(s->device_uuid, buf);
	out_field(f, "Device UUID", "%s", buf);
	fputc('\n', f);
	if (s->feature_map & SB1_FEAT_BITMAP_OFFSET)
		out_field(f, "Internal Bitmap", "%d sectors from superblock", s->bitmap_offset);
	else if (s->feature_map & SB1_FEAT_PPL)
		out_field(f, "PPL", "%u sectors at offset %d sectors from superblock",
			  s->ppl_size, s->ppl_offset);
	if (s->feature_map & SB1_FEAT_RESHAPE_ACTIVE) {
		fmt_human_kib(s->reshape_position / 2, hum, sizeof(hum));
		out_field(f, "Reshape pos'n", "%llu%s", (unsigned long long)(s->reshape_position / 2), hum);
		if (s->delta_disks)
			out_field(f, "Delta Devices", "%d (%u->%u)", s->delta_disks,
				  s->raid_disks - (uint32_t)s->delta_disks, s->raid_disks);
		if ((int32_t)s->new_level != s->level)
			out_field(f, "New Level", "%s", fmt_level((int32_t)s->new_level));
		if (s->new_layout != s->layout) {
			const char *l = fmt_layout((int32_t)s->new_level, (int)s->new_layout, buf, sizeof(buf));

			if (l)
				out_field(f, "New Layout", "%s", l);
		}
		if (s->new_chunk != s->chunksize)
			out_field(f, "New Chunksize", "%uK", s->new_chunk / 2);
		fputc('\n', f);
	}
	if (s->devflags)
		out_field(f, "Flags", "%s%s",
			  (s->devflags & SB1_DEVFLAG_WRITEMOSTLY) ? "write-mostly" : "",
			  (s->devflags & SB1_DEVFLAG_FAILFAST) ?
			  ((s->devflags & SB1_DEVFLAG_WRITEMOSTLY) ? " failfast" : "failfast") : "");
	fmt_time(s->utime_sec, buf, sizeof(buf));
	out_field(f, "Update Time", "%s", buf);
	if (s->bblog_size && s->bblog_offset)
		out_field(f, "Bad Block Log", "%u entries available at offset %d sectors%s",
			  (unsigned)s->bblog_size * 512 / 8, s->bblog_offset,
			  (s->feature_map & SB1_FEAT_BAD_BLOCKS) ? " - bad blocks present." : "");
	if (computed == s->sb_csum)
		out_field(f, "Checksum", "%x - correct", s->sb_csum);
	else
		out_field(f, "Checksum", "%x - expected %x", s->sb_csum, computed);
	out_field(f, "Events", "%llu", (unsigned long long)s->events);
	fputc('\n', f);
	print_text_geometry_role(f, e);
}

/* ---- --examine-badblocks: mdadm's wording ---- */

static int print_badblocks(FILE *f, const struct examined *e)
{
	const struct sb1_info *s = &e->d.info;

	if (!s->bblog_offset || !s->bblog_size) {
		fprintf(f, "No bad-blocks list configured on %s\n", e->name);
		return 0;
	}
	if (e->bb_rc) {
		mdctl_err("%s: cannot read the bad-block log: %s", e->name,
			  e->bb_rc == -ERANGE ? "it lies outside the device" : sb1_strerror(e->bb_rc));
		return -1;
	}
	if (!e->nbb) {
		fprintf(f, "Bad-blocks list is empty in %s\n", e->name);
		return 0;
	}
	fprintf(f, "Bad-blocks on %s:\n", e->name);
	for (size_t i = 0; i < e->nbb; i++)
		fprintf(f, "%20llu for %llu sectors\n", (unsigned long long)e->bb[i].sector,
			(unsigned long long)e->bb[i].len);
	return 0;
}

/* ---- --examine-bitmap: mdadm -X's wording ---- */

/* mdadm's bitmap chunk size: divided by 1024 while anything is left, "64 MB". */
static void fmt_bitmap_chunk(uint32_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
	unsigned i = 0;

	while (bytes >> 10 && i < 4) {
		bytes >>= 10;
		i++;
	}
	snprintf(buf, len, "%u %s", bytes, unit[i]);
}

static void bfield(FILE *f, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bfield(FILE *f, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vfield(f, 16, name, fmt, ap);
	va_end(ap);
}

static int print_bitmap(FILE *f, const struct examined *e, int brief)
{
	const struct bitmap_info *b = &e->bm.info;
	char uuid[36], hum[64], chunk[32];

	if (e->bm_rc) {
		mdctl_err("%s: cannot read the write-intent bitmap: %s", e->name,
			  bitmap_strerror(e->bm_rc));
		return -1;
	}
	fmt_uuid_mdadm(b->uuid, uuid);
	bfield(f, "Filename", "%s", e->name);
	bfield(f, "Magic", "%08x", b->magic);
	bfield(f, "Version", "%u", b->version);
	bfield(f, "UUID", "%s", uuid);
	if (!b->nodes) {
		bfield(f, "Events", "%llu", (unsigned long long)b->events);
		bfield(f, "Events Cleared", "%llu", (unsigned long long)b->events_cleared);
		bfield(f, "State", "%s", b->state == 0 ? "OK" :
		       b->state == BITMAP_STATE_STALE ? "Out of date" : "Unknown");
	}
	fmt_bitmap_chunk(b->chunksize, chunk, sizeof(chunk));
	bfield(f, "Chunksize", "%s", chunk);
	bfield(f, "Daemon", "%us flush period", b->daemon_sleep);
	if (b->write_behind)
		bfield(f, "Write Mode", "Allow write behind, max %u", b->write_behind);
	else
		bfield(f, "Write Mode", "Normal");
	fmt_human_kib(b->sync_size / 2, hum, sizeof(hum));
	bfield(f, "Sync Size", "%llu%s", (unsigned long long)(b->sync_size / 2), hum);
	if (b->nodes) {
		bfield(f, "Cluster nodes", "%u", b->nodes);
		bfield(f, "Cluster name", "%s", b->cluster_name);
	} else if (!brief) {
		bfield(f, "Bitmap", "%llu bits (chunks), %llu dirty (%2.1f%%)",
		       (unsigned long long)e->bm.bits, (unsigned long long)e->bm.dirty,
		       100.0 * (double)e->bm.dirty / (double)(e->bm.bits ? e->bm.bits : 1));
	}
	return 0;
}

/* ---- --export ---- */

static void print_export(FILE *f, const struct examined *e)
{
	const struct sb1_info *s = &e->d.info;
	uint16_t role = sb1_role(s);
	char buf[64];

	out_export(f, "MD_LEVEL", "%s", fmt_level(s->level));
	out_export(f, "MD_DEVICES", "%u", s->raid_disks);
	if (s->set_name[0])
		out_export(f, "MD_NAME", "%s", s->set_name);
	if (s->level > 0) {
		fmt_brief_kib(array_sectors(s) / 2, buf, sizeof(buf));
		out_export(f, "MD_ARRAY_SIZE", "%s", buf);
	}
	fmt_uuid_mdadm(s->set_uuid, buf);
	out_export(f, "MD_UUID", "%s", buf);
	out_export(f, "MD_UPDATE_TIME", "%llu", (unsigned long long)s->utime_sec);
	fmt_uuid_mdadm(s->device_uuid, buf);
	out_export(f, "MD_DEV_UUID", "%s", buf);
	out_export(f, "MD_EVENTS", "%llu", (unsigned long long)s->events);
	if (role < SB1_ROLE_MAX)
		out_export(f, "MD_DEV_ROLE", "%u", role);
	else
		out_export(f, "MD_DEV_ROLE", "%s", sb1_role_word(role));
	out_export(f, "MD_REPLACEMENT", "%d", is_replacement(s));
	if (s->feature_map & SB1_FEAT_RECOVERY_OFFSET)
		out_export(f, "MD_RECOVERY_OFFSET", "%llu", (unsigned long long)s->recovery_offset);
	else
		out_export(f, "MD_RECOVERY_OFFSET", "none");
	out_export(f, "MD_BAD_BLOCKS", "%zu", e->nbb);
}

/* ---- --brief ---- */

static void print_brief(FILE *f, struct examined *all, size_t n, size_t first, int verbose)
{
	const struct sb1_info *s = &all[first].d.info;
	char uuid[36];

	fmt_uuid_mdadm(s->set_uuid, uuid);
	fputs("ARRAY ", f);
	if (s->set_name[0]) {
		char link[64];

		out_link_name(short_name(s->set_name), link, sizeof(link));
		fprintf(f, "/dev/md/%s", link);
	}
	fputc(' ', f);
	if (verbose)
		fprintf(f, " level=%s", fmt_level(s->level));
	fprintf(f, " metadata=%s", sb1_version_string(s->minor));
	if (verbose)
		fprintf(f, " num-devices=%u", s->raid_disks);
	fprintf(f, " UUID=%s", uuid);
	if (s->set_name[0]) {
		fputs(" name=", f);
		out_conf_word(f, s->set_name);
	}
	fputc('\n', f);
	if (verbose) {
		const char *sep = "";

		fputs("   devices=", f);
		for (size_t i = first; i < n; i++) {
			if (!all[i].name || memcmp(all[i].d.info.set_uuid, s->set_uuid, 16))
				continue;
			fputs(sep, f);
			out_conf_word(f, all[i].name);
			sep = ",";
		}
		fputc('\n', f);
	}
}

/* ---- --json (schema version MDCTL_JSON_SCHEMA, documented in mdctl(8)) ---- */

static struct json_object *jstr(const char *s)
{
	return out_jstr(s);
}

static struct json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static struct json_object *jsector(uint64_t v)
{
	return v == SB1_MAX_SECTOR ? NULL : json_object_new_uint64(v);
}

/* The "flags", "bitmap_offset", "ppl" and "reshape" members of one device's object. */
static void json_add_flags_ppl_reshape(struct json_object *o, const struct sb1_info *s)
{
	struct json_object *a, *x;

	a = json_object_new_array();
	if (s->devflags & SB1_DEVFLAG_WRITEMOSTLY)
		json_object_array_add(a, jstr("write-mostly"));
	if (s->devflags & SB1_DEVFLAG_FAILFAST)
		json_object_array_add(a, jstr("failfast"));
	json_object_object_add(o, "flags", a);
	json_object_object_add(o, "bitmap_offset", (s->feature_map & SB1_FEAT_BITMAP_OFFSET) ?
			       json_object_new_int(s->bitmap_offset) : NULL);
	if (s->feature_map & (SB1_FEAT_PPL | SB1_FEAT_MULTIPLE_PPLS)) {
		x = json_object_new_object();
		json_object_object_add(x, "offset", json_object_new_int(s->ppl_offset));
		json_object_object_add(x, "size", ju64(s->ppl_size));
		json_object_object_add(o, "ppl", x);
	} else {
		json_object_object_add(o, "ppl", NULL);
	}
	if (s->feature_map & SB1_FEAT_RESHAPE_ACTIVE) {
		x = json_object_new_object();
		json_object_object_add(x, "position", ju64(s->reshape_position));
		json_object_object_add(x, "delta_disks", json_object_new_int(s->delta_disks));
		json_object_object_add(x, "new_level", jstr(fmt_level((int32_t)s->new_level)));
		json_object_object_add(x, "new_layout_number", ju64(s->new_layout));
		json_object_object_add(x, "new_chunk_sectors", ju64(s->new_chunk));
		json_object_object_add(x, "backwards",
				       json_object_new_boolean(!!(s->feature_map & SB1_FEAT_RESHAPE_BACKWARDS)));
		json_object_object_add(o, "reshape", x);
	} else {
		json_object_object_add(o, "reshape", NULL);
	}
}

static struct json_object *build_json(const struct examined *e)
{
	const struct sb1_info *s = &e->d.info;
	struct json_object *o = json_object_new_object(), *a, *x;
	uint32_t computed = sb1_checksum(e->d.raw);
	uint32_t nroles = s->max_dev > SB1_MAX_DEV ? SB1_MAX_DEV : s->max_dev;
	uint16_t role = sb1_role(s);
	uint64_t before, after, asz;
	char buf[128];

	json_object_object_add(o, "version", json_object_new_int(MDCTL_JSON_SCHEMA));
	json_object_object_add(o, "device", jstr(e->name));
	snprintf(buf, sizeof(buf), "%08x", SB1_MAGIC);
	json_object_object_add(o, "magic", jstr(buf));
	json_object_object_add(o, "metadata", jstr(sb1_version_string(s->minor)));
	json_object_object_add(o, "feature_map", ju64(s->feature_map));
	a = json_object_new_array();
	for (uint32_t bit = 1; bit; bit <<= 1) {
		if (!(s->feature_map & bit))
			continue;
		json_object_array_add(a, jstr(sb1_feature_name(bit) ? sb1_feature_name(bit) : "unknown"));
	}
	json_object_object_add(o, "features", a);
	fmt_uuid_mdadm(s->set_uuid, buf);
	json_object_object_add(o, "array_uuid", jstr(buf));
	json_object_object_add(o, "name", jstr(s->set_name));
	json_object_object_add(o, "creation_time", ju64(s->ctime_sec));
	json_object_object_add(o, "creation_time_usec", ju64(s->ctime_usec));
	json_object_object_add(o, "level", jstr(fmt_level(s->level)));
	json_object_object_add(o, "level_number", json_object_new_int(s->level));
	json_object_object_add(o, "layout_number", ju64(s->layout));
	{
		const char *l = fmt_layout(s->level, (int)s->layout, buf, sizeof(buf));

		json_object_object_add(o, "layout", l ? jstr(l) : NULL);
	}
	json_object_object_add(o, "chunk_sectors", ju64(s->chunksize));
	json_object_object_add(o, "raid_devices", ju64(s->raid_disks));
	json_object_object_add(o, "avail_dev_size", ju64(s->data_size));
	json_object_object_add(o, "used_dev_size", ju64(s->size));
	asz = array_sectors(s);
	json_object_object_add(o, "array_size", s->level > 0 && asz ? ju64(asz) : NULL);
	json_object_object_add(o, "data_offset", ju64(s->data_offset));
	json_object_object_add(o, "data_size", ju64(s->data_size));
	json_object_object_add(o, "super_offset", ju64(s->super_offset));
	json_object_object_add(o, "new_offset", (s->feature_map & SB1_FEAT_NEW_OFFSET) ?
			       json_object_new_int(s->new_offset) : NULL);
	json_object_object_add(o, "recovery_offset", (s->feature_map & SB1_FEAT_RECOVERY_OFFSET) ?
			       jsector(s->recovery_offset) : NULL);
	sb1_unused_space(s, e->d.dev_sectors, e->bitmap_sectors, &before, &after);
	x = json_object_new_object();
	json_object_object_add(x, "before", ju64(before));
	json_object_object_add(x, "after", ju64(after));
	json_object_object_add(o, "unused_space", x);
	json_object_object_add(o, "device_size", ju64(e->d.dev_sectors));
	json_object_object_add(o, "state", jstr(s->resync_offset == SB1_MAX_SECTOR ? "clean" : "active"));
	json_object_object_add(o, "resync_offset", jsector(s->resync_offset));
	fmt_uuid_mdadm(s->device_uuid, buf);
	json_object_object_add(o, "device_uuid", jstr(buf));
	json_object_object_add(o, "dev_number", ju64(s->dev_number));
	json_object_object_add(o, "role", jstr(role < SB1_ROLE_MAX ?
			       (is_replacement(s) ? "replacement" : "active") : sb1_role_word(role)));
	json_object_object_add(o, "slot", role < SB1_ROLE_MAX ? ju64(role) : NULL);
	json_object_object_add(o, "replacement", json_object_new_boolean(is_replacement(s)));
	json_add_flags_ppl_reshape(o, s);
	json_object_object_add(o, "update_time", ju64(s->utime_sec));
	json_object_object_add(o, "update_time_usec", ju64(s->utime_usec));
	if (s->bblog_size && s->bblog_offset) {
		x = json_object_new_object();
		json_object_object_add(x, "offset", json_object_new_int(s->bblog_offset));
		json_object_object_add(x, "size", ju64(s->bblog_size));
		json_object_object_add(x, "entries_available", ju64((uint64_t)s->bblog_size * 64));
		json_object_object_add(x, "shift", ju64(s->bblog_shift));
		json_object_object_add(x, "bad_blocks_present",
				       json_object_new_boolean(!!(s->feature_map & SB1_FEAT_BAD_BLOCKS)));
		json_object_object_add(o, "bad_block_log", x);
	} else {
		json_object_object_add(o, "bad_block_log", NULL);
	}
	a = json_object_new_array();
	for (size_t i = 0; i < e->nbb; i++) {
		x = json_object_new_object();
		json_object_object_add(x, "sector", ju64(e->bb[i].sector));
		json_object_object_add(x, "sectors", ju64(e->bb[i].len));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "bad_blocks", a);
	snprintf(buf, sizeof(buf), "%08x", s->sb_csum);
	json_object_object_add(o, "checksum", jstr(buf));
	snprintf(buf, sizeof(buf), "%08x", computed);
	json_object_object_add(o, "checksum_computed", jstr(buf));
	json_object_object_add(o, "checksum_ok", json_object_new_boolean(computed == s->sb_csum));
	json_object_object_add(o, "events", ju64(s->events));
	json_object_object_add(o, "cnt_corrected_read", ju64(s->cnt_corrected_read));
	json_object_object_add(o, "logical_block_size", ju64(s->logical_block_size));
	json_object_object_add(o, "max_dev", ju64(s->max_dev));
	a = json_object_new_array();
	for (uint32_t i = 0; i < nroles; i++) {
		uint16_t r = s->dev_roles[i];

		if (r == SB1_ROLE_SPARE)
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "dev_number", ju64(i));
		json_object_object_add(x, "role", jstr(sb1_role_word(r)));
		json_object_object_add(x, "slot", r < SB1_ROLE_MAX ? ju64(r) : NULL);
		json_object_object_add(x, "value", ju64(r));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "roles", a);
	array_state(s, buf, sizeof(buf));
	json_object_object_add(o, "array_state", jstr(buf));
	return o;
}

/* ---- loading and errors ---- */

/*
 * An old 0.90 superblock sits in the last 64 KiB-aligned 64 KiB of the
 * device and starts with the same magic (host-endian).  Worth naming rather
 * than saying "none".
 */
static int has_v090(const char *name)
{
	unsigned char b[4];
	uint64_t sectors, at;
	int fd = open(name, O_RDONLY | O_CLOEXEC), found = 0;

	if (fd < 0)
		return 0;
	if (!sb1_dev_size(fd, &sectors) && sectors >= 256) {
		at = (sectors & ~(uint64_t)127) - 128;
		found = !sb1_pread_fresh(fd, b, sizeof(b), at * 512) && raw32(b, 0) == SB1_MAGIC;
	}
	close(fd);
	return found;
}

/* One line naming the device and the cause, with the numbers that explain it. */
static void report_load_error(const char *name, const struct sb1_dev *d, int rc)
{
	const unsigned char *raw = d->raw;

	switch (rc) {
	case -ENOENT:
		if (has_v090(name))
			mdctl_err("%s: md 0.90 superblock found: only 1.0, 1.1 and 1.2 metadata are supported",
				  name);
		else
			mdctl_err("%s: no md superblock detected", name);
		break;
	case -EBADMSG:
		mdctl_err("%s: superblock checksum mismatch: stored 0x%08x, computed 0x%08x", name,
			  raw32(raw, offsetof(struct md_sb1, sb_csum)), sb1_checksum(raw));
		break;
	case -EPROTO:
		mdctl_err("%s: unsupported superblock major version %u (expected 1)", name,
			  raw32(raw, offsetof(struct md_sb1, major_version)));
		break;
	case -E2BIG:
		mdctl_err("%s: max_dev %u out of range (at most %u)", name,
			  raw32(raw, offsetof(struct md_sb1, max_dev)), SB1_MAX_DEV);
		break;
	case -ESPIPE:
		mdctl_err("%s: super_offset %llu does not match where the superblock was found (sector %llu)",
			  name, (unsigned long long)raw64(raw, offsetof(struct md_sb1, super_offset)),
			  (unsigned long long)d->sb_sector);
		break;
	case -EOPNOTSUPP:
		mdctl_err("%s: unknown feature bits 0x%x in feature map 0x%x", name,
			  raw32(raw, offsetof(struct md_sb1, feature_map)) & ~SB1_FEAT_ALL,
			  raw32(raw, offsetof(struct md_sb1, feature_map)));
		break;
	case -ERANGE:
		mdctl_err("%s: impossible geometry: %s out of range (data_offset %llu, data_size %llu, size %llu; device %llu sectors, superblock at %llu)",
			  name, sb1_range_field(raw, d->sb_sector, d->dev_sectors) ?: "?",
			  (unsigned long long)raw64(raw, offsetof(struct md_sb1, data_offset)),
			  (unsigned long long)raw64(raw, offsetof(struct md_sb1, data_size)),
			  (unsigned long long)raw64(raw, offsetof(struct md_sb1, size)),
			  (unsigned long long)d->dev_sectors, (unsigned long long)d->sb_sector);
		break;
	case -ENOTEMPTY:
	case -EILSEQ:
	case -EUCLEAN:
		mdctl_err("%s: invalid superblock: %s", name, sb1_strerror(rc));
		break;
	default:
		mdctl_err("%s: cannot read superblock: %s", name, sb1_strerror(rc));
		break;
	}
}

static int examine_one(const char *name, struct examined *e, int quiet_none, int with_bits)
{
	int fd, rc;

	memset(e, 0, sizeof(*e));
	/* a FIFO would block the read forever, a character device may act on open */
	fd = safe_open_device(name, O_RDONLY);
	if (fd < 0) {
		if (fd == -ENOTBLK)
			mdctl_err("%s: %s: refused", name, safe_strerror(fd));
		else
			mdctl_err_rc(fd, "%s: cannot open", name);
		return -1;
	}
	rc = sb1_load(fd, -1, &e->d);
	if (rc) {
		close(fd);
		/* --scan: libblkid also reports 0.90 and other md formats; not ours */
		if (quiet_none && rc == -ENOENT)
			return 1;
		report_load_error(name, &e->d, rc);
		return -1;
	}
	e->name = name;
	e->bb_rc = sb1_load_badblocks(fd, &e->d, &e->bb, &e->nbb);
	rc = read_bitmap(fd, e, with_bits);
	close(fd);
	if (rc) {
		mdctl_err("%s: impossible geometry: bitmap sync_size out of range (more bits than the device has sectors)",
			  name);
		free(e->bb);
		e->bb = NULL;
		return -1;
	}
	return 0;
}

/* Examine each device and print it as asked; 1 when any failed. */
static int examine_each(const struct examine_opts *o, char **names, int n, struct examined *all,
			struct json_object *arr, int *ok)
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		struct examined *e = &all[i];

		int r = examine_one(names[i], e, o->scan, o->bitmap);

		if (r) {
			if (r < 0)
				failed = 1;
			continue;
		}
		(*ok)++;
		if (o->badblocks) {
			if (print_badblocks(stdout, e))
				failed = 1;
			continue;
		}
		if (o->bitmap) {
			if (print_bitmap(stdout, e, o->fmt == OUT_BRIEF))
				failed = 1;
			continue;
		}
		switch (o->fmt) {
		case OUT_TEXT:
			print_text(stdout, e);
			break;
		case OUT_EXPORT:
			print_export(stdout, e);
			break;
		case OUT_JSON:
			json_object_array_add(arr, build_json(e));
			break;
		case OUT_BRIEF:
			break;
		}
		fflush(stdout);
		/* the kernel refuses a member whose recorded bad blocks it cannot read */
		if (e->bb_rc) {
			mdctl_err("%s: cannot read the bad-block log: %s", e->name,
				  e->bb_rc == -ERANGE ? "it lies outside the device" :
				  sb1_strerror(e->bb_rc));
			failed = 1;
		}
	}
	return failed;
}

/* --brief: one line per array, in the order arrays were first seen. */
static void print_briefs(const struct examine_opts *o, struct examined *all, int n)
{
	for (int i = 0; i < n; i++) {
		int seen = 0;

		if (!all[i].name)
			continue;
		for (int j = 0; j < i && !seen; j++)
			seen = all[j].name && !memcmp(all[j].d.info.set_uuid,
						      all[i].d.info.set_uuid, 16);
		if (!seen)
			print_brief(stdout, all, (size_t)n, (size_t)i, o->verbose);
	}
}

int cmd_examine(struct mdctl_ctx *ctx, int argc, char **argv)
{
	struct examine_opts o = { .fmt = OUT_TEXT };
	struct examined *all;
	struct json_object *arr = NULL;
	char **names, **scanned = NULL;
	int c, n, failed = 0, ok = 0;

	(void)ctx;
	cli_begin();
	while ((c = cli_getopt(argc, argv, ":EXbYsvqh", examine_options, 'E')) != -1) {
		switch (c) {
		case 'X':
			o.bitmap = 1;
			break;
		case 'b':
			if (set_format(&o, OUT_BRIEF))
				return MDCTL_EXIT_USAGE;
			break;
		case 'Y':
			if (set_format(&o, OUT_EXPORT))
				return MDCTL_EXIT_USAGE;
			break;
		case OPT_JSON:
			if (set_format(&o, OUT_JSON))
				return MDCTL_EXIT_USAGE;
			break;
		case 'v':
			o.verbose++;
			break;
		case OPT_BADBLOCKS:
			o.badblocks = 1;
			break;
		case 's':
			o.scan = 1;
			break;
		default:
			if ((failed = cli_common("--examine", examine_usage, c, argv)) != CLI_NEXT)
				return failed;
			failed = 0;
			break;
		}
	}
	n = argc - optind;
	names = argv + optind;
	if (o.scan) {
		size_t found;
		int rc;

		if (n > 0) {
			mdctl_err("--examine --scan: takes no device names (it finds them)");
			return MDCTL_EXIT_USAGE;
		}
		rc = blkdev_find_raid_members(&scanned, &found);
		if (rc) {
			mdctl_err_rc(rc, "--examine --scan: cannot list block devices");
			return MDCTL_EXIT_FAIL;
		}
		if (!found) {
			blkdev_free_list(scanned, found);
			if (o.fmt == OUT_JSON)
				puts("[]");
			return MDCTL_EXIT_OK;
		}
		n = (int)found;
		names = scanned;
		if (o.fmt == OUT_TEXT && !o.badblocks && !o.bitmap)
			o.fmt = OUT_BRIEF;
	} else if (n <= 0) {
		return cli_usage("--examine", "no device given");
	}
	all = calloc((size_t)n, sizeof(*all));
	if (!all) {
		mdctl_err("--examine: out of memory");
		blkdev_free_list(scanned, scanned ? (size_t)n : 0);
		return MDCTL_EXIT_FAIL;
	}
	if ((o.badblocks || o.bitmap) && o.fmt != OUT_TEXT && !(o.bitmap && o.fmt == OUT_BRIEF)) {
		mdctl_err("%s: %s cannot be combined with it",
			  o.badblocks ? "--examine-badblocks" : "--examine-bitmap", fmt_option_name(o.fmt));
		free(all);
		return MDCTL_EXIT_USAGE;
	}
	if (o.fmt == OUT_JSON)
		arr = json_object_new_array();
	failed = examine_each(&o, names, n, all, arr, &ok);
	if (o.fmt == OUT_BRIEF && !o.bitmap)
		print_briefs(&o, all, n);
	if (arr) {
		if (n == 1 && ok == 1 && !o.scan)
			out_json(stdout, json_object_array_get_idx(arr, 0));
		else if (ok)
			out_json(stdout, arr);
		json_object_put(arr);
	}
	for (int i = 0; i < n; i++)
		free(all[i].bb);
	free(all);
	if (scanned)
		blkdev_free_list(scanned, (size_t)n);
	return failed ? MDCTL_EXIT_FAIL : MDCTL_EXIT_OK;
}
