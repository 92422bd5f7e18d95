/* sanitize-fuzzer.c: sanitize() and sanitize_ascii() on any bytes. Input:
 * two bytes of max_out, then the string (NULs included). The output must
 * be valid UTF-8 without C0, C1 or DEL (ASCII only for sanitize_ascii),
 * no longer than max_out (8 at least), and plain printable ASCII without
 * a backslash must come through unchanged when it fits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sanitize.h"

static int
plain_ascii(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\\')
			return 0;
	return 1;
}

static int
fuzz_sanitize(const uint8_t *data, size_t size)
{
	size_t max_out, bound, n;
	char *out;

	if (size < 2)
		return 0;
	max_out = ((size_t)data[0] << 8 | data[1]) & 0x3ff;
	data += 2;
	size -= 2;
	bound = max_out < 8 ? 8 : max_out;

	for (int ascii = 0; ascii < 2; ascii++) {
		out = ascii ? sanitize_ascii((const char *)data, size, max_out)
		    : sanitize((const char *)data, size, max_out);
		FUZZ_ASSERT(out != NULL);
		n = strlen(out);
		FUZZ_ASSERT(n <= bound);
		FUZZ_ASSERT(fuzz_is_clean(out, n));
		for (size_t i = 0; ascii && i < n; i++)
			FUZZ_ASSERT((unsigned char)out[i] < 0x80);
		if (plain_ascii(data, size) && size <= bound - 3)
			FUZZ_ASSERT(n == size && memcmp(out, data, n) == 0);
		free(out);
	}
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_sanitize(data, size);
}
#endif
