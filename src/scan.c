/* scan.c: see scan.h. Two phases, each a set of threads joined before
 * the next: one hello per version; then, per accepted version, "offer all
 * that is left, drop what the server picks" in a few partitions.
 * Connection count per scan: 5 version probes + for each accepted version
 * (its accepted suites - 1 + its partitions); extra partitions come out of
 * a budget of 5 so the total stays at or below accepted suites + 10 (with
 * diag.c's two handshakes -- with and without SNI -- the + 12 of issue 6). A partition finds one suite per round trip, so its
 * length is the scan's time over a slow link: the budget is spent
 * round-robin over the accepted versions, not all on the first. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ownfail.h"
#include "scan.h"
#include "suites.h"
#include "util.h"

#define SCAN_EXTRA_PARTITIONS 5 /* beyond one per version */
#define SCAN_MIN_PER_PARTITION 2

struct task {
	pthread_t thread;
	int started;
	void *(*fn)(void *);
	struct net_ctx *ctx;
	const struct net_addr *addr;
	int timeout_ms;
	struct hello_req req;
	uint16_t list[HELLO_MAX_SUITES]; /* what the request offers */
	struct hello_resp resp;
	/* enumeration only */
	uint16_t found[HELLO_MAX_SUITES];
	size_t nfound;
	int conclusive;  /* ended with a refusal or an empty list */
	int dh_min;      /* smallest DHE prime seen, bits */
};

static void
dh_note(int *min, int bits)
{
	if (bits > 0 && (*min == 0 || bits < *min))
		*min = bits;
}

void
scan_result_clear(struct scan_result *r)
{
	for (int p = 0; p < PROTO_COUNT; p++)
		free(r->ciphers[p].codes);
	hello_resp_clear(&r->legacy);
	memset(r, 0, sizeof *r);
}

static int
accepted(const struct hello_resp *r, uint16_t version)
{
	if (r->kind != HELLO_SERVER_HELLO && !(version == 0x0304 &&
	    r->kind == HELLO_RETRY_REQUEST))
		return 0;
	return r->version == version;
}

/* A clear "no": the server answered, and not with what we offered. */
static int
refused(enum hello_kind kind)
{
	switch (kind) {
	case HELLO_SERVER_HELLO:
	case HELLO_RETRY_REQUEST:
	case HELLO_ALERT:
	case HELLO_CLOSED:
	case HELLO_RESET:
		return 1;
	default:
		return 0;
	}
}

static size_t
suite_index(const uint16_t *list, size_t n, uint16_t code)
{
	size_t i;

	for (i = 0; i < n && list[i] != code; i++)
		;
	return i;
}

/* Which partition each suite of list goes to: round-robin over the list
 * grouped by family (key exchange and authentication, "ECDHE_RSA"), since
 * servers accept whole families and, in table order, a family's members
 * can fall into one partition at the stride np -- which then takes one
 * round trip per suite while the others idle. */
static void
family_spread(const uint16_t *list, size_t n, int np, unsigned char *part_of)
{
	const char *fam[HELLO_MAX_SUITES];
	size_t len[HELLO_MAX_SUITES], k = 0;
	unsigned char done[HELLO_MAX_SUITES] = { 0 };

	for (size_t i = 0; i < n; i++) {
		const struct suite_info *si = suite_find(list[i]);
		const char *w = si ? strstr(si->name, "_WITH_") : NULL;
		fam[i] = w ? si->name : "";
		len[i] = w ? (size_t)(w - si->name) : 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		for (size_t j = i; j < n; j++) {
			if (done[j] || len[j] != len[i] ||
			    strncmp(fam[j], fam[i], len[i]) != 0)
				continue;
			done[j] = 1;
			part_of[j] = (unsigned char)(k++ % (size_t)np);
		}
	}
}

static void
task_run(struct task *t)
{
	t->started = pthread_create(&t->thread, NULL, t->fn, t) == 0;
	/* No thread (ulimit -v, -u): running the probes one after the
	 * other would overrun the time limit; the result says why instead
	 * (ownfail.h). */
	if (!t->started)
		ownfail_note("could not start a thread (out of memory or "
		    "of processes)");
}

static void
task_join(struct task *t)
{
	if (t->started)
		pthread_join(t->thread, NULL);
	t->started = 0;
}

