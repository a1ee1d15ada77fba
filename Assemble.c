// SPDX-License-Identifier: GPL-2.0-or-later
/* Assemble.c: placeholder until the assemble mode is written; refuses clearly. */
#include "mdctl.h"
#include "util.h"

int cmd_assemble(struct mdctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	mdctl_err("--assemble: not implemented yet");
	return MDCTL_EXIT_FAIL;
}
