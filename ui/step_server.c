/* step_server.c: step 3 -- the server checks as lines that go from
 * waiting to running to a result. The chosen line is explained below the
 * list. Stopping is its own key (x); Esc goes back and the checks go on. */
#include <stdlib.h>

#include "screen.h"
#include "util.h"

static const enum check server_checks[] = { CHECK_CONNECT, CHECK_PROTOCOLS,
	CHECK_CIPHERS, CHECK_CERT, CHECK_SNI, CHECK_REVOCATION };
#define NSERVER (sizeof server_checks / sizeof server_checks[0])

enum check
step_server_check(const struct ui *u)
{
	int i = u->chk_sel;

	return server_checks[i >= 0 && (size_t)i < NSERVER ? i : 0];
}

void
step_server_draw(struct ui *u)
{
	int y = 2, left, silent;
	const struct session *s = u->s;
	char *m;

	ui_title(u, "Step 3 of 4: The server");
	if (s->diag != NULL)
		y += ui_wrap(u, y, 2, u->cols - 4, 2, UA_NORMAL,
		    "tlsmedic now asks the server the questions a browser "
		    "asks. This takes a few seconds.");
	else if (s->stopped)
		y += ui_wrap(u, y, 2, u->cols - 4, 2, UA_WARN,
		    "You stopped the checks. What was not done is marked "
		    "[skip]. Press a to run them again.");
	else
		y += ui_wrap(u, y, 2, u->cols - 4, 2, UA_NORMAL,
		    "All checks are finished.");
	y++;
	for (size_t i = 0; i < NSERVER && y < u->rows - 6; i++, y++) {
		enum check_state st = s->states[server_checks[i]];
		int sel = (int)i == u->chk_sel;

		ui_put(u, y, 1, 1, UA_NORMAL, sel ? ">" : " ");
		ui_tag(u, y, 2, st);
		ui_put(u, y, 9, 24, sel ? UA_SEL : UA_NORMAL,
		    check_title(server_checks[i]));
		ui_put_cut(u, y, 34, u->cols - 36, st == CHECK_FAILED ?
		    UA_FAIL : UA_DIM, text_state_words(st));
	}
	y++;
	/* the chosen line in plain words: what it tests, what its mark
	 * means, and why when it was skipped */
	m = text_check_explain(s, step_server_check(u),
	    s->states[step_server_check(u)]);
	{
		char *t = text_fold(m, !u->utf8);
		y += ui_wrap(u, y, 2, u->cols - 4, 5, UA_DIM, t);
		free(t);
	}
	free(m);
	y++;
	if (s->diag != NULL) {
		long secs = (long)((now_ms() - s->started_ms) / 1000);

		silent = session_silent_secs(s, &left);
		if (s->cancelled)
			m = xstrdup("Stopping the checks...");
		else if (silent > 0)
			m = xasprintf("The server has not answered for %d s. "
			    "Giving up in %d s.", silent, left);
		else
			m = xasprintf("Checking... %ld s (a slow server may "
			    "take up to a minute)", secs);
		ui_put_cut(u, u->rows - 3, 2, u->cols - 4, silent > 0 ?
		    UA_WARN : UA_DIM, m);
		free(m);
		m = xasprintf("x stop the checks|x stop  %s explain a line|%s "
		    "explain  Esc back  ? help  q quit", ui_arrows(u, 0),
		    ui_arrows(u, 0));
		ui_keys(u, m);
		free(m);
		return;
	}
	if (s->report != NULL && y < u->rows - 2) {
		char *h = text_headline(s);
		ui_wrap(u, y, 2, u->cols - 4, u->rows - y - 2, UA_HEAD, h);
		free(h);
	}
	m = xasprintf("Enter see the results|Enter results%s  %s explain a "
	    "line|%s explain  Esc back  n what not to do  ? help  q quit",
	    s->stopped ? "  a check again" : "", ui_arrows(u, 0),
	    ui_arrows(u, 0));
	ui_keys(u, m);
	free(m);
}

enum wevent
step_server_key(struct ui *u, int key)
{
	switch (key) {
	case KEY_UP:
		if (u->chk_sel > 0)
			u->chk_sel--;
		return WE_NONE;
	case KEY_DOWN:
	case UK_TAB:
		if ((size_t)u->chk_sel + 1 < NSERVER)
			u->chk_sel++;
		else if (key == UK_TAB)
			u->chk_sel = 0;
		return WE_NONE;
	case 'x':
	case 'X':
		return u->s->diag != NULL ? WE_CANCEL : WE_NONE;
	case 'a':
	case 'A':
		return u->s->diag == NULL ? WE_RERUN : WE_NONE;
	case UK_ENTER:
		return u->s->diag == NULL ? WE_NEXT : WE_NONE;
	default:
		return ui_common_key(key);
	}
}
