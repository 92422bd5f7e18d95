/* revoke.c: see revoke.h.
 *
 * wolfSSL gives the verdict (signature, CertID match, validity dates), but
 * never touches the network: its OCSP I/O callback is ours (it answers with
 * the staple or with a bounded http_fetch), and its CRL I/O callback fails,
 * so its own fetcher -- which bounds only the TCP connect -- never runs. A
 * small DER walker then reads the revocation time and reason for the
 * evidence, from bytes wolfSSL has already verified. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "clock.h"
#include "httpget.h"
#include "revoke.h"
#include "sanitize.h"
#include "util.h"

#define REVOKE_MAX_OCSP (64 * 1024)        /* a response is a few kB */
#define REVOKE_MAX_CRL (16 * 1024 * 1024)  /* some public CRLs are large */
#define REVOKE_DEFAULT_MS 5000

/* What one source said about one certificate. */
struct revoke_result {
	enum revoke_status status;
	char *when;   /* "2026-01-02 03:04:05 UTC" or NULL */
	char *reason; /* "keyCompromise" ... or NULL */
	char *note;   /* why no answer, plain words, or NULL */
};

/* The OCSP I/O callback's context: either the staple, or a fetch. */
struct revoke_io {
	struct net_ctx *ctx;
	int64_t deadline;
	const unsigned char *staple;
	size_t staple_len;
	const struct cert_info *issuer;
	unsigned char *resp; /* what wolfSSL was given (we free) */
	size_t resp_len;
	int called;
	int rc; /* http_fetch result */
};

/* ---- a minimal DER reader, for evidence only ---- */

struct der {
	const unsigned char *p, *end;
};

/* Read one TLV from d into *tag and *val; 0, or -1 when malformed. */
static int
der_next(struct der *d, unsigned char *tag, struct der *val)
{
	const unsigned char *p = d->p;
	size_t len = 0;

	if (d->end - p < 2)
		return -1;
	*tag = *p++;
	if ((*tag & 0x1f) == 0x1f)
		return -1; /* high tag numbers: not in these structures */
	if (*p < 0x80)
		len = *p++;
	else {
		int n = *p++ & 0x7f;
		if (n == 0 || n > 4 || d->end - p < n)
			return -1;
		while (n-- > 0)
			len = (len << 8) | *p++;
	}
	if ((size_t)(d->end - p) < len)
		return -1;
	val->p = p;
	val->end = p + len;
	d->p = p + len;
	return 0;
}

/* Descend into the next TLV, which must have tag want. */
static int
der_enter(struct der *d, unsigned char want, struct der *val)
{
	unsigned char tag;

	if (der_next(d, &tag, val) != 0 || tag != want)
		return -1;
	return 0;
}

/* UTCTime (0x17) or GeneralizedTime (0x18) as "YYYY-MM-DD HH:MM:SS UTC". */
static char *
der_time(unsigned char tag, const struct der *v)
{
	char d[15];
	size_t n = (size_t)(v->end - v->p), off = tag == 0x17 ? 2 : 0;

	if ((tag != 0x17 && tag != 0x18) || n < 12 + 2 - off || n > 32)
		return NULL;
	if (tag == 0x17)
		memcpy(d, v->p[0] < '5' ? "20" : "19", 2);
	memcpy(d + off, v->p, 14 - off);
	for (int i = 0; i < 14; i++)
		if (d[i] < '0' || d[i] > '9')
			return NULL;
	return xasprintf("%.4s-%.2s-%.2s %.2s:%.2s:%.2s UTC", d, d + 4, d + 6,
	    d + 8, d + 10, d + 12);
}

static char *
crl_reason_name(const struct der *v)
{
	static const char *const names[] = { "unspecified", "keyCompromise",
		"cACompromise", "affiliationChanged", "superseded",
		"cessationOfOperation", "certificateHold", NULL,
		"removeFromCRL", "privilegeWithdrawn", "aACompromise" };

	if (v->end - v->p != 1 || v->p[0] > 10 || names[v->p[0]] == NULL)
		return NULL;
	return xstrdup(names[v->p[0]]);
}

