/* cli.c: the command line (see cli.h).
 *
 * One table lists every option with its help text; getopt_long's array,
 * the short option string and --help are all made from it, so the parser
 * and the documentation cannot drift apart. */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <wolfssl/ssl.h>

#include "cli.h"
#include "netpath/proxy.h"
#include "netpath/starttls.h"
#include "sanitize.h"
#include "util.h"

/* Long-only options get values above any character. */
enum {
	OPT_BATCH = 256, OPT_JSON, OPT_RESOLVE, OPT_SNI, OPT_NO_SNI,
	OPT_TIMEOUT, OPT_CA_FILE, OPT_PLAIN, OPT_ASCII, OPT_NO_COLOR,
	OPT_EXPLAIN, OPT_DEMO, OPT_PROXY, OPT_NOPROXY,
	OPT_STARTTLS, OPT_TIME_SERVER,
	OPT_OUTPUT = 'o', OPT_HELP = 'h', OPT_VERSION = 'V',
};

struct cli_row {
	struct cli_option opt;
	int val;
};

static const struct cli_row cli_rows[] = {
	{ { "batch", 0, no_argument, NULL,
	    "No wizard: print the text report and exit." }, OPT_BATCH },
	{ { "json", 0, no_argument, NULL,
	    "Print the report as JSON (implies --batch)." }, OPT_JSON },
	{ { "output", 'o', required_argument, "FILE",
	    "Also save the report to FILE (- is stdout)." },
	    OPT_OUTPUT },
	{ { "resolve", 0, required_argument, "HOST:PORT:ADDR",
	    "Connect to ADDR instead of asking DNS (as curl).\n"
	    "HOST and PORT must be the server's; may be\n"
	    "given several times." }, OPT_RESOLVE },
	{ { "proxy", 0, required_argument, "URL",
	    "Go through this proxy: http://[user:pass@]host:port,\n"
	    "socks5:// or socks5h:// (as curl); \"\" for none.\n"
	    "Default: https_proxy, all_proxy (as curl)." }, OPT_PROXY },
	{ { "noproxy", 0, required_argument, "HOSTS",
	    "Hosts to reach without the proxy (comma list,\n"
	    "\"*\" for all); replaces no_proxy." }, OPT_NOPROXY },
	{ { "sni", 0, required_argument, "NAME",
	    "Send NAME as the server name (SNI)." }, OPT_SNI },
	{ { "no-sni", 0, no_argument, NULL,
	    "Send no server name, as very old clients do." }, OPT_NO_SNI },
	{ { "starttls", 0, required_argument, "PROTO",
	    "Start TLS inside PROTO first, as openssl s_client:\n"
	    "smtp imap pop3 ftp xmpp ldap postgres.\n"
	    "Without it: by the URL (smtp://, imaps://...)\n"
	    "or the port (587, 143, 110... STARTTLS;\n"
	    "465, 993, 995... TLS at once)." }, OPT_STARTTLS },
	{ { "timeout", 0, required_argument, "SECONDS",
	    "Wait at most SECONDS for each step (1-300, default 10)." },
	    OPT_TIMEOUT },
	{ { "ca-file", 0, required_argument, "FILE",
	    "Trust only the CA certificates in FILE (PEM),\n"
	    "instead of the system's store." },
	    OPT_CA_FILE },
	{ { "time-server", 0, required_argument, "HOST[:PORT],...",
	    "Ask these SNTP servers what time it is; \"none\"\n"
	    "asks none (default: TLSMEDIC_TIME_SERVERS, else\n"
	    "time.cloudflare.com, time.google.com, pool.ntp.org)." },
	    OPT_TIME_SERVER },
	{ { "plain", 0, no_argument, NULL,
	    "The wizard as plain numbered text (screen readers)." },
	    OPT_PLAIN },
	{ { "ascii", 0, no_argument, NULL,
	    "Use only ASCII characters." }, OPT_ASCII },
	{ { "no-color", 0, no_argument, NULL,
	    "No colours (also when NO_COLOR is set)." }, OPT_NO_COLOR },
	{ { "explain", 0, optional_argument, "[ID]",
	    "Explain a finding ID, e.g. cert.expired;\n"
	    "without ID, list them all." }, OPT_EXPLAIN },
	{ { "demo", 0, optional_argument, "[=SCENARIO]",
	    "Run against built-in broken servers on this\n"
	    "computer; --demo=list names the scenarios." }, OPT_DEMO },
	{ { "help", 'h', no_argument, NULL, "Show this help." }, OPT_HELP },
	{ { "version", 'V', no_argument, NULL,
	    "Show the version of tlsmedic and wolfSSL." }, OPT_VERSION },
};
#define NROWS (sizeof cli_rows / sizeof *cli_rows)

