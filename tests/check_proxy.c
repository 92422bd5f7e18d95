/* check_proxy.c: proxy URLs, no_proxy matching, the choice of proxy from
 * the environment (curl's rules), the CONNECT reply parser, and the
 * tunnels against scripted peers over socketpairs. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netpath/proxy.h"
#include "util.h"
#include "checkutil.h"

START_TEST(parse_urls)
{
	struct proxy p;
	char *cause = NULL;

	ck_assert_int_eq(proxy_parse("http://u%40x:p%3Aw@proxy.example:3128/",
	    &p, &cause), 0);
	ck_assert_int_eq(p.kind, PROXY_HTTP);
	ck_assert_str_eq(p.host, "proxy.example");
	ck_assert_int_eq(p.port, 3128);
	ck_assert_str_eq(p.user, "u@x");
	ck_assert_str_eq(p.pass, "p:w");
	/* the display never carries the credentials */
	ck_assert_str_eq(p.display, "http://proxy.example:3128");
	proxy_clear(&p);

	/* no scheme: http; no port: 1080 (curl) */
	ck_assert_int_eq(proxy_parse("proxy.example", &p, &cause), 0);
	ck_assert_int_eq(p.kind, PROXY_HTTP);
	ck_assert_int_eq(p.port, 1080);
	ck_assert_ptr_null(p.user);
	proxy_clear(&p);

	ck_assert_int_eq(proxy_parse("socks5h://[::1]:1081", &p, &cause), 0);
	ck_assert_int_eq(p.kind, PROXY_SOCKS5H);
	ck_assert_str_eq(p.host, "::1");
	ck_assert_str_eq(p.display, "socks5h://[::1]:1081");
	proxy_clear(&p);
	ck_assert_int_eq(proxy_parse("SOCKS5://h:9", &p, &cause), 0);
	ck_assert_int_eq(p.kind, PROXY_SOCKS5);
	proxy_clear(&p);

	static const char *const bad[] = { "", "socks4://h:1", "https://h:1",
		"http://h:0", "http://h:99999", "http://h:x", "http://:80",
		"http://u:%00@h:1", "http://[::1:80", "http://h:" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(proxy_parse(bad[i], &p, &cause) == -1, "%s",
		    bad[i]);
		ck_assert_ptr_nonnull(cause);
		free(cause);
		cause = NULL;
	}
}
END_TEST

START_TEST(no_proxy_rules)
{
	ck_assert(proxy_no_proxy_match("*", "anything.example"));
	ck_assert(proxy_no_proxy_match("example.org", "example.org"));
	ck_assert(proxy_no_proxy_match("example.org", "www.example.org"));
	ck_assert(proxy_no_proxy_match(".example.org", "www.example.org"));
	ck_assert(proxy_no_proxy_match(" a.test , example.org", "EXAMPLE.org"));
	ck_assert(!proxy_no_proxy_match("example.org", "badexample.org"));
	ck_assert(!proxy_no_proxy_match("www.example.org", "example.org"));
	ck_assert(proxy_no_proxy_match("127.0.0.1,::1", "::1"));
	ck_assert(proxy_no_proxy_match("[::1]", "::1"));
	ck_assert(!proxy_no_proxy_match("127.0.0.1", "127.0.0.10"));
	ck_assert(!proxy_no_proxy_match("", "example.org"));
	ck_assert(!proxy_no_proxy_match(NULL, "example.org"));
}
END_TEST

static void
env_clear(void)
{
	static const char *const v[] = { "https_proxy", "HTTPS_PROXY",
		"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY",
		"no_proxy", "NO_PROXY" };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		unsetenv(v[i]);
}

START_TEST(pick_like_curl)
{
	const char *src;

	env_clear();
	ck_assert_ptr_null(proxy_pick(NULL, NULL, "https", "a.test", &src));
	setenv("ALL_PROXY", "http://all:1", 1);
	ck_assert_str_eq(proxy_pick(NULL, NULL, "https", "a.test", &src),
	    "http://all:1");
	ck_assert_str_eq(src, "ALL_PROXY");
	setenv("HTTPS_PROXY", "http://upper:1", 1);
	ck_assert_str_eq(proxy_pick(NULL, NULL, "https", "a.test", &src),
	    "http://upper:1");
	setenv("https_proxy", "http://lower:1", 1);
	ck_assert_str_eq(proxy_pick(NULL, NULL, "https", "a.test", &src),
	    "http://lower:1");
	ck_assert_str_eq(src, "https_proxy");
	/* http:// fetches: only the lower-case http_proxy (curl) */
	setenv("HTTP_PROXY", "http://cgi:1", 1);
	ck_assert_str_eq(proxy_pick(NULL, NULL, "http", "a.test", &src),
	    "http://all:1");
	setenv("http_proxy", "http://plain:1", 1);
	ck_assert_str_eq(proxy_pick(NULL, NULL, "http", "a.test", &src),
	    "http://plain:1");
	/* --proxy wins; "" means none */
	ck_assert_str_eq(proxy_pick("socks5://c:1", NULL, "https", "a.test",
	    &src), "socks5://c:1");
	ck_assert_str_eq(src, "--proxy");
	ck_assert_ptr_null(proxy_pick("", NULL, "https", "a.test", &src));
	/* no_proxy, and --noproxy in its place */
	setenv("no_proxy", "a.test", 1);
	ck_assert_ptr_null(proxy_pick(NULL, NULL, "https", "a.test", &src));
	ck_assert_ptr_null(proxy_pick("http://c:1", NULL, "https", "a.test",
	    &src));
	ck_assert_ptr_nonnull(proxy_pick(NULL, "other.test", "https",
	    "a.test", &src));
	ck_assert_ptr_null(proxy_pick(NULL, "*", "https", "b.test", &src));
	env_clear();
}
END_TEST

