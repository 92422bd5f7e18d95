/* check_clock.c: HTTP Date: parsing and the clock judgement. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "model.h"
#include "util.h"
#include "checkutil.h"

START_TEST(http_date_formats)
{
	time_t t;
	const char *imf = "Sun, 06 Nov 1994 08:49:37 GMT";
	ck_assert_int_eq(clock_parse_http_date(imf, strlen(imf), &t), 0);
	ck_assert_int_eq((long)t, 784111777L);
	const char *rfc850 = "Sunday, 06-Nov-94 08:49:37 GMT";
	ck_assert_int_eq(clock_parse_http_date(rfc850, strlen(rfc850), &t), 0);
	ck_assert_int_eq((long)t, 784111777L);
	const char *asc = "Sun Nov  6 08:49:37 1994";
	ck_assert_int_eq(clock_parse_http_date(asc, strlen(asc), &t), 0);
	ck_assert_int_eq((long)t, 784111777L);
	const char *far = "Mon, 01 Jan 2091 00:00:00 GMT";
	ck_assert_int_eq(clock_parse_http_date(far, strlen(far), &t), 0);
	ck_assert(t > (time_t)3800000000LL);
}
END_TEST

START_TEST(http_date_garbage)
{
	time_t t;
	const char *bad[] = { "", "yesterday", "Sun, 32 Nov 1994 08:49:37 GMT",
		"Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 \x1b[2J", "\xff\xfe", NULL };
	for (int i = 0; bad[i]; i++)
		ck_assert_int_eq(clock_parse_http_date(bad[i], strlen(bad[i]),
		    &t), -1);
	char big[4096];
	memset(big, 'A', sizeof big);
	ck_assert_int_eq(clock_parse_http_date(big, sizeof big, &t), -1);
}
END_TEST

static struct report *
with_leaf(time_t nb, time_t na)
{
	struct report *r = report_new();
	r->chain.certs = xcalloc(1, sizeof *r->chain.certs);
	r->chain.n = 1;
	r->chain.certs[0].not_before = nb;
	r->chain.certs[0].not_after = na;
	r->chain.certs[0].subject = xstrdup("CN=x");
	return r;
}

START_TEST(clock_explains_expired)
{
	time_t truth = 1800000000; /* 2027 */
	struct report *r = with_leaf(truth - 86400 * 30, truth + 86400 * 30);
	r->clock.local = truth + 86400 * 400; /* user's clock 400 days ahead */
	r->clock.http_date = truth;
	report_add(r, FINDING_CERT_EXPIRED, "expired", "leaf");
	clock_judge(r);
	ck_assert_ptr_nonnull(report_find(r, FINDING_CLOCK_SKEW));
	ck_assert_ptr_null(report_find(r, FINDING_CERT_EXPIRED));
	ck_assert_int_eq(report_find(r, FINDING_CLOCK_SKEW)->owner, OWNER_CLIENT);
	ck_assert_ptr_nonnull(strstr(report_find(r, FINDING_CLOCK_SKEW)->summary,
	    "ahead"));
	report_free(r);
}
END_TEST

START_TEST(server_clock_wrong_is_not_ours)
{
	time_t truth = 1800000000;
	struct report *r = with_leaf(truth - 86400 * 30, truth + 86400 * 30);
	r->clock.local = truth;
	r->clock.http_date = truth - 86400L * 365 * 30; /* server says 1997 */
	clock_judge(r);
	ck_assert_ptr_null(report_find(r, FINDING_CLOCK_SKEW));
	report_free(r);
}
END_TEST

START_TEST(clock_before_build)
{
	struct report *r = with_leaf(0, 4000000000LL);
	r->clock.build_time = 1790000000;
	r->clock.local = 1790000000 - 86400 * 10;
	clock_judge(r);
	struct finding *f = report_find(r, FINDING_CLOCK_SKEW);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->summary, "behind"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "built"));
	report_free(r);
}
END_TEST

