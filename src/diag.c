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

#include "addrs.h"
#include "chain.h"
#include "clients.h"
#include "clock.h"
#include "diag.h"
#include "groups.h"
#include "idn.h"
#include "mailsec.h"
#include "netpath.h"
#include "ownfail.h"
#include "paths.h"
#include "refusal.h"
#include "revoke.h"
#include "sanitize.h"
#include "scan.h"
#include "sntp.h"
#include "suites.h"
#include "tlsconn.h"
#include "util.h"

#define DEFAULT_TIMEOUT_MS 10000
/* Time servers answer in tens of milliseconds; they have at most
 * SNTP_WAIT_MS from the start, and once the probes are done a run waits
 * for them at most SNTP_GRACE_MS more. */
#define SNTP_WAIT_MS 1500
#define SNTP_GRACE_MS 100

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
	struct mailsec_plan plan; /* TLS at once or by STARTTLS, and for what */
	unsigned char first[64]; /* the main handshake's first bytes in */
	size_t nfirst;
	char not_tls[128];   /* the raw probe's words for non-TLS bytes */
	struct paths paths;  /* direct or through a proxy (paths.h) */
	int paths_done;      /* paths freed (under lock) */
	struct addrs *addrs; /* the name's other addresses (addrs.h) */
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
	/* No thread: probes one after the other would overrun the time
	 * limit; say why instead (ownfail.h). */
	if (!j->started)
		ownfail_note("could not start a thread (out of memory or of "
		    "processes)");
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

	/* Any current major browser that fails on the version: an error
	 * that names who fails and who still connects (clients.h). */
	char *fail = any ? clients_names(r, 1, TRI_NO, "version") : NULL;
	if (fail != NULL || (any && !modern)) {
		char *ok = clients_names(r, 1, TRI_YES, NULL);
		char *s = fail == NULL ? xasprintf("The server only speaks %s, "
		    "which current browsers no longer accept", acc) :
		    xasprintf("%s cannot connect: the server only speaks %s, "
		    "which %s no longer accept%s%s%s", fail, acc,
		    strstr(fail, " and ") ? "they" : "it", ok ? " (" : "",
		    ok ? ok : "", ok ? " still can)" : "");
		report_add(r, FINDING_PROTOCOL_MISMATCH, s, ev);
		free(s);
		free(ok);
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
	free(fail);
}

