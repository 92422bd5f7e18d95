/* model.c: the result model's small helpers (see model.h). */
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cause.h"
#include "model.h"
#include "sanitize.h"
#include "util.h"

static const char *const proto_keys[] = { "ssl3.0", "tls1.0", "tls1.1",
	"tls1.2", "tls1.3" };
static const char *const proto_names[] = { "SSL 3.0", "TLS 1.0", "TLS 1.1",
	"TLS 1.2", "TLS 1.3" };

const char *
proto_key(enum proto p)
{
	return (unsigned)p < PROTO_COUNT ? proto_keys[p] : "unknown";
}

const char *
proto_name(enum proto p)
{
	return (unsigned)p < PROTO_COUNT ? proto_names[p] : "unknown";
}

uint16_t
proto_wire(enum proto p)
{
	return (uint16_t)(0x0300 + p);
}

int
proto_from_wire(uint16_t v)
{
	return (v >= 0x0300 && v <= 0x0304) ? (int)(v - 0x0300) : -1;
}

#define CHECK_ROW(e, k, t) { k, t },
static const struct {
	const char *key, *title;
} check_rows[CHECK_COUNT] = { CHECK_TABLE(CHECK_ROW) };
#undef CHECK_ROW

const char *
check_key(enum check c)
{
	return (unsigned)c < CHECK_COUNT ? check_rows[c].key : "unknown";
}

const char *
check_title(enum check c)
{
	return (unsigned)c < CHECK_COUNT ? check_rows[c].title : "unknown";
}

enum check
finding_check(enum finding_id id)
{
	const char *s = finding_id_str(id);

	if (strncmp(s, "net.", 4) == 0)
		return CHECK_CONNECT;
	if (strncmp(s, "clock.", 6) == 0 || strncmp(s, "client.", 7) == 0)
		return CHECK_CLOCK;
	if (strncmp(s, "protocol.", 9) == 0)
		return CHECK_PROTOCOLS;
	if (strncmp(s, "cipher.", 7) == 0)
		return CHECK_CIPHERS;
	if (strncmp(s, "sni.", 4) == 0)
		return CHECK_SNI;
	if (strncmp(s, "mitm.", 5) == 0)
		return CHECK_INTERCEPTION;
	if (id == FINDING_CERT_REVOKED)
		return CHECK_REVOCATION;
	return CHECK_CERT; /* cert.*, client_cert.* */
}

const char *
verdict_str(enum verdict v)
{
	switch (v) {
	case VERDICT_OK:
		return "ok";
	case VERDICT_PROBLEMS:
		return "problems";
	case VERDICT_INCOMPLETE:
		return "incomplete";
	default:
		return "unreachable";
	}
}

void
cert_info_clear(struct cert_info *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->cn);
	for (size_t i = 0; i < c->nsans; i++)
		free(c->sans[i]);
	free(c->sans);
	free(c->key_type);
	free(c->signature);
	free(c->ocsp_url);
	free(c->ca_issuers_url);
	free(c->crl_url);
	free(c->der);
	memset(c, 0, sizeof *c);
}

void
chain_clear(struct chain *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		cert_info_clear(&ch->certs[i]);
	free(ch->certs);
	ch->certs = NULL;
	ch->n = 0;
}

struct report *
report_new(void)
{
	struct report *r = xcalloc(1, sizeof *r);

	for (int p = 0; p < PROTO_COUNT; p++)
		r->protocols[p] = TRI_UNKNOWN;
	r->clock.kernel_sync = TRI_UNKNOWN;
	r->chain_aia = TRI_UNKNOWN;
	r->chain_public = TRI_UNKNOWN;
	return r;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	free(r->host);
	free(r->host_unicode);
	free(r->address);
	free(r->sni);
	free(r->tls_mode);
	free(r->scenario);
	free(r->error);
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].summary);
		free(r->findings[i].evidence);
	}
	free(r->findings);
	for (int p = 0; p < PROTO_COUNT; p++)
		free(r->ciphers[p].codes);
	free(r->negotiated);
	free(r->handshake_note);
	for (int c = 0; c < CHECK_COUNT; c++)
		free(r->check_reason[c]);
	chain_clear(&r->chain);
	free(r->clock.reference);
	for (size_t i = 0; i < r->nclients; i++)
		free(r->clients[i].reason);
	free(r->clients);
	free(r->clients_note);
	for (size_t i = 0; i < r->clock.nrefs; i++)
		free(r->clock.refs[i].source);
	free(r->clock.refs);
	for (size_t i = 0; i < r->naddrs; i++) {
		free(r->addrs[i].address);
		free(r->addrs[i].status);
		free(r->addrs[i].summary);
	}
	free(r->addrs);
	free(r->path.proxy);
	free(r->path.source);
	free(r->path.resolver);
	free(r->path.direct);
	free(r);
}

