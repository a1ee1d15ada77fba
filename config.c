// SPDX-License-Identifier: GPL-2.0-or-later
/* config.c: /etc/mdctl.conf (mdadm.conf syntax plus mdctl's own keywords). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mdlevel.h"
#include "output.h"
#include "util.h"

/* One word of a logical line, with the physical line it came from. */
struct word {
	char *text;
	int line;
};

/* A keyword line: continuation lines already joined, comments removed. */
struct stmt {
	struct word *w;
	size_t n, cap;
};

enum kw {
	KW_DEVICE, KW_ARRAY, KW_MAILADDR, KW_MAILFROM, KW_PROGRAM, KW_CREATE, KW_HOMEHOST,
	KW_HOMECLUSTER, KW_AUTO, KW_POLICY, KW_PART_POLICY, KW_SYSFS, KW_MONITORDELAY,
	KW_ENCRYPTION_NO_VERIFY, KW_PROBING, KW_IMSM_DISABLE_OROM,
	KW_REPLACE_POLICY, KW_EVENTLOG, KW_STATEDIR, KW_METRICS,
};

struct parser {
	const char *file;
	struct mdctl_config *cfg;
	char *err;
	size_t errlen;
	int seen[KW_METRICS + 1]; /* line of each singleton keyword's first use */
};

static int perr(struct parser *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record "FILE:LINE: cause" and return -EINVAL. */
static int perr(struct parser *ps, int line, const char *fmt, ...)
{
	char cause[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, sizeof(cause), fmt, ap);
	va_end(ap);
	if (ps->errlen)
		snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->file, line, cause);
	return -EINVAL;
}


/*
 * Keywords with the shortest abbreviation each accepts.  Three characters
 * as mdadm allows, longer where three would be ambiguous: "MAI" and "PRO"
 * keep their long-standing meanings (MAILADDR, PROGRAM).
 */
static const struct {
	const char *name;
	size_t min;
	enum kw kw;
} keywords[] = {
	{ "DEVICE", 3, KW_DEVICE },
	{ "ARRAY", 3, KW_ARRAY },
	{ "MAILADDR", 3, KW_MAILADDR },
	{ "MAILFROM", 5, KW_MAILFROM },
	{ "PROGRAM", 3, KW_PROGRAM },
	{ "PROBING", 4, KW_PROBING },
	{ "CREATE", 3, KW_CREATE },
	{ "HOMEHOST", 3, KW_HOMEHOST },
	{ "HOMECLUSTER", 5, KW_HOMECLUSTER },
	{ "AUTO", 3, KW_AUTO },
	{ "POLICY", 3, KW_POLICY },
	{ "PART-POLICY", 3, KW_PART_POLICY },
	{ "SYSFS", 3, KW_SYSFS },
	{ "MONITORDELAY", 3, KW_MONITORDELAY },
	{ "ENCRYPTION_NO_VERIFY", 3, KW_ENCRYPTION_NO_VERIFY },
	{ "IMSM_DISABLE_OROM", 3, KW_IMSM_DISABLE_OROM },
	{ "REPLACE-POLICY", 3, KW_REPLACE_POLICY },
	{ "EVENTLOG", 3, KW_EVENTLOG },
	{ "STATEDIR", 3, KW_STATEDIR },
	{ "METRICS", 3, KW_METRICS },
};

