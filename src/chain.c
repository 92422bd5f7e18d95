/* chain.c: parse the certificates a server sent, then judge the chain
 * offline so that every problem is reported at once (see chain.h).
 *
 * The path is built here, by names and signatures, never by dates: an
 * expired intermediate must show up as "expired", not as "untrusted". The
 * trust store's wolfSSL manager is asked too, for the one thing it can
 * show that our own search cannot: which root a library that looks
 * anchors up by name alone ends up with. */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wolfssl/ssl.h>
#include <wolfssl/openssl/x509v3.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hash.h>

#include "chain.h"
#include "httpget.h"
#include "sanitize.h"
#include "trust_int.h"
#include "util.h"
#include "x509/infamous.h"
#include "x509/path.h"
#include "x509/policy.h"
#include "x509/second.h"

#define SANS_KEPT 200        /* in the model; the host check sees all */
#define NAMES_SHOWN 8        /* in evidence */
#define DN_MAX 1024
#define URL_MAX 1024
#define AIA_MAX_BODY 65536
#define AIA_MAX_HOPS 3
#define NOT_TRUSTED "The certificate was not issued by an authority this " \
	"computer trusts."

/* --- the analysis --- */

/* Evidence is assembled from fields that are sanitized already, and
 * report_add() sanitizes again, which would show "\x1B" as "\\x1B". So
 * undo the escapes first (a NUL becomes U+FFFD: C strings end there) and
 * let report_add() escape once. */
