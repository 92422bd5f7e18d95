/* report_text.c: the human face of a struct report, and the message for the
 * site owner (see report.h).
 *
 * Meant to be pasted into a ticket or an e-mail: nothing wider than 78
 * columns, no control bytes, pure ASCII on request. Widths are counted in
 * terminal columns, not bytes, so an IDN host or a CJK subject does not
 * push a line past the edge. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients.h"
#include "cause.h"
#include "clock.h"
#include "help.h"
#include "report.h"
#include "sanitize.h"
#include "suites.h"
#include "util.h"

#define WIDTH 78      /* report lines */
#define MAIL_WIDTH 72 /* e-mail lines */
#define LABEL 12      /* "CA issuers: " */
#define SANS_SHOWN 20

struct out {
	struct strbuf b;
	int ascii;
};

/* One code point at p (valid UTF-8 assumed; a stray byte counts as one
 * column); *len gets its byte length. Returns its width in columns. */
static int
u8_char(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	size_t n = 1;

	if (p[0] < 0x80) {
		*len = 1;
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, c = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, c = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, c = p[0] & 0x07;
	else {
		*len = 1;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*len = 1;
			return 1;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	*len = n;
	/* Combining marks take no column; East Asian wide ones take two. */
	if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0xfe00 && c <= 0xfe0f))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

static size_t
u8_width(const char *s, size_t bytes)
{
	size_t w = 0, n;

	for (size_t i = 0; i < bytes; i += n)
		w += (size_t)u8_char(s + i, &n);
	return w;
}

/* A string ready to print: clean, and ASCII when asked. Only runs of
 * non-ASCII bytes go through sanitize_ascii, so the backslashes of
 * escapes already in the model are not doubled. Caller frees. */
static char *
text_prep(const struct out *o, const char *s)
{
	struct strbuf b = { 0 };
	char *c = report_clean(s), *p = c;

	if (!o->ascii)
		return c;
	strbuf_add(&b, "", 0);
	while (*p) {
		size_t n = 0;

		while (p[n] && (unsigned char)p[n] < 0x80)
			n++;
		strbuf_add(&b, p, n);
		p += n;
		n = 0;
		while (p[n] && (unsigned char)p[n] >= 0x80)
			n++;
		if (n > 0) {
			char *a = sanitize_ascii(p, n, 16 * n + 16);
			strbuf_puts(&b, a);
			free(a);
			p += n;
		}
	}
	free(c);
	return strbuf_steal(&b);
}

static void
spaces(struct strbuf *b, size_t n)
{
	while (n-- > 0)
		strbuf_add(b, " ", 1);
}

/* Append lead + text wrapped at width columns; continuation lines are
 * indented by indent. lead is ours (ASCII); text is prepared here. Words
 * longer than a line are cut between characters. */
static void
wrap_to(struct out *o, const char *lead, const char *text, size_t indent,
    size_t width)
{
	char *t = text_prep(o, text);
	const char *p = t;
	size_t col, start;

	if (indent >= width / 2)
		indent = 0;
	strbuf_puts(&o->b, lead);
	col = start = strlen(lead);
	for (;;) {
		size_t len, w;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		len = strcspn(p, " ");
		w = u8_width(p, len);
		if (col > start && col + 1 + w > width) {
			strbuf_add(&o->b, "\n", 1);
			spaces(&o->b, indent);
			col = start = indent;
		} else if (col > start) {
			strbuf_add(&o->b, " ", 1);
			col++;
		}
		while (col + w > width) {
			/* cut the word at the last character that fits */
			size_t i = 0, cw = 0, n, c;

			while (i < len && col + cw +
			    (size_t)(c = (size_t)u8_char(p + i, &n)) <= width) {
				cw += c;
				i += n;
			}
			if (i == 0) { /* a wide character on a narrow line */
				u8_char(p, &n);
				i = n;
			}
			strbuf_add(&o->b, p, i);
			p += i;
			len -= i;
			w = u8_width(p, len);
			strbuf_add(&o->b, "\n", 1);
			spaces(&o->b, indent);
			col = start = indent;
		}
		strbuf_add(&o->b, p, len);
		p += len;
		col += w;
	}
	strbuf_add(&o->b, "\n", 1);
	free(t);
}

static void
wrap(struct out *o, const char *lead, const char *text, size_t indent)
{
	wrap_to(o, lead, text, indent, WIDTH);
}

/* "  Label:      value", value wrapped under itself. */
static void
field(struct out *o, size_t indent, const char *label, const char *value)
{
	char lead[64];

	snprintf(lead, sizeof lead, "%*s%-*s", (int)indent, "", LABEL - 1,
	    label);
	strcat(lead, " ");
	wrap(o, lead, value, indent + LABEL);
}

static void
heading(struct out *o, const char *title)
{
	size_t n = strlen(title);

	strbuf_printf(&o->b, "\n%s\n", title);
	while (n-- > 0)
		strbuf_add(&o->b, "-", 1);
	strbuf_add(&o->b, "\n", 1);
}

static void
time_str(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "unknown");
}

