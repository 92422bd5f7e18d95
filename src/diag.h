/* diag.h: the diagnosis engine -- runs every check against one server and
 * fills a struct report. Synchronous (diag_run) for batch mode, or in the
 * background (diag_start ... diag_finish) so the wizard never blocks. */
#ifndef TLSMEDIC_DIAG_H
#define TLSMEDIC_DIAG_H

#include "model.h"
#include "trust.h"

struct diag_opts {
	const char *host;         /* name or address literal, as asked for */
	int port;
	const char *connect_addr; /* --resolve: connect here instead, or NULL;
	                           * "a,b,c": several addresses (as curl) */
	const char *sni;          /* --sni; NULL: the host (unless an IP) */
	int no_sni;               /* --no-sni */
	int timeout_ms;           /* per connection */
	const char *ca_file;      /* --ca-file, or NULL */
	const struct trust *trust; /* preloaded anchors (demo); overrides ca_file */
	/* How TLS starts (mailsec.h): STARTTLS_* asked for (--starttls,
	 * smtp://), -1 TLS at once asked for (https://, imaps://), 0 by the
	 * port. app: the protocol behind TLS at once (smtps:// -> SMTP). */
	int starttls;
	int app;
	const char *time_servers; /* --time-server list, "none", or NULL
	                           * ($TLSMEDIC_TIME_SERVERS or the default) */
	const char *proxy;        /* --proxy URL; "": none; NULL: environment */
	const char *noproxy;      /* --noproxy list, or NULL (no_proxy) */
	int one_address;          /* only the first address of the name */
};

/* Run to completion. Never NULL; the caller frees with report_free(). */
struct report *diag_run(const struct diag_opts *o);

struct diag;
/* Start in a background thread. notify (may be NULL) is called from worker
 * threads whenever a check changes state or the run ends; it must only
 * wake the caller (e.g. write a byte to a pipe). The opts strings must
 * outlive the run. */
struct diag *diag_start(const struct diag_opts *o, void (*notify)(void *),
    void *arg);
/* Thread-safe snapshot of the check lines. */
void diag_states(struct diag *d, enum check_state out[CHECK_COUNT]);
int diag_done(struct diag *d);
/* Ask every probe to stop; returns at once, probes end within a second. */
void diag_cancel(struct diag *d);
/* Wait for the end, free d, return the report (caller frees). A cancelled
 * run returns a report with verdict "unreachable" and error "cancelled". */
struct report *diag_finish(struct diag *d);

#endif
