/* clients.h: which clients can connect -- what SSL Labs calls handshake
 * simulation, and more. Each profile of data/clients/ (suites.h) is held
 * against the facts the probes gathered: versions, suites per version,
 * key-exchange groups and the DHE prime (groups.h), the server's key, and
 * the chain's findings. A client connects, does not (with the stage that
 * stops it: version, suite, group, signature, certificate), or we cannot
 * tell (a fact is missing): never a guessed "connects". */
#ifndef TLSMEDIC_CLIENTS_H
#define TLSMEDIC_CLIENTS_H

#include "model.h"
#include "suites.h"

/* One profile against r. out->reason is allocated (the caller frees);
 * out->id, name and stage are static. */
void clients_decide(const struct report *r, const struct client_profile *cp,
    struct client_result *out);

/* r->clients: one row per profile, in file order. Call after the chain
 * checks and the group probe; replaces an earlier table. */
void clients_judge(struct report *r);

/* The names of the current major browsers (current_only) or of all rows
 * whose connects is want, joined "A, B and C"; NULL when there is none.
 * stage, when not NULL, keeps only rows stopped at one of the stages it
 * lists ("suite group"). Caller frees. */
char *clients_names(const struct report *r, int current_only, enum tri want,
    const char *stage);

/* The table as plain ASCII lines of at most width columns (>= 60), each
 * starting with indent spaces. Caller frees. */
char *clients_table(const struct report *r, int width, int indent);

/* r->clients_note: the one-line answer for what the user said fails
 * (enum client_app bits; 0: not said -> NULL), from the rows that stand for
 * it, e.g. "For the program you use: curl ... and Python ... cannot
 * connect: ... Chrome 131+ connects: ...". */
void clients_note_set(struct report *r, unsigned app);

#endif
