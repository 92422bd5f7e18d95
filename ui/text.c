/* text.c: page texts for the wizard (see text.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients.h"
#include "clock.h"
#include "help.h"
#include "report.h"
#include "suites.h"
#include "text.h"

const char *
text_state_tag(enum check_state s)
{
	return report_state_tag(s);
}

const char *
text_state_words(enum check_state s)
{
	switch (s) {
	case CHECK_FAILED:
		return "FAILED";
	case CHECK_SKIPPED:
		return "skipped: not tested";
	default:
		return report_state_word(s);
	}
}

const char *
text_severity_tag(enum severity s)
{
	return report_severity_tag(s);
}

const char *
text_finding_title(const struct finding *f)
{
	const struct help_entry *e = help_get(finding_id_str(f->id));

	if (e != NULL && e->title != NULL && *e->title != '\0')
		return e->title;
	return f->summary;
}

/* Typographic characters our own texts may use, and their ASCII form. */
static const struct {
	const char *utf8, *ascii;
} folds[] = {
	{ "\xe2\x80\x94", "--" }, { "\xe2\x80\x93", "-" },
	{ "\xe2\x80\x98", "'" },  { "\xe2\x80\x99", "'" },
	{ "\xe2\x80\x9c", "\"" }, { "\xe2\x80\x9d", "\"" },
	{ "\xe2\x80\xa6", "..." }, { "\xe2\x80\xa2", "*" },
	{ "\xe2\x86\x92", "->" }, { "\xc2\xa0", " " },
	{ "\xe2\x9c\x93", "ok" }, { "\xc2\xb7", "*" },
};

char *
text_fold(const char *s, int ascii)
{
	struct strbuf b = { 0 };

	strbuf_add(&b, "", 0);
	if (s == NULL)
		return strbuf_steal(&b);
	while (*s != '\0') {
		unsigned char c = (unsigned char)*s;
		size_t i;

		if (c < 0x80) {
			/* Our texts are ours, but keep control bytes out
			 * anyway: only newline and tab pass. */
			if (c >= 0x20 || c == '\n')
				strbuf_add(&b, s, 1);
			else if (c == '\t')
				strbuf_add(&b, "  ", 2);
			s++;
			continue;
		}
		for (i = 0; i < sizeof folds / sizeof folds[0]; i++) {
			size_t n = strlen(folds[i].utf8);
			if (strncmp(s, folds[i].utf8, n) == 0)
				break;
		}
		size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (strnlen(s, n) < n)
			n = strnlen(s, n);
		if (!ascii)
			strbuf_add(&b, s, n);
		else if (i < sizeof folds / sizeof folds[0])
			strbuf_puts(&b, folds[i].ascii);
		else
			strbuf_add(&b, "?", 1);
		s += n;
	}
	return strbuf_steal(&b);
}

size_t
text_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Bytes of the first `cols` code points of s (at most len bytes). */
static size_t
text_cut(const char *s, size_t len, size_t cols)
{
	size_t i = 0, n = 0;

	while (i < len) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n == cols)
				break;
			n++;
		}
		i++;
	}
	return i;
}

