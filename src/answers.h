/* answers.h: what only the user can tell us (the wizard's questions), and
 * how those answers change the findings. */
#ifndef TLSMEDIC_ANSWERS_H
#define TLSMEDIC_ANSWERS_H

#include "model.h"

enum app_kind { APP_UNKNOWN, APP_BROWSER, APP_MAIL, APP_OTHER };

struct answers {
	enum app_kind app;          /* what fails */
	enum tri other_browser_ok;  /* "Does the site open in another browser?" */
	enum tri work_network;      /* "Are you on a work or school network?" */
	enum tri inspecting_av;     /* "Antivirus or VPN that inspects traffic?" */
};

/* Adjust r (add client.* findings, move owners) from the answers and what
 * the probes saw; then report_finish() again. */
void answers_apply(const struct answers *a, struct report *r);

#endif
