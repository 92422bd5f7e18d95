/* chain-fuzzer.c: the certificates a server sends. The input is split
 * into DER elements by their outer lengths (a chain as sent is DER
 * certificates back to back; what does not split is one element). Each
 * goes through cert_info_parse(), then the whole list through
 * chain_from_der() and chain_analyze() -- offline: ctx NULL, so no AIA
 * fetch -- and the text report. Every string that lands in the model must
 * be sanitized, the text report may hold no control byte but '\n', and
 * the JSON report must parse back.
 *
 * The trust store is loaded once: $FUZZ_TRUST (a PEM file; `make fuzz`
 * makes a test PKI with tests/lib/mkpki.sh) or else the system's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "chain.h"
#include "fuzz.h"
#include "model.h"
#include "report.h"
#include "trust.h"

#define FUZZ_CHAIN_MAX 8
#define FUZZ_NOW 1780272000 /* 2026-06-01: inside the test PKI's dates */

static struct trust *fuzz_trust;

static const struct trust *
chain_trust(void)
{
	const char *file = getenv("FUZZ_TRUST");
	char *cause = NULL;

	if (fuzz_trust != NULL)
		return fuzz_trust;
	fuzz_trust = trust_load(file != NULL && *file ? file : NULL, &cause);
	if (fuzz_trust == NULL) {
		fprintf(stderr, "chain-fuzzer: no trust store: %s\n",
		    cause ? cause : "?");
		abort();
	}
	return fuzz_trust;
}

/* Length of the DER element at p (header included), or 0. */
static size_t
der_len(const uint8_t *p, size_t n)
{
	size_t len = 0, hdr = 2;

	if (n < 2)
		return 0;
	if (p[1] < 0x80)
		len = p[1];
	else {
		size_t k = p[1] & 0x7f;
		if (k == 0 || k > 3 || n < 2 + k)
			return 0;
		for (size_t i = 0; i < k; i++)
			len = len << 8 | p[2 + i];
		hdr += k;
	}
	return len > n - hdr ? 0 : hdr + len;
}

static void
check_cert(const struct cert_info *c)
{
	fuzz_check_str(c->subject);
	fuzz_check_str(c->issuer);
	fuzz_check_str(c->cn);
	fuzz_check_str(c->key_type);
	fuzz_check_str(c->signature);
	fuzz_check_str(c->ocsp_url);
	fuzz_check_str(c->ca_issuers_url);
	fuzz_check_str(c->crl_url);
	FUZZ_ASSERT(c->nsans <= c->nsans_total || c->nsans_total == 0);
	for (size_t i = 0; i < c->nsans; i++) {
		FUZZ_ASSERT(c->sans[i] != NULL);
		fuzz_check_str(c->sans[i]);
	}
	FUZZ_ASSERT(strlen(c->sha256) == 64 || c->sha256[0] == '\0');
}

static int
fuzz_chain(const uint8_t *data, size_t size)
{
	static const char *const hosts[] = { "good.test", "localhost",
		"127.0.0.1", "wronghost.test" };
	unsigned char *ders[FUZZ_CHAIN_MAX];
	size_t lens[FUZZ_CHAIN_MAX], n = 0, off = 0;
	struct chain_opts o;
	struct cert_info ci;
	struct report *r;
	char *text;

	if (size == 0)
		return 0;
	while (off < size && n < FUZZ_CHAIN_MAX) {
		size_t l = der_len(data + off, size - off);
		if (l == 0 || n == FUZZ_CHAIN_MAX - 1)
			l = size - off;
		/* Copies, so ASan sees reads past each element. */
		ders[n] = malloc(l);
		FUZZ_ASSERT(ders[n] != NULL);
		memcpy(ders[n], data + off, l);
		lens[n++] = l;
		off += l;
	}

	for (size_t i = 0; i < n; i++) {
		if (cert_info_parse(ders[i], lens[i], &ci) == 0) {
			check_cert(&ci);
			FUZZ_ASSERT(ci.der_len == lens[i]);
		}
		cert_info_clear(&ci);
	}

	r = report_new();
	r->host = strdup(hosts[size % 4]);
	chain_from_der(&r->chain, ders, lens, n);
	FUZZ_ASSERT(r->chain.n == n);
	for (size_t i = 0; i < n; i++)
		check_cert(&r->chain.certs[i]);
	memset(&o, 0, sizeof o);
	o.trust = chain_trust();
	o.hostname = hosts[size % 4];
	o.now = FUZZ_NOW;
	o.ctx = NULL;
	o.timeout_ms = 100;
	chain_analyze(&r->chain, &o, r);
	report_finish(r);
	for (size_t i = 0; i < r->nfindings; i++) {
		fuzz_check_str(r->findings[i].summary);
		fuzz_check_str(r->findings[i].evidence);
	}
	text = report_text(r, 0);
	FUZZ_ASSERT(text != NULL);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		FUZZ_ASSERT(*p == '\n' || (*p >= 0x20 && *p != 0x7f));
	free(text);
	text = report_json(r);
	FUZZ_ASSERT(text != NULL);
	struct json_object *j = json_tokener_parse(text);
	FUZZ_ASSERT(j != NULL);
	json_object_put(j);
	free(text);
	report_free(r);
	for (size_t i = 0; i < n; i++)
		free(ders[i]);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_chain(data, size);
}
#endif
