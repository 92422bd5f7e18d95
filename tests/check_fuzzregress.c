/* check_fuzzregress.c: replay fuzz inputs through the fuzz targets' own
 * entry points (the fuzz/NAME-fuzzer.c files are included here with
 * FUZZ_NO_ENTRY), so every crash the fuzzers found stays fixed:
 *   fuzz/regress/NAME/...  reproducers of fixed crashes (see the README)
 *   fuzz/corpus/NAME/...   the committed seeds (every target still runs)
 * Reproducers of crashes not fixed yet wait in fuzz/regress-open/, which
 * is not replayed (make check stays green); see fuzz/regress/README.
 * One forked test per target: a crash or a broken invariant (abort) fails
 * that target's test; FUZZREGRESS_VERBOSE=1 names each file replayed. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NO_ENTRY
#include "../fuzz/chain-fuzzer.c"
#include "../fuzz/clock-fuzzer.c"
#include "../fuzz/hello-fuzzer.c"
#include "../fuzz/httpget-fuzzer.c"
#include "../fuzz/proxy-fuzzer.c"
#include "../fuzz/revoke-fuzzer.c"
#include "../fuzz/sanitize-fuzzer.c"
#include "../fuzz/starttls-fuzzer.c"
#include "../fuzz/target-fuzzer.c"
#include "../fuzz/x509-fuzzer.c"
#include "checkutil.h"

static const struct {
	const char *name;
	int (*run)(const uint8_t *, size_t);
} targets[] = {
	{ "chain", fuzz_chain },
	{ "clock", fuzz_clock },
	{ "hello", fuzz_hello },
	{ "httpget", fuzz_httpget },
	{ "proxy", fuzz_proxy },
	{ "revoke", fuzz_revoke },
	{ "sanitize", fuzz_sanitize },
	{ "starttls", fuzz_starttls },
	{ "target", fuzz_target },
	{ "x509", fuzz_x509 },
};
#define NTARGETS (sizeof targets / sizeof targets[0])

static const char *
srcdir(void)
{
	const char *s = getenv("TLSMEDIC_SRCDIR");
	return s && *s ? s : ".";
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every file of dir (sorted; none is fine); returns how many. */
static size_t
replay_dir(const char *dir, int (*run)(const uint8_t *, size_t))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, done = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README") == 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		FILE *fp = fopen(path, "rb");
		struct strbuf b = { 0 };
		char buf[8192];
		size_t got;

		ck_assert_msg(fp != NULL, "cannot open %s", path);
		strbuf_add(&b, "", 0);
		while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
			strbuf_add(&b, buf, got);
		fclose(fp);
		/* Which input, should the next call crash: set
		 * FUZZREGRESS_VERBOSE=1 and run again. */
		if (getenv("FUZZREGRESS_VERBOSE") != NULL)
			fprintf(stderr, "replay %s\n", path);
		ck_assert_int_eq(run((const uint8_t *)b.s, b.len), 0);
		strbuf_free(&b);
		free(path);
		free(names[i]);
		done++;
	}
	free(names);
	return done;
}

START_TEST(replay_regress)
{
	char *dir = xasprintf("%s/fuzz/regress/%s", srcdir(),
	    targets[_i].name);

	(void)replay_dir(dir, targets[_i].run);
	free(dir);
}
END_TEST

START_TEST(replay_corpus)
{
	char *dir = xasprintf("%s/fuzz/corpus/%s", srcdir(),
	    targets[_i].name);

	/* Each target has committed seeds: an empty replay means the tree
	 * lost them, not that all is well. */
	ck_assert_msg(replay_dir(dir, targets[_i].run) > 0, "no seeds in %s",
	    dir);
	free(dir);
}
END_TEST

/* The reproducers kept for fixed crashes, checked by hand once so the
 * README and the files agree. */
START_TEST(regress_known)
{
	static const char *const files[] = {
		"revoke/crl-reason-cut-octet-string",
	};

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = xasprintf("%s/fuzz/regress/%s", srcdir(), files[i]);
		FILE *fp = fopen(p, "rb");
		ck_assert_msg(fp != NULL, "reproducer %s is missing", p);
		fclose(fp);
		free(p);
	}
}
END_TEST

static Suite *
fuzzregress_suite(void)
{
	Suite *s = suite_create("fuzzregress");
	TCase *tc = tcase_create("regress");

	/* Seeds of chain-fuzzer load the system trust store once and run
	 * the whole chain analysis: slow under valgrind. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, regress_known);
	tcase_add_loop_test(tc, replay_regress, 0, (int)NTARGETS);
	tcase_add_loop_test(tc, replay_corpus, 0, (int)NTARGETS);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	int status = checkutil_run(fuzzregress_suite());

	if (fuzz_trust != NULL)
		trust_free(fuzz_trust);
	return status;
}
