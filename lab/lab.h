/* lab.h: the practice lab (--demo): small wolfSSL servers on 127.0.0.1, each
 * with one classic misconfiguration, certificates made at start-up. */
#ifndef TLSMEDIC_LAB_H
#define TLSMEDIC_LAB_H

#include <stddef.h>
#include <stdio.h>

struct lab_scenario {
	const char *name;     /* "expired" */
	const char *title;    /* "A site whose certificate has expired" */
	const char *expected; /* the finding id it demonstrates; "" = ok */
};
const struct lab_scenario *lab_scenarios(size_t *n);
/* --demo=list: "name<TAB>title", one scenario a line. */
void lab_list(FILE *out);

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

/* --demo --batch / --json: diagnose every scenario (or only the one named
 * by only, when not NULL) against the running lab and print the text
 * reports, or one JSON array of reports. Returns the batch exit status:
 * 0 when every scenario showed exactly what it promises, 1 when one did
 * not, 2 for an unknown scenario name, 3 when the lab cannot be used. */
int lab_run_batch(struct lab *l, const char *only, int json, FILE *out);

#endif
