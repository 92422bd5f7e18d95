/* check_trust.c: where trust anchors come from (--ca-file, SSL_CERT_FILE,
 * SSL_CERT_DIR, the system bundle), which ones were added locally, and the
 * TLS-inspection product list. Uses tests/lib/mkpki.sh at test time and
 * the real system store (read only). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wolfssl/ssl.h>

#include "chain.h"
#include "checkutil.h"
#include "model.h"
#include "testsrv.h"
#include "trust.h"
#include "trust_int.h"
#include "util.h"

#define SYSTEM_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

static char *pki;

static char *
at(const char *file)
{
	return xasprintf("%s/%s", pki, file);
}

static void
clean_env(void)
{
	unsetenv("SSL_CERT_FILE");
	unsetenv("SSL_CERT_DIR");
}

/* Analyse a chain file of the PKI against t for host; returns the report. */
static struct report *
analyze(const char *chainfile, const char *host, const struct trust *t)
{
	struct report *r = report_new();
	char *path = at(chainfile);
	unsigned char *ders[8];
	size_t lens[8], n = checkutil_pem_ders(path, ders, lens, 8);

	chain_from_der(&r->chain, ders, lens, n);
	struct chain_opts o = { .trust = t, .hostname = host,
		.now = time(NULL) };
	chain_analyze(&r->chain, &o, r);
	for (size_t i = 0; i < n; i++)
		free(ders[i]);
	free(path);
	return r;
}

START_TEST(system_store)
{
	char *cause = NULL;
	struct trust *t;
	int64_t t0;

	clean_env();
	if (access(SYSTEM_BUNDLE, R_OK) != 0)
		return; /* no system store here: nothing to measure */
	t0 = now_ms();
	t = trust_load(NULL, &cause);
	long ms = (long)(now_ms() - t0);
	ck_assert_msg(t != NULL, "%s", cause);
	printf("trust_load(system): %zu anchors, %zu added locally, %ld ms "
	    "(%s)\n", trust_count(t), trust_nlocal(t), ms, trust_source(t));
	ck_assert_uint_gt(trust_count(t), 100);
	ck_assert_int_eq(trust_is_user_file(t), 0);
	ck_assert_str_eq(trust_source(t), SYSTEM_BUNDLE);
	ck_assert_int_lt(ms, 2000);
	trust_free(t);
	t0 = now_ms(); /* warm: files cached, wolfSSL initialised */
	t = trust_load(NULL, &cause);
	printf("trust_load(system), second time: %ld ms\n",
	    (long)(now_ms() - t0));
	ck_assert_ptr_nonnull(t);
	/* No root the system ships looks like an inspection product. */
	for (size_t i = 0; i < trust_nanchors(t); i++) {
		const struct trust_anchor *a = trust_anchor(t, i);
		const struct intercept_product *p = intercept_match(
		    trust_anchor_subject(t, a));
		if (a->origin == ANCHOR_SHIPPED)
			ck_assert_msg(p == NULL, "%s matches %s", a->subject,
			    p->pattern);
		ck_assert_ptr_nonnull(trust_anchor_x509(t, a));
	}
	/* A public chain we do not have still gets a verdict, no crash. */
	struct report *r = analyze("good-chain.pem", "good.test", t);
	char *ids = xstrdup(r->nfindings == 1 ?
	    finding_id_str(r->findings[0].id) : "?");
	ck_assert_str_eq(ids, "cert.untrusted_root");
	free(ids);
	report_free(r);
	trust_free(t);
}
END_TEST

START_TEST(system_dir)
{
	char *cause = NULL;
	struct trust *t;
	int64_t t0;

	clean_env();
	if (access("/etc/ssl/certs", R_OK) != 0)
		return;
	setenv("SSL_CERT_DIR", "/nonexistent:/etc/ssl/certs", 1);
	t0 = now_ms();
	t = trust_load(NULL, &cause);
	printf("trust_load(SSL_CERT_DIR=/etc/ssl/certs): %zu anchors, %ld ms\n",
	    t ? trust_count(t) : 0, (long)(now_ms() - t0));
	ck_assert_msg(t != NULL, "%s", cause);
	/* NAME.pem and HASH.0 links to the same file count once. */
	ck_assert_uint_gt(trust_count(t), 100);
	ck_assert_uint_lt(trust_count(t), 1000);
	ck_assert_ptr_nonnull(strstr(trust_source(t), "SSL_CERT_DIR="));
	trust_free(t);
}
END_TEST

