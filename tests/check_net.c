/* check_net.c: sockets with deadlines, on loopback only: refused, FIN vs
 * RST, timeouts, cancel, the parallel limit, SIGPIPE safety, literals,
 * and one real exchange with openssl s_server. */
#include <netdb.h>
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hello.h"
#include "net.h"
#include "suites.h"
#include "testsrv.h"
#include "util.h"
#include "checkutil.h"

START_TEST(resolve_literals)
{
	struct net_addr a[4];
	char *cause = NULL;

	ck_assert_int_eq(net_resolve("127.0.0.1", 443, a, 4, now_ms() + 1000,
	    &cause), 1);
	ck_assert_str_eq(a[0].text, "127.0.0.1");
	ck_assert_int_eq(ntohs(((struct sockaddr_in *)&a[0].ss)->sin_port),
	    443);
	ck_assert_int_eq(net_resolve("::1", 8443, a, 4, now_ms() + 1000,
	    &cause), 1);
	ck_assert_str_eq(a[0].text, "::1");
	ck_assert_int_eq(a[0].ss.ss_family, AF_INET6);
	ck_assert_int_eq(net_resolve("127.0.0.1", 0, a, 4, now_ms() + 1000,
	    &cause), NET_ERR_DNS);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ck_assert_int_eq(net_resolve("", 443, a, 4, now_ms() + 1000, NULL),
	    NET_ERR_DNS);
	/* RFC 6761: never asked, answered at once, any case, trailing dot */
	const char *invalid[] = { "x.invalid", "A.B.INVALID.", "invalid" };
	for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
		ck_assert_int_eq(net_resolve(invalid[i], 443, a, 4,
		    now_ms() + 1000, &cause), NET_ERR_DNS);
		ck_assert_ptr_nonnull(strstr(cause, ".invalid"));
		free(cause);
		cause = NULL;
	}
	/* A name goes through the helper thread. "localhost" needs an
	 * /etc/hosts entry (glibc has no built-in one), which a minimal
	 * root may lack: then the thread must say so, by the deadline. */
	struct addrinfo *sys = NULL;
	int sys_ok = getaddrinfo("localhost", "443", NULL, &sys) == 0;
	if (sys != NULL)
		freeaddrinfo(sys);
	int64_t t0 = now_ms();
	int n = net_resolve("localhost", 443, a, 4, now_ms() + 2000, &cause);
	ck_assert_int_lt(now_ms() - t0, 2500);
	if (sys_ok) {
		ck_assert_int_ge(n, 1);
		ck_assert(strcmp(a[0].text, "127.0.0.1") == 0 ||
		    strcmp(a[0].text, "::1") == 0);
	} else {
		fprintf(stderr, "check_net: localhost does not resolve on "
		    "this host (no /etc/hosts entry): checked the failure\n");
		ck_assert_int_lt(n, 0);
		ck_assert_ptr_nonnull(cause);
	}
	free(cause);
	cause = NULL;
	ck_assert_str_eq(net_strerror(NET_ERR_RESET),
	    "connection reset by the other side");
}
END_TEST

START_TEST(connect_refused)
{
	struct net_ctx ctx;
	struct net_addr a;
	int l = checkutil_listener(&a);

	close(l); /* nothing listens there now */
	net_ctx_init(&ctx);
	ck_assert_int_eq(net_connect(&ctx, &a, now_ms() + 1000),
	    NET_ERR_REFUSED);
	ck_assert_int_eq(ctx.connections, 1);
	ck_assert_int_eq(ctx.open, 0); /* slot given back */
	net_ctx_destroy(&ctx);
}
END_TEST

START_TEST(fin_rst_and_timeout)
{
	struct net_ctx ctx;
	struct net_addr a;
	char buf[16];
	int l = checkutil_listener(&a);

	net_ctx_init(&ctx);
	/* FIN: orderly close reads as 0. */
	int fd = net_connect(&ctx, &a, now_ms() + 1000);
	ck_assert_int_ge(fd, 0);
	int s = accept(l, NULL, NULL);
	ck_assert_int_eq(write(s, "hi", 2), 2);
	close(s);
	ck_assert_int_eq(net_recv_some(&ctx, fd, buf, sizeof buf,
	    now_ms() + 1000), 2);
	ck_assert_int_eq(net_recv_some(&ctx, fd, buf, sizeof buf,
	    now_ms() + 1000), 0);
	ck_assert_int_eq(ctx.bytes_in, 2);
	net_close(&ctx, fd);

	/* RST: linger 0 makes close() send a reset. */
	fd = net_connect(&ctx, &a, now_ms() + 1000);
	s = accept(l, NULL, NULL);
	struct linger lg = { 1, 0 };
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(s);
	ck_assert_int_eq(net_recv_some(&ctx, fd, buf, sizeof buf,
	    now_ms() + 1000), NET_ERR_RESET);
	/* Writing to a reset peer is an error, not a SIGPIPE death. */
	int rc = 0;
	for (int i = 0; i < 5 && rc == 0; i++)
		rc = net_send_all(&ctx, fd, "x", 1, now_ms() + 1000);
	ck_assert_int_eq(rc, NET_ERR_RESET);
	net_close(&ctx, fd);

	/* Silence: the deadline holds. */
	fd = net_connect(&ctx, &a, now_ms() + 1000);
	s = accept(l, NULL, NULL);
	int64_t t0 = now_ms();
	ck_assert_int_eq(net_recv_some(&ctx, fd, buf, sizeof buf, t0 + 250),
	    NET_ERR_TIMEOUT);
	int64_t took = now_ms() - t0;
	ck_assert_int_ge(took, 240);
	ck_assert_int_lt(took, 600);
	net_close(&ctx, fd);
	close(s);
	close(l);
	ck_assert_int_eq(ctx.connections, 3);
	ck_assert_int_eq(ctx.open, 0);
	net_ctx_destroy(&ctx);
}
END_TEST

