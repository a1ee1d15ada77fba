// SPDX-License-Identifier: GPL-2.0-or-later
/* config.c: /etc/mdctl.conf (mdadm.conf syntax plus mdctl's own keywords). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
	const char *seen_file[KW_METRICS + 1]; /* and the file it was in (kept by the caller) */
	/*
	 * Room allocated in cfg's ARRAY, POLICY and PART-POLICY lists.  They
	 * grow by doubling (array_room): grown by one entry a line, each line
	 * copied the list so far (an ARRAY entry is over 4 KiB), so a file's
	 * cost went with the square of its lines.
	 */
	size_t arrays_cap, policies_cap, part_policies_cap;
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
	struct word *p = array_room(st->w, st->n, &st->cap, sizeof(*p));
	char *copy;

	if (!p)
		return -ENOMEM;
	st->w = p;
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

	p = array_room(cfg->arrays, cfg->narrays, &ps->arrays_cap, sizeof(*p));
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

		if (!strchr(w->text, '=') || w->text[0] == '/') {
			/* the device name, before or among the key=value words as mdadm takes it */
			if (a->devname[0])
				return perr(ps, w->line, "ARRAY: two device names: '%s' and '%s'",
					    a->devname, w->text);
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
		} else if ((v = key_value(w->text, "num-devices")) ||
			   (v = key_value(w->text, "disks"))) {
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

/* POLICY, or PART-POLICY (same words, kept in their own list). */
static int parse_policy(struct parser *ps, const struct stmt *st, struct cfg_policy **list,
			size_t *n, size_t *cap)
{
	static const char *const actions[] = {
		"include", "re-add", "spare", "spare-same-slot", "force-spare",
	};
	struct cfg_policy *pol, *p;
	size_t i, k;
	int rc;

	p = array_room(*list, *n, cap, sizeof(*p));
	if (!p)
		return -ENOMEM;
	*list = p;
	pol = &p[(*n)++];
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

static enum cfg_policy_action policy_action_of(const char *word)
{
	static const char *const names[] = {
		[CFG_ACT_INCLUDE] = "include", [CFG_ACT_READD] = "re-add", [CFG_ACT_SPARE] = "spare",
		[CFG_ACT_SPARE_SAME_SLOT] = "spare-same-slot", [CFG_ACT_FORCE_SPARE] = "force-spare",
	};

	for (size_t k = CFG_ACT_INCLUDE; k < sizeof(names) / sizeof(names[0]); k++)
		if (!strcmp(word, names[k]))
			return (enum cfg_policy_action)k;
	return CFG_ACT_NONE;
}

static bool policy_metadata_matches(const char *want, const char *metadata)
{
	if (!want[0] || !strcmp(want, metadata))
		return true;
	if (!strcmp(want, "1") || !strcmp(want, "1.x") || !strcmp(want, "default"))
		return !strncmp(metadata, "1.", 2);
	return false;
}

enum cfg_policy_action config_policy_action(const struct mdctl_config *cfg, const char *path,
					    bool is_part, const char *metadata,
					    const struct cfg_policy **line)
{
	enum cfg_policy_action best = CFG_ACT_NONE;

	if (line)
		*line = NULL;
	for (size_t i = 0; i < cfg->npolicies; i++) {
		const struct cfg_policy *p = &cfg->policies[i];
		enum cfg_policy_action act = policy_action_of(p->action);

		if (p->path[0] && fnmatch(p->path, path, 0))
			continue;
		if (p->type[0] && strcmp(p->type, is_part ? "part" : "disk"))
			continue;
		if (!policy_metadata_matches(p->metadata, metadata))
			continue;
		if (act > best) {
			best = act;
			if (line)
				*line = p;
		}
	}
	return best;
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
		} else if ((v = key_value(w->text, "expedite-rcu"))) {
			if (parse_yes_no(v, &cfg->expedite_rcu))
				return perr(ps, w->line, "expedite-rcu takes yes or no, not '%s'", v);
		} else {
			return perr(ps, w->line, "REPLACE-POLICY: unknown key '%s'", w->text);
		}
	}
	return 0;
}

