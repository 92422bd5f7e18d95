/* check_wizard.c: the wizard's pure parts -- the step state machine
 * (flow.h), the text box (field.h), the text pages' wrapping (text.h) and
 * the save names (session.h) -- walked without a terminal. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "flow.h"
#include "session.h"
#include "text.h"
#include "util.h"
#include "checkutil.h"

static enum wstate
step(struct wizard *w, enum wevent ev)
{
	return wizard_next(w, ev);
}

START_TEST(flow_from_welcome)
{
	struct wizard w;

	wizard_init(&w, 0, 0);
	ck_assert_int_eq(w.state, WS_WELCOME);
	ck_assert_uint_eq(w.actions, 0);
	/* Enter without a usable site stays put */
	ck_assert_int_eq(step(&w, WE_NEXT), WS_WELCOME);
	ck_assert_uint_eq(w.actions, 0);
	w.target_ok = 1;
	ck_assert_int_eq(step(&w, WE_NEXT), WS_COMPUTER);
	ck_assert_uint_eq(w.actions, WA_START);
	ck_assert(w.running);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_SERVER);
	/* while the checks run, only the stop key stops them */
	ck_assert_int_eq(step(&w, WE_NEXT), WS_SERVER);
	ck_assert_uint_eq(w.actions, 0);
	ck_assert_int_eq(step(&w, WE_CANCEL), WS_SERVER);
	ck_assert_uint_eq(w.actions, WA_CANCEL);
	/* Esc is back, as everywhere: the checks go on */
	ck_assert_int_eq(step(&w, WE_BACK), WS_COMPUTER);
	ck_assert_uint_eq(w.actions, 0);
	ck_assert(w.running);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_SERVER);
	ck_assert_int_eq(step(&w, WE_DONE), WS_SERVER);
	ck_assert(!w.running && w.done);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_RESULTS);
	ck_assert_uint_eq(w.actions, WA_APPLY);
	ck_assert_int_eq(wizard_step_number(w.state), 4);
}
END_TEST

/* "A mail app": its servers first, then one line per server. */
START_TEST(flow_mail)
{
	struct wizard w;

	wizard_init(&w, 0, 0);
	w.target_ok = 1;
	w.mail = 1;
	ck_assert_int_eq(step(&w, WE_NEXT), WS_MAIL);
	ck_assert_uint_eq(w.actions, 0);
	ck_assert_int_eq(step(&w, WE_BACK), WS_WELCOME);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_MAIL);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_COMPUTER);
	ck_assert_uint_eq(w.actions, WA_START);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_SERVER);
	ck_assert_int_eq(step(&w, WE_DONE), WS_SERVER);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_MAIL_RESULTS);
	ck_assert_int_eq(wizard_step_number(w.state), 4);
	ck_assert_int_eq(step(&w, WE_OPEN), WS_RESULTS);
	ck_assert_int_eq(step(&w, WE_BACK), WS_MAIL_RESULTS);
	ck_assert_str_eq(wizard_state_name(WS_MAIL_RESULTS), "mail-results");
}
END_TEST

START_TEST(mail_plan_usual)
{
	struct mail_plan p = { .n = 0 };
	char *cause = NULL, *t;

	ck_assert_int_eq(mail_plan_add(&p, 0, "", "mail.example.org",
	    &cause), 0);
	ck_assert_int_eq(mail_plan_add(&p, 1, "me@example.org", NULL,
	    &cause), 0);
	ck_assert_int_eq(p.srv[0].target.port, 993);
	ck_assert_str_eq(p.srv[1].target.host, "example.org");
	ck_assert_int_eq(p.srv[1].target.port, 587);
	t = mail_server_title(&p.srv[0]);
	ck_assert_str_eq(t, "Incoming mail: mail.example.org port 993 "
	    "(IMAP, SSL/TLS)");
	free(t);
	t = mail_server_title(&p.srv[1]);
	ck_assert_str_eq(t, "Outgoing mail: example.org port 587 "
	    "(SMTP, STARTTLS)");
	free(t);
	mail_plan_free(&p);
	ck_assert_int_eq(mail_plan_add(&p, 0, "pop3s://pop.example.org",
	    NULL, &cause), 0);
	ck_assert_int_eq(p.srv[0].target.port, 995);
	ck_assert_int_eq(mail_plan_add(&p, 1, "bad name", NULL, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	mail_plan_free(&p);
}
END_TEST

START_TEST(flow_target_given)
{
	struct wizard w;

	wizard_init(&w, 0, 1);
	ck_assert_int_eq(w.state, WS_COMPUTER);
	ck_assert_uint_eq(w.actions, WA_START);
	/* the engine may finish while the user still answers */
	ck_assert_int_eq(step(&w, WE_DONE), WS_COMPUTER);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_SERVER);
	ck_assert_uint_eq(w.actions, 0);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_RESULTS);
	ck_assert_uint_eq(w.actions, WA_APPLY);
	/* back to the answers and forward again re-applies them */
	ck_assert_int_eq(step(&w, WE_BACK), WS_SERVER);
	ck_assert_int_eq(step(&w, WE_BACK), WS_COMPUTER);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_SERVER);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_RESULTS);
	ck_assert_uint_eq(w.actions, WA_APPLY);
}
END_TEST

