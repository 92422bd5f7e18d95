/* model.h: the result model. The engine fills a struct report; the wizard,
 * the text report and the JSON report only read it.
 *
 * Contract: every string in the model is sanitized (sanitize.h) -- valid
 * UTF-8, no control bytes, bounded -- so any face may print it as is. */
#ifndef TLSMEDIC_MODEL_H
#define TLSMEDIC_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "finding.h"

enum tri { TRI_UNKNOWN = -1, TRI_NO = 0, TRI_YES = 1 };

enum proto { PROTO_SSL30, PROTO_TLS10, PROTO_TLS11, PROTO_TLS12, PROTO_TLS13,
	PROTO_COUNT };
const char *proto_key(enum proto p);   /* "ssl3.0" ... "tls1.3" (JSON keys) */
const char *proto_name(enum proto p);  /* "SSL 3.0" ... "TLS 1.3" */
uint16_t proto_wire(enum proto p);     /* 0x0300 ... 0x0304 */
int proto_from_wire(uint16_t v);       /* -1 if none */

/* The checks the wizard shows as lines, in decision-tree order. */
#define CHECK_TABLE(X)                                     \
	X(CLOCK, "clock", "Your computer's clock")          \
	X(CONNECT, "connect", "Reaching the server")        \
	X(PROTOCOLS, "protocols", "Protocol versions")      \
	X(CIPHERS, "ciphers", "Cipher suites")              \
	X(CERT, "cert", "Certificate and chain")            \
	X(SNI, "sni", "Server name (SNI)")                  \
	X(REVOCATION, "revocation", "Revocation")           \
	X(INTERCEPTION, "interception", "Interception")
#define CHECK_ENUM(e, k, t) CHECK_##e,
enum check { CHECK_TABLE(CHECK_ENUM) CHECK_COUNT };
#undef CHECK_ENUM
const char *check_key(enum check c);
const char *check_title(enum check c);
/* Which check line a finding belongs to. */
enum check finding_check(enum finding_id id);

enum check_state {
	CHECK_WAITING, CHECK_RUNNING, CHECK_PASSED, CHECK_WARNING, CHECK_FAILED,
	CHECK_SKIPPED /* could not be tested (e.g. server unreachable) */
};

struct cert_info {
	char *subject;        /* one-line DN, e.g. "CN=example.org, O=Example" */
	char *issuer;
	char *cn;             /* subject CN or NULL */
	char **sans;          /* DNS names and IP addresses */
	size_t nsans;
	size_t nsans_total;   /* how many the certificate has (>= nsans:
	                       * only the first 200 are kept) */
	time_t not_before, not_after;
	char *key_type;       /* "RSA", "EC", "Ed25519", "DSA", "unknown" */
	int key_bits;
	char *signature;      /* e.g. "sha256WithRSAEncryption" */
	int weak_signature;   /* MD5 or SHA-1 */
	char sha256[65];      /* hex fingerprint of the DER */
	char *ocsp_url;       /* NULL when absent */
	char *ca_issuers_url; /* AIA caIssuers */
	char *crl_url;        /* first CRL distribution point */
	int self_signed;      /* issuer == subject and the signature verifies */
	int is_ca;
	unsigned char *der;   /* the certificate as sent */
	size_t der_len;
};
void cert_info_clear(struct cert_info *c);

struct chain {
	struct cert_info *certs; /* as sent by the server, leaf first */
	size_t n;
};
void chain_clear(struct chain *ch);

struct finding {
	enum finding_id id;
	enum owner owner;
	enum severity severity;
	char *summary;  /* one line, plain words */
	char *evidence; /* the facts it rests on */
};

struct suite_set {
	int tested;      /* 0: could not be enumerated (JSON null) */
	uint16_t *codes; /* accepted suites, IANA code points */
	size_t n;
};

/* One reference the local clock was compared with (clock.c). */
enum clock_ref_kind {
	CLOCK_REF_SNTP,        /* a time server (RFC 4330) */
	CLOCK_REF_HTTP,        /* an HTTP Date: header (site, OCSP, CRL, AIA) */
	CLOCK_REF_OCSP,        /* producedAt / thisUpdate / nextUpdate */
	CLOCK_REF_CRL,         /* thisUpdate / nextUpdate */
	CLOCK_REF_CERT,        /* a trusted certificate's notBefore */
	CLOCK_REF_BUILD,       /* the day tlsmedic was built */
	CLOCK_REF_SYSTEM,      /* the kernel's NTP state (no time of its own) */
};
enum clock_bound {
	CLOCK_POINT,  /* the time then, give or take the round trip */
	CLOCK_AFTER,  /* the true time is at least this */
	CLOCK_BEFORE, /* the true time is at most this (fresh answers only) */
	CLOCK_CLAIM,  /* says something about the clock, gives no time */
};
struct clock_ref {
	enum clock_ref_kind kind;
	enum clock_bound bound;
	int trusted;     /* from a source we can believe (CA, time server) */
	int used;        /* the judgement rests on it */
	char *source;    /* plain words: "time.google.com", "OCSP ... Date:" */
	time_t value;    /* the time it gives (0 for CLOCK_CLAIM) */
	time_t observed; /* our clock when it was read */
};

struct clock_info {
	time_t local;         /* the local clock when the run started */
	enum tri kernel_sync; /* ntp_adjtime says synchronized */
	time_t http_date;     /* server's HTTP Date:, 0 when none */
	time_t build_time;    /* when tlsmedic was built */
	long skew_s;          /* best estimate local - reference; 0 unknown */
	char *reference;      /* what the estimate rests on, or NULL */
	struct clock_ref *refs; /* every reference seen, in order */
	size_t nrefs;
};

