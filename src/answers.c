/* answers.c: fold what only the user knows into the findings (answers.h).
 *
 * Idempotent: the wizard may apply the answers again after the user
 * changed them, so every run first undoes what an earlier run added. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "clients.h"
#include "util.h"

#define EV(e) (1u << (e))
#define APP(a) (1u << (a))
#define NOTE_MARK "; from your answers: "

/* Read top to bottom: in each slot the first row that matches decides.
 * Answers never overrule hard evidence against the server: with
 * AEV_SERVER a row may only add an info note. Every text says only what
 * the answers said; the evidence then lists them (answers_said). */
static const struct answer_row rows[] = {
	/* Who runs the interception: the network's admin, or this
	 * computer's software. */
	{ EV(AEV_INTERCEPT), APPS_ANY, A_ANY, A_Y, A_ANY, SLOT_OWNER, ANS_OWN,
	    FINDING_MITM_INTERCEPTION, OWNER_NETWORK, SEV_INFO, NULL, NULL },
	{ EV(AEV_INTERCEPT), APPS_ANY, A_ANY, A_ANY, A_Y, SLOT_OWNER, ANS_OWN,
	    FINDING_MITM_INTERCEPTION, OWNER_CLIENT, SEV_INFO, NULL, NULL },
	{ EV(AEV_INTERCEPT), APPS_ANY, A_ANY, A_N, A_ANY, SLOT_OWNER, ANS_OWN,
	    FINDING_MITM_INTERCEPTION, OWNER_CLIENT, SEV_INFO, NULL, NULL },
	/* Cut connections: a work network's firewall, or a local one. */
	{ EV(AEV_CUT), APPS_ANY, A_ANY, A_Y, A_ANY, SLOT_OWNER, ANS_OWN,
	    FINDING_NET_RESET, OWNER_NETWORK, SEV_INFO, NULL, NULL },
	{ EV(AEV_CUT), APPS_ANY, A_ANY, A_N | A_U, A_Y, SLOT_OWNER, ANS_OWN,
	    FINDING_NET_RESET, OWNER_CLIENT, SEV_INFO, NULL, NULL },

	/* Nothing wrong with the server: the cause is on this side. */
	{ EV(AEV_CLEAN), APPS_ANY, A_ANY, A_ANY, A_Y, SLOT_CAUSE, ANS_ADD,
	    FINDING_CLIENT_SCANNING, OWNER_CLIENT, SEV_WARNING,
	    "tlsmedic finds nothing wrong with the server, and your antivirus "
	    "or VPN inspects web traffic: its HTTPS scanning is the likely "
	    "cause. Turn off that feature, not the whole program.",
	    "every check against the server passed" },
	{ EV(AEV_CLEAN), APPS_WEB, A_N | A_U, A_Y, A_ANY, SLOT_CAUSE, ANS_ADD,
	    FINDING_NET_FILTER, OWNER_NETWORK, SEV_WARNING,
	    "tlsmedic reaches the site, but your browser on this work or "
	    "school network does not: the network's web filter or proxy is "
	    "the likely cause. Ask your network admin.",
	    "every check against the server passed" },
	{ EV(AEV_CLEAN), APPS_WEB, A_Y, A_ANY, A_ANY, SLOT_CAUSE, ANS_ADD,
	    FINDING_CLIENT_BROWSER, OWNER_CLIENT, SEV_WARNING,
	    "The site opens in another browser, so the browser that fails is "
	    "the likely cause.",
	    "every check against the server passed" },
	{ EV(AEV_CLEAN), APPS_WEB, A_N, A_ANY, A_ANY, SLOT_CAUSE, ANS_ADD,
	    FINDING_CLIENT_LOCAL, OWNER_CLIENT, SEV_WARNING,
	    "tlsmedic connects to the site without trouble, but no browser "
	    "here can: something on this computer (antivirus, proxy, VPN) is "
	    "the likely cause.",
	    "every check against the server passed" },
	{ EV(AEV_CLEAN), APP(APP_BROWSER), A_U, A_ANY, A_ANY, SLOT_CAUSE,
	    ANS_ADD, FINDING_CLIENT_LOCAL, OWNER_CLIENT, SEV_WARNING,
	    "tlsmedic connects to the site without trouble, so the problem is "
	    "on your side: most likely the browser or something on this "
	    "computer.",
	    "every check against the server passed" },
	{ EV(AEV_CLEAN), APP(APP_MAIL) | APP(APP_OTHER), A_ANY, A_ANY, A_ANY,
	    SLOT_CAUSE, ANS_ADD, FINDING_CLIENT_OUTDATED, OWNER_CLIENT,
	    SEV_WARNING,
	    "tlsmedic connects to the server without trouble, so the %s that "
	    "fails is the likely cause: it may be too old for what the server "
	    "asks for.",
	    "every check against the server passed" },

	/* The proxy is seen: one browser may trust it and another not. */
	{ EV(AEV_INTERCEPT), APPS_WEB, A_Y, A_ANY, A_ANY, SLOT_CAUSE, ANS_ADD,
	    FINDING_CLIENT_BROWSER, OWNER_CLIENT, SEV_INFO,
	    "The site opens in another browser: that browser trusts the "
	    "inspecting proxy's certificate, the one that fails does not "
	    "(Firefox, for one, keeps its own list).",
	    "the connection is intercepted (see mitm.interception)" },
	/* Faults on the server: the other browser is only more lenient. */
	{ EV(AEV_SERVER), APPS_WEB, A_Y, A_ANY, A_ANY, SLOT_CAUSE, ANS_ADD,
	    FINDING_CLIENT_BROWSER, OWNER_CLIENT, SEV_INFO,
	    "The site opens in another browser, but the server has faults "
	    "(above) that stricter clients refuse: the site owner must fix "
	    "them.",
	    "tlsmedic found faults on the server" },
	/* Cut connections, yet another browser gets through: it may go
	 * through a proxy or VPN that this program does not use. */
	{ EV(AEV_CUT), APPS_WEB, A_Y, A_ANY, A_ANY, SLOT_CAUSE, ANS_NOTE,
	    FINDING_NET_RESET, OWNER_NETWORK, SEV_INFO, NULL,
	    "another browser gets through: it may use a proxy or VPN that "
	    "tlsmedic and the failing program do not" },
	{ EV(AEV_CUT), APPS_ANY, A_ANY, A_Y, A_ANY, SLOT_CAUSE, ANS_NOTE,
	    FINDING_NET_RESET, OWNER_NETWORK, SEV_INFO, NULL,
	    "a work or school network's firewall often blocks sites like this" },
	{ EV(AEV_CUT), APPS_ANY, A_ANY, A_ANY, A_Y, SLOT_CAUSE, ANS_NOTE,
	    FINDING_NET_RESET, OWNER_CLIENT, SEV_INFO, NULL,
	    "the antivirus or VPN may be what cuts the connection" },
};
#define NROWS (sizeof rows / sizeof *rows)

