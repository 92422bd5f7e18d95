/* clock.c: is the local clock right? See clock.h.
 * Every reference here works without root: ntp_adjtime with modes = 0
 * only reads the kernel's state. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <sys/timex.h>

#include "cause.h"
#include "clock.h"
#include "sanitize.h"
#include "util.h"

#ifndef TLSMEDIC_BUILD_TIME
#define TLSMEDIC_BUILD_TIME 0
#endif

#define DAY (24L * 3600)
#define SKEW_WARN (5L * 60) /* minutes off: worth a word */
#define SKEW_ERROR DAY      /* a day off: certificates start to fail */
#define AGREE (5L * 60)     /* two references within this agree */
/* How far a bound may be passed before it says the clock is wrong: CAs
 * date certificates and OCSP answers by their own (good) clocks, give or
 * take minutes; a build machine's clock and an overdue CRL are looser. */
#define TOL_AFTER (10L * 60)
#define TOL_BEFORE (3600L)
#define TOL_BUILD DAY
#define HORIZON (5 * 366 * DAY) /* how long after its build we may run */
#define MAX_REFS 64 /* a hostile chain of responders stays bounded */

void
clock_observe(struct report *r)
{
	struct timex tx;
	int state;

	memset(&tx, 0, sizeof tx);
	r->clock.local = time(NULL);
	r->clock.build_time = (time_t)TLSMEDIC_BUILD_TIME;
	state = ntp_adjtime(&tx);
	if (state == -1)
		r->clock.kernel_sync = TRI_UNKNOWN;
	else
		r->clock.kernel_sync = (state == TIME_ERROR ||
		    (tx.status & STA_UNSYNC)) ? TRI_NO : TRI_YES;
}

static int
month_index(const char *m)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (strncasecmp(m, names + 3 * i, 3) == 0)
			return i;
	return -1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), no timezone or
 * locale involved, unlike mktime. */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

int
clock_parse_http_date(const char *s, size_t len, time_t *out)
{
	char buf[64], mon[4] = { 0 };
	int day, year, hh, mm, ss, n = 0;

	if (s == NULL || len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!isprint((unsigned char)buf[i]))
			return -1;
	const char *p = strchr(buf, ',');
	if (p != NULL) {
		/* IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850
		 * "Sunday, 06-Nov-94 08:49:37 GMT". */
		p++;
		if (sscanf(p, " %2d %3s %4d %2d:%2d:%2d GMT%n", &day, mon,
		    &year, &hh, &mm, &ss, &n) == 6 && n > 0) {
		} else if (sscanf(p, " %2d-%3s-%2d %2d:%2d:%2d GMT%n", &day, mon,
		    &year, &hh, &mm, &ss, &n) == 6 && n > 0) {
			year += year < 70 ? 2000 : 1900;
		} else
			return -1;
	} else {
		/* asctime "Sun Nov  6 08:49:37 1994" */
		char wd[4];
		if (sscanf(buf, "%3s %3s %2d %2d:%2d:%2d %4d%n", wd, mon, &day,
		    &hh, &mm, &ss, &year, &n) != 7 || n == 0)
			return -1;
	}
	int m = month_index(mon);
	if (m < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 ||
	    year < 1900 || year > 9999 || hh < 0 || mm < 0 || ss < 0)
		return -1;
	long long t = days_from_civil(year, (unsigned)m + 1, (unsigned)day) *
	    DAY + hh * 3600LL + mm * 60LL + ss;
	*out = (time_t)t;
	return 0;
}

