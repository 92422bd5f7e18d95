/* cert.c: the strict certificate parser (see cert.h). Structure first
 * (RFC 5280 4.1), then each extension we know; a fault sets
 * c->malformed and stops, keeping what was read so far. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "x509/cert.h"

#define EXT_MAX 256 /* real certificates carry about ten */

#define OID_BC "\x55\x1d\x13"
#define OID_KU "\x55\x1d\x0f"
#define OID_EKU "\x55\x1d\x25"
#define OID_SAN "\x55\x1d\x11"
#define OID_NC "\x55\x1d\x1e"
#define OID_CERT_POLICIES "\x55\x1d\x20"
#define OID_POLICY_MAPPINGS "\x55\x1d\x21"
#define OID_POLICY_CONSTRAINTS "\x55\x1d\x24"
#define OID_INHIBIT_ANY "\x55\x1d\x36"
#define OID_AIA "\x2b\x06\x01\x05\x05\x07\x01\x01"
#define OID_IP_BLOCKS "\x2b\x06\x01\x05\x05\x07\x01\x07"
#define OID_AS_IDS "\x2b\x06\x01\x05\x05\x07\x01\x08"
#define OID_PROXY_CERT "\x2b\x06\x01\x05\x05\x07\x01\x0e"
#define OID_NS_CERT_TYPE "\x60\x86\x48\x01\x86\xf8\x42\x01\x01"
#define OID_EKU_SERVER "\x2b\x06\x01\x05\x05\x07\x03\x01"
#define OID_EKU_CLIENT "\x2b\x06\x01\x05\x05\x07\x03\x02"
#define OID_EKU_ANY "\x55\x1d\x25\x00"
#define OID_EKU_NS_SGC "\x60\x86\x48\x01\x86\xf8\x42\x04\x01"
#define OID_EKU_MS_SGC "\x2b\x06\x01\x04\x01\x82\x37\x0a\x03\x03"
#define OID_CA_ISSUERS "\x2b\x06\x01\x05\x05\x07\x30\x02"
#define OID_RSA "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"
#define OID_RSA_PSS "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a"
#define OID_DSA "\x2a\x86\x48\xce\x38\x04\x01"
#define OID_EC "\x2a\x86\x48\xce\x3d\x02\x01"
#define OID_ED25519 "\x2b\x65\x70"
#define OID_ED448 "\x2b\x65\x71"
#define OID_CN "\x55\x04\x03"

static const struct {
	const char *oid;
	size_t len;
	const char *name;
	int bits;
} curves[] = {
	{ "\x2a\x86\x48\xce\x3d\x03\x01\x07", 8, "P-256", 256 },
	{ "\x2b\x81\x04\x00\x22", 5, "P-384", 384 },
	{ "\x2b\x81\x04\x00\x23", 5, "P-521", 521 },
	{ "\x2a\x86\x48\xce\x3d\x03\x01\x01", 8, "P-192", 192 },
	{ "\x2b\x81\x04\x00\x21", 5, "P-224", 224 },
	{ "\x2b\x81\x04\x00\x0a", 5, "secp256k1", 256 },
	{ "\x2b\x24\x03\x03\x02\x08\x01\x01\x07", 9, "brainpoolP256r1", 256 },
	{ "\x2b\x24\x03\x03\x02\x08\x01\x01\x0b", 9, "brainpoolP384r1", 384 },
	{ "\x2b\x24\x03\x03\x02\x08\x01\x01\x0d", 9, "brainpoolP512r1", 512 },
};

/* Which extensions a client knows how to honour when critical: OpenSSL's
 * list (X509_supported_extension), which curl and most tools use. */
static const struct {
	const char *oid;
	size_t len;
} handled[] = {
	{ OID_BC, 3 }, { OID_KU, 3 }, { OID_EKU, 3 }, { OID_SAN, 3 },
	{ OID_NC, 3 }, { OID_CERT_POLICIES, 3 }, { OID_POLICY_MAPPINGS, 3 },
	{ OID_POLICY_CONSTRAINTS, 3 }, { OID_INHIBIT_ANY, 3 },
	{ OID_IP_BLOCKS, 8 }, { OID_AS_IDS, 8 }, { OID_PROXY_CERT, 8 },
	{ OID_NS_CERT_TYPE, 9 },
};

