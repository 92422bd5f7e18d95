/* check_starttls.c: the STARTTLS reply parser per protocol, the port and
 * greeting conventions, the plan (mailsec_plan), and whole exchanges with
 * a scripted server on loopback through netpath_open(): yes, not offered,
 * refused, busy then yes, TLS at once, and a server that never ends its
 * reply (bounded). */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checkutil.h"
#include "mailsec.h"
#include "netpath.h"
#include "netpath/starttls.h"
#include "util.h"

static int
parse(enum starttls_proto p, enum starttls_step st, const char *s,
    struct starttls_reply *r)
{
	return starttls_reply_parse(p, st, (const unsigned char *)s,
	    strlen(s), r);
}

START_TEST(smtp_replies)
{
	struct starttls_reply r;
	const char *ehlo = "250-mail.test\r\n250-SIZE 1000\r\n250 STARTTLS\r\n";

	ck_assert_int_eq(parse(STARTTLS_SMTP, STARTTLS_STEP_GREETING,
	    "220 mail.test ESMTP\r\n", &r), 21);
	ck_assert(r.ok);
	ck_assert_int_eq(r.code, 220);
	ck_assert_str_eq(r.line, "220 mail.test ESMTP");
	/* multi-line: not done until the last line */
	ck_assert_int_eq(parse(STARTTLS_SMTP, STARTTLS_STEP_CAPS,
	    "250-mail.test\r\n250-STARTTLS\r\n", &r), 0);
	ck_assert_int_eq(parse(STARTTLS_SMTP, STARTTLS_STEP_CAPS, ehlo, &r),
	    (int)strlen(ehlo));
	ck_assert(r.ok && r.offers);
	ck_assert_int_eq(parse(STARTTLS_SMTP, STARTTLS_STEP_CAPS,
	    "250-mail.test\r\n250 XSTARTTLSX\r\n", &r), 31);
	ck_assert(!r.offers);
	ck_assert_int_gt(parse(STARTTLS_SMTP, STARTTLS_STEP_START,
	    "454 4.7.0 TLS not available\r\n", &r), 0);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.code, 454);
	ck_assert_int_eq(parse(STARTTLS_SMTP, STARTTLS_STEP_GREETING,
	    "SSH-2.0-OpenSSH\r\n", &r), -1);
	ck_assert_int_eq(parse(STARTTLS_FTP, STARTTLS_STEP_START,
	    "234 Proceed\r\n", &r), 13);
	ck_assert(r.ok);
}
END_TEST

START_TEST(imap_pop3_replies)
{
	struct starttls_reply r;

	ck_assert_int_gt(parse(STARTTLS_IMAP, STARTTLS_STEP_GREETING,
	    "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", &r), 0);
	ck_assert(r.ok && r.offers);
	ck_assert_int_gt(parse(STARTTLS_IMAP, STARTTLS_STEP_GREETING,
	    "* BYE go away\r\n", &r), 0);
	ck_assert(!r.ok);
	ck_assert_int_eq(parse(STARTTLS_IMAP, STARTTLS_STEP_CAPS,
	    "* CAPABILITY IMAP4rev1 STARTTLS\r\n", &r), 0);
	ck_assert_int_gt(parse(STARTTLS_IMAP, STARTTLS_STEP_CAPS,
	    "* CAPABILITY IMAP4rev1 STARTTLS\r\na001 OK done\r\n", &r), 0);
	ck_assert(r.ok && r.offers);
	ck_assert_int_gt(parse(STARTTLS_IMAP, STARTTLS_STEP_START,
	    "a002 NO no TLS\r\n", &r), 0);
	ck_assert(!r.ok);
	ck_assert_int_eq(parse(STARTTLS_IMAP, STARTTLS_STEP_START,
	    "zzz OK\r\n", &r), -1);
	ck_assert_int_eq(parse(STARTTLS_POP3, STARTTLS_STEP_CAPS,
	    "+OK\r\nTOP\r\nSTLS\r\n", &r), 0);
	ck_assert_int_gt(parse(STARTTLS_POP3, STARTTLS_STEP_CAPS,
	    "+OK\r\nTOP\r\nSTLS\r\n.\r\n", &r), 0);
	ck_assert(r.ok && r.offers);
	ck_assert_int_gt(parse(STARTTLS_POP3, STARTTLS_STEP_START,
	    "-ERR no\r\n", &r), 0);
	ck_assert(!r.ok);
}
END_TEST

