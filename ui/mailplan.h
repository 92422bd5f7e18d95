/* mailplan.h: "A mail app" in the wizard -- the incoming and the outgoing
 * server, each with the usual port and kind of security unless the user
 * gave them, tested one after the other, each with its own report. No
 * curses; both faces (ncurses and --plain) use it through the session. */
#ifndef TLSMEDIC_MAILPLAN_H
#define TLSMEDIC_MAILPLAN_H

#include "model.h"
#include "target.h"

#define MAILPLAN_MAX 2

struct mail_server {
	const char *role;      /* "Incoming mail", "Outgoing mail" */
	struct target target;  /* host, port, and how TLS starts */
	struct report *report; /* when tested, else NULL */
};

struct mail_plan {
	struct mail_server srv[MAILPLAN_MAX];
	int n;
	int cur; /* the one being tested or shown */
};

/* One server from what the user typed: a name (the usual port and
 * security: incoming IMAP 993 SSL/TLS, outgoing SMTP 587 STARTTLS),
 * name:port (the port's convention decides), a URL (imaps://, pop3://,
 * smtp://...) or an e-mail address (its domain). Empty text: fallback (the
 * site typed first). Returns 0, or -1 with *cause (caller frees). */
int mail_plan_add(struct mail_plan *p, int outgoing, const char *text,
    const char *fallback, char **cause);
void mail_plan_free(struct mail_plan *p);
/* "Incoming mail: imap.example.org port 993 (IMAP, SSL/TLS)" (caller
 * frees). */
char *mail_server_title(const struct mail_server *m);

#endif
