/* step_welcome.c: step 1 -- which site, and what fails. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"
#include "util.h"

static const char *const app_names[] = { "A web browser", "A mail app",
	"Another program", "Not sure" };
static const enum app_kind app_kinds[] = { APP_BROWSER, APP_MAIL, APP_OTHER,
	APP_UNKNOWN };

void
step_welcome_draw(struct ui *u)
{
	int y = 2, x;

	ui_title(u, "tlsmedic - Step 1 of 4: The site");
	y += ui_wrap(u, y, 2, u->cols - 4, 3, UA_NORMAL,
	    "tlsmedic finds out why a secure connection to a site fails, "
	    "and who can fix it. It only looks; it changes nothing.");
	y++;
	ui_put(u, y++, 2, -1, UA_HEAD, "Which site does not work?");
	y += ui_wrap(u, y, 2, u->cols - 4, 2, UA_NORMAL,
	    "Type its name (example.org), or paste the address from the "
	    "browser (https://example.org/page).");
	int fy = y++;
	/* the whole reason, however long: room down to the footer */
	if (u->site_error != NULL)
		y += ui_wrap(u, y, 2, u->cols - 4, u->rows - y - 2, UA_FAIL,
		    u->site_error);
	y++;
	ui_put(u, y++, 2, -1, UA_HEAD, "What fails? (you may skip this)");
	x = 2;
	for (int i = 0; i < 4; i++) {
		char *s = xasprintf("(%s) %s", i == u->app_sel ? "*" : " ",
		    app_names[i]);
		int w = (int)text_width(s);

		if (x + w > u->cols - 2) {
			y++;
			x = 2;
		}
		ui_put(u, y, x, w, u->site_focus == 1 && i == u->app_sel ?
		    UA_SEL : UA_NORMAL, s);
		x += w + 2;
		free(s);
	}
	if (u->site_focus == 1) {
		char *k = xasprintf("%s choose  Tab back to the site|Tab site  "
		    "Enter continue  n what not to do  ? help  q quit",
		    ui_arrows(u, 1));
		ui_keys(u, k);
		free(k);
	} else
		ui_keys(u, "Type the site|Type  Enter continue  Tab what fails"
		    "|Tab what fails  ? help  Esc quit");
	/* last, so the cursor ends up in the box */
	ui_put(u, fy, 2, 2, UA_NORMAL, "> ");
	ui_field(u, fy, 4, u->cols - 6, &u->site, u->site_focus == 0);
}

static enum wevent
submit(struct ui *u)
{
	char *cause = NULL;

	free(u->site_error);
	u->site_error = NULL;
	if (session_set_target(u->s, u->site.buf, &cause) != 0) {
		size_t n = strlen(cause);

		/* the engine's words, as a sentence for the user */
		u->site_error = xasprintf("%s%s%s", islower((unsigned char)
		    cause[0]) ? "That did not work: " : "", cause, n > 0 &&
		    strchr(".!?", cause[n - 1]) ? "" : ".");
		free(cause);
		u->w.target_ok = 0;
		u->site_focus = 0;
		return WE_NONE;
	}
	u->s->answers.app = app_kinds[u->app_sel];
	u->w.target_ok = 1;
	u->w.mail = u->s->answers.app == APP_MAIL;
	if (!u->w.mail)
		mail_plan_free(&u->s->mail);
	return WE_NEXT;
}

enum wevent
step_welcome_key(struct ui *u, int key)
{
	if (key == UK_ENTER)
		return submit(u);
	if (key == UK_TAB || key == KEY_BTAB || (u->site_focus == 0 &&
	    key == KEY_DOWN) || (u->site_focus == 1 && key == KEY_UP)) {
		u->site_focus = !u->site_focus;
		return WE_NONE;
	}
	if (u->site_focus == 1) {
		switch (key) {
		case KEY_LEFT:
			if (u->app_sel > 0)
				u->app_sel--;
			break;
		case KEY_RIGHT:
		case ' ':
			u->app_sel = (u->app_sel + 1) % 4;
			break;
		case '1': case '2': case '3': case '4':
			u->app_sel = key - '1';
			break;
		case UK_ESC:
		case UK_BACKSPACE:
			u->site_focus = 0;
			break;
		case 'N': /* only lower-case n on this screen */
			break;
		default:
			return ui_common_key(key);
		}
		return WE_NONE;
	}
	if (key == UK_ESC)
		return WE_BACK;
	/* help, not a character in the box -- unless a URL's path is being
	 * typed, where "?" starts its query */
	if (key == KEY_F(1) || (key == '?' && strchr(u->site.buf, '/') ==
	    NULL))
		return WE_HELP;
	if (ui_edit(&u->site, key) && u->site_error != NULL) {
		/* the old error was about what is no longer there */
		free(u->site_error);
		u->site_error = NULL;
	}
	return WE_NONE;
}
