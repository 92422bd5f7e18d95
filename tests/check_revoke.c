/* check_revoke.c: revocation against a real OCSP responder and CRL server
 * on loopback (tests/lib/httpsrv.py running `openssl ocsp`), with a PKI
 * made at test time (tests/lib/revokepki.py), and stapled responses. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <wolfssl/ssl.h>

#include "model.h"
#include "revoke.h"
#include "testsrv.h"
#include "util.h"
#include "checkutil.h"

#define TIMEOUT_MS 1500

static struct testsrv srv;
static char *dir;
static struct net_ctx ctx;

static unsigned char *
slurp(const char *name, size_t *len)
{
	char path[4200];
	unsigned char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "missing %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sa, sizeof sa);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	close(fd);
	return ntohs(sa.sin_port);
}

/* Runs once, in the parent: the server first (to learn its port), then
 * the PKI whose URLs point at it. */
static void
pki_setup(void)
{
	char *argv[] = { (char *)"python3", (char *)"tests/lib/httpsrv.py",
		NULL, NULL };

	dir = testsrv_tmpdir();
	argv[2] = dir;
	if (testsrv_start(&srv, argv, 5000) != 0) {
		fprintf(stderr, "httpsrv.py did not start\n");
		exit(1);
	}
	if (testsrv_sh(60, "python3 tests/lib/revokepki.py %s %d %d", dir,
	    srv.port, free_port()) != 0) {
		fprintf(stderr, "revokepki.py failed\n");
		testsrv_stop(&srv);
		exit(1);
	}
}

static void
pki_teardown(void)
{
	testsrv_stop(&srv);
	testsrv_rmdir(dir);
	free(dir);
}

static void
ctx_setup(void)
{
	net_ctx_init(&ctx);
}

static void
ctx_teardown(void)
{
	net_ctx_destroy(&ctx);
}

/* The chain a server would send: leaf NAME, then the issuing CA, then
 * (optionally) the root. Only what revoke.c reads is filled in. */
static void
make_chain(struct chain *ch, const char *name, int with_ca)
{
	char file[64];
	char *url;

	ch->n = with_ca ? 3 : 1;
	ch->certs = xcalloc(ch->n, sizeof *ch->certs);
	snprintf(file, sizeof file, "%s.der", name);
	ch->certs[0].der = slurp(file, &ch->certs[0].der_len);
	ch->certs[0].subject = xasprintf("CN=%s.test", name);
	ch->certs[0].issuer = xstrdup("CN=Revoke Test CA");
	/* The same URLs revokepki.py put in the certificate. */
	if (strcmp(name, "crlonly") != 0 && strcmp(name, "crlgood") != 0) {
		if (strcmp(name, "silent") == 0)
			url = xasprintf("http://127.0.0.1:%d/silent", srv.port);
		else if (strcmp(name, "huge") == 0)
			url = xasprintf("http://127.0.0.1:%d/huge", srv.port);
		else if (strcmp(name, "refused") == 0)
			url = NULL; /* set by the test */
		else
			url = xasprintf("http://127.0.0.1:%d/ocsp", srv.port);
		ch->certs[0].ocsp_url = url;
	}
	if (strcmp(name, "silent") == 0)
		url = xasprintf("http://127.0.0.1:%d/silent", srv.port);
	else if (strcmp(name, "huge") == 0)
		url = xasprintf("http://127.0.0.1:%d/hugecl", srv.port);
	else if (strcmp(name, "refused") == 0)
		url = NULL;
	else
		url = xasprintf("http://127.0.0.1:%d/cl/crl.der", srv.port);
	ch->certs[0].crl_url = url;
	if (!with_ca)
		return;
	ch->certs[1].der = slurp("ca.der", &ch->certs[1].der_len);
	ch->certs[1].subject = xstrdup("CN=Revoke Test CA");
	ch->certs[1].issuer = xstrdup("CN=Revoke Test Root");
	ch->certs[1].is_ca = 1;
	ch->certs[2].der = slurp("root.der", &ch->certs[2].der_len);
	ch->certs[2].subject = xstrdup("CN=Revoke Test Root");
	ch->certs[2].issuer = xstrdup("CN=Revoke Test Root");
	ch->certs[2].is_ca = ch->certs[2].self_signed = 1;
}

