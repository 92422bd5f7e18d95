/* flow.c: the wizard's step logic (see flow.h). Pure: no curses, no I/O. */
#include "flow.h"

static const char *const state_names[WS_COUNT] = {
	"demo-menu", "welcome", "computer", "server", "results", "advice",
	"not-to-do", "details", "save", "help", "quit", "mail",
	"mail-results"
};

const char *
wizard_state_name(enum wstate s)
{
	return (unsigned)s < WS_COUNT ? state_names[s] : "unknown";
}

int
wizard_step_number(enum wstate s)
{
	switch (s) {
	case WS_DEMO_MENU:
	case WS_WELCOME:
	case WS_MAIL:
		return 1;
	case WS_COMPUTER:
		return 2;
	case WS_SERVER:
		return 3;
	case WS_RESULTS:
	case WS_MAIL_RESULTS:
		return 4;
	default:
		return 0;
	}
}

void
wizard_init(struct wizard *w, int demo, int have_target)
{
	w->demo = demo;
	w->target_ok = have_target;
	w->running = w->done = w->saved = 0;
	w->mail = 0;
	w->actions = 0;
	if (have_target) {
		/* The target is known (command line or --demo=SCENARIO):
		 * skip the question and start at once. */
		w->state = WS_COMPUTER;
		w->actions = WA_START;
		w->running = 1;
	} else
		w->state = demo ? WS_DEMO_MENU : WS_WELCOME;
	w->ret = w->state;
}

static int
is_overlay(enum wstate s)
{
	return s == WS_HELP || s == WS_NOT_TO_DO;
}

static enum wstate
first_state(const struct wizard *w)
{
	return w->demo ? WS_DEMO_MENU : WS_WELCOME;
}

/* Leave for a page that comes back here. */
static enum wstate
overlay(struct wizard *w, enum wstate to)
{
	if (!is_overlay(w->state))
		w->ret = w->state;
	return to;
}

/* Back to the start: whatever ran is stopped and forgotten. */
static enum wstate
restart(struct wizard *w)
{
	if (w->running)
		w->actions |= WA_CANCEL;
	w->actions |= WA_DISCARD;
	w->running = w->done = w->saved = 0;
	w->target_ok = 0;
	return first_state(w);
}

/* A result is in and not saved: quitting would lose it. */
static int
unsaved(const struct wizard *w)
{
	return w->done && !w->saved;
}

static enum wstate
quit(struct wizard *w)
{
	if (w->running)
		w->actions |= WA_CANCEL;
	return WS_QUIT;
}

/* States where a diagnosis stands behind the screen, so "try another
 * site" has something to drop. */
static int
can_restart(enum wstate s)
{
	return s == WS_COMPUTER || s == WS_SERVER || s == WS_RESULTS ||
	    s == WS_MAIL_RESULTS;
}

enum wstate
wizard_next(struct wizard *w, enum wevent ev)
{
	enum wstate s = w->state;

	w->actions = 0;
	if (ev == WE_DONE) {
		/* The engine's news: never changes the screen by itself. */
		if (w->running) {
			w->running = 0;
			w->done = 1;
			w->saved = 0;
		}
		return s;
	}
	if (ev == WE_QUIT_NOW)
		return w->state = quit(w);
	if (ev == WE_QUIT) {
		/* Nothing is lost without asking first. */
		if (unsaved(w) && s != WS_QUIT) {
			w->actions |= WA_ASK_QUIT;
			return s;
		}
		return w->state = quit(w);
	}
	if (s == WS_QUIT)
		return s;
	if (s == WS_SERVER && w->running) {
		/* Stopping is its own key; Esc means back, as everywhere,
		 * and the checks go on. The report still comes (marked
		 * stopped) with WE_DONE. */
		if (ev == WE_CANCEL)
			w->actions |= WA_CANCEL;
		else if (ev == WE_BACK)
			return w->state = WS_COMPUTER;
		else if (ev == WE_HELP || ev == WE_NOT_TO_DO)
			return w->state = overlay(w, ev == WE_HELP ? WS_HELP :
			    WS_NOT_TO_DO);
		return s;
	}
	if (ev == WE_RERUN && w->done && (s == WS_SERVER || s == WS_RESULTS)) {
		w->actions |= WA_DISCARD | WA_START;
		w->running = 1;
		w->done = w->saved = 0;
		return w->state = WS_SERVER;
	}

	/* What every screen shares. */
	if (ev == WE_HELP)
		return w->state = overlay(w, WS_HELP);
	if (ev == WE_NOT_TO_DO)
		return w->state = overlay(w, WS_NOT_TO_DO);
	if (ev == WE_RESTART && can_restart(s))
		return w->state = restart(w);
	if (ev == WE_SAVE && w->done && (s == WS_COMPUTER || s == WS_SERVER)) {
		/* "save first" from the quit question, before step 4 */
		w->actions |= WA_APPLY;
		return w->state = WS_SAVE;
	}

	switch (s) {
	case WS_WELCOME:
		if (ev == WE_NEXT && w->target_ok && w->mail) {
			s = WS_MAIL; /* its servers first */
			break;
		}
		/* fall through */
	case WS_MAIL:
		if (s == WS_MAIL && ev == WE_BACK) {
			s = WS_WELCOME;
			break;
		}
		/* fall through */
	case WS_DEMO_MENU:
		if (ev == WE_NEXT && w->target_ok) {
			s = WS_COMPUTER;
			w->actions |= WA_START;
			w->running = 1;
			w->done = 0;
		} else if (ev == WE_BACK) {
			/* Back from the first screen leaves: ask first. */
			if (s == WS_WELCOME && w->demo)
				s = WS_DEMO_MENU;
			else
				w->actions |= WA_ASK_QUIT;
		}
		break;
	case WS_COMPUTER:
		if (ev == WE_NEXT)
			s = WS_SERVER;
		else if (ev == WE_BACK)
			s = restart(w);
		break;
	case WS_SERVER:
		if (ev == WE_NEXT || ev == WE_OPEN) {
			s = w->mail ? WS_MAIL_RESULTS : WS_RESULTS;
			w->actions |= WA_APPLY;
		} else if (ev == WE_BACK)
			s = WS_COMPUTER;
		break;
	case WS_MAIL_RESULTS:
		if (ev == WE_OPEN || ev == WE_NEXT)
			s = WS_RESULTS;
		else if (ev == WE_BACK)
			s = WS_SERVER;
		break;
	case WS_RESULTS:
		if (ev == WE_OPEN)
			s = WS_ADVICE;
		else if (ev == WE_BACK)
			s = w->mail ? WS_MAIL_RESULTS : WS_SERVER;
		else if (ev == WE_DETAILS)
			s = WS_DETAILS;
		else if (ev == WE_SAVE)
			s = WS_SAVE;
		break;
	case WS_ADVICE:
	case WS_DETAILS:
		if (ev == WE_BACK)
			s = WS_RESULTS;
		else if (ev == WE_SAVE)
			s = WS_SAVE;
		else if (ev == WE_DETAILS)
			s = WS_DETAILS;
		break;
	case WS_SAVE:
		if (ev == WE_BACK)
			s = WS_RESULTS;
		break;
	case WS_HELP:
	case WS_NOT_TO_DO:
		if (ev == WE_BACK || ev == WE_NEXT)
			s = w->ret;
		break;
	default:
		break;
	}
	return w->state = s;
}
