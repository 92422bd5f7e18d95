/* netpath.c: open a connection to the server, ready for a ClientHello. */
#include "netpath.h"
#include "netpath/proxy.h"
#include "netpath/starttls.h"

/* TCP to the server, or to the proxy and through its tunnel. */
static int
netpath_tcp(struct net_ctx *ctx, const struct net_addr *a, int64_t deadline)
{
	const struct proxy *p = ctx->proxy;
	int fd, rc;

	if (p == NULL)
		return net_connect(ctx, a, deadline);
	/* A proxy that cannot be reached is not the server's fault:
	 * NET_ERR_PROXY, whatever the cause. */
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
	return fd;
}

/* The way in order: TCP, the proxy tunnel, then the STARTTLS exchange. */
static int
netpath_once(struct net_ctx *ctx, const struct net_addr *a, int64_t deadline)
{
	int fd = netpath_tcp(ctx, a, deadline);

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
