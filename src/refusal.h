/* refusal.h: what a failed handshake means, and whose it is.
 *
 * An alert is the server refusing what we offered (a version, suites,
 * groups, signature algorithms): scan.c asks again with other offers, and
 * this module words what the answers show. A failure of our own stack
 * (wolfSSL's handshake buffer, its math, its missing algorithms, memory,
 * file descriptors) is never the server's fault: it is named as ours, and
 * the check is done another way (the raw probe's chain) or skipped.
 *
 * Raises: protocol.refused, cipher.weak_dh; sni.required and
 * sni.default_cert when the SNI check runs on raw hellos. */
#ifndef TLSMEDIC_REFUSAL_H
#define TLSMEDIC_REFUSAL_H

#include "model.h"
#include "scan.h"
#include "tlsconn.h"

/* RFC 8446 6 names ("handshake_failure"); "alert" for unknown ones. */
const char *refusal_alert_name(int desc);

/* Why wolfSSL could not finish a handshake that a client with other
 * limits might finish, in plain words ("tlsmedic's TLS library cannot
 * ..."), or NULL when the failure is not ours. leaf (may be NULL) is the
 * server's certificate as the raw probe saw it. Static string. */
const char *refusal_our_limit(const struct tls_result *t,
    const struct cert_info *leaf);

/* Every version refused, and not by protocol_version alerts alone: the
 * server refuses every offer, or fails (internal_error). Adds
 * protocol.refused and returns 1; 0 when the refusals are of versions
 * (judge_protocols' protocol.mismatch then). */
int refusal_judge_all(struct report *r, const struct scan_result *s);

/* The server refused our first offer of a version and took another:
 * plain words for r->handshake_note (caller frees), or NULL. */
char *refusal_handshake_note(const struct scan_result *s);

/* The DHE group size: r->dh_bits, and cipher.weak_dh below 2048 bits
 * (an error when our own handshake refused it for its size). */
void refusal_judge_dh(struct report *r, int dh_bits,
    const struct tls_result *t);

/* Add to r->handshake_note ("; " between parts); text is ours. */
void refusal_note_add(struct report *r, const char *text);

/* The cause first: when an error finding is already there, the failed
 * handshake t is its symptom and goes into its evidence. Returns 1 then. */
int refusal_fold_symptom(struct report *r, const struct tls_result *t);

/* Versions or suites that no probe could read are skipped, never passed
 * (rule 1), unless an error finding already says why. */
void refusal_judge_untested(struct report *r);

/* Our own TLS library could not finish (limit): note it, and skip the
 * certificate checks when no probe got the chain either. */
void refusal_judge_limit(struct report *r, const struct scan_result *s,
    const char *limit);

/* The SNI check without wolfSSL: a raw TLS <= 1.2 hello without
 * server_name, its certificate against the one sent with it (one more
 * connection, only when wolfSSL hit a limit of ours). */
void refusal_sni_raw(struct report *r, struct net_ctx *ctx,
    const struct net_addr *addr, int timeout_ms, const struct scan_result *s,
    const char *limit);

#endif