static void
wrap_line(struct strbuf *b, const char *p, size_t len, size_t w,
    size_t indent)
{
	size_t col = 0;
	int first = 1, fresh = 1; /* fresh: nothing on this line yet */

	/* A line that fits stays as it is: tables keep their columns. */
	size_t cols = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			cols++;
	if (cols <= w) {
		strbuf_add(b, p, len);
		strbuf_add(b, "\n", 1);
		return;
	}

	for (;;) {
		while (len > 0 && *p == ' ' && !first) {
			p++;
			len--;
		}
		if (first) {
			/* keep the line's own leading spaces */
			size_t lead = strspn(p, " ");
			if (lead > len)
				lead = len;
			if (lead >= w)
				lead = 0;
			strbuf_add(b, p, lead);
			p += lead;
			len -= lead;
			col = lead;
			first = 0;
		}
		if (len == 0)
			break;
		size_t wl = 0;
		while (wl < len && p[wl] != ' ')
			wl++;
		size_t ww = 0;
		for (size_t i = 0; i < wl; i++)
			if (((unsigned char)p[i] & 0xc0) != 0x80)
				ww++;
		int at_start = fresh;
		if (!at_start && col + 1 + ww > w) {
			strbuf_add(b, "\n", 1);
			for (size_t i = 0; i < indent; i++)
				strbuf_add(b, " ", 1);
			col = indent;
			at_start = fresh = 1;
		}
		if (!at_start) {
			strbuf_add(b, " ", 1);
			col++;
		}
		while (ww > w - col && w > col) {
			/* a word longer than the line: cut it */
			size_t cut = text_cut(p, wl, w - col);
			strbuf_add(b, p, cut);
			p += cut;
			len -= cut;
			wl -= cut;
			ww -= w - col;
			strbuf_add(b, "\n", 1);
			for (size_t i = 0; i < indent; i++)
				strbuf_add(b, " ", 1);
			col = indent;
		}
		strbuf_add(b, p, wl);
		p += wl;
		len -= wl;
		col += ww;
		fresh = 0;
	}
	strbuf_add(b, "\n", 1);
}

void
text_wrap(struct strbuf *b, const char *s, int width, int indent)
{
	size_t w = width < 10 ? 10 : (size_t)width;
	size_t ind = indent < 0 || (size_t)indent >= w / 2 ? 0 : (size_t)indent;

	while (s != NULL) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		if (nl == NULL && len == 0)
			break;
		wrap_line(b, s, len, w, ind);
		s = nl ? nl + 1 : NULL;
	}
}

/* A model string for the page, sanitized again for ASCII terminals. */
static void
add_model(struct strbuf *b, const struct session *s, const char *str)
{
	char *t = session_str(s, str);
	strbuf_puts(b, t);
	free(t);
}

/* "you, the site owner" for the findings that matter; NULL when none. */
static char *
who_acts(const struct report *r, int *total)
{
	static const char *const who[] = { "you", "the site owner",
		"your network admin" };
	int counts[OWNER_COUNT] = { 0 }, first = 1;
	struct strbuf b = { 0 };

	*total = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity >= SEV_WARNING &&
		    (unsigned)r->findings[i].owner < OWNER_COUNT) {
			counts[r->findings[i].owner]++;
			(*total)++;
		}
	if (*total == 0)
		return NULL;
	for (int o = 0; o < OWNER_COUNT; o++) {
		if (counts[o] == 0)
			continue;
		strbuf_printf(&b, "%s%s", first ? "" : ", ", who[o]);
		first = 0;
	}
	return strbuf_steal(&b);
}

