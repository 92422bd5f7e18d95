/* check_failsafe.c: issue 14, one regression test per item that a unit can
 * show -- a check left running is not a pass; saving is atomic and refuses
 * symbolic links; files are read without blocking; our own failures are
 * noted; the sanitizer escapes every Cf/Zl/Zp code point of the machine's
 * python3 unicodedata; IDN names become A-labels; several --resolve add
 * up. The whole-program side is tests/failsafe/run and signals. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <wolfssl/wolfcrypt/error-crypt.h>

#include "cli.h"
#include "idn.h"
#include "model.h"
#include "ownfail.h"
#include "report.h"
#include "safefile.h"
#include "sanitize.h"
#include "target.h"
#include "util.h"
#include "checkutil.h"

static char *dir;

static void
dir_setup(void)
{
	char tmpl[] = "/tmp/check_failsafe_XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	dir = xstrdup(tmpl);
}

static void
dir_teardown(void)
{
	char *cmd = xasprintf("umount '%s/small' 2>/dev/null; rm -rf '%s'",
	    dir, dir);

	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	free(dir);
}

static char *
slurp(const char *path)
{
	size_t len;
	char *why, *buf;

	ck_assert_int_eq(safefile_read(path, 1 << 20, &buf, &len, &why), 0);
	return buf;
}

static void
spit(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/* Files in dir whose name starts with ".tlsmedic-save": temporaries. */
static int
temporaries(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)) != NULL)
		if (strncmp(de->d_name, ".tlsmedic-save", 14) == 0)
			n++;
	closedir(dp);
	return n;
}

/* --- item 1: no false ok --------------------------------------------- */

START_TEST(running_check_is_not_a_pass)
{
	struct report *r = report_new();

	r->checks[CHECK_CONNECT] = CHECK_PASSED;
	r->checks[CHECK_PROTOCOLS] = CHECK_PASSED;
	r->checks[CHECK_CIPHERS] = CHECK_PASSED;
	r->checks[CHECK_CERT] = CHECK_RUNNING; /* never settled */
	report_finish(r);
	ck_assert_int_eq(r->checks[CHECK_CERT], CHECK_SKIPPED);
	ck_assert_ptr_nonnull(r->check_reason[CHECK_CERT]);
	ck_assert_int_eq(r->verdict, VERDICT_INCOMPLETE);
	/* a check nobody tracks (WAITING) still passes honestly */
	ck_assert_int_eq(r->checks[CHECK_SNI], CHECK_PASSED);
	report_free(r);
}
END_TEST

START_TEST(skip_keeps_its_reason)
{
	struct report *r = report_new();

	report_skip(r, CHECK_CERT, "tlsmedic could not load the trust store");
	report_finish(r);
	ck_assert_int_eq(r->checks[CHECK_CERT], CHECK_SKIPPED);
	ck_assert_str_eq(r->check_reason[CHECK_CERT],
	    "tlsmedic could not load the trust store");
	ck_assert_int_ne(r->verdict, VERDICT_OK);
	report_free(r);
}
END_TEST

/* --- item 3: saving --------------------------------------------------- */

START_TEST(save_replaces_atomically)
{
	char *path = xasprintf("%s/r.txt", dir), *cause = NULL, *got;
	struct stat st;

	spit(path, "old\n");
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(report_save(path, "new\n", REPORT_SAVE_REPLACE,
	    &cause), 0);
	got = slurp(path);
	ck_assert_str_eq(got, "new\n");
	free(got);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640); /* the mode is kept */
	ck_assert_int_eq(temporaries(dir), 0);
	free(path);
}
END_TEST

