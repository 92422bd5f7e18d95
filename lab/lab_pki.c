/* lab_pki.c: the practice lab's certificates, made at start-up with
 * wolfCrypt so none of them ever expires on disk (there is no disk).
 *
 * One ECC root and intermediate sign the ordinary sites; a second root that
 * nobody trusts, a "Web/Mail Shield" inspection root (trusted, as if an
 * antivirus had installed it) and self-signed leaves make the rest. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>

#include "lab_priv.h"
#include "util.h"

#define DAY (24 * 60 * 60)
#define DER_MAX 4096

struct key {
	int rsa;
	ecc_key ecc;
	RsaKey rsak;
};

/* A certificate made here: DER plus the key that may sign with it. */
struct issued {
	unsigned char der[DER_MAX];
	int len;
	struct key *key;
};

struct spec {
	const char *cn;
	const char *org;
	const char *const *sans; /* NULL-terminated DNS names, or NULL */
	time_t not_before, not_after;
	int ca;
};

/* An RSA-2048 key takes 0.1-0.8 s to make, the ECC keys microseconds:
 * make it once per process and keep its DER, so a second lab (the tests
 * start one per case) starts at once. */
static pthread_mutex_t rsa_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char rsa_der[2048];
static word32 rsa_der_len;

static int
rsa_make(RsaKey *k, WC_RNG *rng)
{
	word32 idx = 0;
	int ret = -1;

	pthread_mutex_lock(&rsa_lock);
	if (rsa_der_len > 0) {
		ret = wc_RsaPrivateKeyDecode(rsa_der, &idx, k, rsa_der_len);
	} else if (wc_MakeRsaKey(k, 2048, WC_RSA_EXPONENT, rng) == 0) {
		int n = wc_RsaKeyToDer(k, rsa_der, sizeof rsa_der);
		if (n > 0)
			rsa_der_len = (word32)n;
		ret = 0;
	}
	pthread_mutex_unlock(&rsa_lock);
	return ret == 0 ? 0 : -1;
}

static int
key_make(struct key *k, int rsa, WC_RNG *rng)
{
	k->rsa = rsa;
	if (rsa) {
		if (wc_InitRsaKey(&k->rsak, NULL) != 0)
			return -1;
		return rsa_make(&k->rsak, rng);
	}
	if (wc_ecc_init(&k->ecc) != 0)
		return -1;
	return wc_ecc_make_key(rng, 32, &k->ecc) == 0 ? 0 : -1;
}

static void
key_free(struct key *k)
{
	if (k->rsa)
		wc_FreeRsaKey(&k->rsak);
	else
		wc_ecc_free(&k->ecc);
}

/* ASN.1 time with tag and length, as the Cert struct's date fields want
 * it: UTCTime up to 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
static int
time_encode(time_t t, unsigned char *out)
{
	struct tm tm;
	char s[80];

	gmtime_r(&t, &tm);
	if (tm.tm_year + 1900 >= 1950 && tm.tm_year + 1900 < 2050) {
		snprintf(s, sizeof s, "%02d%02d%02d%02d%02d%02dZ",
		    tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		out[0] = 0x17;
	} else {
		snprintf(s, sizeof s, "%04d%02d%02d%02d%02d%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		out[0] = 0x18;
	}
	out[1] = (unsigned char)strlen(s);
	memcpy(out + 2, s, strlen(s));
	return 2 + (int)strlen(s);
}

/* GeneralNames with dNSName entries (short names only). */
static int
sans_encode(const char *const *sans, unsigned char *out, size_t cap)
{
	size_t len = 2;

	for (; *sans != NULL; sans++) {
		size_t n = strlen(*sans);
		if (n > 120 || len + 2 + n > cap || len + 2 + n > 127)
			return -1;
		out[len++] = 0x82;
		out[len++] = (unsigned char)n;
		memcpy(out + len, *sans, n);
		len += n;
	}
	out[0] = 0x30;
	out[1] = (unsigned char)(len - 2);
	return (int)len;
}

