/* check_answers.c: how the user's answers move and add findings. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "model.h"
#include "checkutil.h"

static struct answers
none(void)
{
	struct answers a = { APP_UNKNOWN, TRI_UNKNOWN, TRI_UNKNOWN,
		TRI_UNKNOWN };
	return a;
}

/* A reachable server with nothing wrong. */
static struct report *
clean_report(void)
{
	struct report *r = report_new();
	report_add(r, FINDING_PROTOCOL_NO_TLS13, "no TLS 1.3", "");
	report_finish(r);
	return r;
}

START_TEST(nothing_known_changes_nothing)
{
	struct report *r = clean_report();
	struct answers a = none();

	answers_apply(&a, r);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_int_eq(r->verdict, VERDICT_OK);
	answers_apply(NULL, r);
	answers_apply(&a, NULL);
	report_free(r);
}
END_TEST

START_TEST(clean_server_browser_fails)
{
	struct report *r = clean_report();
	struct answers a = none();
	struct finding *f;

	/* tlsmedic connects fine, a browser does not: this side */
	a.app = APP_BROWSER;
	answers_apply(&a, r);
	/* not "works in another browser": nobody said so */
	ck_assert_ptr_null(report_find(r, FINDING_CLIENT_BROWSER));
	/* and no check line changes: the clock was not what failed */
	ck_assert_int_eq(r->checks[CHECK_CLOCK], CHECK_PASSED);
	f = report_find(r, FINDING_CLIENT_LOCAL);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->owner, OWNER_CLIENT);
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_int_eq(r->verdict, VERDICT_PROBLEMS);
	/* idempotent */
	answers_apply(&a, r);
	ck_assert_uint_eq(r->nfindings, 2);
	/* other browsers fail too: still this side, other words */
	a.other_browser_ok = TRI_NO;
	answers_apply(&a, r);
	ck_assert_uint_eq(r->nfindings, 2);
	f = report_find(r, FINDING_CLIENT_LOCAL);
	ck_assert_ptr_nonnull(strstr(f->summary, "no browser"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "other browsers too"));
	/* changed the answer back to "not sure": the finding goes */
	a = none();
	answers_apply(&a, r);
	ck_assert_ptr_null(report_find(r, FINDING_CLIENT_LOCAL));
	ck_assert_int_eq(r->verdict, VERDICT_OK);
	report_free(r);
}
END_TEST

START_TEST(other_browser_works)
{
	struct report *r = report_new();
	struct answers a = none();
	struct finding *f;

	report_add(r, FINDING_CERT_CHAIN_INCOMPLETE, "chain", "leaf only");
	report_finish(r);
	a.app = APP_BROWSER;
	a.other_browser_ok = TRI_YES;
	answers_apply(&a, r);
	/* the server is at fault; the browser note is only a note */
	f = report_find(r, FINDING_CLIENT_BROWSER);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, SEV_INFO);
	ck_assert_int_eq(r->findings[0].id, FINDING_CERT_CHAIN_INCOMPLETE);
	ck_assert_int_eq(r->findings[0].owner, OWNER_SERVER);
	report_free(r);

	/* nothing wrong with the server: the browser is the lead */
	r = clean_report();
	answers_apply(&a, r);
	f = report_find(r, FINDING_CLIENT_BROWSER);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_ptr_nonnull(strstr(f->evidence, "another browser"));
	report_free(r);
}
END_TEST

START_TEST(mail_app_outdated)
{
	struct report *r = report_new();
	struct answers a = none();
	struct finding *f;

	report_add(r, FINDING_PROTOCOL_TLS13_ONLY, "1.3 only", "");
	report_finish(r);
	a.app = APP_MAIL;
	answers_apply(&a, r);
	f = report_find(r, FINDING_CLIENT_OUTDATED);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->owner, OWNER_CLIENT);
	ck_assert_ptr_nonnull(strstr(f->summary, "mail app"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "TLS 1.3"));
	ck_assert_ptr_null(report_find(r, FINDING_CLIENT_BROWSER));
	report_free(r);
}
END_TEST