char *
text_headline(const struct session *s)
{
	const struct report *r = s->report;
	int total;
	char *host = session_target_text(s), *out, *who;

	if (r == NULL) {
		out = xasprintf("No result yet for %s.", host);
		free(host);
		return out;
	}
	who = who_acts(r, &total);
	if (s->stopped) {
		if (who != NULL)
			out = xasprintf("You stopped the checks of %s before the "
			    "end. Found so far: %d problem%s. Who can fix %s: "
			    "%s. The rest was not tested.", host, total,
			    total == 1 ? "" : "s", total == 1 ? "it" : "them",
			    who);
		else
			out = xasprintf("You stopped the checks of %s before the "
			    "end, so this result is incomplete: what was not "
			    "checked is not known to be good.", host);
	} else if (r->verdict == VERDICT_UNREACHABLE) {
		char *why = session_str(s, r->error ? r->error : "unknown");

		if (report_find(r, FINDING_NET_DNS) != NULL)
			out = xasprintf("The name %s was not found, so nothing "
			    "could be tested. Check the spelling of the site's "
			    "name.", s->target.host ? s->target.host : host);
		else if (report_find(r, FINDING_NET_TIMEOUT) != NULL)
			out = xasprintf("The server %s did not answer in time, "
			    "so nothing could be tested.", host);
		else if (report_find(r, FINDING_NET_REFUSED) != NULL)
			out = xasprintf("Nothing answers at %s: the server "
			    "refused the connection, so nothing could be "
			    "tested.", host);
		else
			out = xasprintf("tlsmedic could not test %s: %s.",
			    host, why);
		free(why);
	} else if (total == 0 && r->verdict == VERDICT_INCOMPLETE) {
		out = xasprintf("Nothing wrong found with %s so far, but some "
		    "checks could not be done (the [skip] lines), so this is "
		    "not a clean result.", host);
	} else if (total == 0) {
		out = xasprintf("No problem found with %s. If it still fails "
		    "for you, the cause is likely on your side: the answers "
		    "about your computer (step 2) help to find it.", host);
	} else {
		out = xasprintf("%d problem%s found with %s. Who can fix %s: "
		    "%s.", total, total == 1 ? "" : "s", host,
		    total == 1 ? "it" : "them", who);
	}
	free(who);
	free(host);
	return out;
}

char *
text_summary(const struct session *s, int width)
{
	struct strbuf b = { 0 }, l = { 0 };
	const struct report *r = s->report;
	char *h, *t;
	int shown = 0;

	if (width < 20)
		width = 20;
	if (!s->have_target) {
		strbuf_puts(&l, "tlsmedic: no site was checked.");
	} else if (r == NULL) {
		char *host = session_target_text(s);
		strbuf_printf(&l, "tlsmedic: the checks of %s did not finish; "
		    "there is no result.", host);
		free(host);
	} else {
		h = text_headline(s);
		strbuf_printf(&l, "tlsmedic: %s", h);
		free(h);
	}
	t = text_fold(l.s, s->ascii);
	text_wrap(&b, t, width, 10);
	free(t);
	strbuf_free(&l);
	for (size_t i = 0; r != NULL && i < r->nfindings && shown < 3; i++) {
		const struct finding *f = &r->findings[i];

		if (f->severity < SEV_WARNING)
			continue;
		strbuf_printf(&l, "  %s %s (%c%s)",
		    text_severity_tag(f->severity), text_finding_title(f),
		    tolower((unsigned char)owner_title(f->owner)[0]),
		    owner_title(f->owner) + 1);
		t = text_fold(l.s, s->ascii);
		text_wrap(&b, t, width, 9);
		free(t);
		strbuf_free(&l);
		shown++;
	}
	if (r != NULL) {
		char *where = s->saved_to ? session_str(s, s->saved_to) : NULL;

		if (where != NULL)
			strbuf_printf(&l, "Saved to %s", where);
		else
			strbuf_puts(&l, "The result was not saved.");
		free(where);
		t = text_fold(l.s, s->ascii);
		text_wrap(&b, t, width, 2);
		free(t);
		strbuf_free(&l);
	}
	return strbuf_steal(&b);
}

/* The first sentence of a text (up to ". "), for one-line explanations. */
static char *
first_sentence(const char *t)
{
	const char *e = strstr(t, ". ");

	return e != NULL ? xstrndup(t, (size_t)(e - t) + 1) : xstrdup(t);
}

const char *
text_state_meaning(enum check_state st)
{
	switch (st) {
	case CHECK_RUNNING:
		return "Being checked now.";
	case CHECK_PASSED:
		return "Passed: tested, nothing wrong found.";
	case CHECK_WARNING:
		return "Warning: it works, but should be fixed (see the "
		    "results).";
	case CHECK_FAILED:
		return "Failed: a reason the connection fails (the results say "
		    "who can fix it).";
	case CHECK_SKIPPED:
		return "Skipped: not tested, so not known to be good.";
	default:
		return "Waiting: not checked yet.";
	}
}

