/* check_chain.c: certificate parsing and the offline chain analysis, on a
 * PKI that tests/lib/mkpki.sh makes at test time. Each case asserts the
 * exact set of findings. The AIA cases fetch from a tiny HTTP server on
 * 127.0.0.1, port 0, inside this process (a thread, bounded waits). */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <wolfssl/ssl.h>

#include "chain.h"
#include "checkutil.h"
#include "model.h"
#include "net.h"
#include "testsrv.h"
#include "trust.h"
#include "util.h"

static char *pki; /* made once for the whole run (unchecked fixture) */

static void
chain_load(struct chain *ch, const char *file)
{
	unsigned char *ders[16];
	size_t lens[16], n, before = ch->n;
	char *path = xasprintf("%s/%s", pki, file);

	n = checkutil_pem_ders(path, ders, lens, 16);
	ck_assert_uint_gt(n, 0);
	chain_from_der(ch, ders, lens, n);
	ck_assert_uint_eq(ch->n, before + n);
	for (size_t i = 0; i < n; i++)
		free(ders[i]);
	free(path);
}

static struct trust *
trust_file(const char *file)
{
	char *path = xasprintf("%s/%s", pki, file), *cause = NULL;
	struct trust *t = trust_load(path, &cause);

	ck_assert_msg(t != NULL, "trust_load %s: %s", path, cause);
	free(path);
	return t;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The finding ids of r, sorted, comma-separated ("" for none). */
static char *
ids(const struct report *r)
{
	const char *v[64];
	struct strbuf b = { 0 };

	ck_assert_uint_lt(r->nfindings, 64);
	for (size_t i = 0; i < r->nfindings; i++)
		v[i] = finding_id_str(r->findings[i].id);
	qsort(v, r->nfindings, sizeof v[0], cmpstr);
	strbuf_puts(&b, "");
	for (size_t i = 0; i < r->nfindings; i++)
		strbuf_printf(&b, "%s%s", i ? "," : "", v[i]);
	return strbuf_steal(&b);
}

static time_t
when(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	return timegm(&tm);
}

/* Analyse chain file `name` for host with trust file `ca` at `now`
 * (0: 2026-06-01) and return the report (caller frees). */
static struct report *
run_at(const char *name, const char *host, const char *ca, time_t now,
    struct net_ctx *ctx)
{
	struct report *r = report_new();
	struct trust *t = trust_file(ca);
	struct chain_opts o = { .trust = t, .hostname = host,
		.now = now ? now : when(2026, 6, 1), .ctx = ctx,
		.timeout_ms = 3000 };

	chain_load(&r->chain, name);
	chain_analyze(&r->chain, &o, r);
	trust_free(t);
	if (getenv("CHAIN_DEBUG"))
		for (size_t i = 0; i < r->nfindings; i++)
			fprintf(stderr, "%s %s [%s] %s | %s\n", name,
			    finding_id_str(r->findings[i].id),
			    owner_str(r->findings[i].owner),
			    r->findings[i].summary, r->findings[i].evidence);
	return r;
}

static void
expect(const char *name, const char *host, const char *ca,
    const char *want)
{
	struct report *r = run_at(name, host, ca, 0, NULL);
	char *got = ids(r);

	ck_assert_msg(strcmp(got, want) == 0, "%s for %s: got {%s}, want {%s}",
	    name, host, got, want);
	free(got);
	report_free(r);
}

static const struct finding *
finding(const struct report *r, enum finding_id id)
{
	const struct finding *f = report_find(r, id);
	ck_assert_msg(f != NULL, "no %s", finding_id_str(id));
	return f;
}

static const char *
evidence(const struct report *r, enum finding_id id)
{
	return finding(r, id)->evidence;
}

/* --- parsing --- */

START_TEST(parse_fields)
{
	struct chain ch = { 0 };
	struct cert_info *c;

	chain_load(&ch, "good-chain.pem");
	c = &ch.certs[0];
	ck_assert_str_eq(c->subject, "CN=good.test");
	ck_assert_str_eq(c->issuer,
	    "CN=tlsmedic Test Intermediate CA, O=tlsmedic tests");
	ck_assert_str_eq(c->cn, "good.test");
	ck_assert_uint_eq(c->nsans, 4);
	ck_assert_uint_eq(c->nsans_total, 4);
	ck_assert_str_eq(c->sans[0], "good.test");
	ck_assert_str_eq(c->sans[1], "localhost");
	ck_assert_str_eq(c->sans[2], "127.0.0.1");
	ck_assert_str_eq(c->sans[3], "::1");
	ck_assert_str_eq(c->key_type, "RSA");
	ck_assert_int_eq(c->key_bits, 2048);
	ck_assert_int_eq(c->weak_signature, 0);
	ck_assert_ptr_nonnull(strstr(c->signature, "256"));
	ck_assert_int_eq((long long)c->not_before, (long long)when(2020, 1, 1));
	ck_assert_int_eq((long long)c->not_after,
	    (long long)when(2100, 1, 1) - 1);
	/* UTC whatever the local zone (DST must not move a summer date). */
	struct chain ch2 = { 0 };
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	chain_load(&ch2, "notyet-chain.pem");
	ck_assert_int_eq((long long)ch2.certs[0].not_before,
	    (long long)when(2098, 7, 1) + 12 * 3600);
	chain_clear(&ch2);
	chain_load(&ch2, "expired-chain.pem");
	ck_assert_int_eq((long long)ch2.certs[0].not_after,
	    (long long)when(2001, 1, 1));
	chain_clear(&ch2);
	ck_assert_int_eq(c->self_signed, 0);
	ck_assert_int_eq(c->is_ca, 0);
	ck_assert_ptr_null(c->ocsp_url);
	ck_assert_ptr_null(c->ca_issuers_url);
	ck_assert_uint_eq(strlen(c->sha256), 64);
	/* The fingerprint is openssl's. */
	char *fp = xasprintf("%s/good.fp", pki);
	ck_assert_int_eq(testsrv_sh(10, "openssl x509 -in %s/good.pem -noout "
	    "-fingerprint -sha256 | sed s/.*=// | tr -d : | tr A-F a-f >%s",
	    pki, fp), 0);
	size_t len;
	char *want = checkutil_slurp(fp, &len);
	ck_assert_uint_ge(len, 64);
	ck_assert_int_eq(memcmp(want, c->sha256, 64), 0);
	free(want);
	free(fp);
	c = &ch.certs[1];
	ck_assert_str_eq(c->key_type, "EC");
	ck_assert_int_eq(c->key_bits, 256);
	ck_assert_int_eq(c->is_ca, 1);
	ck_assert_int_eq(c->self_signed, 0);
	ck_assert_str_eq(c->signature, "ecdsa-with-SHA256");
	chain_clear(&ch);

	chain_load(&ch, "incomplete-chain.pem");
	c = &ch.certs[0];
	ck_assert_str_eq(c->ca_issuers_url, "http://127.0.0.1:9/inter.der");
	ck_assert_str_eq(c->ocsp_url, "http://127.0.0.1:9/ocsp");
	ck_assert_str_eq(c->crl_url, "http://127.0.0.1:9/inter.crl");
	chain_clear(&ch);

	chain_load(&ch, "selfsigned-chain.pem");
	ck_assert_int_eq(ch.certs[0].self_signed, 1);
	chain_clear(&ch);
	chain_load(&ch, "sha1-chain.pem");
	ck_assert_int_eq(ch.certs[0].weak_signature, 1);
	ck_assert_int_eq(ch.certs[1].weak_signature, 0);
	chain_clear(&ch);
	chain_load(&ch, "weakkey-chain.pem");
	ck_assert_int_eq(ch.certs[0].key_bits, 1024);
	chain_clear(&ch);
}
END_TEST

START_TEST(parse_hostile)
{
	struct chain ch = { 0 };
	const struct cert_info *c;

	chain_load(&ch, "hostile-chain.pem");
	c = &ch.certs[0];
	const char *fields[] = { c->subject, c->cn, c->sans[0], c->sans[1] };
	for (size_t i = 0; i < 4; i++) {
		ck_assert_ptr_nonnull(fields[i]);
		for (const unsigned char *p = (const unsigned char *)fields[i];
		    *p; p++)
			ck_assert_msg(*p >= 0x20 && *p != 0x7f,
			    "control byte in %s", fields[i]);
		ck_assert_ptr_null(strstr(fields[i], "\xc2\x9b"));
	}
	ck_assert_str_eq(c->cn, "evil\\x1B]0;pwned\\x1B\\\\\\u{9B}name");
	ck_assert_str_eq(c->sans[1], "x\\x1B[2Jy.test");
	chain_clear(&ch);

	/* The name with escapes does not match, the clean one does. */
	expect("hostile-chain.pem", "hostile.test", "root.pem", "");
	expect("hostile-chain.pem", "x\x1b[2Jy.test", "root.pem",
	    "cert.hostname");
	/* Evidence shows each escape once, as the fields do. */
	struct report *r = run_at("hostile-chain.pem", "other.test",
	    "root.pem", 0, NULL);
	ck_assert_str_eq(finding(r, FINDING_CERT_HOSTNAME)->evidence,
	    "asked for other.test; the certificate names 2 hosts: "
	    "hostile.test, x\\x1B[2Jy.test");
	report_free(r);
	r = run_at("hostile-chain.pem", "hostile.test", "root.pem",
	    when(2150, 1, 1), NULL);
	ck_assert_str_eq(r->chain.certs[0].subject,
	    "CN=evil\\x1B]0;pwned\\x1B\\\\\\u{9B}name");
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_EXPIRED),
	    r->chain.certs[0].subject));
	report_free(r);
}
END_TEST

