/* paths.h: the way to the server for one diagnosis -- direct or through
 * a proxy (netpath/proxy.h) -- and what comparing the two tells: the
 * proxy refuses or wants credentials, direct connections are blocked while
 * the proxy works, or the proxy shows its own certificate (interception).
 * diag.c calls these; the judgements are made here from both paths. */
#ifndef TLSMEDIC_PATHS_H
#define TLSMEDIC_PATHS_H

#include <pthread.h>

#include "diag.h"
#include "model.h"
#include "net.h"
#include "netpath/proxy.h"
#include "tlsconn.h"

struct paths {
	int active;          /* a proxy is in use */
	struct proxy proxy;
	/* A direct handshake beside the proxied diagnosis. */
	struct net_ctx direct_net;
	pthread_t thread;
	int started;
	char *direct_host;   /* what to resolve (host or --resolve address) */
	const char *sni;
	int port, timeout_ms;
	int direct_dns_err;  /* <0: the name could not be looked up here */
	char *direct_dns_cause;
	struct tls_result direct;
};

/* Choose the proxy (o->proxy, else the environment), check that it
 * tunnels to the server, and set it on net. Returns 0 direct, 1 through
 * the proxy, or -1 when the proxy path failed (findings or a reason are
 * in r; r->error set). */
int paths_setup(struct paths *ps, const struct diag_opts *o,
    struct net_ctx *net, struct report *r);
/* With a proxy: start the direct handshake (own thread, and a net_ctx
 * like the diagnosis' one without the proxy). */
void paths_direct_start(struct paths *ps, const struct net_ctx *like,
    const struct diag_opts *o, const char *sni);
void paths_cancel(struct paths *ps);
/* Join the direct try and judge: proxy required, interception. main is
 * the browser-like handshake through the proxy. */
void paths_judge(struct paths *ps, struct report *r,
    const struct tls_result *main);
void paths_free(struct paths *ps);
/* A direct diagnosis could not reach the server (r has the findings):
 * when the environment names a proxy that no_proxy left out, try one
 * tunnel through it; if the server answers there, the network requires
 * the proxy (net.proxy_required) and the direct failure is the network's. */
void paths_direct_failed(const struct diag_opts *o, struct report *r);

#endif
