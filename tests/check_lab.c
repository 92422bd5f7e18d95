/* check_lab.c: the practice lab. Start it, shake hands with every scenario
 * with a wolfSSL client (and raw bytes for TLS 1.0), and check that each
 * server shows exactly its misconfiguration; then stop it and check that
 * it stopped fast and its ports are closed. Loopback only, every wait
 * bounded. */
#include <check.h>
#include <json-c/json.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "finding.h"
#include "lab.h"
#include "lab_priv.h"
#include "util.h"
#include "checkutil.h"

/* Time limits stretch under valgrind (tests/valgrind-run sets this). */
static long
slow_factor(void)
{
	const char *e = getenv("TLSMEDIC_TEST_SLOW");
	long f = e ? atol(e) : 1;
	return f > 0 ? f : 1;
}

#define WAIT_MS (3000 * slow_factor())

static struct lab *lab;

static void
setup(void)
{
	char *cause = NULL;

	wolfSSL_Init();
	lab = lab_start(&cause);
	ck_assert_msg(lab != NULL, "lab_start: %s", cause ? cause : "?");
}

static void
teardown(void)
{
	lab_stop(lab);
	lab = NULL;
	wc_ecc_fp_free();
}

static int
port_of(const char *name, const char **host)
{
	const char *h;
	int port = 0;

	ck_assert_int_eq(lab_target(lab, name, &h, &port), 0);
	ck_assert_int_gt(port, 0);
	if (host != NULL)
		*host = h;
	return port;
}