int
clock_parse_asn1_time(unsigned char tag, const unsigned char *p, size_t n,
    time_t *out)
{
	char d[14];
	int v[6];
	size_t off = tag == 0x17 ? 2 : 0;

	/* UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280
	 * requires seconds and Z). */
	if ((tag != 0x17 && tag != 0x18) || n != 15 - off || p[n - 1] != 'Z')
		return -1;
	if (tag == 0x17)
		memcpy(d, p[0] < '5' ? "20" : "19", 2);
	memcpy(d + off, p, 14 - off);
	for (int i = 0; i < 14; i++)
		if (d[i] < '0' || d[i] > '9')
			return -1;
	v[0] = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
	    (d[3] - '0');
	for (int i = 1; i < 6; i++)
		v[i] = (d[2 + 2 * i] - '0') * 10 + (d[3 + 2 * i] - '0');
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60)
		return -1;
	*out = (time_t)(days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]) *
	    DAY + v[3] * 3600LL + v[4] * 60LL + v[5]);
	return 0;
}

/* ---- references gathered while the probes run ---- */

struct clock_log {
	pthread_mutex_t lock;
	struct clock_ref *refs;
	size_t n;
};

struct clock_log *
clock_log_new(void)
{
	struct clock_log *l = xcalloc(1, sizeof *l);

	pthread_mutex_init(&l->lock, NULL);
	return l;
}

void
clock_log_free(struct clock_log *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->refs[i].source);
	free(l->refs);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static void
refs_push(struct clock_ref **refs, size_t *n, enum clock_ref_kind kind,
    enum clock_bound bound, int trusted, const char *source, time_t value,
    time_t observed)
{
	struct clock_ref *c;

	if (*n >= MAX_REFS)
		return;
	*refs = xreallocarray(*refs, *n + 1, sizeof **refs);
	c = &(*refs)[(*n)++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->bound = bound;
	c->trusted = trusted;
	c->source = sanitize(source ? source : "", strlen(source ? source : ""),
	    200);
	c->value = value;
	c->observed = observed;
}

void
clock_log_add(struct clock_log *l, enum clock_ref_kind kind,
    enum clock_bound bound, int trusted, const char *source, time_t value)
{
	time_t now = time(NULL);

	if (l == NULL || (value == 0 && bound != CLOCK_CLAIM))
		return;
	pthread_mutex_lock(&l->lock);
	refs_push(&l->refs, &l->n, kind, bound, trusted, source, value, now);
	pthread_mutex_unlock(&l->lock);
}

void
clock_add_ref(struct report *r, enum clock_ref_kind kind,
    enum clock_bound bound, int trusted, const char *source, time_t value,
    time_t observed)
{
	if (value == 0 && bound != CLOCK_CLAIM)
		return;
	refs_push(&r->clock.refs, &r->clock.nrefs, kind, bound, trusted,
	    source, value, observed);
}

void
clock_log_move(struct clock_log *l, struct report *r)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->lock);
	for (size_t i = 0; i < l->n; i++) {
		struct clock_ref *c = &l->refs[i];
		clock_add_ref(r, c->kind, c->bound, c->trusted, c->source,
		    c->value, c->observed);
		free(c->source);
	}
	free(l->refs);
	l->refs = NULL;
	l->n = 0;
	pthread_mutex_unlock(&l->lock);
}

const char *
clock_ref_kind_str(enum clock_ref_kind k)
{
	static const char *const names[] = { "sntp", "http_date", "ocsp",
		"crl", "certificate", "build", "system" };
	return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *
clock_bound_str(enum clock_bound b)
{
	static const char *const names[] = { "point", "after", "before",
		"claim" };
	return (unsigned)b < sizeof names / sizeof *names ? names[b] : "?";
}

/* ---- the judgement ---- */

static void
fmt_time(time_t t, char *buf, size_t len)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
}

void
clock_fmt_span(long s, char *buf, size_t len)
{
	long a = labs(s);
	if (a >= 2 * DAY)
		snprintf(buf, len, "%ld days", a / DAY);
	else if (a >= 2 * 3600)
		snprintf(buf, len, "%ld hours", a / 3600);
	else if (a >= 120)
		snprintf(buf, len, "%ld minutes", a / 60);
	else
		snprintf(buf, len, "%ld seconds", a);
}

