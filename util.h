/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.h: messages, number and name parsing shared by the commands. */
#ifndef MDCTL_UTIL_H
#define MDCTL_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Message verbosity, set once by a command from -v/-q. */
extern int mdctl_verbose; /* 0 normal, >0 verbose, <0 quiet */

/*
 * Messages go to stderr as "mdctl: <text>\n".  Put the object first:
 * mdctl_err("%s: cannot read superblock: %s", dev, strerror(-rc)).
 * mdctl_info is suppressed by --quiet; mdctl_verb needs --verbose.
 */
void mdctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mdctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mdctl_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mdctl_verb(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The same with the errno text appended: mdctl_err_rc(rc, "%s: cannot read
 * superblock", dev) prints "mdctl: /dev/sdb: cannot read superblock:
 * Input/output error".  rc is a -errno as the library returns it, or an
 * errno; 0 appends nothing.
 */
void mdctl_err_rc(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mdctl_warn_rc(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * parse_u64() - strict decimal parse: digits only, no sign, no overflow.
 * Return: 0, -EINVAL or -ERANGE.
 */
int parse_u64(const char *s, uint64_t *out);
int parse_int(const char *s, int *out);

/**
 * parse_size_kib() - a size as mdadm takes it: plain number is KiB, with
 * suffix K, M, G, T (binary), or 's' for 512-byte sectors.
 * Return: 0 and *kib set, or -EINVAL/-ERANGE.
 */
int parse_size_kib(const char *s, uint64_t *kib);

/**
 * md_kname_from_arg() - the kernel name ("md0", "md127") of an array argument:
 * "/dev/md0", "md0", "/dev/md/0", "/dev/md/name" (resolved through the
 * symlink under dev_root).  Return: 0 or -ENODEV.
 */
int md_kname_from_arg(const char *dev_root, const char *arg, char *kname, size_t len);

/** strlcpy-like: always terminates; returns -ENAMETOOLONG when truncated. */
int copy_str(char *dst, size_t len, const char *src);

/**
 * enum_word() - the word for enum value v from a table indexed by the enum
 * (designated initializers), or fallback when v is outside it or unnamed.
 * ENUM_WORD(table, v, fallback) passes the table's length.
 */
const char *enum_word(const char *const *words, size_t n, unsigned v, const char *fallback);
#define ENUM_WORD(words, v, fallback) \
	enum_word((words), sizeof(words) / sizeof((words)[0]), (unsigned)(v), (fallback))

/**
 * mdstat_header_name() - the length of the array name that the /proc/mdstat
 * line from s up to eol (exclusive) starts with ("md127 : active raid5 ...":
 * 5), or 0 for any other line (Personalities, unused devices, the indented
 * status lines).
 */
size_t mdstat_header_name(const char *s, const char *eol);

/**
 * array_room() - room for element n of a growable array v of *cap elements
 * of size bytes: v itself while n < *cap, else v reallocated to twice the
 * capacity (8 at first; *cap updated).  Return the array, or NULL when out
 * of memory (v is then unchanged and still the caller's).
 */
void *array_room(void *v, size_t n, size_t *cap, size_t size);

/**
 * array_push() - append a copy of elem (size bytes) to the growable array
 * *arrp (arrp is the address of the array pointer: struct x **) of *n
 * elements and *cap capacity (array_room()).  Return 0 or -ENOMEM.
 */
int array_push(void *arrp, size_t *n, size_t *cap, const void *elem, size_t size);

/** write_all() - write all len bytes of buf to fd, retrying short writes and EINTR.  Return 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

/**
 * service_notify() - tell the service manager STATE ("READY=1", "RELOADING=1",
 * "STOPPING=1", "STATUS=...") with one datagram to the socket named by
 * $NOTIFY_SOCKET (a path, or '@' for the abstract namespace): the sd_notify
 * protocol, without libsystemd.
 * Return: 1 sent, 0 no $NOTIFY_SOCKET (not run by a service manager), -errno.
 */
int service_notify(const char *state);

/**
 * stderr_is_journal() - whether stderr is the journal's stream ($JOURNAL_STREAM
 * names the device:inode of the very file stderr is), so that a line written there
 * is already logged and must not also go to syslog.
 */
int stderr_is_journal(void);

/**
 * mdctl_ktrace() - with MDCTL_TRACE_KMSG set (not "0"), one line to the
 * kernel's log (/dev/kmsg), timestamped by the kernel like md's own
 * messages: where a spare move's time goes.  Nothing otherwise.
 */
void mdctl_ktrace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
