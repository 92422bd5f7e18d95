/* text.h: the words and pages both faces show (ncurses and --plain), built
 * from the model and help/ as plain text. No curses here. */
#ifndef TLSMEDIC_TEXT_H
#define TLSMEDIC_TEXT_H

#include <stddef.h>

#include "model.h"
#include "session.h"
#include "util.h"

/* "[ ok ]" "[FAIL]" "[warn]" "[ .. ]": words, so meaning never rests on
 * colour. */
const char *text_state_tag(enum check_state s);
const char *text_state_words(enum check_state s); /* "passed" ... */
const char *text_severity_tag(enum severity s);
/* Short plain title of a finding (from help/, else its summary). */
const char *text_finding_title(const struct finding *f);

/* Our own static text made safe for the terminal: ASCII look-alikes for
 * typographic characters when ascii (caller frees). */
char *text_fold(const char *s, int ascii);
/* Columns a UTF-8 string takes (one per code point). */
size_t text_width(const char *s);
/* Word-wrap s into b at width columns, every line after the first
 * indented by indent spaces; keeps the newlines in s. */
void text_wrap(struct strbuf *b, const char *s, int width, int indent);

/* One-line headline of the result. */
char *text_headline(const struct session *s);
/* What is left on the terminal when the wizard ends: the headline, the
 * top findings and where the result was saved, wrapped at width. */
char *text_summary(const struct session *s, int width);
/* What a mark means, one sentence: "Skipped: tlsmedic could not ..." */
const char *text_state_meaning(enum check_state st);
/* Why check c was skipped, in plain words; NULL when it was not. */
char *text_skip_reason(const struct session *s, enum check c);
/* A check line explained: what it tests, what its mark means, and why
 * when skipped (caller frees). */
char *text_check_explain(const struct session *s, enum check c,
    enum check_state st);
/* 1 when this line of the help page is the glossary heading of c. */
int text_help_line(const char *page_line, enum check c);
/* Pages, wrapped at width (caller frees). */
char *text_advice(const struct session *s, const struct finding *f,
    int width);
char *text_not_to_do(const struct session *s, int width);
char *text_details(const struct session *s, int width);
char *text_help(const struct session *s, int width);
/* The same for --plain (plain: its commands instead of the keys). */
char *text_help_for(const struct session *s, int width, int plain);

/* A page split into lines for scrolling. */
struct lines {
	char **v;
	size_t n;
};
void lines_split(struct lines *l, const char *text);
void lines_free(struct lines *l);

#endif
