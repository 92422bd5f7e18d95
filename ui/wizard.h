/* wizard.h: the interactive front end (ncurses, or --plain text). */
#ifndef TLSMEDIC_WIZARD_H
#define TLSMEDIC_WIZARD_H

#include "cli.h"

struct lab;

/* Run the wizard. With o->have_target it skips the welcome question. With
 * lab != NULL (--demo) it opens on the lab's scenario menu (or goes
 * straight to o->demo_scenario). Returns the process exit status
 * (0 nothing wrong, 1 problems, 3 untestable, as batch mode). */
int wizard_run(const struct options *o, struct lab *lab);

#endif
