// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c: messages, number and name parsing shared by the commands. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int mdctl_verbose;

/*
 * A message line goes out in one write where it fits the buffer (stderr is
 * unbuffered: piece by piece it costs a system call a piece).
 */
static void vmsg_rc(int rc, const char *fmt, va_list ap)
{
	char line[1024];
	va_list again;
	int n = 7, v;

	va_copy(again, ap);
	memcpy(line, "mdctl: ", 7);
	v = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	n = v < 0 ? -1 : n + v;
	if (rc && n >= 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, ": %s",
			      strerror(rc < 0 ? -rc : rc));
	if (n >= 0 && (size_t)n + 1 < sizeof(line)) {
		line[n] = '\n';
		line[n + 1] = '\0';
		fputs(line, stderr);
	} else {
		fputs("mdctl: ", stderr);
		vfprintf(stderr, fmt, again);
		if (rc)
			fprintf(stderr, ": %s", strerror(rc < 0 ? -rc : rc));
		fputc('\n', stderr);
	}
	va_end(again);
}

static void vmsg(const char *fmt, va_list ap)
{
	vmsg_rc(0, fmt, ap);
}

void mdctl_err_rc(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg_rc(rc, fmt, ap);
	va_end(ap);
}

void mdctl_warn_rc(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg_rc(rc, fmt, ap);
	va_end(ap);
}

void mdctl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void mdctl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void mdctl_info(const char *fmt, ...)
{
	va_list ap;

	if (mdctl_verbose < 0)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void mdctl_verb(const char *fmt, ...)
{
	va_list ap;

	if (mdctl_verbose <= 0)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/* The unsigned decimal number s starts with (no sign, no space): *end is what follows it. */
static int leading_u64(const char *s, unsigned long long *v, char **end)
{
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, end, 10);
	return errno == ERANGE ? -ERANGE : 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int rc = leading_u64(s, &v, &end);

	if (rc)
		return rc;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_int(const char *s, int *out)
{
	long v;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int parse_size_kib(const char *s, uint64_t *kib)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;
	int rc = leading_u64(s, &v, &end);

	if (rc)
		return rc;
	switch (*end) {
	case '\0':
	case 'K': case 'k':
		break;
	case 'M': case 'm':
		shift = 10;
		break;
	case 'G': case 'g':
		shift = 20;
		break;
	case 'T': case 't':
		shift = 30;
		break;
	case 's':
		/* sectors: must be a whole number of KiB */
		if (end[1] || (v & 1))
			return -EINVAL;
		*kib = v / 2;
		return 0;
	default:
		return -EINVAL;
	}
	if (*end && end[1])
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*kib = (uint64_t)v << shift;
	return 0;
}

void *array_room(void *v, size_t n, size_t *cap, size_t size)
{
	size_t nc;
	void *nv;

	if (n < *cap)
		return v;
	nc = *cap ? *cap * 2 : 8;
	nv = reallocarray(v, nc, size);
	if (nv)
		*cap = nc;
	return nv;
}

int array_push(void *arrp, size_t *n, size_t *cap, const void *elem, size_t size)
{
	void *v;

	/* the array pointer itself, whatever it points to (struct x *) */
	memcpy(&v, arrp, sizeof(v));
	v = array_room(v, *n, cap, size);
	if (!v)
		return -ENOMEM;
	memcpy(arrp, &v, sizeof(v));
	memcpy((char *)v + *n * size, elem, size);
	(*n)++;
	return 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *s = buf;

	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

const char *enum_word(const char *const *words, size_t n, unsigned v, const char *fallback)
{
	return v < n && words[v] ? words[v] : fallback;
}

size_t mdstat_header_name(const char *s, const char *eol)
{
	size_t n = 0;

	if (eol - s < 2 || strncmp(s, "md", 2))
		return 0;
	while (s + n < eol && s[n] != ' ' && s[n] != '\n')
		n++;
	if ((size_t)(eol - (s + n)) < 3 || strncmp(s + n, " : ", 3))
		return 0;
	return n;
}

int copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (!len)
		return -ENAMETOOLONG;
	if (n >= len) {
		memcpy(dst, src, len - 1);
		dst[len - 1] = '\0';
		return -ENAMETOOLONG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

/* mdN, or md_NAME as the kernel names an array made with CREATE names=yes */
static int is_md_kname(const char *s)
{
	if (!strncmp(s, "md_", 3) && s[3]) {
		for (s += 3; *s; s++)
			if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
				return 0;
		return 1;
	}
	if (strncmp(s, "md", 2) || !s[2])
		return 0;
	for (s += 2; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int md_kname_from_arg(const char *dev_root, const char *arg, char *kname, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	if (!arg || !*arg)
		return -ENODEV;
	base = strrchr(arg, '/');
	base = base ? base + 1 : arg;
	if (is_md_kname(base))
		return copy_str(kname, len, base);
	/* /dev/md/0 means md0 */
	if (isdigit((unsigned char)*base) && strstr(arg, "md/")) {
		if (snprintf(kname, len, "md%s", base) >= (int)len)
			return -ENAMETOOLONG;
		return is_md_kname(kname) ? 0 : -ENODEV;
	}
	/* /dev/md/<name>: a symlink to ../mdN */
	if (arg[0] == '/')
		snprintf(path, sizeof(path), "%s", arg);
	else
		snprintf(path, sizeof(path), "%s/md/%s", dev_root, arg);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -ENODEV;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!is_md_kname(base))
		return -ENODEV;
	return copy_str(kname, len, base);
}

int service_notify(const char *state)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t nlen;
	socklen_t salen;
	ssize_t n;
	int fd, err = 0;

	if (!name || !*name)
		return 0;
	nlen = strlen(name);
	/* only a path or an abstract name: anything else is not the protocol's */
	if ((name[0] != '/' && name[0] != '@') || nlen >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, name, nlen);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + nlen);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(state))
		err = -EIO;
	close(fd);
	return err ? err : 1;
}

int stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char end;

	if (!js || sscanf(js, "%llu:%llu%c", &dev, &ino, &end) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/*
 * The kernel's log as the trace's clock: a line written to /dev/kmsg gets
 * the same timestamp md's own messages get, so one dmesg shows what mdctl
 * did between the kernel's events.  Opened once, on the first call.
 */
void mdctl_ktrace(const char *fmt, ...)
{
	static int fd = -2;
	char buf[256];
	va_list ap;
	int n;

	if (fd == -2) {
		const char *e = getenv("MDCTL_TRACE_KMSG");

		fd = e && *e && strcmp(e, "0") ? open("/dev/kmsg", O_WRONLY | O_CLOEXEC) : -1;
	}
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "mdctl[%ld]: ", (long)getpid());
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	if (write(fd, buf, strlen(buf)) < 0)
		return;
}