START_TEST(env_file_marks_local_root)
{
	char *bundle = at("bundle.pem"), *cause = NULL;
	struct trust *t;

	clean_env();
	if (access(SYSTEM_BUNDLE, R_OK) != 0)
		return;
	ck_assert_int_eq(testsrv_sh(10, "cat %s %s/root.pem >%s", SYSTEM_BUNDLE,
	    pki, bundle), 0);
	setenv("SSL_CERT_FILE", bundle, 1);
	t = trust_load(NULL, &cause);
	ck_assert_msg(t != NULL, "%s", cause);
	ck_assert_int_eq(trust_is_user_file(t), 0);
	ck_assert_uint_ge(trust_nlocal(t), 1);
	size_t local_test_root = 0;
	for (size_t i = 0; i < trust_nanchors(t); i++) {
		const struct trust_anchor *a = trust_anchor(t, i);
		if (strstr(trust_anchor_subject(t, a), "tlsmedic Test Root CA"))
			local_test_root = a->origin == ANCHOR_LOCAL;
	}
	ck_assert_int_eq(local_test_root, 1);
	/* A chain ending at a locally added root: maybe inspected. */
	struct report *r = analyze("good-chain.pem", "good.test", t);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_int_eq(r->findings[0].id, FINDING_MITM_INTERCEPTION);
	ck_assert_int_eq(r->findings[0].owner, OWNER_NETWORK);
	ck_assert_ptr_nonnull(strstr(r->findings[0].evidence,
	    "not among the roots the system ships"));
	report_free(r);
	trust_free(t);

	/* The same root given with --ca-file is trusted on purpose; and
	 * --ca-file wins over the environment. */
	char *root = at("root.pem");
	t = trust_load(root, &cause);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(trust_count(t), 1);
	ck_assert_int_eq(trust_is_user_file(t), 1);
	ck_assert_uint_eq(trust_nlocal(t), 0);
	r = analyze("good-chain.pem", "good.test", t);
	ck_assert_uint_eq(r->nfindings, 0);
	report_free(r);
	trust_free(t);
	free(root);
	free(bundle);
}
END_TEST

START_TEST(env_dir_and_file)
{
	char *dir = at("hashed"), *cause = NULL;
	struct trust *t;

	clean_env();
	ck_assert_int_eq(testsrv_sh(10, "mkdir -p %s && cd %s && "
	    "cp ../root.pem root.pem && ln -s root.pem "
	    "$(openssl x509 -hash -noout -in root.pem).0 && "
	    "cp ../inter.pem inter.crt && echo junk >junk.pem && "
	    "cp ../untrusted-root.pem ignored.txt", dir, dir), 0);
	setenv("SSL_CERT_DIR", dir, 1);
	t = trust_load(NULL, &cause);
	ck_assert_msg(t != NULL, "%s", cause);
	ck_assert_uint_eq(trust_count(t), 2); /* root once, inter */
	trust_free(t);
	char *f = at("intercept-ca.pem");
	setenv("SSL_CERT_FILE", f, 1);
	t = trust_load(NULL, &cause);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(trust_count(t), 3);
	ck_assert_ptr_nonnull(strstr(trust_source(t), " and SSL_CERT_DIR="));
	trust_free(t);
	free(f);
	free(dir);
}
END_TEST

START_TEST(load_errors)
{
	char *cause = NULL;
	struct trust *t;
	char *junk = at("junk.txt");

	clean_env();
	t = trust_load("/nonexistent/ca.pem", &cause);
	ck_assert_ptr_null(t);
	ck_assert_ptr_nonnull(strstr(cause, "/nonexistent/ca.pem"));
	free(cause);
	ck_assert_int_eq(testsrv_sh(5, "printf \"hello\\033[2J\" >%s", junk),
	    0);
	t = trust_load(junk, &cause);
	ck_assert_ptr_null(t);
	ck_assert_ptr_nonnull(strstr(cause, "no certificate found"));
	free(cause);
	/* A file with escape bytes in its name is described safely. */
	t = trust_load("/nonexistent/\x1b[2J", &cause);
	ck_assert_ptr_null(t);
	free(cause);
	t = trust_load_pem("-----BEGIN CERTIFICATE-----\nAAAA\n"
	    "-----END CERTIFICATE-----\n", 56, &cause);
	ck_assert_ptr_null(t);
	free(cause);
	free(junk);
}
END_TEST

START_TEST(load_pem)
{
	char *path = at("confusion-roots.pem"), *cause = NULL, *pem;
	size_t len;
	struct trust *t;

	pem = checkutil_slurp(path, &len);
	t = trust_load_pem(pem, len, &cause);
	ck_assert_msg(t != NULL, "%s", cause);
	ck_assert_uint_eq(trust_count(t), 2);
	ck_assert_int_eq(trust_is_user_file(t), 1);
	ck_assert_str_eq(trust_source(t), "built-in lab root");
	for (size_t i = 0; i < 2; i++) {
		ck_assert_int_eq(trust_anchor(t, i)->origin, ANCHOR_USER);
		ck_assert_int_eq(trust_anchor(t, i)->id.self_issued, 1);
	}
	/* Same name, different keys. */
	ck_assert_int_eq(memcmp(trust_anchor(t, 0)->id.subject,
	    trust_anchor(t, 1)->id.subject, CERT_HASH_LEN), 0);
	ck_assert_int_ne(memcmp(trust_anchor(t, 0)->id.key,
	    trust_anchor(t, 1)->id.key, CERT_HASH_LEN), 0);
	ck_assert_ptr_null(trust_anchor(t, 2));
	trust_free(t);
	free(pem);
	free(path);
}
END_TEST