START_TEST(binary_replies)
{
	struct starttls_reply r;
	static const unsigned char ok[] = { 0x30, 0x0c, 0x02, 0x01, 0x01,
		0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00 };
	static const unsigned char err[] = { 0x30, 0x10, 0x02, 0x01, 0x01,
		0x78, 0x0b, 0x0a, 0x01, 0x34, 0x04, 0x00, 0x04, 0x04, 'n',
		'o', 'p', 'e' };
	static const unsigned char tls[] = { 0x15, 0x03, 0x03, 0x00, 0x02,
		0x02, 0x46 };

	ck_assert_int_eq(starttls_reply_parse(STARTTLS_LDAP,
	    STARTTLS_STEP_START, ok, sizeof ok, &r), (int)sizeof ok);
	ck_assert(r.ok);
	ck_assert_int_eq(starttls_reply_parse(STARTTLS_LDAP,
	    STARTTLS_STEP_START, ok, sizeof ok - 1, &r), 0);
	ck_assert_int_eq(starttls_reply_parse(STARTTLS_LDAP,
	    STARTTLS_STEP_START, err, sizeof err, &r), (int)sizeof err);
	ck_assert(!r.ok);
	ck_assert_int_eq(r.code, 52);
	ck_assert_str_eq(r.line, "resultCode 52: nope");
	ck_assert_int_gt(starttls_reply_parse(STARTTLS_POSTGRES,
	    STARTTLS_STEP_START, (const unsigned char *)"S", 1, &r), 0);
	ck_assert(r.ok);
	ck_assert_int_gt(starttls_reply_parse(STARTTLS_POSTGRES,
	    STARTTLS_STEP_START, (const unsigned char *)"N", 1, &r), 0);
	ck_assert(!r.ok);
	/* TLS where plaintext was expected: said so, for every protocol */
	for (int p = 1; p < STARTTLS_COUNT; p++) {
		ck_assert_int_gt(starttls_reply_parse((enum starttls_proto)p,
		    STARTTLS_STEP_GREETING, tls, sizeof tls, &r), 0);
		ck_assert(r.tls);
	}
	ck_assert_int_gt(parse(STARTTLS_XMPP, STARTTLS_STEP_CAPS,
	    "<stream:stream><stream:features><starttls xmlns='x'/>"
	    "</stream:features>", &r), 0);
	ck_assert(r.ok && r.offers);
	ck_assert_int_eq(parse(STARTTLS_XMPP, STARTTLS_STEP_CAPS,
	    "<stream:stream><stream:features><starttls", &r), 0);
	ck_assert_int_gt(parse(STARTTLS_XMPP, STARTTLS_STEP_START,
	    "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", &r), 0);
	ck_assert(!r.ok);
}
END_TEST

START_TEST(bounded)
{
	struct starttls_reply r;
	size_t n = STARTTLS_MAX_REPLY + 10;
	char *big = xmalloc(n + 1);

	/* endless continuation lines, then one endless line */
	for (size_t i = 0; i + 6 <= n; i += 6)
		memcpy(big + i, "250-x\n", 6);
	big[n] = '\0';
	ck_assert_int_eq(starttls_reply_parse(STARTTLS_SMTP,
	    STARTTLS_STEP_CAPS, (unsigned char *)big, n, &r), -1);
	memset(big, 'a', n);
	memcpy(big, "250 ", 4);
	ck_assert_int_eq(starttls_reply_parse(STARTTLS_SMTP,
	    STARTTLS_STEP_CAPS, (unsigned char *)big, n, &r), -1);
	free(big);
}
END_TEST

