/* netpath.h: how a connection to the server under test is opened.
 *
 * Every probe of the server (raw ClientHellos, wolfSSL handshakes) calls
 * netpath_open() rather than net_connect(): it returns a TCP connection on
 * which the next bytes sent are the TLS ClientHello, whatever has to happen
 * first on the way (a proxy tunnel, a STARTTLS exchange). What lies on the
 * way is set once per diagnosis in the net_ctx, so no probe knows of it. */
#ifndef TLSMEDIC_NETPATH_H
#define TLSMEDIC_NETPATH_H

#include <stdint.h>

#include "net.h"

/* Returns a fd (O_NONBLOCK, close with net_close()) or a negative net_err,
 * by the deadline. */
int netpath_open(struct net_ctx *ctx, const struct net_addr *a,
    int64_t deadline);

#endif
