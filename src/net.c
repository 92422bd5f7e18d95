/* net.c: see net.h. Every wait is a poll() sliced to NET_SLICE_MS so a
 * cancel is seen quickly, and ends at an absolute now_ms() deadline. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "ownfail.h"
#include "util.h"

#define NET_SLICE_MS 100

const char *
net_strerror(int err)
{
	switch (err) {
	case NET_ERR_REFUSED:
		return "connection refused (nothing listens on that port)";
	case NET_ERR_TIMEOUT:
		return "no answer in time";
	case NET_ERR_RESET:
		return "connection reset by the other side";
	case NET_ERR_CANCELLED:
		return "cancelled";
	case NET_ERR_DNS:
		return "the name could not be resolved";
	case NET_ERR_UNREACH:
		return "network or host unreachable";
	case NET_ERR_PROXY:
		return "the proxy refused to connect to the server";
	case 0:
		return "no error";
	default:
		return "network error";
	}
}

static void ctx_sync_init(struct net_ctx *ctx);

void
net_ctx_init(struct net_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx_sync_init(ctx);
}

void
net_ctx_init_like(struct net_ctx *ctx, const struct net_ctx *like)
{
	/* The way to the server, whatever fields it has; fresh counters,
	 * lock and cancel flag. */
	memcpy(ctx, like, sizeof *ctx);
	ctx_sync_init(ctx);
}

static void
ctx_sync_init(struct net_ctx *ctx)
{
	atomic_init(&ctx->cancelled, 0);
	atomic_init(&ctx->connections, 0);
	atomic_init(&ctx->bytes_in, 0);
	ctx->clock_log = NULL;
	pthread_condattr_t ca;

	pthread_mutex_init(&ctx->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ctx->cond, &ca);
	pthread_condattr_destroy(&ca);
	ctx->open = 0;
	ctx->starttls = NULL;
}

void
net_ctx_destroy(struct net_ctx *ctx)
{
	pthread_cond_destroy(&ctx->cond);
	pthread_mutex_destroy(&ctx->lock);
}

void
net_cancel(struct net_ctx *ctx)
{
	atomic_store(&ctx->cancelled, 1);
	pthread_mutex_lock(&ctx->lock);
	pthread_cond_broadcast(&ctx->cond);
	pthread_mutex_unlock(&ctx->lock);
}

static int
errno_to_net(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return NET_ERR_REFUSED;
	case ETIMEDOUT:
		return NET_ERR_TIMEOUT;
	case ECONNRESET:
	case EPIPE:
	case ECONNABORTED:
		return NET_ERR_RESET;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
	case EHOSTDOWN:
	case EADDRNOTAVAIL:
		return NET_ERR_UNREACH;
	default:
		return NET_ERR_OTHER;
	}
}

/* A CLOCK_MONOTONIC timespec at most NET_SLICE_MS ahead, never past
 * deadline, for pthread_cond_timedwait on a monotonic condvar. */
static void
slice_abstime(int64_t deadline, struct timespec *ts)
{
	int64_t now = now_ms(), until = now + NET_SLICE_MS;

	if (until > deadline)
		until = deadline;
	if (until < now)
		until = now;
	/* now_ms() is CLOCK_MONOTONIC too; add the gap to a fresh reading
	 * to keep sub-millisecond precision out of the way. */
	clock_gettime(CLOCK_MONOTONIC, ts);
	int64_t ns = ts->tv_nsec + (until - now) * 1000000;
	ts->tv_sec += ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
}

/* --- resolution ------------------------------------------------------ */

/* Shared by net_resolve and its helper thread; the last one out frees it,
 * so a lookup that outlives the deadline cleans up after itself. */
struct resolve_job {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	int done;
	char *host;
	char port[16];
	int rc; /* getaddrinfo's return */
	struct addrinfo *res;
};

