/* proxy.h: reaching the server through a proxy, as curl does.
 *
 * Which proxy: --proxy URL, else the environment as curl reads it
 * (https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY; http_proxy in lower case
 * only, for http:// fetches), unless no_proxy / NO_PROXY (or --noproxy)
 * matches the host. Kinds: http:// (CONNECT, Basic credentials from the
 * URL), socks5:// (we resolve the name) and socks5h:// (the proxy does).
 *
 * A proxy's replies are network bytes: every read is bounded in size and
 * by the deadline, and what we quote from them is sanitized. */
#ifndef TLSMEDIC_NETPATH_PROXY_H
#define TLSMEDIC_NETPATH_PROXY_H

#include <stdint.h>

#include "net.h"

enum proxy_kind { PROXY_HTTP, PROXY_SOCKS5, PROXY_SOCKS5H };

struct proxy {
	enum proxy_kind kind;
	char *host;       /* the proxy's name or address, no brackets */
	int port;         /* 1080 when the URL gives none (curl) */
	char *user, *pass; /* percent-decoded; NULL when the URL has none */
	char *display;    /* "http://proxy:3128", no credentials (sanitized) */
	const char *source; /* "--proxy", "https_proxy", ... (static) */
	/* Filled by proxy_prepare(): the proxy's address. */
	struct net_addr addr;
};

/* Parse a proxy URL; a missing scheme means http:// (curl). Returns 0, or
 * -1 with *cause (plain words, caller frees). */
int proxy_parse(const char *url, struct proxy *p, char **cause);
void proxy_clear(struct proxy *p);

/* Does a no_proxy list (comma or space separated; "*" for all) exclude
 * host? Names match themselves and their subdomains, a leading dot is
 * ignored; addresses match exactly. */
int proxy_no_proxy_match(const char *list, const char *host);

/* The proxy URL for a connection to host by scheme ("https" or "http"):
 * cli_proxy ("" = none), else the environment; noproxy (--noproxy, may be
 * NULL) replaces no_proxy. Returns a static/env string or NULL for direct;
 * *source names where it came from. */
const char *proxy_pick(const char *cli_proxy, const char *noproxy,
    const char *scheme, const char *host, const char **source);

/* Why a tunnel failed, from the proxy's own answer. */
enum proxy_fail_kind {
	PROXY_FAIL_NONE,
	PROXY_FAIL_CONNECT,   /* the proxy itself cannot be reached */
	PROXY_FAIL_AUTH,      /* 407 / SOCKS auth: credentials wanted/refused */
	PROXY_FAIL_AUTH_UNSUPPORTED, /* only NTLM/Negotiate/... offered */
	PROXY_FAIL_DENIED,    /* 403, SOCKS "not allowed by ruleset" */
	PROXY_FAIL_TARGET,    /* the proxy could not reach the server */
	PROXY_FAIL_PROTOCOL,  /* not a proxy answer we understand */
};
struct proxy_fail {
	enum proxy_fail_kind kind;
	int status;        /* HTTP status or SOCKS reply code, 0 none */
	int net_err;       /* the net_err the tunnel returned */
	char text[240];    /* plain words with the proxy's reply (sanitized) */
};

/* Open a tunnel on fd (connected to the proxy) to host:port. host is the
 * server's name (CONNECT, socks5h) or address text (socks5). Returns 0, or
 * a negative net_err: NET_ERR_PROXY when the proxy said no (detail in
 * *fail, may be NULL), the target's error when the proxy names it
 * (refused, unreachable), or the wait's error. */
int proxy_tunnel(struct net_ctx *ctx, int fd, const struct proxy *p,
    const char *host, int port, int64_t deadline, struct proxy_fail *fail);

/* Connect to the proxy and open a tunnel to host:port, then close it:
 * does this path work, and if not, why (*fail). Returns as proxy_tunnel;
 * a proxy that cannot be reached is NET_ERR_PROXY (PROXY_FAIL_CONNECT). */
int proxy_check(struct net_ctx *ctx, const struct proxy *p, const char *host,
    int port, int64_t deadline, struct proxy_fail *fail);

/* Appends "Proxy-Authorization: Basic ...\r\n" (p->user must be set). */
struct strbuf;
void proxy_auth_header(const struct proxy *p, struct strbuf *b);

/* Pure parsers, on their own for unit tests and fuzzing. */
/* An HTTP CONNECT reply head (status line and headers, without the blank
 * line). Returns the status (>0), or -1 when it is not HTTP. */
int proxy_http_reply(const char *head, struct proxy_fail *fail,
    int have_credentials);

#endif