START_TEST(save_refuses_links)
{
	char *target = xasprintf("%s/target.txt", dir);
	char *link = xasprintf("%s/link.txt", dir);
	char *dangling = xasprintf("%s/dangling.txt", dir);
	char *nowhere = xasprintf("%s/nowhere.txt", dir);
	char *cause = NULL, *got;

	spit(target, "keep me\n");
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(symlink(nowhere, dangling), 0);
	/* -o's flags: replace, but never through a link */
	ck_assert_int_eq(report_save(link, "x\n", REPORT_SAVE_REPLACE, &cause),
	    2);
	ck_assert_int_eq(report_save(dangling, "x\n", REPORT_SAVE_REPLACE,
	    &cause), 2);
	ck_assert_int_eq(access(nowhere, F_OK), -1); /* not created */
	got = slurp(target);
	ck_assert_str_eq(got, "keep me\n");
	free(got);
	/* the wizard's user said yes: through the link, atomically */
	ck_assert_int_eq(report_save(link, "y\n", REPORT_SAVE_REPLACE |
	    REPORT_SAVE_FOLLOW, &cause), 0);
	got = slurp(target);
	ck_assert_str_eq(got, "y\n");
	free(got);
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode)); /* the link itself stays */
	ck_assert_int_eq(temporaries(dir), 0);
	free(target);
	free(link);
	free(dangling);
	free(nowhere);
}
END_TEST

/* A full disk: a tiny tmpfs when we are root and may mount, else the
 * part /dev/full can show. The old file must stay whole. */
START_TEST(save_full_disk_keeps_old_file)
{
	char *small = xasprintf("%s/small", dir);
	char *path = xasprintf("%s/report.txt", small);
	char *cause = NULL, *got, *old, *big;

	ck_assert_int_eq(mkdir(small, 0700), 0);
	if (geteuid() != 0 || mount("tmpfs", small, "tmpfs", 0,
	    "size=8k") != 0) {
		fprintf(stderr, "save_full_disk_keeps_old_file: no tmpfs "
		    "(needs root and mount); /dev/full only\n");
		if (access("/dev/full", W_OK) == 0) {
			ck_assert_int_eq(report_save("/dev/full", "x",
			    REPORT_SAVE_REPLACE, &cause), -1);
			ck_assert_ptr_nonnull(strstr(cause, "disk is full"));
			free(cause);
		}
		free(small);
		free(path);
		return;
	}
	old = xmalloc(3001);
	memset(old, 'o', 3000);
	old[3000] = '\0';
	spit(path, old);
	big = xmalloc(64 * 1024 + 1);
	memset(big, 'n', 64 * 1024);
	big[64 * 1024] = '\0';
	ck_assert_int_eq(report_save(path, big, REPORT_SAVE_REPLACE, &cause),
	    -1);
	ck_assert_ptr_nonnull(strstr(cause, "disk is full"));
	free(cause);
	got = slurp(path);
	ck_assert_str_eq(got, old); /* whole, not the first 4096 bytes */
	free(got);
	ck_assert_int_eq(temporaries(small), 0);
	/* a new name on the full disk: nothing left behind */
	char *fresh = xasprintf("%s/new.txt", small);
	ck_assert_int_eq(report_save(fresh, big, 0, &cause), -1);
	free(cause);
	ck_assert_int_eq(access(fresh, F_OK), -1);
	ck_assert_int_eq(temporaries(small), 0);
	free(fresh);
	umount(small);
	free(old);
	free(big);
	free(small);
	free(path);
}
END_TEST

/* --- item 5: files we read -------------------------------------------- */

