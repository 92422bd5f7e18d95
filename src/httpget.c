/* httpget.c: see httpget.h. Everything the peer sends is hostile: every
 * line, the header block and the body are bounded, and every read waits
 * only until the caller's absolute deadline. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "httpget.h"
#include "netpath/proxy.h"
#include "util.h"

#define HTTP_MAX_HEAD 16384 /* status line + headers, all of them */
#define HTTP_MAX_LINE 4096  /* one header or chunk-size line */
#define HTTP_MAX_URL 2048
#define HTTP_MAX_ADDRS 8

#ifndef TLSMEDIC_VERSION
#define TLSMEDIC_VERSION "dev"
#endif

/* A buffered reader over one socket, bounded by the deadline. */
struct http_rd {
	struct net_ctx *ctx;
	int fd;
	int64_t deadline;
	unsigned char buf[8192];
	size_t pos, len;
	int eof;
};

static int
rd_fill(struct http_rd *rd)
{
	ssize_t n;

	if (rd->pos < rd->len)
		return 1;
	if (rd->eof)
		return 0;
	rd->pos = rd->len = 0;
	n = net_recv_some(rd->ctx, rd->fd, rd->buf, sizeof rd->buf,
	    rd->deadline);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		rd->eof = 1;
		return 0;
	}
	rd->len = (size_t)n;
	return 1;
}

/* One line without its CR LF into out (NUL-terminated). *budget bounds
 * the bytes all header lines may use together. Returns 0, -100 when too
 * long or cut off, or a net_err. */
static int
rd_line(struct http_rd *rd, char *out, size_t max, size_t *budget)
{
	size_t n = 0;
	int rc;

	for (;;) {
		if ((rc = rd_fill(rd)) <= 0)
			return rc == 0 ? HTTP_ERR : rc;
		unsigned char c = rd->buf[rd->pos++];
		if (*budget == 0)
			return HTTP_ERR;
		(*budget)--;
		if (c == '\n')
			break;
		if (n + 1 >= max)
			return HTTP_ERR;
		out[n++] = (char)c;
	}
	if (n > 0 && out[n - 1] == '\r')
		n--;
	out[n] = '\0';
	return 0;
}

/* Append exactly want bytes (or up to EOF when want is SIZE_MAX) to body,
 * never more than max in total. */
static int
rd_body(struct http_rd *rd, struct strbuf *body, size_t want, size_t max)
{
	int rc;

	while (want > 0) {
		if ((rc = rd_fill(rd)) < 0)
			return rc;
		if (rc == 0)
			return want == SIZE_MAX ? 0 : HTTP_ERR; /* cut off */
		size_t n = rd->len - rd->pos;
		if (n > want)
			n = want;
		if (body->len + n > max)
			return HTTP_ERR;
		strbuf_add(body, (const char *)rd->buf + rd->pos, n);
		rd->pos += n;
		if (want != SIZE_MAX)
			want -= n;
	}
	return 0;
}

static int
rd_chunked(struct http_rd *rd, struct strbuf *body, size_t max)
{
	char line[HTTP_MAX_LINE];
	size_t budget = SIZE_MAX;
	int rc;

	for (;;) {
		char *end;
		unsigned long long sz;

		/* Each size line and the trailers are bounded by line size;
		 * the total by max below and by the deadline. */
		budget = HTTP_MAX_LINE;
		if ((rc = rd_line(rd, line, sizeof line, &budget)) != 0)
			return rc;
		if (!isxdigit((unsigned char)line[0]))
			return HTTP_ERR;
		errno = 0;
		sz = strtoull(line, &end, 16);
		if (errno != 0 || (*end != '\0' && *end != ';' && *end != ' ' &&
		    *end != '\t'))
			return HTTP_ERR;
		if (sz > max || body->len + sz > max)
			return HTTP_ERR;
		if (sz == 0)
			break;
		if ((rc = rd_body(rd, body, (size_t)sz, max)) != 0)
			return rc;
		budget = 2;
		if ((rc = rd_line(rd, line, sizeof line, &budget)) != 0)
			return rc;
		if (line[0] != '\0')
			return HTTP_ERR;
	}
	/* Trailers, up to the empty line; bounded like headers. */
	budget = HTTP_MAX_HEAD;
	do {
		if ((rc = rd_line(rd, line, sizeof line, &budget)) != 0)
			return rc;
	} while (line[0] != '\0');
	return 0;
}

