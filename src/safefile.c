/* safefile.c: see safefile.h. open() itself can block (a FIFO with no
 * writer), so it is non-blocking; fstat on the open descriptor then
 * decides, so a file swapped after a stat() cannot slip through. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ownfail.h"
#include "safefile.h"
#include "util.h"

static const char *
file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static int
fail(char **why, int err, char *msg)
{
	*why = msg;
	errno = err;
	return -1;
}

int
safefile_read(const char *path, size_t max, char **buf, size_t *len,
    char **why)
{
	struct stat st;
	size_t off = 0;
	char *b;
	int fd, err;

	*buf = NULL;
	*len = 0;
	*why = NULL;
	do
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	while (fd == -1 && errno == EINTR);
	if (fd == -1) {
		err = errno;
		(void)ownfail_errno(err);
		return fail(why, err, xstrdup(err == ENOENT ? "there is no "
		    "such file" : err == EACCES ? "permission denied" :
		    strerror(err)));
	}
	if (fstat(fd, &st) != 0) {
		err = errno;
		close(fd);
		return fail(why, err, xstrdup(strerror(err)));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(why, EINVAL, xasprintf("it is %s, not a regular "
		    "file", file_kind(st.st_mode)));
	}
	if (st.st_size < 0 || (unsigned long long)st.st_size > max) {
		close(fd);
		return fail(why, EFBIG, xasprintf("it is larger than %zu MB",
		    max >> 20));
	}
	/* The size may change under us: read what fits, then check EOF. */
	b = malloc((size_t)st.st_size + 1);
	if (b == NULL) {
		ownfail_note("out of memory");
		close(fd);
		return fail(why, ENOMEM, xstrdup("not enough memory to read "
		    "it"));
	}
	for (;;) {
		ssize_t n = read(fd, b + off, (size_t)st.st_size + 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			free(b);
			close(fd);
			return fail(why, err, xstrdup(strerror(err)));
		}
		if (n == 0)
			break;
		off += (size_t)n;
		if (off > (size_t)st.st_size) { /* it grew while we read */
			free(b);
			close(fd);
			return fail(why, EFBIG, xstrdup("it changed while "
			    "tlsmedic read it"));
		}
	}
	close(fd);
	b[off] = '\0';
	*buf = b;
	*len = off;
	return 0;
}
