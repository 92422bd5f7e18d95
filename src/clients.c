/* clients.c: see clients.h. Stages in the order a handshake meets them:
 * version, then the suite the server would pick (with its key exchange --
 * group or DHE prime -- and the signature it needs), then the chain as
 * this client judges it. The first clear "no" decides; a stage we cannot
 * judge makes the row "unknown" unless a later stage says "no". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clients.h"
#include "groups.h"
#include "util.h"

/* The outcome of one stage. */
struct step {
	enum tri res;
	const char *stage;
	char *reason; /* NO / UNKNOWN: why; YES: what it uses, or NULL */
};

static struct step
step_make(enum tri res, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static struct step
step_make(enum tri res, const char *stage, const char *fmt, ...)
{
	struct step s = { res, stage, NULL };
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&s.reason, fmt, ap) < 0)
			s.reason = NULL;
		va_end(ap);
	}
	return s;
}

static const struct step step_ok = { TRI_YES, NULL, NULL };

static int
has16(const uint16_t *v, size_t n, uint16_t code)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == code)
			return 1;
	return 0;
}

static int
name_starts(uint16_t suite, const char *prefix)
{
	const struct suite_info *si = suite_find(suite);
	return si != NULL && strncmp(si->name, prefix, strlen(prefix)) == 0;
}

static int
name_has(uint16_t suite, const char *part)
{
	const struct suite_info *si = suite_find(suite);
	return si != NULL && strstr(si->name, part) != NULL;
}

static void
versions_text(uint16_t lo, uint16_t hi, char *buf, size_t len)
{
	int a = proto_from_wire(lo), b = proto_from_wire(hi);

	if (a == b)
		snprintf(buf, len, "%s", proto_name(a));
	else
		snprintf(buf, len, "%s to %s", proto_name(a), proto_name(b));
}

/* --- version --------------------------------------------------------- */

/* *best: the version the server would pick (highest both speak), or -1. */
static struct step
judge_version(const struct report *r, const struct client_profile *cp,
    int *best)
{
	int unknown_above = 0;
	char cv[32];
	struct strbuf sv = { 0 };

	*best = -1;
	for (int p = PROTO_COUNT - 1; p >= 0; p--) {
		uint16_t v = proto_wire(p);
		if (v < cp->min_version || v > cp->max_version)
			continue;
		if (r->protocols[p] == TRI_YES) {
			*best = p;
			break;
		}
		if (r->protocols[p] == TRI_UNKNOWN)
			unknown_above = 1;
	}
	if (*best >= 0 && !unknown_above)
		return step_ok;
	if (*best >= 0)
		return step_make(TRI_UNKNOWN, "version", "a newer version it "
		    "speaks could not be tested");
	if (unknown_above)
		return step_make(TRI_UNKNOWN, "version", "the versions it "
		    "speaks could not all be tested");
	for (int p = 0; p < PROTO_COUNT; p++)
		if (r->protocols[p] == TRI_YES)
			strbuf_printf(&sv, "%s%s", sv.len ? ", " : "",
			    proto_name(p));
	versions_text(cp->min_version, cp->max_version, cv, sizeof cv);
	struct step s = step_make(TRI_NO, "version", "the server speaks %s, "
	    "the client %s", sv.len ? sv.s : "no version tlsmedic tried", cv);
	strbuf_free(&sv);
	return s;
}

/* --- key exchange and signature, per suite --------------------------- */

/* ecdhe: TLS <= 1.2 ECDHE, where only elliptic curves count (not the
 * hybrid or finite-field groups of TLS 1.3). */
static struct step
judge_groups(const struct group_set *gs, const struct client_profile *cp,
    int ecdhe, const char **used)
{
	int open = 0; /* a group of the client's with no answer */
	char nb[8];
	struct strbuf srv = { 0 };

	for (size_t i = 0; i < cp->ngroups; i++) {
		if (ecdhe && cp->groups[i] >= 0x0100)
			continue;
		if (has16(gs->codes, gs->n, cp->groups[i])) {
			*used = group_name(cp->groups[i], nb);
			if (*used == nb) /* not a static name */
				*used = NULL;
			return step_ok;
		}
		if (!has16(gs->refused, gs->nrefused, cp->groups[i]))
			open = 1;
	}
	if (!gs->tested)
		return step_make(TRI_UNKNOWN, "group", "the server's "
		    "key-exchange groups could not be tested");
	if (open)
		return step_make(TRI_UNKNOWN, "group", "none of the groups "
		    "tlsmedic tested is in common; others it offers were not "
		    "tested");
	for (size_t i = 0; i < gs->n; i++)
		strbuf_printf(&srv, "%s%s", i ? ", " : "",
		    group_name(gs->codes[i], nb));
	struct step s = step_make(TRI_NO, "group", "no key-exchange group in "
	    "common (the server takes %s)", srv.s);
	strbuf_free(&srv);
	return s;
}

