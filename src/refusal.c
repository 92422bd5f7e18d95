/* refusal.c: see refusal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "chain.h"
#include "refusal.h"
#include "suites.h"
#include "util.h"

const char *
refusal_alert_name(int a)
{
	switch (a) {
	case 0: return "close_notify";
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 22: return "record_overflow";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 47: return "illegal_parameter";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 86: return "inappropriate_fallback";
	case 109: return "missing_extension";
	case 110: return "unsupported_extension";
	case 112: return "unrecognized_name";
	case 116: return "certificate_required";
	case 120: return "no_application_protocol";
	default: return "alert";
	}
}

const char *
refusal_our_limit(const struct tls_result *t, const struct cert_info *leaf)
{
	int e = t->wolf_err;

	if (t->ok)
		return NULL;
	if (t->net_err == NET_ERR_OTHER)
		return "tlsmedic could not open a connection of its own (out "
		    "of file descriptors or memory)";
	if (e == HANDSHAKE_SIZE_ERROR)
		return "the server's certificates are larger than tlsmedic's "
		    "TLS library (wolfSSL) takes in one handshake message";
	if (e <= MP_INIT_E && e >= MP_ZERO_E)
		return "the server's key is beyond the math of tlsmedic's "
		    "TLS library (wolfSSL: RSA keys up to 4096 bits)";
	if (e == MEMORY_E || e == MEMORY_ERROR)
		return "tlsmedic ran out of memory during the handshake";
	if (e == -1 && strcmp(t->err_text, "wolfSSL set-up failed") == 0)
		return "tlsmedic could not set up its TLS library (out of "
		    "memory or file descriptors)";
	if (e == ECC_CURVE_OID_E || e == NOT_COMPILED_IN)
		return "tlsmedic's TLS library does not support the server's "
		    "key type";
	if (e == MAX_CHAIN_ERROR)
		return "the server sends more certificates than tlsmedic's "
		    "TLS library keeps";
	if (e <= ASN_PARSE_E && e >= ASN_NO_PEM_HEADER &&
	    e != ASN_BEFORE_DATE_E && e != ASN_AFTER_DATE_E)
		return "tlsmedic's TLS library could not read the server's "
		    "certificate (the certificate checks read it themselves)";
	/* The server ended our handshake, and its key is one wolfSSL has no
	 * signature algorithm or curve for: our offer lacked it. */
	if (t->alert_recv >= 0 && leaf != NULL && leaf->key_type != NULL) {
		if (strcmp(leaf->key_type, "DSA") == 0)
			return "tlsmedic's TLS library offers no signature "
			    "algorithm for the server's DSA key";
		if (strcmp(leaf->key_type, "EC") == 0 && leaf->key_bits > 0 &&
		    leaf->key_bits < 224)
			return "tlsmedic's TLS library does not offer the "
			    "server's elliptic curve (under 224 bits, e.g. "
			    "P-192)";
	}
	return NULL;
}

/* One line per version: "TLS 1.2: alert 40 (handshake_failure)". */
static void
answer_words(struct strbuf *b, int p, const struct scan_answer *a)
{
	strbuf_printf(b, "%s%s: ", b->len ? "; " : "", proto_name(p));
	if (a->kind == HELLO_ALERT)
		strbuf_printf(b, "alert %d (%s)", a->alert,
		    refusal_alert_name(a->alert));
	else if (a->version != 0)
		strbuf_printf(b, "answered with version 0x%04x", a->version);
	else if (a->kind == HELLO_CLOSED)
		strbuf_puts(b, "connection closed");
	else if (a->kind == HELLO_RESET)
		strbuf_puts(b, "connection reset");
	else
		strbuf_puts(b, "no usable answer");
	if (a->retried)
		strbuf_puts(b, ", also to other offers (without FFDHE groups; "
		    "with a browser's groups, signatures and suites)");
}

