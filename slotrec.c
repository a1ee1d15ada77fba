// SPDX-License-Identifier: GPL-2.0-or-later
/* slotrec.c: which array a disk bay last held a member of (POLICY action=spare-same-slot), one file per bay in the run directory. */
#include "slotrec.h"

#include "safefile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTREC_PREFIX "slot-"

static int plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == ':' || c == '+' || c == '-' || c == '.';
}

int slotrec_file_name(const char *path, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), o;

	if (!n)
		return -EINVAL;
	if (n > SLOTREC_PATH_MAX)
		return -ENAMETOOLONG;
	if (len < sizeof(SLOTREC_PREFIX))
		return -ENAMETOOLONG;
	o = strlen(SLOTREC_PREFIX);
	memcpy(buf, SLOTREC_PREFIX, o);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		/* '%' itself is escaped, so two bays never share a file */
		if (plain_byte(c) && !(i == 0 && c == '.')) {
			if (o + 1 >= len)
				return -ENAMETOOLONG;
			buf[o++] = (char)c;
		} else {
			if (o + 3 >= len)
				return -ENAMETOOLONG;
			buf[o++] = '%';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o] = '\0';
	return 0;
}

/* a value written on one line: no newline or other control byte */
static int clean_value(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int slotrec_write(const char *dir, const char *path, const struct slot_record *rec)
{
	char name[SLOTREC_PATH_MAX * 3 + 16], tmp[sizeof(name) + 32], text[256];
	char from[PATH_MAX], to[PATH_MAX];
	int fd, n, rc;

	rc = slotrec_file_name(path, name, sizeof(name));
	if (rc)
		return rc;
	if (!rec->uuid[0] || !clean_value(rec->uuid) || !clean_value(rec->md))
		return -EINVAL;
	n = snprintf(text, sizeof(text), "uuid=%s\nmd=%s\nslot=%d\n", rec->uuid, rec->md,
		     rec->slot);
	if (n < 0 || (size_t)n >= sizeof(text))
		return -EINVAL;
	snprintf(tmp, sizeof(tmp), ".%s.%ld", name, (long)getpid());
	if (snprintf(from, sizeof(from), "%s/%s", dir, tmp) >= (int)sizeof(from) ||
	    snprintf(to, sizeof(to), "%s/%s", dir, name) >= (int)sizeof(to))
		return -ENAMETOOLONG;
	unlink(from); /* our own leftover from a crash; unlink never follows a link */
	fd = safe_open_in(dir, tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return fd;
	rc = write_all(fd, text, (size_t)n);
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	/* rename replaces whatever was at the name (a planted link too), never follows it */
	if (!rc && rename(from, to))
		rc = -errno;
	if (rc)
		unlink(from);
	return rc;
}

/* a field too long for the record makes the record invalid */
static int set_field(char *dst, size_t len, const char *v)
{
	return copy_str(dst, len, v) ? -EINVAL : 0;
}

static int parse_record(char *text, struct slot_record *rec)
{
	char *save = NULL, *line, *end;
	int rc = 0, have_slot = 0;

	memset(rec, 0, sizeof(*rec));
	for (line = strtok_r(text, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "uuid=", 5)) {
			rc = set_field(rec->uuid, sizeof(rec->uuid), line + 5);
		} else if (!strncmp(line, "md=", 3)) {
			rc = set_field(rec->md, sizeof(rec->md), line + 3);
		} else if (!strncmp(line, "slot=", 5)) {
			long v;

			errno = 0;
			v = strtol(line + 5, &end, 10);
			if (errno || end == line + 5 || *end || v < -1 || v > 65535)
				return -EINVAL;
			rec->slot = (int)v;
			have_slot = 1;
		} else {
			return -EINVAL;
		}
	}
	if (!rc && (!rec->uuid[0] || !have_slot))
		rc = -EINVAL;
	return rc;
}

int slotrec_read(const char *dir, const char *path, struct slot_record *rec)
{
	char name[SLOTREC_PATH_MAX * 3 + 16], text[512];
	ssize_t n;
	int fd, rc;

	rc = slotrec_file_name(path, name, sizeof(name));
	if (rc)
		return rc;
	fd = safe_open_in(dir, name, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	n = read(fd, text, sizeof(text) - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if ((size_t)n == sizeof(text) - 1 || memchr(text, '\0', (size_t)n))
		return -EINVAL;
	text[n] = '\0';
	return parse_record(text, rec);
}

int slotrec_remove(const char *dir, const char *path)
{
	char name[SLOTREC_PATH_MAX * 3 + 16], full[PATH_MAX];
	int rc = slotrec_file_name(path, name, sizeof(name));

	if (rc)
		return rc;
	if (snprintf(full, sizeof(full), "%s/%s", dir, name) >= (int)sizeof(full))
		return -ENAMETOOLONG;
	if (unlink(full) && errno != ENOENT)
		return -errno;
	return 0;
}