/* A certificate no CA would sign, built byte by byte with openssl's
 * asn1parse -genconf: a 10 kB CN of escapes, invalid UTF-8 and a C1
 * control; a 9 kB DNS name; a DNS name with a NUL inside. */
static void
hostile_der(const char *out)
{
	char *cnf = xasprintf("%s/hostile.cnf", pki);
	FILE *fp = fopen(cnf, "w");

	ck_assert_ptr_nonnull(fp);
	fputs("asn1=SEQUENCE:cert\n[cert]\ntbs=SEQUENCE:tbs\n"
	    "alg=SEQUENCE:sigalg\nsig=FORMAT:HEX,BITSTRING:00112233\n"
	    "[sigalg]\noid=OID:ecdsa-with-SHA256\n"
	    "[tbs]\nver=EXPLICIT:0,INTEGER:2\nserial=INTEGER:12345\n"
	    "alg=SEQUENCE:sigalg\nissuer=SEQUENCE:iname\n"
	    "validity=SEQUENCE:val\nsubject=SEQUENCE:sname\n"
	    "spki=SEQUENCE:spki\next=EXPLICIT:3,SEQUENCE:exts\n"
	    "[iname]\nrdn=SET:ircn\n[ircn]\na=SEQUENCE:icn\n"
	    "[icn]\noid=OID:commonName\nv=UTF8String:Hostile Issuer\n"
	    "[sname]\nrdn=SET:srcn\n[srcn]\na=SEQUENCE:scn\n"
	    "[scn]\noid=OID:commonName\n"
	    "v=IMPLICIT:12U,FORMAT:HEX,OCTETSTRING:", fp);
	for (int i = 0; i < 400; i++)
		fputs("1b5b324aff4141414141414141414141414141414141c29b", fp);
	fputs("\n[val]\nnb=UTCTIME:200101000000Z\n"
	    "na=GENERALIZEDTIME:20991231000000Z\n"
	    "[spki]\nalg=SEQUENCE:ecalg\nkey=FORMAT:HEX,BITSTRING:04", fp);
	for (int i = 0; i < 64; i++)
		fputs("11", fp);
	fputs("\n[ecalg]\na=OID:id-ecPublicKey\nb=OID:prime256v1\n"
	    "[exts]\nsan=SEQUENCE:sanext\n[sanext]\n"
	    "oid=OID:subjectAltName\nv=OCTWRAP,SEQUENCE:gnames\n"
	    "[gnames]\nd1=IMPLICIT:2,IA5STRING:ok.test\n"
	    "d2=IMPLICIT:2,FORMAT:HEX,OCTETSTRING:1b5d303b", fp);
	for (int i = 0; i < 9000; i++)
		fputs("78", fp);
	fputs("\nd3=IMPLICIT:2,FORMAT:HEX,OCTETSTRING:676f6f642e7465737400\n",
	    fp);
	fclose(fp);
	ck_assert_int_eq(testsrv_sh(10, "openssl asn1parse -genconf %s -out %s",
	    cnf, out), 0);
	free(cnf);
}

