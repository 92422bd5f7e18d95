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
	f = report_find(r, FINDING_CLIENT_BROWSER);
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
	f = report_find(r, FINDING_CLIENT_BROWSER);
	ck_assert_ptr_nonnull(strstr(f->summary, "no browser"));
	/* changed the answer back to "not sure": the finding goes */
	a = none();
	answers_apply(&a, r);
	ck_assert_ptr_null(report_find(r, FINDING_CLIENT_BROWSER));
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
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
