/* infamous.h: roots whose private keys are public (Superfish, eDellRoot,
 * developer tools' local roots), from data/infamous-roots.txt. */
#ifndef TLSMEDIC_X509_INFAMOUS_H
#define TLSMEDIC_X509_INFAMOUS_H

#include <stddef.h>

struct infamous_root {
	const char *pattern;     /* case-insensitive substring of a DN */
	const char *spki_sha256; /* lower-case hex, or NULL: unknown */
	const char *name;        /* for people */
	const char *source;
};
extern const struct infamous_root infamous_roots[];
extern const size_t infamous_nroots;

/* The entry for a CA with subject dn (one-line form) and SPKI hash
 * spki_hex (lower-case hex, or NULL), or NULL. A known key decides
 * alone; otherwise the name does. */
const struct infamous_root *infamous_match(const char *dn,
    const char *spki_hex);

#endif
