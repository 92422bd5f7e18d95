/* step_computer.c: step 2 -- the checks of this computer (clock,
 * interception) and the questions only the user can answer, all
 * skippable. The server checks already run in the background. */
#include <stdlib.h>

#include "screen.h"
#include "util.h"

struct question {
	const char *text;
	int nchoices;
	const char *choices[4];
};

static const struct question app_q = { "What fails to connect?", 4,
	{ "A web browser", "A mail app", "Another program", "Not sure" } };
static const struct question tri_q[3] = {
	{ "Does the site open in another browser?", 3,
	    { "Yes", "No", "Don't know" } },
	{ "Are you on a work or school network?", 3,
	    { "Yes", "No", "Don't know" } },
	{ "Do you run antivirus or a VPN that inspects web traffic?", 3,
	    { "Yes", "No", "Don't know" } },
};

/* A mail app has no "other browser" to try: that question is left out. */
static int
skipped(const struct ui *u)
{
	return u->s->answers.app == APP_MAIL;
}

static const enum check mine[] = { CHECK_CLOCK, CHECK_INTERCEPTION };

enum check
step_computer_check(const struct ui *u)
{
	return u->line_sel >= 0 && u->line_sel < 2 ? mine[u->line_sel] :
	    CHECK_COUNT;
}

static int
nquestions(const struct ui *u)
{
	return (u->ask_app ? 4 : 3) - skipped(u);
}

static const struct question *
question(const struct ui *u, int i)
{
	if (u->ask_app)
		return i == 0 ? &app_q : &tri_q[i - 1 + skipped(u)];
	return &tri_q[i + skipped(u)];
}

static enum tri *
tri_answer(struct ui *u, int i)
{
	struct answers *a = &u->s->answers;
	int k = (u->ask_app ? i - 1 : i) + skipped(u);

	return k == 0 ? &a->other_browser_ok : k == 1 ? &a->work_network :
	    &a->inspecting_av;
}

/* The chosen index of question i. */
static int
chosen(struct ui *u, int i)
{
	if (u->ask_app && i == 0) {
		switch (u->s->answers.app) {
		case APP_BROWSER:
			return 0;
		case APP_MAIL:
			return 1;
		case APP_OTHER:
			return 2;
		default:
			return 3;
		}
	}
	enum tri t = *tri_answer(u, i);
	return t == TRI_YES ? 0 : t == TRI_NO ? 1 : 2;
}

static void
choose(struct ui *u, int i, int c)
{
	static const enum app_kind apps[] = { APP_BROWSER, APP_MAIL,
		APP_OTHER, APP_UNKNOWN };
	static const enum tri tris[] = { TRI_YES, TRI_NO, TRI_UNKNOWN };

	if (u->ask_app && i == 0)
		u->s->answers.app = apps[c];
	else
		*tri_answer(u, i) = tris[c];
}

static int
checks_done(const struct session *s, int *total)
{
	int done = 0;

	*total = CHECK_COUNT;
	for (int c = 0; c < CHECK_COUNT; c++)
		if (s->states[c] >= CHECK_PASSED)
			done++;
	return done;
}

/* Draw question i at y (or only measure it when draw is 0); returns the
 * lines it takes at this width. */
static int
draw_question(struct ui *u, int i, int y, int draw)
{
	const struct question *q = question(u, i);
	int sel = i == u->q_sel && u->line_sel < 0, x = 6, c = chosen(u, i);
	int n;
	struct strbuf b = { 0 };
	struct lines l;

	text_wrap(&b, q->text, u->cols - 6, 0);
	lines_split(&l, b.s ? b.s : "");
	n = (int)l.n;
	for (size_t k = 0; draw && k < l.n; k++) {
		if (k == 0)
			ui_put(u, y, 2, 2, UA_NORMAL, sel ? ">" : " ");
		ui_put(u, y + (int)k, 4, u->cols - 6, sel ? UA_HEAD :
		    UA_NORMAL, l.v[k]);
	}
	lines_free(&l);
	strbuf_free(&b);
	y += n++;
	for (int k = 0; k < q->nchoices; k++) {
		char *s = xasprintf("(%s) %s", k == c ? "*" : " ",
		    q->choices[k]);
		int w = (int)text_width(s);

		if (x > 6 && x + w > u->cols - 2) {
			x = 6;
			y++;
			n++;
		}
		if (draw)
			ui_put(u, y, x, w, sel && k == c ? UA_SEL : UA_NORMAL,
			    s);
		x += w + 2;
		free(s);
	}
	return n;
}

