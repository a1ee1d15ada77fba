// SPDX-License-Identifier: GPL-2.0-or-later
/* Replace.c: placeholder until the replace mode is written; refuses clearly. */
#include "mdctl.h"
#include "util.h"

int cmd_replace(struct mdctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	mdctl_err("--replace: not implemented yet");
	return MDCTL_EXIT_FAIL;
}
