/* session.c: the wizard's data and its link to the engine (see session.h).
 * The engine runs in its own threads; its notify callback only writes a
 * byte to a self-pipe, which the face polls with stdin. */
#include <errno.h>
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
	const struct options *o = s->o;

	while (*text == ' ' || *text == '\t')
		text++;
	if (*text == '\0') {
		*cause = xstrdup("Please type the name of the site, for "
		    "example example.org.");
		return -1;
	}
	if (target_parse(text, &t, cause) != 0)
		return -1;
	target_forget(s);
	s->target = t;
	s->have_target = 1;
	if (o->have_resolve && o->resolve.host != NULL &&
	    strcasecmp(o->resolve.host, t.host) == 0 &&
	    o->resolve.port == t.port)
		s->connect_addr = xstrdup(o->resolve.addr);
	return 0;
}

int
session_set_scenario(struct session *s, const char *name, char **cause)
{
	const char *host;
	int port;

	if (s->lab == NULL || lab_target(s->lab, name, &host, &port) != 0) {
		*cause = xasprintf("There is no practice site called \"%s\".",
		    name);
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
	/* The practice sites run on this computer: never through a proxy. */
	s->dopts.proxy = s->scenario ? "" : o->proxy;
	s->dopts.noproxy = o->noproxy;
	for (int c = 0; c < CHECK_COUNT; c++)
		s->states[c] = CHECK_WAITING;
	s->cancelled = 0;
	s->started_ms = now_ms();
	s->diag = diag_start(&s->dopts, session_notify, s);
}

int
session_wake_fd(const struct session *s)
{
	return s->wake[0];
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
	s->cancelled = 0;
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

int
session_exit_status(const struct session *s)
{
	if (s->report == NULL)
		return 3;
	switch (s->report->verdict) {
	case VERDICT_OK:
		return 0;
	case VERDICT_PROBLEMS:
	case VERDICT_INCOMPLETE:
		return 1;
	default:
		return 3;
	}
}

const char *
save_kind_title(enum save_kind k)
{
	static const char *const titles[SAVE_KIND_COUNT] = {
		"The report as text (to read or attach to an e-mail)",
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

int
session_save(struct session *s, enum save_kind k, const char *path,
    int overwrite, char **cause)
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
	rc = report_save(full, text, overwrite, cause);
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
		return sanitize_ascii(str, strlen(str), 4096);
	return sanitize(str, strlen(str), 4096);
}
