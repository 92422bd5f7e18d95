/* main.c: tlsmedic's entry point -- parse the command line, then hand the
 * work to one face: --explain, the demo lab, batch/JSON, or the wizard. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "explain.h"
#include "lab.h"
#include "model.h"
#include "report.h"
#include "sanitize.h"
#include "util.h"
#include "wizard.h"

enum { EXIT_NOTHING = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2, EXIT_UNTESTABLE = 3,
	EXIT_OUTPUT = 4 /* the report could not be written or saved */ };

static int
exit_for(const struct report *r)
{
	switch (r->verdict) {
	case VERDICT_OK:
		return EXIT_NOTHING;
	case VERDICT_PROBLEMS:
	case VERDICT_INCOMPLETE: /* not "nothing wrong": a check could not run */
		return EXIT_PROBLEMS;
	default:
		return EXIT_UNTESTABLE;
	}
}

/* Print the report and save it with -o; a failed save is an error the
 * user must see, but the report still reaches stdout. */
static int
emit(const struct options *o, const char *text)
{
	char *cause = NULL;

	fputs(text, stdout);
	fflush(stdout);
	/* "-o -" is stdout (curl): the report is already there. */
	if (o->output == NULL || strcmp(o->output, "-") == 0)
		return 0;
	switch (report_save(o->output, text, REPORT_SAVE_REPLACE, &cause)) {
	case 0:
		return 0;
	case 2: {
		char *q = sanitize(o->output, strlen(o->output), 200);
		fprintf(stderr, "tlsmedic: cannot save to '%s': it is a "
		    "symbolic link, and -o does not write through links; "
		    "give the file it points to instead\n", q);
		free(q);
		return -1;
	}
	default:
		fprintf(stderr, "tlsmedic: %s\n", cause ? cause :
		    "cannot save the report");
		free(cause);
		return -1;
	}
}

static int
run_batch(const struct options *o)
{
	struct diag_opts d = {
		.host = o->target.host,
		.port = o->target.port,
		.connect_addr = o->have_resolve ? o->resolve.addr : NULL,
		.sni = o->sni,
		.no_sni = o->no_sni,
		.timeout_ms = o->timeout_s * 1000,
		.ca_file = o->ca_file,
		.starttls = o->starttls ? o->starttls : o->target.starttls,
		.app = o->target.app,
		.time_servers = o->time_servers,
		.proxy = o->proxy,
		.noproxy = o->noproxy,
	};
	struct report *r = diag_run(&d);
	char *text = o->json ? report_json(r) : report_text(r, 0);
	int status = exit_for(r);

	if (r->verdict == VERDICT_UNREACHABLE && r->error != NULL)
		fprintf(stderr, "tlsmedic: cannot test %s port %d: %s\n",
		    r->host, r->port, r->error);
	else if (r->error != NULL) /* e.g. the trust store did not load */
		fprintf(stderr, "%s%s\n", strncmp(r->error, "tlsmedic ", 9) ?
		    "tlsmedic: " : "", r->error);
	if (emit(o, text) != 0)
		status = EXIT_OUTPUT;
	free(text);
	report_free(r);
	return status;
}

static int
run_demo(struct options *o)
{
	char *cause = NULL;
	struct lab *lab;
	int status;

	if (o->demo_scenario != NULL && strcmp(o->demo_scenario, "list") == 0) {
		lab_list(stdout);
		return EXIT_NOTHING;
	}
	lab = lab_start(&cause);
	if (lab == NULL) {
		fprintf(stderr, "tlsmedic: cannot start the practice lab: %s\n",
		    cause ? cause : "unknown error");
		free(cause);
		return EXIT_UNTESTABLE;
	}
	if (o->batch || o->json)
		status = lab_run_batch(lab, o->demo_scenario, o->json, stdout);
	else
		status = wizard_run(o, lab);
	lab_stop(lab);
	return status;
}

/* A closed stdout (>&-) would hand fd 1 to the first file or socket we
 * open, and the report would go there. Hold 0, 1 and 2 with /dev/null --
 * stdout read-only, so writing the report still fails (exit 4). */
static void
fds_hold(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int nfd = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
		if (nfd != -1 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

/* Every byte of the report must reach stdout: a full disk, a closed
 * pipe or a closed stdout is an output error (exit 4), not silence. */
static int
stdout_close(int status)
{
	int bad = ferror(stdout);
	int err = errno;

	if (fflush(stdout) != 0) {
		bad = 1;
		err = errno;
	}
	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (!bad)
		return status;
	fprintf(stderr, "tlsmedic: cannot write to standard output: %s\n",
	    err ? strerror(err) : "write error");
	return EXIT_OUTPUT;
}

int
main(int argc, char **argv)
{
	struct options o;
	char *cause = NULL;
	int status;

	fds_hold();
	setlocale(LC_ALL, "");
	/* A reset peer must be an error code, never a dead process. */
	signal(SIGPIPE, SIG_IGN);

	switch (cli_parse(argc, argv, &o, &cause)) {
	case CLI_EXIT_OK:
		cli_free(&o);
		return stdout_close(EXIT_NOTHING);
	case CLI_USAGE:
		/* The cause already ends with the pointer to --help. */
		fprintf(stderr, "tlsmedic: %s\n", cause ? cause :
		    "usage error");
		free(cause);
		cli_free(&o);
		return EXIT_USAGE;
	default:
		break;
	}

	if (o.explain) {
		status = EXIT_NOTHING;
		if (explain_print(stdout, o.explain_id) != 0) {
			const char *near = explain_suggest(o.explain_id);
			/* argv can hold escapes and be huge: echo it safe. */
			char *q = sanitize(o.explain_id, strlen(o.explain_id),
			    100);
			fprintf(stderr, "tlsmedic: no advice for \"%s\"", q);
			free(q);
			if (near != NULL)
				fprintf(stderr, "; did you mean \"%s\"?", near);
			fputs("\nTry 'tlsmedic --explain' for the list.\n", stderr);
			status = EXIT_USAGE;
		}
	} else if (o.demo) {
		status = run_demo(&o);
	} else if (o.batch || o.json) {
		if (!o.have_target) {
			fputs("tlsmedic: --batch and --json need a site to "
			    "test, e.g. tlsmedic --batch example.org\n"
			    "Try 'tlsmedic --help'.\n", stderr);
			status = EXIT_USAGE;
		} else
			status = run_batch(&o);
	} else {
		const char *term = getenv("TERM");
		if (term == NULL || strcmp(term, "dumb") == 0 ||
		    !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			o.plain = 1;
		status = wizard_run(&o, NULL);
	}
	cli_free(&o);
	return stdout_close(status);
}