void
report_add_address(struct report *r, const char *address, const char *status,
    const char *summary, int full)
{
	struct addr_summary *a;

	r->addrs = xreallocarray(r->addrs, r->naddrs + 1, sizeof *r->addrs);
	a = &r->addrs[r->naddrs++];
	a->address = sanitize(address, strlen(address), 64);
	a->status = sanitize(status, strlen(status), 32);
	a->summary = summary ? sanitize(summary, strlen(summary), 400) : NULL;
	a->full = full;
}

static char *
clean(const char *s)
{
	return s ? sanitize_once(s, 4096, 0) : xstrdup("");
}

struct finding *
report_add(struct report *r, enum finding_id id, const char *summary,
    const char *evidence)
{
	struct finding *f = report_find(r, id);

	if (f != NULL) {
		if (evidence != NULL && *evidence != '\0') {
			char *e = clean(evidence);
			char *joined = *f->evidence ?
			    xasprintf("%s; %s", f->evidence, e) : xstrdup(e);
			free(e);
			free(f->evidence);
			f->evidence = joined;
		}
		return f;
	}
	r->findings = xreallocarray(r->findings, r->nfindings + 1,
	    sizeof *r->findings);
	f = &r->findings[r->nfindings++];
	f->id = id;
	f->owner = finding_default_owner(id);
	f->severity = finding_default_severity(id);
	f->summary = clean(summary);
	f->evidence = clean(evidence);
	return f;
}

struct finding *
report_find(const struct report *r, enum finding_id id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].id == id)
			return &r->findings[i];
	return NULL;
}

void
report_remove(struct report *r, enum finding_id id)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		if (r->findings[i].id != id)
			continue;
		free(r->findings[i].summary);
		free(r->findings[i].evidence);
		memmove(&r->findings[i], &r->findings[i + 1],
		    (r->nfindings - i - 1) * sizeof *r->findings);
		r->nfindings--;
		return;
	}
}

/* The checks without which "nothing wrong" cannot be said. Revocation and
 * SNI are often untestable for good reasons (nothing to ask, one name). */
static int
check_matters(int c)
{
	return c == CHECK_CONNECT || c == CHECK_PROTOCOLS ||
	    c == CHECK_CIPHERS || c == CHECK_CERT;
}

void
report_finish(struct report *r)
{
	int serious = 0;

	cause_apply(r);
	cause_sort(r);
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		enum check c = finding_check(f->id);
		enum check_state s = f->severity == SEV_ERROR ? CHECK_FAILED :
		    f->severity == SEV_WARNING ? CHECK_WARNING : CHECK_PASSED;

		if (f->severity != SEV_INFO)
			serious = 1;
		/* No check ran for what the user answered: "the clock" must
		 * not turn yellow because another browser works. */
		if (answers_finding(f->id))
			continue;
		if (r->checks[c] < s || r->checks[c] == CHECK_SKIPPED ||
		    r->checks[c] <= CHECK_RUNNING)
			r->checks[c] = s;
	}
	/* A check that started and never settled did not finish: it is
	 * not a pass (rule 1). A check never started (WAITING) is one the
	 * producer does not track -- a report made by hand -- and passes
	 * when no finding says otherwise. */
	for (int c = 0; c < CHECK_COUNT; c++) {
		if (r->checks[c] == CHECK_RUNNING && r->check_reason[c])
			r->checks[c] = CHECK_SKIPPED;
		else if (r->checks[c] == CHECK_RUNNING)
			report_skip(r, c, "tlsmedic did not finish this "
			    "check");
		else if (r->checks[c] == CHECK_WAITING)
			r->checks[c] = CHECK_PASSED;
	}
	if (r->verdict != VERDICT_UNREACHABLE)
		r->verdict = serious ? VERDICT_PROBLEMS : VERDICT_OK;
	if (r->verdict == VERDICT_OK)
		for (int c = 0; c < CHECK_COUNT; c++)
			if (r->checks[c] == CHECK_SKIPPED &&
			    check_matters(c))
				r->verdict = VERDICT_INCOMPLETE;
}

void
report_skip(struct report *r, enum check c, const char *reason)
{
	if (r->checks[c] <= CHECK_RUNNING || r->checks[c] == CHECK_PASSED)
		r->checks[c] = CHECK_SKIPPED;
	free(r->check_reason[c]);
	r->check_reason[c] = reason ? sanitize_once(reason, 512, 0) :
	    NULL;
}
