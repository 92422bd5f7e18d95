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

/* What a prompt's answer may be besides its own: the commands every
 * prompt takes, as in the full-screen wizard. */
enum { ANS_QUIT = -2, ANS_BACK = -3, ANS_EOF = -4 };

static void
plain_help(const struct session *s)
{
	char *h = text_help_for(s, PLAIN_WIDTH, 1);
	char *t = text_fold(h, s->ascii);

	printf("\n%s\n", t);
	free(t);
	free(h);
	fflush(stdout);
}

/* "q", "?", "b" (and "h", "back", "quit", "help") as commands; 0 when the
 * line is none of them. Help is shown here. */
static int
command(const struct session *s, const char *line)
{
	if (strcmp(line, "q") == 0 || strcmp(line, "Q") == 0 ||
	    strcmp(line, "quit") == 0)
		return ANS_QUIT;
	if (strcmp(line, "b") == 0 || strcmp(line, "B") == 0 ||
	    strcmp(line, "back") == 0)
		return ANS_BACK;
	if (strcmp(line, "?") == 0 || strcmp(line, "h") == 0 ||
	    strcmp(line, "help") == 0) {
		plain_help(s);
		return 1;
	}
	return 0;
}

static const char commands_hint[] = "(q quit, ? help, b back)";

/* Ask a numbered question; returns the 0-based choice, or def when the
 * answer is empty, missing (EOF) or still unclear after three tries, or
 * ANS_QUIT / ANS_BACK. */
static int
ask_choice(const struct session *s, struct linein *in, const char *question,
    const char *const *choices, int n, int def)
{
	struct strbuf b = { 0 };

	strbuf_printf(&b, "%s\n", question);
	for (int i = 0; i < n; i++)
		strbuf_printf(&b, "  %d) %s\n", i + 1, choices[i]);
	strbuf_printf(&b, "Type a number and press Enter (just Enter: %d) "
	    "%s: ", def + 1, commands_hint);
	for (int tries = 0; tries < 3;) {
		char *line;
		int c, cmd;

		prompt(b.s);
		if ((line = read_line(in)) == NULL) {
			fputs("\n", stdout);
			break;
		}
		if ((cmd = command(s, line)) != 0) {
			free(line);
			if (cmd < 0) {
				strbuf_free(&b);
				return cmd;
			}
			continue;
		}
		c = *line == '\0' ? def + 1 : atoi(line);
		if (line[0] == 'y' || line[0] == 'Y')
			c = 1;
		free(line);
		if (c >= 1 && c <= n) {
			strbuf_free(&b);
			return c - 1;
		}
		fputs("Please type one of the numbers, or q, ? or b.\n", stdout);
		tries++;
	}
	strbuf_free(&b);
	return def;
}

/* The answer to "quit?" when a result is not saved: 1 quit, 0 stay. */
static int
confirm_quit(const struct session *s, struct linein *in, int saved)
{
	char *line;
	int yes;

	if (s->report == NULL || saved)
		return 1;
	prompt("The result is not saved and is lost when tlsmedic ends. Quit "
	    "anyway? (y: quit, n: stay) ");
	if ((line = read_line(in)) == NULL) {
		fputs("\n", stdout);
		return 1;
	}
	yes = line[0] == 'y' || line[0] == 'Y' || line[0] == 'q';
	free(line);
	return yes;
}

