/* lab.c: the practice lab (--demo). One small TLS server per scenario on
 * 127.0.0.1, ports picked by the OS, living in threads of this process.
 *
 * One acceptor thread polls every listening socket and a wake-up pipe; each
 * accepted connection gets a worker thread with its own deadline. Workers
 * wait in slices of STOP_SLICE_MS so lab_stop() can end everything within
 * a second. wolfSSL never owns a socket: it reads and writes through our
 * callbacks, which first hand out the ClientHello we peeked at to route
 * the connection (SNI, TLS 1.0). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/dh.h>
#include <wolfssl/wolfcrypt/ecc.h>

#include "lab.h"
#include "lab_priv.h"
#include "util.h"

#define CONN_MS 10000      /* one connection's whole life */
#define STOP_SLICE_MS 100  /* how often a waiting worker looks at stop */
#define MAX_WORKERS 512    /* connections served at once, all servers */
#define LINGER_MS 1000     /* waiting for the client to hang up */
#define PRE_MAX (16384 + 2048 + 5) /* one record, the largest legal */

enum lab_kind {
	KIND_TLS,        /* a wolfSSL server */
	KIND_SNI_SWITCH, /* picks its certificate by the SNI it gets */
	KIND_OLD,        /* TLS 1.0 by hand, TLS 1.1 by wolfSSL */
};

enum vers { V_MODERN, V_TLS12, V_TLS11 };

#define CIPHERS_MODERN                                                   \
	"TLS13-AES128-GCM-SHA256:TLS13-AES256-GCM-SHA384:"               \
	"TLS13-CHACHA20-POLY1305-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:"  \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"   \
	"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"       \
	"ECDHE-RSA-CHACHA20-POLY1305"
#define CIPHERS_OLD "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA"
#define CIPHERS_DHE                                                      \
	"DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"           \
	"DHE-RSA-CHACHA20-POLY1305"

static const struct {
	struct lab_scenario sc;
	enum lab_kind kind;
	enum lab_cred_id cred;
	enum vers vers;
	const char *ciphers;
	int sni_required;
	int client_cert;
} table[] = {
	{ { "healthy", "A healthy site (nothing wrong)", "" },
	  KIND_TLS, LAB_CRED_HEALTHY, V_MODERN, CIPHERS_MODERN, 0, 0 },
	{ { "expired", "A site whose certificate has expired",
	    "cert.expired" },
	  KIND_TLS, LAB_CRED_EXPIRED, V_MODERN, CIPHERS_MODERN, 0, 0 },
	{ { "not-yet-valid", "A site whose certificate is not valid yet",
	    "cert.not_yet_valid" },
	  KIND_TLS, LAB_CRED_NOT_YET_VALID, V_MODERN, CIPHERS_MODERN, 0, 0 },
	{ { "wrong-host", "A site that shows another site's certificate",
	    "cert.hostname" },
	  KIND_TLS, LAB_CRED_WRONG_HOST, V_MODERN, CIPHERS_MODERN, 0, 0 },
	{ { "self-signed", "A site with a self-signed certificate",
	    "cert.self_signed" },
	  KIND_TLS, LAB_CRED_SELF_SIGNED, V_MODERN, CIPHERS_MODERN, 0, 0 },
	{ { "untrusted-root",
	    "A site whose certificate comes from an unknown authority",
	    "cert.untrusted_root" },
	  KIND_TLS, LAB_CRED_UNTRUSTED_ROOT, V_MODERN, CIPHERS_MODERN, 0, 0 },
	{ { "missing-intermediate",
	    "A site that does not send its intermediate certificate",
	    "cert.chain.incomplete" },
	  KIND_TLS, LAB_CRED_MISSING_INTERMEDIATE, V_MODERN, CIPHERS_MODERN,
	  0, 0 },
	{ { "old-protocols", "A server that only speaks TLS 1.0 and 1.1",
	    "protocol.mismatch" },
	  KIND_OLD, LAB_CRED_OLD_PROTOCOLS, V_TLS11, CIPHERS_OLD, 0, 0 },
	{ { "dhe-only", "A server that only offers DHE cipher suites",
	    "cipher.mismatch" },
	  KIND_TLS, LAB_CRED_DHE_ONLY, V_TLS12, CIPHERS_DHE, 0, 0 },
	{ { "sni-required",
	    "A server that hangs up on clients that send no server name",
	    "sni.required" },
	  KIND_TLS, LAB_CRED_SNI_REQUIRED, V_MODERN, CIPHERS_MODERN, 1, 0 },
	{ { "sni-default-cert",
	    "A shared host that shows another certificate without SNI",
	    "sni.default_cert" },
	  KIND_SNI_SWITCH, LAB_CRED_SNI_DEFAULT, V_MODERN, CIPHERS_MODERN, 0,
	  0 },
	{ { "interception",
	    "An antivirus that inspects your secure connections",
	    "mitm.interception" },
	  KIND_TLS, LAB_CRED_INTERCEPTION, V_MODERN, CIPHERS_MODERN, 0, 0 },
	{ { "client-cert", "A server that demands a client certificate",
	    "client_cert.required" },
	  KIND_TLS, LAB_CRED_CLIENT_CERT, V_MODERN, CIPHERS_MODERN, 0, 1 },
};
#define NSCEN (sizeof table / sizeof table[0])