/* A non-blocking TCP connection to 127.0.0.1:port. */
static int
tcp_connect(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
		.sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

struct hs {
	int ok;            /* handshake completed */
	int err;           /* wolfSSL error when !ok */
	int alert_recv;
	char version[16];
	char suite[64];
	int ncerts;
	char leaf_cn[128];
	char leaf_issuer_cn[128];
	char top_subject_cn[128];
	char top_issuer_cn[128];
	int leaf_after_now;  /* notAfter vs now: >0 later, <0 earlier */
	int leaf_before_now; /* notBefore vs now */
	int read_err;        /* TLS 1.3: error of the first read */
	int read_alert;
	char http[512];      /* the HTTP answer's head, if any */
};

enum method { M_ANY, M_TLS11, M_TLS12, M_TLS13 };

static void
name_cn(WOLFSSL_X509_NAME *n, char *out, size_t cap)
{
	out[0] = '\0';
	if (n != NULL)
		wolfSSL_X509_NAME_get_text_by_NID(n, NID_commonName, out,
		    (int)cap);
}

/* Run a wolfSSL call on the non-blocking fd until done or WAIT_MS. */
static int
drive(WOLFSSL *ssl, int fd, int (*fn)(WOLFSSL *, void *, int), void *buf,
    int n, int64_t deadline)
{
	for (;;) {
		int ret = fn(ssl, buf, n);
		if (ret > 0)
			return ret;
		int e = wolfSSL_get_error(ssl, ret);
		short ev = e == WOLFSSL_ERROR_WANT_READ ? POLLIN :
		    e == WOLFSSL_ERROR_WANT_WRITE ? POLLOUT : 0;
		int64_t left = deadline - now_ms();
		if (ev == 0 || left <= 0)
			return ret;
		struct pollfd pfd = { .fd = fd, .events = ev };
		poll(&pfd, 1, (int)left);
	}
}

static int
do_connect(WOLFSSL *ssl, void *b, int n)
{
	(void)b;
	(void)n;
	return wolfSSL_connect(ssl);
}

static int
do_read(WOLFSSL *ssl, void *b, int n)
{
	return wolfSSL_read(ssl, b, n);
}

static int
do_write(WOLFSSL *ssl, void *b, int n)
{
	return wolfSSL_write(ssl, b, n);
}

/* One handshake. verify: check the chain against the lab's anchors (and
 * the host name when sni is set); else accept anything and look. */
static void
handshake(int port, const char *sni, enum method m, const char *ciphers,
    int verify, int http, struct hs *out)
{
	WOLFSSL_METHOD *meth = m == M_TLS11 ? wolfTLSv1_1_client_method() :
	    m == M_TLS12 ? wolfTLSv1_2_client_method() :
	    m == M_TLS13 ? wolfTLSv1_3_client_method() :
	    wolfSSLv23_client_method();
	WOLFSSL_CTX *ctx = wolfSSL_CTX_new(meth);
	int64_t deadline = now_ms() + WAIT_MS;

	memset(out, 0, sizeof *out);
	out->alert_recv = out->read_alert = -1;
	ck_assert_ptr_nonnull(ctx);
	if (m == M_ANY) /* as browsers: TLS 1.2 or newer */
		ck_assert_int_eq(wolfSSL_CTX_SetMinVersion(ctx,
		    WOLFSSL_TLSV1_2), WOLFSSL_SUCCESS);
	if (ciphers != NULL)
		ck_assert_int_eq(wolfSSL_CTX_set_cipher_list(ctx, ciphers),
		    WOLFSSL_SUCCESS);
	if (verify) {
		const char *pem = lab_root_pem(lab);
		ck_assert_int_eq(wolfSSL_CTX_load_verify_buffer(ctx,
		    (const unsigned char *)pem, (long)strlen(pem),
		    WOLFSSL_FILETYPE_PEM), WOLFSSL_SUCCESS);
		wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
	} else
		wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, NULL);
	WOLFSSL *ssl = wolfSSL_new(ctx);
	ck_assert_ptr_nonnull(ssl);
	if (sni != NULL) {
		ck_assert_int_eq(wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, sni,
		    (unsigned short)strlen(sni)), WOLFSSL_SUCCESS);
		if (verify)
			wolfSSL_check_domain_name(ssl, sni);
	}
	int fd = tcp_connect(port);
	ck_assert_int_ge(fd, 0);
	wolfSSL_set_fd(ssl, fd);
	int ret = drive(ssl, fd, do_connect, NULL, 0, deadline);
	out->ok = ret == WOLFSSL_SUCCESS;
	if (!out->ok)
		out->err = wolfSSL_get_error(ssl, ret);
	WOLFSSL_ALERT_HISTORY ah;
	if (wolfSSL_get_alert_history(ssl, &ah) == WOLFSSL_SUCCESS)
		out->alert_recv = ah.last_rx.code;
	if (out->ok) {
		snprintf(out->version, sizeof out->version, "%s",
		    wolfSSL_get_version(ssl));
		snprintf(out->suite, sizeof out->suite, "%s",
		    wolfSSL_get_cipher_name(ssl));
		WOLFSSL_X509_CHAIN *ch = wolfSSL_get_peer_chain(ssl);
		out->ncerts = ch ? wolfSSL_get_chain_count(ch) : 0;
		for (int i = 0; i < out->ncerts; i++) {
			WOLFSSL_X509 *x = wolfSSL_get_chain_X509(ch, i);
			ck_assert_ptr_nonnull(x);
			if (i == 0) {
				name_cn(wolfSSL_X509_get_subject_name(x),
				    out->leaf_cn, sizeof out->leaf_cn);
				name_cn(wolfSSL_X509_get_issuer_name(x),
				    out->leaf_issuer_cn,
				    sizeof out->leaf_issuer_cn);
				out->leaf_after_now =
				    wolfSSL_X509_cmp_current_time(
				    wolfSSL_X509_get_notAfter(x));
				out->leaf_before_now =
				    wolfSSL_X509_cmp_current_time(
				    wolfSSL_X509_get_notBefore(x));
			}
			if (i == out->ncerts - 1) {
				name_cn(wolfSSL_X509_get_subject_name(x),
				    out->top_subject_cn,
				    sizeof out->top_subject_cn);
				name_cn(wolfSSL_X509_get_issuer_name(x),
				    out->top_issuer_cn,
				    sizeof out->top_issuer_cn);
			}
			wolfSSL_X509_free(x);
		}
		if (http) {
			char req[] = "GET / HTTP/1.1\r\nHost: lab\r\n\r\n";
			drive(ssl, fd, do_write, req, (int)strlen(req),
			    deadline);
		}
		if (http || m == M_TLS13) {
			int n = drive(ssl, fd, do_read, out->http,
			    (int)sizeof out->http - 1, deadline);
			if (n > 0)
				out->http[n] = '\0';
			else {
				out->read_err = wolfSSL_get_error(ssl, n);
				if (wolfSSL_get_alert_history(ssl, &ah) ==
				    WOLFSSL_SUCCESS)
					out->read_alert = ah.last_rx.code;
			}
		}
	}
	wolfSSL_free(ssl);
	close(fd);
	wolfSSL_CTX_free(ctx);
}

