// SPDX-License-Identifier: GPL-2.0-or-later
/* mdstat.c: /proc/mdstat parsed from a buffer. */
#include "mdstat.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Copy the next white-space separated word of *p into w; advance *p. */
static bool next_word(const char **p, char *w, size_t len)
{
	const char *s = *p;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strcspn(s, " \t\n");
	if (n == 0) {
		*p = s;
		return false;
	}
	if (n >= len)
		n = len - 1;
	memcpy(w, s, n);
	w[n] = '\0';
	s += strcspn(s, " \t\n");
	*p = s;
	return true;
}

/*
 * "loop4[3](W)(R)": name, index in brackets, then any number of "(X)"
 * flags.  Flags this parser does not know are ignored.
 */
static bool parse_member(const char *w, struct mdstat_member *m)
{
	const char *open = strchr(w, '[');
	const char *p;
	char *end;
	long idx;

	if (!open || open == w || (size_t)(open - w) >= sizeof(m->kname))
		return false;
	idx = strtol(open + 1, &end, 10);
	if (end == open + 1 || *end != ']' || idx < 0 || idx > INT_MAX)
		return false;
	memset(m, 0, sizeof(*m));
	memcpy(m->kname, w, (size_t)(open - w));
	m->kname[open - w] = '\0';
	m->index = (int)idx;
	for (p = end + 1; p[0] == '(' && p[1] && p[2] == ')'; p += 3) {
		switch (p[1]) {
		case 'F':
			m->faulty = 1;
			break;
		case 'S':
			m->spare = 1;
			break;
		case 'R':
			m->replacement = 1;
			break;
		case 'W':
			m->write_mostly = 1;
			break;
		case 'J':
			m->journal = 1;
			break;
		default:
			break;
		}
	}
	return true;
}

/* "md0 : active (auto-read-only) raid5 sdb[0] ..." into a; false when not an array line. */
static bool parse_header(const char *line, struct mdstat_array *a)
{
	const char *p = line;
	char w[128];

	memset(a, 0, sizeof(*a));
	a->raid_disks = -1;
	a->working = -1;
	a->sync_permille = -1;
	/* a kernel name never holds '/', and "Personalities :" is not an array */
	if (!next_word(&p, w, sizeof(w)) || strcmp(w, "Personalities") == 0 ||
	    strlen(w) >= sizeof(a->kname) || strchr(w, '/'))
		return false;
	memcpy(a->kname, w, strlen(w) + 1);
	if (!next_word(&p, w, sizeof(w)) || strcmp(w, ":") != 0)
		return false;
	if (!next_word(&p, w, sizeof(w)))
		return false;
	if (strcmp(w, "active") == 0)
		a->active = 1;
	else if (strcmp(w, "inactive") != 0)
		return false;
	while (next_word(&p, w, sizeof(w))) {
		if (w[0] == '(') {
			if (strstr(w, "read-only"))
				a->readonly = 1;
			continue;
		}
		if (!strchr(w, '[')) {
			/* the personality comes before the members */
			if (!a->level[0] && a->nmembers == 0)
				copy_str(a->level, sizeof(a->level), w);
			continue;
		}
		if (a->nmembers < MDSTAT_MAX_MEMBERS &&
		    parse_member(w, &a->members[a->nmembers]))
			a->nmembers++;
	}
	return true;
}

/* "... [3/2] [U_U]" anywhere in a continuation line. */
static void parse_counts(const char *line, struct mdstat_array *a)
{
	const char *p;

	for (p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
		int n, m, used = 0;

		if (sscanf(p, "[%d/%d]%n", &n, &m, &used) == 2 && used > 0) {
			const char *s = p + used;
			size_t k = 0;

			a->raid_disks = n;
			a->working = m;
			while (*s == ' ')
				s++;
			if (*s == '[') {
				for (s++; (*s == 'U' || *s == '_') && k < MDSTAT_MAX_MEMBERS; s++)
					a->status[k++] = *s;
				a->status[k] = '\0';
			}
			return;
		}
	}
}

/*
 * "[==>...]  recovery = 12.6% (8064/64512) finish=..." or "resync=DELAYED".
 * Returns true when the line was a progress line.
 */
