/* plain.h: the wizard as plain numbered questions and text on stdin and
 * stdout (--plain), for screen readers, serial consoles and logs. */
#ifndef TLSMEDIC_PLAIN_H
#define TLSMEDIC_PLAIN_H

#include "session.h"

/* Returns the exit status (as wizard_run). */
int plain_run(struct session *s, int have_target);

#endif
