// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_config.c: libFuzzer entry for config_parse_buffer() and config_parse_uuid(). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdctl_config c;
	char err[256];
	uint8_t uuid[16];
	char *text = malloc(size + 1);
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rc = config_parse_buffer(text, "fuzz.conf", &c, err, sizeof(err));
	/* an error always says where; success never leaves one behind */
	if ((rc == -EINVAL && strncmp(err, "fuzz.conf:", 10) != 0) || (rc == 0 && err[0]))
		abort();
	config_free(&c);
	config_parse_uuid(text, uuid);
	free(text);
	return 0;
}