char *
text_skip_reason(const struct session *s, enum check c)
{
	const struct report *r = s->report;

	if (r == NULL || r->checks[c] != CHECK_SKIPPED)
		return NULL;
	if (r->check_reason[c] != NULL) {
		if (strcmp(r->check_reason[c], "stopped by you") == 0)
			return xstrdup("you stopped the checks.");
		return session_str(s, r->check_reason[c]);
	}
	if (r->verdict == VERDICT_UNREACHABLE)
		return xstrdup("the server could not be reached, so nothing on "
		    "it could be tested.");
	switch (c) {
	case CHECK_SNI:
		return xstrdup(r->sni == NULL ? "no name was sent (the site "
		    "was given as an address), so there is nothing to compare."
		    : "it could not be compared with a connection without "
		    "the name.");
	case CHECK_REVOCATION:
		return xstrdup("the certificate names no place to ask, or that "
		    "place did not answer.");
	case CHECK_CERT:
	case CHECK_INTERCEPTION:
		if (r->chain.n == 0)
			return xstrdup("the server sent no certificate to "
			    "look at.");
		break;
	default:
		break;
	}
	return xstrdup("tlsmedic had nothing to test it with.");
}

char *
text_check_explain(const struct session *s, enum check c,
    enum check_state st)
{
	char id[64], *first, *why, *out;
	const struct help_entry *e;

	snprintf(id, sizeof id, "term.%s", check_key(c));
	e = help_get(id);
	first = first_sentence(e != NULL ? e->meaning : check_title(c));
	why = st == CHECK_SKIPPED ? text_skip_reason(s, c) : NULL;
	out = xasprintf("%s %s%s%s", first, text_state_meaning(st),
	    why ? " Why: " : "", why ? why : "");
	free(first);
	free(why);
	return out;
}

/* help/ texts are also --explain's and the batch report's, so they name
 * commands; inside the wizard those mean nothing, and HOST is only a
 * placeholder. Drop tlsmedic's own command lines, say the site for HOST,
 * and name the advice instead of the --explain command. */
static char *
wizard_words(const struct session *s, const char *text)
{
	struct strbuf b = { 0 };
	char *host = s->have_target ? session_str(s, s->target.host) :
	    xstrdup("the-site");
	const char *p = text;
	static const char ref[] = "\"tlsmedic --explain ";

	strbuf_add(&b, "", 0);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n'), *q;
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);

		p += len + (nl != NULL);
		if (line[0] == '\t' && strncmp(line + 1, "tlsmedic", 8) == 0) {
			/* the sentence before announced it with ':' */
			if (b.len >= 2 && b.s[b.len - 2] == ':')
				b.s[b.len - 2] = '.';
			free(line);
			continue;
		}
		for (q = line; *q != '\0';) {
			const char *r = strstr(q, ref), *h = strstr(q, "HOST");

			if (h != NULL && (r == NULL || h < r) && (h == line ||
			    !isalnum((unsigned char)h[-1])) &&
			    !isalnum((unsigned char)h[4])) {
				strbuf_add(&b, q, (size_t)(h - q));
				strbuf_puts(&b, host);
				q = h + 4;
			} else if (r != NULL) {
				const char *id = r + sizeof ref - 1;
				size_t n = strcspn(id, "\"");
				char *want = xstrndup(id, n);
				const struct help_entry *e = help_get(want);

				strbuf_add(&b, q, (size_t)(r - q));
				if (strcmp(want, "not-to-do") == 0)
					strbuf_puts(&b, "\"What not to do\" "
					    "(the n key)");
				else if (e != NULL)
					strbuf_printf(&b, "the advice \"%s\"",
					    e->title);
				else
					strbuf_puts(&b, "the advice");
				free(want);
				q = id[n] == '"' ? id + n + 1 : id + n;
			} else {
				strbuf_puts(&b, q);
				break;
			}
		}
		strbuf_add(&b, "\n", 1);
		free(line);
	}
	if (b.len > 0 && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	free(host);
	return strbuf_steal(&b);
}

