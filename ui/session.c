/* session.c: the wizard's data and its link to the engine (see session.h).
 * The engine runs in its own threads; its notify callback only writes a
 * byte to a self-pipe, which the face polls with stdin. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lab.h"
#include "report.h"
#include "sanitize.h"
#include "session.h"
#include "trust.h"
#include "util.h"

static void
session_notify(void *arg)
{
	struct session *s = arg;
	int saved = errno;

	/* Worker thread: wake the main loop and nothing else. A full pipe
	 * already means "wake up". */
	if (write(s->wake[1], "", 1) < 0) {
		/* EAGAIN: nothing to do */
	}
	errno = saved;
}

static void
answers_reset(struct answers *a)
{
	a->app = APP_UNKNOWN;
	a->other_browser_ok = TRI_UNKNOWN;
	a->work_network = TRI_UNKNOWN;
	a->inspecting_av = TRI_UNKNOWN;
}

void
session_init(struct session *s, const struct options *o, struct lab *lab,
    int ascii)
{
	memset(s, 0, sizeof *s);
	s->o = o;
	s->lab = lab;
	s->ascii = ascii;
	answers_reset(&s->answers);
	s->wake[0] = s->wake[1] = -1;
	if (pipe(s->wake) == 0) {
		for (int i = 0; i < 2; i++) {
			fcntl(s->wake[i], F_SETFL,
			    fcntl(s->wake[i], F_GETFL) | O_NONBLOCK);
			fcntl(s->wake[i], F_SETFD, FD_CLOEXEC);
		}
	}
	if (o->have_target) {
		s->target.host = xstrdup(o->target.host);
		s->target.port = o->target.port;
		s->target.starttls = o->target.starttls;
		s->target.app = o->target.app;
		s->have_target = 1;
		if (o->have_resolve && o->resolve.host != NULL &&
		    strcasecmp(o->resolve.host, s->target.host) == 0 &&
		    o->resolve.port == s->target.port)
			s->connect_addr = xstrdup(o->resolve.addr);
	}
}

static void
target_forget(struct session *s)
{
	target_clear(&s->target);
	memset(&s->target, 0, sizeof s->target);
	free(s->scenario);
	s->scenario = NULL;
	free(s->connect_addr);
	s->connect_addr = NULL;
	s->have_target = 0;
}

void
session_free(struct session *s)
{
	session_discard(s);
	mail_plan_free(&s->mail);
	target_forget(s);
	if (s->trust != NULL)
		trust_free(s->trust);
	s->trust = NULL;
	for (int i = 0; i < 2; i++)
		if (s->wake[i] >= 0)
			close(s->wake[i]);
	s->wake[0] = s->wake[1] = -1;
}

int
session_set_target(struct session *s, const char *text, char **cause)
{
	struct target t = { 0 };

	while (*text == ' ' || *text == '\t')
		text++;
	if (*text == '\0') {
		*cause = xstrdup("Please type the name of the site, for "
		    "example example.org.");
		return -1;
	}
	if (target_parse(text, &t, cause) != 0)
		return -1;
	session_use_target(s, &t);
	return 0;
}

void
session_use_target(struct session *s, struct target *t)
{
	const struct options *o = s->o;

	target_forget(s);
	s->target = *t;
	memset(t, 0, sizeof *t);
	s->have_target = 1;
	if (o->have_resolve && o->resolve.host != NULL &&
	    strcasecmp(o->resolve.host, s->target.host) == 0 &&
	    o->resolve.port == s->target.port)
		s->connect_addr = xstrdup(o->resolve.addr);
}

int
session_set_scenario(struct session *s, const char *name, char **cause)
{
	const char *host;
	int port;

	if (s->lab == NULL || lab_target(s->lab, name, &host, &port) != 0) {
		char *q = sanitize(name, strlen(name), 100); /* argv */
		*cause = xasprintf("There is no practice site called \"%s\".",
		    q);
		free(q);
		return -1;
	}
	if (s->trust == NULL) {
		const char *pem = lab_root_pem(s->lab);

		s->trust = trust_load_pem(pem, pem ? strlen(pem) : 0, cause);
		if (s->trust == NULL)
			return -1;
	}
	target_forget(s);
	s->target.host = xstrdup(host);
	s->target.port = port;
	s->scenario = xstrdup(name);
	s->connect_addr = xstrdup("127.0.0.1");
	s->have_target = 1;
	return 0;
}

char *
session_target_text(const struct session *s)
{
	char *h, *out;

	if (!s->have_target)
		return xstrdup("");
	h = session_str(s, s->target.host);
	if (strchr(h, ':') != NULL)
		out = xasprintf("[%s]:%d", h, s->target.port);
	else
		out = xasprintf("%s:%d", h, s->target.port);
	free(h);
	return out;
}

