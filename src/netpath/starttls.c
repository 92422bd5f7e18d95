/* netpath/starttls.c: see starttls.h. The bytes come from a server that
 * may be hostile: every reply is bounded (STARTTLS_MAX_REPLY bytes,
 * STARTTLS_MAX_LINES lines), every wait ends at the deadline, and nothing
 * leaves this file unsanitized. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "netpath/starttls.h"
#include "sanitize.h"
#include "util.h"

static const struct {
	const char *name, *title;
	int port, tls_port; /* STARTTLS port, TLS-at-once port */
} protos[STARTTLS_COUNT] = {
	[STARTTLS_NONE] = { "", "", 0, 0 },
	[STARTTLS_SMTP] = { "smtp", "SMTP", 587, 465 },
	[STARTTLS_IMAP] = { "imap", "IMAP", 143, 993 },
	[STARTTLS_POP3] = { "pop3", "POP3", 110, 995 },
	[STARTTLS_FTP] = { "ftp", "FTP", 21, 990 },
	[STARTTLS_XMPP] = { "xmpp", "XMPP", 5222, 0 },
	[STARTTLS_LDAP] = { "ldap", "LDAP", 389, 636 },
	[STARTTLS_POSTGRES] = { "postgres", "PostgreSQL", 5432, 0 },
};

const char *
starttls_name(enum starttls_proto p)
{
	return (unsigned)p < STARTTLS_COUNT ? protos[p].name : "";
}

const char *
starttls_title(enum starttls_proto p)
{
	return (unsigned)p < STARTTLS_COUNT ? protos[p].title : "";
}

int
starttls_parse_name(const char *s)
{
	if (s == NULL || *s == '\0')
		return -1;
	for (int p = 1; p < STARTTLS_COUNT; p++)
		if (strcasecmp(s, protos[p].name) == 0)
			return p;
	if (strcasecmp(s, "pop") == 0)
		return STARTTLS_POP3;
	if (strcasecmp(s, "postgresql") == 0)
		return STARTTLS_POSTGRES;
	return -1;
}

enum starttls_proto
starttls_port_proto(int port, int *at_once)
{
	*at_once = 0;
	if (port == 25) /* SMTP relay: STARTTLS as on 587 */
		return STARTTLS_SMTP;
	for (int p = 1; p < STARTTLS_COUNT; p++) {
		if (port == protos[p].port)
			return (enum starttls_proto)p;
		if (port == protos[p].tls_port) {
			*at_once = 1;
			return (enum starttls_proto)p;
		}
	}
	return STARTTLS_NONE;
}

int
starttls_usual_port(enum starttls_proto p, int at_once)
{
	if ((unsigned)p >= STARTTLS_COUNT)
		return 0;
	return at_once ? protos[p].tls_port : protos[p].port;
}

static int
has_prefix(const unsigned char *b, size_t len, const char *pfx)
{
	size_t n = strlen(pfx);
	return len >= n && strncasecmp((const char *)b, pfx, n) == 0;
}

enum starttls_proto
starttls_sniff(const unsigned char *buf, size_t len, int port)
{
	if (has_prefix(buf, len, "* OK") || has_prefix(buf, len, "* PREAUTH"))
		return STARTTLS_IMAP;
	if (has_prefix(buf, len, "+OK"))
		return STARTTLS_POP3;
	if (len >= 4 && memcmp(buf, "220", 3) == 0 &&
	    (buf[3] == ' ' || buf[3] == '-')) {
		if (port == 21 || port == 990 ||
		    memmem(buf, len, "FTP", 3) != NULL ||
		    memmem(buf, len, "ftp", 3) != NULL)
			return STARTTLS_FTP;
		return STARTTLS_SMTP;
	}
	return STARTTLS_NONE;
}

/* --- the pure parser --------------------------------------------------- */

static void
set_line(struct starttls_reply *out, const unsigned char *b, size_t n)
{
	while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r'))
		n--;
	if (n >= sizeof out->line)
		n = sizeof out->line - 1;
	memcpy(out->line, b, n);
	out->line[n] = '\0';
	out->nline = n;
}

