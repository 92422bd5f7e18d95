/* groups.c: see groups.h. The probes only record what the server answered;
 * clients.c judges. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "groups.h"
#include "hello.h"
#include "suites.h"
#include "util.h"

/* What client profiles offer (data/clients/): hybrid X25519MLKEM768 (TLS
 * 1.3 only), x25519, P-256, P-384, P-521, x448, ffdhe2048, ffdhe3072. The
 * larger ffdhe groups only come with x25519 in the same profiles. */
static const uint16_t tls13_groups[] = { 0x11ec, 0x001d, 0x0017, 0x0018,
	0x0019, 0x001e, 0x0100, 0x0101 };
static const uint16_t ecdhe_groups[] = { 0x001d, 0x0017, 0x0018, 0x0019,
	0x001e };

static const struct {
	uint16_t code;
	const char *name;
} group_names[] = {
	{ 0x0017, "P-256" }, { 0x0018, "P-384" }, { 0x0019, "P-521" },
	{ 0x001d, "x25519" }, { 0x001e, "x448" }, { 0x0100, "ffdhe2048" },
	{ 0x0101, "ffdhe3072" }, { 0x0102, "ffdhe4096" },
	{ 0x0103, "ffdhe6144" }, { 0x0104, "ffdhe8192" },
	{ 0x11ec, "X25519MLKEM768" },
};

const char *
group_name(uint16_t code, char buf[8])
{
	for (size_t i = 0; i < sizeof group_names / sizeof group_names[0]; i++)
		if (group_names[i].code == code)
			return group_names[i].name;
	snprintf(buf, 8, "0x%04X", code);
	return buf;
}

enum probe_kind { PROBE_TLS13, PROBE_ECDHE, PROBE_DHE };

struct probe {
	pthread_t thread;
	int started;
	enum probe_kind kind;
	struct net_ctx *ctx;
	const struct net_addr *addr;
	int timeout_ms;
	uint16_t group;
	uint16_t suites[HELLO_MAX_SUITES];
	struct hello_req req;
	struct hello_resp resp;
};

static void *
probe_main(void *arg)
{
	struct probe *p = arg;

	p->req.suites = p->suites;
	if (p->kind == PROBE_DHE)
		hello_probe(p->ctx, p->addr, &p->req,
		    now_ms() + p->timeout_ms, &p->resp);
	else
		hello_probe_groups(p->ctx, p->addr, &p->req, &p->group, 1,
		    now_ms() + p->timeout_ms, &p->resp);
	return NULL;
}

static int
kx_is(uint16_t code, const char *prefix)
{
	const struct suite_info *si = suite_find(code);
	return si != NULL && strncmp(si->name, prefix, strlen(prefix)) == 0;
}

/* The suites of list (n) whose name starts with prefix. */
static size_t
pick(const uint16_t *list, size_t n, const char *prefix, uint16_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < HELLO_MAX_SUITES; i++)
		if (kx_is(list[i], prefix))
			out[k++] = list[i];
	return k;
}

static void
set_add(uint16_t *v, size_t *n, uint16_t code)
{
	if (*n < 16)
		v[(*n)++] = code;
}

/* Taken, refused, or no clear answer (timeouts, garbage): only the first
 * two count. */
static void
record(struct group_set *gs, const struct probe *p, uint16_t version)
{
	const struct hello_resp *h = &p->resp;

	if ((h->kind == HELLO_SERVER_HELLO ||
	    (h->kind == HELLO_RETRY_REQUEST && version == 0x0304)) &&
	    h->version == version &&
	    (version == 0x0304 || kx_is(h->suite, "TLS_ECDHE_")))
		set_add(gs->codes, &gs->n, p->group);
	else if (h->kind == HELLO_ALERT || h->kind == HELLO_CLOSED ||
	    h->kind == HELLO_RESET || h->kind == HELLO_SERVER_HELLO)
		set_add(gs->refused, &gs->nrefused, p->group);
}

/* Every probe answered, and the server takes at least one group: a
 * server that speaks the version yet takes none of them answers single-
 * group hellos some other way (an ECDSA certificate on a curve we did not
 * offer, a server that wants a key share), so we know nothing. */
