/* check_help.c: the advice texts (help/), help_render, --explain and the
 * man page. A finding without advice, or advice for no finding, fails. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "explain.h"
#include "finding.h"
#include "help.h"
#include "model.h"
#include "checkutil.h"

/* Entries that are not findings. */
static const char *const general[] = { "not-to-do", "handshake" };

/* Glossary entries: a word the wizard's screens use, one per check line
 * (term.<check key>), with only a title and a meaning. */
static int
is_term(const char *id)
{
	return strncmp(id, "term.", 5) == 0;
}

static int
is_general(const char *id)
{
	if (is_term(id))
		return 1;
	for (size_t i = 0; i < sizeof general / sizeof general[0]; i++)
		if (strcmp(general[i], id) == 0)
			return 1;
	return 0;
}

/* The source tree: make check runs the tests from its top. */
static const char *
srcdir(void)
{
	const char *d = getenv("TLSMEDIC_SRCDIR");
	return d != NULL ? d : ".";
}

static int
have_tool(const char *name)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

/* Reads a whole small file (caller frees), NULL if it cannot. */
static char *
slurp(FILE *fp)
{
	size_t cap = 4096, len = 0, n;
	char *s = malloc(cap);

	rewind(fp);
	while ((n = fread(s + len, 1, cap - len - 1, fp)) > 0) {
		len += n;
		if (cap - len < 2)
			s = realloc(s, cap *= 2);
	}
	s[len] = '\0';
	return s;
}

static int
max_line(const char *s)
{
	int max = 0, cur = 0;
	for (; *s; s++) {
		if (*s == '\n') {
			cur = 0;
			continue;
		}
		if (++cur > max)
			max = cur;
	}
	return max;
}

START_TEST(every_finding_has_advice)
{
	for (int i = 0; i < FINDING_COUNT; i++) {
		const char *id = finding_id_str((enum finding_id)i);
		ck_assert_msg(help_get(id) != NULL, "no help/%s.txt", id);
	}
	for (size_t i = 0; i < sizeof general / sizeof general[0]; i++)
		ck_assert_msg(help_get(general[i]) != NULL, "no help/%s.txt",
		    general[i]);
}
END_TEST

START_TEST(every_entry_is_known)
{
	size_t n;
	const struct help_entry *all = help_all(&n);

	ck_assert_uint_eq(n, FINDING_COUNT +
	    sizeof general / sizeof general[0] + CHECK_COUNT);
	for (int c = 0; c < CHECK_COUNT; c++) {
		char id[64];
		snprintf(id, sizeof id, "term.%s", check_key((enum check)c));
		ck_assert_msg(help_get(id) != NULL, "no help/%s.txt", id);
	}
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(finding_id_parse(all[i].id) >= 0 ||
		    is_general(all[i].id), "help/%s.txt is no finding id",
		    all[i].id);
	ck_assert_ptr_null(help_get("no.such"));
	ck_assert_ptr_null(help_get(NULL));
}
END_TEST

static void
assert_text(const char *id, const char *what, const char *s)
{
	ck_assert_msg(s != NULL && s[0] != '\0', "%s: empty %s", id, what);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		ck_assert_msg(c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f),
		    "%s: %s: byte 0x%02x", id, what, c);
		/* a tab only starts a verbatim line */
		ck_assert_msg(c != '\t' || p == s || p[-1] == '\n',
		    "%s: %s: tab inside a line", id, what);
	}
}

START_TEST(every_entry_has_all_parts)
{
	size_t n;
	const struct help_entry *all = help_all(&n);

	for (size_t i = 0; i < n; i++) {
		const struct help_entry *e = &all[i];
		assert_text(e->id, "title", e->title);
		ck_assert_msg(strchr(e->title, '\n') == NULL, "%s: title", e->id);
		assert_text(e->id, "meaning", e->meaning);
		if (is_term(e->id)) {
			/* a word, not advice: no steps to follow */
			ck_assert_str_eq(e->who, "");
			ck_assert_str_eq(e->steps, "");
			ck_assert_str_eq(help_first_step(e->id), "");
			continue;
		}
		assert_text(e->id, "who", e->who);
		assert_text(e->id, "steps", e->steps);
		assert_text(e->id, "check", e->check);
		ck_assert_ptr_nonnull(e->dont);
		ck_assert_msg(strncmp(e->steps, "1. ", 3) == 0, "%s: steps",
		    e->id);
		/* the check says how to run tlsmedic again */
		ck_assert_msg(strstr(e->check, "tlsmedic --batch HOST") != NULL,
		    "%s: check does not rerun tlsmedic", e->id);
		const char *first = help_first_step(e->id);
		ck_assert_msg(first[0] != '\0', "%s: no first step", e->id);
		ck_assert_ptr_null(strchr(first, '\n'));
		ck_assert(strncmp(e->steps + 3, first, strlen(first)) == 0);
		/* the first step of a finding fits the text report, and it
		 * stands alone: no "run this:" without the command */
		ck_assert_msg(strlen(first) <= 120, "%s: first step too long",
		    e->id);
		if (!is_general(e->id))
			ck_assert_msg(first[strlen(first) - 1] == '.',
			    "%s: first step is no sentence", e->id);
	}
	ck_assert_str_eq(help_first_step("no.such"), "");
}
END_TEST

