// SPDX-License-Identifier: GPL-2.0-or-later
/* output.c: text, --export (KEY=value) and --json emitters and value formatters shared by the commands. */
#include "output.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void out_field(FILE *f, const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "%15s : ", name);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
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

void out_quote_shell(FILE *f, const char *s)
{
	if (shell_safe(s)) {
		fputs(s, f);
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
}

void out_export(FILE *f, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *val = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&val, fmt, ap);
	va_end(ap);
	fprintf(f, "%s=", key);
	if (n >= 0)
		out_quote_shell(f, val);
	fputc('\n', f);
	free(val);
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

void fmt_brief_kib(uint64_t kib, char *buf, size_t len)
{
	unsigned long long bytes = kib >= (1ull << 54) ? ~0ull : kib * 1024ull;
	unsigned long long c;
	const char *u;

	if (bytes < 5000ull * 1024) {
		if (len)
			buf[0] = '\0';
		return;
	}
	if (bytes < (2ull << 30)) {
		c = centi(bytes, 1000000ull);
		u = "MB";
	} else if (bytes < (2ull << 40)) {
		c = centi(bytes, 1000000000ull);
		u = "GB";
	} else {
		c = centi(bytes, 1000000000000ull);
		u = "TB";
	}
	snprintf(buf, len, "%llu.%02llu%s", c / 100, c % 100, u);
}

const char *fmt_level(int level)
{
	switch (level) {
	case -5:
		return "faulty";
	case -4:
		return "multipath";
	case -1:
		return "linear";
	case 0:
		return "raid0";
	case 1:
		return "raid1";
	case 4:
		return "raid4";
	case 5:
		return "raid5";
	case 6:
		return "raid6";
	case 10:
		return "raid10";
	default:
		return "-unknown-";
	}
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
		int near = layout & 0xff, far = (layout >> 8) & 0xff;
		int n = 0;

		if (len)
			buf[0] = '\0';
		if (near * far == 1) {
			snprintf(buf, len, "NO REDUNDANCY");
			return buf;
		}
		if (near != 1)
			n = snprintf(buf, len, "near=%d", near);
		if (far != 1 && n >= 0 && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, "%s%s=%d", n ? ", " : "",
				 (layout & 0x10000) ? "offset" : "far", far);
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
