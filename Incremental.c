// SPDX-License-Identifier: GPL-2.0-or-later
/* Incremental.c: placeholder until the incremental mode is written; refuses clearly. */
#include "mdctl.h"
#include "util.h"

int cmd_incremental(struct mdctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	mdctl_err("--incremental: not implemented yet");
	return MDCTL_EXIT_FAIL;
}
