/* trust.c: the trust store (see trust.h). Every anchor goes into one
 * wolfSSL certificate manager and is also kept here with its name and key
 * hashes, because the chain analysis needs what a manager does not tell:
 * which anchors share a name (path confusion) and which were added on this
 * computer (interception). */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/hash.h>

#include "safefile.h"
#include "sanitize.h"
#include "trust_int.h"
#include "util.h"

#define SYSTEM_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
#define SHIPPED_DIR "/usr/share/ca-certificates/mozilla"
#define MAX_ANCHORS 10000 /* duplicates are found by a linear scan */

struct trust {
	WOLFSSL_CERT_MANAGER *cm;
	struct trust_anchor *anchors;
	size_t n, cap;
	int user;       /* --ca-file or PEM in memory */
	size_t nlocal;
	size_t nbad;    /* blocks that were not certificates */
	struct strbuf source;
	char *source_clean; /* sanitized: paths come from the user */
	pthread_mutex_t lock; /* for the anchors' lazily parsed x509 */
};

static struct trust *
trust_new(int user)
{
	struct trust *t = xcalloc(1, sizeof *t);

	t->user = user;
	pthread_mutex_init(&t->lock, NULL);
	t->cm = wolfSSL_CertManagerNew();
	if (t->cm == NULL) { /* out of memory: the callers say so */
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	return t;
}

void
trust_free(struct trust *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->anchors[i].der);
		free(t->anchors[i].subject);
		wolfSSL_X509_free(t->anchors[i].x509);
	}
	free(t->anchors);
	wolfSSL_CertManagerFree(t->cm);
	strbuf_free(&t->source);
	free(t->source_clean);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* Add one DER certificate; duplicates (the same bytes reached through a
 * hashed directory's links, say) are kept once. */
static void
trust_add_der(struct trust *t, const unsigned char *der, size_t len)
{
	struct trust_anchor a = { 0 };
	unsigned char h[CERT_HASH_LEN];

	/* Hash first: a duplicate costs no parse. */
	wc_Sha256Hash(der, (word32)len, h);
	for (size_t i = 0; i < t->n; i++)
		if (memcmp(t->anchors[i].id.der, h, CERT_HASH_LEN) == 0)
			return;
	if (t->n >= MAX_ANCHORS || cert_id_get(der, len, &a.id) != 0) {
		t->nbad++;
		return;
	}
	a.der = xmalloc(len);
	memcpy(a.der, der, len);
	a.der_len = len;
	a.origin = t->user ? ANCHOR_USER : ANCHOR_SHIPPED;
	/* The manager may refuse some (not a CA, expired): we still keep
	 * them, as OpenSSL trusts whatever is in its CA file. */
	(void)wolfSSL_CertManagerLoadCABuffer(t->cm, der, (long)len,
	    WOLFSSL_FILETYPE_ASN1);
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->anchors = xreallocarray(t->anchors, t->cap,
		    sizeof *t->anchors);
	}
	t->anchors[t->n++] = a;
}

/* Calls fn for every certificate in buf: PEM blocks, or the whole buffer
 * as DER when there is no PEM marker. Returns how many were found. */
static size_t
pem_each(const char *buf, size_t len,
    void (*fn)(void *, const unsigned char *, size_t), void *arg)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----";
	static const char end[] = "-----END CERTIFICATE-----";
	const char *p = buf, *lim = buf + len;
	size_t found = 0;

	if (memmem(buf, len, "-----BEGIN", 10) == NULL) {
		if (len > 0 && (unsigned char)buf[0] == 0x30) {
			fn(arg, (const unsigned char *)buf, len);
			found++;
		}
		return found;
	}
	while (p < lim) {
		const char *b = memmem(p, (size_t)(lim - p), begin,
		    sizeof begin - 1);
		if (b == NULL)
			break;
		const char *e = memmem(b, (size_t)(lim - b), end,
		    sizeof end - 1);
		if (e == NULL)
			break;
		e += sizeof end - 1;
		size_t pemlen = (size_t)(e - b);
		unsigned char *der = xmalloc(pemlen);
		int n = wc_CertPemToDer((const unsigned char *)b, (int)pemlen,
		    der, (int)pemlen, CERT_TYPE);
		if (n > 0) {
			fn(arg, der, (size_t)n);
			found++;
		}
		free(der);
		p = e;
	}
	return found;
}

