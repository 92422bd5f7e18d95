/* lab.h: the practice lab (--demo): small wolfSSL servers on 127.0.0.1, each
 * with one classic misconfiguration, certificates made at start-up. */
#ifndef TLSMEDIC_LAB_H
#define TLSMEDIC_LAB_H

#include <stddef.h>

struct lab_scenario {
	const char *name;     /* "expired" */
	const char *title;    /* "A site whose certificate has expired" */
	const char *expected; /* the finding id it demonstrates; "" = ok */
};
const struct lab_scenario *lab_scenarios(size_t *n);

struct lab;
/* Start every scenario's server. NULL with *cause on failure. */
struct lab *lab_start(char **cause);
void lab_stop(struct lab *l);
/* Where to point the diagnosis for a scenario: host name to ask for
 * (e.g. "expired.lab.test"), 127.0.0.1 and the port. -1 if unknown. */
int lab_target(const struct lab *l, const char *scenario, const char **host,
    int *port);
/* The lab root as PEM (trusted for the demo alone, never installed). */
const char *lab_root_pem(const struct lab *l);

#endif