START_TEST(lab_table_and_list)
{
	size_t n;
	const struct lab_scenario *sc = lab_scenarios(&n);
	static const char *const want[] = { "healthy", "expired",
		"not-yet-valid", "wrong-host", "self-signed", "untrusted-root",
		"missing-intermediate", "old-protocols", "dhe-only",
		"sni-required", "sni-default-cert", "interception",
		"client-cert" };

	ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(sc[i].name, want[i]);
		ck_assert_ptr_nonnull(sc[i].title);
		if (i == 0)
			ck_assert_str_eq(sc[i].expected, "");
		else
			ck_assert_int_ge(finding_id_parse(sc[i].expected), 0);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	lab_list(f);
	fclose(f);
	size_t lines = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *tab = strchr(line, '\t');
		ck_assert_ptr_nonnull(tab);
		ck_assert_int_eq(strncmp(line, want[lines], strlen(want[lines])),
		    0);
		ck_assert_uint_gt(strlen(tab + 1), 10);
		lines++;
	}
	ck_assert_uint_eq(lines, n);
	free(buf);
}
END_TEST

START_TEST(lab_ports_and_targets)
{
	size_t n;
	const struct lab_scenario *sc = lab_scenarios(&n);
	int ports[32];

	for (size_t i = 0; i < n; i++) {
		const char *host;
		char want[128];
		ports[i] = port_of(sc[i].name, &host);
		snprintf(want, sizeof want, "%s.lab.test", sc[i].name);
		ck_assert_str_eq(host, want);
		for (size_t j = 0; j < i; j++)
			ck_assert_int_ne(ports[i], ports[j]);
	}
	const char *h;
	int p;
	ck_assert_int_eq(lab_target(lab, "no-such", &h, &p), -1);
	ck_assert_ptr_nonnull(strstr(lab_root_pem(lab), "BEGIN CERTIFICATE"));
}
END_TEST

START_TEST(lab_healthy)
{
	const char *host;
	int port = port_of("healthy", &host);
	struct hs r;

	handshake(port, host, M_ANY, NULL, 1, 1, &r);
	ck_assert_msg(r.ok, "healthy: error %d", r.err);
	ck_assert_str_eq(r.version, "TLSv1.3");
	ck_assert_int_eq(r.ncerts, 2); /* leaf + intermediate */
	ck_assert_str_eq(r.leaf_cn, "healthy.lab.test");
	ck_assert_ptr_nonnull(strstr(r.http, "HTTP/1.1 200 OK\r\n"));
	ck_assert_ptr_nonnull(strstr(r.http, "\r\nDate: "));
	handshake(port, host, M_TLS12, NULL, 1, 0, &r);
	ck_assert(r.ok);
	ck_assert_str_eq(r.version, "TLSv1.2");
	handshake(port, host, M_TLS11, NULL, 0, 0, &r);
	ck_assert(!r.ok); /* no legacy versions */
}
END_TEST

START_TEST(lab_dates)
{
	const char *host;
	struct hs r;
	int port = port_of("expired", &host);

	handshake(port, host, M_ANY, NULL, 0, 0, &r);
	ck_assert(r.ok);
	ck_assert_int_lt(r.leaf_after_now, 0);  /* notAfter < now */
	ck_assert_int_lt(r.leaf_before_now, 0); /* and it was valid once */
	handshake(port, host, M_ANY, NULL, 1, 0, &r);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.err, ASN_AFTER_DATE_E);

	port = port_of("not-yet-valid", &host);
	handshake(port, host, M_ANY, NULL, 0, 0, &r);
	ck_assert(r.ok);
	ck_assert_int_gt(r.leaf_before_now, 0); /* notBefore > now */
	handshake(port, host, M_ANY, NULL, 1, 0, &r);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.err, ASN_BEFORE_DATE_E);
}
END_TEST

