/* policy.c: the per-certificate rules over a built path (see policy.h). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "x509/names.h"
#include "x509/policy.h"

/* Go and webpki stop at 250,000 name comparisons; so do we. */
#define NC_BUDGET 250000L

void
x509_issues_free(struct x509_issues *is)
{
	for (size_t i = 0; i < is->n; i++)
		free(is->v[i].detail);
	free(is->v);
	memset(is, 0, sizeof *is);
}

static void
issue(struct x509_issues *out, enum finding_id id, enum severity sev,
    size_t pos, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
issue(struct x509_issues *out, enum finding_id id, enum severity sev,
    size_t pos, const char *fmt, ...)
{
	struct strbuf b = { 0 };
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	strbuf_puts(&b, s ? s : "?");
	free(s);
	out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
	out->v[out->n++] = (struct x509_issue){ id, sev, pos,
		strbuf_steal(&b) };
}

char *
x509_weak_key(const struct x509_cert *c)
{
	switch (c->key) {
	case X509_KEY_RSA:
	case X509_KEY_RSA_PSS:
		if (c->key_bits > 0 && c->key_bits < 2048)
			return xasprintf("a %d-bit RSA key (at least 2048 bits "
			    "are needed)", c->key_bits);
		return NULL;
	case X509_KEY_DSA:
		if (c->key_bits > 0)
			return xasprintf("a %d-bit DSA key (browsers accept "
			    "no DSA keys)", c->key_bits);
		return xstrdup("a DSA key (browsers accept no DSA keys)");
	case X509_KEY_EC:
		if (c->curve == NULL)
			return xstrdup("an EC key on an unnamed curve "
			    "(browsers accept only P-256, P-384 and P-521)");
		if (strcmp(c->curve, "P-256") != 0 &&
		    strcmp(c->curve, "P-384") != 0 &&
		    strcmp(c->curve, "P-521") != 0)
			return xasprintf("an EC key on curve %s (browsers "
			    "accept only P-256, P-384 and P-521)", c->curve);
		return NULL;
	default:
		return NULL;
	}
}

static const char *
eku_words(unsigned eku)
{
	if (eku == 0)
		return "its extended key usage list is empty, so it may be "
		    "used for nothing";
	if (eku == X509_EKU_CLIENT)
		return "its extended key usage allows only TLS Web Client "
		    "Authentication, not TLS Web Server Authentication";
	if (eku & X509_EKU_CLIENT)
		return "its extended key usage allows TLS Web Client "
		    "Authentication and other uses, but not TLS Web Server "
		    "Authentication";
	if (eku & X509_EKU_ANY)
		return "its extended key usage names only \"any purpose\", "
		    "not TLS Web Server Authentication";
	return "its extended key usage does not include TLS Web Server "
	    "Authentication";
}

static void
check_leaf(const struct x509_cert *c, struct x509_issues *out)
{
	if (c->has_eku && !(c->eku & (X509_EKU_SERVER | X509_EKU_SGC)))
		issue(out, FINDING_CERT_PURPOSE, SEV_ERROR, 0, "%s",
		    eku_words(c->eku));
	/* OpenSSL's sslserver purpose: one of these three is enough. */
	if (c->has_ku && !(c->ku & (X509_KU_DIGITAL_SIGNATURE |
	    X509_KU_KEY_ENCIPHERMENT | X509_KU_KEY_AGREEMENT)))
		issue(out, FINDING_CERT_PURPOSE, SEV_ERROR, 0, "its key usage "
		    "allows neither digital signatures nor key exchange, "
		    "which a TLS server needs");
	/* OpenSSL and Go accept it, webpki and strict BoringSSL do not. A
	 * self-signed certificate is its own CA (openssl req -x509 says
	 * CA:TRUE by default): cert.self_signed already says what matters. */
	if (c->has_bc && c->ca && !x509_self_issued(c))
		issue(out, FINDING_CERT_PURPOSE, SEV_WARNING, 0, "it is a CA "
		    "certificate (basicConstraints CA:TRUE), not a server "
		    "certificate; some clients refuse it");
}

/* pos is an issuer (pos >= 1); n the path length. */
static void
check_issuer(const struct x509_cert *const *path, size_t pos, size_t n,
    size_t below, struct x509_issues *out)
{
	const struct x509_cert *c = path[pos];

	if (!c->has_bc) {
		/* OpenSSL keeps trusting a version 1 root without it. */
		if (!(c->version == 1 && pos == n - 1 && x509_self_issued(c)))
			issue(out, FINDING_CERT_CHAIN_INVALID_ISSUER, SEV_ERROR,
			    pos, "it has no basicConstraints extension, so it "
			    "is not allowed to issue certificates");
	} else if (!c->ca)
		issue(out, FINDING_CERT_CHAIN_INVALID_ISSUER, SEV_ERROR, pos,
		    "its basicConstraints says CA:FALSE, so it is not allowed "
		    "to issue certificates");
	if (c->has_ku && !(c->ku & X509_KU_KEY_CERT_SIGN))
		issue(out, FINDING_CERT_CHAIN_INVALID_ISSUER, SEV_ERROR, pos,
		    "its key usage lacks keyCertSign, so it is not allowed to "
		    "sign certificates");
	/* OpenSSL applies an issuer's EKU to what it issues (purpose
	 * sslserver); so do Go, webpki and BoringSSL. */
	if (c->has_eku && !(c->eku & (X509_EKU_SERVER | X509_EKU_SGC)))
		issue(out, FINDING_CERT_CHAIN_INVALID_ISSUER, SEV_ERROR, pos,
		    "its extended key usage does not include TLS Web Server "
		    "Authentication, so it may not issue server certificates");
	/* OpenSSL check_chain_extensions: `below` counts the non-self-
	 * issued intermediates under this CA; a self-issued CA's own
	 * limit still applies, the root's too. */
	if (pos > 1 && c->pathlen >= 0 && (long)below > c->pathlen)
		issue(out, FINDING_CERT_CHAIN_INVALID_ISSUER, SEV_ERROR, pos,
		    "its path length constraint allows %d intermediate "
		    "certificate%s below it, but the chain has %zu",
		    c->pathlen, c->pathlen == 1 ? "" : "s", below);
}

static char *
name_words(int type, const uint8_t *v, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	switch (type) {
	case X509_GN_DNS:
		return xasprintf("DNS name %.*s", (int)(len > 256 ? 256 : len),
		    (const char *)v);
	case X509_GN_EMAIL:
		return xasprintf("email address %.*s", (int)(len > 256 ? 256 :
		    len), (const char *)v);
	case X509_GN_IP:
		if (inet_ntop(len == 4 ? AF_INET : AF_INET6, v, ip,
		    sizeof ip) != NULL)
			return xasprintf("IP address %s", ip);
		return xstrdup("an IP address");
	default: {
		struct asn1 nm = { v, len };
		char *t = x509_name_text(&nm), *s;
		s = xasprintf("name %s", t);
		free(t);
		return s;
	}
	}
}

/* Is the name of cert `pos` inside the constraints of CA `ca`? Reports
 * the first violation of that pair. */
static int
nc_one(const struct x509_cert *const *path, size_t pos, size_t ca,
    int type, const uint8_t *v, size_t len, long *budget,
    struct x509_issues *out)
{
	enum nc_result r = nc_check(path[ca], type, v, len, budget);
	char *w;

	if (r == NC_OK)
		return 0;
	w = name_words(type, v, len);
	issue(out, FINDING_CERT_CHAIN_INVALID_ISSUER, SEV_ERROR, ca, "its "
	    "name constraints %s the %s of the certificate at position %zu",
	    r == NC_EXCLUDED ? "exclude" : "do not permit", w, pos + 1);
	free(w);
	return 1;
}

struct email_nc {
	const struct x509_cert *const *path;
	size_t pos, ca;
	long *budget;
	struct x509_issues *out;
	int bad;
};

static void
email_nc_cb(void *arg, const struct asn1 *v)
{
	struct email_nc *e = arg;

	if (!e->bad)
		e->bad = nc_one(e->path, e->pos, e->ca, X509_GN_EMAIL, v->p,
		    v->len, e->budget, e->out);
}

/* A CN that looks like a host name (OpenSSL's cn2dnsid: letters, digits,
 * '-', at least one inner dot). */
static int
cn_hostlike(const struct asn1 *cn)
{
	int dot = 0;

	if (cn->p == NULL || cn->len == 0 || cn->len > 253)
		return 0;
	for (size_t i = 0; i < cn->len; i++) {
		uint8_t c = cn->p[i];
		if (c == '.') {
			if (i == 0 || i == cn->len - 1 || cn->p[i - 1] == '.')
				return 0;
			dot = 1;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '*'))
			return 0;
	}
	return dot;
}

