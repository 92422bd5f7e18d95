/* diag.c: the diagnosis -- runs the probes concurrently, then turns their
 * evidence into findings. The probes only gather facts; every judgement is
 * made here (or in chain.c / clock.c), from several probes together. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/ecc.h>

#include "chain.h"
#include "clock.h"
#include "diag.h"
#include "refusal.h"
#include "revoke.h"
#include "sanitize.h"
#include "scan.h"
#include "suites.h"
#include "tlsconn.h"
#include "util.h"

#define DEFAULT_TIMEOUT_MS 10000

struct diag {
	struct diag_opts o;
	pthread_t thread;
	pthread_mutex_t lock;
	enum check_state states[CHECK_COUNT];
	int done;
	int thread_started;
	void (*notify)(void *);
	void *arg;
	struct net_ctx net;
	struct report *r;    /* the result, once done */
	struct report *work; /* the report being filled (check lines) */
	pthread_cond_t cond;
	int versions_done;   /* the scan's version probes are in */
};

/* A probe run in its own thread. */
struct tls_job {
	pthread_t thread;
	struct diag *d;
	const struct net_addr *addr;
	struct tls_req req;
	struct tls_result res;
	int started;
};

struct scan_job {
	pthread_t thread;
	struct diag *d;
	const struct net_addr *addr;
	const char *sni;
	struct scan_result res;
	int started;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
diag_set(struct diag *d, enum check c, enum check_state s)
{
	pthread_mutex_lock(&d->lock);
	d->states[c] = s;
	if (d->work != NULL)
		d->work->checks[c] = s;
	pthread_mutex_unlock(&d->lock);
	if (d->notify != NULL)
		d->notify(d->arg);
}

/* Settle one check line from the findings made so far. */
static void
diag_settle(struct diag *d, struct report *r, enum check c)
{
	enum check_state s = CHECK_PASSED;

	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		enum check_state fs;
		if (finding_check(f->id) != c)
			continue;
		fs = f->severity == SEV_ERROR ? CHECK_FAILED :
		    f->severity == SEV_WARNING ? CHECK_WARNING : CHECK_PASSED;
		if (fs > s)
			s = fs;
	}
	/* A check skipped for a reason (report_skip) stays skipped unless a
	 * finding says more. */
	if (s == CHECK_PASSED && r->check_reason[c] != NULL)
		s = CHECK_SKIPPED;
	diag_set(d, c, s);
}

static void
scan_progress(void *arg, enum check c, enum check_state s)
{
	struct diag *d = arg;

	/* The scanner knows when it runs, not what its results mean. */
	if (s == CHECK_RUNNING) {
		diag_set(d, c, CHECK_RUNNING);
		return;
	}
	/* The version probes are in, and with them the legacy answer
	 * (chain and staple as sent), which scan_run no longer touches. */
	if (c == CHECK_PROTOCOLS) {
		pthread_mutex_lock(&d->lock);
		d->versions_done = 1;
		pthread_cond_broadcast(&d->cond);
		pthread_mutex_unlock(&d->lock);
	}
}

/* Wait for scan_progress() to say the versions are in; 0 if it did not
 * within wait_ms (then the caller joins the whole scan instead). */
static int
versions_wait(struct diag *d, int wait_ms)
{
	struct timespec ts;
	int ok;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += wait_ms / 1000;
	ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&d->lock);
	while (!d->versions_done &&
	    pthread_cond_timedwait(&d->cond, &d->lock, &ts) == 0)
		;
	ok = d->versions_done;
	pthread_mutex_unlock(&d->lock);
	return ok;
}

static void *
tls_job_main(void *arg)
{
	struct tls_job *j = arg;
	tls_handshake(&j->d->net, j->addr, &j->req, j->d->o.timeout_ms,
	    &j->res);
	wc_ecc_fp_free(); /* FP_ECC's per-thread cache: MBs leaked otherwise */
	return NULL;
}

static void *
scan_job_main(void *arg)
{
	struct scan_job *j = arg;
	scan_run(&j->d->net, j->addr, j->sni, j->d->o.timeout_ms,
	    scan_progress, j->d, &j->res);
	return NULL;
}

static void
tls_job_start(struct tls_job *j)
{
	j->started = pthread_create(&j->thread, NULL, tls_job_main, j) == 0;
	if (!j->started) /* no thread: run it here, slower but correct */
		tls_job_main(j);
}