/* Advice never tells anyone to switch off certificate checks. */
START_TEST(no_entry_disables_verification)
{
	static const char *const bad[] = { "--insecure", "verify=False",
		"-k ", "ssl_verify", "SSLVerify", "NODE_TLS_REJECT",
		"rejectUnauthorized", "CURLOPT_SSL_VERIFY", "Proceed anyway" };
	size_t n;
	const struct help_entry *all = help_all(&n);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
			const char *parts[] = { all[i].meaning, all[i].who,
				all[i].steps, all[i].check };
			for (size_t k = 0; k < 4; k++)
				ck_assert_msg(strstr(parts[k], bad[j]) == NULL,
				    "%s says %s", all[i].id, bad[j]);
		}
}
END_TEST

START_TEST(render_fits_width)
{
	static const int widths[] = { 1, 5, 12, 23, 24, 30, 40, 60, 72, 80,
		132 };
	size_t n;
	const struct help_entry *all = help_all(&n);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sizeof widths / sizeof widths[0]; j++) {
			char *s = help_render(&all[i], widths[j]);
			ck_assert_msg(max_line(s) <= widths[j],
			    "%s at %d: a line of %d", all[i].id, widths[j],
			    max_line(s));
			ck_assert(s[strlen(s) - 1] == '\n');
			free(s);
		}
	char *s = help_render(&all[0], 0);
	ck_assert_int_le(max_line(s), 1);
	free(s);
	s = help_render(NULL, 80);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* At 80 columns every command and configuration line is whole, so it can
 * be copied from the terminal as it is. */
START_TEST(render_keeps_verbatim_whole)
{
	size_t n;
	const struct help_entry *all = help_all(&n);

	for (size_t i = 0; i < n; i++) {
		const struct help_entry *e = &all[i];
		const char *parts[] = { e->meaning, e->who, e->steps, e->check,
			e->dont };
		char *s = help_render(e, 80);
		for (size_t k = 0; k < 5; k++)
			for (const char *p = parts[k]; p != NULL && *p;) {
				const char *eol = strchr(p, '\n');
				size_t len = eol ? (size_t)(eol - p) : strlen(p);
				if (*p == '\t') {
					char want[256];
					snprintf(want, sizeof want, " %.*s\n",
					    (int)len - 1, p + 1);
					ck_assert_msg(strstr(s, want) != NULL,
					    "%s: cut at 80: %s", e->id, want);
				}
				p = eol ? eol + 1 : NULL;
			}
		free(s);
	}
}
END_TEST

START_TEST(render_has_headings)
{
	const struct help_entry *e = help_get("cert.chain.incomplete");
	char *s = help_render(e, 80);

	ck_assert(strncmp(s, e->title, strlen(e->title)) == 0);
	ck_assert_ptr_nonnull(strstr(s, "\nWhat it means\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nWho has to act\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nWhat to do\n  1. "));
	ck_assert_ptr_nonnull(strstr(s, "\nHow to check it is fixed\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nWhat not to do\n"));
	/* configuration is kept whole and indented, never reflowed */
	ck_assert_ptr_nonnull(strstr(s, "\n         ssl_certificate     "
	    "/etc/ssl/example.org/fullchain.pem;\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n  2. "));
	free(s);

	/* no "What not to do" heading when there is nothing to say */
	struct help_entry x = *e;
	x.dont = "";
	s = help_render(&x, 80);
	ck_assert_ptr_null(strstr(s, "What not to do"));
	free(s);
}
END_TEST

