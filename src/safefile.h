/* safefile.h: read a whole file we were pointed at (--ca-file,
 * SSL_CERT_FILE, a file in SSL_CERT_DIR) without ever blocking on it: a
 * FIFO, a terminal or a device such as /dev/zero is refused before a
 * byte is read, and the size is bounded. */
#ifndef TLSMEDIC_SAFEFILE_H
#define TLSMEDIC_SAFEFILE_H

#include <stddef.h>

#define SAFEFILE_MAX (16u << 20) /* no real CA bundle comes near this */

/* Reads path (a regular file of at most max bytes) into *buf (NUL
 * terminated, caller frees) and *len. Returns 0, or -1 with *why in plain
 * words without the path ("it is a FIFO, not a regular file", "it is
 * larger than 16 MB"...; caller frees) and errno set. */
int safefile_read(const char *path, size_t max, char **buf, size_t *len,
    char **why);

#endif
