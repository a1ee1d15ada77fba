// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blockio: the power-loss harness's writer and verifier, run in the guest.
 *
 *   blockio write DEV SEED [COUNT [PAUSE [FIRST]]]  self-identifying 4 KiB blocks, written one at a time with O_DIRECT
 *                                  and made durable with fdatasync (a cache flush down to every md
 *                                  member); after each, "@@ACK SEQ OFFSET" on the serial console,
 *                                  drained (tcdrain) before the next write starts, PAUSE ms (default
 *                                  0) later; numbered from FIRST (default 1).  COUNT 0: forever
 *   blockio verify DEV SEED ACKS    every write listed in ACKS ("SEQ OFFSET" lines, as the host saw
 *                                  them) is on DEV, or a later write of the same block is
 *
 * Write SEQ goes to block blk(SEED, SEQ), a hash of both, so the verifier knows where every write
 * went without a log.  A block holds magic, seed, sequence number, offset, a payload derived from
 * seed and sequence number, and a checksum over all of it.  Since the writer waits for each
 * acknowledgement to reach the host before the next write, at most one write (the one after the
 * last acknowledged) was in flight at the kill: only its block may hold something else (old
 * contents, or a torn mix), and that is allowed and said.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define BLK 4096
#define MAGIC 0x52555452544c444dULL /* "MDLTRTUR" */

struct blkhdr {
	uint64_t magic, seed, seq, off, sum;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t blk_of(uint64_t seed, uint64_t seq, uint64_t nblk)
{
	return mix(seed * 0x9e3779b97f4a7c15ULL + seq) % nblk;
}

/* FNV-1a over the block with the checksum field taken as zero */
static uint64_t blk_sum(const unsigned char *b)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < BLK; i++) {
		unsigned char c = (i >= offsetof(struct blkhdr, sum) && i < sizeof(struct blkhdr)) ? 0 : b[i];
		h = (h ^ c) * 0x100000001b3ULL;
	}
	return h;
}

static void blk_fill(unsigned char *b, uint64_t seed, uint64_t seq, uint64_t off)
{
	struct blkhdr h = { MAGIC, seed, seq, off, 0 };
	uint64_t x = mix(seed ^ (seq << 20));
	for (size_t i = sizeof(h); i + 8 <= BLK; i += 8) {
		x = mix(x + i);
		memcpy(b + i, &x, 8);
	}
	memcpy(b, &h, sizeof(h));
	h.sum = blk_sum(b);
	memcpy(b, &h, sizeof(h));
}

/* what the block holds, in words; 1 when it is a whole block of this seed at this offset */
static int blk_read(const unsigned char *b, uint64_t seed, uint64_t off, uint64_t *seq, char *why, size_t n)
{
	struct blkhdr h;
	memcpy(&h, b, sizeof(h));
	if (h.magic != MAGIC) {
		size_t i = 0;
		while (i < BLK && !b[i])
			i++;
		snprintf(why, n, "%s", i == BLK ? "zeros (never written)" : "no block header (old or foreign data)");
		return 0;
	}
	if (blk_sum(b) != h.sum) {
		snprintf(why, n, "a torn or corrupt block (header says seq %" PRIu64 ", checksum wrong)", h.seq);
		return 0;
	}
	if (h.seed != seed || h.off != off) {
		snprintf(why, n, "a block of seed %" PRIu64 " offset %" PRIu64, h.seed, h.off);
		return 0;
	}
	*seq = h.seq;
	snprintf(why, n, "seq %" PRIu64, h.seq);
	return 1;
}

static int open_dev(const char *dev, int flags, uint64_t *nblk)
{
	uint64_t size = 0;
	int fd = open(dev, flags | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) < 0 || size < BLK) {
		fprintf(stderr, "blockio: %s: cannot open: %s\n", dev, strerror(errno ? errno : EINVAL));
		exit(1);
	}
	*nblk = size / BLK;
	return fd;
}

