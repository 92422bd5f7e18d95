/* mailplan.c: see mailplan.h. */
#include <stdlib.h>
#include <string.h>

#include "mailplan.h"
#include "netpath/starttls.h"
#include "sanitize.h"
#include "util.h"

int
mail_plan_add(struct mail_plan *p, int outgoing, const char *text,
    const char *fallback, char **cause)
{
	struct mail_server *m;
	const char *at;
	char *owned = NULL;
	int rc;

	*cause = NULL;
	if (p->n >= MAILPLAN_MAX) {
		*cause = xstrdup("too many servers");
		return -1;
	}
	while (text != NULL && (*text == ' ' || *text == '\t'))
		text++;
	if (text == NULL || *text == '\0')
		text = fallback;
	if (text == NULL || *text == '\0') {
		*cause = xstrdup("Please type the server's name, for example "
		    "mail.example.org.");
		return -1;
	}
	/* me@example.org: the domain part, as mail apps guess it. */
	if (strstr(text, "://") == NULL && (at = strrchr(text, '@')) != NULL)
		text = at + 1;
	m = &p->srv[p->n];
	memset(m, 0, sizeof *m);
	m->role = outgoing ? "Outgoing mail" : "Incoming mail";
	if (strstr(text, "://") == NULL && strchr(text, ':') == NULL &&
	    strchr(text, '[') == NULL) {
		/* A bare name: the usual port and security. */
		owned = xasprintf("%s://%s", outgoing ? "smtp" : "imaps", text);
		rc = target_parse(owned, &m->target, cause);
		if (rc == 0 && outgoing)
			m->target.port = 587;
	} else
		rc = target_parse(text, &m->target, cause);
	free(owned);
	if (rc != 0)
		return -1;
	p->n++;
	return 0;
}

void
mail_plan_free(struct mail_plan *p)
{
	for (int i = 0; i < p->n; i++) {
		target_clear(&p->srv[i].target);
		report_free(p->srv[i].report);
	}
	memset(p, 0, sizeof *p);
}

char *
mail_server_title(const struct mail_server *m)
{
	const struct target *t = &m->target;
	int at_once = 0;
	enum starttls_proto by_port = starttls_port_proto(t->port, &at_once);
	enum starttls_proto proto = t->starttls > 0 ?
	    (enum starttls_proto)t->starttls : t->starttls < 0 ?
	    STARTTLS_NONE : at_once ? STARTTLS_NONE : by_port;
	enum starttls_proto app = t->starttls < 0 ?
	    (enum starttls_proto)t->app : proto ? proto : by_port;
	char *h = sanitize(t->host, strlen(t->host), 256);
	char *s;

	if (app == STARTTLS_NONE)
		s = xasprintf("%s: %s port %d", m->role, h, t->port);
	else
		s = xasprintf("%s: %s port %d (%s, %s)", m->role, h, t->port,
		    starttls_title(app), proto ? "STARTTLS" : "SSL/TLS");
	free(h);
	return s;
}
