/* check_cause.c: one finding explains another (cause.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cause.h"
#include "model.h"
#include "report.h"
#include "checkutil.h"

/* A proxy's chain: its CA untrusted, its leaf for another name. */
static struct report *
proxied(void)
{
	struct report *r = report_new();

	r->host = strdup("example.org");
	r->port = 443;
	report_add(r, FINDING_CERT_UNTRUSTED_ROOT, "untrusted", "Zscaler Root");
	report_add(r, FINDING_CERT_HOSTNAME, "wrong name", "other.test");
	report_add(r, FINDING_CERT_CHAIN_INCOMPLETE, "incomplete", "leaf only");
	report_add(r, FINDING_PROTOCOL_NO_TLS13, "no TLS 1.3", "");
	report_add(r, FINDING_MITM_INTERCEPTION, "intercepted by Zscaler",
	    "issuer CN=Zscaler Root CA");
	report_finish(r);
	return r;
}

START_TEST(interception_owns_its_consequences)
{
	struct report *r = proxied();
	char *msg;

	/* the cause first, then what it causes, then the rest */
	ck_assert_int_eq(r->findings[0].id, FINDING_MITM_INTERCEPTION);
	ck_assert_int_eq(r->findings[0].severity, SEV_ERROR);
	for (size_t i = 1; i <= 3; i++) {
		const struct finding *f = &r->findings[i];
		ck_assert_ptr_eq(cause_of(r, f), &r->findings[0]);
		ck_assert_int_eq(f->owner, OWNER_NETWORK);
		ck_assert_ptr_nonnull(strstr(f->evidence,
		    "caused by mitm.interception"));
	}
	ck_assert_int_eq(r->findings[4].id, FINDING_PROTOCOL_NO_TLS13);
	ck_assert_int_eq(r->findings[4].owner, OWNER_SERVER);
	/* no message to the site owner for the proxy's faults (the info
	 * finding is no fault) */
	msg = report_owner_message(r);
	ck_assert_msg(msg == NULL || strstr(msg, "cert.") == NULL, "%s", msg);
	free(msg);
	/* idempotent */
	report_finish(r);
	ck_assert_uint_eq(r->nfindings, 5);
	{
		/* the note is added once */
		const char *e = r->findings[1].evidence;
		const char *first = strstr(e, "caused by");
		ck_assert_ptr_null(strstr(first + 1, "caused by"));
	}
	report_free(r);
}
END_TEST

START_TEST(answers_move_the_consequences_too)
{
	struct report *r = proxied();
	struct answers a = { APP_BROWSER, TRI_UNKNOWN, TRI_NO, TRI_YES };

	/* at home with an inspecting antivirus: it is on this computer */
	answers_apply(&a, r);
	ck_assert_int_eq(report_find(r, FINDING_MITM_INTERCEPTION)->owner,
	    OWNER_CLIENT);
	ck_assert_int_eq(report_find(r, FINDING_CERT_UNTRUSTED_ROOT)->owner,
	    OWNER_CLIENT);
	ck_assert_int_eq(report_find(r, FINDING_CERT_HOSTNAME)->owner,
	    OWNER_CLIENT);
	report_free(r);
}
END_TEST

START_TEST(mismatch_folds_malformed)
{
	struct report *r = report_new();
	const struct finding *f;

	report_add(r, FINDING_PROTOCOL_MALFORMED, "broken answers",
	    "the server sent an alert");
	report_add(r, FINDING_CIPHER_MISMATCH, "no common suite",
	    "accepts only NULL suites");
	report_finish(r);
	ck_assert_uint_eq(r->nfindings, 1);
	f = &r->findings[0];
	ck_assert_int_eq(f->id, FINDING_CIPHER_MISMATCH);
	ck_assert_ptr_nonnull(strstr(f->evidence, "protocol.malformed"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "the server sent an alert"));
	report_free(r);
}
END_TEST

START_TEST(no_cause_no_change)
{
	struct report *r = report_new();

	report_add(r, FINDING_CERT_UNTRUSTED_ROOT, "untrusted", "x");
	report_add(r, FINDING_PROTOCOL_MALFORMED, "broken", "y");
	report_finish(r);
	ck_assert_uint_eq(r->nfindings, 2);
	ck_assert_int_eq(report_find(r, FINDING_CERT_UNTRUSTED_ROOT)->owner,
	    OWNER_SERVER);
	ck_assert_ptr_null(cause_of(r, &r->findings[0]));
	report_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cause");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, interception_owns_its_consequences);
	tcase_add_test(tc, answers_move_the_consequences_too);
	tcase_add_test(tc, mismatch_folds_malformed);
	tcase_add_test(tc, no_cause_no_change);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
