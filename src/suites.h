/* suites.h: the cipher suite table (IANA code points and names) and the
 * client profiles kept as data in data/clients/. The table is our own
 * because wolfSSL names only the suites it was built with. */
#ifndef TLSMEDIC_SUITES_H
#define TLSMEDIC_SUITES_H

#include <stddef.h>
#include <stdint.h>

enum suite_flag {
	SUITE_TLS13 = 1 << 0,  /* a TLS 1.3 suite */
	SUITE_RC4 = 1 << 1,
	SUITE_3DES = 1 << 2,
	SUITE_NULL = 1 << 3,   /* no encryption */
	SUITE_EXPORT = 1 << 4,
	SUITE_ANON = 1 << 5,   /* no authentication */
	SUITE_DES = 1 << 6,    /* single DES */
	SUITE_TLS12 = 1 << 7,  /* needs TLS 1.2 (AEAD or a SHA-2 MAC) */
	SUITE_WEAK = SUITE_RC4 | SUITE_3DES | SUITE_NULL | SUITE_EXPORT |
	    SUITE_ANON | SUITE_DES,
};

struct suite_info {
	uint16_t code;
	const char *name; /* IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
	unsigned flags;
};

/* NULL when unknown. */
const struct suite_info *suite_find(uint16_t code);
/* Name for display; "0xC02F" style for unknown codes (static buffer per
 * thread is not used: buf must hold 8 bytes). */
const char *suite_name(uint16_t code, char buf[8]);
/* The whole table, TLS 1.2-and-older suites first. */
const struct suite_info *suite_all(size_t *n);
/* The suites worth offering at a wire version (0x0300..0x0304), in table
 * order: TLS 1.3 ones for 0x0304, no TLS 1.2-only ones below 0x0303.
 * Writes at most max codes; returns how many. */
size_t suite_list_for(uint16_t version, uint16_t *out, size_t max);

/* What a profile stands for when the user says what fails (the wizard's
 * "A web browser / A mail app / Another program"). */
enum client_app { CLIENT_APP_BROWSER = 1, CLIENT_APP_MAIL = 2,
	CLIENT_APP_PROGRAM = 4 };
/* A client's rule: YES always, NO never, PUBLIC only for a chain that ends
 * at a root the system ships (a public CA), UNKNOWN not known to us. */
enum client_rule { CLIENT_RULE_NO, CLIENT_RULE_YES, CLIENT_RULE_PUBLIC,
	CLIENT_RULE_UNKNOWN };

/* A client profile: which versions and suites a real client offers, and
 * how it judges a certificate. Sources are in each data/clients/ file. */
struct client_profile {
	const char *name;     /* "Firefox 132" */
	const char *source;   /* where the list was taken from */
	const char *id;       /* the file's name: "firefox" */
	int current;          /* 1: a current major browser; 0: other */
	int old;              /* 1: an old release, shown for reference only */
	unsigned apps;        /* enum client_app bits */
	uint16_t min_version, max_version; /* wire versions, e.g. 0x0303 */
	const uint16_t *suites;
	size_t nsuites;
	const uint16_t *groups;  /* supported_groups, in its order */
	size_t ngroups;
	const uint16_t *sigalgs; /* signature_algorithms (TLS 1.2+) */
	size_t nsigalgs;
	int aia;     /* client_rule: fetches a missing intermediate (AIA) */
	int sha1;    /* client_rule: refuses SHA-1 certificate signatures */
	int min_rsa; /* smallest RSA key it accepts in a chain, bits */
	int min_dh;  /* smallest DHE prime it accepts, bits (0: any) */
};
const struct client_profile *client_profiles(size_t *n);

#endif