START_TEST(lab_names_and_chains)
{
	const char *host;
	struct hs r;
	int port = port_of("wrong-host", &host);

	handshake(port, host, M_ANY, NULL, 1, 0, &r);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.err, DOMAIN_NAME_MISMATCH);
	handshake(port, "www.another-site.lab.test", M_ANY, NULL, 1, 0, &r);
	ck_assert_msg(r.ok, "wrong-host's chain itself is fine: %d", r.err);

	port = port_of("self-signed", &host);
	handshake(port, host, M_ANY, NULL, 0, 0, &r);
	ck_assert(r.ok);
	ck_assert_int_eq(r.ncerts, 1);
	ck_assert_str_eq(r.leaf_cn, r.leaf_issuer_cn);
	handshake(port, host, M_ANY, NULL, 1, 0, &r);
	ck_assert(!r.ok);
	ck_assert(r.err == ASN_SELF_SIGNED_E || r.err == ASN_NO_SIGNER_E);

	port = port_of("untrusted-root", &host);
	handshake(port, host, M_ANY, NULL, 0, 0, &r);
	ck_assert(r.ok);
	ck_assert_int_eq(r.ncerts, 2);
	ck_assert_str_eq(r.top_subject_cn, r.top_issuer_cn); /* a root */
	ck_assert_str_eq(r.top_subject_cn, "Unknown Practice Root CA");
	handshake(port, host, M_ANY, NULL, 1, 0, &r);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.err, ASN_NO_SIGNER_E);

	port = port_of("missing-intermediate", &host);
	handshake(port, host, M_ANY, NULL, 0, 0, &r);
	ck_assert(r.ok);
	ck_assert_int_eq(r.ncerts, 1);
	ck_assert_str_eq(r.leaf_issuer_cn, "tlsmedic Lab Intermediate CA");
	handshake(port, host, M_ANY, NULL, 1, 0, &r);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.err, ASN_NO_SIGNER_E);

	port = port_of("interception", &host);
	handshake(port, host, M_ANY, NULL, 1, 0, &r);
	ck_assert_msg(r.ok, "interception root is trusted: %d", r.err);
	ck_assert_int_eq(r.ncerts, 1);
	ck_assert_ptr_nonnull(strstr(r.leaf_issuer_cn, "Web/Mail Shield"));
}
END_TEST

/* A TLS 1.0-only ClientHello by hand (wolfSSL here cannot send one). */
static size_t
tls10_hello(unsigned char *b)
{
	static const unsigned char head[] = { 0x16, 0x03, 0x01, 0x00, 47,
		0x01, 0x00, 0x00, 43, 0x03, 0x01 };
	size_t n = 0;

	memcpy(b, head, sizeof head);
	n = sizeof head;
	memset(b + n, 0x42, 32); /* random */
	n += 32;
	b[n++] = 0;                       /* session id */
	b[n++] = 0;
	b[n++] = 4;                       /* two suites */
	b[n++] = 0xc0;
	b[n++] = 0x14;                    /* ECDHE_RSA_AES_256_CBC_SHA */
	b[n++] = 0x00;
	b[n++] = 0x2f;                    /* RSA_AES_128_CBC_SHA */
	b[n++] = 1;
	b[n++] = 0;                       /* null compression */
	return n;
}