START_TEST(flow_results_pages)
{
	struct wizard w;

	wizard_init(&w, 0, 1);
	step(&w, WE_DONE);
	step(&w, WE_NEXT);
	step(&w, WE_NEXT);
	ck_assert_int_eq(w.state, WS_RESULTS);
	ck_assert_int_eq(step(&w, WE_OPEN), WS_ADVICE);
	ck_assert_int_eq(step(&w, WE_NOT_TO_DO), WS_NOT_TO_DO);
	ck_assert_int_eq(step(&w, WE_HELP), WS_HELP);
	/* overlays return to where they were opened from */
	ck_assert_int_eq(step(&w, WE_BACK), WS_ADVICE);
	ck_assert_int_eq(step(&w, WE_BACK), WS_RESULTS);
	ck_assert_int_eq(step(&w, WE_DETAILS), WS_DETAILS);
	ck_assert_int_eq(step(&w, WE_SAVE), WS_SAVE);
	ck_assert_int_eq(step(&w, WE_BACK), WS_RESULTS);
	ck_assert_int_eq(step(&w, WE_SAVE), WS_SAVE);
	ck_assert_int_eq(step(&w, WE_HELP), WS_HELP);
	ck_assert_int_eq(step(&w, WE_BACK), WS_SAVE);
	/* the report stays: nothing is discarded by looking around */
	ck_assert(w.done);
	/* an unsaved result: quit asks first */
	ck_assert_int_eq(step(&w, WE_QUIT), WS_SAVE);
	ck_assert_uint_eq(w.actions, WA_ASK_QUIT);
	ck_assert_int_eq(step(&w, WE_QUIT_NOW), WS_QUIT);
	ck_assert_uint_eq(w.actions, 0);
	/* saved: quit at once */
	wizard_init(&w, 0, 1);
	step(&w, WE_DONE);
	step(&w, WE_NEXT);
	step(&w, WE_NEXT);
	w.saved = 1;
	ck_assert_int_eq(step(&w, WE_QUIT), WS_QUIT);
}
END_TEST

START_TEST(flow_stop_and_rerun)
{
	struct wizard w;

	wizard_init(&w, 0, 1);
	step(&w, WE_NEXT);
	ck_assert_int_eq(step(&w, WE_CANCEL), WS_SERVER);
	ck_assert_uint_eq(w.actions, WA_CANCEL);
	step(&w, WE_DONE);
	/* run again: the stopped report goes, a new run starts */
	ck_assert_int_eq(step(&w, WE_RERUN), WS_SERVER);
	ck_assert_uint_eq(w.actions, WA_DISCARD | WA_START);
	ck_assert(w.running && !w.done);
	/* not while running */
	ck_assert_int_eq(step(&w, WE_RERUN), WS_SERVER);
	ck_assert_uint_eq(w.actions, 0);
	step(&w, WE_DONE);
	step(&w, WE_NEXT);
	ck_assert_int_eq(w.state, WS_RESULTS);
	ck_assert_int_eq(step(&w, WE_RERUN), WS_SERVER);
	ck_assert(w.running);
	/* "save first" from the quit question on step 2 or 3 */
	step(&w, WE_DONE);
	ck_assert_int_eq(step(&w, WE_SAVE), WS_SAVE);
	ck_assert_uint_eq(w.actions, WA_APPLY);
}
END_TEST

