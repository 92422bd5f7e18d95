/* lab_priv.h: shared between the lab's files (lab.c, lab_pki.c,
 * lab_tls10.c, lab_batch.c); not a public contract. */
#ifndef TLSMEDIC_LAB_PRIV_H
#define TLSMEDIC_LAB_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LAB_MAX_CHAIN 4

/* What one server presents: the chain as sent (leaf first, DER and PEM)
 * and the leaf's private key (DER). */
struct lab_cred {
	unsigned char *der[LAB_MAX_CHAIN];
	size_t der_len[LAB_MAX_CHAIN];
	size_t n;
	char *pem;        /* the same chain as PEM, for wolfSSL */
	unsigned char *key;
	size_t key_len;
	int rsa;          /* key is RSA (else ECC P-256) */
};

/* Which credential set: one per scenario, plus the extra ones. */
enum lab_cred_id {
	LAB_CRED_HEALTHY,
	LAB_CRED_EXPIRED,
	LAB_CRED_NOT_YET_VALID,
	LAB_CRED_WRONG_HOST,
	LAB_CRED_SELF_SIGNED,
	LAB_CRED_UNTRUSTED_ROOT,
	LAB_CRED_MISSING_INTERMEDIATE,
	LAB_CRED_OLD_PROTOCOLS,
	LAB_CRED_DHE_ONLY,
	LAB_CRED_SNI_REQUIRED,
	LAB_CRED_SNI_DEFAULT,      /* the right one, sent with SNI */
	LAB_CRED_SNI_DEFAULT_OTHER, /* the hosting default, sent without */
	LAB_CRED_INTERCEPTION,
	LAB_CRED_CLIENT_CERT,
	LAB_CRED_COUNT
};

struct lab_pki {
	struct lab_cred cred[LAB_CRED_COUNT];
	char *anchors_pem; /* lab root + the "installed" inspection root */
	char *root_pem;    /* the lab root alone (client-cert CA) */
};

/* Make every key and certificate, valid around now. Returns 0, or -1 with
 * *cause (caller frees). */
int lab_pki_make(struct lab_pki *p, time_t now, char **cause);
void lab_pki_free(struct lab_pki *p);

/* Where the lab's certificates say they are. */
#define LAB_DOMAIN "lab.test"
#define LAB_INTERCEPT_CN "Avast Web/Mail Shield Root"
#define LAB_WRONG_HOST "www.another-site.lab.test"
#define LAB_DEFAULT_HOST "default.hosting.lab.test"

/* What a ClientHello asks for (only what the lab needs to route it). */
struct lab_hello {
	uint16_t max_version;    /* highest version offered (wire value) */
	const unsigned char *suites; /* 2 bytes each, into the record */
	size_t nsuites;
	int secure_reneg;        /* offered RFC 5746 (SCSV or extension) */
};
/* Parse one TLS record holding a ClientHello. Returns 0 or -1. */
int lab_hello_parse(const unsigned char *rec, size_t len,
    struct lab_hello *h);
/* The answer of a TLS 1.0 server with static RSA: ServerHello, Certificate,
 * ServerHelloDone, or a handshake_failure alert when no suite is common.
 * Returns the bytes (caller frees) and their length in *len. */
unsigned char *lab_tls10_answer(const struct lab_hello *h,
    const struct lab_cred *c, size_t *len);

#endif