START_TEST(small_skew_ok)
{
	time_t truth = 1800000000;
	struct report *r = with_leaf(truth - 86400, truth + 86400);
	r->clock.local = truth + 30;
	r->clock.http_date = truth;
	clock_judge(r);
	ck_assert_ptr_null(report_find(r, FINDING_CLOCK_SKEW));
	ck_assert_int_eq(r->clock.skew_s, 30);
	report_free(r);
}
END_TEST

START_TEST(asn1_times)
{
	time_t t;
	const char *g = "20270115083000Z", *u = "270115083000Z";

	ck_assert_int_eq(clock_parse_asn1_time(0x18, (const unsigned char *)g,
	    strlen(g), &t), 0);
	ck_assert_int_eq((long long)t, 1800001800LL);
	ck_assert_int_eq(clock_parse_asn1_time(0x17, (const unsigned char *)u,
	    strlen(u), &t), 0);
	ck_assert_int_eq((long long)t, 1800001800LL);
	ck_assert_int_eq(clock_parse_asn1_time(0x18, (const unsigned char *)u,
	    strlen(u), &t), -1);
	ck_assert_int_eq(clock_parse_asn1_time(0x18,
	    (const unsigned char *)"20271315083000Z", 15, &t), -1);
	ck_assert_int_eq(clock_parse_asn1_time(0x04, (const unsigned char *)g,
	    strlen(g), &t), -1);
}
END_TEST

/* No Date:, no time server: a trusted certificate issued after our "now"
 * says our clock is behind, and owns the "not yet valid". */
START_TEST(trusted_not_before_says_behind)
{
	time_t truth = 1800000000;
	struct report *r = with_leaf(truth - 60, truth + 86400 * 30);

	r->clock.local = truth - 2 * 3600;
	r->clock.build_time = truth - 86400;
	report_add(r, FINDING_CERT_NOT_YET_VALID, "not yet valid", "leaf");
	clock_judge(r);
	struct finding *f = report_find(r, FINDING_CLOCK_SKEW);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, SEV_ERROR);
	ck_assert_ptr_nonnull(strstr(f->summary, "at least"));
	ck_assert_ptr_nonnull(strstr(f->summary, "behind"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "cert.not_yet_valid"));
	ck_assert_ptr_null(report_find(r, FINDING_CERT_NOT_YET_VALID));
	report_free(r);

	/* the same from an untrusted chain proves nothing */
	r = with_leaf(truth - 60, truth + 86400 * 30);
	r->clock.local = truth - 2 * 3600;
	r->clock.build_time = truth - 86400;
	report_add(r, FINDING_CERT_NOT_YET_VALID, "not yet valid", "leaf");
	report_add(r, FINDING_CERT_UNTRUSTED_ROOT, "untrusted", "root");
	clock_judge(r);
	ck_assert_ptr_null(report_find(r, FINDING_CLOCK_SKEW));
	ck_assert_ptr_nonnull(report_find(r, FINDING_CERT_NOT_YET_VALID));
	ck_assert_int_eq(r->checks[CHECK_CLOCK], CHECK_SKIPPED);
	ck_assert_ptr_nonnull(r->check_reason[CHECK_CLOCK]);
	report_free(r);
}
END_TEST

/* A fresh OCSP answer's nextUpdate is an upper bound: past it by far,
 * our clock is ahead, whatever the server sends. */
START_TEST(ocsp_next_update_says_ahead)
{
	time_t truth = 1800000000;
	struct report *r = with_leaf(truth - 86400, truth + 86400 * 20);

	r->clock.local = truth + 86400 * 400;
	clock_add_ref(r, CLOCK_REF_OCSP, CLOCK_AFTER, 1, "thisUpdate",
	    truth - 60, r->clock.local);
	clock_add_ref(r, CLOCK_REF_OCSP, CLOCK_BEFORE, 1, "nextUpdate",
	    truth + 86400, r->clock.local);
	report_add(r, FINDING_CERT_EXPIRED, "expired", "leaf");
	clock_judge(r);
	struct finding *f = report_find(r, FINDING_CLOCK_SKEW);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->summary, "ahead"));
	ck_assert_ptr_null(report_find(r, FINDING_CERT_EXPIRED));
	report_free(r);
}
END_TEST

