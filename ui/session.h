/* session.h: one wizard session's data, shared by both faces (ncurses and
 * --plain): the target, the user's answers, the background diagnosis and
 * its report. No curses here. */
#ifndef TLSMEDIC_SESSION_H
#define TLSMEDIC_SESSION_H

#include "answers.h"
#include "cli.h"
#include "diag.h"
#include "mailplan.h"
#include "model.h"

struct lab;
struct trust;

struct session {
	const struct options *o;
	struct lab *lab;
	int ascii;               /* draw and print ASCII only */

	int have_target;
	struct target target;    /* what the user asked about */
	char *scenario;          /* demo scenario name, or NULL */
	char *connect_addr;      /* --resolve (or the lab's 127.0.0.1) */
	struct trust *trust;     /* the lab's root for a demo, else NULL */
	struct answers answers;

	struct diag_opts dopts;  /* must outlive the run */
	struct diag *diag;       /* running, or NULL */
	int wake[2];             /* self-pipe the engine's notify writes to */
	enum check_state states[CHECK_COUNT];
	struct report *report;   /* when finished, else NULL */
	int mitm_owner;          /* the engine's owner of mitm.interception,
				    restored before answers apply again */
	int cancelled;
	int stopped;             /* the user stopped the checks */
	enum check_state at_stop[CHECK_COUNT]; /* the lines when stopped */
	int64_t started_ms;
	struct mail_plan mail;   /* "A mail app": its servers, or n == 0 */
	char *saved_to;          /* where the result was saved ("a, b"), or
				    NULL */
};

void session_init(struct session *s, const struct options *o,
    struct lab *lab, int ascii);
void session_free(struct session *s);

/* What the user typed (host, host:port or a URL). Returns 0, or -1 with
 * *cause (plain words, caller frees). */
int session_set_target(struct session *s, const char *text, char **cause);
/* Use t (moved: t is left empty) as the target. */
void session_use_target(struct session *s, struct target *t);
/* "A mail app": test s->mail's servers one after the other
 * (session_mail.c). begin: the first becomes the target. next: after a
 * run ended and the answers applied, keep its report with its server and
 * start the next; 1 when one started, 0 when all are done. show: make
 * server i's report s->report (the one shown before goes back to its
 * server). */
void session_mail_begin(struct session *s);
int session_mail_next(struct session *s);
void session_mail_show(struct session *s, int i);
/* A practice scenario; returns 0 or -1 with *cause. */
int session_set_scenario(struct session *s, const char *name, char **cause);
/* "host:port" for titles (caller frees). */
char *session_target_text(const struct session *s);

/* Start the diagnosis in the background. */
void session_start(struct session *s);
/* The fd to poll alongside stdin; readable when states changed. */
int session_wake_fd(const struct session *s);
/* Drain the wake pipe and refresh states; when the run has ended, collect
 * the report. Returns 1 when the run ended during this call. */
int session_poll(struct session *s);
void session_cancel(struct session *s);
/* The user stops the checks: what was not done by now is skipped
 * ("stopped by you") and the verdict can only be problems or incomplete. */
void session_stop(struct session *s);
/* Stop and forget the run and its report (the answers stay). */
void session_discard(struct session *s);
/* Apply the answers to the report (idempotent). */
void session_apply(struct session *s);
/* 0 ok, 1 problems, 3 nothing could be tested (as batch mode). */
int session_exit_status(const struct session *s);

enum save_kind { SAVE_TEXT, SAVE_JSON, SAVE_OWNER, SAVE_KIND_COUNT };
const char *save_kind_title(enum save_kind k);
/* A sensible default file name (caller frees). */
char *session_save_name(const struct session *s, enum save_kind k);
/* Returns 0 saved, 1 exists (ask, then call again with
 * REPORT_SAVE_REPLACE), 2 a symbolic link (ask, then call again with
 * REPORT_SAVE_FOLLOW too), -1 with *cause (caller frees), -2 nothing to
 * save of that kind (*cause says so in a sentence). flags: report.h's
 * REPORT_SAVE_*. */
int session_save(struct session *s, enum save_kind k, const char *path,
    int flags, char **cause);

/* Seconds the server has kept us waiting while the first connection is
 * not done, or 0; *left gets the seconds until tlsmedic gives up. */
int session_silent_secs(const struct session *s, int *left);
/* 1 when the finished run could not reach the server at all. */
int session_unreachable(const struct session *s);

/* A model string ready for the terminal: sanitized, ASCII when s->ascii
 * (caller frees). */
char *session_str(const struct session *s, const char *model_string);

#endif