static int do_write(const char *dev, uint64_t seed, uint64_t count, unsigned pause_ms, uint64_t first)
{
	uint64_t nblk, seq;
	int fd = open_dev(dev, O_RDWR, &nblk);
	int tty = open("/dev/ttyS0", O_WRONLY | O_NOCTTY);
	unsigned char *b;
	char line[64];

	if (tty < 0 || posix_memalign((void **)&b, BLK, BLK)) {
		fprintf(stderr, "blockio: /dev/ttyS0: cannot open: %s\n", strerror(errno));
		return 1;
	}
	for (seq = first; !count || seq < first + count; seq++) {
		uint64_t off = blk_of(seed, seq, nblk) * BLK;
		blk_fill(b, seed, seq, off);
		if (pwrite(fd, b, BLK, (off_t)off) != BLK || fdatasync(fd)) {
			fprintf(stderr, "blockio: %s: write %" PRIu64 " at %" PRIu64 " failed: %s\n", dev, seq, off,
				strerror(errno));
			return 1;
		}
		int len = snprintf(line, sizeof(line), "@@ACK %" PRIu64 " %" PRIu64 "\n", seq, off);
		if (write(tty, line, (size_t)len) != len || tcdrain(tty)) {
			fprintf(stderr, "blockio: /dev/ttyS0: %s\n", strerror(errno));
			return 1;
		}
		if (pause_ms)
			usleep(pause_ms * 1000);
	}
	return 0;
}

struct ack {
	uint64_t seq, off;
};

static int cmp_off(const void *a, const void *b)
{
	const struct ack *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0; /* newest first */
}

static int do_verify(const char *dev, uint64_t seed, const char *ackfile)
{
	uint64_t nblk, last = 0, lost = 0, blocks = 0, seq, off;
	int fd = open_dev(dev, O_RDONLY, &nblk);
	FILE *f = fopen(ackfile, "r");
	struct ack *a = NULL;
	size_t n = 0, cap = 0;
	unsigned char *b;
	char why[128];

	if (!f || posix_memalign((void **)&b, BLK, BLK)) {
		fprintf(stderr, "blockio: %s: cannot open: %s\n", ackfile, strerror(errno));
		return 2;
	}
	while (fscanf(f, "%" SCNu64 " %" SCNu64, &seq, &off) == 2) {
		if (off != blk_of(seed, seq, nblk) * BLK) {
			fprintf(stderr, "blockio: acknowledgement %" PRIu64 " names offset %" PRIu64
				", not where seed %" PRIu64 " puts it (wrong seed or device size?)\n", seq, off, seed);
			return 2;
		}
		if (n == cap && !(a = realloc(a, (cap = cap ? 2 * cap : 1024) * sizeof(*a))))
			return 2;
		a[n++] = (struct ack){ seq, off };
		if (seq > last)
			last = seq;
	}
	fclose(f);
	qsort(a, n, sizeof(*a), cmp_off);
	uint64_t inflight = blk_of(seed, last + 1, nblk) * BLK;
	for (size_t i = 0; i < n; i++) {
		if (i && a[i].off == a[i - 1].off)
			continue; /* an older write of the same block: the newest decides */
		blocks++;
		if (pread(fd, b, BLK, (off_t)a[i].off) != BLK) {
			printf("LOST seq %" PRIu64 " at offset %" PRIu64 ": read failed: %s\n", a[i].seq, a[i].off,
			       strerror(errno));
			lost++;
			continue;
		}
		int ok = blk_read(b, seed, a[i].off, &seq, why, sizeof(why));
		if (ok && seq >= a[i].seq && blk_of(seed, seq, nblk) * BLK == a[i].off)
			continue;
		if (a[i].off == inflight) {
			printf("note: offset %" PRIu64 " holds %s: write %" PRIu64 " to it was in flight at the kill\n",
			       a[i].off, why, last + 1);
			continue;
		}
		printf("LOST seq %" PRIu64 " at offset %" PRIu64 ": found %s\n", a[i].seq, a[i].off, why);
		lost++;
	}
	printf("verify: %zu acknowledged writes over %" PRIu64 " blocks, last seq %" PRIu64 ", %" PRIu64 " lost\n", n,
	       blocks, last, lost);
	free(a);
	return lost ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "verify"))
		return do_verify(argv[2], strtoull(argv[3], NULL, 0), argc > 4 ? argv[4] : "/dev/stdin");
	if (argc >= 4 && !strcmp(argv[1], "write"))
		return do_write(argv[2], strtoull(argv[3], NULL, 0), argc > 4 ? strtoull(argv[4], NULL, 0) : 0,
				argc > 5 ? (unsigned)strtoul(argv[5], NULL, 0) : 0, argc > 6 ? strtoull(argv[6], NULL, 0) : 1);
	fprintf(stderr, "usage: blockio write DEV SEED [COUNT [PAUSE_MS [FIRST]]] | blockio verify DEV SEED ACKFILE\n");
	return 2;
}
