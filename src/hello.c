/* hello.c: see hello.h. Byte layouts from RFC 5246 (TLS 1.2), RFC 8446
 * (TLS 1.3), RFC 6101 (SSL 3.0) and RFC 6066 (server_name). Every read of
 * received bytes goes through struct rd, which checks lengths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "hello.h"
#include "netpath.h"
#include "sanitize.h"
#include "suites.h"
#include "util.h"

#define REC_HANDSHAKE 22
#define REC_ALERT 21
#define REC_CCS 20
#define REC_APPDATA 23
#define REC_MAX_LEN (16384 + 2048) /* largest legal TLSCiphertext */

#define HS_SERVER_HELLO 2
#define HS_CERTIFICATE 11
#define HS_SERVER_KX 12
#define HS_CERT_REQUEST 13
#define HS_SERVER_KEY_EXCHANGE 12
#define HS_SERVER_DONE 14
#define HS_CERT_STATUS 22

#define EXT_SERVER_NAME 0x0000
#define EXT_GROUPS 0x000a
#define EXT_POINT_FORMATS 0x000b
#define EXT_STATUS_REQUEST 0x0005
#define EXT_SIG_ALGS 0x000d
#define EXT_PADDING 0x0015
#define EXT_EMS 0x0017
#define EXT_SUPPORTED_VERSIONS 0x002b
#define EXT_PSK_MODES 0x002d
#define EXT_KEY_SHARE 0x0033
#define EXT_RENEGOTIATION 0xff01

/* RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello with this random. */
static const unsigned char hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* x25519, secp256r1, secp384r1, secp521r1, x448, then ffdhe2048..8192:
 * OpenSSL 3's default, with the FFDHE groups last (some servers refuse a
 * hello that names them; HELLO_OFFER_NO_FFDHE ends before them). */
static const uint16_t groups[] = { 0x001d, 0x0017, 0x0018, 0x0019, 0x001e,
	0x0100, 0x0101, 0x0102, 0x0103, 0x0104 };
#define GROUPS_EC 5 /* the first five are elliptic curves */
static const uint16_t browser_groups[] = { 0x001d, 0x0017, 0x0018 };
/* secp192r1, secp224r1, brainpoolP256r1/384r1/512r1: no current client
 * offers them, but a server's certificate may sit on one (weak key). */
static const uint16_t old_groups[] = { 0x0013, 0x0015, 0x001a, 0x001b,
	0x001c };

/* ECDSA, EdDSA, RSA-PSS, RSA PKCS#1 with SHA-2, then SHA-1 ones so old
 * servers with SHA-1-only keys still answer a TLS 1.2 hello. */
static const uint16_t sig_algs[] = { 0x0403, 0x0503, 0x0603, 0x0807, 0x0808,
	0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501,
	0x0601, 0x0303, 0x0301, 0x0402, 0x0203, 0x0201, 0x0202 };
/* Chrome's list (RSA-PSS before PKCS#1, no EdDSA, no DSA), then SHA-1. */
static const uint16_t browser_sig_algs[] = { 0x0403, 0x0804, 0x0401,
	0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201, 0x0203 };

const char *
hello_offer_str(enum hello_offer o)
{
	switch (o) {
	case HELLO_OFFER_NO_FFDHE:
		return "without FFDHE groups";
	case HELLO_OFFER_BROWSER:
		return "with a browser's groups, signature algorithms and "
		    "suites";
	default:
		return "with OpenSSL's usual groups and signature algorithms";
	}
}

void
hello_resp_clear(struct hello_resp *r)
{
	for (size_t i = 0; i < r->ncerts && i < HELLO_MAX_CERTS; i++)
		free(r->certs[i]);
	free(r->staple);
	memset(r, 0, sizeof *r);
}

/* --- building -------------------------------------------------------- */

struct wbuf {
	unsigned char *p;
	size_t len, cap;
	int full;
};

