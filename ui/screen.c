/* screen.c: the ncurses face -- terminal set-up, the main loop that polls
 * stdin and the engine's self-pipe together, and the drawing helpers the
 * step files share. */
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen.h"
#include "util.h"

static volatile sig_atomic_t got_signal;
static int screen_active;

/* Whatever way the process ends (exit() deep in a library included), the
 * terminal is given back. */
static void
screen_atexit(void)
{
	if (screen_active && !isendwin())
		endwin();
}

/* Out of memory (util.c): give the terminal back before the message. */
static void
screen_fatal(void)
{
	if (screen_active && !isendwin())
		endwin();
}

static void
on_signal(int sig)
{
	got_signal = sig; /* only a flag: the loop does the rest */
}

/* Ctrl-Z and fg: flags too; the loop gives the terminal back before it
 * stops and redraws when it runs again (OpenSSH's way, not ncurses'
 * handler that calls endwin() inside the signal). */
static volatile sig_atomic_t got_tstp, got_cont;

static void
on_tstp(int sig)
{
	(void)sig;
	got_tstp = 1;
}

static void
on_cont(int sig)
{
	(void)sig;
	got_cont = 1;
}

/* The terminal signals we handle, each restored to its default once the
 * screen is gone. */
static const int screen_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
	SIGTSTP, SIGCONT };

#define NSCREEN_SIGS (sizeof screen_sigs / sizeof *screen_sigs)
static struct sigaction screen_old[NSCREEN_SIGS];

/* Keep the dispositions we were started with: before newterm(), which
 * puts its own (exit(1)) handlers on SIGINT, SIGTERM and SIGTSTP. */
static void
signals_save(void)
{
	for (size_t i = 0; i < NSCREEN_SIGS; i++)
		sigaction(screen_sigs[i], NULL, &screen_old[i]);
}

/* on: our handlers; off: the saved ones back. */
static void
signals_set(int on)
{
	struct sigaction sa;

	for (size_t i = 0; i < NSCREEN_SIGS; i++) {
		int sig = screen_sigs[i];

		if (!on) {
			sigaction(sig, &screen_old[i], NULL);
			continue;
		}
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = sig == SIGTSTP ? on_tstp :
		    sig == SIGCONT ? on_cont : on_signal;
		sigaction(sig, &sa, NULL);
	}
}

/* Stop as Ctrl-Z asked, with the terminal as the shell wants it; on fg,
 * take the screen back and redraw everything. */
static void
screen_suspend(void)
{
	struct sigaction sa, old;

	got_tstp = 0;
	endwin();
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, &old);
	raise(SIGTSTP); /* stops here until SIGCONT */
	sigaction(SIGTSTP, &old, NULL);
	got_cont = 1;
}

/* Bytes of s that fit in cols columns (one per code point). */
static size_t
fit(const char *s, size_t cols, size_t *used)
{
	size_t i = 0, n = 0;

	while (s[i] != '\0') {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n == cols)
				break;
			n++;
		}
		i++;
	}
	if (used != NULL)
		*used = n;
	return i;
}

void
ui_put(struct ui *u, int y, int x, int maxw, enum ui_attr a, const char *s)
{
	size_t n;

	if (y < 0 || y >= u->rows || x >= u->cols || s == NULL)
		return;
	if (maxw < 0 || x + maxw > u->cols)
		maxw = u->cols - x;
	if (maxw <= 0)
		return;
	n = fit(s, (size_t)maxw, NULL);
	attrset(u->attrs[a]);
	if (u->utf8)
		mvaddnstr(y, x, s, (int)n);
	else {
		/* belt and braces: nothing but ASCII on an ASCII terminal */
		move(y, x);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c >= 0x80 && (c & 0xc0) == 0x80)
				continue;
			addch(c >= 0x20 && c < 0x7f ? c : '?');
		}
	}
	attrset(A_NORMAL);
}

int
ui_wrap(struct ui *u, int y, int x, int w, int maxlines, enum ui_attr a,
    const char *s)
{
	struct strbuf b = { 0 };
	struct lines l;
	int n = 0;

	if (w < 10)
		w = 10;
	text_wrap(&b, s, w, 0);
	lines_split(&l, b.s ? b.s : "");
	for (size_t i = 0; i < l.n && n < maxlines; i++, n++) {
		if (n == maxlines - 1 && i + 1 < l.n) {
			/* more than fits: the last line shows the cut */
			char *t = xasprintf("%s %s", l.v[i], l.v[i + 1]);
			ui_put_cut(u, y + n, x, w, a, t);
			free(t);
			continue;
		}
		ui_put(u, y + n, x, w, a, l.v[i]);
	}
	lines_free(&l);
	strbuf_free(&b);
	return n;
}