static void
tls_job_join(struct tls_job *j)
{
	if (j->started)
		pthread_join(j->thread, NULL);
	j->started = 0;
}

static int
is_ip_literal(const char *h)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, h, buf) == 1 || inet_pton(AF_INET6, h, buf) == 1;
}

static int
has_error(const struct report *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity == SEV_ERROR)
			return 1;
	return 0;
}

static void
list_protos(const struct report *r, enum tri want, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int p = 0; p < PROTO_COUNT; p++) {
		if (r->protocols[p] != want)
			continue;
		size_t l = strlen(buf);
		snprintf(buf + l, len - l, "%s%s", l ? ", " : "", proto_name(p));
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "none");
}

static void
judge_protocols(struct report *r, const struct tls_result *main_tls)
{
	int yes[PROTO_COUNT], any = 0;
	char acc[96], ref[96];

	for (int p = 0; p < PROTO_COUNT; p++) {
		yes[p] = r->protocols[p] == TRI_YES;
		any |= yes[p];
	}
	list_protos(r, TRI_YES, acc, sizeof acc);
	list_protos(r, TRI_NO, ref, sizeof ref);
	char *ev = xasprintf("accepted: %s; refused: %s", acc, ref);
	int modern = yes[PROTO_TLS12] || yes[PROTO_TLS13];

	if (any && !modern) {
		char *s = xasprintf("The server only speaks %s, which current "
		    "browsers no longer accept", acc);
		report_add(r, FINDING_PROTOCOL_MISMATCH, s, ev);
		free(s);
	} else if (!any && !main_tls->ok && !has_error(r) &&
	    r->protocols[PROTO_TLS12] == TRI_NO &&
	    r->protocols[PROTO_TLS13] == TRI_NO) {
		report_add(r, FINDING_PROTOCOL_MISMATCH,
		    "The server refused every TLS and SSL version offered", ev);
	}
	if (modern && (yes[PROTO_SSL30] || yes[PROTO_TLS10] || yes[PROTO_TLS11])) {
		char old[64] = "";
		for (int p = PROTO_SSL30; p <= PROTO_TLS11; p++)
			if (yes[p]) {
				size_t l = strlen(old);
				snprintf(old + l, sizeof old - l, "%s%s",
				    l ? ", " : "", proto_name(p));
			}
		char *s = xasprintf("The server still accepts %s, which are "
		    "outdated and unsafe", old);
		report_add(r, FINDING_PROTOCOL_LEGACY, s, ev);
		free(s);
	}
	if (modern && r->protocols[PROTO_TLS13] == TRI_NO)
		report_add(r, FINDING_PROTOCOL_NO_TLS13,
		    "The server does not offer TLS 1.3", ev);
	if (yes[PROTO_TLS13] && r->protocols[PROTO_TLS12] == TRI_NO &&
	    !yes[PROTO_TLS11] && !yes[PROTO_TLS10] && !yes[PROTO_SSL30])
		report_add(r, FINDING_PROTOCOL_TLS13_ONLY,
		    "The server only speaks TLS 1.3, so clients that stop at "
		    "TLS 1.2 cannot connect", ev);
	free(ev);
}

static int
suite_in(uint16_t code, const uint16_t *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == code)
			return 1;
	return 0;
}

/* Can this client connect: a version both speak with a suite both have? */
static enum tri
profile_connects(const struct report *r, const struct client_profile *cp)
{
	enum tri res = TRI_NO;

	for (int p = 0; p < PROTO_COUNT; p++) {
		uint16_t v = proto_wire(p);
		if (v < cp->min_version || v > cp->max_version ||
		    r->protocols[p] != TRI_YES)
			continue;
		if (!r->ciphers[p].tested) {
			res = TRI_UNKNOWN;
			continue;
		}
		for (size_t i = 0; i < r->ciphers[p].n; i++)
			if (suite_in(r->ciphers[p].codes[i], cp->suites,
			    cp->nsuites))
				return TRI_YES;
	}
	return res;
}

