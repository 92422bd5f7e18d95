/* httpget-fuzzer.c: the HTTP client's response parser (status line,
 * headers, chunked / Content-Length / to-EOF bodies), as the real thing:
 * the bytes are written to one end of a socketpair, which is then shut,
 * and http_read_response() reads the other end. With the top bit of the
 * selector set, the rest is a URL for http_parse_url() instead (OCSP, CRL
 * and AIA URLs come from certificates: untrusted too). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "httpget.h"
#include "net.h"
#include "util.h"

/* An AF_UNIX socket buffer takes this much without a reader. */
#define FUZZ_HTTP_MAX 60000

static struct net_ctx *fuzz_net;

static void
fuzz_url(const uint8_t *data, size_t size)
{
	char *url = xstrndup((const char *)data, size), *host, *path;
	int port;

	if (http_parse_url(url, &host, &port, &path) == 0) {
		FUZZ_ASSERT(host != NULL && host[0] != '\0');
		FUZZ_ASSERT(port >= 1 && port <= 65535);
		FUZZ_ASSERT(path != NULL && path[0] == '/');
		for (const char *p = host; *p; p++)
			FUZZ_ASSERT((unsigned char)*p > 0x20 &&
			    (unsigned char)*p < 0x7f && *p != '/');
		for (const char *p = path; *p; p++)
			FUZZ_ASSERT((unsigned char)*p > 0x20 &&
			    (unsigned char)*p < 0x7f && *p != '#');
	} else
		FUZZ_ASSERT(host == NULL && path == NULL);
	free(host);
	free(path);
	free(url);
}

static int
fuzz_httpget(const uint8_t *data, size_t size)
{
	static const size_t maxes[] = { 0, 1, 16, 100, 4096, 65536 };
	unsigned char *out = (unsigned char *)"x";
	size_t out_len = 1, max_body;
	int sv[2], rc;

	if (size < 1)
		return 0;
	if (data[0] & 0x80) {
		fuzz_url(data + 1, size - 1);
		return 0;
	}
	max_body = maxes[data[0] % 6];
	data++;
	size--;
	if (size > FUZZ_HTTP_MAX)
		size = FUZZ_HTTP_MAX;
	if (fuzz_net == NULL) {
		fuzz_net = xcalloc(1, sizeof *fuzz_net);
		net_ctx_init(fuzz_net);
	}
	FUZZ_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	FUZZ_ASSERT(size == 0 || write(sv[1], data, size) == (ssize_t)size);
	FUZZ_ASSERT(shutdown(sv[1], SHUT_WR) == 0);

	/* Everything is already there: the deadline only guards a hang. */
	rc = http_read_response(fuzz_net, sv[0], max_body, now_ms() + 5000,
	    &out, &out_len);
	if (rc == 0) {
		FUZZ_ASSERT(out != NULL && out_len <= max_body);
		FUZZ_ASSERT(out_len <= size);
		FUZZ_ASSERT(out[out_len] == '\0');
	} else {
		FUZZ_ASSERT(rc < 0 && out == NULL && out_len == 0);
	}
	free(out);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_httpget(data, size);
}
#endif