static void
assert_clean(const char *s, size_t max)
{
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_le(strlen(s), max);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "control byte in %s",
		    s);
	ck_assert_ptr_null(strstr(s, "\xc2\x9b"));
	ck_assert_ptr_null(strstr(s, "\xff"));
}

START_TEST(parse_hostile_built)
{
	char *der = xasprintf("%s/hostile-built.der", pki);
	size_t len;
	unsigned char *buf;
	struct report *r = report_new();

	hostile_der(der);
	buf = (unsigned char *)checkutil_slurp(der, &len);
	chain_from_der(&r->chain, &buf, &len, 1);
	const struct cert_info *c = &r->chain.certs[0];
	ck_assert_str_ne(c->subject, "(not a readable certificate)");
	assert_clean(c->subject, 1024);
	assert_clean(c->cn, 512);
	ck_assert_ptr_nonnull(strstr(c->cn, "\\x1B[2J\\xFFAAAA"));
	ck_assert_ptr_nonnull(strstr(c->cn, "\\u{9B}"));
	ck_assert_uint_eq(c->nsans, 3);
	for (size_t i = 0; i < c->nsans; i++)
		assert_clean(c->sans[i], 512);
	ck_assert_str_eq(c->sans[2], "good.test\\x00");
	/* "good.test\0" is not good.test; ok.test is fine. */
	struct chain_opts o = { .hostname = "good.test",
		.now = when(2026, 6, 1) };
	chain_analyze(&r->chain, &o, r);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_int_eq(r->findings[0].id, FINDING_CERT_HOSTNAME);
	assert_clean(r->findings[0].evidence, 4096);
	/* Escaped once, as in the certificate fields; the NUL is U+FFFD. */
	ck_assert_ptr_nonnull(strstr(r->findings[0].evidence,
	    "ok.test, \\x1B]0;xxx"));
	ck_assert_ptr_null(strstr(r->findings[0].evidence, "\\\\"));
	ck_assert_ptr_nonnull(strstr(r->findings[0].evidence,
	    "good.test\xef\xbf\xbd"));
	report_remove(r, FINDING_CERT_HOSTNAME);
	o.hostname = "ok.test";
	chain_analyze(&r->chain, &o, r);
	ck_assert_uint_eq(r->nfindings, 0);
	report_free(r);
	free(buf);
	free(der);
}
END_TEST

