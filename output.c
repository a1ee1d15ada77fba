// SPDX-License-Identifier: GPL-2.0-or-later
/* output.c: text, --export (KEY=value) and --json emitters and value formatters shared by the commands. */
#include "output.h"
#include "mdlevel.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Length of the valid, printable UTF-8 sequence at s (1-4), or 0 when the
 * byte at s must be escaped: a control, a backslash, a C1 control, a stray
 * continuation byte, an overlong form, a surrogate or a code point past
 * U+10FFFF.
 */
static size_t utf8_ok(const unsigned char *s)
{
	unsigned cp;
	size_t n, i;

	if (*s < 0x80)
		return (*s < 0x20 || *s == 0x7f || *s == '\\') ? 0 : 1;
	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2, cp = *s & 0x1f;
	else if (*s >= 0xe0 && *s <= 0xef)
		n = 3, cp = *s & 0x0f;
	else if (*s >= 0xf0 && *s <= 0xf4)
		n = 4, cp = *s & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

/* out_escape() with extra bytes (besides the rule) written as \xNN */
static size_t escape_with(char *dst, size_t len, const char *src, const char *extra)
{
	const unsigned char *s = (const unsigned char *)(src ? src : "");
	size_t out = 0, kept = 0;
	int full = 0;

	while (*s) {
		size_t n = utf8_ok(s);
		char tmp[5];
		const char *piece = (const char *)s;

		if (n == 1 && extra && strchr(extra, *s))
			n = 0;
		if (!n) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", *s);
			piece = tmp;
			n = 4;
			s++;
		} else {
			s += n;
		}
		/* once a piece does not fit, stop copying: never cut an escape */
		if (!full && out + n < len) {
			memcpy(dst + out, piece, n);
			kept = out + n;
		} else {
			full = 1;
		}
		out += n;
	}
	if (len)
		dst[kept] = '\0';
	return out;
}

size_t out_escape(char *dst, size_t len, const char *src)
{
	return escape_with(dst, len, src, NULL);
}

const char *out_esc(const char *src, char *buf, size_t len)
{
	escape_with(buf, len, src, NULL);
	return buf;
}

/* the escaped form in a buffer of its own (NULL when memory is short) */
static char *esc_dup(const char *s, const char *extra)
{
	size_t n = escape_with(NULL, 0, s, extra);
	char *p = malloc(n + 1);

	if (p)
		escape_with(p, n + 1, s, extra);
	return p;
}

void out_text(FILE *f, const char *s)
{
	char *e = esc_dup(s, NULL);

	fputs(e ? e : "?", f);
	free(e);
}

/* what a config word may not hold bare: quotes, comment, white space */
#define CONF_EXTRA "\"'# "

void out_conf_word(FILE *f, const char *s)
{
	char *e = esc_dup(s, CONF_EXTRA);

	fputs(e ? e : "?", f);
	free(e);
}

const char *out_conf_esc(const char *s, char *buf, size_t len)
{
	escape_with(buf, len, s, CONF_EXTRA);
	return buf;
}

void out_link_name(const char *name, char *link, size_t len)
{
	size_t j = 0;

	if (!len)
		return;
	for (size_t i = 0; name && name[i] && j + 1 < len; i++)
		link[j++] = (isalnum((unsigned char)name[i]) && (unsigned char)name[i] < 0x80) ||
			    strchr("._:+-", name[i]) ? name[i] : '_';
	link[j] = '\0';
	if (!j || !strcmp(link, ".") || !strcmp(link, ".."))
		snprintf(link, len, "unnamed");
}

struct json_object *out_jstr(const char *s)
{
	char *e = esc_dup(s, NULL);
	struct json_object *o = json_object_new_string(e ? e : "");

	free(e);
	return o;
}

/* Characters a POSIX shell reads literally in an unquoted word. */
static int shell_safe(const char *s)
{
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.,:/+-=@%", *s))
			return 0;
	return 1;
}

void out_quote_shell(FILE *f, const char *raw)
{
	char *e = esc_dup(raw, NULL);
	const char *s = e ? e : "?";

	if (shell_safe(s)) {
		fputs(s, f);
		free(e);
		return;
	}
	/* single quotes keep everything literal except the quote itself */
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
	free(e);
}

void out_export(FILE *f, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *val = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&val, fmt, ap);
	va_end(ap);
	fputs("MD_", f);
	if (!strncmp(key, "MD_", 3))
		key += 3;
	for (const char *k = key; *k; k++)
		fputc(isalnum((unsigned char)*k) && (unsigned char)*k < 0x80 ? *k : '_', f);
	fputs(*key ? "=" : "_=", f);
	if (n >= 0)
		out_quote_shell(f, val);
	fputc('\n', f);
	free(val);
}

void out_vfield(FILE *f, int width, const char *name, const char *fmt, va_list ap)
{
	char *val = NULL;

	fprintf(f, "%*s : ", width, name);
	if (vasprintf(&val, fmt, ap) >= 0)
		out_text(f, val);
	fputc('\n', f);
	free(val);
}

void out_field(FILE *f, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vfield(f, 15, name, fmt, ap);
	va_end(ap);
}

void out_json(FILE *f, struct json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
}

