/* report.h: the text and JSON faces of a struct report, the message for the
 * site owner, and saving them. All return strings the caller frees. */
#ifndef TLSMEDIC_REPORT_H
#define TLSMEDIC_REPORT_H

#include <stddef.h>

#include "model.h"

/* The human report: findings grouped by owner, most serious first, each
 * with its summary and first step (from help/), then the facts (protocols,
 * suites, chain). Fits 80 columns; plain ASCII when ascii != 0. */
char *report_text(const struct report *r, int ascii);
/* The JSON report (json-c), one object, pretty printed, ending in '\n'. */
char *report_json(const struct report *r);
/* A JSON array of reports (demo batch). */
char *report_json_array(struct report *const *rs, size_t n);
/* A short, polite, ready-to-send message for the site owner stating the
 * server-side problems with their evidence; NULL when there are none. */
char *report_owner_message(const struct report *r);

/* Write text to path atomically (a temporary file in the same folder,
 * fsync, rename: the old file stays whole until the new one is). flags:
 * REPORT_SAVE_REPLACE replaces an existing file; REPORT_SAVE_FOLLOW
 * writes through a symbolic link at path (only after the user said so).
 * Returns 0; 1 when the file exists (without REPLACE); 2 when path is a
 * symbolic link, dangling or not (without FOLLOW); or -1 with *cause in
 * plain words ("permission denied", "is a folder"...). */
#define REPORT_SAVE_REPLACE 1
#define REPORT_SAVE_FOLLOW 2
int report_save(const char *path, const char *text, int flags,
    char **cause);

/* Shared by the faces. "waiting" "running" "passed" "warning" "failed"
 * "skipped" (the JSON "checks" values). */
const char *report_check_state_str(enum check_state s);
/* One vocabulary for every face (wizard, --plain, the text report; the
 * JSON keeps its machine values, see the man page): a severity is
 * "[FAIL]" problem, "[warn]" warning, "[info]" note; a check line is
 * "[ ok ]" passed, "[warn]" warning, "[FAIL]" failed, "[skip]" skipped.
 * Tags are words, so meaning never rests on colour. */
const char *report_severity_tag(enum severity s);
const char *report_severity_word(enum severity s); /* "problem" ... */
const char *report_state_tag(enum check_state s);
const char *report_state_word(enum check_state s); /* "passed" ... */
/* s made safe to print even when a caller broke the model's contract:
 * valid UTF-8 without control bytes is copied as is, anything else is
 * sanitized. NULL gives "". Caller frees. */
char *report_clean(const char *s);

#endif