START_TEST(flow_quit_and_restart)
{
	struct wizard w;

	wizard_init(&w, 0, 1);
	ck_assert_int_eq(step(&w, WE_QUIT), WS_QUIT);
	ck_assert_uint_eq(w.actions, WA_CANCEL); /* no probe outlives us */

	wizard_init(&w, 0, 1);
	ck_assert_int_eq(step(&w, WE_BACK), WS_WELCOME);
	ck_assert(w.actions & WA_CANCEL);
	ck_assert(w.actions & WA_DISCARD);
	ck_assert(!w.target_ok && !w.running);

	wizard_init(&w, 0, 1);
	step(&w, WE_DONE);
	step(&w, WE_NEXT);
	step(&w, WE_NEXT);
	ck_assert_int_eq(step(&w, WE_RESTART), WS_WELCOME);
	ck_assert_uint_eq(w.actions, WA_DISCARD);
	/* Esc on the first screen asks before leaving */
	ck_assert_int_eq(step(&w, WE_BACK), WS_WELCOME);
	ck_assert_uint_eq(w.actions, WA_ASK_QUIT);
	ck_assert_int_eq(step(&w, WE_QUIT_NOW), WS_QUIT);
}
END_TEST

START_TEST(flow_demo)
{
	struct wizard w;

	wizard_init(&w, 1, 0);
	ck_assert_int_eq(w.state, WS_DEMO_MENU);
	ck_assert_int_eq(step(&w, WE_NEXT), WS_DEMO_MENU);
	w.target_ok = 1;
	ck_assert_int_eq(step(&w, WE_NEXT), WS_COMPUTER);
	ck_assert_uint_eq(w.actions, WA_START);
	ck_assert_int_eq(step(&w, WE_BACK), WS_DEMO_MENU);
	ck_assert_int_eq(step(&w, WE_BACK), WS_DEMO_MENU);
	ck_assert_uint_eq(w.actions, WA_ASK_QUIT);
	/* --demo=SCENARIO starts at once */
	wizard_init(&w, 1, 1);
	ck_assert_int_eq(w.state, WS_COMPUTER);
}
END_TEST

/* From every screen: quit and "what not to do" are one event away; random
 * walks never reach a state out of range nor lose a running probe. */
START_TEST(flow_random_walk)
{
	struct wizard w;
	unsigned seed = 12345;

	for (int run = 0; run < 200; run++) {
		int started = 0, cancelled_or_done = 0;

		wizard_init(&w, run & 1, (run >> 1) & 1);
		started = (w.actions & WA_START) != 0;
		for (int i = 0; i < 300 && w.state != WS_QUIT; i++) {
			seed = seed * 1103515245 + 12345;
			enum wevent ev = (enum wevent)((seed >> 16) %
			    (WE_QUIT_NOW + 1));
			if (ev == WE_NEXT && (seed & 0x100))
				w.target_ok = 1;
			if (ev == WE_DONE && !w.running)
				continue;
			wizard_next(&w, ev);
			ck_assert_int_lt(w.state, WS_COUNT);
			if (w.actions & WA_START)
				started++, cancelled_or_done = 0;
			if (w.actions & (WA_CANCEL | WA_DISCARD) ||
			    ev == WE_DONE)
				cancelled_or_done = 1;
			if (w.running)
				ck_assert(!w.done);
		}
		if (w.state == WS_QUIT && started && w.running)
			ck_assert(cancelled_or_done);
	}
	for (int s = 0; s < WS_QUIT; s++) {
		wizard_init(&w, 0, 1);
		w.state = (enum wstate)s;
		w.running = 0;
		w.done = 1;
		enum wstate r = wizard_next(&w, WE_NOT_TO_DO);
		if (s != WS_NOT_TO_DO)
			ck_assert_msg(r == WS_NOT_TO_DO, "no 'n' from %s",
			    wizard_state_name((enum wstate)s));
		w.state = (enum wstate)s;
		/* quit is one event away, and asks when a result is unsaved */
		ck_assert_int_eq(wizard_next(&w, WE_QUIT), s);
		ck_assert_uint_eq(w.actions, WA_ASK_QUIT);
		ck_assert_int_eq(wizard_next(&w, WE_QUIT_NOW), WS_QUIT);
	}
}
END_TEST