/* Does a capability line hold word as a whole token (case-insensitive)? */
static int
has_token(const unsigned char *b, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= n; i++) {
		if (strncasecmp((const char *)b + i, word, w) != 0)
			continue;
		if ((i == 0 || !isalnum(b[i - 1])) &&
		    (i + w == n || !isalnum(b[i + w])))
			return 1;
	}
	return 0;
}

static int
looks_tls(const unsigned char *b, size_t len)
{
	return len >= 2 && (b[0] == 0x15 || b[0] == 0x16) && b[1] == 0x03;
}

/* The next line of buf from pos: its length with the '\n', 0 if the line
 * is not complete yet. */
static size_t
next_line(const unsigned char *buf, size_t len, size_t pos)
{
	const unsigned char *nl = memchr(buf + pos, '\n', len - pos);
	return nl ? (size_t)(nl - (buf + pos)) + 1 : 0;
}

/* SMTP and FTP: "250-..." lines, then "250 ...". */
static int
parse_coded(enum starttls_proto p, enum starttls_step st,
    const unsigned char *buf, size_t len, struct starttls_reply *out)
{
	size_t pos = 0, ll;
	int lines = 0;

	while (pos < len && (ll = next_line(buf, len, pos)) > 0) {
		const unsigned char *l = buf + pos;
		if (ll < 4 || !isdigit(l[0]) || !isdigit(l[1]) ||
		    !isdigit(l[2]) || (l[3] != ' ' && l[3] != '-' &&
		    l[3] != '\r' && l[3] != '\n'))
			return -1;
		if (lines == 0)
			set_line(out, l, ll);
		if (++lines > STARTTLS_MAX_LINES)
			return -1;
		if (p == STARTTLS_SMTP && st == STARTTLS_STEP_CAPS &&
		    has_token(l + 4, ll - 4, "STARTTLS"))
			out->offers = 1;
		pos += ll;
		if (l[3] != '-') {
			int code = (l[0] - '0') * 100 + (l[1] - '0') * 10 +
			    (l[2] - '0');
			out->code = code;
			if (st == STARTTLS_STEP_GREETING)
				out->ok = code == 220;
			else if (st == STARTTLS_STEP_CAPS)
				out->ok = code == 250;
			else
				out->ok = code == (p == STARTTLS_FTP ? 234 :
				    220);
			return (int)pos;
		}
	}
	return 0;
}

/* IMAP: the greeting is one untagged line; a command's answer is untagged
 * lines, then the tagged one ("a001 OK ..."). */
static int
parse_imap(enum starttls_step st, const unsigned char *buf, size_t len,
    struct starttls_reply *out)
{
	const char *tag = st == STARTTLS_STEP_CAPS ? "a001 " : "a002 ";
	size_t pos = 0, ll;
	int lines = 0;

	while (pos < len && (ll = next_line(buf, len, pos)) > 0) {
		const unsigned char *l = buf + pos;
		if (++lines > STARTTLS_MAX_LINES)
			return -1;
		pos += ll;
		if (st == STARTTLS_STEP_GREETING) {
			set_line(out, l, ll);
			if (has_prefix(l, ll, "* OK") ||
			    has_prefix(l, ll, "* PREAUTH"))
				out->ok = 1;
			else if (!has_prefix(l, ll, "* BYE"))
				return -1;
			out->offers = has_token(l, ll, "STARTTLS");
			return (int)pos;
		}
		if (has_prefix(l, ll, "* ")) {
			if (has_prefix(l, ll, "* CAPABILITY") &&
			    has_token(l, ll, "STARTTLS"))
				out->offers = 1;
			continue;
		}
		if (!has_prefix(l, ll, tag))
			return -1;
		set_line(out, l, ll);
		out->ok = has_prefix(l + 5, ll - 5, "OK");
		return (int)pos;
	}
	return 0;
}

/* POP3: "+OK ..." or "-ERR ..."; CAPA's +OK is followed by lines up to
 * a lone ".". */
static int
parse_pop3(enum starttls_step st, const unsigned char *buf, size_t len,
    struct starttls_reply *out)
{
	size_t ll = next_line(buf, len, 0), pos;
	int lines = 1;

