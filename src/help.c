/* help.c: look-ups in the advice texts (help_data.c, generated from
 * the help/ texts by help/help.awk) and their plain-text rendering. */
#include <stdlib.h>
#include <string.h>

#include "help.h"
#include "util.h"

/* Defined in the generated $(B)/gen/help_data.c. */
extern const struct help_entry help_data[];
extern const char *const help_data_first[];
extern const size_t help_ndata;

/* Below this width indentation costs more than it helps. */
#define HELP_NARROW 24

const struct help_entry *
help_get(const char *id)
{
	if (id == NULL)
		return NULL;
	for (size_t i = 0; i < help_ndata; i++)
		if (strcmp(help_data[i].id, id) == 0)
			return &help_data[i];
	return NULL;
}

const struct help_entry *
help_all(size_t *n)
{
	if (n != NULL)
		*n = help_ndata;
	return help_data;
}

const char *
help_first_step(const char *id)
{
	const struct help_entry *e = help_get(id);

	return e != NULL ? help_data_first[e - help_data] : "";
}

static void
help_spaces(struct strbuf *b, size_t n)
{
	while (n-- > 0)
		strbuf_add(b, " ", 1);
}

void
help_wrap(struct strbuf *b, const char *text, const char *lead,
    size_t indent, int width)
{
	size_t w = width < 1 ? 1 : (size_t)width;
	size_t col, start;
	const char *p = text;

	if (strlen(lead) >= w || indent >= w) {
		lead = "";
		indent = 0;
	}
	strbuf_puts(b, lead);
	col = start = strlen(lead);
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		size_t len = strcspn(p, " ");
		if (col > start && col + 1 + len > w) {
			strbuf_add(b, "\n", 1);
			help_spaces(b, indent);
			col = start = indent;
		} else if (col > start) {
			strbuf_add(b, " ", 1);
			col++;
		}
		/* a word longer than the line: cut it */
		while (len > w - col) {
			size_t n = w - col;
			strbuf_add(b, p, n);
			p += n;
			len -= n;
			strbuf_add(b, "\n", 1);
			help_spaces(b, indent);
			col = start = indent;
		}
		strbuf_add(b, p, len);
		p += len;
		col += len;
	}
	strbuf_add(b, "\n", 1);
}

/* A verbatim line is never reflowed, only cut where it cannot fit. */
static void
help_verbatim(struct strbuf *b, const char *s, size_t len, size_t indent,
    size_t w)
{
	if (indent >= w)
		indent = 0;
	do {
		size_t n = len < w - indent ? len : w - indent;
		help_spaces(b, indent);
		strbuf_add(b, s, n);
		strbuf_add(b, "\n", 1);
		s += n;
		len -= n;
	} while (len > 0);
}

static void
help_section(struct strbuf *b, const char *heading, const char *text,
    int width)
{
	size_t w = width < 1 ? 1 : (size_t)width;
	int narrow = w < HELP_NARROW;
	size_t item = 2; /* indent of the item a verbatim line belongs to */
	size_t step = 0; /* indent of the text of the current step, or 0 */
	int first = 1;
	const char *p = text, *eol;
	char *line, *lead;

	strbuf_add(b, "\n", 1);
	help_wrap(b, heading, "", 0, width);
	for (; *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (*p == '\t') {
			help_verbatim(b, p + 1, eol - p - 1,
			    narrow ? 0 : item + 2, w);
			continue;
		}
		line = xstrndup(p, eol - p);
		size_t mark = 0;
		if (line[0] >= '0' && line[0] <= '9') {
			mark = strspn(line, "0123456789");
			if (strncmp(line + mark, ". ", 2) == 0)
				mark += 2;
			else
				mark = 0;
		} else if (strncmp(line, "- ", 2) == 0)
			mark = 2;

		int bullet = mark == 2 && line[0] == '-';
		/* once a step began, bullets and plain text belong to it and
		 * line up with its text */
		int inner = step != 0 && (bullet || mark == 0);
		size_t base = inner ? step : 2;
		if (!inner && !first)
			strbuf_add(b, "\n", 1); /* between paragraphs and steps */
		if (!inner)
			step = 0;
		first = 0;

		if (narrow) {
			help_wrap(b, line, "", 0, width);
			item = 0;
			if (mark != 0 && !bullet)
				step = 1; /* only "in a step" matters here */
		} else {
			lead = xmalloc(base + mark + 1);
			memset(lead, ' ', base);
			memcpy(lead + base, line, mark);
			lead[base + mark] = '\0';
			help_wrap(b, line + mark, lead, base + mark, width);
			free(lead);
			item = base + mark;
			if (mark != 0 && !bullet)
				step = item;
		}
		free(line);
	}
}

char *
help_render(const struct help_entry *e, int width)
{
	struct strbuf b = { 0 };
	size_t w = width < 1 ? 1 : (size_t)width;
	size_t n;

	if (e == NULL)
		return xstrdup("");
	help_wrap(&b, e->title, "", 0, width);
	n = strlen(e->title);
	for (size_t i = 0; i < (n < w ? n : w); i++)
		strbuf_add(&b, "=", 1);
	strbuf_add(&b, "\n", 1);
	help_section(&b, "What it means", e->meaning, width);
	/* a glossary entry (term.*) has only a meaning */
	if (e->who[0] != '\0')
		help_section(&b, "Who has to act", e->who, width);
	if (e->steps[0] != '\0')
		help_section(&b, "What to do", e->steps, width);
	if (e->check[0] != '\0')
		help_section(&b, "How to check it is fixed", e->check, width);
	if (e->dont[0] != '\0')
		help_section(&b, "What not to do", e->dont, width);
	return strbuf_steal(&b);
}