void
session_start(struct session *s)
{
	const struct options *o = s->o;

	session_discard(s);
	memset(&s->dopts, 0, sizeof s->dopts);
	s->dopts.host = s->target.host;
	s->dopts.port = s->target.port;
	s->dopts.connect_addr = s->connect_addr;
	s->dopts.sni = s->scenario ? NULL : o->sni;
	s->dopts.no_sni = s->scenario ? 0 : o->no_sni;
	s->dopts.timeout_ms = (o->timeout_s > 0 ? o->timeout_s : 10) * 1000;
	s->dopts.ca_file = s->scenario ? NULL : o->ca_file;
	s->dopts.trust = s->scenario ? s->trust : NULL;
	s->dopts.starttls = o->starttls ? o->starttls : s->target.starttls;
	s->dopts.app = s->target.app;
	s->dopts.time_servers = o->time_servers;
	/* The practice sites run on this computer: never through a proxy. */
	s->dopts.proxy = s->scenario ? "" : o->proxy;
	s->dopts.noproxy = o->noproxy;
	for (int c = 0; c < CHECK_COUNT; c++)
		s->states[c] = CHECK_WAITING;
	s->cancelled = s->stopped = 0;
	s->started_ms = now_ms();
	s->diag = diag_start(&s->dopts, session_notify, s);
}

int
session_wake_fd(const struct session *s)
{
	return s->wake[0];
}

/* A stopped run: only what was finished before the stop counts (a probe
 * cut short proves nothing), the rest is skipped with the reason, and it
 * is never "ok" (rule 1). */
static void
stopped_apply(struct session *s)
{
	struct report *r = s->report;
	int serious = 0;

	for (size_t i = r->nfindings; i-- > 0;) {
		enum check c = finding_check(r->findings[i].id);

		if (s->at_stop[c] < CHECK_PASSED ||
		    s->at_stop[c] == CHECK_SKIPPED)
			report_remove(r, r->findings[i].id);
	}
	for (int c = 0; c < CHECK_COUNT; c++) {
		if (s->at_stop[c] < CHECK_PASSED) {
			r->checks[c] = CHECK_SKIPPED;
			report_skip(r, (enum check)c, "stopped by you");
		} else
			r->checks[c] = s->at_stop[c];
	}
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity != SEV_INFO)
			serious = 1;
	r->verdict = serious ? VERDICT_PROBLEMS : VERDICT_INCOMPLETE;
	free(r->error);
	r->error = NULL;
}

int
session_poll(struct session *s)
{
	char buf[256];

	while (s->wake[0] >= 0 && read(s->wake[0], buf, sizeof buf) > 0)
		;
	if (s->diag == NULL)
		return 0;
	diag_states(s->diag, s->states);
	if (!diag_done(s->diag))
		return 0;
	s->report = diag_finish(s->diag);
	s->diag = NULL;
	if (s->report != NULL && s->stopped)
		stopped_apply(s);
	if (s->report != NULL) {
		const struct report *r = s->report;
		const struct finding *f =
		    report_find(r, FINDING_MITM_INTERCEPTION);

		s->mitm_owner = f != NULL ? (int)f->owner : -1;
		if (s->scenario != NULL && s->report->scenario == NULL)
			s->report->scenario = xstrdup(s->scenario);
		for (int c = 0; c < CHECK_COUNT; c++) {
			/* An unreachable or stopped run did not pass the
			 * checks it never got to: say so. */
			if (r->verdict == VERDICT_UNREACHABLE &&
			    r->checks[c] == CHECK_PASSED &&
			    s->states[c] < CHECK_PASSED)
				s->states[c] = CHECK_SKIPPED;
			else
				s->states[c] = r->checks[c];
		}
	}
	return 1;
}

void
session_cancel(struct session *s)
{
	if (s->diag != NULL && !s->cancelled) {
		diag_cancel(s->diag);
		s->cancelled = 1;
	}
}

void
session_stop(struct session *s)
{
	if (s->diag == NULL || s->cancelled)
		return;
	diag_states(s->diag, s->at_stop);
	s->stopped = 1;
	session_cancel(s);
}

int
session_silent_secs(const struct session *s, int *left)
{
	int64_t waited;
	int total = s->dopts.timeout_ms / 1000;

	*left = 0;
	if (s->diag == NULL || s->states[CHECK_CONNECT] >= CHECK_PASSED)
		return 0;
	waited = (now_ms() - s->started_ms) / 1000;
	/* a second or two is a normal handshake, not silence */
	if (waited < 2)
		return 0;
	*left = total - (int)waited;
	if (*left < 1)
		*left = 1;
	return (int)waited;
}