START_TEST(products_table)
{
	const struct intercept_product *p;

	ck_assert_uint_gt(intercept_nproducts, 20);
	for (size_t i = 0; i < intercept_nproducts; i++) {
		ck_assert_uint_gt(strlen(intercept_products[i].pattern), 3);
		ck_assert_uint_gt(strlen(intercept_products[i].name), 3);
	}
	p = intercept_match("CN=Avast Web/Mail Shield Root, "
	    "O=Avast Web/Mail Shield, OU=generated by Avast Antivirus");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->kind, INTERCEPT_ANTIVIRUS);
	p = intercept_match("CN=ESET SSL Filter CA, O=ESET, spol. s r. o.");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->kind, INTERCEPT_ANTIVIRUS);
	p = intercept_match("cn=zscaler root ca, o=zscaler inc.");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->kind, INTERCEPT_PROXY);
	p = intercept_match("CN=FortiGate CA, O=Fortinet, C=US");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->kind, INTERCEPT_PROXY);
	p = intercept_match("CN=mitmproxy, O=mitmproxy");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->kind, INTERCEPT_DEBUG);
	p = intercept_match("CN=PortSwigger CA, OU=PortSwigger CA, "
	    "O=PortSwigger");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->name, "Burp Suite (PortSwigger)");
	ck_assert_ptr_null(intercept_match("CN=DigiCert Global Root G2, "
	    "OU=www.digicert.com, O=DigiCert Inc, C=US"));
	ck_assert_ptr_null(intercept_match("CN=ISRG Root X1, "
	    "O=Internet Security Research Group, C=US"));
	ck_assert_ptr_null(intercept_match(NULL));
}
END_TEST

/* An antivirus product's root installed on this computer: the user's
 * business, not the network admin's. */
START_TEST(antivirus_owner)
{
	char *cause = NULL, *ca = at("av/ca.pem");
	struct trust *t;

	ck_assert_int_eq(testsrv_sh(20, "mkdir -p %s/av && cd %s/av && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout ca.key -out ca.pem -days 3650 "
	    "-subj \"/O=Avast Web\\/Mail Shield"
	    "/CN=Avast Web\\/Mail Shield Root\" "
	    "&& openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout l.key -subj /CN=bank.test -out l.csr && "
	    "printf \"[x]\\nsubjectAltName=DNS:bank.test\\n\" >x.cnf && "
	    "openssl x509 -req -in l.csr -CA ca.pem -CAkey ca.key "
	    "-set_serial 5 -days 3650 -extfile x.cnf -extensions x "
	    "-out l.pem && cat l.pem >../av-chain.pem", pki, pki), 0);
	t = trust_load(ca, &cause);
	ck_assert_msg(t != NULL, "%s", cause);
	struct report *r = analyze("av-chain.pem", "bank.test", t);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_int_eq(r->findings[0].id, FINDING_MITM_INTERCEPTION);
	ck_assert_int_eq(r->findings[0].owner, OWNER_CLIENT);
	ck_assert_ptr_nonnull(strstr(r->findings[0].summary, "Avast"));
	report_free(r);
	trust_free(t);
	free(ca);
}
END_TEST

/* One store shared by threads, as the wizard and a diagnosis may: the
 * lazily parsed anchors must come out right in every thread. */
struct worker {
	const struct trust *t;
	int bad;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 10; i++) {
		struct report *r = analyze("good-chain.pem", "good.test", w->t);
		w->bad += r->nfindings != 0;
		report_free(r);
		r = analyze("intercept-chain.pem", "intercept.test", w->t);
		w->bad += r->nfindings != 1 ||
		    r->findings[0].id != FINDING_MITM_INTERCEPTION;
		report_free(r);
	}
	return NULL;
}

START_TEST(shared_by_threads)
{
	char *path = at("roots-and-intercept.pem"), *cause = NULL;
	struct trust *t = trust_load(path, &cause);
	pthread_t th[4];
	struct worker w[4];

	ck_assert_ptr_nonnull(t);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .t = t };
		ck_assert_int_eq(pthread_create(&th[i], NULL, worker_run,
		    &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(w[i].bad, 0);
	}
	trust_free(t);
	free(path);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("core");

	wolfSSL_Init();
	if ((pki = checkutil_mkpki("check_trust")) == NULL)
		return EXIT_FAILURE;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, system_store);
	tcase_add_test(tc, system_dir);
	tcase_add_test(tc, env_file_marks_local_root);
	tcase_add_test(tc, env_dir_and_file);
	tcase_add_test(tc, load_errors);
	tcase_add_test(tc, load_pem);
	tcase_add_test(tc, products_table);
	tcase_add_test(tc, antivirus_owner);
	tcase_add_test(tc, shared_by_threads);
	suite_add_tcase(s, tc);
	int status = checkutil_run(s);
	testsrv_rmdir(pki);
	free(pki);
	return status;
}