int
http_parse_url(const char *url, char **host, int *port, char **path)
{
	const char *p, *h, *hend, *slash;
	long pn = 80;

	*host = *path = NULL;
	*port = 0;
	if (url == NULL || strlen(url) > HTTP_MAX_URL ||
	    strncasecmp(url, "http://", 7) != 0)
		return HTTP_ERR;
	for (p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return HTTP_ERR; /* no spaces or controls in a request line */
	h = url + 7;
	slash = h + strcspn(h, "/?#");
	if (memchr(h, '@', (size_t)(slash - h)) != NULL)
		return HTTP_ERR; /* userinfo: not for OCSP or CRL */
	if (*h == '[') {
		hend = memchr(h, ']', (size_t)(slash - h));
		if (hend == NULL)
			return HTTP_ERR;
		p = hend + 1;
		h++;
	} else {
		hend = memchr(h, ':', (size_t)(slash - h));
		if (hend == NULL)
			hend = slash;
		p = hend;
	}
	if (hend == h)
		return HTTP_ERR;
	if (p < slash) {
		char *end;
		if (*p != ':' || p + 1 == slash)
			return HTTP_ERR;
		errno = 0;
		pn = strtol(p + 1, &end, 10);
		if (errno != 0 || end != slash || pn < 1 || pn > 65535)
			return HTTP_ERR;
	}
	*host = xstrndup(h, (size_t)(hend - h));
	*port = (int)pn;
	if (*slash == '/')
		*path = xstrndup(slash, strcspn(slash, "#"));
	else if (*slash == '?')
		*path = xasprintf("/%.*s", (int)strcspn(slash, "#"), slash);
	else
		*path = xstrdup("/");
	return 0;
}

static int
http_connect(struct net_ctx *ctx, const char *host, int port,
    int64_t deadline)
{
	struct net_addr addrs[HTTP_MAX_ADDRS];
	const struct proxy *p = ctx->proxy;
	int n, fd = NET_ERR_OTHER;

	/* Through the diagnosis' proxy, as curl would: an HTTP proxy gets
	 * the request itself (absolute form, see http_fetch), a SOCKS proxy
	 * a tunnel. */
	if (p != NULL) {
		fd = net_connect(ctx, &p->addr, deadline);
		if (fd < 0 || p->kind == PROXY_HTTP)
			return fd;
		if (p->kind == PROXY_SOCKS5) {
			n = net_resolve(host, port, addrs, 1, deadline, NULL);
			if (n < 0) {
				net_close(ctx, fd);
				return n;
			}
		}
		n = proxy_tunnel(ctx, fd, p, p->kind == PROXY_SOCKS5 ?
		    addrs[0].text : host, port, deadline, NULL);
		if (n < 0) {
			net_close(ctx, fd);
			return n;
		}
		return fd;
	}
	n = net_resolve(host, port, addrs, HTTP_MAX_ADDRS, deadline, NULL);
	if (n < 0)
		return n;
	for (int i = 0; i < n && i < HTTP_MAX_ADDRS; i++) {
		if (now_ms() >= deadline)
			return NET_ERR_TIMEOUT;
		if ((fd = net_connect(ctx, &addrs[i], deadline)) >= 0)
			return fd;
		if (fd == NET_ERR_CANCELLED)
			break;
	}
	return fd;
}

/* "HTTP/1.x NNN ..." -> NNN, or -1. */
static int
http_status(const char *line)
{
	if (strncmp(line, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)line[7])
	    || line[8] != ' ')
		return -1;
	for (int i = 9; i < 12; i++)
		if (!isdigit((unsigned char)line[i]))
			return -1;
	if (line[12] != '\0' && line[12] != ' ')
		return -1;
	return atoi(line + 9);
}

/* Headers after the status line: Content-Length and chunked. */
static int
http_headers(struct http_rd *rd, size_t *budget, long long *clen,
    int *chunked, time_t *date)
{
	char line[HTTP_MAX_LINE];
	int rc;

	*clen = -1;
	*chunked = 0;
	*date = 0;
	for (;;) {
		char *v, *end;

		if ((rc = rd_line(rd, line, sizeof line, budget)) != 0)
			return rc;
		if (line[0] == '\0')
			return 0;
		if ((v = strchr(line, ':')) == NULL)
			return HTTP_ERR;
		*v++ = '\0';
		v += strspn(v, " \t");
		if (strcasecmp(line, "Content-Length") == 0) {
			long long n;
			if (!isdigit((unsigned char)*v))
				return HTTP_ERR;
			errno = 0;
			n = strtoll(v, &end, 10);
			end += strspn(end, " \t");
			if (errno != 0 || *end != '\0' ||
			    (*clen >= 0 && *clen != n))
				return HTTP_ERR; /* conflicting lengths */
			*clen = n;
		} else if (strcasecmp(line, "Date") == 0) {
			/* Any answer's Date: is a reference for our clock. */
			if (clock_parse_http_date(v, strlen(v), date) != 0)
				*date = 0;
		} else if (strcasecmp(line, "Transfer-Encoding") == 0) {
			if (strcasestr(v, "chunked") != NULL)
				*chunked = 1;
		}
	}
}