static uint16_t
ec_curve(int bits)
{
	return bits == 256 ? 0x0017 : bits == 384 ? 0x0018 :
	    bits == 521 ? 0x0019 : 0;
}

static uint16_t
ec_sigalg(int bits)
{
	return bits == 256 ? 0x0403 : bits == 384 ? 0x0503 :
	    bits == 521 ? 0x0603 : 0;
}

static int
any_sigalg(const struct client_profile *cp, const uint16_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (has16(cp->sigalgs, cp->nsigalgs, want[i]))
			return 1;
	return 0;
}

/* Can the client verify the server's handshake signature (or, for static
 * ECDH, use its curve)? p: the version; suite: the suite. */
static struct step
judge_signature(const struct report *r, const struct client_profile *cp,
    int p, uint16_t suite)
{
	static const uint16_t rsa13[] = { 0x0804, 0x0805, 0x0806 };
	static const uint16_t rsa12[] = { 0x0401, 0x0501, 0x0601, 0x0201,
		0x0301, 0x0804, 0x0805, 0x0806 };
	static const uint16_t ecdsa12[] = { 0x0403, 0x0503, 0x0603, 0x0203,
		0x0303 };
	static const uint16_t dsa12[] = { 0x0402, 0x0502, 0x0602, 0x0202,
		0x0302 };
	const struct cert_info *leaf;
	int tls13 = p == PROTO_TLS13, tls12 = p == PROTO_TLS12;

	if (name_starts(suite, "TLS_RSA_")) /* static RSA: no signature */
		return step_ok;
	if (r->chain.n == 0 || r->chain.certs[0].key_type == NULL)
		return step_make(TRI_UNKNOWN, "signature", "the server's "
		    "certificate was not seen");
	leaf = &r->chain.certs[0];
	/* A suite for another key than the one seen: a second certificate
	 * we did not get. */
	if ((name_has(suite, "_ECDSA_") && strcmp(leaf->key_type, "EC") != 0 &&
	    strncmp(leaf->key_type, "Ed", 2) != 0) ||
	    (name_has(suite, "_RSA_") && strcmp(leaf->key_type, "RSA") != 0))
		return step_make(TRI_UNKNOWN, "signature", "the server's "
		    "certificate for this suite was not seen");
	if (strcmp(leaf->key_type, "RSA") == 0) {
		if (tls13 ? any_sigalg(cp, rsa13, 3) : !tls12 ||
		    any_sigalg(cp, rsa12, sizeof rsa12 / 2))
			return step_ok;
		return step_make(TRI_NO, "signature", "it offers no RSA "
		    "signature the server can make%s", tls13 ? " in TLS 1.3 "
		    "(RSA-PSS)" : "");
	}
	if (strcmp(leaf->key_type, "EC") == 0) {
		uint16_t curve = ec_curve(leaf->key_bits);
		uint16_t alg = ec_sigalg(leaf->key_bits);
		if (curve == 0)
			return step_make(TRI_UNKNOWN, "signature", "the "
			    "server's EC key (%d bits) is of an unusual curve",
			    leaf->key_bits);
		if (tls13 ? has16(cp->sigalgs, cp->nsigalgs, alg) :
		    has16(cp->groups, cp->ngroups, curve) && (!tls12 ||
		    any_sigalg(cp, ecdsa12, sizeof ecdsa12 / 2)))
			return step_ok;
		return step_make(TRI_NO, "signature", "it cannot verify "
		    "ECDSA with the server's P-%d key", leaf->key_bits);
	}
	if (strcmp(leaf->key_type, "Ed25519") == 0 ||
	    strcmp(leaf->key_type, "Ed448") == 0) {
		uint16_t alg = leaf->key_type[2] == '2' ? 0x0807 : 0x0808;
		if ((tls12 || tls13) && has16(cp->sigalgs, cp->nsigalgs, alg))
			return step_ok;
		return step_make(TRI_NO, "signature", "it cannot verify the "
		    "server's %s signatures", leaf->key_type);
	}
	if (strcmp(leaf->key_type, "DSA") == 0) {
		if (!tls13 && (!tls12 || any_sigalg(cp, dsa12, 5)))
			return step_ok;
		return step_make(TRI_NO, "signature", "it does not take the "
		    "server's DSA key");
	}
	return step_make(TRI_UNKNOWN, "signature", "the server's key type is "
	    "not known to tlsmedic");
}