static int
der_same_int(const struct der *a, const struct der *b)
{
	size_t n = (size_t)(a->end - a->p);

	return n > 0 && n == (size_t)(b->end - b->p) &&
	    memcmp(a->p, b->p, n) == 0;
}

/* The serial number (INTEGER contents) of a certificate. */
static int
cert_serial(const unsigned char *der, size_t len, struct der *serial)
{
	struct der d = { der, der + len }, cert, tbs;
	unsigned char tag;

	if (der_enter(&d, 0x30, &cert) != 0 || der_enter(&cert, 0x30, &tbs) != 0
	    || der_next(&tbs, &tag, serial) != 0)
		return -1;
	if (tag == 0xa0 && der_next(&tbs, &tag, serial) != 0)
		return -1; /* skip the version */
	return tag == 0x02 ? 0 : -1;
}

/* The tbsResponseData of a DER OCSPResponse's BasicOCSPResponse. */
static int
ocsp_tbs(const unsigned char *buf, size_t len, struct der *tbs)
{
	struct der d = { buf, buf + len }, resp, rb, rbseq, basic, b, v;

	if (der_enter(&d, 0x30, &resp) != 0 ||
	    der_enter(&resp, 0x0a, &v) != 0 ||
	    der_enter(&resp, 0xa0, &rb) != 0 ||
	    der_enter(&rb, 0x30, &rbseq) != 0 ||
	    der_enter(&rbseq, 0x06, &v) != 0 ||
	    der_enter(&rbseq, 0x04, &basic) != 0 ||
	    der_enter(&basic, 0x30, &b) != 0 ||
	    der_enter(&b, 0x30, tbs) != 0)
		return -1;
	return 0;
}

/* In an OCSP response, the revocation time and reason of serial. */
static void
ocsp_revoked_info(const unsigned char *buf, size_t len,
    const struct der *serial, struct revoke_result *res)
{
	struct der tbs, v, single, sd, certid, status, info;
	unsigned char tag;

	if (ocsp_tbs(buf, len, &tbs) != 0)
		return;
	/* version, responderID, producedAt, then the responses. */
	do {
		if (der_next(&tbs, &tag, &v) != 0)
			return;
	} while (tag != 0x30);
	while (v.p < v.end) {
		struct der id = v, s;
		if (der_enter(&v, 0x30, &single) != 0)
			return;
		(void)id;
		sd = single;
		if (der_enter(&sd, 0x30, &certid) != 0 ||
		    der_next(&certid, &tag, &s) != 0 || /* hashAlgorithm */
		    der_next(&certid, &tag, &s) != 0 || /* issuerNameHash */
		    der_next(&certid, &tag, &s) != 0 || /* issuerKeyHash */
		    der_enter(&certid, 0x02, &s) != 0)
			return;
		if (!der_same_int(&s, serial))
			continue;
		if (der_next(&sd, &tag, &status) != 0 || tag != 0xa1)
			return; /* not revoked */
		if (der_next(&status, &tag, &info) == 0)
			res->when = der_time(tag, &info);
		if (der_next(&status, &tag, &info) == 0 && tag == 0xa0 &&
		    der_enter(&info, 0x0a, &s) == 0)
			res->reason = crl_reason_name(&s);
		return;
	}
}

/* A Time (UTCTime or GeneralizedTime) TLV as time_t, or 0. */
static time_t
der_time_t(unsigned char tag, const struct der *v)
{
	time_t t;

	if (clock_parse_asn1_time(tag, v->p, (size_t)(v->end - v->p), &t) != 0)
		return 0;
	return t;
}

/* The dates of an OCSP response (its first SingleResponse), for the
 * clock: producedAt, thisUpdate, nextUpdate; 0 when absent. */
