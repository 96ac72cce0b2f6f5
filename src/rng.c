/*
 * rng.c: Philox4x32-10 (Salmon et al., SC'11, "Parallel random numbers:
 * as easy as 1, 2, 3"; constants and round structure as in Random123's
 * philox.h) and Lemire's unbiased bounded integers.  See rng.h.
 */
#if defined(__SSE2__) && !defined(RNG_NO_SSE2)
#include <emmintrin.h>			/* SSE2: every x86-64 */
#define RNG_SSE2	1
#endif

#if defined(RNG_SSE2) && defined(__x86_64__) && defined(__GNUC__) && \
    !defined(RNG_NO_AVX2)
#include <immintrin.h>			/* AVX2, chosen at run time */
#define RNG_AVX2	1
#endif

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
 * out[0..count), STREAM_LANES streams at a time so that their Philox
 * chains overlap (streams_simd): with SSE2 (any x86-64) three vectors of
 * four chains, in registers; else one array element per chain, in loops
 * that compilers turn into SIMD.  With the counter of rng_init, round 1
 * multiplies zero (word 0) and round 2 multiplies a word that depends
 * only on the seed and the streams' high half, the same in every lane
 * of a run: two of the twenty products per chain are skipped or shared.
 * The rare lane Lemire would reject (low word below n) is redone by
 * rng_draw_below(), so every value is exactly that function's.  Where
 * the caller asks for it (rng_draw_below_streams_simd) and the CPU has
 * AVX2, streams_avx2 runs three vectors of eight chains first.
 */
#ifdef RNG_SSE2
#define STREAM_LANES	12

/*
 * The products of the four lanes of a by m (in every lane): their high
 * and low halves, the lanes in the order 0 2 1 3 of a (pmuludq takes
 * the even lanes, then the odd; one shufps each gathers the halves).
 */
static inline void
sse2_mul(__m128i a, __m128i m, __m128i *hi, __m128i *lo)
{
	__m128	 e, o;

	e = _mm_castsi128_ps(_mm_mul_epu32(a, m));
	o = _mm_castsi128_ps(_mm_mul_epu32(_mm_srli_epi64(a, 32), m));
	*hi = _mm_castps_si128(_mm_shuffle_ps(e, o, 0xdd));
	*lo = _mm_castps_si128(_mm_shuffle_ps(e, o, 0x88));
}

/* Lanes 0 2 1 3: the order sse2_mul returns, and back (its own
 * inverse). */
static inline __m128i
sse2_swap(__m128i a)
{
	return _mm_shuffle_epi32(a, 0xd8);
}

/*
 * A Philox round of four chains, w[0..3] their words 0 to 3, from lane
 * order X to lane order 0 2 1 3 of X (words 1 and 3 are put in the
 * products' order first); keys k0, k1.
 */
static inline void
sse2_round(__m128i w[4], __m128i m0, __m128i m1, __m128i k0, __m128i k1)
{
	__m128i	 hp, lp, hq, lq;

	sse2_mul(w[0], m0, &hp, &lp);
	sse2_mul(w[2], m1, &hq, &lq);
	w[0] = _mm_xor_si128(_mm_xor_si128(hq, sse2_swap(w[1])), k0);
	w[1] = lq;
	w[2] = _mm_xor_si128(_mm_xor_si128(hp, sse2_swap(w[3])), k1);
	w[3] = lp;
}

/*
 * Rounds 1 and 2 of four chains w[0..3] of streams s (low halves) with
 * high half hi: round 1 on {0, draw, s, hi} multiplies word 0, which is
 * 0, so word 2 becomes hi ^ k1 in every lane (t) and word 3 0; round 2
 * multiplies that t, the same in every lane (its product is q).  Lanes
 * in the order 0 2 1 3 after round 1, in stream order after round 2.
 */
static inline void
sse2_first(__m128i w[4], __m128i s, uint32_t draw, uint32_t key0,
    uint32_t key1, uint64_t q)
{
	const __m128i	 m0 = _mm_set1_epi32((int)PHILOX_M0);
	const __m128i	 m1 = _mm_set1_epi32((int)PHILOX_M1);
	__m128i		 hq, lq, hp, lp;

	sse2_mul(s, m1, &hq, &lq);
	w[0] = _mm_xor_si128(hq, _mm_set1_epi32((int)(draw ^ key0)));
	sse2_mul(w[0], m0, &hp, &lp);
	w[0] = _mm_xor_si128(_mm_set1_epi32((int)((uint32_t)(q >> 32) ^
	    (key0 + PHILOX_W0))), sse2_swap(lq));
	w[1] = _mm_set1_epi32((int)(uint32_t)q);
	w[2] = _mm_xor_si128(hp, _mm_set1_epi32((int)(key1 + PHILOX_W1)));
	w[3] = lp;
}

