/* lab_tls10.c: just enough of a TLS 1.0 server for the old-protocols
 * scenario. Debian's wolfSSL has no TLS 1.0, so a client that offers
 * nothing newer gets a real ServerHello + Certificate + ServerHelloDone
 * (static RSA, as a 2010-era server would pick) built here. Nothing past
 * ServerHelloDone is implemented: the point is what the client sees. */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "lab_priv.h"
#include "util.h"

#define GET16(p) (uint16_t)(((p)[0] << 8) | (p)[1])

int
lab_hello_parse(const unsigned char *rec, size_t len, struct lab_hello *h)
{
	const unsigned char *p, *end;
	size_t n;

	memset(h, 0, sizeof *h);
	if (len < 5 + 4 || rec[0] != 0x16)
		return -1;
	n = GET16(rec + 3);
	if (n > len - 5)
		return -1;
	p = rec + 5;
	end = p + n;
	/* Handshake header: ClientHello, 3-byte length within the record. */
	if (p[0] != 1)
		return -1;
	n = ((size_t)p[1] << 16) | ((size_t)p[2] << 8) | p[3];
	p += 4;
	if (n > (size_t)(end - p))
		return -1;
	end = p + n;
	if (end - p < 2 + 32 + 1)
		return -1;
	h->max_version = GET16(p);
	p += 2 + 32;
	n = *p++; /* session id */
	if ((size_t)(end - p) < n + 2)
		return -1;
	p += n;
	n = GET16(p);
	p += 2;
	if ((size_t)(end - p) < n + 1 || n % 2 != 0)
		return -1;
	h->suites = p;
	h->nsuites = n / 2;
	for (size_t i = 0; i < h->nsuites; i++)
		if (GET16(p + 2 * i) == 0x00ff)
			h->secure_reneg = 1;
	p += n;
	n = *p++; /* compression methods */
	if ((size_t)(end - p) < n)
		return -1;
	p += n;
	if (end - p < 2)
		return 0; /* no extensions: an old client */
	n = GET16(p);
	p += 2;
	if (n > (size_t)(end - p))
		return -1;
	end = p + n;
	while (end - p >= 4) {
		uint16_t type = GET16(p);
		size_t elen = GET16(p + 2);
		p += 4;
		if (elen > (size_t)(end - p))
			return -1;
		if (type == 0xff01)
			h->secure_reneg = 1;
		if (type == 0x002b && elen >= 1) { /* supported_versions */
			uint16_t best = 0;
			size_t vl = p[0];
			for (size_t i = 1; i + 1 < elen && i + 1 <= vl; i += 2) {
				uint16_t v = GET16(p + i);
				if ((v & 0x0f0f) == 0x0a0a)
					continue; /* GREASE */
				if (v > best)
					best = v;
			}
			if (best != 0)
				h->max_version = best;
		}
		p += elen;
	}
	return 0;
}

static void
put16(struct strbuf *b, unsigned v)
{
	unsigned char x[2] = { (unsigned char)(v >> 8), (unsigned char)v };
	strbuf_add(b, (const char *)x, 2);
}

static void
put24(struct strbuf *b, size_t v)
{
	unsigned char x[3] = { (unsigned char)(v >> 16),
		(unsigned char)(v >> 8), (unsigned char)v };
	strbuf_add(b, (const char *)x, 3);
}

static unsigned char *
alert(unsigned char desc, size_t *len)
{
	unsigned char *a = xmalloc(7);
	const unsigned char rec[7] = { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02,
		desc };
	memcpy(a, rec, sizeof rec);
	*len = sizeof rec;
	return a;
}

unsigned char *
lab_tls10_answer(const struct lab_hello *h, const struct lab_cred *c,
    size_t *len)
{
	/* Static RSA with AES, as a TLS 1.0 server of its day preferred. No
	 * 3DES: the scenario shows one problem, not cipher.weak too. */
	static const uint16_t prefer[] = { 0x002f, 0x0035 };
	uint16_t suite = 0;
	unsigned char rnd[64];
	struct strbuf hs = { 0 }, rec = { 0 };

	if (h->max_version < 0x0301)
		return alert(70, len); /* protocol_version: no SSL 3.0 */
	for (size_t i = 0; i < sizeof prefer / sizeof prefer[0] && !suite;
	    i++)
		for (size_t j = 0; j < h->nsuites; j++)
			if (GET16(h->suites + 2 * j) == prefer[i])
				suite = prefer[i];
	if (suite == 0 || !c->rsa)
		return alert(40, len); /* handshake_failure */
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		return alert(80, len);

	/* ServerHello: version, random, a session id, suite, no
	 * compression, and renegotiation_info when the client asked (a
	 * patched 2010 server; OpenSSL 3 clients insist on it). */
	strbuf_add(&hs, "\x02", 1);
	put24(&hs, 2 + 32 + 1 + 32 + 2 + 1 + (h->secure_reneg ? 7 : 0));
	put16(&hs, 0x0301);
	strbuf_add(&hs, (const char *)rnd, 32);
	strbuf_add(&hs, "\x20", 1);
	strbuf_add(&hs, (const char *)rnd + 32, 32);
	put16(&hs, suite);
	strbuf_add(&hs, "\x00", 1);
	if (h->secure_reneg)
		strbuf_add(&hs, "\x00\x05\xff\x01\x00\x01\x00", 7);

	/* Certificate: the chain as configured. */
	size_t total = 0;
	for (size_t i = 0; i < c->n; i++)
		total += 3 + c->der_len[i];
	strbuf_add(&hs, "\x0b", 1);
	put24(&hs, 3 + total);
	put24(&hs, total);
	for (size_t i = 0; i < c->n; i++) {
		put24(&hs, c->der_len[i]);
		strbuf_add(&hs, (const char *)c->der[i], c->der_len[i]);
	}

	/* ServerHelloDone. */
	strbuf_add(&hs, "\x0e\x00\x00\x00", 4);

	/* Into records of at most 16 KiB. */
	for (size_t off = 0; off < hs.len;) {
		size_t n = hs.len - off > 16384 ? 16384 : hs.len - off;
		strbuf_add(&rec, "\x16\x03\x01", 3);
		put16(&rec, (unsigned)n);
		strbuf_add(&rec, hs.s + off, n);
		off += n;
	}
	strbuf_free(&hs);
	*len = rec.len;
	return (unsigned char *)strbuf_steal(&rec);
}
