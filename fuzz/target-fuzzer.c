/* target-fuzzer.c: target_parse() and resolve_parse() on what a user
 * types (or pastes). Result xor cause; a parsed host is non-empty with no
 * control byte or space, the port is 1..65535, the cause is sanitized, and
 * "host:port" made from a parsed name parses back to the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "target.h"
#include "util.h"

static void
fuzz_check_host(const char *h)
{
	FUZZ_ASSERT(h != NULL && h[0] != '\0');
	for (const unsigned char *p = (const unsigned char *)h; *p; p++)
		FUZZ_ASSERT(*p > 0x20 && *p != 0x7f);
}

static int
fuzz_target(const uint8_t *data, size_t size)
{
	struct target t = { 0 }, t2 = { 0 };
	struct resolve res = { 0 };
	char *s, *cause = NULL, *again;

	s = xstrndup((const char *)data, size); /* stops at a NUL */

	if (target_parse(s, &t, &cause) == 0) {
		FUZZ_ASSERT(cause == NULL);
		fuzz_check_host(t.host);
		FUZZ_ASSERT(t.port >= 1 && t.port <= 65535);
		if (strchr(t.host, ':') != NULL)
			again = xasprintf("[%s]:%d", t.host, t.port);
		else
			again = xasprintf("%s:%d", t.host, t.port);
		FUZZ_ASSERT(target_parse(again, &t2, &cause) == 0);
		FUZZ_ASSERT(strcmp(t2.host, t.host) == 0 && t2.port == t.port);
		target_clear(&t2);
		free(again);
	} else {
		FUZZ_ASSERT(cause != NULL);
		fuzz_check_str(cause);
	}
	target_clear(&t);
	free(cause);
	cause = NULL;

	if (resolve_parse(s, &res, &cause) == 0) {
		FUZZ_ASSERT(cause == NULL);
		fuzz_check_host(res.host);
		fuzz_check_host(res.addr);
		FUZZ_ASSERT(res.port >= 1 && res.port <= 65535);
	} else {
		FUZZ_ASSERT(cause != NULL);
		fuzz_check_str(cause);
	}
	resolve_clear(&res);
	free(cause);
	free(s);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_target(data, size);
}
#endif