int
refusal_judge_all(struct report *r, const struct scan_result *s)
{
	int offer_alerts = 0, all80 = 1;
	struct strbuf ev = { 0 };

	for (int p = 0; p < PROTO_COUNT; p++)
		if (s->protocols[p] == TRI_YES)
			return 0;
	for (int p = PROTO_TLS12; p <= PROTO_TLS13; p++) {
		const struct scan_answer *a = &s->answer[p];
		if (a->kind != HELLO_ALERT || a->alert == 70)
			continue;
		offer_alerts++;
		all80 &= a->alert == 80;
	}
	if (offer_alerts == 0)
		return 0; /* version refusals, closes: not ours to word */
	for (int p = PROTO_COUNT - 1; p >= 0; p--)
		answer_words(&ev, p, &s->answer[p]);
	report_add(r, FINDING_PROTOCOL_REFUSED, all80 ?
	    "The server fails with an internal error on every handshake" :
	    "The server refuses every handshake, whatever tlsmedic offers",
	    ev.s);
	strbuf_free(&ev);
	return 1;
}

char *
refusal_handshake_note(const struct scan_result *s)
{
	struct strbuf b = { 0 };

	for (int p = PROTO_TLS13; p >= PROTO_TLS12; p--) {
		const struct scan_answer *a = &s->answer[p];
		char first[64];
		if (!a->retried)
			continue;
		if (a->first_kind == HELLO_ALERT)
			snprintf(first, sizeof first, "alert %d (%s)",
			    a->first_alert, refusal_alert_name(a->first_alert));
		else
			snprintf(first, sizeof first, "%s",
			    a->first_kind == HELLO_RESET ? "a reset" :
			    "a closed connection");
		if (s->protocols[p] == TRI_YES)
			strbuf_printf(&b, "%s%s: the server answered tlsmedic's "
			    "first hello with %s and accepted one %s",
			    b.len ? "; " : "", proto_name(p), first,
			    hello_offer_str(a->offer));
		else if (a->kind == HELLO_ALERT)
			strbuf_printf(&b, "%s%s: the server answered %s to "
			    "tlsmedic's first hello and alert %d (%s) to the "
			    "other offers", b.len ? "; " : "", proto_name(p),
			    first, a->alert, refusal_alert_name(a->alert));
		else
			strbuf_printf(&b, "%s%s: the server answered %s to "
			    "tlsmedic's first hello and refused the other "
			    "offers too", b.len ? "; " : "", proto_name(p),
			    first);
	}
	return b.len ? strbuf_steal(&b) : NULL;
}

void
refusal_judge_dh(struct report *r, int dh_bits, const struct tls_result *t)
{
	r->dh_bits = dh_bits;
	if (dh_bits <= 0 || dh_bits >= 2048)
		return;
	int ours = !t->ok && t->wolf_err == DH_KEY_SIZE_E;
	char *ev = xasprintf("DHE key exchange with a %d-bit prime; 2048 bits "
	    "is the least that OpenSSL 3 (curl, Python) accepts by default%s",
	    dh_bits, ours ? "; tlsmedic's own handshake refused it too" : "");
	struct finding *f = report_add(r, FINDING_CIPHER_WEAK_DH, "The server "
	    "uses a Diffie-Hellman group smaller than 2048 bits", ev);
	if (ours)
		f->severity = SEV_ERROR;
	free(ev);
}

/* Add to r->handshake_note ("; " between parts). */
void
refusal_note_add(struct report *r, const char *text)
{
	char *n = r->handshake_note ? xasprintf("%s; %s", r->handshake_note,
	    text) : xstrdup(text);
	free(r->handshake_note);
	r->handshake_note = n;
}

/* Fold a symptom into the finding that explains it (the cause first):
 * the first error found gets the failed handshake in its evidence. */
int
refusal_fold_symptom(struct report *r, const struct tls_result *t)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		struct finding *f = &r->findings[i];
		if (f->severity != SEV_ERROR)
			continue;
		if (t->alert_recv >= 0) {
			char *ev = xasprintf("tlsmedic's own handshake was "
			    "refused too (alert %d, %s)", t->alert_recv,
			    refusal_alert_name(t->alert_recv));
			report_add(r, f->id, f->summary, ev);
			free(ev);
		}
		return 1;
	}
	return 0;
}

/* Probes that got no readable answer leave their check untested, never
 * "passed" (rule 1), unless a finding already says why. */
void
refusal_judge_untested(struct report *r)
{
	int known = 0, yes = 0, listed = 0;

	for (int p = 0; p < PROTO_COUNT; p++) {
		known |= r->protocols[p] != TRI_UNKNOWN;
		yes |= r->protocols[p] == TRI_YES;
		listed |= r->ciphers[p].tested;
	}
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity == SEV_ERROR)
			return;
	if (!known)
		report_skip(r, CHECK_PROTOCOLS, "tlsmedic could not test the "
		    "TLS versions: none of its probes got an answer it could "
		    "read");
	if (yes && !listed)
		report_skip(r, CHECK_CIPHERS, "tlsmedic could not list the "
		    "cipher suites: its probes got no clear answer (the "
		    "server stopped answering, or tlsmedic could not open "
		    "more connections)");
}

