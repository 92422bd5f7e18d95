/* clock.h: is the local clock right? References that need no root: the
 * kernel's NTP sync state, the server's HTTP Date:, the certificate
 * validity windows, and the day tlsmedic was built. */
#ifndef TLSMEDIC_CLOCK_H
#define TLSMEDIC_CLOCK_H

#include <time.h>

#include "model.h"

/* Fill r->clock.local, kernel_sync and build_time. */
void clock_observe(struct report *r);
/* Parse an HTTP Date: value (RFC 7231 IMF-fixdate, RFC 850, asctime).
 * Returns 0 and *out, or -1. */
int clock_parse_http_date(const char *s, size_t len, time_t *out);
/* An ASN.1 UTCTime (tag 0x17) or GeneralizedTime (0x18) body. */
int clock_parse_asn1_time(unsigned char tag, const unsigned char *p,
    size_t n, time_t *out);

/* References gathered while the probes run (HTTP Date: headers of OCSP,
 * CRL and AIA answers, OCSP and CRL dates, time servers): thread-safe.
 * clock_log_add with a NULL log does nothing; it stamps the reference
 * with our clock now. */
struct clock_log;
struct clock_log *clock_log_new(void);
void clock_log_free(struct clock_log *l);
void clock_log_add(struct clock_log *l, enum clock_ref_kind kind,
    enum clock_bound bound, int trusted, const char *source, time_t value);
/* Append the log's references to r->clock.refs and empty the log. */
void clock_log_move(struct clock_log *l, struct report *r);
void clock_add_ref(struct report *r, enum clock_ref_kind kind,
    enum clock_bound bound, int trusted, const char *source, time_t value,
    time_t observed);
const char *clock_ref_kind_str(enum clock_ref_kind k); /* "sntp"... */
const char *clock_bound_str(enum clock_bound b);       /* "point"... */
/* One reference in words: "<source>: after <time> (400 days before
 * yours; used)". Caller frees. */
char *clock_ref_text(const struct clock_ref *f);
/* "400 days", "2 hours", "7 minutes", "30 seconds" (sign ignored). */
void clock_fmt_span(long s, char *buf, size_t len);

/* After the chain and revocation are done: add the report's own
 * references (site Date:, build day, the newest trusted notBefore, the
 * kernel's sync state) to r->clock.refs, judge them all, decide
 * clock.skew and, when the clock explains cert.expired /
 * cert.not_yet_valid, fold them into it. With no reference at all the
 * clock check is skipped with the reason (never "passed"). */
void clock_judge(struct report *r);

#endif