START_TEST(render_layout)
{
	struct help_entry x = { "x", "A title", "One two three four five.",
		"Who.", "1. Step one is here.\n- Windows: click it\n"
		"\tverbatim  line;\n2. Step two.", "Again.", "" };
	char *s = help_render(&x, 80);

	ck_assert_str_eq(s, "A title\n=======\n\nWhat it means\n"
	    "  One two three four five.\n\nWho has to act\n  Who.\n\n"
	    "What to do\n  1. Step one is here.\n     - Windows: click it\n"
	    "         verbatim  line;\n\n  2. Step two.\n\n"
	    "How to check it is fixed\n  Again.\n");
	free(s);
	s = help_render(&x, 14);
	ck_assert_ptr_nonnull(strstr(s, "\nOne two three\nfour five.\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n1. Step one is\nhere.\n"));
	free(s);
}
END_TEST

START_TEST(explain_one_entry)
{
	FILE *fp = tmpfile();
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(explain_print(fp, "cert.expired"), 0);
	char *s = slurp(fp);
	fclose(fp);
	const struct help_entry *e = help_get("cert.expired");
	ck_assert(strncmp(s, e->title, strlen(e->title)) == 0);
	ck_assert_ptr_nonnull(strstr(s, "What to do"));
	ck_assert_ptr_nonnull(strstr(s, "tlsmedic --explain not-to-do"));
	ck_assert_int_le(max_line(s), 80);
	free(s);

	/* case does not matter */
	fp = tmpfile();
	ck_assert_int_eq(explain_print(fp, "Cert.Expired"), 0);
	s = slurp(fp);
	ck_assert(strncmp(s, e->title, strlen(e->title)) == 0);
	free(s);
	fclose(fp);
}
END_TEST

START_TEST(explain_list_and_groups)
{
	FILE *fp = tmpfile();
	ck_assert_int_eq(explain_print(fp, NULL), 0);
	char *s = slurp(fp);
	fclose(fp);
	size_t n;
	const struct help_entry *all = help_all(&n);
	for (size_t i = 0; i < n; i++) {
		char pat[64];
		char own[64]; /* a long id gets a line of its own */
		snprintf(pat, sizeof pat, "\n  %s ", all[i].id);
		snprintf(own, sizeof own, "\n  %s\n", all[i].id);
		ck_assert_msg(strstr(s, pat) != NULL || strstr(s, own) != NULL,
		    "list lacks %s", all[i].id);
	}
	/* grouped by who has to act */
	for (int o = 0; o < OWNER_COUNT; o++)
		ck_assert_ptr_nonnull(strstr(s, owner_title((enum owner)o)));
	ck_assert_ptr_nonnull(strstr(s, "\nBackground\n"));
	ck_assert(strstr(s, "For you") < strstr(s, "\n  clock.skew "));
	ck_assert(strstr(s, "For the site owner") < strstr(s,
	    "\n  cert.expired "));
	ck_assert_int_le(max_line(s), 80);
	free(s);

	fp = tmpfile();
	ck_assert_int_eq(explain_print(fp, "cert"), 0);
	s = slurp(fp);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(s, "cert.expired"));
	ck_assert_ptr_nonnull(strstr(s, "cert.chain.order"));
	ck_assert_ptr_null(strstr(s, "net.dns"));
	free(s);

	fp = tmpfile();
	ck_assert_int_eq(explain_print(fp, "cert.chain."), 0);
	s = slurp(fp);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(s, "cert.chain.order"));
	ck_assert_ptr_null(strstr(s, "cert.expired"));
	free(s);
}
END_TEST

