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

static void
explain_row(struct strbuf *b, const struct help_entry *e, int width)
{
	char *lead;

	if (width < EXPLAIN_COL + 16) {
		help_wrap(b, e->id, "  ", 4, width);
		help_wrap(b, e->title, "    ", 4, width);
		return;
	}
	lead = xasprintf("  %-*s ", EXPLAIN_COL - 4, e->id);
	if (strlen(lead) > EXPLAIN_COL - 1) {
		/* an id too long for its column gets a line of its own */
		strbuf_printf(b, "  %s\n", e->id);
		free(lead);
		lead = xasprintf("%*s", EXPLAIN_COL - 1, "");
	}
	help_wrap(b, e->title, lead, strlen(lead), width);
	free(lead);
}

/* Is the entry in group ("cert" holds "cert.expired"); NULL holds all. */
static int
explain_in(const char *id, const char *group)
{
	size_t len;

	if (group == NULL)
		return 1;
	len = strlen(group);
	return strncmp(id, group, len) == 0 && id[len] == '.';
}

/* The findings grouped by who has to act, then the general entries. */
static int
explain_list(FILE *fp, const char *group, int width)
{
	struct strbuf b = { 0 };
	const struct help_entry *all;
	size_t n;
	int found = 0;

	/* in decision-tree order, as the report shows them */
	all = help_all(&n);
	for (int g = 0; g <= OWNER_COUNT; g++) {
		int header = 0;
		size_t count = g < OWNER_COUNT ? FINDING_COUNT : n;
		for (size_t i = 0; i < count; i++) {
			const struct help_entry *e;
			if (g < OWNER_COUNT) {
				if ((int)finding_default_owner((enum finding_id)i)
				    != g)
					continue;
				e = help_get(finding_id_str((enum finding_id)i));
			} else {
				e = &all[i];
				if (finding_id_parse(e->id) >= 0)
					continue;
			}
			if (e == NULL || !explain_in(e->id, group))
				continue;
			if (!header) {
				if (found)
					strbuf_add(&b, "\n", 1);
				help_wrap(&b, g < OWNER_COUNT ?
				    owner_title((enum owner)g) : "Background",
				    "", 0, width);
				header = 1;
			}
			explain_row(&b, e, width);
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