START_TEST(lab_old_protocols)
{
	const char *host;
	struct hs r;
	int port = port_of("old-protocols", &host);

	handshake(port, host, M_TLS11, NULL, 1, 1, &r);
	ck_assert_msg(r.ok, "TLS 1.1 works: %d", r.err);
	ck_assert_str_eq(r.version, "TLSv1.1");
	ck_assert_ptr_nonnull(strstr(r.http, "200 OK"));
	handshake(port, host, M_TLS12, NULL, 0, 0, &r);
	ck_assert(!r.ok);
	handshake(port, host, M_TLS13, NULL, 0, 0, &r);
	ck_assert(!r.ok);
	handshake(port, host, M_ANY, NULL, 0, 0, &r); /* a browser */
	ck_assert(!r.ok);

	/* TLS 1.0: real ServerHello, Certificate, ServerHelloDone. */
	unsigned char hello[128], in[16384];
	size_t n = tls10_hello(hello), len = 0;
	int fd = tcp_connect(port);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(send(fd, hello, n, MSG_NOSIGNAL), (ssize_t)n);
	int64_t deadline = now_ms() + WAIT_MS;
	int done = 0;
	while (!done && len < sizeof in && now_ms() < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, (int)(deadline - now_ms())) <= 0)
			break;
		ssize_t got = recv(fd, in + len, sizeof in - len, 0);
		if (got <= 0)
			break;
		len += (size_t)got;
		/* ServerHelloDone is the last 4 bytes of the flight. */
		done = len >= 4 && memcmp(in + len - 4, "\x0e\0\0\0", 4) == 0;
	}
	close(fd);
	ck_assert_msg(done, "no ServerHelloDone (%zu bytes)", len);
	ck_assert_int_eq(in[0], 0x16);
	ck_assert_int_eq(in[5], 0x02);                  /* ServerHello */
	ck_assert_int_eq((in[9] << 8) | in[10], 0x0301); /* TLS 1.0 */
	size_t sid = in[43];
	ck_assert_int_eq((in[44 + sid] << 8) | in[45 + sid], 0x002f);
	ck_assert_int_eq(in[47 + sid], 0x0b);           /* Certificate */
	ck_assert_int_eq(in[1], 0x03);
	ck_assert_int_eq(in[2], 0x01);
}
END_TEST

START_TEST(lab_dhe_only)
{
	const char *host;
	struct hs r;
	int port = port_of("dhe-only", &host);

	/* What current browsers offer: ECDHE and TLS 1.3 suites. */
	handshake(port, host, M_ANY, "TLS13-AES128-GCM-SHA256:"
	    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:"
	    "ECDHE-RSA-CHACHA20-POLY1305", 0, 0, &r);
	ck_assert(!r.ok);
	handshake(port, host, M_TLS12, "DHE-RSA-AES128-GCM-SHA256", 1, 1, &r);
	ck_assert_msg(r.ok, "DHE works: %d", r.err);
	ck_assert_ptr_nonnull(strstr(r.suite, "DHE-RSA"));
}
END_TEST

START_TEST(lab_sni)
{
	const char *host;
	struct hs r;
	int port = port_of("sni-required", &host);

	handshake(port, NULL, M_ANY, NULL, 0, 0, &r);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.alert_recv, 40); /* handshake_failure */
	handshake(port, host, M_ANY, NULL, 1, 1, &r);
	ck_assert_msg(r.ok, "with SNI it works: %d", r.err);

	port = port_of("sni-default-cert", &host);
	handshake(port, host, M_ANY, NULL, 1, 0, &r);
	ck_assert(r.ok);
	ck_assert_str_eq(r.leaf_cn, "sni-default-cert.lab.test");
	handshake(port, NULL, M_ANY, NULL, 0, 0, &r);
	ck_assert(r.ok);
	ck_assert_str_eq(r.leaf_cn, "default.hosting.lab.test");
	handshake(port, "other.lab.test", M_TLS12, NULL, 0, 0, &r);
	ck_assert(r.ok);
	ck_assert_str_eq(r.leaf_cn, "default.hosting.lab.test");
}
END_TEST

START_TEST(lab_client_cert)
{
	const char *host;
	struct hs r;
	int port = port_of("client-cert", &host);

	handshake(port, host, M_TLS12, NULL, 1, 0, &r);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.alert_recv, 40);
	/* TLS 1.3: the handshake ends, then the server says
	 * certificate_required. */
	handshake(port, host, M_TLS13, NULL, 1, 0, &r);
	ck_assert(r.ok);
	ck_assert_int_eq(r.read_alert, 116);
}
END_TEST

struct par {
	int port;
	const char *host;
	int ok;
};

static void *
par_main(void *arg)
{
	struct par *p = arg;
	struct hs r;

	handshake(p->port, p->host, M_ANY, NULL, 1, 1, &r);
	p->ok = r.ok && strstr(r.http, "200 OK") != NULL;
	wc_ecc_fp_free(); /* per-thread ECC cache */
	return NULL;
}