const char *
x509_key_str(enum x509_key k)
{
	switch (k) {
	case X509_KEY_RSA:
	case X509_KEY_RSA_PSS:
		return "RSA";
	case X509_KEY_DSA:
		return "DSA";
	case X509_KEY_EC:
		return "EC";
	case X509_KEY_ED25519:
		return "Ed25519";
	case X509_KEY_ED448:
		return "Ed448";
	default:
		return "unknown";
	}
}

static int
bad(struct x509_cert *c, const char *why)
{
	if (c->malformed == NULL)
		c->malformed = why;
	return -1;
}

/* Name ::= SEQUENCE OF SET OF SEQUENCE { OID, value } */
static int
name_check(const struct asn1 *name)
{
	struct asn1 in = *name, seq;

	if (asn1_expect(&in, DER_SEQUENCE, &seq) != 0 || in.len != 0)
		return -1;
	while (seq.len > 0) {
		struct asn1 set, atv, oid, val;
		unsigned tag;

		if (asn1_expect(&seq, DER_SET, &set) != 0 || set.len == 0)
			return -1;
		while (set.len > 0) {
			if (asn1_expect(&set, DER_SEQUENCE, &atv) != 0 ||
			    asn1_expect(&atv, DER_OID, &oid) != 0 ||
			    asn1_get(&atv, &tag, &val, NULL) != 0 ||
			    atv.len != 0)
				return -1;
		}
	}
	return 0;
}

int
x509_name_eq(const struct asn1 *a, const struct asn1 *b)
{
	return a->len == b->len && a->len > 0 &&
	    memcmp(a->p, b->p, a->len) == 0;
}

int
x509_self_issued(const struct x509_cert *c)
{
	return x509_name_eq(&c->issuer, &c->subject);
}

static const struct {
	const char *oid;
	size_t len;
	const char *sn;
} attrs[] = {
	{ "\x55\x04\x03", 3, "CN" }, { "\x55\x04\x0a", 3, "O" },
	{ "\x55\x04\x0b", 3, "OU" }, { "\x55\x04\x06", 3, "C" },
	{ "\x55\x04\x07", 3, "L" }, { "\x55\x04\x08", 3, "ST" },
	{ "\x55\x04\x05", 3, "serialNumber" },
	{ "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", 9, "emailAddress" },
	{ "\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", 10, "DC" },
};

/* Calls fn for each attribute, last (most specific) first. */
static void
name_each(const struct asn1 *name, void (*fn)(void *, const struct asn1 *,
    const struct asn1 *), void *arg)
{
	struct asn1 in = *name, seq, rdn[64];
	size_t n = 0;

	if (asn1_expect(&in, DER_SEQUENCE, &seq) != 0)
		return;
	while (seq.len > 0 && n < 64)
		if (asn1_expect(&seq, DER_SET, &rdn[n++]) != 0)
			return;
	while (n-- > 0) {
		struct asn1 set = rdn[n], atv, oid, val;

		while (set.len > 0) {
			if (asn1_expect(&set, DER_SEQUENCE, &atv) != 0 ||
			    asn1_expect(&atv, DER_OID, &oid) != 0 ||
			    asn1_get(&atv, NULL, &val, NULL) != 0)
				return;
			fn(arg, &oid, &val);
		}
	}
}

static void
text_cb(void *arg, const struct asn1 *oid, const struct asn1 *val)
{
	struct strbuf *b = arg;
	const char *sn = NULL;
	char dotted[64];

	if (b->len > 4096)
		return;
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (asn1_oid_is(oid, attrs[i].oid, attrs[i].len))
			sn = attrs[i].sn;
	if (sn == NULL) {
		if (asn1_oid_text(oid, dotted, sizeof dotted) != 0)
			snprintf(dotted, sizeof dotted, "?");
		sn = dotted;
	}
	strbuf_printf(b, "%s%s=", b->len ? ", " : "", sn);
	strbuf_add(b, (const char *)val->p, val->len > 1024 ? 1024 : val->len);
}

char *
x509_name_text(const struct asn1 *name)
{
	struct strbuf b = { 0 };

	strbuf_puts(&b, "");
	name_each(name, text_cb, &b);
	return strbuf_steal(&b);
}

static void
cn_cb(void *arg, const struct asn1 *oid, const struct asn1 *val)
{
	struct asn1 *cn = arg;

	if (cn->p == NULL && DER_OID_IS(oid, OID_CN))
		*cn = *val;
}

