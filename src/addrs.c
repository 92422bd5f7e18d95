/* addrs.c: see addrs.h. One thread per address: a TCP connect (which also
 * decides the address of the full diagnosis), then, on the others, the
 * cheap comparison -- the version hellos in threads of their own, so that
 * the comparison costs the time of one handshake. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/ecc.h>

#include "addrs.h"
#include "hello.h"
#include "suites.h"
#include "util.h"

struct vprobe {
	pthread_t thread;
	int started;
	struct net_ctx *net;
	const struct net_addr *addr;
	int timeout_ms;
	uint16_t list[HELLO_MAX_SUITES];
	struct hello_req req;
	enum tri result;
};

struct one {
	struct addrs *as;
	size_t idx;
	struct net_addr addr;
	struct net_ctx net;
	pthread_t thread;
	int started;
	int conn_done, conn_err;
	int64_t conn_at;
	int compared;          /* the cheap comparison ran */
	struct tls_result tls;
	enum tri protocols[PROTO_COUNT];
	struct report *full;   /* a full diagnosis, when it differed */
	struct diag_opts fo;
	pthread_t full_thread;
	int full_started;
};

struct addrs {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t n;
	long chosen; /* -1 until addrs_choose() */
	int compared; /* addrs_compare() ran: the full runs are started */
	const char *sni;
	int timeout_ms;
	int64_t t0;
	struct one one[ADDRS_MAX];
};

static void *
vprobe_main(void *arg)
{
	struct vprobe *v = arg;
	struct hello_resp resp;
	uint16_t want = v->req.version;

	v->req.suites = v->list;
	hello_probe(v->net, v->addr, &v->req, now_ms() + v->timeout_ms, &resp);
	if ((resp.kind == HELLO_SERVER_HELLO || (want == 0x0304 &&
	    resp.kind == HELLO_RETRY_REQUEST)) && resp.version == want)
		v->result = TRI_YES;
	else if (resp.kind == HELLO_SERVER_HELLO || resp.kind ==
	    HELLO_RETRY_REQUEST || resp.kind == HELLO_ALERT ||
	    resp.kind == HELLO_CLOSED || resp.kind == HELLO_RESET)
		v->result = TRI_NO;
	else
		v->result = TRI_UNKNOWN;
	hello_resp_clear(&resp);
	return NULL;
}

/* One handshake for the chain and one hello per version, at once. */
static void
compare_run(struct one *o)
{
	struct vprobe v[PROTO_COUNT];
	struct tls_req req = { .version = -1, .sni = o->as->sni };

	memset(v, 0, sizeof v);
	for (int p = 0; p < PROTO_COUNT; p++) {
		v[p].net = &o->net;
		v[p].addr = &o->addr;
		v[p].timeout_ms = o->as->timeout_ms;
		v[p].req.version = proto_wire(p);
		v[p].req.sni = o->as->sni;
		v[p].req.nsuites = suite_list_for(v[p].req.version, v[p].list,
		    HELLO_MAX_SUITES);
		v[p].started = pthread_create(&v[p].thread, NULL, vprobe_main,
		    &v[p]) == 0;
		if (!v[p].started)
			vprobe_main(&v[p]);
	}
	tls_handshake(&o->net, &o->addr, &req, o->as->timeout_ms, &o->tls);
	for (int p = 0; p < PROTO_COUNT; p++) {
		if (v[p].started)
			pthread_join(v[p].thread, NULL);
		o->protocols[p] = v[p].result;
	}
	o->compared = 1;
}

static void *
one_main(void *arg)
{
	struct one *o = arg;
	struct addrs *as = o->as;
	int fd = net_connect(&o->net, &o->addr, now_ms() + as->timeout_ms);
	int64_t until = now_ms() + as->timeout_ms + 2000;

	if (fd >= 0)
		net_close(&o->net, fd);
	pthread_mutex_lock(&as->lock);
	o->conn_err = fd >= 0 ? 0 : fd;
	o->conn_at = now_ms();
	o->conn_done = 1;
	pthread_cond_broadcast(&as->cond);
	while (as->chosen < 0 && now_ms() < until) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&as->cond, &as->lock, &ts);
	}
	int mine = as->chosen == (long)o->idx || as->chosen < 0;
	pthread_mutex_unlock(&as->lock);
	if (!mine && o->conn_err == 0)
		compare_run(o);
	wc_ecc_fp_free();
	return NULL;
}

int
addrs_resolve(const char *host, const char *list, int port,
    struct net_addr *out, size_t max, int64_t deadline, char **cause)
{
	const char *s = list;
	size_t n = 0;

