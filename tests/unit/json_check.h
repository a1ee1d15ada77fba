/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json_check.h: reading back the JSON mdctl printed, in unit tests. */
#ifndef MDCTL_TEST_JSON_CHECK_H
#define MDCTL_TEST_JSON_CHECK_H

#include <json-c/json.h>
#include <string.h>

/* The document text holds (the caller puts it). */
static __attribute__((unused)) struct json_object *jparse(const char *text)
{
	struct json_object *o = json_tokener_parse(text);

	assert_non_null(o);
	return o;
}

/* The document text holds, parsed strictly (no trailing garbage) and checked to be valid UTF-8. */
static __attribute__((unused)) struct json_object *jparse_strict(const char *text)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	assert_non_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)strlen(text));
	json_tokener_free(tok);
	assert_non_null(o);
	return o;
}

/* The value of key in object o, which must have the key (the value may be null). */
static __attribute__((unused)) struct json_object *jkey(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v;
}

/* The array under key in object o, which must hold n elements. */
static __attribute__((unused)) struct json_object *jarray(struct json_object *o, const char *key, size_t n)
{
	struct json_object *v = jkey(o, key);

	assert_true(json_object_is_type(v, json_type_array));
	assert_int_equal(json_object_array_length(v), n);
	return v;
}

#endif
