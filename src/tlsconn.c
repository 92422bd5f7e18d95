/* tlsconn.c: one wolfSSL handshake over our own non-blocking socket I/O.
 * See tlsconn.h. wolfSSL never owns the socket: its read/write callbacks
 * are ours, so every wait has our deadline, the cancel flag is honoured,
 * and we can tell FIN from RST and keep the first bytes as evidence. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfio.h>

#include "clock.h"
#include "netpath.h"
#include "ownfail.h"
#include "tlsconn.h"
#include "util.h"

#define HTTP_MAX_HEAD 16384 /* bytes of HTTP response head we read at most */
#define HTTP_PROBE_MS 3000  /* longest wait for that head */

struct tls_io {
	struct net_ctx *ctx;
	int fd;
	struct tls_result *res;
	int64_t deadline;
	int want; /* POLLIN / POLLOUT the last callback blocked on */
};

static int
io_recv(WOLFSSL *ssl, char *buf, int sz, void *arg)
{
	struct tls_io *io = arg;
	ssize_t n;

	(void)ssl;
	if (atomic_load(&io->ctx->cancelled))
		return WOLFSSL_CBIO_ERR_GENERAL;
	n = recv(io->fd, buf, (size_t)sz, 0);
	if (n > 0) {
		struct tls_result *r = io->res;
		size_t keep = sizeof r->first - r->nfirst;
		if (keep > (size_t)n)
			keep = (size_t)n;
		memcpy(r->first + r->nfirst, buf, keep);
		r->nfirst += keep;
		atomic_fetch_add(&io->ctx->bytes_in, n);
		return (int)n;
	}
	if (n == 0) {
		io->res->peer_closed = 1;
		return WOLFSSL_CBIO_ERR_CONN_CLOSE;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		io->want = POLLIN;
		return WOLFSSL_CBIO_ERR_WANT_READ;
	}
	if (errno == ECONNRESET) {
		io->res->peer_reset = 1;
		return WOLFSSL_CBIO_ERR_CONN_RST;
	}
	return WOLFSSL_CBIO_ERR_GENERAL;
}

static int
io_send(WOLFSSL *ssl, char *buf, int sz, void *arg)
{
	struct tls_io *io = arg;
	ssize_t n;

	(void)ssl;
	if (atomic_load(&io->ctx->cancelled))
		return WOLFSSL_CBIO_ERR_GENERAL;
	n = send(io->fd, buf, (size_t)sz, MSG_NOSIGNAL);
	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		io->want = POLLOUT;
		return WOLFSSL_CBIO_ERR_WANT_WRITE;
	}
	if (errno == ECONNRESET || errno == EPIPE) {
		io->res->peer_reset = 1;
		return WOLFSSL_CBIO_ERR_CONN_RST;
	}
	return WOLFSSL_CBIO_ERR_GENERAL;
}

/* Called when a CertificateRequest arrived: we have no certificate to give,
 * which is the point -- we only note that one was asked for. */
static int
on_client_cert(WOLFSSL *ssl, WOLFSSL_X509 **x509, WOLFSSL_EVP_PKEY **pkey)
{
	struct tls_io *io = wolfSSL_GetIOReadCtx(ssl);

	(void)x509;
	(void)pkey;
	if (io != NULL)
		io->res->cert_request = 1;
	return 0;
}

/* Drive one wolfSSL operation (connect, read, write) to completion or the
 * deadline. op returns wolfSSL's usual SSL_SUCCESS / >0 or error. */
static int
tls_drive(WOLFSSL *ssl, struct tls_io *io, int (*op)(WOLFSSL *, void *, int),
    void *buf, int len)
{
	for (;;) {
		int ret = op(ssl, buf, len);
		if (ret > 0)
			return ret;
		int err = wolfSSL_get_error(ssl, ret);
		if (err != WOLFSSL_ERROR_WANT_READ &&
		    err != WOLFSSL_ERROR_WANT_WRITE)
			return err < 0 ? err : -1;
		short ev = err == WOLFSSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN;
		int w = net_wait(io->ctx, io->fd, ev, io->deadline);
		if (w < 0)
			return w == NET_ERR_CANCELLED ? -2000 : -1000;
	}
}

static int
op_connect(WOLFSSL *ssl, void *buf, int len)
{
	(void)buf;
	(void)len;
	return wolfSSL_connect(ssl);
}

static int
op_read(WOLFSSL *ssl, void *buf, int len)
{
	return wolfSSL_read(ssl, buf, len);
}

static int
op_write(WOLFSSL *ssl, void *buf, int len)
{
	return wolfSSL_write(ssl, buf, len);
}

