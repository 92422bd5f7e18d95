/* sanitize.h: make bytes from the network safe to show or store.
 *
 * Output is valid UTF-8 with no C0 or C1 control character and no DEL:
 * such bytes become "\xNN" (or "\u{NNNN}" for C1 code points), invalid UTF-8
 * bytes become "\xNN", and the result is cut at max_out bytes with "...".
 * Invisible and direction-changing code points (general categories Cf, Zl,
 * Zp and the other default-ignorables, bidi controls included; table in
 * sanitize_invisible.h) become "\u{NNNN}" too.
 * The model holds only sanitized strings, so every face can print them. */
#ifndef TLSMEDIC_SANITIZE_H
#define TLSMEDIC_SANITIZE_H

#include <stddef.h>

#define SANITIZE_MAX 512 /* default bound for one displayed field */

/* Returns a new string the caller frees; s may hold NULs (len given). */
char *sanitize(const char *s, size_t len, size_t max_out);
/* Same, with an ASCII-only result (non-ASCII code points as "\u{...}"). */
char *sanitize_ascii(const char *s, size_t len, size_t max_out);
/* A string that may be sanitized already (a model string, or text built
 * from one) made safe once: kept as it is when it is clean, so an escape
 * is never escaped again; sanitized when it is not. Cut at max_out bytes
 * with "...". With ascii, non-ASCII code points become "\u{...}" and
 * nothing else changes. Caller frees. */
char *sanitize_once(const char *s, size_t max_out, int ascii);

#endif
