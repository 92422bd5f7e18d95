/* check_report.c: the text and JSON faces, the owner message, saving.
 * Reports are built by hand with the model's own functions, then read
 * back: the text line by line, the JSON with json-c's parser. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "help.h"
#include "model.h"
#include "report.h"
#include "suites.h"
#include "util.h"
#include "checkutil.h"

#define T0 1767225600 /* 2026-01-01 00:00:00 UTC */

static void
cert_fill(struct cert_info *c, const char *cn, const char *issuer,
    size_t nsans)
{
	c->subject = xasprintf("CN=%s, O=Example", cn);
	c->issuer = xstrdup(issuer);
	c->cn = xstrdup(cn);
	c->sans = xcalloc(nsans + 1, sizeof *c->sans);
	for (size_t i = 0; i < nsans; i++)
		c->sans[i] = xasprintf("host%zu.%s", i, cn);
	c->nsans = nsans;
	c->not_before = T0;
	c->not_after = T0 + 90 * 86400;
	c->key_type = xstrdup("RSA");
	c->key_bits = 2048;
	c->signature = xstrdup("sha256WithRSAEncryption");
	memset(c->sha256, 'a', 64);
	c->ocsp_url = xstrdup("http://ocsp.example.net/");
	c->ca_issuers_url = xstrdup("http://ca.example.net/int.der");
}

/* A report with one finding of each owner and severity mix, facts with
 * tested / untested parts, and a two-certificate chain. */
