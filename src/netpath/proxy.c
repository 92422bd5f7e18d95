/* proxy.c: see proxy.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netpath/proxy.h"
#include "sanitize.h"
#include "util.h"

#define PROXY_MAX_HEAD 8192 /* a CONNECT reply's status line and headers */
#define PROXY_MAX_CRED 255  /* RFC 1929: one length byte each */

#ifndef TLSMEDIC_VERSION
#define TLSMEDIC_VERSION "dev"
#endif

/* --- which proxy ----------------------------------------------------- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode s[0..n) (curl decodes proxy credentials). NUL bytes
 * cannot go into a header or a SOCKS field: refused. */
static char *
pct_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			int v = hexval((unsigned char)s[i + 1]) * 16 +
			    hexval((unsigned char)s[i + 2]);
			if (v == 0) {
				free(out);
				return NULL;
			}
			*o++ = (char)v;
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

void
proxy_clear(struct proxy *p)
{
	free(p->host);
	free(p->user);
	free(p->pass);
	free(p->display);
	memset(p, 0, sizeof *p);
}

static int
parse_fail(struct proxy *p, char **cause, char *why)
{
	proxy_clear(p);
	*cause = why;
	return -1;
}

int
proxy_parse(const char *url, struct proxy *p, char **cause)
{
	const char *s = url, *sep, *auth, *end, *at, *hp, *colon = NULL;
	char *q;

	memset(p, 0, sizeof *p);
	*cause = NULL;
	p->kind = PROXY_HTTP;
	p->port = 1080;
	if (url == NULL || *url == '\0')
		return parse_fail(p, cause, xstrdup("the proxy URL is empty"));
	sep = strstr(s, "://");
	if (sep != NULL) {
		size_t n = (size_t)(sep - s);
		if (n == 4 && strncasecmp(s, "http", 4) == 0)
			p->kind = PROXY_HTTP;
		else if (n == 6 && strncasecmp(s, "socks5", 6) == 0)
			p->kind = PROXY_SOCKS5;
		else if (n == 7 && strncasecmp(s, "socks5h", 7) == 0)
			p->kind = PROXY_SOCKS5H;
		else {
			q = sanitize(s, n, 40);
			char *why = xasprintf("proxy type '%s://' is not "
			    "supported; use http://, socks5:// or socks5h://",
			    q);
			free(q);
			return parse_fail(p, cause, why);
		}
		auth = sep + 3;
	} else
		auth = s;
	for (end = auth; *end && !strchr("/?#", *end); end++)
		;
	at = NULL;
	for (const char *c = auth; c < end; c++)
		if (*c == '@')
			at = c;
	hp = auth;
	if (at != NULL) {
		const char *uc = memchr(auth, ':', (size_t)(at - auth));
		size_t ulen = uc ? (size_t)(uc - auth) : (size_t)(at - auth);
		p->user = pct_decode(auth, ulen);
		p->pass = uc ? pct_decode(uc + 1, (size_t)(at - uc - 1)) :
		    xstrdup("");
		if (p->user == NULL || p->pass == NULL)
			return parse_fail(p, cause, xstrdup("the proxy "
			    "user name or password holds a NUL (%00)"));
		if (strlen(p->user) > PROXY_MAX_CRED ||
		    strlen(p->pass) > PROXY_MAX_CRED)
			return parse_fail(p, cause, xstrdup("the proxy user "
			    "name or password is too long (255 at most)"));
		hp = at + 1;
	}
	if (*hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(end - hp));
		if (rb == NULL)
			return parse_fail(p, cause, xstrdup("the proxy URL "
			    "opens '[' but never closes it"));
		p->host = xstrndup(hp + 1, (size_t)(rb - hp - 1));
		if (rb + 1 < end) {
			if (rb[1] != ':')
				return parse_fail(p, cause, xstrdup("unexpected "
				    "text after ']' in the proxy URL"));
			colon = rb + 1;
		}
	} else {
		colon = memchr(hp, ':', (size_t)(end - hp));
		p->host = xstrndup(hp, colon ? (size_t)(colon - hp) :
		    (size_t)(end - hp));
	}
	if (colon != NULL) {
		long v = 0;
		const char *d = colon + 1;
		if (d == end)
			return parse_fail(p, cause, xstrdup("the proxy URL "
			    "has ':' but no port number"));
		for (; d < end; d++) {
			if (!isdigit((unsigned char)*d) || v > 65535)
				return parse_fail(p, cause, xstrdup("the proxy "
				    "port is not a number from 1 to 65535"));
			v = v * 10 + (*d - '0');
		}
		if (v < 1 || v > 65535)
			return parse_fail(p, cause, xstrdup("the proxy port "
			    "is not a number from 1 to 65535"));
		p->port = (int)v;
	}
	if (*p->host == '\0')
		return parse_fail(p, cause, xstrdup("the proxy URL has no "
		    "host name"));
	for (const char *c = p->host; *c; c++)
		if ((unsigned char)*c <= ' ' || (unsigned char)*c == 0x7f)
			return parse_fail(p, cause, xstrdup("the proxy host "
			    "name holds a space or a control character"));
	q = sanitize(p->host, strlen(p->host), 200);
	p->display = xasprintf("%s://%s%s%s:%d", p->kind == PROXY_HTTP ?
	    "http" : p->kind == PROXY_SOCKS5 ? "socks5" : "socks5h",
	    strchr(q, ':') ? "[" : "", q, strchr(q, ':') ? "]" : "", p->port);
	free(q);
	return 0;
}