static void
add_cb(void *arg, const unsigned char *der, size_t len)
{
	trust_add_der(arg, der, len);
}

static int
trust_add_file(struct trust *t, const char *path, char **why)
{
	size_t len, before = t->n;
	char *buf, *err;

	/* Never block on a FIFO or a device, never read without bound. */
	if (safefile_read(path, SAFEFILE_MAX, &buf, &len, &err) != 0) {
		*why = xasprintf("cannot read %s: %s", path, err);
		free(err);
		return -1;
	}
	pem_each(buf, len, add_cb, t);
	free(buf);
	if (t->n == before) {
		*why = xasprintf("no certificate found in %s", path);
		return -1;
	}
	return 0;
}

/* A hashed directory holds both NAME.pem links and HASH.0 links to the
 * same files: duplicates fold in trust_add_der. */
static int
dir_wanted(const char *name)
{
	return fnmatch("*.pem", name, 0) == 0 ||
	    fnmatch("*.crt", name, 0) == 0 ||
	    fnmatch("[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
		    "[0-9a-f].[0-9]*", name, 0) == 0;
}

struct seen {
	struct stat *st;
	size_t n;
};

/* Links to one file (NAME.pem and HASH.0 in /etc/ssl/certs) are read
 * once: reading is most of the cost of a hashed directory. */
static int
seen_before(struct seen *sn, const struct stat *st)
{
	for (size_t i = 0; i < sn->n; i++)
		if (sn->st[i].st_ino == st->st_ino &&
		    sn->st[i].st_dev == st->st_dev)
			return 1;
	sn->st = xreallocarray(sn->st, sn->n + 1, sizeof *sn->st);
	sn->st[sn->n++] = *st;
	return 0;
}

static void
trust_add_dir(struct trust *t, const char *dir, struct seen *sn)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char *path, *why = NULL;
		struct stat st;

		if (!dir_wanted(de->d_name))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    !seen_before(sn, &st))
			(void)trust_add_file(t, path, &why);
		free(why);
		free(path);
	}
	closedir(d);
}

/* SSL_CERT_DIR may list several directories, as OpenSSL allows. */
static void
trust_add_dirs(struct trust *t, const char *dirs)
{
	char *copy = xstrdup(dirs), *save = NULL;
	struct seen sn = { 0 };

	for (char *d = strtok_r(copy, ":", &save); d != NULL;
	    d = strtok_r(NULL, ":", &save))
		trust_add_dir(t, d, &sn);
	free(sn.st);
	free(copy);
}

struct shipped {
	unsigned char (*h)[CERT_HASH_LEN];
	size_t n;
};

static void
shipped_cb(void *arg, const unsigned char *der, size_t len)
{
	struct shipped *s = arg;

	s->h = xreallocarray(s->h, s->n + 1, sizeof *s->h);
	wc_Sha256Hash(der, (word32)len, s->h[s->n++]);
}

/* Mark anchors that the CA package does not ship. Where the package's
 * directory is missing (not Debian) we cannot tell: all count as shipped. */
static void
trust_mark_local(struct trust *t)
{
	struct shipped s = { 0 };
	DIR *d = opendir(SHIPPED_DIR);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t len;
		char *path, *buf, *err;

		if (fnmatch("*.crt", de->d_name, 0) != 0)
			continue;
		path = xasprintf("%s/%s", SHIPPED_DIR, de->d_name);
		if (safefile_read(path, SAFEFILE_MAX, &buf, &len, &err) == 0) {
			pem_each(buf, len, shipped_cb, &s);
			free(buf);
		}
		free(err);
		free(path);
	}
	closedir(d);
	if (s.n == 0)
		return;
	for (size_t i = 0; i < t->n; i++) {
		size_t j;
		for (j = 0; j < s.n; j++)
			if (memcmp(s.h[j], t->anchors[i].id.der,
			    CERT_HASH_LEN) == 0)
				break;
		if (j == s.n) {
			t->anchors[i].origin = ANCHOR_LOCAL;
			t->nlocal++;
		}
	}
	free(s.h);
}

