/* second.c: wolfSSL's verdict on a path (see second.h). A fresh manager
 * holds only the root our path reached; each certificate is verified and
 * then loaded as a CA, top down, as a TLS client walks the chain. Date
 * errors are left out: chain.c judges dates at the run's own time. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <wolfssl/ssl.h>
#include <wolfssl/openssl/x509v3.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "x509/second.h"

static enum second_kind
kind_of(int rc)
{
	switch (rc) {
	case ASN_NAME_INVALID_E:
		/* DNS constraints matched as plain suffixes, IP ones
		 * ignored: our own check (x509/names.c) decides. */
		return SECOND_WOLF_BUG;
	case BUFFER_E:
	case MP_EXPTMOD_E:
	case ECC_CURVE_OID_E:
	case BAD_FUNC_ARG:
	case MEMORY_E:
	case ASN_UNKNOWN_OID_E:
	case NOT_COMPILED_IN:
		return SECOND_WOLF_LIMIT;
	default:
		return SECOND_REFUSES;
	}
}

static int
refused(struct second_opinion *out, int rc, size_t pos, const char *what)
{
	if (rc == WOLFSSL_SUCCESS || rc == ASN_AFTER_DATE_E ||
	    rc == ASN_BEFORE_DATE_E)
		return 0;
	out->kind = kind_of(rc);
	out->code = rc;
	out->pos = pos;
	snprintf(out->reason, sizeof out->reason, "%s: %s (%d)", what,
	    wc_GetErrorString(rc), rc);
	return 1;
}

void
second_opinion(const struct path *pb, const char *hostname,
    struct second_opinion *out)
{
	WOLFSSL_CERT_MANAGER *cm = wolfSSL_CertManagerNew();
	const struct path_node *leaf = &pb->nodes[pb->idx[0]];
	size_t top = pb->np;
	int rc;

	memset(out, 0, sizeof *out);
	if (cm == NULL) {
		out->kind = SECOND_WOLF_LIMIT;
		snprintf(out->reason, sizeof out->reason, "wolfSSL could not "
		    "make a certificate manager");
		return;
	}
	/* The sent copy of the trusted root is the root itself. */
	if (pb->anchor_sent)
		top--;
	rc = wolfSSL_CertManagerLoadCABuffer(cm, pb->anchor->der,
	    (long)pb->anchor->der_len, WOLFSSL_FILETYPE_ASN1);
	if (refused(out, rc, pb->np, "loading the root"))
		goto out;
	for (size_t k = top; k-- > 0;) {
		const struct cert_info *ci = pb->nodes[pb->idx[k]].ci;

		rc = wolfSSL_CertManagerVerifyBuffer(cm, ci->der,
		    (long)ci->der_len, WOLFSSL_FILETYPE_ASN1);
		if (refused(out, rc, k, "verifying it"))
			goto out;
		if (k == 0)
			break;
		rc = wolfSSL_CertManagerLoadCABuffer(cm, ci->der,
		    (long)ci->der_len, WOLFSSL_FILETYPE_ASN1);
		if (refused(out, rc, k, "loading it as an issuer"))
			goto out;
	}
	if (leaf->x != NULL && hostname != NULL && *hostname != '\0') {
		size_t n = strlen(hostname);
		int ok;

		char host[256];

		if (n > 1 && hostname[n - 1] == '.')
			n--; /* the root label: clients drop it */
		if (n >= sizeof host)
			goto out;
		/* Names are case-insensitive; wolfSSL compares bytes. */
		for (size_t i = 0; i < n; i++)
			host[i] = (char)tolower((unsigned char)hostname[i]);
		host[n] = '\0';
		hostname = host;

		/* wolfSSL 5.5.4 cannot match IPv6 addresses: our own host
		 * check (chain.c) judges those alone. */
		if (strchr(hostname, ':') != NULL)
			ok = 1;
		else if (strspn(hostname, "0123456789.") == n)
			ok = wolfSSL_X509_check_ip_asc(leaf->x, hostname,
			    0) == 1;
		else
			ok = wolfSSL_X509_check_host(leaf->x, hostname, n, 0,
			    NULL) == 1;
		if (!ok) {
			out->kind = SECOND_REFUSES;
			out->code = DOMAIN_NAME_MISMATCH;
			snprintf(out->reason, sizeof out->reason, "the host "
			    "name check fails for %.64s", hostname);
			goto out;
		}
	}
	if (leaf->x != NULL && leaf->xc.has_eku &&
	    !(wolfSSL_X509_get_extended_key_usage(leaf->x) & XKU_SSL_SERVER)) {
		out->kind = SECOND_REFUSES;
		out->code = EXTKEYUSE_AUTH_E;
		snprintf(out->reason, sizeof out->reason, "the extended key "
		    "usage check fails (no serverAuth)");
	}
out:
	wolfSSL_CertManagerFree(cm);
	/* Verifying built this thread's ECC fixed-point table (FP_ECC), which
	 * no thread exit frees: see cert_signs() in x509/wolf.c. */
	wc_ecc_fp_free();
}