void
step_computer_draw(struct ui *u)
{
	int y = 2, total, done, tight = u->rows < 22, top, used;
	int bottom = u->rows - 3, nq = nquestions(u);
	char *keys;

	ui_title(u, "Step 2 of 4: Your computer");
	for (size_t i = 0; i < 2; i++, y++) {
		enum check_state st = u->s->states[mine[i]];

		ui_put(u, y, 1, 1, UA_NORMAL, (int)i == u->line_sel ? ">" :
		    " ");
		ui_tag(u, y, 2, st);
		ui_put(u, y, 9, 24, (int)i == u->line_sel ? UA_SEL : UA_NORMAL,
		    check_title(mine[i]));
		ui_put_cut(u, y, 34, u->cols - 36, UA_DIM,
		    text_state_words(st));
	}
	y++;
	if (u->line_sel >= 0 && !session_unreachable(u->s)) {
		/* the chosen line explained, where the questions' intro was */
		char *m = text_check_explain(u->s, mine[u->line_sel],
		    u->s->states[mine[u->line_sel]]);
		char *t = text_fold(m, !u->utf8);

		ui_wrap(u, y, 2, u->cols - 4, u->rows - y - 4, UA_DIM, t);
		free(t);
		free(m);
		keys = xasprintf("%s explain a line  Enter continue|Enter go "
		    "on  Esc back  ? help  q quit", ui_arrows(u, 0));
		ui_keys(u, keys);
		free(keys);
		return;
	}
	if (session_unreachable(u->s)) {
		/* Said as soon as it is known; the questions about this
		 * computer cannot change that, so they are not asked. */
		char *h = text_headline(u->s);

		y += ui_wrap(u, y, 2, u->cols - 4, u->rows - y - 6, UA_FAIL,
		    h);
		free(h);
		y++;
		ui_wrap(u, y, 2, u->cols - 4, 3, UA_NORMAL, "The questions "
		    "about your computer do not matter now. Press Enter to "
		    "see what to do.");
		ui_keys(u, "Enter see what to do|Enter go on  Esc back  "
		    "? help  q quit");
		return;
	}
	y += ui_wrap(u, y, 2, u->cols - 4, 2, UA_NORMAL, tight ?
	    "Only you know these answers. Skip any you are not sure of." :
	    "Only you know these answers. They help tell who must act. "
	    "Skip any you are not sure of.");
	if (!tight)
		y++;
	/* scroll the questions so the chosen one is always whole */
	top = 0;
	for (;;) {
		used = 0;
		for (int i = top; i <= u->q_sel; i++)
			used += draw_question(u, i, 0, 0);
		if (used <= bottom - y || top == u->q_sel)
			break;
		top++;
	}
	if (top > 0)
		ui_put(u, y - 1, u->cols - 14, 12, UA_DIM, "(more above)");
	for (int i = top; i < nq; i++) {
		int h = draw_question(u, i, 0, 0);

		if (y + h > bottom) {
			if (y < bottom)
				ui_put(u, y, 4, -1, UA_DIM, "(more below: "
				    "Down)");
			break;
		}
		draw_question(u, i, y, 1);
		y += h;
	}
	done = checks_done(u->s, &total);
	int left, silent = session_silent_secs(u->s, &left);
	if (silent > 0) {
		char *m = xasprintf("The server has not answered for %d s. "
		    "Giving up in %d s.", silent, left);
		ui_put_cut(u, u->rows - 3, 2, u->cols - 4, UA_WARN, m);
		free(m);
	} else if (u->s->diag != NULL) {
		char *m = xasprintf("Meanwhile the server is being checked: "
		    "%d of %d checks done.", done, total);
		ui_put_cut(u, u->rows - 3, 2, u->cols - 4, UA_DIM, m);
		free(m);
	} else if (u->s->report != NULL)
		ui_put(u, u->rows - 3, 2, u->cols - 4, UA_DIM,
		    "The server checks are finished.");
	keys = xasprintf("%s question  %s answer  Enter continue|Enter go "
	    "on  Esc back  n what not to do  ? help  q quit", ui_arrows(u, 0),
	    ui_arrows(u, 1));
	ui_keys(u, keys);
	free(keys);
}

enum wevent
step_computer_key(struct ui *u, int key)
{
	int n = nquestions(u), nc = question(u, u->q_sel)->nchoices;
	int c = chosen(u, u->q_sel);

	if (session_unreachable(u->s))
		return key == UK_ENTER ? WE_NEXT : ui_common_key(key);
	if (u->line_sel >= 0) {
		/* on the check lines: Up/Down move, the rest as everywhere */
		if (key == KEY_UP && u->line_sel > 0)
			u->line_sel--;
		else if (key == KEY_DOWN || key == UK_TAB)
			u->line_sel = u->line_sel == 0 ? 1 : -1;
		else if (key == UK_ENTER)
			return WE_NEXT;
		else if (key != KEY_UP && key != KEY_LEFT && key != KEY_RIGHT)
			return ui_common_key(key);
		return WE_NONE;
	}
	switch (key) {
	case KEY_UP:
		if (u->q_sel > 0)
			u->q_sel--;
		else
			u->line_sel = 1; /* up to the check lines */
		return WE_NONE;
	case KEY_DOWN:
	case UK_TAB:
		if (u->q_sel + 1 < n)
			u->q_sel++;
		else if (key == UK_TAB)
			u->q_sel = 0;
		return WE_NONE;
	case KEY_LEFT:
		if (c > 0)
			choose(u, u->q_sel, c - 1);
		return WE_NONE;
	case KEY_RIGHT:
	case ' ':
		choose(u, u->q_sel, (c + 1) % nc);
		return WE_NONE;
	case 'y':
	case 'Y':
		if (nc == 3)
			choose(u, u->q_sel, 0);
		return WE_NONE;
	case '1': case '2': case '3': case '4':
		if (key - '1' < nc)
			choose(u, u->q_sel, key - '1');
		return WE_NONE;
	case UK_ENTER:
		return WE_NEXT;
	default:
		return ui_common_key(key);
	}
}