static struct lab_scenario scenarios[NSCEN];
static pthread_once_t scenarios_once = PTHREAD_ONCE_INIT;

static void
scenarios_init(void)
{
	for (size_t i = 0; i < NSCEN; i++)
		scenarios[i] = table[i].sc;
}

const struct lab_scenario *
lab_scenarios(size_t *n)
{
	pthread_once(&scenarios_once, scenarios_init);
	*n = NSCEN;
	return scenarios;
}

void
lab_list(FILE *out)
{
	for (size_t i = 0; i < NSCEN; i++)
		fprintf(out, "%s\t%s\n", table[i].sc.name, table[i].sc.title);
}

struct lab_server {
	size_t idx;           /* into table[] */
	int fd;
	int port;
	char host[96];        /* "<name>.lab.test" */
	WOLFSSL_CTX *ctx;
	WOLFSSL_CTX *ctx_alt; /* without SNI (KIND_SNI_SWITCH) */
	const struct lab_cred *cred;
};

struct lab {
	struct lab_pki pki;
	struct lab_server srv[NSCEN];
	pthread_t acceptor;
	int acceptor_started;
	int wake[2];
	atomic_int stopping;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int workers; /* running worker threads, under lock */
};

struct conn {
	struct lab *lab;
	struct lab_server *srv;
	int fd;
	int64_t deadline;
	unsigned char pre[PRE_MAX]; /* what we read before wolfSSL starts */
	size_t prelen, preoff;
};

/* Wait for fd to be ready; 1 ready, 0 stopped, timed out or error. */
static int
conn_wait(struct conn *c, short events)
{
	for (;;) {
		if (atomic_load(&c->lab->stopping))
			return 0;
		int64_t left = c->deadline - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd pfd = { .fd = c->fd, .events = events };
		int n = poll(&pfd, 1, left < STOP_SLICE_MS ? (int)left :
		    STOP_SLICE_MS);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return 0;
	}
}

/* Read exactly n more bytes into the preread buffer, by the deadline. */
static int
conn_preread(struct conn *c, size_t n)
{
	while (n > 0) {
		if (!conn_wait(c, POLLIN))
			return -1;
		ssize_t r = recv(c->fd, c->pre + c->prelen, n, 0);
		if (r == 0)
			return -1;
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -1;
		}
		c->prelen += (size_t)r;
		n -= (size_t)r;
	}
	return 0;
}

static int
io_recv(WOLFSSL *ssl, char *buf, int sz, void *arg)
{
	struct conn *c = arg;
	(void)ssl;

	if (c->preoff < c->prelen) {
		size_t n = c->prelen - c->preoff;
		if (n > (size_t)sz)
			n = (size_t)sz;
		memcpy(buf, c->pre + c->preoff, n);
		c->preoff += n;
		return (int)n;
	}
	ssize_t r = recv(c->fd, buf, (size_t)sz, 0);
	if (r > 0)
		return (int)r;
	if (r == 0)
		return WOLFSSL_CBIO_ERR_CONN_CLOSE;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return WOLFSSL_CBIO_ERR_WANT_READ;
	if (errno == EINTR)
		return WOLFSSL_CBIO_ERR_ISR;
	if (errno == ECONNRESET)
		return WOLFSSL_CBIO_ERR_CONN_RST;
	return WOLFSSL_CBIO_ERR_GENERAL;
}