/* The key exchange and signature of one suite both sides have. */
static struct step
judge_suite(const struct report *r, const struct client_profile *cp, int p,
    uint16_t suite, const char **group)
{
	struct step s = step_ok;

	*group = NULL;
	if (p == PROTO_TLS13)
		s = judge_groups(&r->groups_tls13, cp, 0, group);
	else if (name_starts(suite, "TLS_ECDHE_"))
		s = judge_groups(&r->groups_ecdhe, cp, 1, group);
	else if (name_starts(suite, "TLS_DHE_")) {
		if (r->dh_bits <= 0)
			s = step_make(TRI_UNKNOWN, "group", "the size of the "
			    "server's DH prime was not seen");
		else if (r->dh_bits < cp->min_dh)
			s = step_make(TRI_NO, "group", "the server's DH prime "
			    "has %d bits; it needs %d or more", r->dh_bits,
			    cp->min_dh);
	}
	if (s.res != TRI_YES)
		return s;
	return judge_signature(r, cp, p, suite);
}

/* The suites both have at version p, the client's order. *use: the one a
 * connection would use (the client's first that works). */
static struct step
judge_suites(const struct report *r, const struct client_profile *cp, int p,
    uint16_t *use, const char **group)
{
	const struct suite_set *ss = &r->ciphers[p];
	struct step first_no = { TRI_YES, NULL, NULL };
	struct step first_unk = { TRI_YES, NULL, NULL };

	*use = 0;
	for (size_t i = 0; i < cp->nsuites; i++) {
		if (!has16(ss->codes, ss->n, cp->suites[i]))
			continue;
		struct step s = judge_suite(r, cp, p, cp->suites[i], group);
		if (s.res == TRI_YES) {
			*use = cp->suites[i];
			free(first_no.reason);
			free(first_unk.reason);
			return s;
		}
		struct step *keep = s.res == TRI_NO ? &first_no : &first_unk;
		if (keep->res == TRI_YES)
			*keep = s;
		else
			free(s.reason);
	}
	if (first_unk.res != TRI_YES) {
		free(first_no.reason);
		return first_unk;
	}
	/* A suite not listed might have worked. */
	if (first_no.res != TRI_YES && ss->tested)
		return first_no;
	free(first_no.reason);
	if (!ss->tested)
		return step_make(TRI_UNKNOWN, "suite", "the server's %s suites "
		    "could not all be listed", proto_name(p));
	/* The server's list is in the report's facts. */
	return step_make(TRI_NO, "suite", "no cipher suite in common at %s",
	    proto_name(p));
}

/* --- the certificate, as this client judges it ----------------------- */

/* Certificate findings every client fails on (owned by the server: one
 * owned by the clock or a proxy is this computer's, not the client's). */
static const struct {
	enum finding_id id;
	const char *why;
} cert_fatal[] = {
	{ FINDING_CERT_HOSTNAME, "it is not for this name" },
	{ FINDING_CERT_EXPIRED, "it has expired" },
	{ FINDING_CERT_NOT_YET_VALID, "it is not valid yet" },
	{ FINDING_CERT_SELF_SIGNED, "it is self-signed" },
	{ FINDING_CERT_UNTRUSTED_ROOT, "its root is not trusted" },
};

static int
server_finding(const struct report *r, enum finding_id id)
{
	const struct finding *f = report_find(r, id);
	return f != NULL && f->owner == OWNER_SERVER &&
	    f->severity == SEV_ERROR;
}

