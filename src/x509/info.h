/* info.h: certificates as the model shows them (struct cert_info), read
 * by wolfSSL and, where it cannot, by our own parser. No wolfSSL types
 * here: faces and diag.c include it. Implemented in x509/wolf.c. */
#ifndef TLSMEDIC_X509_INFO_H
#define TLSMEDIC_X509_INFO_H

#include <stddef.h>

#include "model.h"

/* Parse one DER certificate into *out (all strings sanitized). Returns 0,
 * or -1 when wolfSSL cannot read it. */
int cert_info_parse(const unsigned char *der, size_t len,
    struct cert_info *out);
/* Append DER certificates (as sent, leaf first) to ch. A certificate
 * wolfSSL cannot read keeps its place, described by our own parser. */
void chain_from_der(struct chain *ch, unsigned char *const *ders,
    const size_t *lens, size_t n);

#endif