static struct report *
sample(void)
{
	struct report *r = report_new();
	static const uint16_t s12[] = { 0xC02F, 0xC030 };

	r->host = xstrdup("example.org");
	r->port = 443;
	r->address = xstrdup("192.0.2.10");
	r->sni = xstrdup("example.org");
	report_add(r, FINDING_PROTOCOL_NO_TLS13, "The server does not offer "
	    "TLS 1.3.", "TLS 1.3 ClientHello answered with alert 70");
	report_add(r, FINDING_CIPHER_WEAK, "The server accepts 3DES.",
	    "TLS_RSA_WITH_3DES_EDE_CBC_SHA accepted with TLS 1.2");
	report_add(r, FINDING_CERT_EXPIRED, "The server's certificate has "
	    "expired.", "CN=example.org expired 2026-03-31 00:00:00 UTC, "
	    "3 days before this test");
	report_add(r, FINDING_CLOCK_SKEW, "Your clock is 2 hours fast.",
	    "local clock 7200 s ahead of the server's HTTP Date");
	/* (not mitm.interception: that would own the certificate's faults,
	 * see check_model's cause tests) */
	report_add(r, FINDING_NET_TIMEOUT, "Something on your network "
	    "delays the connection.", "no answer to one probe in 5 s")->severity =
	    SEV_WARNING;
	r->protocols[PROTO_SSL30] = TRI_NO;
	r->protocols[PROTO_TLS11] = TRI_NO;
	r->protocols[PROTO_TLS12] = TRI_YES;
	r->protocols[PROTO_TLS13] = TRI_NO;
	r->ciphers[PROTO_TLS12].tested = 1;
	r->ciphers[PROTO_TLS12].codes = xmalloc(sizeof s12);
	memcpy(r->ciphers[PROTO_TLS12].codes, s12, sizeof s12);
	r->ciphers[PROTO_TLS12].n = 2;
	r->ciphers[PROTO_TLS13].tested = 1; /* tested, none accepted */
	r->negotiated = xstrdup("TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	r->chain.certs = xcalloc(2, sizeof *r->chain.certs);
	r->chain.n = 2;
	cert_fill(&r->chain.certs[0], "example.org", "CN=Example CA 1", 25);
	cert_fill(&r->chain.certs[1], "Example CA 1", "CN=Example Root", 0);
	r->chain.certs[1].is_ca = 1;
	r->clock.local = T0 + 93 * 86400;
	r->clock.kernel_sync = TRI_NO;
	r->clock.http_date = T0 + 93 * 86400 - 7200;
	r->clock.build_time = T0;
	r->clock.skew_s = 7200;
	r->clock.reference = xstrdup("the server's HTTP Date header");
	r->handshakes = 14;
	r->elapsed_ms = 1234;
	report_finish(r);
	return r;
}

/* Columns of one line of valid UTF-8 (every character counts one: the
 * sample holds no wide characters). */
static size_t
columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static void
assert_printable(const char *text, size_t maxcol, int ascii)
{
	const char *line = text;

	ck_assert_ptr_nonnull(text);
	ck_assert(*text != '\0');
	ck_assert(text[strlen(text) - 1] == '\n');
	while (*line) {
		const char *nl = strchr(line, '\n');

		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(columns(line, (size_t)(nl - line)) <= maxcol,
		    "line wider than %zu: '%.*s'", maxcol, (int)(nl - line),
		    line);
		for (const char *p = line; p < nl; p++) {
			unsigned char c = (unsigned char)*p;
			ck_assert_msg(c >= 0x20 && c != 0x7f,
			    "control byte 0x%02x in '%.*s'", c,
			    (int)(nl - line), line);
			if (ascii)
				ck_assert_msg(c < 0x80, "non-ASCII in '%.*s'",
				    (int)(nl - line), line);
		}
		line = nl + 1;
	}
}

/* The text with line breaks and their indentation made single spaces, to
 * look for a sentence wherever the wrapping put it. */
static char *
flat(const char *t)
{
	char *f = xstrdup(t), *o = f;

	for (const char *p = t; *p; p++) {
		if (*p == '\n' && p[1] != '\n' && p[1] != '\0' &&
		    (p == t || p[-1] != '\n')) {
			*o++ = ' ';
			while (p[1] == ' ')
				p++;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return f;
}

static const char *
must_find(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	ck_assert_msg(p != NULL, "'%s' not in the report", needle);
	return p;
}

/* A finding's heading in the text report: the wizard's tag and title,
 * then the id for experts. */
static const char *
must_find_head(const char *t, const char *tag, const char *id)
{
	char want[256];
	const struct help_entry *e = help_get(id);

	ck_assert_ptr_nonnull(e);
	/* a long title wraps: its start after the tag, the id at the end */
	snprintf(want, sizeof want, "\n%s %.30s", tag, e->title);
	const char *at = must_find(t, want);
	snprintf(want, sizeof want, "(%s)\n", id);
	const char *end = strstr(at, want);
	ck_assert_msg(end != NULL && end - at < 120, "%s: no id", id);
	return at;
}

START_TEST(text_groups_and_order)
{
	struct report *r = sample();
	char *t = report_text(r, 0);
	const char *you, *owner, *net, *verdict, *facts;

	assert_printable(t, 80, 0);
	you = must_find(t, "\nFor you\n");
	owner = must_find(t, "\nFor the site owner\n");
	net = must_find(t, "\nFor your network admin\n");
	verdict = must_find(t, "\nVerdict: ");
	facts = must_find(t, "\nFacts\n");
	ck_assert(you < owner && owner < net && net < verdict &&
	    verdict < facts);
	/* each finding under its owner, most serious first */
	ck_assert(must_find_head(t, "[FAIL]", "clock.skew") < owner);
	{
		const char *e = must_find_head(t, "[FAIL]", "cert.expired");
		const char *w = must_find_head(t, "[warn]", "cipher.weak");
		const char *i = must_find_head(t, "[info]",
		    "protocol.no_tls13");
		ck_assert(owner < e && e < w && w < i && i < net);
	}
	ck_assert(must_find_head(t, "[warn]", "net.timeout") > net);
	/* the wizard's vocabulary, never the old one */
	ck_assert_ptr_null(strstr(t, "[ERROR]"));
	ck_assert_ptr_null(strstr(t, "[WARNING]"));
	must_find(t, "The server's certificate has expired.");
	must_find(t, "  Evidence: CN=example.org expired 2026-03-31");
	/* the first step comes from help/ */
	{
		const char *step = help_first_step("cert.expired");
		if (step != NULL && *step != '\0') {
			char head[20];
			snprintf(head, sizeof head, "%s", step);
			if (strchr(head, ' '))
				*strrchr(head, ' ') = '\0';
			ck_assert(must_find(t, "First step: ") < net);
			must_find(t, head);
		}
	}
	must_find(t, "problems found: 2 [FAIL], 2 [warn].");
	{
		char *f = flat(t);
		must_find(f, "Who has to act: you, the site owner, your "
		    "network admin.");
		free(f);
	}
	free(t);
	report_free(r);
}
END_TEST

START_TEST(text_facts)
{
	struct report *r = sample();
	char *t = report_text(r, 0);
	char line[128];

	must_find(t, "tlsmedic report for example.org port 443");
	must_find(t, "Address:    192.0.2.10");
	must_find(t, "  SSL 3.0   no\n");
	must_find(t, "  TLS 1.0   not tested\n");
	must_find(t, "  TLS 1.2   yes\n");
	must_find(t, "  TLS 1.3   no\n");
	must_find(t, "  TLS 1.2 (2):\n    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
	    "    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n");
	must_find(t, "  TLS 1.3: none\n");
	must_find(t, "Certificate 1 of 2 (the server's own)");
	must_find(t, "Subject:    CN=example.org, O=Example");
	must_find(t, "host19.example.org and 5 more");
	ck_assert_ptr_null(strstr(t, "host20.example.org"));
	must_find(t, "2026-01-01 00:00:00 UTC to 2026-04-01 00:00:00 UTC");
	must_find(t, "Key:        RSA 2048 bits");
	snprintf(line, sizeof line, "SHA-256:    %.64s\n",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	must_find(t, line);
	must_find(t, "OCSP:       http://ocsp.example.net/");
	must_find(t, "CA issuers: http://ca.example.net/int.der");
	must_find(t, "Synced:     no");
	must_find(t, "yours is 2 hours ahead");
	must_find(t, "Connections: 14, time taken: 1234 ms.");
	must_find(t, "Found with tlsmedic " TLSMEDIC_VERSION);
	free(t);
	report_free(r);
}
END_TEST

/* Contract-breaking strings pushed straight into the model: every face
 * must still print nothing a terminal would act on. */
static struct report *
hostile(void)
{
	struct report *r = sample();
	struct finding *f;
	char big[5000];

	memset(big, 'Z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	f = report_add(r, FINDING_CERT_HOSTNAME, "x", big);
	free(f->summary);
	f->summary = xstrdup("quote\" back\\slash \x1b[2J\x07 bad\xff\xfe utf8 "
	    "\xc2\x9b c1 \xe2\x80\xae rtl caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87"
	    " tab\there");
	free(r->chain.certs[0].subject);
	r->chain.certs[0].subject = xstrdup("CN=\x1b]0;owned\x07\",\"x\":\"");
	free(r->chain.certs[0].sans[0]);
	r->chain.certs[0].sans[0] = xstrdup("\xf0\x28\x8c\x28.example");
	memset(r->chain.certs[0].sha256, 0x1b, sizeof r->chain.certs[0].sha256);
	free(r->error);
	r->error = xstrdup("line1\nline2\r\n");
	free(r->host);
	r->host = xstrdup("b\xc3\xbc" "cher.example");
	report_finish(r);
	return r;
}

START_TEST(text_hostile)
{
	struct report *r = hostile();
	char *t = report_text(r, 0);
	char *a = report_text(r, 1);

	assert_printable(t, 80, 0);
	assert_printable(a, 80, 1);
	must_find(t, "caf\xc3\xa9"); /* UTF-8 kept... */
	must_find(a, "caf\\u{E9}"); /* ...and spelled out in ASCII */
	must_find(a, "b\\u{FC}cher.example");
	/* escapes already in a string are not doubled by the ASCII pass */
	must_find(a, "\\x1B[2J");
	ck_assert_ptr_null(strstr(a, "\\\\x1B[2J"));
	/* the 5000-byte word was cut into lines, not dropped */
	must_find(t, "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ");
	free(t);
	free(a);
	report_free(r);
}
END_TEST

/* Wide characters count two columns. */
START_TEST(text_wide_chars)
{
	struct report *r = report_new();
	struct strbuf b = { 0 };
	char *t;

	r->host = xstrdup("example.org");
	r->port = 443;
	for (int i = 0; i < 120; i++)
		strbuf_puts(&b, "\xe4\xb8\xad"); /* U+4E2D, two columns */
	report_add(r, FINDING_CERT_HOSTNAME, b.s, b.s);
	strbuf_free(&b);
	report_finish(r);
	t = report_text(r, 0);
	for (char *line = t, *nl; *line; line = nl + 1) {
		size_t cols = 0;

		nl = strchr(line, '\n');
		for (char *p = line; p < nl; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == 0xe4)
				cols += 2;
			else if ((c & 0xc0) != 0x80)
				cols++;
		}
		ck_assert_msg(cols <= 80, "%zu columns: %.*s", cols,
		    (int)(nl - line), line);
	}
	free(t);
	report_free(r);
}
END_TEST

START_TEST(text_ok_and_unreachable)
{
	struct report *r = report_new();
	char *t;

	r->host = xstrdup("example.org");
	r->port = 8443;
	report_finish(r);
	t = report_text(r, 1);
	assert_printable(t, 80, 1);
	must_find(t, "No problems found.");
	must_find(t, "Verdict: no problems found with example.org port 8443.");
	ck_assert_ptr_null(strstr(t, "For you"));
	free(t);

	r->verdict = VERDICT_UNREACHABLE;
	r->error = xstrdup("the connection timed out after 10 s");
	report_add(r, FINDING_NET_TIMEOUT, "No answer from the server.",
	    "TCP SYN to 192.0.2.1:8443 unanswered for 10 s");
	report_finish(r);
	t = report_text(r, 0);
	assert_printable(t, 80, 0);
	must_find(t, "For your network admin");
	must_find(t, "Protocol versions\n-----------------\n  not tested\n");
	must_find(t, "Accepted cipher suites\n----------------------\n  not "
	    "tested\n");
	must_find(t, "Verdict: could not reach example.org port 8443: the "
	    "connection");
	free(t);
	report_free(r);
}
END_TEST

static struct json_object *
json_parse_strict(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)strlen(s));
	ck_assert_msg(json_tokener_get_error(tok) == json_tokener_success,
	    "invalid JSON: %s",
	    json_tokener_error_desc(json_tokener_get_error(tok)));
	json_tokener_free(tok);
	ck_assert_ptr_nonnull(o);
	return o;
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s", key);
	return v;
}

static const char *
gets_(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	ck_assert_msg(json_object_is_type(v, json_type_string),
	    "%s is not a string", key);
	return json_object_get_string(v);
}

START_TEST(json_shape)
{
	struct report *r = sample();
	char *s = report_json(r);
	struct json_object *o = json_parse_strict(s), *v, *f, *c;

	ck_assert(s[strlen(s) - 1] == '\n');
	v = get(o, "target");
	ck_assert_str_eq(gets_(v, "host"), "example.org");
	ck_assert_int_eq(json_object_get_int(get(v, "port")), 443);
	ck_assert_str_eq(gets_(v, "address"), "192.0.2.10");
	ck_assert_str_eq(gets_(v, "sni"), "example.org");
	ck_assert_str_eq(gets_(o, "verdict"), "problems");
	ck_assert_ptr_null(get(o, "error"));
	ck_assert(!json_object_object_get_ex(o, "scenario", NULL));

	v = get(o, "findings");
	ck_assert_int_eq((int)json_object_array_length(v), 5);
	f = json_object_array_get_idx(v, 0); /* report_finish sorted them */
	ck_assert_str_eq(gets_(f, "id"), "clock.skew");
	ck_assert_str_eq(gets_(f, "owner"), "client");
	ck_assert_str_eq(gets_(f, "severity"), "error");
	ck_assert_str_eq(gets_(f, "summary"), "Your clock is 2 hours fast.");
	ck_assert_str_eq(gets_(f, "evidence"),
	    "local clock 7200 s ahead of the server's HTTP Date");
	f = json_object_array_get_idx(v, 4);
	ck_assert_str_eq(gets_(f, "id"), "protocol.no_tls13");
	ck_assert_str_eq(gets_(f, "owner"), "server");
	ck_assert_str_eq(gets_(f, "severity"), "info");

	v = get(o, "protocols");
	ck_assert_int_eq(json_object_object_length(v), 5);
	ck_assert(json_object_get_boolean(get(v, "tls1.2")));
	ck_assert(json_object_is_type(get(v, "tls1.3"), json_type_boolean));
	ck_assert(!json_object_get_boolean(get(v, "tls1.3")));
	ck_assert_ptr_null(get(v, "tls1.0")); /* not tested: null */
	ck_assert(json_object_is_type(get(v, "ssl3.0"), json_type_boolean));

	v = get(o, "ciphers");
	ck_assert_ptr_null(get(v, "ssl3.0"));
	ck_assert_ptr_null(get(v, "tls1.1"));
	c = get(v, "tls1.2");
	ck_assert_int_eq((int)json_object_array_length(c), 2);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(c,
	    0)), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	c = get(v, "tls1.3");
	ck_assert(json_object_is_type(c, json_type_array));
	ck_assert_int_eq((int)json_object_array_length(c), 0);
	ck_assert_str_eq(gets_(o, "negotiated"),
	    "TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

	v = get(o, "chain");
	ck_assert_int_eq((int)json_object_array_length(v), 2);
	c = json_object_array_get_idx(v, 0);
	ck_assert_str_eq(gets_(c, "subject"), "CN=example.org, O=Example");
	ck_assert_str_eq(gets_(c, "issuer"), "CN=Example CA 1");
	ck_assert_int_eq((int)json_object_array_length(get(c, "sans")), 25);
	ck_assert_str_eq(gets_(c, "not_before"), "2026-01-01T00:00:00Z");
	ck_assert_str_eq(gets_(c, "not_after"), "2026-04-01T00:00:00Z");
	ck_assert_str_eq(gets_(c, "key"), "RSA 2048");
	ck_assert_str_eq(gets_(c, "signature"), "sha256WithRSAEncryption");
	ck_assert_int_eq((int)strlen(gets_(c, "sha256")), 64);
	ck_assert_str_eq(gets_(c, "ocsp_url"), "http://ocsp.example.net/");
	ck_assert_str_eq(gets_(c, "ca_issuers_url"),
	    "http://ca.example.net/int.der");
	ck_assert_ptr_null(get(c, "crl_url"));
	ck_assert(json_object_is_type(get(c, "self_signed"),
	    json_type_boolean));
	ck_assert(!json_object_get_boolean(get(c, "self_signed")));
	ck_assert_int_eq((int)json_object_array_length(get(
	    json_object_array_get_idx(v, 1), "sans")), 0);

	v = get(o, "clock");
	ck_assert_str_eq(gets_(v, "local"), "2026-04-04T00:00:00Z");
	ck_assert(!json_object_get_boolean(get(v, "synchronized")));
	ck_assert_int_eq(json_object_get_int(get(v, "skew_s")), 7200);
	v = get(o, "checks");
	ck_assert_int_eq(json_object_object_length(v), CHECK_COUNT);
	ck_assert_str_eq(gets_(v, "clock"), "failed");
	ck_assert_str_eq(gets_(v, "cert"), "failed");
	ck_assert_str_eq(gets_(v, "interception"), "passed");
	ck_assert_str_eq(gets_(v, "connect"), "warning");
	ck_assert_str_eq(gets_(v, "revocation"), "passed");
	ck_assert_int_eq(json_object_get_int(get(o, "handshakes")), 14);
	ck_assert_int_eq(json_object_get_int(get(o, "elapsed_ms")), 1234);
	json_object_put(o);
	free(s);
	report_free(r);
}
END_TEST

START_TEST(json_empty_and_array)
{
	struct report *rs[2];
	struct json_object *o, *a, *v;
	char *s;

	rs[0] = report_new(); /* nothing known at all */
	rs[1] = sample();
	rs[1]->scenario = xstrdup("expired");
	rs[0]->verdict = VERDICT_UNREACHABLE;
	s = report_json(rs[0]);
	o = json_parse_strict(s);
	ck_assert_str_eq(gets_(o, "verdict"), "unreachable");
	ck_assert_ptr_null(get(get(o, "target"), "address"));
	ck_assert_ptr_null(get(o, "negotiated"));
	ck_assert_int_eq((int)json_object_array_length(get(o, "chain")), 0);
	ck_assert_int_eq((int)json_object_array_length(get(o, "findings")), 0);
	v = get(o, "protocols");
	for (int p = 0; p < PROTO_COUNT; p++) {
		ck_assert_ptr_null(get(v, proto_key(p)));
		ck_assert_ptr_null(get(get(o, "ciphers"), proto_key(p)));
	}
	ck_assert_ptr_null(get(get(o, "clock"), "local"));
	json_object_put(o);
	free(s);

	s = report_json_array(rs, 2);
	a = json_parse_strict(s);
	ck_assert(json_object_is_type(a, json_type_array));
	ck_assert_int_eq((int)json_object_array_length(a), 2);
	ck_assert_str_eq(gets_(json_object_array_get_idx(a, 1), "scenario"),
	    "expired");
	json_object_put(a);
	free(s);
	s = report_json_array(rs, 0);
	ck_assert_str_eq(s, "[\n]\n");
	free(s);
	report_free(rs[0]);
	report_free(rs[1]);
}
END_TEST

START_TEST(json_hostile)
{
	struct report *r = hostile();
	char *s = report_json(r);
	struct json_object *o = json_parse_strict(s), *c;
	const char *subj;

	/* still one object with the keys in place: nothing broke out */
	ck_assert_int_eq((int)json_object_array_length(get(o, "findings")), 6);
	c = json_object_array_get_idx(get(o, "chain"), 0);
	subj = gets_(c, "subject");
	ck_assert_ptr_null(strchr(subj, '\x1b'));
	ck_assert_ptr_nonnull(strstr(subj, "\",\"x\":\""));
	ck_assert_ptr_null(strchr(gets_(o, "error"), '\n'));
	ck_assert_str_eq(gets_(get(o, "target"), "host"),
	    "b\xc3\xbc" "cher.example");
	for (const char *p = s; *p; p++)
		ck_assert(*p == '\n' || (unsigned char)*p >= 0x20);
	json_object_put(o);
	free(s);
	report_free(r);
}
END_TEST

START_TEST(owner_message)
{
	struct report *r = sample();
	char *m = report_owner_message(r);

	assert_printable(m, 72, 0);
	ck_assert(strncmp(m, "Hello,\n", 7) == 0);
	{
		char *f = flat(m);
		must_find(f, "example.org (port 443, address 192.0.2.10)");
		free(f);
	}
	must_find(m, "2026-04-04");
	must_find(m, "The server's certificate has expired.");
	must_find(m, "CN=example.org expired 2026-03-31");
	must_find(m, "The server accepts 3DES.");
	must_find(m, "does not offer TLS 1.3");
	must_find(m, "tlsmedic");
	/* only the server's problems go to the site owner */
	ck_assert_ptr_null(strstr(m, "Your clock"));
	ck_assert_ptr_null(strstr(m, "Fortinet"));
	ck_assert(must_find(m, "1. The server's certificate") <
	    must_find(m, "2. The server accepts"));
	free(m);

	report_remove(r, FINDING_CERT_EXPIRED);
	report_remove(r, FINDING_CIPHER_WEAK);
	report_remove(r, FINDING_PROTOCOL_NO_TLS13);
	ck_assert_ptr_null(report_owner_message(r));
	report_free(r);
}
END_TEST

static char *dir;

static void
save_setup(void)
{
	char tmpl[] = "/tmp/check_report_XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	dir = xstrdup(tmpl);
}

static void
save_teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = xcalloc(1, 4096);

	ck_assert_ptr_nonnull(fp);
	ck_assert(fread(buf, 1, 4095, fp) < 4095);
	fclose(fp);
	return buf;
}

START_TEST(save_never_overwrites)
{
	char *path = xasprintf("%s/report.txt", dir);
	char *cause = NULL, *got;

	ck_assert_int_eq(report_save(path, "first\n", 0, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(report_save(path, "second\n", 0, &cause), 1);
	ck_assert_ptr_null(cause);
	got = slurp(path);
	ck_assert_str_eq(got, "first\n");
	free(got);
	ck_assert_int_eq(report_save(path, "3\n", 1, &cause), 0);
	got = slurp(path);
	ck_assert_str_eq(got, "3\n");
	free(got);
	free(path);
}
END_TEST

START_TEST(save_errors)
{
	char *path;
	char *cause = NULL;

	/* a folder, with and without overwrite */
	ck_assert_int_eq(report_save(dir, "x", 0, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "is a folder"));
	free(cause);
	ck_assert_int_eq(report_save(dir, "x", 1, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "is a folder"));
	free(cause);
	/* a missing folder */
	path = xasprintf("%s/no/such/dir/r.txt", dir);
	ck_assert_int_eq(report_save(path, "x", 0, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "does not exist"));
	ck_assert_ptr_nonnull(strstr(cause, "cannot save to '"));
	free(cause);
	free(path);
	/* no name */
	ck_assert_int_eq(report_save("", "x", 0, &cause), -1);
	free(cause);
	/* a full disk: /dev/full takes the open and refuses the write */
	if (access("/dev/full", W_OK) == 0) {
		ck_assert_int_eq(report_save("/dev/full", "x", 1, &cause), -1);
		ck_assert_ptr_nonnull(strstr(cause, "the disk is full"));
		free(cause);
		ck_assert_int_eq(access("/dev/full", F_OK), 0); /* not unlinked */
	}
}
END_TEST

START_TEST(save_permission)
{
	char *sub = xasprintf("%s/ro", dir);
	char *path = xasprintf("%s/r.txt", sub);
	char *cause = NULL;

	if (geteuid() == 0) {
		/* root writes anywhere: nothing to test */
		fprintf(stderr, "save_permission: skipped (running as root)\n");
		free(sub);
		free(path);
		return;
	}
	ck_assert_int_eq(mkdir(sub, 0500), 0);
	ck_assert_int_eq(report_save(path, "x", 0, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "permission denied"));
	free(cause);
	chmod(sub, 0700);
	free(sub);
	free(path);
}
END_TEST

int
main(int argc, char **argv)
{
	/* --dump: show the sample's faces, for a human eye. */
	if (argc > 1 && strcmp(argv[1], "--dump") == 0) {
		struct report *r = argc > 2 ? hostile() : sample();
		char *t = report_text(r, 0), *a = report_text(r, 1);
		char *j = report_json(r), *m = report_owner_message(r);

		printf("%s\n----\n%s\n----\n%s\n----\n%s", t, a, j,
		    m ? m : "(no message)\n");
		free(t);
		free(a);
		free(j);
		free(m);
		report_free(r);
		return 0;
	}
	Suite *s = suite_create("report");
	TCase *text = tcase_create("text");
	TCase *json = tcase_create("json");
	TCase *save = tcase_create("save");

	tcase_add_test(text, text_groups_and_order);
	tcase_add_test(text, text_facts);
	tcase_add_test(text, text_hostile);
	tcase_add_test(text, text_wide_chars);
	tcase_add_test(text, text_ok_and_unreachable);
	tcase_add_test(text, owner_message);
	tcase_add_test(json, json_shape);
	tcase_add_test(json, json_empty_and_array);
	tcase_add_test(json, json_hostile);
	tcase_add_checked_fixture(save, save_setup, save_teardown);
	tcase_add_test(save, save_never_overwrites);
	tcase_add_test(save, save_errors);
	tcase_add_test(save, save_permission);
	suite_add_tcase(s, text);
	suite_add_tcase(s, json);
	suite_add_tcase(s, save);
	return checkutil_run(s);
}