/* An entry of help/ rendered for the wizard's pages (caller frees). */
static char *
render_for_wizard(const struct session *s, const struct help_entry *e,
    int width)
{
	struct help_entry w = *e;
	char *f[5], *out;

	w.meaning = f[0] = wizard_words(s, e->meaning);
	w.who = f[1] = wizard_words(s, e->who);
	w.steps = f[2] = wizard_words(s, e->steps);
	w.check = f[3] = wizard_words(s, e->check);
	w.dont = f[4] = wizard_words(s, e->dont);
	out = help_render(&w, width);
	for (int i = 0; i < 5; i++)
		free(f[i]);
	return out;
}

static void
add_folded(struct strbuf *b, const struct session *s, const char *text,
    int width, int indent)
{
	char *t = text_fold(text, s->ascii);
	text_wrap(b, t, width, indent);
	free(t);
}

static const char *
severity_word(enum severity sev)
{
	return sev == SEV_ERROR ? "Problem" : sev == SEV_WARNING ? "Warning" :
	    "Note";
}

/* The title a non-expert reads, as the results list shows it. */
static char *
finding_heading(const struct session *s, const struct finding *f)
{
	return text_fold(text_finding_title(f), s->ascii);
}

char *
text_advice(const struct session *s, const struct finding *f, int width)
{
	struct strbuf b = { 0 };
	const char *id = finding_id_str(f->id);
	const struct help_entry *e = help_get(id);
	struct strbuf line = { 0 };

	/* no id here: ids are for experts (details, JSON, batch) */
	strbuf_printf(&line, "%s %s -- %s", text_severity_tag(f->severity),
	    severity_word(f->severity), owner_title(f->owner));
	text_wrap(&b, line.s, width, 7);
	strbuf_free(&line);
	strbuf_puts(&b, "\n");
	strbuf_puts(&line, "What tlsmedic saw: ");
	add_model(&line, s, f->summary);
	text_wrap(&b, line.s, width, 0);
	strbuf_free(&line);
	if (f->evidence != NULL && *f->evidence != '\0') {
		strbuf_puts(&line, "Evidence: ");
		add_model(&line, s, f->evidence);
		text_wrap(&b, line.s, width, 0);
		strbuf_free(&line);
	}
	if (e == NULL) {
		strbuf_puts(&b, "\nThere is no advice text for this problem "
		    "yet.\n");
		return strbuf_steal(&b);
	}
	char *h = render_for_wizard(s, e, width);
	strbuf_puts(&b, "\n");
	add_folded(&b, s, h, width, 0);
	free(h);
	return strbuf_steal(&b);
}

char *
text_not_to_do(const struct session *s, int width)
{
	struct strbuf b = { 0 };
	const struct help_entry *e = help_get("not-to-do");

	if (e == NULL) {
		add_folded(&b, s, "What not to do\n\n"
		    "- Do not turn off certificate checks or click through "
		    "the warning: that removes the protection the check "
		    "gives you.\n"
		    "- Do not install a certificate or a \"security\" "
		    "program because a site or an e-mail tells you to.\n"
		    "- Do not change your computer's date to make a warning "
		    "go away.\n"
		    "- Do not type passwords or card numbers into a site "
		    "that shows a certificate warning.\n", width, 2);
		return strbuf_steal(&b);
	}
	char *h = render_for_wizard(s, e, width);
	add_folded(&b, s, h, width, 0);
	free(h);
	return strbuf_steal(&b);
}

static void
fmt_time(char *buf, size_t n, time_t t)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL)
		snprintf(buf, n, "unknown");
	else
		strftime(buf, n, "%Y-%m-%d %H:%M UTC", &tm);
}

