/* httpget.h: a tiny, bounded HTTP/1.x GET client for OCSP, CRL and AIA
 * fetches (plain http:// URLs only). Bounded in time (deadline) and size
 * (max_body). */
#ifndef TLSMEDIC_HTTPGET_H
#define TLSMEDIC_HTTPGET_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

/* Not a network error: a bad or unsupported URL, a status other than 200,
 * a malformed or cut-off response, or a body larger than max_body. */
#define HTTP_ERR (-100)

/* GET url (or POST when body != NULL with content_type). On success
 * returns 0 and *out / *out_len hold the body (caller frees). Returns a
 * negative net_err, or -100 for a bad URL / non-200 / oversize body. */
int http_fetch(struct net_ctx *ctx, const char *url, const void *body,
    size_t body_len, const char *content_type, size_t max_body,
    int64_t deadline, unsigned char **out, size_t *out_len);

/* Read one response (status line, headers, body) from fd, whose request
 * was already sent, by the same rules and bounds as http_fetch. It is
 * http_fetch's parser on its own so that it can be fuzzed over a
 * socketpair; fd stays open. */
int http_read_response(struct net_ctx *ctx, int fd, size_t max_body,
    int64_t deadline, unsigned char **out, size_t *out_len);

/* Split "http://host[:port][/path]" (host may be "[v6]"). Returns 0 with
 * *host (brackets removed), *port (80 by default) and *path ("/..."), all
 * the caller's to free, or HTTP_ERR for anything else (https too). */
int http_parse_url(const char *url, char **host, int *port, char **path);

#endif