static void
judge_ciphers(struct report *r)
{
	struct strbuf weak = { 0 }, offered = { 0 };
	char nb[8];

	for (int p = 0; p < PROTO_COUNT; p++) {
		if (!r->ciphers[p].tested)
			continue;
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
	/* cipher.mismatch: a current major browser has a version in common
	 * but no suite or key exchange (clients.h); with no common version,
	 * protocol.mismatch already says it. Names who fails and who still
	 * connects. */
	char *fail = report_find(r, FINDING_PROTOCOL_MISMATCH) ? NULL :
	    clients_names(r, 1, TRI_NO, "suite group");
	if (fail != NULL) {
		char *ok = clients_names(r, 1, TRI_YES, NULL);
		const struct client_result *c = NULL;
		for (size_t i = 0; i < r->nclients && c == NULL; i++)
			if (r->clients[i].current &&
			    r->clients[i].connects == TRI_NO &&
			    r->clients[i].stage != NULL &&
			    (strcmp(r->clients[i].stage, "suite") == 0 ||
			    strcmp(r->clients[i].stage, "group") == 0))
				c = &r->clients[i];
		/* fail is not NULL: such a row exists */
		const char *why = strstr(c->reason, ": ") ?
		    strstr(c->reason, ": ") + 2 : c->reason, *who = c->name;
		int group = strcmp(c->stage, "group") == 0;
		char *s = xasprintf("%s cannot connect: the server's %s match "
		    "none %s offer%s%s%s", fail, group ? "key exchanges" :
		    "cipher suites", strstr(fail, " and ") ? "they" : "it",
		    strstr(fail, " and ") ? "" : "s", ok ? "; " : "",
		    ok ? ok : "");
		char *s2 = ok ? xasprintf("%s still %s", s,
		    strstr(ok, " and ") ? "connect" : "connects") : xstrdup(s);
		char *ev = xasprintf("%s: %s; the server accepts only: %s", who,
		    why, offered.len ? offered.s : "none");
		report_add(r, FINDING_CIPHER_MISMATCH, s2, ev);
		free(ev);
		free(s);
		free(s2);
		free(ok);
		free(fail);
	}
	strbuf_free(&weak);
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

	if (e == NET_ERR_PROXY)
		return -1; /* paths.c judged the proxy before any probe */
	if (e == NET_ERR_REFUSED || e == NET_ERR_UNREACH) {
		ev = xasprintf("%s port %d: %s", r->address ? r->address :
		    r->host, r->port,
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
		    "limit", r->address ? r->address : r->host, r->port);
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

#define GREETING_QUICK_MS 2000 /* most servers greet within this */

/* Does a ClientHello, sent at once, get a TLS answer (hello or alert)? */
static int
tls_answers(struct diag *d, const struct net_addr *addr, const char *sni,
    int wait_ms)
{
	static const uint16_t versions[] = { 0x0304, 0x0303 };
	uint16_t suites[HELLO_MAX_SUITES];
	struct starttls_state *st = d->net.starttls;
	int yes = 0;

	d->net.starttls = NULL; /* alone on the wire: no probe runs yet */
	for (size_t i = 0; i < 2 && !yes; i++) {
		struct hello_req req = { .version = versions[i],
			.suites = suites, .sni = sni };
		struct hello_resp resp;

		req.nsuites = suite_list_for(req.version, suites,
		    HELLO_MAX_SUITES);
		hello_probe(&d->net, addr, &req, now_ms() + wait_ms, &resp);
		yes = resp.kind == HELLO_SERVER_HELLO ||
		    resp.kind == HELLO_ALERT ||
		    resp.kind == HELLO_RETRY_REQUEST;
		hello_resp_clear(&resp);
	}
	d->net.starttls = st;
	return yes;
}

/* STARTTLS once, alone, before the probes: its outcome decides whether
 * there is any TLS to test. 0 when TLS can start. A server that has not
 * greeted within GREETING_QUICK_MS may speak TLS at once (the app's
 * "STARTTLS" on an "SSL/TLS" port): a ClientHello tells, and a slow
 * greeter is then given the whole time. */
static int
starttls_preflight(struct diag *d, const struct net_addr *addr,
    const char *sni)
{
	struct starttls_state *st = d->net.starttls;
	int quick = d->o.timeout_ms > GREETING_QUICK_MS + 1000 ?
	    GREETING_QUICK_MS : d->o.timeout_ms;
	int fd = netpath_open(&d->net, addr, now_ms() + quick);

	if (fd >= 0)
		net_close(&d->net, fd);
	/* Not even connected (refused, unreachable): the probes find the
	 * same and say it as for any server. */
	if (starttls_state_outcome(st) == STARTTLS_PENDING)
		return 0;
	if (quick >= d->o.timeout_ms)
		return starttls_state_outcome(st) == STARTTLS_OK ? 0 : -1;
	enum starttls_outcome out = starttls_state_outcome(st);
	if (out == STARTTLS_SILENT && tls_answers(d, addr, sni, quick)) {
		starttls_state_set(st, STARTTLS_TLS_SPOKEN);
		return -1;
	}
	pthread_mutex_lock(&st->lock);
	int slow = out == STARTTLS_SILENT || (out == STARTTLS_BROKEN &&
	    st->net_err == NET_ERR_TIMEOUT);
	pthread_mutex_unlock(&st->lock);
	if (slow) { /* only slow: the whole time this once */
		starttls_state_set(st, STARTTLS_PENDING);
		fd = netpath_open(&d->net, addr, now_ms() + d->o.timeout_ms);
		if (fd >= 0)
			net_close(&d->net, fd);
	}
	out = starttls_state_outcome(st);
	return out == STARTTLS_OK || out == STARTTLS_PENDING ? 0 : -1;
}

/* A line settles as "passed" when no finding names it; that is only true
 * if its probes answered. No version tested, or no suite list: skipped. */
static void
diag_skip_untested(struct diag *d, struct report *r)
{
	int versions = 0, suites = 0;

	for (int p = 0; p < PROTO_COUNT; p++) {
		versions |= r->protocols[p] != TRI_UNKNOWN;
		suites |= r->ciphers[p].tested;
	}
	if (!versions && r->checks[CHECK_PROTOCOLS] == CHECK_PASSED) {
		diag_set(d, CHECK_PROTOCOLS, CHECK_SKIPPED);
		report_skip(r, CHECK_PROTOCOLS, "no protocol version could be "
		    "tested");
	}
	if (!suites && r->checks[CHECK_CIPHERS] == CHECK_PASSED) {
		diag_set(d, CHECK_CIPHERS, CHECK_SKIPPED);
		report_skip(r, CHECK_CIPHERS, "the cipher suites could not be "
		    "listed");
	}
}

/* The trust store could not be loaded: the certificate checks did not
 * run. Say so on the check lines, and in r->error for the faces. */
static void
diag_skip_untrusted(struct diag *d, struct report *r, const char *why)
{
	static const enum check lines[] = { CHECK_CERT, CHECK_REVOCATION,
		CHECK_INTERCEPTION };

	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		if (r->checks[lines[i]] == CHECK_PASSED ||
		    r->checks[lines[i]] <= CHECK_RUNNING)
			diag_set(d, lines[i], CHECK_SKIPPED);
		report_skip(r, lines[i], why);
	}
	if (r->error == NULL)
		r->error = sanitize(why, strlen(why), 512);
}

/* Our own resources ran out during the run (ownfail.h): whatever the
 * probes saw may be an artefact of that, so no finding stands and every
 * check says it could not be finished, and why (rule 3). */
static void
diag_own_failure(struct diag *d, struct report *r, const char *why)
{
	char *reason = xasprintf("tlsmedic could not finish this check: %s",
	    why);

	while (r->nfindings > 0)
		report_remove(r, r->findings[0].id);
	for (int c = 0; c < CHECK_COUNT; c++) {
		diag_set(d, c, CHECK_SKIPPED);
		report_skip(r, c, reason);
	}
	free(r->error);
	r->error = xasprintf("tlsmedic could not finish the diagnosis: %s",
	    why);
	if (r->verdict == VERDICT_UNREACHABLE)
		r->verdict = VERDICT_INCOMPLETE;
	free(reason);
}

/* Every reference for the clock is in: the time servers', the Date:
 * headers and dates of every HTTP answer, the chain's. Judge them. */
static void
diag_clock(struct diag *d, struct report *r, struct sntp *sntp)
{
	clock_log_move(d->net.clock_log, r);
	sntp_finish(sntp, r, now_ms() + SNTP_GRACE_MS);
	clock_judge(r);
	if (r->checks[CHECK_CLOCK] == CHECK_SKIPPED &&
	    report_find(r, FINDING_CLOCK_SKEW) == NULL)
		diag_set(d, CHECK_CLOCK, CHECK_SKIPPED);
	else
		diag_settle(d, r, CHECK_CLOCK);
}

static struct report *
diag_work_once(struct diag *d)
{
	const struct diag_opts *o = &d->o;
	struct report *r = report_new();
	int64_t t0 = now_ms();
	int extra_conns = 0;
	struct net_addr addr, all[ADDRS_MAX];
	struct trust *own_trust = NULL;
	const struct trust *trust = o->trust;
	char *cause = NULL, *trust_why = NULL;
	const char *limit = NULL; /* our own stack could not finish */
	struct tls_job main_tls = { .d = d, .addr = &addr };
	struct tls_job nosni = { .d = d, .addr = &addr };
	struct scan_job scan = { .d = d, .addr = &addr };
	struct sntp *sntp = NULL;

	d->work = r;
	r->host = sanitize(o->host, strlen(o->host), 256);
	{ /* both forms of an international name are shown */
		char *u = idn_to_ulabel(o->host);
		r->host_unicode = u ? sanitize(u, strlen(u), 256) : NULL;
		free(u);
	}
	r->port = o->port;
	const char *sni = o->no_sni ? NULL : o->sni ? o->sni :
	    is_ip_literal(o->host) ? NULL : o->host;
	r->sni = sni ? sanitize(sni, strlen(sni), 256) : NULL;

	ownfail_reset();
	if (ownfail_preflight(&cause) != 0) {
		ownfail_note(cause);
		goto out;
	}
	diag_set(d, CHECK_CLOCK, CHECK_RUNNING);
	clock_observe(r);
	sntp = sntp_start(o->time_servers, t0 + (o->timeout_ms < SNTP_WAIT_MS ?
	    o->timeout_ms : SNTP_WAIT_MS));
	diag_set(d, CHECK_CONNECT, CHECK_RUNNING);

	int via = paths_setup(&d->paths, o, &d->net, r);
	if (via < 0) {
		r->verdict = VERDICT_UNREACHABLE;
		for (int c = CHECK_PROTOCOLS; c < CHECK_COUNT; c++)
			diag_set(d, c, CHECK_SKIPPED);
		goto out;
	}
	int n;
	if (via && d->paths.proxy.kind != PROXY_SOCKS5) {
		/* The proxy looks the name up: the probes' address is only
		 * where the tunnel starts (netpath.c). */
		addr = d->paths.proxy.addr;
		n = 1;
	} else {
		n = addrs_resolve(o->host, o->connect_addr, o->port, all,
		    via || o->one_address ? 1 : ADDRS_MAX,
		    now_ms() + o->timeout_ms, &cause);
		if (n > 0)
			addr = all[0];
	}
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
	if (!via || d->paths.proxy.kind == PROXY_SOCKS5)
		r->address = xstrdup(addr.text);
	paths_direct_start(&d->paths, &d->net, o, sni);
	if (n > 1) {
		/* Every address of the name: the full diagnosis on the first
		 * that answers, a comparison on the others (addrs.h). */
		struct addrs *as = addrs_start(&d->net, all, (size_t)n, sni,
		    o->timeout_ms);
		pthread_mutex_lock(&d->lock);
		d->addrs = as;
		pthread_mutex_unlock(&d->lock);
		addr = all[addrs_choose(as)];
		free(r->address);
		r->address = xstrdup(addr.text);
	}
	if (d->net.starttls != NULL &&
	    starttls_preflight(d, &addr, sni) != 0) {
		mailsec_judge(r, d->net.starttls, &d->plan);
		for (int c = CHECK_PROTOCOLS; c < CHECK_COUNT; c++)
			report_skip(r, c, "TLS never started, so there was "
			    "nothing to test");
		diag_settle(d, r, CHECK_CONNECT);
		goto out;
	}

	/* Everything that needs the server, at once; net.h bounds how many
	 * connections are open together. */
	scan.sni = sni;
	scan.started = pthread_create(&scan.thread, NULL, scan_job_main,
	    &scan) == 0;
	if (!scan.started)
		ownfail_note("could not start a thread (out of memory or of "
		    "processes)");
	main_tls.req = (struct tls_req){ .version = -1, .sni = sni,
		.staple = 1, .http_host = sni ? sni : o->host,
		/* HEAD / for the Date: header, never to a mail server */
		.http_probe = d->plan.app == STARTTLS_NONE };
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
			trust_why = xasprintf("tlsmedic could not load the "
			    "trust store, so the certificate was not "
			    "checked: %s", cause ? cause : "unknown error");
			free(cause);
			cause = NULL;
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
	memcpy(d->first, main_tls.res.first, main_tls.res.nfirst);
	d->nfirst = main_tls.res.nfirst;
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
	int versions_in = !scan.started ||
	    versions_wait(d, 2 * o->timeout_ms + 1000);
	/* The other addresses of the name: compare now, so that a full run
	 * on one that differs overlaps the rest of this one. */
	if (d->addrs != NULL && versions_in)
		addrs_compare(d->addrs, &main_tls.res, scan.res.protocols, o,
		    trust);
	if (versions_in && !atomic_load(&d->net.cancelled) &&
	    (main_tls.res.ncerts > 0 || scan.res.legacy.ncerts > 0)) {
		diag_chain(d, r, &main_tls.res, &scan.res, trust,
		    sni ? sni : o->host);
		chain_done = 1;
	}
	if (scan.started)
		pthread_join(scan.thread, NULL);
	scan.started = 0;
	copy_scan(r, &scan.res);
	memcpy(d->not_tls, scan.res.legacy.not_tls, sizeof d->not_tls);

	int conn = judge_connection(r, &main_tls.res, &scan.res);
	diag_settle(d, r, CHECK_CONNECT);
	if (conn < 0) {
		if (!via && main_tls.res.net_err != NET_ERR_CANCELLED)
			paths_direct_failed(o, r);
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
	/* Groups and the DHE prime, then which clients connect: the
	 * version and suite findings name the browsers that fail. */
	if (!atomic_load(&d->net.cancelled))
		groups_probe(&d->net, &addr, sni, o->timeout_ms, r);
	clients_judge(r);
	judge_protocols(r, &main_tls.res);
	/* A suite mismatch explains a failed handshake: judge it first. */
	judge_ciphers(r);
	{ /* the smaller of the two primes measured (scan, group probe) */
		int dh = scan.res.dh_bits;
		if (r->dh_bits > 0 && (dh <= 0 || r->dh_bits < dh))
			dh = r->dh_bits;
		refusal_judge_dh(r, dh, &main_tls.res);
	}
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
	diag_skip_untested(d, r);
	diag_clock(d, r, sntp);
	sntp = NULL;
	diag_settle(d, r, CHECK_CERT);
	diag_settle(d, r, CHECK_INTERCEPTION);
	/* No certificate seen at all: those lines were not tested. */
	if (r->chain.n == 0) {
		if (r->checks[CHECK_CERT] == CHECK_PASSED)
			diag_set(d, CHECK_CERT, CHECK_SKIPPED);
		if (r->checks[CHECK_INTERCEPTION] == CHECK_PASSED)
			diag_set(d, CHECK_INTERCEPTION, CHECK_SKIPPED);
	}
	/* No trust store: the chain was not judged at all (rule 1). */
	if (trust_why != NULL)
		diag_skip_untrusted(d, r, trust_why);

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
	/* Again, now that every finding has its owner. */
	if (conn >= 0)
		clients_judge(r);

	paths_judge(&d->paths, r, &main_tls.res);
	if (d->addrs != NULL)
		extra_conns += addrs_judge(d->addrs, r, &main_tls.res, o, trust);
out:
	if (sntp != NULL && !atomic_load(&d->net.cancelled))
		diag_clock(d, r, sntp); /* unreachable: still worth knowing */
	else
		sntp_finish(sntp, NULL, 0);
	if (atomic_load(&d->net.cancelled)) {
		free(r->error);
		r->error = xstrdup("cancelled");
		r->verdict = VERDICT_UNREACHABLE;
	}
	pthread_mutex_lock(&d->lock);
	d->work = NULL;
	pthread_mutex_unlock(&d->lock);
	if (d->paths.active && d->paths.direct_host != NULL)
		extra_conns += atomic_load(&d->paths.direct_net.connections);
	r->handshakes = atomic_load(&d->net.connections) + extra_conns;
	r->elapsed_ms = (long)(now_ms() - t0);
	if (ownfail_reason() != NULL && !atomic_load(&d->net.cancelled))
		diag_own_failure(d, r, ownfail_reason());
	/* Unreachable: a check still running (the clock, which needs the
	 * server's Date:) was not done -- not passed either. */
	for (int c = 0; c < CHECK_COUNT; c++)
		if (r->verdict == VERDICT_UNREACHABLE &&
		    r->checks[c] <= CHECK_RUNNING)
			report_skip(r, c, atomic_load(&d->net.cancelled) ?
			    "cancelled" : "the server could not be reached");
	report_finish(r);
	tls_result_clear(&main_tls.res);
	tls_result_clear(&nosni.res);
	scan_result_clear(&scan.res);
	pthread_mutex_lock(&d->lock);
	struct addrs *as = d->addrs;
	d->addrs = NULL;
	pthread_mutex_unlock(&d->lock);
	addrs_free(as); /* joins: not under the lock diag_cancel takes */
	pthread_mutex_lock(&d->lock);
	d->paths_done = 1; /* diag_cancel leaves it alone from now on */
	pthread_mutex_unlock(&d->lock);
	paths_free(&d->paths);
	trust_free(own_trust);
	free(trust_why);
	free(cause);
	return r;
}

/* Did TLS at once get anywhere (a handshake, a certificate, an alert)? */
static int
reached_tls(const struct report *r)
{
	return r->negotiated != NULL || r->chain.n > 0 ||
	    (report_find(r, FINDING_NET_NOT_TLS) == NULL &&
	    report_find(r, FINDING_NET_TIMEOUT) == NULL &&
	    report_find(r, FINDING_NET_RESET) == NULL &&
	    report_find(r, FINDING_NET_REFUSED) == NULL);
}

/* A second run starts: its check lines start afresh. */
static void
diag_restart_lines(struct diag *d)
{
	for (int c = 0; c < CHECK_COUNT; c++)
		diag_set(d, (enum check)c, CHECK_WAITING);
}

/* One diagnosis as planned (TLS at once, or STARTTLS), and a second when
 * the server shows the other way: a plaintext greeting where TLS was
 * expected, or TLS where a greeting was. */
static struct report *
diag_work(struct diag *d)
{
	const struct diag_opts *o = &d->o;
	struct starttls_state st;
	struct report *r, *r2;
	int64_t t0 = now_ms();
	enum starttls_proto seen;

	mailsec_plan(o->starttls, o->app, o->port, &d->plan);
	starttls_state_init(&st, d->plan.proto, o->sni ? o->sni : o->host);
	d->net.starttls = d->plan.proto != STARTTLS_NONE ? &st : NULL;
	r = diag_work_once(d);
	if (atomic_load(&d->net.cancelled))
		goto done;
	if (d->net.starttls != NULL) {
		enum starttls_outcome out = starttls_state_outcome(&st);
		if (out != STARTTLS_TLS_SPOKEN && out != STARTTLS_SILENT &&
		    out != STARTTLS_BROKEN)
			goto done;
		/* Perhaps TLS at once: try that. */
		struct mailsec_plan planned = d->plan;
		d->net.starttls = NULL;
		d->plan.proto = STARTTLS_NONE;
		diag_restart_lines(d);
		r2 = diag_work_once(d);
		if (!reached_tls(r2) || r2->verdict == VERDICT_UNREACHABLE) {
			d->plan = planned; /* no better: keep the first */
			report_free(r2);
			goto done;
		}
		mailsec_wants_at_once(r2, &planned);
		report_free(r);
		r = r2;
	} else if (report_find(r, FINDING_NET_NOT_TLS) != NULL &&
	    (seen = starttls_sniff(d->first, d->nfirst, o->port)) !=
	    STARTTLS_NONE) {
		/* A plaintext greeting: test it the right way. The raw
		 * probe read more of it: FTP's 220 or SMTP's? */
		if (seen == STARTTLS_SMTP && strlen(d->not_tls) > 9 &&
		    strcasestr(d->not_tls + 9, "ftp") != NULL)
			seen = STARTTLS_FTP;
		struct mailsec_plan planned = d->plan;
		starttls_state_destroy(&st);
		starttls_state_init(&st, seen, o->sni ? o->sni : o->host);
		d->net.starttls = &st;
		d->plan.proto = d->plan.app = seen;
		diag_restart_lines(d);
		r2 = diag_work_once(d);
		mailsec_wants_starttls(r2, &planned, seen,
		    (const unsigned char *)st.greeting, strlen(st.greeting));
		report_free(r);
		r = r2;
	}
done:
	r->tls_mode = mailsec_mode_text(d->plan.proto, d->plan.app);
	report_finish(r);
	r->elapsed_ms = (long)(now_ms() - t0);
	d->net.starttls = NULL;
	starttls_state_destroy(&st);
	return r;
}

static void
diag_init_once(void)
{
	ownfail_install();
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
	d->net.clock_log = clock_log_new();
	return d;
}

static void
diag_free(struct diag *d)
{
	clock_log_free(d->net.clock_log);
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
	pthread_mutex_lock(&d->lock);
	if (!d->paths_done)
		paths_cancel(&d->paths);
	addrs_cancel(d->addrs);
	pthread_mutex_unlock(&d->lock);
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