/* Random byte flips in a real chain: parse and analyse must never crash
 * (run under make check-asan for memory errors). */
START_TEST(parse_mutations)
{
	unsigned char *ders[2];
	size_t lens[2];
	char *path = xasprintf("%s/good-chain.pem", pki);
	struct trust *t = trust_file("root.pem");
	unsigned int seed = 12345;
	int parsed = 0;
	int64_t t0 = now_ms();

	ck_assert_uint_eq(checkutil_pem_ders(path, ders, lens, 2), 2);
	for (int round = 0; round < 400; round++) {
		unsigned char *m[2];
		for (int k = 0; k < 2; k++) {
			m[k] = xmalloc(lens[k]);
			memcpy(m[k], ders[k], lens[k]);
		}
		for (int f = 0; f < 1 + round % 4; f++) {
			size_t k = (size_t)rand_r(&seed) % 2;
			m[k][(size_t)rand_r(&seed) % lens[k]] =
			    (unsigned char)rand_r(&seed);
		}
		struct report *r = report_new();
		struct chain_opts o = { .trust = t, .hostname = "good.test",
			.now = when(2026, 6, 1) };
		chain_from_der(&r->chain, m, lens, 2);
		parsed += strcmp(r->chain.certs[0].subject,
		    "(not a readable certificate)") != 0;
		chain_analyze(&r->chain, &o, r);
		for (size_t i = 0; i < r->nfindings; i++)
			assert_clean(r->findings[i].evidence, 4096);
		report_free(r);
		free(m[0]);
		free(m[1]);
	}
	printf("400 mutated chains: %d leaves still parsed, %lld ms\n",
	    parsed, (long long)(now_ms() - t0));
	trust_free(t);
	free(ders[0]);
	free(ders[1]);
	free(path);
}
END_TEST

START_TEST(parse_many_sans)
{
	struct chain ch = { 0 };
	int64_t t0 = now_ms();

	chain_load(&ch, "manysans-chain.pem");
	printf("parse of a 5000-SAN chain: %lld ms\n",
	    (long long)(now_ms() - t0));
	ck_assert_uint_eq(ch.certs[0].nsans, 200);
	ck_assert_uint_eq(ch.certs[0].nsans_total, 5000);
	chain_clear(&ch);
	/* The host check sees every name, not only the kept ones. */
	expect("manysans-chain.pem", "h4999.manysans.test", "root.pem", "");
	struct report *r = run_at("manysans-chain.pem", "nope.test",
	    "root.pem", 0, NULL);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_HOSTNAME),
	    "5000 hosts"));
	report_free(r);
}
END_TEST

START_TEST(parse_garbage)
{
	struct cert_info ci;
	unsigned char junk[300];
	struct chain ch = { 0 };
	unsigned char *ders[3];
	size_t lens[3];

	memset(junk, 0x30, sizeof junk);
	ck_assert_int_eq(cert_info_parse(junk, sizeof junk, &ci), -1);
	ck_assert_int_eq(cert_info_parse(NULL, 0, &ci), -1);
	char *path = xasprintf("%s/good-chain.pem", pki);
	ck_assert_int_eq(checkutil_pem_ders(path, ders, lens, 2), 2);
	free(path);
	/* Every cut of a real certificate is refused or parsed, no crash. */
	for (size_t cut = 0; cut < lens[0]; cut += 7)
		if (cert_info_parse(ders[0], cut, &ci) == 0)
			cert_info_clear(&ci);
	ders[2] = junk, lens[2] = sizeof junk;
	unsigned char *order[3] = { ders[0], ders[2], ders[1] };
	size_t olens[3] = { lens[0], lens[2], lens[1] };
	chain_from_der(&ch, order, olens, 3);
	ck_assert_uint_eq(ch.n, 3);
	ck_assert_str_eq(ch.certs[1].subject, "(not a readable certificate)");
	struct report *r = report_new();
	struct trust *t = trust_file("root.pem");
	struct chain_opts o = { .trust = t, .hostname = "good.test",
		.now = when(2026, 6, 1) };
	chain_analyze(&ch, &o, r);
	char *got = ids(r);
	ck_assert_str_eq(got, "cert.chain.order");
	free(got);
	report_free(r);
	trust_free(t);
	chain_clear(&ch);
	free(ders[0]);
	free(ders[1]);
}
END_TEST

