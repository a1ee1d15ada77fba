/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tree.h: writing files of a fake sysfs (or /dev) tree in unit tests. */
#ifndef MDCTL_TEST_TREE_H
#define MDCTL_TEST_TREE_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* mkdir -p of root/rel's directory part (root too), then write text to the file. */
static __attribute__((unused)) void tree_put(const char *root, const char *rel, const char *text)
{
	char path[PATH_MAX];
	char *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#endif