static void *
probe_main(void *arg)
{
	struct task *t = arg;

	t->req.suites = t->list;
	hello_probe(t->ctx, t->addr, &t->req, now_ms() + t->timeout_ms,
	    &t->resp);
	return NULL;
}

static void *
enum_main(void *arg)
{
	struct task *t = arg;
	size_t n = t->req.nsuites;

	t->req.suites = t->list;
	while (n > 0) {
		struct hello_resp r;
		size_t i;

		t->req.nsuites = n;
		hello_probe(t->ctx, t->addr, &t->req,
		    now_ms() + t->timeout_ms, &r);
		int ok = accepted(&r, t->req.version);
		uint16_t suite = r.suite;
		dh_note(&t->dh_min, r.dh_bits);
		enum hello_kind kind = r.kind;
		hello_resp_clear(&r);
		if (!ok) {
			t->conclusive = refused(kind);
			return NULL;
		}
		for (i = 0; i < n && t->list[i] != suite; i++)
			;
		if (i == n) /* hello_parse checks this; be safe anyway */
			return NULL;
		t->found[t->nfound++] = suite;
		memmove(&t->list[i], &t->list[i + 1],
		    (n - i - 1) * sizeof t->list[0]);
		n--;
	}
	t->conclusive = 1;
	return NULL;
}

static void
task_init(struct task *t, void *(*fn)(void *), struct net_ctx *ctx,
    const struct net_addr *addr, int timeout_ms, uint16_t version,
    const char *sni)
{
	memset(t, 0, sizeof *t);
	t->fn = fn;
	t->ctx = ctx;
	t->addr = addr;
	t->timeout_ms = timeout_ms;
	t->req.version = version;
	t->req.sni = sni;
	t->req.want_kx = 1;
}

static void
progress_call(scan_progress_fn progress, void *arg, enum check c,
    enum check_state s)
{
	if (progress != NULL)
		progress(arg, c, s);
}

/* Where a suite goes in a client-like offer: OpenSSL and the browsers put
 * ECDHE with AEAD first, then DHE, then the rest; anonymous suites last so
 * the hello that fetches the chain never gets a suite without one. Some
 * servers (dovecot without DH parameters) pick a DHE suite offered first
 * and then fail with "no shared cipher", so table order would make them
 * look as if they had no TLS 1.2 at all. */
static int
suite_rank(uint16_t code)
{
	const struct suite_info *si = suite_find(code);
	if (si == NULL)
		return 9;
	if (si->flags & SUITE_TLS13)
		return 0;
	if (si->flags & SUITE_ANON)
		return 8;
	int aead = strstr(si->name, "_GCM_") || strstr(si->name, "CHACHA20") ||
	    strstr(si->name, "_CCM");
	int weak = (si->flags & SUITE_WEAK) != 0;
	if (weak)
		return 6 + !aead;
	if (strncmp(si->name, "TLS_ECDHE_", 10) == 0)
		return aead ? 0 : 1;
	if (strncmp(si->name, "TLS_DHE_", 8) == 0)
		return aead ? 2 : 3;
	return aead ? 4 : 5;
}

/* Stable sort by rank (insertion: at most HELLO_MAX_SUITES codes). */
static void
client_order(uint16_t *list, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint16_t c = list[i];
		int rk = suite_rank(c);
		size_t j = i;
		for (; j > 0 && suite_rank(list[j - 1]) > rk; j--)
			list[j] = list[j - 1];
		list[j] = c;
	}
}

size_t
scan_offer_list(uint16_t version, enum hello_offer offer, uint16_t *out)
{
	uint16_t all[HELLO_MAX_SUITES];
	size_t n = suite_list_for(version, all, HELLO_MAX_SUITES), k = 0;

	if (offer != HELLO_OFFER_BROWSER) {
		memcpy(out, all, n * sizeof *all);
		client_order(out, n);
		return n;
	}
	/* The current browsers' suites (data/clients), first seen first. */
	size_t nprof;
	const struct client_profile *prof = client_profiles(&nprof);
	for (size_t i = 0; i < nprof; i++) {
		if (!prof[i].current)
			continue;
		for (size_t j = 0; j < prof[i].nsuites; j++) {
			uint16_t c = prof[i].suites[j];
			if (suite_index(all, n, c) < n &&
			    suite_index(out, k, c) == k && k < HELLO_MAX_SUITES)
				out[k++] = c;
		}
	}
	return k;
}