struct run {
	enum revoke_status st;
	struct report *r;
	char *why;
	int64_t took;
};

static void
run_check(struct run *out, const struct chain *ch, const char *staple_file)
{
	struct revoke_opts o = { .ctx = &ctx, .timeout_ms = TIMEOUT_MS };
	unsigned char *staple = NULL;
	size_t staple_len = 0;
	int64_t t0;

	if (staple_file != NULL) {
		staple = slurp(staple_file, &staple_len);
		o.staple = staple;
		o.staple_len = staple_len;
	}
	out->r = report_new();
	t0 = now_ms();
	out->st = revoke_check_ex(ch, &o, out->r, &out->why);
	out->took = now_ms() - t0;
	free(staple);
}

static void
run_free(struct run *run)
{
	report_free(run->r);
	free(run->why);
}

static const char *
revoked_evidence(const struct report *r)
{
	const struct finding *f = report_find(r, FINDING_CERT_REVOKED);
	return f ? f->evidence : NULL;
}

static int
log_has(const char *needle)
{
	size_t len;
	char path[4200];
	unsigned char *buf;
	int found;

	snprintf(path, sizeof path, "%s/requests.log", dir);
	if (access(path, R_OK) != 0)
		return 0;
	buf = slurp("requests.log", &len);
	buf = xrealloc(buf, len + 1);
	buf[len] = '\0';
	found = strstr((char *)buf, needle) != NULL;
	free(buf);
	return found;
}