static void
judge_ciphers(struct report *r)
{
	size_t nprof, ncur = 0, nfail = 0, tested = 0;
	const struct client_profile *prof = client_profiles(&nprof);
	struct strbuf weak = { 0 }, failing = { 0 }, offered = { 0 };
	char nb[8];

	for (int p = 0; p < PROTO_COUNT; p++) {
		if (!r->ciphers[p].tested)
			continue;
		tested = 1;
		for (size_t i = 0; i < r->ciphers[p].n; i++) {
			uint16_t c = r->ciphers[p].codes[i];
			const struct suite_info *si = suite_find(c);
			if (offered.len < 400)
				strbuf_printf(&offered, "%s%s", offered.len ?
				    ", " : "", suite_name(c, nb));
			if (si != NULL && (si->flags & SUITE_WEAK) &&
			    (weak.s == NULL || strstr(weak.s, si->name) == NULL))
				strbuf_printf(&weak, "%s%s", weak.len ? ", " :
				    "", si->name);
		}
	}
	if (weak.len > 0) {
		char *ev = xasprintf("weak suites accepted: %s", weak.s);
		report_add(r, FINDING_CIPHER_WEAK, "The server accepts weak, "
		    "broken cipher suites", ev);
		free(ev);
	}
	/* cipher.mismatch means no common version *and suite*; with no common
	 * version at all, protocol.mismatch already says it. */
	if (tested && report_find(r, FINDING_PROTOCOL_MISMATCH) == NULL) {
		for (size_t i = 0; i < nprof; i++) {
			if (!prof[i].current)
				continue;
			ncur++;
			if (profile_connects(r, &prof[i]) == TRI_NO) {
				nfail++;
				strbuf_printf(&failing, "%s%s", failing.len ?
				    ", " : "", prof[i].name);
			}
		}
		if (ncur > 0 && nfail == ncur) {
			char *ev = xasprintf("no suite in common with %s; the "
			    "server accepts only: %s", failing.s,
			    offered.len ? offered.s : "none");
			report_add(r, FINDING_CIPHER_MISMATCH, "The server's "
			    "cipher suites match none that current browsers "
			    "offer", ev);
			free(ev);
		}
	}
	strbuf_free(&weak);
	strbuf_free(&failing);
	strbuf_free(&offered);
}

static void
judge_sni(struct report *r, const struct tls_job *with, const struct tls_job *without)
{
	const struct tls_result *a = &with->res, *b = &without->res;

	if (!a->ok || b->net_err == NET_ERR_CANCELLED)
		return;
	const char *limit = b->ok ? NULL : refusal_our_limit(b, NULL);
	if (limit != NULL) {
		char *why = xasprintf("tlsmedic could not try without SNI: %s",
		    limit);
		report_skip(r, CHECK_SNI, why);
		free(why);
		return;
	}
	if (!b->ok) {
		char *ev;
		if (b->alert_recv >= 0)
			ev = xasprintf("with SNI \"%s\" the handshake works; "
			    "without SNI the server answers alert %d (%s)",
			    with->req.sni, b->alert_recv, refusal_alert_name(b->alert_recv));
		else
			ev = xasprintf("with SNI \"%s\" the handshake works; "
			    "without SNI it fails (%s)", with->req.sni,
			    b->peer_reset ? "connection reset" :
			    b->peer_closed ? "connection closed" : b->err_text);
		report_add(r, FINDING_SNI_REQUIRED, "The server refuses "
		    "clients that do not send the site name (SNI)", ev);
		free(ev);
		return;
	}
	if (a->ncerts > 0 && b->ncerts > 0 && (a->cert_lens[0] != b->cert_lens[0] ||
	    memcmp(a->certs[0], b->certs[0], a->cert_lens[0]) != 0)) {
		struct cert_info ci = { 0 };
		char *subj = NULL;
		if (cert_info_parse(b->certs[0], b->cert_lens[0], &ci) == 0)
			subj = xstrdup(ci.subject);
		char *ev = xasprintf("with SNI the certificate is for %s; "
		    "without SNI it is %s", r->chain.n ? r->chain.certs[0].subject :
		    "?", subj ? subj : "another one");
		report_add(r, FINDING_SNI_DEFAULT_CERT, "Clients that do not "
		    "send the site name (SNI) get a different certificate", ev);
		free(ev);
		free(subj);
		cert_info_clear(&ci);
	}
}

/* Did a version come through only with another offer than the first? */
static int
offer_retry_helped(const struct scan_result *s)
{
	for (int p = PROTO_TLS12; p <= PROTO_TLS13; p++)
		if (s->answer[p].retried && s->protocols[p] == TRI_YES)
			return 1;
	return 0;
}

