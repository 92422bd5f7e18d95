/* step_demo.c: the practice lab's menu (--demo). */
#include <stdlib.h>

#include "lab.h"
#include "screen.h"
#include "util.h"

void
step_demo_draw(struct ui *u)
{
	size_t n;
	const struct lab_scenario *sc = lab_scenarios(&n);
	int y = 2, top = 0, room;

	ui_title(u, "tlsmedic practice lab");
	y += ui_wrap(u, y, 2, u->cols - 4, 3, UA_NORMAL,
	    "Each practice site below runs on this computer only and has "
	    "one classic mistake. Pick one to see how tlsmedic finds it.");
	y++;
	room = u->rows - y - 2;
	if (room < 1)
		room = 1;
	if (u->demo_sel >= room)
		top = u->demo_sel - room + 1;
	for (int i = top; i < (int)n && y < u->rows - 2; i++, y++) {
		char *t = text_fold(sc[i].title, !u->utf8);
		char *line = xasprintf("%s %s", i == u->demo_sel ? ">" : " ",
		    t);
		ui_put_cut(u, y, 2, u->cols - 4, i == u->demo_sel ? UA_SEL :
		    UA_NORMAL, line);
		free(line);
		free(t);
	}
	if (u->site_error != NULL)
		ui_put_cut(u, u->rows - 2, 2, u->cols - 4, UA_FAIL,
		    u->site_error);
	char *keys = xasprintf("%s choose  Enter start  n what not to do  "
	    "? help  q quit", ui_arrows(u, 0));
	ui_keys(u, keys);
	free(keys);
}

enum wevent
step_demo_key(struct ui *u, int key)
{
	size_t n;
	const struct lab_scenario *sc = lab_scenarios(&n);
	char *cause = NULL;

	switch (key) {
	case KEY_UP:
		if (u->demo_sel > 0)
			u->demo_sel--;
		return WE_NONE;
	case KEY_DOWN:
		if (u->demo_sel + 1 < (int)n)
			u->demo_sel++;
		return WE_NONE;
	case UK_ENTER:
		if (n == 0)
			return WE_NONE;
		free(u->site_error);
		u->site_error = NULL;
		if (session_set_scenario(u->s, sc[u->demo_sel].name,
		    &cause) != 0) {
			u->site_error = cause;
			u->w.target_ok = 0;
			return WE_NONE;
		}
		u->w.target_ok = 1;
		return WE_NEXT;
	case 'N': /* only lower-case n on this screen */
		return WE_NONE;
	default:
		return ui_common_key(key);
	}
}
