/* ownfail.c: see ownfail.h. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/memory.h>
#include <wolfssl/error-ssl.h>

#include "ownfail.h"
#include "util.h"

/* A diagnosis holds at most NET_MAX_PARALLEL (8) sockets to the server,
 * a few for OCSP/CRL/AIA, the trust store file, the resolver's and
 * wolfSSL's /dev/urandom: below this many free descriptors a run would
 * fail half-way, so it does not start. */
#define FDS_NEEDED 32

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char reason[128];
static atomic_int noted;

void
ownfail_note(const char *why)
{
	pthread_mutex_lock(&lock);
	if (!atomic_load(&noted)) {
		/* no allocation here: we may be out of memory */
		size_t n = strlen(why);
		if (n >= sizeof reason)
			n = sizeof reason - 1;
		memcpy(reason, why, n);
		reason[n] = '\0';
		atomic_store(&noted, 1);
	}
	pthread_mutex_unlock(&lock);
}

void
ownfail_reset(void)
{
	pthread_mutex_lock(&lock);
	atomic_store(&noted, 0);
	reason[0] = '\0';
	pthread_mutex_unlock(&lock);
}

const char *
ownfail_reason(void)
{
	return atomic_load(&noted) ? reason : NULL;
}

int
ownfail_errno(int err)
{
	switch (err) {
	case EMFILE:
	case ENFILE:
		ownfail_note("too many open files (see ulimit -n)");
		return 1;
	case ENOMEM:
	case ENOBUFS:
		ownfail_note("out of memory");
		return 1;
	default:
		return 0;
	}
}

int
ownfail_wolf(int code)
{
	switch (code) {
	case MEMORY_E:
	case MEMORY_ERROR:
		ownfail_note("out of memory (in the TLS library)");
		return 1;
	case OPEN_RAN_E:
	case READ_RAN_E:
	case RNG_FAILURE_E:
		ownfail_note("the TLS library could not get random numbers");
		return 1;
	default:
		return 0;
	}
}

static void *
wolf_malloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL && n != 0)
		ownfail_note("out of memory (in the TLS library)");
	return p;
}

static void
wolf_free(void *p)
{
	free(p);
}

static void *
wolf_realloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL && n != 0)
		ownfail_note("out of memory (in the TLS library)");
	return q;
}

void
ownfail_install(void)
{
	wolfSSL_SetAllocators(wolf_malloc, wolf_free, wolf_realloc);
}

/* Descriptors open now: count /proc/self/fd, else guess 3. */
static long
fds_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	long n = 0;

	if (d == NULL)
		return errno == EMFILE || errno == ENFILE ? -1 : 3;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

int
ownfail_preflight(char **why)
{
	struct rlimit rl;
	long open_now, left;

	*why = NULL;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	/* Take what the hard limit allows, as many programs do. */
	if (rl.rlim_cur < 1024 && rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = { rl.rlim_max < 1024 ? rl.rlim_max : 1024,
			rl.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl.rlim_cur = up.rlim_cur;
	}
	open_now = fds_open();
	left = open_now < 0 ? 0 : (long)rl.rlim_cur - open_now;
	if (left >= FDS_NEEDED)
		return 0;
	*why = xasprintf("too few files may be opened (ulimit -n is %ld, "
	    "%ld already open; tlsmedic needs %d more)", (long)rl.rlim_cur,
	    open_now < 0 ? (long)rl.rlim_cur : open_now, FDS_NEEDED);
	return -1;
}
