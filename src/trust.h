/* trust.h: the trust store, loaded once per run.
 *
 * Source, as OpenSSL does it: --ca-file replaces everything; otherwise
 * SSL_CERT_FILE and/or SSL_CERT_DIR when set; otherwise the system bundle
 * (/etc/ssl/certs/ca-certificates.crt). Knows which anchors came from
 * --ca-file, which the system ships (Debian: /usr/share/ca-certificates/
 * mozilla) and which were added locally. */
#ifndef TLSMEDIC_TRUST_H
#define TLSMEDIC_TRUST_H

#include <stddef.h>

struct trust; /* opaque */

/* ca_file may be NULL. Returns NULL with *cause (plain words, caller frees)
 * when nothing could be loaded. */
struct trust *trust_load(const char *ca_file, char **cause);
/* Anchors from PEM in memory (the demo's lab root); counts as --ca-file. */
struct trust *trust_load_pem(const char *pem, size_t len, char **cause);
void trust_free(struct trust *t);

int trust_is_user_file(const struct trust *t); /* came from --ca-file */
size_t trust_count(const struct trust *t);
/* A description of where anchors came from, e.g. "/etc/ssl/certs/...". */
const char *trust_source(const struct trust *t);

#endif
