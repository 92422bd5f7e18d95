/* step_page.c: the scrollable pages -- a finding's advice, what not to
 * do, the details for experts, and help. Their text comes from text.c. */
#include <stdlib.h>
#include <string.h>

#include "screen.h"
#include "util.h"

void
ui_page_load(struct ui *u)
{
	const struct finding *fs[64];
	size_t nf;
	int width = u->cols - 4;
	char *text = NULL;

	if (width < 20)
		width = 20;
	lines_free(&u->page);
	switch (u->w.state) {
	case WS_ADVICE:
		nf = ui_findings(u, fs, 64);
		if (u->page_finding >= 0 && (size_t)u->page_finding < nf)
			text = text_advice(u->s, fs[u->page_finding], width);
		break;
	case WS_NOT_TO_DO:
		text = text_not_to_do(u->s, width);
		break;
	case WS_DETAILS:
		text = text_details(u->s, width);
		break;
	case WS_HELP:
		text = text_help(u->s, width);
		break;
	default:
		break;
	}
	lines_split(&u->page, text ? text : "");
	free(text);
	u->page_state = u->w.state;
	u->page_width = u->cols;
}

static int
page_rows(const struct ui *u)
{
	int n = u->rows - 5;
	return n < 1 ? 1 : n;
}

void
step_page_draw(struct ui *u)
{
	const char *title;
	int rows = page_rows(u), y = 2;
	const char *keys;
	char *k;

	switch (u->w.state) {
	case WS_ADVICE:
		title = "What to do about it";
		keys = "s save  n what not to do  Esc back to the results|"
		    "Esc back";
		break;
	case WS_NOT_TO_DO:
		title = "What not to do";
		keys = "Esc back";
		break;
	case WS_DETAILS:
		title = "Details for experts";
		keys = "Tab next section  s save  n what not to do  Esc back";
		break;
	default:
		title = "Help";
		keys = "n what not to do  Esc back";
		break;
	}
	if (u->page_state != u->w.state)
		ui_page_load(u);
	if (u->page_top > (int)u->page.n - rows)
		u->page_top = (int)u->page.n - rows;
	if (u->page_top < 0)
		u->page_top = 0;
	ui_title(u, title);
	for (int i = u->page_top; i < (int)u->page.n && y < 2 + rows;
	    i++, y++) {
		const char *l = u->page.v[i];
		enum ui_attr a = UA_NORMAL;

		if (strncmp(l, "== ", 3) == 0) {
			l += 3;
			a = UA_HEAD;
		} else if (strncmp(l, "[FAIL]", 6) == 0)
			a = UA_FAIL;
		ui_put(u, y, 2, u->cols - 4, a, l);
	}
	if ((int)u->page.n > rows) {
		char *m = xasprintf("lines %d-%d of %zu%s", u->page_top + 1,
		    u->page_top + rows < (int)u->page.n ? u->page_top + rows :
		    (int)u->page.n, u->page.n,
		    u->page_top + rows < (int)u->page.n ? " -- more below" : "");
		ui_put_cut(u, u->rows - 3, 2, u->cols - 4, UA_DIM, m);
		free(m);
		k = xasprintf("%s scroll|%s  PgUp/PgDn page  %s%s  q quit",
		    ui_arrows(u, 0), ui_arrows(u, 0), keys,
		    u->w.state == WS_HELP ? "" : "  ? help");
	} else
		k = xasprintf("%s%s  q quit", keys,
		    u->w.state == WS_HELP ? "" : "  ? help");
	ui_keys(u, k);
	free(k);
}

static void
next_section(struct ui *u, int dir)
{
	int i = u->page_top + dir;

	for (; i >= 0 && i < (int)u->page.n; i += dir)
		if (strncmp(u->page.v[i], "== ", 3) == 0) {
			u->page_top = i;
			return;
		}
	if (dir < 0)
		u->page_top = 0;
}

enum wevent
step_page_key(struct ui *u, int key)
{
	int rows = page_rows(u);

	switch (key) {
	case KEY_UP:
		u->page_top--;
		return WE_NONE;
	case KEY_DOWN:
		u->page_top++;
		return WE_NONE;
	case KEY_PPAGE:
		u->page_top -= rows - 1;
		return WE_NONE;
	case KEY_NPAGE:
	case ' ':
		u->page_top += rows - 1;
		return WE_NONE;
	case KEY_HOME:
		u->page_top = 0;
		return WE_NONE;
	case KEY_END:
		u->page_top = (int)u->page.n;
		return WE_NONE;
	case UK_TAB:
		next_section(u, 1);
		return WE_NONE;
	case KEY_BTAB:
		next_section(u, -1);
		return WE_NONE;
	case KEY_LEFT:
		return WE_BACK;
	case 's':
	case 'S':
		return u->w.state == WS_ADVICE || u->w.state == WS_DETAILS ?
		    WE_SAVE : WE_NONE;
	case 'd':
	case 'D':
		return u->w.state == WS_ADVICE ? WE_DETAILS : WE_NONE;
	default:
		return ui_common_key(key);
	}
}
