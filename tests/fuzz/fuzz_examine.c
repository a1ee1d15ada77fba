// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_examine.c: libFuzzer harness running `mdctl --examine` in every output format over a fuzzed image. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the command itself, so its formatting and its use of the library are covered */
#include "../../Examine.c"
#include "tests/fuzz/memfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * Every rejected image prints a line on stderr; let libFuzzer close it
 * (-close_fd_mask=2: it keeps a copy for its own and the sanitizers'
 * reports).  stdout goes to /dev/null but stays open, so no image file
 * can take descriptor 1.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char mask[] = "-close_fd_mask=2";
	char **nv = calloc((size_t)*argc + 2, sizeof(*nv));

	if (!nv || !freopen("/dev/null", "w", stdout))
		abort();
	memcpy(nv, *argv, (size_t)*argc * sizeof(*nv));
	nv[(*argc)++] = mask;
	*argv = nv;
	return 0;
}

/*
 * The input lies at sector 8 (the 1.2 location) of a sparse image served
 * from memory (tests/fuzz/memfs.c: the product's open, fstat, pread and
 * fcntl of it are the memfs ones, which behave as a tmpfs file's);
 * the image is as large as the superblock's data area says (bounded), so
 * seeds taken from real superblocks pass the checks and reach the printers.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const modes[][3] = {
		{ "-E", NULL, NULL }, { "-E", "--export", NULL }, { "-E", "--json", NULL },
		{ "-E", "--brief", "-v" }, { "--examine-badblocks", NULL, NULL }, { "-X", NULL, NULL },
	};
	static char path[] = MEMFS_ROOT "/image";
	struct mdctl_ctx ctx = { .prog = "mdctl" };
	uint64_t end = 0, off = 0, len = 0, bytes;

	if (size >= 144) {
		memcpy(&off, data + 128, 8);
		memcpy(&len, data + 136, 8);
		end = off + len;
	}
	if (end < 4096 || end > (1ull << 31))
		end = 1ull << 17;
	bytes = end * 512 + (size & 0xfff);
	if (bytes < 4096 + size) /* the input reaches past that size: the file grows to hold it */
		bytes = 4096 + size;
	memfs_put_sparse("image", bytes, 4096, data, size);
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		char *argv[6];
		int argc = 0;

		argv[argc++] = (char *)"mdctl";
		for (int k = 0; k < 3 && modes[m][k]; k++)
			argv[argc++] = (char *)modes[m][k];
		argv[argc++] = path;
		argv[argc] = NULL;
		(void)cmd_examine(&ctx, argc, argv);
	}
	memfs_reset();
	return 0;
}