const char *
report_severity_tag(enum severity s)
{
	return s == SEV_ERROR ? "[FAIL]" : s == SEV_WARNING ? "[warn]" :
	    "[info]";
}

const char *
report_severity_word(enum severity s)
{
	return s == SEV_ERROR ? "problem" : s == SEV_WARNING ? "warning" :
	    "note";
}

const char *
report_state_tag(enum check_state s)
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
report_state_word(enum check_state s)
{
	switch (s) {
	case CHECK_RUNNING:
		return "checking...";
	case CHECK_PASSED:
		return "passed";
	case CHECK_WARNING:
		return "warning";
	case CHECK_FAILED:
		return "failed";
	case CHECK_SKIPPED:
		return "skipped";
	default:
		return "waiting";
	}
}

/* The title a non-expert reads (help/), else the summary. */
static const char *
finding_title(const struct finding *f)
{
	const struct help_entry *e = help_get(finding_id_str(f->id));

	return e != NULL && e->title[0] != '\0' ? e->title :
	    f->summary ? f->summary : "";
}

/* Findings of one owner, in the model's order. */
static size_t
owner_findings(const struct report *r, enum owner ow, const struct finding **v)
{
	size_t n = 0;

	/* In the model's order: report_finish() put the most serious first
	 * and each consequence right after its cause (cause.h). */
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].owner == ow)
			v[n++] = &r->findings[i];
	return n;
}

static void
text_finding(struct out *o, const struct report *r, const struct finding *f)
{
	const char *step = help_first_step(finding_id_str(f->id));
	const struct finding *cause = cause_of(r, f);
	char *s = NULL;

	/* A consequence's own advice is for a different owner: point at
	 * the cause instead. */
	if (cause != NULL)
		step = s = xasprintf("see \"%s\" above: it causes this.",
		    finding_title(cause));
	/* the wizard's words (its tag and title), and the id for experts */
	char *head = xasprintf("%s (%s)", finding_title(f),
	    finding_id_str(f->id));
	char lead[16];

	snprintf(lead, sizeof lead, "%s ", report_severity_tag(f->severity));
	strbuf_puts(&o->b, "\n");
	wrap(o, lead, head, 7);
	free(head);
	wrap(o, "  ", f->summary, 2);
	if (f->evidence != NULL && *f->evidence != '\0')
		wrap(o, "  Evidence: ", f->evidence, 4);
	if (step != NULL && *step != '\0')
		wrap(o, "  First step: ", step, 4);
	free(s);
}

static void
text_verdict(struct out *o, const struct report *r)
{
	size_t counts[SEV_ERROR + 1] = { 0 };
	int who[OWNER_COUNT] = { 0 };
	struct strbuf v = { 0 };
	char *s;

	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if ((unsigned)f->severity <= SEV_ERROR)
			counts[f->severity]++;
		if (f->severity != SEV_INFO && (unsigned)f->owner < OWNER_COUNT)
			who[f->owner] = 1;
	}
	strbuf_puts(&o->b, "\n");
	if (r->verdict == VERDICT_UNREACHABLE) {
		s = xasprintf("could not reach %s port %d%s%s",
		    r->host ? r->host : "the server", r->port,
		    r->error ? ": " : ".", r->error ? r->error : "");
		wrap(o, "Verdict: ", s, 9);
		free(s);
		return;
	}
	if (counts[SEV_ERROR] + counts[SEV_WARNING] == 0 &&
	    r->verdict == VERDICT_INCOMPLETE) {
		s = xasprintf("not finished: nothing wrong found with %s port "
		    "%d, but tlsmedic could not do every check (see Checks).",
		    r->host ? r->host : "the server", r->port);
		wrap(o, "Verdict: ", s, 9);
		free(s);
		return;
	}
	if (counts[SEV_ERROR] + counts[SEV_WARNING] == 0) {
		s = xasprintf("no problems found with %s port %d%s",
		    r->host ? r->host : "the server", r->port,
		    counts[SEV_INFO] ? " (see the notes above)." : ".");
		wrap(o, "Verdict: ", s, 9);
		free(s);
		return;
	}
	strbuf_printf(&v, "problems found: %zu [FAIL], %zu [warn].",
	    counts[SEV_ERROR], counts[SEV_WARNING]);
	strbuf_puts(&v, " Who has to act:");
	{
		static const char *const names[] = { "you", "the site owner",
			"your network admin" };
		int first = 1;

		for (int w = 0; w < OWNER_COUNT; w++)
			if (who[w]) {
				strbuf_printf(&v, "%s %s", first ? "" : ",",
				    names[w]);
				first = 0;
			}
		strbuf_puts(&v, ".");
	}
	s = strbuf_steal(&v);
	wrap(o, "Verdict: ", s, 9);
	free(s);
}

