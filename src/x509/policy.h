/* policy.h: what a client does with a built path -- RFC 5280 6.1 and the
 * CA/Browser Forum rules browsers enforce, with OpenSSL's choices where
 * the verifiers differ (tlsmedic's users meet curl first). Like
 * BoringSSL's PathVerifier it walks the whole path and records every
 * problem with its position; it never stops at the first.
 *
 * Dates, signatures, trust and the host name are judged by chain.c; this
 * layer judges what each certificate may be used for, and its key. */
#ifndef TLSMEDIC_X509_POLICY_H
#define TLSMEDIC_X509_POLICY_H

#include <stddef.h>

#include "finding.h"
#include "x509/cert.h"

struct x509_issue {
	enum finding_id id;
	enum severity sev;
	size_t pos;   /* in the path: 0 the server's certificate */
	char *detail; /* the rule broken, plain words, raw bytes inside */
};

struct x509_issues {
	struct x509_issue *v;
	size_t n;
	int nc_budget_out; /* too many name comparisons: NC not judged */
};
void x509_issues_free(struct x509_issues *is);

/* path[0] the server's certificate ... path[n-1] the top of the path (a
 * root when one was found: its own constraints apply, as in OpenSSL).
 * sent[k] says whether the server sent path[k] (a certificate the trust
 * store supplied is not blamed for being malformed). Appends to out. */
void x509_policy_check(const struct x509_cert *const *path,
    const int *sent, size_t n, struct x509_issues *out);

/* The weak-key rule alone, for certificates outside any path: the words
 * ("a 1024-bit RSA key") or NULL when the key is acceptable; caller
 * frees. */
char *x509_weak_key(const struct x509_cert *c);

#endif
