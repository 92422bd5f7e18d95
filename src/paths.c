/* paths.c: see paths.h. */
#include <stdlib.h>
#include <string.h>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/ecc.h>

#include "chain.h"
#include "paths.h"
#include "sanitize.h"
#include "util.h"

/* The direct try only has to tell "works" from "blocked": a firewall that
 * drops packets should not hold the whole diagnosis for long. */
#define PATHS_DIRECT_MAX_MS 4000

static void
skip_all(struct report *r, const char *reason)
{
	for (int c = CHECK_CONNECT; c < CHECK_COUNT; c++)
		report_skip(r, c, reason);
}

/* The proxy tunnel failed: say why, and whose it is to fix. */
static void
proxy_judge_fail(const struct paths *ps, const struct proxy_fail *f,
    struct report *r)
{
	const struct proxy *p = &ps->proxy;
	struct finding *fd;
	char *ev = xasprintf("through %s (from %s): %s", p->display,
	    p->source, f->text);

	switch (f->kind) {
	case PROXY_FAIL_AUTH:
		fd = report_add(r, FINDING_NET_PROXY_AUTH, p->user != NULL ?
		    "The proxy refuses the user name and password given" :
		    "The proxy wants a user name and password", ev);
		/* Credentials given and refused: they are the user's. */
		if (p->user != NULL)
			fd->owner = OWNER_CLIENT;
		r->error = xstrdup("the proxy wants other credentials");
		break;
	case PROXY_FAIL_AUTH_UNSUPPORTED:
		/* Our limit, not anyone's fault (rule 3). */
		r->error = xasprintf("the proxy wants a Windows sign-in "
		    "(NTLM or Negotiate), which tlsmedic cannot do, so the "
		    "server was not tested: %s", f->text);
		skip_all(r, r->error);
		break;
	case PROXY_FAIL_TARGET:
		if (f->net_err == NET_ERR_REFUSED)
			report_add(r, FINDING_NET_REFUSED, "Nothing answers on "
			    "this port of the server", ev);
		else if (f->net_err == NET_ERR_DNS)
			report_add(r, FINDING_NET_DNS, "The name of the server "
			    "could not be found", ev);
		else
			report_add(r, FINDING_NET_TIMEOUT, "The server cannot "
			    "be reached through the proxy", ev);
		r->error = xasprintf("the proxy cannot reach the server (%s)",
		    net_strerror(f->net_err));
		break;
	case PROXY_FAIL_DENIED:
		report_add(r, FINDING_NET_PROXY_REFUSED, "The proxy does not "
		    "allow connections to this server", ev);
		r->error = xstrdup("the proxy refuses to connect");
		break;
	case PROXY_FAIL_CONNECT:
		report_add(r, FINDING_NET_PROXY_REFUSED, "The proxy cannot be "
		    "reached", ev);
		r->error = xstrdup("the proxy cannot be reached");
		break;
	default:
		if (f->net_err == NET_ERR_CANCELLED)
			break;
		report_add(r, FINDING_NET_PROXY_REFUSED, "The proxy does not "
		    "answer as a proxy should", ev);
		r->error = xstrdup("the proxy's answer is not understood");
		break;
	}
	free(ev);
}

int
paths_setup(struct paths *ps, const struct diag_opts *o, struct net_ctx *net,
    struct report *r)
{
	const char *source = NULL, *url;
	char *cause = NULL;
	struct proxy_fail fail;
	int rc;

	memset(ps, 0, sizeof *ps);
	url = proxy_pick(o->proxy, o->noproxy, "https", o->host, &source);
	if (url == NULL) {
		r->path.resolver = xstrdup(o->connect_addr ? "--resolve" :
		    "this computer");
		return 0;
	}
	if (proxy_parse(url, &ps->proxy, &cause) != 0) {
		char *ev = xasprintf("%s: %s", source, cause);
		struct finding *f = report_add(r, FINDING_NET_PROXY_REFUSED,
		    "The proxy setting is not a usable proxy address", ev);
		f->owner = OWNER_CLIENT;
		r->error = xasprintf("the proxy setting in %s is not usable",
		    source);
		free(ev);
		free(cause);
		return -1;
	}
	ps->proxy.source = source;
	ps->active = 1;
	r->path.proxy = xstrdup(ps->proxy.display);
	r->path.source = xstrdup(source);
	r->path.resolver = xstrdup(ps->proxy.kind == PROXY_SOCKS5 ?
	    (o->connect_addr ? "--resolve" : "this computer") : "the proxy");

