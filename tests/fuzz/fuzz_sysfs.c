// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_sysfs.c: libFuzzer harness over the md sysfs attribute parsers and the array snapshot reader on a generated tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdarray.h"
#include "super1.h"
#include "sysfs.h"
#include "tests/fuzz/memfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const array_attrs[] = {
	"metadata_version", "level", "raid_disks", "chunk_size", "layout", "component_size",
	"array_state", "sync_action", "sync_completed", "sync_speed", "degraded",
	"reshape_position", "uuid", "../size",
};
static const char *const member_attrs[] = {
	"state", "slot", "offset", "size", "recovery_start", "errors", "bad_blocks",
	"unacknowledged_bad_blocks", "block/dev",
};
#define NA (sizeof(array_attrs) / sizeof(array_attrs[0]))
#define NM (sizeof(member_attrs) / sizeof(member_attrs[0]))
#define MAX_MEMBERS 6

/* tree-relative path of attribute i: the array's first, then member i / NM's */
static void attr_rel(size_t i, char *rel, size_t len)
{
	if (i < NA)
		snprintf(rel, len, "block/md0/md/%s", array_attrs[i]);
	else
		snprintf(rel, len, "block/md0/md/dev-loop%zu/%s", (i - NA) / NM, member_attrs[(i - NA) % NM]);
}

static void judge(const struct md_array *a)
{
	struct md_counts c;
	char text[256];

	md_array_count(a, &c);
	(void)md_array_missing(a);
	(void)md_array_enough(a);
	(void)md_health_word(md_array_health(a));
	(void)md_sync_word(md_sync_kind(a));
	(void)md_sync_percent(a);
	(void)md_array_running(a);
	(void)md_level_number(a->level);
	md_array_state_text(a, text, sizeof(text));
	if (c.active + c.spare != c.working)
		__builtin_trap();
	for (unsigned i = 0; i < a->nmembers; i++) {
		const struct md_member *m = &a->members[i];

		(void)md_copied_percent(a, m);
		(void)md_role_word(md_member_role(a, m));
		(void)md_member_failed(m);
		if (md_array_find((struct md_array *)a, m->kname) == NULL)
			__builtin_trap();
		(void)md_array_find_devnum((struct md_array *)a, m->major, m->minor);
	}
}

/*
 * The tree lives in memory (tests/fuzz/memfs.c): the product's open, read
 * and readdir calls are served from the table, with no system call per file.
 * The input, split at NUL bytes, gives the attribute files in order: the
 * array's (array_attrs), then MAX_MEMBERS members' (member_attrs); an empty
 * piece leaves that file out, as an inactive array or an older kernel does.
 * Each piece also goes through the dev-X/state parser, whose output must
 * survive formatting and parsing again.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *root = MEMFS_ROOT;
	struct md_array a;
	size_t i = 0, start = 0;
	char rel[128], piece[256];
	uint64_t v;

	memfs_put("block/md0/md/.keep", "", 0);
	for (size_t p = 0; p <= size && i < NA + MAX_MEMBERS * NM; p++) {
		size_t len = p - start;
		unsigned f, g;

		if (p < size && data[p] != 0)
			continue;
		attr_rel(i, rel, sizeof(rel));
		if (len)
			memfs_put(rel, data + start, len);
		snprintf(piece, sizeof(piece), "%.*s", (int)len, (const char *)data + start);
		f = md_parse_dev_state(piece);
		if (md_format_dev_state(f, piece, sizeof(piece)) == 0) {
			g = md_parse_dev_state(piece);
			if (f != g)
				__builtin_trap();
		}
		if (len)
			(void)sysfs_read_u64(root, rel, &v);
		start = p + 1;
		i++;
	}
	if (md_array_read(root, "md0", &a) == 0) {
		judge(&a);
		md_array_free(&a);
	}
	memfs_reset(); /* here, so that a descriptor left open traps on this input */
	return 0;
}
