/* x509-fuzzer.c: our own certificate parser (x509/cert.h) and the policy
 * over a path (x509/policy.h), offline. The input is split into DER
 * elements by their outer lengths (up to 4: leaf first, as a chain is
 * sent); each is parsed, named and judged, then the whole list is judged
 * as one path, so name constraints and path lengths meet fuzzed names.
 * Invariants: no crash or read past an element (each is a copy), a
 * malformed certificate says why, every issue has a detail and a
 * position inside the path, and names come back as text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "x509/cert.h"
#include "x509/names.h"
#include "x509/policy.h"

#define XF_MAX 4

static size_t
xf_split(const uint8_t *p, size_t n)
{
	struct asn1 in = { p, n }, whole;

	if (asn1_get(&in, NULL, NULL, &whole) != 0)
		return 0;
	return whole.len;
}

static int
fuzz_x509(const uint8_t *data, size_t size)
{
	uint8_t *ders[XF_MAX];
	size_t lens[XF_MAX], n = 0, off = 0;
	struct x509_cert c[XF_MAX];
	const struct x509_cert *path[XF_MAX];
	int sent[XF_MAX];
	struct x509_issues is = { 0 };

	while (off < size && n < XF_MAX) {
		size_t l = xf_split(data + off, size - off);
		if (l == 0 || n == XF_MAX - 1)
			l = size - off;
		ders[n] = malloc(l ? l : 1);
		FUZZ_ASSERT(ders[n] != NULL);
		memcpy(ders[n], data + off, l);
		lens[n++] = l;
		off += l;
	}
	for (size_t i = 0; i < n; i++) {
		int rc = x509_parse(&c[i], ders[i], lens[i]);
		FUZZ_ASSERT((rc == 0) == (c[i].malformed == NULL));
		FUZZ_ASSERT(c[i].ncritical == 0 ||
		    c[i].critical[0][0] != '\0');
		if (c[i].subject.p != NULL) {
			char *s = x509_name_text(&c[i].subject);
			FUZZ_ASSERT(s != NULL);
			free(s);
			(void)x509_name_cn(&c[i].subject);
		}
		/* a certificate's names against its own constraints */
		long budget = 1000;
		for (size_t k = 0; k < c[i].nsan && c[i].has_nc; k++)
			(void)nc_check(&c[i], c[i].san[k].type,
			    c[i].san[k].v.p, c[i].san[k].v.len, &budget);
		char *w = x509_weak_key(&c[i]);
		free(w);
		path[i] = &c[i];
		sent[i] = 1;
	}
	if (n > 0) {
		x509_policy_check(path, sent, n, &is);
		for (size_t i = 0; i < is.n; i++) {
			FUZZ_ASSERT(is.v[i].pos < n);
			FUZZ_ASSERT(is.v[i].detail != NULL &&
			    is.v[i].detail[0] != '\0');
		}
		x509_issues_free(&is);
	}
	for (size_t i = 0; i < n; i++) {
		x509_cert_free(&c[i]);
		free(ders[i]);
	}
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_x509(data, size);
}
#endif
