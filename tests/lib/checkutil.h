/* checkutil.h: set-up that several libcheck suites share (check_chain.c,
 * check_trust.c): the source tree, whole files, PEM certificates as DER,
 * and the test PKI from tests/lib/mkpki.sh; and the end of every main(). The ones that read files
 * assert (ck_assert) instead of returning errors: call them from tests. */
#ifndef TLSMEDIC_CHECKUTIL_H
#define TLSMEDIC_CHECKUTIL_H

#include <stddef.h>

#include <check.h>

/* $TLSMEDIC_SRCDIR, or "." (make runs the tests from the top). */
const char *checkutil_srcdir(void);
/* The whole file; *len is its size. Caller frees. */
char *checkutil_slurp(const char *path, size_t *len);
/* Up to max certificates of a PEM file as DER, in file order; returns how
 * many. Caller frees each ders[i]. */
size_t checkutil_pem_ders(const char *path, unsigned char **ders,
    size_t *lens, size_t max);
/* Make the test PKI in a fresh directory and return it, or NULL after a
 * message that names suite. Once per run, in main() before the forked
 * tests (they inherit the path). */
char *checkutil_mkpki(const char *suite);
/* Run every test of s (CK_NORMAL), free the runner, and return the exit
 * status for main(): EXIT_FAILURE when any test failed. */
int checkutil_run(Suite *s);
/* A listening socket on 127.0.0.1, port chosen by the OS; *a gets its
 * address. Asserts on failure. */
struct net_addr;
int checkutil_listener(struct net_addr *a);

#endif
