/* check_clients.c: which clients can connect (clients.h), decided from
 * hand-made reports -- one fact changed at a time. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "clients.h"
#include "hello.h"
#include "model.h"
#include "util.h"
#include "checkutil.h"

/* A server that speaks only the versions in want (others refused). */
static struct report *
server(unsigned want)
{
	struct report *r = report_new();

	for (int p = 0; p < PROTO_COUNT; p++)
		r->protocols[p] = (want >> p) & 1 ? TRI_YES : TRI_NO;
	return r;
}

#define V(p) (1u << (p))

static void
suites(struct report *r, int p, const uint16_t *codes, size_t n)
{
	r->ciphers[p].codes = xcalloc(n ? n : 1, sizeof *codes);
	memcpy(r->ciphers[p].codes, codes, n * sizeof *codes);
	r->ciphers[p].n = n;
	r->ciphers[p].tested = 1;
}

static void
groups(struct group_set *gs, const uint16_t *yes, size_t ny,
    const uint16_t *no, size_t nn)
{
	memset(gs, 0, sizeof *gs);
	if (ny > 0)
		memcpy(gs->codes, yes, ny * 2);
	gs->n = ny;
	if (nn > 0)
		memcpy(gs->refused, no, nn * 2);
	gs->nrefused = nn;
	gs->tested = ny > 0;
}

/* One certificate: key type and bits, signature, weak or not. */
static void
cert(struct report *r, const char *key, int bits, const char *sig, int weak)
{
	struct cert_info *c;

	r->chain.certs = xrealloc(r->chain.certs,
	    (r->chain.n + 1) * sizeof *r->chain.certs);
	c = &r->chain.certs[r->chain.n++];
	memset(c, 0, sizeof *c);
	c->subject = xstrdup("CN=test");
	c->issuer = xstrdup("CN=ca");
	c->key_type = xstrdup(key);
	c->key_bits = bits;
	c->signature = sig ? xstrdup(sig) : NULL;
	c->weak_signature = weak;
}

static const uint16_t all_ec[] = { 0x001d, 0x0017, 0x0018, 0x0019 };
static const uint16_t tls13_suites[] = { 0x1301, 0x1302, 0x1303 };
static const uint16_t modern12[] = { 0xC02F, 0xC030, 0xC013 };

/* TLS 1.2 and 1.3 with modern suites, every common group, RSA-2048. */
static struct report *
healthy(void)
{
	struct report *r = server(V(PROTO_TLS12) | V(PROTO_TLS13));

	suites(r, PROTO_TLS13, tls13_suites, 3);
	suites(r, PROTO_TLS12, modern12, 3);
	groups(&r->groups_tls13, all_ec, 4, NULL, 0);
	groups(&r->groups_ecdhe, all_ec, 4, NULL, 0);
	cert(r, "RSA", 2048, "sha256WithRSAEncryption", 0);
	cert(r, "EC", 256, "ecdsa-with-SHA256", 0);
	r->chain_public = TRI_NO;
	return r;
}

static const struct client_result *
row(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->nclients; i++)
		if (strcmp(r->clients[i].id, id) == 0)
			return &r->clients[i];
	ck_abort_msg("no client profile %s", id);
	return NULL;
}

static void
expect(const struct report *r, const char *id, enum tri want,
    const char *stage)
{
	const struct client_result *c = row(r, id);

	ck_assert_msg(c->connects == want, "%s: connects %d, wanted %d (%s)",
	    id, c->connects, want, c->reason ? c->reason : "");
	if (stage == NULL)
		ck_assert_ptr_null(c->stage);
	else
		ck_assert_msg(c->stage && strcmp(c->stage, stage) == 0,
		    "%s: stage %s, wanted %s (%s)", id,
		    c->stage ? c->stage : "-", stage, c->reason);
	ck_assert_ptr_nonnull(c->reason);
}