static int
io_send(WOLFSSL *ssl, char *buf, int sz, void *arg)
{
	struct conn *c = arg;
	(void)ssl;

	/* MSG_NOSIGNAL: a client that resets must not kill the process. */
	ssize_t r = send(c->fd, buf, (size_t)sz, MSG_NOSIGNAL);
	if (r >= 0)
		return (int)r;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return WOLFSSL_CBIO_ERR_WANT_WRITE;
	if (errno == EINTR)
		return WOLFSSL_CBIO_ERR_ISR;
	if (errno == ECONNRESET || errno == EPIPE)
		return WOLFSSL_CBIO_ERR_CONN_RST;
	return WOLFSSL_CBIO_ERR_GENERAL;
}

/* Drive one wolfSSL call to completion: >0 done, <=0 failed. */
#define SSL_DRIVE(c, ssl, call, ret)                                      \
	do {                                                              \
		for (;;) {                                                \
			(ret) = (call);                                   \
			if ((ret) > 0)                                    \
				break;                                    \
			int e_ = wolfSSL_get_error((ssl), (ret));         \
			short ev_ = e_ == WOLFSSL_ERROR_WANT_READ ?       \
			    POLLIN : e_ == WOLFSSL_ERROR_WANT_WRITE ?     \
			    POLLOUT : 0;                                  \
			if (ev_ == 0 || !conn_wait((c), ev_)) {           \
				(ret) = -1;                               \
				break;                                    \
			}                                                 \
		}                                                         \
	} while (0)

/* After the handshake, answer one HTTP request so that the diagnosis can
 * read a Date: header (its clock check) and a browser sees a page. */
