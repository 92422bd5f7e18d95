/* check_model.c: the finding table, the model helpers, the sanitizer. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "model.h"
#include "sanitize.h"
#include "checkutil.h"

START_TEST(finding_ids_roundtrip)
{
	for (int i = 0; i < FINDING_COUNT; i++) {
		const char *s = finding_id_str((enum finding_id)i);
		ck_assert_int_eq(finding_id_parse(s), i);
	}
	ck_assert_int_eq(finding_id_parse("no.such"), -1);
	ck_assert_str_eq(finding_id_str(FINDING_CERT_EXPIRED), "cert.expired");
	ck_assert_int_eq(finding_default_owner(FINDING_CLOCK_SKEW), OWNER_CLIENT);
	ck_assert_int_eq(finding_default_owner(FINDING_NET_TIMEOUT),
	    OWNER_NETWORK);
}
END_TEST

START_TEST(report_add_merges_and_sorts)
{
	struct report *r = report_new();
	report_add(r, FINDING_PROTOCOL_NO_TLS13, "no 1.3", "");
	report_add(r, FINDING_CERT_EXPIRED, "expired", "leaf");
	report_add(r, FINDING_CERT_EXPIRED, "expired", "intermediate");
	ck_assert_uint_eq(r->nfindings, 2);
	report_finish(r);
	ck_assert_int_eq(r->findings[0].id, FINDING_CERT_EXPIRED);
	ck_assert_str_eq(r->findings[0].evidence, "leaf; intermediate");
	ck_assert_int_eq(r->verdict, VERDICT_PROBLEMS);
	ck_assert_int_eq(r->checks[CHECK_CERT], CHECK_FAILED);
	ck_assert_int_eq(r->checks[CHECK_PROTOCOLS], CHECK_PASSED);
	report_remove(r, FINDING_CERT_EXPIRED);
	report_finish(r);
	ck_assert_int_eq(r->verdict, VERDICT_OK); /* info only */
	report_free(r);
}
END_TEST

START_TEST(sanitize_strips_escapes)
{
	const char evil[] = "a\x1b[2Jb\x07\xc2\x9b" "c\xff\xe2\x80\xae";
	char *s = sanitize(evil, sizeof evil - 1, 200);
	for (const char *p = s; *p; p++)
		ck_assert((unsigned char)*p >= 0x20 && *p != 0x7f);
	ck_assert_ptr_null(strstr(s, "\xc2\x9b"));
	ck_assert_ptr_nonnull(strstr(s, "\\x1B[2Jb"));
	ck_assert_ptr_nonnull(strstr(s, "\\xFF"));
	free(s);
	s = sanitize_ascii("caf\xc3\xa9", 5, 100);
	ck_assert_str_eq(s, "caf\\u{E9}");
	free(s);
	char big[10000];
	memset(big, 'x', sizeof big);
	s = sanitize(big, sizeof big, 64);
	ck_assert_uint_le(strlen(s), 64);
	ck_assert_ptr_nonnull(strstr(s, "..."));
	free(s);
}
END_TEST

/* Escaping happens once: a string that is sanitized already (the model's,
 * or one built from it) is not escaped again by the model or a face. */
START_TEST(sanitize_once_is_idempotent)
{
	const char raw[] = "HTTP/1.1 400\r\nServer: x\x1b[31m\\";
	char *once = sanitize(raw, sizeof raw - 1, 200);
	char *again = sanitize_once(once, 200, 0);

	ck_assert_str_eq(once, "HTTP/1.1 400\\x0D\\x0AServer: x\\x1B[31m\\\\");
	ck_assert_str_eq(again, once);
	free(again);
	/* a dirty string is sanitized, as sanitize() would */
	again = sanitize_once(raw, 200, 0);
	ck_assert_str_eq(again, once);
	free(again);
	/* ASCII: only non-ASCII changes, the escapes stay as they are */
	again = sanitize_once("caf\xc3\xa9 \\x1B", 100, 1);
	ck_assert_str_eq(again, "caf\\u{E9} \\x1B");
	free(again);
	/* cut at a code point, with "..." */
	char big[300];
	for (size_t i = 0; i + 2 < sizeof big; i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[sizeof big - 1] = '\0';
	again = sanitize_once(big, 64, 0);
	ck_assert_uint_le(strlen(again), 64);
	ck_assert_ptr_nonnull(strstr(again, "..."));
	ck_assert((unsigned char)again[strlen(again) - 4] != 0xc3);
	free(again);
	free(once);

	/* the model: evidence made of a sanitized sample keeps one escape */
	struct report *r = report_new();
	char *ev = sanitize(raw, sizeof raw - 1, 200);
	struct finding *f = report_add(r, FINDING_NET_NOT_TLS, "s", ev);
	ck_assert_str_eq(f->evidence, ev);
	free(ev);
	report_skip(r, CHECK_REVOCATION, "a \x1b reason");
	ck_assert_str_eq(r->check_reason[CHECK_REVOCATION], "a \\x1B reason");
	report_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, finding_ids_roundtrip);
	tcase_add_test(tc, report_add_merges_and_sorts);
	tcase_add_test(tc, sanitize_strips_escapes);
	tcase_add_test(tc, sanitize_once_is_idempotent);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
