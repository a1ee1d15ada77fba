/* SPDX-License-Identifier: GPL-2.0-or-later */
/* output.h: text, --export (KEY=value) and --json emitters shared by the commands. */
#ifndef MDCTL_OUTPUT_H
#define MDCTL_OUTPUT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

enum output_format { OUT_TEXT, OUT_BRIEF, OUT_EXPORT, OUT_JSON };

/* Version of the one JSON schema (docs/mdctl.schema.json) of --examine, --detail,
 * --replace --list and monitor events: the "version" key of every document. */
#define MDCTL_JSON_SCHEMA 2

/*
 * Encoders: every value that comes from a disk, the kernel or the config is
 * printed through one of these, one per output form.  The escaping rule is
 * the same for all: a control byte (0x00-0x1f, 0x7f), a C1 control
 * (U+0080-U+009F), a backslash and every byte that is not part of a valid
 * UTF-8 sequence is written as the four characters \xNN (lowercase hex);
 * everything else is kept.  The result holds no control byte and is valid
 * UTF-8, so it can end no line, move no cursor and break no JSON.
 */

/* Room for the escaped form of n bytes, with its NUL. */
#define OUT_ESC_SIZE(n) (4 * (n) + 1)

/**
 * out_escape() - the escaped form of src into dst (never cut inside an
 * escape; always terminated when len > 0).
 * Return: the length of the whole escaped form, as snprintf() counts.
 */
size_t out_escape(char *dst, size_t len, const char *src);
/** out_esc() - out_escape() into buf, returning buf ("" for NULL src). */
const char *out_esc(const char *src, char *buf, size_t len);
/** out_text() - print s escaped (plain-text output). */
void out_text(FILE *f, const char *s);
/**
 * out_conf_word() - s as one word of a config line (ARRAY name=, devices=):
 * escaped, and besides '"' '\'' '#' and white space as \xNN, so the word
 * is bare and config_load() reads back one word with nothing after it.
 */
void out_conf_word(FILE *f, const char *s);
/** out_conf_esc() - the out_conf_word() form of s into buf; returns buf. */
const char *out_conf_esc(const char *s, char *buf, size_t len);
/**
 * out_link_name() - a name as a link under /dev/md/: only [A-Za-z0-9._:+-]
 * are kept, every other byte becomes '_'; never empty, "." or "..".
 */
void out_link_name(const char *name, char *link, size_t len);
/** out_jstr() - a json-c string of s escaped (NULL gives ""). */
struct json_object *out_jstr(const char *s);

/** out_field() - one "%15s : value" line as mdadm aligns --examine; the value escaped. */
void out_field(FILE *f, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** out_vfield() - out_field() with the label right-aligned to width. */
void out_vfield(FILE *f, int width, const char *name, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/**
 * out_export() - KEY=value and a newline, the one form udev imports.  The
 * value is escaped (see above), then printed bare when it holds only
 * [A-Za-z0-9_.,:/+=@%-] (or is empty), else in single quotes with each '
 * written as '\'' so that a POSIX shell reads it back verbatim.  A key
 * byte outside [A-Za-z0-9_] is printed as '_', and a key not starting with
 * "MD_" gets it: every line is MD_[A-Za-z0-9_]+=value.
 */
void out_export(FILE *f, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** out_quote_shell() - print s escaped, as one shell word, quoted as out_export() does. */
void out_quote_shell(FILE *f, const char *s);
/** out_json() - print a json-c object (pretty) and a newline. */
void out_json(FILE *f, struct json_object *obj);

/** fmt_uuid_mdadm() - 16 bytes as "xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx". */
void fmt_uuid_mdadm(const uint8_t uuid[16], char buf[36]);
/** fmt_uuid_dashed() - 16 bytes as the kernel's "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
void fmt_uuid_dashed(const uint8_t uuid[16], char buf[37]);
/** fmt_time() - seconds since the epoch in local time as mdadm prints them
 * ("Wed Nov 25 09:17:52 2026", ctime() without the newline); the bare number
 * when out of range.  32 bytes are enough. */
void fmt_time(uint64_t sec, char *buf, size_t len);
/**
 * fmt_human_kib() - the human size mdadm appends to a number, with its
 * leading space: " (1022.00 MiB 1071.64 MB)", " (931.39 GiB 1000.07 GB)",
 * TiB/TB from 2 TiB; "" below 5000 KiB.  Use as "%llu sectors%s".
 * Hundredths are rounded half up.  32 bytes are enough.
 */
void fmt_human_kib(uint64_t kib, char *buf, size_t len);
/**
 * fmt_brief_kib() - mdadm's short size for --export: decimal units, "132.12MB"
 * below 2 GiB, "4096.00GB" below 2 TiB, then TB; "" below 5000 KiB.
 */
void fmt_brief_kib(uint64_t kib, char *buf, size_t len);
/** fmt_brief_kib_iec() - the same in binary units ("19.98MiB"), as --query prints. */
void fmt_brief_kib_iec(uint64_t kib, char *buf, size_t len);
/** fmt_level() - -1 "linear", 0 "raid0", 5 "raid5", ...; "-unknown-" otherwise (never NULL). */
const char *fmt_level(int level);
/**
 * fmt_layout() - layout name for a level into buf: raid4/5/6 names
 * ("left-symmetric", "parity-last", "left-symmetric-6"), raid10
 * ("near=2", "far=2", "offset=2", "near=2, far=2"), raid0 ("original",
 * "alternate"); "-unknown-" for an unknown number.  Return buf, or NULL for
 * a level without layouts (linear, raid1).
 */
const char *fmt_layout(int level, int layout, char *buf, size_t len);

#endif
