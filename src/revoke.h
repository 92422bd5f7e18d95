/* revoke.h: revocation -- stapled OCSP, the OCSP responder, the CRL.
 * Every fetch goes through our own bounded HTTP client (httpget.h): wolfSSL's
 * own fetch bounds only the TCP connect and can hang forever. */
#ifndef TLSMEDIC_REVOKE_H
#define TLSMEDIC_REVOKE_H

#include <stddef.h>

#include "model.h"
#include "net.h"
#include "trust.h"

enum revoke_status { REVOKE_UNKNOWN, REVOKE_GOOD, REVOKE_REVOKED };

struct revoke_opts {
	const struct trust *trust;
	struct net_ctx *ctx;
	int timeout_ms;
	/* The OCSP response the server stapled to the leaf, or NULL. */
	const unsigned char *staple;
	size_t staple_len;
};

/* Check the leaf (and intermediates where possible) of ch; adds
 * cert.revoked to r when a source says revoked, with the source named in
 * the evidence. Returns the leaf's status. */
enum revoke_status revoke_check(const struct chain *ch,
    const struct revoke_opts *o, struct report *r);
/* The same; *why (may be NULL) gets plain words on what could not be
 * checked and why (a responder down, no issuer...), sanitized, or NULL
 * when every source answered. The caller frees *why. An unreachable or
 * unknowing source is never a finding. */
enum revoke_status revoke_check_ex(const struct chain *ch,
    const struct revoke_opts *o, struct report *r, char **why);

#endif
