/* tlsconn.h: one real handshake with wolfSSL over our own socket I/O
 * (read/write callbacks on a non-blocking fd, so deadlines, cancel and byte
 * counting stay ours). Verification is off here on purpose: the chain is
 * collected and judged offline by chain.h, all problems at once. */
#ifndef TLSMEDIC_TLSCONN_H
#define TLSMEDIC_TLSCONN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model.h"
#include "net.h"

#define TLS_MAX_CERTS 16

struct tls_req {
	int version;           /* -1: TLS 1.2..1.3 as browsers; else PROTO_* */
	const char *sni;       /* NULL: no server_name */
	int staple;            /* ask for a stapled OCSP response */
	int http_probe;        /* then send HEAD / and read the Date: header */
	const char *http_host; /* Host: header for the probe */
	int ec_groups_only;    /* offer elliptic curves only, no FFDHE
				* groups (a server that refuses them) */
};

struct tls_result {
	int net_err;         /* <0: TCP connect failed (net_err) */
	int ok;              /* handshake completed */
	int wolf_err;        /* wolfSSL error code when !ok */
	char err_text[96];   /* wolfSSL's words for it */
	int alert_recv;      /* alert description received, -1 none */
	int alert_sent;
	int peer_reset;      /* RST seen */
	int peer_closed;     /* FIN seen before the handshake ended */
	uint16_t version;    /* negotiated, wire value */
	char suite[64];      /* negotiated suite, IANA name */
	unsigned char *certs[TLS_MAX_CERTS]; /* peer chain DER, as sent */
	size_t cert_lens[TLS_MAX_CERTS];
	size_t ncerts;
	int cert_request;    /* a CertificateRequest arrived */
	int cert_required;   /* TLS 1.3: alert 116 after the handshake */
	unsigned char *staple; /* stapled OCSP response, or NULL */
	size_t staple_len;
	int http_status;     /* 0: no HTTP answer */
	time_t http_date;    /* 0: none or unparsable */
	unsigned char first[64]; /* first bytes received (not_tls evidence) */
	size_t nfirst;
};
void tls_result_clear(struct tls_result *r);

/* Returns 0; the outcome is in *res. */
int tls_handshake(struct net_ctx *ctx, const struct net_addr *addr,
    const struct tls_req *req, int timeout_ms, struct tls_result *res);

/* Call once before any thread uses wolfSSL. */
void tls_global_init(void);

#endif
