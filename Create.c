// SPDX-License-Identifier: GPL-2.0-or-later
/* Create.c: placeholder until the create mode is written; refuses clearly. */
#include "mdctl.h"
#include "util.h"

int cmd_create(struct mdctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	mdctl_err("--create: not implemented yet");
	return MDCTL_EXIT_FAIL;
}
