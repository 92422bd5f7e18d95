/* asn1.c: the DER reader (see asn1.h). Lengths must be definite and fit
 * the enclosing span; long-form lengths must not start with a zero byte
 * (DER), which OpenSSL also refuses. */
#include <stdio.h>
#include <string.h>

#include "x509/asn1.h"

int
asn1_get(struct asn1 *in, unsigned *tag, struct asn1 *content,
    struct asn1 *whole)
{
	const uint8_t *p = in->p;
	size_t n = in->len, len, hdr = 2;

	if (n < 2 || (p[0] & 0x1f) == 0x1f)
		return -1;
	if (p[1] < 0x80) {
		len = p[1];
	} else {
		size_t k = p[1] & 0x7f;

		/* 0x80 is BER's indefinite length; a length over 4 bytes
		 * or with a leading zero is not DER. */
		if (k == 0 || k > 4 || n < 2 + k || p[2] == 0)
			return -1;
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = len << 8 | p[2 + i];
		if (len < 0x80)
			return -1;
		hdr += k;
	}
	if (len > n - hdr)
		return -1;
	if (tag != NULL)
		*tag = p[0];
	if (content != NULL) {
		content->p = p + hdr;
		content->len = len;
	}
	if (whole != NULL) {
		whole->p = p;
		whole->len = hdr + len;
	}
	in->p = p + hdr + len;
	in->len = n - hdr - len;
	return 0;
}

int
asn1_expect(struct asn1 *in, unsigned tag, struct asn1 *content)
{
	struct asn1 save = *in;
	unsigned t;

	if (asn1_get(in, &t, content, NULL) != 0 || t != tag) {
		*in = save;
		return -1;
	}
	return 0;
}

int
asn1_peek(const struct asn1 *in)
{
	return in->len > 0 ? in->p[0] : -1;
}

int
asn1_oid_is(const struct asn1 *oid, const char *enc, size_t n)
{
	return oid->len == n && memcmp(oid->p, enc, n) == 0;
}

int
asn1_oid_text(const struct asn1 *oid, char *buf, size_t n)
{
	size_t used = 0;
	unsigned long v = 0;
	int first = 1, bits = 0;

	if (n == 0)
		return -1;
	buf[0] = '\0';
	if (oid->len == 0 || (oid->p[oid->len - 1] & 0x80))
		return -1;
	for (size_t i = 0; i < oid->len; i++) {
		if (bits == 0 && oid->p[i] == 0x80)
			return -1; /* non-minimal arc */
		v = v << 7 | (oid->p[i] & 0x7f);
		if ((bits += 7) > 56)
			return -1;
		if (oid->p[i] & 0x80)
			continue;
		int w;
		if (first) {
			unsigned long a = v < 40 ? 0 : v < 80 ? 1 : 2;
			w = snprintf(buf + used, n - used, "%lu.%lu", a,
			    v - 40 * a);
			first = 0;
		} else
			w = snprintf(buf + used, n - used, ".%lu", v);
		if (w < 0 || (size_t)w >= n - used)
			return 0; /* cut, still a valid prefix */
		used += (size_t)w;
		v = 0;
		bits = 0;
	}
	return 0;
}

long
asn1_small_int(const struct asn1 *i)
{
	long v = 0;

	if (i->len == 0 || i->len > 4 || (i->p[0] & 0x80) ||
	    (i->len > 1 && i->p[0] == 0 && !(i->p[1] & 0x80)))
		return -1;
	for (size_t k = 0; k < i->len; k++)
		v = v << 8 | i->p[k];
	return v;
}

int
asn1_int_bits(const struct asn1 *i)
{
	size_t k = 0;
	int bits;

	while (k < i->len && i->p[k] == 0)
		k++;
	if (k == i->len)
		return 0;
	bits = (int)(i->len - k - 1) * 8;
	for (unsigned c = i->p[k]; c; c >>= 1)
		bits++;
	return bits;
}

static int
num(const uint8_t *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int
asn1_time(unsigned tag, const struct asn1 *t, time_t *out)
{
	const uint8_t *p = t->p;
	struct tm tm;
	int y;

	if (tag == DER_UTCTIME && t->len == 13 && p[12] == 'Z') {
		if ((y = num(p, 2)) < 0)
			return -1;
		y += y < 50 ? 2000 : 1900; /* RFC 5280 4.1.2.5.1 */
		p += 2;
	} else if (tag == DER_GENERALIZEDTIME && t->len == 15 &&
	    p[14] == 'Z') {
		if ((y = num(p, 4)) < 0)
			return -1;
		p += 4;
	} else
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = num(p, 2) - 1;
	tm.tm_mday = num(p + 2, 2);
	tm.tm_hour = num(p + 4, 2);
	tm.tm_min = num(p + 6, 2);
	tm.tm_sec = num(p + 8, 2);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 ||
	    tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
		return -1;
	*out = timegm(&tm);
	return 0;
}