static void *
cancel_later(void *arg)
{
	usleep(150 * 1000);
	net_cancel(arg);
	return NULL;
}

START_TEST(cancel_is_quick)
{
	struct net_ctx ctx;
	struct net_addr a;
	pthread_t t;
	char buf[4];
	int l = checkutil_listener(&a);

	net_ctx_init(&ctx);
	int fd = net_connect(&ctx, &a, now_ms() + 1000);
	ck_assert_int_ge(fd, 0);
	int64_t t0 = now_ms();
	pthread_create(&t, NULL, cancel_later, &ctx);
	ck_assert_int_eq(net_recv_some(&ctx, fd, buf, sizeof buf,
	    t0 + 10000), NET_ERR_CANCELLED);
	ck_assert_int_lt(now_ms() - t0, 150 + 300);
	pthread_join(t, NULL);
	/* After a cancel nothing new starts. */
	ck_assert_int_eq(net_connect(&ctx, &a, now_ms() + 1000),
	    NET_ERR_CANCELLED);
	net_close(&ctx, fd);
	close(l);
	net_ctx_destroy(&ctx);
}
END_TEST

START_TEST(parallel_limit)
{
	struct net_ctx ctx;
	struct net_addr a;
	int fds[NET_MAX_PARALLEL];
	int l = checkutil_listener(&a);

	net_ctx_init(&ctx);
	for (int i = 0; i < NET_MAX_PARALLEL; i++) {
		fds[i] = net_connect(&ctx, &a, now_ms() + 1000);
		ck_assert_int_ge(fds[i], 0);
	}
	ck_assert_int_eq(ctx.open, NET_MAX_PARALLEL);
	/* No free slot: the next one waits, then times out. */
	int64_t t0 = now_ms();
	ck_assert_int_eq(net_connect(&ctx, &a, t0 + 200), NET_ERR_TIMEOUT);
	ck_assert_int_ge(now_ms() - t0, 190);
	ck_assert_int_eq(ctx.connections, NET_MAX_PARALLEL);
	/* One closes: the next gets its slot. */
	net_close(&ctx, fds[0]);
	fds[0] = net_connect(&ctx, &a, now_ms() + 1000);
	ck_assert_int_ge(fds[0], 0);
	ck_assert_int_eq(ctx.connections, NET_MAX_PARALLEL + 1);
	for (int i = 0; i < NET_MAX_PARALLEL; i++)
		net_close(&ctx, fds[i]);
	ck_assert_int_eq(ctx.open, 0);
	close(l);
	net_ctx_destroy(&ctx);
}
END_TEST

static char *dir;

static void
make_cert(void)
{
	dir = testsrv_tmpdir();
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(testsrv_sh(30, "cd %s && openssl req -x509 "
	    "-newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 "
	    "-subj /CN=localhost", dir), 0);
}

static void
drop_cert(void)
{
	testsrv_rmdir(dir);
	free(dir);
}

START_TEST(exchange_with_s_server)
{
	struct testsrv srv;
	char cmd[9000], *argv[16];
	struct net_ctx ctx;
	struct net_addr a;
	int argc = 0;

	/* -www: s_server serves a status page and never reads stdin. */
	snprintf(cmd, sizeof cmd, "openssl s_server -www -accept 127.0.0.1:0 "
	    "-cert %s/cert.pem -key %s/key.pem", dir, dir);
	for (char *t = strtok(cmd, " "); t && argc < 15; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	ck_assert_int_eq(testsrv_start(&srv, argv, 5000), 0);
	net_ctx_init(&ctx);
	ck_assert_int_eq(net_resolve("127.0.0.1", srv.port, &a, 1,
	    now_ms() + 1000, NULL), 1);
	/* A TLS 1.2 hello by hand, its answer by recv: a handshake record. */
	uint16_t suites[] = { 0xc02f };
	struct hello_req req = { .version = 0x0303, .suites = suites, .nsuites = 1,
	    .sni = "localhost", .want_certs = 0 };
	unsigned char out[1024], in[512];
	size_t n = hello_build(&req, out, sizeof out);
	int fd = net_connect(&ctx, &a, now_ms() + 2000);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(net_send_all(&ctx, fd, out, n, now_ms() + 2000), 0);
	ssize_t got = net_recv_some(&ctx, fd, in, sizeof in, now_ms() + 2000);
	ck_assert_int_ge(got, 5);
	ck_assert_int_eq(in[0], 22);
	ck_assert_int_eq(in[1], 3);
	ck_assert_int_eq(ctx.bytes_in, got);
	net_close(&ctx, fd);
	net_ctx_destroy(&ctx);
	testsrv_stop(&srv);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, resolve_literals);
	tcase_add_test(tc, connect_refused);
	tcase_add_test(tc, fin_rst_and_timeout);
	tcase_add_test(tc, cancel_is_quick);
	tcase_add_test(tc, parallel_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("server");
	tcase_add_unchecked_fixture(tc, make_cert, drop_cert);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, exchange_with_s_server);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
