/* trust_int.h: what trust.c and chain.c share and nobody else needs --
 * the parsed anchors and the TLS-inspection product table generated from
 * data/interception.txt. Includes wolfSSL headers: keep it out of the
 * public headers. */
#ifndef TLSMEDIC_TRUST_INT_H
#define TLSMEDIC_TRUST_INT_H

#include <stddef.h>

#include <wolfssl/ssl.h>

#include "trust.h"
#include "x509/wolf.h"

/* --- TLS-inspection products (generated table) --- */
enum intercept_kind {
	INTERCEPT_ANTIVIRUS, /* on this computer: the user fixes it */
	INTERCEPT_PROXY,     /* a gateway: the network admin fixes it */
	INTERCEPT_DEBUG      /* a developer's proxy on this computer */
};
struct intercept_product {
	const char *pattern; /* case-insensitive substring of a DN */
	enum intercept_kind kind;
	const char *name;    /* for people */
};
extern const struct intercept_product intercept_products[];
extern const size_t intercept_nproducts;
/* The first product whose pattern occurs in dn, or NULL. */
const struct intercept_product *intercept_match(const char *dn);

/* --- anchors --- */
enum anchor_origin {
	ANCHOR_SHIPPED, /* in the system's CA package (Debian: mozilla/) */
	ANCHOR_LOCAL,   /* in the system store but added on this computer */
	ANCHOR_USER     /* given on purpose (--ca-file, lab root) */
};
struct trust_anchor {
	unsigned char *der;
	size_t der_len;
	struct cert_id id;
	WOLFSSL_X509 *x509; /* on first use: trust_anchor_x509() */
	char *subject;      /* on first use: trust_anchor_subject() */
	enum anchor_origin origin;
};
size_t trust_nanchors(const struct trust *t);
const struct trust_anchor *trust_anchor(const struct trust *t, size_t i);
/* The anchor as a wolfSSL object, parsed once on first use (thread-safe):
 * parsing all of them up front would cost most of trust_load's time.
 * NULL only if wolfSSL cannot parse what it parsed before. */
WOLFSSL_X509 *trust_anchor_x509(const struct trust *t,
    const struct trust_anchor *a);
/* Its sanitized one-line DN (parsed on first use too); never NULL. */
const char *trust_anchor_subject(const struct trust *t,
    const struct trust_anchor *a);
/* The manager holding every anchor (for wolfSSL's own verdict). */
WOLFSSL_CERT_MANAGER *trust_cm(const struct trust *t);
/* Anchors that were added locally (ANCHOR_LOCAL). */
size_t trust_nlocal(const struct trust *t);

#endif
