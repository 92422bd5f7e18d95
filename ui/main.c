/* main.c: tlsmedic's entry point -- parse the command line, then hand the
 * work to one face: --explain, the demo lab, batch/JSON, or the wizard. */
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
#include "util.h"
#include "wizard.h"

enum { EXIT_NOTHING = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2, EXIT_UNTESTABLE = 3 };

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
	if (o->output != NULL &&
	    report_save(o->output, text, 1, &cause) != 0) {
		fprintf(stderr, "tlsmedic: %s\n", cause ? cause :
		    "cannot save the report");
		free(cause);
		return -1;
	}
	return 0;
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
		.proxy = o->proxy,
		.noproxy = o->noproxy,
	};
	struct report *r = diag_run(&d);
	char *text = o->json ? report_json(r) : report_text(r, 0);
	int status = exit_for(r);

	if (r->verdict == VERDICT_UNREACHABLE && r->error != NULL)
		fprintf(stderr, "tlsmedic: cannot test %s port %d: %s\n",
		    r->host, r->port, r->error);
	if (emit(o, text) != 0 && status == EXIT_NOTHING)
		status = EXIT_PROBLEMS;
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

int
main(int argc, char **argv)
{
	struct options o;
	char *cause = NULL;
	int status;

	setlocale(LC_ALL, "");
	/* A reset peer must be an error code, never a dead process. */
	signal(SIGPIPE, SIG_IGN);

	switch (cli_parse(argc, argv, &o, &cause)) {
	case CLI_EXIT_OK:
		cli_free(&o);
		return EXIT_NOTHING;
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
			fprintf(stderr, "tlsmedic: no advice for \"%s\"", o.explain_id);
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
	return status;
}