START_TEST(explain_unknown)
{
	FILE *fp = tmpfile();
	ck_assert_int_eq(explain_print(fp, "no.such"), -1);
	ck_assert_int_eq(explain_print(fp, "."), -1);
	ck_assert_int_eq(explain_print(fp, "cer"), -1);
	ck_assert_int_eq(ftell(fp), 0); /* nothing printed */
	fclose(fp);
	ck_assert_str_eq(explain_suggest("cert.expird"), "cert.expired");
	ck_assert_str_eq(explain_suggest("net_dns"), "net.dns");
	ck_assert_str_eq(explain_suggest("handshak"), "handshake");
	ck_assert_ptr_null(explain_suggest("something else entirely"));
	ck_assert_ptr_null(explain_suggest(NULL));
	char longid[300];
	memset(longid, 'a', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	ck_assert_ptr_null(explain_suggest(longid));
}
END_TEST

/* The man page lists every finding with its owner and severity. */
START_TEST(man_lists_findings)
{
	char path[512];
	snprintf(path, sizeof path, "%s/man/tlsmedic.1", srcdir());
	FILE *fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	char *s = slurp(fp);
	fclose(fp);
	for (int i = 0; i < FINDING_COUNT; i++) {
		char line[128];
		enum finding_id f = (enum finding_id)i;
		snprintf(line, sizeof line, "\n.It Sy %s Pq %s , %s\n",
		    finding_id_str(f), owner_str(finding_default_owner(f)),
		    severity_str(finding_default_severity(f)));
		ck_assert_msg(strstr(s, line) != NULL, "man page lacks%s",
		    line);
	}
	free(s);
}
END_TEST

/* ... and every option of --help (cli.c's table), with its short form. */
START_TEST(man_lists_options)
{
	char path[512];
	snprintf(path, sizeof path, "%s/man/tlsmedic.1", srcdir());
	FILE *fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	char *s = slurp(fp);
	fclose(fp);
	size_t n;
	const struct cli_option *o = cli_options(&n);
	ck_assert_uint_gt(n, 10);
	for (size_t i = 0; i < n; i++) {
		char want[128];
		if (o[i].short_name)
			snprintf(want, sizeof want, "\n.It Fl %c ", o[i].short_name);
		else
			snprintf(want, sizeof want, "\n.It Fl -%s", o[i].name);
		ck_assert_msg(strstr(s, want) != NULL, "man page lacks an item "
		    "for --%s", o[i].name);
		snprintf(want, sizeof want, "Fl -%s", o[i].name);
		ck_assert_msg(strstr(s, want) != NULL, "man page lacks --%s",
		    o[i].name);
	}
	free(s);
}
END_TEST

static void
run_linter(const char *tool, const char *pre, const char *post)
{
	char cmd[1024], path[512];
	if (!have_tool(tool)) {
		fprintf(stderr, "check_help: %s missing, lint skipped\n", tool);
		return;
	}
	snprintf(path, sizeof path, "%s/man/tlsmedic.1", srcdir());
	snprintf(cmd, sizeof cmd, "%s'%s'%s", pre, path, post);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char *out = slurp(p);
	int rc = pclose(p);
	ck_assert_msg(rc == 0 && out[0] == '\0', "%s: rc %d:\n%s", cmd, rc,
	    out);
	free(out);
}

START_TEST(man_mandoc_lint)
{
	/* Lint what is ours. Whether the manuals we cross-reference (curl,
	 * openssl) are installed, and how old the man database is, depend on
	 * the host, not on our page. */
	run_linter("mandoc", "mandoc -T lint ",
	    " 2>&1 | grep -v -e 'mandoc\\.db' "
	    "-e 'referenced manual not found' ; exit 0");
	run_linter("mandoc", "mandoc -T lint -W warning ", " 2>&1");
}
END_TEST

START_TEST(man_groff_lint)
{
	run_linter("groff", "groff -man -ww -z ", " 2>&1");
	run_linter("groff", "groff -mandoc -ww -z ", " 2>&1");
}
END_TEST

/* Flesch-Kincaid grade of each entry's prose (GNU style, from diction). */
START_TEST(readability)
{
	char cmd[1024];
	if (!have_tool("style")) {
		fprintf(stderr, "check_help: style (diction) missing, "
		    "readability skipped\n");
		return;
	}
	snprintf(cmd, sizeof cmd, "'%s/tests/readability.sh' --max 9 "
	    "'%s'/help/*.txt >/dev/null 2>&1", srcdir(), srcdir());
	ck_assert_msg(system(cmd) == 0, "an entry is above grade 9: "
	    "run tests/readability.sh");
}
END_TEST

static Suite *
help_suite(void)
{
	Suite *s = suite_create("help");
	TCase *tc = tcase_create("entries");
	tcase_add_test(tc, every_finding_has_advice);
	tcase_add_test(tc, every_entry_is_known);
	tcase_add_test(tc, every_entry_has_all_parts);
	tcase_add_test(tc, no_entry_disables_verification);
	suite_add_tcase(s, tc);
	tc = tcase_create("render");
	tcase_add_test(tc, render_fits_width);
	tcase_add_test(tc, render_keeps_verbatim_whole);
	tcase_add_test(tc, render_has_headings);
	tcase_add_test(tc, render_layout);
	suite_add_tcase(s, tc);
	tc = tcase_create("explain");
	tcase_add_test(tc, explain_one_entry);
	tcase_add_test(tc, explain_list_and_groups);
	tcase_add_test(tc, explain_unknown);
	suite_add_tcase(s, tc);
	tc = tcase_create("docs");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, man_lists_findings);
	tcase_add_test(tc, man_lists_options);
	tcase_add_test(tc, man_mandoc_lint);
	tcase_add_test(tc, man_groff_lint);
	tcase_add_test(tc, readability);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return checkutil_run(help_suite());
}
