/* check_cli.c: the command line. A table of argument lists with the result
 * they must give (and a word of the cause for usage errors), then the
 * fields a few of them must set, and --help / --version. */
#include <check.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wolfssl/ssl.h>

#include "cli.h"
#include "checkutil.h"

#define MAXARGS 12

struct row {
	const char *argv[MAXARGS]; /* after "tlsmedic" */
	enum cli_result rc;
	const char *word; /* CLI_USAGE: in the cause */
};

static const struct row rows[] = {
	{ { "example.org" }, CLI_RUN, NULL },
	{ { "--batch", "example.org" }, CLI_RUN, NULL },
	{ { "example.org", "--json" }, CLI_RUN, NULL },
	{ { "-o", "r.txt", "--batch", "example.org" }, CLI_RUN, NULL },
	{ { "--output=r.txt", "example.org" }, CLI_RUN, NULL },
	{ { "--timeout", "1", "example.org" }, CLI_RUN, NULL },
	{ { "--timeout=300", "example.org" }, CLI_RUN, NULL },
	{ { "--sni", "other.example", "example.org" }, CLI_RUN, NULL },
	{ { "--no-sni", "example.org" }, CLI_RUN, NULL },
	{ { "--resolve", "example.org:443:192.0.2.1", "example.org" },
	    CLI_RUN, NULL },
	{ { "--resolve", "example.org:8443:[::1]", "https://example.org:8443/" },
	    CLI_RUN, NULL },
	{ { "--explain" }, CLI_RUN, NULL },
	{ { "--explain", "cert.expired" }, CLI_RUN, NULL },
	{ { "--explain=cert.expired" }, CLI_RUN, NULL },
	{ { "--explain", "--ascii" }, CLI_RUN, NULL },
	{ { "--demo" }, CLI_RUN, NULL },
	{ { "--demo=expired", "--json" }, CLI_RUN, NULL },
	{ { "--plain", "--ascii", "--no-color" }, CLI_RUN, NULL },
	{ { "--" , "example.org" }, CLI_RUN, NULL },
	{ { "-h" }, CLI_EXIT_OK, NULL },
	{ { "--help", "example.org" }, CLI_EXIT_OK, NULL },
	{ { "-V" }, CLI_EXIT_OK, NULL },
	{ { "--version" }, CLI_EXIT_OK, NULL },

	{ { "--frobnicate", "example.org" }, CLI_USAGE, "unknown" },
	{ { "-x", "example.org" }, CLI_USAGE, "'-x'" },
	{ { "--no", "example.org" }, CLI_USAGE, "ambiguous" },
	{ { "--batch=yes", "example.org" }, CLI_USAGE, "takes no value" },
	{ { "example.org", "-o" }, CLI_USAGE, "--output needs a value" },
	{ { "example.org", "--sni" }, CLI_USAGE, "--sni needs a value" },
	{ { "-o", "", "example.org" }, CLI_USAGE, "file name" },
	{ { "a.example", "b.example" }, CLI_USAGE, "one server at a time" },
	{ { "http://example.org" }, CLI_USAGE, "tlsmedic tests TLS" },
	{ { "example.org:0" }, CLI_USAGE, "out of range" },
	{ { "--batch" }, CLI_USAGE, "needs a server" },
	{ { "--json" }, CLI_USAGE, "--json needs a server" },
	{ { "--timeout", "0", "example.org" }, CLI_USAGE, "1 to 300" },
	{ { "--timeout", "301", "example.org" }, CLI_USAGE, "1 to 300" },
	{ { "--timeout", "5s", "example.org" }, CLI_USAGE, "'5s'" },
	{ { "--timeout", "-5", "example.org" }, CLI_USAGE, "1 to 300" },
	{ { "--timeout", "99999999999999999999", "example.org" }, CLI_USAGE,
	    "1 to 300" },
	{ { "--resolve", "example.org:443:192.0.2.1", "example.net" },
	    CLI_USAGE, "must match" },
	{ { "--resolve", "example.org:443:192.0.2.1", "example.org:8443" },
	    CLI_USAGE, "must match" },
	{ { "--batch", "--resolve", "example.org:443:192.0.2.1" }, CLI_USAGE,
	    "needs the server" },
	{ { "--resolve", "example.org:443", "example.org" }, CLI_USAGE,
	    "HOST:PORT:ADDRESS" },
	{ { "--sni", "a.example", "--no-sni", "example.org" }, CLI_USAGE,
	    "contradict" },
	{ { "--sni", "192.0.2.1", "example.org" }, CLI_USAGE, "host name" },
	{ { "--sni", "a.example:443", "example.org" }, CLI_USAGE,
	    "host name" },
	{ { "--sni", "a b", "example.org" }, CLI_USAGE, "--sni: " },
	{ { "--ca-file", "/nonexistent/ca.pem", "example.org" }, CLI_USAGE,
	    "no such file" },
	{ { "--ca-file", "/", "example.org" }, CLI_USAGE, "folder" },
	{ { "--explain", "--demo" }, CLI_USAGE, "do not go together" },
	{ { "--explain=cert.expired", "example.org" }, CLI_USAGE,
	    "takes no server" },
	{ { "--demo=expired", "example.org" }, CLI_USAGE, "takes no server" },
};