static void
conn_http(struct conn *c, WOLFSSL *ssl)
{
	char req[4096], date[64], *resp;
	size_t len = 0;
	int ret, head;
	time_t now = time(NULL);
	struct tm tm;

	while (len < sizeof req - 1) {
		SSL_DRIVE(c, ssl, wolfSSL_read(ssl, req + len,
		    (int)(sizeof req - 1 - len)), ret);
		if (ret <= 0)
			return;
		len += (size_t)ret;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	head = strncmp(req, "HEAD ", 5) == 0;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	const char *title = table[c->srv->idx].sc.title;
	char *body = xasprintf("tlsmedic practice lab: %s\n", title);
	resp = xasprintf("HTTP/1.1 200 OK\r\nDate: %s\r\nServer: tlsmedic-lab"
	    "\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", date,
	    strlen(body), head ? "" : body);
	SSL_DRIVE(c, ssl, wolfSSL_write(ssl, resp, (int)strlen(resp)), ret);
	free(body);
	free(resp);
}

/* wolfSSL 5.5 drops a TLS 1.2 client that sent no certificate without an
 * alert; real servers (OpenSSL, nginx) say handshake_failure. Say it for
 * wolfSSL, in clear text: the server's side is not encrypted yet. */
static void
conn_alert_no_cert(struct conn *c, WOLFSSL *ssl)
{
	WOLFSSL_ALERT_HISTORY ah;
	int v = wolfSSL_version(ssl);
	unsigned char rec[7] = { 0x15, (unsigned char)(v >> 8),
		(unsigned char)v, 0x00, 0x02, 0x02, 40 };

	if (v < TLS1_VERSION || v > TLS1_2_VERSION)
		return; /* TLS 1.3 answers certificate_required itself */
	if (wolfSSL_get_alert_history(ssl, &ah) == WOLFSSL_SUCCESS &&
	    ah.last_tx.code >= 0)
		return;
	if (conn_wait(c, POLLOUT))
		send(c->fd, rec, sizeof rec, MSG_NOSIGNAL);
}

static void
conn_tls(struct conn *c, WOLFSSL_CTX *ctx)
{
	WOLFSSL *ssl = wolfSSL_new(ctx);
	int ret;

	if (ssl == NULL)
		return;
	wolfSSL_SSLSetIORecv(ssl, io_recv);
	wolfSSL_SSLSetIOSend(ssl, io_send);
	wolfSSL_SetIOReadCtx(ssl, c);
	wolfSSL_SetIOWriteCtx(ssl, c);
	SSL_DRIVE(c, ssl, wolfSSL_accept(ssl), ret);
	if (ret <= 0 && wolfSSL_get_error(ssl, 0) == NO_PEER_CERT)
		conn_alert_no_cert(c, ssl);
	if (ret > 0) {
		conn_http(c, ssl);
		wolfSSL_shutdown(ssl); /* one try: close_notify, no wait */
	}
	wolfSSL_free(ssl);
}

/* The TLS 1.0 side of old-protocols: wolfSSL here has no TLS 1.0, so a
 * client that offers nothing newer gets our hand-made answer. */
static void
conn_tls10(struct conn *c, const struct lab_hello *h)
{
	size_t len, off = 0;
	unsigned char *out = lab_tls10_answer(h, c->srv->cred, &len);
	char sink[4096];

	while (off < len && conn_wait(c, POLLOUT)) {
		ssize_t r = send(c->fd, out + off, len - off, MSG_NOSIGNAL);
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			break;
		if (r > 0)
			off += (size_t)r;
	}
	free(out);
	/* Wait for the client's next move (it cannot make one: we know no
	 * more TLS 1.0); conn_linger() then closes. */
	while (conn_wait(c, POLLIN)) {
		ssize_t r = recv(c->fd, sink, sizeof sink, 0);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			break;
		if (r > 0) {
			static const unsigned char fail[7] = { 0x15, 0x03, 0x01,
				0x00, 0x02, 0x02, 40 };
			send(c->fd, fail, sizeof fail, MSG_NOSIGNAL);
			break;
		}
	}
}

static void
conn_serve(struct conn *c)
{
	struct lab_server *s = c->srv;
	WOLFSSL_CTX *ctx = s->ctx;

	/* Peek at the first record: a ClientHello says where to go. */
	if (conn_preread(c, 5) != 0)
		return;
	if (c->pre[0] == 0x16) {
		size_t n = ((size_t)c->pre[3] << 8) | c->pre[4];
		if (n > PRE_MAX - 5 || conn_preread(c, n) != 0)
			return;
	}
	if (table[s->idx].kind == KIND_SNI_SWITCH) {
		unsigned char name[256];
		unsigned int nlen = sizeof name - 1;
		int got = wolfSSL_SNI_GetFromBuffer(c->pre,
		    (unsigned int)c->prelen, WOLFSSL_SNI_HOST_NAME, name, &nlen);
		if (got != WOLFSSL_SUCCESS || nlen != strlen(s->host) ||
		    strncasecmp((char *)name, s->host, nlen) != 0)
			ctx = s->ctx_alt;
	} else if (table[s->idx].kind == KIND_OLD) {
		struct lab_hello h;
		if (lab_hello_parse(c->pre, c->prelen, &h) == 0 &&
		    h.max_version <= 0x0301) {
			conn_tls10(c, &h);
			return;
		}
	}
	conn_tls(c, ctx);
}

/* Close gently: send FIN, then read what the client still sends until it
 * closes too (bounded). Closing with unread bytes would send a reset that
 * can overtake our last alert, and the client would see "reset" instead
 * of the server's real answer. */
static void
conn_linger(struct conn *c)
{
	char sink[4096];
	int64_t until = now_ms() + LINGER_MS;

	shutdown(c->fd, SHUT_WR);
	if (c->deadline > until)
		c->deadline = until;
	while (conn_wait(c, POLLIN)) {
		ssize_t r = recv(c->fd, sink, sizeof sink, 0);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			break;
	}
}

static void *
conn_main(void *arg)
{
	struct conn *c = arg;
	struct lab *l = c->lab;

	conn_serve(c);
	conn_linger(c);
	close(c->fd);
	free(c);
	/* wolfSSL's ECC point cache (FP_ECC) is per thread and is not freed
	 * when the thread ends: several MB per connection otherwise. */
	wc_ecc_fp_free();
	pthread_mutex_lock(&l->lock);
	l->workers--;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

static void
lab_accept(struct lab *l, struct lab_server *s)
{
	int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	pthread_attr_t attr;
	pthread_t t;

	if (fd < 0) {
		/* Out of descriptors: the socket stays readable, so pause
		 * rather than spin until workers give some back. */
		if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
			usleep(20 * 1000);
		return;
	}
	pthread_mutex_lock(&l->lock);
	if (l->workers >= MAX_WORKERS) {
		pthread_mutex_unlock(&l->lock);
		close(fd);
		return;
	}
	l->workers++;
	pthread_mutex_unlock(&l->lock);

	struct conn *c = xcalloc(1, sizeof *c);
	c->lab = l;
	c->srv = s;
	c->fd = fd;
	c->deadline = now_ms() + CONN_MS;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	if (pthread_create(&t, &attr, conn_main, c) != 0) {
		close(fd);
		free(c);
		pthread_mutex_lock(&l->lock);
		l->workers--;
		pthread_cond_broadcast(&l->cond);
		pthread_mutex_unlock(&l->lock);
	}
	pthread_attr_destroy(&attr);
}

static void *
acceptor_main(void *arg)
{
	struct lab *l = arg;
	struct pollfd pfd[NSCEN + 1];

	for (size_t i = 0; i < NSCEN; i++)
		pfd[i] = (struct pollfd){ .fd = l->srv[i].fd, .events = POLLIN };
	pfd[NSCEN] = (struct pollfd){ .fd = l->wake[0], .events = POLLIN };
	while (!atomic_load(&l->stopping)) {
		if (poll(pfd, NSCEN + 1, 1000) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < NSCEN; i++)
			if (pfd[i].revents & POLLIN)
				lab_accept(l, &l->srv[i]);
	}
	return NULL;
}

static int
listen_loopback(int *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);

	if (fd < 0)
		return -1;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static WOLFSSL_CTX *
ctx_make(size_t idx, const struct lab_cred *cr, const struct lab_pki *pki)
{
	WOLFSSL_METHOD *m;
	WOLFSSL_CTX *ctx;

	switch (table[idx].vers) {
	case V_TLS11:
		m = wolfTLSv1_1_server_method();
		break;
	case V_TLS12:
		m = wolfTLSv1_2_server_method();
		break;
	default:
		m = wolfSSLv23_server_method();
		break;
	}
	if ((ctx = wolfSSL_CTX_new(m)) == NULL)
		return NULL;
	if (table[idx].vers == V_MODERN &&
	    wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_TLSV1_2) != WOLFSSL_SUCCESS)
		goto fail;
	if (wolfSSL_CTX_use_certificate_chain_buffer(ctx,
	    (const unsigned char *)cr->pem, (long)strlen(cr->pem)) !=
	    WOLFSSL_SUCCESS ||
	    wolfSSL_CTX_use_PrivateKey_buffer(ctx, cr->key, (long)cr->key_len,
	    WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS ||
	    wolfSSL_CTX_set_cipher_list(ctx, table[idx].ciphers) !=
	    WOLFSSL_SUCCESS)
		goto fail;
	if (strncmp(table[idx].ciphers, "DHE-", 4) == 0) {
		const DhParams *dh = wc_Dh_ffdhe2048_Get();
		if (dh == NULL || wolfSSL_CTX_SetTmpDH(ctx, dh->p, (int)dh->p_len,
		    dh->g, (int)dh->g_len) != WOLFSSL_SUCCESS)
			goto fail;
	}
	if (table[idx].sni_required) {
		const char *name = NULL;
		char buf[96];
		snprintf(buf, sizeof buf, "%s.%s", table[idx].sc.name,
		    LAB_DOMAIN);
		name = buf;
		if (wolfSSL_CTX_UseSNI(ctx, WOLFSSL_SNI_HOST_NAME, name,
		    (unsigned short)strlen(name)) != WOLFSSL_SUCCESS)
			goto fail;
		wolfSSL_CTX_SNI_SetOptions(ctx, WOLFSSL_SNI_HOST_NAME,
		    WOLFSSL_SNI_ABORT_ON_ABSENCE);
	}
	if (table[idx].client_cert) {
		if (wolfSSL_CTX_load_verify_buffer(ctx,
		    (const unsigned char *)pki->root_pem,
		    (long)strlen(pki->root_pem), WOLFSSL_FILETYPE_PEM) !=
		    WOLFSSL_SUCCESS)
			goto fail;
		wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER |
		    WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	} else
		wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, NULL);
	return ctx;
fail:
	wolfSSL_CTX_free(ctx);
	return NULL;
}

static void
lab_free(struct lab *l)
{
	for (size_t i = 0; i < NSCEN; i++) {
		if (l->srv[i].fd >= 0)
			close(l->srv[i].fd);
		if (l->srv[i].ctx != NULL)
			wolfSSL_CTX_free(l->srv[i].ctx);
		if (l->srv[i].ctx_alt != NULL)
			wolfSSL_CTX_free(l->srv[i].ctx_alt);
	}
	if (l->wake[0] >= 0)
		close(l->wake[0]);
	if (l->wake[1] >= 0)
		close(l->wake[1]);
	lab_pki_free(&l->pki);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->cond);
	free(l);
	wolfSSL_Cleanup();
}

