/* screen.h: the ncurses face. Only ui/screen.c and ui/step_*.c include
 * this (and curses.h); each step is a draw function and a key function
 * (ncdu style), the step logic itself is the pure machine in flow.h. */
#ifndef TLSMEDIC_SCREEN_H
#define TLSMEDIC_SCREEN_H

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "field.h"
#include "flow.h"
#include "session.h"
#include "text.h"

#define SCREEN_MIN_COLS 50
#define SCREEN_MIN_ROWS 15

/* Keys as the steps see them: curses codes plus these. */
enum {
	UK_ENTER = '\n', UK_TAB = '\t', UK_ESC = 27,
	UK_BACKSPACE = 0x110000, /* any of ^H, DEL, KEY_BACKSPACE */
	UK_CHAR = 0x200000,      /* added to characters that collide with
				    curses key codes (U+0101..U+01FF) */
};

enum ui_attr { UA_NORMAL, UA_TITLE, UA_KEYS, UA_OK, UA_WARN, UA_FAIL,
	UA_SEL, UA_DIM, UA_HEAD, UA_COUNT };

struct ui {
	struct session *s;
	struct wizard w;
	int utf8, color;
	int rows, cols;
	attr_t attrs[UA_COUNT];
	unsigned spin;
	char *note;          /* a line of news under the title, or NULL */
	int ask_quit;        /* the quit question: 1 a result is not saved,
				2 leaving from the first screen */

	/* demo menu */
	int demo_sel;
	/* welcome */
	struct field site;
	int site_focus;      /* 0 the text box, 1 the "what fails" row */
	int app_sel;
	char *site_error;
	/* computer */
	int q_sel;
	int ask_app;         /* the welcome was skipped: ask what fails here */
	int line_sel;        /* a check line chosen (0 clock, 1 interception)
				to be explained, or -1: the questions */
	/* server checks */
	int chk_sel;         /* the chosen check line (explained below) */
	/* results */
	int res_sel, res_top;
	/* pages (advice, not-to-do, details, help) */
	struct lines page;
	enum wstate page_state;
	int page_width;
	int page_top;
	int page_finding;    /* index into the report's findings */
	/* save */
	int save_sel;        /* kind, or SAVE_KIND_COUNT for the path box */
	int save_focus;      /* 0 kinds list, 1 file name box */
	struct field save_path;
	int save_ask;        /* 1: "exists, replace?" 2: "a link, follow?" */
	char *save_msg;
	int save_msg_bad;
	/* "A mail app" (step_mail.c) */
	struct field mail_in, mail_out;
	int mail_focus;      /* 0 incoming, 1 outgoing */
	char *mail_error;
	int mail_sel;        /* the server picked on the results list */
};

/* screen.c: drawing helpers. */
void ui_put(struct ui *u, int y, int x, int maxw, enum ui_attr a,
    const char *s);
int ui_wrap(struct ui *u, int y, int x, int w, int maxlines, enum ui_attr a,
    const char *s);
void ui_title(struct ui *u, const char *title);
/* s in at most maxw columns; a longer s is cut at a word and ends with
 * an ellipsis ("..." on ASCII terminals), so a cut always shows. */
void ui_put_cut(struct ui *u, int y, int x, int maxw, enum ui_attr a,
    const char *s);
/* The keys of this screen on the bottom line: hints separated by two
 * spaces, "long|short" where a short form exists. Always one line: at
 * the current width hints are shortened, then dropped by priority (what
 * not to do first; q quit never). Returns the lines used (1). */
int ui_keys(struct ui *u, const char *keys);
/* Arrow key names: glyphs on UTF-8 terminals, words otherwise. */
const char *ui_arrows(const struct ui *u, int horizontal);
void ui_hline(struct ui *u, int y);
void ui_tag(struct ui *u, int y, int x, enum check_state st);
void ui_sevtag(struct ui *u, int y, int x, enum severity sev);
/* Editing keys for a text box; returns 1 when the key was one. */
int ui_edit(struct field *f, int key);
/* The keys every step means the same by (Esc/Backspace back, q quit,
 * ? help, n what not to do); a step's key function ends with it for the
 * keys it does not use itself. Enter is the step's own. */
enum wevent ui_common_key(int key);
void ui_field(struct ui *u, int y, int x, int w, const struct field *f,
    int focus);
/* The findings visible on the results screen, in display order. */
size_t ui_findings(const struct ui *u, const struct finding **out, size_t max);

/* Page content for the page states; rebuilt on resize. */
void ui_page_load(struct ui *u);

void step_mail_draw(struct ui *u);
enum wevent step_mail_key(struct ui *u, int key);
void step_mail_results_draw(struct ui *u);
enum wevent step_mail_results_key(struct ui *u, int key);
/* The welcome chose "A mail app": fill the server boxes from the site. */
void step_mail_enter(struct ui *u);
/* A run ended: with more mail servers to test, start the next and return
 * 1 (the run goes on); else 0. */
int step_mail_continue(struct ui *u);
void step_demo_draw(struct ui *u);
enum wevent step_demo_key(struct ui *u, int key);
void step_welcome_draw(struct ui *u);
enum wevent step_welcome_key(struct ui *u, int key);
void step_computer_draw(struct ui *u);
enum wevent step_computer_key(struct ui *u, int key);
void step_server_draw(struct ui *u);
enum wevent step_server_key(struct ui *u, int key);
/* The check of the chosen line on step 3 (help opens at its word). */
enum check step_server_check(const struct ui *u);
/* The check line chosen on step 2, or CHECK_COUNT for none. */
enum check step_computer_check(const struct ui *u);
void step_results_draw(struct ui *u);
enum wevent step_results_key(struct ui *u, int key);
void step_page_draw(struct ui *u);
enum wevent step_page_key(struct ui *u, int key);
void step_save_draw(struct ui *u);
enum wevent step_save_key(struct ui *u, int key);
void step_save_enter(struct ui *u);

/* Run the ncurses wizard; returns the exit status, or -1 when the
 * terminal could not be set up (the caller falls back to --plain). */
int screen_run(struct session *s, int have_target);

#endif