START_TEST(healthy_everyone_connects)
{
	struct report *r = healthy();

	clients_judge(r);
	ck_assert_uint_ge(r->nclients, 15);
	for (size_t i = 0; i < r->nclients; i++)
		ck_assert_msg(r->clients[i].connects == TRI_YES, "%s: %s",
		    r->clients[i].name, r->clients[i].reason);
	/* current major browsers first */
	ck_assert(r->clients[0].current);
	ck_assert_ptr_nonnull(strstr(row(r, "chrome")->reason, "TLS 1.3"));
	ck_assert_ptr_nonnull(strstr(row(r, "windows-10")->reason,
	    "TLS 1.2"));
	report_free(r);
}
END_TEST

START_TEST(triple_des_only)
{
	struct report *r = server(V(PROTO_TLS12));
	static const uint16_t des[] = { 0x000A };
	char *fail, *ok;

	suites(r, PROTO_TLS12, des, 1);
	cert(r, "RSA", 2048, "sha256WithRSAEncryption", 0);
	clients_judge(r);
	expect(r, "chrome", TRI_NO, "suite");
	expect(r, "edge", TRI_NO, "suite");
	expect(r, "firefox", TRI_NO, "suite");
	expect(r, "safari", TRI_YES, NULL);
	expect(r, "windows-10", TRI_YES, NULL);
	expect(r, "windows-11", TRI_NO, "suite");
	expect(r, "curl-openssl3", TRI_NO, "suite");
	expect(r, "python-openssl3", TRI_NO, "suite");
	expect(r, "java-17", TRI_NO, "suite");
	expect(r, "java-8", TRI_YES, NULL);
	fail = clients_names(r, 1, TRI_NO, "suite group");
	ok = clients_names(r, 1, TRI_YES, NULL);
	ck_assert_ptr_nonnull(strstr(fail, "Chrome"));
	ck_assert_ptr_nonnull(strstr(fail, "Firefox"));
	ck_assert_ptr_null(strstr(fail, "Safari"));
	ck_assert_ptr_nonnull(strstr(ok, "Safari"));
	ck_assert_ptr_nonnull(strstr(fail, " and "));
	ck_assert_ptr_null(clients_names(r, 1, TRI_NO, "version"));
	free(fail);
	free(ok);
	report_free(r);
}
END_TEST

START_TEST(tls13_only)
{
	struct report *r = healthy();

	r->protocols[PROTO_TLS12] = TRI_NO;
	clients_judge(r);
	expect(r, "chrome", TRI_YES, NULL);
	expect(r, "safari", TRI_YES, NULL);
	expect(r, "android-13", TRI_YES, NULL);
	expect(r, "android-7", TRI_NO, "version");
	expect(r, "windows-10", TRI_NO, "version");
	expect(r, "ie11-win7", TRI_NO, "version");
	expect(r, "java-8", TRI_NO, "version");
	ck_assert_ptr_nonnull(strstr(row(r, "java-8")->reason, "TLS 1.3"));
	report_free(r);
}
END_TEST

START_TEST(versions_not_known)
{
	struct report *r = healthy();

	/* Nothing known about the versions: nobody "connects". */
	for (int p = 0; p < PROTO_COUNT; p++)
		r->protocols[p] = TRI_UNKNOWN;
	clients_judge(r);
	for (size_t i = 0; i < r->nclients; i++)
		ck_assert_int_eq(r->clients[i].connects, TRI_UNKNOWN);
	expect(r, "chrome", TRI_UNKNOWN, "version");
	report_free(r);
	/* TLS 1.3 unknown, TLS 1.2 fine: the pick is uncertain. */
	r = healthy();
	r->protocols[PROTO_TLS13] = TRI_UNKNOWN;
	clients_judge(r);
	expect(r, "chrome", TRI_UNKNOWN, "version");
	expect(r, "windows-10", TRI_YES, NULL);
	report_free(r);
}
END_TEST