static WOLFSSL_METHOD *
tls_method(int version)
{
	switch (version) {
	case PROTO_TLS11:
		return wolfTLSv1_1_client_method();
	case PROTO_TLS12:
		return wolfTLSv1_2_client_method();
	case PROTO_TLS13:
		return wolfTLSv1_3_client_method();
	default:
		return wolfSSLv23_client_method();
	}
}

static void
collect_chain(WOLFSSL *ssl, struct tls_result *res)
{
	WOLFSSL_X509_CHAIN *ch = wolfSSL_get_peer_chain(ssl);
	int n = ch ? wolfSSL_get_chain_count(ch) : 0;

	for (int i = 0; i < n && res->ncerts < TLS_MAX_CERTS; i++) {
		int len = wolfSSL_get_chain_length(ch, i);
		unsigned char *der = wolfSSL_get_chain_cert(ch, i);
		if (der == NULL || len <= 0)
			continue;
		res->certs[res->ncerts] = xmalloc((size_t)len);
		memcpy(res->certs[res->ncerts], der, (size_t)len);
		res->cert_lens[res->ncerts++] = (size_t)len;
	}
}

/* Find "Date:" in an HTTP response head (case-insensitive) and parse it. */
static void
http_head_parse(const char *head, size_t len, struct tls_result *res)
{
	int major, minor, status;

	if (len < 12 || sscanf(head, "HTTP/%d.%d %3d", &major, &minor,
	    &status) != 3)
		return;
	res->http_status = status;
	for (const char *p = head; p < head + len;) {
		const char *eol = memchr(p, '\n', (size_t)(head + len - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(head + len - p);
		if (l > 5 && strncasecmp(p, "Date:", 5) == 0) {
			const char *v = p + 5;
			size_t vl = l - 5;
			while (vl > 0 && (*v == ' ' || *v == '\t'))
				v++, vl--;
			while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			time_t t;
			if (clock_parse_http_date(v, vl, &t) == 0)
				res->http_date = t;
			return;
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
}

/* After the handshake: ask for the HTTP head. This gives the server's
 * Date: (a clock reference) and, with TLS 1.3, is where a server that
 * wants a client certificate says so (alert 116). */
static void
http_probe(WOLFSSL *ssl, struct tls_io *io, const struct tls_req *req)
{
	/* GET, not HEAD: some servers (openssl s_server -www) only answer
	 * GET. We stop reading at the end of the head anyway. */
	char *rq = xasprintf("GET / HTTP/1.1\r\nHost: %s\r\n"
	    "User-Agent: tlsmedic/%s\r\nAccept: */*\r\nConnection: close\r\n\r\n",
	    req->http_host ? req->http_host : "localhost", TLSMEDIC_VERSION);
	char *head = xmalloc(HTTP_MAX_HEAD + 1);
	size_t len = 0;

	/* A server that does not speak HTTP may stay silent: the probe gets
	 * a short bound of its own, not the whole connection deadline. */
	int64_t cap = now_ms() + HTTP_PROBE_MS;
	if (cap < io->deadline)
		io->deadline = cap;
	if (tls_drive(ssl, io, op_write, rq, (int)strlen(rq)) <= 0)
		goto out;
	while (len < HTTP_MAX_HEAD) {
		int n = tls_drive(ssl, io, op_read, head + len,
		    (int)(HTTP_MAX_HEAD - len));
		if (n <= 0)
			break;
		len += (size_t)n;
		head[len] = '\0';
		if ((len >= 5 && strncmp(head, "HTTP/", 5) != 0) ||
		    strstr(head, "\r\n\r\n") != NULL ||
		    strstr(head, "\n\n") != NULL)
			break;
	}
	http_head_parse(head, len, io->res);
out:
	free(rq);
	free(head);
}

static void
note_alerts(WOLFSSL *ssl, struct tls_result *res)
{
	WOLFSSL_ALERT_HISTORY h;

	if (wolfSSL_get_alert_history(ssl, &h) == WOLFSSL_SUCCESS) {
		res->alert_recv = h.last_rx.code;
		res->alert_sent = h.last_tx.code;
	}
}

void
tls_global_init(void)
{
	wolfSSL_Init();
}

int
tls_handshake(struct net_ctx *ctx, const struct net_addr *addr,
    const struct tls_req *req, int timeout_ms, struct tls_result *res)
{
	struct tls_io io = { .ctx = ctx, .res = res, .fd = -1 };
	WOLFSSL_CTX *wctx = NULL;
	WOLFSSL *ssl = NULL;
	int ret;

	memset(res, 0, sizeof *res);
	res->alert_recv = res->alert_sent = -1;
	io.deadline = now_ms() + timeout_ms;

	io.fd = netpath_open(ctx, addr, io.deadline);
	if (io.fd < 0) {
		res->net_err = io.fd;
		return 0;
	}
	/* The deadline is per connection: start it once we are connected
	 * (and hold a slot), so waiting for a slot costs no handshake time. */
	io.deadline = now_ms() + timeout_ms;

	wctx = wolfSSL_CTX_new(tls_method(req->version));
	if (wctx == NULL)
		goto fail;
	if (req->version < 0)
		wolfSSL_CTX_SetMinVersion(wctx, WOLFSSL_TLSV1_2);
	/* Verification happens offline in chain.c, all problems at once. */
	wolfSSL_CTX_set_verify(wctx, WOLFSSL_VERIFY_NONE, NULL);
	wolfSSL_CTX_SetIORecv(wctx, io_recv);
	wolfSSL_CTX_SetIOSend(wctx, io_send);
	wolfSSL_CTX_set_client_cert_cb(wctx, on_client_cert);
	ssl = wolfSSL_new(wctx);
	if (ssl == NULL)
		goto fail;
	wolfSSL_SetIOReadCtx(ssl, &io);
	wolfSSL_SetIOWriteCtx(ssl, &io);
	if (req->sni != NULL)
		wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, req->sni,
		    (unsigned short)strlen(req->sni));
	if (req->http_probe) {
		char alpn[] = "http/1.1";
		wolfSSL_UseALPN(ssl, alpn, sizeof alpn - 1,
		    WOLFSSL_ALPN_CONTINUE_ON_MISMATCH);
	}
	if (req->staple)
		wolfSSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
	if (req->ec_groups_only) {
		static const word16 ec[] = { WOLFSSL_ECC_X25519,
			WOLFSSL_ECC_SECP256R1, WOLFSSL_ECC_SECP384R1,
			WOLFSSL_ECC_SECP521R1 };
		for (size_t i = 0; i < sizeof ec / sizeof ec[0]; i++)
			wolfSSL_UseSupportedCurve(ssl, ec[i]);
	}

	ret = tls_drive(ssl, &io, op_connect, NULL, 0);
	note_alerts(ssl, res);
	collect_chain(ssl, res);
	if (ret <= 0) {
		if (ret == -1000 || ret == -2000) {
			res->net_err = ret == -1000 ? NET_ERR_TIMEOUT :
			    NET_ERR_CANCELLED;
			snprintf(res->err_text, sizeof res->err_text,
			    "%s", net_strerror(res->net_err));
		} else {
			res->wolf_err = ret;
			(void)ownfail_wolf(ret);
			wolfSSL_ERR_error_string_n((unsigned long)ret,
			    res->err_text, sizeof res->err_text);
		}
		goto done;
	}
	res->ok = 1;
	res->version = (uint16_t)wolfSSL_version(ssl);
	{
		WOLFSSL_CIPHER *c = wolfSSL_get_current_cipher(ssl);
		const char *iana = NULL;
		int cs = wolfSSL_get_current_cipher_suite(ssl);
		iana = wolfSSL_get_cipher_name_iana_from_suite(
		    (unsigned char)(cs >> 8), (unsigned char)cs);
		snprintf(res->suite, sizeof res->suite, "%s",
		    iana && strcmp(iana, "None") != 0 ? iana :
		    c ? wolfSSL_CIPHER_get_name(c) : "unknown");
	}
	if (req->staple) {
		unsigned char *resp = NULL;
		long n = wolfSSL_get_tlsext_status_ocsp_resp(ssl, &resp);
		if (n > 0 && resp != NULL && n < 1 << 20) {
			res->staple = xmalloc((size_t)n);
			memcpy(res->staple, resp, (size_t)n);
			res->staple_len = (size_t)n;
		}
	}
	if (req->http_probe) {
		http_probe(ssl, &io, req);
		note_alerts(ssl, res);
		if (res->alert_recv == 116) /* certificate_required */
			res->cert_required = 1;
	}
	goto done;
fail:
	/* Not the server's doing: out of memory or of descriptors for
	 * wolfSSL's random source (ownfail.h). */
	ownfail_note("the TLS library could not be set up (out of memory "
	    "or of open files)");
	res->wolf_err = -1;
	snprintf(res->err_text, sizeof res->err_text, "wolfSSL set-up failed");
done:
	if (ssl != NULL)
		wolfSSL_free(ssl);
	if (wctx != NULL)
		wolfSSL_CTX_free(wctx);
	net_close(ctx, io.fd);
	return 0;
}

void
tls_result_clear(struct tls_result *r)
{
	for (size_t i = 0; i < r->ncerts; i++)
		free(r->certs[i]);
	free(r->staple);
	memset(r, 0, sizeof *r);
}
