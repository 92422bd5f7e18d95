/* target.h: parse what the user typed: host, host:port, [v6addr]:port, or
 * a URL (https://host[:port]/path), and curl's --resolve HOST:PORT:ADDR. */
#ifndef TLSMEDIC_TARGET_H
#define TLSMEDIC_TARGET_H

struct target {
	char *host; /* without brackets; lowercased */
	int port;   /* 443 by default */
	/* From the URL scheme (netpath/starttls.h): STARTTLS_* for smtp://
	 * imap:// ... (STARTTLS, as curl), -1 for TLS at once (https://,
	 * imaps:// ...), 0 without a scheme. app: the protocol behind TLS at
	 * once (imaps:// -> IMAP), else 0. */
	int starttls;
	int app;
};
/* Returns 0, or -1 with *cause (plain words, caller frees). */
int target_parse(const char *s, struct target *t, char **cause);
void target_clear(struct target *t);

struct resolve {
	char *host;
	int port;
	char *addr; /* without brackets; "a,b" when several (curl) */
};
int resolve_parse(const char *s, struct resolve *r, char **cause);
void resolve_clear(struct resolve *r);

#endif
