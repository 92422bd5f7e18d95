/* step_server.c: step 3 -- the server checks as lines that go from
 * waiting to running to a result. Any key stops them while they run. */
#include <stdlib.h>

#include "screen.h"
#include "util.h"

static const enum check server_checks[] = { CHECK_CONNECT, CHECK_PROTOCOLS,
	CHECK_CIPHERS, CHECK_CERT, CHECK_SNI, CHECK_REVOCATION };
#define NSERVER (sizeof server_checks / sizeof server_checks[0])

void
step_server_draw(struct ui *u)
{
	int y = 2;
	const struct session *s = u->s;

	ui_title(u, "Step 3 of 4: The server");
	if (s->diag != NULL)
		y += ui_wrap(u, y, 2, u->cols - 4, 2, UA_NORMAL,
		    "tlsmedic now asks the server the questions a browser "
		    "asks. This takes a few seconds.");
	else
		y += ui_wrap(u, y, 2, u->cols - 4, 2, UA_NORMAL,
		    "All checks are finished.");
	y++;
	for (size_t i = 0; i < NSERVER && y < u->rows - 4; i++, y++) {
		enum check_state st = s->states[server_checks[i]];

		ui_tag(u, y, 2, st);
		ui_put(u, y, 9, 24, UA_NORMAL, check_title(server_checks[i]));
		ui_put(u, y, 34, u->cols - 36, st == CHECK_FAILED ? UA_FAIL :
		    UA_DIM, text_state_words(st));
	}
	y++;
	if (s->diag != NULL) {
		long secs = (long)((now_ms() - s->started_ms) / 1000);
		char *m = xasprintf(s->cancelled ? "Stopping the checks..." :
		    "Checking... %ld s (it may take up to a minute for a "
		    "slow server)", secs);
		ui_put(u, y, 2, u->cols - 4, UA_DIM, m);
		free(m);
		ui_keys(u, "Any key: stop the checks  q quit");
		return;
	}
	if (s->report != NULL) {
		char *h = text_headline(s);
		ui_wrap(u, y, 2, u->cols - 4, u->rows - y - 3, UA_HEAD, h);
		free(h);
	}
	ui_keys(u, "Enter see the results  Esc back  n what not to do  "
	    "? help  q quit");
}

enum wevent
step_server_key(struct ui *u, int key)
{
	if (u->s->diag != NULL)
		return key == 'q' || key == 'Q' ? WE_QUIT : WE_CANCEL;
	return key == UK_ENTER ? WE_NEXT : ui_common_key(key);
}
