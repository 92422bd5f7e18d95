/* mailsec.h: how TLS is reached on a port -- at once (443, 465, 993...) or
 * by STARTTLS (587, 143, 110...) -- and what the STARTTLS exchange's outcome
 * means: the findings net.no_starttls, net.starttls_refused and
 * net.wrong_security ("SSL/TLS" where "STARTTLS" is needed, or the
 * reverse: the most common mail-app mistake). diag.c decides when; this
 * module words it. */
#ifndef TLSMEDIC_MAILSEC_H
#define TLSMEDIC_MAILSEC_H

#include "model.h"
#include "netpath/starttls.h"

struct mailsec_plan {
	enum starttls_proto proto; /* STARTTLS with this, or NONE: at once */
	enum starttls_proto app;   /* the protocol known behind the port */
	int asked;                 /* the user chose the mode (URL, option) */
	int port;
};
/* starttls: STARTTLS_* asked for (--starttls, smtp://), -1 TLS at once
 * asked for (https://, imaps://), 0 decide by the port. app: the
 * protocol behind TLS at once (imaps:// -> IMAP), or 0. */
void mailsec_plan(int starttls, int app, int port, struct mailsec_plan *p);

/* The STARTTLS exchange did not end in "yes": findings into r. Returns 1
 * when the server may speak TLS at once here (worth a try), else 0. */
int mailsec_judge(struct report *r, struct starttls_state *s,
    const struct mailsec_plan *p);
/* STARTTLS was planned but the port speaks TLS at once. */
void mailsec_wants_at_once(struct report *r, const struct mailsec_plan *p);
/* TLS at once was planned but the server greeted in plain text as seen;
 * the evidence quotes greeting (len bytes, sanitized here). Adds a
 * finding only when the plan was asked for or the port's convention. */
void mailsec_wants_starttls(struct report *r, const struct mailsec_plan *p,
    enum starttls_proto seen, const unsigned char *greeting, size_t len);
/* "SMTP with STARTTLS", "IMAP, TLS at once", or NULL (a web port).
 * Caller frees. */
char *mailsec_mode_text(enum starttls_proto proto, enum starttls_proto app);

#endif
