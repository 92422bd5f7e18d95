/* plain.c: the --plain face (see plain.h). The same steps as the ncurses
 * wizard, asked one numbered question at a time. Robust to EOF: an
 * unanswered question counts as skipped, and EOF at a menu quits. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flow.h"
#include "lab.h"
#include "plain.h"
#include "report.h"
#include "text.h"
#include "util.h"

#define PLAIN_WIDTH 78

static volatile sig_atomic_t plain_signal;

static void
plain_on_signal(int sig)
{
	plain_signal = sig;
}

/* stdin read by hand, not stdio: poll() must see what is left unread. */
struct linein {
	char buf[4096];
	size_t len;
	int eof;
};

static int
have_line(const struct linein *in)
{
	return memchr(in->buf, '\n', in->len) != NULL;
}

/* One line without its newline (caller frees); NULL at EOF or signal. */
static char *
read_line(struct linein *in)
{
	for (;;) {
		char *nl = memchr(in->buf, '\n', in->len);

		if (nl != NULL || (in->eof && in->len > 0) ||
		    in->len == sizeof in->buf) {
			size_t n = nl ? (size_t)(nl - in->buf) : in->len;
			char *raw = xstrndup(in->buf, n);
			size_t take = nl ? n + 1 : n;

			memmove(in->buf, in->buf + take, in->len - take);
			in->len -= take;
			if (n > 0 && raw[n - 1] == '\r')
				raw[n - 1] = '\0';
			return raw;
		}
		if (in->eof || plain_signal)
			return NULL;
		ssize_t r = read(0, in->buf + in->len, sizeof in->buf - in->len);
		if (r > 0)
			in->len += (size_t)r;
		else if (r == 0 || (errno != EINTR && errno != EAGAIN))
			in->eof = 1;
	}
}

static void
say(const struct session *s, const char *text)
{
	struct strbuf b = { 0 };
	char *t = text_fold(text, s->ascii);

	text_wrap(&b, t, PLAIN_WIDTH, 0);
	fputs(b.s ? b.s : "\n", stdout);
	strbuf_free(&b);
	free(t);
	fflush(stdout);
}

static void
prompt(const char *p)
{
	fputs(p, stdout);
	fflush(stdout);
}

/* Ask a numbered question; returns the 0-based choice, or def when the
 * answer is empty, missing (EOF) or still unclear after three tries. */
static int
ask_choice(struct linein *in, const char *question,
    const char *const *choices, int n, int def)
{
	struct strbuf b = { 0 };

	strbuf_printf(&b, "%s\n", question);
	for (int i = 0; i < n; i++)
		strbuf_printf(&b, "  %d) %s\n", i + 1, choices[i]);
	strbuf_printf(&b, "Type a number and press Enter (just Enter: %d): ",
	    def + 1);
	for (int tries = 0; tries < 3; tries++) {
		char *line;
		int c;

		prompt(b.s);
		if ((line = read_line(in)) == NULL) {
			fputs("\n", stdout);
			break;
		}
		c = *line == '\0' ? def + 1 : atoi(line);
		if (line[0] == 'y' || line[0] == 'Y')
			c = 1;
		free(line);
		if (c >= 1 && c <= n) {
			strbuf_free(&b);
			return c - 1;
		}
		fputs("Please type one of the numbers.\n", stdout);
	}
	strbuf_free(&b);
	return def;
}

static int
ask_site(struct session *s, struct linein *in)
{
	say(s, "Step 1 of 4: The site");
	for (int tries = 0; tries < 5; tries++) {
		char *line, *cause = NULL;

		prompt("Which site does not work? Type its name (example.org) "
		    "or paste its address, then press Enter: ");
		if ((line = read_line(in)) == NULL) {
			fputs("\n", stdout);
			return -1;
		}
		if (session_set_target(s, line, &cause) == 0) {
			free(line);
			return 0;
		}
		free(line);
		char *c = session_str(s, cause);
		printf("That did not work: %s\n", c);
		free(c);
		free(cause);
	}
	return -1;
}