/* owner= or group=: a number, or a name the system knows. */
static int parse_id(struct parser *ps, const struct word *w, const char *v, bool user, long *out)
{
	uint64_t n;

	if (!*v)
		return perr(ps, w->line, "CREATE: %s= needs a value", user ? "owner" : "group");
	if (!parse_u64(v, &n) && n <= 0x7fffffff) {
		*out = (long)n;
		return 0;
	}
	if (user) {
		struct passwd *pw = getpwnam(v);

		if (pw) {
			*out = (long)pw->pw_uid;
			return 0;
		}
	} else {
		struct group *gr = getgrnam(v);

		if (gr) {
			*out = (long)gr->gr_gid;
			return 0;
		}
	}
	/* a name this system lacks (an initramfs without it, say) is no syntax error: unset */
	*out = -1;
	return 0;
}

static int parse_tristate(struct parser *ps, const struct word *w, const char *v, int *out)
{
	bool b;

	if (parse_yes_no(v, &b))
		return perr(ps, w->line, "CREATE: %s takes yes or no", w->text);
	*out = b;
	return 0;
}

/* CREATE owner= group= mode= auto= metadata= names= bbl= symlinks= */
static int parse_create(struct parser *ps, const struct stmt *st)
{
	struct cfg_create *cr = &ps->cfg->create;

	for (size_t i = 1; i < st->n; i++) {
		const struct word *w = &st->w[i];
		const char *v;
		int rc = 0;

		if ((v = key_value(w->text, "owner"))) {
			rc = parse_id(ps, w, v, true, &cr->uid);
		} else if ((v = key_value(w->text, "group"))) {
			rc = parse_id(ps, w, v, false, &cr->gid);
		} else if ((v = key_value(w->text, "mode"))) {
			char *end;
			unsigned long m = strtoul(v, &end, 8);

			if (!*v || *end || m > 07777)
				return perr(ps, w->line, "CREATE: bad mode %s (octal, as 0660)", v);
			cr->mode = (int)m;
		} else if ((v = key_value(w->text, "auto"))) {
			rc = set_str(ps, w, cr->autof, sizeof(cr->autof), v, "CREATE auto=");
		} else if ((v = key_value(w->text, "metadata"))) {
			rc = set_str(ps, w, cr->metadata, sizeof(cr->metadata), v, "CREATE metadata=");
		} else if ((v = key_value(w->text, "names"))) {
			rc = parse_tristate(ps, w, v, &cr->names);
		} else if ((v = key_value(w->text, "bbl"))) {
			rc = parse_tristate(ps, w, v, &cr->bbl);
		} else if ((v = key_value(w->text, "symlinks"))) {
			rc = parse_tristate(ps, w, v, &cr->symlinks);
		} else {
			return perr(ps, w->line, "CREATE: unknown word '%s'", w->text);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * HOMEHOST: the first line wins and later ones are ignored, as mdadm says.
 * <ignore> may come with a name (used when creating); <none> is no host.
 */
static int parse_homehost(struct parser *ps, const struct stmt *st)
{
	struct mdctl_config *cfg = ps->cfg;

	if (cfg->homehost_set)
		return 0;
	for (size_t i = 1; i < st->n; i++) {
		const char *w = st->w[i].text;

		if (!strcasecmp(w, "<ignore>")) {
			cfg->homehost_ignore = true;
		} else if (!cfg->homehost_set) {
			cfg->homehost_set = true;
			if (strcasecmp(w, "<none>") && set_str(ps, &st->w[i], cfg->homehost,
							    sizeof(cfg->homehost), w, "HOMEHOST"))
				return -EINVAL;
		}
	}
	return 0;
}

/* AUTO: the first line's words are kept in order; later AUTO lines are ignored. */
static int parse_auto(struct parser *ps, const struct stmt *st)
{
	struct mdctl_config *cfg = ps->cfg;

	if (cfg->auto_seen)
		return 0;
	cfg->auto_seen = true;
	for (size_t i = 1; i < st->n; i++) {
		const char *w = st->w[i].text;

		if (w[0] != '+' && w[0] != '-' && strcasecmp(w, "homehost") &&
		    strcasecmp(w, "yes") && strcasecmp(w, "no"))
			return perr(ps, st->w[i].line,
				    "AUTO: '%s' is not +METADATA, -METADATA, homehost, yes or no", w);
		if (add_list(&cfg->auto_words, &cfg->nauto_words, w, strlen(w)))
			return -ENOMEM;
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
		KW_STATEDIR, KW_METRICS,
	};

	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		if (once[i] != kw)
			continue;
		if (ps->seen[kw] && !strcmp(ps->seen_file[kw], ps->file))
			return perr(ps, w->line, "%s given twice (first at line %d)", w->text,
				    ps->seen[kw]);
		if (ps->seen[kw])
			return perr(ps, w->line, "%s given twice (first at %s:%d)", w->text,
				    ps->seen_file[kw], ps->seen[kw]);
		ps->seen[kw] = w->line;
		ps->seen_file[kw] = ps->file;
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
		/* mdadm runs the first word and ignores the rest: so does mdctl */
		if (st->n < 2)
			return perr(ps, kw->line, "PROGRAM takes a path");
		cfg->program_extra_words = (int)st->n - 2;
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
		return parse_policy(ps, st, &cfg->policies, &cfg->npolicies, &ps->policies_cap);
	case KW_PART_POLICY:
		return parse_policy(ps, st, &cfg->part_policies, &cfg->npart_policies,
				    &ps->part_policies_cap);
	case KW_CREATE:
		return parse_create(ps, st);
	case KW_HOMEHOST:
		return parse_homehost(ps, st);
	case KW_HOMECLUSTER:
		if (!cfg->homecluster[0] && st->n > 1 && strcasecmp(st->w[1].text, "<none>"))
			return set_str(ps, &st->w[1], cfg->homecluster, sizeof(cfg->homecluster),
				       st->w[1].text, "HOMECLUSTER");
		return 0;
	case KW_AUTO:
		return parse_auto(ps, st);
	case KW_REPLACE_POLICY:
		return parse_replace_policy(ps, st);
	case KW_EVENTLOG:
		return one_path(ps, st, cfg->event_log, sizeof(cfg->event_log), "EVENTLOG");
	case KW_STATEDIR:
		return one_path(ps, st, cfg->state_dir, sizeof(cfg->state_dir), "STATEDIR");
	case KW_METRICS:
		return one_path(ps, st, cfg->metrics_path, sizeof(cfg->metrics_path), "METRICS");
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
	cfg->expedite_rcu = true;
	cfg->create.uid = -1;
	cfg->create.gid = -1;
	cfg->create.mode = -1;
	cfg->create.names = -1;
	cfg->create.bbl = -1;
	cfg->create.symlinks = -1;
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
/* Parse one file's text into ps->cfg (already initialised), continuing ps's state. */
static int parse_text(struct parser *ps, const char *text)
{
	struct stmt st = { 0 };
	const char *p = text;
	int line = 0, rc = 0;

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
			rc = parse_stmt(ps, &st);
			stmt_clear(&st);
		}
		if (rc == 0)
			rc = split_line(ps, phys, line, &st);
		free(phys);
		p += len;
		if (*p == '\n')
			p++;
	}
	if (rc == 0 && st.n > 0)
		rc = parse_stmt(ps, &st);
	stmt_clear(&st);
	free(st.w);
	if (rc == -ENOMEM && ps->errlen)
		snprintf(ps->err, ps->errlen, "%s: out of memory", ps->file);
	return rc;
}

int config_parse_buffer(const char *text, const char *file, struct mdctl_config *out,
			char *err, size_t errlen)
{
	struct parser ps = { .file = file, .cfg = out, .err = err, .errlen = errlen };

	config_init(out);
	if (errlen)
		err[0] = '\0';
	return parse_text(&ps, text);
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

/* Read and parse one file into ps->cfg; -errno (err set) when it cannot be read. */
static int load_file(struct parser *ps, const char *path)
{
	char *text = NULL;
	const char *nul;
	size_t len = 0;
	int rc = slurp(path, &text, &len);

	if (rc) {
		if (ps->errlen)
			snprintf(ps->err, ps->errlen, "%s: cannot read: %s", path, strerror(-rc));
		return rc;
	}
	/* text after a NUL would be silently lost: the file is not what it seems */
	nul = memchr(text, '\0', len);
	if (nul) {
		int line = 1;

		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		if (ps->errlen)
			snprintf(ps->err, ps->errlen, "%s:%d: NUL byte", path, line);
		free(text);
		return -EINVAL;
	}
	ps->file = path;
	rc = parse_text(ps, text);
	free(text);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A directory: its *.conf files (not hidden ones) in lexical order, as
 * mdadm reads mdadm.conf.d.  names keeps every path read (the parser
 * points into them until the end).
 */
static int load_dir(struct parser *ps, const char *dir, char ***names, size_t *nnames)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t first = *nnames;
	int rc = 0;

	if (!d) {
		rc = -errno;
		if (ps->errlen)
			snprintf(ps->err, ps->errlen, "%s: cannot read: %s", dir, strerror(-rc));
		return rc;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char path[PATH_MAX];

		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".conf"))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (add_list(names, nnames, path, strlen(path))) {
			rc = -ENOMEM;
			break;
		}
	}
	closedir(d);
	if (rc)
		return rc;
	qsort(*names + first, *nnames - first, sizeof(**names), cmp_names);
	for (size_t i = first; i < *nnames && !rc; i++) {
		struct stat st;

		/* as mdadm: only regular files (a dangling link or a subdirectory is skipped) */
		if (stat((*names)[i], &st) || !S_ISREG(st.st_mode))
			continue;
		rc = load_file(ps, (*names)[i]);
	}
	return rc;
}

/* A file or a directory of *.conf files. */
static int load_path(struct parser *ps, const char *path, char ***names, size_t *nnames)
{
	struct stat st;

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return load_dir(ps, path, names, nnames);
	if (add_list(names, nnames, path, strlen(path)))
		return -ENOMEM;
	return load_file(ps, (*names)[*nnames - 1]);
}

/**
 * config_load_root() - read and parse the configuration.
 * @etc: where the default files live ("/etc")
 * @path: a file or a directory of *.conf files; or NULL for the defaults:
 *        the first that exists of etc/mdctl.conf, etc/mdadm/mdadm.conf,
 *        etc/mdadm.conf, then the directory of the same name plus ".d"
 *        (mdadm's mdadm.conf.d) when it exists.  As with mdadm, "none"
 *        means an empty configuration and "partitions" one holding only
 *        "DEVICE partitions".
 * @out: filled; free with config_free() (also after an error)
 * @err: gets "FILE:LINE: cause" (or "FILE: cause") on failure
 * @errlen: size of err
 *
 * Return: 0; -EINVAL on a syntax error; -errno when a file cannot be read.
 */
int config_load_root(const char *etc, const char *path, struct mdctl_config *out, char *err,
		     size_t errlen)
{
	static const char *const defaults[] = { "mdctl.conf", "mdadm/mdadm.conf", "mdadm.conf" };
	struct parser ps = { .cfg = out, .err = err, .errlen = errlen };
	char **names = NULL, file[PATH_MAX], dir[PATH_MAX + 2];
	size_t nnames = 0;
	int rc = 0;

	if (errlen)
		err[0] = '\0';
	if (path && (strcmp(path, "none") == 0 || strcmp(path, "partitions") == 0))
		return config_parse_buffer(strcmp(path, "none") == 0 ? "" : "DEVICE partitions\n",
					   path, out, err, errlen);
	config_init(out);
	if (path) {
		rc = load_path(&ps, path, &names, &nnames);
		if (!rc || rc == -EINVAL)
			copy_str(out->path, sizeof(out->path), path);
		goto out;
	}
	/* no file at all: an empty configuration (and the first directory, as mdadm) */
	snprintf(file, sizeof(file), "%s/%s", etc, defaults[1]);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		char f[PATH_MAX];

		snprintf(f, sizeof(f), "%s/%s", etc, defaults[i]);
		if (!access(f, F_OK)) {
			copy_str(file, sizeof(file), f);
			break;
		}
	}
	snprintf(dir, sizeof(dir), "%s.d", file);
	if (!access(file, F_OK)) {
		rc = load_path(&ps, file, &names, &nnames);
		copy_str(out->path, sizeof(out->path), file);
	}
	if (!rc && !access(dir, F_OK)) {
		rc = load_path(&ps, dir, &names, &nnames);
		if (!out->path[0])
			copy_str(out->path, sizeof(out->path), dir);
	}
out:
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}