START_TEST(groups_decide)
{
	struct report *r = healthy();
	static const uint16_t p521[] = { 0x0019 };
	static const uint16_t others[] = { 0x11ec, 0x001d, 0x0017, 0x0018,
		0x001e, 0x0100, 0x0101 };

	/* Not probed: unknown, never a guessed yes. */
	memset(&r->groups_tls13, 0, sizeof r->groups_tls13);
	clients_judge(r);
	expect(r, "chrome", TRI_UNKNOWN, "group");
	expect(r, "windows-10", TRI_YES, NULL); /* TLS 1.2 only */
	/* P-521 only: Chrome has no P-521, Firefox and Safari do. */
	groups(&r->groups_tls13, p521, 1, others, 7);
	clients_judge(r);
	expect(r, "chrome", TRI_NO, "group");
	ck_assert_ptr_nonnull(strstr(row(r, "chrome")->reason, "P-521"));
	expect(r, "firefox", TRI_YES, NULL);
	expect(r, "safari", TRI_YES, NULL);
	/* curl offers ffdhe4096.. that were not asked about: unknown */
	expect(r, "curl-openssl3", TRI_YES, NULL); /* it has P-521 */
	report_free(r);
}
END_TEST

START_TEST(dhe_prime)
{
	struct report *r = server(V(PROTO_TLS12));
	static const uint16_t dhe[] = { 0x009E };

	suites(r, PROTO_TLS12, dhe, 1);
	cert(r, "RSA", 2048, "sha256WithRSAEncryption", 0);
	r->dh_bits = 1024;
	clients_judge(r);
	expect(r, "chrome", TRI_NO, "suite");
	expect(r, "curl-openssl3", TRI_NO, "group");
	ck_assert_ptr_nonnull(strstr(row(r, "curl-openssl3")->reason, "1024"));
	expect(r, "python-openssl3", TRI_NO, "group");
	expect(r, "java-17", TRI_YES, NULL);
	expect(r, "windows-10", TRI_YES, NULL);
	r->dh_bits = 2048;
	clients_judge(r);
	expect(r, "curl-openssl3", TRI_YES, NULL);
	ck_assert_ptr_nonnull(strstr(row(r, "curl-openssl3")->reason,
	    "DH 2048"));
	r->dh_bits = 0; /* not seen */
	clients_judge(r);
	expect(r, "curl-openssl3", TRI_UNKNOWN, "group");
	report_free(r);
}
END_TEST

START_TEST(missing_intermediate)
{
	struct report *r = healthy();
	struct finding *f;

	r->chain.n = 1; /* the leaf alone (the rest stays allocated) */
	f = report_add(r, FINDING_CERT_CHAIN_INCOMPLETE, "missing", "ev");
	ck_assert_int_eq(f->owner, OWNER_SERVER);
	r->chain_aia = TRI_YES; /* fetched: it leads to a trusted root */
	r->chain_public = TRI_NO;
	clients_judge(r);
	expect(r, "chrome", TRI_YES, NULL);
	ck_assert_ptr_nonnull(strstr(row(r, "chrome")->reason, "fetches"));
	expect(r, "safari", TRI_YES, NULL);
	expect(r, "android-13", TRI_YES, NULL);
	expect(r, "windows-11", TRI_YES, NULL);
	expect(r, "firefox", TRI_NO, "certificate"); /* private CA */
	expect(r, "curl-openssl3", TRI_NO, "certificate");
	expect(r, "python-openssl3", TRI_NO, "certificate");
	expect(r, "java-17", TRI_NO, "certificate");

	/* "Works in Chrome, fails in my script" */
	clients_note_set(r, CLIENT_APP_PROGRAM);
	ck_assert_ptr_nonnull(r->clients_note);
	ck_assert_ptr_nonnull(strstr(r->clients_note, "program you use"));
	ck_assert_ptr_nonnull(strstr(r->clients_note, "Python"));
	ck_assert_ptr_nonnull(strstr(r->clients_note, "intermediate"));
	ck_assert_ptr_nonnull(strstr(r->clients_note, "Chrome"));
	clients_note_set(r, CLIENT_APP_BROWSER);
	ck_assert_ptr_nonnull(strstr(r->clients_note, "Firefox"));
	ck_assert_ptr_nonnull(strstr(r->clients_note, "cannot connect"));
	clients_note_set(r, 0);
	ck_assert_ptr_null(r->clients_note);

	/* A public CA: Firefox has it preloaded. */
	r->chain_public = TRI_YES;
	clients_judge(r);
	expect(r, "firefox", TRI_YES, NULL);
	ck_assert_ptr_nonnull(strstr(row(r, "firefox")->reason, "preloaded"));
	/* The fetch failed: the fetching clients fail too. */
	r->chain_aia = TRI_NO;
	r->chain_public = TRI_UNKNOWN;
	clients_judge(r);
	expect(r, "chrome", TRI_NO, "certificate");
	expect(r, "firefox", TRI_UNKNOWN, "certificate");
	r->chain.n = 2;
	report_free(r);
}
END_TEST