START_TEST(connect_replies)
{
	struct proxy_fail f;

	ck_assert_int_eq(proxy_http_reply("HTTP/1.1 200 Connection "
	    "established\r\n\r\n", &f, 0), 200);
	memset(&f, 0, sizeof f);
	ck_assert_int_eq(proxy_http_reply("HTTP/1.1 407 Proxy Authentication "
	    "Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n\r\n", &f,
	    0), 407);
	ck_assert_int_eq(f.kind, PROXY_FAIL_AUTH);
	ck_assert_ptr_nonnull(strstr(f.text, "Basic"));
	ck_assert_int_eq(proxy_http_reply("HTTP/1.1 407 x\r\n"
	    "Proxy-Authenticate: NTLM\r\nproxy-authenticate: Negotiate\r\n\r\n",
	    &f, 1), 407);
	ck_assert_int_eq(f.kind, PROXY_FAIL_AUTH_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(f.text, "NTLM, Negotiate"));
	ck_assert_int_eq(proxy_http_reply("HTTP/1.0 403 Forbidden\r\n\r\n",
	    &f, 0), 403);
	ck_assert_int_eq(f.kind, PROXY_FAIL_DENIED);
	ck_assert_int_eq(proxy_http_reply("HTTP/1.1 503 Service Unavailable\r\n"
	    "X-Squid-Error: ERR_CONNECT_FAIL 111\r\n\r\n", &f, 0), 503);
	ck_assert_int_eq(f.kind, PROXY_FAIL_TARGET);
	ck_assert_int_eq(f.net_err, NET_ERR_REFUSED);
	ck_assert_int_eq(proxy_http_reply("HTTP/1.1 503 x\r\n"
	    "X-Squid-Error: ERR_DNS_FAIL 0\r\n\r\n", &f, 0), 503);
	ck_assert_int_eq(f.net_err, NET_ERR_DNS);
	ck_assert_int_eq(proxy_http_reply("HTTP/1.1 504 Gateway Timeout\r\n\r\n",
	    &f, 0), 504);
	ck_assert_int_eq(f.net_err, NET_ERR_TIMEOUT);
	/* not HTTP: quoted sanitized */
	ck_assert_int_eq(proxy_http_reply("\x1b[2JSSH-2.0-x\r\n", &f, 0), -1);
	ck_assert_int_eq(f.kind, PROXY_FAIL_PROTOCOL);
	ck_assert_ptr_null(strchr(f.text, 0x1b));
	ck_assert_int_eq(proxy_http_reply("HTTP/1.1 2000 x\r\n", &f, 0), -1);
}
END_TEST

/* A scripted peer on a socketpair: read what the client sends (up to
 * `want` bytes or a blank line), then write `reply`. */
struct peer {
	int fd;
	const char *reply;
	size_t reply_len;
	char got[1024];
	size_t ngot;
	size_t want;
	int hangup; /* close at once after the reply */
};

static void
peer_run(struct peer *p)
{
	while (p->ngot < sizeof p->got - 1) {
		ssize_t n = read(p->fd, p->got + p->ngot, 1);
		if (n <= 0)
			break;
		p->ngot++;
		p->got[p->ngot] = '\0';
		if ((p->want && p->ngot >= p->want) ||
		    strstr(p->got, "\r\n\r\n") != NULL)
			break;
	}
	if (write(p->fd, p->reply, p->reply_len) < 0)
		return;
	if (p->hangup)
		return;
	/* Stay until the client is done, so its next write finds us. */
	char sink[256];
	while (read(p->fd, sink, sizeof sink) > 0)
		;
}

static int
tunnel_with(const struct proxy *px, struct peer *pe, const char *host,
    struct proxy_fail *f)
{
	int sv[2];
	struct net_ctx ctx;
	int rc;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	net_ctx_init(&ctx);
	pe->fd = sv[1];
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		peer_run(pe);
		_exit(0);
	}
	close(sv[1]);
	rc = proxy_tunnel(&ctx, sv[0], px, host, 443, now_ms() + 3000, f);
	close(sv[0]);
	waitpid(pid, NULL, 0);
	net_ctx_destroy(&ctx);
	return rc;
}