void
ui_hline(struct ui *u, int y)
{
	if (y < 0 || y >= u->rows)
		return;
	attrset(u->attrs[UA_DIM]);
	for (int x = 0; x < u->cols; x++)
		mvaddstr(y, x, u->utf8 ? "\xe2\x94\x80" : "-");
	attrset(A_NORMAL);
}

void
ui_title(struct ui *u, const char *title)
{
	char *host = session_target_text(u->s);
	size_t hw = text_width(host);

	attrset(u->attrs[UA_TITLE]);
	move(0, 0);
	clrtoeol();
	for (int x = 0; x < u->cols; x++)
		mvaddch(0, x, ' ');
	ui_put(u, 0, 1, u->cols - 2, UA_TITLE, title);
	if (*host != '\0' && (int)(text_width(title) + hw + 6) < u->cols)
		ui_put(u, 0, u->cols - (int)hw - 1, (int)hw, UA_TITLE, host);
	free(host);
	ui_hline(u, 1);
}

void
ui_put_cut(struct ui *u, int y, int x, int maxw, enum ui_attr a,
    const char *s)
{
	const char *dots = u->utf8 ? "\xe2\x80\xa6" : "...";
	size_t dw = u->utf8 ? 1 : 3;

	if (maxw < 0 || x + maxw > u->cols)
		maxw = u->cols - x;
	if (maxw <= 0 || s == NULL)
		return;
	if (text_width(s) <= (size_t)maxw || (size_t)maxw <= dw) {
		ui_put(u, y, x, maxw, a, s);
		return;
	}
	/* cut at a word when one ends near enough, then the ellipsis */
	size_t keep = fit(s, (size_t)maxw - dw, NULL), sp = keep;
	while (sp > 0 && s[sp] != ' ')
		sp--;
	if (sp > keep / 2)
		keep = sp;
	while (keep > 0 && (s[keep - 1] == ' ' || s[keep - 1] == ',' ||
	    s[keep - 1] == ':'))
		keep--;
	char *t = xasprintf("%.*s%s", (int)keep, s, dots);
	ui_put(u, y, x, maxw, a, t);
	free(t);
}

/* Which hint goes first when the footer is too narrow: higher goes
 * sooner; 0 never (quit must always be seen). */
static int
hint_rank(const struct ui *u, const char *h)
{
	if (strncmp(h, "q ", 2) == 0 || strncmp(h, "y ", 2) == 0 ||
	    strncmp(h, "x ", 2) == 0)
		return 0;
	if (strstr(h, "what not to do") != NULL)
		return 9;
	if (strstr(h, "another site") != NULL || strstr(h, "PgUp") != NULL)
		return 8;
	if (strncmp(h, "Tab", 3) == 0 || strncmp(h, "d ", 2) == 0)
		return 6;
	if (strncmp(h, ui_arrows(u, 0), strlen(ui_arrows(u, 0))) == 0 ||
	    strncmp(h, ui_arrows(u, 1), strlen(ui_arrows(u, 1))) == 0)
		return 4;
	if (strncmp(h, "? ", 2) == 0)
		return 3;
	if (strncmp(h, "Esc", 3) == 0)
		return 2;
	return 1;
}

#define MAX_HINTS 16

static size_t
hints_width(char *const *h, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += text_width(h[i]) + (i > 0 ? 2 : 0);
	return w;
}

