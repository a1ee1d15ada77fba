/* SPDX-License-Identifier: GPL-2.0-or-later */
/* output.h: text, --export (KEY=value) and --json emitters shared by the commands. */
#ifndef MDCTL_OUTPUT_H
#define MDCTL_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

enum output_format { OUT_TEXT, OUT_BRIEF, OUT_EXPORT, OUT_JSON };

/* Version of the JSON schema printed by --examine, --detail and events. */
#define MDCTL_JSON_SCHEMA 1

/** out_field() - one "%15s : value" line as mdadm aligns --examine/--detail. */
void out_field(FILE *f, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/**
 * out_export() - KEY=value and a newline.  The value is printed bare when it
 * holds only [A-Za-z0-9_.,:/+=@%-] (or is empty), else in single quotes
 * with each ' written as '\'' so that a POSIX shell reads it back verbatim.
 */
void out_export(FILE *f, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** out_quote_shell() - print s as one shell word, quoted as out_export() does. */
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
