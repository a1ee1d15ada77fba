/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tree.h: writing and reading files of a fake sysfs (or /dev) tree in unit
 * tests, and removing it; the committed fixture images of tests/data.
 */
#ifndef MDCTL_TEST_TREE_H
#define MDCTL_TEST_TREE_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Number of names in directory d other than ".", ".." and except (if not NULL). */
static __attribute__((unused)) int tree_count(const char *d, const char *except)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	assert_non_null(dp);
	while ((de = readdir(dp)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    (!except || strcmp(de->d_name, except)))
			n++;
	closedir(dp);
	return n;
}

/* The whole content of the file at path, NUL-terminated (free it); its length in *len if asked. */
static __attribute__((unused)) char *tree_slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	if (len)
		*len = (size_t)st.st_size;
	close(fd);
	return buf;
}

/* cmocka teardown: rm -rf the tree whose malloc'd root path is *state, and free it. */
static __attribute__((unused)) int tree_remove(void **state)
{
	char cmd[PATH_MAX];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (char *)*state);
	assert_int_equal(system(cmd), 0);
	free(*state);
	return 0;
}

/* The images in tests/data (*.img.xz, made with Debian's kernel and mdadm), one per fixture_next(). */
static __attribute__((unused)) FILE *fixtures_open(void)
{
	FILE *ls = popen("ls tests/data/*.img.xz 2>/dev/null", "r");

	assert_non_null(ls);
	return ls;
}

/* The next fixture image's path into fx; false after the last. */
static __attribute__((unused)) int fixture_next(FILE *ls, char *fx, size_t len)
{
	if (!fgets(fx, (int)len, ls))
		return 0;
	fx[strcspn(fx, "\n")] = '\0';
	return 1;
}

/* The end of the fixtures: a test that found none to check is skipped, not passed. */
static __attribute__((unused)) void fixtures_close(FILE *ls, int seen)
{
	pclose(ls);
	if (!seen)
		skip();
}

#endif