int
proxy_no_proxy_match(const char *list, const char *host)
{
	const char *s = list;
	size_t hlen;

	if (list == NULL || host == NULL)
		return 0;
	hlen = strlen(host);
	while (*s) {
		size_t n;

		while (*s == ',' || *s == ' ' || *s == '\t')
			s++;
		n = strcspn(s, ", \t");
		if (n == 0)
			break;
		const char *e = s;
		size_t en = n;
		if (en == 1 && *e == '*')
			return 1;
		if (*e == '.') {
			e++;
			en--;
		}
		if (en > 0 && e[en - 1] == '.') /* "example.org." */
			en--;
		if (en > 0 && *e == '[' && e[en - 1] == ']') {
			e++;
			en -= 2;
		}
		if (en > 0 && en == hlen && strncasecmp(e, host, en) == 0)
			return 1;
		if (en > 0 && hlen > en && host[hlen - en - 1] == '.' &&
		    strncasecmp(e, host + hlen - en, en) == 0)
			return 1;
		s += n;
	}
	return 0;
}

static const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return v != NULL && *v != '\0' ? v : NULL;
}

const char *
proxy_pick(const char *cli_proxy, const char *noproxy, const char *scheme,
    const char *host, const char **source)
{
	static const char *const https_vars[] = { "https_proxy", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY", NULL };
	/* curl: only the lower-case http_proxy (CGI's HTTP_PROXY header). */
	static const char *const http_vars[] = { "http_proxy", "all_proxy",
		"ALL_PROXY", NULL };
	const char *const *vars = strcmp(scheme, "http") == 0 ? http_vars :
	    https_vars;
	const char *np = noproxy;

	*source = NULL;
	if (np == NULL)
		np = env_nonempty("no_proxy");
	if (np == NULL)
		np = env_nonempty("NO_PROXY");
	if (proxy_no_proxy_match(np, host))
		return NULL;
	if (cli_proxy != NULL) {
		*source = "--proxy";
		return *cli_proxy ? cli_proxy : NULL;
	}
	for (size_t i = 0; vars[i] != NULL; i++) {
		const char *v = env_nonempty(vars[i]);
		if (v != NULL) {
			*source = vars[i];
			return v;
		}
	}
	return NULL;
}

/* --- HTTP CONNECT ---------------------------------------------------- */

static char *
base64(const unsigned char *in, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	char *out = xmalloc(4 * ((n + 2) / 3) + 1), *o = out;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		*o++ = tab[(v >> 18) & 63];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? tab[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static void
fail_set(struct proxy_fail *f, enum proxy_fail_kind kind, int status,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

void
proxy_auth_header(const struct proxy *p, struct strbuf *b)
{
	char *up = xasprintf("%s:%s", p->user, p->pass ? p->pass : "");
	char *b64 = base64((const unsigned char *)up, strlen(up));

	strbuf_printf(b, "Proxy-Authorization: Basic %s\r\n", b64);
	free(b64);
	free(up);
}

int
proxy_check(struct net_ctx *ctx, const struct proxy *p, const char *host,
    int port, int64_t deadline, struct proxy_fail *fail)
{
	int fd = net_connect(ctx, &p->addr, deadline), rc;

	memset(fail, 0, sizeof *fail);
	if (fd < 0) {
		fail_set(fail, PROXY_FAIL_CONNECT, 0, "%s port %d: %s",
		    p->addr.text, p->port, net_strerror(fd));
		fail->net_err = fd;
		return fd == NET_ERR_CANCELLED ? fd : NET_ERR_PROXY;
	}
	rc = proxy_tunnel(ctx, fd, p, host, port, deadline, fail);
	net_close(ctx, fd);
	return rc;
}

static void
fail_set(struct proxy_fail *f, enum proxy_fail_kind kind, int status,
    const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return;
	f->kind = kind;
	f->status = status;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
}

/* The value of header name in head (first one), sanitized, or NULL. */
static char *
header_value(const char *head, const char *name, const char **next)
{
	size_t nl = strlen(name);
	const char *p = *next ? *next : head;

	while ((p = strchr(p, '\n')) != NULL) {
		p++;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1, *e;
			while (*v == ' ' || *v == '\t')
				v++;
			e = v + strcspn(v, "\r\n");
			*next = e;
			return sanitize(v, (size_t)(e - v), 120);
		}
	}
	return NULL;
}

int
proxy_http_reply(const char *head, struct proxy_fail *fail,
    int have_credentials)
{
	int major, minor, status = 0, off = 0;
	char *reason;

	if (sscanf(head, "HTTP/%d.%d %3d%n", &major, &minor, &status, &off) <
	    3 || status < 100 || status > 599 || off == 0 ||
	    (head[off] != ' ' && head[off] != '\r' && head[off] != '\n' &&
	    head[off] != '\0')) {
		char *q = sanitize(head, strcspn(head, "\r\n"), 60);
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the proxy's answer "
		    "is not HTTP: \"%s\"", q);
		free(q);
		return -1;
	}
	if (status >= 200 && status <= 299)
		return status;
	reason = sanitize(head + off, strcspn(head + off, "\r\n"), 60);
	if (status == 407) {
		/* Which sign-in methods the proxy takes. */
		struct strbuf schemes = { 0 };
		const char *next = NULL;
		char *v;
		int basic = 0, n = 0;
		while (n < 8 && (v = header_value(head, "Proxy-Authenticate",
		    &next)) != NULL) {
			size_t w = strcspn(v, " ,");
			if (w == 5 && strncasecmp(v, "Basic", 5) == 0)
				basic = 1;
			strbuf_printf(&schemes, "%s%.*s", schemes.len ? ", " :
			    "", (int)(w > 20 ? 20 : w), v);
			free(v);
			n++;
		}
		if (!basic && schemes.len > 0)
			fail_set(fail, PROXY_FAIL_AUTH_UNSUPPORTED, status,
			    "the proxy answered 407%s and offers only %s "
			    "sign-in (tlsmedic sends a user and password as "
			    "Basic)", reason, schemes.s);
		else if (have_credentials)
			fail_set(fail, PROXY_FAIL_AUTH, status, "the proxy "
			    "answered 407%s to the user name and password "
			    "given (offers: %s)", reason,
			    schemes.len ? schemes.s : "nothing named");
		else
			fail_set(fail, PROXY_FAIL_AUTH, status, "the proxy "
			    "answered 407%s: it wants a user name and "
			    "password (offers: %s)", reason,
			    schemes.len ? schemes.s : "nothing named");
		strbuf_free(&schemes);
	} else if (status == 403 || status == 405 || status == 401) {
		fail_set(fail, PROXY_FAIL_DENIED, status, "the proxy answered "
		    "%d%s to CONNECT", status, reason);
	} else if (status >= 500) {
		const char *next = NULL;
		char *sq = header_value(head, "X-Squid-Error", &next);
		fail_set(fail, PROXY_FAIL_TARGET, status, "the proxy could "
		    "not reach the server: it answered %d%s%s%s%s", status,
		    reason, sq ? " (" : "", sq ? sq : "", sq ? ")" : "");
		if (fail != NULL) {
			/* Squid names the cause: ERR_CONNECT_FAIL 111 is a
			 * refused connection, ERR_DNS_FAIL a failed lookup. */
			fail->net_err = status == 504 ? NET_ERR_TIMEOUT :
			    NET_ERR_UNREACH;
			if (sq && strstr(sq, "ERR_CONNECT_FAIL 111"))
				fail->net_err = NET_ERR_REFUSED;
			else if (sq && strstr(sq, "ERR_DNS_FAIL"))
				fail->net_err = NET_ERR_DNS;
			else if (sq && (strstr(sq, "ERR_CONNECT_FAIL 110") ||
			    strstr(sq, "TIMEOUT")))
				fail->net_err = NET_ERR_TIMEOUT;
		}
		free(sq);
	} else {
		fail_set(fail, PROXY_FAIL_PROTOCOL, status, "the proxy "
		    "answered %d%s to CONNECT", status, reason);
	}
	free(reason);
	return status;
}

/* Read the reply head one byte at a time: what follows the blank line is
 * the server's, not ours to swallow. */
static int
read_head(struct net_ctx *ctx, int fd, int64_t deadline, char *buf,
    size_t max, size_t *len)
{
	size_t n = 0;

	for (;;) {
		ssize_t r;
		if (n + 1 >= max)
			return NET_ERR_PROXY;
		r = net_recv_some(ctx, fd, buf + n, 1, deadline);
		if (r < 0)
			return (int)r;
		if (r == 0)
			break;
		if (buf[n] == '\0')
			buf[n] = ' ';
		n++;
		buf[n] = '\0';
		if ((n >= 4 && memcmp(buf + n - 4, "\r\n\r\n", 4) == 0) ||
		    (n >= 2 && memcmp(buf + n - 2, "\n\n", 2) == 0))
			break;
	}
	*len = n;
	return 0;
}

static int
tunnel_http(struct net_ctx *ctx, int fd, const struct proxy *p,
    const char *host, int port, int64_t deadline, struct proxy_fail *fail)
{
	struct strbuf req = { 0 };
	char *head = xmalloc(PROXY_MAX_HEAD);
	size_t len = 0;
	int v6 = strchr(host, ':') != NULL, rc, status;

	strbuf_printf(&req, "CONNECT %s%s%s:%d HTTP/1.1\r\nHost: %s%s%s:%d\r\n",
	    v6 ? "[" : "", host, v6 ? "]" : "", port, v6 ? "[" : "", host,
	    v6 ? "]" : "", port);
	if (p->user != NULL)
		proxy_auth_header(p, &req);
	strbuf_printf(&req, "User-Agent: tlsmedic/%s\r\n"
	    "Proxy-Connection: Keep-Alive\r\n\r\n", TLSMEDIC_VERSION);
	rc = net_send_all(ctx, fd, req.s, req.len, deadline);
	strbuf_free(&req);
	if (rc == 0)
		rc = read_head(ctx, fd, deadline, head, PROXY_MAX_HEAD, &len);
	if (rc == NET_ERR_PROXY)
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the proxy's answer to "
		    "CONNECT is longer than %d bytes", PROXY_MAX_HEAD);
	if (rc == 0 && len == 0) {
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the proxy closed the "
		    "connection without answering CONNECT");
		rc = NET_ERR_PROXY;
	}
	if (rc < 0 && rc != NET_ERR_PROXY && rc != NET_ERR_CANCELLED) {
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "no answer from the "
		    "proxy to CONNECT: %s", net_strerror(rc));
		if (rc != NET_ERR_TIMEOUT)
			rc = NET_ERR_PROXY;
	}
	if (rc < 0)
		goto out;
	status = proxy_http_reply(head, fail, p->user != NULL);
	if (status >= 200 && status <= 299)
		rc = 0;
	else if (fail != NULL && fail->kind == PROXY_FAIL_TARGET)
		rc = fail->net_err;
	else
		rc = NET_ERR_PROXY;
