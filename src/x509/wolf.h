/* wolf.h: a certificate as wolfSSL reads it (identity, signatures, the
 * model's struct cert_info). Includes wolfSSL headers: keep it out of
 * the public headers. */
#ifndef TLSMEDIC_X509_WOLF_H
#define TLSMEDIC_X509_WOLF_H

#include <stddef.h>
#include <time.h>

#include <wolfssl/ssl.h>

#include "model.h"
#include "x509/info.h"

#define CERT_HASH_LEN 32
struct cert_id {
	unsigned char subject[CERT_HASH_LEN]; /* SHA-256 of the DER Name */
	unsigned char issuer[CERT_HASH_LEN];
	unsigned char key[CERT_HASH_LEN];     /* SHA-256 of the public key */
	unsigned char der[CERT_HASH_LEN];     /* SHA-256 of the certificate */
	int self_issued;                      /* subject == issuer (names) */
	int is_ca;
};
/* Parse der enough to fill *id (no date or signature check). 0 or -1. */
int cert_id_get(const unsigned char *der, size_t len, struct cert_id *id);
/* Does issuer's key verify subject's signature? Dates are not looked at. */
int cert_signs(WOLFSSL_X509 *issuer, WOLFSSL_X509 *subject);
/* "CN=a, O=b" (most specific first), sanitized, bounded; caller frees. */
char *cert_dn(WOLFSSL_X509_NAME *name);
/* Lower-case hex of n bytes; caller frees. */
char *hex_str(const unsigned char *p, size_t n);

/* UTCTime or GeneralizedTime in UTC (not through mktime()); 0 if bad. */
time_t wolf_time(const WOLFSSL_ASN1_TIME *t);
/* The last CN of a name (the most specific), raw; caller frees. */
char *cert_cn(WOLFSSL_X509_NAME *name, size_t *len);
/* Calls fn for every DNS and IP name of the subjectAltName, raw, in
 * certificate order; returns how many (-1: no extension). */
int san_each(WOLFSSL_X509 *x, void (*fn)(void *, int, const unsigned char *,
    size_t), void *arg);
/* An IP SAN as text, or NULL when its length is neither 4 nor 16. */
char *ip_text(const unsigned char *p, size_t len);

#endif