START_TEST(interception_owner)
{
	struct report *r = report_new();
	struct answers a = none();

	report_add(r, FINDING_MITM_INTERCEPTION, "intercepted", "Zscaler");
	report_finish(r);
	answers_apply(&a, r);
	ck_assert_int_eq(report_find(r, FINDING_MITM_INTERCEPTION)->owner,
	    OWNER_NETWORK);
	/* at home, antivirus inspects: it is on this computer */
	a.work_network = TRI_NO;
	a.inspecting_av = TRI_YES;
	answers_apply(&a, r);
	ck_assert_int_eq(report_find(r, FINDING_MITM_INTERCEPTION)->owner,
	    OWNER_CLIENT);
	/* on a work network: the network admin, even with antivirus */
	a.work_network = TRI_YES;
	answers_apply(&a, r);
	ck_assert_int_eq(report_find(r, FINDING_MITM_INTERCEPTION)->owner,
	    OWNER_NETWORK);
	ck_assert_uint_eq(r->nfindings, 1);
	/* no answer leaves the engine's choice alone */
	report_find(r, FINDING_MITM_INTERCEPTION)->owner = OWNER_CLIENT;
	a = none();
	answers_apply(&a, r);
	ck_assert_int_eq(report_find(r, FINDING_MITM_INTERCEPTION)->owner,
	    OWNER_CLIENT);
	report_free(r);
}
END_TEST

START_TEST(unreachable_adds_no_guess)
{
	struct report *r = report_new();
	struct answers a = none();

	r->verdict = VERDICT_UNREACHABLE;
	report_add(r, FINDING_NET_TIMEOUT, "timeout", "no answer in 10 s");
	report_finish(r);
	a.app = APP_BROWSER;
	answers_apply(&a, r);
	ck_assert_ptr_null(report_find(r, FINDING_CLIENT_BROWSER));
	ck_assert_int_eq(r->verdict, VERDICT_UNREACHABLE);
	ck_assert_int_eq(report_find(r, FINDING_NET_TIMEOUT)->owner,
	    OWNER_NETWORK);
	report_free(r);
}
END_TEST

/* ---- the table, row by row ---- */

/* A report showing evidence e, as the probes would leave it. */
static struct report *
evidence_report(enum answer_evidence e)
{
	struct report *r = report_new();

	switch (e) {
	case AEV_INTERCEPT:
		report_add(r, FINDING_MITM_INTERCEPTION, "intercepted",
		    "issuer CN=Zscaler Root CA");
		report_add(r, FINDING_CERT_UNTRUSTED_ROOT, "untrusted",
		    "the chain ends at CN=Zscaler Root CA");
		break;
	case AEV_SERVER:
		report_add(r, FINDING_CERT_CHAIN_INCOMPLETE, "chain",
		    "leaf only");
		break;
	case AEV_CUT:
		report_add(r, FINDING_NET_RESET, "reset", "cut after hello");
		r->verdict = VERDICT_UNREACHABLE;
		break;
	case AEV_CLEAN:
		report_add(r, FINDING_PROTOCOL_NO_TLS13, "no TLS 1.3", "");
		break;
	default:
		report_add(r, FINDING_CLOCK_SKEW, "clock", "a day ahead");
		break;
	}
	report_finish(r);
	return r;
}

static const enum tri tris[] = { TRI_YES, TRI_NO, TRI_UNKNOWN };
static const enum app_kind apps[] = { APP_BROWSER, APP_MAIL, APP_OTHER,
	APP_UNKNOWN };

/* Every combination of answers, one at a time: *k from 0 to 108. */
static struct answers
combo(int k)
{
	struct answers a = { apps[k % 4], tris[k / 4 % 3], tris[k / 12 % 3],
		tris[k / 36 % 3] };
	return a;
}
#define NCOMBOS (4 * 3 * 3 * 3)

/* Each row of the table decides for some answers and evidence (no row is
 * dead), and applying it gives what the row says. */
START_TEST(table_row_by_row)
{
	size_t n;
	const struct answer_row *rows = answers_table(&n);

	ck_assert_uint_gt(n, 10);
	for (size_t i = 0; i < n; i++) {
		const struct answer_row *w = &rows[i];
		int seen = 0;

		for (int e = 0; e < AEV_COUNT && !seen; e++) {
			if (!(w->when & (1u << e)))
				continue;
			for (int k = 0; k < NCOMBOS && !seen; k++) {
				struct answers a = combo(k);
				struct report *r = evidence_report(
				    (enum answer_evidence)e);
				struct finding *f;

				if (answers_match(&a, r, w->slot) != w) {
					report_free(r);
					continue;
				}
				seen = 1;
				answers_apply(&a, r);
				f = report_find(r, w->id);
				if (w->act == ANS_ADD) {
					ck_assert_msg(f != NULL, "row %zu", i);
					ck_assert_int_eq(f->owner, w->owner);
					ck_assert_int_eq(f->severity,
					    w->severity);
				} else if (w->act == ANS_OWN) {
					ck_assert_msg(f != NULL, "row %zu", i);
					ck_assert_int_eq(f->owner, w->owner);
				} else {
					ck_assert_msg(f != NULL && strstr(
					    f->evidence, w->evidence) != NULL,
					    "row %zu: note missing", i);
				}
				report_free(r);
			}
		}
		ck_assert_msg(seen, "row %zu never decides anything", i);
	}
}
END_TEST

