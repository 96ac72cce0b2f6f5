/*
 * test_rng.c: Philox4x32-10 against the Random123 known-answer vectors
 * (Random123 1.09, tests/kat_vectors, the three "philox4x32 10" lines:
 * counter, key, expected output), the counter layout of struct rng, and
 * Lemire's bounded integers (range, rejection, rough uniformity).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rng.h"

static void
kat(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0,
    uint32_t k1, uint32_t e0, uint32_t e1, uint32_t e2, uint32_t e3)
{
	uint32_t	 ctr[4] = { c0, c1, c2, c3 }, key[2] = { k0, k1 };
	uint32_t	 out[4];

	rng_philox4x32_10(ctr, key, out);
	assert_int_equal(out[0], e0);
	assert_int_equal(out[1], e1);
	assert_int_equal(out[2], e2);
	assert_int_equal(out[3], e3);
}

static void
test_philox_kat(void **state)
{
	(void)state;
	kat(0, 0, 0, 0, 0, 0,
	    0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
	kat(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
	    0xffffffff, 0xffffffff,
	    0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
	kat(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344,
	    0xa4093822, 0x299f31d0,
	    0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
}

/* rng_u32 returns the words of counter {0, draw, stream lo, stream hi},
 * then of {1, ...}, under key {seed lo, seed hi}. */
static void
test_layout(void **state)
{
	struct rng	 r;
	uint64_t	 seed = 0x0123456789abcdefULL;
	uint64_t	 stream = 0xfedcba9876543210ULL;
	uint32_t	 key[2] = { 0x89abcdef, 0x01234567 };
	uint32_t	 ctr[4] = { 0, 77, 0x76543210, 0xfedcba98 }, out[4];
	int		 b, w;

	(void)state;
	rng_init(&r, seed, stream, 77);
	for (b = 0; b < 3; b++) {
		ctr[0] = (uint32_t)b;
		rng_philox4x32_10(ctr, key, out);
		for (w = 0; w < 4; w++)
			assert_int_equal(rng_u32(&r), out[w]);
	}
	/* The all-zero known answer is seed 0, stream 0, draw 0. */
	rng_init(&r, 0, 0, 0);
	assert_int_equal(rng_u32(&r), 0x6627e8d5);
	assert_int_equal(rng_u32(&r), 0xe169c58d);
}

/* Same (seed, stream, draw), same numbers; any change, new numbers. */
static void
test_determinism(void **state)
{
	struct rng	 a, b;
	int		 i;

	(void)state;
	rng_init(&a, 1, 5, 9);
	rng_init(&b, 1, 5, 9);
	for (i = 0; i < 100; i++)
		assert_int_equal(rng_u32(&a), rng_u32(&b));
	assert_int_equal(rng_draw_below(1, 5, 9, 1000),
	    rng_draw_below(1, 5, 9, 1000));
	rng_init(&a, 1, 5, 9);
	rng_init(&b, 2, 5, 9);
	assert_int_not_equal(rng_u32(&a), rng_u32(&b));
	rng_init(&a, 1, 5, 9);
	rng_init(&b, 1, 6, 9);
	assert_int_not_equal(rng_u32(&a), rng_u32(&b));
	rng_init(&a, 1, 5, 9);
	rng_init(&b, 1, 5, 10);
	assert_int_not_equal(rng_u32(&a), rng_u32(&b));
}

/*
 * Lemire's method: the result is the high word of x * n for the first
 * accepted x.  With n = 2^31 + 1, 2^32 mod n = 2^31 - 1, so almost half
 * of the words are rejected: check against a by-hand replay.
 */
static void
test_below_replay(void **state)
{
	struct rng	 r, w;
	uint32_t	 n = 0x80000001u, t = 0x7fffffffu, x, got;
	uint64_t	 m;
	int		 i, rejected = 0;

	(void)state;
	for (i = 0; i < 200; i++) {
		rng_init(&r, 42, (uint64_t)i, 3);
		rng_init(&w, 42, (uint64_t)i, 3);
		got = rng_below(&r, n);
		for (;;) {
			x = rng_u32(&w);
			m = (uint64_t)x * n;
			if ((uint32_t)m >= t)
				break;
			rejected++;
		}
		assert_int_equal(got, (uint32_t)(m >> 32));
		assert_true(got < n);
	}
	assert_true(rejected > 50);	/* expected about 100 */
	rng_init(&r, 1, 1, 1);
	for (i = 0; i < 100; i++)
		assert_int_equal(rng_below(&r, 1), 0);
}

/*
 * Uniformity: 70,000 draws below 7; each count has sd sqrt(70000 x 1/7
 * x 6/7) ~ 92.6, so 10,000 +- 500 is over 5 sd.  Chi-square on 6 df
 * stays below 30 (p ~ 4e-5) for a sound generator.
 */
static void
test_below_uniform(void **state)
{
	size_t		 cnt[7] = { 0 }, i;
	double		 chi = 0, e = 10000;
	struct rng	 r;

	(void)state;
	for (i = 0; i < 70000; i++)
		cnt[rng_draw_below(1, i, 0, 7)]++;
	for (i = 0; i < 7; i++) {
		assert_true(cnt[i] > 9500 && cnt[i] < 10500);
		chi += ((double)cnt[i] - e) * ((double)cnt[i] - e) / e;
	}
	assert_true(chi < 30);
	/* Unit doubles are in [0, 1) with mean near 1/2 (sd 0.0029). */
	rng_init(&r, 7, 0, 0);
	chi = 0;
	for (i = 0; i < 10000; i++) {
		e = rng_unit(&r);
		assert_true(e >= 0 && e < 1);
		chi += e;
	}
	assert_true(fabs(chi / 10000 - 0.5) < 0.015);
}

/*
 * rng_draw_below_streams gives rng_draw_below's values for every stream,
 * and so does rng_draw_below_streams_simd with AVX2 where the machine has
 * it: counts around the SIMD widths (12, 24), streams whose high half changes
 * within a run, bounds with many rejections (just over 2^31) and 1.
 */
static void
test_streams(void **state)
{
	static const uint64_t	 seeds[] = { 1, 0xffffffffffffffffULL,
	    123456789012345ULL };
	static const uint64_t	 start[] = { 0, 5, 0xfffffff0ULL,
	    0x1fffffffaULL };
	static const uint32_t	 bound[] = { 1, 7, 156, 0x80000001u,
	    0xffffffffu };
	uint32_t		 out[100], out2[100];
	size_t			 a, b, c, i, cnt;
	bool			 avx2 = rng_have_avx2();

	(void)state;
	for (a = 0; a < 3; a++)
		for (b = 0; b < 4; b++)
			for (c = 0; c < 5; c++)
				for (cnt = 0; cnt <= 100; cnt += 1 + cnt / 4) {
					rng_draw_below_streams(seeds[a],
					    start[b], cnt, (uint32_t)(a + c),
					    bound[c], out);
					/* The AVX2 code, where there is one. */
					rng_draw_below_streams_simd(seeds[a],
					    start[b], cnt, (uint32_t)(a + c),
					    bound[c], out2, avx2);
					for (i = 0; i < cnt; i++) {
						assert_int_equal(out[i],
						    rng_draw_below(seeds[a],
						    start[b] + i,
						    (uint32_t)(a + c),
						    bound[c]));
						assert_int_equal(out2[i],
						    out[i]);
					}
				}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_philox_kat),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_below_replay),
		cmocka_unit_test(test_below_uniform),
		cmocka_unit_test(test_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