/* --- one problem per case --- */

START_TEST(case_good)
{
	expect("good-chain.pem", "good.test", "root.pem", "");
	expect("good-chain.pem", "GOOD.test.", "root.pem", "");
	expect("good-chain.pem", "localhost", "root.pem", "");
	expect("good-chain.pem", "127.0.0.1", "root.pem", "");
	expect("good-chain.pem", "::1", "root.pem", "");
	expect("good-chain.pem", "[::1]", "root.pem", "");
	expect("good-chain.pem", "127.0.0.2", "root.pem", "cert.hostname");
	expect("good-chain.pem", "a.good.test", "root.pem", "cert.hostname");
	/* Trusting the intermediate alone is enough (as browsers do;
	 * OpenSSL only with X509_V_FLAG_PARTIAL_CHAIN). */
	expect("good-chain.pem", "good.test", "inter.pem", "");
}
END_TEST

START_TEST(case_dates)
{
	struct report *r;

	expect("expired-chain.pem", "expired.test", "root.pem", "cert.expired");
	expect("notyet-chain.pem", "notyet.test", "root.pem",
	    "cert.not_yet_valid");
	r = run_at("expired-chain.pem", "expired.test", "root.pem", 0, NULL);
	const struct finding *f = finding(r, FINDING_CERT_EXPIRED);
	ck_assert_str_eq(f->summary, "The server's certificate has expired.");
	ck_assert_ptr_nonnull(strstr(f->evidence, "CN=expired.test"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "2001-01-01"));
	ck_assert_int_eq(f->owner, OWNER_SERVER);
	report_free(r);

	/* In 2000 the expired one was fine and everything else was early:
	 * trust does not depend on the date. */
	r = run_at("expired-chain.pem", "expired.test", "root.pem",
	    when(2000, 6, 1), NULL);
	char *got = ids(r);
	ck_assert_str_eq(got, "cert.not_yet_valid");
	free(got);
	/* Leaf fine, intermediate and the store's root early: both named. */
	f = finding(r, FINDING_CERT_NOT_YET_VALID);
	ck_assert_ptr_nonnull(strstr(f->evidence, "the intermediate"));
	ck_assert_ptr_nonnull(strstr(f->evidence,
	    "the root in your trust store"));
	ck_assert_ptr_null(strstr(f->evidence, "CN=expired.test"));
	report_free(r);

	/* In 2150 all three have expired, and each is named. */
	r = run_at("good-chain.pem", "good.test", "root.pem",
	    when(2150, 1, 1), NULL);
	got = ids(r);
	ck_assert_str_eq(got, "cert.expired");
	free(got);
	f = finding(r, FINDING_CERT_EXPIRED);
	ck_assert_str_eq(f->summary,
	    "Several certificates in the server's chain have expired.");
	ck_assert_ptr_nonnull(strstr(f->evidence, "the server's certificate"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "the intermediate"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "the root in your trust"));
	report_free(r);
}
END_TEST

START_TEST(case_hostname)
{
	struct report *r;

	expect("wronghost-chain.pem", "wronghost.test", "root.pem",
	    "cert.hostname");
	expect("wronghost-chain.pem", "other.test", "root.pem", "");
	r = run_at("wronghost-chain.pem", "wronghost.test", "root.pem", 0,
	    NULL);
	const struct finding *f = finding(r, FINDING_CERT_HOSTNAME);
	ck_assert_str_eq(f->evidence, "asked for wronghost.test; the "
	    "certificate names 1 host: other.test");
	report_free(r);

	/* No SAN, CN matches: its own words. */
	r = run_at("nosan-chain.pem", "nosan.test", "root.pem", 0, NULL);
	char *got = ids(r);
	ck_assert_str_eq(got, "cert.hostname");
	free(got);
	f = finding(r, FINDING_CERT_HOSTNAME);
	ck_assert_ptr_nonnull(strstr(f->summary, "Common Name"));
	ck_assert_ptr_nonnull(strstr(f->summary, "browsers reject"));
	report_free(r);
	r = run_at("nosan-chain.pem", "other.test", "root.pem", 0, NULL);
	f = finding(r, FINDING_CERT_HOSTNAME);
	ck_assert_ptr_null(strstr(f->summary, "Common Name"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "its CN is nosan.test"));
	report_free(r);
	/* No host given: no host check. */
	expect("wronghost-chain.pem", NULL, "root.pem", "");
}
END_TEST