	if (ll == 0)
		return 0;
	set_line(out, buf, ll);
	if (has_prefix(buf, ll, "-ERR"))
		return (int)ll;
	if (!has_prefix(buf, ll, "+OK"))
		return -1;
	out->ok = 1;
	if (st != STARTTLS_STEP_CAPS)
		return (int)ll;
	for (pos = ll; pos < len && (ll = next_line(buf, len, pos)) > 0;) {
		const unsigned char *l = buf + pos;
		if (++lines > STARTTLS_MAX_LINES)
			return -1;
		pos += ll;
		if (l[0] == '.' && (ll == 2 || (ll == 3 && l[1] == '\r')))
			return (int)pos;
		if (has_token(l, ll, "STLS"))
			out->offers = 1;
	}
	return 0;
}

static const unsigned char *
find(const unsigned char *b, size_t len, const char *s)
{
	return memmem(b, len, s, strlen(s));
}

/* XMPP: the stream header and <stream:features>, then <proceed/> or
 * <failure/>. Namespace prefixes are as servers send them in practice. */
static int
parse_xmpp(enum starttls_step st, const unsigned char *buf, size_t len,
    struct starttls_reply *out)
{
	const unsigned char *e;
	size_t i = 0;

	while (i < len && isspace(buf[i]))
		i++;
	if (i < len && buf[i] != '<')
		return -1;
	set_line(out, buf + i, len - i);
	if (st != STARTTLS_STEP_CAPS)
		goto start;
	if ((e = find(buf, len, "<stream:error")) != NULL ||
	    (e = find(buf, len, "</stream:stream>")) != NULL) {
		set_line(out, e, len - (size_t)(e - buf));
		return (int)len;
	}
	{
		const unsigned char *f = find(buf, len, "<stream:features");
		if (f == NULL)
			return 0;
		if ((e = find(f, len - (size_t)(f - buf),
		    "</stream:features>")) == NULL &&
		    (e = find(f, len - (size_t)(f - buf), "/>")) != f + 16)
			return 0;
		out->ok = 1;
		out->offers = find(f, len - (size_t)(f - buf), "<starttls")
		    != NULL;
		set_line(out, f, len - (size_t)(f - buf));
		return (int)len;
	}
start:
	if ((e = find(buf, len, "<proceed")) != NULL) {
		if (memchr(e, '>', len - (size_t)(e - buf)) == NULL)
			return 0;
		out->ok = 1;
		set_line(out, e, len - (size_t)(e - buf));
		return (int)len;
	}
	if ((e = find(buf, len, "<failure")) != NULL) {
		if (memchr(e, '>', len - (size_t)(e - buf)) == NULL)
			return 0;
		set_line(out, e, len - (size_t)(e - buf));
		return (int)len;
	}
	if ((e = find(buf, len, "<stream:error")) != NULL ||
	    (e = find(buf, len, "</stream:stream>")) != NULL) {
		set_line(out, e, len - (size_t)(e - buf));
		return (int)len;
	}
	return 0;
}

/* One BER tag and length at b[0..len): 1 with *hdr and *vlen, 0 when more
 * bytes are needed, -1 when malformed (indefinite or over 4 bytes). */
static int
ber_tl(const unsigned char *b, size_t len, size_t *hdr, size_t *vlen)
{
	size_t n;

	if (len < 2)
		return 0;
	if (b[1] < 0x80) {
		*hdr = 2;
		*vlen = b[1];
		return 1;
	}
	n = b[1] & 0x7f;
	if (n == 0 || n > 4)
		return -1;
	if (len < 2 + n)
		return 0;
	*vlen = 0;
	for (size_t i = 0; i < n; i++)
		*vlen = (*vlen << 8) | b[2 + i];
	*hdr = 2 + n;
	return 1;
}

/* LDAP: LDAPMessage { messageID, ExtendedResponse [APPLICATION 24]
 * { resultCode ENUMERATED, matchedDN, diagnosticMessage, ... } }. */
