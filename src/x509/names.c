/* names.c: name-constraint matching (see names.h). The vectors in
 * tests/check_x509.c come from the comments of webpki's dns_name.rs and
 * BoringSSL's name_constraints.cc. */
#include <string.h>
#include <strings.h>

#include "x509/names.h"

/* Trailing dot off; NULL bytes make a name match nothing. */
static int
dns_norm(const uint8_t *p, size_t n, size_t *out)
{
	if (memchr(p, 0, n) != NULL)
		return -1;
	if (n > 0 && p[n - 1] == '.')
		n--;
	*out = n;
	return 0;
}

/* name equals d, or is a whole-label subdomain of it (strict: only
 * subdomains). */
static int
under(const uint8_t *name, size_t nlen, const uint8_t *d, size_t dlen,
    int strict)
{
	if (dlen == 0)
		return !strict || nlen > 0;
	if (nlen == dlen)
		return !strict &&
		    strncasecmp((const char *)name, (const char *)d, dlen) == 0;
	if (nlen < dlen + 1)
		return 0;
	return name[nlen - dlen - 1] == '.' &&
	    strncasecmp((const char *)name + nlen - dlen, (const char *)d,
	    dlen) == 0;
}

int
nc_dns_within(const uint8_t *name, size_t nlen, const uint8_t *base,
    size_t blen, int full)
{
	int sub = 0;

	if (dns_norm(name, nlen, &nlen) != 0 || dns_norm(base, blen, &blen))
		return 0;
	if (blen == 0)
		return 1;
	if (base[0] == '.') {
		sub = 1;
		base++, blen--;
	}
	if (nlen >= 2 && name[0] == '*' && name[1] == '.') {
		const uint8_t *rest = name + 2;
		size_t rlen = nlen - 2;
		const uint8_t *dot;

		/* Every L.rest is inside when rest is the base or below. */
		if (under(rest, rlen, base, blen, 0))
			return 1;
		if (full)
			return 0;
		/* Some L.rest is inside when the base is one label over
		 * rest (and "*.rest" may stand for that label). */
		dot = memchr(base, '.', blen);
		return !sub && dot != NULL && dot != base &&
		    (size_t)(base + blen - dot - 1) == rlen &&
		    strncasecmp((const char *)dot + 1, (const char *)rest,
		    rlen) == 0;
	}
	return under(name, nlen, base, blen, sub);
}

int
nc_ip_within(const uint8_t *ip, size_t iplen, const uint8_t *base,
    size_t blen)
{
	if (blen != 2 * iplen || (iplen != 4 && iplen != 16))
		return 0;
	for (size_t i = 0; i < iplen; i++)
		if ((ip[i] & base[iplen + i]) != (base[i] & base[iplen + i]))
			return 0;
	return 1;
}

int
nc_email_within(const uint8_t *mail, size_t mlen, const uint8_t *base,
    size_t blen)
{
	const uint8_t *at = memchr(mail, '@', mlen);
	const uint8_t *dom;
	size_t dlen;

	if (at == NULL || memchr(mail, 0, mlen) != NULL)
		return 0;
	dom = at + 1;
	dlen = (size_t)(mail + mlen - dom);
	if (memchr(base, '@', blen) != NULL) /* one mailbox */
		return mlen == blen && memcmp(mail, base, (size_t)(at -
		    mail)) == 0 && strncasecmp((const char *)dom,
		    (const char *)base + (at - mail) + 1, dlen) == 0;
	if (blen > 0 && base[0] == '.')      /* any host of a domain */
		return under(dom, dlen, base + 1, blen - 1, 1);
	return dlen == blen && strncasecmp((const char *)dom,
	    (const char *)base, blen) == 0;  /* one host */
}

int
nc_dirname_within(const uint8_t *name, size_t nlen, const uint8_t *base,
    size_t blen)
{
	struct asn1 n = { name, nlen }, b = { base, blen }, nc, bc;

	if (asn1_expect(&n, DER_SEQUENCE, &nc) != 0 ||
	    asn1_expect(&b, DER_SEQUENCE, &bc) != 0)
		return 0;
	/* The base's RDNs are the first RDNs of the name. */
	return bc.len <= nc.len && memcmp(nc.p, bc.p, bc.len) == 0;
}

static int
within(int type, const uint8_t *v, size_t len, const struct x509_name_ent *b,
    int full)
{
	switch (type) {
	case X509_GN_DNS:
		return nc_dns_within(v, len, b->v.p, b->v.len, full);
	case X509_GN_IP:
		return nc_ip_within(v, len, b->v.p, b->v.len);
	case X509_GN_EMAIL:
		return nc_email_within(v, len, b->v.p, b->v.len);
	case X509_GN_DIRNAME:
		return nc_dirname_within(v, len, b->v.p, b->v.len);
	default:
		return 0;
	}
}

enum nc_result
nc_check(const struct x509_cert *ca, int type, const uint8_t *v, size_t len,
    long *budget)
{
	int constrained = 0;

	if (type != X509_GN_DNS && type != X509_GN_IP &&
	    type != X509_GN_EMAIL && type != X509_GN_DIRNAME)
		return NC_OK;
	for (size_t i = 0; i < ca->nexcluded; i++) {
		if (*budget <= 0)
			return NC_OK;
		(*budget)--;
		if (ca->excluded[i].type == type &&
		    within(type, v, len, &ca->excluded[i], 0))
			return NC_EXCLUDED;
	}
	for (size_t i = 0; i < ca->npermitted; i++) {
		if (ca->permitted[i].type != type)
			continue;
		if (*budget <= 0)
			return NC_OK;
		(*budget)--;
		constrained = 1;
		if (within(type, v, len, &ca->permitted[i], 1))
			return NC_OK;
	}
	return constrained ? NC_NOT_PERMITTED : NC_OK;
}
