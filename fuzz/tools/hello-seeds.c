/* hello-seeds.c: capture real server answers for hello-fuzzer's corpus.
 *   hello-seeds OUTDIR TAG PORT
 * For each ClientHello variant (version, want_certs) it connects to
 * 127.0.0.1:PORT (an openssl s_server the caller started), sends what
 * hello_build() makes, reads for at most a second (or to FIN) and writes
 * OUTDIR/TAG-VERSION-CERTS: the fuzzer's selector and step bytes, then
 * the bytes received. Loopback only; every wait bounded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"
#include "net.h"
#include "suites.h"
#include "util.h"

int
main(int argc, char **argv)
{
	struct net_ctx ctx;
	struct net_addr addr;

	if (argc != 4)
		return 2;
	net_ctx_init(&ctx);
	if (net_resolve("127.0.0.1", atoi(argv[3]), &addr, 1,
	    now_ms() + 1000, NULL) != 1)
		return 1;
	for (int v = 1; v <= 4; v++) {
		for (int certs = 0; certs < 2; certs++) {
			uint16_t suites[HELLO_MAX_SUITES];
			struct hello_req req = { 0 };
			unsigned char out[4096], in[65536];
			size_t n, len = 0;
			int fd;

			req.version = (uint16_t)(0x0300 + v);
			req.want_certs = certs;
			req.sni = "localhost";
			req.nsuites = suite_list_for(req.version, suites,
			    HELLO_MAX_SUITES);
			req.suites = suites;
			n = hello_build(&req, out, sizeof out);
			int64_t dl = now_ms() + 1000;
			if (n == 0 || (fd = net_connect(&ctx, &addr, dl)) < 0) {
				fprintf(stderr, "hello-seeds: %04x: %s\n",
				    req.version, n == 0 ? "no hello" :
				    "cannot connect");
				continue;
			}
			if (net_send_all(&ctx, fd, out, n, dl) == 0) {
				ssize_t got;
				while (len < sizeof in && (got = net_recv_some(&ctx,
				    fd, in + len, sizeof in - len, dl)) > 0) {
					struct hello_resp r;
					len += (size_t)got;
					if (hello_parse(&req, in, len, &r) == 1) {
						hello_resp_clear(&r);
						break;
					}
					hello_resp_clear(&r);
				}
			}
			net_close(&ctx, fd);
			if (len == 0)
				continue;
			char *path = xasprintf("%s/%s-%04x-%d", argv[1], argv[2],
			    req.version, certs);
			FILE *fp = fopen(path, "wb");
			/* selector: version v, want_certs, SNI, split reads */
			unsigned char hdr[2] = { (unsigned char)(v |
			    (certs << 3) | 0x10 | 0x20), 97 };
			if (fp != NULL) {
				fwrite(hdr, 1, 2, fp);
				fwrite(in, 1, len, fp);
				fclose(fp);
			}
			free(path);
		}
	}
	net_ctx_destroy(&ctx);
	return 0;
}