const struct answer_row *
answers_table(size_t *n)
{
	*n = NROWS;
	return rows;
}

int
answers_finding(enum finding_id id)
{
	return id == FINDING_CLIENT_BROWSER || id == FINDING_CLIENT_OUTDATED ||
	    id == FINDING_CLIENT_LOCAL || id == FINDING_CLIENT_SCANNING ||
	    id == FINDING_NET_FILTER;
}

enum answer_evidence
answers_evidence(const struct report *r)
{
	int server = 0, cut = 0, other = 0;

	if (report_find(r, FINDING_MITM_INTERCEPTION) != NULL)
		return AEV_INTERCEPT;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (answers_finding(f->id) || f->severity < SEV_WARNING)
			continue;
		if (f->id == FINDING_NET_TIMEOUT || f->id == FINDING_NET_RESET)
			cut = 1;
		else if (f->owner == OWNER_SERVER)
			server = 1;
		else
			other = 1;
	}
	if (server)
		return AEV_SERVER;
	if (cut)
		return AEV_CUT;
	if (other || r->verdict == VERDICT_UNREACHABLE)
		return AEV_OTHER;
	return AEV_CLEAN;
}

static unsigned
tri_bit(enum tri t)
{
	return t == TRI_YES ? A_Y : t == TRI_NO ? A_N : A_U;
}

const struct answer_row *
answers_match(const struct answers *a, const struct report *r,
    enum answer_slot slot)
{
	unsigned ev = EV(answers_evidence(r));
	unsigned app = APP((unsigned)a->app < 4 ? a->app : APP_UNKNOWN);

	for (size_t i = 0; i < NROWS; i++) {
		const struct answer_row *w = &rows[i];
		if (w->slot == slot && (w->when & ev) && (w->apps & app) &&
		    (w->browser & tri_bit(a->other_browser_ok)) &&
		    (w->work & tri_bit(a->work_network)) &&
		    (w->av & tri_bit(a->inspecting_av)))
			return w;
	}
	return NULL;
}

