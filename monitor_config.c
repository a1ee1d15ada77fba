// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_config.c: reloading the config for a running monitor, keeping the old one when the new one is broken. */
#include "monitor.h"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"

int mon_config_check(const struct mdctl_config *cfg, const char *program, const char *state_dir,
		     char *err, size_t errlen)
{
	const char *prog = program && *program ? program : cfg->program;
	const char *sd = config_state_dir(cfg, state_dir);
	struct stat st;
	int rc, fd;

	if (prog[0]) {
		/* found at start or on SIGHUP, not at the first event it misses */
		if (stat(prog, &st) < 0) {
			rc = -errno;
			snprintf(err, errlen, "PROGRAM %s: %s", prog, strerror(-rc));
			return rc;
		}
		if (!S_ISREG(st.st_mode) || access(prog, X_OK) < 0) {
			snprintf(err, errlen, "PROGRAM %s: not an executable file", prog);
			return -EACCES;
		}
	}
	if (sd && sd[0] && !(access(sd, F_OK) < 0 && errno == ENOENT) && (rc = safe_dir(sd))) {
		snprintf(err, errlen, "state directory %s: %s", sd, safe_strerror(rc));
		return rc;
	}
	if (cfg->event_log[0]) {
		fd = safe_open_file(cfg->event_log, O_WRONLY | O_APPEND | O_CREAT, 0640);
		if (fd < 0) {
			snprintf(err, errlen, "EVENTLOG %s: %s", cfg->event_log, safe_strerror(fd));
			return fd;
		}
		close(fd);
	}
	return 0;
}

int mon_config_reload(struct mdctl_config *cur, const char *path, const char *program,
		      const char *state_dir, char *err, size_t errlen)
{
	/* on the heap: the daemon keeps no stack pages of it after a reload */
	struct mdctl_config *next = calloc(1, sizeof(*next));
	int rc;

	if (!next)
		return -ENOMEM;
	rc = config_load(path, next, err, errlen);
	if (rc) {
		/* config_load leaves nothing to free on error; cur is untouched */
		free(next);
		return rc;
	}
	rc = mon_config_check(next, program, state_dir, err, errlen);
	if (rc) {
		config_free(next);
		free(next);
		return rc;
	}
	config_free(cur);
	*cur = *next;
	free(next);
	return 0;
}