static void
put(struct wbuf *w, const void *src, size_t n)
{
	if (w->full || n > w->cap - w->len) {
		w->full = 1;
		return;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void
put8(struct wbuf *w, unsigned v)
{
	unsigned char b = v & 0xff;
	put(w, &b, 1);
}

static void
put16(struct wbuf *w, unsigned v)
{
	unsigned char b[2] = { (v >> 8) & 0xff, v & 0xff };
	put(w, b, 2);
}

/* Reserve a length field of n bytes; fill it with patch_len() later. */
static size_t
len_open(struct wbuf *w, int n)
{
	size_t at = w->len;
	unsigned char z[3] = { 0 };
	put(w, z, (size_t)n);
	return at;
}

static void
len_close(struct wbuf *w, size_t at, int n)
{
	if (w->full)
		return;
	size_t v = w->len - at - (size_t)n;
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		w->p[at + (size_t)i] = v & 0xff;
}

static void
random_bytes(unsigned char *p, size_t n)
{
	/* Randomness here only keeps servers from seeing replays; a short
	 * read is filled from a weak source rather than failing the probe. */
	ssize_t got = getrandom(p, n, GRND_NONBLOCK);
	for (size_t i = got > 0 ? (size_t)got : 0; i < n; i++)
		p[i] = (unsigned char)(rand() ^ (i * 131));
}

static int
is_ip_literal(const char *s)
{
	/* RFC 6066: server_name carries host names only. */
	size_t digits = 0, dots = 0;
	if (strchr(s, ':') != NULL)
		return 1;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.')
			dots++;
		else
			return 0;
	}
	return digits > 0 && dots == 3;
}

size_t
hello_build(const struct hello_req *req, unsigned char *buf, size_t cap)
{
	return hello_build_groups(req, NULL, 0, buf, cap);
}

size_t
hello_build_groups(const struct hello_req *req, const uint16_t *want,
    size_t nwant, unsigned char *buf, size_t cap)
{
	struct wbuf w = { buf, 0, cap, 0 };
	uint16_t v = req->version;
	int tls13 = v == 0x0304;
	unsigned char rnd[32];

	if (v < 0x0300 || v > 0x0304 || req->nsuites == 0 ||
	    req->nsuites > HELLO_MAX_SUITES || req->suites == NULL)
		return 0;

	/* Record: 0x0301 for TLS (what browsers send, RFC 8446 5.1), SSL 3.0
	 * servers want to see 0x0300. */
	put8(&w, REC_HANDSHAKE);
	put16(&w, v == 0x0300 ? 0x0300 : 0x0301);
	size_t rec = len_open(&w, 2);
	put8(&w, 1); /* client_hello */
	size_t hs = len_open(&w, 3);
	put16(&w, tls13 ? 0x0303 : v);
	random_bytes(rnd, sizeof rnd);
	put(&w, rnd, sizeof rnd);
	if (tls13) {
		/* A session id keeps middleboxes that expect TLS 1.2 calm. */
		put8(&w, 32);
		random_bytes(rnd, sizeof rnd);
		put(&w, rnd, sizeof rnd);
	} else
		put8(&w, 0);
	size_t cs = len_open(&w, 2);
	for (size_t i = 0; i < req->nsuites; i++)
		put16(&w, req->suites[i]);
	if (v == 0x0300)
		put16(&w, 0x00ff); /* renegotiation SCSV: no extensions here */
	len_close(&w, cs, 2);
	put8(&w, 1);
	put8(&w, 0); /* null compression */

	if (v == 0x0300) /* SSL 3.0 servers may choke on extensions */
		goto done;
	size_t exts = len_open(&w, 2);
	if (req->sni != NULL && *req->sni != '\0' && !is_ip_literal(req->sni)) {
		size_t n = strlen(req->sni);
		if (n > 255)
			n = 255;
		put16(&w, EXT_SERVER_NAME);
		put16(&w, (unsigned)n + 5);
		put16(&w, (unsigned)n + 3);
		put8(&w, 0); /* host_name */
		put16(&w, (unsigned)n);
		put(&w, req->sni, n);
	}
	const uint16_t *gl = groups, *sl = sig_algs;
	unsigned ng = sizeof groups / sizeof groups[0];
	unsigned ns = sizeof sig_algs / sizeof sig_algs[0];
	int x25519 = 0;
	if (want != NULL) { /* the group probe's own list (groups.c) */
		gl = want;
		ng = (unsigned)nwant;
	} else if (req->offer == HELLO_OFFER_NO_FFDHE)
		ng = GROUPS_EC;
	else if (req->offer == HELLO_OFFER_BROWSER) {
		gl = browser_groups;
		ng = sizeof browser_groups / sizeof browser_groups[0];
		sl = browser_sig_algs;
		ns = sizeof browser_sig_algs / sizeof browser_sig_algs[0];
	}
	if (ng == 0 || ng > 64)
		return 0;
	unsigned no = req->old_curves && want == NULL ? sizeof old_groups /
	    sizeof old_groups[0] : 0;
	put16(&w, EXT_GROUPS);
	put16(&w, 2 + 2 * (ng + no));
	put16(&w, 2 * (ng + no));
	for (unsigned i = 0; i < ng; i++) {
		put16(&w, gl[i]);
		x25519 |= gl[i] == 0x001d;
	}
	for (unsigned i = 0; i < no; i++)
		put16(&w, old_groups[i]);
	if (!tls13 && req->want_certs && req->offer != HELLO_OFFER_BROWSER) {
		/* Ask for a stapled OCSP response: before TLS 1.3 it comes
		 * in the clear, right after the Certificate (revoke.c). */
		put16(&w, EXT_STATUS_REQUEST);
		put16(&w, 5);
		put8(&w, 1); /* ocsp */
		put16(&w, 0); /* no responder ids */
		put16(&w, 0); /* no extensions */
	}
	if (!tls13) {
		put16(&w, EXT_POINT_FORMATS);
		put16(&w, 2);
		put8(&w, 1);
		put8(&w, 0); /* uncompressed */
		put16(&w, EXT_EMS);
		put16(&w, 0);
		put16(&w, EXT_RENEGOTIATION);
		put16(&w, 1);
		put8(&w, 0);
	}
	if (v >= 0x0303) {
		put16(&w, EXT_SIG_ALGS);
		put16(&w, 2 + 2 * ns);
		put16(&w, 2 * ns);
		for (unsigned i = 0; i < ns; i++)
			put16(&w, sl[i]);
	}
	if (tls13) {
		unsigned char key[32];
		put16(&w, EXT_SUPPORTED_VERSIONS);
		put16(&w, 3);
		put8(&w, 2);
		put16(&w, 0x0304);
		put16(&w, EXT_PSK_MODES);
		put16(&w, 2);
		put8(&w, 1);
		put8(&w, 1); /* psk_dhe_ke */
		/* Any 32 bytes make an X25519 public key; wolfSSL servers
		 * refuse one with bit 255 set (see WOLFSSL-NOTES.md). */
		random_bytes(key, sizeof key);
		key[31] &= 0x7f;
		put16(&w, EXT_KEY_SHARE);
		if (!x25519) { /* no share: ask for a HelloRetryRequest */
			put16(&w, 2);
			put16(&w, 0);
		} else {
			put16(&w, 2 + 4 + 32);
			put16(&w, 4 + 32);
			put16(&w, 0x001d);
			put16(&w, 32);
			put(&w, key, sizeof key);
		}
	}
	/* Some servers (F5) hang on hellos of 256..511 bytes: pad to 512. */
	size_t hslen = w.len - hs - 3 + 4;
	if (!w.full && hslen >= 256 && hslen < 512) {
		size_t pad = 512 - hslen;
		pad = pad >= 4 ? pad - 4 : 0;
		put16(&w, EXT_PADDING);
		put16(&w, (unsigned)pad);
		for (size_t i = 0; i < pad; i++)
			put8(&w, 0);
	}
	len_close(&w, exts, 2);
done:
	len_close(&w, hs, 3);
	len_close(&w, rec, 2);
	if (w.full || w.len - rec - 2 > 16384)
		return 0;
	return w.len;
}

/* --- parsing --------------------------------------------------------- */

struct rd {
	const unsigned char *p;
	size_t len, off;
	int bad; /* a read went past len */
};

static int
rd_need(struct rd *r, size_t n)
{
	if (r->bad || n > r->len - r->off) {
		r->bad = 1;
		return 0;
	}
	return 1;
}

static unsigned
get8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return r->p[r->off++];
}

