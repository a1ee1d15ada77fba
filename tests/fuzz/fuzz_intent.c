// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_intent.c: libFuzzer harness over the replacement intents file: load, then add and remove through it. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intent.h"
#include "super1.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is <dir>/replacements.json as found after a crash or an edit.
 * A file that loads must survive an add and a remove (and hold the added
 * entry in between); one that does not must be refused by both with
 * -EBADMSG and left as it was (never overwritten).  The input's first 37
 * bytes also go to the UUID parser as a string.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_scratch();
	struct replace_intent in = { .created = 1 }, *v = NULL;
	char uuid[38];
	uint8_t u[16];
	size_t n = 0, m = 0;
	int rc, rc2;

	snprintf(uuid, sizeof(uuid), "%.*s", (int)(size < 37 ? size : 37), (const char *)data);
	(void)intent_uuid_parse(uuid, u);

	fuzz_put(dir, "replacements.json", data, size);
	rc = intent_load(dir, &v, &n);
	free(v);
	v = NULL;
	memset(in.array_uuid, 0xa5, 16);
	memset(in.old_dev_uuid, 0x5a, 16);
	strcpy(in.old_kname, "loop1");
	strcpy(in.md_kname, "md0");
	strcpy(in.new_path, "/dev/loop2");
	rc2 = intent_add(dir, &in);
	if (rc == 0) {
		if (rc2 != 0 || intent_load(dir, &v, &m) != 0)
			__builtin_trap();
		/* the old entries stay, the new one is there once */
		if (m != n + 1 && m != n)
			__builtin_trap();
		free(v);
		if (intent_remove(dir, in.array_uuid, in.old_dev_uuid) != 0)
			__builtin_trap();
	} else if (rc == -EBADMSG) {
		if (rc2 != -EBADMSG || intent_remove(dir, in.array_uuid, in.old_dev_uuid) != -EBADMSG)
			__builtin_trap();
	}
	return 0;
}