/* Time servers beat the CA's web servers, which beat the site's Date:. */
START_TEST(best_reference_wins)
{
	time_t truth = 1800000000;
	struct report *r = with_leaf(truth - 86400 * 30, truth + 86400 * 30);

	r->clock.local = truth + 3600;
	r->clock.http_date = truth + 3600; /* the site shares our error */
	clock_add_ref(r, CLOCK_REF_HTTP, CLOCK_POINT, 1,
	    "the Date: header of http://ocsp.test/", truth + 1800,
	    r->clock.local);
	clock_judge(r);
	ck_assert_int_eq(r->clock.skew_s, 1800);
	report_free(r);

	r = with_leaf(truth - 86400 * 30, truth + 86400 * 30);
	r->clock.local = truth + 3600;
	r->clock.http_date = truth + 3600;
	clock_add_ref(r, CLOCK_REF_HTTP, CLOCK_POINT, 1,
	    "the Date: header of http://ocsp.test/", truth + 1800,
	    r->clock.local);
	clock_add_ref(r, CLOCK_REF_SNTP, CLOCK_POINT, 1, "a", truth,
	    r->clock.local);
	clock_add_ref(r, CLOCK_REF_SNTP, CLOCK_POINT, 1, "b", truth + 1,
	    r->clock.local);
	clock_add_ref(r, CLOCK_REF_SNTP, CLOCK_POINT, 1, "liar", truth + 86400,
	    r->clock.local);
	clock_judge(r);
	ck_assert_int_eq(r->clock.skew_s, 3599); /* the median of three */
	ck_assert_ptr_nonnull(strstr(r->clock.reference, "3 answered"));
	struct finding *f = report_find(r, FINDING_CLOCK_SKEW);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, SEV_WARNING); /* nothing fails */
	report_free(r);
}
END_TEST

/* An untrusted chain's OCSP address may lead anywhere: its Date: is
 * shown, not believed. */
START_TEST(untrusted_responder_not_used)
{
	time_t truth = 1800000000;
	struct report *r = with_leaf(truth - 86400 * 30, truth + 86400 * 30);

	r->clock.local = truth;
	report_add(r, FINDING_CERT_UNTRUSTED_ROOT, "untrusted", "root");
	clock_add_ref(r, CLOCK_REF_HTTP, CLOCK_POINT, 1,
	    "the Date: header of http://evil.test/", truth - 86400 * 400,
	    r->clock.local);
	clock_judge(r);
	ck_assert_ptr_null(report_find(r, FINDING_CLOCK_SKEW));
	ck_assert(!r->clock.refs[0].trusted);
	ck_assert(!r->clock.refs[0].used);
	report_free(r);
}
END_TEST

/* Nothing to compare with: never "passed", and a date finding says that
 * the clock was not checked. */
START_TEST(no_reference_is_skipped)
{
	time_t truth = 1800000000;
	struct report *r = with_leaf(truth - 86400 * 30, truth + 86400 * 30);

	r->clock.local = truth + 86400 * 400;
	report_add(r, FINDING_CERT_EXPIRED, "expired", "leaf");
	clock_judge(r);
	ck_assert_ptr_null(report_find(r, FINDING_CLOCK_SKEW));
	ck_assert_int_eq(r->checks[CHECK_CLOCK], CHECK_SKIPPED);
	ck_assert_ptr_nonnull(strstr(report_find(r,
	    FINDING_CERT_EXPIRED)->evidence, "could not check your clock"));
	report_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, http_date_formats);
	tcase_add_test(tc, http_date_garbage);
	tcase_add_test(tc, clock_explains_expired);
	tcase_add_test(tc, server_clock_wrong_is_not_ours);
	tcase_add_test(tc, clock_before_build);
	tcase_add_test(tc, small_skew_ok);
	tcase_add_test(tc, asn1_times);
	tcase_add_test(tc, trusted_not_before_says_behind);
	tcase_add_test(tc, ocsp_next_update_says_ahead);
	tcase_add_test(tc, best_reference_wins);
	tcase_add_test(tc, no_reference_is_skipped);
	tcase_add_test(tc, untrusted_responder_not_used);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
