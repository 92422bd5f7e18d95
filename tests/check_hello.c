/* check_hello.c: the ClientHello builder and the reply parser, on crafted
 * bytes (no network): lengths, truncation, extension overruns, alerts,
 * HelloRetryRequest, split records, certificates, and non-TLS replies. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "suites.h"
#include "checkutil.h"

static const uint16_t s12[] = { 0xc02f, 0xc030, 0x009c };
static const uint16_t s13[] = { 0x1301, 0x1302, 0x1303 };

/* --- a little reader for what hello_build wrote ---------------------- */

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Finds extension type in a built hello; returns its body or NULL. */
static const unsigned char *
find_ext(const unsigned char *b, size_t len, unsigned type, size_t *elen)
{
	size_t off = 5 + 4 + 2 + 32;
	off += 1 + b[off];            /* session id */
	off += 2 + be16(b + off);     /* suites */
	off += 1 + b[off];            /* compression */
	if (off + 2 > len)
		return NULL;
	size_t end = off + 2 + be16(b + off);
	ck_assert_uint_eq(end, len);
	for (off += 2; off + 4 <= end;) {
		unsigned t = be16(b + off), l = be16(b + off + 2);
		ck_assert_uint_le(off + 4 + l, end);
		if (t == type) {
			*elen = l;
			return b + off + 4;
		}
		off += 4 + l;
	}
	return NULL;
}

START_TEST(build_tls12)
{
	struct hello_req req = { .version = 0x0303, .suites = s12, .nsuites = 3,
	    .sni = "example.org", .want_certs = 0 };
	unsigned char b[2048];
	size_t n = hello_build(&req, b, sizeof b), el;

	ck_assert_uint_gt(n, 50);
	ck_assert_uint_eq(b[0], 22);
	ck_assert_uint_eq(be16(b + 1), 0x0301);
	ck_assert_uint_eq(be16(b + 3), n - 5);
	ck_assert_uint_eq(b[5], 1);
	ck_assert_uint_eq(((size_t)b[6] << 16 | be16(b + 7)), n - 9);
	ck_assert_uint_eq(be16(b + 9), 0x0303);
	ck_assert_uint_eq(b[43], 0); /* no session id */
	ck_assert_uint_eq(be16(b + 44), 6);
	ck_assert_uint_eq(be16(b + 46), 0xc02f);
	ck_assert_uint_eq(be16(b + 50), 0x009c);
	const unsigned char *e = find_ext(b, n, 0x0000, &el);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(el, 5 + 11);
	ck_assert_int_eq(memcmp(e + 5, "example.org", 11), 0);
	e = find_ext(b, n, 0x000a, &el);
	ck_assert_ptr_nonnull(e); /* groups: x25519 first, ffdhe2048 in */
	ck_assert_uint_eq(be16(e + 2), 0x001d);
	int ffdhe = 0;
	for (size_t i = 2; i + 1 < el; i += 2)
		ffdhe |= be16(e + i) == 0x0100;
	ck_assert(ffdhe);
	ck_assert_ptr_nonnull(find_ext(b, n, 0x000b, &el));
	ck_assert_ptr_nonnull(find_ext(b, n, 0x000d, &el));
	ck_assert_ptr_nonnull(find_ext(b, n, 0xff01, &el));
	ck_assert_ptr_null(find_ext(b, n, 0x002b, &el));
	ck_assert_ptr_null(find_ext(b, n, 0x0033, &el));
}
END_TEST

START_TEST(build_tls13)
{
	struct hello_req req = { .version = 0x0304, .suites = s13, .nsuites = 3,
	    .sni = "example.org", .want_certs = 0 };
	unsigned char b[2048];
	size_t el;

	for (int i = 0; i < 64; i++) { /* the key is random: try often */
		size_t n = hello_build(&req, b, sizeof b);
		ck_assert_uint_gt(n, 0);
		ck_assert_uint_eq(be16(b + 9), 0x0303); /* legacy_version */
		ck_assert_uint_eq(b[43], 32);           /* session id */
		const unsigned char *e = find_ext(b, n, 0x002b, &el);
		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq(el, 3);
		ck_assert_uint_eq(e[0], 2);
		ck_assert_uint_eq(be16(e + 1), 0x0304); /* only 1.3 */
		e = find_ext(b, n, 0x0033, &el);
		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq(el, 2 + 4 + 32);
		ck_assert_uint_eq(be16(e + 2), 0x001d);
		ck_assert_uint_eq(be16(e + 4), 32);
		ck_assert_uint_eq(e[6 + 31] & 0x80, 0); /* bit 255 clear */
		ck_assert_ptr_nonnull(find_ext(b, n, 0x002d, &el));
		ck_assert_ptr_nonnull(find_ext(b, n, 0x000d, &el));
	}
}
END_TEST