/* Key-exchange groups (groups.h), IANA code points: those the server
 * takes and those it refused; a group in neither was not asked about or
 * got no clear answer. */
struct group_set {
	int tested;          /* 0: not probed, or the answers make no sense */
	uint16_t codes[16];  /* taken */
	size_t n;
	uint16_t refused[16];
	size_t nrefused;
};

/* Which clients can connect (clients.h): one row per client profile. */
struct client_result {
	const char *id, *name; /* the profile's (static) */
	int current;           /* a current major browser */
	int old;               /* an old release, kept for reference */
	unsigned apps;         /* enum client_app bits (suites.h) */
	enum tri connects;
	/* NO / UNKNOWN: what decides it -- "version", "suite", "group",
	 * "signature", "certificate" (static); YES: NULL. */
	const char *stage;
	char *reason; /* why not, or what it would use (ASCII) */
};

/* One address of the name (addrs.h): what a round-robin name's servers
 * each answered. Strings sanitized; the first entry is the one the full
 * diagnosis ran on. */
struct addr_summary {
	char *address;  /* "127.0.0.1", "::1" */
	char *status;   /* "ok" "problems" "unreachable" "same" (as the first) */
	char *summary;  /* one line of plain words */
	int full;       /* a full diagnosis ran on this address */
};

/* The way the server was reached (netpath/proxy.h). */
struct path_info {
	char *proxy;    /* "http://127.0.0.1:3128" (no credentials), NULL direct */
	char *source;   /* "--proxy", "https_proxy" ..., NULL direct */
	char *resolver; /* who looked the name up: "this computer", "the proxy" */
	char *direct;   /* with a proxy: what a direct try gave, or NULL */
};

/* INCOMPLETE: nothing wrong found, but a check that matters could not run
 * (report_skip): never "ok" (rule 1: no false ok). */
enum verdict { VERDICT_OK, VERDICT_PROBLEMS, VERDICT_UNREACHABLE,
	VERDICT_INCOMPLETE };
/* "ok" "problems" "unreachable" "incomplete" */
const char *verdict_str(enum verdict v);

struct report {
	char *host;       /* as asked for (an IDN as its A-label) */
	char *host_unicode; /* an IDN's U-label form, else NULL */
	int port;
	char *address;    /* the address connected to, or NULL */
	char *sni;        /* the SNI sent, NULL with --no-sni */
	char *tls_mode;   /* "SMTP with STARTTLS", "IMAP, TLS at once"; NULL
	                   * for TLS at once on a web or unknown port */
	char *scenario;   /* demo scenario name, else NULL */
	enum verdict verdict;
	char *error;      /* plain-words reason when unreachable, else NULL */

	struct finding *findings;
	size_t nfindings;

	enum tri protocols[PROTO_COUNT];
	struct suite_set ciphers[PROTO_COUNT];
	char *negotiated;       /* e.g. "TLS 1.3, TLS_AES_128_GCM_SHA256" */
	int dh_bits;            /* smallest DHE group the server used, in
				 * bits; 0: no DHE suite seen */
	char *handshake_note;   /* what the handshakes showed that is no
				 * finding: the server refused our first
				 * offer and took another; a limit of our
				 * own TLS library. NULL: nothing */
	struct chain chain;     /* as sent with SNI */
	struct clock_info clock;
	enum check_state checks[CHECK_COUNT];
	/* Why a check was skipped, plain words ("tlsmedic could not ..."),
	 * or NULL. Set with report_skip(). */
	char *check_reason[CHECK_COUNT];

	/* For the client table (clients.h): groups per kind of handshake (the
	 * DHE prime: dh_bits above), and what the chain checks learnt (chain.c). */
	struct group_set groups_tls13, groups_ecdhe;
	enum tri chain_aia;    /* a missing issuer fetched via AIA leads to a
	                        * trusted root (UNKNOWN: none missing) */
	enum tri chain_public; /* the chain ends at a root the system ships */
	struct client_result *clients;
	size_t nclients;
	char *clients_note;    /* "For the program you use: ..." or NULL */
	struct addr_summary *addrs; /* every address tested; may be 0 */
	size_t naddrs;
	struct path_info path;

	int handshakes;   /* TCP connections opened for this diagnosis */
	long elapsed_ms;
};

struct report *report_new(void);
void report_free(struct report *r);
/* Adds a finding with the table's default owner and severity; summary and
 * evidence are copied and sanitized. Returns the finding so a caller may
 * change owner or severity where the evidence says so. Adding an id that
 * is already present appends to its evidence instead. */
struct finding *report_add(struct report *r, enum finding_id id,
    const char *summary, const char *evidence);
/* Marks a check as not done, with the reason (copied, sanitized). A skip
 * blames no one: it is our limit or a missing precondition, not a finding.
 * A later finding on the same check still sets its state. */
void report_skip(struct report *r, enum check c, const char *reason);
struct finding *report_find(const struct report *r, enum finding_id id);
/* Appends an address line; strings copied and sanitized. */
void report_add_address(struct report *r, const char *address,
    const char *status, const char *summary, int full);
void report_remove(struct report *r, enum finding_id id);
/* Sort most serious first, set verdict and check states from findings. */
void report_finish(struct report *r);

#endif