static int
ask_scenario(struct session *s, struct linein *in)
{
	size_t n;
	const struct lab_scenario *sc = lab_scenarios(&n);
	const char **names = xcalloc(n + 1, sizeof *names);
	char **folded = xcalloc(n + 1, sizeof *folded);
	int c, rc = -1;
	char *cause = NULL;

	say(s, "The practice lab: each site runs on this computer only and "
	    "has one classic mistake.");
	for (size_t i = 0; i < n; i++)
		names[i] = folded[i] = text_fold(sc[i].title, s->ascii);
	names[n] = "Quit";
	c = ask_choice(in, "Which practice site?", names, (int)n + 1,
	    (int)n);
	if (c < (int)n) {
		if (session_set_scenario(s, sc[c].name, &cause) == 0)
			rc = 0;
		else {
			char *t = session_str(s, cause);
			printf("Could not start it: %s\n", t);
			free(t);
			free(cause);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(folded[i]);
	free(folded);
	free(names);
	return rc;
}

static void
ask_app(struct session *s, struct linein *in)
{
	static const char *const apps[] = { "A web browser", "A mail app",
		"Another program", "Not sure" };
	static const enum app_kind kinds[] = { APP_BROWSER, APP_MAIL,
		APP_OTHER, APP_UNKNOWN };

	s->answers.app = kinds[ask_choice(in,
	    "What fails to connect? (you may skip this)", apps, 4, 3)];
}

static void print_results(struct session *s);
static void results_menu(struct session *s, struct linein *in);

/* "A mail app": the incoming and the outgoing server; Enter takes the
 * site typed first with the usual port and security. */
static void
ask_mail(struct session *s, struct linein *in)
{
	static const char *const q[2][2] = {
		{ "Incoming mail server (for reading mail). Type its name, or "
		  "just press Enter for ", " (IMAP, port 993, SSL/TLS): " },
		{ "Outgoing mail server (SMTP, for sending). Type its name, or "
		  "just press Enter for ", " (port 587, STARTTLS): " },
	};
	char *site = session_str(s, s->target.host);

	printf("\n");
	say(s, "A mail app has two servers: one to read mail and one to send "
	    "it. tlsmedic checks both. A name is enough; name:port or an "
	    "address like imaps://mail.example.org works too.");
	for (int k = 0; k < 2; k++) {
		for (int tries = 0; tries < 5; tries++) {
			char *line, *cause = NULL;

			printf("%s%s%s", q[k][0], site, q[k][1]);
			fflush(stdout);
			if ((line = read_line(in)) == NULL)
				line = xstrdup("");
			int rc = mail_plan_add(&s->mail, k, line, site,
			    &cause);
			free(line);
			if (rc == 0)
				break;
			char *c = session_str(s, cause);
			printf("That did not work: %s\n", c);
			free(c);
			free(cause);
		}
	}
	free(site);
}

static void
print_mail_title(struct session *s)
{
	char *t = mail_server_title(&s->mail.srv[s->mail.cur]);
	char *u = session_str(s, t);

	printf("\n== %s\n", u);
	free(u);
	free(t);
}

/* Every server's results, then a menu per server. */
static void
mail_results(struct session *s, struct linein *in)
{
	for (;;) {
		char *line;

		printf("\nWhich server's results? Type its number, or q to "
		    "quit:\n");
		for (int i = 0; i < s->mail.n; i++) {
			char *t = mail_server_title(&s->mail.srv[i]);
			char *u = session_str(s, t);
			printf("  %d) %s\n", i + 1, u);
			free(u);
			free(t);
		}
		printf("Your choice: ");
		fflush(stdout);
		if ((line = read_line(in)) == NULL) {
			fputs("\n", stdout);
			return;
		}
		int num = atoi(line);
		char c = line[0];
		free(line);
		if (c == 'q' || c == 'Q')
			return;
		if (num < 1 || num > s->mail.n) {
			printf("Please type one of the numbers shown.\n");
			continue;
		}
		session_mail_show(s, num - 1);
		print_mail_title(s);
		print_results(s);
		results_menu(s, in);
	}
}

static void
ask_computer(struct session *s, struct linein *in, int want_app)
{
	static const char *const yn[] = { "Yes", "No", "Don't know (skip)" };
	static const enum tri tris[] = { TRI_YES, TRI_NO, TRI_UNKNOWN };
	static const char *const qs[] = {
		"Does the site open in another browser?",
		"Are you on a work or school network?",
		"Do you run antivirus or a VPN that inspects web traffic?",
	};
	enum tri *slots[] = { &s->answers.other_browser_ok,
		&s->answers.work_network, &s->answers.inspecting_av };

	printf("\n");
	say(s, "Step 2 of 4: Your computer");
	say(s, "The server is being checked in the background meanwhile. "
	    "Only you know the answers to these questions; they help tell "
	    "who must act. Skip any you are not sure of.");
	if (want_app)
		ask_app(s, in);
	/* A mail app has no "other browser" to try. */
	for (int i = s->answers.app == APP_MAIL ? 1 : 0; i < 3; i++)
		*slots[i] = tris[ask_choice(in, qs[i], yn, 3, 2)];
}

static void
print_check(const struct session *s, enum check c)
{
	printf("%s %s: %s\n", text_state_tag(s->states[c]), check_title(c),
	    text_state_words(s->states[c]));
}

static void
run_checks(struct session *s, struct linein *in)
{
	int shown[CHECK_COUNT] = { 0 };
	int interactive = isatty(0);
	int64_t last = now_ms();

	printf("\n");
	say(s, "Step 3 of 4: The server");
	say(s, interactive ? "Checking... press Enter to stop the checks." :
	    "Checking...");
	while (s->diag != NULL) {
		struct pollfd pfd[2] = {
			{ .fd = session_wake_fd(s), .events = POLLIN },
			{ .fd = interactive && !in->eof ? 0 : -1,
			    .events = POLLIN },
		};

		if (poll(pfd, 2, 100) < 0 && errno != EINTR)
			break;
		if (plain_signal) {
			session_cancel(s);
			plain_signal = 0;
		}
		if (interactive && ((pfd[1].revents & (POLLIN | POLLHUP)) ||
		    have_line(in))) {
			char *l = read_line(in);
			free(l);
			if (!s->cancelled)
				say(s, "Stopping the checks...");
			session_cancel(s);
		}
		session_poll(s);
		for (int c = 0; c < CHECK_COUNT; c++)
			if (!shown[c] && s->states[c] >= CHECK_PASSED &&
			    s->diag != NULL) {
				print_check(s, (enum check)c);
				shown[c] = 1;
			}
		if (s->diag != NULL && now_ms() - last >= 5000) {
			say(s, "Still checking...");
			last = now_ms();
		}
		fflush(stdout);
	}
	/* The final states come with the report. */
	for (int c = 0; c < CHECK_COUNT; c++)
		if (!shown[c])
			print_check(s, (enum check)c);
}

static size_t
ordered(const struct session *s, const struct finding **out, size_t max)
{
	const struct report *r = s->report;
	size_t n = 0;

	for (int o = 0; r != NULL && o < OWNER_COUNT; o++)
		for (size_t i = 0; i < r->nfindings && n < max; i++)
			if ((int)r->findings[i].owner == o)
				out[n++] = &r->findings[i];
	return n;
}

static void
print_results(struct session *s)
{
	const struct finding *fs[64];
	size_t nf = ordered(s, fs, 64);
	char *h = text_headline(s);

	printf("\n");
	say(s, "Step 4 of 4: Results");
	say(s, h);
	free(h);
	if (s->report != NULL && s->report->clients_note != NULL) {
		char *note = session_str(s, s->report->clients_note);
		say(s, note);
		free(note);
	}
	for (int o = 0; o < OWNER_COUNT; o++) {
		int any = 0;

		printf("\n%s:\n", owner_title((enum owner)o));
		for (size_t i = 0; i < nf; i++) {
			struct strbuf b = { 0 }, w = { 0 };
			char *t, *sum;

			if ((int)fs[i]->owner != o)
				continue;
			any = 1;
			t = text_fold(text_finding_title(fs[i]), s->ascii);
			sum = session_str(s, fs[i]->summary);
			strbuf_printf(&b, "  %zu. %s %s (%s)", i + 1,
			    text_severity_tag(fs[i]->severity), t,
			    finding_id_str(fs[i]->id));
			text_wrap(&w, b.s, PLAIN_WIDTH, 7);
			strbuf_free(&b);
			strbuf_printf(&b, "       %s", sum);
			text_wrap(&w, b.s, PLAIN_WIDTH, 7);
			fputs(w.s, stdout);
			strbuf_free(&w);
			free(t);
			free(sum);
			strbuf_free(&b);
		}
		if (!any)
			printf("  Nothing to do.\n");
	}
	fflush(stdout);
}

static void
plain_save(struct session *s, struct linein *in, enum save_kind k)
{
	char *def = session_save_name(s, k), *path = NULL, *cause = NULL;
	int failed = 0;

	for (;;) {
		char *line, *p;
		int rc;

		if (failed)
			printf("Type another file name, or just Enter to give "
			    "up: ");
		else
			printf("File name (just Enter: %s): ", def);
		fflush(stdout);
		if ((line = read_line(in)) == NULL) {
			fputs("\nNot saved.\n", stdout);
			break;
		}
		if (*line == '\0' && failed) {
			free(line);
			fputs("Not saved.\n", stdout);
			break;
		}
		free(path);
		path = *line ? line : xstrdup(def);
		if (*line == '\0')
			free(line);
		rc = session_save(s, k, path, 0, &cause);
		if (rc == -2) {
			p = session_str(s, cause);
			printf("%s\n", p);
			free(p);
			free(cause);
			break;
		}
		if (rc == 1 || rc == 2) {
			p = session_str(s, path);
			printf(rc == 2 ? "%s is a symbolic link. Write "
			    "through it to the file it points to? (y/N): " :
			    "%s already exists. Replace it? (y/N): ", p);
			free(p);
			fflush(stdout);
			char *a = read_line(in);
			int yes = a != NULL && (a[0] == 'y' || a[0] == 'Y');
			free(a);
			if (!yes) {
				printf("Kept the old file.\n");
				failed = 1;
				continue;
			}
			rc = session_save(s, k, path, rc == 2 ?
			    REPORT_SAVE_REPLACE | REPORT_SAVE_FOLLOW :
			    REPORT_SAVE_REPLACE, &cause);
		}
		char *where = session_str(s, path); /* typed: may hold ESC */
		if (rc == 0) {
			printf("Saved to %s\n", where);
			free(where);
			break;
		}
		p = session_str(s, cause ? cause : "unknown error");
		printf("Could not save to %s: %s.\n", where, p);
		free(where);
		free(p);
		free(cause);
		cause = NULL;
		failed = 1;
	}
	free(path);
	free(def);
	fflush(stdout);
}

static void
page(struct session *s, char *text)
{
	char *t = text_fold(text, s->ascii);

	printf("\n%s\n", t);
	free(t);
	free(text);
	fflush(stdout);
}

static void
results_menu(struct session *s, struct linein *in)
{
	const struct finding *fs[64];
	size_t nf = ordered(s, fs, 64);

	for (;;) {
		char *line;

		printf("\nWhat next?%s\n  n) what not to do\n  d) details "
		    "for experts\n  t) save the report as text\n  j) save the "
		    "report as JSON\n  m) save a message for the site owner\n"
		    "  q) quit\nYour choice: ", nf > 0 ? " Type a problem's "
		    "number to read its advice, or:" : "");
		fflush(stdout);
		if ((line = read_line(in)) == NULL) {
			fputs("\n", stdout);
			return;
		}
		int num = atoi(line);
		char c = line[0];
		free(line);
		if (num >= 1 && (size_t)num <= nf)
			page(s, text_advice(s, fs[num - 1], PLAIN_WIDTH));
		else if (c == 'n' || c == 'N') {
			printf("\nWhat not to do\n");
			page(s, text_not_to_do(s, PLAIN_WIDTH));
		}
		else if (c == 'd' || c == 'D')
			page(s, text_details(s, PLAIN_WIDTH));
		else if (c == 't' || c == 'T')
			plain_save(s, in, SAVE_TEXT);
		else if (c == 'j' || c == 'J')
			plain_save(s, in, SAVE_JSON);
		else if (c == 'm' || c == 'M')
			plain_save(s, in, SAVE_OWNER);
		else if (c == 'q' || c == 'Q')
			return;
		else if (c == '?' || c == 'h')
			page(s, text_help(s, PLAIN_WIDTH));
		else
			printf("Please type one of the letters or numbers "
			    "shown.\n");
	}
}

int
plain_run(struct session *s, int have_target)
{
	struct linein in = { .len = 0 };
	struct sigaction sa;
	int status;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = plain_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	say(s, "tlsmedic: why does a secure connection fail, and who can "
	    "fix it? It only looks; it changes nothing.");
	if (!have_target) {
		int rc = s->lab != NULL ? ask_scenario(s, &in) :
		    ask_site(s, &in);
		if (rc != 0) {
			say(s, "No site was given, so there is nothing to "
			    "check.");
			return 3;
		}
		if (s->lab == NULL)
			ask_app(s, &in);
		if (s->lab == NULL && s->answers.app == APP_MAIL)
			ask_mail(s, &in);
	}
	session_mail_begin(s);
	session_start(s);
	ask_computer(s, &in, have_target || s->lab != NULL);
	if (plain_signal)
		session_cancel(s);
	if (s->mail.n > 0)
		print_mail_title(s);
	run_checks(s, &in);
	session_apply(s);
	if (s->mail.n > 0) {
		/* One server after the other; the worst status counts. */
		int worst = session_exit_status(s);
		print_results(s);
		while (!plain_signal && session_mail_next(s)) {
			print_mail_title(s);
			run_checks(s, &in);
			session_apply(s);
			print_results(s);
			int st = session_exit_status(s);
			if (st > worst)
				worst = st;
		}
		if (!plain_signal)
			mail_results(s, &in);
		session_discard(s);
		return plain_signal ? 128 + plain_signal : worst;
	}
	print_results(s);
	if (!plain_signal)
		results_menu(s, &in);
	status = session_exit_status(s);
	session_discard(s);
	return plain_signal ? 128 + plain_signal : status;
}