static int
parse_ldap(const unsigned char *buf, size_t len, struct starttls_reply *out)
{
	size_t hdr, vlen, total, pos, h2, v2;
	int rc;
	long msgid = 0;

	if (buf[0] != 0x30)
		return -1;
	if ((rc = ber_tl(buf, len, &hdr, &vlen)) <= 0)
		return rc;
	if (vlen > STARTTLS_MAX_REPLY)
		return -1;
	total = hdr + vlen;
	if (len < total)
		return 0;
	pos = hdr;
	/* messageID */
	if (pos >= total || buf[pos] != 0x02 ||
	    ber_tl(buf + pos, total - pos, &h2, &v2) != 1 || v2 < 1 ||
	    v2 > 4 || pos + h2 + v2 > total)
		return -1;
	for (size_t i = 0; i < v2; i++)
		msgid = (msgid << 8) | buf[pos + h2 + i];
	pos += h2 + v2;
	/* ExtendedResponse */
	if (pos >= total || buf[pos] != 0x78 ||
	    ber_tl(buf + pos, total - pos, &h2, &v2) != 1 ||
	    pos + h2 + v2 > total)
		return -1;
	size_t end = pos + h2 + v2;
	pos += h2;
	/* resultCode */
	if (pos + 3 > end || buf[pos] != 0x0a || buf[pos + 1] != 1)
		return -1;
	out->code = buf[pos + 2];
	pos += 3;
	/* matchedDN, diagnosticMessage: OCTET STRINGs */
	for (int k = 0; k < 2 && pos < end; k++) {
		if (buf[pos] != 0x04 ||
		    ber_tl(buf + pos, end - pos, &h2, &v2) != 1 ||
		    pos + h2 + v2 > end)
			return -1;
		if (k == 1) {
			char *s = xasprintf("resultCode %d", out->code);
			size_t n = strlen(s);
			if (v2 > 0 && n + 2 + v2 < sizeof out->line) {
				memcpy(out->line, s, n);
				memcpy(out->line + n, ": ", 2);
				memcpy(out->line + n + 2, buf + pos + h2, v2);
				out->nline = n + 2 + v2;
			} else {
				memcpy(out->line, s, n);
				out->nline = n;
			}
			out->line[out->nline] = '\0';
			free(s);
		}
		pos += h2 + v2;
	}
	if (out->nline == 0) {
		int n = snprintf(out->line, sizeof out->line,
		    "resultCode %d", out->code);
		out->nline = (size_t)n;
	}
	/* msgid 0 is a Notice of Disconnection, never a yes. */
	out->ok = out->code == 0 && msgid != 0;
	return (int)total;
}

/* PostgreSQL: one byte, 'S' (yes) or 'N' (no SSL); 'E' an error. */
static int
parse_postgres(const unsigned char *buf, size_t len,
    struct starttls_reply *out)
{
	if (buf[0] == 'S' || buf[0] == 'N') {
		out->ok = buf[0] == 'S';
		out->code = buf[0];
		set_line(out, buf, 1);
		return 1;
	}
	if (buf[0] == 'E') {
		out->code = 'E';
		/* An ErrorResponse: fields as NUL-terminated strings. */
		size_t n = len > 5 ? len - 5 : 0;
		set_line(out, buf + (len > 5 ? 5 : len), n);
		for (size_t i = 0; i < out->nline; i++)
			if (out->line[i] == '\0')
				out->line[i] = ' ';
		return (int)len;
	}
	return -1;
}