static void
settle(struct group_set *gs, size_t asked)
{
	gs->tested = gs->n > 0 && gs->n + gs->nrefused == asked;
}

void
groups_probe(struct net_ctx *ctx, const struct net_addr *addr,
    const char *sni, int timeout_ms, struct report *r)
{
	struct probe *pr = xcalloc(GROUPS_MAX_PROBES, sizeof *pr);
	size_t np = 0, n13 = 0, necdhe = 0;
	uint16_t all[HELLO_MAX_SUITES];
	int v12 = -1, vdhe = -1;

	memset(&r->groups_tls13, 0, sizeof r->groups_tls13);
	memset(&r->groups_ecdhe, 0, sizeof r->groups_ecdhe);
	r->dh_bits = 0;
	/* The highest version <= TLS 1.2 with ECDHE (DHE) suites taken. */
	for (int p = PROTO_TLS12; p >= PROTO_SSL30; p--)
		for (size_t i = 0; i < r->ciphers[p].n &&
		    r->protocols[p] == TRI_YES; i++) {
			uint16_t c = r->ciphers[p].codes[i];
			if (v12 < 0 && kx_is(c, "TLS_ECDHE_"))
				v12 = p;
			if (vdhe < 0 && kx_is(c, "TLS_DHE_"))
				vdhe = p;
		}
	if (r->protocols[PROTO_TLS13] == TRI_YES) {
		size_t ns = suite_list_for(0x0304, all, HELLO_MAX_SUITES);
		for (size_t g = 0; g < sizeof tls13_groups / 2; g++) {
			struct probe *p = &pr[np++];
			p->kind = PROBE_TLS13;
			p->group = tls13_groups[g];
			memcpy(p->suites, all, ns * sizeof *all);
			p->req = (struct hello_req){ .version = 0x0304,
				.nsuites = ns, .sni = sni };
			n13++;
		}
	}
	if (v12 >= 0) {
		size_t n = suite_list_for(proto_wire(v12), all,
		    HELLO_MAX_SUITES);
		for (size_t g = 0; g < sizeof ecdhe_groups / 2; g++) {
			struct probe *p = &pr[np++];
			p->kind = PROBE_ECDHE;
			p->group = ecdhe_groups[g];
			p->req = (struct hello_req){ .version = proto_wire(v12),
				.nsuites = pick(all, n, "TLS_ECDHE_", p->suites),
				.sni = sni };
			necdhe++;
		}
	}
	if (vdhe >= 0) {
		struct probe *p = &pr[np++];
		p->kind = PROBE_DHE;
		p->req = (struct hello_req){ .version = proto_wire(vdhe),
			.nsuites = pick(r->ciphers[vdhe].codes,
			    r->ciphers[vdhe].n, "TLS_DHE_", p->suites),
			.sni = sni, .want_certs = 1 };
	}
	for (size_t i = 0; i < np; i++) {
		pr[i].ctx = ctx;
		pr[i].addr = addr;
		pr[i].timeout_ms = timeout_ms;
		pr[i].started = pthread_create(&pr[i].thread, NULL,
		    probe_main, &pr[i]) == 0;
		if (!pr[i].started) /* no thread: slower but correct */
			probe_main(&pr[i]);
	}
	for (size_t i = 0; i < np; i++)
		if (pr[i].started)
			pthread_join(pr[i].thread, NULL);
	for (size_t i = 0; i < np; i++) {
		struct probe *p = &pr[i];
		if (p->kind == PROBE_TLS13)
			record(&r->groups_tls13, p, 0x0304);
		else if (p->kind == PROBE_ECDHE)
			record(&r->groups_ecdhe, p, proto_wire(v12));
		else if (p->resp.kind == HELLO_SERVER_HELLO)
			r->dh_bits = p->resp.dh_bits;
		hello_resp_clear(&p->resp);
	}
	if (n13 > 0)
		settle(&r->groups_tls13, n13);
	if (necdhe > 0)
		settle(&r->groups_ecdhe, necdhe);
	free(pr);
}