/* The connection itself: refused, silent, reset, or not TLS at all. */
static int
judge_connection(struct report *r, const struct tls_result *t,
    const struct scan_result *s)
{
	int e = t->net_err;
	char *ev;

	if (e == NET_ERR_REFUSED || e == NET_ERR_UNREACH) {
		ev = xasprintf("%s port %d: %s", r->address, r->port,
		    net_strerror(e));
		report_add(r, e == NET_ERR_REFUSED ? FINDING_NET_REFUSED :
		    FINDING_NET_TIMEOUT, e == NET_ERR_REFUSED ?
		    "Nothing answers on this port of the server" :
		    "The server cannot be reached from here", ev);
		free(ev);
		return -1;
	}
	if (e == NET_ERR_TIMEOUT && t->nfirst == 0 &&
	    s->legacy.kind != HELLO_SERVER_HELLO &&
	    s->legacy.kind != HELLO_ALERT && s->legacy.kind != HELLO_NOT_TLS) {
		ev = xasprintf("no answer from %s port %d within the time "
		    "limit", r->address, r->port);
		report_add(r, FINDING_NET_TIMEOUT, "The server did not answer "
		    "in time", ev);
		free(ev);
		return -1;
	}
	if (e == NET_ERR_CANCELLED)
		return -1;
	if (t->ok && t->cert_required) {
		/* TLS 1.3: the handshake completes, the refusal comes after. */
		report_add(r, FINDING_CLIENT_CERT_REQUIRED, "The server only "
		    "lets in clients that show their own certificate",
		    "the server asked for a client certificate and, without "
		    "one, answered the first request with alert 116 "
		    "(certificate_required)");
		return 1;
	}
	if (t->ok && t->cert_request && (t->http_status == 400 ||
	    t->http_status == 403 || t->http_status == 495 ||
	    t->http_status == 496)) {
		/* nginx and others finish the handshake, then refuse at the
		 * HTTP level ("400 No required SSL certificate was sent"). */
		ev = xasprintf("the server asked for a client certificate and, "
		    "without one, answered the first request with HTTP %d",
		    t->http_status);
		report_add(r, FINDING_CLIENT_CERT_REQUIRED, "The server only "
		    "lets in clients that show their own certificate", ev);
		free(ev);
		return 1;
	}
	if (t->ok)
		return 0;
	/* Not TLS at all -- unlike TLS records that break the rules (a length
	 * beyond 2^14 + 2048, endless empty records), which the raw probe
	 * calls malformed: judge_unexplained() says protocol.malformed. */
	int tls_like = t->nfirst >= 2 && t->first[0] >= 20 &&
	    t->first[0] <= 23 && t->first[1] == 3;
	if (s->legacy.kind == HELLO_NOT_TLS || ((t->wolf_err == LENGTH_ERROR ||
	    t->wolf_err == UNKNOWN_RECORD_TYPE) && !tls_like &&
	    s->legacy.kind != HELLO_MALFORMED)) {
		char *what = s->legacy.kind == HELLO_NOT_TLS && s->legacy.not_tls[0] ?
		    xstrdup(s->legacy.not_tls) :
		    sanitize((const char *)t->first, t->nfirst, 80);
		ev = xasprintf("the server answered with something that is not "
		    "TLS: %s", what);
		report_add(r, FINDING_NET_NOT_TLS, "This port does not speak "
		    "TLS", ev);
		free(ev);
		free(what);
		return 1;
	}
	if (t->cert_request && (t->alert_recv == 40 || t->alert_recv == 42 ||
	    t->alert_recv == 116 || t->peer_closed || t->peer_reset)) {
		ev = xasprintf("the server asked for a client certificate and "
		    "ended the handshake without one (%s)", t->alert_recv >= 0 ?
		    refusal_alert_name(t->alert_recv) : "connection closed");
		report_add(r, FINDING_CLIENT_CERT_REQUIRED, "The server only "
		    "lets in clients that show their own certificate", ev);
		free(ev);
		return 1;
	}
	if ((t->peer_reset || t->peer_closed) && t->alert_recv < 0 &&
	    s->legacy.kind != HELLO_SERVER_HELLO &&
	    r->protocols[PROTO_TLS12] != TRI_YES &&
	    r->protocols[PROTO_TLS13] != TRI_YES) {
		ev = xasprintf("the connection was %s during the handshake",
		    t->peer_reset ? "reset" : "closed");
		report_add(r, FINDING_NET_RESET, "The connection was cut in "
		    "the middle of the handshake", ev);
		free(ev);
		return 1;
	}
	return 0;
}

