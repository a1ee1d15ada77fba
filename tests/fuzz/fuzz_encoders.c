// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_encoders.c: libFuzzer entry for output.c's encoders, each with an oracle of what its form may hold. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* printable ASCII or a valid UTF-8 sequence throughout, no control byte */
static void check_clean(const char *s, const char *what)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = json_object_new_string(s), *back;
	const char *txt = json_object_to_json_string(o);

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(stderr, "%s: control byte 0x%02x\n", what, *p);
			abort();
		}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	back = json_tokener_parse_ex(tok, txt, (int)strlen(txt));
	if (!back) {
		fprintf(stderr, "%s: not valid UTF-8\n", what);
		abort();
	}
	json_object_put(back);
	json_object_put(o);
	json_tokener_free(tok);
}

static char *capture(void (*fn)(FILE *, const char *, const char *), const char *a, const char *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	fn(f, a, b);
	fclose(f);
	return buf;
}

static void do_export(FILE *f, const char *key, const char *val)
{
	out_export(f, key, "%s", val);
}

static void do_conf(FILE *f, const char *val, const char *unused)
{
	(void)unused;
	fputs("ARRAY /dev/md0 name=", f);
	out_conf_word(f, val);
	fputc('\n', f);
}

/* export: exactly one line, MD_[A-Za-z0-9_]+=value, nothing udev would read otherwise */
static void check_export(const char *key, const char *val)
{
	char *s = capture(do_export, key, val);
	size_t k = strspn(s + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

	if (strncmp(s, "MD_", 3) || !k || s[3 + k] != '=' || strchr(s, '\n') != s + strlen(s) - 1) {
		fprintf(stderr, "export line: %s\n", s);
		abort();
	}
	s[strlen(s) - 1] = '\0';
	check_clean(s, "export");
	free(s);
}

/* config: the line parses back as one ARRAY whose name finds the array */
static void check_conf(const char *val)
{
	char *s = capture(do_conf, val, NULL), err[256];
	struct mdctl_config c;

	if (strchr(s, '\n') != s + strlen(s) - 1) {
		fprintf(stderr, "conf: more than one line: %s\n", s);
		abort();
	}
	if (config_parse_buffer(s, "f.conf", &c, err, sizeof(err)) || c.narrays != 1 ||
	    c.program[0] || c.mailaddr[0] ||
	    (val[0] && !config_find_array(&c, NULL, val))) {
		fprintf(stderr, "conf: %s -> %s\n", s, err);
		abort();
	}
	config_free(&c);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *val = malloc(size + 1), *key, buf[OUT_ESC_SIZE(64)], link[64];
	struct json_object *o;
	size_t cut;

	if (!val)
		return 0;
	memcpy(val, data, size);
	val[size] = '\0';
	/* the first NUL-free part is the value, the rest (if any) the key */
	cut = strlen(val);
	key = cut < size ? val + cut + 1 : NULL;
	if (key)
		key[strnlen(key, 64)] = '\0';

	out_escape(buf, sizeof(buf), val);
	check_clean(buf, "escape");
	check_export(key && key[0] ? key : "MD_NAME", val);
	if (strlen(val) <= 32) /* a superblock name is at most 32 bytes */
		check_conf(val);
	out_link_name(val, link, sizeof(link));
	if (strspn(link, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:+-") !=
	    strlen(link) || !link[0] || !strcmp(link, ".") || !strcmp(link, "..")) {
		fprintf(stderr, "link name: %s\n", link);
		abort();
	}
	o = out_jstr(val);
	check_clean(json_object_get_string(o), "json");
	json_object_put(o);
	free(val);
	return 0;
}
