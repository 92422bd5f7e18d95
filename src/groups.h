/* groups.h: the key-exchange groups the server takes, and the size of its
 * DHE prime -- the facts the client table (clients.h) needs beyond the
 * version and suite scan. One small raw hello per group (hello.h), all at
 * once, only for what the scan found the server speaks:
 *   TLS 1.3: supported_groups = {G} and no key share (but for x25519): a
 *     ServerHello or HelloRetryRequest means G is taken;
 *   TLS <= 1.2: only ECDHE suites, supported_groups = {G};
 *   DHE: one hello with the DHE suites the server took, read on to the
 *     ServerKeyExchange. */
#ifndef TLSMEDIC_GROUPS_H
#define TLSMEDIC_GROUPS_H

#include "model.h"
#include "net.h"

/* Reads r->protocols and r->ciphers; fills r->groups_tls13,
 * r->groups_ecdhe and r->dh_bits. sni may be NULL. Each connection gets
 * timeout_ms. Connections used: at most GROUPS_MAX_PROBES. */
#define GROUPS_MAX_PROBES 14
void groups_probe(struct net_ctx *ctx, const struct net_addr *addr,
    const char *sni, int timeout_ms, struct report *r);

/* "x25519", "P-256", "ffdhe2048" ...; "0x1234" style (buf holds 8 bytes)
 * for others. */
const char *group_name(uint16_t code, char buf[8]);

#endif
