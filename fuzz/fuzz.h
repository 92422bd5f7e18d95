/* fuzz.h: helpers shared by the libFuzzer targets in fuzz/ and by
 * tests/check_fuzzregress.c, which includes the targets themselves with
 * FUZZ_NO_ENTRY defined so that it replays inputs through the very same
 * functions. A broken invariant aborts, as a crash would. */
#ifndef TLSMEDIC_FUZZ_H
#define TLSMEDIC_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n",	\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

/* The model's contract (sanitize.h): valid UTF-8, no C0, C1 or DEL. */
static inline int
fuzz_is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t n;

		if (p[i] < 0x80) {
			if (p[i] < 0x20 || p[i] == 0x7f)
				return 0;
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0)
			n = 2, c = p[i] & 0x1f;
		else if ((p[i] & 0xf0) == 0xe0)
			n = 3, c = p[i] & 0x0f;
		else if ((p[i] & 0xf8) == 0xf0)
			n = 4, c = p[i] & 0x07;
		else
			return 0;
		if (n > len - i)
			return 0;
		for (size_t k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		if (c < (n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
		    (c >= 0x80 && c < 0xa0))
			return 0;
		i += n;
	}
	return 1;
}

/* NULL is allowed (absent field). */
static inline void
fuzz_check_str(const char *s)
{
	if (s != NULL)
		FUZZ_ASSERT(fuzz_is_clean(s, strlen(s)));
}

#endif