/* Streams stream0 .. + STREAM_LANES - 1, which share their high half,
 * into out[0..STREAM_LANES). */
static void
streams_simd(uint64_t seed, uint64_t stream0, uint32_t draw, uint32_t n,
    uint32_t *out)
{
	const __m128i	 m0 = _mm_set1_epi32((int)PHILOX_M0);
	const __m128i	 m1 = _mm_set1_epi32((int)PHILOX_M1);
	__m128i		 a[4], b[4], c[4], k0, k1, s;
	uint32_t	 key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
	uint32_t	 word[STREAM_LANES], t;
	uint64_t	 q, m;
	int		 r, j;

	q = (uint64_t)PHILOX_M1 * ((uint32_t)(stream0 >> 32) ^ key1);
	s = _mm_add_epi32(_mm_set1_epi32((int)(uint32_t)stream0),
	    _mm_set_epi32(3, 2, 1, 0));
	sse2_first(a, s, draw, key0, key1, q);
	s = _mm_add_epi32(s, _mm_set1_epi32(4));
	sse2_first(b, s, draw, key0, key1, q);
	s = _mm_add_epi32(s, _mm_set1_epi32(4));
	sse2_first(c, s, draw, key0, key1, q);
	key0 += PHILOX_W0;
	key1 += PHILOX_W1;

	/* Rounds 3 to 10, an even number: stream order at the end. */
	for (r = 2; r < PHILOX_ROUNDS; r++) {
		key0 += PHILOX_W0;
		key1 += PHILOX_W1;
		k0 = _mm_set1_epi32((int)key0);
		k1 = _mm_set1_epi32((int)key1);
		sse2_round(a, m0, m1, k0, k1);
		sse2_round(b, m0, m1, k0, k1);
		sse2_round(c, m0, m1, k0, k1);
	}
	_mm_storeu_si128((__m128i *)(void *)word, a[0]);
	_mm_storeu_si128((__m128i *)(void *)(word + 4), b[0]);
	_mm_storeu_si128((__m128i *)(void *)(word + 8), c[0]);
	for (j = 0; j < STREAM_LANES; j++) {
		m = (uint64_t)word[j] * n;
		t = (uint32_t)m;
		out[j] = t < n ? rng_draw_below(seed, stream0 + (uint64_t)j,
		    draw, n) : (uint32_t)(m >> 32);
	}
}
#else
#define STREAM_LANES	16

/*
 * Streams stream0 .. + STREAM_LANES - 1, which share their high half,
 * into out[0..STREAM_LANES): one array element per chain.
 */
static void
streams_simd(uint64_t seed, uint64_t stream0, uint32_t draw, uint32_t n,
    uint32_t *out)
{
	uint32_t	 a0[STREAM_LANES], a1[STREAM_LANES], a2[STREAM_LANES];
	uint32_t	 a3[STREAM_LANES], k0, k1, c2, hi2, lo2, t;
	uint64_t	 p, q, m;
	int		 r, j;

	/* Round 1 on {0, draw, stream low, stream high}: the product of
	 * word 0 is 0, so word 2 becomes stream high ^ k1, word 3 0. */
	k0 = (uint32_t)seed;
	k1 = (uint32_t)(seed >> 32);
	c2 = (uint32_t)(stream0 >> 32) ^ k1;
	for (j = 0; j < STREAM_LANES; j++) {
		q = (uint64_t)PHILOX_M1 * (uint32_t)(stream0 + (uint64_t)j);
		a0[j] = (uint32_t)(q >> 32) ^ draw ^ k0;
		a1[j] = (uint32_t)q;
	}

	/* Round 2: word 2 is c2 in every lane, word 3 is 0. */
	k0 += PHILOX_W0;
	k1 += PHILOX_W1;
	q = (uint64_t)PHILOX_M1 * c2;
	hi2 = (uint32_t)(q >> 32) ^ k0;
	lo2 = (uint32_t)q;
	for (j = 0; j < STREAM_LANES; j++) {
		p = (uint64_t)PHILOX_M0 * a0[j];
		a0[j] = hi2 ^ a1[j];
		a1[j] = lo2;
		a2[j] = (uint32_t)(p >> 32) ^ k1;
		a3[j] = (uint32_t)p;
	}

	for (r = 2; r < PHILOX_ROUNDS; r++) {
		k0 += PHILOX_W0;
		k1 += PHILOX_W1;
		for (j = 0; j < STREAM_LANES; j++) {
			p = (uint64_t)PHILOX_M0 * a0[j];
			q = (uint64_t)PHILOX_M1 * a2[j];
			a0[j] = (uint32_t)(q >> 32) ^ a1[j] ^ k0;
			a1[j] = (uint32_t)q;
			a2[j] = (uint32_t)(p >> 32) ^ a3[j] ^ k1;
			a3[j] = (uint32_t)p;
		}
	}
	for (j = 0; j < STREAM_LANES; j++) {
		m = (uint64_t)a0[j] * n;
		t = (uint32_t)m;
		out[j] = t < n ? rng_draw_below(seed, stream0 + (uint64_t)j,
		    draw, n) : (uint32_t)(m >> 32);
	}
}
#endif