int
starttls_reply_parse(enum starttls_proto p, enum starttls_step st,
    const unsigned char *buf, size_t len, struct starttls_reply *out)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (len == 0)
		return 0;
	if (buf[0] == 0x15 || buf[0] == 0x16) {
		if (len < 2)
			return 0;
		if (looks_tls(buf, len)) {
			out->tls = 1;
			return (int)(len > STARTTLS_MAX_REPLY ?
			    STARTTLS_MAX_REPLY : len);
		}
	}
	if (len > STARTTLS_MAX_REPLY)
		len = STARTTLS_MAX_REPLY;
	switch (p) {
	case STARTTLS_SMTP:
	case STARTTLS_FTP:
		rc = parse_coded(p, st, buf, len, out);
		break;
	case STARTTLS_IMAP:
		rc = parse_imap(st, buf, len, out);
		break;
	case STARTTLS_POP3:
		rc = parse_pop3(st, buf, len, out);
		break;
	case STARTTLS_XMPP:
		rc = parse_xmpp(st, buf, len, out);
		break;
	case STARTTLS_LDAP:
		rc = parse_ldap(buf, len, out);
		break;
	case STARTTLS_POSTGRES:
		rc = parse_postgres(buf, len, out);
		break;
	default:
		return -1;
	}
	/* A reply that has not ended within the bound never will. */
	if (rc == 0 && len >= STARTTLS_MAX_REPLY)
		return -1;
	return rc;
}

/* --- state ------------------------------------------------------------- */

void
starttls_state_init(struct starttls_state *s, enum starttls_proto p,
    const char *host)
{
	memset(s, 0, sizeof *s);
	s->proto = p;
	snprintf(s->host, sizeof s->host, "%s", host ? host : "");
	pthread_mutex_init(&s->lock, NULL);
}

void
starttls_state_destroy(struct starttls_state *s)
{
	pthread_mutex_destroy(&s->lock);
}

enum starttls_outcome
starttls_state_outcome(struct starttls_state *s)
{
	pthread_mutex_lock(&s->lock);
	enum starttls_outcome o = s->outcome;
	pthread_mutex_unlock(&s->lock);
	return o;
}

void
starttls_state_set(struct starttls_state *s, enum starttls_outcome o)
{
	pthread_mutex_lock(&s->lock);
	s->outcome = o;
	if (o == STARTTLS_PENDING) {
		s->net_err = 0;
		s->greeting[0] = s->reply[0] = s->step[0] = '\0';
	}
	pthread_mutex_unlock(&s->lock);
}

static void
copy_clean(char *dst, size_t cap, const char *src, size_t n)
{
	char *c = sanitize(src, n, cap - 1);
	snprintf(dst, cap, "%s", c);
	free(c);
}

/* The first conclusive outcome wins; later connections only repeat it. */
static void
record(struct starttls_state *s, enum starttls_outcome o, int net_err,
    const char *step, const struct starttls_reply *greet,
    const char *reply, size_t nreply)
{
	pthread_mutex_lock(&s->lock);
	if (s->outcome == STARTTLS_PENDING) {
		s->outcome = o;
		s->net_err = net_err;
		snprintf(s->step, sizeof s->step, "%s", step);
		if (greet != NULL && greet->nline > 0)
			copy_clean(s->greeting, sizeof s->greeting,
			    greet->line, greet->nline);
		if (reply != NULL && nreply > 0)
			copy_clean(s->reply, sizeof s->reply, reply, nreply);
	}
	pthread_mutex_unlock(&s->lock);
}

/* --- the exchange ------------------------------------------------------ */

struct xchg {
	struct net_ctx *ctx;
	struct starttls_state *s;
	int fd;
	int64_t deadline;
	unsigned char *buf;
	size_t len;
	struct starttls_reply greet; /* the greeting, for the evidence */
};

enum { XR_DONE = 1, XR_GARBAGE = 0, XR_CLOSED = 2 };

/* Read one reply: XR_DONE (rep filled), XR_GARBAGE (not such a reply;
 * the bytes stay in x->buf), XR_CLOSED (FIN), or a negative net_err. */
static int
read_reply(struct xchg *x, enum starttls_step st, struct starttls_reply *rep)
{
	x->len = 0;
	for (;;) {
		int rc = starttls_reply_parse(x->s->proto, st, x->buf, x->len,
		    rep);
		if (rc > 0)
			return XR_DONE;
		if (rc < 0)
			return XR_GARBAGE;
		ssize_t got = net_recv_some(x->ctx, x->fd, x->buf + x->len,
		    STARTTLS_MAX_REPLY - x->len, x->deadline);
		if (got == 0)
			return x->len > 0 ? XR_GARBAGE : XR_CLOSED;
		if (got < 0)
			return (int)got;
		x->len += (size_t)got;
	}
}

