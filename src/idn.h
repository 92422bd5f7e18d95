/* idn.h: international domain names, as browsers and curl handle them:
 * UTS#46 non-transitional processing (libidn2) to the A-label
 * ("xn--bcher-kva.example") that DNS, SNI and certificates carry, and
 * back to the U-label ("bücher.example") that people read. */
#ifndef TLSMEDIC_IDN_H
#define TLSMEDIC_IDN_H

/* Does host hold a non-ASCII byte or an "xn--" label? */
int idn_is_idn(const char *host);
/* UTF-8 host -> lower-case A-label. Returns a new string, or NULL with
 * *cause in plain words (caller frees). */
char *idn_to_alabel(const char *host, char **cause);
/* A-label host -> UTF-8 U-label, or NULL when host has no valid "xn--"
 * label (then there is no other form to show). Caller frees. */
char *idn_to_ulabel(const char *host);

#endif
