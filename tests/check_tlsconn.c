/* check_tlsconn.c: real wolfSSL handshakes against openssl s_server on
 * loopback (port 0), with a certificate made at test time. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "testsrv.h"
#include "tlsconn.h"
#include "util.h"
#include "checkutil.h"

static char *dir;
static char cert[4200], key[4200];

static void
setup(void)
{
	dir = testsrv_tmpdir();
	ck_assert_ptr_nonnull(dir);
	snprintf(cert, sizeof cert, "%s/c.pem", dir);
	snprintf(key, sizeof key, "%s/k.pem", dir);
	ck_assert_int_eq(testsrv_sh(30, "openssl req -x509 -newkey ec "
	    "-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout %s -out %s "
	    "-subj /CN=tls.test -addext subjectAltName=DNS:tls.test -days 2",
	    key, cert), 0);
	tls_global_init();
}

static void
teardown(void)
{
	testsrv_rmdir(dir);
	free(dir);
}

static int
handshake(const char **extra, struct tls_req *req, struct tls_result *res)
{
	/* -www: s_server would end each connection at EOF on its stdin. */
	const char *argv[32] = { "openssl", "s_server", "-accept",
		"127.0.0.1:0", "-www", "-cert", cert, "-key", key };
	int n = 9;
	struct testsrv srv;
	struct net_ctx ctx;
	struct net_addr addr;

	for (; extra && *extra; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	if (testsrv_start(&srv, (char *const *)argv, 5000) != 0)
		return -1;
	net_ctx_init(&ctx);
	ck_assert_int_eq(net_resolve("127.0.0.1", srv.port, &addr, 1,
	    now_ms() + 2000, NULL), 1);
	tls_handshake(&ctx, &addr, req, 3000, res);
	ck_assert_int_eq(atomic_load(&ctx.connections), 1);
	net_ctx_destroy(&ctx);
	testsrv_stop(&srv);
	return 0;
}

START_TEST(tls13_ok_with_chain)
{
	struct tls_req req = { .version = -1, .sni = "tls.test" };
	struct tls_result res;
	ck_assert_int_eq(handshake(NULL, &req, &res), 0);
	ck_assert_msg(res.ok, "handshake failed: %d %s", res.wolf_err,
	    res.err_text);
	ck_assert_uint_eq(res.version, 0x0304);
	ck_assert_uint_eq(res.ncerts, 1);
	ck_assert_ptr_nonnull(strstr(res.suite, "TLS_"));
	tls_result_clear(&res);
}
END_TEST

START_TEST(tls12_forced)
{
	const char *extra[] = { "-no_tls1_3", NULL };
	struct tls_req req = { .version = -1, .sni = "tls.test" };
	struct tls_result res;
	ck_assert_int_eq(handshake(extra, &req, &res), 0);
	ck_assert(res.ok);
	ck_assert_uint_eq(res.version, 0x0303);
	tls_result_clear(&res);
}
END_TEST

START_TEST(version_refused)
{
	const char *extra[] = { "-tls1_3", NULL };
	struct tls_req req = { .version = PROTO_TLS12 };
	struct tls_result res;
	ck_assert_int_eq(handshake(extra, &req, &res), 0);
	ck_assert(!res.ok);
	ck_assert_int_eq(res.net_err, 0);
	ck_assert_int_ne(res.wolf_err, 0);
	tls_result_clear(&res);
}
END_TEST

START_TEST(client_cert_tls12)
{
	const char *extra[] = { "-no_tls1_3", "-Verify", "1", NULL };
	struct tls_req req = { .version = -1 };
	struct tls_result res;
	ck_assert_int_eq(handshake(extra, &req, &res), 0);
	ck_assert(!res.ok);
	ck_assert(res.cert_request);
	tls_result_clear(&res);
}
END_TEST

START_TEST(client_cert_tls13)
{
	const char *extra[] = { "-tls1_3", "-Verify", "1", NULL };
	struct tls_req req = { .version = -1, .http_probe = 1,
		.http_host = "tls.test" };
	struct tls_result res;
	ck_assert_int_eq(handshake(extra, &req, &res), 0);
	ck_assert(res.cert_request);
	/* TLS 1.3: the handshake completes; the refusal comes after. */
	ck_assert(res.cert_required || !res.ok);
	tls_result_clear(&res);
}
END_TEST

START_TEST(refused_port)
{
	struct net_ctx ctx;
	struct net_addr addr;
	struct tls_req req = { .version = -1 };
	struct tls_result res;
	struct testsrv srv;
	const char *argv[] = { "openssl", "s_server", "-accept",
		"127.0.0.1:0", "-www", "-cert", cert, "-key", key, NULL };

	/* A port that was just free: start and stop a server. */
	ck_assert_int_eq(testsrv_start(&srv, (char *const *)argv, 5000), 0);
	int port = srv.port;
	testsrv_stop(&srv);
	net_ctx_init(&ctx);
	net_resolve("127.0.0.1", port, &addr, 1, now_ms() + 1000, NULL);
	tls_handshake(&ctx, &addr, &req, 2000, &res);
	ck_assert_int_eq(res.net_err, NET_ERR_REFUSED);
	net_ctx_destroy(&ctx);
	tls_result_clear(&res);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tlsconn");
	TCase *tc = tcase_create("openssl");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, tls13_ok_with_chain);
	tcase_add_test(tc, tls12_forced);
	tcase_add_test(tc, version_refused);
	tcase_add_test(tc, client_cert_tls12);
	tcase_add_test(tc, client_cert_tls13);
	tcase_add_test(tc, refused_port);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
