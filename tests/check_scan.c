/* check_scan.c: the version and suite scanner against real openssl
 * s_server processes on 127.0.0.1 (port 0), each configured with a known
 * set of versions and suites; plus a loopback HTTP server and a silent one
 * for the not-TLS, timeout and cancel paths. Certificates are made at test
 * time. The scanner must report exactly what each server was given. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "scan.h"
#include "suites.h"
#include "testsrv.h"
#include "util.h"
#include "checkutil.h"

static char *dir;
static unsigned char der[8192];
static size_t der_len;

static void
make_pki(void)
{
	dir = testsrv_tmpdir();
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(testsrv_sh(30, "cd %s && openssl req -x509 "
	    "-newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 "
	    "-subj /CN=localhost && openssl x509 -in cert.pem -outform der "
	    "-out cert.der", dir), 0);
	char path[4200];
	snprintf(path, sizeof path, "%s/cert.der", dir);
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	der_len = fread(der, 1, sizeof der, f);
	fclose(f);
	ck_assert_uint_gt(der_len, 100);
}

static void
drop_pki(void)
{
	testsrv_rmdir(dir);
	free(dir);
}

/* openssl s_server with the test certificate plus args (space-separated).
 * -www: it answers with a status page and never reads stdin. */
static void
server_start(struct testsrv *srv, const char *args)
{
	static char cmd[9000];
	char *argv[40];
	int argc = 0;

	snprintf(cmd, sizeof cmd, "openssl s_server -www -accept 127.0.0.1:0 "
	    "-cert %s/cert.pem -key %s/key.pem %s", dir, dir, args);
	for (char *t = strtok(cmd, " "); t && argc < 39; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	ck_assert_int_eq(testsrv_start(srv, argv, 5000), 0);
}

struct progress_log {
	int n;
	enum check c[8];
	enum check_state s[8];
};

static void
progress_rec(void *arg, enum check c, enum check_state s)
{
	struct progress_log *l = arg;
	if (l->n < 8) {
		l->c[l->n] = c;
		l->s[l->n++] = s;
	}
}

struct run {
	struct net_ctx ctx;
	struct scan_result res;
	struct progress_log log;
	long ms;
};

static void
scan_port(struct run *r, int port, const char *sni, int timeout_ms)
{
	struct net_addr a;

	memset(r, 0, sizeof *r);
	net_ctx_init(&r->ctx);
	ck_assert_int_eq(net_resolve("127.0.0.1", port, &a, 1,
	    now_ms() + 1000, NULL), 1);
	int64_t t0 = now_ms();
	ck_assert_int_eq(scan_run(&r->ctx, &a, sni, timeout_ms, progress_rec,
	    &r->log, &r->res), 0);
	r->ms = (long)(now_ms() - t0);
}

static void
run_free(struct run *r)
{
	scan_result_clear(&r->res);
	net_ctx_destroy(&r->ctx);
}

static size_t
accepted_total(const struct scan_result *res)
{
	size_t n = 0;
	for (int p = 0; p < PROTO_COUNT; p++)
		n += res->ciphers[p].n;
	return n;
}

/* protocols as a string "NNNYN" (Y yes, N no, ? unknown), SSL 3.0 first */
static void
assert_protocols(const struct scan_result *res, const char *want)
{
	char got[PROTO_COUNT + 1];
	for (int p = 0; p < PROTO_COUNT; p++)
		got[p] = res->protocols[p] == TRI_YES ? 'Y' :
		    res->protocols[p] == TRI_NO ? 'N' : '?';
	got[PROTO_COUNT] = '\0';
	ck_assert_str_eq(got, want);
}

/* The accepted set equals want (order aside), and was fully tested. */
static void
assert_suites(const struct suite_set *ss, const uint16_t *want, size_t n)
{
	char nb[8];
	ck_assert_int_eq(ss->tested, 1);
	ck_assert_msg(ss->n == n, "%zu suites accepted, want %zu (first %s)",
	    ss->n, n, ss->n ? suite_name(ss->codes[0], nb) : "-");
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		for (size_t k = 0; k < ss->n; k++)
			found += ss->codes[k] == want[i];
		ck_assert_msg(found == 1, "suite %s seen %d times",
		    suite_name(want[i], nb), found);
	}
}

static void
assert_connections(const struct run *r)
{
	size_t a = accepted_total(&r->res);
	ck_assert_msg((size_t)r->ctx.connections <= a + 10,
	    "%d connections for %zu accepted suites", (int)r->ctx.connections,
	    a);
	ck_assert_int_eq(r->ctx.open, 0);
}

