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
/** out_export() - KEY=value, the value quoted for a shell when it needs it. */
void out_export(FILE *f, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** out_json() - print a json-c object (pretty) and a newline. */
void out_json(FILE *f, struct json_object *obj);

/** fmt_uuid_mdadm() - 16 bytes as "xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx". */
void fmt_uuid_mdadm(const uint8_t uuid[16], char buf[36]);
/** fmt_uuid_dashed() - 16 bytes as the kernel's "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
void fmt_uuid_dashed(const uint8_t uuid[16], char buf[37]);
/** fmt_time() - seconds since the epoch as mdadm prints them ("Wed Nov 25 09:17:52 2026"). */
void fmt_time(uint64_t sec, char *buf, size_t len);
/** fmt_size_sectors() - "2093056 sectors (1022.00 MiB 1071.64 MB)" style human size. */
void fmt_human_kib(uint64_t kib, char *buf, size_t len);
/** fmt_level() - -1 "linear", 0 "raid0", 5 "raid5", ... */
const char *fmt_level(int level);
/** fmt_layout() - layout name for a level ("left-symmetric", "near=2"), or NULL. */
const char *fmt_layout(int level, int layout, char *buf, size_t len);

#endif
