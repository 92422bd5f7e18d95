/* asn1.h: a strict reader of DER bytes (definite lengths, low tag numbers,
 * no reads past the span). Nothing here allocates. */
#ifndef TLSMEDIC_X509_ASN1_H
#define TLSMEDIC_X509_ASN1_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* A span of bytes inside a buffer the caller keeps alive. */
struct asn1 {
	const uint8_t *p;
	size_t len;
};

#define DER_BOOLEAN 0x01
#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OCTET_STRING 0x04
#define DER_NULL 0x05
#define DER_OID 0x06
#define DER_UTF8STRING 0x0c
#define DER_PRINTABLESTRING 0x13
#define DER_IA5STRING 0x16
#define DER_UTCTIME 0x17
#define DER_GENERALIZEDTIME 0x18
#define DER_SEQUENCE 0x30
#define DER_SET 0x31
#define DER_CTX(n) (0x80 | (n))      /* [n] IMPLICIT primitive */
#define DER_CTX_CONS(n) (0xa0 | (n)) /* [n] constructed */

/* Take the next element off *in: its tag, its contents and, if whole is
 * not NULL, the element with its header. 0, or -1 when the bytes are not
 * DER (indefinite length, high tag number, overrun). */
int asn1_get(struct asn1 *in, unsigned *tag, struct asn1 *content,
    struct asn1 *whole);
/* The same, but the tag must be `tag`. */
int asn1_expect(struct asn1 *in, unsigned tag, struct asn1 *content);
/* The tag of the next element, or -1 when *in is empty. */
int asn1_peek(const struct asn1 *in);
/* An OID's contents equal the encoded bytes. */
int asn1_oid_is(const struct asn1 *oid, const char *enc, size_t n);
#define DER_OID_IS(o, lit) asn1_oid_is((o), (lit), sizeof(lit) - 1)
/* Dotted text of an OID into buf (cut to fit); -1 when malformed. */
int asn1_oid_text(const struct asn1 *oid, char *buf, size_t n);
/* A non-negative INTEGER that fits a long; -1 otherwise. */
long asn1_small_int(const struct asn1 *i);
/* Significant bits of an unsigned big-endian INTEGER's contents. */
int asn1_int_bits(const struct asn1 *i);
/* UTCTime / GeneralizedTime contents as UTC seconds; -1 when malformed. */
int asn1_time(unsigned tag, const struct asn1 *t, time_t *out);

#endif