static void
check_nc(const struct x509_cert *const *path, size_t n,
    struct x509_issues *out)
{
	long budget = NC_BUDGET;

	for (size_t ca = 1; ca < n; ca++) {
		if (!path[ca]->has_nc || path[ca]->malformed)
			continue;
		for (size_t pos = 0; pos < ca; pos++) {
			const struct x509_cert *c = path[pos];
			int dns = 0, bad = 0;

			/* RFC 5280 6.1.3 (b): self-issued intermediates are
			 * not checked; the server's certificate always is. */
			if ((pos > 0 && x509_self_issued(c)) || c->malformed)
				continue;
			bad = nc_one(path, pos, ca, X509_GN_DIRNAME,
			    c->subject.p, c->subject.len, &budget, out);
			if (!bad) {
				struct email_nc en = { path, pos, ca, &budget,
					out, 0 };
				x509_name_emails(&c->subject, email_nc_cb, &en);
				bad = en.bad;
			}
			for (size_t i = 0; i < c->nsan && !bad; i++) {
				dns |= c->san[i].type == X509_GN_DNS;
				bad = nc_one(path, pos, ca, c->san[i].type,
				    c->san[i].v.p, c->san[i].v.len, &budget,
				    out);
			}
			if (pos == 0 && !dns && !bad) {
				struct asn1 cn = x509_name_cn(&c->subject);
				if (cn_hostlike(&cn))
					(void)nc_one(path, pos, ca, X509_GN_DNS,
					    cn.p, cn.len, &budget, out);
			}
			if (budget <= 0) {
				out->nc_budget_out = 1;
				return;
			}
		}
	}
}

