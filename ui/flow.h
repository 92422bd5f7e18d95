/* flow.h: the wizard's steps as a pure state machine. No curses, no I/O:
 * the faces (ncurses and --plain) feed it events and carry out the actions
 * it asks for, and tests/check_wizard.c walks it without a terminal. */
#ifndef TLSMEDIC_FLOW_H
#define TLSMEDIC_FLOW_H

enum wstate {
	WS_DEMO_MENU, /* --demo: pick a practice scenario */
	WS_WELCOME,   /* step 1: which site, what fails */
	WS_COMPUTER,  /* step 2: clock, interception, the user's answers */
	WS_SERVER,    /* step 3: the server checks as they run */
	WS_RESULTS,   /* step 4: findings by who has to act */
	WS_ADVICE,    /* one finding's advice */
	WS_NOT_TO_DO, /* "What not to do" */
	WS_DETAILS,   /* chain, protocols, suites for the expert */
	WS_SAVE,      /* save a report or the site-owner message */
	WS_HELP,      /* keys and what the wizard does */
	WS_QUIT,
	WS_MAIL,      /* "A mail app": the incoming and outgoing servers */
	WS_MAIL_RESULTS, /* one line per mail server; Enter opens one */
	WS_COUNT
};

enum wevent {
	WE_NONE,
	WE_NEXT,      /* Enter: go on (the caller says whether input is ok) */
	WE_BACK,      /* Esc / Backspace */
	WE_QUIT,      /* q */
	WE_HELP,      /* ? */
	WE_NOT_TO_DO, /* n */
	WE_DETAILS,   /* d */
	WE_SAVE,      /* s */
	WE_OPEN,      /* Enter on a finding */
	WE_CANCEL,    /* x: stop the checks while they run */
	WE_DONE,      /* the diagnosis finished (from the engine) */
	WE_RESTART,   /* try another site */
	WE_RERUN,     /* run the checks of the same site again */
	WE_QUIT_NOW,  /* the user confirmed the quit */
};

/* What the caller must do after a transition (bit flags). */
enum waction {
	WA_START = 1 << 0,   /* start the diagnosis */
	WA_CANCEL = 1 << 1,  /* ask the running diagnosis to stop */
	WA_DISCARD = 1 << 2, /* drop the diagnosis and its report */
	WA_APPLY = 1 << 3,   /* apply the answers to the report */
	WA_ASK_QUIT = 1 << 4, /* ask before quitting; WE_QUIT_NOW confirms */
};

struct wizard {
	enum wstate state;
	enum wstate ret;  /* where an overlay page (help, not-to-do) goes back */
	unsigned actions; /* set by each wizard_next() */
	int demo;         /* a practice lab runs: the menu comes first */
	int target_ok;    /* the caller has a usable target */
	int running;      /* a diagnosis runs */
	int done;         /* its report is in */
	int mail;         /* "A mail app": ask for its servers, test each */
	int saved;        /* the caller saved it: quitting loses nothing */
};

void wizard_init(struct wizard *w, int demo, int have_target);
/* Apply ev; returns the new state and sets w->actions. Events that mean
 * nothing in a state leave it unchanged. */
enum wstate wizard_next(struct wizard *w, enum wevent ev);
const char *wizard_state_name(enum wstate s);
/* "Step 2 of 4" numbering for the main steps; 0 for the others. */
int wizard_step_number(enum wstate s);

#endif