START_TEST(sha1_and_key_size)
{
	struct report *r = healthy();

	free(r->chain.certs[0].signature);
	r->chain.certs[0].signature = xstrdup("sha1WithRSAEncryption");
	r->chain.certs[0].weak_signature = 1;
	r->chain_public = TRI_NO; /* a private root */
	clients_judge(r);
	expect(r, "chrome", TRI_NO, "certificate");
	expect(r, "safari", TRI_NO, "certificate");
	expect(r, "curl-openssl3", TRI_NO, "certificate");
	expect(r, "firefox", TRI_YES, NULL);
	expect(r, "java-17", TRI_YES, NULL);
	expect(r, "windows-10", TRI_YES, NULL);
	expect(r, "java-8", TRI_YES, NULL);
	expect(r, "android-7", TRI_UNKNOWN, "certificate");
	r->chain_public = TRI_YES;
	clients_judge(r);
	expect(r, "firefox", TRI_NO, "certificate");
	expect(r, "java-17", TRI_NO, "certificate");
	expect(r, "java-8", TRI_YES, NULL);
	report_free(r);

	r = healthy();
	r->chain.certs[0].key_bits = 1024;
	clients_judge(r);
	expect(r, "curl-openssl3", TRI_NO, "certificate");
	expect(r, "safari", TRI_NO, "certificate");
	expect(r, "chrome", TRI_YES, NULL);
	expect(r, "java-17", TRI_YES, NULL);
	report_free(r);
}
END_TEST

START_TEST(certificate_owner_matters)
{
	struct report *r = healthy();
	struct finding *f;

	f = report_add(r, FINDING_CERT_EXPIRED, "expired", "ev");
	clients_judge(r);
	for (size_t i = 0; i < r->nclients; i++)
		ck_assert_int_eq(r->clients[i].connects, TRI_NO);
	expect(r, "chrome", TRI_NO, "certificate");
	/* Blamed on this computer's clock: not the client's doing. */
	f->owner = OWNER_CLIENT;
	clients_judge(r);
	expect(r, "chrome", TRI_YES, NULL);
	report_free(r);

	/* Revoked: who checks revocation is not known per client. */
	r = healthy();
	report_add(r, FINDING_CERT_REVOKED, "revoked", "ev");
	clients_judge(r);
	expect(r, "chrome", TRI_UNKNOWN, "certificate");
	expect(r, "curl-openssl3", TRI_UNKNOWN, "certificate");
	report_free(r);

	/* Suites not all listed: a "no" on the ones seen is not final. */
	r = healthy();
	r->protocols[PROTO_TLS13] = TRI_NO;
	r->ciphers[PROTO_TLS12].tested = 0;
	r->ciphers[PROTO_TLS12].n = 1; /* only C02F seen */
	memset(&r->groups_ecdhe, 0, sizeof r->groups_ecdhe);
	static const uint16_t p521[] = { 0x0019 };
	static const uint16_t rest[] = { 0x001d, 0x0017, 0x0018, 0x001e };
	groups(&r->groups_ecdhe, p521, 1, rest, 4);
	clients_judge(r);
	expect(r, "chrome", TRI_UNKNOWN, "suite");
	r->ciphers[PROTO_TLS12].tested = 1;
	clients_judge(r);
	expect(r, "chrome", TRI_NO, "group");
	report_free(r);

	/* No certificate seen: unknown, not "connects". */
	r = healthy();
	chain_clear(&r->chain);
	clients_judge(r);
	expect(r, "chrome", TRI_UNKNOWN, "signature");
	expect(r, "curl-openssl3", TRI_UNKNOWN, "signature");
	report_free(r);
}
END_TEST

