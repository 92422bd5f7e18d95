/* cli.h: the command line (curl / openssl conventions). One table of
 * options feeds both the parser and --help. */
#ifndef TLSMEDIC_CLI_H
#define TLSMEDIC_CLI_H

#include <stdio.h>

#include "target.h"

struct options {
	int batch;          /* --batch: text report on stdout, no UI */
	int json;           /* --json: JSON report on stdout (implies batch) */
	int plain;          /* --plain: the wizard as plain numbered text */
	int ascii;          /* --ascii */
	int no_color;       /* --no-color (or NO_COLOR set) */
	char *output;       /* -o, --output FILE */
	int have_target;
	struct target target;
	int have_resolve;
	struct resolve resolve; /* --resolve HOST:PORT:ADDR[,ADDR...]: the one for the
	                         * server (without a server: the last one) */
	struct resolve *resolves; /* every --resolve given (they add up, as
	                           * in curl); parse-time only */
	size_t nresolves;
	char *sni;          /* --sni NAME */
	char *proxy;        /* --proxy URL ("" none), NULL: environment */
	char *noproxy;      /* --noproxy HOSTS, or NULL */
	int no_sni;         /* --no-sni */
	int starttls;       /* --starttls PROTO (netpath/starttls.h), or 0 */
	int timeout_s;      /* --timeout SECONDS (default 10) */
	char *ca_file;      /* --ca-file FILE */
	char *time_servers; /* --time-server LIST, or NULL */
	int explain;        /* --explain [ID] */
	char *explain_id;   /* NULL: list all */
	int demo;           /* --demo[=SCENARIO] */
	char *demo_scenario; /* NULL: menu / all; "list" lists */
};

enum cli_result { CLI_RUN = 0, CLI_EXIT_OK = 1, CLI_USAGE = 2 };

/* Parse argv. CLI_EXIT_OK: --help or --version was printed to stdout.
 * CLI_USAGE: *cause holds plain words (caller frees) for stderr; exit 2.
 * The cause ends with "\nTry 'tlsmedic --help'."; print it after
 * "tlsmedic: ". --explain's ID is not checked here (help_get() knows).
 * Without a server and without --demo/--explain, have_target is 0 and
 * the wizard asks for one (--batch and --json refuse that). */
enum cli_result cli_parse(int argc, char **argv, struct options *o,
    char **cause);
void cli_free(struct options *o);
/* The --help text (also the source for the man page's OPTIONS). */
void cli_usage(FILE *fp);
/* "tlsmedic 0.1.0 (wolfSSL 5.5.4)\n" */
void cli_version(FILE *fp);

/* The option table itself, for a man page generator. */
struct cli_option {
	const char *name;  /* long name without "--" */
	int short_name;    /* 'o', or 0 */
	int has_arg;       /* getopt's no_argument / required_ / optional_ */
	const char *arg;   /* "FILE", "[ID]"... or NULL */
	const char *help;  /* one or more lines, each under 56 columns */
};
const struct cli_option *cli_options(size_t *n);

#endif