static unsigned
get16(struct rd *r)
{
	if (!rd_need(r, 2))
		return 0;
	unsigned v = (unsigned)r->p[r->off] << 8 | r->p[r->off + 1];
	r->off += 2;
	return v;
}

static size_t
get24(struct rd *r)
{
	if (!rd_need(r, 3))
		return 0;
	size_t v = (size_t)r->p[r->off] << 16 | (size_t)r->p[r->off + 1] << 8 |
	    r->p[r->off + 2];
	r->off += 3;
	return v;
}

/* A sub-reader over the next n bytes. */
static struct rd
get_sub(struct rd *r, size_t n)
{
	struct rd s = { NULL, 0, 0, 1 };
	if (!rd_need(r, n))
		return s;
	s.p = r->p + r->off;
	s.len = n;
	s.bad = 0;
	r->off += n;
	return s;
}

static int
starts(const unsigned char *buf, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(buf, prefix, n) == 0;
}

/* Not a TLS record: say what it looks like, with the first bytes. */
static void
describe_not_tls(const unsigned char *buf, size_t len, struct hello_resp *resp)
{
	const char *what = "unknown";

	if (starts(buf, len, "HTTP/"))
		what = "HTTP";
	else if (starts(buf, len, "SSH-"))
		what = "SSH";
	else if (starts(buf, len, "220 ") || starts(buf, len, "220-"))
		what = "SMTP/FTP";
	else if (starts(buf, len, "+OK") || starts(buf, len, "-ERR"))
		what = "POP3";
	else if (starts(buf, len, "* OK") || starts(buf, len, "* PREAUTH"))
		what = "IMAP";
	else if (starts(buf, len, "<") || starts(buf, len, "\r\n<"))
		what = "HTML";
	else if (len >= 1 && buf[0] >= 0x20 && buf[0] < 0x7f)
		what = "text";
	resp->kind = HELLO_NOT_TLS;
	size_t show = len < 64 ? len : 64;
	size_t room = sizeof resp->not_tls - strlen(what) - 3;
	char *s = sanitize((const char *)buf, show, room);
	snprintf(resp->not_tls, sizeof resp->not_tls, "%s: %s", what, s);
	free(s);
}