char *
clock_ref_text(const struct clock_ref *f)
{
	char span[32], t[32];
	long d = (long)(f->observed - f->value);

	if (f->bound == CLOCK_CLAIM)
		return xstrdup(f->source);
	clock_fmt_span(d, span, sizeof span);
	fmt_time(f->value, t, sizeof t);
	return xasprintf("%s: %s%s (%s %s%s%s)", f->source,
	    f->bound == CLOCK_AFTER ? "after " : f->bound == CLOCK_BEFORE ?
	    "before " : "", t, d == 0 ? "same as" : span, d == 0 ? "yours" :
	    d > 0 ? "before yours" : "after yours", f->trusted ? "" :
	    "; not to be relied on", f->used ? "; used" : "");
}

#define SITE_DATE "the site's HTTP Date: header"

static int
is_site_date(const struct clock_ref *c)
{
	return c->kind == CLOCK_REF_HTTP && strcmp(c->source, SITE_DATE) == 0;
}

static int
long_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* The median offset (observed - value) of the point references that pass
 * want(); marks them used. Returns how many there were. */
static size_t
points_median(struct clock_info *c, int (*want)(const struct clock_ref *),
    long *out)
{
	long v[MAX_REFS];
	size_t n = 0;

	for (size_t i = 0; i < c->nrefs && n < MAX_REFS; i++) {
		struct clock_ref *p = &c->refs[i];
		if (p->bound != CLOCK_POINT || !want(p))
			continue;
		v[n++] = (long)(p->observed - p->value);
		p->used = 1;
	}
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, long_cmp);
	*out = v[n / 2];
	return n;
}

static int
want_sntp(const struct clock_ref *c)
{
	return c->kind == CLOCK_REF_SNTP;
}

static int
want_responder(const struct clock_ref *c)
{
	return c->kind == CLOCK_REF_HTTP && c->trusted && !is_site_date(c);
}

/* The server's Date: is a reference only when it is itself plausible,
 * i.e. inside its certificate's validity window; otherwise it is the
 * server's clock that is off. */
static int
site_plausible(const struct report *r)
{
	const struct cert_info *leaf = r->chain.n ? &r->chain.certs[0] : NULL;
	time_t d = r->clock.http_date;

	/* A Date: that agrees with us is believed even then: both clocks
	 * would have to be wrong the same way. */
	return d != 0 && (leaf == NULL || labs((long)(r->clock.local - d)) <
	    AGREE || (d >= leaf->not_before && d <= leaf->not_after));
}

/* Can the chain's dates be believed? A CA does not date a certificate in
 * the future; a self-signed or untrusted one proves nothing. */
static int
chain_believable(const struct report *r)
{
	return r->chain.n > 0 && report_find(r, FINDING_CERT_UNTRUSTED_ROOT) ==
	    NULL && report_find(r, FINDING_CERT_SELF_SIGNED) == NULL &&
	    report_find(r, FINDING_MITM_INTERCEPTION) == NULL &&
	    report_find(r, FINDING_CERT_PATH_CONFUSION) == NULL;
}

/* The references the report itself holds: the site's Date:, the build
 * day, the certificates, the kernel. */
