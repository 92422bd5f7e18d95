/* check_httpget.c: the bounded HTTP client against a real, sometimes
 * misbehaving server on loopback (tests/lib/httpsrv.py). */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpget.h"
#include "testsrv.h"
#include "util.h"
#include "checkutil.h"

static struct testsrv srv;
static struct net_ctx ctx;
static char *dir;
static unsigned char small[5000];

static void
write_file(const char *name, const void *p, size_t n)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void
setup(void)
{
	char *argv[] = { (char *)"python3", (char *)"tests/lib/httpsrv.py",
		NULL, NULL };

	dir = testsrv_tmpdir();
	ck_assert_ptr_nonnull(dir);
	for (size_t i = 0; i < sizeof small; i++)
		small[i] = (unsigned char)(i * 7 + i / 256);
	write_file("small", small, sizeof small);
	write_file("drip", "0123456789012345678901234567890123456789", 40);
	argv[2] = dir;
	ck_assert_int_eq(testsrv_start(&srv, argv, 5000), 0);
	net_ctx_init(&ctx);
}

static void
teardown(void)
{
	testsrv_stop(&srv);
	net_ctx_destroy(&ctx);
	testsrv_rmdir(dir);
	free(dir);
}

/* Fetch http://127.0.0.1:<port><path> within ms; returns http_fetch's
 * result, the body in *out, the time taken in *took. */
static int
get(const char *path, size_t max, int ms, unsigned char **out,
    size_t *len, int64_t *took)
{
	char url[256];
	int64_t t0 = now_ms();
	int rc;

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
	rc = http_fetch(&ctx, url, NULL, 0, NULL, max, t0 + ms, out, len);
	if (took)
		*took = now_ms() - t0;
	return rc;
}