static void
ocsp_dates(const unsigned char *buf, size_t len, time_t *produced,
    time_t *this_upd, time_t *next_upd)
{
	struct der tbs, v, single, x;
	unsigned char tag;

	*produced = *this_upd = *next_upd = 0;
	if (ocsp_tbs(buf, len, &tbs) != 0)
		return;
	do { /* [0] version, responderID, then producedAt */
		if (der_next(&tbs, &tag, &v) != 0)
			return;
	} while (tag != 0x18);
	*produced = der_time_t(tag, &v);
	if (der_enter(&tbs, 0x30, &v) != 0 || der_enter(&v, 0x30, &single) != 0
	    || der_next(&single, &tag, &x) != 0 || /* certID */
	    der_next(&single, &tag, &x) != 0 ||    /* certStatus */
	    der_next(&single, &tag, &x) != 0)      /* thisUpdate */
		return;
	*this_upd = der_time_t(tag, &x);
	if (der_next(&single, &tag, &x) == 0 && tag == 0xa0 &&
	    der_next(&x, &tag, &v) == 0)
		*next_upd = der_time_t(tag, &v);
}

/* The thisUpdate and nextUpdate of a DER CRL; 0 when absent. */
static void
crl_dates(const unsigned char *buf, size_t len, time_t *this_upd,
    time_t *next_upd)
{
	struct der d = { buf, buf + len }, list, tbs, v;
	unsigned char tag;

	*this_upd = *next_upd = 0;
	if (der_enter(&d, 0x30, &list) != 0 || der_enter(&list, 0x30, &tbs) != 0)
		return;
	/* [version INTEGER,] signature AlgorithmIdentifier, issuer Name. */
	if (der_next(&tbs, &tag, &v) != 0)
		return;
	if (tag == 0x02 && der_next(&tbs, &tag, &v) != 0)
		return;
	if (der_next(&tbs, &tag, &v) != 0 || der_next(&tbs, &tag, &v) != 0)
		return;
	*this_upd = der_time_t(tag, &v);
	if (der_next(&tbs, &tag, &v) == 0 && (tag == 0x17 || tag == 0x18))
		*next_upd = der_time_t(tag, &v);
}

/* What a signed OCSP answer or CRL tells the clock. A fresh answer from
 * the CA's own server is current: the true time is after its thisUpdate
 * and before its nextUpdate. A staple may be days old: after only. */
static void
clock_note(struct net_ctx *ctx, enum clock_ref_kind kind, const char *what,
    int fresh, int trusted, time_t produced, time_t this_upd,
    time_t next_upd)
{
	char src[96];

	if (produced != 0) {
		snprintf(src, sizeof src, "the producedAt date of %s", what);
		clock_log_add(ctx->clock_log, kind, CLOCK_AFTER, trusted, src,
		    produced);
	}
	snprintf(src, sizeof src, "the thisUpdate date of %s", what);
	clock_log_add(ctx->clock_log, kind, CLOCK_AFTER, trusted, src,
	    this_upd);
	if (fresh) {
		snprintf(src, sizeof src, "the nextUpdate date of %s", what);
		clock_log_add(ctx->clock_log, kind, CLOCK_BEFORE, trusted, src,
		    next_upd);
	}
}

static int
bad_signature(int ret)
{
	return ret == ASN_SIG_CONFIRM_E || ret == ASN_NO_SIGNER_E ||
	    ret == ASN_CRL_NO_SIGNER_E || ret == ASN_CRL_CONFIRM_E;
}

