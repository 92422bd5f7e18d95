/* check_refusal.c: what a failed handshake means -- our limits named as
 * ours, every version refused by alerts as protocol.refused (never a
 * version finding when the alerts are protocol_version), the note when
 * another offer worked, the DHE group size, the untested checks. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "refusal.h"
#include "checkutil.h"

static void
all_answers(struct scan_result *s, enum hello_kind kind, int alert)
{
	memset(s, 0, sizeof *s);
	for (int p = 0; p < PROTO_COUNT; p++) {
		s->protocols[p] = TRI_NO;
		s->answer[p].kind = s->answer[p].first_kind = kind;
		s->answer[p].alert = s->answer[p].first_alert = alert;
	}
}

START_TEST(our_limits)
{
	struct tls_result t = { .alert_recv = -1 };
	struct cert_info leaf = { .key_type = (char *)"RSA", .key_bits = 2048 };

	t.wolf_err = HANDSHAKE_SIZE_ERROR;
	ck_assert_ptr_nonnull(refusal_our_limit(&t, NULL));
	t.wolf_err = MP_EXPTMOD_E;
	ck_assert_ptr_nonnull(strstr(refusal_our_limit(&t, NULL), "4096"));
	t.wolf_err = MEMORY_E;
	ck_assert_ptr_nonnull(refusal_our_limit(&t, NULL));
	t.wolf_err = 0;
	t.net_err = NET_ERR_OTHER;
	ck_assert_ptr_nonnull(refusal_our_limit(&t, NULL));
	/* an alert is ours only when the key is one we cannot offer for */
	t.net_err = 0;
	t.wolf_err = FATAL_ERROR;
	t.alert_recv = 40;
	ck_assert_ptr_null(refusal_our_limit(&t, &leaf));
	leaf.key_type = (char *)"DSA";
	ck_assert_ptr_nonnull(refusal_our_limit(&t, &leaf));
	leaf.key_type = (char *)"EC";
	leaf.key_bits = 192;
	ck_assert_ptr_nonnull(refusal_our_limit(&t, &leaf));
	leaf.key_bits = 256;
	ck_assert_ptr_null(refusal_our_limit(&t, &leaf));
	/* expired is a finding of the chain checks, never our limit */
	t.alert_recv = -1;
	t.wolf_err = ASN_AFTER_DATE_E;
	ck_assert_ptr_null(refusal_our_limit(&t, NULL));
	t.ok = 1;
	t.wolf_err = HANDSHAKE_SIZE_ERROR;
	ck_assert_ptr_null(refusal_our_limit(&t, NULL));
	ck_assert_str_eq(refusal_alert_name(80), "internal_error");
	ck_assert_str_eq(refusal_alert_name(255), "alert");
}
END_TEST

START_TEST(every_version_refused)
{
	struct scan_result s;
	struct report *r = report_new();

	/* alert 80 everywhere: the server fails, said so */
	all_answers(&s, HELLO_ALERT, 80);
	s.answer[PROTO_TLS12].retried = 1;
	ck_assert_int_eq(refusal_judge_all(r, &s), 1);
	struct finding *f = report_find(r, FINDING_PROTOCOL_REFUSED);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->owner, OWNER_SERVER);
	ck_assert_ptr_nonnull(strstr(f->summary, "internal error"));
	ck_assert_ptr_nonnull(strstr(f->evidence,
	    "TLS 1.2: alert 80 (internal_error), also to other offers"));
	report_free(r);

	/* protocol_version everywhere: a version matter, not ours here */
	r = report_new();
	all_answers(&s, HELLO_ALERT, 70);
	ck_assert_int_eq(refusal_judge_all(r, &s), 0);
	ck_assert_uint_eq(r->nfindings, 0);
	/* closed connections: not an alert, not ours to word */
	all_answers(&s, HELLO_CLOSED, -1);
	ck_assert_int_eq(refusal_judge_all(r, &s), 0);
	/* one version accepted: nothing to say here */
	all_answers(&s, HELLO_ALERT, 40);
	s.protocols[PROTO_TLS10] = TRI_YES;
	ck_assert_int_eq(refusal_judge_all(r, &s), 0);
	s.protocols[PROTO_TLS10] = TRI_NO;
	ck_assert_int_eq(refusal_judge_all(r, &s), 1);
	f = report_find(r, FINDING_PROTOCOL_REFUSED);
	ck_assert_ptr_nonnull(strstr(f->summary, "whatever tlsmedic offers"));
	report_free(r);
}
END_TEST

START_TEST(note_and_dh)
{
	struct scan_result s;
	struct tls_result t = { .ok = 1 };
	struct report *r = report_new();

	all_answers(&s, HELLO_ALERT, 70);
	ck_assert_ptr_null(refusal_handshake_note(&s));
	s.protocols[PROTO_TLS12] = TRI_YES;
	s.answer[PROTO_TLS12].retried = 1;
	s.answer[PROTO_TLS12].first_alert = 80;
	s.answer[PROTO_TLS12].offer = HELLO_OFFER_NO_FFDHE;
	char *n = refusal_handshake_note(&s);
	ck_assert_ptr_nonnull(strstr(n, "TLS 1.2: the server answered "
	    "tlsmedic's first hello with alert 80 (internal_error) and "
	    "accepted one without FFDHE groups"));
	free(n);

	refusal_judge_dh(r, 2048, &t);
	ck_assert_int_eq(r->dh_bits, 2048);
	ck_assert_uint_eq(r->nfindings, 0);
	refusal_judge_dh(r, 1024, &t);
	struct finding *f = report_find(r, FINDING_CIPHER_WEAK_DH);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, SEV_WARNING);
	report_remove(r, FINDING_CIPHER_WEAK_DH);
	t.ok = 0;
	t.wolf_err = DH_KEY_SIZE_E;
	refusal_judge_dh(r, 768, &t);
	ck_assert_int_eq(report_find(r, FINDING_CIPHER_WEAK_DH)->severity,
	    SEV_ERROR);
	report_free(r);
}
END_TEST

START_TEST(untested_and_limits)
{
	struct report *r = report_new();
	struct scan_result s;

	for (int p = 0; p < PROTO_COUNT; p++)
		r->protocols[p] = TRI_UNKNOWN;
	refusal_judge_untested(r);
	ck_assert_ptr_nonnull(r->check_reason[CHECK_PROTOCOLS]);
	ck_assert_ptr_null(r->check_reason[CHECK_CIPHERS]);
	r->protocols[PROTO_TLS12] = TRI_YES;
	refusal_judge_untested(r);
	ck_assert_ptr_nonnull(r->check_reason[CHECK_CIPHERS]);
	report_finish(r);
	ck_assert_int_eq(r->verdict, VERDICT_INCOMPLETE);
	report_free(r);

	/* no chain from anyone: the certificate checks are skipped */
	r = report_new();
	memset(&s, 0, sizeof s);
	refusal_judge_limit(r, &s, "a limit");
	ck_assert_ptr_nonnull(strstr(r->check_reason[CHECK_CERT], "a limit"));
	ck_assert_ptr_nonnull(strstr(r->handshake_note, "a limit"));
	refusal_note_add(r, "more");
	ck_assert_ptr_nonnull(strstr(r->handshake_note, "; more"));
	report_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("refusal");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, our_limits);
	tcase_add_test(tc, every_version_refused);
	tcase_add_test(tc, note_and_dh);
	tcase_add_test(tc, untested_and_limits);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
