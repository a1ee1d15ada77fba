// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_config_file.c: libFuzzer entry for config_load() of a file (NUL bytes, long lines). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tests/fuzz/memfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is the file, served from memory (tests/fuzz/memfs.c): the
 * product's stat(), fopen() and fread() of it are the memfs ones.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char path[] = MEMFS_ROOT "/mdadm.conf";
	struct mdctl_config c;
	char err[512];
	int rc;

	memfs_put("mdadm.conf", data, size);
	rc = config_load(path, &c, err, sizeof(err));
	/* an error names the file and line; a file holding a NUL never loads */
	if ((rc && strncmp(err, path, strlen(path))) || (rc == 0 && memchr(data, 0, size)))
		abort();
	/* what loaded says nothing that a plain reading would not: no control byte kept */
	if (rc == 0)
		for (size_t i = 0; i < c.narrays; i++)
			for (const char *p = c.arrays[i].name; *p; p++)
				if ((unsigned char)*p < 0x20 && *p != '\t')
					abort();
	config_free(&c);
	memfs_reset();
	return 0;
}