START_TEST(lab_concurrent)
{
	struct par p[16];
	pthread_t t[16];
	const char *names[2] = { "healthy", "dhe-only" };

	/* Idle connections must not hold anything up. */
	int idle = tcp_connect(port_of("healthy", NULL));
	ck_assert_int_ge(idle, 0);
	int64_t t0 = now_ms();
	for (int i = 0; i < 16; i++) {
		p[i].port = port_of(names[i / 8], &p[i].host);
		ck_assert_int_eq(pthread_create(&t[i], NULL, par_main, &p[i]),
		    0);
	}
	/* Join every thread before any assertion: without fork (valgrind,
	 * CK_FORK=no) a failed assertion would leave them writing into a
	 * finished stack frame. */
	for (int i = 0; i < 16; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 16; i++) {
		ck_assert_msg(p[i].ok, "connection %d", i);
	}
	ck_assert_int_lt(now_ms() - t0, WAIT_MS);
	close(idle);
}
END_TEST

START_TEST(lab_stops_fast)
{
	size_t n;
	const struct lab_scenario *sc = lab_scenarios(&n);
	int ports[32], fds[4];

	for (size_t i = 0; i < n; i++)
		ports[i] = port_of(sc[i].name, NULL);
	/* Clients that connect and say nothing, one mid-handshake. */
	for (int i = 0; i < 4; i++) {
		fds[i] = tcp_connect(ports[i]);
		ck_assert_int_ge(fds[i], 0);
	}
	ck_assert_int_eq(send(fds[0], "\x16\x03\x01\x02\x00\x01", 6,
	    MSG_NOSIGNAL), 6);
	usleep(100 * 1000);
	int64_t t0 = now_ms();
	lab_stop(lab);
	lab = NULL;
	int64_t took = now_ms() - t0;
	ck_assert_msg(took < 1000 * slow_factor(), "lab_stop took %lld ms",
	    (long long)took);
	for (size_t i = 0; i < n; i++) {
		int fd = tcp_connect(ports[i]);
		ck_assert_msg(fd < 0, "port %d still open", ports[i]);
	}
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	/* A second lab starts fine after the first stopped. */
	char *cause = NULL;
	lab = lab_start(&cause);
	ck_assert_ptr_nonnull(lab);
}
END_TEST

/* End to end: the real diagnosis against every scenario finds exactly
 * what the scenario promises (lab_run_batch judges; the JSON shows it). */
START_TEST(lab_diagnosis_finds_each_problem)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int64_t t0 = now_ms();
	int st = lab_run_batch(lab, NULL, 1, f);
	fclose(f);
	int64_t took = now_ms() - t0;

	ck_assert_msg(st == 0, "lab_run_batch: %d (see stderr)", st);
	ck_assert_int_lt(took, 15000);
	json_object *arr = json_tokener_parse(buf);
	ck_assert_ptr_nonnull(arr);
	size_t n;
	const struct lab_scenario *sc = lab_scenarios(&n);
	ck_assert_uint_eq(json_object_array_length(arr), n);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(arr, i), *v, *fs;
		ck_assert(json_object_object_get_ex(r, "scenario", &v));
		ck_assert_str_eq(json_object_get_string(v), sc[i].name);
		ck_assert(json_object_object_get_ex(r, "verdict", &v));
		ck_assert(json_object_object_get_ex(r, "findings", &fs));
		if (*sc[i].expected == '\0') {
			ck_assert_str_eq(json_object_get_string(v), "ok");
			continue;
		}
		ck_assert_str_eq(json_object_get_string(v), "problems");
		int seen = 0;
		for (size_t j = 0; j < json_object_array_length(fs); j++) {
			json_object *fo = json_object_array_get_idx(fs, j), *id,
			    *sev;
			json_object_object_get_ex(fo, "id", &id);
			json_object_object_get_ex(fo, "severity", &sev);
			if (strcmp(json_object_get_string(id), sc[i].expected)
			    == 0)
				seen = 1;
			else
				ck_assert_msg(strcmp(json_object_get_string(
				    sev), "info") == 0, "%s: also %s",
				    sc[i].name, json_object_get_string(id));
		}
		ck_assert_msg(seen, "%s: no %s", sc[i].name, sc[i].expected);
	}
	json_object_put(arr);
	free(buf);

	/* One scenario by name; an unknown name is a usage error. */
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(lab_run_batch(lab, "expired", 0, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "expired.lab.test"));
	ck_assert_ptr_null(strstr(buf, "healthy.lab.test"));
	free(buf);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(lab_run_batch(lab, "no-such", 0, f), 2);
	fclose(f);
	free(buf);
}
END_TEST