void fmt_uuid_mdadm(const uint8_t uuid[16], char buf[36])
{
	char *p = buf;

	for (int i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			*p++ = ':';
		p += sprintf(p, "%02x", uuid[i]);
	}
}

void fmt_uuid_dashed(const uint8_t uuid[16], char buf[37])
{
	char *p = buf;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", uuid[i]);
	}
}

void fmt_time(uint64_t sec, char *buf, size_t len)
{
	time_t t = (time_t)sec;
	struct tm tm;

	/* ctime()'s layout, without its newline */
	if (t < 0 || (uint64_t)t != sec || !localtime_r(&t, &tm) ||
	    !strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm))
		snprintf(buf, len, "%llu", (unsigned long long)sec);
}

/* hundredths of (bytes / unit), rounded half up */
static unsigned long long centi(unsigned long long bytes, unsigned long long unit)
{
	unsigned __int128 c = (unsigned __int128)bytes * 200 / unit;

	return (unsigned long long)((c + 1) / 2);
}

void fmt_human_kib(uint64_t kib, char *buf, size_t len)
{
	unsigned long long bytes = kib >= (1ull << 54) ? ~0ull : kib * 1024ull;
	unsigned long long bin, dec;
	const char *bu, *du;

	if (bytes < 5000ull * 1024) {
		if (len)
			buf[0] = '\0';
		return;
	}
	if (bytes < (2ull << 30)) {
		bin = centi(bytes, 1ull << 20);
		dec = centi(bytes, 1000000ull);
		bu = "MiB";
		du = "MB";
	} else if (bytes < (2ull << 40)) {
		bin = centi(bytes, 1ull << 30);
		dec = centi(bytes, 1000000000ull);
		bu = "GiB";
		du = "GB";
	} else {
		bin = centi(bytes, 1ull << 40);
		dec = centi(bytes, 1000000000000ull);
		bu = "TiB";
		du = "TB";
	}
	snprintf(buf, len, " (%llu.%02llu %s %llu.%02llu %s)", bin / 100, bin % 100, bu,
		 dec / 100, dec % 100, du);
}

/* mdadm's brief size in decimal (MB, GB, TB) or binary (MiB, GiB, TiB) units. */
static void brief_kib(uint64_t kib, bool iec, char *buf, size_t len)
{
	unsigned long long bytes = kib >= (1ull << 54) ? ~0ull : kib * 1024ull;
	unsigned long long c, k = iec ? 1024ull : 1000ull;
	const char *u;

	if (bytes < 5000ull * 1024) {
		if (len)
			buf[0] = '\0';
		return;
	}
	if (bytes < (2ull << 30)) {
		c = centi(bytes, k * k);
		u = iec ? "MiB" : "MB";
	} else if (bytes < (2ull << 40)) {
		c = centi(bytes, k * k * k);
		u = iec ? "GiB" : "GB";
	} else {
		c = centi(bytes, k * k * k * k);
		u = iec ? "TiB" : "TB";
	}
	snprintf(buf, len, "%llu.%02llu%s", c / 100, c % 100, u);
}

void fmt_brief_kib(uint64_t kib, char *buf, size_t len)
{
	brief_kib(kib, false, buf, len);
}

void fmt_brief_kib_iec(uint64_t kib, char *buf, size_t len)
{
	brief_kib(kib, true, buf, len);
}

const char *fmt_level(int level)
{
	const char *name = md_level_name(level);

	return name && level != MD_LEVEL_CONTAINER ? name : "-unknown-";
}

static const char *r5_layout(int layout)
{
	switch (layout) {
	case 0: return "left-asymmetric";
	case 1: return "right-asymmetric";
	case 2: return "left-symmetric";
	case 3: return "right-symmetric";
	case 4: return "parity-first";
	case 5: return "parity-last";
	case 8: return "ddf-zero-restart";
	case 9: return "ddf-N-restart";
	case 10: return "ddf-N-continue";
	default: return NULL;
	}
}

static const char *r6_layout(int layout)
{
	switch (layout) {
	case 16: return "left-asymmetric-6";
	case 17: return "right-asymmetric-6";
	case 18: return "left-symmetric-6";
	case 19: return "right-symmetric-6";
	case 20: return "parity-first-6";
	default: return r5_layout(layout);
	}
}

const char *fmt_layout(int level, int layout, char *buf, size_t len)
{
	const char *name = NULL;

	switch (level) {
	case 0:
		name = layout == 1 ? "original" : layout == 2 ? "alternate" :
		       layout == 3 ? "dangerous" : NULL;
		break;
	case 4:
	case 5:
		name = r5_layout(layout);
		break;
	case 6:
		name = r6_layout(layout);
		break;
	case 10: {
		struct md_raid10_geom g = md_raid10_geom(layout);
		int near = g.near, far = g.far, n = 0;

		if (len)
			buf[0] = '\0';
		if (g.copies == 1) {
			snprintf(buf, len, "NO REDUNDANCY");
			return buf;
		}
		if (near != 1)
			n = snprintf(buf, len, "near=%d", near);
		if (far != 1 && n >= 0 && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, "%s%s=%d", n ? ", " : "",
				 g.offset ? "offset" : "far", far);
		return buf;
	}
	default:
		return NULL;
	}
	if (!name)
		name = "-unknown-";
	snprintf(buf, len, "%s", name);
	return buf;
}