static struct step
judge_cert(const struct report *r, const struct client_profile *cp,
    const char **note)
{
	int unknown = 0;
	const char *unknown_why = NULL;

	*note = NULL;
	if (r->chain.n == 0 || r->chain.certs == NULL)
		return step_make(TRI_UNKNOWN, "certificate", "no certificate "
		    "was received");
	for (size_t i = 0; i < sizeof cert_fatal / sizeof cert_fatal[0]; i++)
		if (server_finding(r, cert_fatal[i].id))
			return step_make(TRI_NO, "certificate", "%s",
			    cert_fatal[i].why);
	for (size_t i = 0; i < r->chain.n; i++) {
		const struct cert_info *c = &r->chain.certs[i];
		const char *sig = c->signature ? c->signature : "";
		if (c->key_type != NULL && strcmp(c->key_type, "RSA") == 0 &&
		    c->key_bits > 0 && c->key_bits < cp->min_rsa)
			return step_make(TRI_NO, "certificate", "a %d-bit RSA "
			    "key in the chain; it needs %d or more",
			    c->key_bits, cp->min_rsa);
		if (!c->weak_signature || c->self_signed)
			continue;
		if (strncasecmp(sig, "md", 2) == 0)
			return step_make(TRI_NO, "certificate", "a signature "
			    "with %s", sig);
		/* SHA-1 */
		if (cp->sha1 == CLIENT_RULE_YES || (cp->sha1 ==
		    CLIENT_RULE_PUBLIC && r->chain_public == TRI_YES))
			return step_make(TRI_NO, "certificate", "it refuses "
			    "the SHA-1 signature (%s)", sig);
		if (cp->sha1 == CLIENT_RULE_UNKNOWN || (cp->sha1 ==
		    CLIENT_RULE_PUBLIC && r->chain_public == TRI_UNKNOWN)) {
			unknown = 1;
			unknown_why = "whether it takes a SHA-1 signature";
		}
	}
	/* Revocation: browsers mostly check (CRLSets, CRLite, OCSP), curl,
	 * Python and Java do not by default; not known per client. */
	if (server_finding(r, FINDING_CERT_REVOKED)) {
		unknown = 1;
		unknown_why = "whether it checks revocation (the certificate "
		    "is revoked)";
	}
	if (server_finding(r, FINDING_CERT_CHAIN_INCOMPLETE)) {
		int fetch = cp->aia == CLIENT_RULE_YES ||
		    (cp->aia == CLIENT_RULE_PUBLIC && r->chain_public == TRI_YES);
		if (fetch && r->chain_aia == TRI_YES)
			*note = cp->aia == CLIENT_RULE_PUBLIC ? "has the "
			    "missing intermediate preloaded" : "fetches the "
			    "missing intermediate through AIA";
		else if (cp->aia == CLIENT_RULE_NO)
			return step_make(TRI_NO, "certificate", "the server "
			    "does not send its intermediate certificate, and "
			    "such clients do not fetch it");
		else if (cp->aia == CLIENT_RULE_PUBLIC &&
		    r->chain_public == TRI_NO)
			return step_make(TRI_NO, "certificate", "the server "
			    "does not send its intermediate certificate, and "
			    "such clients only have those of public CAs "
			    "preloaded");
		else if (r->chain_aia == TRI_NO && cp->aia == CLIENT_RULE_YES)
			return step_make(TRI_NO, "certificate", "the server "
			    "does not send its intermediate certificate, and "
			    "it cannot be fetched from the address the "
			    "certificate gives");
		else {
			unknown = 1;
			unknown_why = "whether it finds the missing intermediate";
		}
	}
	if (unknown)
		return step_make(TRI_UNKNOWN, "certificate", "not known %s",
		    unknown_why);
	return step_ok;
}

/* --- one profile ------------------------------------------------------ */

void
clients_decide(const struct report *r, const struct client_profile *cp,
    struct client_result *out)
{
	struct step unk = { TRI_YES, NULL, NULL }, s;
	int best;
	uint16_t use = 0;
	const char *group = NULL, *note = NULL;
	char nb[8];

	memset(out, 0, sizeof *out);
	out->id = cp->id;
	out->name = cp->name;
	out->current = cp->current;
	out->old = cp->old;
	out->apps = cp->apps;
	out->connects = TRI_YES;

	/* Keep the first "unknown"; any "no" ends it. */
#define STAGE(expr)                                  \
	do {                                         \
		s = (expr);                          \
		if (s.res == TRI_NO)                 \
			goto no;                     \
		if (s.res == TRI_UNKNOWN && unk.res == TRI_YES) \
			unk = s;                     \
		else                                 \
			free(s.reason);              \
	} while (0)