static void
resolve_job_unref(struct resolve_job *j)
{
	pthread_mutex_lock(&j->lock);
	int last = --j->refs == 0;
	pthread_mutex_unlock(&j->lock);
	if (!last)
		return;
	if (j->res != NULL)
		freeaddrinfo(j->res);
	free(j->host);
	pthread_cond_destroy(&j->cond);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

static void
resolve_lookup(struct resolve_job *j)
{
	struct addrinfo hints = { 0 }, *res = NULL;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
	int rc = getaddrinfo(j->host, j->port, &hints, &res);
	/* EAI_MEMORY / EAI_SYSTEM with EMFILE: ours, not the DNS's. */
	if (rc == EAI_MEMORY)
		ownfail_note("out of memory");
	else if (rc == EAI_SYSTEM)
		(void)ownfail_errno(errno);
	pthread_mutex_lock(&j->lock);
	j->rc = rc;
	j->res = res;
	j->done = 1;
	pthread_cond_broadcast(&j->cond);
	pthread_mutex_unlock(&j->lock);
}

static void *
resolve_main(void *arg)
{
	resolve_lookup(arg);
	resolve_job_unref(arg);
	return NULL;
}

static int
addrinfo_copy(const struct addrinfo *ai, struct net_addr *out, size_t max)
{
	size_t n = 0;

	for (; ai != NULL && n < max; ai = ai->ai_next) {
		struct net_addr *a = &out[n];
		const void *p;

		if (ai->ai_family == AF_INET)
			p = &((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			p = &((const struct sockaddr_in6 *)ai->ai_addr)
				 ->sin6_addr;
		else
			continue;
		if (ai->ai_addrlen > sizeof a->ss)
			continue;
		memset(a, 0, sizeof *a);
		memcpy(&a->ss, ai->ai_addr, ai->ai_addrlen);
		a->len = ai->ai_addrlen;
		if (inet_ntop(ai->ai_family, p, a->text, sizeof a->text) ==
		    NULL)
			snprintf(a->text, sizeof a->text, "?");
		/* Same address twice (one per protocol): keep one. */
		int dup = 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(out[i].text, a->text) == 0)
				dup = 1;
		if (!dup)
			n++;
	}
	return (int)n;
}

static int
resolve_fail(char **cause, int err, char *why)
{
	if (cause != NULL)
		*cause = why;
	else
		free(why);
	return err;
}

/* RFC 6761 6.4: names under "invalid." never exist, and resolver
 * libraries should say so at once, without asking anyone. */
static int
name_is_invalid_tld(const char *host)
{
	size_t n = strlen(host);

	while (n > 0 && host[n - 1] == '.')
		n--;
	return (n == 7 || (n > 7 && host[n - 8] == '.')) &&
	    n >= 7 && strncasecmp(host + n - 7, "invalid", 7) == 0;
}

int
net_resolve(const char *host, int port, struct net_addr *out, size_t max,
    int64_t deadline, char **cause)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	char portstr[16];
	int rc, n;

	if (cause != NULL)
		*cause = NULL;
	if (host == NULL || *host == '\0' || max == 0 || port <= 0 ||
	    port > 65535)
		return resolve_fail(cause, NET_ERR_DNS,
		    xstrdup("no host name or port given"));
	snprintf(portstr, sizeof portstr, "%d", port);

	if (name_is_invalid_tld(host))
		return resolve_fail(cause, NET_ERR_DNS, xasprintf(
		    "%s does not exist: names ending in .invalid never do",
		    host));

	/* Address literals need no resolver: answer at once. */
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, portstr, &hints, &res) == 0) {
		n = addrinfo_copy(res, out, max);
		freeaddrinfo(res);
		return n > 0 ? n : resolve_fail(cause, NET_ERR_DNS,
		    xstrdup("unusable address"));
	}

	struct resolve_job *j = xcalloc(1, sizeof *j);
	pthread_condattr_t ca;
	pthread_attr_t ta;
	pthread_t t;

	pthread_mutex_init(&j->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cond, &ca);
	pthread_condattr_destroy(&ca);
	j->host = xstrdup(host);
	memcpy(j->port, portstr, sizeof j->port);
	j->refs = 2;
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &ta, resolve_main, j) != 0) {
		/* No thread to be had (ulimit -v, -u): look up here, without
		 * the deadline, rather than call the name unknown. */
		j->refs = 1;
		resolve_lookup(j);
	}
	pthread_attr_destroy(&ta);

	pthread_mutex_lock(&j->lock);
	while (!j->done && now_ms() < deadline) {
		struct timespec ts;
		slice_abstime(deadline, &ts);
		pthread_cond_timedwait(&j->cond, &j->lock, &ts);
	}
	int done = j->done;
	rc = j->rc;
	n = done && rc == 0 ? addrinfo_copy(j->res, out, max) : 0;
	pthread_mutex_unlock(&j->lock);
	resolve_job_unref(j);

	if (!done)
		return resolve_fail(cause, NET_ERR_TIMEOUT,
		    xstrdup("the name lookup took too long (DNS server not "
			    "answering?)"));
	if (rc != 0) {
		const char *why = rc == EAI_NONAME ?
		    "no such host name is known" :
		    rc == EAI_AGAIN ?
		    "the DNS server did not give an answer now" :
		    gai_strerror(rc);
#ifdef EAI_NODATA
		if (rc == EAI_NODATA)
			why = "the name exists but has no address";
#endif
		return resolve_fail(cause, NET_ERR_DNS, xstrdup(why));
	}
	if (n == 0)
		return resolve_fail(cause, NET_ERR_DNS,
		    xstrdup("the name has no usable address"));
	return n;
}

