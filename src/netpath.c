/* netpath.c: open a connection to the server, ready for a ClientHello. */
#include "netpath.h"
#include "netpath/proxy.h"

int
netpath_open(struct net_ctx *ctx, const struct net_addr *a, int64_t deadline)
{
	const struct proxy *p = ctx->proxy;
	int fd, rc;

	if (p == NULL)
		return net_connect(ctx, a, deadline);
	/* TCP to the proxy, then its tunnel. A proxy that cannot be reached
	 * is not the server's fault: NET_ERR_PROXY, whatever the cause. */
	fd = net_connect(ctx, &p->addr, deadline);
	if (fd < 0)
		return fd == NET_ERR_CANCELLED ? fd : NET_ERR_PROXY;
	/* socks5:// resolves here (a is the server's address); CONNECT and
	 * socks5h:// hand the name to the proxy. */
	rc = proxy_tunnel(ctx, fd, p, p->kind == PROXY_SOCKS5 ? a->text :
	    ctx->tunnel_host, ctx->tunnel_port, deadline, NULL);
	if (rc < 0) {
		net_close(ctx, fd);
		return rc;
	}
	/* A STARTTLS exchange, when there is one, goes here. */
	return fd;
}