/* In a DER CRL, the revocation date and reason of serial. */
static void
crl_revoked_info(const unsigned char *buf, size_t len,
    const struct der *serial, struct revoke_result *res)
{
	struct der d = { buf, buf + len }, list, tbs, v, entry, s, t, exts, ext;
	unsigned char tag;
	int seqs = 0;

	if (der_enter(&d, 0x30, &list) != 0 || der_enter(&list, 0x30, &tbs) != 0)
		return;
	/* signature AlgorithmIdentifier, issuer Name, then the revoked list. */
	do {
		if (der_next(&tbs, &tag, &v) != 0)
			return;
	} while (tag != 0x30 || ++seqs < 3);
	while (v.p < v.end) {
		if (der_enter(&v, 0x30, &entry) != 0 ||
		    der_enter(&entry, 0x02, &s) != 0)
			return;
		if (!der_same_int(&s, serial))
			continue;
		if (der_next(&entry, &tag, &t) == 0)
			res->when = der_time(tag, &t);
		if (der_enter(&entry, 0x30, &exts) != 0)
			return;
		while (exts.p < exts.end) {
			struct der oid, oct, en;
			static const unsigned char reason_oid[] = { 0x55, 0x1d,
				0x15 };
			if (der_enter(&exts, 0x30, &ext) != 0 ||
			    der_enter(&ext, 0x06, &oid) != 0)
				return;
			if (oid.end - oid.p != 3 ||
			    memcmp(oid.p, reason_oid, 3) != 0)
				continue;
			/* der_next may set tag and fail: oct is then unset. */
			int rc = der_next(&ext, &tag, &oct);
			if (rc == 0 && tag == 0x01)
				rc = der_next(&ext, &tag, &oct); /* critical */
			if (rc == 0 && tag == 0x04 &&
			    der_enter(&oct, 0x0a, &en) == 0)
				res->reason = crl_reason_name(&en);
			return;
		}
		return;
	}
}


static void
der_put(struct strbuf *b, unsigned char tag, const void *p, size_t len)
{
	unsigned char h[6];
	size_t n = 0;

	h[n++] = tag;
	if (len < 0x80)
		h[n++] = (unsigned char)len;
	else if (len < 0x100)
		h[n++] = 0x81, h[n++] = (unsigned char)len;
	else if (len < 0x10000)
		h[n++] = 0x82, h[n++] = (unsigned char)(len >> 8),
		h[n++] = (unsigned char)len;
	else
		h[n++] = 0x83, h[n++] = (unsigned char)(len >> 16),
		h[n++] = (unsigned char)(len >> 8), h[n++] = (unsigned char)len;
	strbuf_add(b, (const char *)h, n);
	strbuf_add(b, p, len);
}

/* Many responders sign with the issuing CA itself and also embed that CA
 * in the response. wolfSSL then insists on verifying the embedded copy up
 * to a root it does not have here, and fails, although the signature is
 * the issuer's. The signature covers only tbsResponseData, so when every
 * embedded certificate is the issuer we drop them and let wolfSSL use the
 * issuer it knows. Returns a new buffer in *out, or 0 when nothing to do. */
static int
ocsp_strip_issuer(const unsigned char *buf, size_t len,
    const struct cert_info *issuer, unsigned char **out, size_t *out_len)
{
	struct der d = { buf, buf + len }, resp, st, rb, rbseq, oid, basic, b;
	struct der tbs, alg, sig, certs, list, c;
	const unsigned char *st0, *oid0, *tbs0, *alg0, *sig0, *c0;
	struct strbuf x = { 0 }, y = { 0 };
	unsigned char tag;

	*out = NULL;
	if (der_enter(&d, 0x30, &resp) != 0 || (st0 = resp.p) == NULL ||
	    der_enter(&resp, 0x0a, &st) != 0 ||
	    der_enter(&resp, 0xa0, &rb) != 0 ||
	    der_enter(&rb, 0x30, &rbseq) != 0 || (oid0 = rbseq.p) == NULL ||
	    der_enter(&rbseq, 0x06, &oid) != 0 ||
	    der_enter(&rbseq, 0x04, &basic) != 0 ||
	    der_enter(&basic, 0x30, &b) != 0 || (tbs0 = b.p) == NULL ||
	    der_enter(&b, 0x30, &tbs) != 0 || (alg0 = b.p) == NULL ||
	    der_enter(&b, 0x30, &alg) != 0 || (sig0 = b.p) == NULL ||
	    der_enter(&b, 0x03, &sig) != 0 ||
	    der_next(&b, &tag, &certs) != 0 || tag != 0xa0 ||
	    der_enter(&certs, 0x30, &list) != 0)
		return 0;
	while (list.p < list.end) {
		c0 = list.p;
		if (der_enter(&list, 0x30, &c) != 0 ||
		    (size_t)(list.p - c0) != issuer->der_len ||
		    memcmp(c0, issuer->der, issuer->der_len) != 0)
			return 0; /* a delegated responder: keep it */
	}
	/* Rebuild from the inside out, without the certs. */
	strbuf_add(&x, (const char *)tbs0, (size_t)(sig.end - tbs0));
	der_put(&y, 0x30, x.s, x.len);			/* BasicOCSPResponse */
	strbuf_free(&x);
	strbuf_add(&x, (const char *)oid0, (size_t)(oid.end - oid0));
	der_put(&x, 0x04, y.s, y.len);			/* response OCTET */
	strbuf_free(&y);
	der_put(&y, 0x30, x.s, x.len);			/* ResponseBytes */
	strbuf_free(&x);
	der_put(&x, 0xa0, y.s, y.len);
	strbuf_free(&y);
	strbuf_add(&y, (const char *)st0, (size_t)(st.end - st0));
	strbuf_add(&y, x.s, x.len);
	strbuf_free(&x);
	der_put(&x, 0x30, y.s, y.len);			/* OCSPResponse */
	strbuf_free(&y);
	*out_len = x.len;
	*out = (unsigned char *)strbuf_steal(&x);
	(void)alg;
	return 1;
}

