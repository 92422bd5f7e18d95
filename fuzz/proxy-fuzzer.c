/* proxy-fuzzer.c: what a proxy answers (netpath/proxy.h), as the real
 * thing: the bytes are written to one end of a socketpair, which is then
 * shut, and proxy_tunnel() talks to the other end -- HTTP CONNECT when the
 * selector byte is even, SOCKS5 (with credentials when bit 1 is set) when
 * odd. With the top bit set, the rest is a proxy URL and a host for
 * proxy_parse() and proxy_no_proxy_match() instead (they come from the
 * environment and the command line). Whatever the proxy said, the words
 * kept for the report must be clean and the result one of the documented
 * ones. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "net.h"
#include "netpath/proxy.h"
#include "util.h"

#define FUZZ_PROXY_MAX 60000 /* fits an AF_UNIX buffer without a reader */

static struct net_ctx *fuzz_proxy_net;

static void
fuzz_proxy_url(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t ulen = nl ? (size_t)(nl - data) : size;
	char *url = xstrndup((const char *)data, ulen);
	char *host = nl ? xstrndup((const char *)nl + 1, size - ulen - 1) :
	    xstrdup("example.org");
	struct proxy p;
	char *cause = NULL;

	if (proxy_parse(url, &p, &cause) == 0) {
		FUZZ_ASSERT(p.host != NULL && p.host[0] != '\0');
		FUZZ_ASSERT(p.port >= 1 && p.port <= 65535);
		FUZZ_ASSERT(fuzz_is_clean(p.display, strlen(p.display)));
		FUZZ_ASSERT((p.user == NULL) == (p.pass == NULL));
		if (p.user != NULL)
			FUZZ_ASSERT(strlen(p.user) <= 255 &&
			    strlen(p.pass) <= 255);
		proxy_clear(&p);
	} else {
		FUZZ_ASSERT(cause != NULL);
		free(cause);
	}
	(void)proxy_no_proxy_match(url, host);
	free(url);
	free(host);
}

static int
fuzz_proxy(const uint8_t *data, size_t size)
{
	struct proxy p;
	struct proxy_fail f;
	char *cause = NULL;
	int sv[2], rc;

	if (size < 1)
		return 0;
	if (data[0] & 0x80) {
		fuzz_proxy_url(data + 1, size - 1);
		return 0;
	}
	FUZZ_ASSERT(proxy_parse(data[0] & 1 ? (data[0] & 2 ?
	    "socks5h://user:pw@p:1" : "socks5://p:1") : "http://u:p@p:1", &p,
	    &cause) == 0);
	data++;
	size--;
	if (size > FUZZ_PROXY_MAX)
		size = FUZZ_PROXY_MAX;
	if (fuzz_proxy_net == NULL) {
		fuzz_proxy_net = xcalloc(1, sizeof *fuzz_proxy_net);
		net_ctx_init(fuzz_proxy_net);
	}
	FUZZ_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	FUZZ_ASSERT(size == 0 || write(sv[1], data, size) == (ssize_t)size);
	FUZZ_ASSERT(shutdown(sv[1], SHUT_WR) == 0);
	/* Everything is already there: the deadline only guards a hang. */
	rc = proxy_tunnel(fuzz_proxy_net, sv[0], &p, "good.test", 443,
	    now_ms() + 5000, &f);
	FUZZ_ASSERT(rc == 0 || rc == NET_ERR_PROXY || rc == NET_ERR_REFUSED ||
	    rc == NET_ERR_UNREACH || rc == NET_ERR_TIMEOUT || rc == NET_ERR_DNS ||
	    rc == NET_ERR_RESET || rc == NET_ERR_OTHER);
	FUZZ_ASSERT(fuzz_is_clean(f.text, strlen(f.text)));
	FUZZ_ASSERT(strlen(f.text) < sizeof f.text);
	FUZZ_ASSERT(rc == 0 ? f.kind == PROXY_FAIL_NONE :
	    f.kind != PROXY_FAIL_NONE);
	proxy_clear(&p);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_proxy(data, size);
}
#endif