START_TEST(build_ssl3_and_limits)
{
	struct hello_req req = { .version = 0x0300, .suites = s12, .nsuites = 3,
	    .sni = "example.org", .want_certs = 0 };
	unsigned char b[2048];
	size_t n = hello_build(&req, b, sizeof b);

	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(be16(b + 1), 0x0300);
	ck_assert_uint_eq(be16(b + 9), 0x0300);
	ck_assert_uint_eq(be16(b + 44), 8); /* 3 suites + SCSV */
	ck_assert_uint_eq(be16(b + 52), 0x00ff);
	ck_assert_uint_eq(n, 5 + 4 + 2 + 32 + 1 + 2 + 8 + 2); /* no exts */

	req.version = 0x0303;
	ck_assert_uint_eq(hello_build(&req, b, 40), 0); /* cap too small */
	req.nsuites = 0;
	ck_assert_uint_eq(hello_build(&req, b, sizeof b), 0);
	req.nsuites = HELLO_MAX_SUITES + 1;
	ck_assert_uint_eq(hello_build(&req, b, sizeof b), 0);
	req.nsuites = 3;
	req.version = 0x0305;
	ck_assert_uint_eq(hello_build(&req, b, sizeof b), 0);
	/* An address is no server name. */
	req.version = 0x0303;
	req.sni = "192.0.2.1";
	size_t el;
	n = hello_build(&req, b, sizeof b);
	ck_assert_ptr_null(find_ext(b, n, 0x0000, &el));
	/* Hellos of 256..511 bytes are padded to 512. */
	uint16_t many[120];
	size_t nm = suite_list_for(0x0303, many, 120);
	req.suites = many;
	req.nsuites = 100 < nm ? 100 : nm;
	n = hello_build(&req, b, sizeof b);
	ck_assert_uint_eq(n - 5, 512);
}
END_TEST

/* --- crafted server replies ------------------------------------------ */

struct bytes {
	unsigned char b[70000];
	size_t n;
};

