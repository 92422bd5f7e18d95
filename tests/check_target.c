/* check_target.c: what users type as a server, and --resolve. Tables of
 * good inputs with the host and port they must give, and bad inputs with
 * a word the plain-language cause must contain. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "checkutil.h"

static const struct {
	const char *in, *host;
	int port;
} good[] = {
	{ "example.org", "example.org", 443 },
	{ "EXAMPLE.Org", "example.org", 443 },
	{ "example.org.", "example.org", 443 },
	{ "  example.org \n", "example.org", 443 },
	{ "example.org:8443", "example.org", 8443 },
	{ "example.org:1", "example.org", 1 },
	{ "example.org:65535", "example.org", 65535 },
	{ "example.org/login?x=1", "example.org", 443 },
	{ "mail_1.intra-net.local", "mail_1.intra-net.local", 443 },
	{ "192.0.2.7", "192.0.2.7", 443 },
	{ "192.0.2.7:993", "192.0.2.7", 993 },
	{ "[2001:DB8::1]:8443", "2001:db8::1", 8443 },
	{ "[::1]", "::1", 443 },
	{ "2001:db8::1", "2001:db8::1", 443 },
	{ "::1", "::1", 443 },
	{ "[fe80::1%eth0]:443", "fe80::1%eth0", 443 },
	{ "https://example.org", "example.org", 443 },
	{ "https://Example.ORG./path/x?q=1#frag", "example.org", 443 },
	{ "HTTPS://example.org:8443/", "example.org", 8443 },
	{ "https://user:secret@example.org/", "example.org", 443 },
	{ "https://a@b@example.org:444", "example.org", 444 },
	{ "https://[2001:db8::5]:4443/x", "2001:db8::5", 4443 },
	{ "https://[::1]/", "::1", 443 },
	{ "imaps://mail.example.org", "mail.example.org", 993 },
	{ "smtps://mail.example.org", "mail.example.org", 465 },
	{ "ldaps://dir.example.org", "dir.example.org", 636 },
	{ "ftps://files.example.org", "files.example.org", 990 },
	{ "pop3s://mail.example.org", "mail.example.org", 995 },
	{ "imaps://mail.example.org:10993", "mail.example.org", 10993 },
	/* STARTTLS schemes, on curl's default ports */
	{ "ftp://example.org", "example.org", 21 },
	{ "smtp://mail.example.org", "mail.example.org", 25 },
	{ "smtp://mail.example.org:587", "mail.example.org", 587 },
	{ "IMAP://mail.example.org/INBOX", "mail.example.org", 143 },
	{ "pop3://mail.example.org", "mail.example.org", 110 },
	{ "ldap://dir.example.org", "dir.example.org", 389 },
	{ "xmpp://chat.example.org", "chat.example.org", 5222 },
	{ "postgres://db.example.org", "db.example.org", 5432 },
	/* IDN: the A-label, as browsers send it (UTS#46 maps case) */
	{ "b\xc3\xbc" "cher.example", "xn--bcher-kva.example", 443 },
	{ "B\xc3\x9c" "CHER.example", "xn--bcher-kva.example", 443 },
	{ "https://stra\xc3\x9f" "e.example/", "xn--strae-oqa.example", 443 },
	{ "XN--BCHER-KVA.example", "xn--bcher-kva.example", 443 },
	/* WHATWG: '\\' is '/' in https URLs; the last '@' ends userinfo */
	{ "https://evil.test\\@127.0.0.1/", "evil.test", 443 },
	{ "https://evil.test\\@127.0.0.1:444/", "evil.test", 443 },
	{ "https://a@b@good.test:8443/x", "good.test", 8443 },
	{ "https://u:p@[::1]:444/", "::1", 444 },
	{ "example.org/a?u=https://evil", "example.org", 443 },
};