static bool parse_progress(const char *line, struct mdstat_array *a)
{
	static const char *const kinds[] = { "recovery", "resync", "reshape", "check", "repair" };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i]);
		const char *p = line;

		while ((p = strstr(p, kinds[i])) != NULL) {
			const char *s = p + n;
			unsigned whole, tenth;
			int used = 0;

			/* a whole word only: "resync" must not match inside another word */
			if (p > line && !isspace((unsigned char)p[-1]) && p[-1] != ']') {
				p = s;
				continue;
			}
			while (*s == ' ')
				s++;
			if (*s != '=') {
				p = s;
				continue;
			}
			s++;
			while (*s == ' ')
				s++;
			copy_str(a->sync_kind, sizeof(a->sync_kind), kinds[i]);
			if (sscanf(s, "%u.%u%%%n", &whole, &tenth, &used) == 2 && used > 0 &&
			    whole <= 100 && tenth < 10)
				a->sync_permille = (int)(whole * 10 + tenth);
			else
				a->sync_permille = -1; /* DELAYED, PENDING */
			return true;
		}
	}
	return false;
}

/**
 * mdstat_parse() - parse the text of /proc/mdstat.
 * @buf: NUL-terminated text
 * @out: filled; free with mdstat_free()
 *
 * Lines this parser does not understand (Personalities, bitmap, unused
 * devices, anything a newer kernel adds) are skipped.
 * Return: 0, -EINVAL for NULL input, -ENOMEM.
 */
int mdstat_parse(const char *buf, struct mdstat *out)
{
	struct mdstat_array *cur = NULL;
	size_t cap = 0;
	const char *line;

	out->narrays = 0;
	out->arrays = NULL;
	if (!buf)
		return -EINVAL;
	for (line = buf; *line; ) {
		size_t len = strcspn(line, "\n");
		char *copy = strndup(line, len);

		if (!copy) {
			mdstat_free(out);
			return -ENOMEM;
		}
		if (len && !isspace((unsigned char)copy[0])) {
			struct mdstat_array a;

			cur = NULL;
			if (parse_header(copy, &a)) {
				if (out->narrays == cap) {
					size_t ncap = cap ? cap * 2 : 4;
					struct mdstat_array *p = realloc(out->arrays, ncap * sizeof(*p));

					if (!p) {
						free(copy);
						mdstat_free(out);
						return -ENOMEM;
					}
					out->arrays = p;
					cap = ncap;
				}
				out->arrays[out->narrays] = a;
				cur = &out->arrays[out->narrays++];
			}
		} else if (cur && len) {
			if (!parse_progress(copy, cur))
				parse_counts(copy, cur);
		}
		free(copy);
		line += len;
		if (*line == '\n')
			line++;
	}
	return 0;
}

/**
 * mdstat_read() - read and parse <proc_root>/mdstat.
 * @proc_root: "/proc"
 * @out: filled; free with mdstat_free()
 *
 * /proc files report size 0, so the buffer grows until end of file.
 * Return: 0 or -errno.
 */
int mdstat_read(const char *proc_root, struct mdstat *out)
{
	char path[PATH_MAX];
	size_t cap = 8192, got = 0;
	char *buf;
	int fd, rc, n;

	out->narrays = 0;
	out->arrays = NULL;
	n = snprintf(path, sizeof(path), "%s/mdstat", proc_root);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (got + 1 >= cap) {
			char *p = realloc(buf, cap * 2);

			if (!p) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = p;
			cap *= 2;
		}
		r = read(fd, buf + got, cap - got - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			free(buf);
			close(fd);
			return rc;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	rc = mdstat_parse(buf, out);
	free(buf);
	return rc;
}

/** mdstat_free() - release what mdstat_parse()/mdstat_read() allocated. */
void mdstat_free(struct mdstat *m)
{
	if (!m)
		return;
	free(m->arrays);
	m->arrays = NULL;
	m->narrays = 0;
}

/**
 * mdstat_find() - an array by kernel name.
 * @m: parsed mdstat
 * @kname: "md0" (a leading "/dev/" is ignored)
 *
 * Return: the array, or NULL.
 */
const struct mdstat_array *mdstat_find(const struct mdstat *m, const char *kname)
{
	unsigned i;

	if (strncmp(kname, "/dev/", 5) == 0)
		kname += 5;
	for (i = 0; i < m->narrays; i++)
		if (strcmp(m->arrays[i].kname, kname) == 0)
			return &m->arrays[i];
	return NULL;
}