static void
add_own_refs(struct report *r)
{
	struct clock_info *c = &r->clock;
	char src[160];
	size_t newest = 0;

	/* The URLs of OCSP, CRL and AIA answers come from the chain: from
	 * an untrusted one they may lead anywhere, so they prove nothing. */
	if (!chain_believable(r))
		for (size_t i = 0; i < c->nrefs; i++)
			if (c->refs[i].kind == CLOCK_REF_HTTP ||
			    c->refs[i].kind == CLOCK_REF_OCSP ||
			    c->refs[i].kind == CLOCK_REF_CRL)
				c->refs[i].trusted = 0;
	if (c->http_date != 0)
		clock_add_ref(r, CLOCK_REF_HTTP, CLOCK_POINT, 0, SITE_DATE,
		    c->http_date, c->local);
	if (c->build_time > 0)
		clock_add_ref(r, CLOCK_REF_BUILD, CLOCK_AFTER, 1,
		    "the day tlsmedic was built", c->build_time, c->local);
	for (size_t i = 1; i < r->chain.n; i++)
		if (r->chain.certs[i].not_before >
		    r->chain.certs[newest].not_before)
			newest = i;
	if (r->chain.n > 0) {
		const struct cert_info *ci = &r->chain.certs[newest];
		/* Public CAs date certificates when they sign them, never
		 * ahead; but a start date decades off says more about that
		 * CA than about our clock (a program runs within years of
		 * its build). */
		int ok = chain_believable(r) && (c->build_time <= 0 ||
		    ci->not_before <= c->build_time + HORIZON);
		snprintf(src, sizeof src, "the start date of the %scertificate "
		    "%s", ok ? "" : "untrusted ", ci->subject ? ci->subject :
		    "(no subject)");
		clock_add_ref(r, CLOCK_REF_CERT, CLOCK_AFTER, ok, src,
		    ci->not_before, c->local);
	}
	if (c->kernel_sync != TRI_UNKNOWN)
		clock_add_ref(r, CLOCK_REF_SYSTEM, CLOCK_CLAIM,
		    c->kernel_sync == TRI_YES, c->kernel_sync == TRI_YES ?
		    "the system says its clock is synchronized (NTP)" :
		    "the system says its clock is not synchronized", 0,
		    c->local);
}

static long
bound_tolerance(const struct clock_ref *c)
{
	if (c->kind == CLOCK_REF_BUILD)
		return TOL_BUILD;
	return c->bound == CLOCK_AFTER ? TOL_AFTER : TOL_BEFORE;
}

/* The bound our clock breaks by the most, or NULL; *off is observed -
 * value (negative: behind an AFTER bound). */
static struct clock_ref *
broken_bound(struct clock_info *c, long *off)
{
	struct clock_ref *worst = NULL;
	long best = 0;

	for (size_t i = 0; i < c->nrefs; i++) {
		struct clock_ref *p = &c->refs[i];
		long d = (long)(p->observed - p->value), by;
		if (!p->trusted || (p->bound != CLOCK_AFTER &&
		    p->bound != CLOCK_BEFORE))
			continue;
		by = p->bound == CLOCK_AFTER ? -d : d;
		if (by > bound_tolerance(p) && by > best) {
			best = by;
			worst = p;
			*off = d;
		}
	}
	return worst;
}

/* A trusted window [after, before] no wider than a week that holds our
 * clock: a coarse measurement, enough to say the clock is not days off. */
static int
bracketed(const struct clock_info *c)
{
	time_t lo = 0, hi = 0;

	for (size_t i = 0; i < c->nrefs; i++) {
		const struct clock_ref *p = &c->refs[i];
		if (!p->trusted || p->kind == CLOCK_REF_BUILD)
			continue;
		if (p->bound == CLOCK_AFTER && p->value > lo)
			lo = p->value;
		if (p->bound == CLOCK_BEFORE && (hi == 0 || p->value < hi))
			hi = p->value;
	}
	return lo != 0 && hi != 0 && hi - lo <= 7 * DAY &&
	    c->local + TOL_AFTER >= lo && c->local <= hi + TOL_BEFORE;
}

/* Does the wrong clock explain a certificate date problem? Then the
 * certificate is fine and the server must not be blamed: the date
 * findings fold into clock.skew. bound: 0 truth is a time, 1 the true
 * time is at least truth, -1 at most. */
static int
clock_explains(struct report *r, time_t truth, int bound)
{
	const struct clock_info *c = &r->clock;
	int explains_all = 1, any = 0;

	for (size_t i = 0; i < r->chain.n; i++) {
		const struct cert_info *ci = &r->chain.certs[i];
		int bad_now = c->local < ci->not_before || c->local > ci->not_after;
		/* A bound gives a range for the truth, not a time: the date
		 * problem is explained when the certificate is valid at some
		 * time in it (after: [truth, ...); before: (..., truth]). */
		int bad_true = bound > 0 ? truth > ci->not_after :
		    bound < 0 ? truth < ci->not_before :
		    truth < ci->not_before || truth > ci->not_after;
		if (bad_now)
			any = 1;
		if (bad_now && bad_true)
			explains_all = 0;
	}
	return any && explains_all;
}