START_TEST(signature_algorithms)
{
	struct report *r = healthy();

	free(r->chain.certs[0].key_type);
	r->chain.certs[0].key_type = xstrdup("Ed25519");
	r->protocols[PROTO_TLS12] = TRI_NO;
	clients_judge(r);
	expect(r, "chrome", TRI_NO, "signature");
	expect(r, "firefox", TRI_NO, "signature");
	expect(r, "java-17", TRI_YES, NULL);
	expect(r, "curl-openssl3", TRI_YES, NULL);
	report_free(r);

	/* ECDSA P-521 in TLS 1.3: Chrome and Safari lack the algorithm. */
	r = healthy();
	free(r->chain.certs[0].key_type);
	r->chain.certs[0].key_type = xstrdup("EC");
	r->chain.certs[0].key_bits = 521;
	r->protocols[PROTO_TLS12] = TRI_NO;
	clients_judge(r);
	expect(r, "chrome", TRI_NO, "signature");
	expect(r, "safari", TRI_NO, "signature");
	expect(r, "firefox", TRI_YES, NULL);
	report_free(r);
}
END_TEST

/* hello.c reads the DHE prime's size from the ServerKeyExchange. */
START_TEST(dh_prime_from_server_key_exchange)
{
	static const uint16_t offer[] = { 0x009E, 0xC02F };
	struct hello_req req = { .version = 0x0303, .suites = offer,
		.nsuites = 2, .want_certs = 1 };
	unsigned char b[512];
	size_t n = 0, hs;
	struct hello_resp resp;

	for (int k = 0; k < 2; k++) {
		n = 0;
		b[n++] = 22, b[n++] = 3, b[n++] = 3, n += 2; /* record */
		hs = n;
		/* ServerHello: version, random, no session id, suite, null */
		b[n++] = 2, b[n++] = 0, b[n++] = 0, b[n++] = 38;
		b[n++] = 3, b[n++] = 3;
		memset(b + n, 7, 32), n += 32;
		b[n++] = 0;
		b[n++] = k ? 0xC0 : 0x00, b[n++] = k ? 0x2F : 0x9E;
		b[n++] = 0;
		/* Certificate: an empty list */
		b[n++] = 11, b[n++] = 0, b[n++] = 0, b[n++] = 3;
		b[n++] = 0, b[n++] = 0, b[n++] = 0;
		/* ServerKeyExchange: dh_p of 129 bytes, a leading zero, then a
		 * 1023-bit number; g; Ys (hello.c checks all three are there) */
		b[n++] = 12, b[n++] = 0, b[n++] = 0, b[n++] = 2 + 129 + 3 + 3;
		b[n++] = 0, b[n++] = 129, b[n++] = 0, b[n++] = 0x7f;
		memset(b + n, 0xff, 127), n += 127;
		b[n++] = 0, b[n++] = 1, b[n++] = 2;
		b[n++] = 0, b[n++] = 1, b[n++] = 5;
		/* ServerHelloDone */
		b[n++] = 14, b[n++] = 0, b[n++] = 0, b[n++] = 0;
		b[hs - 2] = (unsigned char)((n - hs) >> 8);
		b[hs - 1] = (unsigned char)(n - hs);
		ck_assert_int_eq(hello_parse(&req, b, n, &resp), 1);
		ck_assert_int_eq(resp.kind, HELLO_SERVER_HELLO);
		/* ECDHE's ServerKeyExchange is not a DH prime */
		ck_assert_int_eq(resp.dh_bits, k ? 0 : 1023);
		hello_resp_clear(&resp);
	}
}
END_TEST

