/* sntp.c: a bounded SNTP client (sntp.h). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "net.h"
#include "sntp.h"
#include "util.h"

#define NTP_UNIX_DELTA 2208988800.0 /* 1900-01-01 to 1970-01-01 */
#define NTP_ERA (4294967296.0)

struct sntp_job {
	pthread_t thread;
	atomic_llong *stop_at; /* now_ms() after which to give up */
	int started;
	char *host;
	int port;
	int64_t deadline;
	/* out */
	int ok;
	double offset;  /* server - ours, seconds */
	time_t observed; /* our clock at the answer */
};

struct sntp {
	atomic_llong stop_at; /* answers after this come too late */
	struct sntp_job jobs[SNTP_MAX_SERVERS];
	size_t n;
};

static double
real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* NTP 64-bit timestamp as Unix seconds. Era 0 ends in 2036: a value
 * with the top bit clear is taken to be in era 1 (RFC 4330 section 3). */
static double
ntp_time(const unsigned char *p)
{
	uint32_t s = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	uint32_t f = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
	    (uint32_t)p[6] << 8 | p[7];
	double t = (double)s + f / NTP_ERA;

	if (!(s & 0x80000000u))
		t += NTP_ERA;
	return t - NTP_UNIX_DELTA;
}

int
sntp_parse_reply(const unsigned char *buf, size_t n,
    const unsigned char nonce[8], double t1, double t4, double *offset)
{
	int li, vn, mode, stratum;
	static const unsigned char zero[8];

	if (n < 48)
		return -1;
	li = buf[0] >> 6;
	vn = (buf[0] >> 3) & 7;
	mode = buf[0] & 7;
	stratum = buf[1];
	/* RFC 4330 5: a server reply to our request, synchronised (LI not
	 * alarm, stratum 1-15, not a kiss-o'-death), echoing our stamp. */
	if (mode != 4 || vn < 3 || vn > 4 || li == 3 || stratum < 1 ||
	    stratum > 15 || memcmp(buf + 24, nonce, 8) != 0 ||
	    memcmp(buf + 40, zero, 8) == 0 || memcmp(buf + 32, zero, 8) == 0)
		return -1;
	double t2 = ntp_time(buf + 32), t3 = ntp_time(buf + 40);
	*offset = ((t2 - t1) + (t3 - t4)) / 2;
	return 0;
}

static int
split_host(const char *s, size_t len, char **host, int *port)
{
	const char *colon = NULL, *end = s + len;
	char *h;

	*port = 123;
	if (len > 0 && s[0] == '[') { /* [v6]:port */
		const char *rb = memchr(s, ']', len);
		if (rb == NULL)
			return -1;
		h = xstrndup(s + 1, (size_t)(rb - s - 1));
		if (rb + 1 < end && rb[1] == ':')
			colon = rb + 1;
	} else {
		colon = memchr(s, ':', len);
		/* two colons: a bare IPv6 address, no port */
		if (colon != NULL && memchr(colon + 1, ':',
		    (size_t)(end - colon - 1)) != NULL)
			colon = NULL;
		h = xstrndup(s, colon ? (size_t)(colon - s) : len);
	}
	if (colon != NULL) {
		char *e;
		long p = strtol(colon + 1, &e, 10);
		if (e != end || p < 1 || p > 65535) {
			free(h);
			return -1;
		}
		*port = (int)p;
	}
	if (*h == '\0') {
		free(h);
		return -1;
	}
	*host = h;
	return 0;
}

static int
ask(struct sntp_job *j, const struct net_addr *a)
{
	unsigned char req[48] = { 0x23 }, buf[128], nonce[8];
	int fd, rc = -1;
	double t1;

	/* A random transmit stamp: the echo proves the answer is ours and
	 * tells the server nothing about our clock. */
	if (getrandom(nonce, sizeof nonce, GRND_NONBLOCK) != sizeof nonce)
		for (size_t i = 0; i < sizeof nonce; i++)
			nonce[i] = (unsigned char)(rand() ^ (int)(now_ms() >> i));
	memcpy(req + 40, nonce, 8);
	fd = socket(a->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) != 0)
		goto out;
	t1 = real_now();
	if (send(fd, req, sizeof req, 0) != (ssize_t)sizeof req)
		goto out;
	for (;;) {
		int64_t left = j->deadline - now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (left <= 0 || now_ms() >= atomic_load(j->stop_at))
			break;
		if (poll(&p, 1, (int)(left > 20 ? 20 : left)) < 0 &&
		    errno != EINTR)
			break;
		if (!(p.revents & (POLLIN | POLLERR)))
			continue;
		n = recv(fd, buf, sizeof buf, 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			break; /* ICMP unreachable: nobody there */
		}
		double t4 = real_now();
		if (sntp_parse_reply(buf, (size_t)n, nonce, t1, t4,
		    &j->offset) == 0) {
			j->observed = (time_t)t4;
			rc = 0;
			break;
		}
		/* Our answer, but unusable (kiss-o'-death, unsynchronised):
		 * final. Anything else is noise; keep listening. */
		if (n >= 48 && memcmp(buf + 24, nonce, 8) == 0)
			break;
	}
out:
	close(fd);
	return rc;
}

static void *
job_main(void *arg)
{
	struct sntp_job *j = arg;
	struct net_addr addrs[2];
	int n = net_resolve(j->host, j->port, addrs, 2, j->deadline, NULL);

	for (int i = 0; i < n && !j->ok && now_ms() < atomic_load(j->stop_at);
	    i++)
		j->ok = ask(j, &addrs[i]) == 0;
	return NULL;
}

struct sntp *
sntp_start(const char *spec, int64_t deadline)
{
	struct sntp *s = xcalloc(1, sizeof *s);
	const char *p;

	atomic_init(&s->stop_at, deadline);
	if (spec == NULL)
		spec = getenv(SNTP_ENV);
	if (spec == NULL)
		spec = SNTP_DEFAULT;
	if (strcmp(spec, "none") == 0)
		return s;
	for (p = spec; *p != '\0' && s->n < SNTP_MAX_SERVERS;) {
		size_t len = strcspn(p, ", \t");
		struct sntp_job *j = &s->jobs[s->n];

		if (len > 0 && len < 256 &&
		    split_host(p, len, &j->host, &j->port) == 0) {
			j->deadline = deadline;
			j->stop_at = &s->stop_at;
			j->started = pthread_create(&j->thread, NULL, job_main,
			    j) == 0;
			if (!j->started) {
				free(j->host);
				j->host = NULL;
			} else
				s->n++;
		}
		p += len;
		p += strspn(p, ", \t");
	}
	return s;
}

size_t
sntp_asked(const struct sntp *s)
{
	return s ? s->n : 0;
}

void
sntp_finish(struct sntp *s, struct report *r, int64_t wait_until)
{
	if (s == NULL)
		return;
	if (r == NULL)
		wait_until = 0;
	if (wait_until < atomic_load(&s->stop_at))
		atomic_store(&s->stop_at, wait_until);
	for (size_t i = 0; i < s->n; i++) {
		struct sntp_job *j = &s->jobs[i];
		if (j->started)
			pthread_join(j->thread, NULL);
		if (j->ok && r != NULL) {
			char *src = xasprintf("the time server %s (SNTP)",
			    j->host);
			double v = (double)j->observed + j->offset;
			clock_add_ref(r, CLOCK_REF_SNTP, CLOCK_POINT, 1, src,
			    (time_t)(v + 0.5), j->observed);
			free(src);
		}
		free(j->host);
	}
	free(s);
}