static void
details_field(struct strbuf *b, const struct session *s, const char *name,
    const char *value, int width)
{
	struct strbuf l = { 0 };
	int label = (int)strlen(name) > 12 ? (int)strlen(name) : 12;

	/* continuation lines start under the value, whatever the label */
	strbuf_printf(&l, "  %-*s ", label, name);
	add_model(&l, s, value ? value : "-");
	text_wrap(b, l.s, width, label + 3);
	strbuf_free(&l);
}

/* The findings with their ids: the one page where ids belong. */
static void
details_findings(struct strbuf *b, const struct session *s, int width)
{
	const struct report *r = s->report;
	struct strbuf l = { 0 };

	strbuf_puts(b, "== Findings (ids for --explain and JSON)\n");
	if (r->nfindings == 0)
		strbuf_puts(b, "  (none)\n");
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		char *t = finding_heading(s, f);

		strbuf_printf(&l, "  %s %s: %s", text_severity_tag(f->severity),
		    finding_id_str(f->id), t);
		text_wrap(b, l.s, width, 9);
		strbuf_free(&l);
		free(t);
	}
	strbuf_puts(b, "\n");
}

char *
text_details(const struct session *s, int width)
{
	struct strbuf b = { 0 };
	const struct report *r = s->report;
	char buf[64];

	if (r == NULL)
		return xstrdup("No result yet.\n");
	details_findings(&b, s, width);
	strbuf_puts(&b, "== Connection\n");
	details_field(&b, s, "Site", r->host, width);
	snprintf(buf, sizeof buf, "%d", r->port);
	details_field(&b, s, "Port", buf, width);
	details_field(&b, s, "Address", r->address, width);
	details_field(&b, s, "SNI sent", r->sni ? r->sni : "(none)", width);
	details_field(&b, s, "Negotiated", r->negotiated, width);
	if (r->path.proxy != NULL) {
		char *p = xasprintf("through %s (from %s)%s%s", r->path.proxy,
		    r->path.source, r->path.direct ? "; directly: " : "",
		    r->path.direct ? r->path.direct : "");
		details_field(&b, s, "Path", p, width);
		free(p);
	}
	if (r->dh_bits > 0) {
		snprintf(buf, sizeof buf, "%d bits", r->dh_bits);
		details_field(&b, s, "DHE group", buf, width);
	}
	if (r->handshake_note != NULL)
		details_field(&b, s, "Handshakes", r->handshake_note, width);
	snprintf(buf, sizeof buf, "%d connections, %ld ms", r->handshakes,
	    r->elapsed_ms);
	details_field(&b, s, "Work done", buf, width);

	if (r->naddrs > 0) {
		strbuf_printf(&b, "\n== Every address of the name (%zu)\n",
		    r->naddrs);
		for (size_t i = 0; i < r->naddrs; i++) {
			char *v = xasprintf("%s: %s", r->addrs[i].status,
			    r->addrs[i].summary ? r->addrs[i].summary : "");
			details_field(&b, s, r->addrs[i].address, v, width);
			free(v);
		}
	}

	strbuf_puts(&b, "\n== Protocol versions\n");
	strbuf_printf(&b, "  %-10s %s\n", "Version", "Server accepts");
	for (int p = PROTO_COUNT - 1; p >= 0; p--)
		strbuf_printf(&b, "  %-10s %s\n", proto_name((enum proto)p),
		    r->protocols[p] == TRI_YES ? "yes" :
		    r->protocols[p] == TRI_NO ? "no" : "not tested");

	strbuf_puts(&b, "\n== Cipher suites\n");
	for (int p = PROTO_COUNT - 1; p >= 0; p--) {
		const struct suite_set *ss = &r->ciphers[p];

		if (r->protocols[p] != TRI_YES)
			continue;
		if (!ss->tested) {
			strbuf_printf(&b, "  %s: not enumerated\n",
			    proto_name((enum proto)p));
			continue;
		}
		strbuf_printf(&b, "  %s (%zu):\n", proto_name((enum proto)p),
		    ss->n);
		for (size_t i = 0; i < ss->n; i++) {
			char code[8];
			const struct suite_info *si = suite_find(ss->codes[i]);
			strbuf_printf(&b, "    0x%04X  %s%s\n", ss->codes[i],
			    suite_name(ss->codes[i], code),
			    si && (si->flags & SUITE_WEAK) ? "  (weak)" : "");
		}
	}

	strbuf_printf(&b, "\n== Certificate chain (%zu sent)\n", r->chain.n);
	for (size_t i = 0; i < r->chain.n; i++) {
		const struct cert_info *c = &r->chain.certs[i];
		struct strbuf sans = { 0 };

		strbuf_printf(&b, "\n  #%zu %s\n", i + 1, i == 0 ? "the site's "
		    "certificate" : c->self_signed ? "a root (self-signed)" :
		    "an intermediate");
		details_field(&b, s, "Subject", c->subject, width);
		details_field(&b, s, "Issuer", c->issuer, width);
		for (size_t k = 0; k < c->nsans; k++)
			strbuf_printf(&sans, "%s%s", k ? ", " : "", c->sans[k]);
		if (c->nsans > 0)
			details_field(&b, s, "Names", sans.s, width);
		strbuf_free(&sans);
		fmt_time(buf, sizeof buf, c->not_before);
		details_field(&b, s, "Valid from", buf, width);
		fmt_time(buf, sizeof buf, c->not_after);
		details_field(&b, s, "Valid until", buf, width);
		snprintf(buf, sizeof buf, "%s %d bits",
		    c->key_type ? c->key_type : "?", c->key_bits);
		details_field(&b, s, "Key", buf, width);
		details_field(&b, s, "Signature", c->signature, width);
		details_field(&b, s, "SHA-256", c->sha256, width);
		if (c->ocsp_url)
			details_field(&b, s, "OCSP", c->ocsp_url, width);
		if (c->crl_url)
			details_field(&b, s, "CRL", c->crl_url, width);
		if (c->ca_issuers_url)
			details_field(&b, s, "CA issuers", c->ca_issuers_url,
			    width);
	}
	if (r->chain.n == 0)
		strbuf_puts(&b, "  (no certificate was received)\n");

	/* Which clients can connect (clients.h): plain ASCII already. */
	char *ct = clients_table(r, width, 2);
	strbuf_puts(&b, "\n== Which clients can connect\n");
	strbuf_puts(&b, ct);
	free(ct);
	if (r->clients_note != NULL) {
		struct strbuf l = { 0 };
		strbuf_puts(&l, "  ");
		add_model(&l, s, r->clients_note);
		text_wrap(&b, l.s, width, 2);
		strbuf_free(&l);
	}

	strbuf_puts(&b, "\n== Clock\n");
	fmt_time(buf, sizeof buf, r->clock.local);
	details_field(&b, s, "This computer", buf, width);
	if (r->clock.reference != NULL) {
		snprintf(buf, sizeof buf, "%ld s", r->clock.skew_s);
		details_field(&b, s, "Off by", buf, width);
		details_field(&b, s, "Compared to", r->clock.reference, width);
	}
	for (size_t i = 0; i < r->clock.nrefs; i++) {
		char *t = clock_ref_text(&r->clock.refs[i]);
		details_field(&b, s, i == 0 ? "References" : "", t, width);
		free(t);
	}
	return strbuf_steal(&b);
}