static int
argv_of(const char *const *in, char **argv)
{
	int n = 0;

	argv[n++] = (char *)"tlsmedic";
	while (n < MAXARGS && in[n - 1] != NULL) {
		argv[n] = (char *)in[n - 1];
		n++;
	}
	argv[n] = NULL;
	return n;
}

static enum cli_result
parse(const char *const *in, struct options *o, char **cause)
{
	char *argv[MAXARGS + 2];
	int argc = argv_of(in, argv);

	return cli_parse(argc, argv, o, cause);
}

START_TEST(cli_table)
{
	const struct row *r = &rows[_i];
	struct options o;
	char *cause = NULL;
	enum cli_result rc;

	/* --help and --version print on stdout: keep the log readable */
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
	unsetenv("NO_COLOR");
	rc = parse(r->argv, &o, &cause);
	ck_assert_msg(rc == r->rc, "row %d (%s ...): got %d, cause %s", _i,
	    r->argv[0], rc, cause ? cause : "(none)");
	if (rc == CLI_USAGE) {
		ck_assert_ptr_nonnull(cause);
		ck_assert_msg(strstr(cause, r->word) != NULL,
		    "row %d: cause lacks '%s': %s", _i, r->word, cause);
		ck_assert_ptr_nonnull(strstr(cause,
		    "\nTry 'tlsmedic --help'."));
		free(cause);
	} else
		ck_assert_ptr_null(cause);
	cli_free(&o);
}
END_TEST

START_TEST(cli_fields)
{
	static const char *const a1[] = { "-o", "out.json", "--json",
		"--timeout", "7", "--sni", "Other.Example.", "HTTPS://Example.org:8443/x",
		NULL };
	static const char *const a2[] = { "--resolve", "example.org:443:[::1]",
		"--no-sni", "--ascii", "--plain", "example.org", NULL };
	struct options o;
	char *cause = NULL;

	unsetenv("NO_COLOR");
	ck_assert_int_eq(parse(a1, &o, &cause), CLI_RUN);
	ck_assert_int_eq(o.json, 1);
	ck_assert_int_eq(o.batch, 1);
	ck_assert_str_eq(o.output, "out.json");
	ck_assert_int_eq(o.timeout_s, 7);
	ck_assert_str_eq(o.sni, "other.example");
	ck_assert_int_eq(o.have_target, 1);
	ck_assert_str_eq(o.target.host, "example.org");
	ck_assert_int_eq(o.target.port, 8443);
	ck_assert_int_eq(o.no_color, 0);
	cli_free(&o);

	/* parsing twice in one process works (getopt is reset) */
	ck_assert_int_eq(parse(a2, &o, &cause), CLI_RUN);
	ck_assert_int_eq(o.have_resolve, 1);
	ck_assert_str_eq(o.resolve.addr, "::1");
	ck_assert_int_eq(o.resolve.port, 443);
	ck_assert_int_eq(o.no_sni, 1);
	ck_assert_ptr_null(o.sni);
	ck_assert_int_eq(o.ascii, 1);
	ck_assert_int_eq(o.plain, 1);
	ck_assert_int_eq(o.batch, 0);
	ck_assert_int_eq(o.timeout_s, 10); /* the default */
	cli_free(&o);
}
END_TEST

