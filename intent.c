// SPDX-License-Identifier: GPL-2.0-or-later
/* intent.c: the replacement intents file <state_dir>/replacements.json, read and rewritten atomically. */
#include "intent.h"
#include "safefile.h"
#include "config.h"
#include "util.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>

#define INTENT_FILE "replacements.json"
#define INTENT_VERSION 1
/* A state file larger than this is not ours; refuse rather than parse it. */
#define INTENT_MAX_BYTES (4u << 20)

void intent_uuid_str(const uint8_t uuid[16], char buf[37])
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[uuid[i] >> 4];
		*p++ = hex[uuid[i] & 15];
	}
	*p = '\0';
}

int intent_uuid_parse(const char *s, uint8_t uuid[16])
{
	return config_parse_uuid(s, uuid);
}

static int path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static const char *obj_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int entry_from_json(struct json_object *o, struct replace_intent *out)
{
	const char *s;
	struct json_object *v;

	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(o, json_type_object))
		return -EBADMSG;
	s = obj_str(o, "array_uuid");
	if (!s || intent_uuid_parse(s, out->array_uuid))
		return -EBADMSG;
	s = obj_str(o, "old_dev_uuid");
	if (!s || intent_uuid_parse(s, out->old_dev_uuid))
		return -EBADMSG;
	/* the names are informational: tolerate their absence, never overflow */
	if ((s = obj_str(o, "old")))
		snprintf(out->old_kname, sizeof(out->old_kname), "%s", s);
	if ((s = obj_str(o, "new")))
		snprintf(out->new_path, sizeof(out->new_path), "%s", s);
	if ((s = obj_str(o, "md")))
		snprintf(out->md_kname, sizeof(out->md_kname), "%s", s);
	if (json_object_object_get_ex(o, "created", &v) && json_object_is_type(v, json_type_int))
		out->created = (time_t)json_object_get_int64(v);
	return 0;
}

static int read_whole(int fd, char **out)
{
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size > (off_t)INTENT_MAX_BYTES)
		return -EFBIG;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;

			free(buf);
			return e;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*out = buf;
	return 0;
}

int intent_load(const char *state_dir, struct replace_intent **list, size_t *n)
{
	char path[PATH_MAX], *text = NULL;
	struct json_object *root, *arr;
	struct json_tokener *tok;
	struct replace_intent *v;
	size_t cnt;
	int fd, rc;

	*list = NULL;
	*n = 0;
	rc = path_join(path, sizeof(path), state_dir, INTENT_FILE);
	if (rc)
		return rc;
	/* no state directory yet: nothing recorded (reading creates nothing) */
	if (access(state_dir, F_OK) < 0 && errno == ENOENT)
		return 0;
	/* a symlinked or loose directory, a symlink or FIFO for the file: refused */
	fd = safe_open_in(state_dir, INTENT_FILE, O_RDONLY, 0);
	if (fd < 0)
		return fd == -ENOENT ? 0 : fd;
	rc = read_whole(fd, &text);
	close(fd);
	if (rc)
		return rc;

	tok = json_tokener_new();
	if (!tok) {
		free(text);
		return -ENOMEM;
	}
	root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	/* a truncated document or trailing garbage is a corrupt file, not an empty one */
	if (root) {
		const char *rest = text + json_tokener_get_parse_end(tok);

		while (*rest && isspace((unsigned char)*rest))
			rest++;
		if (*rest || json_tokener_get_error(tok) != json_tokener_success) {
			json_object_put(root);
			root = NULL;
		}
	}
	json_tokener_free(tok);
	free(text);
	if (!root)
		return -EBADMSG;

	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "replacements", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		json_object_put(root);
		return -EBADMSG;
	}
	cnt = json_object_array_length(arr);
	v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (!v) {
		json_object_put(root);
		return -ENOMEM;
	}
	for (size_t i = 0; i < cnt; i++) {
		rc = entry_from_json(json_object_array_get_idx(arr, i), &v[i]);
		if (rc) {
			free(v);
			json_object_put(root);
			return rc;
		}
	}
	json_object_put(root);
	if (!cnt) {
		free(v);
		v = NULL;
	}
	*list = v;
	*n = cnt;
	return 0;
}

static struct json_object *entry_to_json(const struct replace_intent *in)
{
	struct json_object *o = json_object_new_object();
	char u[37];

