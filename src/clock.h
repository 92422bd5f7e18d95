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
/* After the chain is analysed: decide clock.skew and, when the clock
 * explains cert.expired / cert.not_yet_valid, move them to the user. */
void clock_judge(struct report *r);

#endif
