/* revoke-fuzzer.c: revoke.c's small DER reader, which pulls the
 * revocation time and reason out of OCSP responses and CRLs for the
 * evidence, and rewrites OCSP responses that embed the issuer. Its
 * functions are static, so this file includes revoke.c itself.
 *
 * Input: a selector byte (bits 0-4: serial length, up to 20), the serial
 * bytes, then the response or CRL. The same bytes also go through
 * cert_serial() as if they were a certificate. Dates and reasons found
 * must be clean text; a rewritten OCSP response must be one whole DER
 * element, shorter than the original, and readable again. */
#include "../src/revoke.c"

#include "fuzz.h"

static void
check_result(struct revoke_result *res)
{
	if (res->when != NULL) {
		FUZZ_ASSERT(strlen(res->when) == 23);
		fuzz_check_str(res->when);
	}
	fuzz_check_str(res->reason);
	result_clear(res);
}

/* The first certificate embedded in an OCSP response, or 0. */
static int
embedded_cert(const unsigned char *buf, size_t len, struct der *cert)
{
	struct der d = { buf, buf + len }, resp, v, rb, rbseq, basic, b, certs;
	struct der list;
	unsigned char tag;
	const unsigned char *c0;

	if (der_enter(&d, 0x30, &resp) != 0 || der_enter(&resp, 0x0a, &v) != 0
	    || der_enter(&resp, 0xa0, &rb) != 0 ||
	    der_enter(&rb, 0x30, &rbseq) != 0 ||
	    der_enter(&rbseq, 0x06, &v) != 0 ||
	    der_enter(&rbseq, 0x04, &basic) != 0 ||
	    der_enter(&basic, 0x30, &b) != 0 ||
	    der_enter(&b, 0x30, &v) != 0 || der_enter(&b, 0x30, &v) != 0 ||
	    der_enter(&b, 0x03, &v) != 0 || der_next(&b, &tag, &certs) != 0 ||
	    tag != 0xa0 || der_enter(&certs, 0x30, &list) != 0)
		return 0;
	c0 = list.p;
	if (der_enter(&list, 0x30, &v) != 0)
		return 0;
	cert->p = c0;
	cert->end = v.end;
	return 1;
}

static int
fuzz_revoke(const uint8_t *data, size_t size)
{
	struct revoke_result res;
	struct der serial, s2, c;
	struct cert_info issuer;
	unsigned char *buf, *out = NULL;
	size_t slen, len, out_len = 0;

	if (size < 1)
		return 0;
	slen = (data[0] & 0x1f) % 21;
	if (size - 1 < slen)
		return 0;
	/* A copy of exactly the bytes, so ASan sees any overread. */
	len = size - 1 - slen;
	buf = xmalloc(len + 1);
	memcpy(buf, data + 1 + slen, len);
	serial.p = data + 1;
	serial.end = data + 1 + slen;

	memset(&res, 0, sizeof res);
	ocsp_revoked_info(buf, len, &serial, &res);
	check_result(&res);
	crl_revoked_info(buf, len, &serial, &res);
	check_result(&res);
	if (cert_serial(buf, len, &s2) == 0)
		FUZZ_ASSERT(s2.p >= buf && s2.end <= buf + len && s2.p <= s2.end);

	if (embedded_cert(buf, len, &c)) {
		memset(&issuer, 0, sizeof issuer);
		issuer.der = xmalloc((size_t)(c.end - c.p));
		issuer.der_len = (size_t)(c.end - c.p);
		memcpy(issuer.der, c.p, issuer.der_len);
		if (ocsp_strip_issuer(buf, len, &issuer, &out, &out_len)) {
			struct der d = { out, out + out_len }, v;
			unsigned char tag;

			FUZZ_ASSERT(out != NULL && out_len < len);
			FUZZ_ASSERT(der_next(&d, &tag, &v) == 0 && tag == 0x30);
			FUZZ_ASSERT(d.p == d.end);
			FUZZ_ASSERT(!embedded_cert(out, out_len, &c));
			ocsp_revoked_info(out, out_len, &serial, &res);
			check_result(&res);
		} else
			FUZZ_ASSERT(out == NULL);
		free(out);
		free(issuer.der);
	}
	free(buf);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_revoke(data, size);
}
#endif