struct lab *
lab_start(char **cause)
{
	struct lab *l = xcalloc(1, sizeof *l);

	wolfSSL_Init(); /* counted: pairs with wolfSSL_Cleanup in lab_free */
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
	atomic_init(&l->stopping, 0);
	l->wake[0] = l->wake[1] = -1;
	for (size_t i = 0; i < NSCEN; i++)
		l->srv[i].fd = -1;
	if (pipe2(l->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		l->wake[0] = l->wake[1] = -1;
		*cause = xasprintf("cannot start the lab: %s", strerror(errno));
		goto fail;
	}
	if (lab_pki_make(&l->pki, time(NULL), cause) != 0)
		goto fail;
	wc_ecc_fp_free(); /* this thread's cache, filled by signing */
	for (size_t i = 0; i < NSCEN; i++) {
		struct lab_server *s = &l->srv[i];
		s->idx = i;
		s->cred = &l->pki.cred[table[i].cred];
		snprintf(s->host, sizeof s->host, "%s.%s", table[i].sc.name,
		    LAB_DOMAIN);
		s->ctx = ctx_make(i, s->cred, &l->pki);
		if (s->ctx != NULL && table[i].kind == KIND_SNI_SWITCH)
			s->ctx_alt = ctx_make(i,
			    &l->pki.cred[LAB_CRED_SNI_DEFAULT_OTHER], &l->pki);
		if (s->ctx == NULL || (table[i].kind == KIND_SNI_SWITCH &&
		    s->ctx_alt == NULL)) {
			*cause = xasprintf("cannot set up the %s server",
			    table[i].sc.name);
			goto fail;
		}
		if ((s->fd = listen_loopback(&s->port)) < 0) {
			*cause = xasprintf("cannot listen on 127.0.0.1: %s",
			    strerror(errno));
			goto fail;
		}
	}
	if (pthread_create(&l->acceptor, NULL, acceptor_main, l) != 0) {
		*cause = xstrdup("cannot start the lab's thread");
		goto fail;
	}
	l->acceptor_started = 1;
	return l;
fail:
	lab_free(l);
	return NULL;
}

void
lab_stop(struct lab *l)
{
	struct timespec ts;
	int left;

	if (l == NULL)
		return;
	atomic_store(&l->stopping, 1);
	if (write(l->wake[1], "x", 1) < 0) {
		/* the acceptor still sees stopping within its poll timeout */
	}
	if (l->acceptor_started)
		pthread_join(l->acceptor, NULL);
	/* Close the ports now: nobody may connect to a stopped lab. */
	for (size_t i = 0; i < NSCEN; i++) {
		close(l->srv[i].fd);
		l->srv[i].fd = -1;
	}
	/* Workers see stopping within STOP_SLICE_MS; bound the wait anyway. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 1;
	pthread_mutex_lock(&l->lock);
	while (l->workers > 0)
		if (pthread_cond_timedwait(&l->cond, &l->lock, &ts) != 0)
			break;
	left = l->workers;
	pthread_mutex_unlock(&l->lock);
	if (left > 0)
		return; /* a worker is stuck: leak rather than pull its CTX */
	lab_free(l);
}

int
lab_target(const struct lab *l, const char *scenario, const char **host,
    int *port)
{
	if (l == NULL || scenario == NULL)
		return -1;
	for (size_t i = 0; i < NSCEN; i++) {
		if (strcmp(table[i].sc.name, scenario) == 0) {
			*host = l->srv[i].host;
			*port = l->srv[i].port;
			return 0;
		}
	}
	return -1;
}

const char *
lab_root_pem(const struct lab *l)
{
	return l->pki.anchors_pem;
}