/* Refused our offer rather than the version: worth asking again. An
 * alert other than protocol_version (70) -- handshake_failure,
 * insufficient_security, illegal_parameter, internal_error ... -- or a
 * connection dropped without a word. */
static int
offer_refused(const struct hello_resp *r)
{
	switch (r->kind) {
	case HELLO_ALERT:
		return r->alert_desc != 70 && r->alert_desc != 112 &&
		    r->alert_desc != 116;
	case HELLO_CLOSED:
	case HELLO_RESET:
		return 1;
	default:
		return 0;
	}
}

static void
answer_note(struct scan_answer *a, const struct hello_resp *r, uint16_t v)
{
	a->kind = r->kind;
	a->alert = r->kind == HELLO_ALERT ? r->alert_desc : -1;
	a->version = r->kind == HELLO_SERVER_HELLO && r->version != v ?
	    r->version : 0;
}

/* The chain-fetching hello got an anonymous suite, so no certificate:
 * the server's key may be on a curve no current client offers (P-192).
 * Ask once more without anonymous suites and with the old curves, to
 * judge that certificate (a weak key) rather than see none. */
static void
chain_by_old_curves(struct net_ctx *ctx, const struct net_addr *addr,
    const char *sni, int timeout_ms, struct task *v)
{
	const struct suite_info *si = suite_find(v->resp.suite);
	struct task t;

	if (v->resp.kind != HELLO_SERVER_HELLO || v->resp.ncerts_sent > 0 ||
	    si == NULL || !(si->flags & SUITE_ANON))
		return;
	task_init(&t, probe_main, ctx, addr, timeout_ms, v->req.version, sni);
	t.req = v->req;
	t.req.old_curves = 1;
	t.req.nsuites = 0;
	for (size_t i = 0; i < v->req.nsuites; i++) {
		si = suite_find(v->list[i]);
		if (si == NULL || !(si->flags & SUITE_ANON))
			t.list[t.req.nsuites++] = v->list[i];
	}
	if (t.req.nsuites == 0)
		return;
	probe_main(&t);
	if (t.resp.kind == HELLO_SERVER_HELLO && t.resp.ncerts > 0) {
		/* The version answer stays (the server's pick); the chain
		 * and what came with it are this one's. */
		uint16_t suite = v->resp.suite;
		hello_resp_clear(&v->resp);
		v->resp = t.resp;
		v->resp.suite = suite;
	} else
		hello_resp_clear(&t.resp);
}

/* TLS 1.2 and 1.3 decide whether clients connect: before a refusal of
 * one of them is believed, ask again with the other offers, one after the
 * other, all versions at once. Only refusals of our offer are asked again
 * -- never a protocol_version alert, never a version that was accepted --
 * so a healthy server costs no connection here. */
static void *
retry_main(void *arg)
{
	struct task *t = arg;

	for (int o = HELLO_OFFER_FULL + 1; o < HELLO_OFFER_COUNT; o++) {
		struct hello_resp r;
		t->req.offer = (enum hello_offer)o;
		t->req.nsuites = scan_offer_list(t->req.version, t->req.offer,
		    t->list);
		t->req.suites = t->list;
		if (t->req.nsuites == 0)
			continue;
		hello_probe(t->ctx, t->addr, &t->req, now_ms() + t->timeout_ms,
		    &r);
		hello_resp_clear(&t->resp);
		t->resp = r;
		if (accepted(&r, t->req.version) || !offer_refused(&r))
			break;
	}
	return NULL;
}

static void
retry_offers(struct net_ctx *ctx, const struct net_addr *addr,
    const char *sni, int timeout_ms, struct task *ver,
    struct scan_result *out)
{
	static const int modern[] = { PROTO_TLS12, PROTO_TLS13 };
	struct task rt[2];
	int want[2] = { 0, 0 };

