/* text.c: page texts for the wizard (see text.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "help.h"
#include "suites.h"
#include "text.h"

const char *
text_state_tag(enum check_state s)
{
	switch (s) {
	case CHECK_RUNNING:
		return "[ .. ]";
	case CHECK_PASSED:
		return "[ ok ]";
	case CHECK_WARNING:
		return "[warn]";
	case CHECK_FAILED:
		return "[FAIL]";
	case CHECK_SKIPPED:
		return "[skip]";
	default:
		return "[    ]";
	}
}

const char *
text_state_words(enum check_state s)
{
	switch (s) {
	case CHECK_RUNNING:
		return "checking...";
	case CHECK_PASSED:
		return "passed";
	case CHECK_WARNING:
		return "warning";
	case CHECK_FAILED:
		return "FAILED";
	case CHECK_SKIPPED:
		return "could not be tested";
	default:
		return "waiting";
	}
}

const char *
text_severity_tag(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "[FAIL]";
	case SEV_WARNING:
		return "[warn]";
	default:
		return "[info]";
	}
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

char *
text_headline(const struct session *s)
{
	const struct report *r = s->report;
	int counts[OWNER_COUNT] = { 0 }, total = 0;
	char *host = session_target_text(s), *out;

	if (r == NULL) {
		out = xasprintf("No result yet for %s.", host);
		free(host);
		return out;
	}
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity >= SEV_WARNING) {
			counts[r->findings[i].owner]++;
			total++;
		}
	if (r->verdict == VERDICT_UNREACHABLE) {
		char *why = session_str(s, r->error ? r->error : "unknown");
		if (r->error != NULL && strcmp(r->error, "cancelled") == 0)
			out = xasprintf("The checks of %s were stopped before "
			    "the end, so this result is incomplete.", host);
		else
			out = xasprintf("tlsmedic could not test %s: %s.",
			    host, why);
		free(why);
	} else if (total == 0) {
		out = xasprintf("No problem found with %s. If it still fails "
		    "for you, the cause is likely on your side: the answers "
		    "about your computer (step 2) help to find it.", host);
	} else {
		struct strbuf b = { 0 };
		int first = 1;
		static const char *const who[] = { "you", "the site owner",
			"your network admin" };

		strbuf_printf(&b, "%d problem%s found with %s. Who can fix "
		    "%s: ", total, total == 1 ? "" : "s", host,
		    total == 1 ? "it" : "them");
		for (int o = 0; o < OWNER_COUNT; o++) {
			if (counts[o] == 0)
				continue;
			strbuf_printf(&b, "%s%s", first ? "" : ", ", who[o]);
			first = 0;
		}
		strbuf_puts(&b, ".");
		out = strbuf_steal(&b);
	}
	free(host);
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

char *
text_advice(const struct session *s, const struct finding *f, int width)
{
	struct strbuf b = { 0 };
	const char *id = finding_id_str(f->id);
	const struct help_entry *e = help_get(id);
	struct strbuf line = { 0 };

	strbuf_printf(&b, "%s %s -- %s (%s)\n\n",
	    text_severity_tag(f->severity), severity_word(f->severity),
	    owner_title(f->owner), id);
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
	char *h = help_render(e, width);
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
	char *h = help_render(e, width);
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

	strbuf_printf(&l, "  %-12s ", name);
	add_model(&l, s, value ? value : "-");
	text_wrap(b, l.s, width, 15);
	strbuf_free(&l);
}

char *
text_details(const struct session *s, int width)
{
	struct strbuf b = { 0 };
	const struct report *r = s->report;
	char buf[64];

	if (r == NULL)
		return xstrdup("No result yet.\n");
	strbuf_puts(&b, "== Connection\n");
	details_field(&b, s, "Site", r->host, width);
	snprintf(buf, sizeof buf, "%d", r->port);
	details_field(&b, s, "Port", buf, width);
	details_field(&b, s, "Address", r->address, width);
	details_field(&b, s, "SNI sent", r->sni ? r->sni : "(none)", width);
	details_field(&b, s, "Negotiated", r->negotiated, width);
	if (r->dh_bits > 0) {
		snprintf(buf, sizeof buf, "%d bits", r->dh_bits);
		details_field(&b, s, "DHE group", buf, width);
	}
	if (r->handshake_note != NULL)
		details_field(&b, s, "Handshakes", r->handshake_note, width);
	snprintf(buf, sizeof buf, "%d connections, %ld ms", r->handshakes,
	    r->elapsed_ms);
	details_field(&b, s, "Work done", buf, width);

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

	strbuf_puts(&b, "\n== Clock\n");
	fmt_time(buf, sizeof buf, r->clock.local);
	details_field(&b, s, "This computer", buf, width);
	if (r->clock.reference != NULL) {
		snprintf(buf, sizeof buf, "%ld s", r->clock.skew_s);
		details_field(&b, s, "Off by", buf, width);
		details_field(&b, s, "Compared to", r->clock.reference, width);
	}
	return strbuf_steal(&b);
}

char *
text_help(const struct session *s, int width)
{
	struct strbuf b = { 0 };
	const struct help_entry *e = help_get("handshake");

	add_folded(&b, s,
	    "== How tlsmedic helps\n"
	    "tlsmedic finds out why a secure (https) connection to a site "
	    "fails, and who can fix it: you, the site owner, or your "
	    "network admin. It goes in four steps: 1. the site, 2. your "
	    "computer, 3. the server, 4. the results. It only looks: it "
	    "changes nothing on your computer or on the site.\n\n", width, 0);
	add_folded(&b, s,
	    "== Keys\n"
	    "  Up/Down     move, or scroll a page\n"
	    "  Left/Right  choose an answer\n"
	    "  Tab         next field or section\n"
	    "  Enter       go on, or open the advice for a problem\n"
	    "  Esc or Backspace   go back\n"
	    "  n           what not to do (not while typing)\n"
	    "  d           details for experts (on the results)\n"
	    "  s           save the report (on the results)\n"
	    "  ?           this page\n"
	    "  q           quit (not while typing)\n"
	    "The bottom line of every screen shows the keys that work "
	    "there.\n", width, 14);
	if (e != NULL) {
		char *h = help_render(e, width);
		strbuf_puts(&b, "\n");
		add_folded(&b, s, h, width, 0);
		free(h);
	}
	return strbuf_steal(&b);
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
