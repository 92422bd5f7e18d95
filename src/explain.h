/* explain.h: tlsmedic --explain [ID], the advice texts on their own. */
#ifndef TLSMEDIC_EXPLAIN_H
#define TLSMEDIC_EXPLAIN_H

#include <stdio.h>

/* id NULL or "": list every entry with its title. An id prints that entry;
 * a group such as "cert" lists the entries in it. Returns 0, or -1 when id
 * names nothing (then nothing is printed; see explain_suggest). Wraps to
 * the terminal when fp is one (at most 80 columns), else at 80. */
int explain_print(FILE *fp, const char *id);
/* The entry name nearest to a mistyped id, or NULL (static string). */
const char *explain_suggest(const char *id);

#endif