	for (int k = 0; k < 2; k++) {
		int p = modern[k];
		if (accepted(&ver[p].resp, proto_wire(p)) ||
		    !offer_refused(&ver[p].resp) ||
		    atomic_load(&ctx->cancelled))
			continue;
		want[k] = 1;
		task_init(&rt[k], retry_main, ctx, addr, timeout_ms,
		    proto_wire(p), sni);
		rt[k].req.want_kx = 0;
		rt[k].req.want_certs = p != PROTO_TLS13;
		task_run(&rt[k]);
	}
	for (int k = 0; k < 2; k++) {
		int p = modern[k];
		if (!want[k])
			continue;
		task_join(&rt[k]);
		out->answer[p].retried = 1;
		out->answer[p].offer = rt[k].req.offer;
		answer_note(&out->answer[p], &rt[k].resp, proto_wire(p));
		if (!accepted(&rt[k].resp, proto_wire(p))) {
			hello_resp_clear(&rt[k].resp);
			continue;
		}
		/* The offer that works is the one the suites are asked with. */
		hello_resp_clear(&ver[p].resp);
		ver[p].resp = rt[k].resp;
		ver[p].req.offer = rt[k].req.offer;
		ver[p].req.nsuites = rt[k].req.nsuites;
		memcpy(ver[p].list, rt[k].list, sizeof ver[p].list);
	}
}

int
scan_run(struct net_ctx *ctx, const struct net_addr *addr, const char *sni,
    int timeout_ms, scan_progress_fn progress, void *arg,
    struct scan_result *out)
{
	struct task *ver = xcalloc(PROTO_COUNT, sizeof *ver);
	/* at most one partition per version plus the extras */
	size_t maxparts = PROTO_COUNT + SCAN_EXTRA_PARTITIONS;
	struct task *part = xcalloc(maxparts, sizeof *part);
	int part_proto[PROTO_COUNT + SCAN_EXTRA_PARTITIONS];
	size_t nparts = 0;
	int nacc = 0, nyes = 0, nno = 0;

	memset(out, 0, sizeof *out);
	for (int p = 0; p < PROTO_COUNT; p++) {
		out->protocols[p] = TRI_UNKNOWN;
		out->server_order[p] = TRI_UNKNOWN;
	}

	/* Phase 1: one hello per version, all at once. TLS <= 1.2 ones read
	 * on to the certificates, so the legacy answer costs nothing. */
	progress_call(progress, arg, CHECK_PROTOCOLS, CHECK_RUNNING);
	for (int p = 0; p < PROTO_COUNT; p++) {
		struct task *t = &ver[p];
		task_init(t, probe_main, ctx, addr, timeout_ms, proto_wire(p),
		    sni);
		/* This hello also fetches the chain: in client order, the
		 * anonymous suites (no certificate at all) come last. */
		t->req.nsuites = scan_offer_list(t->req.version, HELLO_OFFER_FULL,
		    t->list);
		t->req.want_certs = p != PROTO_TLS13;
		task_run(t);
	}
	for (int p = 0; p < PROTO_COUNT; p++) {
		task_join(&ver[p]);
		answer_note(&out->answer[p], &ver[p].resp, proto_wire(p));
		out->answer[p].first_kind = ver[p].resp.kind;
		out->answer[p].first_alert = out->answer[p].alert;
	}
	retry_offers(ctx, addr, sni, timeout_ms, ver, out);
	int legacy = -1;
	uint16_t first[PROTO_COUNT];
	for (int p = 0; p < PROTO_COUNT; p++) {
		first[p] = ver[p].resp.suite;
		dh_note(&out->dh_bits, ver[p].resp.dh_bits);
		if (accepted(&ver[p].resp, proto_wire(p))) {
			out->protocols[p] = TRI_YES;
			nacc++, nyes++;
			if (p != PROTO_TLS13)
				legacy = p;
		} else if (refused(ver[p].resp.kind)) {
			out->protocols[p] = TRI_NO;
			nno++;
		}
	}
	if (legacy < 0)
		legacy = PROTO_TLS12; /* its failure tells why */
	else
		chain_by_old_curves(ctx, addr, sni, timeout_ms, &ver[legacy]);
	out->legacy = ver[legacy].resp;
	memset(&ver[legacy].resp, 0, sizeof ver[legacy].resp); /* moved */
	progress_call(progress, arg, CHECK_PROTOCOLS, nyes ? CHECK_PASSED :
	    nno == PROTO_COUNT ? CHECK_FAILED : CHECK_SKIPPED);