START_TEST(case_self_signed)
{
	expect("selfsigned-chain.pem", "selfsigned.test", "root.pem",
	    "cert.self_signed");
	/* Installed by hand: trusted. */
	expect("selfsigned-chain.pem", "selfsigned.test", "selfsigned.pem",
	    "");
}
END_TEST

START_TEST(case_weak)
{
	struct report *r;

	expect("weakkey-chain.pem", "weakkey.test", "root.pem",
	    "cert.weak_key");
	expect("sha1-chain.pem", "sha1.test", "root.pem",
	    "cert.weak_signature");
	r = run_at("sha1-chain.pem", "sha1.test", "root.pem", 0, NULL);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_WEAK_SIGNATURE),
	    "CN=sha1.test"));
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_WEAK_SIGNATURE),
	    "sha1"));
	report_free(r);
	r = run_at("weakkey-chain.pem", "weakkey.test", "root.pem", 0, NULL);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_WEAK_KEY),
	    "1024-bit RSA"));
	report_free(r);
}
END_TEST

START_TEST(case_untrusted_incomplete)
{
	struct report *r;

	expect("untrusted-chain.pem", "untrusted.test", "root.pem",
	    "cert.untrusted_root");
	/* The same with its root sent along. */
	r = report_new();
	struct trust *t = trust_file("root.pem");
	struct chain_opts o = { .trust = t, .hostname = "untrusted.test",
		.now = when(2026, 6, 1) };
	chain_load(&r->chain, "untrusted-chain.pem");
	chain_load(&r->chain, "untrusted-root.pem");
	chain_analyze(&r->chain, &o, r);
	char *got = ids(r);
	ck_assert_str_eq(got, "cert.untrusted_root");
	free(got);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_UNTRUSTED_ROOT),
	    "Untrusted Root CA"));
	report_free(r);
	trust_free(t);

	/* Leaf alone with an AIA URL: the intermediate is missing. */
	expect("incomplete-chain.pem", "incomplete.test", "root.pem",
	    "cert.chain.incomplete");
	r = run_at("incomplete-chain.pem", "incomplete.test", "root.pem", 0,
	    NULL);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_CHAIN_INCOMPLETE),
	    "inter.der"));
	report_free(r);
	/* A leaf alone without AIA: still most likely incomplete. */
	expect("good.pem", "good.test", "root.pem", "cert.chain.incomplete");
	/* Nothing trusted at all: an intermediate whose root is unknown. */
	expect("good-chain.pem", "good.test", "untrusted-root.pem",
	    "cert.untrusted_root");
}
END_TEST

START_TEST(case_order)
{
	struct report *r;

	r = run_at("order-chain.pem", "order.test", "root.pem", 0, NULL);
	char *got = ids(r);
	ck_assert_str_eq(got, "cert.chain.order");
	free(got);
	ck_assert_str_eq(finding(r, FINDING_CERT_CHAIN_ORDER)->summary,
	    "The server sends its chain in the wrong order.");
	report_free(r);
	r = run_at("stray-chain.pem", "stray.test", "root.pem", 0, NULL);
	got = ids(r);
	ck_assert_str_eq(got, "cert.chain.order");
	free(got);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_CHAIN_ORDER),
	    "certificate 3 (CN=tlsmedic Untrusted Intermediate CA, O=Nobody) "
	    "is not part of the chain"));
	report_free(r);
	/* The root sent last is part of the chain, not a stray. */
	r = report_new();
	struct trust *t = trust_file("root.pem");
	struct chain_opts o = { .trust = t, .hostname = "good.test",
		.now = when(2026, 6, 1) };
	chain_load(&r->chain, "good-chain.pem");
	chain_load(&r->chain, "root.pem");
	chain_load(&r->chain, "root.pem"); /* twice: a duplicate */
	chain_analyze(&r->chain, &o, r);
	got = ids(r);
	ck_assert_str_eq(got, "cert.chain.order");
	free(got);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_CHAIN_ORDER),
	    "certificate 4 is a second copy of certificate 3"));
	report_free(r);
	trust_free(t);
}
END_TEST

