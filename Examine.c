// SPDX-License-Identifier: GPL-2.0-or-later
/* Examine.c: placeholder until the examine mode is written; refuses clearly. */
#include "mdctl.h"
#include "util.h"

int cmd_examine(struct mdctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	mdctl_err("--examine: not implemented yet");
	return MDCTL_EXIT_FAIL;
}