#define TRY_HELP "\nTry 'tlsmedic --help'."

const struct cli_option *
cli_options(size_t *n)
{
	static struct cli_option opts[NROWS];

	for (size_t i = 0; i < NROWS; i++)
		opts[i] = cli_rows[i].opt;
	*n = NROWS;
	return opts;
}

void
cli_usage(FILE *fp)
{
	fputs("Usage: tlsmedic [OPTIONS] SERVER\n"
	      "       tlsmedic --explain [ID]\n"
	      "       tlsmedic --demo[=SCENARIO]\n"
	      "\n"
	      "Finds out why a secure (TLS) connection to SERVER fails, and "
	      "who can fix it.\n"
	      "SERVER is a name (example.org), name:port, [IPv6]:port or a "
	      "URL\n"
	      "(https://example.org/page). Without --batch or --json a "
	      "wizard guides you.\n"
	      "\n"
	      "Options:\n", fp);
	for (size_t i = 0; i < NROWS; i++) {
		const struct cli_option *o = &cli_rows[i].opt;
		char left[64], shrt[8] = "    ";
		const char *h = o->help;
		int n;

		if (o->short_name)
			snprintf(shrt, sizeof shrt, "-%c, ", o->short_name);
		/* "--demo[=SCENARIO]" but "--output FILE", "--explain [ID]" */
		n = snprintf(left, sizeof left, "  %s--%s%s%s", shrt, o->name,
		    o->arg && strncmp(o->arg, "[=", 2) != 0 ? " " : "",
		    o->arg ? o->arg : "");
		/* Help text starts in column 24; a long left side gets its
		 * own line. */
		fputs(left, fp);
		if (n >= 23) {
			fputc('\n', fp);
			n = 0;
		}
		while (*h) {
			const char *nl = strchr(h, '\n');
			size_t len = nl ? (size_t)(nl - h) : strlen(h);

			fprintf(fp, "%*s%.*s\n", 24 - n, "", (int)len, h);
			n = 0;
			h += len + (nl != NULL);
		}
	}
	fputs("\nExit status: 0 nothing wrong found, 1 problems found (or a "
	      "check could\nnot run), 2 usage error, 3 the site could not be "
	      "tested, 4 the report\ncould not be written (stdout or -o).\n",
	    fp);
}

void
cli_version(FILE *fp)
{
	fprintf(fp, "tlsmedic %s (wolfSSL %s)\n", TLSMEDIC_VERSION,
	    wolfSSL_lib_version());
}

static const struct cli_row *
row_by_val(int val)
{
	for (size_t i = 0; i < NROWS; i++)
		if (cli_rows[i].val == val)
			return &cli_rows[i];
	return NULL;
}

/* User input quoted in a message: sanitized (argv can hold terminal
 * escapes) and short. One at a time: the buffer is static. */
static const char *
qs(const char *arg)
{
	static char buf[128];
	char *q = sanitize(arg ? arg : "", arg ? strlen(arg) : 0, 100);

	snprintf(buf, sizeof buf, "%s", q);
	free(q);
	return buf;
}

static enum cli_result __attribute__((format(printf, 2, 3)))
usage_error(char **cause, const char *fmt, ...)
{
	struct strbuf b = { 0 };
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	*msg = '\0';
	va_start(ap, fmt);
	if (n > 0)
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	strbuf_puts(&b, msg);
	strbuf_puts(&b, TRY_HELP);
	free(msg);
	*cause = strbuf_steal(&b);
	return CLI_USAGE;
}

static enum cli_result
usage_cause(char **cause, char *msg)
{
	*cause = xasprintf("%s" TRY_HELP, msg);
	free(msg);
	return CLI_USAGE;
}

static int
timeout_parse(const char *s, int *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 300)
		return -1;
	*out = (int)v;
	return 0;
}

static const char *
file_problem(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		switch (errno) {
		case ENOENT:
			return "there is no such file";
		case EACCES:
			return "permission denied";
		default:
			return strerror(errno);
		}
	}
	if (S_ISDIR(st.st_mode))
		return "it is a folder, not a file";
	if (access(path, R_OK) != 0)
		return "permission denied";
	return NULL;
}

/* Optional arguments of getopt_long only come as --opt=VALUE; people also
 * write "--explain cert.expired", so take a following plain word. */
static char *
optional_word(int argc, char **argv)
{
	if (optarg != NULL)
		return xstrdup(optarg);
	if (optind < argc && argv[optind][0] != '-' && argv[optind][0] != '\0')
		return xstrdup(argv[optind++]);
	return NULL;
}