int
ui_keys(struct ui *u, const char *keys)
{
	char *k = xstrdup(keys), *hint[MAX_HINTS], *shrt[MAX_HINTS];
	size_t n = 0, w = (size_t)(u->cols - 2);
	struct strbuf line = { 0 };

	/* hints are separated by two spaces; "long|short" gives a short
	 * form for narrow windows */
	for (char *p = k; p != NULL && *p != '\0' && n < MAX_HINTS;) {
		char *e = strstr(p, "  "), *bar;

		if (e != NULL)
			*e = '\0';
		bar = strchr(p, '|');
		if (bar != NULL)
			*bar = '\0';
		hint[n] = p;
		shrt[n++] = bar != NULL ? bar + 1 : p;
		p = e != NULL ? e + 2 : NULL;
	}
	/* Never two lines: drop or shorten hints by priority until the line
	 * fits (the help page lists every key). */
	while (hints_width(hint, n) > w) {
		size_t worst = n, longest = n;
		int wr = 0, lr = -1;

		for (size_t i = 0; i < n; i++) {
			int r = hint_rank(u, hint[i]);
			if (r >= wr && r > 0) {
				wr = r;
				worst = i;
			}
			if (hint[i] != shrt[i] && r >= lr) {
				lr = r;
				longest = i;
			}
		}
		if (worst < n && (wr >= 5 || longest == n)) {
			memmove(&hint[worst], &hint[worst + 1],
			    (n - worst - 1) * sizeof *hint);
			memmove(&shrt[worst], &shrt[worst + 1],
			    (n - worst - 1) * sizeof *shrt);
			n--;
		} else if (longest < n) {
			/* the least important hint with a short form */
			hint[longest] = shrt[longest];
		} else
			break; /* ui_put_cut ends it with an ellipsis */
	}
	strbuf_add(&line, "", 0);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&line, "%s%s", i > 0 ? "  " : "", hint[i]);
	attrset(u->attrs[UA_KEYS]);
	for (int x = 0; x < u->cols; x++)
		mvaddch(u->rows - 1, x, ' ');
	ui_put_cut(u, u->rows - 1, 1, u->cols - 2, UA_KEYS, line.s);
	strbuf_free(&line);
	free(k);
	return 1;
}

const char *
ui_arrows(const struct ui *u, int horizontal)
{
	if (horizontal)
		return u->utf8 ? "\xe2\x86\x90\xe2\x86\x92" : "Left/Right";
	return u->utf8 ? "\xe2\x86\x91\xe2\x86\x93" : "Up/Down";
}

void
ui_tag(struct ui *u, int y, int x, enum check_state st)
{
	enum ui_attr a = st == CHECK_PASSED ? UA_OK : st == CHECK_WARNING ?
	    UA_WARN : st == CHECK_FAILED ? UA_FAIL : UA_DIM;

	ui_put(u, y, x, 6, a, text_state_tag(st));
}

void
ui_sevtag(struct ui *u, int y, int x, enum severity sev)
{
	enum ui_attr a = sev == SEV_ERROR ? UA_FAIL : sev == SEV_WARNING ?
	    UA_WARN : UA_DIM;

	ui_put(u, y, x, 6, a, text_severity_tag(sev));
}

