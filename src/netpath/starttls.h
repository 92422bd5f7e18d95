/* netpath/starttls.h: the plaintext exchange some protocols need before the
 * TLS ClientHello (SMTP, IMAP, POP3, FTP, XMPP, LDAP, PostgreSQL), and the
 * conventions that tell which ports speak TLS at once and which start it.
 *
 * netpath_open() calls starttls_open() on every connection when the
 * net_ctx carries a struct starttls_state, so no probe knows of it. The
 * state records the first conclusive outcome (offered, refused, not
 * offered, the server spoke TLS at once...) for the diagnosis to judge.
 *
 * starttls_reply_parse() is pure (no I/O): unit tested and fuzzed. */
#ifndef TLSMEDIC_NETPATH_STARTTLS_H
#define TLSMEDIC_NETPATH_STARTTLS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

enum starttls_proto {
	STARTTLS_NONE, STARTTLS_SMTP, STARTTLS_IMAP, STARTTLS_POP3,
	STARTTLS_FTP, STARTTLS_XMPP, STARTTLS_LDAP, STARTTLS_POSTGRES,
	STARTTLS_COUNT
};

#define STARTTLS_MAX_REPLY 16384 /* bytes of one server reply at most */
#define STARTTLS_MAX_LINES 256   /* lines of one reply at most */

/* "smtp" ... "postgres" (--starttls names, as openssl s_client); "" NONE. */
const char *starttls_name(enum starttls_proto p);
/* "SMTP" ... "PostgreSQL". */
const char *starttls_title(enum starttls_proto p);
/* --starttls NAME -> proto; -1 when unknown. Accepts openssl's names
 * (smtp pop3 imap ftp xmpp ldap postgres) and "pop", "postgresql". */
int starttls_parse_name(const char *s);
/* What a well-known port means: the protocol, and whether TLS starts at
 * once (465, 993, 995, 990, 636) or by STARTTLS (25, 587, 143, 110, 21,
 * 5222, 389, 5432). STARTTLS_NONE for any other port. */
enum starttls_proto starttls_port_proto(int port, int *at_once);
/* The usual port of a protocol with STARTTLS (at_once 0) or TLS at once
 * (at_once 1); 0 when there is none (XMPP and PostgreSQL at once). */
int starttls_usual_port(enum starttls_proto p, int at_once);
/* A server's first bytes, read when TLS was expected: the protocol whose
 * plaintext greeting it is (220 / "* OK" / "+OK"), else STARTTLS_NONE.
 * port helps tell FTP's 220 from SMTP's. */
enum starttls_proto starttls_sniff(const unsigned char *buf, size_t len,
    int port);

/* --- what the exchange found ------------------------------------------ */

enum starttls_outcome {
	STARTTLS_PENDING,     /* nothing conclusive yet */
	STARTTLS_OK,          /* the server agreed to start TLS */
	STARTTLS_NOT_OFFERED, /* the server does not offer it here */
	STARTTLS_REFUSED,     /* offered or asked, and refused */
	STARTTLS_SILENT,      /* no greeting within the time limit */
	STARTTLS_TLS_SPOKEN,  /* the server answered with TLS: TLS at once */
	STARTTLS_OTHER_PROTO, /* it speaks something else (HTTP, SSH, ...) */
	STARTTLS_BROKEN,      /* closed, reset or garbled mid-exchange */
};

struct starttls_state {
	enum starttls_proto proto;
	char host[256];        /* the server's name (XMPP's to=) */
	pthread_mutex_t lock;
	enum starttls_outcome outcome; /* the first conclusive one */
	int net_err;           /* behind SILENT / BROKEN, else 0 */
	char greeting[160];    /* sanitized first line of the greeting */
	char reply[160];       /* sanitized reply that decided it */
	char step[32];         /* what was asked: "EHLO", "STARTTLS" ... */
};
void starttls_state_init(struct starttls_state *s, enum starttls_proto p,
    const char *host);
void starttls_state_destroy(struct starttls_state *s);
/* Copies the outcome under the lock (safe while probes run). */
enum starttls_outcome starttls_state_outcome(struct starttls_state *s);
/* Sets the outcome, whatever was recorded (PENDING forgets it). */
void starttls_state_set(struct starttls_state *s, enum starttls_outcome o);

/* netpath_open()'s step: run the exchange on a connected fd. Returns fd,
 * ready for the ClientHello, or a negative net_err (fd closed), or
 * STARTTLS_BUSY: the server said "too many connections, try later" (SMTP
 * and FTP 421, POP3 [SYS/TEMP] or [IN-USE]) with time left to try again. */
#define STARTTLS_BUSY (-100)
int starttls_open(struct net_ctx *ctx, int fd, int64_t deadline);
/* Wait before try number `attempt` (0, 1, ...) after STARTTLS_BUSY:
 * 0, or -1 when cancelled or the wait would pass the deadline. */
int starttls_backoff(struct net_ctx *ctx, int attempt, int64_t deadline);

/* --- the pure reply parser -------------------------------------------- */

/* The steps of an exchange; each protocol uses some of them. */
enum starttls_step { STARTTLS_STEP_GREETING, STARTTLS_STEP_CAPS,
	STARTTLS_STEP_START, STARTTLS_STEP_COUNT };

struct starttls_reply {
	int code;      /* SMTP/FTP code; LDAP resultCode; else 0 */
	int ok;        /* a positive answer (220, OK, +OK, <proceed/>, 'S') */
	int offers;    /* the capabilities name STARTTLS (STLS, <starttls>) */
	int tls;       /* the bytes are a TLS record, not plaintext */
	char line[160]; /* the first line, raw bytes (sanitize to show) */
	size_t nline;
};
/* Parses the reply to step st in buf[0..len). Returns the bytes it used
 * (> 0) when the reply is complete, 0 when more are needed, -1 when these
 * bytes can never be such a reply (garbage, or past the bounds). Never
 * reads past len. */
int starttls_reply_parse(enum starttls_proto p, enum starttls_step st,
    const unsigned char *buf, size_t len, struct starttls_reply *out);

#endif