out:
	free(head);
	return rc;
}

/* --- SOCKS5 (RFC 1928, 1929) ----------------------------------------- */

static int
recv_exact(struct net_ctx *ctx, int fd, unsigned char *buf, size_t n,
    int64_t deadline)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = net_recv_some(ctx, fd, buf + got, n - got,
		    deadline);
		if (r < 0)
			return (int)r;
		if (r == 0)
			return NET_ERR_PROXY;
		got += (size_t)r;
	}
	return 0;
}

static const char *
socks_reply_text(int rep)
{
	static const char *const t[] = { "succeeded", "general failure",
		"connection not allowed by ruleset", "network unreachable",
		"host unreachable", "connection refused", "TTL expired",
		"command not supported", "address type not supported" };
	return rep >= 0 && rep < 9 ? t[rep] : "unknown reply";
}

static int
socks_fail(struct proxy_fail *fail, int rc, const char *what)
{
	if (rc == NET_ERR_CANCELLED || rc == NET_ERR_TIMEOUT) {
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "no answer from the "
		    "SOCKS proxy to the %s: %s", what, net_strerror(rc));
		return rc;
	}
	fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the SOCKS proxy %s the %s",
	    rc == NET_ERR_PROXY ? "closed the connection instead of answering"
	    : "failed on", what);
	return NET_ERR_PROXY;
}