/* Make a certificate for subject key sk, signed by issuer (NULL: self). */
static int
cert_make(const struct spec *s, struct key *sk, const struct issued *issuer,
    WC_RNG *rng, struct issued *out)
{
	struct Cert c;
	struct key *signer = issuer ? issuer->key : sk;
	int ret;

	if (wc_InitCert(&c) != 0)
		return -1;
	snprintf(c.subject.commonName, sizeof c.subject.commonName, "%s",
	    s->cn);
	snprintf(c.subject.org, sizeof c.subject.org, "%s", s->org);
	c.sigType = signer->rsa ? CTC_SHA256wRSA : CTC_SHA256wECDSA;
	c.beforeDateSz = time_encode(s->not_before, c.beforeDate);
	c.afterDateSz = time_encode(s->not_after, c.afterDate);
	if (s->ca) {
		c.isCA = 1;
		if (wc_SetKeyUsage(&c, "keyCertSign,cRLSign") != 0)
			return -1;
	} else {
		if (wc_SetKeyUsage(&c, sk->rsa ?
		    "digitalSignature,keyEncipherment" : "digitalSignature")
		    != 0 || wc_SetExtKeyUsage(&c, "serverAuth") != 0)
			return -1;
	}
	if (s->sans != NULL) {
		ret = sans_encode(s->sans, c.altNames, sizeof c.altNames);
		if (ret < 0)
			return -1;
		c.altNamesSz = ret;
	}
	if (wc_SetSubjectKeyIdFromPublicKey_ex(&c, sk->rsa ? RSA_TYPE :
	    ECC_TYPE, sk->rsa ? (void *)&sk->rsak : (void *)&sk->ecc) != 0)
		return -1;
	if (issuer != NULL) {
		if (wc_SetIssuerBuffer(&c, issuer->der, issuer->len) != 0 ||
		    wc_SetAuthKeyIdFromCert(&c, issuer->der, issuer->len) != 0)
			return -1;
	} else if (wc_SetAuthKeyIdFromPublicKey_ex(&c, sk->rsa ? RSA_TYPE :
	    ECC_TYPE, sk->rsa ? (void *)&sk->rsak : (void *)&sk->ecc) != 0)
		return -1;

	ret = wc_MakeCert(&c, out->der, sizeof out->der,
	    sk->rsa ? &sk->rsak : NULL, sk->rsa ? NULL : &sk->ecc, rng);
	if (ret < 0)
		return -1;
	ret = wc_SignCert(c.bodySz, c.sigType, out->der, sizeof out->der,
	    signer->rsa ? &signer->rsak : NULL,
	    signer->rsa ? NULL : &signer->ecc, rng);
	if (ret < 0)
		return -1;
	out->len = ret;
	out->key = sk;
	return 0;
}

static char *
pem_of(const unsigned char *der, size_t len)
{
	size_t cap = len * 2 + 128;
	char *pem = xmalloc(cap);
	int n = wc_DerToPem(der, (word32)len, (byte *)pem, (word32)cap - 1,
	    CERT_TYPE);

	if (n < 0)
		n = 0;
	pem[n] = '\0';
	return pem;
}

/* Fill a credential: the chain to send and the leaf's key. */
static int
cred_fill(struct lab_cred *cr, struct key *leaf_key,
    const struct issued *const *chain, size_t n)
{
	struct strbuf pem = { 0 };
	unsigned char buf[4096];
	int len;

	memset(cr, 0, sizeof *cr);
	for (size_t i = 0; i < n && i < LAB_MAX_CHAIN; i++) {
		cr->der[i] = xmalloc((size_t)chain[i]->len);
		memcpy(cr->der[i], chain[i]->der, (size_t)chain[i]->len);
		cr->der_len[i] = (size_t)chain[i]->len;
		char *p = pem_of(chain[i]->der, (size_t)chain[i]->len);
		strbuf_puts(&pem, p);
		free(p);
		cr->n++;
	}
	cr->pem = strbuf_steal(&pem);
	cr->rsa = leaf_key->rsa;
	if (leaf_key->rsa)
		len = wc_RsaKeyToDer(&leaf_key->rsak, buf, sizeof buf);
	else
		len = wc_EccKeyToDer(&leaf_key->ecc, buf, sizeof buf);
	if (len <= 0)
		return -1;
	cr->key = xmalloc((size_t)len);
	memcpy(cr->key, buf, (size_t)len);
	cr->key_len = (size_t)len;
	return 0;
}

/* The ordinary leaves: one per scenario, issued by the lab intermediate
 * for "<scenario>.lab.test". */
