/* wolf.c: what wolfSSL reads from a certificate -- its identity (name
 * and key hashes), whether one key signed another, and the model's view
 * of it (struct cert_info) -- with our own parser (x509/cert.h) filling
 * in what wolfSSL cannot read. Shared by trust.c and chain.c, so neither
 * depends on the other. */
#include <arpa/inet.h>
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
#include <wolfssl/wolfcrypt/hash.h>

#include "sanitize.h"
#include "util.h"
#include "x509/cert.h"
#include "x509/asn1.h"
#include "x509/wolf.h"

#define SANS_KEPT 200        /* in the model; the host check sees all */
#define DN_MAX 1024
#define URL_MAX 1024

char *
hex_str(const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = xmalloc(2 * n + 1);

	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

/* Raw values first, sanitized once at the end, so a cut never splits an
 * escape or a UTF-8 sequence. */
char *
cert_dn(WOLFSSL_X509_NAME *name)
{
	struct strbuf b = { 0 };
	int n = name ? wolfSSL_X509_NAME_entry_count(name) : 0;
	char *s;

	for (int i = n - 1; i >= 0 && b.len < 4 * DN_MAX; i--) {
		WOLFSSL_X509_NAME_ENTRY *e;
		WOLFSSL_ASN1_STRING *v;
		const char *sn;

		e = wolfSSL_X509_NAME_get_entry(name, i);

		if (e == NULL)
			continue;
		sn = wolfSSL_OBJ_nid2sn(wolfSSL_OBJ_obj2nid(
		    wolfSSL_X509_NAME_ENTRY_get_object(e)));
		v = wolfSSL_X509_NAME_ENTRY_get_data(e);
		if (b.len > 0)
			strbuf_puts(&b, ", ");
		strbuf_printf(&b, "%s=", sn ? sn : "?");
		if (v != NULL && wolfSSL_ASN1_STRING_length(v) > 0)
			strbuf_add(&b,
			    (const char *)wolfSSL_ASN1_STRING_data(v),
			    (size_t)wolfSSL_ASN1_STRING_length(v));
	}
	s = sanitize(b.s ? b.s : "", b.len, DN_MAX);
	strbuf_free(&b);
	return s;
}

/* The last CN of a name (the most specific), raw; caller frees. */
char *
cert_cn(WOLFSSL_X509_NAME *name, size_t *len)
{
	int n = name ? wolfSSL_X509_NAME_entry_count(name) : 0;

	for (int i = n - 1; i >= 0; i--) {
		WOLFSSL_X509_NAME_ENTRY *e;
		WOLFSSL_ASN1_STRING *v;

		e = wolfSSL_X509_NAME_get_entry(name, i);
		if (e == NULL || wolfSSL_OBJ_obj2nid(
		    wolfSSL_X509_NAME_ENTRY_get_object(e)) != NID_commonName)
			continue;
		v = wolfSSL_X509_NAME_ENTRY_get_data(e);
		if (v == NULL || wolfSSL_ASN1_STRING_length(v) < 0)
			return NULL;
		*len = (size_t)wolfSSL_ASN1_STRING_length(v);
		return xstrndup((const char *)wolfSSL_ASN1_STRING_data(v),
		    *len);
	}
	return NULL;
}

/* The DecodedCert side: hashes, flags, and the URLs (AIA via the compat
 * layer returns junk in this wolfSSL). ci may be NULL. */
static int
decoded_fill(const unsigned char *der, size_t len, struct cert_id *id,
    struct cert_info *ci)
{
	DecodedCert dc;
	int rc = -1;

	memset(id, 0, sizeof *id);
	if (der == NULL || len == 0 || len > INT_MAX)
		return -1;
	wc_InitDecodedCert(&dc, der, (word32)len, NULL);
	if (wc_ParseCert(&dc, CERT_TYPE, NO_VERIFY, NULL) != 0)
		goto out;
	memcpy(id->subject, dc.subjectHash,
	    sizeof dc.subjectHash < CERT_HASH_LEN ? sizeof dc.subjectHash :
	    CERT_HASH_LEN);
	memcpy(id->issuer, dc.issuerHash,
	    sizeof dc.issuerHash < CERT_HASH_LEN ? sizeof dc.issuerHash :
	    CERT_HASH_LEN);
	if (dc.publicKey != NULL && dc.pubKeySize > 0)
		wc_Sha256Hash(dc.publicKey, dc.pubKeySize, id->key);
	wc_Sha256Hash(der, (word32)len, id->der);
	id->self_issued = dc.selfSigned;
	id->is_ca = dc.isCA;
	if (ci != NULL) {
		if (dc.extAuthInfoCaIssuer != NULL &&
		    dc.extAuthInfoCaIssuerSz > 0)
			ci->ca_issuers_url = sanitize(
			    (const char *)dc.extAuthInfoCaIssuer,
			    (size_t)dc.extAuthInfoCaIssuerSz, URL_MAX);
		if (dc.extAuthInfo != NULL && dc.extAuthInfoSz > 0)
			ci->ocsp_url = sanitize((const char *)dc.extAuthInfo,
			    (size_t)dc.extAuthInfoSz, URL_MAX);
		if (dc.extCrlInfo != NULL && dc.extCrlInfoSz > 0)
			ci->crl_url = sanitize((const char *)dc.extCrlInfo,
			    (size_t)dc.extCrlInfoSz, URL_MAX);
		ci->is_ca = dc.isCA;
		/* Named here: the compat layer's NID table is wrong for MD5. */
		switch (dc.signatureOID) {
		case CTC_MD2wRSA:
			ci->signature = xstrdup("md2WithRSAEncryption");
			break;
		case CTC_MD5wRSA:
			ci->signature = xstrdup("md5WithRSAEncryption");
			break;
		case CTC_SHAwRSA:
			ci->signature = xstrdup("sha1WithRSAEncryption");
			break;
		case CTC_SHAwECDSA:
			ci->signature = xstrdup("ecdsa-with-SHA1");
			break;
		case CTC_SHAwDSA:
			ci->signature = xstrdup("dsaWithSHA1");
			break;
		}
		ci->weak_signature = ci->signature != NULL;
		switch (dc.keyOID) {
		case RSAk:
		case RSAPSSk:
			ci->key_type = xstrdup("RSA");
			break;
		case ECDSAk:
			ci->key_type = xstrdup("EC");
			break;
		case ED25519k:
			ci->key_type = xstrdup("Ed25519");
			ci->key_bits = 256;
			break;
		case ED448k:
			ci->key_type = xstrdup("Ed448");
			ci->key_bits = 456;
			break;
		case DSAk:
			ci->key_type = xstrdup("DSA");
			break;
		default:
			ci->key_type = xstrdup("unknown");
		}
	}
	rc = 0;
out:
	wc_FreeDecodedCert(&dc);
	return rc;
}

int
cert_id_get(const unsigned char *der, size_t len, struct cert_id *id)
{
	return decoded_fill(der, len, id, NULL);
}

int
cert_signs(WOLFSSL_X509 *issuer, WOLFSSL_X509 *subject)
{
	WOLFSSL_EVP_PKEY *k;
	int ok;

	if (issuer == NULL || subject == NULL)
		return 0;
	k = wolfSSL_X509_get_pubkey(issuer);
	ok = k != NULL && wolfSSL_X509_verify(subject, k) == WOLFSSL_SUCCESS;
	wolfSSL_EVP_PKEY_free(k);
	/* Debian's wolfSSL has FP_ECC: from the second ECDSA verify in a
	 * thread it builds a ~3 MB table for the base point, per thread,
	 * never freed when the thread ends. Dropping it costs nothing here
	 * (it is never built) and keeps worker threads from leaking. */
	wc_ecc_fp_free();
	return ok;
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, in UTC.
 * Not wolfSSL_ASN1_TIME_to_tm: it goes through mktime(), so the local
 * time zone's DST shifts dates by an hour (and it races on tzset). */
time_t
wolf_time(const WOLFSSL_ASN1_TIME *t)
{
	time_t out;

	if (t == NULL || t->length <= 0 || t->length > CTC_DATE_SIZE)
		return 0;
	/* the form by its length, as DER has it (asn1.c checks the rest) */
	struct asn1 v = { t->data, (size_t)t->length };
	if (asn1_time(t->length == 13 ? DER_UTCTIME : DER_GENERALIZEDTIME, &v,
	    &out) != 0)
		return 0;
	return out;
}

/* Every DNS and IP name of the subjectAltName, raw; returns how many
 * names the extension held (-1: no extension). */
int
san_each(WOLFSSL_X509 *x, void (*fn)(void *, int, const unsigned char *,
    size_t), void *arg)
{
	WOLFSSL_STACK *gns = wolfSSL_X509_get_ext_d2i(x, NID_subject_alt_name,
	    NULL, NULL);
	int n, total = 0;

	if (gns == NULL)
		return -1;
	n = wolfSSL_sk_GENERAL_NAME_num(gns);
	/* wolfSSL's stack holds them last first: give certificate order. */
	for (int i = n - 1; i >= 0; i--) {
		WOLFSSL_GENERAL_NAME *gn;
		WOLFSSL_ASN1_STRING *s;

		gn = wolfSSL_sk_GENERAL_NAME_value(gns, i);
		if (gn == NULL)
			continue;
		if (gn->type == GEN_DNS)
			s = gn->d.dNSName;
		else if (gn->type == GEN_IPADD)
			s = gn->d.iPAddress;
		else
			continue;
		if (s == NULL || wolfSSL_ASN1_STRING_length(s) < 0)
			continue;
		total++;
		fn(arg, gn->type, wolfSSL_ASN1_STRING_data(s),
		    (size_t)wolfSSL_ASN1_STRING_length(s));
	}
	wolfSSL_GENERAL_NAMES_free(gns);
	return total;
}

/* An IP SAN as text, or NULL when its length is neither 4 nor 16. */
char *
ip_text(const unsigned char *p, size_t len)
{
	char buf[INET6_ADDRSTRLEN];

	if (len != 4 && len != 16)
		return NULL;
	if (inet_ntop(len == 4 ? AF_INET : AF_INET6, p, buf, sizeof buf) ==
	    NULL)
		return NULL;
	return xstrdup(buf);
}

static void
san_keep(void *arg, int type, const unsigned char *p, size_t len)
{
	struct cert_info *ci = arg;
	char *s;

	ci->nsans_total++;
	if (ci->nsans >= SANS_KEPT)
		return;
	if (type == GEN_IPADD) {
		if ((s = ip_text(p, len)) == NULL)
			s = sanitize((const char *)p, len, SANITIZE_MAX);
	} else
		s = sanitize((const char *)p, len, SANITIZE_MAX);
	ci->sans = xreallocarray(ci->sans, ci->nsans + 1, sizeof *ci->sans);
	ci->sans[ci->nsans++] = s;
}

int
cert_info_parse(const unsigned char *der, size_t len, struct cert_info *out)
{
	const unsigned char *p = der;
	WOLFSSL_X509 *x;
	WOLFSSL_EVP_PKEY *k;
	struct cert_id id;
	char *cn, *hex;
	size_t cnlen = 0;

	memset(out, 0, sizeof *out);
	if (der == NULL || len == 0 || len > INT_MAX)
		return -1;
	x = wolfSSL_X509_d2i(NULL, p, (int)len);
	if (x == NULL)
		return -1;
	if (decoded_fill(der, len, &id, out) != 0) {
		cert_info_clear(out);
		wolfSSL_X509_free(x);
		return -1;
	}
	out->subject = cert_dn(wolfSSL_X509_get_subject_name(x));
	out->issuer = cert_dn(wolfSSL_X509_get_issuer_name(x));
	if ((cn = cert_cn(wolfSSL_X509_get_subject_name(x), &cnlen)) != NULL) {
		out->cn = sanitize(cn, cnlen, SANITIZE_MAX);
		free(cn);
	}
	(void)san_each(x, san_keep, out);
	out->not_before = wolf_time(wolfSSL_X509_get_notBefore(x));
	out->not_after = wolf_time(wolfSSL_X509_get_notAfter(x));
	if (out->key_bits == 0 && (k = wolfSSL_X509_get_pubkey(x)) != NULL) {
		out->key_bits = wolfSSL_EVP_PKEY_bits(k);
		wolfSSL_EVP_PKEY_free(k);
	}
	if (out->signature == NULL) {
		/* OpenSSL's names: wolfSSL's long ECDSA names differ. */
		int nid = wolfSSL_X509_get_signature_nid(x);
		const char *sn = wolfSSL_OBJ_nid2sn(nid);
		const char *ln = wolfSSL_OBJ_nid2ln(nid);
		const char *sig = sn && strncmp(sn, "ecdsa-with", 10) == 0 ?
		    sn : ln;
		out->signature = xstrdup(sig ? sig : "unknown");
	}
	hex = hex_str(id.der, CERT_HASH_LEN);
	memcpy(out->sha256, hex, 64);
	out->sha256[64] = '\0';
	free(hex);
	out->self_signed = id.self_issued && cert_signs(x, x);
	out->der = xmalloc(len);
	memcpy(out->der, der, len);
	out->der_len = len;
	wolfSSL_X509_free(x);
	return 0;
}

/* What our own parser reads of a certificate wolfSSL cannot read: enough
 * to name it and judge its key. Strings sanitized. */
static void
own_fill(const unsigned char *der, size_t len, struct cert_info *ci)
{
	struct x509_cert xc;
	unsigned char h[WC_SHA256_DIGEST_SIZE];
	char *s, *hex;

	memset(ci, 0, sizeof *ci);
	(void)x509_parse(&xc, der, len);
	s = xc.subject.p ? x509_name_text(&xc.subject) : NULL;
	ci->subject = s && *s ? sanitize(s, strlen(s), DN_MAX) :
	    xstrdup("(not a readable certificate)");
	free(s);
	s = xc.issuer.p ? x509_name_text(&xc.issuer) : NULL;
	ci->issuer = sanitize(s ? s : "", s ? strlen(s) : 0, DN_MAX);
	free(s);
	ci->key_type = xstrdup(x509_key_str(xc.key));
	ci->key_bits = xc.key_bits;
	ci->signature = xstrdup("unknown");
	ci->not_before = xc.not_before;
	ci->not_after = xc.not_after;
	ci->is_ca = xc.has_bc && xc.ca;
	for (size_t i = 0; i < xc.nsan && ci->nsans < SANS_KEPT; i++) {
		const struct x509_name_ent *e = &xc.san[i];
		if (e->type != X509_GN_DNS && e->type != X509_GN_IP)
			continue;
		ci->nsans_total++;
		s = e->type == X509_GN_IP ? ip_text(e->v.p, e->v.len) : NULL;
		ci->sans = xreallocarray(ci->sans, ci->nsans + 1,
		    sizeof *ci->sans);
		ci->sans[ci->nsans++] = s ? s : sanitize((const char *)e->v.p,
		    e->v.len, SANITIZE_MAX);
	}
	if (der != NULL && len > 0 && len <= UINT32_MAX) {
		wc_Sha256Hash(der, (word32)len, h);
		hex = hex_str(h, sizeof h);
		memcpy(ci->sha256, hex, 64);
		free(hex);
	}
	x509_cert_free(&xc);
}

void
chain_from_der(struct chain *ch, unsigned char *const *ders,
    const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct cert_info *ci;

		ch->certs = xreallocarray(ch->certs, ch->n + 1,
		    sizeof *ch->certs);
		ci = &ch->certs[ch->n++];
		if (cert_info_parse(ders[i], lens[i], ci) == 0)
			continue;
		/* Keep its place: positions matter for the order check. */
		own_fill(ders[i], lens[i], ci);
		if (ders[i] != NULL && lens[i] > 0) {
			ci->der = xmalloc(lens[i]);
			memcpy(ci->der, ders[i], lens[i]);
			ci->der_len = lens[i];
		}
	}
}