struct email_each {
	void (*fn)(void *, const struct asn1 *);
	void *arg;
};

static void
email_cb(void *arg, const struct asn1 *oid, const struct asn1 *val)
{
	struct email_each *e = arg;

	if (DER_OID_IS(oid, "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01"))
		e->fn(e->arg, val);
}

void
x509_name_emails(const struct asn1 *name, void (*fn)(void *,
    const struct asn1 *), void *arg)
{
	struct email_each e = { fn, arg };

	name_each(name, email_cb, &e);
}

struct asn1
x509_name_cn(const struct asn1 *name)
{
	struct asn1 cn = { NULL, 0 };

	name_each(name, cn_cb, &cn);
	return cn;
}

static int
parse_key(struct x509_cert *c)
{
	struct asn1 in = c->spki, spki, alg, oid, bits, params = { NULL, 0 };
	unsigned ptag = 0;

	if (asn1_expect(&in, DER_SEQUENCE, &spki) != 0 ||
	    asn1_expect(&spki, DER_SEQUENCE, &alg) != 0 ||
	    asn1_expect(&alg, DER_OID, &oid) != 0)
		return bad(c, "its public key is not encoded correctly");
	if (alg.len > 0 && asn1_get(&alg, &ptag, &params, NULL) != 0)
		return bad(c, "its public key is not encoded correctly");
	if (asn1_expect(&spki, DER_BIT_STRING, &bits) != 0 || bits.len < 1 ||
	    spki.len != 0)
		return bad(c, "its public key is not encoded correctly");
	bits.p++, bits.len--; /* unused-bits byte */
	if (DER_OID_IS(&oid, OID_RSA) || DER_OID_IS(&oid, OID_RSA_PSS)) {
		struct asn1 k = bits, seq, mod;

		c->key = DER_OID_IS(&oid, OID_RSA) ? X509_KEY_RSA :
		    X509_KEY_RSA_PSS;
		if (asn1_expect(&k, DER_SEQUENCE, &seq) != 0 ||
		    asn1_expect(&seq, DER_INTEGER, &mod) != 0)
			return bad(c, "its RSA key is not encoded correctly");
		c->key_bits = asn1_int_bits(&mod);
	} else if (DER_OID_IS(&oid, OID_DSA)) {
		struct asn1 p;

		c->key = X509_KEY_DSA;
		if (ptag == DER_SEQUENCE &&
		    asn1_expect(&params, DER_INTEGER, &p) == 0)
			c->key_bits = asn1_int_bits(&p);
	} else if (DER_OID_IS(&oid, OID_EC)) {
		c->key = X509_KEY_EC;
		if (ptag != DER_OID)
			return 0; /* explicit curve parameters: unnamed */
		for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++)
			if (asn1_oid_is(&params, curves[i].oid,
			    curves[i].len)) {
				c->curve = curves[i].name;
				c->key_bits = curves[i].bits;
			}
	} else if (DER_OID_IS(&oid, OID_ED25519)) {
		c->key = X509_KEY_ED25519;
		c->key_bits = 256;
	} else if (DER_OID_IS(&oid, OID_ED448)) {
		c->key = X509_KEY_ED448;
		c->key_bits = 456;
	}
	return 0;
}

static int
gn_add(struct x509_name_ent **v, size_t *n, int type, struct asn1 val)
{
	if ((*n & (*n - 1)) == 0 || *n == 0)
		*v = xreallocarray(*v, *n ? 2 * *n : 4, sizeof **v);
	(*v)[*n].type = type;
	(*v)[*n].v = val;
	(*n)++;
	return 0;
}

/* One GeneralName: its type and contents. */
static int
gn_get(struct asn1 *in, int *type, struct asn1 *val)
{
	unsigned tag;

	if (asn1_get(in, &tag, val, NULL) != 0 || (tag & 0xc0) != 0x80)
		return -1;
	*type = (int)(tag & 0x1f);
	/* Strings are primitive, directoryName/otherName constructed. */
	switch (*type) {
	case X509_GN_EMAIL:
	case X509_GN_DNS:
	case X509_GN_URI:
	case X509_GN_IP:
		return (tag & 0x20) ? -1 : 0;
	case X509_GN_DIRNAME:
		return (tag & 0x20) ? 0 : -1;
	default:
		return 0;
	}
}