/* ---- wolfSSL glue ---- */

static int
revoke_ocsp_io(void *arg, const char *url, int url_len, unsigned char *req,
    int req_len, unsigned char **resp)
{
	struct revoke_io *io = arg;
	unsigned char *p;
	size_t n;
	char *u;

	*resp = NULL;
	io->called = 1;
	free(io->resp);
	io->resp = NULL;
	io->resp_len = 0;
	if (io->staple != NULL) {
		io->resp = xmalloc(io->staple_len);
		memcpy(io->resp, io->staple, io->staple_len);
		io->resp_len = io->staple_len;
	} else {
		if (url == NULL || url_len <= 0 || req == NULL || req_len <= 0)
			return -1;
		u = xstrndup(url, (size_t)url_len);
		io->rc = http_fetch(io->ctx, u, req, (size_t)req_len,
		    "application/ocsp-request", REVOKE_MAX_OCSP, io->deadline,
		    &io->resp, &io->resp_len);
		free(u);
		if (io->rc != 0)
			return -1;
	}
	if (io->resp_len == 0 || io->resp_len > REVOKE_MAX_OCSP)
		return -1;
	if (ocsp_strip_issuer(io->resp, io->resp_len, io->issuer, &p, &n)) {
		free(io->resp);
		io->resp = p;
		io->resp_len = n;
	}
	*resp = io->resp;
	return (int)io->resp_len;
}

static void
revoke_ocsp_free(void *arg, unsigned char *p)
{
	/* io->resp is freed by its owner, after the evidence is read. */
	(void)arg;
	(void)p;
}

static int
revoke_crl_io(WOLFSSL_CRL *crl, const char *url, int url_len)
{
	/* Refuse: wolfSSL's own CRL download can hang. */
	(void)crl;
	(void)url;
	(void)url_len;
	return -1;
}

/* A CertManager that knows only the issuer: the response or CRL must be
 * signed by it (or by a responder it certified). Whether the issuer is
 * trusted is the chain check's business, not ours. */
