/* chain.h: the certificate chain -- parse what the server sent, then
 * analyse it offline so that *all* its problems are reported together
 * (wolfSSL's verify callback reports one error per certificate).
 *
 * Raises: cert.hostname, cert.expired, cert.not_yet_valid,
 * cert.self_signed, cert.untrusted_root, cert.chain.incomplete,
 * cert.chain.order, cert.weak_signature, cert.weak_key,
 * cert.path_confusion, mitm.interception, and from the policy layer
 * (x509/policy.h) cert.purpose, cert.chain.invalid_issuer,
 * cert.malformed, cert.critical_extension; cert.second_opinion when
 * wolfSSL's verifier disagrees with our own rules (x509/second.h).
 *
 * Layers: x509/cert.c parses, x509/path.c builds the path, x509/policy.c
 * judges each certificate of it; this file judges dates, names and trust
 * and words every finding. */
#ifndef TLSMEDIC_CHAIN_H
#define TLSMEDIC_CHAIN_H

#include <stddef.h>
#include <time.h>

#include "model.h"
#include "net.h"
#include "trust.h"
#include "x509/info.h"

/* cert_info_parse() and chain_from_der() are in x509/info.h. */

struct chain_opts {
	const struct trust *trust;
	const char *hostname; /* the name asked for (SNI or host) */
	time_t now;
	struct net_ctx *ctx;  /* for the bounded AIA caIssuers fetch, or NULL */
	int timeout_ms;
};

/* Analyse ch and add findings to r. */
void chain_analyze(const struct chain *ch, const struct chain_opts *o,
    struct report *r);

#endif