static const struct {
	const char *in, *word; /* word: must appear in the cause */
} bad[] = {
	{ "", "no server" },
	{ "   ", "no server" },
	{ "http://example.org", "tlsmedic tests TLS" },
	{ "HTTP://example.org/", "unencrypted" },
	{ "gopher://example.org", "scheme" },
	{ "://example.org", "scheme" },
	{ "https://", "no server" },
	{ "https:///path", "no server" },
	{ "example.org:", "port number is missing" },
	{ "example.org:0", "out of range" },
	{ "example.org:65536", "out of range" },
	{ "example.org:99999999999999999999", "out of range" },
	{ "example.org:-1", "not a port" },
	{ "example.org:44x", "not a port" },
	{ "example.org: 443", "not a port" },
	{ ":443", "no server name" },
	{ "exa mple.org", "space" },
	{ "exa\x1b[2Jmple.org", "control" },
	{ "example..org", "empty part" },
	{ ".example.org", "empty part" },
	{ "example.org..", "empty part" },
	{ ".", "empty" },
	{ "exa!mple.org", "'!'" },
	{ "[2001:db8::1", "never closes" },
	{ "[2001:db8::1]x", "after ']'" },
	{ "[not-v6]:443", "not a valid IPv6" },
	{ "[2001:db8::1]:0", "out of range" },
	{ "2001:db8::zz", "brackets" },
	{ "https://2001:db8::1/", "brackets" },
	{ "999.1.1.1", "not a valid one" },
	{ "1.2.3", "not a valid one" },
	{ "user@example.org", "e-mail" },
	{ "https://example.org:abc/", "not a port" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  ".org", "63" },
};

START_TEST(target_good)
{
	struct target t;
	char *cause = NULL;
	int rc = target_parse(good[_i].in, &t, &cause);

	ck_assert_msg(rc == 0, "'%s' refused: %s", good[_i].in,
	    cause ? cause : "?");
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(t.host, good[_i].host);
	ck_assert_int_eq(t.port, good[_i].port);
	target_clear(&t);
	ck_assert_ptr_null(t.host);
}
END_TEST

START_TEST(target_bad)
{
	struct target t;
	char *cause = NULL;
	int rc = target_parse(bad[_i].in, &t, &cause);

	ck_assert_msg(rc == -1, "'%s' accepted as %s", bad[_i].in,
	    rc == 0 ? t.host : "?");
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_null(t.host);
	ck_assert_msg(strstr(cause, bad[_i].word) != NULL,
	    "cause for '%s' lacks '%s': %s", bad[_i].in, bad[_i].word, cause);
	/* the quoted input is sanitized: no raw control bytes */
	for (const char *p = cause; *p; p++)
		ck_assert_int_ge((unsigned char)*p, 0x20);
	free(cause);
}
END_TEST

START_TEST(target_null_and_long)
{
	struct target t;
	char *cause = NULL;
	char big[4000];

	ck_assert_int_eq(target_parse(NULL, &t, &cause), -1);
	free(cause);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(target_parse(big, &t, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "too long"));
	ck_assert_uint_lt(strlen(cause), 300); /* the quote is cut */
	free(cause);
}
END_TEST

static const struct {
	const char *in, *host, *addr;
	int port;
} rgood[] = {
	{ "example.org:443:192.0.2.1", "example.org", "192.0.2.1", 443 },
	{ "Example.ORG.:8443:192.0.2.1", "example.org", "192.0.2.1", 8443 },
	{ "example.org:443:[2001:DB8::1]", "example.org", "2001:db8::1", 443 },
	{ "example.org:443:2001:db8::1", "example.org", "2001:db8::1", 443 },
	{ "example.org:443:::1", "example.org", "::1", 443 },
	{ "[::1]:443:127.0.0.1", "::1", "127.0.0.1", 443 },
	/* several, as curl takes them: a round-robin name's servers */
	{ "example.org:443:192.0.2.1,192.0.2.2", "example.org",
	    "192.0.2.1,192.0.2.2", 443 },
	{ "example.org:443:[2001:DB8::1],192.0.2.1,::1", "example.org",
	    "2001:db8::1,192.0.2.1,::1", 443 },
};

