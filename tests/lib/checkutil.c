/* checkutil.c: see checkutil.h. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn_public.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "checkutil.h"
#include "net.h"
#include "testsrv.h"
#include "util.h"

const char *
checkutil_srcdir(void)
{
	const char *s = getenv("TLSMEDIC_SRCDIR");
	return s && *s ? s : ".";
}

char *
checkutil_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct strbuf b = { 0 };
	char buf[8192];
	size_t n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		strbuf_add(&b, buf, n);
	fclose(fp);
	*len = b.len;
	return strbuf_steal(&b);
}

size_t
checkutil_pem_ders(const char *path, unsigned char **ders, size_t *lens,
    size_t max)
{
	size_t len, n = 0;
	char *pem = checkutil_slurp(path, &len), *p = pem;

	while (n < max && (p = strstr(p, "-----BEGIN CERTIFICATE-----"))) {
		char *e = strstr(p, "-----END CERTIFICATE-----");
		ck_assert_ptr_nonnull(e);
		e += strlen("-----END CERTIFICATE-----");
		ders[n] = xmalloc((size_t)(e - p));
		int k = wc_CertPemToDer((unsigned char *)p, (int)(e - p),
		    ders[n], (int)(e - p), CERT_TYPE);
		ck_assert_int_gt(k, 0);
		lens[n++] = (size_t)k;
		p = e;
	}
	free(pem);
	return n;
}

char *
checkutil_mkpki(const char *suite)
{
	int64_t t0 = now_ms();
	char *dir = testsrv_tmpdir();

	if (dir == NULL || testsrv_sh(60, "%s/tests/lib/mkpki.sh %s",
	    checkutil_srcdir(), dir) != 0) {
		fprintf(stderr, "%s: tests/lib/mkpki.sh failed\n", suite);
		free(dir);
		return NULL;
	}
	printf("mkpki.sh: %lld ms\n", (long long)(now_ms() - t0));
	return dir;
}

int
checkutil_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
checkutil_listener(struct net_addr *a)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(fd, 64), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	memset(a, 0, sizeof *a);
	memcpy(&a->ss, &sin, sizeof sin);
	a->len = sizeof sin;
	strcpy(a->text, "127.0.0.1");
	return fd;
}