/* The browser-like handshake failed and nothing found so far says why.
 * An alert is the server refusing what we offered; a limit of our own
 * stack (limit, from refusal_our_limit) is no one's fault and is dealt
 * with by the caller; only bytes that break TLS are protocol.malformed.
 * A failed handshake is never "ok". */
static void
judge_unexplained(struct report *r, const struct tls_result *t,
    const struct scan_result *s, const char *limit)
{
	char *ev;
	int any = 0;

	for (int p = 0; p < PROTO_COUNT; p++)
		any |= r->protocols[p] == TRI_YES;
	if (t->ok || limit != NULL || t->net_err == NET_ERR_CANCELLED ||
	    refusal_fold_symptom(r, t))
		return;
	if (t->net_err == NET_ERR_TIMEOUT) {
		ev = xasprintf("the server stopped answering in the middle of "
		    "the handshake (%zu bytes received)", t->nfirst);
		report_add(r, FINDING_NET_TIMEOUT, "The server stopped "
		    "answering in the middle of the handshake", ev);
	} else if ((t->peer_reset || t->peer_closed) && t->alert_recv < 0 &&
	    s->legacy.kind != HELLO_MALFORMED) {
		ev = xasprintf("the connection was %s during the handshake",
		    t->peer_reset ? "reset" : "closed");
		report_add(r, FINDING_NET_RESET, "The connection was cut in "
		    "the middle of the handshake", ev);
	} else if (t->alert_recv >= 0 && s->legacy.kind != HELLO_MALFORMED &&
	    any) {
		/* The server refused our TLS library's offer, yet takes the
		 * offers that stand for OpenSSL and the browsers: a limit of
		 * ours, said as such -- the chain came from those probes. */
		ev = xasprintf("tlsmedic's TLS library could not complete a "
		    "handshake: the server refused its offer (alert %d, %s), "
		    "while tlsmedic's client-like probes connect",
		    t->alert_recv, refusal_alert_name(t->alert_recv));
		refusal_note_add(r, ev);
		if (r->chain.n == 0)
			report_skip(r, CHECK_CERT, ev);
	} else {
		ev = xasprintf("the handshake failed: %s%s%s", t->err_text,
		    s->legacy.kind == HELLO_MALFORMED ?
		    "; the raw probe found the server's answer malformed "
		    "(records or messages that TLS does not allow)" : "",
		    t->alert_recv >= 0 ? "; the server sent an alert" : "");
		report_add(r, FINDING_PROTOCOL_MALFORMED, "The server's "
		    "handshake messages break the TLS rules", ev);
	}
	free(ev);
}

static void
copy_scan(struct report *r, struct scan_result *s)
{
	for (int p = 0; p < PROTO_COUNT; p++) {
		r->protocols[p] = s->protocols[p];
		r->ciphers[p] = s->ciphers[p];
		s->ciphers[p].codes = NULL; /* moved */
		s->ciphers[p].n = 0;
	}
}

/* The chain -- as wolfSSL received it, or, for servers wolfSSL cannot
 * talk to (TLS 1.0 only), as the raw hello saw it -- its analysis and its
 * revocation. Reads only t and the scan's legacy answer. */
static void
diag_chain(struct diag *d, struct report *r, const struct tls_result *t,
    const struct scan_result *s, const struct trust *trust,
    const char *hostname)
{
	const struct diag_opts *o = &d->o;

	/* wolfSSL keeps no certificate over its size limit (a leaf with
	 * a thousand names): when the raw probe saw more of the same chain,
	 * its copy is the one to judge (our limit, not the server's). */
	int dropped = t->ncerts > 0 && s->legacy.ncerts > t->ncerts &&
	    (s->legacy.cert_lens[0] != t->cert_lens[0] ||
	    memcmp(s->legacy.certs[0], t->certs[0], t->cert_lens[0]) != 0);
	if (dropped)
		refusal_note_add(r, "tlsmedic's TLS library dropped a certificate "
		    "larger than it keeps; the certificate checks used the "
		    "chain as its own probe read it");
	if (t->ncerts > 0 && !dropped)
		chain_from_der(&r->chain, t->certs, t->cert_lens, t->ncerts);
	else if (s->legacy.ncerts > 0)
		chain_from_der(&r->chain, s->legacy.certs,
		    s->legacy.cert_lens, s->legacy.ncerts);
	if (r->chain.n == 0 || trust == NULL) {
		diag_set(d, CHECK_REVOCATION, CHECK_SKIPPED);
		return;
	}
	struct chain_opts co = { .trust = trust, .hostname = hostname,
		.now = r->clock.local, .ctx = &d->net,
		.timeout_ms = o->timeout_ms };
	chain_analyze(&r->chain, &co, r);

	diag_set(d, CHECK_REVOCATION, CHECK_RUNNING);
	struct revoke_opts ro = { .trust = trust, .ctx = &d->net,
		.timeout_ms = o->timeout_ms, .staple = t->staple,
		.staple_len = t->staple_len };
	/* wolfSSL will not hand over a staple it cannot verify on its own;
	 * the raw TLS 1.2 probe reads it in the clear. */
	if (ro.staple == NULL && s->legacy.staple != NULL &&
	    s->legacy.ncerts > 0 &&
	    s->legacy.cert_lens[0] == r->chain.certs[0].der_len &&
	    memcmp(s->legacy.certs[0], r->chain.certs[0].der,
	    r->chain.certs[0].der_len) == 0) {
		ro.staple = s->legacy.staple;
		ro.staple_len = s->legacy.staple_len;
	}
	/* Nothing to ask (no staple, no OCSP or CRL address) or nobody
	 * answered: say "not tested" rather than "passed". */
	if (revoke_check(&r->chain, &ro, r) == REVOKE_UNKNOWN &&
	    report_find(r, FINDING_CERT_REVOKED) == NULL)
		diag_set(d, CHECK_REVOCATION, CHECK_SKIPPED);
	else
		diag_settle(d, r, CHECK_REVOCATION);
}