	if (list == NULL)
		return net_resolve(host, port, out, max, deadline, cause);
	/* --resolve HOST:PORT:ADDR1,ADDR2 (curl): address literals. */
	while (*s && n < max) {
		size_t len = strcspn(s, ",");
		char *one = xstrndup(s, len);
		int rc = net_resolve(one, port, &out[n], 1, deadline,
		    n == 0 ? cause : NULL);
		free(one);
		if (rc < 0 && n == 0)
			return rc;
		if (rc > 0)
			n++;
		s += len;
		if (*s == ',')
			s++;
	}
	return n > 0 ? (int)n : NET_ERR_DNS;
}

struct addrs *
addrs_start(const struct net_ctx *like, const struct net_addr *a, size_t n,
    const char *sni, int timeout_ms)
{
	struct addrs *as;

	if (n < 2)
		return NULL;
	if (n > ADDRS_MAX)
		n = ADDRS_MAX;
	as = xcalloc(1, sizeof *as);
	pthread_mutex_init(&as->lock, NULL);
	pthread_cond_init(&as->cond, NULL);
	as->n = n;
	as->chosen = -1;
	as->sni = sni;
	as->timeout_ms = timeout_ms;
	as->t0 = now_ms();
	for (size_t i = 0; i < n; i++) {
		struct one *o = &as->one[i];
		o->as = as;
		o->idx = i;
		o->addr = a[i];
		net_ctx_init_like(&o->net, like);
		for (int p = 0; p < PROTO_COUNT; p++)
			o->protocols[p] = TRI_UNKNOWN;
	}
	for (size_t i = 0; i < n; i++) {
		struct one *o = &as->one[i];
		o->started = pthread_create(&o->thread, NULL, one_main, o) == 0;
		if (!o->started) { /* no thread: count it as not answering */
			o->conn_done = 1;
			o->conn_err = NET_ERR_OTHER;
		}
	}
	return as;
}

/* The first address in resolver order that answers; a later one that
 * answered first wins if the earlier ones stay silent twice as long as it
 * took (a dead address must not cost the whole timeout). */
static long
choice(const struct addrs *as, int64_t now)
{
	long first_ok = -1;
	int64_t first_at = 0;

	for (size_t i = 0; i < as->n; i++) {
		const struct one *o = &as->one[i];
		if (!o->conn_done)
			continue;
		if (o->conn_err == 0 && (first_ok < 0 || o->conn_at < first_at)) {
			first_ok = (long)i;
			first_at = o->conn_at;
		}
	}
	for (size_t i = 0; i < as->n; i++) {
		const struct one *o = &as->one[i];
		if (o->conn_done && o->conn_err == 0)
			return (long)i; /* all before it failed */
		if (!o->conn_done)
			break;
	}
	if (first_ok >= 0) {
		int64_t took = first_at - as->t0;
		if (took < 100)
			took = 100;
		if (now >= first_at + took)
			return first_ok;
		return -1;
	}
	for (size_t i = 0; i < as->n; i++)
		if (!as->one[i].conn_done)
			return -1;
	return 0; /* none answers: the full diagnosis says why */
}

size_t
addrs_choose(struct addrs *as)
{
	int64_t until = as->t0 + as->timeout_ms + 1000;
	long c;

	pthread_mutex_lock(&as->lock);
	while ((c = choice(as, now_ms())) < 0 && now_ms() < until) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&as->cond, &as->lock, &ts);
	}
	as->chosen = c < 0 ? 0 : c;
	pthread_cond_broadcast(&as->cond);
	pthread_mutex_unlock(&as->lock);
	return (size_t)as->chosen;
}

void
addrs_cancel(struct addrs *as)
{
	if (as == NULL)
		return;
	for (size_t i = 0; i < as->n; i++)
		net_cancel(&as->one[i].net);
}

static int
same_leaf(const struct tls_result *a, const struct tls_result *b)
{
	if (a->ncerts == 0 || b->ncerts == 0)
		return a->ncerts == b->ncerts;
	return a->cert_lens[0] == b->cert_lens[0] &&
	    memcmp(a->certs[0], b->certs[0], a->cert_lens[0]) == 0;
}

/* Does the cheap look at o differ from the full diagnosis? */
static int
differs(const struct one *o, const enum tri *protocols,
    const struct tls_result *main)
{
	if (o->tls.ok != main->ok)
		return 1;
	if (main->ok && (!same_leaf(&o->tls, main) ||
	    o->tls.version != main->version))
		return 1;
	if (!main->ok && (o->tls.alert_recv != main->alert_recv ||
	    o->tls.wolf_err != main->wolf_err))
		return 1;
	for (int p = 0; p < PROTO_COUNT; p++)
		if (o->protocols[p] != TRI_UNKNOWN &&
		    protocols[p] != TRI_UNKNOWN &&
		    o->protocols[p] != protocols[p])
			return 1;
	return 0;
}

