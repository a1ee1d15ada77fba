// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_mdstat.c: libFuzzer entry for mdstat_parse() over arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mdstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdstat m;
	char *text = malloc(size + 1);
	unsigned i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (mdstat_parse(text, &m) == 0) {
		/* every parsed array must be self-consistent */
		for (i = 0; i < m.narrays; i++) {
			const struct mdstat_array *a = &m.arrays[i];

			if (a->nmembers > MDSTAT_MAX_MEMBERS || strlen(a->status) > MDSTAT_MAX_MEMBERS ||
			    a->sync_permille > 1000 || mdstat_find(&m, a->kname) == NULL)
				abort();
		}
		mdstat_free(&m);
	}
	free(text);
	return 0;
}
