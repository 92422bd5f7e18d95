/* httpget.h: a tiny, bounded HTTP/1.x GET client for OCSP, CRL and AIA
 * fetches (plain http:// URLs only). Bounded in time (deadline) and size
 * (max_body). */
#ifndef TLSMEDIC_HTTPGET_H
#define TLSMEDIC_HTTPGET_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

/* GET url (or POST when body != NULL with content_type). On success
 * returns 0 and *out / *out_len hold the body (caller frees). Returns a
 * negative net_err, or -100 for a bad URL / non-200 / oversize body. */
int http_fetch(struct net_ctx *ctx, const char *url, const void *body,
    size_t body_len, const char *content_type, size_t max_body,
    int64_t deadline, unsigned char **out, size_t *out_len);

#endif