/* The --resolve for the server (the last one naming its host and port),
 * else the last one given (the wizard may be told the site later; a
 * mismatch with a server on the command line is refused below). Moved,
 * not copied: struct resolve is target.c's. */
static void
resolve_pick(struct options *o)
{
	size_t pick = o->nresolves;

	if (o->nresolves == 0)
		return;
	for (size_t i = o->nresolves; i-- > 0 && o->have_target;)
		if (strcmp(o->resolves[i].host, o->target.host) == 0 &&
		    o->resolves[i].port == o->target.port) {
			pick = i;
			break;
		}
	if (pick == o->nresolves)
		pick = o->nresolves - 1;
	o->resolve = o->resolves[pick];
	memset(&o->resolves[pick], 0, sizeof o->resolves[pick]);
	o->have_resolve = 1;
}

static enum cli_result
parse(int argc, char **argv, struct options *o, char **cause)
{
	struct option longopts[NROWS + 1];
	char shortopts[2 * NROWS + 2], *sp = shortopts;
	const char *env;
	char *why = NULL;
	int c;

	*cause = NULL;
	memset(o, 0, sizeof *o);
	o->timeout_s = 10;

	*sp++ = ':'; /* tell a missing argument from an unknown option */
	for (size_t i = 0; i < NROWS; i++) {
		const struct cli_option *co = &cli_rows[i].opt;

		longopts[i] = (struct option){ co->name, co->has_arg, NULL,
			cli_rows[i].val };
		if (co->short_name) {
			*sp++ = (char)co->short_name;
			if (co->has_arg == required_argument)
				*sp++ = ':';
		}
	}
	memset(&longopts[NROWS], 0, sizeof longopts[NROWS]);
	*sp = '\0';

	optind = 0; /* full reset, so tests may parse many times */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_BATCH:
			o->batch = 1;
			break;
		case OPT_JSON:
			o->json = o->batch = 1;
			break;
		case OPT_OUTPUT:
			if (*optarg == '\0')
				return usage_error(cause, "--output needs a "
				    "file name");
			free(o->output);
			o->output = xstrdup(optarg);
			break;
		case OPT_RESOLVE: {
			/* Several add up, as in curl; for the same HOST:PORT
			 * the later one wins (curl replaces the entry too). */
			struct resolve r;

			if (resolve_parse(optarg, &r, &why) != 0)
				return usage_cause(cause, why);
			o->resolves = xreallocarray(o->resolves,
			    o->nresolves + 1, sizeof *o->resolves);
			o->resolves[o->nresolves++] = r;
			break;
		}
		case OPT_SNI: {
			struct target t;

			if (target_parse(optarg, &t, &why) != 0) {
				char *msg = xasprintf("--sni: %s", why);
				free(why);
				return usage_cause(cause, msg);
			}
			if (strchr(optarg, ':') != NULL ||
			    strchr(optarg, '/') != NULL ||
			    strspn(t.host, "0123456789.") == strlen(t.host)) {
				target_clear(&t);
				return usage_error(cause, "--sni takes a host "
				    "name like example.org, not '%s' (SNI "
				    "carries no port or address)", qs(optarg));
			}
			free(o->sni);
			o->sni = t.host;
			break;
		}
		case OPT_PROXY:
			if (*optarg != '\0') {
				struct proxy p;
				if (proxy_parse(optarg, &p, &why) != 0) {
					char *msg = xasprintf("--proxy: %s", why);
					free(why);
					return usage_cause(cause, msg);
				}
				proxy_clear(&p);
			}
			free(o->proxy);
			o->proxy = xstrdup(optarg);
			break;
		case OPT_NOPROXY:
			free(o->noproxy);
			o->noproxy = xstrdup(optarg);
			break;
		case OPT_NO_SNI:
			o->no_sni = 1;
			break;
		case OPT_STARTTLS:
			if ((o->starttls = starttls_parse_name(optarg)) < 0)
				return usage_error(cause, "--starttls knows "
				    "smtp, imap, pop3, ftp, xmpp, ldap and "
				    "postgres, not '%s'", qs(optarg));
			break;
		case OPT_TIMEOUT:
			if (timeout_parse(optarg, &o->timeout_s) != 0)
				return usage_error(cause, "--timeout wants a "
				    "whole number of seconds from 1 to 300, "
				    "not '%s'", qs(optarg));
			break;
		case OPT_TIME_SERVER:
			free(o->time_servers);
			o->time_servers = xstrdup(optarg);
			break;
		case OPT_CA_FILE: {
			const char *p = file_problem(optarg);

			if (p != NULL) {
				char *q = sanitize(optarg, strlen(optarg), 100);
				char *msg = xasprintf("cannot read the CA file "
				    "'%s': %s", q, p);
				free(q);
				return usage_cause(cause, msg);
			}
			free(o->ca_file);
			o->ca_file = xstrdup(optarg);
			break;
		}
		case OPT_PLAIN:
			o->plain = 1;
			break;
		case OPT_ASCII:
			o->ascii = 1;
			break;
		case OPT_NO_COLOR:
			o->no_color = 1;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			free(o->explain_id);
			o->explain_id = optional_word(argc, argv);
			break;
		case OPT_DEMO:
			o->demo = 1;
			free(o->demo_scenario);
			o->demo_scenario = optional_word(argc, argv);
			break;
		case OPT_HELP:
			cli_usage(stdout);
			return CLI_EXIT_OK;
		case OPT_VERSION:
			cli_version(stdout);
			return CLI_EXIT_OK;
		case ':': {
			const struct cli_row *row = row_by_val(optopt);
			char *msg;

			if (row == NULL)
				return usage_error(cause, "an option needs a "
				    "value: '%s'", qs(argv[optind - 1]));
			msg = xasprintf("--%s needs a value (%s)",
			    row->opt.name, row->opt.arg);
			return usage_cause(cause, msg);
		}
		default:
			if (optopt > 0 && optopt < 256) {
				char opt[3] = { '-', (char)optopt, '\0' };
				return usage_error(cause, "unknown option "
				    "'%s'", qs(opt));
			}
			if (optopt >= 256)
				return usage_error(cause, "'%s' takes no value",
				    qs(argv[optind - 1]));
			return usage_error(cause, "unknown or ambiguous option "
			    "'%s'", qs(argv[optind - 1]));
		}
	}

	if (optind < argc) {
		if (argc - optind > 1)
			return usage_error(cause, "one server at a time, "
			    "please (also got '%s')", qs(argv[optind + 1]));
		if (target_parse(argv[optind], &o->target, &why) != 0)
			return usage_cause(cause, why);
		o->have_target = 1;
	}

	env = getenv("NO_COLOR");
	if (env != NULL && *env != '\0')
		o->no_color = 1;

	if (o->explain && o->demo)
		return usage_error(cause, "--explain and --demo do not go "
		    "together");
	if ((o->explain || o->demo) && o->have_target)
		return usage_error(cause, "%s takes no server; drop it or run "
		    "without it", o->explain ? "--explain" : "--demo");
	if (o->sni != NULL && o->no_sni)
		return usage_error(cause, "--sni and --no-sni contradict each "
		    "other");
	resolve_pick(o);
	if (o->have_resolve) {
		/* The wizard may be given the site later: it applies
		 * --resolve when the site typed there matches. */
		if (!o->have_target && (o->batch || o->json))
			return usage_error(cause, "--resolve needs the server "
			    "on the command line too");
		if (o->have_target &&
		    (strcmp(o->resolve.host, o->target.host) != 0 ||
		    o->resolve.port != o->target.port)) {
			char *rh = sanitize(o->resolve.host,
			    strlen(o->resolve.host), 100);
			char *th = sanitize(o->target.host,
			    strlen(o->target.host), 100);
			char *msg = xasprintf("--resolve is for %s port %d, "
			    "but the server is %s port %d; they must match",
			    rh, o->resolve.port, th, o->target.port);
			free(rh);
			free(th);
			return usage_cause(cause, msg);
		}
	}
	if (o->batch && !o->have_target && !o->demo && !o->explain)
		return usage_error(cause, "%s needs a server to test, e.g. "
		    "tlsmedic --batch example.org",
		    o->json ? "--json" : "--batch");
	return CLI_RUN;
}

enum cli_result
cli_parse(int argc, char **argv, struct options *o, char **cause)
{
	enum cli_result rc = parse(argc, argv, o, cause);

	/* Nothing to run: leave nothing allocated (cli_free stays safe). */
	if (rc != CLI_RUN)
		cli_free(o);
	return rc;
}

void
cli_free(struct options *o)
{
	free(o->output);
	target_clear(&o->target);
	if (o->have_resolve)
		resolve_clear(&o->resolve);
	for (size_t i = 0; i < o->nresolves; i++)
		resolve_clear(&o->resolves[i]);
	free(o->resolves);
	free(o->sni);
	free(o->proxy);
	free(o->noproxy);
	free(o->ca_file);
	free(o->time_servers);
	free(o->explain_id);
	free(o->demo_scenario);
	memset(o, 0, sizeof *o);
	o->timeout_s = 10;
}