	STAGE(judge_version(r, cp, &best));
	if (best >= 0)
		STAGE(judge_suites(r, cp, best, &use, &group));
	STAGE(judge_cert(r, cp, &note));
#undef STAGE
	if (unk.res == TRI_UNKNOWN) {
		out->connects = TRI_UNKNOWN;
		out->stage = unk.stage;
		out->reason = xasprintf("%s: %s", unk.stage, unk.reason ?
		    unk.reason : "not known");
		free(unk.reason);
		return;
	}
	char dh[16] = "";
	if (name_starts(use, "TLS_DHE_") && r->dh_bits > 0)
		snprintf(dh, sizeof dh, ", DH %d", r->dh_bits);
	out->reason = xasprintf("%s, %s%s%s%s%s%s", proto_name(best),
	    suite_name(use, nb), group ? ", " : "", group ? group : "", dh,
	    note ? "; " : "", note ? note : "");
	return;
no:
	free(unk.reason);
	out->connects = TRI_NO;
	out->stage = s.stage;
	out->reason = xasprintf("%s: %s", s.stage, s.reason ? s.reason :
	    "refused");
	free(s.reason);
}

void
clients_judge(struct report *r)
{
	size_t n;
	const struct client_profile *cp = client_profiles(&n);

	for (size_t i = 0; i < r->nclients; i++)
		free(r->clients[i].reason);
	free(r->clients);
	r->clients = xcalloc(n, sizeof *r->clients);
	r->nclients = n;
	/* The current major browsers first, then the others. */
	size_t k = 0;
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < n; i++)
			if (cp[i].current == pass)
				clients_decide(r, &cp[i], &r->clients[k++]);
}

/* --- words ------------------------------------------------------------ */

