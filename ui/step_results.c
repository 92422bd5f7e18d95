/* step_results.c: step 4 -- what was found, grouped by who has to act,
 * most serious first. Enter opens a finding's advice. */
#include <stdlib.h>

#include "help.h"
#include "screen.h"
#include "util.h"

#define MAX_SHOWN 64

struct row {
	int owner;          /* a group heading when finding < 0 */
	int finding;        /* index into the display order, or -1 */
	int empty;          /* 1 "nothing to do" line, 2 a blank line */
};

static char *
finding_title(const struct ui *u, const struct finding *f)
{
	const struct help_entry *e = help_get(finding_id_str(f->id));

	if (e != NULL && e->title != NULL && *e->title != '\0')
		return text_fold(e->title, !u->utf8);
	return session_str(u->s, f->summary);
}

static size_t
build_rows(const struct finding **fs, size_t nf, struct row *rows, int gaps)
{
	size_t n = 0;

	for (int o = 0; o < OWNER_COUNT; o++) {
		int any = 0;

		if (o > 0 && gaps)
			rows[n++] = (struct row){ o, -1, 2 };
		rows[n++] = (struct row){ o, -1, 0 };
		for (size_t i = 0; i < nf; i++)
			if ((int)fs[i]->owner == o) {
				rows[n++] = (struct row){ o, (int)i, 0 };
				any = 1;
			}
		if (!any)
			rows[n++] = (struct row){ o, -1, 1 };
	}
	return n;
}

void
step_results_draw(struct ui *u)
{
	const struct finding *fs[MAX_SHOWN];
	size_t nf = ui_findings(u, fs, MAX_SHOWN);
	struct row rows[MAX_SHOWN + 3 * OWNER_COUNT];
	/* blank lines between the groups when the window has room */
	int gaps = (int)nf + 2 * OWNER_COUNT + 12 <= u->rows;
	size_t nrows = build_rows(fs, nf, rows, gaps), selrow = 0;
	int y = 2, preview, room, top;
	char *h = text_headline(u->s), *keys;
	const struct report *r = u->s->report;
	int complete = r != NULL && !u->s->stopped &&
	    (r->verdict == VERDICT_OK || r->verdict == VERDICT_PROBLEMS);

	ui_title(u, "Step 4 of 4: Results");
	y += ui_wrap(u, y, 2, u->cols - 4, 3, UA_HEAD, h);
	free(h);
	/* What the client table says about the program that fails. */
	if (u->s->report != NULL && u->s->report->clients_note != NULL) {
		char *note = session_str(u->s, u->s->report->clients_note);
		y += ui_wrap(u, y, 2, u->cols - 4, 3, UA_NORMAL, note);
		free(note);
	}
	y++;
	if (u->res_sel >= (int)nf)
		u->res_sel = nf > 0 ? (int)nf - 1 : 0;
	for (size_t i = 0; i < nrows; i++)
		if (rows[i].finding == u->res_sel && nf > 0)
			selrow = i;
	/* room for the list; below it a preview of the chosen finding */
	preview = nf > 0 ? 3 : 0;
	room = u->rows - 3 - y - preview;
	if (room < 3)
		room = 3;
	top = u->res_top;
	if ((int)selrow < top + 1)
		top = selrow > 0 ? (int)selrow - 1 : 0;
	if ((int)selrow >= top + room)
		top = (int)selrow - room + 1;
	u->res_top = top;
	for (int i = top; i < (int)nrows && i < top + room; i++, y++) {
		const struct row *rw = &rows[i];

		if (rw->finding < 0 && !rw->empty) {
			ui_put(u, y, 2, -1, UA_HEAD, owner_title(rw->owner));
			continue;
		}
		if (rw->empty == 2)
			continue;
		if (rw->empty) {
			/* not "nothing to do" when not everything was tested */
			ui_put_cut(u, y, 4, u->cols - 6, UA_DIM, complete ?
			    "Nothing to do." : "Nothing found (not everything "
			    "was tested).");
			continue;
		}
		const struct finding *f = fs[rw->finding];
		int sel = rw->finding == u->res_sel;
		char *t = finding_title(u, f);

		ui_put(u, y, 2, 2, UA_NORMAL, sel ? ">" : " ");
		ui_sevtag(u, y, 4, f->severity);
		ui_put_cut(u, y, 11, u->cols - 13, sel ? UA_SEL : UA_NORMAL,
		    t);
		free(t);
	}
	if (top + room < (int)nrows)
		ui_put(u, y - 1, u->cols - 8, 7, UA_DIM, "(more)");
	if (nf > 0) {
		char *sum = session_str(u->s, fs[u->res_sel]->summary);
		ui_wrap(u, y + 1, 4, u->cols - 6, preview - 1, UA_DIM, sum);
		free(sum);
	}
	keys = xasprintf("%s%s%s  d details  s save  n what not to do  "
	    "r another site  Esc back  ? help  q quit",
	    nf > 0 ? ui_arrows(u, 0) : "", nf > 0 ? " choose  Enter advice" :
	    "", u->s->stopped ? "  a check again" : "");
	ui_keys(u, nf > 0 ? keys : keys + 2);
	free(keys);
}

enum wevent
step_results_key(struct ui *u, int key)
{
	const struct finding *fs[MAX_SHOWN];
	size_t nf = ui_findings(u, fs, MAX_SHOWN);

	switch (key) {
	case KEY_UP:
		if (u->res_sel > 0)
			u->res_sel--;
		return WE_NONE;
	case KEY_DOWN:
	case UK_TAB:
		if (u->res_sel + 1 < (int)nf)
			u->res_sel++;
		else if (key == UK_TAB)
			u->res_sel = 0;
		return WE_NONE;
	case KEY_HOME:
		u->res_sel = 0;
		return WE_NONE;
	case KEY_END:
		u->res_sel = nf > 0 ? (int)nf - 1 : 0;
		return WE_NONE;
	case UK_ENTER:
	case KEY_RIGHT:
		if (nf == 0)
			return WE_NONE;
		u->page_finding = u->res_sel;
		return WE_OPEN;
	case 'd':
	case 'D':
		return WE_DETAILS;
	case 's':
	case 'S':
		return WE_SAVE;
	case 'r':
	case 'R':
		return WE_RESTART;
	case 'a':
	case 'A':
		return u->s->stopped ? WE_RERUN : WE_NONE;
	default:
		return ui_common_key(key);
	}
}
