/* net.h: sockets at the edge. Every call takes an absolute deadline
 * (now_ms() based) and returns by it; nothing here blocks without bound.
 * A struct net_ctx is shared by all probes of one diagnosis: it counts
 * connections, bounds how many are open at once, and carries the cancel
 * flag that makes every wait return early. */
#ifndef TLSMEDIC_NET_H
#define TLSMEDIC_NET_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct clock_log;

#define NET_MAX_PARALLEL 8 /* connections open to one server at once */

enum net_err {
	NET_ERR_REFUSED = -1,
	NET_ERR_TIMEOUT = -2,
	NET_ERR_RESET = -3,
	NET_ERR_CANCELLED = -4,
	NET_ERR_OTHER = -5,
	NET_ERR_DNS = -6,
	NET_ERR_UNREACH = -7,
	NET_ERR_PROXY = -8, /* the proxy said no (netpath/proxy.h) */
};
const char *net_strerror(int err); /* plain words */

struct net_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	char text[64]; /* "127.0.0.1" or "::1" */
};

struct starttls_state;

struct net_ctx {
	atomic_int cancelled;
	atomic_int connections; /* TCP connects attempted */
	atomic_llong bytes_in;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int open; /* connections open now, <= NET_MAX_PARALLEL */
	/* STARTTLS before every ClientHello (netpath/starttls.h), or NULL */
	struct starttls_state *starttls;
	struct clock_log *clock_log; /* HTTP Date: headers go here, or NULL */
	/* The way to the server (netpath.h), set before the probes start:
	 * a proxy (netpath/proxy.h) or NULL for direct, and the server's
	 * name and port as the proxy is asked for them. */
	const struct proxy *proxy;
	const char *tunnel_host;
	int tunnel_port;
};
void net_ctx_init(struct net_ctx *ctx);
/* A context for other connections of the same diagnosis (another address
 * of the name, a direct try beside a proxy): the same way to the server
 * (every field netpath.c reads), its own counters and cancel flag. */
void net_ctx_init_like(struct net_ctx *ctx, const struct net_ctx *like);
void net_ctx_destroy(struct net_ctx *ctx);
void net_cancel(struct net_ctx *ctx);

/* Resolve a host name or address literal (numeric port). Returns the number
 * of addresses (>0), or a negative net_err; *cause (may be NULL) gets plain
 * words the caller frees. getaddrinfo itself cannot be bounded, so the
 * lookup runs in a helper thread and we stop waiting at the deadline. */
int net_resolve(const char *host, int port, struct net_addr *out,
    size_t max, int64_t deadline, char **cause);

/* Non-blocking connect by the deadline, waiting for a parallel slot first.
 * Returns a fd (O_NONBLOCK set) or a negative net_err. Close with
 * net_close(), which frees the slot. */
int net_connect(struct net_ctx *ctx, const struct net_addr *a,
    int64_t deadline);
void net_close(struct net_ctx *ctx, int fd);

/* Write all of buf by the deadline. Returns 0 or a negative net_err. */
int net_send_all(struct net_ctx *ctx, int fd, const void *buf, size_t n,
    int64_t deadline);
/* Read what is there (at most n) by the deadline: >0 bytes, 0 orderly close
 * (FIN), or a negative net_err (RST is NET_ERR_RESET). */
ssize_t net_recv_some(struct net_ctx *ctx, int fd, void *buf, size_t n,
    int64_t deadline);
/* Wait until fd is readable (events POLLIN) or writable (POLLOUT).
 * Returns 1 ready, or a negative net_err. */
int net_wait(struct net_ctx *ctx, int fd, short events, int64_t deadline);

#endif