static struct report *
diag_work(struct diag *d)
{
	const struct diag_opts *o = &d->o;
	struct report *r = report_new();
	int64_t t0 = now_ms();
	struct net_addr addr;
	struct trust *own_trust = NULL;
	const struct trust *trust = o->trust;
	char *cause = NULL;
	const char *limit = NULL; /* our own stack could not finish */
	struct tls_job main_tls = { .d = d, .addr = &addr };
	struct tls_job nosni = { .d = d, .addr = &addr };
	struct scan_job scan = { .d = d, .addr = &addr };

	d->work = r;
	r->host = sanitize(o->host, strlen(o->host), 256);
	r->port = o->port;
	const char *sni = o->no_sni ? NULL : o->sni ? o->sni :
	    is_ip_literal(o->host) ? NULL : o->host;
	r->sni = sni ? sanitize(sni, strlen(sni), 256) : NULL;

	diag_set(d, CHECK_CLOCK, CHECK_RUNNING);
	clock_observe(r);
	diag_set(d, CHECK_CONNECT, CHECK_RUNNING);

	int n = net_resolve(o->connect_addr ? o->connect_addr : o->host,
	    o->port, &addr, 1, now_ms() + o->timeout_ms, &cause);
	if (n <= 0) {
		char *ev = xasprintf("looking up \"%s\": %s", r->host,
		    cause ? cause : net_strerror(n));
		report_add(r, n == NET_ERR_TIMEOUT ? FINDING_NET_TIMEOUT :
		    FINDING_NET_DNS, "The name of the server could not be "
		    "found", ev);
		free(ev);
		r->error = xasprintf("the name could not be looked up (%s)",
		    cause ? cause : net_strerror(n));
		r->verdict = VERDICT_UNREACHABLE;
		for (int c = CHECK_PROTOCOLS; c < CHECK_COUNT; c++)
			diag_set(d, c, CHECK_SKIPPED);
		goto out;
	}
	r->address = xstrdup(addr.text);

	/* Everything that needs the server, at once; net.h bounds how many
	 * connections are open together. */
	scan.sni = sni;
	scan.started = pthread_create(&scan.thread, NULL, scan_job_main,
	    &scan) == 0;
	if (!scan.started)
		scan_job_main(&scan);
	main_tls.req = (struct tls_req){ .version = -1, .sni = sni,
		.staple = 1, .http_probe = 1, .http_host = sni ? sni : o->host };
	tls_job_start(&main_tls);
	if (sni != NULL) {
		nosni.req = (struct tls_req){ .version = -1, .sni = NULL };
		tls_job_start(&nosni);
	}
	diag_set(d, CHECK_CERT, CHECK_RUNNING);
	if (sni != NULL)
		diag_set(d, CHECK_SNI, CHECK_RUNNING);

	/* The trust store loads while the probes are on the wire. */
	if (trust == NULL) {
		own_trust = trust_load(o->ca_file, &cause);
		trust = own_trust;
		if (trust == NULL) {
			free(r->error);
			r->error = xasprintf("trust store: %s",
			    cause ? cause : "cannot be loaded");
		}
	}

	tls_job_join(&main_tls);
	/* The server refused our library's offer, and the raw probes found
	 * one it takes: ask once more, with elliptic curves only. */
	if (!main_tls.res.ok && main_tls.res.alert_recv >= 0 &&
	    main_tls.res.net_err == 0 &&
	    (!scan.started || versions_wait(d, 2 * o->timeout_ms + 1000)) &&
	    offer_retry_helped(&scan.res)) {
		tls_result_clear(&main_tls.res);
		main_tls.req.ec_groups_only = 1;
		tls_job_main(&main_tls);
	}
	r->clock.http_date = main_tls.res.http_date;
	if (main_tls.res.ok) {
		diag_set(d, CHECK_CONNECT, CHECK_PASSED);
		r->negotiated = xasprintf("%s, %s",
		    proto_from_wire(main_tls.res.version) >= 0 ?
		    proto_name(proto_from_wire(main_tls.res.version)) : "?",
		    main_tls.res.suite);
	}
	/* The chain checks and revocation need only the main handshake and
	 * the scan's version probes: run them while the suite enumeration is
	 * still on the wire, so the OCSP, CRL and AIA round trips overlap it
	 * (over a 100 ms link, 0.25 s saved; see tests/bench/). */
	int chain_done = 0;
	if ((!scan.started || versions_wait(d, 2 * o->timeout_ms + 1000)) &&
	    !atomic_load(&d->net.cancelled) &&
	    (main_tls.res.ncerts > 0 || scan.res.legacy.ncerts > 0)) {
		diag_chain(d, r, &main_tls.res, &scan.res, trust,
		    sni ? sni : o->host);
		chain_done = 1;
	}
	if (scan.started)
		pthread_join(scan.thread, NULL);
	scan.started = 0;
	copy_scan(r, &scan.res);

	int conn = judge_connection(r, &main_tls.res, &scan.res);
	diag_settle(d, r, CHECK_CONNECT);
	if (conn < 0) {
		r->verdict = VERDICT_UNREACHABLE;
		if (r->error == NULL)
			r->error = xstrdup(net_strerror(main_tls.res.net_err));
		for (int c = CHECK_PROTOCOLS; c < CHECK_COUNT; c++)
			diag_set(d, c, CHECK_SKIPPED);
		goto joined;
	}

	if (!chain_done)
		diag_chain(d, r, &main_tls.res, &scan.res, trust,
		    sni ? sni : o->host);
	/* wolfSSL keeps at most 9 certificates of a chain; the raw probe
	 * counts what was really sent. Very long chains break clients. */
	if (scan.res.legacy.ncerts_sent > r->chain.n && r->chain.n > 0) {
		char *ev = xasprintf("the server sends %zu certificates; "
		    "tlsmedic examined the first %zu, and many clients give up "
		    "on chains this long", scan.res.legacy.ncerts_sent,
		    r->chain.n);
		report_add(r, FINDING_CERT_CHAIN_ORDER, "The server sends "
		    "far more certificates than a chain needs", ev);
		free(ev);
	}
	/* The cause first: what the probes show (versions, suites, the DHE
	 * group), then the failed handshake, as a symptom of one of them, a
	 * limit of ours, or the one thing left. */
	/* A limit of ours only when our own probe read the answer whole: a
	 * message beyond what it reads (512 kB) breaks every client. */
	if (scan.res.legacy.kind != HELLO_MALFORMED)
		limit = refusal_our_limit(&main_tls.res, r->chain.n ?
		    &r->chain.certs[0] : NULL);
	refusal_judge_all(r, &scan.res);
	judge_protocols(r, &main_tls.res);
	judge_ciphers(r);
	refusal_judge_dh(r, scan.res.dh_bits, &main_tls.res);
	char *note = refusal_handshake_note(&scan.res);
	if (note != NULL)
		refusal_note_add(r, note);
	free(note);
	judge_unexplained(r, &main_tls.res, &scan.res, limit);
	if (limit != NULL)
		refusal_judge_limit(r, &scan.res, limit);
	refusal_judge_untested(r);
	diag_settle(d, r, CHECK_CONNECT);
	diag_settle(d, r, CHECK_PROTOCOLS);
	diag_settle(d, r, CHECK_CIPHERS);
	clock_judge(r);
	diag_settle(d, r, CHECK_CLOCK);
	diag_settle(d, r, CHECK_CERT);
	diag_settle(d, r, CHECK_INTERCEPTION);
	/* No certificate seen at all: those lines were not tested. */
	if (r->chain.n == 0) {
		if (r->checks[CHECK_CERT] == CHECK_PASSED)
			diag_set(d, CHECK_CERT, CHECK_SKIPPED);
		if (r->checks[CHECK_INTERCEPTION] == CHECK_PASSED)
			diag_set(d, CHECK_INTERCEPTION, CHECK_SKIPPED);
	}

joined:
	if (sni != NULL) {
		tls_job_join(&nosni);
		/* Ask without SNI as the main handshake was finally asked. */
		if (conn >= 0 && main_tls.req.ec_groups_only && !nosni.res.ok &&
		    nosni.res.alert_recv >= 0) {
			tls_result_clear(&nosni.res);
			nosni.req.ec_groups_only = 1;
			tls_job_main(&nosni);
		}
		if (conn >= 0) {
			judge_sni(r, &main_tls, &nosni);
			if (limit != NULL)
				refusal_sni_raw(r, &d->net, &addr,
				    d->o.timeout_ms, &scan.res, limit);
			diag_settle(d, r, CHECK_SNI);
		}
	} else if (conn >= 0)
		diag_set(d, CHECK_SNI, CHECK_SKIPPED);

out:
	if (atomic_load(&d->net.cancelled)) {
		free(r->error);
		r->error = xstrdup("cancelled");
		r->verdict = VERDICT_UNREACHABLE;
	}
	pthread_mutex_lock(&d->lock);
	d->work = NULL;
	pthread_mutex_unlock(&d->lock);
	r->handshakes = atomic_load(&d->net.connections);
	r->elapsed_ms = (long)(now_ms() - t0);
	report_finish(r);
	tls_result_clear(&main_tls.res);
	tls_result_clear(&nosni.res);
	scan_result_clear(&scan.res);
	trust_free(own_trust);
	free(cause);
	return r;
}