static int
say(struct xchg *x, const char *line)
{
	return net_send_all(x->ctx, x->fd, line, strlen(line), x->deadline);
}

/* A reply that was no reply: TLS at once, another protocol, or nothing
 * that makes sense. Returns the error for netpath_open(). */
static int
judge_bad(struct xchg *x, int rc, const char *step)
{
	struct starttls_reply tmp;

	if (rc == NET_ERR_CANCELLED)
		return rc;
	if (rc == XR_CLOSED || rc < 0) {
		int silent = x->greet.nline == 0 && x->len == 0 &&
		    strcmp(step, "greeting") == 0 && rc == NET_ERR_TIMEOUT;
		record(x->s, silent ? STARTTLS_SILENT : STARTTLS_BROKEN,
		    rc == XR_CLOSED ? 0 : rc, step, &x->greet, NULL, 0);
		return rc == XR_CLOSED ? NET_ERR_RESET : rc;
	}
	memset(&tmp, 0, sizeof tmp);
	if (looks_tls(x->buf, x->len))
		record(x->s, STARTTLS_TLS_SPOKEN, 0, step, &x->greet,
		    NULL, 0);
	else
		record(x->s, STARTTLS_OTHER_PROTO, 0, step, &x->greet,
		    (const char *)x->buf, x->len > 120 ? 120 : x->len);
	return NET_ERR_OTHER;
}

static int
answer(struct xchg *x, enum starttls_outcome o, const char *step,
    const struct starttls_reply *rep)
{
	record(x->s, o, 0, step, &x->greet, rep ? rep->line : NULL,
	    rep ? rep->nline : 0);
	return o == STARTTLS_OK ? 0 : NET_ERR_OTHER;
}

static int
busy(enum starttls_proto p, const struct starttls_reply *g)
{
	if (p == STARTTLS_SMTP || p == STARTTLS_FTP)
		return g->code == 421;
	if (p == STARTTLS_POP3)
		return strstr(g->line, "[SYS/TEMP]") != NULL ||
		    strstr(g->line, "[IN-USE]") != NULL;
	return 0;
}

static int64_t
backoff_ms(int attempt)
{
	return attempt >= 4 ? 1000 : 100 << attempt; /* 100, 200 .. 1000 */
}