static int match_keyword(const char *w)
{
	size_t len = strlen(w), i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (len >= keywords[i].min && len <= strlen(keywords[i].name) &&
		    strncasecmp(w, keywords[i].name, len) == 0)
			return (int)keywords[i].kw;
	return -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/**
 * config_parse_uuid() - a UUID as people write it to 16 bytes.
 * @s: 32 hex digits, grouped as mdadm prints them ("a:b:c:d", 8 digits
 *     each; '.' and ' ' are tolerated as separators too) or in the dashed
 *     8-4-4-4-12 form sysfs uses
 * @uuid: out, bytes in the order written
 *
 * Return: 0 or -EINVAL.
 */
int config_parse_uuid(const char *s, uint8_t uuid[16])
{
	uint8_t tmp[16];
	unsigned digits = 0;
	bool sep_ok = false;

	for (; *s; s++) {
		int v = hexval((unsigned char)*s);

		if (v < 0) {
			/* one separator between digits, never leading, trailing or doubled */
			if (!strchr(":.- ", *s) || !sep_ok)
				return -EINVAL;
			sep_ok = false;
			continue;
		}
		if (digits >= 32)
			return -EINVAL;
		if (digits % 2 == 0)
			tmp[digits / 2] = (uint8_t)(v << 4);
		else
			tmp[digits / 2] |= (uint8_t)v;
		digits++;
		sep_ok = true;
	}
	if (digits != 32 || !sep_ok)
		return -EINVAL;
	memcpy(uuid, tmp, 16);
	return 0;
}

static int stmt_add(struct stmt *st, const char *text, size_t len, int line)
{
	char *copy;

	if (st->n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 8;
		struct word *p = realloc(st->w, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		st->w = p;
		st->cap = ncap;
	}
	copy = strndup(text, len);
	if (!copy)
		return -ENOMEM;
	st->w[st->n].text = copy;
	st->w[st->n].line = line;
	st->n++;
	return 0;
}

static void stmt_clear(struct stmt *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->w[i].text);
	st->n = 0;
}

/*
 * Split one physical line into words: white space separates, a word may be
 * quoted with "" or '' to hold spaces, and '#' at the start of a word makes
 * the rest of the line a comment.  What the file does not say plainly is an
 * error rather than a guess: a quote left open, a control byte, a word longer
 * than CONFIG_WORD_MAX (never cut: a cut path names another file).
 */
static int split_line(struct parser *ps, const char *s, int line, struct stmt *st)
{
	char word[CONFIG_WORD_MAX + 1];

	for (;;) {
		size_t n = 0;

		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			return 0;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r') {
			char q = 0;

			if (*s == '"' || *s == '\'')
				q = *s++;
			for (; *s && (q ? *s != q : (*s != ' ' && *s != '\t' && *s != '\r' &&
						     *s != '"' && *s != '\'')); s++) {
				if ((unsigned char)*s < 0x20 && *s != '\t')
					return perr(ps, line, "control byte 0x%02x", (unsigned char)*s);
				if (*s == 0x7f)
					return perr(ps, line, "control byte 0x7f");
				if (n >= CONFIG_WORD_MAX)
					return perr(ps, line, "word longer than %d bytes", CONFIG_WORD_MAX);
				word[n++] = *s;
			}
			if (q && *s != q)
				return perr(ps, line, "unterminated %c quote", q);
			if (q)
				s++;
		}
		if (stmt_add(st, word, n, line))
			return -ENOMEM;
	}
}

static bool has_words(const char *s)
{
	s += strspn(s, " \t\r");
	return *s && *s != '#';
}

/* "key=value": the value when w's key is key (case-insensitive), else NULL. */
static const char *key_value(const char *w, const char *key)
{
	size_t n = strlen(key);

	if (strncasecmp(w, key, n) == 0 && w[n] == '=')
		return w + n + 1;
	return NULL;
}

/* A non-negative count that fits in int. */
static int parse_count(const char *s, int *out)
{
	uint64_t v;

	if (parse_u64(s, &v) || v > INT_MAX)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* A threshold: a count, or "off"/"none" for -1. */
static int parse_threshold(const char *s, int *out)
{
	if (strcasecmp(s, "off") == 0 || strcasecmp(s, "none") == 0) {
		*out = -1;
		return 0;
	}
	return parse_count(s, out);
}

static int parse_yes_no(const char *s, bool *out)
{
	if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "y") == 0 || strcmp(s, "1") == 0 ||
	    strcasecmp(s, "true") == 0)
		*out = true;
	else if (strcasecmp(s, "no") == 0 || strcasecmp(s, "n") == 0 || strcmp(s, "0") == 0 ||
		 strcasecmp(s, "false") == 0)
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int set_str(struct parser *ps, const struct word *w, char *dst, size_t len,
		   const char *val, const char *what)
{
	if (copy_str(dst, len, val))
		return perr(ps, w->line, "%s is too long: %s", what, val);
	return 0;
}