START_TEST(conventions)
{
	int at_once;

	ck_assert_int_eq(starttls_port_proto(587, &at_once), STARTTLS_SMTP);
	ck_assert(!at_once);
	ck_assert_int_eq(starttls_port_proto(25, &at_once), STARTTLS_SMTP);
	ck_assert_int_eq(starttls_port_proto(993, &at_once), STARTTLS_IMAP);
	ck_assert(at_once);
	ck_assert_int_eq(starttls_port_proto(443, &at_once), STARTTLS_NONE);
	ck_assert_int_eq(starttls_usual_port(STARTTLS_SMTP, 1), 465);
	ck_assert_int_eq(starttls_parse_name("SMTP"), STARTTLS_SMTP);
	ck_assert_int_eq(starttls_parse_name("postgresql"),
	    STARTTLS_POSTGRES);
	ck_assert_int_eq(starttls_parse_name("gopher"), -1);
	ck_assert_int_eq(starttls_sniff((const unsigned char *)"220 x ESMTP",
	    11, 2525), STARTTLS_SMTP);
	ck_assert_int_eq(starttls_sniff((const unsigned char *)"220 x", 5,
	    21), STARTTLS_FTP);
	ck_assert_int_eq(starttls_sniff((const unsigned char *)"* OK x", 6,
	    1), STARTTLS_IMAP);
	ck_assert_int_eq(starttls_sniff((const unsigned char *)"HTTP/1.1", 8,
	    1), STARTTLS_NONE);

	struct mailsec_plan p;
	mailsec_plan(0, 0, 587, &p);
	ck_assert(p.proto == STARTTLS_SMTP && !p.asked);
	mailsec_plan(0, 0, 993, &p);
	ck_assert(p.proto == STARTTLS_NONE && p.app == STARTTLS_IMAP);
	mailsec_plan(-1, 0, 587, &p); /* https:// on 587: as asked */
	ck_assert(p.proto == STARTTLS_NONE && p.asked);
	mailsec_plan(STARTTLS_IMAP, 0, 993, &p);
	ck_assert(p.proto == STARTTLS_IMAP && p.asked);
}
END_TEST

/* --- whole exchanges against a scripted server -------------------------- */

struct script {
	int lfd;
	const char *const *lines; /* what to send, NULL ends; "<" reads a line */
	int conns;                /* connections to serve */
};

static void
read_line(int fd)
{
	char c;
	while (read(fd, &c, 1) == 1 && c != '\n')
		;
}

static void *
script_main(void *arg)
{
	struct script *s = arg;

	for (int k = 0; k < s->conns; k++) {
		int fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			return NULL;
		for (const char *const *l = s->lines; *l; l++) {
			if (strcmp(*l, "<") == 0)
				read_line(fd);
			else if (strcmp(*l, "NEXT") == 0)
				break; /* this connection ends here */
			else if (write(fd, *l, strlen(*l)) < 0)
				break;
		}
		/* skip past this connection's lines for the next one */
		while (*s->lines && strcmp(*s->lines, "NEXT") != 0)
			s->lines++;
		if (*s->lines)
			s->lines++;
		close(fd);
	}
	return NULL;
}

/* Run one netpath_open() with STARTTLS p against the script; returns the
 * fd or error, and the outcome. */
static int
exchange(enum starttls_proto p, const char *const *lines, int conns,
    int timeout_ms, enum starttls_outcome *out, char *reply, size_t cap)
{
	struct net_ctx ctx;
	struct net_addr a;
	struct starttls_state st;
	struct script s = { .lines = lines, .conns = conns };
	pthread_t th;
	int fd;

	s.lfd = checkutil_listener(&a);
	net_ctx_init(&ctx);
	starttls_state_init(&st, p, "good.test");
	ctx.starttls = &st;
	pthread_create(&th, NULL, script_main, &s);
	fd = netpath_open(&ctx, &a, now_ms() + timeout_ms);
	if (fd >= 0)
		net_close(&ctx, fd);
	shutdown(s.lfd, SHUT_RDWR);
	pthread_join(th, NULL);
	close(s.lfd);
	*out = starttls_state_outcome(&st);
	snprintf(reply, cap, "%s", st.reply);
	starttls_state_destroy(&st);
	net_ctx_destroy(&ctx);
	return fd;
}