/* --- connections ----------------------------------------------------- */

int
net_wait(struct net_ctx *ctx, int fd, short events, int64_t deadline)
{
	for (;;) {
		if (ctx != NULL && atomic_load(&ctx->cancelled))
			return NET_ERR_CANCELLED;
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return NET_ERR_TIMEOUT;
		struct pollfd p = { .fd = fd, .events = events };
		int rc = poll(&p, 1, left > NET_SLICE_MS ? NET_SLICE_MS :
		    (int)left);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			return NET_ERR_OTHER;
		}
		/* POLLERR/POLLHUP: ready too, the next call tells what. */
		if (rc > 0 && p.revents != 0)
			return 1;
	}
}

static int
slot_acquire(struct net_ctx *ctx, int64_t deadline)
{
	int rc = 0;

	pthread_mutex_lock(&ctx->lock);
	while (ctx->open >= NET_MAX_PARALLEL) {
		if (atomic_load(&ctx->cancelled)) {
			rc = NET_ERR_CANCELLED;
			break;
		}
		if (now_ms() >= deadline) {
			rc = NET_ERR_TIMEOUT;
			break;
		}
		struct timespec ts;
		slice_abstime(deadline, &ts);
		pthread_cond_timedwait(&ctx->cond, &ctx->lock, &ts);
	}
	if (rc == 0)
		ctx->open++;
	pthread_mutex_unlock(&ctx->lock);
	return rc;
}

static void
slot_release(struct net_ctx *ctx)
{
	pthread_mutex_lock(&ctx->lock);
	if (ctx->open > 0)
		ctx->open--;
	pthread_cond_signal(&ctx->cond);
	pthread_mutex_unlock(&ctx->lock);
}

int
net_connect(struct net_ctx *ctx, const struct net_addr *a, int64_t deadline)
{
	int fd, rc, one = 1;

	if (atomic_load(&ctx->cancelled))
		return NET_ERR_CANCELLED;
	if ((rc = slot_acquire(ctx, deadline)) != 0)
		return rc;
	atomic_fetch_add(&ctx->connections, 1);
	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0) {
		/* EMFILE is ours, not the network's (ownfail.h). */
		rc = ownfail_errno(errno) ? NET_ERR_OTHER : errno_to_net(errno);
		goto fail;
	}
	/* One small write per probe: no reason to let Nagle hold it. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EINTR) {
		rc = errno_to_net(errno);
		goto fail;
	}
	if ((rc = net_wait(ctx, fd, POLLOUT, deadline)) < 0)
		goto fail;
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err == 0)
		return fd;
	rc = errno_to_net(err);
fail:
	if (fd >= 0)
		close(fd);
	slot_release(ctx);
	return rc;
}

void
net_close(struct net_ctx *ctx, int fd)
{
	if (fd < 0)
		return;
	close(fd);
	slot_release(ctx);
}

int
net_send_all(struct net_ctx *ctx, int fd, const void *buf, size_t n,
    int64_t deadline)
{
	const unsigned char *p = buf;

	while (n > 0) {
		if (atomic_load(&ctx->cancelled))
			return NET_ERR_CANCELLED;
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int rc = net_wait(ctx, fd, POLLOUT, deadline);
			if (rc < 0)
				return rc;
			continue;
		}
		return w < 0 ? errno_to_net(errno) : NET_ERR_OTHER;
	}
	return 0;
}

ssize_t
net_recv_some(struct net_ctx *ctx, int fd, void *buf, size_t n,
    int64_t deadline)
{
	for (;;) {
		if (atomic_load(&ctx->cancelled))
			return NET_ERR_CANCELLED;
		ssize_t r = recv(fd, buf, n, MSG_DONTWAIT);
		if (r > 0) {
			atomic_fetch_add(&ctx->bytes_in, r);
			return r;
		}
		if (r == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			int rc = net_wait(ctx, fd, POLLIN, deadline);
			if (rc < 0)
				return rc;
			continue;
		}
		return errno_to_net(errno);
	}
}
