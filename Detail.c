// SPDX-License-Identifier: GPL-2.0-or-later
/* Detail.c: placeholder until the detail mode is written; refuses clearly. */
#include "mdctl.h"
#include "util.h"

int cmd_detail(struct mdctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	mdctl_err("--detail: not implemented yet");
	return MDCTL_EXIT_FAIL;
}