START_TEST(tls12_two_ecdhe)
{
	struct testsrv srv;
	struct run r;
	const uint16_t want[] = { 0xc02f, 0xc030 };

	server_start(&srv, "-tls1_2 -cipher "
	    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384");
	scan_port(&r, srv.port, "localhost", 3000);
	testsrv_stop(&srv);
	fprintf(stderr, "tls12_two_ecdhe: %ld ms, %d connections\n", r.ms,
	    (int)r.ctx.connections);
	assert_protocols(&r.res, "NNNYN");
	assert_suites(&r.res.ciphers[PROTO_TLS12], want, 2);
	ck_assert_int_eq(r.res.ciphers[PROTO_TLS13].tested, 0);
	/* s_server follows the client's order by default. */
	ck_assert_int_eq(r.res.server_order[PROTO_TLS12], TRI_NO);
	assert_connections(&r);
	ck_assert_int_lt(r.ms, 2000); /* aim: well under 100 ms */
	/* The legacy answer carries the chain as sent. */
	ck_assert_int_eq(r.res.legacy.kind, HELLO_SERVER_HELLO);
	ck_assert_uint_eq(r.res.legacy.version, 0x0303);
	ck_assert_uint_eq(r.res.legacy.ncerts, 1);
	ck_assert_uint_eq(r.res.legacy.cert_lens[0], der_len);
	ck_assert_int_eq(memcmp(r.res.legacy.certs[0], der, der_len), 0);
	ck_assert_int_eq(r.res.legacy.cert_request, 0);
	/* Progress: each check starts, then ends passed. */
	ck_assert_int_eq(r.log.n, 4);
	ck_assert_int_eq(r.log.c[0], CHECK_PROTOCOLS);
	ck_assert_int_eq(r.log.s[0], CHECK_RUNNING);
	ck_assert_int_eq(r.log.s[1], CHECK_PASSED);
	ck_assert_int_eq(r.log.c[2], CHECK_CIPHERS);
	ck_assert_int_eq(r.log.s[3], CHECK_PASSED);
	run_free(&r);
}
END_TEST

START_TEST(tls10_only)
{
	struct testsrv srv;
	struct run r;
	const uint16_t want[] = { 0x002f };

	server_start(&srv, "-tls1 -cipher AES128-SHA:@SECLEVEL=0");
	scan_port(&r, srv.port, NULL, 3000);
	testsrv_stop(&srv);
	assert_protocols(&r.res, "NYNNN");
	assert_suites(&r.res.ciphers[PROTO_TLS10], want, 1);
	ck_assert_int_eq(r.res.legacy.kind, HELLO_SERVER_HELLO);
	ck_assert_uint_eq(r.res.legacy.version, 0x0301);
	ck_assert_uint_eq(r.res.legacy.ncerts, 1);
	assert_connections(&r);
	run_free(&r);
}
END_TEST

START_TEST(tls13_one_suite)
{
	struct testsrv srv;
	struct run r;
	const uint16_t want[] = { 0x1303 };

	server_start(&srv, "-tls1_3 -ciphersuites "
	    "TLS_CHACHA20_POLY1305_SHA256");
	scan_port(&r, srv.port, "localhost", 3000);
	testsrv_stop(&srv);
	fprintf(stderr, "tls13_one_suite: %ld ms, %d connections\n", r.ms,
	    (int)r.ctx.connections);
	assert_protocols(&r.res, "NNNNY");
	assert_suites(&r.res.ciphers[PROTO_TLS13], want, 1);
	/* No TLS <= 1.2: legacy says how the server refused. */
	ck_assert_int_eq(r.res.legacy.kind, HELLO_ALERT);
	assert_connections(&r);
	run_free(&r);
}
END_TEST

START_TEST(tls13_hrr_counts)
{
	struct testsrv srv;
	struct run r;
	const uint16_t want[] = { 0x1301, 0x1302 };

	/* No X25519 on the server: every TLS 1.3 answer is an HRR. */
	server_start(&srv, "-tls1_3 -groups P-256 -ciphersuites "
	    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384");
	scan_port(&r, srv.port, "localhost", 3000);
	testsrv_stop(&srv);
	assert_protocols(&r.res, "NNNNY");
	assert_suites(&r.res.ciphers[PROTO_TLS13], want, 2);
	assert_connections(&r);
	run_free(&r);
}
END_TEST

START_TEST(dhe_only)
{
	struct testsrv srv;
	struct run r;
	const uint16_t want[] = { 0x009e, 0x009f };

	server_start(&srv, "-tls1_2 -cipher "
	    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384");
	scan_port(&r, srv.port, "localhost", 3000);
	testsrv_stop(&srv);
	assert_protocols(&r.res, "NNNYN");
	assert_suites(&r.res.ciphers[PROTO_TLS12], want, 2);
	assert_connections(&r);
	run_free(&r);
}
END_TEST

START_TEST(server_preference)
{
	struct testsrv srv;
	struct run r;
	const uint16_t want[] = { 0xc030, 0xc02f, 0x002f };

	server_start(&srv, "-serverpref -tls1_2 -cipher "
	    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
	    "AES128-SHA");
	scan_port(&r, srv.port, "localhost", 3000);
	testsrv_stop(&srv);
	assert_suites(&r.res.ciphers[PROTO_TLS12], want, 3);
	ck_assert_uint_eq(r.res.ciphers[PROTO_TLS12].codes[0], 0xc030);
	ck_assert_int_eq(r.res.server_order[PROTO_TLS12], TRI_YES);
	assert_connections(&r);
	run_free(&r);
}
END_TEST

START_TEST(many_versions_many_suites)
{
	struct testsrv srv;
	struct run r;

	server_start(&srv, "-cipher ALL:@SECLEVEL=0");
	scan_port(&r, srv.port, "localhost", 3000);
	testsrv_stop(&srv);
	fprintf(stderr, "many_versions_many_suites: %ld ms, %d connections, "
	    "%zu suites\n", r.ms, (int)r.ctx.connections,
	    accepted_total(&r.res));
	assert_protocols(&r.res, "NYYYY");
	for (int p = PROTO_TLS10; p < PROTO_COUNT; p++)
		ck_assert_int_eq(r.res.ciphers[p].tested, 1);
	ck_assert_uint_eq(r.res.ciphers[PROTO_TLS13].n, 3);
	ck_assert_uint_gt(r.res.ciphers[PROTO_TLS12].n, 20);
	/* "ALL" has anonymous suites; no suite twice, all in the table. */
	int anon = 0;
	const struct suite_set *ss = &r.res.ciphers[PROTO_TLS12];
	for (size_t i = 0; i < ss->n; i++) {
		const struct suite_info *si = suite_find(ss->codes[i]);
		ck_assert_ptr_nonnull(si);
		anon |= (si->flags & SUITE_ANON) != 0;
		for (size_t k = i + 1; k < ss->n; k++)
			ck_assert_uint_ne(ss->codes[i], ss->codes[k]);
	}
	ck_assert(anon);
	ck_assert_uint_eq(r.res.legacy.version, 0x0303);
	assert_connections(&r);
	run_free(&r);
}
END_TEST

START_TEST(sni_rejected)
{
	struct testsrv srv;
	struct run r;
	char args[9000];

	/* The server knows only "other" and fails any other name. */
	snprintf(args, sizeof args, "-tls1_2 -servername other "
	    "-servername_fatal -cert2 %s/cert.pem -key2 %s/key.pem", dir, dir);
	server_start(&srv, args);
	scan_port(&r, srv.port, "localhost", 3000);
	testsrv_stop(&srv);
	assert_protocols(&r.res, "NNNNN");
	ck_assert_int_eq(r.res.legacy.kind, HELLO_ALERT);
	ck_assert_int_eq(r.res.legacy.alert_desc, 112);
	ck_assert_int_le(r.ctx.connections, 5);
	run_free(&r);
}
END_TEST

START_TEST(client_cert_request_seen)
{
	struct testsrv srv;
	struct run r;

	server_start(&srv, "-tls1_2 -Verify 1");
	scan_port(&r, srv.port, "localhost", 3000);
	testsrv_stop(&srv);
	assert_protocols(&r.res, "NNNYN");
	ck_assert_int_eq(r.res.legacy.kind, HELLO_SERVER_HELLO);
	ck_assert_int_eq(r.res.legacy.cert_request, 1);
	ck_assert_uint_eq(r.res.legacy.ncerts, 1);
	assert_connections(&r);
	run_free(&r);
}
END_TEST

/* --- a loopback server that is not TLS ------------------------------- */

struct fake {
	int fd, port;
	const char *reply; /* NULL: accept and say nothing */
	volatile int stop;
	pthread_t thread;
	int held[64];
	int nheld;
};

static void *
fake_main(void *arg)
{
	struct fake *f = arg;

	while (!f->stop) {
		struct pollfd p = { .fd = f->fd, .events = POLLIN };
		if (poll(&p, 1, 50) <= 0)
			continue;
		int s = accept(f->fd, NULL, NULL);
		if (s < 0)
			continue;
		if (f->reply != NULL) {
			ssize_t w = write(s, f->reply, strlen(f->reply));
			(void)w; /* a client gone early is fine */
			close(s);
		} else if (f->nheld < 64)
			f->held[f->nheld++] = s;
		else
			close(s);
	}
	return NULL;
}

static void
fake_start(struct fake *f, const char *reply)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;

	memset(f, 0, sizeof *f);
	f->reply = reply;
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(f->fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(f->fd, 64), 0);
	getsockname(f->fd, (struct sockaddr *)&sin, &len);
	f->port = ntohs(sin.sin_port);
	pthread_create(&f->thread, NULL, fake_main, f);
}

static void
fake_stop(struct fake *f)
{
	f->stop = 1;
	pthread_join(f->thread, NULL);
	for (int i = 0; i < f->nheld; i++)
		close(f->held[i]);
	close(f->fd);
}

START_TEST(http_is_not_tls)
{
	struct fake f;
	struct run r;

	fake_start(&f, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
	scan_port(&r, f.port, "localhost", 2000);
	fake_stop(&f);
	assert_protocols(&r.res, "?????");
	ck_assert_int_eq(r.res.legacy.kind, HELLO_NOT_TLS);
	ck_assert_ptr_nonnull(strstr(r.res.legacy.not_tls,
	    "HTTP: HTTP/1.1 400"));
	for (int p = 0; p < PROTO_COUNT; p++)
		ck_assert_int_eq(r.res.ciphers[p].tested, 0);
	ck_assert_int_eq(r.log.s[1], CHECK_SKIPPED);
	ck_assert_int_le(r.ctx.connections, 6);
	run_free(&r);
}
END_TEST

START_TEST(silent_server_times_out)
{
	struct fake f;
	struct run r;

	fake_start(&f, NULL);
	scan_port(&r, f.port, "localhost", 300);
	fake_stop(&f);
	assert_protocols(&r.res, "?????");
	ck_assert_int_eq(r.res.legacy.kind, HELLO_TIMEOUT);
	/* versions, then no-SNI: two rounds of the per-connection bound */
	ck_assert_int_lt(r.ms, 1500);
	run_free(&r);
}
END_TEST

static void *
cancel_soon(void *arg)
{
	usleep(150 * 1000);
	net_cancel(arg);
	return NULL;
}

START_TEST(cancel_stops_scan)
{
	struct fake f;
	struct net_ctx ctx;
	struct net_addr a;
	struct scan_result res;
	pthread_t t;

	fake_start(&f, NULL);
	net_ctx_init(&ctx);
	net_resolve("127.0.0.1", f.port, &a, 1, now_ms() + 1000, NULL);
	pthread_create(&t, NULL, cancel_soon, &ctx);
	int64_t t0 = now_ms();
	scan_run(&ctx, &a, "localhost", 20000, NULL, NULL, &res);
	long ms = (long)(now_ms() - t0);
	pthread_join(t, NULL);
	fake_stop(&f);
	ck_assert_int_lt(ms, 1000);
	ck_assert_int_eq(res.legacy.kind, HELLO_CANCELLED);
	scan_result_clear(&res);
	net_ctx_destroy(&ctx);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("scan");
	TCase *tc = tcase_create("s_server");
	tcase_add_unchecked_fixture(tc, make_pki, drop_pki);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, tls12_two_ecdhe);
	tcase_add_test(tc, tls10_only);
	tcase_add_test(tc, tls13_one_suite);
	tcase_add_test(tc, tls13_hrr_counts);
	tcase_add_test(tc, dhe_only);
	tcase_add_test(tc, server_preference);
	tcase_add_test(tc, many_versions_many_suites);
	tcase_add_test(tc, sni_rejected);
	tcase_add_test(tc, client_cert_request_seen);
	suite_add_tcase(s, tc);
	tc = tcase_create("edge");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, http_is_not_tls);
	tcase_add_test(tc, silent_server_times_out);
	tcase_add_test(tc, cancel_stops_scan);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