/* Our own TLS library could not finish the handshake (limit): the chain
 * came from the raw probe where it could. Say what could not be checked;
 * blame no one. */
void
refusal_judge_limit(struct report *r, const struct scan_result *s,
    const char *limit)
{
	char *why;

	/* What a client negotiates, as our own probe saw it: the highest
	 * version the server took, with its pick of our first offer. */
	for (int p = PROTO_COUNT - 1; p >= 0 && r->negotiated == NULL; p--) {
		char nb[8];
		if (r->protocols[p] == TRI_YES && r->ciphers[p].n > 0)
			r->negotiated = xasprintf("%s, %s (tlsmedic's own "
			    "probe)", proto_name(p), suite_name(
			    r->ciphers[p].codes[0], nb));
	}
	why = xasprintf("%s; tlsmedic checked what it could with its own "
	    "probes", limit);
	refusal_note_add(r, why);
	free(why);
	if (r->chain.n == 0) {
		why = xasprintf("tlsmedic could not get the certificate "
		    "chain: %s%s", s->legacy.certs_too_long ? "it is longer "
		    "than tlsmedic reads, and " : "", limit);
		report_skip(r, CHECK_CERT, why);
		report_skip(r, CHECK_INTERCEPTION, why);
		free(why);
	}
}

/* SNI without wolfSSL (it hit a limit of ours): a raw TLS <= 1.2 hello
 * without server_name, its certificate against the one sent with it. One
 * more connection, only in this case. */
void
refusal_sni_raw(struct report *r, struct net_ctx *ctx,
    const struct net_addr *addr, int timeout_ms, const struct scan_result *s,
    const char *limit)
{
	uint16_t suites[HELLO_MAX_SUITES];
	struct hello_resp resp;
	char *why;

	if (s->legacy.ncerts == 0 || s->legacy.kind != HELLO_SERVER_HELLO) {
		why = xasprintf("tlsmedic could not compare the answers with "
		    "and without SNI: %s", limit);
		report_skip(r, CHECK_SNI, why);
		free(why);
		return;
	}
	struct hello_req req = { .version = s->legacy.version,
		.suites = suites, .want_certs = 1, .sni = NULL };
	req.nsuites = scan_offer_list(req.version, HELLO_OFFER_FULL, suites);
	hello_probe(ctx, addr, &req, now_ms() + timeout_ms, &resp);
	if (resp.kind == HELLO_ALERT) {
		char *ev = xasprintf("with SNI \"%s\" the server answers; "
		    "without SNI it answers alert %d (%s)", r->sni,
		    resp.alert_desc, refusal_alert_name(resp.alert_desc));
		report_add(r, FINDING_SNI_REQUIRED, "The server refuses "
		    "clients that do not send the site name (SNI)", ev);
		free(ev);
	} else if (resp.kind == HELLO_SERVER_HELLO && resp.ncerts > 0 &&
	    (resp.cert_lens[0] != s->legacy.cert_lens[0] ||
	    memcmp(resp.certs[0], s->legacy.certs[0], resp.cert_lens[0]))) {
		struct cert_info ci = { 0 };
		int ok = cert_info_parse(resp.certs[0], resp.cert_lens[0],
		    &ci) == 0;
		char *ev = xasprintf("with SNI the certificate is for %s; "
		    "without SNI it is %s", r->chain.n ?
		    r->chain.certs[0].subject : "?", ok ? ci.subject :
		    "another one");
		report_add(r, FINDING_SNI_DEFAULT_CERT, "Clients that do not "
		    "send the site name (SNI) get a different certificate", ev);
		free(ev);
		cert_info_clear(&ci);
	} else if (resp.kind != HELLO_SERVER_HELLO || resp.ncerts == 0) {
		why = xasprintf("tlsmedic could not compare the answers with "
		    "and without SNI: %s", limit);
		report_skip(r, CHECK_SNI, why);
		free(why);
	}
	hello_resp_clear(&resp);
}
