/* answers.h: what only the user can tell us (the wizard's questions), and
 * how those answers change the findings -- through one table, answer x
 * evidence -> finding, owner, severity and text (answers.c), so what the
 * wizard concludes can be read off one place and tested row by row. */
#ifndef TLSMEDIC_ANSWERS_H
#define TLSMEDIC_ANSWERS_H

#include <stddef.h>

#include "model.h"

enum app_kind { APP_UNKNOWN, APP_BROWSER, APP_MAIL, APP_OTHER };

struct answers {
	enum app_kind app;          /* what fails */
	enum tri other_browser_ok;  /* "Does the site open in another browser?" */
	enum tri work_network;      /* "Are you on a work or school network?" */
	enum tri inspecting_av;     /* "Antivirus or VPN that inspects traffic?" */
};

/* What the probes found, as the answer table sees it (first that holds). */
enum answer_evidence {
	AEV_INTERCEPT, /* mitm.interception */
	AEV_SERVER,    /* a warning or error that is the site owner's */
	AEV_CUT,       /* timeouts or resets: net.timeout / net.reset */
	AEV_CLEAN,     /* reachable, nothing wrong at all */
	AEV_OTHER,     /* something else (our clock, a client certificate...) */
	AEV_COUNT
};
enum answer_evidence answers_evidence(const struct report *r);
/* Is id one that only answers add (client.browser, client.outdated,
 * client.local, client.scanning, net.filter)? No check line shows it. */
int answers_finding(enum finding_id id);

enum answer_act {
	ANS_ADD,  /* add finding id (owner, severity, summary) */
	ANS_OWN,  /* give the probes' finding(s) this owner */
	ANS_NOTE, /* only add the answers to the lead finding's evidence */
};
/* The slots a row fills; in each, the first matching row wins. */
enum answer_slot { SLOT_OWNER, SLOT_CAUSE, SLOT_COUNT };

/* Masks: bit 1 << value. For tri answers: TRI_YES, TRI_NO, TRI_UNKNOWN
 * map to A_Y, A_N, A_U. */
#define A_Y 1u
#define A_N 2u
#define A_U 4u
#define A_ANY (A_Y | A_N | A_U)
#define APPS_WEB ((1u << APP_BROWSER) | (1u << APP_UNKNOWN))
#define APPS_ANY 0xfu

struct answer_row {
	unsigned when;      /* 1 << enum answer_evidence */
	unsigned apps;      /* 1 << enum app_kind */
	unsigned browser, work, av; /* A_* masks */
	enum answer_slot slot;
	enum answer_act act;
	enum finding_id id; /* ANS_ADD: the finding; ANS_OWN: which */
	enum owner owner;   /* ANS_ADD / ANS_OWN */
	enum severity severity; /* ANS_ADD */
	const char *summary;    /* ANS_ADD: "%s" is the failing program */
	const char *evidence;   /* what the probes showed, before the answers */
};
const struct answer_row *answers_table(size_t *n);
/* The row that decides slot for these answers and this report, or NULL. */
const struct answer_row *answers_match(const struct answers *a,
    const struct report *r, enum answer_slot slot);
/* "you said: a web browser fails; the site opens in another browser" or
 * NULL when nothing was answered. Caller frees. */
char *answers_said(const struct answers *a);

/* Adjust r (add client.* findings, move owners) from the answers and what
 * the probes saw; then report_finish() again. Idempotent: it first undoes
 * what an earlier call added. */
void answers_apply(const struct answers *a, struct report *r);

#endif
