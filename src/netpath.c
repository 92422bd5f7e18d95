/* netpath.c: open a connection to the server, ready for a ClientHello. */
#include "netpath.h"
#include "netpath/starttls.h"

int
netpath_open(struct net_ctx *ctx, const struct net_addr *a, int64_t deadline)
{
	/* Direct TCP. A proxy tunnel and a STARTTLS exchange are steps on
	 * this fd, in that order, before it is handed back. */
	int fd = net_connect(ctx, a, deadline);

	if (fd >= 0 && ctx->starttls != NULL)
		fd = starttls_open(ctx, fd, deadline);
	return fd;
}
