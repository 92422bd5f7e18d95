/* lab_batch.c: `tlsmedic --demo --batch` / `--json` -- run the real
 * diagnosis against every lab scenario and check that each one shows the
 * finding it promises. It is also the lab's end-to-end test. */
#include <langinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/wolfcrypt/ecc.h>

#include "diag.h"
#include "finding.h"
#include "lab.h"
#include "model.h"
#include "report.h"
#include "sanitize.h"
#include "trust.h"
#include "util.h"

#define BATCH_TIMEOUT_MS 5000 /* per connection; the lab is on loopback */

struct job {
	struct diag_opts o;
	const struct lab_scenario *sc;
	struct report *r;
	pthread_t thread;
	int started;
};

static void *
job_main(void *arg)
{
	struct job *j = arg;

	j->r = diag_run(&j->o);
	wc_ecc_fp_free(); /* wolfSSL's per-thread ECC cache (FP_ECC) */
	return NULL;
}

/* Does r show what the scenario promises (and no other warning or error)?
 * NULL when it does, else the reason (caller frees). */
static char *
batch_judge(const struct lab_scenario *sc, const struct report *r)
{
	struct strbuf got = { 0 };

	for (size_t i = 0; i < r->nfindings; i++)
		strbuf_printf(&got, "%s%s", i ? ", " : "",
		    finding_id_str(r->findings[i].id));
	if (got.len == 0)
		strbuf_printf(&got, "no finding");
	char *list = strbuf_steal(&got), *why = NULL;
	if (*sc->expected == '\0') {
		if (r->verdict != VERDICT_OK)
			why = xasprintf("expected verdict ok, got %s (%s)",
			    verdict_str(r->verdict), list);
	} else {
		int id = finding_id_parse(sc->expected);
		int others = 0;
		/* Exactly: the promised finding, and nothing else that is
		 * more than information. */
		for (size_t i = 0; i < r->nfindings; i++)
			if ((int)r->findings[i].id != id &&
			    r->findings[i].severity > SEV_INFO)
				others++;
		if (id < 0 || report_find(r, (enum finding_id)id) == NULL ||
		    others > 0)
			why = xasprintf("expected %s%s, got %s", sc->expected,
			    others ? " alone" : "", list);
	}
	free(list);
	return why;
}

int
lab_run_batch(struct lab *l, const char *only, int json, FILE *out)
{
	size_t n, njobs = 0;
	const struct lab_scenario *sc = lab_scenarios(&n);
	const char *pem = lab_root_pem(l);
	char *cause = NULL;
	int status = 0;

	struct trust *t = trust_load_pem(pem, strlen(pem), &cause);
	if (t == NULL) {
		fprintf(stderr, "tlsmedic: demo: %s\n",
		    cause ? cause : "cannot load the lab's root");
		free(cause);
		return 3;
	}
	struct job *jobs = xcalloc(n, sizeof *jobs);
	for (size_t i = 0; i < n; i++) {
		const char *host;
		int port;
		if (only != NULL && strcmp(only, sc[i].name) != 0)
			continue;
		if (lab_target(l, sc[i].name, &host, &port) != 0)
			continue;
		struct job *j = &jobs[njobs++];
		j->sc = &sc[i];
		j->o = (struct diag_opts){ .host = host, .port = port,
			.connect_addr = "127.0.0.1",
			.timeout_ms = BATCH_TIMEOUT_MS, .trust = t,
			.proxy = "" /* the lab is on this computer */ };
	}
	if (njobs == 0) {
		/* argv can hold escapes and be huge: echo it safe. */
		char *q = sanitize(only ? only : "", only ? strlen(only) : 0,
		    100);
		fprintf(stderr, "tlsmedic: no demo scenario named \"%s\" "
		    "(--demo=list names them)\n", q);
		free(q);
		free(jobs);
		trust_free(t);
		return 2;
	}

	/* Every scenario at once: each diagnosis bounds its own connections,
	 * and the lab serves each on its own thread. */
	for (size_t i = 0; i < njobs; i++)
		jobs[i].started = pthread_create(&jobs[i].thread, NULL,
		    job_main, &jobs[i]) == 0;
	for (size_t i = 0; i < njobs; i++) {
		if (jobs[i].started)
			pthread_join(jobs[i].thread, NULL);
		else
			job_main(&jobs[i]);
	}

	struct report **rs = xcalloc(njobs, sizeof *rs);
	int ascii = strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	for (size_t i = 0; i < njobs; i++) {
		struct job *j = &jobs[i];
		rs[i] = j->r;
		free(j->r->scenario);
		j->r->scenario = xstrdup(j->sc->name); /* our own ASCII */
		char *why = batch_judge(j->sc, j->r);
		if (why != NULL) {
			fprintf(stderr, "tlsmedic: demo %s: %s\n", j->sc->name,
			    why);
			free(why);
			status = 1;
		}
		if (!json) {
			char *text = report_text(j->r, ascii);
			fprintf(out, "%s== Demo: %s -- %s\n\n%s", i ? "\n" : "",
			    j->sc->name, j->sc->title, text);
			free(text);
		}
	}
	if (json) {
		char *text = report_json_array(rs, njobs);
		fputs(text, out);
		free(text);
	}
	fflush(out);
	for (size_t i = 0; i < njobs; i++)
		report_free(rs[i]);
	free(rs);
	free(jobs);
	trust_free(t);
	return status;
}