/* The wizard's "what fails" answer picks the rows that matter. */
START_TEST(answer_picks_rows)
{
	struct report *r = healthy();
	struct answers a = { APP_OTHER, TRI_UNKNOWN, TRI_UNKNOWN,
		TRI_UNKNOWN };

	r->chain.n = 1;
	report_add(r, FINDING_CERT_CHAIN_INCOMPLETE, "missing", "ev");
	r->chain_aia = TRI_YES;
	r->chain_public = TRI_NO;
	clients_judge(r);
	answers_apply(&a, r);
	ck_assert_ptr_nonnull(r->clients_note);
	ck_assert_ptr_nonnull(strstr(r->clients_note, "curl"));
	ck_assert_ptr_nonnull(strstr(r->clients_note, "Python"));
	ck_assert_ptr_nonnull(strstr(r->clients_note, "do not fetch"));
	ck_assert_ptr_nonnull(strstr(r->clients_note, "Chrome 131+"));
	ck_assert_ptr_nonnull(strstr(r->clients_note, "fetches the missing"));
	/* A browser: the current browsers' rows. */
	a.app = APP_BROWSER;
	answers_apply(&a, r);
	ck_assert_ptr_nonnull(strstr(r->clients_note, "browser you use"));
	ck_assert_ptr_null(strstr(r->clients_note, "curl"));
	/* Not said: nothing. */
	a.app = APP_UNKNOWN;
	answers_apply(&a, r);
	ck_assert_ptr_null(r->clients_note);
	r->chain.n = 2;
	report_free(r);

	/* Everything connects: the program's own settings. */
	r = healthy();
	clients_judge(r);
	a.app = APP_OTHER;
	answers_apply(&a, r);
	ck_assert_ptr_nonnull(strstr(r->clients_note, "can all connect"));
	report_free(r);
}
END_TEST

START_TEST(table_fits)
{
	struct report *r = healthy();
	char *t;

	r->protocols[PROTO_TLS13] = TRI_NO;
	r->dh_bits = 0;
	clients_judge(r);
	t = clients_table(r, 80, 2);
	ck_assert_ptr_nonnull(strstr(t, "Chrome"));
	ck_assert_ptr_nonnull(strstr(t, "Connects"));
	for (char *line = t, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(nl - line <= 80, "line too long: %.*s",
		    (int)(nl - line), line);
		for (char *c = line; c < nl; c++)
			ck_assert(*c >= 0x20 && *c < 0x7f);
	}
	free(t);
	/* No table at all (unreachable): says so. */
	for (size_t i = 0; i < r->nclients; i++)
		free(r->clients[i].reason);
	free(r->clients);
	r->clients = NULL;
	r->nclients = 0;
	t = clients_table(r, 80, 2);
	ck_assert_ptr_nonnull(strstr(t, "Not tested"));
	free(t);
	report_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("clients");
	TCase *tc = tcase_create("decide");

	tcase_add_test(tc, healthy_everyone_connects);
	tcase_add_test(tc, triple_des_only);
	tcase_add_test(tc, tls13_only);
	tcase_add_test(tc, versions_not_known);
	tcase_add_test(tc, groups_decide);
	tcase_add_test(tc, dhe_prime);
	tcase_add_test(tc, missing_intermediate);
	tcase_add_test(tc, sha1_and_key_size);
	tcase_add_test(tc, certificate_owner_matters);
	tcase_add_test(tc, signature_algorithms);
	suite_add_tcase(s, tc);
	tc = tcase_create("words");
	tcase_add_test(tc, table_fits);
	tcase_add_test(tc, answer_picks_rows);
	tcase_add_test(tc, dh_prime_from_server_key_exchange);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
