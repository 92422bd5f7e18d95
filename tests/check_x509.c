/* check_x509.c: our own certificate layer -- the DER reader (x509/asn1),
 * the strict parser (x509/cert), name constraints (x509/names) and the
 * per-certificate policy (x509/policy) -- table-driven. Certificates come
 * from tests/lib/x509pki.py, made once per run in a temp directory; its
 * case table ("NAME HOST EXPECT") drives the policy test, so a new case
 * there is tested here too. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/ssl.h>

#include "chain.h"
#include "checkutil.h"
#include "model.h"
#include "testsrv.h"
#include "trust.h"
#include "util.h"
#include "x509/asn1.h"
#include "x509/cert.h"
#include "x509/infamous.h"
#include "x509/names.h"
#include "x509/policy.h"

static char *dir; /* x509pki.py's output, once per run */

#define MAXC 8

struct certs {
	unsigned char *der[MAXC];
	size_t len[MAXC];
	struct x509_cert c[MAXC];
	size_t n;
};

/* The chain as sent (leaf first), then the root: parsed. */
static void
certs_load(struct certs *cs, const char *name)
{
	char *p = xasprintf("%s/%s-chain.pem", dir, name);
	char *rp = xasprintf("%s/%s-root.pem", dir, name);

	memset(cs, 0, sizeof *cs);
	cs->n = checkutil_pem_ders(p, cs->der, cs->len, MAXC - 1);
	ck_assert_uint_gt(cs->n, 0);
	cs->n += checkutil_pem_ders(rp, cs->der + cs->n, cs->len + cs->n, 1);
	for (size_t i = 0; i < cs->n; i++)
		(void)x509_parse(&cs->c[i], cs->der[i], cs->len[i]);
	free(p);
	free(rp);
}

static void
certs_free(struct certs *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		x509_cert_free(&cs->c[i]);
		free(cs->der[i]);
	}
}

/* --- asn1 --- */

START_TEST(asn1_reader)
{
	static const struct {
		const char *hex;
		int ok;
		size_t len; /* contents */
	} v[] = {
		{ "3000", 1, 0 },
		{ "300200", 0, 0 },       /* overrun */
		{ "3080", 0, 0 },         /* indefinite length (BER) */
		{ "30810100", 0, 0 },     /* long form for a short length */
		{ "3082000100", 0, 0 },   /* leading zero length byte */
		{ "1f0100", 0, 0 },       /* high tag number */
		{ "048180", 0, 0 },       /* 128 announced, none there */
		{ "0403616263", 1, 3 },
		{ "30", 0, 0 },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t buf[64];
		size_t n = strlen(v[i].hex) / 2;
		for (size_t k = 0; k < n; k++)
			sscanf(v[i].hex + 2 * k, "%2hhx", &buf[k]);
		struct asn1 in = { buf, n }, c;
		unsigned tag;
		int rc = asn1_get(&in, &tag, &c, NULL);
		ck_assert_msg((rc == 0) == v[i].ok, "%s", v[i].hex);
		if (rc == 0)
			ck_assert_uint_eq(c.len, v[i].len);
	}
	char t[64];
	struct asn1 oid = { (const uint8_t *)"\x2a\x86\x48\x86\xf7\x0d\x01\x01"
		"\x01", 9 };
	ck_assert_int_eq(asn1_oid_text(&oid, t, sizeof t), 0);
	ck_assert_str_eq(t, "1.2.840.113549.1.1.1");
	struct asn1 bad = { (const uint8_t *)"\x2a\x86", 2 };
	ck_assert_int_eq(asn1_oid_text(&bad, t, sizeof t), -1);
	struct asn1 i1 = { (const uint8_t *)"\x00\x80", 2 };
	ck_assert_int_eq(asn1_int_bits(&i1), 8);
	ck_assert_int_eq(asn1_small_int(&i1), 128);
}
END_TEST

/* --- the parser --- */