static int
offered(const struct hello_req *req, uint16_t suite)
{
	for (size_t i = 0; i < req->nsuites; i++)
		if (req->suites[i] == suite)
			return 1;
	return 0;
}

/* ServerHello body (after the 4-byte handshake header). Returns 0, or -1
 * when it is malformed. */
static int
parse_server_hello(const struct hello_req *req, struct rd *m,
    struct hello_resp *resp)
{
	uint16_t legacy = (uint16_t)get16(m);
	struct rd rnd = get_sub(m, 32);
	unsigned sidlen = get8(m);
	if (sidlen > 32)
		return -1;
	(void)get_sub(m, sidlen);
	uint16_t suite = (uint16_t)get16(m);
	unsigned comp = get8(m);
	if (m->bad || comp != 0)
		return -1;
	resp->version = legacy;
	resp->suite = suite;
	resp->kind = memcmp(rnd.p, hrr_random, 32) == 0 ?
	    HELLO_RETRY_REQUEST : HELLO_SERVER_HELLO;
	if (m->off < m->len) { /* extensions are optional before TLS 1.3 */
		struct rd exts = get_sub(m, get16(m));
		if (m->bad || m->off != m->len)
			return -1;
		while (exts.off < exts.len) {
			unsigned type = get16(&exts);
			struct rd e = get_sub(&exts, get16(&exts));
			if (exts.bad)
				return -1;
			if (type == EXT_SUPPORTED_VERSIONS) {
				if (e.len != 2)
					return -1;
				resp->version = (uint16_t)get16(&e);
			} else if (type == EXT_SERVER_NAME && e.len == 0)
				resp->sni_acked = 1;
		}
	}
	if (resp->kind == HELLO_RETRY_REQUEST && resp->version != 0x0304)
		return -1;
	/* A suite we did not offer (or the SCSV) is a broken server, or
	 * something in between rewriting the handshake. */
	if (suite == 0x00ff || !offered(req, suite))
		return -1;
	return 0;
}

