/* scan.h: protocol versions and cipher suites, with raw ClientHellos.
 *
 * Versions: one hello per version (SSL 3.0 .. TLS 1.3), concurrently.
 * Suites: offer many, drop the one the server picks, repeat -- one
 * connection per accepted suite plus one per partition, with partitions of
 * the suite list probed in parallel (net.h bounds the parallelism). */
#ifndef TLSMEDIC_SCAN_H
#define TLSMEDIC_SCAN_H

#include "hello.h"
#include "model.h"
#include "net.h"

struct scan_result {
	enum tri protocols[PROTO_COUNT];
	struct suite_set ciphers[PROTO_COUNT];
	/* The answer to the highest accepted version <= TLS 1.2, with the
	 * chain as sent (cleartext there) and cert_request; kind is the
	 * failure when no version was accepted (e.g. HELLO_NOT_TLS). */
	struct hello_resp legacy;
	/* Does the server pick by its own preference (YES: it skipped our
	 * first offer), or follow ours (NO: at least two picks, always our
	 * first)? When YES and ciphers[p] came from one partition, its codes
	 * are in the server's order; otherwise the order is approximate. */
	enum tri server_order[PROTO_COUNT];
	/* How each version's hello was answered, for judging a refusal: an
	 * alert other than protocol_version refuses our offer, not the
	 * version, so TLS 1.2 and 1.3 are asked again with other offers
	 * (hello.h) before they count as refused. */
	struct scan_answer {
		enum hello_kind kind;  /* the answer to the last offer tried */
		int alert;             /* its alert description, -1 none */
		int first_alert;       /* the alert to the first offer, -1 */
		enum hello_kind first_kind;
		uint16_t version;      /* a ServerHello's other version, or 0 */
		enum hello_offer offer; /* accepted, or the last one tried */
		int retried;           /* other offers were tried */
	} answer[PROTO_COUNT];
	/* The smallest DHE prime the server used in any probe, in bits; 0:
	 * no DHE suite was picked. */
	int dh_bits;
};
void scan_result_clear(struct scan_result *r);

/* The suites one offer carries at a wire version, in the order offered
 * (as OpenSSL and the browsers order them; anonymous ones last). out has
 * room for HELLO_MAX_SUITES; returns how many. */
size_t scan_offer_list(uint16_t version, enum hello_offer offer,
    uint16_t *out);

typedef void (*scan_progress_fn)(void *arg, enum check c,
    enum check_state s);

/* Scans addr. sni may be NULL. Each connection gets timeout_ms. progress
 * (may be NULL) is called from the calling thread as CHECK_PROTOCOLS and
 * CHECK_CIPHERS start (CHECK_RUNNING) and end (CHECK_PASSED: something was
 * accepted; CHECK_FAILED: everything refused; CHECK_SKIPPED: could not be
 * tested -- the scanner does not judge, diag.c does). out is overwritten;
 * free it with scan_result_clear(). protocols[p]: YES accepted, NO refused
 * (alert, close, reset, other version), UNKNOWN (timeout, not TLS ...).
 * ciphers[p].tested is 1 only for accepted versions fully enumerated.
 * Connections used: at most (accepted suites over all versions) + 10. */
int scan_run(struct net_ctx *ctx, const struct net_addr *addr,
    const char *sni, int timeout_ms, scan_progress_fn progress, void *arg,
    struct scan_result *out);

#endif