static const struct {
	const char *in, *word;
} rbad[] = {
	{ "", "HOST:PORT:ADDRESS" },
	{ "example.org", "HOST:PORT:ADDRESS" },
	{ "example.org:443", "HOST:PORT:ADDRESS" },
	{ "example.org:443:", "address is missing" },
	{ "example.org::192.0.2.1", "port" },
	{ "example.org:0:192.0.2.1", "out of range" },
	{ "example.org:x:192.0.2.1", "not a port" },
	{ ":443:192.0.2.1", "no server name" },
	{ "example.org:443:www.example.net", "not an IP address" },
	{ "example.org:443:192.0.2.1,,192.0.2.2", "address is missing" },
	{ "example.org:443:192.0.2.1,", "address is missing" },
	{ "example.org:443:192.0.2.1,www.example.net", "not an IP address" },
	{ "example.org:443:1.0.0.1,1.0.0.2,1.0.0.3,1.0.0.4,1.0.0.5,1.0.0.6,"
	    "1.0.0.7,1.0.0.8,1.0.0.9", "at most 8" },
	{ "example.org:443:[2001:db8::1", "brackets" },
	{ "example.org:443:999.0.0.1", "not an IP address" },
	{ "exa mple.org:443:192.0.2.1", "space" },
};

START_TEST(resolve_good)
{
	struct resolve r;
	char *cause = NULL;
	int rc = resolve_parse(rgood[_i].in, &r, &cause);

	ck_assert_msg(rc == 0, "'%s' refused: %s", rgood[_i].in,
	    cause ? cause : "?");
	ck_assert_str_eq(r.host, rgood[_i].host);
	ck_assert_str_eq(r.addr, rgood[_i].addr);
	ck_assert_int_eq(r.port, rgood[_i].port);
	resolve_clear(&r);
}
END_TEST

START_TEST(resolve_bad)
{
	struct resolve r;
	char *cause = NULL;
	int rc = resolve_parse(rbad[_i].in, &r, &cause);

	ck_assert_msg(rc == -1, "'%s' accepted", rbad[_i].in);
	ck_assert_ptr_null(r.host);
	ck_assert_ptr_null(r.addr);
	ck_assert_msg(strstr(cause, rbad[_i].word) != NULL,
	    "cause for '%s' lacks '%s': %s", rbad[_i].in, rbad[_i].word,
	    cause);
	free(cause);
}
END_TEST

/* Random strings from the characters that matter to the parsers: never
 * a crash, and always either a result or a cause, never both. */
START_TEST(parse_random)
{
	static const char alphabet[] = "aZ09.-_:[]/@%?#hts \t\x1b\xc3\xa9\xff";
	unsigned seed = 12345;
	char buf[64];

	for (int iter = 0; iter < 20000; iter++) {
		struct target t;
		struct resolve r;
		char *cause = NULL;
		size_t n = (size_t)(rand_r(&seed) % 40);

		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
		buf[n] = '\0';
		if (iter % 3 == 0 && n > 8)
			memcpy(buf, "https://", 8);
		if (target_parse(buf, &t, &cause) == 0) {
			ck_assert_ptr_null(cause);
			ck_assert_ptr_nonnull(t.host);
			ck_assert(*t.host != '\0');
			ck_assert(t.port >= 1 && t.port <= 65535);
			for (const char *p = t.host; *p; p++)
				ck_assert(!strchr(" \t\x1b/?#@[]", *p));
			target_clear(&t);
		} else {
			ck_assert_ptr_nonnull(cause);
			ck_assert_ptr_null(t.host);
			free(cause);
		}
		cause = NULL;
		if (resolve_parse(buf, &r, &cause) == 0) {
			ck_assert_ptr_nonnull(r.host);
			ck_assert_ptr_nonnull(r.addr);
			resolve_clear(&r);
		} else {
			ck_assert_ptr_nonnull(cause);
			free(cause);
		}
	}
}
END_TEST

#define N(a) ((int)(sizeof a / sizeof *a))

int
main(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("core");
	TCase *edge = tcase_create("edge");

	tcase_add_loop_test(tc, target_good, 0, N(good));
	tcase_add_loop_test(tc, resolve_good, 0, N(rgood));
	tcase_add_loop_test(edge, target_bad, 0, N(bad));
	tcase_add_loop_test(edge, resolve_bad, 0, N(rbad));
	tcase_add_test(edge, target_null_and_long);
	tcase_add_test(edge, parse_random);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, edge);
	return checkutil_run(s);
}
