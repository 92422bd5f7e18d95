/* sntp.h: what time is it really? A bounded SNTP query (RFC 4330, UDP
 * 123) to a few public time servers at once, as Chrome's network time
 * does. It runs beside the probes: started when the diagnosis starts,
 * collected when the clock is judged. No network means no answer, fast
 * and quietly; it is never a finding by itself. */
#ifndef TLSMEDIC_SNTP_H
#define TLSMEDIC_SNTP_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define SNTP_ENV "TLSMEDIC_TIME_SERVERS"
#define SNTP_DEFAULT "time.cloudflare.com,time.google.com,pool.ntp.org"
#define SNTP_MAX_SERVERS 4

struct sntp;
/* Ask the servers of spec ("host[:port],..."; NULL: $TLSMEDIC_TIME_SERVERS
 * or SNTP_DEFAULT; "none" or "": ask nobody) in background threads until
 * deadline (now_ms() based). Never NULL, never blocks. */
struct sntp *sntp_start(const char *spec, int64_t deadline);
/* Wait for the answers (at most until wait_until or the deadline, give
 * or take 20 ms; a slow name lookup may hold it to the deadline), add
 * each as a reference to r->clock.refs, and free s. NULL s does nothing;
 * NULL r stops the queries at once and drops the answers. */
void sntp_finish(struct sntp *s, struct report *r, int64_t wait_until);
/* How many servers were asked, after sntp_start (0: disabled). */
size_t sntp_asked(const struct sntp *s);

/* Check a server's reply to our request, whose transmit timestamp was
 * nonce. t1 and t4: our clock (Unix seconds) at send and receive. On
 * success returns 0 and *offset = server - ours (seconds). */
int sntp_parse_reply(const unsigned char *buf, size_t n,
    const unsigned char nonce[8], double t1, double t4, double *offset);

#endif