START_TEST(responder_revoked)
{
	struct chain ch = { 0 };
	struct run run;

	make_chain(&ch, "revoked", 1);
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_REVOKED);
	const char *ev = revoked_evidence(run.r);
	ck_assert_ptr_nonnull(ev);
	ck_assert_msg(strstr(ev, "the OCSP responder http://127.0.0.1:") &&
	    strstr(ev, "says revoked (keyCompromise, since 2024-01-02 "
	    "03:04:05 UTC)") && strstr(ev, "CN=revoked.test"), "%s", ev);
	ck_assert_int_eq(report_find(run.r, FINDING_CERT_REVOKED)->owner,
	    OWNER_SERVER);
	ck_assert(log_has("POST /ocsp {"));
	ck_assert(log_has("'content-type': 'application/ocsp-request'"));
	/* Settled by OCSP: the CRL was not needed. */
	ck_assert(!log_has("GET /cl/crl.der"));
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(responder_good)
{
	struct chain ch = { 0 };
	struct run run;

	make_chain(&ch, "good", 1);
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_GOOD);
	ck_assert_uint_eq(run.r->nfindings, 0);
	ck_assert_ptr_null(run.why);
	ck_assert_int_eq(atomic_load(&ctx.connections), 1);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(crl_revoked)
{
	struct chain ch = { 0 };
	struct run run;

	make_chain(&ch, "crlonly", 1);
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_REVOKED);
	const char *ev = revoked_evidence(run.r);
	ck_assert_ptr_nonnull(ev);
	ck_assert_msg(strstr(ev, "the CRL http://127.0.0.1:") &&
	    strstr(ev, "/cl/crl.der says revoked (keyCompromise, since "
	    "2024-01-02 03:04:05 UTC)"), "%s", ev);
	ck_assert(log_has("GET /cl/crl.der {"));
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(crl_good)
{
	struct chain ch = { 0 };
	struct run run;

	make_chain(&ch, "crlgood", 1);
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_GOOD);
	ck_assert_uint_eq(run.r->nfindings, 0);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(crl_forged_ignored)
{
	struct chain ch = { 0 };
	struct run run;

	/* Lists the good serial, with the CA's name but not its key. */
	make_chain(&ch, "crlgood", 1);
	free(ch.certs[0].crl_url);
	ch.certs[0].crl_url = xasprintf("http://127.0.0.1:%d/cl/rogue-crl.pem",
	    srv.port);
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_UNKNOWN);
	ck_assert_uint_eq(run.r->nfindings, 0);
	ck_assert_ptr_nonnull(run.why);
	ck_assert_msg(strstr(run.why, "rogue-crl.pem: the CRL is not signed by "
	    "the certificate's issuer") != NULL, "%s", run.why);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(staple_revoked)
{
	struct chain ch = { 0 };
	struct run run;

	make_chain(&ch, "revoked", 1);
	run_check(&run, &ch, "staple-revoked.der");
	ck_assert_int_eq(run.st, REVOKE_REVOKED);
	const char *ev = revoked_evidence(run.r);
	ck_assert_ptr_nonnull(ev);
	ck_assert_msg(strstr(ev, "the stapled OCSP response says revoked "
	    "(keyCompromise, since 2024-01-02 03:04:05 UTC)") != NULL, "%s",
	    ev);
	/* The staple settles it: nothing fetched. */
	ck_assert_int_eq(atomic_load(&ctx.connections), 0);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(staple_good)
{
	struct chain ch = { 0 };
	struct run run;

	make_chain(&ch, "good", 1);
	run_check(&run, &ch, "staple-good.der");
	ck_assert_int_eq(run.st, REVOKE_GOOD);
	ck_assert_uint_eq(run.r->nfindings, 0);
	ck_assert_int_eq(atomic_load(&ctx.connections), 0);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(staple_for_other_cert_ignored)
{
	struct chain ch = { 0 };
	struct run run;

	/* A "revoked" staple about another serial must not condemn this
	 * certificate; the responder then says good. */
	make_chain(&ch, "good", 1);
	run_check(&run, &ch, "staple-revoked.der");
	ck_assert_int_eq(run.st, REVOKE_GOOD);
	ck_assert_uint_eq(run.r->nfindings, 0);
	ck_assert_ptr_nonnull(run.why);
	ck_assert_ptr_nonnull(strstr(run.why, "stapled OCSP response"));
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(staple_forged_ignored)
{
	struct chain ch = { 0 };
	struct run run;

	/* Signed by a key with the CA's name but not the CA's key. */
	make_chain(&ch, "good", 1);
	run_check(&run, &ch, "staple-rogue.der");
	ck_assert_int_eq(run.st, REVOKE_GOOD);
	ck_assert_uint_eq(run.r->nfindings, 0);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(staple_garbage)
{
	struct chain ch = { 0 };
	struct run run;
	struct revoke_opts o = { .ctx = &ctx, .timeout_ms = TIMEOUT_MS };
	unsigned char junk[3000];

	make_chain(&ch, "crlgood", 1);
	free(ch.certs[0].crl_url);
	ch.certs[0].crl_url = NULL;
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	junk[0] = 0x30, junk[1] = 0x82, junk[2] = 0x0b, junk[3] = 0xb4;
	o.staple = junk;
	for (size_t n = 0; n <= sizeof junk; n += 97) {
		o.staple_len = n;
		run.r = report_new();
		ck_assert_int_eq(revoke_check(&ch, &o, run.r), REVOKE_UNKNOWN);
		ck_assert_uint_eq(run.r->nfindings, 0);
		report_free(run.r);
	}
	chain_clear(&ch);
}
END_TEST

/* Every single-byte change and every truncation of a signed "revoked"
 * staple: never a crash, never "good"; no fetch (no URLs in the model). */
START_TEST(staple_mutations)
{
	struct chain ch = { 0 };
	struct revoke_opts o = { .ctx = &ctx, .timeout_ms = TIMEOUT_MS };
	unsigned char *orig, *buf;
	size_t len;
	int revoked = 0;

	make_chain(&ch, "revoked", 1);
	free(ch.certs[0].ocsp_url);
	free(ch.certs[0].crl_url);
	ch.certs[0].ocsp_url = ch.certs[0].crl_url = NULL;
	orig = slurp("staple-revoked.der", &len);
	buf = xmalloc(len);
	o.staple = buf;
	for (size_t i = 0; i <= 2 * len; i++) {
		struct report *r = report_new();
		memcpy(buf, orig, len);
		o.staple_len = len;
		if (i < len)
			buf[i] ^= 0x55;
		else if (i < 2 * len)
			o.staple_len = i - len;
		enum revoke_status st = revoke_check(&ch, &o, r);
		ck_assert_int_ne(st, REVOKE_GOOD);
		ck_assert_uint_eq(r->nfindings, st == REVOKE_REVOKED);
		revoked += st == REVOKE_REVOKED;
		report_free(r);
	}
	ck_assert_int_ge(revoked, 1); /* the original */
	ck_assert_int_eq(atomic_load(&ctx.connections), 0);
	free(orig);
	free(buf);
	chain_clear(&ch);
}
END_TEST

START_TEST(silent_responder_bounded)
{
	struct chain ch = { 0 };
	struct run run;

	/* OCSP and CRL both at a server that accepts and never answers. */
	make_chain(&ch, "silent", 1);
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_UNKNOWN);
	ck_assert_uint_eq(run.r->nfindings, 0);
	ck_assert_int_lt(run.took, TIMEOUT_MS + 1000);
	ck_assert_ptr_nonnull(run.why);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(huge_answers_bounded)
{
	struct chain ch = { 0 };
	struct run run;

	make_chain(&ch, "huge", 1);
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_UNKNOWN);
	ck_assert_uint_eq(run.r->nfindings, 0);
	ck_assert_int_lt(run.took, TIMEOUT_MS + 1000);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(refused_is_not_a_finding)
{
	struct chain ch = { 0 };
	struct run run;
	int port = free_port();

	make_chain(&ch, "refused", 1);
	/* URLs in the model only steer the CRL; OCSP uses the cert's. */
	ch.certs[0].ocsp_url = xasprintf("http://127.0.0.1:%d/ocsp", port);
	ch.certs[0].crl_url = xasprintf("http://127.0.0.1:%d/crl", port);
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_UNKNOWN);
	ck_assert_uint_eq(run.r->nfindings, 0);
	ck_assert_int_lt(run.took, 1000);
	ck_assert_ptr_nonnull(run.why);
	run_free(&run);
	chain_clear(&ch);
}
END_TEST

START_TEST(no_issuer_no_fetch)
{
	struct chain ch = { 0 };
	struct run run;

	make_chain(&ch, "revoked", 0);
	run_check(&run, &ch, "staple-revoked.der");
	ck_assert_int_eq(run.st, REVOKE_UNKNOWN);
	ck_assert_uint_eq(run.r->nfindings, 0);
	ck_assert_int_eq(atomic_load(&ctx.connections), 0);
	ck_assert_ptr_nonnull(strstr(run.why, "issuer"));
	run_free(&run);
	chain_clear(&ch);
	/* An empty chain is simply unknown. */
	run_check(&run, &ch, NULL);
	ck_assert_int_eq(run.st, REVOKE_UNKNOWN);
	run_free(&run);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("revoke");
	TCase *tc = tcase_create("core");

	pki_setup();
	/* As the program does (tls_global_init): keeps wolfSSL's state alive
	 * across revoke_check's own counted init/cleanup. */
	wolfSSL_Init();
	tcase_add_checked_fixture(tc, ctx_setup, ctx_teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, responder_revoked);
	tcase_add_test(tc, responder_good);
	tcase_add_test(tc, crl_revoked);
	tcase_add_test(tc, crl_good);
	tcase_add_test(tc, staple_revoked);
	tcase_add_test(tc, staple_good);
	suite_add_tcase(s, tc);

	tc = tcase_create("edge");
	tcase_add_checked_fixture(tc, ctx_setup, ctx_teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, staple_for_other_cert_ignored);
	tcase_add_test(tc, crl_forged_ignored);
	tcase_add_test(tc, staple_forged_ignored);
	tcase_add_test(tc, staple_garbage);
	tcase_add_test(tc, staple_mutations);
	tcase_add_test(tc, silent_responder_bounded);
	tcase_add_test(tc, huge_answers_bounded);
	tcase_add_test(tc, refused_is_not_a_finding);
	tcase_add_test(tc, no_issuer_no_fetch);
	suite_add_tcase(s, tc);

	int status = checkutil_run(s);
	pki_teardown();
	return status;
}
