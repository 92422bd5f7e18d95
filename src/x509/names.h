/* names.h: name constraints (RFC 5280 4.2.1.10), judged as OpenSSL,
 * BoringSSL and webpki do -- not as wolfSSL 5.5.4, which matches DNS
 * names without label boundaries and ignores IP ranges.
 *   DNS: case-insensitive, trailing dot ignored; "example.com" covers
 *        itself and whole-label subdomains, ".example.com" subdomains
 *        only; the empty constraint covers all. A wildcard name must lie
 *        wholly inside a permitted subtree, and is excluded when any name
 *        it stands for is.
 *   IP:  address and mask of the same family, compared under the mask.
 *   email, directoryName: as OpenSSL (mailbox / domain; RDN prefix). */
#ifndef TLSMEDIC_X509_NAMES_H
#define TLSMEDIC_X509_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "x509/cert.h"

enum nc_result { NC_OK, NC_EXCLUDED, NC_NOT_PERMITTED };

/* Does the DNS name fall inside the subtree `base`? full: every name a
 * wildcard stands for must (permitted); else any one may (excluded). */
int nc_dns_within(const uint8_t *name, size_t nlen, const uint8_t *base,
    size_t blen, int full);
/* ip (4 or 16 bytes) inside base (address + mask, 8 or 32 bytes)? */
int nc_ip_within(const uint8_t *ip, size_t iplen, const uint8_t *base,
    size_t blen);
int nc_email_within(const uint8_t *mail, size_t mlen, const uint8_t *base,
    size_t blen);
/* A Name (with its SEQUENCE header) inside the subtree of Name base? */
int nc_dirname_within(const uint8_t *name, size_t nlen,
    const uint8_t *base, size_t blen);

/* One name against the constraints of ca. *budget counts comparisons
 * down; at 0 the check stops and NC_OK is returned with *budget 0. */
enum nc_result nc_check(const struct x509_cert *ca, int type,
    const uint8_t *v, size_t len, long *budget);

#endif
