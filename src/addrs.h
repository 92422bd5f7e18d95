/* addrs.h: every address of a name. A round-robin name (several A
 * records, IPv4 and IPv6) is "works for me, fails for my colleague" when
 * its servers differ. The full diagnosis runs on one address; every other
 * gets a cheap comparison (one browser-like handshake for the chain and
 * the version probes) and a full diagnosis only where it differs. The
 * findings name the addresses they hold for. */
#ifndef TLSMEDIC_ADDRS_H
#define TLSMEDIC_ADDRS_H

#include "diag.h"
#include "model.h"
#include "net.h"
#include "tlsconn.h"
#include "trust.h"

#define ADDRS_MAX 8 /* addresses of one name tested */

struct addrs;

/* Resolve host, or the --resolve list (comma-separated literals, as curl
 * takes them) when list is not NULL. As net_resolve. */
int addrs_resolve(const char *host, const char *list, int port,
    struct net_addr *out, size_t max, int64_t deadline, char **cause);

/* Start on every address at once: a TCP connect each, then the cheap
 * comparison on all but the one chosen for the full diagnosis (the first
 * in resolver order that answers). like: the diagnosis' own context (the
 * way to the server, e.g. a STARTTLS step). Returns NULL for fewer than 2. */
struct addrs *addrs_start(const struct net_ctx *like, const struct net_addr *a,
    size_t n, const char *sni, int timeout_ms);
/* Which address the full diagnosis takes (index), waiting for the
 * connects as long as needed to decide; bounded by the timeout. */
size_t addrs_choose(struct addrs *as);
void addrs_cancel(struct addrs *as);
/* As soon as the chosen address' browser-like handshake (main) and version
 * probes are in: compare, and start the full diagnosis of each address
 * that differs (o and trust as for the main run), so it overlaps the rest
 * of the first one. addrs_judge() does it if nobody did. */
void addrs_compare(struct addrs *as, const struct tls_result *main,
    const enum tri protocols[PROTO_COUNT], const struct diag_opts *o,
    const struct trust *trust);
/* After the full diagnosis on the chosen address (r, main its browser-like
 * handshake): wait for the full runs, add findings and address lines to
 * r. */
int addrs_judge(struct addrs *as, struct report *r,
    const struct tls_result *main, const struct diag_opts *o,
    const struct trust *trust);
/* Returns the connections it used (for r->handshakes). */
void addrs_free(struct addrs *as);

#endif
