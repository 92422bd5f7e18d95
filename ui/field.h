/* field.h: a one-line text box (the site name, a file name): UTF-8 text,
 * a cursor, a length bound. No curses here. */
#ifndef TLSMEDIC_FIELD_H
#define TLSMEDIC_FIELD_H

#include <stddef.h>

#define FIELD_MAX 1024 /* bytes; a pasted URL can be long */

struct field {
	char buf[FIELD_MAX];
	size_t len;
	size_t cur; /* byte offset, always at a code point start */
};

enum field_key {
	FK_LEFT = -1, FK_RIGHT = -2, FK_HOME = -3, FK_END = -4,
	FK_BACKSPACE = -5, FK_DELETE = -6, FK_KILL = -7 /* ^U */
};

void field_set(struct field *f, const char *s);
/* A printable code point (> 0) or an enum field_key (< 0). Returns 1 when
 * the text or cursor changed. Control characters are refused. */
int field_key(struct field *f, long key);
/* Cursor column (code points before the cursor). */
size_t field_col(const struct field *f);

#endif