struct spec {
	enum answer_evidence ev;
	enum app_kind app;
	enum tri browser, work, av;
	enum finding_id id; /* the finding that must say it */
	enum owner owner;
	enum severity sev;
	const char *text;   /* in its summary or evidence */
};

/* The examples, spelled out. */
static const struct spec specs[] = {
	/* other browser yes / no / don't know, all checks pass */
	{ AEV_CLEAN, APP_BROWSER, TRI_YES, TRI_UNKNOWN, TRI_UNKNOWN,
	    FINDING_CLIENT_BROWSER, OWNER_CLIENT, SEV_WARNING,
	    "opens in another browser" },
	{ AEV_CLEAN, APP_BROWSER, TRI_NO, TRI_UNKNOWN, TRI_UNKNOWN,
	    FINDING_CLIENT_LOCAL, OWNER_CLIENT, SEV_WARNING,
	    "no browser here can" },
	{ AEV_CLEAN, APP_BROWSER, TRI_UNKNOWN, TRI_UNKNOWN, TRI_UNKNOWN,
	    FINDING_CLIENT_LOCAL, OWNER_CLIENT, SEV_WARNING,
	    "on your side" },
	/* work network: interception and resets go to its admin */
	{ AEV_INTERCEPT, APP_BROWSER, TRI_UNKNOWN, TRI_YES, TRI_UNKNOWN,
	    FINDING_MITM_INTERCEPTION, OWNER_NETWORK, SEV_ERROR, "Zscaler" },
	{ AEV_INTERCEPT, APP_BROWSER, TRI_UNKNOWN, TRI_YES, TRI_UNKNOWN,
	    FINDING_CERT_UNTRUSTED_ROOT, OWNER_NETWORK, SEV_ERROR,
	    "caused by mitm.interception" },
	{ AEV_CUT, APP_BROWSER, TRI_UNKNOWN, TRI_YES, TRI_UNKNOWN,
	    FINDING_NET_RESET, OWNER_NETWORK, SEV_ERROR,
	    "you are on a work or school network" },
	{ AEV_CLEAN, APP_BROWSER, TRI_NO, TRI_YES, TRI_NO,
	    FINDING_NET_FILTER, OWNER_NETWORK, SEV_WARNING, "web filter" },
	/* not a work network: the interceptor is on this computer */
	{ AEV_INTERCEPT, APP_BROWSER, TRI_UNKNOWN, TRI_NO, TRI_UNKNOWN,
	    FINDING_CERT_UNTRUSTED_ROOT, OWNER_CLIENT, SEV_ERROR,
	    "caused by" },
	/* inspecting antivirus, all server checks pass: its scanning */
	{ AEV_CLEAN, APP_BROWSER, TRI_UNKNOWN, TRI_NO, TRI_YES,
	    FINDING_CLIENT_SCANNING, OWNER_CLIENT, SEV_WARNING,
	    "not the whole program" },
	{ AEV_CLEAN, APP_MAIL, TRI_UNKNOWN, TRI_UNKNOWN, TRI_YES,
	    FINDING_CLIENT_SCANNING, OWNER_CLIENT, SEV_WARNING,
	    "HTTPS scanning" },
	{ AEV_INTERCEPT, APP_OTHER, TRI_UNKNOWN, TRI_UNKNOWN, TRI_YES,
	    FINDING_MITM_INTERCEPTION, OWNER_CLIENT, SEV_ERROR, "Zscaler" },
	{ AEV_CUT, APP_BROWSER, TRI_UNKNOWN, TRI_NO, TRI_YES,
	    FINDING_NET_RESET, OWNER_CLIENT, SEV_ERROR,
	    "antivirus or VPN may be what cuts" },
	/* the failing program */
	{ AEV_CLEAN, APP_MAIL, TRI_UNKNOWN, TRI_UNKNOWN, TRI_NO,
	    FINDING_CLIENT_OUTDATED, OWNER_CLIENT, SEV_WARNING, "mail app" },
	{ AEV_CLEAN, APP_OTHER, TRI_UNKNOWN, TRI_UNKNOWN, TRI_UNKNOWN,
	    FINDING_CLIENT_OUTDATED, OWNER_CLIENT, SEV_WARNING, "program" },
	/* answers never overrule the server's faults */
	{ AEV_SERVER, APP_BROWSER, TRI_YES, TRI_YES, TRI_YES,
	    FINDING_CERT_CHAIN_INCOMPLETE, OWNER_SERVER, SEV_ERROR, "leaf" },
	{ AEV_SERVER, APP_BROWSER, TRI_YES, TRI_UNKNOWN, TRI_UNKNOWN,
	    FINDING_CLIENT_BROWSER, OWNER_CLIENT, SEV_INFO,
	    "site owner must fix" },
};