#ifdef RNG_AVX2
#define AVX2_LANES	24

/*
 * streams_simd with AVX2: three vectors of eight chains.  Every AVX2
 * operation here works on the two 128-bit halves of its operands as the
 * SSE2 one does on one (pmuludq, shufps, pshufd), so each half runs the
 * SSE2 code's lanes, streams stream0 + 8 i .. + 3 and + 4 .. + 7.
 */
static inline __attribute__((always_inline, target("avx2"))) void
avx2_mul(__m256i a, __m256i m, __m256i *hi, __m256i *lo)
{
	__m256	 e, o;

	e = _mm256_castsi256_ps(_mm256_mul_epu32(a, m));
	o = _mm256_castsi256_ps(_mm256_mul_epu32(_mm256_srli_epi64(a, 32),
	    m));
	*hi = _mm256_castps_si256(_mm256_shuffle_ps(e, o, 0xdd));
	*lo = _mm256_castps_si256(_mm256_shuffle_ps(e, o, 0x88));
}

static inline __attribute__((always_inline, target("avx2"))) __m256i
avx2_swap(__m256i a)
{
	return _mm256_shuffle_epi32(a, 0xd8);
}

static inline __attribute__((always_inline, target("avx2"))) void
avx2_round(__m256i w[4], __m256i m0, __m256i m1, __m256i k0, __m256i k1)
{
	__m256i	 hp, lp, hq, lq;

	avx2_mul(w[0], m0, &hp, &lp);
	avx2_mul(w[2], m1, &hq, &lq);
	w[0] = _mm256_xor_si256(_mm256_xor_si256(hq, avx2_swap(w[1])), k0);
	w[1] = lq;
	w[2] = _mm256_xor_si256(_mm256_xor_si256(hp, avx2_swap(w[3])), k1);
	w[3] = lp;
}

static inline __attribute__((always_inline, target("avx2"))) void
avx2_first(__m256i w[4], __m256i s, uint32_t draw, uint32_t key0,
    uint32_t key1, uint64_t q)
{
	const __m256i	 m0 = _mm256_set1_epi32((int)PHILOX_M0);
	const __m256i	 m1 = _mm256_set1_epi32((int)PHILOX_M1);
	__m256i		 hq, lq, hp, lp;

	avx2_mul(s, m1, &hq, &lq);
	w[0] = _mm256_xor_si256(hq, _mm256_set1_epi32((int)(draw ^ key0)));
	avx2_mul(w[0], m0, &hp, &lp);
	w[0] = _mm256_xor_si256(_mm256_set1_epi32((int)((uint32_t)(q >> 32) ^
	    (key0 + PHILOX_W0))), avx2_swap(lq));
	w[1] = _mm256_set1_epi32((int)(uint32_t)q);
	w[2] = _mm256_xor_si256(hp, _mm256_set1_epi32((int)(key1 +
	    PHILOX_W1)));
	w[3] = lp;
}

/*
 * Lemire's step (rng_below) on the eight words w, in stream order, into
 * out[0..8): the high halves of their products by n.  Returns the bits
 * of the lanes it would reject (low half below n: rare), whose out is
 * not set.
 */