static void
text_protocols(struct out *o, const struct report *r)
{
	int known = 0;

	heading(o, "Protocol versions");
	for (int p = 0; p < PROTO_COUNT; p++)
		known |= r->protocols[p] != TRI_UNKNOWN;
	if (!known) {
		strbuf_puts(&o->b, "  not tested\n");
		return;
	}
	for (int p = 0; p < PROTO_COUNT; p++)
		strbuf_printf(&o->b, "  %-9s %s\n", proto_name(p),
		    r->protocols[p] == TRI_YES ? "yes" :
		    r->protocols[p] == TRI_NO ? "no" : "not tested");
}

static void
text_ciphers(struct out *o, const struct report *r)
{
	size_t start;

	heading(o, "Accepted cipher suites");
	start = o->b.len;
	for (int p = PROTO_COUNT - 1; p >= 0; p--) {
		const struct suite_set *ss = &r->ciphers[p];
		char buf[8];

		if (!ss->tested) {
			if (r->protocols[p] == TRI_YES)
				strbuf_printf(&o->b, "  %s: not tested\n",
				    proto_name(p));
			continue;
		}
		if (ss->n == 0 || ss->codes == NULL) {
			strbuf_printf(&o->b, "  %s: none\n", proto_name(p));
			continue;
		}
		strbuf_printf(&o->b, "  %s (%zu):\n", proto_name(p), ss->n);
		for (size_t i = 0; i < ss->n; i++) {
			const char *name = suite_name(ss->codes[i], buf);
			wrap(o, "    ", name, 6);
		}
	}
	if (o->b.len == start)
		strbuf_puts(&o->b, "  not tested\n");
}

/* Which clients can connect (clients.h), and what it means for the
 * program the user said fails. */
static void
text_clients(struct out *o, const struct report *r)
{
	char *t = clients_table(r, WIDTH, 2);

	heading(o, "Which clients can connect");
	strbuf_puts(&o->b, t);
	free(t);
	if (r->clients_note != NULL)
		wrap(o, "  ", r->clients_note, 2);
}

static void
text_cert(struct out *o, const struct cert_info *c, size_t i, size_t n)
{
	struct strbuf b = { 0 };
	char t1[48], t2[48], fp[65];
	char *s;

	strbuf_printf(&o->b, "\nCertificate %zu of %zu%s\n", i + 1, n,
	    i == 0 ? " (the server's own)" : "");
	field(o, 2, "Subject:", c->subject ? c->subject : "(none)");
	field(o, 2, "Issuer:", c->issuer ? c->issuer : "(none)");
	for (size_t k = 0; k < c->nsans && k < SANS_SHOWN; k++)
		strbuf_printf(&b, "%s%s", k ? ", " : "",
		    c->sans[k] ? c->sans[k] : "");
	{
		/* the engine may keep fewer names than the certificate has */
		size_t total = c->nsans_total > c->nsans ? c->nsans_total :
		    c->nsans;
		size_t shown = c->nsans < SANS_SHOWN ? c->nsans : SANS_SHOWN;

		if (total > shown)
			strbuf_printf(&b, " and %zu more", total - shown);
	}
	s = strbuf_steal(&b);
	field(o, 2, "Names:", c->nsans ? s : "(none)");
	free(s);
	time_str(c->not_before, t1, sizeof t1);
	time_str(c->not_after, t2, sizeof t2);
	s = xasprintf("%s to %s", t1, t2);
	field(o, 2, "Valid:", s);
	free(s);
	if (c->key_bits > 0)
		s = xasprintf("%s %d bits", c->key_type ? c->key_type :
		    "unknown", c->key_bits);
	else
		s = xstrdup(c->key_type ? c->key_type : "unknown");
	field(o, 2, "Key:", s);
	free(s);
	s = xasprintf("%s%s", c->signature ? c->signature : "unknown",
	    c->weak_signature ? " (weak)" : "");
	field(o, 2, "Signature:", s);
	free(s);
	memcpy(fp, c->sha256, 64);
	fp[64] = '\0';
	field(o, 2, "SHA-256:", *fp ? fp : "unknown");
	if (c->ocsp_url)
		field(o, 2, "OCSP:", c->ocsp_url);
	if (c->ca_issuers_url)
		field(o, 2, "CA issuers:", c->ca_issuers_url);
	if (c->crl_url)
		field(o, 2, "CRL:", c->crl_url);
	s = xasprintf("%s%s", c->self_signed ? "self-signed" : "issued by "
	    "the issuer above", c->is_ca ? ", may sign others (CA)" : "");
	field(o, 2, "Kind:", s);
	free(s);
}