	struct net_addr pa;
	int64_t deadline = now_ms() + o->timeout_ms;
	rc = net_resolve(ps->proxy.host, ps->proxy.port, &pa, 1, deadline,
	    &cause);
	if (rc <= 0) {
		char *ev = xasprintf("looking up the proxy \"%s\" (from %s): "
		    "%s", ps->proxy.host, source, cause ? cause :
		    net_strerror(rc));
		report_add(r, FINDING_NET_PROXY_REFUSED, "The proxy's name "
		    "cannot be looked up", ev);
		r->error = xstrdup("the proxy's name cannot be looked up");
		free(ev);
		free(cause);
		return -1;
	}
	ps->proxy.addr = pa;

	/* One tunnel first: when the proxy says no, every probe would hear
	 * the same, and its answer is the finding. */
	const char *th = o->host;
	struct net_addr ta;
	if (ps->proxy.kind == PROXY_SOCKS5) {
		rc = net_resolve(o->connect_addr ? o->connect_addr : o->host,
		    o->port, &ta, 1, deadline, &cause);
		if (rc <= 0) {
			char *ev = xasprintf("looking up \"%s\" (socks5:// "
			    "leaves that to this computer): %s", r->host,
			    cause ? cause : net_strerror(rc));
			report_add(r, FINDING_NET_DNS, "The name of the server "
			    "could not be found", ev);
			r->error = xstrdup("the name could not be looked up");
			free(ev);
			free(cause);
			return -1;
		}
		th = ta.text;
	}
	rc = proxy_check(net, &ps->proxy, th, o->port,
	    now_ms() + o->timeout_ms, &fail);
	if (rc < 0) {
		proxy_judge_fail(ps, &fail, r);
		return -1;
	}
	net->proxy = &ps->proxy;
	net->tunnel_host = o->host;
	net->tunnel_port = o->port;
	return 1;
}

static void *
direct_main(void *arg)
{
	struct paths *ps = arg;
	struct net_addr a;
	int64_t deadline = now_ms() + ps->timeout_ms;
	struct tls_req req = { .version = -1, .sni = ps->sni };
	int n = net_resolve(ps->direct_host, ps->port, &a, 1, deadline,
	    &ps->direct_dns_cause);

	if (n <= 0) {
		ps->direct_dns_err = n < 0 ? n : NET_ERR_DNS;
		return NULL;
	}
	tls_handshake(&ps->direct_net, &a, &req, ps->timeout_ms, &ps->direct);
	wc_ecc_fp_free();
	return NULL;
}

void
paths_direct_start(struct paths *ps, const struct net_ctx *like,
    const struct diag_opts *o, const char *sni)
{
	if (!ps->active)
		return;
	/* The same way to the server, less the proxy. */
	net_ctx_init_like(&ps->direct_net, like);
	ps->direct_net.proxy = NULL;
	ps->direct_host = xstrdup(o->connect_addr ? o->connect_addr : o->host);
	/* --resolve may list several: the first will do here. */
	ps->direct_host[strcspn(ps->direct_host, ",")] = '\0';
	ps->sni = sni;
	ps->port = o->port;
	ps->timeout_ms = o->timeout_ms < PATHS_DIRECT_MAX_MS ? o->timeout_ms :
	    PATHS_DIRECT_MAX_MS;
	ps->started = pthread_create(&ps->thread, NULL, direct_main, ps) == 0;
	if (!ps->started) {
		direct_main(ps);
		ps->started = -1; /* ran, nothing to join */
	}
}

void
paths_cancel(struct paths *ps)
{
	if (ps->started)
		net_cancel(&ps->direct_net);
}

static char *
issuer_of(const unsigned char *der, size_t len)
{
	struct cert_info ci = { 0 };
	char *s = NULL;

	if (cert_info_parse(der, len, &ci) == 0)
		s = xstrdup(ci.issuer);
	cert_info_clear(&ci);
	return s ? s : xstrdup("an unreadable certificate");
}

/* The proxy shows a certificate issued by someone else than the one the
 * server shows directly: it decrypts the traffic. The certificate
 * problems seen through it are then its doing (rule: the consequence
 * belongs to the cause). */