static void
diag_init_once(void)
{
	tls_global_init();
}

static struct diag *
diag_new(const struct diag_opts *o, void (*notify)(void *), void *arg)
{
	struct diag *d = xcalloc(1, sizeof *d);

	pthread_once(&init_once, diag_init_once);
	d->o = *o;
	if (d->o.timeout_ms <= 0)
		d->o.timeout_ms = DEFAULT_TIMEOUT_MS;
	if (d->o.port <= 0)
		d->o.port = 443;
	d->notify = notify;
	d->arg = arg;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	net_ctx_init(&d->net);
	return d;
}

static void
diag_free(struct diag *d)
{
	net_ctx_destroy(&d->net);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d);
}

struct report *
diag_run(const struct diag_opts *o)
{
	struct diag *d = diag_new(o, NULL, NULL);
	struct report *r = diag_work(d);
	diag_free(d);
	return r;
}

static void *
diag_main(void *arg)
{
	struct diag *d = arg;
	struct report *r = diag_work(d);

	pthread_mutex_lock(&d->lock);
	d->r = r;
	d->done = 1;
	for (int c = 0; c < CHECK_COUNT; c++)
		d->states[c] = r->checks[c];
	pthread_mutex_unlock(&d->lock);
	if (d->notify != NULL)
		d->notify(d->arg);
	wc_ecc_fp_free(); /* FP_ECC's per-thread cache (chain checks) */
	return NULL;
}

struct diag *
diag_start(const struct diag_opts *o, void (*notify)(void *), void *arg)
{
	struct diag *d = diag_new(o, notify, arg);

	if (pthread_create(&d->thread, NULL, diag_main, d) != 0)
		diag_main(d); /* no thread to be had: run it now */
	else
		d->thread_started = 1;
	return d;
}

void
diag_states(struct diag *d, enum check_state out[CHECK_COUNT])
{
	pthread_mutex_lock(&d->lock);
	memcpy(out, d->states, sizeof d->states);
	pthread_mutex_unlock(&d->lock);
}

int
diag_done(struct diag *d)
{
	pthread_mutex_lock(&d->lock);
	int done = d->done;
	pthread_mutex_unlock(&d->lock);
	return done;
}

void
diag_cancel(struct diag *d)
{
	net_cancel(&d->net);
}

struct report *
diag_finish(struct diag *d)
{
	struct report *r;

	if (d->thread_started)
		pthread_join(d->thread, NULL);
	r = d->r;
	diag_free(d);
	return r;
}
