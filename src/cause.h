/* cause.h: one finding explains another. A wrong clock makes certificates
 * look expired; an intercepting proxy's certificate is untrusted or names
 * the wrong host; a server that shares no suite with us answers our probe
 * with a fatal alert. The consequence then belongs to the cause: it is
 * folded into the cause's evidence, or kept with the cause's owner, and
 * always shown right after the cause (rule 2: never the wrong party). */
#ifndef TLSMEDIC_CAUSE_H
#define TLSMEDIC_CAUSE_H

#include <stddef.h>

#include "model.h"

/* Remove the findings ids[0..n) present in r and add their summaries and
 * evidence to the evidence of cause ("... (cert.expired, <why>)"). The
 * cause must be present; otherwise nothing happens. */
void cause_fold(struct report *r, enum finding_id cause,
    const enum finding_id *ids, size_t n, const char *why);
/* Apply the table of causes: fold or re-own what a present cause
 * explains. Idempotent; report_finish() calls it. */
void cause_apply(struct report *r);
/* The cause of f in r by the table, or NULL. */
const struct finding *cause_of(const struct report *r,
    const struct finding *f);
/* Sort: most serious first, each explained finding right after its
 * cause. report_finish() calls it. */
void cause_sort(struct report *r);

#endif