int
session_unreachable(const struct session *s)
{
	return s->report != NULL && !s->stopped &&
	    s->report->verdict == VERDICT_UNREACHABLE;
}

void
session_discard(struct session *s)
{
	if (s->diag != NULL) {
		/* diag_finish waits: cancel first so that is under a second. */
		diag_cancel(s->diag);
		report_free(diag_finish(s->diag));
		s->diag = NULL;
	}
	report_free(s->report);
	s->report = NULL;
	s->cancelled = s->stopped = 0;
	free(s->saved_to);
	s->saved_to = NULL;
}

void
session_apply(struct session *s)
{
	struct finding *f;

	if (s->report == NULL)
		return;
	if (s->mitm_owner >= 0 &&
	    (f = report_find(s->report, FINDING_MITM_INTERCEPTION)) != NULL)
		f->owner = (enum owner)s->mitm_owner;
	answers_apply(&s->answers, s->report);
}

static int
report_status(const struct report *r)
{
	if (r == NULL)
		return 3;
	switch (r->verdict) {
	case VERDICT_OK:
		return 0;
	case VERDICT_PROBLEMS:
	case VERDICT_INCOMPLETE:
		return 1;
	default:
		return 3;
	}
}

int
session_exit_status(const struct session *s)
{
	int st = report_status(s->report);

	/* A mail app's servers: the worst of them. */
	for (int i = 0; i < s->mail.n; i++)
		if (s->mail.srv[i].report != NULL &&
		    report_status(s->mail.srv[i].report) > st)
			st = report_status(s->mail.srv[i].report);
	return st;
}

const char *
save_kind_title(enum save_kind k)
{
	static const char *const titles[SAVE_KIND_COUNT] = {
		"The report as text (to read, or to send by e-mail)",
		"The report as JSON (for programs and experts)",
		"A message for the site owner (ready to send)",
	};
	return (unsigned)k < SAVE_KIND_COUNT ? titles[k] : "";
}

char *
session_save_name(const struct session *s, enum save_kind k)
{
	static const char *const ext[SAVE_KIND_COUNT] = { ".txt", ".json",
		"-message.txt" };
	char host[64];
	size_t i = 0;

	/* A file name from the host: only characters safe everywhere. */
	for (const char *p = s->target.host; p && *p && i < sizeof host - 1;
	    p++) {
		char c = *p;
		host[i++] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-') ? c : '_';
	}
	host[i] = '\0';
	return xasprintf("tlsmedic-%s%s", i ? host : "report",
	    (unsigned)k < SAVE_KIND_COUNT ? ext[k] : ".txt");
}

static char *
expand_home(const char *path)
{
	const char *home = getenv("HOME");

	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') &&
	    home != NULL && *home != '\0')
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

/* Remember where the result went, for the summary at the end. */
static void
saved_note(struct session *s, const char *path)
{
	char buf[PATH_MAX], *abs, *old = s->saved_to;

	if (path[0] != '/' && getcwd(buf, sizeof buf) != NULL)
		abs = xasprintf("%s/%s", buf, path);
	else
		abs = xstrdup(path);
	if (old != NULL && strstr(old, abs) == NULL)
		s->saved_to = xasprintf("%s, %s", old, abs);
	else if (old == NULL)
		s->saved_to = xstrdup(abs);
	else
		s->saved_to = xstrdup(old);
	free(old);
	free(abs);
}

int
session_save(struct session *s, enum save_kind k, const char *path,
    int flags, char **cause)
{
	char *text = NULL, *full;
	int rc;

	while (*path == ' ')
		path++;
	if (*path == '\0') {
		*cause = xstrdup("no file name was given");
		return -1;
	}
	if (s->report == NULL) {
		*cause = xstrdup("there is no result to save yet");
		return -1;
	}
	switch (k) {
	case SAVE_TEXT:
		text = report_text(s->report, s->ascii);
		break;
	case SAVE_JSON:
		text = report_json(s->report);
		break;
	default:
		text = report_owner_message(s->report);
		if (text == NULL) {
			*cause = xstrdup("Nothing was found that the site "
			    "owner must fix, so there is no message to send.");
			return -2;
		}
		break;
	}
	full = expand_home(path);
	rc = report_save(full, text, flags, cause);
	if (rc == 0)
		saved_note(s, full);
	free(full);
	free(text);
	return rc;
}

char *
session_str(const struct session *s, const char *str)
{
	if (str == NULL)
		return xstrdup("");
	if (s->ascii)
		return sanitize_once(str, 4096, 1);
	return sanitize_once(str, 4096, 0);
}