START_TEST(read_never_blocks)
{
	char *fifo = xasprintf("%s/fifo", dir);
	char *big = xasprintf("%s/big", dir);
	char *ok = xasprintf("%s/ok", dir);
	char *buf, *why;
	size_t len;
	int fd;

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	/* a FIFO with no writer: open() would block without O_NONBLOCK */
	alarm(5);
	ck_assert_int_eq(safefile_read(fifo, SAFEFILE_MAX, &buf, &len, &why),
	    -1);
	ck_assert_ptr_nonnull(strstr(why, "FIFO"));
	free(why);
	ck_assert_int_eq(safefile_read("/dev/zero", SAFEFILE_MAX, &buf, &len,
	    &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "device"));
	free(why);
	ck_assert_int_eq(safefile_read("/dev/null", SAFEFILE_MAX, &buf, &len,
	    &why), -1);
	free(why);
	alarm(0);
	fd = open(big, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(ftruncate(fd, SAFEFILE_MAX + 1), 0);
	close(fd);
	ck_assert_int_eq(safefile_read(big, SAFEFILE_MAX, &buf, &len, &why),
	    -1);
	ck_assert_ptr_nonnull(strstr(why, "larger"));
	free(why);
	spit(ok, "abc");
	ck_assert_int_eq(safefile_read(ok, SAFEFILE_MAX, &buf, &len, &why), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(buf, "abc");
	free(buf);
	free(fifo);
	free(big);
	free(ok);
}
END_TEST

/* --- item 4: our own failures ----------------------------------------- */

START_TEST(ownfail_notes_ours_only)
{
	ownfail_reset();
	ck_assert_ptr_null(ownfail_reason());
	ck_assert_int_eq(ownfail_errno(ECONNREFUSED), 0); /* the server's */
	ck_assert_int_eq(ownfail_wolf(-188), 0);
	ck_assert_ptr_null(ownfail_reason());
	ck_assert_int_eq(ownfail_errno(EMFILE), 1);
	ck_assert_ptr_nonnull(strstr(ownfail_reason(), "open files"));
	ck_assert_int_eq(ownfail_wolf(MEMORY_E), 1);
	/* the first reason is kept */
	ck_assert_ptr_nonnull(strstr(ownfail_reason(), "open files"));
	ownfail_reset();
	ck_assert_int_eq(ownfail_wolf(MEMORY_E), 1);
	ck_assert_ptr_nonnull(strstr(ownfail_reason(), "memory"));
	ownfail_reset();
}
END_TEST

/* --- item 7: the sanitizer -------------------------------------------- */

static int
escaped(unsigned cp)
{
	char in[8], *out;
	int n, esc;

	if (cp < 0x80) {
		in[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		in[0] = (char)(0xc0 | cp >> 6);
		in[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		in[0] = (char)(0xe0 | cp >> 12);
		in[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		in[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		in[0] = (char)(0xf0 | cp >> 18);
		in[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		in[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		in[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	out = sanitize(in, (size_t)n, 64);
	esc = out[0] == '\\';
	free(out);
	return esc;
}

START_TEST(sanitize_invisible_named)
{
	static const unsigned cps[] = { 0x00AD, 0x061C, 0x200B, 0x200C,
		0x200D, 0x200E, 0x200F, 0x202A, 0x202E, 0x2028, 0x2029, 0x2060,
		0x2064, 0x2066, 0x2069, 0xFEFF, 0xFFF9, 0xFFFB, 0xE0001,
		0xE0041, 0xE007F, 0x85, 0x9B };

	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++)
		ck_assert_msg(escaped(cps[i]), "U+%04X not escaped", cps[i]);
	/* visible text stays as it is */
	ck_assert(!escaped('a'));
	ck_assert(!escaped(0xFC));    /* ü */
	ck_assert(!escaped(0x4E2D));  /* 中 */
	ck_assert(!escaped(0x1F512)); /* a lock emoji */
}
END_TEST

/* Every Cf, Zl and Zp code point the machine's python3 knows. */
START_TEST(sanitize_against_unicodedata)
{
	FILE *p = popen("python3 -c 'import unicodedata as u\n"
	    "for c in range(0x110000):\n"
	    "  if u.category(chr(c)) in (\"Cf\",\"Zl\",\"Zp\"): print(c)'"
	    " 2>/dev/null", "r");
	unsigned cp, n = 0, bad = 0;

	if (p == NULL) {
		fprintf(stderr, "sanitize_against_unicodedata: skipped (no "
		    "python3)\n");
		return;
	}
	while (fscanf(p, "%u", &cp) == 1) {
		n++;
		if (!escaped(cp)) {
			if (bad++ < 10)
				fprintf(stderr, "U+%04X (Cf/Zl/Zp) is not "
				    "escaped: rerun tests/gen-invisible.py\n",
				    cp);
		}
	}
	if (pclose(p) != 0 || n == 0) {
		fprintf(stderr, "sanitize_against_unicodedata: skipped (no "
		    "python3)\n");
		return;
	}
	ck_assert_uint_gt(n, 150);
	ck_assert_uint_eq(bad, 0);
}
END_TEST

/* --- item 8: IDN ------------------------------------------------------- */

START_TEST(idn_alabel)
{
	struct target t;
	char *cause = NULL, *u;

	ck_assert_int_eq(target_parse("b\xc3\xbc" "cher.example", &t, &cause),
	    0);
	ck_assert_str_eq(t.host, "xn--bcher-kva.example");
	target_clear(&t);
	/* non-transitional (browsers): ß stays ß, not "ss" */
	ck_assert_int_eq(target_parse("https://stra\xc3\x9f" "e.example/",
	    &t, &cause), 0);
	ck_assert_str_eq(t.host, "xn--strae-oqa.example");
	target_clear(&t);
	u = idn_to_ulabel("xn--bcher-kva.example");
	ck_assert_str_eq(u, "b\xc3\xbc" "cher.example");
	free(u);
	ck_assert_ptr_null(idn_to_ulabel("example.org"));
	/* invalid: a usage error that says so, sanitized */
	ck_assert_int_eq(target_parse("xn--a.example", &t, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "international domain name"));
	free(cause);
	ck_assert_int_eq(target_parse("a\xe2\x80\xae" "b.example", &t,
	    &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "\\u{202E}"));
	free(cause);
}
END_TEST

/* --- item 9: URLs and --resolve ---------------------------------------- */

START_TEST(url_backslash_is_slash)
{
	struct target t;
	char *cause = NULL;

	ck_assert_int_eq(target_parse("https://evil.test\\@127.0.0.1/", &t,
	    &cause), 0);
	ck_assert_str_eq(t.host, "evil.test");
	target_clear(&t);
	ck_assert_int_eq(target_parse("https://u:p@a@good.test:8443/", &t,
	    &cause), 0);
	ck_assert_str_eq(t.host, "good.test");
	ck_assert_int_eq(t.port, 8443);
	target_clear(&t);
}
END_TEST

/* cli_parse on a NULL-terminated list (argv must be writable). */
static enum cli_result
parse(struct options *o, const char *const *args)
{
	char *argv[16], *cause = NULL;
	int argc = 0;
	enum cli_result rc;

	argv[argc++] = xstrdup("tlsmedic");
	for (; *args != NULL && argc < 15; args++)
		argv[argc++] = xstrdup(*args);
	argv[argc] = NULL;
	rc = cli_parse(argc, argv, o, &cause);
	free(cause);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return rc;
}

START_TEST(resolve_adds_up)
{
	static const char *const a1[] = { "--resolve", "a.test:443:192.0.2.1",
		"--resolve", "good.test:443:192.0.2.2", "--resolve",
		"z.test:443:192.0.2.3", "good.test", NULL };
	static const char *const a2[] = { "--resolve",
		"good.test:443:192.0.2.1", "--resolve",
		"good.test:443:192.0.2.9", "good.test", NULL };
	static const char *const a3[] = { "--batch", "-o", "-", "good.test",
		NULL };
	struct options o;

	ck_assert_int_eq(parse(&o, a1), CLI_RUN);
	ck_assert_int_eq(o.have_resolve, 1);
	ck_assert_str_eq(o.resolve.host, "good.test");
	ck_assert_str_eq(o.resolve.addr, "192.0.2.2");
	cli_free(&o);
	/* the same HOST:PORT twice: the later one, as curl */
	ck_assert_int_eq(parse(&o, a2), CLI_RUN);
	ck_assert_str_eq(o.resolve.addr, "192.0.2.9");
	cli_free(&o);
	/* -o - is accepted (stdout, handled by main) */
	ck_assert_int_eq(parse(&o, a3), CLI_RUN);
	ck_assert_str_eq(o.output, "-");
	cli_free(&o);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("failsafe");
	TCase *model = tcase_create("model");
	TCase *files = tcase_create("files");
	TCase *text = tcase_create("text");

	tcase_add_test(model, running_check_is_not_a_pass);
	tcase_add_test(model, skip_keeps_its_reason);
	tcase_add_test(model, ownfail_notes_ours_only);
	tcase_add_checked_fixture(files, dir_setup, dir_teardown);
	tcase_add_test(files, save_replaces_atomically);
	tcase_add_test(files, save_refuses_links);
	tcase_add_test(files, save_full_disk_keeps_old_file);
	tcase_add_test(files, read_never_blocks);
	tcase_set_timeout(text, 60);
	tcase_add_test(text, sanitize_invisible_named);
	tcase_add_test(text, sanitize_against_unicodedata);
	tcase_add_test(text, idn_alabel);
	tcase_add_test(text, url_backslash_is_slash);
	tcase_add_test(text, resolve_adds_up);
	suite_add_tcase(s, model);
	suite_add_tcase(s, files);
	suite_add_tcase(s, text);
	return checkutil_run(s);
}
