/* netpath.c: open a connection to the server, ready for a ClientHello. */
#include "netpath.h"
#include "netpath/starttls.h"

static int
netpath_once(struct net_ctx *ctx, const struct net_addr *a, int64_t deadline)
{
	/* Direct TCP. A proxy tunnel and a STARTTLS exchange are steps on
	 * this fd, in that order, before it is handed back. */
	int fd = net_connect(ctx, a, deadline);

	if (fd >= 0 && ctx->starttls != NULL)
		fd = starttls_open(ctx, fd, deadline);
	return fd;
}

int
netpath_open(struct net_ctx *ctx, const struct net_addr *a, int64_t deadline)
{
	int fd;

	/* A busy mail server ("421 too many connections") is asked again a
	 * little later, by the deadline: scans open many connections. */
	for (int i = 0; (fd = netpath_once(ctx, a, deadline)) ==
	    STARTTLS_BUSY; i++)
		if (starttls_backoff(ctx, i, deadline) != 0)
			return NET_ERR_TIMEOUT;
	return fd;
}
