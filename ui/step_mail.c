/* step_mail.c: "A mail app" -- step 1b asks for the incoming and outgoing
 * servers (a name is enough: the usual port and security), and step 4a
 * lists each server's verdict; Enter opens that server's results. */
#include <stdlib.h>

#include "screen.h"
#include "text.h"
#include "util.h"

void
step_mail_enter(struct ui *u)
{
	char *h = session_str(u->s, u->s->target.host);

	field_set(&u->mail_in, h);
	field_set(&u->mail_out, h);
	free(h);
	free(u->mail_error);
	u->mail_error = NULL;
	u->mail_focus = 0;
}

void
step_mail_draw(struct ui *u)
{
	int y = 2, fin, fout;

	ui_title(u, "tlsmedic - Step 1 of 4: The mail servers");
	y += ui_wrap(u, y, 2, u->cols - 4, 3, UA_NORMAL,
	    "A mail app uses two servers: one to read mail and one to send "
	    "it. tlsmedic checks both. A name is enough; name:port or "
	    "imaps://name also works.");
	y++;
	ui_put(u, y++, 2, -1, UA_HEAD, "Incoming mail server (reading)");
	ui_put(u, y++, 4, u->cols - 6, UA_DIM,
	    "A name means IMAP, port 993, SSL/TLS.");
	fin = y++;
	y++;
	ui_put(u, y++, 2, -1, UA_HEAD, "Outgoing mail server (SMTP, sending)");
	ui_put(u, y++, 4, u->cols - 6, UA_DIM,
	    "A name means port 587, STARTTLS.");
	fout = y++;
	if (u->mail_error != NULL)
		ui_wrap(u, y + 1, 2, u->cols - 4, 2, UA_FAIL, u->mail_error);
	ui_keys(u, "Type a server  Tab next box  Enter check both  Esc back");
	ui_put(u, fin, 2, 2, UA_NORMAL, "> ");
	ui_put(u, fout, 2, 2, UA_NORMAL, "> ");
	/* the focused box last, so the cursor ends up in it */
	ui_field(u, u->mail_focus ? fin : fout, 4, u->cols - 6,
	    u->mail_focus ? &u->mail_in : &u->mail_out, 0);
	ui_field(u, u->mail_focus ? fout : fin, 4, u->cols - 6,
	    u->mail_focus ? &u->mail_out : &u->mail_in, 1);
}

static enum wevent
submit(struct ui *u)
{
	struct session *s = u->s;
	char *cause = NULL, *site = session_str(s, s->target.host);

	free(u->mail_error);
	u->mail_error = NULL;
	mail_plan_free(&s->mail);
	if (mail_plan_add(&s->mail, 0, u->mail_in.buf, site, &cause) != 0 ||
	    mail_plan_add(&s->mail, 1, u->mail_out.buf, site, &cause) != 0) {
		u->mail_error = xasprintf("%s server: %s", s->mail.n == 0 ?
		    "Incoming" : "Outgoing", cause);
		u->mail_focus = s->mail.n;
		mail_plan_free(&s->mail);
		free(cause);
		free(site);
		return WE_NONE;
	}
	free(site);
	session_mail_begin(s);
	u->w.target_ok = 1;
	return WE_NEXT;
}

enum wevent
step_mail_key(struct ui *u, int key)
{
	if (key == UK_ENTER)
		return submit(u);
	if (key == UK_TAB || key == KEY_BTAB || key == KEY_DOWN ||
	    key == KEY_UP) {
		u->mail_focus = !u->mail_focus;
		return WE_NONE;
	}
	if (key == UK_ESC)
		return WE_BACK;
	ui_edit(u->mail_focus ? &u->mail_out : &u->mail_in, key);
	return WE_NONE;
}

int
step_mail_continue(struct ui *u)
{
	struct session *s = u->s;

	if (s->mail.n == 0)
		return 0;
	session_apply(s);
	u->mail_sel = 0;
	return session_mail_next(s);
}

void
step_mail_results_draw(struct ui *u)
{
	struct session *s = u->s;
	int y = 2;

	ui_title(u, "Step 4 of 4: Results per mail server");
	y += ui_wrap(u, y, 2, u->cols - 4, 2, UA_NORMAL,
	    "Each server was checked on its own. Choose one to see what was "
	    "found and who can fix it.");
	y++;
	for (int i = 0; i < s->mail.n && y < u->rows - 4; i++) {
		const struct mail_server *m = &s->mail.srv[i];
		const struct report *r = i == s->mail.cur && s->report ?
		    s->report : m->report;
		char *t = mail_server_title(m), *line;
		const char *v = r == NULL ? "not tested" :
		    r->verdict == VERDICT_OK ? "no problems found" :
		    r->verdict == VERDICT_PROBLEMS ? "problems found" :
		    r->verdict == VERDICT_INCOMPLETE ? "not fully tested" :
		    "could not be tested";

		line = xasprintf("%s %s", i == u->mail_sel ? ">" : " ", t);
		ui_put(u, y++, 2, u->cols - 4, i == u->mail_sel ? UA_SEL :
		    UA_NORMAL, line);
		free(line);
		free(t);
		ui_put(u, y, 6, u->cols - 8, r != NULL && r->verdict ==
		    VERDICT_OK ? UA_OK : UA_FAIL, v);
		if (r != NULL && r->nfindings > 0) {
			/* a title in plain words, never an id */
			char *f = xasprintf("first: %s",
			    text_finding_title(&r->findings[0]));
			ui_put(u, y, 30, u->cols - 32, UA_DIM, f);
			free(f);
		}
		y += 2;
	}
	ui_keys(u, "Up/Down choose  Enter open  Esc back  r another site  "
	    "q quit");
}

enum wevent
step_mail_results_key(struct ui *u, int key)
{
	struct session *s = u->s;

	switch (key) {
	case KEY_UP:
		if (u->mail_sel > 0)
			u->mail_sel--;
		return WE_NONE;
	case KEY_DOWN:
		if (u->mail_sel + 1 < s->mail.n)
			u->mail_sel++;
		return WE_NONE;
	case UK_ENTER:
		session_mail_show(s, u->mail_sel);
		session_apply(s);
		u->res_sel = u->res_top = 0;
		return WE_OPEN;
	case 'r':
	case 'R':
		return WE_RESTART;
	default:
		return ui_common_key(key);
	}
}