START_TEST(case_cross_signed)
{
	/* Path stops at the trusted root: the expired cross-sign sent
	 * along is neither a stray nor judged. */
	expect("cross-chain.pem", "good.test", "root.pem", "");
	/* Trusting only its issuer, the path runs through it. */
	struct report *r = run_at("cross-chain.pem", "good.test",
	    "untrusted-root.pem", 0, NULL);
	char *got = ids(r);
	/* mkpki's cross-sign keeps the intermediate profile (pathlen:0):
	 * openssl verify refuses that path too (error 25 at depth 2). */
	ck_assert_str_eq(got, "cert.chain.invalid_issuer,cert.expired");
	free(got);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_EXPIRED),
	    "the intermediate (CN=tlsmedic Test Root CA, O=tlsmedic tests) "
	    "expired 2001-01-01"));
	report_free(r);
}
END_TEST

START_TEST(case_interception)
{
	struct report *r;

	/* The victim trusts the product's root. */
	r = run_at("intercept-chain.pem", "intercept.test",
	    "roots-and-intercept.pem", 0, NULL);
	char *got = ids(r);
	ck_assert_str_eq(got, "mitm.interception");
	free(got);
	const struct finding *f = finding(r, FINDING_MITM_INTERCEPTION);
	ck_assert_ptr_nonnull(strstr(f->summary, "Zscaler"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "O=Zscaler Inc."));
	ck_assert_int_eq(f->owner, OWNER_NETWORK);
	report_free(r);
	/* Not trusted: both facts. */
	expect("intercept-chain.pem", "intercept.test", "root.pem",
	    "cert.untrusted_root,mitm.interception");
}
END_TEST

START_TEST(case_path_confusion)
{
	struct report *r;

	r = run_at("confusion-chain.pem", "confusion.test",
	    "confusion-roots.pem", 0, NULL);
	char *got = ids(r);
	ck_assert_str_eq(got, "cert.path_confusion");
	free(got);
	const struct finding *f = finding(r, FINDING_CERT_PATH_CONFUSION);
	ck_assert_int_eq(f->owner, OWNER_CLIENT);
	ck_assert_ptr_nonnull(strstr(f->evidence, "2 roots in the trust store "
	    "are named CN=tlsmedic Confusion Root CA"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "the one that signed"));
	printf("path confusion evidence: %s\n", f->evidence);
	report_free(r);
	expect("confusion-chain.pem", "confusion.test", "confusion-root2.pem",
	    "");
	/* Only the wrong one of the pair trusted. */
	expect("confusion-chain.pem", "confusion.test", "confusion-root1.pem",
	    "cert.untrusted_root");
}
END_TEST

START_TEST(case_all_at_once)
{
	/* Expired, wrong host and from an untrusted issuer: all reported. */
	struct report *r = run_at("expired-chain.pem", "wrong.test",
	    "untrusted-root.pem", 0, NULL);
	char *got = ids(r);
	ck_assert_str_eq(got, "cert.expired,cert.hostname,cert.untrusted_root");
	free(got);
	report_free(r);
}
END_TEST

/* --- AIA fetch from a loopback server --- */

struct minihttp {
	int fd, port;
	const unsigned char *body;
	size_t len;
	int requests;
	pthread_t th;
};