static void *
full_main(void *arg)
{
	struct one *o = arg;
	o->full = diag_run(&o->fo);
	wc_ecc_fp_free();
	return NULL;
}

static int
serious(const struct finding *f)
{
	return f->severity >= SEV_WARNING &&
	    f->id != FINDING_NET_ADDRESS_DOWN &&
	    f->id != FINDING_NET_ADDRESSES_DIFFER;
}

static char *
finding_ids(const struct report *r)
{
	struct strbuf b = { 0 };

	for (size_t i = 0; i < r->nfindings; i++)
		if (serious(&r->findings[i]))
			strbuf_printf(&b, "%s%s", b.len ? ", " : "",
			    finding_id_str(r->findings[i].id));
	return b.len ? strbuf_steal(&b) : xstrdup("no problems found");
}

/* Who holds finding id: the chosen address and those found the same, if
 * the main report has it; each fully diagnosed address whose report has
 * it. Writes the address list to *list; returns the count. */
static size_t
holders(const struct addrs *as, const struct report *r, enum finding_id id,
    struct strbuf *list)
{
	size_t k = 0;
	int in_main = report_find(r, id) != NULL;

	for (size_t i = 0; i < as->n; i++) {
		const struct one *o = &as->one[i];
		int has;
		if ((long)i == as->chosen || (o->compared && o->full == NULL))
			has = in_main;
		else if (o->full != NULL)
			has = report_find(o->full, id) != NULL;
		else
			continue;
		if (has) {
			strbuf_printf(list, "%s%s", k ? ", " : "", o->addr.text);
			k++;
		}
	}
	return k;
}

static void
judge_down(struct addrs *as, struct report *r, size_t answering)
{
	for (size_t i = 0; i < as->n && answering > 0; i++) {
		struct one *o = &as->one[i];
		int v6 = o->addr.ss.ss_family == AF_INET6;
		if (o->conn_err == 0)
			continue;
		char *sum = xasprintf("The %s address %s of this name does not "
		    "answer; clients that pick it fail", v6 ? "IPv6" : "IPv4",
		    o->addr.text);
		char *ev = xasprintf("%s port %d: %s, while %zu other "
		    "address%s of the name answer%s", o->addr.text,
		    r->port, net_strerror(o->conn_err), answering,
		    answering == 1 ? "" : "es", answering == 1 ? "s" : "");
		struct finding *f = report_add(r, FINDING_NET_ADDRESS_DOWN, sum,
		    ev);
		/* No route from here: this network's (no IPv6, say); a
		 * refusal or silence from the host: the site's. */
		if (o->conn_err == NET_ERR_UNREACH)
			f->owner = OWNER_NETWORK;
		free(sum);
		free(ev);
	}
}

void
addrs_compare(struct addrs *as, const struct tls_result *main,
    const enum tri protocols[PROTO_COUNT], const struct diag_opts *o,
    const struct trust *trust)
{
	if (as == NULL || as->compared)
		return;
	as->compared = 1;
	for (size_t i = 0; i < as->n; i++)
		if (as->one[i].started) {
			pthread_join(as->one[i].thread, NULL);
			as->one[i].started = 0;
		}
	/* The differing ones in full, at once, while the first address'
	 * diagnosis goes on. */
	for (size_t i = 0; i < as->n; i++) {
		struct one *one = &as->one[i];
		if ((long)i == as->chosen || !one->compared ||
		    !differs(one, protocols, main))
			continue;
		one->fo = *o;
		one->fo.connect_addr = one->addr.text;
		one->fo.one_address = 1;
		one->fo.proxy = "";
		one->fo.trust = trust;
		one->full_started = pthread_create(&one->full_thread, NULL,
		    full_main, one) == 0;
		if (!one->full_started)
			full_main(one);
	}
}

