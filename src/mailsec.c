/* mailsec.c: see mailsec.h. The words follow what mail apps call the
 * setting: Outlook and Thunderbird "SSL/TLS" and "STARTTLS" (Outlook's
 * "encrypted connection", Thunderbird's "Connection security"), the Gmail
 * app's "Security type", iOS Mail's "Use SSL". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailsec.h"
#include "sanitize.h"
#include "util.h"

void
mailsec_plan(int starttls, int app, int port, struct mailsec_plan *p)
{
	int at_once;
	enum starttls_proto by_port = starttls_port_proto(port, &at_once);

	memset(p, 0, sizeof *p);
	p->port = port;
	if (starttls > 0 && starttls < STARTTLS_COUNT) {
		p->proto = p->app = (enum starttls_proto)starttls;
		p->asked = 1;
	} else if (starttls < 0) {
		p->app = app > 0 && app < STARTTLS_COUNT ?
		    (enum starttls_proto)app : STARTTLS_NONE;
		p->asked = 1;
	} else {
		p->app = by_port;
		p->proto = at_once ? STARTTLS_NONE : by_port;
	}
}

char *
mailsec_mode_text(enum starttls_proto proto, enum starttls_proto app)
{
	if (proto != STARTTLS_NONE)
		return xasprintf("%s with STARTTLS", starttls_title(proto));
	if (app != STARTTLS_NONE)
		return xasprintf("%s, TLS at once", starttls_title(app));
	return NULL;
}

/* "587" or "the usual port" when the protocol has none of that kind. */
static char *
usual(enum starttls_proto p, int at_once)
{
	int port = starttls_usual_port(p, at_once);
	return port ? xasprintf("port %d", port) : xstrdup("the usual port");
}

int
mailsec_judge(struct report *r, struct starttls_state *s,
    const struct mailsec_plan *p)
{
	const char *t = starttls_title(p->proto);
	char *ev = NULL, *sum = NULL;
	struct finding *f;
	int try_at_once = 0;

	pthread_mutex_lock(&s->lock);
	const char *greet = s->greeting[0] ? s->greeting : NULL;
	switch (s->outcome) {
	case STARTTLS_NOT_OFFERED:
		ev = xasprintf("%s port %d%s%s; asked with %s, the server "
		    "did not offer STARTTLS%s%s", t, p->port,
		    greet ? " greeted: " : "", greet ? greet : "", s->step,
		    s->reply[0] ? ": " : "", s->reply);
		sum = xasprintf("The server does not offer STARTTLS on this "
		    "port, so %s cannot be encrypted here", t);
		report_add(r, FINDING_NET_NO_STARTTLS, sum, ev);
		break;
	case STARTTLS_REFUSED:
		ev = xasprintf("%s port %d%s%s; the server answered %s "
		    "with: %s", t, p->port, greet && strcmp(s->step,
		    "greeting") != 0 ? " greeted: " : "",
		    greet && strcmp(s->step, "greeting") != 0 ? greet : "",
		    s->step, s->reply[0] ? s->reply : "(nothing)");
		sum = xasprintf("The server refused to start TLS (%s %s)", t,
		    s->step);
		report_add(r, FINDING_NET_STARTTLS_REFUSED, sum, ev);
		break;
	case STARTTLS_OTHER_PROTO:
		ev = xasprintf("asked for %s with STARTTLS on port %d; at "
		    "the %s step the server answered: %s", t, p->port,
		    s->step, s->reply[0] ? s->reply : "(nothing readable)");
		sum = xasprintf("This port does not speak %s: check the "
		    "server name and port in the app", t);
		f = report_add(r, FINDING_NET_WRONG_SECURITY, sum, ev);
		if (!p->asked)
			f->owner = OWNER_SERVER; /* its own port, our guess */
		break;
	case STARTTLS_TLS_SPOKEN:
		try_at_once = 1;
		mailsec_wants_at_once(r, p);
		break;
	case STARTTLS_SILENT:
		try_at_once = 1;
		ev = xasprintf("%s port %d: no greeting within the time "
		    "limit (a %s server speaks first)", t, p->port, t);
		report_add(r, FINDING_NET_TIMEOUT, "The server did not "
		    "answer in time", ev);
		break;
	case STARTTLS_BROKEN:
	default:
		try_at_once = greet == NULL;
		ev = xasprintf("%s port %d%s%s; the connection %s at the %s "
		    "step of STARTTLS", t, p->port, greet ? " greeted: " : "",
		    greet ? greet : "", s->net_err == NET_ERR_TIMEOUT ?
		    "stalled" : s->net_err == 0 ? "was closed" : "was reset",
		    s->step);
		f = report_add(r, s->net_err == NET_ERR_TIMEOUT ?
		    FINDING_NET_TIMEOUT : FINDING_NET_RESET, "The server "
		    "broke off before TLS could start", ev);
		/* It greeted: the way there works, the server stopped. */
		if (greet != NULL)
			f->owner = OWNER_SERVER;
		break;
	}
	pthread_mutex_unlock(&s->lock);
	free(ev);
	free(sum);
	return try_at_once;
}

static void
wrong(struct report *r, const struct mailsec_plan *p, const char *sum,
    const char *ev)
{
	struct finding *f = report_add(r, FINDING_NET_WRONG_SECURITY, sum, ev);

	/* Only a mode the user chose is surely the app's; a port's
	 * convention is a guess at it. */
	if (!p->asked)
		f->severity = SEV_WARNING;
}

void
mailsec_wants_at_once(struct report *r, const struct mailsec_plan *p)
{
	char *u = usual(p->app, 1);
	char *sum = xasprintf("Port %d speaks TLS at once: set the app's "
	    "security to SSL/TLS here (usually %s), not STARTTLS", p->port, u);
	char *ev = xasprintf("%s with STARTTLS was %s on port %d, but the "
	    "server does not speak plain %s there: it answered a TLS "
	    "handshake at once", starttls_title(p->proto), p->asked ?
	    "asked for" : "the usual choice", p->port,
	    starttls_title(p->proto));

	wrong(r, p, sum, ev);
	free(u);
	free(sum);
	free(ev);
}

void
mailsec_wants_starttls(struct report *r, const struct mailsec_plan *p,
    enum starttls_proto seen, const unsigned char *greeting, size_t len)
{
	if (!p->asked && p->app == STARTTLS_NONE)
		return; /* an odd port: no app setting to blame */
	char *g = sanitize((const char *)greeting, len, 80);
	char *u = usual(seen, 0), *a = usual(seen, 1);
	char *sum = xasprintf("Port %d expects STARTTLS: set the app's "
	    "security to STARTTLS (usually %s), or SSL/TLS with %s",
	    p->port, u, a);
	char *ev = xasprintf("TLS at once was %s on port %d, but the server "
	    "greeted in plain %s: %s", p->asked ? "asked for" :
	    "the usual choice", p->port, starttls_title(seen), g);

	wrong(r, p, sum, ev);
	free(g);
	free(u);
	free(a);
	free(sum);
	free(ev);
}
