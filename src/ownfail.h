/* ownfail.h: our own failures (rule 3). Running out of memory or of file
 * descriptors, or a TLS library that cannot set itself up, says nothing
 * about the server or the network -- but it makes probes fail in ways
 * that look like the server's fault. Every place that meets such a
 * failure notes it here; the diagnosis then skips the checks with the
 * reason ("tlsmedic could not finish this check: ...") instead of
 * judging anyone on evidence it could not gather. */
#ifndef TLSMEDIC_OWNFAIL_H
#define TLSMEDIC_OWNFAIL_H

/* Hook wolfSSL's allocator so an allocation it cannot get is noted. Call
 * once, before wolfSSL allocates (tls_global_init does). */
void ownfail_install(void);
/* Forget what was noted (a new diagnosis starts). */
void ownfail_reset(void);
/* Note a failure of ours in plain words ("out of memory"); the first one
 * is kept. Thread-safe. */
void ownfail_note(const char *why);
/* Note err if it is a resource error of ours (EMFILE, ENFILE, ENOMEM,
 * ENOBUFS); returns 1 if it was. */
int ownfail_errno(int err);
/* Note a wolfSSL error code if it means our memory or randomness ran
 * out; returns 1 if it did. */
int ownfail_wolf(int code);
/* What was noted since the last reset, or NULL. The string is static. */
const char *ownfail_reason(void);
/* Can a diagnosis run at all with the descriptors we may still open?
 * 0, or -1 with *why (plain words, caller frees). */
int ownfail_preflight(char **why);

#endif