static void *
minihttp_run(void *arg)
{
	struct minihttp *m = arg;

	for (int served = 0; served < m->requests; served++) {
		struct pollfd p = { .fd = m->fd, .events = POLLIN };
		char req[4096];
		size_t got = 0;
		if (poll(&p, 1, 5000) <= 0)
			break;
		int c = accept(m->fd, NULL, NULL);
		if (c < 0)
			break;
		while (got < sizeof req - 1) {
			struct pollfd q = { .fd = c, .events = POLLIN };
			if (poll(&q, 1, 2000) <= 0)
				break;
			ssize_t n = read(c, req + got, sizeof req - 1 - got);
			if (n <= 0)
				break;
			got += (size_t)n;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		char head[128];
		int hl = snprintf(head, sizeof head, "HTTP/1.0 200 OK\r\n"
		    "Content-Type: application/pkix-cert\r\n"
		    "Content-Length: %zu\r\n\r\n", m->len);
		if (write(c, head, (size_t)hl) < 0 ||
		    write(c, m->body, m->len) < 0)
			perror("minihttp write");
		close(c);
	}
	return NULL;
}

static void
minihttp_start(struct minihttp *m)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;

	m->fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(m->fd, 0);
	ck_assert_int_eq(bind(m->fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(m->fd, 4), 0);
	getsockname(m->fd, (struct sockaddr *)&a, &al);
	m->port = ntohs(a.sin_port);
}

/* A leaf under inter whose AIA points at our server (made now: the port
 * is only known now). */
static void
aia_leaf(int port, const char *name)
{
	ck_assert_int_eq(testsrv_sh(20, "cd %s && printf \"%s\" \"[x]\" "
	    "\"authorityInfoAccess=caIssuers;URI:http://127.0.0.1:%d/i.der\" "
	    "\"subjectAltName=DNS:aia.test\" >aia.cnf && "
	    "openssl req -new -key leaf.key -subj /CN=aia.test -out aia.csr && "
	    "openssl x509 -req -in aia.csr -CA inter.pem -CAkey inter.key "
	    "-set_serial 77 -days 3650 -extfile aia.cnf -extensions x "
	    "-out %s", pki, "%s\\n%s\\n%s\\n", port, name), 0);
}

static void
aia_case(const char *served, const char *want, const char *evidence)
{
	struct minihttp m = { .requests = 1 };
	struct net_ctx ctx;
	char *path = xasprintf("%s/%s", pki, served);
	unsigned char *ders[1];
	size_t lens[1];

	ck_assert_uint_eq(checkutil_pem_ders(path, ders, lens, 1), 1);
	m.body = ders[0], m.len = lens[0];
	minihttp_start(&m);
	aia_leaf(m.port, "aia.pem");
	ck_assert_int_eq(pthread_create(&m.th, NULL, minihttp_run, &m), 0);
	net_ctx_init(&ctx);
	int64_t t0 = now_ms();
	/* The leaf was made just now: judge it now. */
	struct report *r = run_at("aia.pem", "aia.test", "root.pem",
	    time(NULL), &ctx);
	printf("AIA fetch and analysis: %lld ms\n",
	    (long long)(now_ms() - t0));
	pthread_join(m.th, NULL);
	close(m.fd);
	char *got = ids(r);
	ck_assert_msg(strcmp(got, want) == 0, "served %s: got {%s}", served,
	    got);
	free(got);
	const struct finding *f = report_find(r, want[5] == 'c' ?
	    FINDING_CERT_CHAIN_INCOMPLETE : FINDING_CERT_UNTRUSTED_ROOT);
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(strstr(f->evidence, evidence) != NULL, "evidence: %s",
	    f->evidence);
	report_free(r);
	net_ctx_destroy(&ctx);
	free(ders[0]);
	free(path);
}

START_TEST(aia_real_issuer)
{
	aia_case("inter.pem", "cert.chain.incomplete",
	    "chains to the trusted root CN=tlsmedic Test Root CA");
}
END_TEST

START_TEST(aia_rogue_issuer)
{
	/* A plausible URL that serves some other CA's certificate. */
	aia_case("untrusted-inter.pem", "cert.untrusted_root",
	    "which did not sign CN=aia.test");
}
END_TEST

START_TEST(aia_nobody_there)
{
	/* Port 9 on loopback: refused at once; the URL still tells. */
	struct net_ctx ctx;

	net_ctx_init(&ctx);
	struct report *r = run_at("incomplete-chain.pem", "incomplete.test",
	    "root.pem", 0, &ctx);
	char *got = ids(r);
	ck_assert_str_eq(got, "cert.chain.incomplete");
	free(got);
	ck_assert_ptr_nonnull(strstr(evidence(r, FINDING_CERT_CHAIN_INCOMPLETE),
	    "failed"));
	report_free(r);
	net_ctx_destroy(&ctx);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("chain");
	TCase *tc = tcase_create("parse");
	TCase *an = tcase_create("analyze");
	TCase *aia = tcase_create("aia");

	wolfSSL_Init();
	if ((pki = checkutil_mkpki("check_chain")) == NULL)
		return EXIT_FAILURE;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parse_fields);
	tcase_add_test(tc, parse_hostile);
	tcase_add_test(tc, parse_many_sans);
	tcase_add_test(tc, parse_garbage);
	tcase_add_test(tc, parse_hostile_built);
	tcase_add_test(tc, parse_mutations);
	suite_add_tcase(s, tc);
	tcase_set_timeout(an, 60);
	tcase_add_test(an, case_good);
	tcase_add_test(an, case_dates);
	tcase_add_test(an, case_hostname);
	tcase_add_test(an, case_self_signed);
	tcase_add_test(an, case_weak);
	tcase_add_test(an, case_untrusted_incomplete);
	tcase_add_test(an, case_order);
	tcase_add_test(an, case_cross_signed);
	tcase_add_test(an, case_interception);
	tcase_add_test(an, case_path_confusion);
	tcase_add_test(an, case_all_at_once);
	suite_add_tcase(s, an);
	tcase_set_timeout(aia, 60);
	tcase_add_test(aia, aia_real_issuer);
	tcase_add_test(aia, aia_rogue_issuer);
	tcase_add_test(aia, aia_nobody_there);
	suite_add_tcase(s, aia);
	int status = checkutil_run(s);
	testsrv_rmdir(pki);
	free(pki);
	return status;
}
