/* starttls-fuzzer.c: starttls_reply_parse() and starttls_sniff() on
 * whatever a server says before TLS starts. Input: a selector byte (the
 * protocol, the step, whether to also feed the bytes in pieces), a step
 * byte, then the reply.
 *
 * Besides "no crash", it checks what starttls_open() relies on: the result
 * is -1, 0 or a length within the input and the bound, the first line is
 * terminated and within its buffer, and for the line protocols (SMTP, FTP,
 * IMAP, POP3) a reply read in pieces ends where the whole one does, with
 * the same verdict. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "netpath/starttls.h"

static void
reply_check(const struct starttls_reply *r, int rc, size_t size)
{
	FUZZ_ASSERT(rc >= -1);
	FUZZ_ASSERT(rc <= 0 || (size_t)rc <= size);
	FUZZ_ASSERT(rc <= STARTTLS_MAX_REPLY);
	FUZZ_ASSERT(r->nline < sizeof r->line);
	FUZZ_ASSERT(r->line[r->nline] == '\0');
	FUZZ_ASSERT(r->ok == 0 || r->ok == 1);
	FUZZ_ASSERT(r->offers == 0 || r->offers == 1);
}

static int
fuzz_starttls(const uint8_t *data, size_t size)
{
	struct starttls_reply whole, part;
	enum starttls_proto p;
	enum starttls_step st;
	unsigned sel;
	size_t step, len;
	int rc, prc = 0;

	if (size < 2)
		return 0;
	sel = data[0];
	step = data[1] ? data[1] : 1;
	data += 2;
	size -= 2;
	p = (enum starttls_proto)(1 + (sel & 7) % (STARTTLS_COUNT - 1));
	st = (enum starttls_step)(((sel >> 3) & 3) % STARTTLS_STEP_COUNT);

	(void)starttls_sniff(data, size, (sel & 0x80) ? 21 : 25);
	rc = starttls_reply_parse(p, st, data, size, &whole);
	reply_check(&whole, rc, size);

	if ((sel & 0x40) && (p == STARTTLS_SMTP || p == STARTTLS_FTP ||
	    p == STARTTLS_IMAP || p == STARTTLS_POP3) && !whole.tls) {
		/* Bound the work: at most ~64 parses of the prefix. */
		if (step < size / 64)
			step = size / 64;
		for (len = step < size ? step : size;;) {
			prc = starttls_reply_parse(p, st, data, len, &part);
			reply_check(&part, prc, len);
			if (prc != 0 || len == size)
				break;
			len = size - len > step ? len + step : size;
		}
		if (prc > 0 && !part.tls) {
			FUZZ_ASSERT(prc == rc);
			FUZZ_ASSERT(part.ok == whole.ok);
			FUZZ_ASSERT(part.code == whole.code);
			FUZZ_ASSERT(part.offers == whole.offers);
		}
	}
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_starttls(data, size);
}
#endif
