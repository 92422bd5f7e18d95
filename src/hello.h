/* hello.h: a hand-built ClientHello on a raw socket, and a parser for what
 * comes back (ServerHello, HelloRetryRequest, alert, or something that is
 * not TLS). Debian's wolfSSL has no SSL 3.0 / TLS 1.0, so version and suite
 * scans use this; it stops reading as soon as it has what it was asked for.
 *
 * hello_build() and hello_parse() are pure (no I/O) so they can be unit
 * tested and fuzzed; hello_probe() does the I/O through net.h. */
#ifndef TLSMEDIC_HELLO_H
#define TLSMEDIC_HELLO_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

#define HELLO_MAX_CERTS 16        /* certificates kept from one chain */
#define HELLO_MAX_READ (512 * 1024) /* bytes read from one server at most */
/* Suites in one hello at most: wolfSSL servers reject a list of more than
 * 150 (300 bytes), and we add the renegotiation SCSV for SSL 3.0. */
#define HELLO_MAX_SUITES 148

/* What the hello offers besides version and suites. FULL is what OpenSSL 3
 * and curl offer (FFDHE groups last); the others are retries that tell a
 * refusal of our particular offer from a refusal of the version. */
enum hello_offer {
	HELLO_OFFER_FULL,     /* x25519, P-256/384/521, x448, then FFDHE */
	HELLO_OFFER_NO_FFDHE, /* the same without FFDHE groups */
	HELLO_OFFER_BROWSER,  /* x25519, P-256, P-384; browsers' short
				 signature list; no status_request */
	HELLO_OFFER_COUNT
};
const char *hello_offer_str(enum hello_offer o); /* plain words */

struct hello_req {
	uint16_t version;       /* 0x0300..0x0303 legacy; 0x0304: TLS 1.3 only */
	const uint16_t *suites; /* offered, in this order */
	size_t nsuites;
	const char *sni;        /* NULL: no server_name extension */
	int want_certs;         /* TLS <= 1.2: read on to the Certificate
				   message (and a CertificateRequest) */
	int want_kx;            /* TLS <= 1.2: with a DHE suite, read on to
				   the ServerKeyExchange (its group size) */
	enum hello_offer offer;
	int old_curves;         /* also offer P-192, P-224 and brainpool: only
				   to fetch a chain whose key is on one */
};

enum hello_kind {
	HELLO_SERVER_HELLO,  /* version and suite are set */
	HELLO_RETRY_REQUEST, /* TLS 1.3 HRR: version and suite are set */
	HELLO_ALERT,         /* alert_level / alert_desc are set */
	HELLO_NOT_TLS,       /* peer spoke something else: see not_tls */
	HELLO_MALFORMED,     /* TLS-looking but broken */
	HELLO_CLOSED,        /* FIN before an answer */
	HELLO_RESET,
	HELLO_TIMEOUT,
	HELLO_REFUSED,
	HELLO_CANCELLED,
	HELLO_ERROR,         /* other socket error */
};

struct hello_resp {
	enum hello_kind kind;
	uint16_t version;   /* negotiated (supported_versions for TLS 1.3) */
	uint16_t suite;
	int alert_level, alert_desc;
	int cert_request;   /* CertificateRequest seen (TLS <= 1.2) */
	int sni_acked;      /* server echoed an empty server_name */
	unsigned char *certs[HELLO_MAX_CERTS]; /* DER as sent (TLS <= 1.2) */
	size_t cert_lens[HELLO_MAX_CERTS];
	size_t ncerts;
	size_t ncerts_sent; /* how many the server sent (may exceed kept) */
	int certs_too_long; /* Certificate message beyond HELLO_MAX_READ:
			       not read (our limit, not the server's fault) */
	int dh_bits;        /* DHE: size of the server's prime p, 0 unseen */
	uint16_t kx_group;  /* ECDHE: the named group of the key exchange */
	unsigned char *staple; /* stapled OCSP response (TLS <= 1.2), or NULL */
	size_t staple_len;
	char not_tls[128];  /* "HTTP", "SSH", "SMTP" ... + sanitized first bytes */
	int net_err;        /* net.h error behind CLOSED..ERROR, else 0 */
};
/* Frees the certificates and zeroes r. hello_parse() and hello_probe()
 * overwrite resp without freeing: clear it before reusing it. */
void hello_resp_clear(struct hello_resp *r);

/* Writes the ClientHello record(s) into buf; returns the length, or 0 if
 * cap is too small or the request is unusable (no suites, more than
 * HELLO_MAX_SUITES, version outside 0x0300..0x0304). */
size_t hello_build(const struct hello_req *req, unsigned char *buf,
    size_t cap);
/* Parses the bytes received so far. Returns 1 when resp is complete, 0 when
 * more bytes are needed, never reads past len. With 0, resp->kind is
 * HELLO_SERVER_HELLO when the ServerHello is in (certificates still to
 * come), else HELLO_CLOSED; a warning alert seen so far is in alert_*. */
int hello_parse(const struct hello_req *req, const unsigned char *buf,
    size_t len, struct hello_resp *resp);

/* Connect, send, read and parse by the deadline. Returns 0 (resp filled,
 * even for failures like HELLO_REFUSED). */
int hello_probe(struct net_ctx *ctx, const struct net_addr *addr,
    const struct hello_req *req, int64_t deadline, struct hello_resp *resp);

/* As hello_build() and hello_probe(), offering only these supported_groups
 * (groups.h). TLS 1.3 then sends an X25519 key share only when x25519 is
 * among them, else none: a server that takes one of them answers with a
 * HelloRetryRequest. */
size_t hello_build_groups(const struct hello_req *req, const uint16_t *groups,
    size_t ngroups, unsigned char *buf, size_t cap);
int hello_probe_groups(struct net_ctx *ctx, const struct net_addr *addr,
    const struct hello_req *req, const uint16_t *groups, size_t ngroups,
    int64_t deadline, struct hello_resp *resp);

#endif