/* The ClientHello parser reads bytes from any local client: every
 * truncation and byte flip of a real hello must be refused or parsed,
 * never read out of bounds (run under ASan to see it). */
START_TEST(lab_hello_parse_edge)
{
	unsigned char b[256];
	size_t n = tls10_hello(b);
	struct lab_hello h;

	/* Add extensions: supported_versions (GREASE, 1.3, 1.2) and
	 * renegotiation_info. */
	static const unsigned char ext[] = { 0x00, 20, 0x00, 0x2b, 0x00, 7, 6,
		0x1a, 0x1a, 0x03, 0x04, 0x03, 0x03, 0xff, 0x01, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x00 };
	memcpy(b + n, ext, sizeof ext);
	n += sizeof ext;
	b[3] = (unsigned char)((n - 5) >> 8);
	b[4] = (unsigned char)(n - 5);
	b[6] = 0;
	b[7] = (unsigned char)((n - 9) >> 8);
	b[8] = (unsigned char)(n - 9);
	ck_assert_int_eq(lab_hello_parse(b, n, &h), 0);
	ck_assert_int_eq(h.max_version, 0x0304);
	ck_assert_uint_eq(h.nsuites, 2);
	ck_assert_int_eq(h.secure_reneg, 1);

	n = tls10_hello(b);
	ck_assert_int_eq(lab_hello_parse(b, n, &h), 0);
	ck_assert_int_eq(h.max_version, 0x0301);
	ck_assert_int_eq(h.secure_reneg, 0);
	for (size_t len = 0; len < n; len++) {
		unsigned char *cut = malloc(len ? len : 1);
		memcpy(cut, b, len);
		ck_assert_int_eq(lab_hello_parse(cut, len, &h), -1);
		free(cut);
	}
	srand(7);
	for (int i = 0; i < 20000; i++) {
		unsigned char f[256];
		memcpy(f, b, n);
		f[rand() % n] = (unsigned char)rand();
		f[rand() % n] = (unsigned char)rand();
		unsigned char *heap = malloc(n);
		memcpy(heap, f, n);
		if (lab_hello_parse(heap, n, &h) == 0)
			ck_assert(h.suites == NULL || (h.suites >= heap &&
			    h.suites + 2 * h.nsuites <= heap + n));
		free(heap);
	}
}
END_TEST

int
main(void)
{
	/* Make the lab's RSA key once, here: every forked case inherits it
	 * and starts its lab in milliseconds. */
	char *cause = NULL;
	/* wolfSSL's default send has no MSG_NOSIGNAL. */
	signal(SIGPIPE, SIG_IGN);
	lab_stop(lab_start(&cause));
	free(cause);

	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, lab_table_and_list);
	tcase_add_test(tc, lab_hello_parse_edge);
	suite_add_tcase(s, tc);
	tc = tcase_create("servers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, lab_ports_and_targets);
	tcase_add_test(tc, lab_healthy);
	tcase_add_test(tc, lab_dates);
	tcase_add_test(tc, lab_names_and_chains);
	tcase_add_test(tc, lab_old_protocols);
	tcase_add_test(tc, lab_dhe_only);
	tcase_add_test(tc, lab_sni);
	tcase_add_test(tc, lab_client_cert);
	tcase_add_test(tc, lab_concurrent);
	tcase_add_test(tc, lab_stops_fast);
	suite_add_tcase(s, tc);
	tc = tcase_create("diagnosis");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, lab_diagnosis_finds_each_problem);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