START_TEST(cli_resolve_list_and_proxy)
{
	static const char *const a1[] = { "--resolve",
		"example.org:443:192.0.2.1,[2001:DB8::1],192.0.2.2",
		"--proxy", "socks5h://u:p@proxy.test:1080", "--noproxy", "a.test",
		"example.org", NULL };
	static const char *const bad[][5] = {
		{ "--resolve", "example.org:443:192.0.2.1,", "example.org" },
		{ "--resolve", "example.org:443:192.0.2.1,host.test",
		    "example.org" },
		{ "--resolve", "example.org:443:1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,"
		    "1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,1.1.1.9", "example.org" },
		{ "--proxy", "socks4://p:1", "example.org" },
		{ "--proxy", "http://p:70000", "example.org" },
	};
	static const char *const none[] = { "--proxy", "", "example.org",
		NULL };
	struct options o;
	char *cause = NULL;

	ck_assert_int_eq(parse(a1, &o, &cause), CLI_RUN);
	ck_assert_str_eq(o.resolve.addr, "192.0.2.1,2001:db8::1,192.0.2.2");
	ck_assert_str_eq(o.proxy, "socks5h://u:p@proxy.test:1080");
	ck_assert_str_eq(o.noproxy, "a.test");
	cli_free(&o);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(parse(bad[i], &o, &cause) == CLI_USAGE, "%s %s",
		    bad[i][0], bad[i][1]);
		free(cause);
		cause = NULL;
	}
	ck_assert_int_eq(parse(none, &o, &cause), CLI_RUN);
	ck_assert_str_eq(o.proxy, "");
	cli_free(&o);
}
END_TEST

START_TEST(cli_explain_demo)
{
	static const char *const a1[] = { "--explain", NULL };
	static const char *const a2[] = { "--explain", "sni.required", NULL };
	static const char *const a3[] = { "--explain=cert.expired", NULL };
	static const char *const a4[] = { "--explain", "--no-color", NULL };
	static const char *const a5[] = { "--demo", NULL };
	static const char *const a6[] = { "--demo=list", NULL };
	static const char *const a7[] = { "--demo", "expired", "--json", NULL };
	struct options o;
	char *cause = NULL;

	ck_assert_int_eq(parse(a1, &o, &cause), CLI_RUN);
	ck_assert_int_eq(o.explain, 1);
	ck_assert_ptr_null(o.explain_id);
	ck_assert_int_eq(o.have_target, 0);
	cli_free(&o);
	ck_assert_int_eq(parse(a2, &o, &cause), CLI_RUN);
	ck_assert_str_eq(o.explain_id, "sni.required");
	ck_assert_int_eq(o.have_target, 0);
	cli_free(&o);
	ck_assert_int_eq(parse(a3, &o, &cause), CLI_RUN);
	ck_assert_str_eq(o.explain_id, "cert.expired");
	cli_free(&o);
	ck_assert_int_eq(parse(a4, &o, &cause), CLI_RUN);
	ck_assert_ptr_null(o.explain_id);
	ck_assert_int_eq(o.no_color, 1);
	cli_free(&o);
	ck_assert_int_eq(parse(a5, &o, &cause), CLI_RUN);
	ck_assert_int_eq(o.demo, 1);
	ck_assert_ptr_null(o.demo_scenario);
	cli_free(&o);
	ck_assert_int_eq(parse(a6, &o, &cause), CLI_RUN);
	ck_assert_str_eq(o.demo_scenario, "list");
	cli_free(&o);
	ck_assert_int_eq(parse(a7, &o, &cause), CLI_RUN);
	ck_assert_str_eq(o.demo_scenario, "expired");
	ck_assert_int_eq(o.json, 1);
	cli_free(&o);
}
END_TEST

START_TEST(cli_no_color_env)
{
	static const char *const a[] = { "example.org", NULL };
	struct options o;
	char *cause = NULL;

	setenv("NO_COLOR", "", 1); /* empty does not count */
	ck_assert_int_eq(parse(a, &o, &cause), CLI_RUN);
	ck_assert_int_eq(o.no_color, 0);
	cli_free(&o);
	setenv("NO_COLOR", "1", 1);
	ck_assert_int_eq(parse(a, &o, &cause), CLI_RUN);
	ck_assert_int_eq(o.no_color, 1);
	cli_free(&o);
	unsetenv("NO_COLOR");
}
END_TEST

