/* clock-fuzzer.c: clock_parse_http_date() on a server's Date: value.
 * An accepted date must lie in the years the parser allows (1900..9999),
 * and printed back as an IMF-fixdate it must parse to the same second.
 * The same bytes also go to the other parsers of time from the network:
 * an ASN.1 time (OCSP, CRL) and a time server's SNTP reply. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "fuzz.h"
#include "sntp.h"

#define FUZZ_Y1900 (-2208988800LL)
#define FUZZ_Y10000 253402300800LL

static int
fuzz_clock(const uint8_t *data, size_t size)
{
	time_t t, u;
	struct tm tm;
	char buf[64];

	if (size > 0 && clock_parse_asn1_time(data[0], data + 1, size - 1,
	    &t) == 0)
		FUZZ_ASSERT((long long)t >= 0);
	if (size >= 8) {
		double off;
		/* the first 8 bytes play our nonce */
		if (sntp_parse_reply(data, size, data, 1.8e9, 1.8e9 + 0.1,
		    &off) == 0)
			FUZZ_ASSERT(off == off); /* not NaN */
	}
	if (clock_parse_http_date((const char *)data, size, &t) != 0)
		return 0;
	/* Day 31 of any month and second 60 roll over: allow a few days. */
	FUZZ_ASSERT((long long)t >= FUZZ_Y1900);
	FUZZ_ASSERT((long long)t < FUZZ_Y10000 + 4 * 86400LL);
	if ((long long)t >= FUZZ_Y10000 - 86400LL)
		return 0;
	FUZZ_ASSERT(gmtime_r(&t, &tm) != NULL);
	FUZZ_ASSERT(strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm) > 0);
	FUZZ_ASSERT(clock_parse_http_date(buf, strlen(buf), &u) == 0);
	FUZZ_ASSERT(u == t);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_clock(data, size);
}
#endif