	/* Phase 2: suites per accepted version. */
	progress_call(progress, arg, CHECK_CIPHERS, CHECK_RUNNING);
	int extra = SCAN_EXTRA_PARTITIONS;
	static const int order[] = { PROTO_TLS12, PROTO_TLS11, PROTO_TLS10,
		PROTO_SSL30, PROTO_TLS13 };
	size_t norder = sizeof order / sizeof order[0];
	uint16_t all[PROTO_COUNT][HELLO_MAX_SUITES];
	size_t left[PROTO_COUNT] = { 0 };
	int np[PROTO_COUNT] = { 0 };
	for (size_t k = 0; k < norder; k++) {
		int p = order[k];
		if (out->protocols[p] != TRI_YES)
			continue;
		size_t n = scan_offer_list(proto_wire(p), ver[p].req.offer,
		    all[p]);
		for (size_t i = 0; i < n; i++)
			if (all[p][i] != first[p])
				all[p][left[p]++] = all[p][i];
		np[p] = left[p] > 0;
	}
	/* Extra partitions one at a time to each version in turn, while its
	 * list is long enough, so no single version is the long pole. */
	for (int more = 1; more && extra > 0;) {
		more = 0;
		for (size_t k = 0; k < norder && extra > 0; k++) {
			int p = order[k];
			if (np[p] > 0 && left[p] / (size_t)(np[p] + 1) >=
			    SCAN_MIN_PER_PARTITION) {
				np[p]++;
				extra--;
				more = 1;
			}
		}
	}
	for (size_t k = 0; k < norder; k++) {
		int p = order[k];
		unsigned char part_of[HELLO_MAX_SUITES];
		if (np[p] == 0)
			continue;
		family_spread(all[p], left[p], np[p], part_of);
		/* Each partition offers in table order (server_order below
		 * relies on it). */
		for (int j = 0; j < np[p]; j++) {
			struct task *t = &part[nparts];
			part_proto[nparts++] = p;
			task_init(t, enum_main, ctx, addr, timeout_ms,
			    proto_wire(p), sni);
			t->req.offer = ver[p].req.offer;
			for (size_t i = 0; i < left[p]; i++)
				if (part_of[i] == j)
					t->list[t->req.nsuites++] = all[p][i];
		}
	}
	for (size_t i = 0; i < nparts; i++)
		task_run(&part[i]);
	for (size_t i = 0; i < nparts; i++)
		task_join(&part[i]);

	/* Merge: the version probe's pick first (the server's favourite
	 * of everything), then the partitions' picks round-robin. */
	int any_tested = 0;
	for (int p = 0; p < PROTO_COUNT; p++) {
		struct suite_set *ss = &out->ciphers[p];
		size_t total = 1, depth = 0;
		int conclusive = 1, server_first = 0;

		if (out->protocols[p] != TRI_YES)
			continue;
		for (size_t i = 0; i < nparts; i++)
			if (part_proto[i] == p) {
				total += part[i].nfound;
				conclusive &= part[i].conclusive;
				if (part[i].nfound > depth)
					depth = part[i].nfound;
				dh_note(&out->dh_bits, part[i].dh_min);
			}
		ss->codes = xcalloc(total, sizeof *ss->codes);
		ss->codes[ss->n++] = first[p];
		for (size_t d = 0; d < depth; d++)
			for (size_t i = 0; i < nparts; i++)
				if (part_proto[i] == p && d < part[i].nfound)
					ss->codes[ss->n++] = part[i].found[d];
		ss->tested = conclusive;
		any_tested |= conclusive;

		/* Offers are in table order. A server that follows ours
		 * always takes the earliest suite it has: the version
		 * probe's pick is the earliest of all accepted, and each
		 * partition's picks come in table order. */
		size_t nl = ver[p].req.nsuites;
		size_t i0 = suite_index(ver[p].list, nl, first[p]);
		for (size_t k = 1; k < ss->n; k++)
			if (suite_index(ver[p].list, nl, ss->codes[k]) < i0)
				server_first = 1;
		for (size_t i = 0; i < nparts; i++) {
			if (part_proto[i] != p)
				continue;
			for (size_t k = 1; k < part[i].nfound; k++)
				if (suite_index(ver[p].list, nl,
				    part[i].found[k]) < suite_index(ver[p].list,
				    nl, part[i].found[k - 1]))
					server_first = 1;
		}
		out->server_order[p] = server_first ? TRI_YES :
		    conclusive && ss->n >= 2 ? TRI_NO : TRI_UNKNOWN;
	}
	progress_call(progress, arg, CHECK_CIPHERS, any_tested ?
	    CHECK_PASSED : CHECK_SKIPPED);

	for (int p = 0; p < PROTO_COUNT; p++)
		hello_resp_clear(&ver[p].resp);
	free(ver);
	free(part);
	return 0;
}
