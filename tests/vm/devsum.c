/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /sbin/devsum in the test VM: a 128-bit checksum of each FILE (standard input
 * when there is none), printed "HEX  NAME" as sha256sum prints.  Scenarios use it
 * to tell whether a device or the data on an array changed, which needs no
 * cryptographic strength: under TCG sha256sum costs the guest about 135 ms of CPU
 * per MiB, and refusal scenarios sum every watched device twice per case.
 *
 * Two lanes each take the input as little-endian 64-bit words, in order.  Each
 * step of a lane is a bijection of its state for a given word (xor or add the
 * word, multiply by an odd constant, fold the high half down), so a change of any
 * single word always changes both lanes' results; the length is mixed in at the
 * end, so trailing zero bytes count.  Static like the mdctl shim, for the same
 * reason: a dynamic start costs the guest more than summing a small device.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUF (1u << 20)

struct sum {
	uint64_t a, b, len;
};

static uint64_t fold(uint64_t x)
{
	return x ^ (x >> 31);
}

static void step(struct sum *s, uint64_t w)
{
	s->a = fold((s->a ^ w) * 0x9e3779b97f4a7c15ull);
	s->b = fold((s->b + w) * 0xc2b2ae3d27d4eb4full);
}

/* n bytes of p; n is a multiple of 8 except for the last piece of the input */
static void feed(struct sum *s, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t w = 0;

		for (int k = 7; k >= 0; k--)
			w = w << 8 | p[i + k];
		step(s, w);
	}
	if (i < n) {
		uint64_t w = 0;

		for (size_t k = n; k > i; k--)
			w = w << 8 | p[k - 1];
		step(s, w);
	}
	s->len += n;
}

static int sum_fd(int fd, const char *name)
{
	static unsigned char buf[BUF];
	struct sum s = { 0x243f6a8885a308d3ull, 0x13198a2e03707344ull, 0 };
	size_t have = 0;
	ssize_t r;

	for (;;) {
		r = read(fd, buf + have, BUF - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "devsum: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (r == 0)
			break;
		have += (size_t)r;
		/* whole words only, until the end: a short read must not shift the rest */
		if (have >= 8) {
			size_t whole = have & ~(size_t)7;

			feed(&s, buf, whole);
			memmove(buf, buf + whole, have - whole);
			have -= whole;
		}
	}
	feed(&s, buf, have);
	step(&s, s.len);
	printf("%016" PRIx64 "%016" PRIx64 "  %s\n", fold(s.a * 0xff51afd7ed558ccdull),
	       fold(s.b * 0xc4ceb9fe1a85ec53ull), name);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2)
		return sum_fd(0, "-");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			fprintf(stderr, "devsum: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
			continue;
		}
		rc |= sum_fd(fd, argv[i]);
		close(fd);
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? rc : 1;
}
