// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_mdstat.c: which arrays' /proc/mdstat blocks differ between two readings, so that the monitor reads only those again. */
#include "monitor.h"
#include "util.h"

#include <stdbool.h>
#include <string.h>

/* One array's block: its line "mdN : ..." and the indented or blank lines after it. */
struct mdstat_block {
	const char *text;
	size_t len;
	size_t nlen;         /* the name: the header's first nlen bytes */
};

static const char *line_end(const char *s)
{
	const char *e = strchr(s, '\n');

	return e ? e + 1 : s + strlen(s);
}

/* The next block at or after *p (which moves past it); false when there is none. */
static bool next_block(const char **p, struct mdstat_block *b)
{
	const char *s = *p;

	while (*s) {
		const char *eol = line_end(s);
		size_t n = mdstat_header_name(s, eol);

		if (!n) {
			s = eol;
			continue;
		}
		b->text = s;
		b->nlen = n;
		/* the block goes on while lines are indented or blank */
		for (s = eol; *s == ' ' || *s == '\t' || *s == '\n'; s = line_end(s))
			;
		b->len = (size_t)(s - b->text);
		*p = s;
		return true;
	}
	*p = s;
	return false;
}

/* The block of the array named like b in text; false when text has none. */
static bool find_block(const char *text, const struct mdstat_block *b, struct mdstat_block *out)
{
	while (next_block(&text, out))
		if (out->nlen == b->nlen && !memcmp(out->text, b->text, b->nlen))
			return true;
	return false;
}

static size_t report(const struct mdstat_block *b, void (*fn)(const char *, void *), void *arg)
{
	char name[32];

	/* md names are at most 31 bytes (the kernel's DISK_NAME_LEN) */
	if (b->nlen >= sizeof(name))
		return 0;
	memcpy(name, b->text, b->nlen);
	name[b->nlen] = '\0';
	fn(name, arg);
	return 1;
}

size_t mon_mdstat_changed(const char *old, const char *cur, void (*fn)(const char *kname, void *arg),
			  void *arg)
{
	struct mdstat_block b, o;
	const char *p;
	size_t n = 0;

	for (p = cur; next_block(&p, &b);)
		if (!old || !find_block(old, &b, &o) || o.len != b.len || memcmp(o.text, b.text, b.len))
			n += report(&b, fn, arg);
	for (p = old ? old : ""; next_block(&p, &o);)
		if (!find_block(cur, &o, &b))
			n += report(&o, fn, arg);
	return n;
}