char *
answers_said(const struct answers *a)
{
	struct strbuf b = { 0 };
	static const char *const apps[] = { NULL, "a web browser fails",
		"a mail app fails", "a program fails" };
	const char *said[4] = {
		(unsigned)a->app < 4 ? apps[a->app] : NULL,
		a->other_browser_ok == TRI_YES ? "the site opens in another "
		    "browser" : a->other_browser_ok == TRI_NO ? "the site fails "
		    "in other browsers too" : NULL,
		a->work_network == TRI_YES ? "you are on a work or school "
		    "network" : a->work_network == TRI_NO ? "you are not on a "
		    "work or school network" : NULL,
		a->inspecting_av == TRI_YES ? "you run antivirus or a VPN that "
		    "inspects web traffic" : a->inspecting_av == TRI_NO ?
		    "you run no antivirus or VPN that inspects web traffic" :
		    NULL,
	};

	for (int i = 0; i < 4; i++)
		if (said[i] != NULL)
			strbuf_printf(&b, "%s%s", b.len ? "; " : "you said: ",
			    said[i]);
	return b.len ? strbuf_steal(&b) : NULL;
}

/* Drop what earlier answers added: their findings, their notes, the
 * owners they moved on cut connections. (The interception's owner is the
 * caller's to restore: the engine chose it from the product's kind.) */
static void
undo(struct report *r)
{
	for (size_t i = r->nfindings; i-- > 0;)
		if (answers_finding(r->findings[i].id))
			report_remove(r, r->findings[i].id);
	for (size_t i = 0; i < r->nfindings; i++) {
		struct finding *f = &r->findings[i];
		char *m = strstr(f->evidence, NOTE_MARK);

		if (m != NULL)
			*m = '\0';
		if (f->id == FINDING_NET_RESET || f->id == FINDING_NET_TIMEOUT)
			f->owner = finding_default_owner(f->id);
	}
}

/* The findings a row about cut connections acts on. */
static int
row_targets(const struct answer_row *w, enum finding_id id)
{
	if (w->id == FINDING_NET_RESET)
		return id == FINDING_NET_RESET || id == FINDING_NET_TIMEOUT;
	return id == w->id;
}

static void
note(struct report *r, const struct answer_row *w, const char *said)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		struct finding *f = &r->findings[i];
		char *ev;

		if (!row_targets(w, f->id))
			continue;
		ev = xasprintf("%s%s%s%s%s", f->evidence, NOTE_MARK,
		    w->evidence, said ? "; " : "", said ? said : "");
		free(f->evidence);
		f->evidence = ev;
	}
}

/* The row's summary with "%s" (at most one) made word. */
static char *
fill(const char *tmpl, const char *word)
{
	const char *p = strstr(tmpl, "%s");

	if (p == NULL)
		return xstrdup(tmpl);
	return xasprintf("%.*s%s%s", (int)(p - tmpl), tmpl, word, p + 2);
}

static void
add(const struct answers *a, struct report *r, const struct answer_row *w,
    const char *said)
{
	static const char *const what[] = { "program", "browser", "mail app",
		"program" };
	char *summary, *ev;
	struct finding *f;

	summary = fill(w->summary, what[(unsigned)a->app < 4 ? a->app : 0]);
	ev = xasprintf("%s%s%s", w->evidence, said ? "; " : "",
	    said ? said : "");
	if (w->id == FINDING_CLIENT_OUTDATED &&
	    report_find(r, FINDING_PROTOCOL_TLS13_ONLY) != NULL) {
		char *more = xasprintf("%s; the server speaks only TLS 1.3, "
		    "which older programs lack", ev);
		free(ev);
		ev = more;
	}
	f = report_add(r, w->id, summary, ev);
	f->owner = w->owner;
	f->severity = w->severity;
	free(summary);
	free(ev);
}

/* "Works in Chrome, fails in my script": the client table's rows for what
 * the user said fails give the one-line answer (clients.h). Separate from
 * the findings: it adds none, so the table of answers stays the judge. */
static void
apply_clients(const struct answers *a, struct report *r)
{
	unsigned app = a->app == APP_BROWSER ? CLIENT_APP_BROWSER :
	    a->app == APP_MAIL ? CLIENT_APP_MAIL :
	    a->app == APP_OTHER ? CLIENT_APP_PROGRAM : 0;

	if (r->nclients > 0)
		clients_judge(r); /* owners may have moved */
	clients_note_set(r, app);
}

void
answers_apply(const struct answers *a, struct report *r)
{
	const struct answer_row *w;
	char *said;

	if (a == NULL || r == NULL)
		return;
	undo(r);
	said = answers_said(a);
	for (int s = 0; s < SLOT_COUNT; s++) {
		if ((w = answers_match(a, r, (enum answer_slot)s)) == NULL)
			continue;
		if (w->act == ANS_ADD)
			add(a, r, w, said);
		else if (w->act == ANS_NOTE)
			note(r, w, said);
		else
			for (size_t i = 0; i < r->nfindings; i++)
				if (row_targets(w, r->findings[i].id))
					r->findings[i].owner = w->owner;
	}
	free(said);
	apply_clients(a, r);
	report_finish(r);
}
