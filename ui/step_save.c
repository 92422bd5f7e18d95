/* step_save.c: save the report (text or JSON) or the message for the site
 * owner. Never overwrites without asking; a failed save says why and lets
 * the user type another name; the results stay where they were. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "screen.h"
#include "util.h"

static void
set_msg(struct ui *u, int bad, char *msg)
{
	free(u->save_msg);
	u->save_msg = msg;
	u->save_msg_bad = bad;
}

void
step_save_enter(struct ui *u)
{
	char *name;

	if (u->save_sel < 0 || u->save_sel >= SAVE_KIND_COUNT)
		u->save_sel = SAVE_TEXT;
	name = session_save_name(u->s, (enum save_kind)u->save_sel);
	field_set(&u->save_path, name);
	free(name);
	u->save_focus = 0;
	u->save_ask = 0;
	set_msg(u, 0, NULL);
}

static char *
shown_path(const struct ui *u, const char *path)
{
	char buf[PATH_MAX];
	char *p;

	/* Say where the file really went: a relative name means little. */
	if (path[0] != '/' && path[0] != '~' && getcwd(buf, sizeof buf))
		p = xasprintf("%s/%s", buf, path);
	else
		p = xstrdup(path);
	char *s = session_str(u->s, p);
	free(p);
	return s;
}

static void
do_save(struct ui *u, int overwrite)
{
	char *cause = NULL, *where = shown_path(u, u->save_path.buf);
	int rc = session_save(u->s, (enum save_kind)u->save_sel,
	    u->save_path.buf, overwrite, &cause);

	u->save_ask = 0;
	if (rc == 0) {
		u->w.saved = 1; /* quitting now loses nothing */
		set_msg(u, 0, xasprintf("Saved to %s\n%sYou can save "
		    "something else, or press Esc to go back to the results.",
		    where, u->save_sel == SAVE_OWNER ? "Send it to the site's "
		    "contact address (see its Contact page, or try webmaster@ "
		    "and the site's domain).\n" : ""));
		u->save_focus = 0;
	} else if (rc == -2) {
		set_msg(u, 0, session_str(u->s, cause));
	} else if (rc == 2) {
		/* A link, maybe dangling: write through it only when the
		 * user says so (it could point anywhere). */
		u->save_ask = 2;
		set_msg(u, 1, xasprintf("%s is a symbolic link. Write the "
		    "report to the file it points to? y: yes, write through "
		    "the link  n: no, choose another name", where));
	} else if (rc == 1) {
		u->save_ask = 1;
		set_msg(u, 1, xasprintf("%s already exists. Replace it? "
		    "y: yes, replace it  n: no, choose another name", where));
	} else {
		char *c = session_str(u->s, cause ? cause : "unknown error");
		set_msg(u, 1, xasprintf("Could not save to %s: %s. Type "
		    "another file name and press Enter.", where, c));
		free(c);
		u->save_focus = 1;
	}
	free(cause);
	free(where);
}

void
step_save_draw(struct ui *u)
{
	int y = 2, fy;
	char *keys;

	ui_title(u, "Save the results");
	ui_put(u, y++, 2, -1, UA_HEAD, "What do you want to save?");
	for (int k = 0; k < SAVE_KIND_COUNT; k++, y++) {
		int sel = k == u->save_sel;
		char *s = xasprintf("(%s) %s", sel ? "*" : " ",
		    save_kind_title((enum save_kind)k));

		ui_put(u, y, 2, 2, UA_NORMAL, sel && u->save_focus == 0 ?
		    ">" : " ");
		ui_put_cut(u, y, 4, u->cols - 6, sel && u->save_focus == 0 ?
		    UA_SEL : UA_NORMAL, s);
		free(s);
	}
	y++;
	ui_put(u, y++, 2, -1, UA_HEAD, "File name:");
	fy = y++;
	y++;
	if (u->save_msg != NULL)
		ui_wrap(u, y, 2, u->cols - 4, u->rows - y - 3,
		    u->save_msg_bad ? UA_FAIL : UA_OK, u->save_msg);
	if (u->save_ask == 2)
		keys = xstrdup("y write through the link  n choose another "
		    "name");
	else if (u->save_ask)
		keys = xstrdup("y replace the file  n choose another name");
	else if (u->save_focus == 1)
		keys = xstrdup("Type a file name|Type a name  Enter save  "
		    "Tab choose what to save|Tab what  Esc back to the results|"
		    "Esc back");
	else
		keys = xasprintf("%s choose what to save|%s choose  Enter save  "
		    "Tab edit the file name|Tab file name  Esc back to the "
		    "results|Esc back  n what not to do  ? help  q quit",
		    ui_arrows(u, 0), ui_arrows(u, 0));
	ui_keys(u, keys);
	free(keys);
	ui_put(u, fy, 2, 2, UA_NORMAL, "> ");
	ui_field(u, fy, 4, u->cols - 6, &u->save_path, u->save_focus == 1 &&
	    !u->save_ask);
}

static void
select_kind(struct ui *u, int k)
{
	char *old = session_save_name(u->s, (enum save_kind)u->save_sel);

	/* Follow the kind with the default name unless the user typed one. */
	if (strcmp(old, u->save_path.buf) == 0) {
		char *name = session_save_name(u->s, (enum save_kind)k);
		field_set(&u->save_path, name);
		free(name);
	}
	free(old);
	u->save_sel = k;
	set_msg(u, 0, NULL);
}

enum wevent
step_save_key(struct ui *u, int key)
{
	if (u->save_ask) {
		if (key == 'y' || key == 'Y')
			do_save(u, u->save_ask == 2 ? REPORT_SAVE_REPLACE |
			    REPORT_SAVE_FOLLOW : REPORT_SAVE_REPLACE);
		else if (key == 'n' || key == 'N' || key == UK_ESC ||
		    key == UK_BACKSPACE) {
			u->save_ask = 0;
			u->save_focus = 1;
			set_msg(u, 0, xstrdup("Type another file name and "
			    "press Enter."));
		}
		return WE_NONE;
	}
	if (key == UK_ENTER) {
		do_save(u, 0);
		return WE_NONE;
	}
	if (key == UK_TAB || key == KEY_BTAB) {
		u->save_focus = !u->save_focus;
		return WE_NONE;
	}
	if (key == UK_ESC)
		return WE_BACK;
	if (u->save_focus == 1) {
		if (key == KEY_UP) {
			u->save_focus = 0;
			return WE_NONE;
		}
		ui_edit(&u->save_path, key);
		return WE_NONE;
	}
	switch (key) {
	case KEY_UP:
		if (u->save_sel > 0)
			select_kind(u, u->save_sel - 1);
		return WE_NONE;
	case KEY_DOWN:
		if (u->save_sel + 1 < SAVE_KIND_COUNT)
			select_kind(u, u->save_sel + 1);
		else
			u->save_focus = 1;
		return WE_NONE;
	case '1': case '2': case '3':
		select_kind(u, key - '1');
		return WE_NONE;
	default:
		return ui_common_key(key);
	}
}