static void
add(struct bytes *x, const void *p, size_t n)
{
	ck_assert_uint_le(x->n + n, sizeof x->b);
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

static void
add8(struct bytes *x, unsigned v)
{
	unsigned char c = v;
	add(x, &c, 1);
}

static void
add16(struct bytes *x, unsigned v)
{
	add8(x, v >> 8);
	add8(x, v & 0xff);
}

static void
add24(struct bytes *x, size_t v)
{
	add8(x, (v >> 16) & 0xff);
	add16(x, v & 0xffff);
}

/* A ServerHello handshake message; exts may be NULL. */
static void
server_hello(struct bytes *m, unsigned version, unsigned suite, int hrr,
    const struct bytes *exts)
{
	static const unsigned char hrr_rnd[32] = { 0xcf, 0x21, 0xad, 0x74,
		0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65,
		0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
		0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c };
	unsigned char rnd[32];

	memset(rnd, 0x5a, sizeof rnd);
	add8(m, 2);
	add24(m, 2 + 32 + 1 + 2 + 1 + (exts ? 2 + exts->n : 0));
	add16(m, version);
	add(m, hrr ? hrr_rnd : rnd, 32);
	add8(m, 0);
	add16(m, suite);
	add8(m, 0);
	if (exts) {
		add16(m, exts->n);
		add(m, exts->b, exts->n);
	}
}

static void
record(struct bytes *out, unsigned type, const unsigned char *p, size_t n)
{
	add8(out, type);
	add16(out, 0x0303);
	add16(out, n);
	add(out, p, n);
}

static struct bytes *
bnew(void)
{
	return calloc(1, sizeof(struct bytes));
}

START_TEST(parse_server_hello_and_truncation)
{
	struct hello_req req = { .version = 0x0303, .suites = s12, .nsuites = 3,
	    .sni = NULL, .want_certs = 0 };
	struct bytes *m = bnew(), *r = bnew(), *e = bnew();
	struct hello_resp resp;

	add16(e, 0x0000); /* empty server_name: the SNI was seen */
	add16(e, 0);
	server_hello(m, 0x0303, 0xc030, 0, e);
	record(r, 22, m->b, m->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_SERVER_HELLO);
	ck_assert_uint_eq(resp.version, 0x0303);
	ck_assert_uint_eq(resp.suite, 0xc030);
	ck_assert_int_eq(resp.sni_acked, 1);
	hello_resp_clear(&resp);
	/* Every prefix: "more, please", never a crash or a verdict. */
	for (size_t i = 0; i < r->n; i++) {
		ck_assert_int_eq(hello_parse(&req, r->b, i, &resp), 0);
		ck_assert_int_eq(resp.kind, HELLO_CLOSED);
		hello_resp_clear(&resp);
	}
	free(m), free(r), free(e);
}
END_TEST

START_TEST(parse_malformed)
{
	struct hello_req req = { .version = 0x0303, .suites = s12, .nsuites = 3,
	    .sni = NULL, .want_certs = 0 };
	struct bytes *m, *r, *e;
	struct hello_resp resp;

	/* A suite we did not offer. */
	m = bnew(), r = bnew();
	server_hello(m, 0x0303, 0x0005, 0, NULL);
	record(r, 22, m->b, m->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);
	free(m), free(r);

	/* An extension longer than the extensions block. */
	m = bnew(), r = bnew(), e = bnew();
	add16(e, 0x002b);
	add16(e, 40);
	add16(e, 0x0304);
	server_hello(m, 0x0303, 0xc02f, 0, e);
	record(r, 22, m->b, m->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);
	free(m), free(r), free(e);

	/* A message body shorter than its fields (length says 10). */
	r = bnew();
	unsigned char short_sh[] = { 2, 0, 0, 10, 3, 3, 1, 2, 3, 4, 5, 6, 7,
		8 };
	record(r, 22, short_sh, sizeof short_sh);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);
	free(r);

	/* A record longer than TLS allows. */
	unsigned char big[] = { 22, 3, 3, 0xff, 0xff, 2 };
	ck_assert_int_eq(hello_parse(&req, big, sizeof big, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);

	/* ChangeCipherSpec before any ServerHello. */
	unsigned char ccs[] = { 20, 3, 3, 0, 1, 1 };
	ck_assert_int_eq(hello_parse(&req, ccs, sizeof ccs, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);

	/* A first handshake message that is not a ServerHello. */
	unsigned char cert_first[] = { 22, 3, 3, 0, 7, 11, 0, 0, 3, 0, 0, 0 };
	ck_assert_int_eq(hello_parse(&req, cert_first, sizeof cert_first,
	    &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);
}
END_TEST

START_TEST(parse_tls13_and_hrr)
{
	struct hello_req req = { .version = 0x0304, .suites = s13, .nsuites = 3,
	    .sni = NULL, .want_certs = 0 };
	struct bytes *m = bnew(), *r = bnew(), *e = bnew();
	struct hello_resp resp;

	add16(e, 0x002b);
	add16(e, 2);
	add16(e, 0x0304);
	server_hello(m, 0x0303, 0x1302, 0, e);
	record(r, 22, m->b, m->n);
	/* The encrypted rest follows: must not matter. */
	unsigned char appdata[40] = { 0 };
	record(r, 20, (const unsigned char *)"\1", 1);
	record(r, 23, appdata, sizeof appdata);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_SERVER_HELLO);
	ck_assert_uint_eq(resp.version, 0x0304);
	ck_assert_uint_eq(resp.suite, 0x1302);

	m->n = r->n = 0;
	server_hello(m, 0x0303, 0x1303, 1, e);
	record(r, 22, m->b, m->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_RETRY_REQUEST);
	ck_assert_uint_eq(resp.version, 0x0304);
	ck_assert_uint_eq(resp.suite, 0x1303);

	/* An HRR without supported_versions is broken. */
	m->n = r->n = 0;
	server_hello(m, 0x0303, 0x1303, 1, NULL);
	record(r, 22, m->b, m->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);
	free(m), free(r), free(e);
}
END_TEST

START_TEST(parse_alerts)
{
	struct hello_req req = { .version = 0x0303, .suites = s12, .nsuites = 3,
	    .sni = "example.org", .want_certs = 0 };
	struct hello_resp resp;
	unsigned char fatal[] = { 21, 3, 3, 0, 2, 2, 40 };

	ck_assert_int_eq(hello_parse(&req, fatal, sizeof fatal, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_ALERT);
	ck_assert_int_eq(resp.alert_level, 2);
	ck_assert_int_eq(resp.alert_desc, 40);

	/* Truncated alert record: wait. Alert of length 1: broken. */
	ck_assert_int_eq(hello_parse(&req, fatal, 6, &resp), 0);
	unsigned char one[] = { 21, 3, 3, 0, 1, 2 };
	ck_assert_int_eq(hello_parse(&req, one, sizeof one, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);

	/* Warning unrecognized_name, then a ServerHello: both kept. */
	struct bytes *m = bnew(), *r = bnew();
	unsigned char warn[] = { 1, 112 };
	record(r, 21, warn, 2);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 0);
	ck_assert_int_eq(resp.alert_level, 1);
	ck_assert_int_eq(resp.alert_desc, 112);
	server_hello(m, 0x0303, 0xc02f, 0, NULL);
	record(r, 22, m->b, m->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_SERVER_HELLO);
	ck_assert_int_eq(resp.alert_desc, 112);
	free(m), free(r);
}
END_TEST

/* ServerKeyExchange: the DHE prime's size, the ECDHE group; alerts that
 * are not whole two-byte alerts are malformed. */
START_TEST(parse_server_kx)
{
	static const uint16_t dhe[] = { 0x009e, 0xc02f };
	struct hello_req req = { .version = 0x0303, .suites = dhe,
	    .nsuites = 2, .want_kx = 1 };
	struct hello_resp resp;
	struct bytes *m = bnew(), *r = bnew(), *k = bnew();

	/* p of 128 bytes with a leading 0x00 and a 0x7f: 127 * 8 - 1 bits */
	add8(k, 12);
	add24(k, 2 + 128 + 2 + 1 + 2 + 4 + 4);
	add16(k, 128);
	add8(k, 0);
	add8(k, 0x7f);
	for (int i = 0; i < 126; i++)
		add8(k, 0xff);
	add16(k, 1);
	add8(k, 2);
	add16(k, 4);
	add(k, "yyyy", 4);
	add(k, "\x04\x01\x00\x00", 4); /* signature: not checked */
	server_hello(m, 0x0303, 0x009e, 0, NULL);
	record(r, 22, m->b, m->n);
	/* want_kx: a DHE suite reads on to the key exchange */
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 0);
	record(r, 22, k->b, k->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_SERVER_HELLO);
	ck_assert_int_eq(resp.dh_bits, 1015);

	/* A p length past the message: malformed. */
	r->n = 0;
	record(r, 22, m->b, m->n);
	k->b[4] = 0x01; /* p length 0x180 > what follows */
	record(r, 22, k->b, k->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);

	/* ECDHE: the group; an ECDHE pick without want_certs stops at
	 * the ServerHello. */
	m->n = r->n = k->n = 0;
	server_hello(m, 0x0303, 0xc02f, 0, NULL);
	record(r, 22, m->b, m->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.dh_bits, 0);
	req.want_certs = 1;
	add8(k, 12);
	add24(k, 4 + 4);
	add8(k, 3);
	add16(k, 0x0017);
	add8(k, 4);
	add(k, "abcd", 4);
	record(r, 22, k->b, k->n);
	unsigned char done[] = { 14, 0, 0, 0 };
	record(r, 22, done, sizeof done);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_SERVER_HELLO);
	ck_assert_uint_eq(resp.kx_group, 0x0017);
	hello_resp_clear(&resp);

	/* An alert record with junk after the alert: malformed. */
	unsigned char junk[] = { 21, 3, 3, 0, 4, 2, 40, 0x1b, 0x5b };
	ck_assert_int_eq(hello_parse(&req, junk, sizeof junk, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);
	free(m), free(r), free(k);
}
END_TEST

/* The offers: FFDHE groups last or absent, the browser's short lists. */
START_TEST(build_offers)
{
	struct hello_req req = { .version = 0x0303, .suites = s12,
	    .nsuites = 3, .sni = "example.org", .want_certs = 1 };
	unsigned char b[2048];
	const unsigned char *e;
	size_t n, el;

	n = hello_build(&req, b, sizeof b);
	e = find_ext(b, n, 0x000a, &el);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(be16(e + 2), 0x001d); /* x25519 first */
	ck_assert_uint_eq(be16(e + el - 2), 0x0104); /* ffdhe8192 last */
	ck_assert_ptr_nonnull(find_ext(b, n, 0x000b, &el)); /* points */
	ck_assert_ptr_nonnull(find_ext(b, n, 0x0005, &el)); /* staple */
	e = find_ext(b, n, 0x000d, &el);
	ck_assert_ptr_nonnull(e);
	int pss = 0, ed = 0;
	for (size_t i = 2; i < el; i += 2) {
		pss |= be16(e + i) == 0x0804;
		ed |= be16(e + i) == 0x0807;
	}
	ck_assert(pss && ed);

	req.offer = HELLO_OFFER_NO_FFDHE;
	n = hello_build(&req, b, sizeof b);
	e = find_ext(b, n, 0x000a, &el);
	ck_assert_uint_eq(el, 2 + 2 * 5);
	for (size_t i = 2; i < el; i += 2)
		ck_assert_uint_lt(be16(e + i), 0x0100);

	req.offer = HELLO_OFFER_BROWSER;
	n = hello_build(&req, b, sizeof b);
	e = find_ext(b, n, 0x000a, &el);
	ck_assert_uint_eq(el, 2 + 2 * 3);
	ck_assert_ptr_null(find_ext(b, n, 0x0005, &el));
	e = find_ext(b, n, 0x000d, &el);
	ck_assert_uint_eq(be16(e + 2), 0x0403);

	req.offer = HELLO_OFFER_FULL;
	req.old_curves = 1;
	n = hello_build(&req, b, sizeof b);
	e = find_ext(b, n, 0x000a, &el);
	ck_assert_uint_eq(el, 2 + 2 * 15);
	ck_assert_uint_eq(be16(e + 2 + 2 * 10), 0x0013); /* secp192r1 */
	for (int o = 0; o < HELLO_OFFER_COUNT; o++)
		ck_assert_str_ne(hello_offer_str((enum hello_offer)o), "");
}
END_TEST

static void
check_not_tls(const char *reply, const char *tag)
{
	struct hello_req req = { .version = 0x0303, .suites = s12, .nsuites = 3,
	    .sni = NULL, .want_certs = 0 };
	struct hello_resp resp;

	ck_assert_int_eq(hello_parse(&req, (const unsigned char *)reply,
	    strlen(reply), &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_NOT_TLS);
	ck_assert_msg(strncmp(resp.not_tls, tag, strlen(tag)) == 0,
	    "not_tls \"%s\" should start with %s", resp.not_tls, tag);
	for (const char *p = resp.not_tls; *p; p++)
		ck_assert((unsigned char)*p >= 0x20 && *p != 0x7f);
	ck_assert_uint_lt(strlen(resp.not_tls), sizeof resp.not_tls);
}

START_TEST(parse_not_tls)
{
	check_not_tls("HTTP/1.1 400 Bad Request\r\nServer: x\r\n\r\n",
	    "HTTP: HTTP/1.1 400 Bad Request\\x0D");
	check_not_tls("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", "SSH: SSH-2.0");
	check_not_tls("220 mail.example.org ESMTP Postfix\r\n", "SMTP/FTP: 220");
	check_not_tls("+OK POP3 ready\r\n", "POP3: +OK");
	check_not_tls("\x1b[2J\x07 evil", "unknown: \\x1B[2J");
	/* A long banner is cut, never overflows. */
	char big[600];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "HTTP/", 5);
	check_not_tls(big, "HTTP: HTTP/AAA");
}
END_TEST

/* ServerHello, Certificate (ncerts of size sz), optional CertificateRequest,
 * ServerHelloDone as one handshake stream. */
static void
tls12_flight(struct bytes *hs, size_t ncerts, size_t sz, int certreq)
{
	size_t list = ncerts * (3 + sz);

	server_hello(hs, 0x0303, 0xc02f, 0, NULL);
	add8(hs, 11);
	add24(hs, 3 + list);
	add24(hs, list);
	for (size_t i = 0; i < ncerts; i++) {
		add24(hs, sz);
		for (size_t j = 0; j < sz; j++)
			add8(hs, (unsigned)(i + j));
	}
	add8(hs, 12); /* ServerKeyExchange: skipped */
	add24(hs, 4);
	add(hs, "skex", 4);
	if (certreq) {
		add8(hs, 13);
		add24(hs, 4);
		add(hs, "\1\1\0\0", 4);
	}
	add8(hs, 14);
	add24(hs, 0);
}

START_TEST(parse_split_records_and_certs)
{
	struct hello_req req = { .version = 0x0303, .suites = s12, .nsuites = 3,
	    .sni = NULL, .want_certs = 1 };
	struct bytes *hs = bnew(), *r = bnew();
	struct hello_resp resp;

	tls12_flight(hs, 3, 700, 1);
	/* Records of 100 bytes: messages split across records, and several
	 * messages in one record. */
	for (size_t off = 0; off < hs->n; off += 100)
		record(r, 22, hs->b + off, hs->n - off < 100 ? hs->n - off :
		    100);
	for (size_t i = 0; i < r->n; i += 37) {
		int rc = hello_parse(&req, r->b, i, &resp);
		ck_assert_int_eq(rc, 0);
		hello_resp_clear(&resp);
	}
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_SERVER_HELLO);
	ck_assert_uint_eq(resp.ncerts, 3);
	ck_assert_uint_eq(resp.ncerts_sent, 3);
	ck_assert_uint_eq(resp.cert_lens[2], 700);
	ck_assert_uint_eq(resp.certs[2][5], 7);
	ck_assert_int_eq(resp.cert_request, 1);
	hello_resp_clear(&resp);

	/* One record with everything, more certificates than we keep. */
	hs->n = r->n = 0;
	tls12_flight(hs, HELLO_MAX_CERTS + 4, 50, 0);
	record(r, 22, hs->b, hs->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_uint_eq(resp.ncerts, HELLO_MAX_CERTS);
	ck_assert_uint_eq(resp.ncerts_sent, HELLO_MAX_CERTS + 4);
	ck_assert_int_eq(resp.cert_request, 0);
	hello_resp_clear(&resp);

	/* Without want_certs the ServerHello is enough. */
	req.want_certs = 0;
	r->n = 0;
	record(r, 22, hs->b, 42); /* the ServerHello alone */
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_SERVER_HELLO);
	ck_assert_uint_eq(resp.ncerts, 0);

	/* A certificate list whose inner length lies. */
	req.want_certs = 1;
	hs->n = r->n = 0;
	tls12_flight(hs, 1, 10, 0);
	hs->b[42 + 4 + 3 + 2] = 0xff; /* first cert's length: too long */
	record(r, 22, hs->b, hs->n);
	ck_assert_int_eq(hello_parse(&req, r->b, r->n, &resp), 1);
	ck_assert_int_eq(resp.kind, HELLO_MALFORMED);
	ck_assert_uint_eq(resp.ncerts, 0);
	free(hs), free(r);
}
END_TEST

START_TEST(parse_random_bytes)
{
	struct hello_req req = { .version = 0x0303, .suites = s12, .nsuites = 3,
	    .sni = NULL, .want_certs = 1 };
	struct bytes *hs = bnew(), *r = bnew();
	struct hello_resp resp;
	unsigned seed = 12345;

	tls12_flight(hs, 2, 64, 1);
	record(r, 22, hs->b, hs->n);
	/* Flip bytes of a valid flight, and feed pure noise: the parser
	 * must answer something and stay inside the buffer (ASan checks). */
	for (int round = 0; round < 3000; round++) {
		unsigned char buf[600];
		size_t n = r->n < sizeof buf ? r->n : sizeof buf;
		memcpy(buf, r->b, n);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % n] = (unsigned char)(seed >> 16);
		}
		if (round % 5 == 0)
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245 + 12345;
				buf[i] = (unsigned char)(seed >> 16);
			}
		int rc = hello_parse(&req, buf, (seed >> 4) % (n + 1), &resp);
		ck_assert(rc == 0 || rc == 1);
		ck_assert_uint_le(resp.ncerts, HELLO_MAX_CERTS);
		hello_resp_clear(&resp);
	}
	free(hs), free(r);
}
END_TEST