static const struct {
	enum lab_cred_id id;
	const char *name;  /* host label; NULL: special */
	int rsa;           /* static RSA / DHE-RSA need an RSA key */
	int send_int;      /* send the intermediate (the server is right) */
	long from, to;     /* validity in days around now */
} leaves[] = {
	{ LAB_CRED_HEALTHY, "healthy", 0, 1, -1, 90 },
	{ LAB_CRED_EXPIRED, "expired", 0, 1, -120, -30 },
	{ LAB_CRED_NOT_YET_VALID, "not-yet-valid", 0, 1, 30, 120 },
	{ LAB_CRED_MISSING_INTERMEDIATE, "missing-intermediate", 0, 0, -1, 90 },
	{ LAB_CRED_OLD_PROTOCOLS, "old-protocols", 1, 1, -1, 90 },
	{ LAB_CRED_DHE_ONLY, "dhe-only", 1, 1, -1, 90 },
	{ LAB_CRED_SNI_REQUIRED, "sni-required", 0, 1, -1, 90 },
	{ LAB_CRED_SNI_DEFAULT, "sni-default-cert", 0, 1, -1, 90 },
	{ LAB_CRED_CLIENT_CERT, "client-cert", 0, 1, -1, 90 },
};

int
lab_pki_make(struct lab_pki *p, time_t now, char **cause)
{
	enum { K_ROOT, K_INT, K_ROGUE, K_SHIELD, K_ECC, K_RSA, K_COUNT };
	struct key keys[K_COUNT];
	int nkeys = 0, ret = -1;
	WC_RNG rng;
	struct issued *root = xcalloc(1, sizeof *root);
	struct issued *inter = xcalloc(1, sizeof *inter);
	struct issued *rogue = xcalloc(1, sizeof *rogue);
	struct issued *shield = xcalloc(1, sizeof *shield);
	struct issued *leaf = xcalloc(1, sizeof *leaf);
	const char *org = "tlsmedic practice lab";
	const struct issued *chain[3];
	char host[128];
	const char *sans[3] = { host, NULL, NULL };

	memset(p, 0, sizeof *p);
	if (wc_InitRng(&rng) != 0) {
		*cause = xstrdup("cannot start the random generator");
		goto out_free;
	}
	for (nkeys = 0; nkeys < K_COUNT; nkeys++) {
		if (key_make(&keys[nkeys], nkeys == K_RSA, &rng) != 0) {
			*cause = xstrdup("cannot make the lab's keys");
			goto out;
		}
	}

	struct spec s_root = { "tlsmedic Lab Root CA", org, NULL,
		now - 2 * DAY, now + 3650L * DAY, 1 };
	struct spec s_int = { "tlsmedic Lab Intermediate CA", org, NULL,
		now - 2 * DAY, now + 1825L * DAY, 1 };
	struct spec s_rogue = { "Unknown Practice Root CA",
		"Nobody You Trust Ltd", NULL, now - 2 * DAY, now + 3650L * DAY,
		1 };
	/* Named like a real inspection product's root, which is what
	 * mitm.interception recognises (data/interception.txt). */
	struct spec s_shield = { LAB_INTERCEPT_CN, "tlsmedic practice lab "
		"(simulated antivirus)", NULL, now - 2 * DAY,
		now + 3650L * DAY, 1 };
	if (cert_make(&s_root, &keys[K_ROOT], NULL, &rng, root) != 0 ||
	    cert_make(&s_int, &keys[K_INT], root, &rng, inter) != 0 ||
	    cert_make(&s_rogue, &keys[K_ROGUE], NULL, &rng, rogue) != 0 ||
	    cert_make(&s_shield, &keys[K_SHIELD], NULL, &rng, shield) != 0) {
		*cause = xstrdup("cannot make the lab's CA certificates");
		goto out;
	}

	for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
		struct key *k = &keys[leaves[i].rsa ? K_RSA : K_ECC];
		snprintf(host, sizeof host, "%s.%s", leaves[i].name,
		    LAB_DOMAIN);
		struct spec s = { host, org, sans, now + leaves[i].from * DAY,
			now + leaves[i].to * DAY, 0 };
		if (cert_make(&s, k, inter, &rng, leaf) != 0)
			goto leaf_fail;
		chain[0] = leaf;
		chain[1] = inter;
		if (cred_fill(&p->cred[leaves[i].id], k, chain,
		    leaves[i].send_int ? 2 : 1) != 0)
			goto leaf_fail;
	}

	/* A certificate for some other site, served to wrong-host. */
	snprintf(host, sizeof host, "%s", LAB_WRONG_HOST);
	sans[1] = "another-site." LAB_DOMAIN;
	struct spec s_wrong = { host, org, sans, now - DAY, now + 90L * DAY,
		0 };
	if (cert_make(&s_wrong, &keys[K_ECC], inter, &rng, leaf) != 0)
		goto leaf_fail;
	chain[0] = leaf;
	chain[1] = inter;
	if (cred_fill(&p->cred[LAB_CRED_WRONG_HOST], &keys[K_ECC], chain, 2))
		goto leaf_fail;

	/* The shared host's default certificate, sent without SNI. */
	snprintf(host, sizeof host, "%s", LAB_DEFAULT_HOST);
	sans[1] = NULL;
	struct spec s_def = { host, "Example Shared Hosting", sans, now - DAY,
		now + 90L * DAY, 0 };
	if (cert_make(&s_def, &keys[K_ECC], inter, &rng, leaf) != 0 ||
	    cred_fill(&p->cred[LAB_CRED_SNI_DEFAULT_OTHER], &keys[K_ECC],
	    chain, 2) != 0)
		goto leaf_fail;

	/* Self-signed: the leaf vouches for itself. */
	snprintf(host, sizeof host, "self-signed.%s", LAB_DOMAIN);
	struct spec s_self = { host, org, sans, now - DAY, now + 365L * DAY,
		0 };
	if (cert_make(&s_self, &keys[K_ECC], NULL, &rng, leaf) != 0 ||
	    cred_fill(&p->cred[LAB_CRED_SELF_SIGNED], &keys[K_ECC], chain,
	    1) != 0)
		goto leaf_fail;

	/* Untrusted root: a complete chain up to a root nobody has. */
	snprintf(host, sizeof host, "untrusted-root.%s", LAB_DOMAIN);
	struct spec s_unt = { host, org, sans, now - DAY, now + 90L * DAY, 0 };
	if (cert_make(&s_unt, &keys[K_ECC], rogue, &rng, leaf) != 0)
		goto leaf_fail;
	chain[1] = rogue;
	if (cred_fill(&p->cred[LAB_CRED_UNTRUSTED_ROOT], &keys[K_ECC], chain,
	    2) != 0)
		goto leaf_fail;

	/* Interception: the product mints a leaf for the name asked for
	 * and signs it with its own root; it sends the leaf alone. */
	snprintf(host, sizeof host, "interception.%s", LAB_DOMAIN);
	struct spec s_mitm = { host, "", sans, now - DAY, now + 365L * DAY,
		0 };
	if (cert_make(&s_mitm, &keys[K_ECC], shield, &rng, leaf) != 0 ||
	    cred_fill(&p->cred[LAB_CRED_INTERCEPTION], &keys[K_ECC], chain,
	    1) != 0)
		goto leaf_fail;

	p->root_pem = pem_of(root->der, (size_t)root->len);
	char *shield_pem = pem_of(shield->der, (size_t)shield->len);
	p->anchors_pem = xasprintf("%s%s", p->root_pem, shield_pem);
	free(shield_pem);
	ret = 0;
	goto out;

leaf_fail:
	*cause = xstrdup("cannot make the lab's site certificates");
out:
	for (int i = 0; i < nkeys; i++)
		key_free(&keys[i]);
	wc_FreeRng(&rng);
out_free:
	free(root);
	free(inter);
	free(rogue);
	free(shield);
	free(leaf);
	if (ret != 0)
		lab_pki_free(p);
	return ret;
}

void
lab_pki_free(struct lab_pki *p)
{
	for (int i = 0; i < LAB_CRED_COUNT; i++) {
		struct lab_cred *c = &p->cred[i];
		for (size_t j = 0; j < c->n; j++)
			free(c->der[j]);
		free(c->pem);
		if (c->key != NULL)
			memset(c->key, 0, c->key_len);
		free(c->key);
	}
	free(p->anchors_pem);
	free(p->root_pem);
	memset(p, 0, sizeof *p);
}
