/* util.h: allocation that never returns NULL, a growable string buffer,
 * monotonic time. Every returned string is the caller's to free(). */
#ifndef TLSMEDIC_UTIL_H
#define TLSMEDIC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Out of memory: the wrappers call the hook (the wizard restores the
 * terminal), say so on stderr and _exit(UTIL_EXIT_OOM) -- never abort()
 * and dump core. Large or optional allocations use malloc() and degrade
 * instead (ownfail.h). */
#define UTIL_EXIT_OOM 3
void util_set_fatal_hook(void (*fn)(void));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);            /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable NUL-terminated buffer. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *strbuf_steal(struct strbuf *b); /* never NULL; buffer is reset */
void strbuf_free(struct strbuf *b);

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t now_ms(void);

#endif