static inline __attribute__((always_inline, target("avx2"))) unsigned
avx2_below(__m256i w, uint32_t n, uint32_t *out)
{
	const __m256i	 nv = _mm256_set1_epi32((int)n);
	const __m256i	 sign = _mm256_set1_epi32(INT32_MIN);
	__m256i		 e, o, hi, lo;

	e = _mm256_mul_epu32(w, nv);			/* lanes 0 2 4 6 */
	o = _mm256_mul_epu32(_mm256_srli_epi64(w, 32), nv);
	hi = _mm256_blend_epi32(_mm256_srli_epi64(e, 32), o, 0xaa);
	lo = _mm256_blend_epi32(e, _mm256_slli_epi64(o, 32), 0xaa);
	_mm256_storeu_si256((__m256i *)(void *)out, hi);
	/* lo < n unsigned, as signed after flipping the sign bits. */
	return (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(
	    _mm256_cmpgt_epi32(_mm256_xor_si256(nv, sign),
	    _mm256_xor_si256(lo, sign))));
}

/* Streams stream0 .. + AVX2_LANES - 1, which share their high half,
 * into out[0..AVX2_LANES). */
static __attribute__((target("avx2"))) void
streams_avx2(uint64_t seed, uint64_t stream0, uint32_t draw, uint32_t n,
    uint32_t *out)
{
	const __m256i	 m0 = _mm256_set1_epi32((int)PHILOX_M0);
	const __m256i	 m1 = _mm256_set1_epi32((int)PHILOX_M1);
	__m256i		 a[4], b[4], c[4], k0, k1, s;
	uint32_t	 key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
	uint64_t	 q;
	unsigned	 rej;
	int		 r, j;

	q = (uint64_t)PHILOX_M1 * ((uint32_t)(stream0 >> 32) ^ key1);
	s = _mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)stream0),
	    _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0));
	avx2_first(a, s, draw, key0, key1, q);
	s = _mm256_add_epi32(s, _mm256_set1_epi32(8));
	avx2_first(b, s, draw, key0, key1, q);
	s = _mm256_add_epi32(s, _mm256_set1_epi32(8));
	avx2_first(c, s, draw, key0, key1, q);
	key0 += PHILOX_W0;
	key1 += PHILOX_W1;
	for (r = 2; r < PHILOX_ROUNDS; r++) {
		key0 += PHILOX_W0;
		key1 += PHILOX_W1;
		k0 = _mm256_set1_epi32((int)key0);
		k1 = _mm256_set1_epi32((int)key1);
		avx2_round(a, m0, m1, k0, k1);
		avx2_round(b, m0, m1, k0, k1);
		avx2_round(c, m0, m1, k0, k1);
	}
	rej = avx2_below(a[0], n, out) | avx2_below(b[0], n, out + 8) << 8 |
	    avx2_below(c[0], n, out + 16) << 16;
	while (rej != 0) {
		j = __builtin_ctz(rej);
		rej &= rej - 1;
		out[j] = rng_draw_below(seed, stream0 + (uint64_t)j, draw, n);
	}
}
#endif

/* Whether streams_avx2 exists and may run here. */
bool
rng_have_avx2(void)
{
#ifdef RNG_AVX2
	return __builtin_cpu_supports("avx2") != 0;
#else
	return false;
#endif
}

/* rng_draw_below_streams(), AVX2_LANES streams at a time first if avx2:
 * the same values. */
void
rng_draw_below_streams_simd(uint64_t seed, uint64_t stream0, size_t count,
    uint32_t draw, uint32_t n, uint32_t *out, bool avx2)
{
	size_t		 i = 0;
	uint64_t	 s;

#ifdef RNG_AVX2
	for (; avx2 && i + AVX2_LANES <= count; i += AVX2_LANES) {
		s = stream0 + i;
		if ((s >> 32) != ((s + AVX2_LANES - 1) >> 32))
			break;
		streams_avx2(seed, s, draw, n, out + i);
	}
#else
	(void)avx2;
#endif
	for (; i + STREAM_LANES <= count; i += STREAM_LANES) {
		s = stream0 + i;
		/* The lanes must share the stream's high half (round 2). */
		if ((s >> 32) != ((s + STREAM_LANES - 1) >> 32))
			break;
		streams_simd(seed, s, draw, n, out + i);
	}
	for (; i < count; i++)
		out[i] = rng_draw_below(seed, stream0 + i, draw, n);
}

void
rng_draw_below_streams(uint64_t seed, uint64_t stream0, size_t count,
    uint32_t draw, uint32_t n, uint32_t *out)
{
	rng_draw_below_streams_simd(seed, stream0, count, draw, n, out, false);
}