static char *
unsanitize(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	while (*s) {
		unsigned v;
		int n;

		if (s[0] != '\\') {
			*o++ = *s++;
		} else if (s[1] == '\\') {
			*o++ = '\\';
			s += 2;
		} else if (s[1] == 'x' && sscanf(s + 2, "%2x%n", &v, &n) == 1 &&
		    n == 2) {
			if (v == 0) {
				memcpy(o, "\xef\xbf\xbd", 3);
				o += 3;
			} else
				*o++ = (char)v;
			s += 4;
		} else if (s[1] == 'u' && s[2] == '{' &&
		    sscanf(s + 3, "%6x%n", &v, &n) == 1 && s[3 + n] == '}' &&
		    v > 0 && v <= 0x10ffff) {
			/* Shorter than the escape it replaces. */
			if (v < 0x80) {
				*o++ = (char)v;
			} else if (v < 0x800) {
				*o++ = (char)(0xc0 | v >> 6);
				*o++ = (char)(0x80 | (v & 0x3f));
			} else if (v < 0x10000) {
				*o++ = (char)(0xe0 | v >> 12);
				*o++ = (char)(0x80 | ((v >> 6) & 0x3f));
				*o++ = (char)(0x80 | (v & 0x3f));
			} else {
				*o++ = (char)(0xf0 | v >> 18);
				*o++ = (char)(0x80 | ((v >> 12) & 0x3f));
				*o++ = (char)(0x80 | ((v >> 6) & 0x3f));
				*o++ = (char)(0x80 | (v & 0x3f));
			}
			s += 4 + n;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static struct finding *
finding_put(struct report *r, enum finding_id id, const char *summary,
    const char *evidence)
{
	char *s = unsanitize(summary);
	char *e = unsanitize(evidence ? evidence : "");
	struct finding *f = report_add(r, id, s, e);

	free(s);
	free(e);
	return f;
}

/* Human words for a certificate's place in the chain. */
static const char *
role(size_t pos, const struct path_node *nd)
{
	if (pos == 0)
		return "the server's certificate";
	return nd->self_signed ? "the root" : "the intermediate";
}

static void
fmt_day(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "?");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
}

/* Dates: every certificate the path uses, the trust store's root too. */
static void
check_dates(const struct path_node *nodes, const size_t *path, size_t np,
    const struct trust *t, const struct trust_anchor *anchor,
    int anchor_sent, time_t now, struct report *r)
{
	struct strbuf exp = { 0 }, early = { 0 };
	int nexp = 0, nearly = 0, leaf_exp = 0, leaf_early = 0;
	char from[32], to[32], at[32];

	fmt_day(at, sizeof at, now);
	for (size_t k = 0; k <= np; k++) {
		const char *who, *subj;
		time_t nb, na;

		if (k < np) {
			const struct path_node *nd = &nodes[path[k]];
			who = role(k, nd);
			subj = nd->ci->subject;
			nb = nd->ci->not_before, na = nd->ci->not_after;
		} else if (anchor != NULL && !anchor_sent) {
			WOLFSSL_X509 *x = trust_anchor_x509(t, anchor);
			who = "the root in your trust store";
			subj = trust_anchor_subject(t, anchor);
			nb = wolf_time(wolfSSL_X509_get_notBefore(x));
			na = wolf_time(wolfSSL_X509_get_notAfter(x));
		} else
			break;
		fmt_day(from, sizeof from, nb);
		fmt_day(to, sizeof to, na);
		if (na != 0 && now > na) {
			strbuf_printf(&exp, "%s%s (%s) expired %s (valid %s to "
			    "%s; now %s)", nexp ? "; " : "", who, subj, to,
			    from, to, at);
			nexp++;
			leaf_exp |= k == 0;
		}
		if (nb != 0 && now < nb) {
			strbuf_printf(&early, "%s%s (%s) is valid only from %s "
			    "(valid %s to %s; now %s)", nearly ? "; " : "", who,
			    subj, from, from, to, at);
			nearly++;
			leaf_early |= k == 0;
		}
	}
	if (nexp)
		finding_put(r, FINDING_CERT_EXPIRED, nexp == 1 && leaf_exp ?
		    "The server's certificate has expired." : nexp == 1 ?
		    "A certificate in the server's chain has expired." :
		    "Several certificates in the server's chain have expired.",
		    exp.s);
	if (nearly)
		finding_put(r, FINDING_CERT_NOT_YET_VALID, nearly == 1 &&
		    leaf_early ? "The server's certificate is not valid yet." :
		    "A certificate in the server's chain is not valid yet.",
		    early.s);
	strbuf_free(&exp);
	strbuf_free(&early);
}

/* --- host name --- */

struct host {
	char name[256]; /* lower case, no trailing dot */
	int is_ip;
	unsigned char ip[16];
	size_t iplen;
};

static int
host_init(struct host *h, const char *s)
{
	size_t n = strlen(s);
	char tmp[256];

	memset(h, 0, sizeof *h);
	if (n >= sizeof h->name)
		return -1;
	if (n > 2 && s[0] == '[' && s[n - 1] == ']') /* [v6] */
		s++, n -= 2;
	for (size_t i = 0; i < n; i++)
		h->name[i] = (char)tolower((unsigned char)s[i]);
	h->name[n] = '\0';
	if (n > 0 && h->name[n - 1] == '.')
		h->name[n - 1] = '\0';
	snprintf(tmp, sizeof tmp, "%s", h->name);
	if (inet_pton(AF_INET, tmp, h->ip) == 1)
		h->is_ip = 1, h->iplen = 4;
	else if (inet_pton(AF_INET6, tmp, h->ip) == 1)
		h->is_ip = 1, h->iplen = 16;
	return 0;
}

/* RFC 6125: exact match, or "*." + at least two labels matching exactly
 * one non-empty left-most label. Names with odd bytes never match. */
static int
dns_match(const char *pat, size_t len, const char *host)
{
	char p[256];
	const char *dot;

	if (len == 0 || len >= sizeof p)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pat[i];
		if (!(isalnum(c) || c == '-' || c == '.' || c == '*' ||
		    c == '_'))
			return 0;
		p[i] = (char)tolower(c);
	}
	p[len] = '\0';
	if (len > 1 && p[len - 1] == '.')
		p[--len] = '\0';
	if (strchr(p, '*') == NULL)
		return strcmp(p, host) == 0;
	if (p[0] != '*' || p[1] != '.' || strchr(p + 1, '*') != NULL ||
	    strchr(p + 2, '.') == NULL)
		return 0;
	dot = strchr(host, '.');
	return dot != NULL && dot != host && strcmp(dot + 1, p + 2) == 0;
}

struct host_scan {
	const struct host *h;
	int matched;
	size_t n;
	struct strbuf names; /* the first few, sanitized */
};

static void
host_cb(void *arg, int type, const unsigned char *p, size_t len)
{
	struct host_scan *hs = arg;

	if (type == GEN_DNS && !hs->h->is_ip &&
	    dns_match((const char *)p, len, hs->h->name))
		hs->matched = 1;
	if (type == GEN_IPADD && hs->h->is_ip && len == hs->h->iplen &&
	    memcmp(p, hs->h->ip, len) == 0)
		hs->matched = 1;
	if (hs->n < NAMES_SHOWN) {
		char *s = type == GEN_IPADD ? ip_text(p, len) : NULL;
		if (s == NULL)
			s = sanitize((const char *)p, len, 128);
		strbuf_printf(&hs->names, "%s%s", hs->n ? ", " : "", s);
		free(s);
	}
	hs->n++;
}

static void
check_hostname(const struct path_node *leaf, const char *hostname,
    struct report *r)
{
	struct host h;
	struct host_scan hs = { 0 };
	int total;
	char *cn, *asked;
	size_t cnlen = 0;

	if (hostname == NULL || *hostname == '\0' ||
	    host_init(&h, hostname) != 0)
		return;
	hs.h = &h;
	total = san_each(leaf->x, host_cb, &hs);
	asked = sanitize(hostname, strlen(hostname), 256);
	if (hs.matched)
		goto out;
	if (total > 0) {
		char *ev = xasprintf("asked for %s; the certificate names %d "
		    "host%s: %s%s", asked, total, total == 1 ? "" : "s",
		    hs.names.s, total > NAMES_SHOWN ? ", ..." : "");
		char *sum = xasprintf("The certificate is not valid for %s: it "
		    "names other hosts.", asked);
		finding_put(r, FINDING_CERT_HOSTNAME, sum, ev);
		free(sum);
		free(ev);
		goto out;
	}
	/* No DNS or IP name at all: only the old Common Name is left. */
	cn = cert_cn(wolfSSL_X509_get_subject_name(leaf->x), &cnlen);
	if (cn != NULL && !h.is_ip && strlen(cn) == cnlen &&
	    dns_match(cn, cnlen, h.name)) {
		char *ev = xasprintf("asked for %s; the certificate has no "
		    "subjectAltName, only CN=%s", asked, leaf->ci->cn);
		finding_put(r, FINDING_CERT_HOSTNAME, "The certificate names "
		    "the host only in its old Common Name field; current "
		    "browsers reject that and need a subjectAltName.", ev);
		free(ev);
	} else {
		char *ev = xasprintf("asked for %s; the certificate has no "
		    "subjectAltName%s%s", asked, cn ? "; its CN is " : "",
		    cn ? leaf->ci->cn : "");
		char *sum = xasprintf("The certificate is not valid for %s.",
		    asked);
		finding_put(r, FINDING_CERT_HOSTNAME, sum, ev);
		free(sum);
		free(ev);
	}
	free(cn);
out:
	free(asked);
	strbuf_free(&hs.names);
}

/* --- issuer missing: the AIA caIssuers fetch --- */

enum aia_result {
	AIA_NONE,      /* no URL, or no network allowed */
	AIA_FAILED,    /* fetch failed or the answer was not a certificate */
	AIA_BOGUS,     /* a certificate that does not sign ours */
	AIA_UNTRUSTED, /* the real issuer, but it leads to no trusted root */
	AIA_TRUSTED    /* the real issuer, and it chains to a trusted root */
};

/* Only plain printable URLs are fetched: a sanitized URL that needed
 * escapes is not the URL the certificate holds. */
static int
url_fetchable(const char *u)
{
	if (u == NULL || strncmp(u, "http://", 7) != 0)
		return 0;
	for (; *u; u++)
		if (*u <= 0x20 || *u >= 0x7f || *u == '\\')
			return 0;
	return 1;
}

static int
aia_get(const struct chain_opts *o, const char *url, int64_t deadline,
    struct cert_info *ci, struct strbuf *ev)
{
	unsigned char *body = NULL;
	size_t blen = 0;
	int rc = http_fetch(o->ctx, url, NULL, 0, NULL, AIA_MAX_BODY,
	    deadline, &body, &blen);

	if (rc != 0) {
		strbuf_printf(ev, "; fetching %s failed (%s)", url,
		    rc == HTTP_ERR ? "bad answer" : net_strerror(rc));
		return -1;
	}
	/* Issuers publish DER, sometimes PEM. */
	if (blen > 10 && memcmp(body, "-----BEGIN", 10) == 0) {
		unsigned char *der = xmalloc(blen);
		int n = wc_CertPemToDer(body, (int)blen, der, (int)blen,
		    CERT_TYPE);
		free(body);
		body = der;
		blen = n > 0 ? (size_t)n : 0;
	}
	rc = cert_info_parse(body, blen, ci);
	free(body);
	if (rc != 0)
		strbuf_printf(ev, "; %s did not give a certificate", url);
	return rc;
}

static enum aia_result
aia_resolve(const struct chain_opts *o, const struct path_node *top,
    struct strbuf *ev, const struct trust_anchor **anchor)
{
	struct cert_info got[AIA_MAX_HOPS];
	struct path_node nodes[AIA_MAX_HOPS];
	const struct path_node *cur = top;
	enum aia_result res = AIA_FAILED;
	/* One bound for all hops: a slow issuer must not multiply it. */
	int64_t deadline = now_ms() + (o->timeout_ms > 0 ? o->timeout_ms :
	    5000);

	memset(got, 0, sizeof got);
	memset(nodes, 0, sizeof nodes);
	if (!url_fetchable(top->ci->ca_issuers_url) || o->ctx == NULL)
		return AIA_NONE;
	for (int hop = 0; hop < AIA_MAX_HOPS; hop++) {
		const char *url = cur->ci->ca_issuers_url;
		struct path_node *nd = &nodes[hop];

		if (!url_fetchable(url))
			break;
		if (aia_get(o, url, deadline, &got[hop], ev) != 0)
			break;
		if (path_node_init(nd, &got[hop]) != 0 ||
		    !path_same_hash(nd->id.subject, cur->id.issuer) ||
		    !cert_signs(nd->x, cur->x)) {
			strbuf_printf(ev, "; %s gives %s, which did not sign "
			    "%s", url, got[hop].subject, cur->ci->subject);
			res = AIA_BOGUS;
			break;
		}
		strbuf_printf(ev, "; %s gives %s, which signs %s", url,
		    got[hop].subject, cur->ci->subject);
		if ((*anchor = path_anchor_for(o->trust, nd, NULL)) != NULL) {
			strbuf_printf(ev, " and chains to the trusted root %s",
			    trust_anchor_subject(o->trust, *anchor));
			res = AIA_TRUSTED;
			break;
		}
		if (nd->self_signed) {
			res = AIA_UNTRUSTED;
			break;
		}
		cur = nd;
	}
	for (int i = 0; i < AIA_MAX_HOPS; i++) {
		path_node_free(&nodes[i]);
		cert_info_clear(&got[i]);
	}
	return res;
}

/* --- the findings --- */

static void
check_trust(const struct path_node *top, size_t np, const struct chain_opts *o,
    const char *confusion, struct report *r)
{
	struct strbuf ev = { 0 };
	const struct trust_anchor *via = NULL;
	size_t named = 0;
	const char *src = trust_source(o->trust);

	(void)path_anchor_for(o->trust, top, &named);
	if (top->self_signed) {
		if (np == 1) {
			strbuf_printf(&ev, "%s signed itself and is not among "
			    "the %zu trusted certificates of %s",
			    top->ci->subject, trust_count(o->trust), src);
			finding_put(r, FINDING_CERT_SELF_SIGNED, "The server's "
			    "certificate is self-signed: no client trusts it "
			    "unless it is installed by hand.", ev.s);
		} else {
			strbuf_printf(&ev, "the chain ends at %s, which is not "
			    "among the %zu trusted certificates of %s%s%s",
			    top->ci->subject, trust_count(o->trust), src,
			    confusion ? "; " : "", confusion ? confusion : "");
			finding_put(r, FINDING_CERT_UNTRUSTED_ROOT, "The chain "
			    "ends at a root certificate that this computer "
			    "does not trust.", ev.s);
		}
		goto out;
	}
	strbuf_printf(&ev, "the issuer of %s (%s) was not sent and is not in "
	    "the trust store (%s)", top->ci->subject, top->ci->issuer, src);
	switch (aia_resolve(o, top, &ev, &via)) {
	case AIA_TRUSTED:
		/* For the client table: who fetches, and whether a client
		 * with preloaded public intermediates would have it. */
		r->chain_aia = TRI_YES;
		r->chain_public = via != NULL && via->origin == ANCHOR_SHIPPED ?
		    TRI_YES : TRI_NO;
		finding_put(r, FINDING_CERT_CHAIN_INCOMPLETE, "The server does "
		    "not send the intermediate certificate its chain needs; "
		    "browsers may fetch it, most other clients fail.", ev.s);
		goto out;
	case AIA_UNTRUSTED:
	case AIA_BOGUS:
		finding_put(r, FINDING_CERT_UNTRUSTED_ROOT, NOT_TRUSTED, ev.s);
		goto out;
	case AIA_FAILED:
	case AIA_NONE:
		break;
	}
	if (named > 0) {
		strbuf_printf(&ev, "; %zu trusted root%s carr%s that issuer "
		    "name, but none of their keys made this signature%s%s",
		    named, named == 1 ? "" : "s", named == 1 ? "ies" : "y",
		    confusion ? "; " : "", confusion ? confusion : "");
		finding_put(r, FINDING_CERT_UNTRUSTED_ROOT, "The certificate "
		    "claims a trusted issuer, but that issuer did not sign it.",
		    ev.s);
	} else if (top->ci->ca_issuers_url != NULL ||
	    (np == 1 && !top->id.is_ca)) {
		/* Issuers that publish their certificate (AIA) are public
		 * CAs, and a lone leaf almost always lost its intermediate. */
		if (top->ci->ca_issuers_url != NULL && (o->ctx == NULL ||
		    !url_fetchable(top->ci->ca_issuers_url)))
			strbuf_printf(&ev, "; it names its issuer's "
			    "certificate at %s (not fetched)",
			    top->ci->ca_issuers_url);
		r->chain_aia = TRI_NO;
		finding_put(r, FINDING_CERT_CHAIN_INCOMPLETE, "The server "
		    "seems not to send the intermediate certificate its chain "
		    "needs.", ev.s);
	} else {
		finding_put(r, FINDING_CERT_UNTRUSTED_ROOT, NOT_TRUSTED, ev.s);
	}
out:
	strbuf_free(&ev);
}

static void
check_weak(const struct path_node *nodes, const size_t *path, size_t np,
    struct report *r)
{
	for (size_t k = 0; k < np; k++) {
		const struct path_node *nd = &nodes[path[k]];
		const struct cert_info *ci = nd->ci;
		char *ev;

		/* A root's own signature is never checked by anyone. */
		if (ci->weak_signature && !nd->self_signed) {
			ev = xasprintf("%s (%s) is signed with %s", role(k, nd),
			    ci->subject, ci->signature);
			finding_put(r, FINDING_CERT_WEAK_SIGNATURE, k == 0 ?
			    "The server's certificate is signed with an "
			    "outdated hash (MD5 or SHA-1) that clients "
			    "reject." : "A certificate in the chain is signed "
			    "with an outdated hash (MD5 or SHA-1) that clients "
			    "reject.", ev);
			free(ev);
		}
	}
}

/* --- what each certificate may do (x509/policy.h), in words --- */

static const char *
policy_summary(enum finding_id id, int leaf_only, enum severity sev)
{
	switch (id) {
	case FINDING_CERT_PURPOSE:
		return "The server's certificate is not made for a web server, "
		    "so clients refuse it (curl: \"unsuitable certificate "
		    "purpose\").";
	case FINDING_CERT_CHAIN_INVALID_ISSUER:
		return "A certificate in the server's chain is not allowed to "
		    "issue the certificate below it, so clients refuse the "
		    "chain.";
	case FINDING_CERT_MALFORMED:
		if (sev < SEV_ERROR)
			return "A certificate in the server's chain breaks a "
			    "format rule: stricter clients refuse it.";
		return leaf_only ? "The server's certificate is malformed: "
		    "clients cannot read it." : "A certificate in the "
		    "server's chain is malformed: clients cannot read it.";
	case FINDING_CERT_CRITICAL_EXTENSION:
		return "A certificate in the server's chain carries a rule "
		    "marked critical that clients do not understand, so they "
		    "must refuse it.";
	case FINDING_CERT_WEAK_KEY:
		return leaf_only ? "The server's key is too weak to be safe; "
		    "clients reject it." : "A key in the server's chain is "
		    "too weak to be safe; clients reject it.";
	default:
		return "A certificate in the server's chain breaks a rule "
		    "clients enforce.";
	}
}

/* Runs the policy over the path (plus the trust store's root). Returns
 * 1 when the top of an unfinished path is itself unusable: that, not a
 * missing issuer, is then the finding. */
static int
check_policy(const struct path *pb, const struct trust *t,
    struct report *r)
{
	size_t np = pb->np, total = np;
	const struct x509_cert **certs;
	int *sent, top_judged = 0;
	struct x509_cert root;
	struct x509_issues is = { 0 };
	certs = xcalloc(np + 1, sizeof *certs);
	sent = xcalloc(np + 1, sizeof *sent);
	for (size_t k = 0; k < np; k++) {
		certs[k] = &pb->nodes[pb->idx[k]].xc;
		sent[k] = 1;
	}
	memset(&root, 0, sizeof root);
	if (pb->anchor != NULL && !pb->anchor_sent) {
		(void)x509_parse(&root, pb->anchor->der, pb->anchor->der_len);
		certs[total++] = &root;
	}
	x509_policy_check(certs, sent, total, &is);
	for (int id = 0; id < FINDING_COUNT; id++) {
		struct strbuf ev = { 0 };
		enum severity sev = SEV_INFO;
		int leaf_only = 1;

		for (size_t i = 0; i < is.n; i++) {
			const struct x509_issue *x = &is.v[i];
			const char *subj;

			if ((int)x->id != id)
				continue;
			if (x->pos < np) {
				const struct path_node *nd =
				    &pb->nodes[pb->idx[x->pos]];
				subj = nd->ci->subject;
				strbuf_printf(&ev, "%s%s (certificate %zu sent, "
				    "%s): ", ev.len ? "; " : "", x->pos == 0 ?
				    "the server's certificate" :
				    path_node_root(nd) ? "the root" :
				    "the intermediate", pb->idx[x->pos] + 1,
				    subj);
				if (x->pos == np - 1 && pb->anchor == NULL &&
				    (x->id == FINDING_CERT_MALFORMED ||
				    x->id == FINDING_CERT_CRITICAL_EXTENSION ||
				    !nd->ok))
					top_judged = 1;
			} else {
				subj = trust_anchor_subject(t, pb->anchor);
				strbuf_printf(&ev, "%sthe root in your trust "
				    "store (%s): ", ev.len ? "; " : "", subj);
			}
			char *d = sanitize(x->detail, strlen(x->detail), 1024);
			strbuf_puts(&ev, d);
			free(d);
			sev = x->sev > sev ? x->sev : sev;
			leaf_only &= x->pos == 0;
		}
		if (ev.len > 0) {
			struct finding *f = finding_put(r, (enum finding_id)id,
			    policy_summary((enum finding_id)id, leaf_only, sev),
			    ev.s);
			f->severity = sev; /* the worst of its issues */
		}
		strbuf_free(&ev);
	}
	if (is.nc_budget_out)
		report_skip(r, CHECK_CERT, "the chain's name constraints need "
		    "more comparisons than tlsmedic allows itself");
	x509_issues_free(&is);
	x509_cert_free(&root);
	free(certs);
	free(sent);
	return top_judged;
}

/* Anchors that share the name nd was issued by, with different keys:
 * returns the evidence (caller frees), or NULL when there is no such
 * confusion. */
static char *
confusion_for(const struct trust *t, const struct path_node *nd,
    const struct trust_anchor *used)
{
	struct strbuf b = { 0 };
	const struct trust_anchor *first = NULL;
	size_t n = 0;
	int differ = 0;

	for (size_t i = 0; i < trust_nanchors(t); i++) {
		const struct trust_anchor *a = trust_anchor(t, i);
		char *key;

		if (!path_same_hash(a->id.subject, nd->id.issuer))
			continue;
		if (first == NULL)
			first = a;
		else if (!path_same_hash(first->id.key, a->id.key))
			differ = 1;
		key = hex_str(a->id.key, 8);
		strbuf_printf(&b, "%skey %s...%s%s", n ? ", " : "", key,
		    a->origin == ANCHOR_LOCAL ? " (added locally)" : "",
		    a == used ? " (the one that signed this chain)" : "");
		free(key);
		n++;
	}
	if (!differ) {
		strbuf_free(&b);
		return NULL;
	}
	char *s = xasprintf("%zu roots in the trust store are named %s, with "
	    "different keys: %s", n, trust_anchor_subject(t, first), b.s);
	strbuf_free(&b);
	return s;
}

/* What a library that looks roots up by name gets: wolfSSL's manager. */
static const char *
cm_verdict(const struct trust *t, const struct path_node *top)
{
	int rc = wolfSSL_CertManagerVerifyBuffer(trust_cm(t), top->ci->der,
	    (long)top->ci->der_len, WOLFSSL_FILETYPE_ASN1);

	/* Date errors come after the signature check: the signer is found. */
	if (rc == WOLFSSL_SUCCESS || rc == ASN_AFTER_DATE_E ||
	    rc == ASN_BEFORE_DATE_E)
		return NULL;
	return wc_GetErrorString(rc);
}

/* The certificates that issued part of this chain: the CAs sent above
 * the server's certificate, and the trusted root. Interception needs a
 * real issuing CA: a name in a server's own certificate proves nothing. */
struct issuing {
	const char *subject; /* sanitized one-line DN */
	char *spki;          /* hex SHA-256 of its key, or NULL */
	int anchor;          /* the trusted root */
};

static size_t
issuing_cas(const struct path *pb, const struct trust *t,
    struct issuing *out, size_t max)
{
	size_t n = 0;

	for (size_t k = 1; k < pb->np && n < max; k++) {
		const struct path_node *nd = &pb->nodes[pb->idx[k]];
		unsigned char h[CERT_HASH_LEN];

		if (!(nd->xc.has_bc && nd->xc.ca) && !nd->id.is_ca)
			continue;
		out[n].subject = nd->ci->subject;
		out[n].spki = NULL;
		if (nd->xc.spki.p != NULL) {
			wc_Sha256Hash(nd->xc.spki.p, (word32)nd->xc.spki.len,
			    h);
			out[n].spki = hex_str(h, sizeof h);
		}
		out[n++].anchor = 0;
	}
	/* The root is an issuer unless it is the server's own certificate
	 * (a self-signed certificate someone chose to trust). */
	if (pb->anchor != NULL && n < max && (pb->np > 1 ||
	    !path_node_root(&pb->nodes[pb->idx[0]]))) {
		struct x509_cert ac;
		unsigned char h[CERT_HASH_LEN];

		out[n].subject = trust_anchor_subject(t, pb->anchor);
		out[n].spki = NULL;
		(void)x509_parse(&ac, pb->anchor->der, pb->anchor->der_len);
		if (ac.spki.p != NULL) {
			wc_Sha256Hash(ac.spki.p, (word32)ac.spki.len, h);
			out[n].spki = hex_str(h, sizeof h);
		}
		x509_cert_free(&ac);
		out[n++].anchor = 1;
	}
	return n;
}

#define ISSUING_MAX 16

/* A root whose private key is public (data/infamous-roots.txt). Trusted
 * here, it is software on this computer intercepting; not trusted, it
 * is an issuer no client accepts -- never a "missing" intermediate.
 * Returns 1 when it explained the chain's trust. */
static int
check_infamous(const struct path *pb, const struct trust *t,
    struct report *r)
{
	struct issuing cas[ISSUING_MAX];
	size_t n = issuing_cas(pb, t, cas, ISSUING_MAX);
	const struct path_node *top = &pb->nodes[pb->idx[pb->np - 1]];
	const struct infamous_root *e = NULL;
	const char *who = NULL;
	int done = 0;

	for (size_t i = 0; i < n && e == NULL; i++)
		if ((e = infamous_match(cas[i].subject, cas[i].spki)) != NULL)
			who = cas[i].subject;
	/* Not sent, not trusted: the name the server's chain points to. */
	if (e == NULL && pb->anchor == NULL && !path_node_root(top) &&
	    (e = infamous_match(top->ci->issuer, NULL)) != NULL)
		who = top->ci->issuer;
	if (e != NULL && pb->anchor != NULL) {
		char *sum = xasprintf("Software on this computer intercepts "
		    "the connection: it is vouched for by %s, a root whose "
		    "secret key is public.", e->name);
		char *ev = xasprintf("the chain is issued by %s (%s; see %s), "
		    "and this computer trusts it (%s)", who, e->name,
		    e->source, trust_source(t));
		struct finding *f = finding_put(r, FINDING_MITM_INTERCEPTION,
		    sum, ev);
		f->owner = OWNER_CLIENT;
		f->severity = SEV_ERROR;
		free(sum);
		free(ev);
		done = 1;
	} else if (e != NULL) {
		char *ev = xasprintf("the chain is issued by %s (%s; see %s), "
		    "a root whose secret key is public; this computer does "
		    "not trust it", who, e->name, e->source);
		finding_put(r, FINDING_CERT_UNTRUSTED_ROOT, "The certificate "
		    "comes from a root that anyone can sign with; no client "
		    "should trust it.", ev);
		free(ev);
		done = 1;
	}
	for (size_t i = 0; i < n; i++)
		free(cas[i].spki);
	return done;
}

static void
check_interception(const struct path *pb, const struct trust *t,
    int infamous, struct report *r)
{
	const struct trust_anchor *anchor = pb->anchor;
	const struct intercept_product *p = NULL;
	struct issuing cas[ISSUING_MAX];
	size_t n = issuing_cas(pb, t, cas, ISSUING_MAX);
	const char *where = NULL;

	for (size_t i = 0; i < n && p == NULL && !infamous; i++)
		if ((p = intercept_match(cas[i].subject)) != NULL)
			where = cas[i].subject;
	for (size_t i = 0; i < n; i++)
		free(cas[i].spki);
	if (p != NULL) {
		char *sum = xasprintf("The connection is intercepted by %s: "
		    "it shows its own certificate instead of the site's.",
		    p->name);
		char *ev = xasprintf("the chain is issued by %s (matches %s, "
		    "a %s)", where, p->name, p->kind == INTERCEPT_ANTIVIRUS ?
		    "security program on this computer" :
		    p->kind == INTERCEPT_DEBUG ? "debugging proxy on this "
		    "computer" : "TLS-inspecting gateway");
		struct finding *f = finding_put(r, FINDING_MITM_INTERCEPTION,
		    sum, ev);
		f->owner = p->kind == INTERCEPT_PROXY ? OWNER_NETWORK :
		    OWNER_CLIENT;
		free(sum);
		free(ev);
	}
	/* A root someone added to the system store: by design for a
	 * company CA, but also how inspection boxes get trusted. */
	if (anchor != NULL && t != NULL && !trust_is_user_file(t) &&
	    anchor->origin == ANCHOR_LOCAL && !infamous) {
		char *ev = xasprintf("the chain ends at %s, which is in %s but "
		    "not among the roots the system ships",
		    trust_anchor_subject(t, anchor),
		    trust_source(t));
		finding_put(r, FINDING_MITM_INTERCEPTION, "The connection is "
		    "vouched for by a root certificate that was added to this "
		    "computer: a company or a program may be inspecting it.",
		    ev);
		free(ev);
	}
}

static void
check_order(const struct path_node *nodes, size_t n, const size_t *path,
    size_t np, const unsigned char *used, struct report *r)
{
	struct strbuf ev = { 0 };
	int order = 0, stray = 0;

	for (size_t k = 0; k < np; k++)
		if (path[k] != k)
			order = 1;
	if (order) {
		strbuf_puts(&ev, "sent:");
		for (size_t i = 0; i < n; i++)
			strbuf_printf(&ev, " %zu) %s", i + 1,
			    nodes[i].ci->subject);
		strbuf_puts(&ev, "; needed:");
		for (size_t k = 0; k < np; k++)
			strbuf_printf(&ev, " %zu) %s", k + 1,
			    nodes[path[k]].ci->subject);
	}
	for (size_t i = 0; i < n; i++) {
		size_t dup = i;

		if (used[i])
			continue;
		stray = 1;
		for (size_t j = 0; j < i && nodes[i].ok; j++)
			if (nodes[j].ok &&
			    path_same_hash(nodes[j].id.der, nodes[i].id.der))
				dup = j;
		if (dup != i)
			strbuf_printf(&ev, "%scertificate %zu is a second copy "
			    "of certificate %zu (%s)", ev.len ? "; " : "",
			    i + 1, dup + 1, nodes[i].ci->subject);
		else
			strbuf_printf(&ev, "%scertificate %zu (%s) is not part "
			    "of the chain", ev.len ? "; " : "", i + 1,
			    nodes[i].ci->subject);
	}
	if (order || stray)
		finding_put(r, FINDING_CERT_CHAIN_ORDER, order && stray ?
		    "The server sends its chain in the wrong order and with "
		    "certificates that do not belong to it." : order ?
		    "The server sends its chain in the wrong order." :
		    "The server sends certificates that do not belong to its "
		    "chain.", ev.s);
	strbuf_free(&ev);
}

/* Has our own analysis found anything wrong with the certificate? */
static int
cert_faulted(const struct report *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (finding_check(r->findings[i].id) == CHECK_CERT &&
		    r->findings[i].severity != SEV_INFO)
			return 1;
	return 0;
}

/* Our rules found nothing: a chain is called good only when wolfSSL's
 * verifier agrees. Links our library could not check by signature leave
 * the check open rather than passed. */
static void
check_second(const struct path *pb, const char *hostname, struct report *r)
{
	struct second_opinion so;
	char *ev;

	if (pb->by_name) {
		report_skip(r, CHECK_CERT, "tlsmedic's TLS library cannot "
		    "check every signature of this chain (a certificate it "
		    "cannot read, or a key over 4096 bits)");
		return;
	}
	second_opinion(pb, hostname, &so);
	switch (so.kind) {
	case SECOND_AGREES:
		return;
	case SECOND_WOLF_LIMIT:
		ev = xasprintf("tlsmedic's TLS library cannot check this chain "
		    "a second time: %s", so.reason);
		report_skip(r, CHECK_CERT, ev);
		free(ev);
		return;
	case SECOND_WOLF_BUG:
	case SECOND_REFUSES:
		break;
	}
	if (so.pos < pb->np) {
		const struct path_node *nd = &pb->nodes[pb->idx[so.pos]];
		ev = xasprintf("tlsmedic's own checks found no fault; wolfSSL "
		    "%s refuses %s (certificate %zu sent, %s): %s",
		    wolfSSL_lib_version(), so.pos == 0 ?
		    "the server's certificate" : "the intermediate",
		    pb->idx[so.pos] + 1, nd->ci->subject, so.reason);
	} else
		ev = xasprintf("tlsmedic's own checks found no fault; wolfSSL "
		    "%s refuses the chain: %s", wolfSSL_lib_version(),
		    so.reason);
	if (so.kind == SECOND_WOLF_BUG) {
		struct finding *f = finding_put(r, FINDING_CERT_SECOND_OPINION,
		    "Programs built on wolfSSL refuse this valid chain: a "
		    "known wolfSSL defect in name constraints, not a fault of "
		    "the site.", ev);
		f->owner = OWNER_CLIENT;
		f->severity = SEV_INFO;
	} else
		finding_put(r, FINDING_CERT_SECOND_OPINION, "A second "
		    "certificate checker (wolfSSL) refuses this chain, so "
		    "some clients will fail to connect.", ev);
	free(ev);
}

void
chain_analyze(const struct chain *ch, const struct chain_opts *o,
    struct report *r)
{
	struct path pb;
	struct path_node *nodes;
	size_t *path, np, n = ch->n;
	const struct trust_anchor *anchor;
	const struct trust *t = o->trust;
	time_t now = o->now ? o->now : time(NULL);
	char *confusion = NULL;
	int judged_top, infamous;

	if (n == 0)
		return;
	path_build(&pb, ch, t);
	nodes = pb.nodes;
	path = pb.idx;
	np = pb.np;
	anchor = pb.anchor;

	if (anchor != NULL)
		r->chain_public = anchor->origin == ANCHOR_SHIPPED ? TRI_YES :
		    TRI_NO;
	check_order(nodes, n, path, np, pb.used, r);
	if (nodes[0].ok)
		check_hostname(&nodes[0], o->hostname, r);
	check_dates(nodes, path, np, t, anchor, pb.anchor_sent, now, r);
	check_weak(nodes, path, np, r);
	judged_top = check_policy(&pb, t, r);
	if (!nodes[0].ok && !cert_faulted(r))
		report_skip(r, CHECK_CERT, "tlsmedic's TLS library cannot read "
		    "the server's certificate, so its host names were not "
		    "checked");
	infamous = t != NULL && check_infamous(&pb, t, r);
	if (pb.budget_out)
		report_skip(r, CHECK_CERT, "the chain holds too many "
		    "certificates for tlsmedic to try every path");
	if (t != NULL) {
		const struct path_node *top = &nodes[path[np - 1]];

		for (size_t k = 0; k < np && confusion == NULL; k++)
			if (nodes[path[k]].ok)
				confusion = confusion_for(t, &nodes[path[k]],
				    anchor);
		if (confusion != NULL) {
			/* Only telling when our own search found the root. */
			const char *lib = anchor ? cm_verdict(t, top) : NULL;
			char *ev = lib == NULL ? xstrdup(confusion) :
			    xasprintf("%s; wolfSSL, which looks roots up by "
				"name, fails: %s", confusion, lib);
			finding_put(r, FINDING_CERT_PATH_CONFUSION, "Your "
			    "trust store holds several roots with the same "
			    "name: some programs pick the wrong one and fail.",
			    ev);
			free(ev);
		}
		/* A top certificate that is itself unusable is the finding:
		 * "untrusted" or "incomplete" would send the owner after
		 * what they already send. */
		if (anchor == NULL && !judged_top && !infamous) {
			if (top->ok)
				check_trust(top, np, o, confusion, r);
			else
				report_skip(r, CHECK_CERT, "tlsmedic's TLS "
				    "library cannot read a certificate of the "
				    "chain, so its issuer could not be looked "
				    "up");
		}
	}
	check_interception(&pb, t, infamous, r);
	if (t != NULL && anchor != NULL && !cert_faulted(r))
		check_second(&pb, o->hostname, r);
	path_free(&pb);
	free(confusion);
}