void
clock_judge(struct report *r)
{
	struct clock_info *c = &r->clock;
	struct clock_ref *bound = NULL;
	char local[32], ref[32], span[32];
	long skew = 0;
	size_t n;
	char *basis = NULL;
	int at_least = 0;

	add_own_refs(r);
	fmt_time(c->local, local, sizeof local);
	/* Best first: time servers, then the CA's own web servers (OCSP,
	 * CRL, AIA), then the site's Date:; bounds only when no time was
	 * measured, or when they say more than it. */
	if ((n = points_median(c, want_sntp, &skew)) > 0)
		basis = xasprintf("%s (%zu answered)", n == 1 ?
		    "a time server" : "time servers", n);
	else if ((n = points_median(c, want_responder, &skew)) > 0)
		basis = xasprintf("the Date: header of %s", n == 1 ?
		    "the certificate authority's web server" :
		    "the certificate authority's web servers");
	else if (site_plausible(r)) {
		for (size_t i = 0; i < c->nrefs; i++)
			if (is_site_date(&c->refs[i]))
				c->refs[i].used = 1;
		skew = (long)(c->local - c->http_date);
		basis = xstrdup("the server's HTTP Date: header");
	}
	long boff = 0;
	if ((bound = broken_bound(c, &boff)) != NULL && (basis == NULL ||
	    bound->kind == CLOCK_REF_BUILD)) {
		/* A clock before the day this program was built is wrong,
		 * whatever else we know (Chrome uses the same test). */
		free(basis);
		basis = xstrdup(bound->source);
		skew = boff;
		at_least = 1;
		bound->used = 1;
	}
	if (basis == NULL) {
		if (bracketed(c))
			return;
		report_skip(r, CHECK_CLOCK, "tlsmedic could not compare your "
		    "clock with any time source: no time server answered, and "
		    "the server sends no usable Date");
		for (size_t i = 0; i < r->nfindings; i++) {
			struct finding *f = &r->findings[i];
			if (f->id == FINDING_CERT_EXPIRED ||
			    f->id == FINDING_CERT_NOT_YET_VALID)
				report_add(r, f->id, NULL, "tlsmedic could not "
				    "check your clock against a time source: if "
				    "many sites fail like this, check your clock "
				    "first");
		}
		return;
	}
	free(c->reference);
	c->reference = basis;
	c->skew_s = skew;
	if (labs(skew) < SKEW_WARN)
		return;

	clock_fmt_span(skew, span, sizeof span);
	time_t truth = c->local - skew;
	fmt_time(truth, ref, sizeof ref);
	char *summary = xasprintf("This computer's clock is %s%s %s",
	    at_least ? "at least " : "", span, skew > 0 ? "ahead" : "behind");
	char *ev = xasprintf("local clock %s; %s says %s%s; kernel time sync: "
	    "%s", local, basis, at_least ? (skew > 0 ? "at most " :
	    "at least ") : "", ref, c->kernel_sync == TRI_YES ? "on" :
	    c->kernel_sync == TRI_NO ? "off" : "unknown");
	struct finding *f = report_add(r, FINDING_CLOCK_SKEW, summary, ev);
	free(summary);
	free(ev);
	int explains = clock_explains(r, truth, !at_least ? 0 : skew < 0 ?
	    1 : -1);
	f->severity = labs(skew) >= SKEW_ERROR || explains ? SEV_ERROR :
	    SEV_WARNING;
	if (explains)
		cause_fold(r, FINDING_CLOCK_SKEW, (const enum finding_id[]){
		    FINDING_CERT_EXPIRED, FINDING_CERT_NOT_YET_VALID }, 2,
		    "because of the clock");
}
