/* wizard.c: wizard_run() -- picks the face (ncurses or --plain) and runs
 * one session. No curses here: screen.c owns the terminal. */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plain.h"
#include "screen.h"
#include "session.h"
#include "wizard.h"

int
wizard_run(const struct options *o, struct lab *lab)
{
	struct session s;
	const char *cs;
	int have_target = o->have_target, status = -1, plain = o->plain;

	/* First, so that nl_langinfo and ncursesw see the user's locale. */
	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	session_init(&s, o, lab, o->ascii || cs == NULL ||
	    strcmp(cs, "UTF-8") != 0);
	if (lab != NULL && o->demo_scenario != NULL &&
	    strcmp(o->demo_scenario, "list") != 0) {
		char *cause = NULL;

		if (session_set_scenario(&s, o->demo_scenario, &cause) != 0) {
			fprintf(stderr, "tlsmedic: %s\n", cause);
			free(cause);
			session_free(&s);
			return 2;
		}
		have_target = 1;
	}
	/* A terminal is needed on both ends for the full-screen face, and
	 * one that can move the cursor. */
	const char *term = getenv("TERM");
	if (!isatty(0) || !isatty(1) || term == NULL || *term == '\0' ||
	    strcmp(term, "dumb") == 0)
		plain = 1;
	if (!plain)
		status = screen_run(&s, have_target);
	if (status < 0)
		status = plain_run(&s, have_target);
	session_free(&s);
	return status;
}