static int
ask_site(struct session *s, struct linein *in)
{
	say(s, "Step 1 of 4: The site");
	for (int tries = 0; tries < 5; tries++) {
		char *line, *cause = NULL;
		int cmd;

		prompt("Which site does not work? Type its name (example.org) "
		    "or paste its address, then press Enter (q quit, ? help): ");
		if ((line = read_line(in)) == NULL) {
			fputs("\n", stdout);
			return -1;
		}
		if ((cmd = command(s, line)) != 0) {
			free(line);
			if (cmd == ANS_QUIT)
				return -1;
			if (cmd == ANS_BACK)
				say(s, "This is the first question.");
			tries--;
			continue;
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
	do {
		c = ask_choice(s, in, "Which practice site?", names,
		    (int)n + 1, (int)n);
		if (c == ANS_BACK)
			say(s, "This is the first question.");
	} while (c == ANS_BACK);
	if (c >= 0 && c < (int)n) {
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

static int
ask_app(struct session *s, struct linein *in)
{
	static const char *const apps[] = { "A web browser", "A mail app",
		"Another program", "Not sure" };
	static const enum app_kind kinds[] = { APP_BROWSER, APP_MAIL,
		APP_OTHER, APP_UNKNOWN };
	int c = ask_choice(s, in, "What fails to connect? (you may skip "
	    "this)", apps, 4, 3);

	if (c >= 0)
		s->answers.app = kinds[c];
	return c < 0 ? c : 0;
}

static void print_results(struct session *s);
static int results_menu(struct session *s, struct linein *in);

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

/* Wait (a second at most) for the first connection to be decided, so a
 * name that does not exist is said before any question. */
static void
wait_reach(struct session *s)
{
	int64_t end = now_ms() + 1000;

	while (s->diag != NULL && now_ms() < end &&
	    s->states[CHECK_CONNECT] < CHECK_PASSED) {
		struct pollfd pfd = { .fd = session_wake_fd(s),
			.events = POLLIN };

		if (poll(&pfd, 1, 50) < 0 && errno != EINTR)
			break;
		session_poll(s);
	}
}

/* 1 when the run ended unreachable: said once, and the questions about
 * this computer are not asked (they cannot change that). */
static int
said_unreachable(struct session *s, int *said)
{
	session_poll(s);
	if (!session_unreachable(s))
		return 0;
	if (!*said) {
		char *h = text_headline(s);
		printf("\n");
		say(s, h);
		say(s, "The questions about your computer do not matter now.");
		free(h);
		*said = 1;
	}
	return 1;
}

/* A server that keeps us waiting is named while the questions go on. */
static void
silent_note(struct session *s, int *said)
{
	int left, secs;

	session_poll(s);
	secs = session_silent_secs(s, &left);
	if (secs > 0 && !*said) {
		char *m = xasprintf("Note: the server has not answered for %d s. "
		    "tlsmedic gives up in %d s.", secs, left);
		say(s, m);
		free(m);
		*said = 1;
	}
}

/* Step 2; returns 0, ANS_QUIT or ANS_BACK (back from the first one). */
static int
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
	int first = want_app ? -1 : 0, said = 0, said_silent = 0;

	printf("\n");
	say(s, "Step 2 of 4: Your computer");
	wait_reach(s);
	if (said_unreachable(s, &said))
		return 0;
	say(s, s->diag != NULL ? "The server is being checked in the "
	    "background meanwhile. Only you know the answers to these "
	    "questions; they help tell who must act. Skip any you are not "
	    "sure of." : "Only you know the answers to these questions; they "
	    "help tell who must act. Skip any you are not sure of.");
	for (int i = first; i < 3;) {
		int c;

		if (said_unreachable(s, &said))
			return 0;
		/* A mail app has no "other browser" to try. */
		if (i == 0 && s->answers.app == APP_MAIL) {
			i++;
			continue;
		}
		silent_note(s, &said_silent);
		c = i < 0 ? ask_app(s, in) : ask_choice(s, in, qs[i], yn, 3, 2);
		if (c == ANS_QUIT || plain_signal)
			return ANS_QUIT;
		if (c == ANS_BACK) {
			if (i == first)
				return ANS_BACK;
			i--;
			if (i == 0 && s->answers.app == APP_MAIL)
				i--; /* over the question not asked */
			if (i < first)
				return ANS_BACK;
			continue;
		}
		if (i >= 0)
			*slots[i] = tris[c];
		i++;
	}
	return 0;
}

static void
print_check(const struct session *s, enum check c)
{
	char *why = text_skip_reason(s, c);
	struct strbuf b = { 0 }, w = { 0 };

	strbuf_printf(&b, "%s %s: %s", text_state_tag(s->states[c]),
	    check_title(c), text_state_words(s->states[c]));
	if (why != NULL)
		strbuf_printf(&b, " -- why: %s", why);
	char *t = text_fold(b.s, s->ascii);
	text_wrap(&w, t, PLAIN_WIDTH, 7);
	fputs(w.s, stdout);
	free(t);
	strbuf_free(&b);
	strbuf_free(&w);
	free(why);
}

/* Step 3: progress while the checks run, then every line in the table's
 * order (the same on every run). Returns ANS_QUIT when the user quit. */
static int
run_checks(struct session *s, struct linein *in)
{
	int interactive = isatty(0), quit = 0, told_silent = 0;
	int64_t last = now_ms();

	printf("\n");
	say(s, "Step 3 of 4: The server");
	say(s, interactive ? "Checking... type x and Enter to stop the "
	    "checks (q quit, ? help)." : "Checking...");
	while (s->diag != NULL) {
		struct pollfd pfd[2] = {
			{ .fd = session_wake_fd(s), .events = POLLIN },
			{ .fd = interactive && !in->eof ? 0 : -1,
			    .events = POLLIN },
		};
		int left, silent;

		if (poll(pfd, 2, 100) < 0 && errno != EINTR)
			break;
		if (plain_signal) {
			/* Ctrl-C: stop, and quit without a question */
			session_stop(s);
			quit = 1;
		}
		if (interactive && ((pfd[1].revents & (POLLIN | POLLHUP)) ||
		    have_line(in))) {
			char *l = read_line(in);
			int cmd = l ? command(s, l) : 0;

			if (l == NULL || cmd == ANS_QUIT) {
				quit = 1;
				session_stop(s);
			} else if (l[0] == 'x' || l[0] == 'X') {
				if (!s->cancelled)
					say(s, "Stopping the checks...");
				session_stop(s);
			} else if (cmd == 0)
				say(s, "Type x and Enter to stop the checks, or "
				    "wait.");
			free(l);
		}
		session_poll(s);
		silent = session_silent_secs(s, &left);
		if (s->diag != NULL && silent > 0 && (!told_silent ||
		    now_ms() - last >= 5000)) {
			char *m = xasprintf("The server has not answered for "
			    "%d s. Giving up in %d s.", silent, left);
			say(s, m);
			free(m);
			told_silent = 1;
			last = now_ms();
		} else if (s->diag != NULL && now_ms() - last >= 5000) {
			say(s, "Still checking...");
			last = now_ms();
		}
		fflush(stdout);
	}
	for (int c = 0; c < CHECK_COUNT; c++)
		print_check(s, (enum check)c);
	return quit ? ANS_QUIT : 0;
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
	const struct report *r = s->report;
	int complete = r != NULL && !s->stopped &&
	    (r->verdict == VERDICT_OK || r->verdict == VERDICT_PROBLEMS);

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
			/* no ids here: they are on the details page (d) */
			t = text_fold(text_finding_title(fs[i]), s->ascii);
			sum = session_str(s, fs[i]->summary);
			strbuf_printf(&b, "  %zu. %s %s", i + 1,
			    text_severity_tag(fs[i]->severity), t);
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
			printf("  %s\n", complete ? "Nothing to do." :
			    "Nothing found (not everything was tested).");
	}
	fflush(stdout);
}

/* Returns 1 when saved. */
static int
plain_save(struct session *s, struct linein *in, enum save_kind k)
{
	char *def = session_save_name(s, k), *path = NULL, *cause = NULL;
	int failed = 0, saved = 0;

	for (;;) {
		char *line, *p;
		int rc;

		if (failed)
			printf("Type another file name, or just Enter to give "
			    "up (b back): ");
		else
			printf("File name (just Enter: %s; b back): ", def);
		fflush(stdout);
		if ((line = read_line(in)) == NULL) {
			fputs("\nNot saved.\n", stdout);
			break;
		}
		if ((*line == '\0' && failed) || strcmp(line, "b") == 0) {
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
			saved = 1;
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
	return saved;
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

/* Step 4's menu; returns ANS_QUIT, or ANS_BACK to answer the questions
 * again. */
static int
results_menu(struct session *s, struct linein *in)
{
	const struct finding *fs[64];
	size_t nf = ordered(s, fs, 64);
	/* offer only what can be used: no message without a problem for
	 * the site owner */
	char *msg = s->report ? report_owner_message(s->report) : NULL;
	int can_mail = msg != NULL, saved = 0;

	free(msg);
	for (;;) {
		char *line;

		printf("\nWhat next?%s\n  n) what not to do\n  d) details "
		    "for experts\n  t) save the report as text\n  j) save the "
		    "report as JSON\n%s  b) back to the questions\n  ?) help\n"
		    "  q) quit\nYour choice: ", nf > 0 ? " Type a problem's "
		    "number to read its advice, or:" : "", can_mail ?
		    "  m) save a message for the site owner\n" : "");
		fflush(stdout);
		if ((line = read_line(in)) == NULL) {
			fputs("\n", stdout);
			return ANS_QUIT;
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
			saved |= plain_save(s, in, SAVE_TEXT);
		else if (c == 'j' || c == 'J')
			saved |= plain_save(s, in, SAVE_JSON);
		else if ((c == 'm' || c == 'M') && can_mail)
			saved |= plain_save(s, in, SAVE_OWNER);
		else if (c == 'b' || c == 'B')
			return ANS_BACK;
		else if (c == 'q' || c == 'Q') {
			if (confirm_quit(s, in, saved))
				return ANS_QUIT;
		} else if (c == '?' || c == 'h')
			plain_help(s);
		else
			printf("Please type one of the letters or numbers "
			    "shown.\n");
	}
}

static void
plain_summary(const struct session *s)
{
	char *sum = text_summary(s, PLAIN_WIDTH);

	printf("\n%s", sum);
	free(sum);
	fflush(stdout);
}

int
plain_run(struct session *s, int have_target)
{
	struct linein in = { .len = 0 };
	struct sigaction sa;
	int status, rc;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = plain_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	say(s, "tlsmedic: why does a secure connection fail, and who can "
	    "fix it? It only looks; it changes nothing. At every question: "
	    "q quits, ? shows help, b goes back.");
site:
	if (!have_target) {
		rc = s->lab != NULL ? ask_scenario(s, &in) : ask_site(s, &in);
		if (rc != 0) {
			say(s, "No site was given, so there is nothing to "
			    "check.");
			plain_summary(s);
			return plain_signal ? 128 + plain_signal : 3;
		}
		if (s->lab == NULL && (rc = ask_app(s, &in)) != 0) {
			if (rc == ANS_QUIT || plain_signal) {
				plain_summary(s);
				return plain_signal ? 128 + plain_signal : 3;
			}
			goto site;
		}
		if (s->lab == NULL && s->answers.app == APP_MAIL)
			ask_mail(s, &in);
	}
	session_mail_begin(s);
	session_start(s);
questions:
	rc = ask_computer(s, &in, have_target || s->lab != NULL);
	if (rc == ANS_BACK && !have_target) {
		session_discard(s);
		goto site;
	}
	if (rc == ANS_BACK) {
		say(s, "This is the first question.");
		goto questions;
	}
	session_poll(s);
	if (rc == ANS_QUIT && !plain_signal && !confirm_quit(s, &in, 0))
		goto questions;
	if (rc == ANS_QUIT || plain_signal)
		session_stop(s);
	if (rc != ANS_QUIT && (s->diag != NULL || s->report == NULL)) {
		if (s->mail.n > 0)
			print_mail_title(s);
		rc = run_checks(s, &in);
	} else
		while (s->diag != NULL && session_poll(s) == 0)
			poll(NULL, 0, 50); /* a cancelled run ends within 1 s */
	session_apply(s);
	if (s->mail.n > 0 && rc != ANS_QUIT) {
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
		plain_summary(s);
		session_discard(s);
		return plain_signal ? 128 + plain_signal : worst;
	}
	if (rc != ANS_QUIT)
		print_results(s);
	if (!plain_signal && rc != ANS_QUIT &&
	    results_menu(s, &in) == ANS_BACK)
		goto questions;
	status = session_exit_status(s);
	plain_summary(s);
	session_discard(s);
	return plain_signal ? 128 + plain_signal : status;
}
