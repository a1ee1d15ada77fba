// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_config.c: reloading the config for a running monitor, keeping the old one when the new one is broken. */
#include "monitor.h"
#include "config.h"

#include <errno.h>
#include <string.h>

int mon_config_reload(struct mdctl_config *cur, const char *path, char *err, size_t errlen)
{
	struct mdctl_config next;
	int rc;

	memset(&next, 0, sizeof(next));
	rc = config_load(path, &next, err, errlen);
	if (rc) {
		/* config_load leaves nothing to free on error; cur is untouched */
		return rc;
	}
	config_free(cur);
	*cur = next;
	return 0;
}
