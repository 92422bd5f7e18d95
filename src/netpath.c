/* netpath.c: open a connection to the server, ready for a ClientHello. */
#include "netpath.h"

int
netpath_open(struct net_ctx *ctx, const struct net_addr *a, int64_t deadline)
{
	/* Direct TCP. A proxy tunnel and a STARTTLS exchange are steps on
	 * this fd, in that order, before it is handed back. */
	return net_connect(ctx, a, deadline);
}