static int
parse_san(struct x509_cert *c, struct asn1 v)
{
	struct asn1 seq;

	if (c->has_san++)
		return bad(c, "it has two subjectAltName extensions");
	if (asn1_expect(&v, DER_SEQUENCE, &seq) != 0 || v.len != 0)
		return bad(c, "its subjectAltName is malformed");
	while (seq.len > 0) {
		struct asn1 val;
		int type;

		if (gn_get(&seq, &type, &val) != 0)
			return bad(c, "its subjectAltName is malformed");
		if (type == X509_GN_IP && val.len != 4 && val.len != 16)
			return bad(c, "its subjectAltName holds an IP address "
			    "of the wrong length");
		if (type == X509_GN_DIRNAME && name_check(&val) != 0)
			return bad(c, "its subjectAltName is malformed");
		gn_add(&c->san, &c->nsan, type, val);
	}
	return 0;
}

/* A netmask is ones then zeros (webpki, BoringSSL IsValidNetmask). */
static int
mask_ok(const uint8_t *m, size_t n)
{
	size_t i = 0;

	while (i < n && m[i] == 0xff)
		i++;
	if (i < n) {
		uint8_t b = m[i++];
		uint8_t inv = (uint8_t)~b;

		/* ~b must be 0..01..1: adding one clears all its bits */
		if ((inv & (uint8_t)(inv + 1)) != 0)
			return 0;
	}
	for (; i < n; i++)
		if (m[i] != 0)
			return 0;
	return 1;
}

static int
parse_subtrees(struct x509_cert *c, struct asn1 in,
    struct x509_name_ent **v, size_t *n)
{
	while (in.len > 0) {
		struct asn1 sub, base;
		int type;

		if (asn1_expect(&in, DER_SEQUENCE, &sub) != 0 ||
		    gn_get(&sub, &type, &base) != 0)
			return bad(c, "its name constraints are malformed");
		if (type == X509_GN_IP && ((base.len != 8 && base.len != 32) ||
		    !mask_ok(base.p + base.len / 2, base.len / 2)))
			return bad(c, "its name constraints hold a malformed "
			    "IP range");
		gn_add(v, n, type, base);
	}
	return 0;
}

static int
parse_nc(struct x509_cert *c, struct asn1 v)
{
	struct asn1 seq, part;

	if (c->has_nc++)
		return bad(c, "it has two nameConstraints extensions");
	if (asn1_expect(&v, DER_SEQUENCE, &seq) != 0 || v.len != 0)
		return bad(c, "its name constraints are malformed");
	if (asn1_expect(&seq, DER_CTX_CONS(0), &part) == 0 &&
	    parse_subtrees(c, part, &c->permitted, &c->npermitted) != 0)
		return -1;
	if (asn1_expect(&seq, DER_CTX_CONS(1), &part) == 0 &&
	    parse_subtrees(c, part, &c->excluded, &c->nexcluded) != 0)
		return -1;
	if (seq.len != 0)
		return bad(c, "its name constraints are malformed");
	return 0;
}

static int
parse_bc(struct x509_cert *c, struct asn1 v)
{
	struct asn1 seq, b, i;

	if (asn1_expect(&v, DER_SEQUENCE, &seq) != 0 || v.len != 0)
		return bad(c, "its basicConstraints is malformed");
	c->has_bc = 1;
	if (asn1_expect(&seq, DER_BOOLEAN, &b) == 0) {
		if (b.len != 1)
			return bad(c, "its basicConstraints is malformed");
		c->ca = b.p[0] != 0;
	}
	if (asn1_expect(&seq, DER_INTEGER, &i) == 0) {
		if ((c->pathlen = (int)asn1_small_int(&i)) < 0)
			return bad(c, "its path length constraint is "
			    "malformed");
	}
	if (seq.len != 0)
		return bad(c, "its basicConstraints is malformed");
	return 0;
}

static int
parse_ku(struct x509_cert *c, struct asn1 v)
{
	struct asn1 bits;

	if (asn1_expect(&v, DER_BIT_STRING, &bits) != 0 || v.len != 0 ||
	    bits.len < 1 || bits.p[0] > 7)
		return bad(c, "its keyUsage is malformed");
	c->has_ku = 1;
	for (unsigned i = 0; i < 9 && i / 8 + 1 < bits.len; i++)
		if (bits.p[1 + i / 8] & (0x80 >> (i % 8)))
			c->ku |= 1u << i;
	return 0;
}