static int
parse_certificate(struct rd *m, struct hello_resp *resp)
{
	struct rd list = get_sub(m, get24(m));
	if (m->bad || m->off != m->len)
		return -1;
	while (list.off < list.len) {
		struct rd c = get_sub(&list, get24(&list));
		if (list.bad || c.len == 0)
			return -1;
		if (resp->ncerts < HELLO_MAX_CERTS) {
			unsigned char *der = xmalloc(c.len);
			memcpy(der, c.p, c.len);
			resp->certs[resp->ncerts] = der;
			resp->cert_lens[resp->ncerts++] = c.len;
		}
		resp->ncerts_sent++;
	}
	return 0;
}

/* Is this a suite whose key exchange is finite-field Diffie-Hellman? */
static int
suite_is_dhe(uint16_t suite)
{
	const struct suite_info *si = suite_find(suite);
	return si != NULL && (strncmp(si->name, "TLS_DHE_", 8) == 0 ||
	    strncmp(si->name, "TLS_DH_anon_", 12) == 0);
}

/* Significant bits of a big-endian unsigned number. */
static int
bignum_bits(const unsigned char *p, size_t len)
{
	while (len > 0 && *p == 0)
		p++, len--;
	if (len == 0)
		return 0;
	int bits = (int)(len - 1) * 8;
	for (unsigned v = *p; v != 0; v >>= 1)
		bits++;
	return bits;
}

/* ServerKeyExchange (RFC 5246 7.4.3, RFC 8422 5.4): the DH prime p's size
 * or the ECDHE named group. The signature after them is not checked: only
 * the size matters here. Returns 0, or -1 when malformed. */
static int
parse_server_kx(struct rd *m, struct hello_resp *resp)
{
	if (suite_is_dhe(resp->suite)) {
		struct rd p = get_sub(m, get16(m));
		struct rd g = get_sub(m, get16(m));
		struct rd ys = get_sub(m, get16(m));
		if (m->bad || p.len == 0 || g.len == 0 || ys.len == 0)
			return -1;
		resp->dh_bits = bignum_bits(p.p, p.len);
		return 0;
	}
	if (get8(m) == 3) { /* named_curve */
		uint16_t grp = (uint16_t)get16(m);
		if (m->bad)
			return -1;
		resp->kx_group = grp;
	}
	return 0;
}

/* CertificateStatus: status_type ocsp(1), then the DER OCSP response. */
static int
parse_cert_status(struct rd *m, struct hello_resp *resp)
{
	if (get8(m) != 1)
		return 0; /* a type we did not ask for: ignore */
	struct rd ocsp = get_sub(m, get24(m));
	if (m->bad || m->off != m->len || ocsp.len == 0 ||
	    resp->staple != NULL)
		return -1;
	resp->staple = xmalloc(ocsp.len);
	memcpy(resp->staple, ocsp.p, ocsp.len);
	resp->staple_len = ocsp.len;
	return 0;
}

/* The handshake messages reassembled so far, from *off (what earlier
 * calls consumed). Returns 1 done, 0 more wanted, -1 malformed. */