static WOLFSSL_CERT_MANAGER *
revoke_cm(const struct cert_info *issuer)
{
	WOLFSSL_CERT_MANAGER *cm = wolfSSL_CertManagerNew();

	if (cm == NULL)
		return NULL;
	if (wolfSSL_CertManagerLoadCABuffer(cm, issuer->der,
	    (long)issuer->der_len, WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
		wolfSSL_CertManagerFree(cm);
		return NULL;
	}
	return cm;
}

static const char *
fetch_words(int rc)
{
	return rc == HTTP_ERR ? "no usable answer (not 200, malformed or too "
	    "large)" : net_strerror(rc);
}

/* Plain words for the wolfSSL errors seen when no status was obtained. */
static char *
wolf_words(const char *what, int ret)
{
	switch (ret) {
	case ASN_AFTER_DATE_E:
		return xstrdup("not asked: the certificate has expired");
	case ASN_BEFORE_DATE_E:
		return xstrdup("not asked: the certificate is not valid yet");
	case OCSP_CERT_UNKNOWN:
		return xstrdup("the responder does not know the certificate");
	case ASN_CRL_NO_SIGNER_E:
	case ASN_CRL_CONFIRM_E:
	case ASN_SIG_CONFIRM_E:
	case ASN_NO_SIGNER_E:
		return xasprintf("%s is not signed by the certificate's issuer",
		    what);
	case CRL_CERT_DATE_ERR:
		return xasprintf("%s is out of date", what);
	default:
		return xasprintf("%s could not be verified (wolfSSL error %d)",
		    what, ret);
	}
}

/* Ask about c: from the staple when staple != NULL, else its responder. */
static void
revoke_ocsp(const struct cert_info *c, const struct cert_info *issuer,
    const unsigned char *staple, size_t staple_len, struct net_ctx *ctx,
    int64_t deadline, struct revoke_result *res)
{
	struct revoke_io io = { .ctx = ctx, .deadline = deadline,
		.staple = staple, .staple_len = staple_len, .issuer = issuer };
	WOLFSSL_CERT_MANAGER *cm = revoke_cm(issuer);
	struct der serial;
	int ret, opts = 0;

	if (cm == NULL) {
		res->note = xstrdup("the issuer certificate could not be loaded");
		return;
	}
	/* A staple answers for this certificate whatever its AIA says; a
	 * live responder gets a nonce against replayed answers. */
	if (staple != NULL)
		opts = WOLFSSL_OCSP_URL_OVERRIDE | WOLFSSL_OCSP_NO_NONCE;
	if (wolfSSL_CertManagerEnableOCSP(cm, opts) != WOLFSSL_SUCCESS ||
	    (staple != NULL && wolfSSL_CertManagerSetOCSPOverrideURL(cm,
	    "http://staple.invalid/") != WOLFSSL_SUCCESS) ||
	    wolfSSL_CertManagerSetOCSP_Cb(cm, revoke_ocsp_io, revoke_ocsp_free,
	    &io) != WOLFSSL_SUCCESS) {
		res->note = xstrdup("OCSP is not available in this build");
		goto out;
	}
	ret = wolfSSL_CertManagerCheckOCSP(cm, c->der, (int)c->der_len);
	if (io.resp != NULL) {
		time_t p, t, n;
		ocsp_dates(io.resp, io.resp_len, &p, &t, &n);
		clock_note(ctx, CLOCK_REF_OCSP, staple ? "the stapled OCSP "
		    "response" : "the OCSP response", staple == NULL,
		    !bad_signature(ret), p, t, n);
	}
	if (ret == OCSP_CERT_REVOKED) {
		res->status = REVOKE_REVOKED;
		if (io.resp != NULL && cert_serial(c->der, c->der_len,
		    &serial) == 0)
			ocsp_revoked_info(io.resp, io.resp_len, &serial, res);
	} else if (ret == WOLFSSL_SUCCESS && io.called && io.resp != NULL)
		res->status = REVOKE_GOOD;
	else if (io.called && io.resp == NULL)
		res->note = xstrdup(fetch_words(io.rc));
	else
		res->note = wolf_words("the response", ret);
	if (!io.called && staple == NULL && c->ocsp_url != NULL &&
	    (ret == ASN_AFTER_DATE_E || ret == ASN_BEFORE_DATE_E)) {
		/* wolfSSL asks no responder about a certificate out of its
		 * dates -- which may be our clock's fault. The CA's server
		 * still tells the time: its Date: header (http_fetch keeps
		 * it for the clock), whatever it answers to a bare GET. */
		unsigned char *body = NULL;
		size_t len = 0;
		(void)http_fetch(ctx, c->ocsp_url, NULL, 0, NULL, 4096,
		    deadline, &body, &len);
		free(body);
	}
out:
	free(io.resp);
	wolfSSL_CertManagerFree(cm);
}

static void
revoke_crl(const struct cert_info *c, const struct cert_info *issuer,
    struct net_ctx *ctx, int64_t deadline, struct revoke_result *res)
{
	WOLFSSL_CERT_MANAGER *cm = NULL;
	unsigned char *crl = NULL;
	size_t len = 0;
	struct der serial;
	int ret, pem;

	ret = http_fetch(ctx, c->crl_url, NULL, 0, NULL, REVOKE_MAX_CRL,
	    deadline, &crl, &len);
	if (ret != 0) {
		res->note = xstrdup(fetch_words(ret));
		goto out;
	}
	if ((cm = revoke_cm(issuer)) == NULL) {
		res->note = xstrdup("the issuer certificate could not be loaded");
		goto out;
	}
	pem = len > 10 && memcmp(crl, "-----BEGIN", 10) == 0;
	if (wolfSSL_CertManagerEnableCRL(cm, 0) != WOLFSSL_SUCCESS ||
	    wolfSSL_CertManagerSetCRL_IOCb(cm, revoke_crl_io) !=
	    WOLFSSL_SUCCESS) {
		res->note = xstrdup("CRLs are not available in this build");
		goto out;
	}
	ret = wolfSSL_CertManagerLoadCRLBuffer(cm, crl, (long)len,
	    pem ? WOLFSSL_FILETYPE_PEM : WOLFSSL_FILETYPE_ASN1);
	if (!pem) {
		time_t t, n;
		crl_dates(crl, len, &t, &n);
		clock_note(ctx, CLOCK_REF_CRL, "the CRL", 1, !bad_signature(ret),
		    0, t, n);
	}
	if (ret != WOLFSSL_SUCCESS) {
		res->note = wolf_words("the CRL", ret);
		goto out;
	}
	ret = wolfSSL_CertManagerCheckCRL(cm, c->der, (int)c->der_len);
	if (ret == CRL_CERT_REVOKED) {
		res->status = REVOKE_REVOKED;
		if (!pem && cert_serial(c->der, c->der_len, &serial) == 0)
			crl_revoked_info(crl, len, &serial, res);
	} else if (ret == WOLFSSL_SUCCESS)
		res->status = REVOKE_GOOD;
	else
		res->note = wolf_words("the CRL", ret);
out:
	free(crl);
	if (cm != NULL)
		wolfSSL_CertManagerFree(cm);
}

/* The issuer of ch->certs[i]: the next certificate when its subject
 * matches, else any other one with that subject. */
static const struct cert_info *
find_issuer(const struct chain *ch, size_t i)
{
	const struct cert_info *c = &ch->certs[i];

	if (c->issuer == NULL)
		return NULL;
	if (i + 1 < ch->n && ch->certs[i + 1].subject != NULL &&
	    strcmp(ch->certs[i + 1].subject, c->issuer) == 0)
		return &ch->certs[i + 1];
	for (size_t j = 0; j < ch->n; j++)
		if (j != i && ch->certs[j].subject != NULL &&
		    ch->certs[j].der != NULL &&
		    strcmp(ch->certs[j].subject, c->issuer) == 0)
			return &ch->certs[j];
	return NULL;
}

static void
result_clear(struct revoke_result *res)
{
	free(res->when);
	free(res->reason);
	free(res->note);
	memset(res, 0, sizeof *res);
}

static void
add_note(struct strbuf *why, const char *what, const char *note)
{
	if (note == NULL)
		return;
	if (why->len > 0)
		strbuf_puts(why, "; ");
	strbuf_printf(why, "%s: %s", what, note);
}

static void
report_revoked(struct report *r, size_t i, const struct cert_info *c,
    const char *source, const struct revoke_result *res)
{
	struct strbuf ev = { 0 };
	char *summary;

	strbuf_printf(&ev, "%s says revoked", source);
	if (res->reason != NULL || res->when != NULL) {
		strbuf_puts(&ev, " (");
		if (res->reason != NULL)
			strbuf_puts(&ev, res->reason);
		if (res->reason != NULL && res->when != NULL)
			strbuf_puts(&ev, ", ");
		if (res->when != NULL)
			strbuf_printf(&ev, "since %s", res->when);
		strbuf_puts(&ev, ")");
	}
	strbuf_printf(&ev, " for %s %s", i == 0 ? "the server certificate" :
	    "the intermediate", c->subject ? c->subject : "(no subject)");
	summary = i == 0 ?
	    xstrdup("The server's certificate has been revoked by its issuer") :
	    xstrdup("A certificate in the server's chain has been revoked");
	report_add(r, FINDING_CERT_REVOKED, summary, ev.s);
	free(summary);
	strbuf_free(&ev);
}

enum revoke_status
revoke_check_ex(const struct chain *ch, const struct revoke_opts *o,
    struct report *r, char **why)
{
	enum revoke_status leaf = REVOKE_UNKNOWN;
	struct net_ctx local, *ctx = o->ctx;
	struct strbuf notes = { 0 };
	int timeout = o->timeout_ms > 0 ? o->timeout_ms : REVOKE_DEFAULT_MS;
	int64_t deadline = now_ms() + timeout;

	if (why != NULL)
		*why = NULL;
	if (ch == NULL || ch->n == 0)
		return REVOKE_UNKNOWN;
	if (ctx == NULL) {
		net_ctx_init(&local);
		ctx = &local;
	}
	wolfSSL_Init();
	/* The leaf first, then intermediates; roots are not revoked this
	 * way. One budget for all of it, so a dead responder costs at most
	 * the timeout. */
	for (size_t i = 0; i + 1 <= ch->n; i++) {
		const struct cert_info *c = &ch->certs[i], *issuer;
		struct revoke_result res = { 0 };
		char *source = NULL;

		if (c->der == NULL || (i > 0 && c->self_signed))
			continue;
		if ((issuer = find_issuer(ch, i)) == NULL || issuer == c) {
			if (i == 0 && (o->staple || c->ocsp_url || c->crl_url))
				add_note(&notes, "revocation",
				    "the issuer is not in the chain sent");
			continue;
		}
		if (i == 0 && o->staple != NULL && o->staple_len > 0) {
			source = xstrdup("the stapled OCSP response");
			revoke_ocsp(c, issuer, o->staple, o->staple_len, ctx,
			    deadline, &res);
			add_note(&notes, source, res.note);
		}
		if (res.status == REVOKE_UNKNOWN && c->ocsp_url != NULL &&
		    now_ms() < deadline) {
			int64_t left = deadline - now_ms(), d = deadline;
			/* Keep a third for the CRL when there is one. */
			if (c->crl_url != NULL)
				d = now_ms() + left * 2 / 3;
			result_clear(&res);
			free(source);
			source = xasprintf("the OCSP responder %s", c->ocsp_url);
			revoke_ocsp(c, issuer, NULL, 0, ctx, d, &res);
			add_note(&notes, source, res.note);
		}
		if (res.status == REVOKE_UNKNOWN && c->crl_url != NULL &&
		    now_ms() < deadline) {
			result_clear(&res);
			free(source);
			source = xasprintf("the CRL %s", c->crl_url);
			revoke_crl(c, issuer, ctx, deadline, &res);
			add_note(&notes, source, res.note);
		}
		if (res.status == REVOKE_REVOKED)
			report_revoked(r, i, c, source, &res);
		free(source);
		if (i == 0)
			leaf = res.status;
		result_clear(&res);
	}
	wolfSSL_Cleanup();
	if (ctx == &local)
		net_ctx_destroy(&local);
	if (why != NULL && notes.len > 0)
		*why = sanitize(notes.s, notes.len, SANITIZE_MAX * 2);
	strbuf_free(&notes);
	return leaf;
}

enum revoke_status
revoke_check(const struct chain *ch, const struct revoke_opts *o,
    struct report *r)
{
	return revoke_check_ex(ch, o, r, NULL);
}
