/* clock.c: is the local clock right? See clock.h.
 * Every reference here works without root: ntp_adjtime with modes = 0
 * only reads the kernel's state. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/timex.h>

#include "clock.h"
#include "util.h"

#ifndef TLSMEDIC_BUILD_TIME
#define TLSMEDIC_BUILD_TIME 0
#endif

#define DAY (24L * 3600)
#define SKEW_WARN (10L * 60) /* minutes off: worth a word */
#define SKEW_ERROR DAY       /* a day off: certificates start to fail */

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

static void
fmt_time(time_t t, char *buf, size_t len)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
}

static void
fmt_span(long s, char *buf, size_t len)
{
	long a = labs(s);
	if (a >= 2 * DAY)
		snprintf(buf, len, "%ld days", a / DAY);
	else if (a >= 2 * 3600)
		snprintf(buf, len, "%ld hours", a / 3600);
	else
		snprintf(buf, len, "%ld minutes", a / 60);
}

void
clock_judge(struct report *r)
{
	struct clock_info *c = &r->clock;
	const struct cert_info *leaf = r->chain.n ? &r->chain.certs[0] : NULL;
	char local[32], ref[32], span[32];
	long skew = 0;
	const char *basis = NULL;

	fmt_time(c->local, local, sizeof local);
	if (c->build_time > 0 && c->local + DAY < c->build_time) {
		/* A clock before the day this program was built is wrong,
		 * whatever else we know (Chrome uses the same test). */
		skew = (long)(c->local - c->build_time);
		fmt_time(c->build_time, ref, sizeof ref);
		basis = "the day tlsmedic was built";
	} else if (c->http_date != 0) {
		/* The server's Date: is a reference only when it is itself
		 * plausible, i.e. inside its certificate's validity window;
		 * otherwise it is the server's clock that is off. */
		int plausible = leaf == NULL ||
		    (c->http_date >= leaf->not_before &&
		    c->http_date <= leaf->not_after);
		if (plausible) {
			skew = (long)(c->local - c->http_date);
			fmt_time(c->http_date, ref, sizeof ref);
			basis = "the server's HTTP Date: header";
		}
	}
	if (basis != NULL) {
		free(c->reference);
		c->reference = xstrdup(basis);
		c->skew_s = skew;
	}
	if (basis == NULL || labs(skew) < SKEW_WARN)
		return;

	fmt_span(skew, span, sizeof span);
	char *summary = xasprintf("This computer's clock is %s %s",
	    span, skew > 0 ? "ahead" : "behind");
	char *ev = xasprintf("local clock %s; %s says %s; kernel time sync: %s",
	    local, basis, ref, c->kernel_sync == TRI_YES ? "on" :
	    c->kernel_sync == TRI_NO ? "off" : "unknown");
	struct finding *f = report_add(r, FINDING_CLOCK_SKEW, summary, ev);
	free(summary);
	free(ev);
	if (labs(skew) < SKEW_ERROR) {
		f->severity = SEV_WARNING;
		return;
	}

	/* Does the wrong clock explain a certificate date problem? Then the
	 * certificate is fine and the server must not be blamed. */
	time_t truth = c->local - skew;
	int explains_all = 1, any = 0;
	for (size_t i = 0; i < r->chain.n; i++) {
		const struct cert_info *ci = &r->chain.certs[i];
		int bad_now = c->local < ci->not_before || c->local > ci->not_after;
		int bad_true = truth < ci->not_before || truth > ci->not_after;
		if (bad_now)
			any = 1;
		if (bad_now && bad_true)
			explains_all = 0;
	}
	if (any && explains_all) {
		char *more = xasprintf("the certificate only looks %s because of "
		    "the clock: at the true time it is valid",
		    report_find(r, FINDING_CERT_EXPIRED) ? "expired" :
		    "not yet valid");
		report_add(r, FINDING_CLOCK_SKEW, NULL, more);
		free(more);
		report_remove(r, FINDING_CERT_EXPIRED);
		report_remove(r, FINDING_CERT_NOT_YET_VALID);
	}
}