START_TEST(table_specs)
{
	const struct spec *c = &specs[_i];
	struct answers a = { c->app, c->browser, c->work, c->av };
	struct report *r = evidence_report(c->ev);
	struct finding *f;

	answers_apply(&a, r);
	f = report_find(r, c->id);
	ck_assert_msg(f != NULL, "spec %d: %s missing", _i,
	    finding_id_str(c->id));
	ck_assert_int_eq(f->owner, c->owner);
	ck_assert_int_eq(f->severity, c->sev);
	ck_assert_msg(strstr(f->summary, c->text) != NULL ||
	    strstr(f->evidence, c->text) != NULL, "spec %d: '%s' not in "
	    "'%s' / '%s'", _i, c->text, f->summary, f->evidence);
	report_free(r);
}
END_TEST

static int
said_anywhere(const struct report *r, const char *what)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strstr(r->findings[i].summary, what) != NULL ||
		    strstr(r->findings[i].evidence, what) != NULL)
			return 1;
	return 0;
}

/* Every answer combination against every kind of evidence: the words
 * match the answers given, the server's findings stay the server's, and
 * applying is idempotent and undoable. */
START_TEST(every_combination)
{
	for (int e = 0; e < AEV_COUNT; e++)
		for (int k = 0; k < NCOMBOS; k++) {
			struct answers a = combo(k), no = none();
			struct report *r = evidence_report(
			    (enum answer_evidence)e);
			struct report *base = evidence_report(
			    (enum answer_evidence)e);
			size_t n;

			answers_apply(&a, r);
			if (said_anywhere(r, "opens in another browser"))
				ck_assert_int_eq(a.other_browser_ok, TRI_YES);
			if (said_anywhere(r, "other browsers too") ||
			    said_anywhere(r, "no browser here"))
				ck_assert_int_eq(a.other_browser_ok, TRI_NO);
			if (said_anywhere(r, "you are on a work"))
				ck_assert_int_eq(a.work_network, TRI_YES);
			if (said_anywhere(r, "HTTPS scanning is"))
				ck_assert_int_eq(a.inspecting_av, TRI_YES);
			if (said_anywhere(r, "mail app"))
				ck_assert_int_eq(a.app, APP_MAIL);
			for (size_t i = 0; i < base->nfindings; i++) {
				const struct finding *b = &base->findings[i];
				const struct finding *f = report_find(r, b->id);
				ck_assert_ptr_nonnull(f);
				if (b->owner == OWNER_SERVER) {
					ck_assert_int_eq(f->owner, OWNER_SERVER);
					ck_assert_int_eq(f->severity,
					    b->severity);
				}
			}
			for (size_t i = 0; i < r->nfindings; i++)
				if (report_find(base, r->findings[i].id) ==
				    NULL)
					ck_assert_int_ne(r->findings[i].severity,
					    SEV_ERROR);
			n = r->nfindings;
			answers_apply(&a, r);
			ck_assert_uint_eq(r->nfindings, n);
			answers_apply(&no, r);
			ck_assert_uint_eq(r->nfindings, base->nfindings);
			for (size_t i = 0; i < r->nfindings; i++)
				ck_assert_str_eq(r->findings[i].evidence,
				    report_find(base,
				    r->findings[i].id)->evidence);
			report_free(r);
			report_free(base);
		}
}
END_TEST

START_TEST(said_lists_answers)
{
	struct answers a = none();
	char *s;

	ck_assert_ptr_null(answers_said(&a));
	a.other_browser_ok = TRI_NO;
	a.work_network = TRI_YES;
	s = answers_said(&a);
	ck_assert_str_eq(s, "you said: the site fails in other browsers too; "
	    "you are on a work or school network");
	free(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("answers");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, nothing_known_changes_nothing);
	tcase_add_test(tc, clean_server_browser_fails);
	tcase_add_test(tc, other_browser_works);
	tcase_add_test(tc, mail_app_outdated);
	tcase_add_test(tc, interception_owner);
	tcase_add_test(tc, unreachable_adds_no_guess);
	tcase_add_test(tc, table_row_by_row);
	tcase_add_loop_test(tc, table_specs, 0,
	    (int)(sizeof specs / sizeof *specs));
	tcase_add_test(tc, every_combination);
	tcase_add_test(tc, said_lists_answers);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