static int
parse_handshakes(const struct hello_req *req, const unsigned char *hs,
    size_t len, size_t *off, struct hello_resp *resp, int *seen_sh)
{
	struct rd r = { hs, len, *off, 0 };

	for (; r.off < r.len; *off = r.off) {
		if (r.len - r.off < 4)
			return 0;
		unsigned type = get8(&r);
		size_t mlen = get24(&r);
		/* Legal up to 16 MB, but no client takes a message this
		 * long (OpenSSL stops at 100 kB of certificates). */
		if (mlen > HELLO_MAX_READ)
			return -1;
		if (mlen > r.len - r.off)
			return 0; /* rest still in flight */
		struct rd m = get_sub(&r, mlen);
		if (!*seen_sh) {
			if (type == 0 && mlen == 0)
				continue; /* HelloRequest: ignore */
			if (type != HS_SERVER_HELLO ||
			    parse_server_hello(req, &m, resp) != 0)
				return -1;
			*seen_sh = 1;
			/* TLS 1.3 encrypts the rest; HRR ends this probe. */
			if (resp->kind == HELLO_RETRY_REQUEST ||
			    resp->version >= 0x0304)
				return 1;
			if (!req->want_certs && !(req->want_kx &&
			    suite_is_dhe(resp->suite)))
				return 1;
			continue;
		}
		switch (type) {
		case HS_CERTIFICATE:
			if (resp->ncerts_sent > 0 ||
			    parse_certificate(&m, resp) != 0)
				return -1;
			break;
		case HS_CERT_REQUEST:
			resp->cert_request = 1;
			break;
		case HS_CERT_STATUS:
			if (parse_cert_status(&m, resp) != 0)
				return -1;
			break;
		case HS_SERVER_KX:
			if (parse_server_kx(&m, resp) != 0)
				return -1;
			if (!req->want_certs)
				return 1;
			break;
		case HS_SERVER_DONE:
			return 1;
		default:
			break;
		}
	}
	return 0;
}

int
hello_parse(const struct hello_req *req, const unsigned char *buf,
    size_t len, struct hello_resp *resp)
{
	struct rd r = { buf, len, 0, 0 };
	unsigned char *hs = NULL;
	size_t hslen = 0, hsoff = 0;
	int seen_sh = 0, rc = 0;

	memset(resp, 0, sizeof *resp);
	resp->kind = HELLO_CLOSED;
	if (len == 0)
		return 0;
	/* The first bytes tell TLS (a record type, then major version 3)
	 * from a server that speaks something else. */
	if ((buf[0] < REC_CCS || buf[0] > REC_APPDATA) ||
	    (len >= 2 && buf[1] != 3)) {
		describe_not_tls(buf, len, resp);
		return 1;
	}
	if (len > HELLO_MAX_READ)
		len = r.len = HELLO_MAX_READ;
	hs = xmalloc(len);
	while (rc == 0 && r.len - r.off >= 5) {
		unsigned type = get8(&r);
		unsigned major = get8(&r);
		(void)get8(&r);
		size_t rlen = get16(&r);
		if (major != 3 || rlen > REC_MAX_LEN) {
			rc = -1;
			break;
		}
		if (rlen > r.len - r.off) {
			r.off -= 5; /* record not complete yet */
			break;
		}
		struct rd body = get_sub(&r, rlen);
		if (type == REC_ALERT) {
			/* Alerts are two bytes, level warning(1) or fatal(2);
			 * anything else in an alert record breaks TLS. */
			int ok = rlen >= 2 && rlen % 2 == 0;
			for (size_t i = 0; ok && i < rlen; i += 2)
				ok = body.p[i] == 1 || body.p[i] == 2;
			if (!ok) {
				rc = -1;
				break;
			}
			resp->alert_level = body.p[0];
			resp->alert_desc = body.p[1];
			/* Warning alerts (e.g. unrecognized_name) may come
			 * before a ServerHello; fatal ones end it. */
			if (resp->alert_level == 2 || seen_sh) {
				rc = 1;
				if (!seen_sh)
					resp->kind = HELLO_ALERT;
			}
			continue;
		}
		if (type != REC_HANDSHAKE || rlen == 0) {
			/* CCS/application data before the ServerHello (or an
			 * empty handshake record) is not a TLS server. After
			 * it, a TLS <= 1.2 resumption would be: stop. */
			rc = seen_sh ? 1 : -1;
			break;
		}
		memcpy(hs + hslen, body.p, rlen);
		hslen += rlen;
		rc = parse_handshakes(req, hs, hslen, &hsoff, resp, &seen_sh);
	}
	free(hs);
	if (rc < 0) {
		for (size_t i = 0; i < resp->ncerts; i++)
			free(resp->certs[i]);
		memset(resp->certs, 0, sizeof resp->certs);
		resp->ncerts = 0;
		resp->kind = HELLO_MALFORMED;
		return 1;
	}
	if (rc == 0 && !seen_sh)
		resp->kind = HELLO_CLOSED;
	return rc;
}

