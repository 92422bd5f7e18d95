/* help.h: the advice texts of help/, compiled into the binary at build time
 * (one entry per finding id, plus general entries such as "not-to-do" and
 * "handshake"). Strings are static. */
#ifndef TLSMEDIC_HELP_H
#define TLSMEDIC_HELP_H

#include <stddef.h>

/* Each text field is lines joined by '\n'; a line is a paragraph, a step
 * "N. text", a bullet "- text" or a verbatim line "\ttext" (configuration
 * or a command, never wrapped). All ASCII. */
struct help_entry {
	const char *id;      /* finding id, or a general entry's name */
	const char *title;   /* a title a non-expert understands */
	const char *meaning; /* what it means, 2-3 short sentences */
	const char *who;     /* who has to act and why */
	const char *steps;   /* numbered steps, one per line */
	const char *check;   /* how to check it is fixed */
	const char *dont;    /* what not to do, or "" */
};

const struct help_entry *help_get(const char *id); /* NULL if none */
const struct help_entry *help_all(size_t *n);
/* The first step of the entry, one line (for the text report); "" if none. */
const char *help_first_step(const char *id);
/* The entry as plain text wrapped at width columns (caller frees). Every
 * line is at most width columns; below 24 columns nothing is indented. */
char *help_render(const struct help_entry *e, int width);

struct strbuf;
/* Append text wrapped at width: the first line starts with lead, the
 * others with indent spaces (both must leave room: strlen(lead) and indent
 * below width). Words longer than a line are cut. Ends with '\n'. */
void help_wrap(struct strbuf *b, const char *text, const char *lead,
    size_t indent, int width);

#endif