START_TEST(parse_fields)
{
	struct certs cs;

	certs_load(&cs, "ok");
	ck_assert_ptr_null(cs.c[0].malformed);
	ck_assert_int_eq(cs.c[0].version, 3);
	ck_assert_int_eq(cs.c[0].key, X509_KEY_EC);
	ck_assert_str_eq(cs.c[0].curve, "P-256");
	ck_assert(cs.c[0].has_eku && (cs.c[0].eku & X509_EKU_SERVER));
	ck_assert(cs.c[0].has_ku && (cs.c[0].ku & X509_KU_DIGITAL_SIGNATURE));
	ck_assert(cs.c[0].has_bc && !cs.c[0].ca);
	ck_assert_uint_eq(cs.c[0].nsan, 1);
	ck_assert(cs.c[1].has_bc && cs.c[1].ca && cs.c[1].pathlen == -1);
	ck_assert(cs.c[1].ku & X509_KU_KEY_CERT_SIGN);
	ck_assert(x509_name_eq(&cs.c[0].issuer, &cs.c[1].subject));
	ck_assert(x509_self_issued(&cs.c[2]));
	char *s = x509_name_text(&cs.c[0].subject);
	ck_assert_str_eq(s, "CN=ok.test, O=tlsmedic x509 tests");
	free(s);
	struct asn1 cn = x509_name_cn(&cs.c[0].subject);
	ck_assert_uint_eq(cn.len, 7);
	certs_free(&cs);

	certs_load(&cs, "weak-leaf");
	ck_assert_int_eq(cs.c[0].key, X509_KEY_RSA);
	ck_assert_int_eq(cs.c[0].key_bits, 1024);
	certs_free(&cs);
	certs_load(&cs, "p192-inter");
	ck_assert_str_eq(cs.c[1].curve, "P-192");
	certs_free(&cs);
	certs_load(&cs, "pathlen-inter");
	ck_assert_int_eq(cs.c[2].pathlen, 0);
	certs_free(&cs);
	certs_load(&cs, "nc-ip");
	ck_assert_uint_eq(cs.c[1].npermitted, 1);
	ck_assert_int_eq(cs.c[1].permitted[0].type, X509_GN_IP);
	ck_assert_uint_eq(cs.c[1].permitted[0].v.len, 8);
	certs_free(&cs);
	certs_load(&cs, "crit-leaf");
	ck_assert_ptr_null(cs.c[0].malformed);
	ck_assert_uint_eq(cs.c[0].ncritical, 1);
	ck_assert_str_eq(cs.c[0].critical[0], "1.3.6.1.4.1.55555.1.1");
	certs_free(&cs);
	certs_load(&cs, "leaf-eku-empty");
	ck_assert(cs.c[0].has_eku && cs.c[0].eku == 0);
	certs_free(&cs);
}
END_TEST