int
addrs_judge(struct addrs *as, struct report *r,
    const struct tls_result *main, const struct diag_opts *o,
    const struct trust *trust)
{
	size_t answering = 0, nfull = 0;
	int extra = 0;
	char *main_ids = finding_ids(r);
	int main_bad = 0;

	for (size_t i = 0; i < r->nfindings; i++)
		main_bad |= serious(&r->findings[i]);
	addrs_compare(as, main, r->protocols, o, trust);
	for (size_t i = 0; i < as->n; i++) {
		struct one *one = &as->one[i];
		if (one->conn_err == 0)
			answering++;
		if (one->full_started) {
			pthread_join(one->full_thread, NULL);
			one->full_started = 0;
		}
		if (one->full != NULL)
			nfull++;
	}

	/* Findings that hold for some addresses only name them. */
	struct strbuf differ = { 0 };
	enum severity worst = SEV_INFO;
	char *first_sum = NULL;
	size_t ndiffer_addrs = 0;
	for (size_t src = 0; src <= as->n; src++) {
		const struct report *from = src == as->n ? r :
		    as->one[src].full;
		if (from == NULL)
			continue;
		for (size_t k = 0; k < from->nfindings; k++) {
			const struct finding *f = &from->findings[k];
			struct strbuf list = { 0 };
			struct finding *mf;
			if (f->id == FINDING_NET_ADDRESS_DOWN ||
			    f->id == FINDING_NET_ADDRESSES_DIFFER ||
			    (from != r && report_find(r, f->id)))
				continue;
			size_t h = holders(as, r, f->id, &list);
			if (h == 0 || h >= answering) {
				strbuf_free(&list);
				continue;
			}
			char *sum = xasprintf("On %s (%zu of %zu addresses of "
			    "this name): %s", list.s, h, answering, f->summary);
			if (from == r) {
				mf = report_find(r, f->id);
				free(mf->summary);
				mf->summary = sum;
			} else {
				mf = report_add(r, f->id, sum, f->evidence);
				mf->owner = f->owner;
				mf->severity = f->severity;
				free(sum);
			}
			if (f->severity > worst)
				worst = f->severity;
			if (first_sum == NULL)
				first_sum = xstrdup(mf->summary);
			strbuf_free(&list);
		}
	}

	/* The address lines, and the evidence of the summary finding. */
	for (size_t i = 0; i < as->n; i++) {
		struct one *one = &as->one[i];
		char *ids = NULL, *sum;
		const char *status;
		if ((long)i == as->chosen) {
			status = r->verdict == VERDICT_UNREACHABLE ?
			    "unreachable" : main_bad ? "problems" : "ok";
			sum = xasprintf("full diagnosis: %s", main_ids);
		} else if (one->conn_err != 0) {
			status = "unreachable";
			sum = xasprintf("does not answer (%s)",
			    net_strerror(one->conn_err));
		} else if (one->full != NULL) {
			ids = finding_ids(one->full);
			int bad = 0;
			for (size_t k = 0; k < one->full->nfindings; k++)
				bad |= serious(&one->full->findings[k]);
			status = one->full->verdict == VERDICT_UNREACHABLE ?
			    "unreachable" : bad ? "problems" : "ok";
			sum = xasprintf("differs from %s; full diagnosis: %s",
			    as->one[as->chosen].addr.text, ids);
			extra += one->full->handshakes;
			ndiffer_addrs++;
		} else if (one->compared) {
			status = "same";
			sum = xasprintf("same certificate and versions as %s",
			    as->one[as->chosen].addr.text);
		} else {
			status = "unreachable";
			sum = xstrdup("not tested");
		}
		report_add_address(r, one->addr.text, status, sum,
		    (long)i == as->chosen || one->full != NULL);
		strbuf_printf(&differ, "%s%s: %s", differ.len ? "; " : "",
		    one->addr.text, sum);
		extra += atomic_load(&one->net.connections);
		free(ids);
		free(sum);
	}
	if (nfull > 0 && answering > 1) {
		char *s = first_sum != NULL ?
		    xasprintf("The %zu servers behind this name do not all "
		    "agree, so some users fail where others succeed: %s",
		    answering, first_sum) :
		    xasprintf("The %zu servers behind this name show different "
		    "certificates or versions, none of them wrong", answering);
		struct finding *f = report_add(r, FINDING_NET_ADDRESSES_DIFFER,
		    s, differ.s);
		/* Servers of one name should be alike: a difference is worth
		 * a warning even when each one is fine on its own. */
		f->severity = first_sum != NULL && worst > SEV_WARNING ? worst :
		    first_sum != NULL ? SEV_WARNING : SEV_INFO;
		free(s);
	}
	judge_down(as, r, answering);
	strbuf_free(&differ);
	free(main_ids);
	free(first_sum);
	(void)ndiffer_addrs;
	return extra;
}

void
addrs_free(struct addrs *as)
{
	if (as == NULL)
		return;
	pthread_mutex_lock(&as->lock);
	if (as->chosen < 0)
		as->chosen = 0;
	pthread_cond_broadcast(&as->cond);
	pthread_mutex_unlock(&as->lock);
	for (size_t i = 0; i < as->n; i++) {
		struct one *o = &as->one[i];
		if (o->started)
			pthread_join(o->thread, NULL);
		if (o->full_started)
			pthread_join(o->full_thread, NULL);
		tls_result_clear(&o->tls);
		report_free(o->full);
		net_ctx_destroy(&o->net);
	}
	pthread_cond_destroy(&as->cond);
	pthread_mutex_destroy(&as->lock);
	free(as);
}