static char *
slurp_log(void)
{
	char path[4200], *buf = xcalloc(1, 65536);
	FILE *f;

	snprintf(path, sizeof path, "%s/requests.log", dir);
	if ((f = fopen(path, "r")) != NULL) {
		size_t n = fread(buf, 1, 65535, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

START_TEST(content_length_body)
{
	unsigned char *out;
	size_t len;

	ck_assert_int_eq(get("/cl/small", 1 << 20, 3000, &out, &len, NULL), 0);
	ck_assert_uint_eq(len, sizeof small);
	ck_assert_mem_eq(out, small, sizeof small);
	free(out);
	/* The request line uses the origin form, with Host: */
	char *log = slurp_log();
	ck_assert_ptr_nonnull(strstr(log, "GET /cl/small {"));
	ck_assert_ptr_nonnull(strstr(log, "'host': '127.0.0.1:"));
	free(log);
}
END_TEST

START_TEST(chunked_body)
{
	unsigned char *out;
	size_t len;

	ck_assert_int_eq(get("/chunked/small", 1 << 20, 3000, &out, &len,
	    NULL), 0);
	ck_assert_uint_eq(len, sizeof small);
	ck_assert_mem_eq(out, small, sizeof small);
	free(out);
	/* The same chunked body over the limit is refused. */
	ck_assert_int_eq(get("/chunked/small", 4000, 3000, &out, &len, NULL),
	    HTTP_ERR);
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(eof_body)
{
	unsigned char *out;
	size_t len;

	ck_assert_int_eq(get("/eof/small", 1 << 20, 3000, &out, &len, NULL),
	    0);
	ck_assert_uint_eq(len, sizeof small);
	ck_assert_mem_eq(out, small, sizeof small);
	free(out);
}
END_TEST

START_TEST(post_body)
{
	unsigned char *out;
	size_t len;
	char url[256];

	snprintf(url, sizeof url, "http://127.0.0.1:%d/cl/small", srv.port);
	ck_assert_int_eq(http_fetch(&ctx, url, "abc", 3,
	    "application/ocsp-request", 1 << 20, now_ms() + 3000, &out, &len),
	    0);
	ck_assert_uint_eq(len, sizeof small);
	free(out);
	char *log = slurp_log();
	ck_assert_ptr_nonnull(strstr(log, "POST /cl/small {"));
	ck_assert_ptr_nonnull(strstr(log,
	    "'content-type': 'application/ocsp-request'"));
	ck_assert_ptr_nonnull(strstr(log, "'content-length': '3'"));
	free(log);
}
END_TEST

START_TEST(not_200_and_garbage)
{
	unsigned char *out;
	size_t len;

	ck_assert_int_eq(get("/status/404", 1 << 20, 3000, &out, &len, NULL),
	    HTTP_ERR);
	ck_assert_int_eq(get("/status/302", 1 << 20, 3000, &out, &len, NULL),
	    HTTP_ERR);
	ck_assert_int_eq(get("/garbage", 1 << 20, 3000, &out, &len, NULL),
	    HTTP_ERR);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(oversize_is_bounded)
{
	unsigned char *out;
	size_t len;
	int64_t took;

	ck_assert_int_eq(get("/cl/small", 100, 3000, &out, &len, NULL),
	    HTTP_ERR);
	/* Endless body without a length: stops at the cap, not at EOF. */
	ck_assert_int_eq(get("/huge", 1 << 20, 5000, &out, &len, &took),
	    HTTP_ERR);
	ck_assert_int_lt(took, 3000);
	/* A declared length over the cap is refused before reading. */
	ck_assert_int_eq(get("/hugecl", 1 << 20, 5000, &out, &len, &took),
	    HTTP_ERR);
	ck_assert_int_lt(took, 1000);
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(slow_drip_times_out)
{
	unsigned char *out;
	size_t len;
	int64_t took;

	/* 40 bytes at 200 ms each would take 8 s. */
	ck_assert_int_eq(get("/drip/drip", 1 << 20, 1000, &out, &len, &took),
	    NET_ERR_TIMEOUT);
	ck_assert_int_ge(took, 900);
	ck_assert_int_lt(took, 1500);
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(no_answer_times_out)
{
	unsigned char *out;
	size_t len;
	int64_t took;

	ck_assert_int_eq(get("/silent", 1 << 20, 800, &out, &len, &took),
	    NET_ERR_TIMEOUT);
	ck_assert_int_ge(took, 700);
	ck_assert_int_lt(took, 1300);
}
END_TEST

/* Hostile or broken responses, sent verbatim: each must fail cleanly. */
START_TEST(hostile_responses)
{
	static const struct {
		const char *name, *resp;
		int want;
	} cases[] = {
		{ "cl-neg", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nabc",
		  HTTP_ERR },
		{ "cl-two", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
		  "Content-Length: 4\r\n\r\nabcd", HTTP_ERR },
		{ "cl-junk", "HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\nabc",
		  HTTP_ERR },
		{ "cl-short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
		  HTTP_ERR },
		{ "cl-huge", "HTTP/1.1 200 OK\r\nContent-Length: "
		  "99999999999999999999999\r\n\r\nabc", HTTP_ERR },
		{ "ch-bad", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		  "\r\nzz\r\nabc\r\n0\r\n\r\n", HTTP_ERR },
		{ "ch-overflow", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
		  "\r\n\r\nffffffffffffffffffffffff\r\nabc\r\n", HTTP_ERR },
		{ "ch-cut", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		  "\r\n5\r\nab", HTTP_ERR },
		{ "ch-nocrlf", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
		  "\r\n\r\n3\r\nabcXX0\r\n\r\n", HTTP_ERR },
		{ "no-colon", "HTTP/1.1 200 OK\r\nBogus\r\n\r\nabc", HTTP_ERR },
		{ "status-bad", "HTTP/1.1 2000 OK\r\n\r\nabc", HTTP_ERR },
		{ "head-cut", "HTTP/1.1 200 OK\r\nContent-Le", HTTP_ERR },
		{ "empty", "", HTTP_ERR },
		{ "continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
		  "Content-Length: 3\r\n\r\nabc", 0 },
		{ "lf-only", "HTTP/1.0 200 OK\nContent-Length: 3\n\nabc", 0 },
		{ "ch-ok", "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n"
		  "\r\n1;x=y\r\na\r\n2\r\nbc\r\n0\r\n\r\n", 0 },
	};
	char path[64];
	unsigned char *out;
	size_t len;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_file(cases[i].name, cases[i].resp,
		    strlen(cases[i].resp));
		snprintf(path, sizeof path, "/raw/%s", cases[i].name);
		int rc = get(path, 1 << 20, 3000, &out, &len, NULL);
		ck_assert_msg(rc == cases[i].want, "%s: %d", cases[i].name, rc);
		if (rc == 0) {
			ck_assert_uint_eq(len, 3);
			ck_assert_mem_eq(out, "abc", 3);
			free(out);
		} else
			ck_assert_ptr_null(out);
	}
	/* A header block over the bound (16 kB) is refused. */
	struct strbuf b = { 0 };
	strbuf_puts(&b, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 1000; i++)
		strbuf_printf(&b, "X-Filler-%d: %s\r\n", i, "0123456789");
	strbuf_puts(&b, "Content-Length: 3\r\n\r\nabc");
	write_file("bighead", b.s, b.len);
	strbuf_free(&b);
	ck_assert_int_eq(get("/raw/bighead", 1 << 20, 3000, &out, &len, NULL),
	    HTTP_ERR);
}
END_TEST

START_TEST(ipv6_loopback)
{
	char *argv[] = { (char *)"python3", (char *)"tests/lib/httpsrv.py",
		NULL, (char *)"--v6", NULL };
	struct testsrv s6;
	unsigned char *out;
	size_t len;
	char url[128];

	argv[2] = dir;
	if (testsrv_start(&s6, argv, 5000) != 0)
		return; /* no ::1 here: nothing to test */
	snprintf(url, sizeof url, "http://[::1]:%d/chunked/small", s6.port);
	int rc = http_fetch(&ctx, url, NULL, 0, NULL, 1 << 20, now_ms() + 3000,
	    &out, &len);
	testsrv_stop(&s6);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(len, sizeof small);
	ck_assert_mem_eq(out, small, sizeof small);
	free(out);
	char *log = slurp_log();
	ck_assert_ptr_nonnull(strstr(log, "'host': '[::1]:"));
	free(log);
}
END_TEST

START_TEST(refused)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	unsigned char *out;
	size_t len;
	char url[128];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	/* A port that was just free: bind, learn it, close. */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	close(fd);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x",
	    ntohs(sa.sin_port));
	ck_assert_int_eq(http_fetch(&ctx, url, NULL, 0, NULL, 100,
	    now_ms() + 2000, &out, &len), NET_ERR_REFUSED);
}
END_TEST

START_TEST(url_parsing)
{
	char *host, *path;
	int port;
	unsigned char *out;
	size_t len;

	ck_assert_int_eq(http_parse_url("http://ocsp.example.org", &host,
	    &port, &path), 0);
	ck_assert_str_eq(host, "ocsp.example.org");
	ck_assert_int_eq(port, 80);
	ck_assert_str_eq(path, "/");
	free(host), free(path);
	ck_assert_int_eq(http_parse_url("HTTP://[::1]:8080/a/b.crl?x=1#f",
	    &host, &port, &path), 0);
	ck_assert_str_eq(host, "::1");
	ck_assert_int_eq(port, 8080);
	ck_assert_str_eq(path, "/a/b.crl?x=1");
	free(host), free(path);
	ck_assert_int_eq(http_parse_url("http://h?q", &host, &port, &path), 0);
	ck_assert_str_eq(path, "/?q");
	free(host), free(path);

	const char *bad[] = { "https://example.org/", "ftp://x/",
		"http://", "http:///x", "http://h:0/", "http://h:65536/",
		"http://h:/", "http://h:8a/", "http://u@h/", "http://[::1/",
		"http://h/a b", "http://h/\r\nX: y", "ldap://h/", NULL };
	for (int i = 0; bad[i]; i++) {
		ck_assert_msg(http_parse_url(bad[i], &host, &port, &path) ==
		    HTTP_ERR, "accepted %s", bad[i]);
		ck_assert_ptr_null(host);
	}
	ck_assert_int_eq(http_fetch(&ctx, "https://127.0.0.1/", NULL, 0,
	    NULL, 100, now_ms() + 1000, &out, &len), HTTP_ERR);
	ck_assert_int_eq(atomic_load(&ctx.connections), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("httpget");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, content_length_body);
	tcase_add_test(tc, chunked_body);
	tcase_add_test(tc, eof_body);
	tcase_add_test(tc, post_body);
	tcase_add_test(tc, url_parsing);
	suite_add_tcase(s, tc);

	tc = tcase_create("edge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, not_200_and_garbage);
	tcase_add_test(tc, oversize_is_bounded);
	tcase_add_test(tc, slow_drip_times_out);
	tcase_add_test(tc, no_answer_times_out);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, hostile_responses);
	tcase_add_test(tc, ipv6_loopback);
	suite_add_tcase(s, tc);

	return checkutil_run(s);
}
