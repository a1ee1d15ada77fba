// SPDX-License-Identifier: GPL-2.0-or-later
/* monitor_mdstat.c: which arrays' /proc/mdstat blocks differ between two readings, so that the monitor reads only those again. */
#include "monitor.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
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

/* The next blank-separated word of the line [*p, end): false at the line's end. */
static bool next_word(const char **p, const char *end, const char **w, size_t *wl)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++;
	if (s >= end)
		return false;
	*w = s;
	while (s < end && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	*wl = (size_t)(s - *w);
	*p = s;
	return true;
}

/* A member word "name[N]" with flags "(F)" after it: the length of "name" (0: not a member word). */
static size_t member_word(const char *w, size_t wl)
{
	const char *br = memchr(w, '[', wl);
	const char *close;

	if (!br || br == w)
		return 0;
	close = memchr(br, ']', wl - (size_t)(br - w));
	if (!close || close == br + 1)
		return 0;
	for (const char *d = br + 1; d < close; d++)
		if (*d < '0' || *d > '9')
			return 0;
	return (size_t)(br - w);
}

/* The member name of the word (len nl) into names, grown by one. */
static int push_member(char (**names)[32], size_t *n, const char *w, size_t nl)
{
	char (*nn)[32];

	if (nl >= sizeof(**names))
		return -ENAMETOOLONG;
	nn = realloc(*names, (*n + 1) * sizeof(**names));
	if (!nn)
		return -ENOMEM;
	*names = nn;
	memcpy(nn[*n], w, nl);
	nn[*n][nl] = '\0';
	(*n)++;
	return 0;
}

int mon_mdstat_members_changed(const char *old, const char *cur, const char *kname,
			       char (**names)[32], size_t *n)
{
	struct mdstat_block key = { .text = kname, .nlen = strlen(kname) }, o, b;
	const char *po, *pb, *eo, *eb, *wo, *wb;
	size_t lo, lb;
	int rc = 0;

	*names = NULL;
	*n = 0;
	if (!old || !find_block(old, &key, &o) || !find_block(cur, &key, &b))
		return 0;
	po = o.text + o.nlen;
	pb = b.text + b.nlen;
	eo = line_end(o.text);
	eb = line_end(b.text);
	for (;;) {
		bool mo = next_word(&po, eo, &wo, &lo), mb = next_word(&pb, eb, &wb, &lb);
		size_t no, nb;

		if (!mo || !mb) {
			if (mo || mb)
				rc = -1;   /* a member more or less */
			break;
		}
		if (lo == lb && !memcmp(wo, wb, lo))
			continue;
		no = member_word(wo, lo);
		nb = member_word(wb, lb);
		/* the same member, name and number ("loop0[0]" up to its ']'), other flags */
		if (no)
			no = (size_t)((const char *)memchr(wo, ']', lo) - wo);
		if (nb)
			nb = (size_t)((const char *)memchr(wb, ']', lb) - wb);
		if (!no || no != nb || memcmp(wo, wb, no)) {
			rc = -1;
			break;
		}
		nb = member_word(wb, lb);
		rc = push_member(names, n, wb, nb);
		if (rc)
			break;
	}
	if (rc == 0 && *n)
		return 1;
	free(*names);
	*names = NULL;
	*n = 0;
	return rc == -ENOMEM ? -ENOMEM : 0;
}