static int add_list(char ***list, size_t *n, const char *s, size_t len)
{
	char **p = realloc(*list, (*n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	*list = p;
	p[*n] = strndup(s, len);
	if (!p[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* ARRAY keys mdadm knows that mdctl does not use: accepted, ignored. */
static bool mdadm_array_key(const char *w)
{
	static const char *const keys[] = {
		"bitmap", "container", "member", "super-minor", "auto", "homehost",
		"homecluster", "ppl",
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (key_value(w, keys[i]))
			return true;
	return false;
}

static int parse_array(struct parser *ps, const struct stmt *st)
{
	struct mdctl_config *cfg = ps->cfg;
	struct cfg_array *a, *p;
	size_t i;
	int rc;

	p = realloc(cfg->arrays, (cfg->narrays + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	cfg->arrays = p;
	a = &cfg->arrays[cfg->narrays++];
	memset(a, 0, sizeof(*a));
	a->level = -1000;
	a->num_devices = -1;
	a->spares = -1;
	a->replace_badblocks = -1;
	a->replace_errors = -1;
	a->line = st->w[0].line;
	copy_str(a->file, sizeof(a->file), ps->file);

	for (i = 1; i < st->n; i++) {
		const struct word *w = &st->w[i];
		const char *v;

		if (!strchr(w->text, '=')) {
			if (i != 1)
				return perr(ps, w->line, "ARRAY: unexpected word '%s' (one device name, then key=value)",
					    w->text);
			rc = set_str(ps, w, a->devname, sizeof(a->devname), w->text, "device name");
			if (rc)
				return rc;
		} else if ((v = key_value(w->text, "uuid"))) {
			if (config_parse_uuid(v, a->uuid))
				return perr(ps, w->line, "bad uuid: %s", v);
			a->has_uuid = true;
		} else if ((v = key_value(w->text, "name"))) {
			rc = set_str(ps, w, a->name, sizeof(a->name), v, "name");
			if (rc)
				return rc;
		} else if ((v = key_value(w->text, "devices"))) {
			while (*v) {
				size_t n = strcspn(v, ",");

				if (n && add_list(&a->devices, &a->ndevices, v, n))
					return -ENOMEM;
				v += n;
				if (*v == ',')
					v++;
			}
		} else if ((v = key_value(w->text, "level"))) {
			if (md_level_parse(v, &a->level))
				return perr(ps, w->line, "bad level: %s", v);
		} else if ((v = key_value(w->text, "num-devices"))) {
			if (parse_count(v, &a->num_devices))
				return perr(ps, w->line, "bad number: num-devices=%s", v);
		} else if ((v = key_value(w->text, "spares"))) {
			if (parse_count(v, &a->spares))
				return perr(ps, w->line, "bad number: spares=%s", v);
		} else if ((v = key_value(w->text, "spare-group"))) {
			rc = set_str(ps, w, a->spare_group, sizeof(a->spare_group), v, "spare-group");
			if (rc)
				return rc;
		} else if ((v = key_value(w->text, "metadata"))) {
			rc = set_str(ps, w, a->metadata, sizeof(a->metadata), v, "metadata");
			if (rc)
				return rc;
		} else if ((v = key_value(w->text, "replace-badblocks"))) {
			if (parse_threshold(v, &a->replace_badblocks))
				return perr(ps, w->line, "bad number: replace-badblocks=%s", v);
		} else if ((v = key_value(w->text, "replace-errors"))) {
			if (parse_threshold(v, &a->replace_errors))
				return perr(ps, w->line, "bad number: replace-errors=%s", v);
		} else if (!mdadm_array_key(w->text)) {
			return perr(ps, w->line, "ARRAY: unknown key '%s'", w->text);
		}
	}
	return 0;
}

static int parse_policy(struct parser *ps, const struct stmt *st)
{
	static const char *const actions[] = {
		"include", "re-add", "spare", "spare-same-slot", "force-spare",
	};
	struct mdctl_config *cfg = ps->cfg;
	struct cfg_policy *pol, *p;
	size_t i, k;
	int rc;

	p = realloc(cfg->policies, (cfg->npolicies + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	cfg->policies = p;
	pol = &cfg->policies[cfg->npolicies++];
	memset(pol, 0, sizeof(*pol));
	pol->line = st->w[0].line;

	for (i = 1; i < st->n; i++) {
		const struct word *w = &st->w[i];
		const char *v;

		if ((v = key_value(w->text, "domain"))) {
			rc = set_str(ps, w, pol->domain, sizeof(pol->domain), v, "domain");
		} else if ((v = key_value(w->text, "path"))) {
			rc = set_str(ps, w, pol->path, sizeof(pol->path), v, "path");
		} else if ((v = key_value(w->text, "type"))) {
			if (strcmp(v, "disk") != 0 && strcmp(v, "part") != 0)
				return perr(ps, w->line, "POLICY: bad type: %s (disk or part)", v);
			rc = set_str(ps, w, pol->type, sizeof(pol->type), v, "type");
		} else if ((v = key_value(w->text, "action"))) {
			for (k = 0; k < sizeof(actions) / sizeof(actions[0]); k++)
				if (strcmp(v, actions[k]) == 0)
					break;
			if (k == sizeof(actions) / sizeof(actions[0]))
				return perr(ps, w->line, "POLICY: bad action: %s", v);
			rc = set_str(ps, w, pol->action, sizeof(pol->action), v, "action");
		} else if ((v = key_value(w->text, "metadata"))) {
			rc = set_str(ps, w, pol->metadata, sizeof(pol->metadata), v, "metadata");
		} else if (strchr(w->text, '=')) {
			rc = 0; /* auto= and policies of other tools: mdadm keeps them, mdctl has no use */
		} else {
			return perr(ps, w->line, "POLICY: expected key=value, not '%s'", w->text);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_replace_policy(struct parser *ps, const struct stmt *st)
{
	struct mdctl_config *cfg = ps->cfg;
	size_t i;

	if (st->n < 2)
		return perr(ps, st->w[0].line, "REPLACE-POLICY: nothing set");
	for (i = 1; i < st->n; i++) {
		const struct word *w = &st->w[i];
		const char *v;

		if ((v = key_value(w->text, "badblocks"))) {
			if (parse_threshold(v, &cfg->replace_badblocks))
				return perr(ps, w->line, "bad number: badblocks=%s", v);
		} else if ((v = key_value(w->text, "errors"))) {
			if (parse_threshold(v, &cfg->replace_errors))
				return perr(ps, w->line, "bad number: errors=%s", v);
		} else if ((v = key_value(w->text, "remove-retired"))) {
			if (parse_yes_no(v, &cfg->remove_retired))
				return perr(ps, w->line, "remove-retired takes yes or no, not '%s'", v);
		} else {
			return perr(ps, w->line, "REPLACE-POLICY: unknown key '%s'", w->text);
		}
	}
	return 0;
}

/* Join words 1.. with single spaces into dst. */
static int join_words(struct parser *ps, const struct stmt *st, char *dst, size_t len,
		      const char *what)
{
	size_t used = 0, i;

	dst[0] = '\0';
	for (i = 1; i < st->n; i++) {
		int n = snprintf(dst + used, len - used, "%s%s", used ? " " : "", st->w[i].text);

		if (n < 0 || (size_t)n >= len - used)
			return perr(ps, st->w[i].line, "%s is too long", what);
		used += (size_t)n;
	}
	return 0;
}

/* A keyword taking exactly one absolute path. */
static int one_path(struct parser *ps, const struct stmt *st, char *dst, size_t len,
		    const char *kw)
{
	if (st->n != 2)
		return perr(ps, st->w[0].line, "%s takes one path", kw);
	if (st->w[1].text[0] != '/')
		return perr(ps, st->w[1].line, "%s: not an absolute path: %s", kw, st->w[1].text);
	return set_str(ps, &st->w[1], dst, len, st->w[1].text, kw);
}

/*
 * Keywords that say one thing once: a second one is refused rather than
 * letting the later line win silently (a line appended to the file, say
 * from --examine --scan of a hostile disk, must not replace PROGRAM).
 */
static int singleton(struct parser *ps, int kw, const struct word *w)
{
	static const int once[] = {
		KW_MAILADDR, KW_MAILFROM, KW_PROGRAM, KW_MONITORDELAY, KW_EVENTLOG,
		KW_STATEDIR, KW_HOMEHOST, KW_HOMECLUSTER, KW_METRICS,
	};

	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		if (once[i] != kw)
			continue;
		if (ps->seen[kw])
			return perr(ps, w->line, "%s given twice (first at line %d)", w->text,
				    ps->seen[kw]);
		ps->seen[kw] = w->line;
	}
	return 0;
}

static int parse_stmt(struct parser *ps, const struct stmt *st)
{
	struct mdctl_config *cfg = ps->cfg;
	const struct word *kw = &st->w[0];
	int k = match_keyword(kw->text);
	size_t i;
	int rc;

	rc = k >= 0 ? singleton(ps, k, kw) : 0;
	if (rc)
		return rc;
	switch (k) {
	case KW_DEVICE:
		for (i = 1; i < st->n; i++)
			if (add_list(&cfg->device_globs, &cfg->ndevice_globs, st->w[i].text,
				     strlen(st->w[i].text)))
				return -ENOMEM;
		return 0;
	case KW_ARRAY:
		return parse_array(ps, st);
	case KW_MAILADDR:
		return join_words(ps, st, cfg->mailaddr, sizeof(cfg->mailaddr), "MAILADDR");
	case KW_MAILFROM:
		return join_words(ps, st, cfg->mailfrom, sizeof(cfg->mailfrom), "MAILFROM");
	case KW_PROGRAM:
		if (st->n != 2)
			return perr(ps, kw->line, "PROGRAM takes one path (no arguments)");
		if (st->w[1].text[0] != '/')
			return perr(ps, st->w[1].line, "PROGRAM: not an absolute path: %s",
				    st->w[1].text);
		return set_str(ps, &st->w[1], cfg->program, sizeof(cfg->program), st->w[1].text,
			       "PROGRAM");
	case KW_MONITORDELAY:
		if (st->n != 2)
			return perr(ps, kw->line, "MONITORDELAY takes one number of seconds");
		rc = parse_count(st->w[1].text, &cfg->monitor_delay);
		if (rc || cfg->monitor_delay == 0)
			return perr(ps, st->w[1].line, "bad number: MONITORDELAY %s", st->w[1].text);
		return 0;
	case KW_POLICY:
		return parse_policy(ps, st);
	case KW_REPLACE_POLICY:
		return parse_replace_policy(ps, st);
	case KW_EVENTLOG:
		return one_path(ps, st, cfg->event_log, sizeof(cfg->event_log), "EVENTLOG");
	case KW_STATEDIR:
		return one_path(ps, st, cfg->state_dir, sizeof(cfg->state_dir), "STATEDIR");
	case KW_METRICS:
		return one_path(ps, st, cfg->metrics_path, sizeof(cfg->metrics_path), "METRICS");
	case KW_CREATE:
	case KW_HOMEHOST:
	case KW_HOMECLUSTER:
	case KW_AUTO:
	case KW_PART_POLICY:
	case KW_SYSFS:
	case KW_ENCRYPTION_NO_VERIFY:
	case KW_PROBING:
	case KW_IMSM_DISABLE_OROM:
		return 0; /* mdadm's; nothing mdctl does depends on them */
	default:
		return perr(ps, kw->line, "unknown keyword '%s'", kw->text);
	}
}

static void config_init(struct mdctl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->monitor_delay = -1;
	cfg->replace_badblocks = -1;
	cfg->replace_errors = -1;
	cfg->remove_retired = true;
}

/**
 * config_parse_buffer() - parse configuration text (what config_load() reads).
 * @text: NUL-terminated file contents
 * @file: name used in error messages
 * @out: filled (initialised here); free with config_free() even on error
 * @err: gets "FILE:LINE: cause" on -EINVAL
 * @errlen: size of err
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
int config_parse_buffer(const char *text, const char *file, struct mdctl_config *out,
			char *err, size_t errlen)
{
	struct parser ps = { .file = file, .cfg = out, .err = err, .errlen = errlen };
	struct stmt st = { 0 };
	const char *p = text;
	int line = 0, rc = 0;

	config_init(out);
	if (errlen)
		err[0] = '\0';
	while (*p && rc == 0) {
		size_t len = strcspn(p, "\n");
		char *phys = strndup(p, len);
		bool cont;

		if (!phys) {
			rc = -ENOMEM;
			break;
		}
		line++;
		/*
		 * White space first continues the previous keyword line.  Lines
		 * with no words (blank, comment only) neither end nor continue
		 * one, so a commented-out continuation line is harmless.
		 */
		cont = (phys[0] == ' ' || phys[0] == '\t') && st.n > 0;
		if (!cont && st.n > 0 && has_words(phys)) {
			rc = parse_stmt(&ps, &st);
			stmt_clear(&st);
		}
		if (rc == 0)
			rc = split_line(&ps, phys, line, &st);
		free(phys);
		p += len;
		if (*p == '\n')
			p++;
	}
	if (rc == 0 && st.n > 0)
		rc = parse_stmt(&ps, &st);
	stmt_clear(&st);
	free(st.w);
	if (rc == -ENOMEM && errlen)
		snprintf(err, errlen, "%s: out of memory", file);
	return rc;
}

/* Read a whole file; *len gets its size (it may hold NULs); -errno. */
static int slurp(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t cap = 4096, got = 0;
	char *buf;

	if (!f)
		return -errno;
	buf = malloc(cap);
	while (buf) {
		size_t n = fread(buf + got, 1, cap - got - 1, f);

		got += n;
		if (got + 1 < cap)
			break;
		cap *= 2;
		{
			char *p = realloc(buf, cap);

			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
		}
	}
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	if (ferror(f)) {
		int rc = -EIO;

		free(buf);
		fclose(f);
		return rc;
	}
	fclose(f);
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
}

/**
 * config_load() - read and parse the configuration.
 * @path: the file, or NULL for the first that exists of /etc/mdctl.conf,
 *        /etc/mdadm/mdadm.conf, /etc/mdadm.conf.  As with mdadm, "none"
 *        means an empty configuration and "partitions" one holding only
 *        "DEVICE partitions".
 * @out: filled; free with config_free() (also after an error)
 * @err: gets "FILE:LINE: cause" (or "FILE: cause") on failure
 * @errlen: size of err
 *
 * Return: 0; -EINVAL on a syntax error; -errno when a named file cannot be read.
 */
int config_load(const char *path, struct mdctl_config *out, char *err, size_t errlen)
{
	static const char *const defaults[] = {
		"/etc/mdctl.conf", "/etc/mdadm/mdadm.conf", "/etc/mdadm.conf",
	};
	char *text = NULL;
	const char *nul;
	size_t i, len = 0;
	int rc;

	if (errlen)
		err[0] = '\0';
	if (path && (strcmp(path, "none") == 0 || strcmp(path, "partitions") == 0)) {
		rc = config_parse_buffer(strcmp(path, "none") == 0 ? "" : "DEVICE partitions\n",
					 path, out, err, errlen);
		return rc;
	}
	if (path) {
		rc = slurp(path, &text, &len);
		if (rc) {
			config_init(out);
			if (errlen)
				snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-rc));
			return rc;
		}
	} else {
		for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
			rc = slurp(defaults[i], &text, &len);
			if (rc == 0) {
				path = defaults[i];
				break;
			}
			if (rc != -ENOENT) {
				config_init(out);
				if (errlen)
					snprintf(err, errlen, "%s: cannot read: %s", defaults[i],
						 strerror(-rc));
				return rc;
			}
		}
		if (!path) {
			config_init(out); /* no file at all: an empty configuration */
			return 0;
		}
	}
	/* text after a NUL would be silently lost: the file is not what it seems */
	nul = memchr(text, '\0', len);
	if (nul) {
		int line = 1;

		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		config_init(out);
		if (errlen)
			snprintf(err, errlen, "%s:%d: NUL byte", path, line);
		free(text);
		return -EINVAL;
	}
	rc = config_parse_buffer(text, path, out, err, errlen);
	free(text);
	copy_str(out->path, sizeof(out->path), path);
	return rc;
}

const char *config_state_dir(const struct mdctl_config *cfg, const char *fallback)
{
	return cfg->state_dir[0] ? cfg->state_dir : fallback;
}

int config_load_state_dir(const char *path, const char *fallback, char *out, size_t len,
			  char *err, size_t errlen)
{
	struct mdctl_config cfg;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	rc = config_load(path, &cfg, err, errlen);
	if (!rc)
		rc = copy_str(out, len, config_state_dir(&cfg, fallback));
	config_free(&cfg);
	return rc;
}

/** config_free() - release everything config_load() allocated. */
void config_free(struct mdctl_config *cfg)
{
	size_t i, k;

	if (!cfg)
		return;
	for (i = 0; i < cfg->ndevice_globs; i++)
		free(cfg->device_globs[i]);
	free(cfg->device_globs);
	for (i = 0; i < cfg->narrays; i++) {
		for (k = 0; k < cfg->arrays[i].ndevices; k++)
			free(cfg->arrays[i].devices[k]);
		free(cfg->arrays[i].devices);
	}
	free(cfg->arrays);
	free(cfg->policies);
	cfg->device_globs = NULL;
	cfg->ndevice_globs = 0;
	cfg->arrays = NULL;
	cfg->narrays = 0;
	cfg->policies = NULL;
	cfg->npolicies = 0;
}

/* "host:name" and "name" name the same array; compare the part after the host. */
static bool same_name(const char *a, const char *b)
{
	const char *ca = strchr(a, ':'), *cb = strchr(b, ':');

	if (strcmp(a, b) == 0)
		return true;
	if (ca && cb)
		return false; /* both carry a host, and they differ */
	return strcmp(ca ? ca + 1 : a, cb ? cb + 1 : b) == 0;
}

/**
 * config_find_array() - the ARRAY line for an array.
 * @cfg: loaded configuration
 * @uuid: the array's UUID, or NULL
 * @name: its name ("host:name" or "name"), or NULL
 *
 * A uuid= match wins; otherwise the first line with no uuid= whose name=
 * matches (a line with a different uuid= never matches by name).
 * Return: the line, or NULL.
 */
const struct cfg_array *config_find_array(const struct mdctl_config *cfg, const uint8_t uuid[16],
					  const char *name)
{
	size_t i;

	if (uuid)
		for (i = 0; i < cfg->narrays; i++)
			if (cfg->arrays[i].has_uuid && memcmp(cfg->arrays[i].uuid, uuid, 16) == 0)
				return &cfg->arrays[i];
	if (name && name[0]) {
		char esc[OUT_ESC_SIZE(64)];

		out_conf_esc(name, esc, sizeof(esc));
		for (i = 0; i < cfg->narrays; i++)
			if ((!uuid || !cfg->arrays[i].has_uuid) && cfg->arrays[i].name[0] &&
			    (same_name(cfg->arrays[i].name, name) ||
			     same_name(cfg->arrays[i].name, esc)))
				return &cfg->arrays[i];
	}
	return NULL;
}