/* --- I/O ------------------------------------------------------------- */

static enum hello_kind
kind_from_net(int err)
{
	switch (err) {
	case NET_ERR_REFUSED:
		return HELLO_REFUSED;
	case NET_ERR_TIMEOUT:
		return HELLO_TIMEOUT;
	case NET_ERR_RESET:
		return HELLO_RESET;
	case NET_ERR_CANCELLED:
		return HELLO_CANCELLED;
	default:
		return HELLO_ERROR;
	}
}

int
hello_probe(struct net_ctx *ctx, const struct net_addr *addr,
    const struct hello_req *req, int64_t deadline, struct hello_resp *resp)
{
	return hello_probe_groups(ctx, addr, req, NULL, 0, deadline, resp);
}

int
hello_probe_groups(struct net_ctx *ctx, const struct net_addr *addr,
    const struct hello_req *req, const uint16_t *want, size_t nwant,
    int64_t deadline, struct hello_resp *resp)
{
	unsigned char out[2048];
	unsigned char *in = NULL;
	size_t n, len = 0, cap = 0;
	int fd, err = 0, done = 0;

	memset(resp, 0, sizeof *resp);
	resp->kind = HELLO_ERROR;
	if ((n = hello_build_groups(req, want, nwant, out, sizeof out)) == 0)
		return 0;
	if ((fd = netpath_open(ctx, addr, deadline)) < 0) {
		resp->kind = kind_from_net(fd);
		resp->net_err = fd;
		return 0;
	}
	if ((err = net_send_all(ctx, fd, out, n, deadline)) != 0)
		goto finish;
	while (!done && len < HELLO_MAX_READ) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 16384;
			if (cap > HELLO_MAX_READ)
				cap = HELLO_MAX_READ;
			in = xrealloc(in, cap);
		}
		ssize_t got = net_recv_some(ctx, fd, in + len, cap - len,
		    deadline);
		if (got <= 0) {
			err = got == 0 ? 0 : (int)got;
			break;
		}
		len += (size_t)got;
		hello_resp_clear(resp);
		done = hello_parse(req, in, len, resp);
	}
	if (done || len >= HELLO_MAX_READ)
		goto out;
finish:
	/* The answer ended early: what we have is the result. */
	if (resp->kind == HELLO_SERVER_HELLO)
		goto out; /* certificates cut short */
	if (resp->alert_level != 0)
		resp->kind = HELLO_ALERT;
	else if (len > 0 && err == 0)
		resp->kind = HELLO_MALFORMED; /* truncated, then FIN */
	else if (err == 0)
		resp->kind = HELLO_CLOSED;
	else {
		resp->kind = kind_from_net(err);
		resp->net_err = err;
	}
out:
	if (len >= HELLO_MAX_READ && !done && resp->kind != HELLO_SERVER_HELLO)
		resp->kind = HELLO_MALFORMED; /* endless stream */
	else if (len >= HELLO_MAX_READ && !done && req->want_certs &&
	    resp->ncerts_sent == 0)
		resp->certs_too_long = 1; /* our bound, not a broken server */
	net_close(ctx, fd);
	free(in);
	return 0;
}
