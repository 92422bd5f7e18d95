/* cause.c: one finding explains another (cause.h). */
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "util.h"

enum cause_act { CAUSE_REOWN, CAUSE_FOLD };

#define CAUSED_BY "caused by"

/* cause -> consequence. REOWN keeps the consequence (its own advice still
 * helps) under the cause's owner; FOLD makes it part of the cause. */
static const struct cause_row {
	enum finding_id cause, effect;
	enum cause_act act;
} cause_rows[] = {
	/* What we examined is the proxy's certificate, not the site's. */
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_UNTRUSTED_ROOT, CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_HOSTNAME, CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_CHAIN_INCOMPLETE,
	    CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_CHAIN_ORDER, CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_SELF_SIGNED, CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_EXPIRED, CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_NOT_YET_VALID, CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_WEAK_KEY, CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_WEAK_SIGNATURE, CAUSE_REOWN },
	{ FINDING_MITM_INTERCEPTION, FINDING_CERT_PATH_CONFUSION, CAUSE_REOWN },
	/* A date problem the clock explains is already folded by clock.c;
	 * one it does not explain stays the server's. */
	/* No suite or version in common: the fatal alert our handshake got
	 * is that, not broken messages. */
	{ FINDING_CIPHER_MISMATCH, FINDING_PROTOCOL_MALFORMED, CAUSE_FOLD },
	{ FINDING_PROTOCOL_MISMATCH, FINDING_PROTOCOL_MALFORMED, CAUSE_FOLD },
};
#define NROWS (sizeof cause_rows / sizeof *cause_rows)

void
cause_fold(struct report *r, enum finding_id cause,
    const enum finding_id *ids, size_t n, const char *why)
{
	if (report_find(r, cause) == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		struct finding *f = report_find(r, ids[i]);
		char *ev;

		if (f == NULL || ids[i] == cause)
			continue;
		ev = xasprintf("%s (%s%s%s%s%s)", f->summary,
		    finding_id_str(f->id), why ? ", " : "", why ? why : "",
		    *f->evidence ? ": " : "", f->evidence);
		report_remove(r, ids[i]);
		report_add(r, cause, NULL, ev);
		free(ev);
	}
}

const struct finding *
cause_of(const struct report *r, const struct finding *f)
{
	for (size_t i = 0; i < NROWS; i++)
		if (cause_rows[i].effect == f->id &&
		    cause_rows[i].act == CAUSE_REOWN)
			return report_find(r, cause_rows[i].cause);
	return NULL;
}

void
cause_apply(struct report *r)
{
	for (size_t i = 0; i < NROWS; i++) {
		const struct cause_row *row = &cause_rows[i];
		struct finding *c = report_find(r, row->cause), *e;

		if (c == NULL || (e = report_find(r, row->effect)) == NULL)
			continue;
		if (row->act == CAUSE_FOLD) {
			cause_fold(r, row->cause, &row->effect, 1,
			    "explained by it");
			continue;
		}
		e->owner = c->owner;
		if (strstr(e->evidence, CAUSED_BY) == NULL) {
			char *ev = xasprintf(CAUSED_BY " %s: %s",
			    finding_id_str(c->id), c->summary);
			report_add(r, e->id, NULL, ev);
			free(ev);
		}
		/* The cause is what the user must act on: it is at least as
		 * serious as what it breaks. */
		if (e->severity > c->severity)
			c->severity = e->severity;
	}
}

struct sort_key {
	const struct finding *lead; /* the cause, or the finding itself */
	int follower;               /* 1: shown after its cause */
	struct finding f;
};

static int
finding_cmp(const struct finding *a, const struct finding *b)
{
	if (a->severity != b->severity)
		return (int)b->severity - (int)a->severity;
	return (int)a->id - (int)b->id; /* decision-tree order */
}

static int
key_cmp(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	int c = finding_cmp(a->lead, b->lead);

	if (c != 0)
		return c;
	if (a->follower != b->follower)
		return a->follower - b->follower;
	return finding_cmp(&a->f, &b->f);
}

void
cause_sort(struct report *r)
{
	struct sort_key *k;

	if (r->nfindings < 2) /* qsort(NULL, 0) is undefined (UBSan) */
		return;
	k = xcalloc(r->nfindings, sizeof *k);
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *c = cause_of(r, &r->findings[i]);
		k[i].f = r->findings[i];
		k[i].follower = c != NULL;
		k[i].lead = c != NULL ? c : &r->findings[i];
	}
	/* lead points into r->findings, which stays put while k sorts. */
	qsort(k, r->nfindings, sizeof *k, key_cmp);
	for (size_t i = 0; i < r->nfindings; i++)
		r->findings[i] = k[i].f;
	free(k);
}
