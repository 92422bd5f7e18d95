/* cert.h: our own strict parse of one X.509 certificate. wolfSSL refuses
 * certificates we must still judge (duplicate extensions, a P-192 key,
 * an unknown critical extension) and accepts some it should not; this
 * parser records what it finds and never judges: the policy layer
 * (x509/policy.h) decides what a client would do with it.
 *
 * Every span points into the DER given to x509_parse(), which the caller
 * keeps alive as long as the struct. */
#ifndef TLSMEDIC_X509_CERT_H
#define TLSMEDIC_X509_CERT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "x509/asn1.h"

enum x509_key { X509_KEY_UNKNOWN, X509_KEY_RSA, X509_KEY_RSA_PSS,
	X509_KEY_DSA, X509_KEY_EC, X509_KEY_ED25519, X509_KEY_ED448 };

/* keyUsage bits, RFC 5280 order (bit 0 = digitalSignature). */
#define X509_KU_DIGITAL_SIGNATURE (1u << 0)
#define X509_KU_NON_REPUDIATION (1u << 1)
#define X509_KU_KEY_ENCIPHERMENT (1u << 2)
#define X509_KU_DATA_ENCIPHERMENT (1u << 3)
#define X509_KU_KEY_AGREEMENT (1u << 4)
#define X509_KU_KEY_CERT_SIGN (1u << 5)
#define X509_KU_CRL_SIGN (1u << 6)

/* extendedKeyUsage purposes we tell apart. */
#define X509_EKU_SERVER (1u << 0) /* serverAuth */
#define X509_EKU_CLIENT (1u << 1) /* clientAuth */
#define X509_EKU_ANY (1u << 2)    /* anyExtendedKeyUsage */
#define X509_EKU_SGC (1u << 3)    /* Netscape/Microsoft SGC (OpenSSL: ok) */
#define X509_EKU_OTHER (1u << 4)

/* GeneralName types (the context tag number). */
enum x509_gn { X509_GN_OTHER = 0, X509_GN_EMAIL = 1, X509_GN_DNS = 2,
	X509_GN_DIRNAME = 4, X509_GN_URI = 6, X509_GN_IP = 7 };

struct x509_name_ent {
	int type;      /* enum x509_gn, or another tag number */
	struct asn1 v; /* contents (IP: 4/16 bytes; in NC 8/32 with mask) */
};

#define X509_CRIT_KEPT 4

struct x509_cert {
	struct asn1 der;     /* the whole certificate */
	struct asn1 tbs;     /* signed part (with header) */
	struct asn1 issuer;  /* Name, with header */
	struct asn1 subject; /* Name, with header */
	struct asn1 spki;    /* SubjectPublicKeyInfo, with header */
	struct asn1 sig_oid; /* outer signature algorithm */
	int version;         /* 1, 2 or 3 */
	time_t not_before, not_after;

	enum x509_key key;
	int key_bits;        /* RSA/DSA modulus, EC field size; 0 unknown */
	const char *curve;   /* "P-256" ... or NULL (static) */

	int has_bc, ca, pathlen; /* pathlen -1: none */
	int has_ku;
	unsigned ku;
	int has_eku;
	unsigned eku;
	int has_san;
	struct x509_name_ent *san;
	size_t nsan;
	int has_nc;
	struct x509_name_ent *permitted, *excluded;
	size_t npermitted, nexcluded;
	struct asn1 ca_issuers; /* first AIA caIssuers URI, or empty */

	/* Critical extensions no client handles (dotted OIDs, first few). */
	size_t ncritical;
	char critical[X509_CRIT_KEPT][40];

	/* Set when the bytes break X.509/DER: what, in plain words (static).
	 * Fields parsed before the fault stay filled in. */
	const char *malformed;
	/* A rule of RFC 5280 broken that OpenSSL tolerates but stricter
	 * clients (wolfSSL) refuse; NULL when none. Static. */
	const char *lax;
};

/* Parse der into *c. Returns 0 when well-formed, -1 when c->malformed
 * says why. Either way call x509_cert_free(). */
int x509_parse(struct x509_cert *c, const uint8_t *der, size_t len);
void x509_cert_free(struct x509_cert *c);

/* The issuer name equals the subject name (byte for byte). */
int x509_self_issued(const struct x509_cert *c);
/* Two Names are the same (byte for byte, as clients compare in practice). */
int x509_name_eq(const struct asn1 *a, const struct asn1 *b);
/* "CN=a, O=b" (most specific first), raw bytes (not sanitized); the
 * caller sanitizes and frees. */
char *x509_name_text(const struct asn1 *name);
/* The last CN's contents of a Name, or an empty span. */
struct asn1 x509_name_cn(const struct asn1 *name);
/* Calls fn for each emailAddress attribute of a Name (PKCS #9), which
 * email name constraints also govern (RFC 5280 4.2.1.10). */
void x509_name_emails(const struct asn1 *name, void (*fn)(void *,
    const struct asn1 *), void *arg);
/* "RSA", "DSA", "EC", "Ed25519", "Ed448", "unknown" (static). */
const char *x509_key_str(enum x509_key k);

#endif