static void
text_clock(struct out *o, const struct report *r)
{
	const struct clock_info *c = &r->clock;
	char t[48];
	char *s;

	heading(o, "Clock");
	time_str(c->local, t, sizeof t);
	field(o, 2, "Yours:", t);
	field(o, 2, "Synced:", c->kernel_sync == TRI_YES ? "yes (the system "
	    "says it is synchronized)" : c->kernel_sync == TRI_NO ? "no" :
	    "unknown");
	time_str(c->http_date, t, sizeof t);
	field(o, 2, "Server's:", c->http_date ? t : "not available");
	if (c->skew_s != 0) {
		char span[32];

		clock_fmt_span(c->skew_s, span, sizeof span);
		s = xasprintf("yours is %s %s%s%s", span,
		    c->skew_s > 0 ? "ahead" : "behind",
		    c->reference ? ", compared with " : "",
		    c->reference ? c->reference : "");
		field(o, 2, "Difference:", s);
		free(s);
	} else
		field(o, 2, "Difference:", "none measured");
	time_str(c->build_time, t, sizeof t);
	field(o, 2, "Built:", t);
	if (c->nrefs > 0)
		strbuf_puts(&o->b, "  Compared with:\n");
	for (size_t i = 0; i < c->nrefs; i++) {
		s = clock_ref_text(&c->refs[i]);
		wrap(o, "    - ", s, 6);
		free(s);
	}}

