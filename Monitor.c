// SPDX-License-Identifier: GPL-2.0-or-later
/* Monitor.c: placeholder until the monitor mode is written; refuses clearly. */
#include "mdctl.h"
#include "util.h"

int cmd_monitor(struct mdctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	mdctl_err("--monitor: not implemented yet");
	return MDCTL_EXIT_FAIL;
}