START_TEST(suite_table_and_profiles)
{
	size_t n, np;
	const struct suite_info *all = suite_all(&n);
	char buf[8];

	ck_assert_uint_gt(n, 100);
	for (size_t i = 0; i < n; i++)
		ck_assert_ptr_eq(suite_find(all[i].code), &all[i]);
	ck_assert_str_eq(suite_name(0xc02f, buf),
	    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	ck_assert_str_eq(suite_name(0xabcd, buf), "0xABCD");
	ck_assert(suite_find(0x0005)->flags & SUITE_RC4);
	ck_assert(suite_find(0x000a)->flags & SUITE_3DES);
	ck_assert(suite_find(0x0018)->flags & SUITE_ANON);
	ck_assert(suite_find(0x0008)->flags & SUITE_EXPORT);
	ck_assert(suite_find(0x0002)->flags & SUITE_NULL);
	ck_assert(suite_find(0x0009)->flags & SUITE_DES);
	ck_assert(!(suite_find(0xc02f)->flags & SUITE_WEAK));
	ck_assert(suite_find(0x1305)->flags & SUITE_TLS13);
	uint16_t l[HELLO_MAX_SUITES + 10];
	ck_assert_uint_eq(suite_list_for(0x0304, l, sizeof l / 2), 5);
	size_t n12 = suite_list_for(0x0303, l, sizeof l / 2);
	ck_assert_uint_le(n12, HELLO_MAX_SUITES);
	size_t n10 = suite_list_for(0x0301, l, sizeof l / 2);
	ck_assert_uint_lt(n10, n12);
	for (size_t i = 0; i < n10; i++)
		ck_assert(!(suite_find(l[i])->flags & SUITE_TLS12));

	const struct client_profile *cp = client_profiles(&np);
	ck_assert_uint_ge(np, 6);
	int cur = 0, old = 0;
	for (size_t i = 0; i < np; i++) {
		cur += cp[i].current;
		old += !cp[i].current;
		ck_assert_uint_gt(strlen(cp[i].source), 10);
		ck_assert_uint_le(cp[i].min_version, cp[i].max_version);
		for (size_t k = 0; k < cp[i].nsuites; k++)
			ck_assert_msg(suite_find(cp[i].suites[k]) != NULL,
			    "%s: suite 0x%04x not in the table", cp[i].name,
			    cp[i].suites[k]);
	}
	ck_assert_int_ge(cur, 3);
	ck_assert_int_ge(old, 3);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("hello");
	TCase *tc = tcase_create("build");
	tcase_add_test(tc, build_tls12);
	tcase_add_test(tc, build_tls13);
	tcase_add_test(tc, build_offers);
	tcase_add_test(tc, build_ssl3_and_limits);
	tcase_add_test(tc, suite_table_and_profiles);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, parse_server_hello_and_truncation);
	tcase_add_test(tc, parse_malformed);
	tcase_add_test(tc, parse_tls13_and_hrr);
	tcase_add_test(tc, parse_alerts);
	tcase_add_test(tc, parse_server_kx);
	tcase_add_test(tc, parse_not_tls);
	tcase_add_test(tc, parse_split_records_and_certs);
	tcase_add_test(tc, parse_random_bytes);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
