/* answers.c: fold what only the user knows into the findings (answers.h).
 *
 * Idempotent: the wizard may apply the answers again after the user
 * changed them, so every run first undoes what an earlier run added. */
#include <stddef.h>
#include <stdio.h>

#include "answers.h"
#include "clients.h"

/* Does anything the probes found put the fault on the server's side? */
static int
server_at_fault(const struct report *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (f->owner == OWNER_SERVER && f->severity >= SEV_WARNING)
			return 1;
	}
	return 0;
}

static int
serious_findings(const struct report *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (f->id != FINDING_CLIENT_BROWSER &&
		    f->id != FINDING_CLIENT_OUTDATED && f->severity >= SEV_WARNING)
			return 1;
	}
	return 0;
}

/* The findings only answers add. (An owner moved by an earlier answer is
 * the caller's to restore: the engine may have chosen it from evidence,
 * e.g. a known antivirus product, so there is no default to go back to.) */
static void
undo(struct report *r)
{
	report_remove(r, FINDING_CLIENT_BROWSER);
	report_remove(r, FINDING_CLIENT_OUTDATED);
}

static void
apply_interception(const struct answers *a, struct report *r)
{
	struct finding *f = report_find(r, FINDING_MITM_INTERCEPTION);

	if (f == NULL)
		return;
	if (a->work_network == TRI_YES) {
		/* Work and school networks inspect traffic on purpose; only
		 * their admin can change or explain it. */
		f->owner = OWNER_NETWORK;
	} else if (a->inspecting_av == TRI_YES || a->work_network == TRI_NO) {
		/* Not a managed network: the inspecting software runs on
		 * this computer (antivirus, VPN -- or something unwanted). */
		f->owner = OWNER_CLIENT;
	}
}

static void
apply_client(const struct answers *a, struct report *r)
{
	int reachable = r->verdict != VERDICT_UNREACHABLE;
	int clean = reachable && !serious_findings(r);
	struct finding *f;

	if (a->app == APP_BROWSER || a->app == APP_UNKNOWN) {
		if (a->other_browser_ok == TRI_YES) {
			f = report_add(r, FINDING_CLIENT_BROWSER,
			    "The site opens in another browser, so the "
			    "browser that fails is the likely cause.",
			    "you said the site opens in another browser");
			if (server_at_fault(r))
				f->severity = SEV_INFO;
		} else if (clean && a->app == APP_BROWSER &&
		    a->other_browser_ok == TRI_NO) {
			report_add(r, FINDING_CLIENT_BROWSER,
			    "tlsmedic connects to the site without trouble, "
			    "but no browser here can: something on this "
			    "computer (antivirus, proxy, VPN) is the likely "
			    "cause.",
			    "every check against the server passed; you said "
			    "other browsers fail too");
		} else if (clean && a->app == APP_BROWSER) {
			report_add(r, FINDING_CLIENT_BROWSER,
			    "tlsmedic connects to the site without trouble, "
			    "so the problem is on your side: most likely the "
			    "browser or something on this computer.",
			    "every check against the server passed");
		}
	}
	if ((a->app == APP_MAIL || a->app == APP_OTHER) && clean) {
		const char *what = a->app == APP_MAIL ? "mail app" : "program";
		char summary[200], evidence[200];

		snprintf(summary, sizeof summary, "tlsmedic connects to the "
		    "server without trouble, so the %s that fails is the "
		    "likely cause: it may be too old for what the server "
		    "asks for.", what);
		snprintf(evidence, sizeof evidence, "every check against the "
		    "server passed%s", report_find(r,
		    FINDING_PROTOCOL_TLS13_ONLY) ? "; the server speaks only "
		    "TLS 1.3, which older programs lack" : "");
		report_add(r, FINDING_CLIENT_OUTDATED, summary, evidence);
	}
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
	if (a == NULL || r == NULL)
		return;
	undo(r);
	apply_interception(a, r);
	apply_client(a, r);
	apply_clients(a, r);
	report_finish(r);
}