static int
stage_in(const char *stage, const char *list)
{
	size_t n;

	if (list == NULL)
		return 1;
	if (stage == NULL)
		return 0;
	n = strlen(stage);
	for (const char *p = list; (p = strstr(p, stage)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* Names of the rows that match, "A, B and C". */
static char *
join_names(const struct report *r, int current_only, unsigned app,
    enum tri want, const char *stage)
{
	struct strbuf b = { 0 };
	size_t n = 0, k = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->nclients; i++) {
			const struct client_result *c = &r->clients[i];
			if ((current_only && !c->current) ||
			    (app && (!(c->apps & app) || c->old)) ||
			    c->connects != want ||
			    !stage_in(c->stage, stage))
				continue;
			if (pass == 0) {
				n++;
				continue;
			}
			strbuf_printf(&b, "%s%s", k == 0 ? "" : k + 1 == n ?
			    " and " : ", ", c->name);
			k++;
		}
	return n ? strbuf_steal(&b) : NULL;
}

char *
clients_names(const struct report *r, int current_only, enum tri want,
    const char *stage)
{
	return join_names(r, current_only, 0, want, stage);
}

/* Word-wrap text at width columns; continuation lines get indent spaces. */
static void
wrap_cell(struct strbuf *b, const char *text, size_t col, size_t width)
{
	size_t room = width > col + 10 ? width - col : 10;
	const char *p = text;
	int first = 1;

	while (*p) {
		size_t len = strlen(p), cut = len;
		if (len > room) {
			cut = room;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = room;
		}
		if (!first)
			strbuf_printf(b, "%*s", (int)col, "");
		strbuf_add(b, p, cut);
		strbuf_puts(b, "\n");
		first = 0;
		p += cut;
		while (*p == ' ')
			p++;
	}
	if (first)
		strbuf_puts(b, "\n");
}

/* Suite names as OpenSSL-style short words for the table's narrow
 * column: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" -> "ECDHE_RSA_AES_128_GCM_
 * SHA256"; the JSON keeps the IANA names. */
static char *
compact(const char *s)
{
	char *out = xstrdup(s), *w = out;

	for (const char *p = s; *p;) {
		int start = p == s || p[-1] == ' ' || p[-1] == '(';
		if (start && strncmp(p, "TLS_", 4) == 0 && p[4] >= 'A' &&
		    p[4] <= 'Z') {
			p += 4;
			continue;
		}
		if (strncmp(p, "WITH_", 5) == 0 && p > s && p[-1] == '_') {
			p += 5;
			continue;
		}
		*w++ = *p++;
	}
	*w = '\0';
	return out;
}

char *
clients_table(const struct report *r, int width, int indent)
{
	struct strbuf b = { 0 };
	/* name (as wide as the longest, at most 28), result 8, reason */
	size_t ncol = 6, rcol;

	if (width < 60)
		width = 60;
	for (size_t i = 0; i < r->nclients; i++) {
		size_t l = strlen(r->clients[i].name) + 2;
		if (l > ncol)
			ncol = l > 28 ? 28 : l;
	}
	rcol = (size_t)indent + ncol + 1 + 8 + 1;
	if (r->nclients == 0) {
		strbuf_printf(&b, "%*sNot tested: the server could not be "
		    "reached.\n", indent, "");
		return strbuf_steal(&b);
	}
	strbuf_printf(&b, "%*s%-*s %-8s %s\n", indent, "", (int)ncol, "Client",
	    "Connects", "Why not, or how");
	for (size_t i = 0; i < r->nclients; i++) {
		const struct client_result *c = &r->clients[i];
		char name[64];

		snprintf(name, sizeof name, "%s%s", c->name,
		    c->current ? " *" : "");
		strbuf_printf(&b, "%*s%-*.*s %-8s ", indent, "", (int)ncol,
		    (int)ncol, name, c->connects == TRI_YES ? "yes" :
		    c->connects == TRI_NO ? "NO" : "unknown");
		char *why = compact(c->reason ? c->reason : "");
		wrap_cell(&b, why, rcol, (size_t)width);
		free(why);
	}
	strbuf_printf(&b, "%*s* a current major browser\n", indent, "");
	return strbuf_steal(&b);
}

/* The reason of the first matching row, without its "stage: " head. */
static const char *
first_reason(const struct report *r, unsigned app, enum tri want)
{
	for (size_t i = 0; i < r->nclients; i++) {
		const struct client_result *c = &r->clients[i];
		if ((c->apps & app) && !c->old && c->connects == want &&
		    c->reason) {
			const char *p = strstr(c->reason, ": ");
			return p && want != TRI_YES ? p + 2 : c->reason;
		}
	}
	return "";
}

void
clients_note_set(struct report *r, unsigned app)
{
	const char *who = app == CLIENT_APP_BROWSER ? "browser" :
	    app == CLIENT_APP_MAIL ? "mail app" : "program";
	/* The browsers that matter are the current ones. */
	int cur = app == CLIENT_APP_BROWSER;
	struct strbuf b = { 0 };
	char *fail, *ok, *unk, *brow;

	free(r->clients_note);
	r->clients_note = NULL;
	if (app == 0 || r->nclients == 0)
		return;
	fail = join_names(r, cur, app, TRI_NO, NULL);
	ok = join_names(r, cur, app, TRI_YES, NULL);
	unk = join_names(r, cur, app, TRI_UNKNOWN, NULL);
	brow = app == CLIENT_APP_BROWSER ? NULL :
	    join_names(r, 1, 0, TRI_YES, NULL);
	strbuf_printf(&b, "For the %s you use: ", who);
	if (fail != NULL) {
		strbuf_printf(&b, "%s cannot connect: %s.", fail,
		    first_reason(r, app, TRI_NO));
		/* "Works in Chrome, fails in my script": say why. */
		if (brow != NULL)
			strbuf_printf(&b, " %s can (%s), which is why a "
			    "browser may work.", brow,
			    first_reason(r, CLIENT_APP_BROWSER, TRI_YES));
		if (ok != NULL)
			strbuf_printf(&b, " %s can%s%s%s.", ok,
			    brow ? "" : " (", brow ? "" :
			    first_reason(r, app, TRI_YES), brow ? "" : ")");
	} else if (ok != NULL) {
		strbuf_printf(&b, "%s can all connect, so a failure comes "
		    "from the %s's own settings or version, or from this "
		    "computer.", ok, who);
		if (unk != NULL)
			strbuf_printf(&b, " Not known for %s.", unk);
	} else if (unk != NULL) {
		strbuf_printf(&b, "tlsmedic cannot tell whether %s can "
		    "connect: %s.", unk, first_reason(r, app, TRI_UNKNOWN));
	} else {
		strbuf_free(&b);
	}
	if (b.len > 0)
		r->clients_note = strbuf_steal(&b);
	free(fail);
	free(ok);
	free(unk);
	free(brow);
}
