/*
 * splitmix.h: splitmix64 (Steele, Lea, Flood 2014), a fixed-seed
 * stream of our own for the randomised unit tests, so the values are
 * the same on every run (never rand()).  Static: each test program
 * gets its own copy.
 */
#ifndef SPLITMIX_H
#define SPLITMIX_H

#include <stdint.h>

static uint64_t
mix_next(uint64_t *st)
{
	uint64_t	 z = (*st += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif /* !SPLITMIX_H */