static int
parse_eku(struct x509_cert *c, struct asn1 v)
{
	struct asn1 seq, oid;

	if (asn1_expect(&v, DER_SEQUENCE, &seq) != 0 || v.len != 0)
		return bad(c, "its extendedKeyUsage is malformed");
	c->has_eku = 1;
	while (seq.len > 0) {
		if (asn1_expect(&seq, DER_OID, &oid) != 0)
			return bad(c, "its extendedKeyUsage is malformed");
		if (DER_OID_IS(&oid, OID_EKU_SERVER))
			c->eku |= X509_EKU_SERVER;
		else if (DER_OID_IS(&oid, OID_EKU_CLIENT))
			c->eku |= X509_EKU_CLIENT;
		else if (DER_OID_IS(&oid, OID_EKU_ANY))
			c->eku |= X509_EKU_ANY;
		else if (DER_OID_IS(&oid, OID_EKU_NS_SGC) ||
		    DER_OID_IS(&oid, OID_EKU_MS_SGC))
			c->eku |= X509_EKU_SGC;
		else
			c->eku |= X509_EKU_OTHER;
	}
	return 0;
}

static int
parse_aia(struct x509_cert *c, struct asn1 v)
{
	struct asn1 seq;

	if (asn1_expect(&v, DER_SEQUENCE, &seq) != 0 || v.len != 0)
		return bad(c, "its authorityInfoAccess is malformed");
	while (seq.len > 0) {
		struct asn1 ad, oid, val;
		int type;

		if (asn1_expect(&seq, DER_SEQUENCE, &ad) != 0 ||
		    asn1_expect(&ad, DER_OID, &oid) != 0 ||
		    gn_get(&ad, &type, &val) != 0 || ad.len != 0)
			return bad(c, "its authorityInfoAccess is malformed");
		if (DER_OID_IS(&oid, OID_CA_ISSUERS) &&
		    type == X509_GN_URI && c->ca_issuers.p == NULL)
			c->ca_issuers = val;
	}
	return 0;
}

static int
parse_extensions(struct x509_cert *c, struct asn1 in)
{
	struct asn1 seq, oids[EXT_MAX];
	size_t n = 0;

	if (asn1_expect(&in, DER_SEQUENCE, &seq) != 0 || in.len != 0 ||
	    seq.len == 0)
		return bad(c, "its extensions are malformed");
	while (seq.len > 0) {
		struct asn1 ext, oid, crit, val;
		int critical = 0, known = 0, rc = 0;

		if (asn1_expect(&seq, DER_SEQUENCE, &ext) != 0 ||
		    asn1_expect(&ext, DER_OID, &oid) != 0)
			return bad(c, "its extensions are malformed");
		if (asn1_expect(&ext, DER_BOOLEAN, &crit) == 0) {
			if (crit.len != 1)
				return bad(c, "its extensions are malformed");
			critical = crit.p[0] != 0;
		}
		if (asn1_expect(&ext, DER_OCTET_STRING, &val) != 0 ||
		    ext.len != 0)
			return bad(c, "its extensions are malformed");
		if (n == EXT_MAX)
			return bad(c, "it has too many extensions");
		for (size_t i = 0; i < n; i++)
			if (oids[i].len == oid.len &&
			    memcmp(oids[i].p, oid.p, oid.len) == 0)
				return bad(c, "it carries the same extension "
				    "twice");
		oids[n++] = oid;
		if (DER_OID_IS(&oid, OID_BC))
			rc = parse_bc(c, val);
		else if (DER_OID_IS(&oid, OID_KU))
			rc = parse_ku(c, val);
		else if (DER_OID_IS(&oid, OID_EKU))
			rc = parse_eku(c, val);
		else if (DER_OID_IS(&oid, OID_SAN))
			rc = parse_san(c, val);
		else if (DER_OID_IS(&oid, OID_NC))
			rc = parse_nc(c, val);
		else if (DER_OID_IS(&oid, OID_AIA))
			rc = parse_aia(c, val);
		if (rc != 0)
			return -1;
		for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
			known |= asn1_oid_is(&oid, handled[i].oid,
			    handled[i].len);
		if (critical && !known) {
			if (c->ncritical < X509_CRIT_KEPT &&
			    asn1_oid_text(&oid, c->critical[c->ncritical],
			    sizeof c->critical[0]) != 0)
				snprintf(c->critical[c->ncritical],
				    sizeof c->critical[0], "?");
			c->ncritical++;
		}
	}
	return 0;
}