int config_load(const char *path, struct mdctl_config *out, char *err, size_t errlen)
{
	return config_load_root("/etc", path, out, err, errlen);
}

const char *config_state_dir(const struct mdctl_config *cfg, const char *fallback)
{
	return cfg->state_dir[0] ? cfg->state_dir : fallback;
}

int config_load_state_dir(const char *path, const char *fallback, char *out, size_t len,
			  char *err, size_t errlen)
{
	/* on the heap: a long-lived caller (the monitor) keeps no stack pages of it */
	struct mdctl_config *cfg = calloc(1, sizeof(*cfg));
	int rc;

	if (!cfg)
		return -ENOMEM;
	rc = config_load(path, cfg, err, errlen);
	if (!rc)
		rc = copy_str(out, len, config_state_dir(cfg, fallback));
	config_free(cfg);
	free(cfg);
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
	free(cfg->part_policies);
	for (i = 0; i < cfg->nauto_words; i++)
		free(cfg->auto_words[i]);
	free(cfg->auto_words);
	cfg->part_policies = NULL;
	cfg->npart_policies = 0;
	cfg->auto_words = NULL;
	cfg->nauto_words = 0;
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

int config_homehost(const struct mdctl_config *cfg, const char *override, char *buf, size_t len)
{
	const char *h = override ? override : cfg->homehost_set ? cfg->homehost : "<system>";

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	if (!strcasecmp(h, "<none>") || !h[0])
		return 0;
	if (strcasecmp(h, "<system>"))
		return copy_str(buf, len, h);
	if (gethostname(buf, len) < 0) {
		buf[0] = '\0';
		return -errno;
	}
	buf[len - 1] = '\0';
	return 0;
}

bool config_array_is_home(const char *set_name, const char *homehost)
{
	const char *colon = strchr(set_name, ':');

	return colon && homehost[0] && strlen(homehost) == (size_t)(colon - set_name) &&
	       !strncmp(set_name, homehost, (size_t)(colon - set_name));
}

/* Does an AUTO word's metadata ("1.x", "1", "1.2", "0.90", "0", "ddf") name md? */
static bool auto_word_names(const char *w, const char *md)
{
	bool w1 = !strcmp(w, "1") || !strncasecmp(w, "1.", 2);
	bool m1 = !strcmp(md, "1") || !strncasecmp(md, "1.", 2);

	if (w1 || m1)
		return w1 && m1;
	if (!strcmp(w, "0") || !strcmp(w, "0.90"))
		return !strcmp(md, "0.90") || !strcmp(md, "0");
	return !strcasecmp(w, md);
}

bool config_auto_allows(const struct mdctl_config *cfg, const char *metadata, bool home)
{
	/* 1 yes, 0 no, 2 only this host's; the default is yes */
	int verdict = 1;
	bool homehost = false;

	for (size_t i = 0; i < cfg->nauto_words; i++) {
		const char *w = cfg->auto_words[i];
		int val;

		if (!strcasecmp(w, "homehost")) {
			homehost = true;
			continue;
		}
		if (!strcasecmp(w, "yes") || !strcasecmp(w, "no")) {
			verdict = w[0] == 'y' || w[0] == 'Y' ? 1 : homehost ? 2 : 0;
			break;
		}
		val = w[0] == '+' ? 1 : homehost ? 2 : 0;
		if (!strcasecmp(w + 1, "all") || auto_word_names(w + 1, metadata)) {
			verdict = val;
			break;
		}
	}
	return verdict == 1 || (verdict == 2 && home);
}

bool config_auto_check(const struct mdctl_config *cfg, const char *homehost, const char *set_name,
		       char *why, size_t len)
{
	char host[256];
	bool home;

	/*
	 * HOMEHOST <ignore> (or --homehost=<ignore>): no array is told apart
	 * by the host part of its name, so each counts as this host's
	 */
	if (homehost ? !strcasecmp(homehost, "<ignore>") : cfg->homehost_ignore) {
		home = true;
	} else {
		config_homehost(cfg, homehost, host, sizeof(host));
		home = config_array_is_home(set_name, host);
	}
	if (config_auto_allows(cfg, "1.x", home))
		return true;
	if (len)
		snprintf(why, len, "AUTO in %s refuses %s1.x arrays", cfg->path[0] ? cfg->path : "the config",
			 home || !config_auto_allows(cfg, "1.x", true) ? "" : "other hosts' ");
	return false;
}
