/* session_mail.c: a session that tests a mail app's servers one after the
 * other (see session.h). Each report stays with its server; exactly one
 * owner holds each report at any time (s->report for the one shown). */
#include <string.h>

#include "session.h"
#include "util.h"

static void
use_server(struct session *s, int i)
{
	struct target t = s->mail.srv[i].target;

	t.host = xstrdup(t.host);
	session_use_target(s, &t);
	s->mail.cur = i;
}

void
session_mail_begin(struct session *s)
{
	if (s->mail.n > 0)
		use_server(s, 0);
}

int
session_mail_next(struct session *s)
{
	struct mail_plan *m = &s->mail;

	if (m->n == 0 || m->cur >= m->n)
		return 0;
	report_free(m->srv[m->cur].report);
	m->srv[m->cur].report = s->report;
	s->report = NULL;
	if (m->cur + 1 >= m->n || s->cancelled) {
		session_mail_show(s, m->cur);
		return 0;
	}
	use_server(s, m->cur + 1);
	session_start(s);
	return 1;
}

void
session_mail_show(struct session *s, int i)
{
	struct mail_plan *m = &s->mail;

	if (i < 0 || i >= m->n)
		return;
	if (s->report != NULL && m->cur != i) {
		report_free(m->srv[m->cur].report);
		m->srv[m->cur].report = s->report;
		s->report = NULL;
	}
	if (m->srv[i].report != NULL) {
		report_free(s->report);
		s->report = m->srv[i].report;
		m->srv[i].report = NULL;
	}
	m->cur = i;
	/* The shown server is the target (titles, file names). */
	struct target t = m->srv[i].target;
	t.host = xstrdup(t.host);
	session_use_target(s, &t);
}