int
x509_parse(struct x509_cert *c, const uint8_t *der, size_t len)
{
	struct asn1 in = { der, len }, cert, tbs, alg, alg2, oid, v, val;
	unsigned tag;

	memset(c, 0, sizeof *c);
	c->pathlen = -1;
	c->version = 1;
	c->der = in;
	if (der == NULL || asn1_expect(&in, DER_SEQUENCE, &cert) != 0)
		return bad(c, "it is not a DER certificate");
	if (in.len != 0)
		return bad(c, "extra bytes follow the certificate");
	c->der.len = (size_t)(cert.p + cert.len - der);
	if (asn1_get(&cert, &tag, &tbs, &c->tbs) != 0 ||
	    tag != DER_SEQUENCE ||
	    asn1_expect(&cert, DER_SEQUENCE, &alg) != 0 ||
	    asn1_expect(&alg, DER_OID, &c->sig_oid) != 0 ||
	    asn1_expect(&cert, DER_BIT_STRING, &v) != 0 || cert.len != 0)
		return bad(c, "it is not a DER certificate");
	if (asn1_expect(&tbs, DER_CTX_CONS(0), &v) == 0) {
		long ver;
		if (asn1_expect(&v, DER_INTEGER, &val) != 0 || v.len != 0 ||
		    (ver = asn1_small_int(&val)) < 0 || ver > 2)
			return bad(c, "its version field is malformed");
		c->version = (int)ver + 1;
	}
	if (asn1_expect(&tbs, DER_INTEGER, &v) != 0 || v.len == 0)
		return bad(c, "its serial number is malformed");
	if (asn1_expect(&tbs, DER_SEQUENCE, &alg2) != 0 ||
	    asn1_expect(&alg2, DER_OID, &oid) != 0)
		return bad(c, "its signature algorithm is malformed");
	/* RFC 5280 4.1.1.2: both must be the same (OpenSSL 3 checks). */
	if (oid.len != c->sig_oid.len ||
	    memcmp(oid.p, c->sig_oid.p, oid.len) != 0)
		return bad(c, "its two signature algorithm fields differ");
	if (asn1_get(&tbs, &tag, NULL, &c->issuer) != 0 ||
	    name_check(&c->issuer) != 0)
		return bad(c, "its issuer name is malformed");
	if (asn1_expect(&tbs, DER_SEQUENCE, &v) != 0 ||
	    asn1_get(&v, &tag, &val, NULL) != 0 ||
	    asn1_time(tag, &val, &c->not_before) != 0 ||
	    asn1_get(&v, &tag, &val, NULL) != 0 ||
	    asn1_time(tag, &val, &c->not_after) != 0 || v.len != 0)
		return bad(c, "its validity dates are malformed");
	if (asn1_get(&tbs, &tag, NULL, &c->subject) != 0 ||
	    name_check(&c->subject) != 0)
		return bad(c, "its subject name is malformed");
	if (asn1_get(&tbs, &tag, NULL, &c->spki) != 0 || parse_key(c) != 0)
		return bad(c, "its public key is not encoded correctly");
	(void)asn1_expect(&tbs, DER_CTX(1), &v); /* issuerUniqueID */
	(void)asn1_expect(&tbs, DER_CTX(2), &v); /* subjectUniqueID */
	if (asn1_expect(&tbs, DER_CTX_CONS(3), &v) == 0) {
		if (c->version != 3)
			return bad(c, "it has extensions but is not version "
			    "3");
		if (parse_extensions(c, v) != 0)
			return -1;
	}
	if (tbs.len != 0)
		return bad(c, "unexpected bytes follow its fields");
	/* RFC 5280 4.2.1.10: name constraints only in CA certificates. */
	if (c->has_nc && !(c->has_bc && c->ca))
		c->lax = "it has name constraints but is not a CA";
	return 0;
}

void
x509_cert_free(struct x509_cert *c)
{
	free(c->san);
	free(c->permitted);
	free(c->excluded);
	c->san = c->permitted = c->excluded = NULL;
	c->nsan = c->npermitted = c->nexcluded = 0;
}
