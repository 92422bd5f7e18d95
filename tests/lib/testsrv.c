/* testsrv.c: see testsrv.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testsrv.h"

static long long
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
parse_port(const char *line)
{
	const char *p;

	if (strncmp(line, "PORT ", 5) == 0)
		return atoi(line + 5);
	if (strncmp(line, "ACCEPT ", 7) == 0 && (p = strrchr(line, ':')) != NULL)
		return atoi(p + 1);
	return 0;
}

int
testsrv_start(struct testsrv *s, char *const argv[], int timeout_ms)
{
	int fds[2];
	char buf[1024];
	size_t len = 0;
	long long deadline = mono_ms() + timeout_ms;

	memset(s, 0, sizeof *s);
	s->out_fd = -1;
	if (pipe(fds) != 0)
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		setpgid(0, 0);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			/* Servers' chatter only when asked for. */
			if (getenv("TESTSRV_VERBOSE") == NULL)
				dup2(null, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	s->out_fd = fds[0];
	while (mono_ms() < deadline && len < sizeof buf - 1) {
		struct pollfd pfd = { .fd = s->out_fd, .events = POLLIN };
		int left = (int)(deadline - mono_ms());
		if (poll(&pfd, 1, left > 0 ? left : 0) <= 0)
			break;
		ssize_t n = read(s->out_fd, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if ((s->port = parse_port(line)) > 0) {
				/* Keep draining so the server never blocks on
				 * a full pipe. */
				fcntl(s->out_fd, F_SETFL, O_NONBLOCK);
				return 0;
			}
			line = nl + 1;
		}
		memmove(buf, line, strlen(line) + 1);
		len = strlen(buf);
	}
	testsrv_stop(s);
	return -1;
}

void
testsrv_stop(struct testsrv *s)
{
	if (s->pid > 0) {
		kill(-s->pid, SIGTERM);
		kill(s->pid, SIGTERM);
		for (int i = 0; i < 200; i++) { /* 2 s, bounded */
			if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
				s->pid = 0;
				break;
			}
			usleep(10000);
		}
		if (s->pid > 0) {
			kill(-s->pid, SIGKILL);
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
		}
	}
	s->pid = 0;
	if (s->out_fd >= 0)
		close(s->out_fd);
	s->out_fd = -1;
}

int
testsrv_sh(int timeout_s, const char *fmt, ...)
{
	char cmd[8192], full[8400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	snprintf(full, sizeof full, "timeout %d sh -c '%s' >/dev/null 2>&1",
	    timeout_s, cmd);
	int st = system(full);
	return (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
}

char *
testsrv_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *d = malloc(4096);

	if (d == NULL)
		return NULL;
	snprintf(d, 4096, "%s/tlsmedic-test-XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(d) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
testsrv_rmdir(const char *dir)
{
	if (dir != NULL && strstr(dir, "tlsmedic-test-") != NULL)
		testsrv_sh(10, "rm -rf \"%s\"", dir);
}