START_TEST(parse_malformed)
{
	static const struct {
		const char *name;
		size_t pos;
		const char *why;
	} v[] = {
		{ "dup-ext-leaf", 0, "it carries the same extension twice" },
		{ "bad-san-leaf", 0, "its subjectAltName is malformed" },
		{ "bad-aia-inter", 1, "its authorityInfoAccess is malformed" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct certs cs;
		certs_load(&cs, v[i].name);
		ck_assert_msg(cs.c[v[i].pos].malformed != NULL, "%s",
		    v[i].name);
		ck_assert_str_eq(cs.c[v[i].pos].malformed, v[i].why);
		/* what came before the fault is still known */
		ck_assert_uint_gt(cs.c[v[i].pos].subject.len, 0);
		certs_free(&cs);
	}
}
END_TEST

START_TEST(parse_big)
{
	struct certs cs;

	certs_load(&cs, "many-sans");
	ck_assert_ptr_null(cs.c[0].malformed);
	ck_assert_uint_eq(cs.c[0].nsan, 1201);
	certs_free(&cs);
	certs_load(&cs, "big-chain");
	size_t total = 0;
	for (size_t i = 0; i < cs.n; i++) {
		ck_assert_ptr_null(cs.c[i].malformed);
		total += cs.len[i];
	}
	ck_assert_uint_ge(total, 100000);
	certs_free(&cs);
}
END_TEST

START_TEST(parse_truncations)
{
	/* Every cut of a real certificate is refused or parsed -- and
	 * never read past (ASan and UBSan run this suite too). */
	struct certs cs;

	certs_load(&cs, "nc-ip");
	for (size_t cut = 0; cut < cs.len[1]; cut++) {
		struct x509_cert c;
		ck_assert_int_eq(x509_parse(&c, cs.der[1], cut), -1);
		ck_assert_ptr_nonnull(c.malformed);
		x509_cert_free(&c);
	}
	/* and every single-byte change is survived */
	unsigned char *m = xmalloc(cs.len[1]);
	for (size_t i = 0; i < cs.len[1]; i++) {
		struct x509_cert c;
		memcpy(m, cs.der[1], cs.len[1]);
		m[i] ^= 0x5a;
		(void)x509_parse(&c, m, cs.len[1]);
		char *s = c.subject.p ? x509_name_text(&c.subject) : NULL;
		free(s);
		x509_cert_free(&c);
	}
	free(m);
	certs_free(&cs);
}
END_TEST

/* --- name constraints --- */

START_TEST(nc_dns)
{
	/* name, constraint, full (permitted) result, partial (excluded)
	 * result. From webpki dns_name.rs's comments and BoringSSL's
	 * name_constraints.cc. */
	static const struct {
		const char *name, *base;
		int full, partial;
	} v[] = {
		{ "foo.bar.com", "bar.com", 1, 1 },
		{ "bar.com", "bar.com", 1, 1 },
		{ "BAR.COM", "bar.com", 1, 1 },
		{ "bar.com.", "bar.com", 1, 1 },
		{ "bar.com", "bar.com.", 1, 1 },
		{ "bigfoo.bar.com", "foo.bar.com", 0, 0 },
		{ "notallowed.test", "allowed.test", 0, 0 },
		{ "notbad.test", "bad.test", 0, 0 },
		{ "bar.com", ".bar.com", 0, 0 },
		{ "foo.bar.com", ".bar.com", 1, 1 },
		{ "a.b.bar.com", ".bar.com", 1, 1 },
		{ "anything.example", "", 1, 1 },
		{ "com", "bar.com", 0, 0 },
		{ "xbar.com", "bar.com", 0, 0 },
		/* wildcards: all expansions inside (permitted), any one
		 * inside (excluded) */
		{ "*.bar.com", "bar.com", 1, 1 },
		{ "*.bar.com", ".bar.com", 1, 1 },
		{ "*.bar.com", "foo.bar.com", 0, 1 },
		{ "*.bar.com", ".foo.bar.com", 0, 0 },
		{ "*.foo.bar.com", "bar.com", 1, 1 },
		{ "*.bar.com", "com", 1, 1 },
		{ "*.bar.com", "x.y.bar.com", 0, 0 },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const uint8_t *n = (const uint8_t *)v[i].name;
		const uint8_t *b = (const uint8_t *)v[i].base;
		ck_assert_msg(nc_dns_within(n, strlen(v[i].name), b,
		    strlen(v[i].base), 1) == v[i].full, "%s in %s (full)",
		    v[i].name, v[i].base);
		ck_assert_msg(nc_dns_within(n, strlen(v[i].name), b,
		    strlen(v[i].base), 0) == v[i].partial, "%s in %s (partial)",
		    v[i].name, v[i].base);
	}
	/* a NUL inside a name matches nothing */
	ck_assert_int_eq(nc_dns_within((const uint8_t *)"a\0.bar.com", 10,
	    (const uint8_t *)"bar.com", 7, 1), 0);
}
END_TEST

START_TEST(nc_ip)
{
	static const struct {
		uint8_t ip[16];
		size_t iplen;
		uint8_t base[32];
		size_t blen;
		int in;
	} v[] = {
		{ { 10, 1, 2, 3 }, 4, { 10, 0, 0, 0, 255, 0, 0, 0 }, 8, 1 },
		{ { 11, 1, 2, 3 }, 4, { 10, 0, 0, 0, 255, 0, 0, 0 }, 8, 0 },
		{ { 192, 168, 1, 1 }, 4, { 192, 168, 0, 0, 255, 255, 0, 0 }, 8,
		    1 },
		{ { 192, 169, 1, 1 }, 4, { 192, 168, 0, 0, 255, 254, 0, 0 }, 8,
		    1 },
		{ { 192, 170, 1, 1 }, 4, { 192, 168, 0, 0, 255, 254, 0, 0 }, 8,
		    0 },
		{ { 1, 2, 3, 4 }, 4, { 0 }, 8, 1 }, /* 0.0.0.0/0 */
		/* v4 never matches a v6 range, nor the reverse */
		{ { 10, 1, 2, 3 }, 4, { 0 }, 32, 0 },
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
		    16, { 10, 0, 0, 0, 255, 0, 0, 0 }, 8, 0 },
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
		    16, { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0xff, 0xff, 0xff, 0xff }, 32, 1 },
		{ { 0x20, 0x01, 0x0d, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
		    16, { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0xff, 0xff, 0xff, 0xff }, 32, 0 },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		ck_assert_msg(nc_ip_within(v[i].ip, v[i].iplen, v[i].base,
		    v[i].blen) == v[i].in, "vector %zu", i);
}
END_TEST

START_TEST(nc_email)
{
	static const struct {
		const char *mail, *base;
		int in;
	} v[] = {
		{ "joe@example.com", "example.com", 1 },
		{ "joe@EXAMPLE.com", "example.com", 1 },
		{ "joe@mail.example.com", "example.com", 0 },
		{ "joe@mail.example.com", ".example.com", 1 },
		{ "joe@example.com", ".example.com", 0 },
		{ "joe@example.com", "joe@example.com", 1 },
		{ "Joe@example.com", "joe@example.com", 0 },
		{ "joe", "example.com", 0 },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		ck_assert_msg(nc_email_within((const uint8_t *)v[i].mail,
		    strlen(v[i].mail), (const uint8_t *)v[i].base,
		    strlen(v[i].base)) == v[i].in, "%s in %s", v[i].mail,
		    v[i].base);
}
END_TEST

/* --- policy: driven by x509pki.py's own table --- */

static const char *
where_str(size_t pos, size_t n)
{
	static char buf[16];

	if (pos == n - 1)
		return "root";
	snprintf(buf, sizeof buf, "%zu", pos + 1);
	return buf;
}

START_TEST(policy_cases)
{
	char *cmd = xasprintf("python3 %s/tests/lib/x509pki.py --list",
	    checkutil_srcdir());
	FILE *fp = popen(cmd, "r");
	char line[256];
	int cases = 0;

	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		char name[64], host[128], expect[96];
		struct certs cs;
		struct x509_issues is = { 0 };
		const struct x509_cert *path[MAXC];
		int sent[MAXC];
		struct strbuf got = { 0 };

		if (sscanf(line, "%63s %127s %95s", name, host, expect) != 3)
			continue;
		certs_load(&cs, name);
		for (size_t i = 0; i < cs.n; i++) {
			path[i] = &cs.c[i];
			sent[i] = i + 1 < cs.n;
		}
		/* the sent copy of the root is the root */
		size_t n = cs.n;
		if (n >= 2 && cs.len[n - 1] == cs.len[n - 2] &&
		    memcmp(cs.der[n - 1], cs.der[n - 2], cs.len[n - 1]) == 0)
			n--;
		x509_policy_check(path, sent, n, &is);
		strbuf_puts(&got, "");
		for (size_t i = 0; i < is.n; i++)
			strbuf_printf(&got, "%s%s@%s", i ? " " : "",
			    finding_id_str(is.v[i].id), where_str(is.v[i].pos,
			    n));
		if (strcmp(expect, "ok") == 0 ||
		    strncmp(expect, "mitm.", 5) == 0 ||
		    strncmp(expect, "cert.self_signed", 16) == 0)
			ck_assert_msg(is.n == 0, "%s: want no issue, got %s",
			    name, got.s);
		else
			ck_assert_msg(strstr(got.s, expect) != NULL,
			    "%s: want %s, got %s", name, expect, got.s);
		strbuf_free(&got);
		x509_issues_free(&is);
		certs_free(&cs);
		cases++;
	}
	ck_assert_int_eq(pclose(fp), 0);
	ck_assert_int_ge(cases, 25);
	free(cmd);
}
END_TEST

START_TEST(policy_weak_keys)
{
	struct x509_cert c;

	memset(&c, 0, sizeof c);
	c.key = X509_KEY_RSA;
	c.key_bits = 2048;
	ck_assert_ptr_null(x509_weak_key(&c));
	c.key_bits = 2047;
	char *w = x509_weak_key(&c);
	ck_assert_ptr_nonnull(w);
	free(w);
	c.key = X509_KEY_DSA;
	c.key_bits = 3072;
	ck_assert_ptr_nonnull(w = x509_weak_key(&c));
	free(w);
	c.key = X509_KEY_EC;
	c.curve = "P-384";
	ck_assert_ptr_null(x509_weak_key(&c));
	c.curve = "secp256k1";
	ck_assert_ptr_nonnull(w = x509_weak_key(&c));
	free(w);
	c.key = X509_KEY_ED25519;
	ck_assert_ptr_null(x509_weak_key(&c));
}
END_TEST

/* --- the whole chain analysis on big but valid chains --- */

static struct report *
analyze(const char *name, const char *host)
{
	struct report *r = report_new();
	char *chain = xasprintf("%s/%s-chain.pem", dir, name);
	char *root = xasprintf("%s/%s-root.pem", dir, name), *cause = NULL;
	unsigned char *ders[MAXC];
	size_t lens[MAXC], n;
	struct trust *t = trust_load(root, &cause);

	ck_assert_msg(t != NULL, "%s", cause);
	n = checkutil_pem_ders(chain, ders, lens, MAXC);
	chain_from_der(&r->chain, ders, lens, n);
	struct chain_opts o = { .trust = t, .hostname = host,
		.now = 1780272000 };
	chain_analyze(&r->chain, &o, r);
	for (size_t i = 0; i < n; i++)
		free(ders[i]);
	trust_free(t);
	free(chain);
	free(root);
	return r;
}

START_TEST(analyze_big_valid)
{
	static const char *const v[][2] = {
		{ "many-sans", "h1199.many-sans.test" },
		{ "big-chain", "big-chain.test" },
		{ "ok", "ok.test" },
		{ "nc-permitted-ok", "www.nc-permitted-ok.test" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct report *r = analyze(v[i][0], v[i][1]);
		for (size_t k = 0; k < r->nfindings; k++)
			ck_assert_msg(0, "%s: %s %s", v[i][0],
			    finding_id_str(r->findings[k].id),
			    r->findings[k].evidence);
		ck_assert_ptr_null(r->check_reason[CHECK_CERT]);
		report_free(r);
	}
}
END_TEST

START_TEST(analyze_unreadable)
{
	/* wolfSSL cannot read these: ours names them, and a sent
	 * intermediate it cannot use is never "missing". */
	static const char *const v[][3] = {
		{ "dup-ext-leaf", "dup-ext-leaf.test", "cert.malformed" },
		{ "crit-inter", "crit-inter.test", "cert.critical_extension" },
		{ "p192-inter", "p192-inter.test", "cert.weak_key" },
		{ "bad-aia-inter", "bad-aia-inter.test", "cert.malformed" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct report *r = analyze(v[i][0], v[i][1]);
		int seen = 0;
		for (size_t k = 0; k < r->nfindings; k++) {
			const char *id = finding_id_str(r->findings[k].id);
			seen |= strcmp(id, v[i][2]) == 0;
			ck_assert_msg(r->findings[k].id !=
			    FINDING_CERT_CHAIN_INCOMPLETE &&
			    r->findings[k].id != FINDING_CERT_UNTRUSTED_ROOT,
			    "%s: %s", v[i][0], id);
		}
		ck_assert_msg(seen, "%s: no %s", v[i][0], v[i][2]);
		report_free(r);
	}
}
END_TEST

START_TEST(infamous_table)
{
	ck_assert_uint_ge(infamous_nroots, 5);
	for (size_t i = 0; i < infamous_nroots; i++) {
		ck_assert_uint_gt(strlen(infamous_roots[i].pattern), 5);
		ck_assert_uint_gt(strlen(infamous_roots[i].source), 10);
		if (infamous_roots[i].spki_sha256 != NULL)
			ck_assert_uint_eq(strlen(infamous_roots[i].spki_sha256),
			    64);
	}
	ck_assert_ptr_nonnull(infamous_match("CN=eDellRoot", NULL));
	ck_assert_ptr_nonnull(infamous_match("CN=mkcert me@host, "
	    "OU=me@host, O=mkcert development CA", NULL));
	ck_assert_ptr_null(infamous_match("CN=ISRG Root X1, O=Internet "
	    "Security Research Group, C=US", NULL));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("x509");
	TCase *tc = tcase_create("parse");
	TCase *nc = tcase_create("names");
	TCase *po = tcase_create("policy");
	char *cmd;

	wolfSSL_Init();
	dir = xstrdup("/tmp/check_x509.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("check_x509: mkdtemp");
		return EXIT_FAILURE;
	}
	cmd = xasprintf("python3 %s/tests/lib/x509pki.py %s",
	    checkutil_srcdir(), dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "check_x509: %s failed\n", cmd);
		return EXIT_FAILURE;
	}
	free(cmd);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, asn1_reader);
	tcase_add_test(tc, parse_fields);
	tcase_add_test(tc, parse_malformed);
	tcase_add_test(tc, parse_big);
	tcase_add_test(tc, parse_truncations);
	suite_add_tcase(s, tc);
	tcase_add_test(nc, nc_dns);
	tcase_add_test(nc, nc_ip);
	tcase_add_test(nc, nc_email);
	suite_add_tcase(s, nc);
	tcase_set_timeout(po, 60);
	tcase_add_test(po, policy_cases);
	tcase_add_test(po, policy_weak_keys);
	tcase_add_test(po, analyze_big_valid);
	tcase_add_test(po, analyze_unreadable);
	tcase_add_test(po, infamous_table);
	suite_add_tcase(s, po);
	int status = checkutil_run(s);
	testsrv_rmdir(dir);
	free(dir);
	return status;
}
