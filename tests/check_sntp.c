/* check_sntp.c: the SNTP client (sntp.h): reply checks, and a query to a
 * time server on loopback run by the test itself. */
#include <check.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "model.h"
#include "sntp.h"
#include "util.h"
#include "checkutil.h"

#define NTP_DELTA 2208988800u

static void
stamp(unsigned char *p, double unix_t)
{
	double t = unix_t + NTP_DELTA;
	uint32_t s = (uint32_t)t, f = (uint32_t)((t - s) * 4294967296.0);

	for (int i = 0; i < 4; i++) {
		p[i] = (unsigned char)(s >> (24 - 8 * i));
		p[4 + i] = (unsigned char)(f >> (24 - 8 * i));
	}
}

/* A server reply to nonce: the server's clock reads ours + off. */
static void
reply(unsigned char *b, const unsigned char nonce[8], double t1, double t4,
    double off)
{
	memset(b, 0, 48);
	b[0] = (4 << 3) | 4;
	b[1] = 2;
	memcpy(b + 24, nonce, 8);
	stamp(b + 32, t1 + 0.01 + off);
	stamp(b + 40, t4 - 0.01 + off);
}

START_TEST(reply_checks)
{
	unsigned char n[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, b[48];
	double t1 = 1800000000.0, t4 = t1 + 0.05, off = 0;

	reply(b, n, t1, t4, 3600);
	ck_assert_int_eq(sntp_parse_reply(b, 48, n, t1, t4, &off), 0);
	ck_assert(off > 3599.9 && off < 3600.1);
	reply(b, n, t1, t4, -86400.0 * 400);
	ck_assert_int_eq(sntp_parse_reply(b, 48, n, t1, t4, &off), 0);
	ck_assert(off < -86400.0 * 399);
	/* too short, not a server, kiss-o'-death, alarm, not our nonce */
	ck_assert_int_eq(sntp_parse_reply(b, 47, n, t1, t4, &off), -1);
	b[0] = (4 << 3) | 3;
	ck_assert_int_eq(sntp_parse_reply(b, 48, n, t1, t4, &off), -1);
	reply(b, n, t1, t4, 0);
	b[1] = 0;
	ck_assert_int_eq(sntp_parse_reply(b, 48, n, t1, t4, &off), -1);
	reply(b, n, t1, t4, 0);
	b[0] |= 0xc0;
	ck_assert_int_eq(sntp_parse_reply(b, 48, n, t1, t4, &off), -1);
	reply(b, n, t1, t4, 0);
	b[24] ^= 1;
	ck_assert_int_eq(sntp_parse_reply(b, 48, n, t1, t4, &off), -1);
}
END_TEST

START_TEST(none_asks_nobody)
{
	struct sntp *s = sntp_start("none", now_ms() + 1000);
	struct report *r = report_new();

	ck_assert_uint_eq(sntp_asked(s), 0);
	sntp_finish(s, r, now_ms());
	ck_assert_uint_eq(r->clock.nrefs, 0);
	/* junk in the list is skipped, not fatal */
	s = sntp_start("[::1, :0, host:99999,", now_ms() + 200);
	ck_assert_uint_eq(sntp_asked(s), 0);
	sntp_finish(s, NULL, 0);
	report_free(r);
}
END_TEST

struct srv {
	int fd;
	double off;
};

static void *
srv_main(void *arg)
{
	struct srv *v = arg;
	unsigned char in[128], out[48];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct pollfd p = { .fd = v->fd, .events = POLLIN };

	if (poll(&p, 1, 5000) != 1)
		return NULL;
	ssize_t n = recvfrom(v->fd, in, sizeof in, 0, (struct sockaddr *)&ss,
	    &sl);
	if (n < 48)
		return NULL;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	double now = ts.tv_sec + ts.tv_nsec / 1e9;
	reply(out, in + 40, now, now, v->off);
	sendto(v->fd, out, sizeof out, 0, (struct sockaddr *)&ss, sl);
	return NULL;
}

START_TEST(query_loopback)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof a;
	struct srv v = { socket(AF_INET, SOCK_DGRAM, 0), 7200 };
	pthread_t t;
	char spec[64];
	struct report *r = report_new();

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(v.fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(getsockname(v.fd, (struct sockaddr *)&a, &al), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, srv_main, &v), 0);
	snprintf(spec, sizeof spec, "127.0.0.1:%d", ntohs(a.sin_port));
	struct sntp *s = sntp_start(spec, now_ms() + 5000);
	ck_assert_uint_eq(sntp_asked(s), 1);
	sntp_finish(s, r, now_ms() + 5000);
	pthread_join(t, NULL);
	close(v.fd);
	ck_assert_uint_eq(r->clock.nrefs, 1);
	ck_assert_int_eq(r->clock.refs[0].kind, CLOCK_REF_SNTP);
	ck_assert_int_eq(r->clock.refs[0].bound, CLOCK_POINT);
	long d = (long)(r->clock.refs[0].value - r->clock.refs[0].observed);
	ck_assert_int_ge(d, 7199);
	ck_assert_int_le(d, 7201);
	report_free(r);
}
END_TEST

START_TEST(silent_server_is_bounded)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char spec[64];
	struct report *r = report_new();

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	snprintf(spec, sizeof spec, "127.0.0.1:%d", ntohs(a.sin_port));
	int64_t t0 = now_ms();
	struct sntp *s = sntp_start(spec, t0 + 5000);
	/* the caller is done: wait 100 ms more, not the full 5 s */
	sntp_finish(s, r, now_ms() + 100);
	ck_assert_int_lt(now_ms() - t0, 2000);
	ck_assert_uint_eq(r->clock.nrefs, 0);
	close(fd);
	report_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sntp");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, reply_checks);
	tcase_add_test(tc, none_asks_nobody);
	tcase_add_test(tc, query_loopback);
	tcase_add_test(tc, silent_server_is_bounded);
	suite_add_tcase(s, tc);
	return checkutil_run(s);
}
