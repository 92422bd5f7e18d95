/* refusal.c: see refusal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "refusal.h"
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
