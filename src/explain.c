/* explain.c: tlsmedic --explain. The texts come from help.c; this file
 * only picks and lays them out. */
#include <sys/ioctl.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "explain.h"
#include "finding.h"
#include "help.h"
#include "util.h"

#define EXPLAIN_WIDTH 80
#define EXPLAIN_COL 25 /* where titles start in the list */

static int
explain_width(FILE *fp)
{
	struct winsize ws;
	int fd = fileno(fp);

	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0 && ws.ws_col < EXPLAIN_WIDTH)
		return ws.ws_col;
	return EXPLAIN_WIDTH;
}

/* Who acts, in the words the advice uses. */
static const char *
explain_owner(const char *id)
{
	static const char *const words[] = { "you", "site owner",
		"network admin" };
	int f = finding_id_parse(id);

	if (f < 0)
		return NULL;
	return words[finding_default_owner((enum finding_id)f)];
}

static void
explain_row(struct strbuf *b, const struct help_entry *e, int width)
{
	const char *who = explain_owner(e->id);
	char *lead, *text;

	lead = xasprintf("  %-*s", EXPLAIN_COL - 3, e->id);
	if (strlen(lead) > EXPLAIN_COL - 1) {
		/* an id too long for its column gets a line of its own */
		strbuf_printf(b, "  %s\n", e->id);
		free(lead);
		lead = xasprintf("%*s", EXPLAIN_COL - 1, "");
	}
	text = who != NULL ? xasprintf("%s (%s)", e->title, who) :
	    xstrdup(e->title);
	if (width < EXPLAIN_COL + 16)
		help_wrap(b, text, "", 0, width);
	else
		help_wrap(b, text, lead, EXPLAIN_COL + 1, width);
	free(text);
	free(lead);
}

/* group NULL: everything; else the entries whose id starts "group.". */
static int
explain_list(FILE *fp, const char *group, int width)
{
	struct strbuf b = { 0 };
	const struct help_entry *all;
	size_t n, len = group != NULL ? strlen(group) : 0;
	int found = 0;

	all = help_all(&n);
	for (int general = 0; general <= 1; general++) {
		int header = 0;
		for (size_t i = 0; i < n; i++) {
			if ((finding_id_parse(all[i].id) < 0) != general)
				continue;
			if (group != NULL && (strncmp(all[i].id, group, len) != 0 ||
			    all[i].id[len] != '.'))
				continue;
			if (!header) {
				if (found)
					strbuf_add(&b, "\n", 1);
				help_wrap(&b, general ? "Background:" :
				    "Problems tlsmedic can find (who has to act):",
				    "", 0, width);
				header = 1;
			}
			explain_row(&b, &all[i], width);
			found++;
		}
	}
	if (found) {
		strbuf_add(&b, "\n", 1);
		help_wrap(&b, "Show one: tlsmedic --explain ID", "", 0, width);
		fputs(b.s, fp);
	}
	strbuf_free(&b);
	return found ? 0 : -1;
}

int
explain_print(FILE *fp, const char *id)
{
	const struct help_entry *e, *all;
	int width = explain_width(fp);
	size_t n;
	char *s;

	if (id == NULL || *id == '\0')
		return explain_list(fp, NULL, width);
	e = help_get(id);
	if (e == NULL) {
		all = help_all(&n);
		for (size_t i = 0; i < n && e == NULL; i++)
			if (strcasecmp(all[i].id, id) == 0)
				e = &all[i];
	}
	if (e == NULL) {
		/* "cert" or "cert." lists a group */
		char *group = xstrdup(id);
		size_t len = strlen(group);
		if (len > 0 && group[len - 1] == '.')
			group[len - 1] = '\0';
		int rc = *group != '\0' ? explain_list(fp, group, width) : -1;
		free(group);
		return rc;
	}
	s = help_render(e, width);
	fputs(s, fp);
	free(s);
	if (finding_id_parse(e->id) >= 0) {
		struct strbuf b = { 0 };
		strbuf_add(&b, "\n", 1);
		help_wrap(&b, "Shortcuts that put you at risk: "
		    "tlsmedic --explain not-to-do", "", 0, width);
		fputs(b.s, fp);
		strbuf_free(&b);
	}
	return 0;
}

/* Edit distance, bounded to short ids. */
static size_t
explain_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? sub : del;
			if (ins < cur[j])
				cur[j] = ins;
		}
		memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
	}
	return prev[lb];
}

const char *
explain_suggest(const char *id)
{
	const struct help_entry *all;
	const char *best = NULL;
	size_t n, bestd = 4; /* more than 3 edits is another word */

	if (id == NULL)
		return NULL;
	all = help_all(&n);
	for (size_t i = 0; i < n; i++) {
		size_t d = explain_distance(id, all[i].id);
		if (d < bestd) {
			bestd = d;
			best = all[i].id;
		}
	}
	return best;
}