START_TEST(field_editing)
{
	struct field f;

	field_set(&f, "exmple.org");
	field_key(&f, FK_HOME);
	field_key(&f, FK_RIGHT);
	field_key(&f, FK_RIGHT);
	ck_assert(field_key(&f, 'a'));
	ck_assert_str_eq(f.buf, "example.org");
	/* control characters never get in (a pasted escape sequence) */
	ck_assert(!field_key(&f, 27));
	ck_assert(!field_key(&f, '\n'));
	ck_assert(!field_key(&f, 0x9b));
	ck_assert_str_eq(f.buf, "example.org");
	/* UTF-8: one code point in, one out */
	field_key(&f, FK_END);
	field_key(&f, 0xe9);
	ck_assert_str_eq(f.buf, "example.org\xc3\xa9");
	ck_assert_uint_eq(field_col(&f), 12);
	field_key(&f, FK_BACKSPACE);
	ck_assert_str_eq(f.buf, "example.org");
	field_key(&f, FK_KILL);
	ck_assert_str_eq(f.buf, "");
	ck_assert(!field_key(&f, FK_BACKSPACE));
	/* bounded */
	for (int i = 0; i < 2 * FIELD_MAX; i++)
		field_key(&f, 'x');
	ck_assert_uint_lt(f.len, FIELD_MAX);
	ck_assert_uint_eq(strlen(f.buf), f.len);
}
END_TEST

START_TEST(wrap_fits)
{
	struct strbuf b = { 0 };
	struct lines l;
	const char *s = "The server's certificate has expired and a "
	    "verylongwordthatdoesnotfitonanylineatallbecauseitisverylong "
	    "must be cut.\n  - an indented item that goes on and on and on";

	for (int w = 10; w < 90; w += 7) {
		text_wrap(&b, s, w, 4);
		lines_split(&l, b.s);
		ck_assert_uint_ge(l.n, 2);
		for (size_t i = 0; i < l.n; i++)
			ck_assert_msg(text_width(l.v[i]) <= (size_t)w,
			    "width %d: '%s'", w, l.v[i]);
		lines_free(&l);
		strbuf_free(&b);
	}
	text_wrap(&b, "[FAIL] title", 80, 7);
	ck_assert_str_eq(b.s, "[FAIL] title\n");
	strbuf_free(&b);
}
END_TEST

START_TEST(fold_ascii)
{
	char *s = text_fold("a \xe2\x80\x94 b \xe2\x80\x9cq\xe2\x80\x9d "
	    "\xe4\xb8\xad\x1b[2J", 1);
	ck_assert_str_eq(s, "a -- b \"q\" ?[2J");
	free(s);
	s = text_fold("caf\xc3\xa9", 0);
	ck_assert_str_eq(s, "caf\xc3\xa9");
	free(s);
	ck_assert_str_eq(text_state_tag(CHECK_PASSED), "[ ok ]");
	ck_assert_str_eq(text_state_tag(CHECK_FAILED), "[FAIL]");
	ck_assert_str_eq(text_state_tag(CHECK_WARNING), "[warn]");
	ck_assert_str_eq(text_state_tag(CHECK_RUNNING), "[ .. ]");
}
END_TEST

START_TEST(save_names_are_safe)
{
	struct options o;
	struct session s;
	char *n;

	memset(&o, 0, sizeof o);
	session_init(&s, &o, NULL, 1);
	s.target.host = xstrdup("../../etc/evil\x1b host");
	s.have_target = 1;
	n = session_save_name(&s, SAVE_TEXT);
	ck_assert_ptr_null(strchr(n, '/'));
	ck_assert_ptr_null(strchr(n, '\x1b'));
	ck_assert_ptr_null(strchr(n, ' '));
	free(n);
	n = session_save_name(&s, SAVE_JSON);
	ck_assert_ptr_nonnull(strstr(n, ".json"));
	free(n);
	/* nothing to save yet: a reason, not a crash */
	char *cause = NULL;
	ck_assert_int_eq(session_save(&s, SAVE_TEXT, "x.txt", 0, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ck_assert_int_eq(session_exit_status(&s), 3);
	session_free(&s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("wizard");
	TCase *tc = tcase_create("flow");
	tcase_add_test(tc, flow_from_welcome);
	tcase_add_test(tc, flow_mail);
	tcase_add_test(tc, mail_plan_usual);
	tcase_add_test(tc, flow_target_given);
	tcase_add_test(tc, flow_results_pages);
	tcase_add_test(tc, flow_quit_and_restart);
	tcase_add_test(tc, flow_demo);
	tcase_add_test(tc, flow_stop_and_rerun);
	tcase_add_test(tc, flow_random_walk);
	suite_add_tcase(s, tc);
	tc = tcase_create("parts");
	tcase_add_test(tc, field_editing);
	tcase_add_test(tc, wrap_fits);
	tcase_add_test(tc, fold_ascii);
	tcase_add_test(tc, save_names_are_safe);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