int
starttls_backoff(struct net_ctx *ctx, int attempt, int64_t deadline)
{
	int64_t until = now_ms() + backoff_ms(attempt);

	if (attempt >= 20)
		return -1;
	if (until > deadline)
		until = deadline;
	while (now_ms() < until) {
		struct timespec ts = { 0, 20 * 1000000L };
		if (atomic_load(&ctx->cancelled))
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* The greeting: the server speaks first in SMTP, IMAP, POP3 and FTP. */
static int
greeting(struct xchg *x)
{
	int rc = read_reply(x, STARTTLS_STEP_GREETING, &x->greet);

	if (rc != XR_DONE)
		return judge_bad(x, rc, "greeting");
	if (x->greet.tls)
		return judge_bad(x, XR_GARBAGE, "greeting");
	/* A busy server asks to come back later: do, while time is left. */
	if (busy(x->s->proto, &x->greet) &&
	    now_ms() + backoff_ms(4) < x->deadline)
		return STARTTLS_BUSY;
	if (!x->greet.ok) /* 554, 421, "* BYE", "-ERR": it will not serve */
		return answer(x, STARTTLS_REFUSED, "greeting", &x->greet);
	return 0;
}

/* Send cmd, read the reply to step st. 0 with rep, or the error. */
static int
ask(struct xchg *x, const char *cmd, enum starttls_step st, const char *step,
    struct starttls_reply *rep)
{
	int rc;

	if ((rc = say(x, cmd)) != 0) {
		if (rc != NET_ERR_CANCELLED)
			record(x->s, STARTTLS_BROKEN, rc, step, &x->greet,
			    NULL, 0);
		return rc;
	}
	rc = read_reply(x, st, rep);
	if (rc != XR_DONE || rep->tls)
		return judge_bad(x, rc == XR_DONE ? XR_GARBAGE : rc, step);
	return 0;
}

static int
run_smtp(struct xchg *x)
{
	struct starttls_reply rep;
	int rc;

	if ((rc = greeting(x)) != 0)
		return rc;
	/* A name that never resolves: our own address literal makes some
	 * servers (exim's helo_lookup_domains) look up its reverse DNS,
	 * seconds on a network without it. openssl s_client and testssl.sh
	 * send a fixed name too. */
	if ((rc = ask(x, "EHLO tlsmedic.invalid\r\n", STARTTLS_STEP_CAPS,
	    "EHLO", &rep)) != 0)
		return rc;
	if (!rep.ok || !rep.offers)
		return answer(x, STARTTLS_NOT_OFFERED, "EHLO", &rep);
	if ((rc = ask(x, "STARTTLS\r\n", STARTTLS_STEP_START, "STARTTLS",
	    &rep)) != 0)
		return rc;
	return answer(x, rep.ok ? STARTTLS_OK : STARTTLS_REFUSED, "STARTTLS",
	    &rep);
}

static int
run_imap(struct xchg *x)
{
	struct starttls_reply rep;
	int rc;

	if ((rc = greeting(x)) != 0)
		return rc;
	if (!x->greet.offers) {
		if ((rc = ask(x, "a001 CAPABILITY\r\n", STARTTLS_STEP_CAPS,
		    "CAPABILITY", &rep)) != 0)
			return rc;
		if (!rep.offers)
			return answer(x, STARTTLS_NOT_OFFERED, "CAPABILITY",
			    &rep);
	}
	if ((rc = ask(x, "a002 STARTTLS\r\n", STARTTLS_STEP_START, "STARTTLS",
	    &rep)) != 0)
		return rc;
	return answer(x, rep.ok ? STARTTLS_OK : STARTTLS_REFUSED, "STARTTLS",
	    &rep);
}

static int
run_pop3(struct xchg *x)
{
	struct starttls_reply rep;
	int rc, capa;

	if ((rc = greeting(x)) != 0)
		return rc;
	if ((rc = ask(x, "CAPA\r\n", STARTTLS_STEP_CAPS, "CAPA", &rep)) != 0)
		return rc;
	capa = rep.ok;
	if (capa && !rep.offers)
		return answer(x, STARTTLS_NOT_OFFERED, "CAPA", &rep);
	if ((rc = ask(x, "STLS\r\n", STARTTLS_STEP_START, "STLS", &rep)) != 0)
		return rc;
	/* Without CAPA, a -ERR to STLS is most likely "no such command". */
	return answer(x, rep.ok ? STARTTLS_OK : capa ? STARTTLS_REFUSED :
	    STARTTLS_NOT_OFFERED, "STLS", &rep);
}

static int
run_ftp(struct xchg *x)
{
	struct starttls_reply rep;
	int rc;

	if ((rc = greeting(x)) != 0)
		return rc;
	if ((rc = ask(x, "AUTH TLS\r\n", STARTTLS_STEP_START, "AUTH TLS",
	    &rep)) != 0)
		return rc;
	if (rep.ok)
		return answer(x, STARTTLS_OK, "AUTH TLS", &rep);
	/* 500/502/504: the command or its argument is not known here. */
	return answer(x, rep.code == 500 || rep.code == 502 ||
	    rep.code == 504 ? STARTTLS_NOT_OFFERED : STARTTLS_REFUSED,
	    "AUTH TLS", &rep);
}

static int
run_xmpp(struct xchg *x)
{
	struct starttls_reply rep;
	char *hdr;
	int rc;

	/* The name goes into XML: keep only what a host name holds. */
	char to[256];
	size_t n = 0;
	for (const char *c = x->s->host; *c && n + 1 < sizeof to; c++)
		if (isalnum((unsigned char)*c) || strchr(".-_:", *c))
			to[n++] = *c;
	to[n] = '\0';
	hdr = xasprintf("<?xml version='1.0'?><stream:stream "
	    "xmlns='jabber:client' "
	    "xmlns:stream='http://etherx.jabber.org/streams' to='%s' "
	    "version='1.0'>", to);
	rc = ask(x, hdr, STARTTLS_STEP_CAPS, "stream", &rep);
	free(hdr);
	if (rc != 0)
		return rc;
	x->greet = rep;
	if (!rep.ok)
		return answer(x, STARTTLS_REFUSED, "stream", &rep);
	if (!rep.offers)
		return answer(x, STARTTLS_NOT_OFFERED, "stream features",
		    &rep);
	if ((rc = ask(x, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
	    STARTTLS_STEP_START, "starttls", &rep)) != 0)
		return rc;
	return answer(x, rep.ok ? STARTTLS_OK : STARTTLS_REFUSED, "starttls",
	    &rep);
}

static int
run_ldap(struct xchg *x)
{
	/* ExtendedRequest, messageID 1, requestName 1.3.6.1.4.1.1466.20037 */
	static const unsigned char req[] = { 0x30, 0x1d, 0x02, 0x01, 0x01,
		0x77, 0x18, 0x80, 0x16, '1', '.', '3', '.', '6', '.', '1', '.',
		'4', '.', '1', '.', '1', '4', '6', '6', '.', '2', '0', '0', '3',
		'7' };
	struct starttls_reply rep;
	int rc;

	if ((rc = net_send_all(x->ctx, x->fd, req, sizeof req,
	    x->deadline)) != 0) {
		if (rc != NET_ERR_CANCELLED)
			record(x->s, STARTTLS_BROKEN, rc, "StartTLS",
			    NULL, NULL, 0);
		return rc;
	}
	rc = read_reply(x, STARTTLS_STEP_START, &rep);
	if (rc != XR_DONE || rep.tls)
		return judge_bad(x, rc == XR_DONE ? XR_GARBAGE : rc,
		    "StartTLS");
	/* protocolError (2): this server knows no StartTLS operation. */
	return answer(x, rep.ok ? STARTTLS_OK : rep.code == 2 ?
	    STARTTLS_NOT_OFFERED : STARTTLS_REFUSED, "StartTLS", &rep);
}

static int
run_postgres(struct xchg *x)
{
	static const unsigned char req[] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16,
		0x2f };
	struct starttls_reply rep;
	int rc;

	if ((rc = net_send_all(x->ctx, x->fd, req, sizeof req,
	    x->deadline)) != 0) {
		if (rc != NET_ERR_CANCELLED)
			record(x->s, STARTTLS_BROKEN, rc, "SSLRequest",
			    NULL, NULL, 0);
		return rc;
	}
	rc = read_reply(x, STARTTLS_STEP_START, &rep);
	if (rc != XR_DONE || rep.tls)
		return judge_bad(x, rc == XR_DONE ? XR_GARBAGE : rc,
		    "SSLRequest");
	return answer(x, rep.ok ? STARTTLS_OK : rep.code == 'N' ?
	    STARTTLS_NOT_OFFERED : STARTTLS_REFUSED, "SSLRequest", &rep);
}

int
starttls_open(struct net_ctx *ctx, int fd, int64_t deadline)
{
	struct starttls_state *s = ctx->starttls;
	struct xchg x = { .ctx = ctx, .s = s, .fd = fd, .deadline = deadline };
	int rc;

	if (s == NULL || s->proto == STARTTLS_NONE)
		return fd;
	x.buf = xmalloc(STARTTLS_MAX_REPLY);
	switch (s->proto) {
	case STARTTLS_SMTP:
		rc = run_smtp(&x);
		break;
	case STARTTLS_IMAP:
		rc = run_imap(&x);
		break;
	case STARTTLS_POP3:
		rc = run_pop3(&x);
		break;
	case STARTTLS_FTP:
		rc = run_ftp(&x);
		break;
	case STARTTLS_XMPP:
		rc = run_xmpp(&x);
		break;
	case STARTTLS_LDAP:
		rc = run_ldap(&x);
		break;
	case STARTTLS_POSTGRES:
		rc = run_postgres(&x);
		break;
	default:
		rc = NET_ERR_OTHER;
	}
	free(x.buf);
	if (rc == 0)
		return fd;
	net_close(ctx, fd);
	return rc;
}
