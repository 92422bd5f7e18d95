/* testsrv.h: start and stop real servers for tests, on loopback port 0.
 * The server must print its port on stdout within the deadline, either as
 * openssl s_server's "ACCEPT 127.0.0.1:PORT" / "ACCEPT [::]:PORT" or as a
 * line "PORT <n>" (our own test servers). Every wait is bounded. */
#ifndef TLSMEDIC_TESTSRV_H
#define TLSMEDIC_TESTSRV_H

#include <sys/types.h>

struct testsrv {
	pid_t pid;
	int port;
	int out_fd; /* the server's stdout, still open (drained on stop) */
};

/* argv[0] is looked up in PATH. Returns 0, or -1 (server gone or no port
 * within timeout_ms). The child gets its own process group. */
int testsrv_start(struct testsrv *s, char *const argv[], int timeout_ms);
/* SIGTERM, then SIGKILL after 2 s; reaps the pid. Safe on a zeroed s. */
void testsrv_stop(struct testsrv *s);

/* Run a shell command with a time bound (seconds); returns its exit status
 * or -1. For making certificates with openssl at test time. */
int testsrv_sh(int timeout_s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A fresh private directory under $TMPDIR (caller frees; removed by
 * testsrv_rmdir). */
char *testsrv_tmpdir(void);
void testsrv_rmdir(const char *dir);

#endif
