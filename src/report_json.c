/* report_json.c: the JSON face of a struct report (see report.h), built
 * with json-c so that quoting is never ours to get wrong. The shape is a
 * public contract (scripts and tickets read it): keys are never renamed,
 * and "could not test" is null, never false. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "groups.h"
#include "clock.h"
#include "report.h"
#include "sanitize.h"
#include "suites.h"
#include "util.h"

const char *
report_check_state_str(enum check_state s)
{
	static const char *const names[] = { "waiting", "running", "passed",
		"warning", "failed", "skipped" };

	return (unsigned)s <= CHECK_SKIPPED ? names[s] : "unknown";
}

/* 1 when s is valid UTF-8 without C0, DEL, C1, line separators or bidi
 * controls -- what sanitize() produces. */
static int
is_clean(const unsigned char *p)
{
	while (*p) {
		uint32_t c;
		size_t n, i;

		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return 0;
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0)
			n = 2, c = *p & 0x1f;
		else if ((*p & 0xf0) == 0xe0)
			n = 3, c = *p & 0x0f;
		else if ((*p & 0xf8) == 0xf0)
			n = 4, c = *p & 0x07;
		else
			return 0;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
		    (n == 4 && c < 0x10000) || c > 0x10ffff ||
		    (c >= 0xd800 && c <= 0xdfff) || (c >= 0x80 && c < 0xa0) ||
		    (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
			return 0;
		p += n;
	}
	return 1;
}

char *
report_clean(const char *s)
{
	if (s == NULL)
		return xstrdup("");
	if (is_clean((const unsigned char *)s))
		return xstrdup(s);
	return sanitize(s, strlen(s), 4096);
}

static struct json_object *
jstr(const char *s)
{
	struct json_object *o;
	char *c;

	if (s == NULL)
		return NULL; /* json null */
	c = report_clean(s);
	o = json_object_new_string(c);
	free(c);
	return o;
}

static struct json_object *
jtri(enum tri t)
{
	if (t == TRI_UNKNOWN)
		return NULL;
	return json_object_new_boolean(t == TRI_YES);
}

/* ISO 8601 UTC, or null when unknown (0) or beyond gmtime. */
static struct json_object *
jtime(time_t t)
{
	struct tm tm;
	char buf[64];

	if (t == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return json_object_new_string(buf);
}

static void
add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/* Which clients can connect (clients.h): connects is true, false or
 * null (not known); stage names what stops it. */
static struct json_object *
json_clients(const struct report *r)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < r->nclients; i++) {
		const struct client_result *c = &r->clients[i];
		struct json_object *o = json_object_new_object();

		add(o, "id", jstr(c->id));
		add(o, "name", jstr(c->name));
		add(o, "current_browser", json_object_new_boolean(c->current));
		add(o, "connects", jtri(c->connects));
		add(o, "stage", jstr(c->stage));
		add(o, "reason", jstr(c->reason));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *
json_group_set(const struct group_set *gs)
{
	struct json_object *a;
	char nb[8];

	if (!gs->tested)
		return NULL;
	a = json_object_new_array();
	for (size_t i = 0; i < gs->n; i++)
		json_object_array_add(a, json_object_new_string(
		    group_name(gs->codes[i], nb)));
	return a;
}

/* Key-exchange groups the server takes (null: not tested), DHE prime. */
static struct json_object *
json_groups(const struct report *r)
{
	struct json_object *o = json_object_new_object();

	add(o, "tls1.3", json_group_set(&r->groups_tls13));
	add(o, "ecdhe", json_group_set(&r->groups_ecdhe));
	add(o, "dh_bits", r->dh_bits > 0 ?
	    json_object_new_int(r->dh_bits) : NULL);
	return o;
}

static struct json_object *
json_cert(const struct cert_info *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *sans = json_object_new_array();
	char *key;

	add(o, "subject", jstr(c->subject ? c->subject : ""));
	add(o, "issuer", jstr(c->issuer ? c->issuer : ""));
	for (size_t i = 0; i < c->nsans; i++)
		json_object_array_add(sans, jstr(c->sans[i] ? c->sans[i] : ""));
	add(o, "sans", sans);
	add(o, "not_before", jtime(c->not_before));
	add(o, "not_after", jtime(c->not_after));
	if (c->key_bits > 0)
		key = xasprintf("%s %d", c->key_type ? c->key_type : "unknown",
		    c->key_bits);
	else
		key = xstrdup(c->key_type ? c->key_type : "unknown");
	add(o, "key", jstr(key));
	free(key);
	add(o, "signature", jstr(c->signature));
	{
		/* sha256 is a fixed array: never trust it to be terminated */
		char fp[65];
		memcpy(fp, c->sha256, 64);
		fp[64] = '\0';
		add(o, "sha256", *fp ? jstr(fp) : NULL);
	}
	add(o, "ocsp_url", jstr(c->ocsp_url));
	add(o, "ca_issuers_url", jstr(c->ca_issuers_url));
	add(o, "crl_url", jstr(c->crl_url));
	add(o, "self_signed", json_object_new_boolean(c->self_signed != 0));
	return o;
}

/* How the server was reached: direct, or which proxy (paths.h). */
static struct json_object *
json_path(const struct report *r)
{
	struct json_object *p = json_object_new_object();

	add(p, "proxy", jstr(r->path.proxy));
	add(p, "proxy_source", jstr(r->path.source));
	add(p, "resolved_by", jstr(r->path.resolver));
	add(p, "direct", jstr(r->path.direct));
	return p;
}

/* Every address of the name tested (addrs.h); empty for one. */
static struct json_object *
json_addresses(const struct report *r)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < r->naddrs; i++) {
		struct json_object *e = json_object_new_object();
		add(e, "address", jstr(r->addrs[i].address));
		add(e, "status", jstr(r->addrs[i].status));
		add(e, "full", json_object_new_boolean(r->addrs[i].full != 0));
		add(e, "summary", jstr(r->addrs[i].summary));
		json_object_array_add(a, e);
	}
	return a;
}