START_TEST(cli_ca_file)
{
	char path[] = "/tmp/check_cli_XXXXXX";
	int fd = mkstemp(path);
	const char *a[] = { "--ca-file", path, "example.org", NULL };
	struct options o;
	char *cause = NULL;

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(parse(a, &o, &cause), CLI_RUN);
	ck_assert_str_eq(o.ca_file, path);
	cli_free(&o);
	unlink(path);
	ck_assert_int_eq(parse(a, &o, &cause), CLI_USAGE);
	ck_assert_ptr_nonnull(strstr(cause, "no such file"));
	free(cause);
}
END_TEST

/* Terminal escapes in argv must not reach the terminal via the cause. */
START_TEST(cli_hostile_args)
{
	static const char *const a1[] = { "--\x1b]0;owned\x07", NULL };
	static const char *const a2[] = { "--timeout", "\x1b[2J", "x.org",
		NULL };
	static const char *const a3[] = { "exa\x1b[31mmple.org", NULL };
	const char *const *all[] = { a1, a2, a3 };
	struct options o;

	for (size_t i = 0; i < 3; i++) {
		char *cause = NULL;

		ck_assert_int_eq(parse(all[i], &o, &cause), CLI_USAGE);
		for (const char *p = cause; *p; p++)
			ck_assert(*p == '\n' || (unsigned char)*p >= 0x20);
		ck_assert_ptr_null(strchr(cause, '\x1b'));
		free(cause);
	}
}
END_TEST

static char *
capture(void (*fn)(FILE *))
{
	FILE *fp = tmpfile();
	char *buf = calloc(1, 65536);
	size_t n;

	ck_assert_ptr_nonnull(fp);
	fn(fp);
	rewind(fp);
	n = fread(buf, 1, 65535, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

START_TEST(cli_help_matches_table)
{
	char *h = capture(cli_usage);
	const struct cli_option *opts;
	size_t n;
	char needle[64];

	opts = cli_options(&n);
	ck_assert_uint_ge(n, 15);
	for (size_t i = 0; i < n; i++) {
		snprintf(needle, sizeof needle, "--%s", opts[i].name);
		ck_assert_msg(strstr(h, needle) != NULL, "%s not in --help",
		    needle);
		if (opts[i].short_name) {
			snprintf(needle, sizeof needle, "-%c, --%s",
			    opts[i].short_name, opts[i].name);
			ck_assert_ptr_nonnull(strstr(h, needle));
		}
	}
	ck_assert_ptr_nonnull(strstr(h, "--demo[=SCENARIO]"));
	ck_assert_ptr_nonnull(strstr(h, "--explain [ID]"));
	ck_assert_ptr_nonnull(strstr(h, "--resolve HOST:PORT:ADDR"));
	/* fits 80 columns, ASCII only */
	for (char *line = h, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(nl - line <= 79, "long help line: %.*s",
		    (int)(nl - line), line);
		for (char *p = line; p < nl; p++)
			ck_assert((unsigned char)*p >= 0x20 &&
			    (unsigned char)*p < 0x7f);
	}
	free(h);
}
END_TEST

START_TEST(cli_version_text)
{
	char *v = capture(cli_version);
	char *want = NULL;

	ck_assert_int_gt(asprintf(&want, "tlsmedic %s (wolfSSL %s)\n",
	    TLSMEDIC_VERSION, wolfSSL_lib_version()), 0);
	ck_assert_str_eq(v, want);
	ck_assert_ptr_nonnull(strstr(v, "5."));
	free(want);
	free(v);
}
END_TEST

#define N(a) ((int)(sizeof a / sizeof *a))

int
main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("core");
	TCase *edge = tcase_create("edge");

	tcase_add_loop_test(tc, cli_table, 0, N(rows));
	tcase_add_test(tc, cli_fields);
	tcase_add_test(tc, cli_explain_demo);
	tcase_add_test(tc, cli_resolve_list_and_proxy);
	tcase_add_test(tc, cli_no_color_env);
	tcase_add_test(tc, cli_help_matches_table);
	tcase_add_test(tc, cli_version_text);
	tcase_add_test(edge, cli_ca_file);
	tcase_add_test(edge, cli_hostile_args);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, edge);
	return checkutil_run(s);
}