char *
report_text(const struct report *r, int ascii)
{
	struct out o = { { 0 }, ascii };
	const struct finding **v;
	static const enum owner order[] = { OWNER_CLIENT, OWNER_SERVER,
		OWNER_NETWORK };
	char t[48];
	char *s;
	int any = 0;

	v = xcalloc(r->nfindings + 1, sizeof *v);
	s = xasprintf("%s port %d", r->host ? r->host : "(no server)",
	    r->port);
	wrap(&o, "tlsmedic report for ", s, 4);
	free(s);
	if (r->host_unicode) /* an IDN: the form people read, too */
		field(&o, 0, "Name:", r->host_unicode);
	if (r->address)
		field(&o, 0, "Address:", r->address);
	field(&o, 0, "SNI sent:", r->sni ? r->sni : "none");
	if (r->tls_mode)
		field(&o, 0, "Security:", r->tls_mode);
	if (r->path.proxy) {
		s = xasprintf("through the proxy %s (from %s); the name is "
		    "looked up by %s%s%s", r->path.proxy, r->path.source,
		    r->path.resolver ? r->path.resolver : "the proxy",
		    r->path.direct ? "; directly: " : "",
		    r->path.direct ? r->path.direct : "");
		field(&o, 0, "Path:", s);
		free(s);
	}
	if (r->scenario)
		field(&o, 0, "Demo:", r->scenario);
	time_str(r->clock.local, t, sizeof t);
	if (r->clock.local)
		field(&o, 0, "Tested:", t);

	for (size_t g = 0; g < sizeof order / sizeof *order; g++) {
		size_t n = owner_findings(r, order[g], v);

		if (n == 0)
			continue;
		any = 1;
		heading(&o, owner_title(order[g]));
		for (size_t i = 0; i < n; i++)
			text_finding(&o, r, v[i]);
	}
	free(v);
	if (!any && r->nfindings == 0 && r->verdict == VERDICT_OK)
		strbuf_puts(&o.b, "\nNo problems found.\n");
	text_verdict(&o, r);

	heading(&o, "Facts");
	if (r->negotiated)
		field(&o, 0, "Negotiated:", r->negotiated);
	if (r->dh_bits > 0) {
		s = xasprintf("%d bits%s", r->dh_bits, r->dh_bits < 2048 ?
		    " (weak: below 2048)" : "");
		field(&o, 0, "DHE group:", s);
		free(s);
	}
	if (r->handshake_note)
		field(&o, 0, "Handshakes:", r->handshake_note);
	text_protocols(&o, r);
	text_ciphers(&o, r);
	text_clients(&o, r);
	if (r->chain.n > 0 && r->chain.certs != NULL) {
		s = xasprintf("Certificate chain as sent (%zu)", r->chain.n);
		heading(&o, s);
		free(s);
		for (size_t i = 0; i < r->chain.n; i++)
			text_cert(&o, &r->chain.certs[i], i, r->chain.n);
	}
	if (r->naddrs > 0) {
		s = xasprintf("Addresses of %s (%zu)", r->host, r->naddrs);
		heading(&o, s);
		free(s);
		for (size_t i = 0; i < r->naddrs; i++) {
			s = xasprintf("%s: %s", r->addrs[i].status,
			    r->addrs[i].summary ? r->addrs[i].summary : "");
			char label[48];
			snprintf(label, sizeof label, "%.40s",
			    r->addrs[i].address);
			field(&o, 2, label, s);
			free(s);
		}
	}
	text_clock(&o, r);
	heading(&o, "Checks");
	for (int c = 0; c < CHECK_COUNT; c++) {
		strbuf_printf(&o.b, "  %s %-26s %s\n",
		    report_state_tag(r->checks[c]), check_title(c),
		    report_state_word(r->checks[c]));
		if (r->check_reason[c] != NULL)
			wrap(&o, "    why: ", r->check_reason[c], 9);
	}
	strbuf_printf(&o.b, "\nConnections: %d, time taken: %ld ms.\n",
	    r->handshakes, r->elapsed_ms);
	strbuf_printf(&o.b, "Found with tlsmedic %s.\n", TLSMEDIC_VERSION);
	return strbuf_steal(&o.b);
}

char *
report_owner_message(const struct report *r)
{
	struct out o = { { 0 }, 0 };
	const struct finding **v;
	size_t n;
	time_t when = r->clock.local ? r->clock.local : time(NULL);
	struct tm tm;
	char day[32] = "today";
	char *s;

	v = xcalloc(r->nfindings + 1, sizeof *v);
	n = owner_findings(r, OWNER_SERVER, v);
	if (n == 0) {
		free(v);
		return NULL;
	}
	if (gmtime_r(&when, &tm) != NULL)
		strftime(day, sizeof day, "%Y-%m-%d", &tm);

	strbuf_puts(&o.b, "Hello,\n\n");
	s = xasprintf("I am having trouble connecting securely to %s (port "
	    "%d%s%s). On %s (UTC) I checked the connection with tlsmedic, and "
	    "it found %s that can only be fixed on the server's side:",
	    r->host ? r->host : "your server", r->port,
	    r->address ? ", address " : "", r->address ? r->address : "",
	    day, n == 1 ? "a problem" : "problems");
	wrap_to(&o, "", s, 0, MAIL_WIDTH);
	free(s);
	for (size_t i = 0; i < n; i++) {
		char lead[32];

		snprintf(lead, sizeof lead, "%zu. ", i + 1);
		strbuf_puts(&o.b, "\n");
		s = xasprintf("%s (%s)", v[i]->summary ? v[i]->summary : "",
		    finding_id_str(v[i]->id));
		wrap_to(&o, lead, s, strlen(lead), MAIL_WIDTH);
		free(s);
		if (v[i]->evidence && *v[i]->evidence)
			wrap_to(&o, "   Evidence: ", v[i]->evidence, 3,
			    MAIL_WIDTH);
	}
	free(v);
	strbuf_puts(&o.b, "\n");
	wrap_to(&o, "", "Could you please have a look? I am happy to test "
	    "again once it is fixed. Thank you!", 0, MAIL_WIDTH);
	strbuf_printf(&o.b, "\n(found with tlsmedic %s)\n", TLSMEDIC_VERSION);
	return strbuf_steal(&o.b);
}