void
ui_field(struct ui *u, int y, int x, int w, const struct field *f, int focus)
{
	size_t col = field_col(f), skip = 0, used;
	const char *p = f->buf;
	char *shown;

	if (w < 4)
		return;
	/* scroll the text so the cursor stays visible */
	if (col >= (size_t)w - 1)
		skip = col - (size_t)w + 2;
	p += fit(p, skip, NULL);
	shown = xstrndup(p, fit(p, (size_t)w, &used));
	attrset(focus ? u->attrs[UA_SEL] : A_UNDERLINE);
	for (int i = 0; i < w; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
	ui_put(u, y, x, w, focus ? UA_SEL : UA_NORMAL, shown);
	if (!focus)
		mvchgat(y, x, w, A_UNDERLINE, 0, NULL);
	free(shown);
	if (focus) {
		move(y, x + (int)(col - skip));
		curs_set(1);
	}
}

int
ui_edit(struct field *f, int key)
{
	switch (key) {
	case UK_BACKSPACE:
		field_key(f, FK_BACKSPACE);
		return 1;
	case KEY_DC:
		field_key(f, FK_DELETE);
		return 1;
	case KEY_LEFT:
		field_key(f, FK_LEFT);
		return 1;
	case KEY_RIGHT:
		field_key(f, FK_RIGHT);
		return 1;
	case KEY_HOME:
	case 1: /* ^A */
		field_key(f, FK_HOME);
		return 1;
	case KEY_END:
	case 5: /* ^E */
		field_key(f, FK_END);
		return 1;
	case 21: /* ^U */
		field_key(f, FK_KILL);
		return 1;
	default:
		if (key >= UK_CHAR)
			return field_key(f, key - UK_CHAR), 1;
		if (key >= 0x20 && key != 0x7f &&
		    (key < KEY_MIN || key > KEY_MAX) && key < 0x110000)
			return field_key(f, key), 1;
		return 0;
	}
}

enum wevent
ui_common_key(int key)
{
	switch (key) {
	case UK_ESC:
	case UK_BACKSPACE:
		return WE_BACK;
	case 'q':
	case 'Q':
		return WE_QUIT;
	case '?':
	case KEY_F(1):
		return WE_HELP;
	case 'n':
	case 'N':
		return WE_NOT_TO_DO;
	default:
		return WE_NONE;
	}
}

size_t
ui_findings(const struct ui *u, const struct finding **out, size_t max)
{
	const struct report *r = u->s->report;
	size_t n = 0;

	if (r == NULL)
		return 0;
	for (int o = 0; o < OWNER_COUNT; o++)
		for (size_t i = 0; i < r->nfindings && n < max; i++)
			if ((int)r->findings[i].owner == o)
				out[n++] = &r->findings[i];
	return n;
}

static void
theme_init(struct ui *u)
{
	const char *nc = getenv("NO_COLOR");

	u->color = has_colors() && (nc == NULL || *nc == '\0') &&
	    !u->s->o->no_color;
	/* The attribute-only theme: every meaning also has a word. */
	u->attrs[UA_NORMAL] = A_NORMAL;
	u->attrs[UA_TITLE] = A_BOLD | A_REVERSE;
	u->attrs[UA_KEYS] = A_REVERSE;
	u->attrs[UA_OK] = A_NORMAL;
	u->attrs[UA_WARN] = A_BOLD;
	u->attrs[UA_FAIL] = A_BOLD;
	u->attrs[UA_SEL] = A_REVERSE;
	u->attrs[UA_DIM] = A_NORMAL;
	u->attrs[UA_HEAD] = A_BOLD | A_UNDERLINE;
	if (!u->color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_WHITE, COLOR_BLUE);
	init_pair(2, COLOR_GREEN, -1);
	init_pair(3, COLOR_YELLOW, -1);
	init_pair(4, COLOR_RED, -1);
	init_pair(5, COLOR_CYAN, -1);
	u->attrs[UA_TITLE] = COLOR_PAIR(1) | A_BOLD;
	u->attrs[UA_KEYS] = COLOR_PAIR(1);
	u->attrs[UA_OK] = COLOR_PAIR(2) | A_BOLD;
	u->attrs[UA_WARN] = COLOR_PAIR(3) | A_BOLD;
	u->attrs[UA_FAIL] = COLOR_PAIR(4) | A_BOLD;
	u->attrs[UA_HEAD] = COLOR_PAIR(5) | A_BOLD;
}

static void
layout(struct ui *u)
{
	getmaxyx(stdscr, u->rows, u->cols);
	/* A terminal that reports no size gets the classic one. */
	if (u->rows <= 0 || u->cols <= 0) {
		u->rows = 24;
		u->cols = 80;
	}
	if (u->page_state == u->w.state && u->page_width != u->cols)
		ui_page_load(u);
}

static void
draw_too_small(struct ui *u)
{
	/* short lines: this must fit where nothing else does */
	const char *msg[] = { "Window too small", "for tlsmedic.",
		"Make it at least", "50 x 15, please.", "q: quit" };

	for (int i = 0; i < 5 && i < u->rows; i++)
		ui_put(u, i, 0, u->cols, i == 0 ? UA_FAIL : UA_NORMAL, msg[i]);
}

/* The quit question, over the bottom of the current screen. */
static void
draw_ask_quit(struct ui *u)
{
	int y = u->rows - 5;

	curs_set(0);
	for (int i = y; i < u->rows - 1; i++) {
		move(i, 0);
		clrtoeol();
	}
	ui_hline(u, y);
	ui_wrap(u, y + 1, 2, u->cols - 4, 3, UA_HEAD, u->ask_quit == 1 ?
	    "Quit without saving? The result is lost when tlsmedic ends "
	    "(a short summary stays on the terminal)." :
	    "Leave tlsmedic?");
	ui_keys(u, u->ask_quit == 1 ? "y quit without saving|y quit  "
	    "s save first|s save  Esc stay" : "y leave  Esc stay");
}

static void
draw(struct ui *u)
{
	erase();
	curs_set(0);
	if (u->rows < SCREEN_MIN_ROWS || u->cols < SCREEN_MIN_COLS) {
		draw_too_small(u);
		refresh();
		return;
	}
	switch (u->w.state) {
	case WS_DEMO_MENU:
		step_demo_draw(u);
		break;
	case WS_WELCOME:
		step_welcome_draw(u);
		break;
	case WS_COMPUTER:
		step_computer_draw(u);
		break;
	case WS_SERVER:
		step_server_draw(u);
		break;
	case WS_RESULTS:
		step_results_draw(u);
		break;
	case WS_SAVE:
		step_save_draw(u);
		break;
	case WS_MAIL:
		step_mail_draw(u);
		break;
	case WS_MAIL_RESULTS:
		step_mail_results_draw(u);
		break;
	default:
		step_page_draw(u);
		break;
	}
	if (u->ask_quit)
		draw_ask_quit(u);
	refresh();
}

static enum wevent
key_event(struct ui *u, int key)
{
	if (u->ask_quit) {
		int save = u->ask_quit == 1;

		if (key == 'y' || key == 'Y' || key == 'q' || key == 'Q') {
			u->ask_quit = 0;
			return WE_QUIT_NOW;
		}
		if (key == UK_ESC || key == 'n' || key == 'N' ||
		    key == UK_BACKSPACE || (save && (key == 's' ||
		    key == 'S'))) {
			u->ask_quit = 0;
			return save && (key == 's' || key == 'S') ? WE_SAVE :
			    WE_NONE;
		}
		return WE_NONE;
	}
	if (u->rows < SCREEN_MIN_ROWS || u->cols < SCREEN_MIN_COLS)
		return key == 'q' || key == 'Q' ? WE_QUIT : WE_NONE;
	switch (u->w.state) {
	case WS_DEMO_MENU:
		return step_demo_key(u, key);
	case WS_WELCOME:
		return step_welcome_key(u, key);
	case WS_COMPUTER:
		return step_computer_key(u, key);
	case WS_SERVER:
		return step_server_key(u, key);
	case WS_RESULTS:
		return step_results_key(u, key);
	case WS_SAVE:
		return step_save_key(u, key);
	case WS_MAIL:
		return step_mail_key(u, key);
	case WS_MAIL_RESULTS:
		return step_mail_results_key(u, key);
	default:
		return step_page_key(u, key);
	}
}

static void
do_actions(struct ui *u, unsigned act)
{
	if (act & WA_CANCEL)
		session_stop(u->s);
	if (act & WA_DISCARD)
		session_discard(u->s);
	if (act & WA_START) {
		session_start(u->s);
		u->q_sel = 0;
		u->chk_sel = 0;
		u->line_sel = -1;
	}
	if (act & WA_APPLY) {
		session_apply(u->s);
		u->res_sel = u->res_top = 0;
	}
}

static void
feed(struct ui *u, enum wevent ev)
{
	enum wstate before = u->w.state;

	if (ev == WE_NONE)
		return;
	wizard_next(&u->w, ev);
	do_actions(u, u->w.actions);
	if (u->w.actions & WA_ASK_QUIT)
		u->ask_quit = u->w.done && !u->w.saved ? 1 : 2;
	if (u->w.actions & WA_START)
		u->ask_app = before != WS_WELCOME && before != WS_MAIL;
	if (u->w.state != before) {
		if (u->w.state == WS_ADVICE || u->w.state == WS_DETAILS ||
		    u->w.state == WS_HELP || u->w.state == WS_NOT_TO_DO) {
			u->page_top = 0;
			ui_page_load(u);
			/* ? on a check line: help opens at its word */
			enum check hc = before == WS_SERVER ?
			    step_server_check(u) : before == WS_COMPUTER ?
			    step_computer_check(u) : CHECK_COUNT;
			if (u->w.state == WS_HELP && hc != CHECK_COUNT)
				for (size_t i = 0; i < u->page.n; i++)
					if (text_help_line(u->page.v[i], hc)) {
						u->page_top = (int)i;
						break;
					}
		}
		if (u->w.state == WS_SAVE && before != WS_HELP)
			step_save_enter(u);
		if (u->w.state == WS_MAIL && before == WS_WELCOME)
			step_mail_enter(u);
		if (u->w.state == WS_WELCOME && before != WS_HELP &&
		    before != WS_NOT_TO_DO) {
			free(u->site_error);
			u->site_error = NULL;
			/* "another site": start from the last one */
			if (u->site.len == 0 && u->s->have_target &&
			    u->s->scenario == NULL) {
				char *t = session_target_text(u->s);
				field_set(&u->site, t);
				free(t);
			}
			u->site_focus = 0;
		}
	}
}

static int
read_key(int *key)
{
	wint_t wc;
	int rc = get_wch(&wc);

	if (rc == ERR)
		return 0;
	if (rc == KEY_CODE_YES) {
		if (wc == KEY_BACKSPACE)
			*key = UK_BACKSPACE;
		else if (wc == KEY_ENTER)
			*key = UK_ENTER;
		else
			*key = (int)wc;
		return 1;
	}
	if (wc == '\r')
		wc = '\n';
	if (wc == 8 || wc == 127)
		*key = UK_BACKSPACE;
	else if (wc >= KEY_MIN && wc <= KEY_MAX)
		*key = (int)wc + UK_CHAR;
	else
		*key = (int)wc;
	return 1;
}

int
screen_run(struct session *s, int have_target)
{
	struct ui ui;
	struct ui *u = &ui;
	SCREEN *scr;
	int status;
	char *summary;
	const char *cs = nl_langinfo(CODESET);

	memset(u, 0, sizeof *u);
	u->s = s;
	u->page_state = WS_COUNT;
	u->page_finding = -1;
	u->app_sel = 3; /* "Not sure": a guess would colour the findings */
	u->line_sel = -1;
	u->utf8 = !s->o->ascii && cs != NULL && strcmp(cs, "UTF-8") == 0;
	s->ascii = !u->utf8;
	signals_save();
	if ((scr = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	set_term(scr);
	screen_active = 1;
	atexit(screen_atexit);
	util_set_fatal_hook(screen_fatal);

	got_tstp = got_cont = 0;
	signals_set(1);
	signal(SIGPIPE, SIG_IGN);

	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	theme_init(u);

	u->ask_app = have_target;
	wizard_init(&u->w, s->lab != NULL, have_target);
	do_actions(u, u->w.actions);
	layout(u);
	draw(u);
	while (u->w.state != WS_QUIT) {
		struct pollfd pfd[2] = {
			{ .fd = 0, .events = POLLIN },
			{ .fd = session_wake_fd(s), .events = POLLIN },
		};
		int key, dirty = 0;

		/* 100 ms: the running screen shows the time going by */
		if (poll(pfd, 2, s->diag != NULL ? 100 : 500) < 0 &&
		    errno != EINTR)
			break;
		if (got_signal) {
			feed(u, WE_QUIT_NOW); /* no question: the user said */
			break;
		}
		if (got_tstp)
			screen_suspend();
		if (got_cont) {
			got_cont = 0;
			reset_prog_mode();
			clearok(curscr, TRUE);
			layout(u);
			dirty = 1;
		}
		if (s->diag != NULL || (pfd[1].revents & POLLIN)) {
			if (session_poll(s) && !step_mail_continue(u))
				feed(u, WE_DONE);
			dirty = 1;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL) &&
		    !(pfd[0].revents & POLLIN)) {
			feed(u, WE_QUIT_NOW); /* the terminal went away */
			break;
		}
		while (u->w.state != WS_QUIT && read_key(&key)) {
			dirty = 1;
			if (key == KEY_RESIZE) {
				layout(u);
				continue;
			}
			feed(u, key_event(u, key));
		}
		if (dirty)
			draw(u);
	}
	status = session_exit_status(s);
	/* Like a program that leaves its output behind: what was found
	 * stays on the normal screen after endwin. */
	summary = text_summary(s, u->cols > 100 ? 100 : u->cols - 1);
	/* No probe outlives the program: stop it (under a second). */
	session_discard(s);
	endwin();
	screen_active = 0;
	delscreen(scr);
	fputs(summary, stdout);
	fflush(stdout);
	free(summary);
	lines_free(&u->page);
	free(u->note);
	free(u->site_error);
	free(u->save_msg);
	free(u->mail_error);
	signals_set(0);
	if (got_signal) {
		/* The terminal is restored. Ctrl-C is the wizard's "quit now"
		 * (the summary is on the screen): exit 130, as --plain does.
		 * The others die of the signal, as the shell expects (SIGQUIT
		 * may dump core, as asked). */
		int sig = got_signal;

		fflush(NULL);
		if (sig != SIGINT)
			raise(sig);
		status = 128 + sig; /* SIGINT, or a blocked or ignored one */
	}
	got_signal = 0;
	return status;
}