START_TEST(smtp_yes_no_refused)
{
	static const char *const yes[] = { "220 mail ESMTP\r\n", "<",
		"250-mail\r\n250 STARTTLS\r\n", "<", "220 go ahead\r\n", "<",
		NULL };
	static const char *const none[] = { "220 mail ESMTP\r\n", "<",
		"250-mail\r\n250 SIZE 10\r\n", "<", NULL };
	static const char *const refused[] = { "220 mail ESMTP\r\n", "<",
		"250-mail\r\n250 STARTTLS\r\n", "<",
		"454 4.7.0 TLS not available\x1b[2J\r\n", "<", NULL };
	enum starttls_outcome o;
	char reply[160];

	ck_assert_int_ge(exchange(STARTTLS_SMTP, yes, 1, 5000, &o, reply,
	    sizeof reply), 0);
	ck_assert_int_eq(o, STARTTLS_OK);
	ck_assert_int_lt(exchange(STARTTLS_SMTP, none, 1, 5000, &o, reply,
	    sizeof reply), 0);
	ck_assert_int_eq(o, STARTTLS_NOT_OFFERED);
	ck_assert_int_lt(exchange(STARTTLS_SMTP, refused, 1, 5000, &o, reply,
	    sizeof reply), 0);
	ck_assert_int_eq(o, STARTTLS_REFUSED);
	/* the reply is sanitized before it is kept */
	ck_assert_ptr_null(strchr(reply, 0x1b));
	ck_assert_ptr_nonnull(strstr(reply, "454 4.7.0"));
}
END_TEST

START_TEST(busy_then_yes)
{
	static const char *const lines[] = {
		"421 Too many concurrent SMTP connections\r\n", "NEXT",
		"220 mail ESMTP\r\n", "<", "250-mail\r\n250 STARTTLS\r\n", "<",
		"220 go ahead\r\n", "<", NULL };
	enum starttls_outcome o;
	char reply[160];
	int64_t t0 = now_ms();

	ck_assert_int_ge(exchange(STARTTLS_SMTP, lines, 2, 5000, &o, reply,
	    sizeof reply), 0);
	ck_assert_int_eq(o, STARTTLS_OK);
	ck_assert_int_lt(now_ms() - t0, 4000);
}
END_TEST

START_TEST(tls_at_once_and_silence)
{
	static const char *const tls[] = { "<", NULL };
	static const char *const alert[] = { "\x15\x03\x03", NULL };
	enum starttls_outcome o;
	char reply[160];
	int64_t t0 = now_ms();

	/* LDAP speaks first; a TLS server answers with an alert */
	ck_assert_int_lt(exchange(STARTTLS_LDAP, alert, 1, 5000, &o, reply,
	    sizeof reply), 0);
	ck_assert_int_eq(o, STARTTLS_TLS_SPOKEN);
	/* SMTP waits for a greeting that never comes: bounded */
	ck_assert_int_eq(exchange(STARTTLS_SMTP, tls, 1, 600, &o, reply,
	    sizeof reply), NET_ERR_TIMEOUT);
	ck_assert_int_eq(o, STARTTLS_SILENT);
	ck_assert_int_lt(now_ms() - t0, 4000);
}
END_TEST

static Suite *
starttls_suite(void)
{
	Suite *s = suite_create("starttls");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, smtp_replies);
	tcase_add_test(tc, imap_pop3_replies);
	tcase_add_test(tc, binary_replies);
	tcase_add_test(tc, bounded);
	tcase_add_test(tc, conventions);
	suite_add_tcase(s, tc);
	tc = tcase_create("exchange");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, smtp_yes_no_refused);
	tcase_add_test(tc, busy_then_yes);
	tcase_add_test(tc, tls_at_once_and_silence);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return checkutil_run(starttls_suite());
}