static int
tunnel_socks5(struct net_ctx *ctx, int fd, const struct proxy *p,
    const char *host, int port, int64_t deadline, struct proxy_fail *fail)
{
	unsigned char buf[600];
	size_t n = 0, hl = strlen(host);
	int rc;

	/* Greeting: no auth, and user/password when we have them. */
	buf[n++] = 5;
	if (p->user != NULL) {
		buf[n++] = 2;
		buf[n++] = 0;
		buf[n++] = 2;
	} else {
		buf[n++] = 1;
		buf[n++] = 0;
	}
	if ((rc = net_send_all(ctx, fd, buf, n, deadline)) < 0 ||
	    (rc = recv_exact(ctx, fd, buf, 2, deadline)) < 0)
		return socks_fail(fail, rc, "greeting");
	if (buf[0] != 5) {
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the proxy does not "
		    "speak SOCKS5 (its answer starts with byte 0x%02x)", buf[0]);
		return NET_ERR_PROXY;
	}
	if (buf[1] == 0xff) {
		fail_set(fail, PROXY_FAIL_AUTH, 0, "the SOCKS proxy accepts "
		    "none of the sign-in methods offered (%s)", p->user ?
		    "none, user and password" : "none; it may want a user "
		    "name and password");
		return NET_ERR_PROXY;
	}
	if (buf[1] == 2 && p->user != NULL) {
		size_t ul = strlen(p->user), pl = strlen(p->pass);
		n = 0;
		buf[n++] = 1;
		buf[n++] = (unsigned char)ul;
		memcpy(buf + n, p->user, ul);
		n += ul;
		buf[n++] = (unsigned char)pl;
		memcpy(buf + n, p->pass, pl);
		n += pl;
		if ((rc = net_send_all(ctx, fd, buf, n, deadline)) < 0 ||
		    (rc = recv_exact(ctx, fd, buf, 2, deadline)) < 0)
			return socks_fail(fail, rc, "user name and password");
		if (buf[1] != 0) {
			fail_set(fail, PROXY_FAIL_AUTH, buf[1], "the SOCKS "
			    "proxy refused the user name and password given");
			return NET_ERR_PROXY;
		}
	} else if (buf[1] != 0) {
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the SOCKS proxy chose "
		    "sign-in method %d, which was not offered", buf[1]);
		return NET_ERR_PROXY;
	}

	/* CONNECT host:port. */
	n = 0;
	buf[n++] = 5;
	buf[n++] = 1;
	buf[n++] = 0;
	if (p->kind == PROXY_SOCKS5 && inet_pton(AF_INET, host, buf + n + 1) ==
	    1) {
		buf[n++] = 1;
		n += 4;
	} else if (p->kind == PROXY_SOCKS5 &&
	    inet_pton(AF_INET6, host, buf + n + 1) == 1) {
		buf[n++] = 4;
		n += 16;
	} else {
		if (hl > 255) {
			fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the host name "
			    "is too long for SOCKS5");
			return NET_ERR_PROXY;
		}
		buf[n++] = 3;
		buf[n++] = (unsigned char)hl;
		memcpy(buf + n, host, hl);
		n += hl;
	}
	buf[n++] = (unsigned char)(port >> 8);
	buf[n++] = (unsigned char)port;
	if ((rc = net_send_all(ctx, fd, buf, n, deadline)) < 0 ||
	    (rc = recv_exact(ctx, fd, buf, 4, deadline)) < 0)
		return socks_fail(fail, rc, "connect request");
	if (buf[0] != 5) {
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the SOCKS proxy's "
		    "answer to the connect request is malformed");
		return NET_ERR_PROXY;
	}
	if (buf[1] != 0) {
		int rep = buf[1];
		enum proxy_fail_kind k = rep == 2 ? PROXY_FAIL_DENIED :
		    rep >= 3 && rep <= 6 ? PROXY_FAIL_TARGET :
		    rep == 1 ? PROXY_FAIL_TARGET : PROXY_FAIL_PROTOCOL;
		fail_set(fail, k, rep, "the SOCKS proxy answered %d (%s)", rep,
		    socks_reply_text(rep));
		if (k != PROXY_FAIL_TARGET)
			return NET_ERR_PROXY;
		rc = rep == 5 ? NET_ERR_REFUSED : rep == 6 ? NET_ERR_TIMEOUT :
		    NET_ERR_UNREACH;
		if (fail != NULL)
			fail->net_err = rc;
		return rc;
	}
	/* The bound address, which we do not need, but must read. */
	size_t rest = buf[3] == 1 ? 4 : buf[3] == 4 ? 16 : 0;
	if (buf[3] == 3) {
		if ((rc = recv_exact(ctx, fd, buf, 1, deadline)) < 0)
			return socks_fail(fail, rc, "connect request");
		rest = buf[0];
	} else if (rest == 0) {
		fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "the SOCKS proxy's "
		    "answer names address type %d", buf[3]);
		return NET_ERR_PROXY;
	}
	if ((rc = recv_exact(ctx, fd, buf, rest + 2, deadline)) < 0)
		return socks_fail(fail, rc, "connect request");
	return 0;
}

int
proxy_tunnel(struct net_ctx *ctx, int fd, const struct proxy *p,
    const char *host, int port, int64_t deadline, struct proxy_fail *fail)
{
	int rc;

	if (fail != NULL)
		memset(fail, 0, sizeof *fail);
	if (p->kind == PROXY_HTTP)
		rc = tunnel_http(ctx, fd, p, host, port, deadline, fail);
	else
		rc = tunnel_socks5(ctx, fd, p, host, port, deadline, fail);
	if (fail != NULL) {
		fail->net_err = rc;
		if (rc < 0 && fail->kind == PROXY_FAIL_NONE)
			fail_set(fail, PROXY_FAIL_PROTOCOL, 0, "%s",
			    net_strerror(rc));
		fail->net_err = rc;
	}
	return rc;
}
