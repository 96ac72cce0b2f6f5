/*
 * rng.c: Philox4x32-10 (Salmon et al., SC'11, "Parallel random numbers:
 * as easy as 1, 2, 3"; constants and round structure as in Random123's
 * philox.h) and Lemire's unbiased bounded integers.  See rng.h.
 */
#include "rng.h"

/* Random123 philox.h: PHILOX_M4x32_0/1 and the Weyl key increments
 * PHILOX_W32_0 (golden ratio) and PHILOX_W32_1 (sqrt(3) - 1). */
#define PHILOX_M0	0xD2511F53u
#define PHILOX_M1	0xCD9E8D57u
#define PHILOX_W0	0x9E3779B9u
#define PHILOX_W1	0xBB67AE85u
#define PHILOX_ROUNDS	10

static void
philox_round(uint32_t c[4], const uint32_t k[2])
{
	uint64_t	 p0 = (uint64_t)PHILOX_M0 * c[0];
	uint64_t	 p1 = (uint64_t)PHILOX_M1 * c[2];
	uint32_t	 hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
	uint32_t	 hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;

	c[0] = hi1 ^ c[1] ^ k[0];
	c[1] = lo1;
	c[2] = hi0 ^ c[3] ^ k[1];
	c[3] = lo0;
}

/* Philox4x32-10: ten rounds, the key bumped between rounds. */
void
rng_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
    uint32_t out[4])
{
	uint32_t	 c[4], k[2];
	int		 r;

	c[0] = ctr[0];
	c[1] = ctr[1];
	c[2] = ctr[2];
	c[3] = ctr[3];
	k[0] = key[0];
	k[1] = key[1];
	for (r = 0; r < PHILOX_ROUNDS; r++) {
		if (r > 0) {
			k[0] += PHILOX_W0;
			k[1] += PHILOX_W1;
		}
		philox_round(c, k);
	}
	out[0] = c[0];
	out[1] = c[1];
	out[2] = c[2];
	out[3] = c[3];
}

/* Key = seed; counter = {0, draw, stream}: see struct rng. */
void
rng_init(struct rng *r, uint64_t seed, uint64_t stream, uint32_t draw)
{
	r->key[0] = (uint32_t)seed;
	r->key[1] = (uint32_t)(seed >> 32);
	r->ctr[0] = 0;
	r->ctr[1] = draw;
	r->ctr[2] = (uint32_t)stream;
	r->ctr[3] = (uint32_t)(stream >> 32);
	r->used = 4;	/* nothing generated yet */
}

/* Words 0..3 of block 0, then of block 1, ... */
uint32_t
rng_u32(struct rng *r)
{
	if (r->used == 4) {
		rng_philox4x32_10(r->ctr, r->key, r->out);
		r->ctr[0]++;
		r->used = 0;
	}
	return r->out[r->used++];
}

/*
 * Lemire, "Fast random integer generation in an interval", ACM TOMS
 * 29(1), 2019: the high word of x * n is uniform on [0, n) once the low
 * words below 2^32 mod n are rejected; the modulo is computed only when
 * a rejection is possible.
 */
uint32_t
rng_below(struct rng *r, uint32_t n)
{
	uint64_t	 m = (uint64_t)rng_u32(r) * n;
	uint32_t	 lo = (uint32_t)m, t;

	if (lo < n) {
		t = (uint32_t)(-n) % n;		/* 2^32 mod n */
		while (lo < t) {
			m = (uint64_t)rng_u32(r) * n;
			lo = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

/* (53 random bits) / 2^53. */
double
rng_unit(struct rng *r)
{
	uint64_t	 hi = rng_u32(r) >> 5, lo = rng_u32(r) >> 6;

	return (double)((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

/* One bounded integer for (seed, stream, draw). */
uint32_t
rng_draw_below(uint64_t seed, uint64_t stream, uint32_t draw, uint32_t n)
{
	struct rng	 r;

	rng_init(&r, seed, stream, draw);
	return rng_below(&r, n);
}

/*
 * rng_draw_below() for streams stream0 .. stream0 + count - 1, into
 * out[0..count).  Two Philox chains at a time, interleaved so that
 * their multiplications overlap (one chain waits on its own latency);
 * the rare lane Lemire would reject (low word below n) is redone by
 * rng_draw_below(), so every value is exactly that function's.
 */
void
rng_draw_below_streams(uint64_t seed, uint64_t stream0, size_t count,
    uint32_t draw, uint32_t n, uint32_t *out)
{
	uint32_t	 a0, a1, a2, a3, b0, b1, b2, b3, k0, k1, t;
	uint64_t	 pa, qa, pb, qb, m, sa, sb;
	size_t		 i, j;
	int		 r;

	for (i = 0; i + 2 <= count; i += 2) {
		sa = stream0 + i;
		sb = sa + 1;
		a0 = b0 = 0;
		a1 = b1 = draw;
		a2 = (uint32_t)sa;
		a3 = (uint32_t)(sa >> 32);
		b2 = (uint32_t)sb;
		b3 = (uint32_t)(sb >> 32);
		k0 = (uint32_t)seed;
		k1 = (uint32_t)(seed >> 32);
		for (r = 0; r < PHILOX_ROUNDS; r++) {
			pa = (uint64_t)PHILOX_M0 * a0;
			qa = (uint64_t)PHILOX_M1 * a2;
			pb = (uint64_t)PHILOX_M0 * b0;
			qb = (uint64_t)PHILOX_M1 * b2;
			a0 = (uint32_t)(qa >> 32) ^ a1 ^ k0;
			a1 = (uint32_t)qa;
			a2 = (uint32_t)(pa >> 32) ^ a3 ^ k1;
			a3 = (uint32_t)pa;
			b0 = (uint32_t)(qb >> 32) ^ b1 ^ k0;
			b1 = (uint32_t)qb;
			b2 = (uint32_t)(pb >> 32) ^ b3 ^ k1;
			b3 = (uint32_t)pb;
			k0 += PHILOX_W0;
			k1 += PHILOX_W1;
		}
		m = (uint64_t)a0 * n;
		t = (uint32_t)m;
		out[i] = t < n ? rng_draw_below(seed, sa, draw, n) :
		    (uint32_t)(m >> 32);
		m = (uint64_t)b0 * n;
		t = (uint32_t)m;
		out[i + 1] = t < n ? rng_draw_below(seed, sb, draw, n) :
		    (uint32_t)(m >> 32);
	}
	for (j = i; j < count; j++)
		out[j] = rng_draw_below(seed, stream0 + j, draw, n);
}
