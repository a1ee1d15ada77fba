// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_assembly.c: libFuzzer harness running the assembly planner over sets of hostile superblocks. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assembly.h"
#include "super1.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CANDS 8
#define SB_BYTES 1024  /* fixed part and 384 roles: enough for any array a test makes */

/*
 * Input: one options byte (bit 0 --force, bit 1 --uuid of the first
 * candidate, bit 2 --name "data"), then per candidate one flags byte and
 * SB_BYTES of superblock.  Flags: bit 0 keep the stored checksum (else it
 * is fixed, so mutations reach the planner), bit 1 take the set UUID of
 * the first candidate (one array, hostile members), bit 2 busy, bit 3
 * vanished, bit 4 the load failed (-EIO).  A candidate is accepted only as
 * sb1_check() accepts it, as sb1_load() would.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asm_cand c[MAX_CANDS];
	struct sb1_dev *d = calloc(MAX_CANDS, sizeof(*d));
	struct asm_opts o = { 0 };
	struct asm_plan p;
	size_t n = 0;
	int in_slot[64][2];

	if (!d)
		abort();
	if (size < 1) {
		free(d);
		return 0;
	}
	o.force = data[0] & 1;
	o.name = (data[0] & 4) ? "data" : NULL;
	memset(c, 0, sizeof(c));
	for (size_t off = 1; off + 1 < size && n < MAX_CANDS; off += 1 + SB_BYTES, n++) {
		uint8_t fl = data[off];
		size_t len = size - off - 1 < SB_BYTES ? size - off - 1 : SB_BYTES;

		memcpy(d[n].raw, data + off + 1, len);
		if ((fl & 2) && n > 0)
			memcpy(d[n].raw + 16, d[0].raw + 16, 16);
		if (!(fl & 1))
			fuzz_fix_csum(d[n].raw);
		sb1_decode(d[n].raw, &d[n].info);
		d[n].minor = 2;
		d[n].sb_sector = 8;
		d[n].dev_sectors = d[n].info.data_offset + d[n].info.data_size + 8;
		c[n].path = "/dev/fuzz";
		c[n].dev = &d[n];
		c[n].load_rc = (fl & 16) ? -5 : sb1_check(d[n].raw, d[n].sb_sector, d[n].dev_sectors);
		c[n].busy = fl & 4;
		c[n].vanished = fl & 8;
		c[n].major = 7;
		c[n].minor = (unsigned)n;
	}
	if (n && (data[0] & 2) && c[0].load_rc == 0) {
		o.have_uuid = true;
		memcpy(o.uuid, d[0].info.set_uuid, 16);
	}
	if (asm_plan(c, n, &o, &p) == 0) {
		(void)asm_dirty_degraded(c, &p);
		/* a slot holds at most one primary and one replacement */
		memset(in_slot, 0, sizeof(in_slot));
		for (size_t i = 0; i < n; i++) {
			(void)asm_verdict_name(c[i].verdict);
			if (c[i].verdict != ASM_IN || c[i].slot < 0 || c[i].slot >= 64)
				continue;
			if (++in_slot[c[i].slot][c[i].replacement] > 1)
				__builtin_trap();
		}
		(void)asm_percent(p.events, p.component_sectors);
	}
	free(d);
	return 0;
}