static struct json_object *
json_report(const struct report *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *t = json_object_new_object();
	struct json_object *a, *p;

	add(t, "host", jstr(r->host ? r->host : ""));
	add(t, "host_unicode", jstr(r->host_unicode));
	add(t, "port", json_object_new_int(r->port));
	add(t, "address", jstr(r->address));
	add(t, "sni", jstr(r->sni));
	add(t, "tls_mode", jstr(r->tls_mode));
	add(o, "target", t);
	add(o, "path", json_path(r));
	add(o, "addresses", json_addresses(r));
	if (r->scenario != NULL)
		add(o, "scenario", jstr(r->scenario));
	add(o, "verdict", json_object_new_string(verdict_str(r->verdict)));
	add(o, "error", jstr(r->error));

	a = json_object_new_array();
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		struct json_object *fo = json_object_new_object();

		add(fo, "id", json_object_new_string(finding_id_str(f->id)));
		add(fo, "owner", json_object_new_string(owner_str(f->owner)));
		add(fo, "severity",
		    json_object_new_string(severity_str(f->severity)));
		add(fo, "summary", jstr(f->summary ? f->summary : ""));
		add(fo, "evidence", jstr(f->evidence ? f->evidence : ""));
		json_object_array_add(a, fo);
	}
	add(o, "findings", a);

	p = json_object_new_object();
	for (int v = 0; v < PROTO_COUNT; v++)
		add(p, proto_key(v), jtri(r->protocols[v]));
	add(o, "protocols", p);

	p = json_object_new_object();
	for (int v = 0; v < PROTO_COUNT; v++) {
		const struct suite_set *ss = &r->ciphers[v];
		char buf[8];

		if (!ss->tested) {
			add(p, proto_key(v), NULL);
			continue;
		}
		a = json_object_new_array();
		for (size_t i = 0; i < ss->n && ss->codes != NULL; i++)
			json_object_array_add(a, json_object_new_string(
			    suite_name(ss->codes[i], buf)));
		add(p, proto_key(v), a);
	}
	add(o, "ciphers", p);
	add(o, "negotiated", jstr(r->negotiated));
	add(o, "dh_bits", r->dh_bits > 0 ? json_object_new_int(r->dh_bits) :
	    NULL);
	add(o, "handshake_note", jstr(r->handshake_note));

	a = json_object_new_array();
	for (size_t i = 0; i < r->chain.n && r->chain.certs != NULL; i++)
		json_object_array_add(a, json_cert(&r->chain.certs[i]));
	add(o, "chain", a);
	add(o, "clients", json_clients(r));
	add(o, "clients_note", jstr(r->clients_note));
	add(o, "groups", json_groups(r));

	p = json_object_new_object();
	add(p, "local", jtime(r->clock.local));
	add(p, "synchronized", jtri(r->clock.kernel_sync));
	add(p, "http_date", jtime(r->clock.http_date));
	add(p, "build_time", jtime(r->clock.build_time));
	/* the model says 0 is "unknown" */
	add(p, "skew_s", r->clock.skew_s != 0 ?
	    json_object_new_int64(r->clock.skew_s) : NULL);
	add(p, "reference", jstr(r->clock.reference));
	a = json_object_new_array();
	for (size_t i = 0; i < r->clock.nrefs; i++) {
		const struct clock_ref *c = &r->clock.refs[i];
		struct json_object *e = json_object_new_object();

		add(e, "kind", json_object_new_string(clock_ref_kind_str(
		    c->kind)));
		add(e, "source", jstr(c->source));
		add(e, "bound", json_object_new_string(clock_bound_str(
		    c->bound)));
		add(e, "value", jtime(c->value));
		add(e, "observed", jtime(c->observed));
		/* our clock minus the reference: the skew for a point */
		add(e, "age_s", c->bound != CLOCK_CLAIM ?
		    json_object_new_int64((int64_t)(c->observed - c->value)) :
		    NULL);
		add(e, "trusted", json_object_new_boolean(c->trusted));
		add(e, "used", json_object_new_boolean(c->used));
		json_object_array_add(a, e);
	}
	add(p, "references", a);
	add(o, "clock", p);

	p = json_object_new_object();
	for (int c = 0; c < CHECK_COUNT; c++)
		add(p, check_key(c), json_object_new_string(
		    report_check_state_str(r->checks[c])));
	add(o, "checks", p);
	p = json_object_new_object();
	for (int c = 0; c < CHECK_COUNT; c++)
		if (r->check_reason[c] != NULL)
			add(p, check_key(c), jstr(r->check_reason[c]));
	add(o, "skipped_why", p);
	add(o, "handshakes", json_object_new_int(r->handshakes));
	add(o, "elapsed_ms", json_object_new_int64(r->elapsed_ms));
	return o;
}

static char *
json_finish(struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = xasprintf("%s\n", s ? s : "null");

	json_object_put(o);
	return out;
}

char *
report_json(const struct report *r)
{
	return json_finish(json_report(r));
}

char *
report_json_array(struct report *const *rs, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		if (rs[i] != NULL)
			json_object_array_add(a, json_report(rs[i]));
	return json_finish(a);
}