static int
http_read_dated(struct net_ctx *ctx, int fd, size_t max_body,
    int64_t deadline, unsigned char **out, size_t *out_len, time_t *date)
{
	struct http_rd *rd;
	struct strbuf resp = { 0 };
	char line[HTTP_MAX_LINE];
	size_t budget = HTTP_MAX_HEAD;
	long long clen;
	int rc, status, chunked;

	*out = NULL;
	*out_len = 0;
	rd = xcalloc(1, sizeof *rd);
	rd->ctx = ctx;
	rd->fd = fd;
	rd->deadline = deadline;
	/* Skip interim 1xx responses; they share the header budget. */
	do {
		if ((rc = rd_line(rd, line, sizeof line, &budget)) != 0)
			goto out;
		if ((status = http_status(line)) < 0) {
			rc = HTTP_ERR;
			goto out;
		}
		if ((rc = http_headers(rd, &budget, &clen, &chunked,
		    date)) != 0)
			goto out;
	} while (status >= 100 && status < 200);
	if (status != 200) {
		rc = HTTP_ERR;
		goto out;
	}

	strbuf_add(&resp, "", 0);
	if (chunked)
		rc = rd_chunked(rd, &resp, max_body);
	else if (clen >= 0) {
		if ((unsigned long long)clen > max_body)
			rc = HTTP_ERR; /* do not even start */
		else
			rc = rd_body(rd, &resp, (size_t)clen, max_body);
	} else
		rc = rd_body(rd, &resp, SIZE_MAX, max_body);
	if (rc != 0)
		goto out;
	*out_len = resp.len;
	*out = (unsigned char *)strbuf_steal(&resp);

out:
	free(rd);
	strbuf_free(&resp);
	return rc;
}

int
http_read_response(struct net_ctx *ctx, int fd, size_t max_body,
    int64_t deadline, unsigned char **out, size_t *out_len)
{
	time_t date;

	return http_read_dated(ctx, fd, max_body, deadline, out, out_len,
	    &date);
}

int
http_fetch(struct net_ctx *ctx, const char *url, const void *body,
    size_t body_len, const char *content_type, size_t max_body,
    int64_t deadline, unsigned char **out, size_t *out_len)
{
	struct strbuf req = { 0 };
	char *host = NULL, *path = NULL;
	int port, fd = -1, rc;

	*out = NULL;
	*out_len = 0;
	if ((rc = http_parse_url(url, &host, &port, &path)) != 0)
		goto out;
	if (content_type != NULL && strpbrk(content_type, "\r\n") != NULL) {
		rc = HTTP_ERR;
		goto out;
	}
	if ((fd = http_connect(ctx, host, port, deadline)) < 0) {
		rc = fd;
		goto out;
	}

	/* Origin form (path only), as HTTP/1.1 servers expect; the host
	 * goes in Host:, bracketed when it is an IPv6 literal. */
	if (ctx->proxy != NULL && ctx->proxy->kind == PROXY_HTTP) {
		/* An HTTP proxy takes the absolute form. */
		int v6 = strchr(host, ':') != NULL;
		strbuf_printf(&req, "%s http://%s%s%s:%d%s HTTP/1.1\r\n",
		    body ? "POST" : "GET", v6 ? "[" : "", host, v6 ? "]" : "",
		    port, path);
		if (ctx->proxy->user != NULL)
			proxy_auth_header(ctx->proxy, &req);
	} else
		strbuf_printf(&req, "%s %s HTTP/1.1\r\n", body ? "POST" :
		    "GET", path);
	if (strchr(host, ':') != NULL)
		strbuf_printf(&req, "Host: [%s]", host);
	else
		strbuf_printf(&req, "Host: %s", host);
	if (port != 80)
		strbuf_printf(&req, ":%d", port);
	strbuf_printf(&req, "\r\nUser-Agent: tlsmedic/%s\r\n"
	    "Accept: */*\r\nConnection: close\r\n", TLSMEDIC_VERSION);
	if (body != NULL)
		strbuf_printf(&req, "Content-Type: %s\r\nContent-Length: %zu\r\n",
		    content_type ? content_type : "application/octet-stream",
		    body_len);
	strbuf_puts(&req, "\r\n");
	if (body != NULL && body_len > 0)
		strbuf_add(&req, body, body_len);
	if ((rc = net_send_all(ctx, fd, req.s, req.len, deadline)) != 0)
		goto out;

	time_t date = 0;
	rc = http_read_dated(ctx, fd, max_body, deadline, out, out_len, &date);
	if (date != 0) {
		char *src = xasprintf("the Date: header of %s", url);
		/* The CA's own servers (OCSP, CRL, AIA) keep good time. */
		clock_log_add(ctx->clock_log, CLOCK_REF_HTTP, CLOCK_POINT, 1,
		    src, date);
		free(src);
	}

out:
	if (fd >= 0)
		net_close(ctx, fd);
	strbuf_free(&req);
	free(host);
	free(path);
	return rc;
}