static void
judge_interception(struct paths *ps, struct report *r,
    const struct tls_result *main)
{
	const struct tls_result *d = &ps->direct;
	char *pi, *di, *ev;

	if (main->ncerts == 0 || d->ncerts == 0)
		return;
	if (main->cert_lens[0] == d->cert_lens[0] &&
	    memcmp(main->certs[0], d->certs[0], d->cert_lens[0]) == 0)
		return;
	pi = issuer_of(main->certs[0], main->cert_lens[0]);
	di = issuer_of(d->certs[0], d->cert_lens[0]);
	if (strcmp(pi, di) != 0) {
		ev = xasprintf("through %s the certificate is issued by %s; "
		    "connecting directly it is issued by %s", ps->proxy.display,
		    pi, di);
		struct finding *f = report_add(r, FINDING_MITM_INTERCEPTION,
		    "The proxy shows its own certificate instead of the "
		    "site's: it decrypts the connection", ev);
		f->owner = OWNER_NETWORK;
		free(ev);
		for (size_t i = 0; i < r->nfindings; i++)
			if (strncmp(finding_id_str(r->findings[i].id), "cert.",
			    5) == 0)
				r->findings[i].owner = OWNER_NETWORK;
	}
	free(pi);
	free(di);
}

void
paths_judge(struct paths *ps, struct report *r, const struct tls_result *main)
{
	const struct tls_result *d = &ps->direct;
	char *ev;

	if (!ps->active || !ps->started)
		return;
	if (ps->started > 0)
		pthread_join(ps->thread, NULL);
	ps->started = 0;
	if (ps->direct_dns_err < 0)
		r->path.direct = xasprintf("the name cannot be looked up here "
		    "(%s)", ps->direct_dns_cause ? ps->direct_dns_cause :
		    net_strerror(ps->direct_dns_err));
	else if (d->net_err < 0)
		r->path.direct = xasprintf("blocked (%s)",
		    net_strerror(d->net_err));
	else if (d->ok)
		r->path.direct = xstrdup("works");
	else
		r->path.direct = xasprintf("TLS fails (%s)", d->err_text);
	if (!main->ok)
		return;
	if (ps->direct_dns_err < 0 || (d->net_err < 0 &&
	    d->net_err != NET_ERR_CANCELLED)) {
		ev = xasprintf("through %s (from %s) the server answers; "
		    "directly: %s", ps->proxy.display, ps->proxy.source,
		    r->path.direct);
		report_add(r, FINDING_NET_PROXY_REQUIRED, "This network lets "
		    "you reach the server only through the proxy: set the "
		    "proxy in the app that fails", ev);
		free(ev);
		return;
	}
	if (d->ok)
		judge_interception(ps, r, main);
}

void
paths_free(struct paths *ps)
{
	if (ps->started > 0)
		pthread_join(ps->thread, NULL);
	if (ps->active && ps->direct_host != NULL)
		net_ctx_destroy(&ps->direct_net);
	tls_result_clear(&ps->direct);
	free(ps->direct_host);
	free(ps->direct_dns_cause);
	proxy_clear(&ps->proxy);
	memset(ps, 0, sizeof *ps);
}

void
paths_direct_failed(const struct diag_opts *o, struct report *r)
{
	const char *source = NULL, *url;
	struct proxy p;
	struct proxy_fail fail;
	struct net_ctx net;
	char *cause = NULL;
	int64_t deadline;
	int timeout = o->timeout_ms < PATHS_DIRECT_MAX_MS ? o->timeout_ms :
	    PATHS_DIRECT_MAX_MS;

	/* Only the environment's proxy, which no_proxy kept us from: an
	 * explicit --proxy "" means no proxy at all. */
	if (o->proxy != NULL)
		return;
	url = proxy_pick(NULL, "", "https", o->host, &source);
	if (url == NULL || proxy_parse(url, &p, &cause) != 0) {
		free(cause);
		return;
	}
	p.source = source;
	net_ctx_init(&net);
	deadline = now_ms() + timeout;
	if (net_resolve(p.host, p.port, &p.addr, 1, deadline, NULL) > 0 &&
	    proxy_check(&net, &p, o->host, o->port, deadline, &fail) == 0) {
		char *ev = xasprintf("directly the server cannot be reached; "
		    "through the proxy %s (from %s, left out by no_proxy) it "
		    "answers", p.display, source);
		report_add(r, FINDING_NET_PROXY_REQUIRED, "This network lets "
		    "you reach the server only through the proxy: set the "
		    "proxy in the app that fails", ev);
		free(ev);
		/* The direct failure is the network's way, not the server's
		 * fault: the consequence belongs to the cause. */
		for (size_t i = 0; i < r->nfindings; i++) {
			struct finding *f = &r->findings[i];
			if (f->id == FINDING_NET_REFUSED ||
			    f->id == FINDING_NET_TIMEOUT ||
			    f->id == FINDING_NET_RESET)
				f->owner = OWNER_NETWORK;
		}
		free(r->path.direct);
		r->path.direct = xasprintf("blocked; %s works", p.display);
	}
	net_ctx_destroy(&net);
	proxy_clear(&p);
}
