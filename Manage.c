// SPDX-License-Identifier: GPL-2.0-or-later
/* Manage.c: placeholder until the manage mode is written; refuses clearly. */
#include "mdctl.h"
#include "util.h"

int cmd_manage(struct mdctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	mdctl_err("--manage: not implemented yet");
	return MDCTL_EXIT_FAIL;
}
