/*
 * rng.h: a seeded counter-based pseudo-random number generator for the
 * simulation (SPEC 4.4).  The core is Philox4x32-10 (Salmon, Moraes,
 * Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11;
 * Random123), a keyed bijection of a 128-bit counter: the key is the
 * seed and the counter names (stream, draw, word block), so every number
 * depends only on (seed, stream, draw) and never on the order in which
 * threads ask for them.  Bounded integers use Lemire's unbiased method.
 * Pure: no global state, never prints.
 */
#ifndef RNG_H
#define RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One draw's sequence of 32-bit words: Philox4x32-10 with key = seed
 * and counter = {block, draw, stream low, stream high}; block counts up
 * through the words the draw consumes (4 per block). */
struct rng {
	uint32_t	 key[2];
	uint32_t	 ctr[4];
	uint32_t	 out[4];
	unsigned	 used;		/* words of out[] already returned */
};

/* The Philox4x32-10 bijection: out = philox(ctr, key). */
void	 rng_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
	    uint32_t out[4]);

/* Starts the words of draw number draw of stream stream under seed. */
void	 rng_init(struct rng *, uint64_t seed, uint64_t stream,
	    uint32_t draw);
/* The next 32 uniformly distributed bits. */
uint32_t rng_u32(struct rng *);
/* A uniform integer in [0, n), unbiased (Lemire 2019); n > 0. */
uint32_t rng_below(struct rng *, uint32_t n);
/* A uniform double in [0, 1) with 53 random bits. */
double	 rng_unit(struct rng *);

/* Shorthand: rng_below() on a fresh rng_init(seed, stream, draw). */
uint32_t rng_draw_below(uint64_t seed, uint64_t stream, uint32_t draw,
	    uint32_t n);

/* rng_draw_below() for streams stream0 .. stream0 + count - 1 (same seed,
 * draw and n) into out[0..count); the same values, faster. */
void	 rng_draw_below_streams(uint64_t seed, uint64_t stream0, size_t count,
	    uint32_t draw, uint32_t n, uint32_t *out);
/* The same, with AVX2 code if avx2 (only where rng_have_avx2()). */
void	 rng_draw_below_streams_simd(uint64_t seed, uint64_t stream0,
	    size_t count, uint32_t draw, uint32_t n, uint32_t *out, bool avx2);
/* Whether this build has AVX2 code and the CPU and the operating system
 * support it. */
bool	 rng_have_avx2(void);

#endif /* !RNG_H */
