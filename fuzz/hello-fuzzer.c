/* hello-fuzzer.c: hello_parse() on whatever a server answers to our
 * ClientHello. Input: a selector byte (version, want_certs, SNI, whether
 * to also feed the bytes in pieces, want_kx, another offer), a step byte,
 * then the answer.
 *
 * Besides "no crash", it checks what hello_probe() relies on: at most
 * HELLO_MAX_CERTS kept, not_tls terminated and sanitized, and that the
 * answer read in pieces (parse again after every read, stop at the first
 * complete one) gives the same verdict as reading it whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hello.h"
#include "suites.h"

static void
hello_check(const struct hello_resp *r, int rc)
{
	FUZZ_ASSERT(rc == 0 || rc == 1);
	FUZZ_ASSERT(r->kind >= HELLO_SERVER_HELLO && r->kind <= HELLO_ERROR);
	FUZZ_ASSERT(r->ncerts <= HELLO_MAX_CERTS);
	FUZZ_ASSERT(r->ncerts <= r->ncerts_sent);
	/* a DH prime is at most a 64 kB field (16-bit length) */
	FUZZ_ASSERT(r->dh_bits >= 0 && r->dh_bits <= 65535 * 8);
	for (size_t i = 0; i < r->ncerts; i++)
		FUZZ_ASSERT(r->certs[i] != NULL && r->cert_lens[i] > 0);
	FUZZ_ASSERT(memchr(r->not_tls, '\0', sizeof r->not_tls) != NULL);
	FUZZ_ASSERT(r->dh_bits >= 0 && r->dh_bits <= 8 * 65535);
	fuzz_check_str(r->not_tls);
	if (r->kind == HELLO_NOT_TLS)
		FUZZ_ASSERT(r->not_tls[0] != '\0');
}

static int
fuzz_hello(const uint8_t *data, size_t size)
{
	uint16_t suites[HELLO_MAX_SUITES];
	struct hello_req req;
	struct hello_resp whole, part;
	unsigned sel;
	size_t step, len;
	int rc, prc;

	if (size < 2)
		return 0;
	sel = data[0];
	step = data[1] ? data[1] : 1;
	data += 2;
	size -= 2;

	memset(&req, 0, sizeof req);
	req.version = (uint16_t)(0x0300 + (sel & 7) % 5);
	req.want_certs = (sel >> 3) & 1;
	req.sni = (sel & 0x10) ? "example.test" : NULL;
	req.want_kx = (sel >> 6) & 1;
	req.nsuites = suite_list_for(req.version, suites, HELLO_MAX_SUITES);
	req.suites = suites;
	if (sel & 0x80) {
		/* The other offers build too (same size bound as probes). */
		unsigned char out[2048];
		req.offer = (enum hello_offer)(step % HELLO_OFFER_COUNT);
		req.old_curves = (step >> 2) & 1;
		FUZZ_ASSERT(hello_build(&req, out, sizeof out) > 0);
	}

	rc = hello_parse(&req, data, size, &whole);
	hello_check(&whole, rc);

	if (sel & 0x20) {
		/* Bound the work: at most ~64 parses of the prefix. */
		if (step < size / 64)
			step = size / 64;
		memset(&part, 0, sizeof part);
		for (len = step < size ? step : size;; ) {
			hello_resp_clear(&part);
			prc = hello_parse(&req, data, len, &part);
			hello_check(&part, prc);
			if (prc == 1 || len == size)
				break;
			len = size - len > step ? len + step : size;
		}
		FUZZ_ASSERT(prc == rc);
		FUZZ_ASSERT(part.kind == whole.kind);
		if (part.kind != HELLO_NOT_TLS) {
			FUZZ_ASSERT(part.version == whole.version);
			FUZZ_ASSERT(part.suite == whole.suite);
			FUZZ_ASSERT(part.ncerts == whole.ncerts);
			FUZZ_ASSERT(part.ncerts_sent == whole.ncerts_sent);
			FUZZ_ASSERT(part.cert_request == whole.cert_request);
			FUZZ_ASSERT(part.alert_desc == whole.alert_desc);
			FUZZ_ASSERT(part.dh_bits == whole.dh_bits);
			FUZZ_ASSERT(part.kx_group == whole.kx_group);
			for (size_t i = 0; i < part.ncerts; i++)
				FUZZ_ASSERT(part.cert_lens[i] ==
				    whole.cert_lens[i] && memcmp(part.certs[i],
				    whole.certs[i], part.cert_lens[i]) == 0);
		}
		hello_resp_clear(&part);
	}
	hello_resp_clear(&whole);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_hello(data, size);
}
#endif