START_TEST(http_tunnel)
{
	struct proxy px;
	char *cause;
	struct proxy_fail f;
	static const char ok[] = "HTTP/1.1 200 OK\r\n\r\n";
	struct peer pe = { .reply = ok, .reply_len = sizeof ok - 1 };

	ck_assert_int_eq(proxy_parse("http://Aladdin:open%20sesame@p:1", &px,
	    &cause), 0);
	ck_assert_int_eq(tunnel_with(&px, &pe, "a.test", &f), 0);
	proxy_clear(&px);

	static const char auth[] = "HTTP/1.1 407 no\r\n"
	    "Proxy-Authenticate: Basic realm=x\r\n\r\n";
	struct peer pa = { .reply = auth, .reply_len = sizeof auth - 1 };
	ck_assert_int_eq(proxy_parse("http://p:1", &px, &cause), 0);
	ck_assert_int_eq(tunnel_with(&px, &pa, "a.test", &f), NET_ERR_PROXY);
	ck_assert_int_eq(f.kind, PROXY_FAIL_AUTH);
	proxy_clear(&px);

	struct peer pc = { .reply = "", .reply_len = 0, .hangup = 1 };
	ck_assert_int_eq(proxy_parse("http://p:1", &px, &cause), 0);
	ck_assert_int_eq(tunnel_with(&px, &pc, "::1", &f), NET_ERR_PROXY);
	ck_assert_int_eq(f.kind, PROXY_FAIL_PROTOCOL);
	proxy_clear(&px);
}
END_TEST

START_TEST(socks5_tunnel)
{
	struct proxy px;
	char *cause;
	struct proxy_fail f;
	/* no auth, then success with a bound IPv4 address */
	static const char ok[] = "\x05\x00" "\x05\x00\x00\x01" "\x7f\x00\x00\x01"
	    "\x01\xbb";
	struct peer pe = { .reply = ok, .reply_len = sizeof ok - 1,
		.want = 3 };

	ck_assert_int_eq(proxy_parse("socks5h://p:1", &px, &cause), 0);
	ck_assert_int_eq(tunnel_with(&px, &pe, "a.test", &f), 0);
	/* the name went to the proxy (socks5h) */
	proxy_clear(&px);

	/* refused by the target: the target's error */
	static const char refused[] = "\x05\x00" "\x05\x05\x00\x01"
	    "\x00\x00\x00\x00\x00\x00";
	struct peer pr = { .reply = refused, .reply_len = sizeof refused - 1,
		.want = 3 };
	ck_assert_int_eq(proxy_parse("socks5://p:1", &px, &cause), 0);
	ck_assert_int_eq(tunnel_with(&px, &pr, "127.0.0.1", &f),
	    NET_ERR_REFUSED);
	ck_assert_int_eq(f.kind, PROXY_FAIL_TARGET);
	proxy_clear(&px);

	/* no acceptable method */
	static const char none[] = "\x05\xff";
	struct peer pn = { .reply = none, .reply_len = 2, .want = 3 };
	ck_assert_int_eq(proxy_parse("socks5://p:1", &px, &cause), 0);
	ck_assert_int_eq(tunnel_with(&px, &pn, "127.0.0.1", &f), NET_ERR_PROXY);
	ck_assert_int_eq(f.kind, PROXY_FAIL_AUTH);
	proxy_clear(&px);

	/* user/password refused */
	static const char badpw[] = "\x05\x02" "\x01\x01";
	struct peer pb = { .reply = badpw, .reply_len = 4, .want = 4 };
	ck_assert_int_eq(proxy_parse("socks5://u:p@p:1", &px, &cause), 0);
	ck_assert_int_eq(tunnel_with(&px, &pb, "127.0.0.1", &f), NET_ERR_PROXY);
	ck_assert_int_eq(f.kind, PROXY_FAIL_AUTH);
	proxy_clear(&px);

	/* not SOCKS at all */
	static const char http[] = "HTTP/1.1 400 Bad\r\n\r\n";
	struct peer ph = { .reply = http, .reply_len = sizeof http - 1,
		.want = 3 };
	ck_assert_int_eq(proxy_parse("socks5://p:1", &px, &cause), 0);
	ck_assert_int_eq(tunnel_with(&px, &ph, "127.0.0.1", &f), NET_ERR_PROXY);
	ck_assert_int_eq(f.kind, PROXY_FAIL_PROTOCOL);
	proxy_clear(&px);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("proxy");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_urls);
	tcase_add_test(tc, no_proxy_rules);
	tcase_add_test(tc, pick_like_curl);
	tcase_add_test(tc, connect_replies);
	tcase_add_test(tc, http_tunnel);
	tcase_add_test(tc, socks5_tunnel);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