void
x509_policy_check(const struct x509_cert *const *path, const int *sent,
    size_t n, struct x509_issues *out)
{
	size_t below = 0;

	for (size_t pos = 0; pos < n; pos++) {
		const struct x509_cert *c = path[pos];
		char *weak = x509_weak_key(c);

		if (weak != NULL) {
			issue(out, FINDING_CERT_WEAK_KEY, SEV_ERROR, pos,
			    "it has %s", weak);
			free(weak);
		}
		if (c->malformed) {
			/* Fields after the fault are unknown: judge no more. */
			if (sent[pos])
				issue(out, FINDING_CERT_MALFORMED, SEV_ERROR,
				    pos, "%s", c->malformed);
			continue;
		}
		if (c->lax && sent[pos])
			issue(out, FINDING_CERT_MALFORMED, SEV_WARNING, pos,
			    "%s (OpenSSL accepts this; stricter clients such as "
			    "wolfSSL refuse it)", c->lax);
		for (size_t i = 0; i < c->ncritical && i < X509_CRIT_KEPT; i++)
			issue(out, FINDING_CERT_CRITICAL_EXTENSION, SEV_ERROR,
			    pos, "it has an extension marked critical that "
			    "clients do not know (OID %s)", c->critical[i]);
		if (pos == 0)
			check_leaf(c, out);
		else
			check_issuer(path, pos, n, below, out);
		if (pos > 0 && !x509_self_issued(c))
			below++;
	}
	check_nc(path, n, out);
}