static struct trust *
trust_done(struct trust *t, char **cause, const char *what, char *why)
{
	if (t->n == 0) {
		*cause = xasprintf("no trusted certificate could be loaded "
		    "from %s%s%s", what, why ? ": " : "", why ? why : "");
		free(why);
		trust_free(t);
		return NULL;
	}
	free(why);
	t->source_clean = sanitize(t->source.s ? t->source.s : "",
	    t->source.len, SANITIZE_MAX);
	return t;
}

struct trust *
trust_load(const char *ca_file, char **cause)
{
	struct trust *t;
	const char *env_file = getenv("SSL_CERT_FILE");
	const char *env_dir = getenv("SSL_CERT_DIR");
	char *why = NULL;

	*cause = NULL;
	if (env_file != NULL && *env_file == '\0')
		env_file = NULL;
	if (env_dir != NULL && *env_dir == '\0')
		env_dir = NULL;
	if ((t = trust_new(ca_file != NULL)) == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	if (ca_file != NULL) {
		strbuf_printf(&t->source, "--ca-file %s", ca_file);
		(void)trust_add_file(t, ca_file, &why);
		return trust_done(t, cause, ca_file, why);
	}
	if (env_file != NULL || env_dir != NULL) {
		if (env_file != NULL) {
			strbuf_printf(&t->source, "SSL_CERT_FILE=%s", env_file);
			(void)trust_add_file(t, env_file, &why);
		}
		if (env_dir != NULL) {
			strbuf_printf(&t->source, "%sSSL_CERT_DIR=%s",
			    env_file ? " and " : "", env_dir);
			trust_add_dirs(t, env_dir);
		}
	} else {
		strbuf_puts(&t->source, SYSTEM_BUNDLE);
		(void)trust_add_file(t, SYSTEM_BUNDLE, &why);
	}
	trust_mark_local(t);
	return trust_done(t, cause, t->source.s, why);
}

struct trust *
trust_load_pem(const char *pem, size_t len, char **cause)
{
	struct trust *t = trust_new(1);

	*cause = NULL;
	if (t == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	strbuf_puts(&t->source, "built-in lab root");
	pem_each(pem, len, add_cb, t);
	return trust_done(t, cause, "the given PEM", NULL);
}

int
trust_is_user_file(const struct trust *t)
{
	return t->user;
}

size_t
trust_count(const struct trust *t)
{
	return t->n;
}

const char *
trust_source(const struct trust *t)
{
	return t->source_clean ? t->source_clean : "";
}

size_t
trust_nanchors(const struct trust *t)
{
	return t->n;
}

const struct trust_anchor *
trust_anchor(const struct trust *t, size_t i)
{
	return i < t->n ? &t->anchors[i] : NULL;
}

WOLFSSL_X509 *
trust_anchor_x509(const struct trust *ct, const struct trust_anchor *ca)
{
	/* A cache inside a const store: the lock makes it safe to share. */
	struct trust *t = (struct trust *)ct;
	struct trust_anchor *a = (struct trust_anchor *)ca;
	WOLFSSL_X509 *x;

	pthread_mutex_lock(&t->lock);
	if (a->x509 == NULL) {
		a->x509 = wolfSSL_X509_d2i(NULL, a->der, (int)a->der_len);
		free(a->subject);
		a->subject = a->x509 ? cert_dn(wolfSSL_X509_get_subject_name(
		    a->x509)) : xstrdup("(unreadable)");
	}
	x = a->x509;
	pthread_mutex_unlock(&t->lock);
	return x;
}

const char *
trust_anchor_subject(const struct trust *t, const struct trust_anchor *a)
{
	(void)trust_anchor_x509(t, a);
	return a->subject;
}

WOLFSSL_CERT_MANAGER *
trust_cm(const struct trust *t)
{
	return t->cm;
}

size_t
trust_nlocal(const struct trust *t)
{
	return t->nlocal;
}

const struct intercept_product *
intercept_match(const char *dn)
{
	if (dn == NULL)
		return NULL;
	for (size_t i = 0; i < intercept_nproducts; i++)
		if (strcasestr(dn, intercept_products[i].pattern) != NULL)
			return &intercept_products[i];
	return NULL;
}