	if (!o)
		return NULL;
	intent_uuid_str(in->array_uuid, u);
	json_object_object_add(o, "array_uuid", json_object_new_string(u));
	intent_uuid_str(in->old_dev_uuid, u);
	json_object_object_add(o, "old_dev_uuid", json_object_new_string(u));
	json_object_object_add(o, "md", json_object_new_string(in->md_kname));
	json_object_object_add(o, "old", json_object_new_string(in->old_kname));
	json_object_object_add(o, "new", json_object_new_string(in->new_path));
	json_object_object_add(o, "created", json_object_new_int64((int64_t)in->created));
	return o;
}

/*
 * Write the whole list: a temporary file in the same directory (so rename
 * is atomic), fsync'd, renamed over the old one, then the directory
 * fsync'd so the rename itself survives a crash.
 */
static int intent_store(int dirfd, const char *state_dir, const struct replace_intent *v, size_t n)
{
	struct json_object *root = json_object_new_object(), *arr = json_object_new_array();
	char tmp[PATH_MAX], path[PATH_MAX];
	const char *text;
	int fd, rc;

	if (!root || !arr) {
		json_object_put(root);
		json_object_put(arr);
		return -ENOMEM;
	}
	json_object_object_add(root, "version", json_object_new_int(INTENT_VERSION));
	json_object_object_add(root, "replacements", arr);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = entry_to_json(&v[i]);

		if (!e) {
			json_object_put(root);
			return -ENOMEM;
		}
		json_object_array_add(arr, e);
	}
	rc = path_join(path, sizeof(path), state_dir, INTENT_FILE);
	if (!rc)
		rc = path_join(tmp, sizeof(tmp), state_dir, "." INTENT_FILE ".XXXXXX");
	if (rc) {
		json_object_put(root);
		return rc;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		json_object_put(root);
		return rc;
	}
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	rc = fchmod(fd, 0600) < 0 ? -errno : 0;
	if (!rc)
		rc = write_all(fd, text, strlen(text));
	if (!rc)
		rc = write_all(fd, "\n", 1);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	json_object_put(root);
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return rc;
	}
	if (fsync(dirfd) < 0)
		return -errno;
	return 0;
}

/* Open (creating) the state directory and take its lock: add and remove are read-modify-write. */
static int lock_dir(const char *state_dir)
{
	int fd, rc;

	rc = safe_dir(state_dir);
	if (rc)
		return rc;
	fd = open(state_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			rc = -errno;
			close(fd);
			return rc;
		}
	}
	return fd;
}

/* Lock the state directory and read the list under the lock: the directory's fd, or -errno. */
static int lock_and_load(const char *state_dir, struct replace_intent **v, size_t *n)
{
	int dfd, rc;

	dfd = lock_dir(state_dir);
	if (dfd < 0)
		return dfd;
	rc = intent_load(state_dir, v, n);
	if (rc) {
		close(dfd);
		return rc;
	}
	return dfd;
}

static bool same_key(const struct replace_intent *a, const uint8_t au[16], const uint8_t ou[16])
{
	return !memcmp(a->array_uuid, au, 16) && !memcmp(a->old_dev_uuid, ou, 16);
}

int intent_add(const char *state_dir, const struct replace_intent *in)
{
	struct replace_intent *v, *nv;
	size_t n, i;
	int dfd, rc;

	dfd = lock_and_load(state_dir, &v, &n);
	if (dfd < 0)
		return dfd;
	for (i = 0; i < n; i++)
		if (same_key(&v[i], in->array_uuid, in->old_dev_uuid))
			break;
	if (i == n) {
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			close(dfd);
			return -ENOMEM;
		}
		v = nv;
		n++;
	}
	v[i] = *in;
	rc = intent_store(dfd, state_dir, v, n);
	free(v);
	close(dfd);
	return rc;
}

int intent_remove(const char *state_dir, const uint8_t array_uuid[16], const uint8_t old_dev_uuid[16])
{
	struct replace_intent *v;
	size_t n, i, k = 0;
	int dfd, rc;
	char path[PATH_MAX];

	/* nothing recorded, nothing to remove: do not create the directory for it */
	rc = path_join(path, sizeof(path), state_dir, INTENT_FILE);
	if (rc)
		return rc;
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	dfd = lock_and_load(state_dir, &v, &n);
	if (dfd < 0)
		return dfd;
	rc = 0;
	for (i = 0; i < n; i++)
		if (!same_key(&v[i], array_uuid, old_dev_uuid))
			v[k++] = v[i];
	if (k != n)
		rc = intent_store(dfd, state_dir, v, k);
	free(v);
	close(dfd);
	return rc;
}