/* help/ renders a title underlined with '='; the pages mark a heading
 * with "== " instead. */
static void
add_entry_heading(struct strbuf *b, const struct session *s, char *h,
    int width)
{
	char *nl = strchr(h, '\n');

	if (nl != NULL && nl[1] == '=') {
		char *end = strchr(nl + 1, '\n');
		memmove(nl + 1, end ? end + 1 : nl + 1, strlen(end ? end + 1 :
		    nl + 1) + 1);
	}
	strbuf_puts(b, "== ");
	add_folded(b, s, h, width, 0);
}

char *
text_help(const struct session *s, int width)
{
	return text_help_for(s, width, 0);
}

char *
text_help_for(const struct session *s, int width, int plain)
{
	struct strbuf b = { 0 };
	const struct help_entry *e = help_get("handshake");
	static const enum check_state marks[] = { CHECK_PASSED, CHECK_WARNING,
		CHECK_FAILED, CHECK_SKIPPED };

	add_folded(&b, s,
	    "== How tlsmedic helps\n"
	    "tlsmedic finds out why a secure (https) connection to a site "
	    "fails, and who can fix it: you, the site owner, or your "
	    "network admin. It goes in four steps: 1. the site, 2. your "
	    "computer, 3. the server, 4. the results. It only looks: it "
	    "changes nothing on your computer or on the site.\n\n", width, 0);
	if (plain)
		add_folded(&b, s,
		    "== Commands\n"
		    "At every question you may type:\n"
		    "  q   quit (asks first if the result is not saved)\n"
		    "  ?   this help\n"
		    "  b   go back to the question before\n"
		    "While the checks run, x and Enter stops them. After the "
		    "results, type a problem's number for its advice, or one of "
		    "the letters shown.\n\n", width, 6);
	else
		add_folded(&b, s,
		    "== Keys\n"
		    "  Up/Down     move, or scroll a page\n"
		    "  Left/Right  choose an answer\n"
		    "  Tab         next field or section\n"
		    "  Enter       go on, or open the advice for a problem\n"
		    "  Esc         go back one step\n"
		    "  x           stop the checks while they run\n"
		    "  a           run the checks again after a stop\n"
		    "  n           what not to do (not while typing)\n"
		    "  d           details for experts (on the results)\n"
		    "  s           save the result (on the results)\n"
		    "  r           check another site (on the results)\n"
		    "  ? or F1     this page\n"
		    "  q           quit; asks first if the result is not saved\n"
		    "The bottom line of every screen shows the keys that work "
		    "there; a narrow window shows the most important ones.\n\n",
		    width, 14);
	strbuf_puts(&b, "== What the marks mean\n");
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		char *m = xasprintf("%s %s", text_state_tag(marks[i]),
		    text_state_meaning(marks[i]));
		add_folded(&b, s, m, width, 7);
		free(m);
	}
	add_folded(&b, s, "A problem in the results has the same marks: "
	    "[FAIL] must be fixed, [warn] should be fixed, [info] is a "
	    "note.\n\n", width, 0);
	for (int c = 0; c < CHECK_COUNT; c++) {
		char id[64];
		const struct help_entry *t;

		snprintf(id, sizeof id, "term.%s", check_key((enum check)c));
		if ((t = help_get(id)) == NULL)
			continue;
		strbuf_printf(&b, "== %s\n", t->title);
		char *m = wizard_words(s, t->meaning);
		add_folded(&b, s, m, width, 0);
		free(m);
		strbuf_puts(&b, "\n");
	}
	if (e != NULL) {
		char *h = render_for_wizard(s, e, width);
		add_entry_heading(&b, s, h, width);
		free(h);
	}
	return strbuf_steal(&b);
}

int
text_help_line(const char *page_line, enum check c)
{
	char id[64];
	const struct help_entry *t;

	snprintf(id, sizeof id, "term.%s", check_key(c));
	t = help_get(id);
	return t != NULL && strncmp(page_line, "== ", 3) == 0 &&
	    strcmp(page_line + 3, t->title) == 0;
}

void
lines_split(struct lines *l, const char *text)
{
	const char *p = text;

	l->v = NULL;
	l->n = 0;
	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		l->v[l->n++] = xstrndup(p, len);
		p = nl ? nl + 1 : NULL;
	}
}

void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
