/* report_save.c: write a report to a file (see report.h).
 *
 * A report is often saved next to other files the user cares about, so we
 * never replace one by accident (O_EXCL), and a "saved" message must mean
 * the bytes are on disk (full writes, fsync, close checked). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "sanitize.h"
#include "util.h"

static const char *
save_reason(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return "permission denied";
	case ENOSPC:
	case EDQUOT:
		return "the disk is full";
	case EISDIR:
		return "that is a folder, not a file";
	case ENOENT:
		return "the folder does not exist";
	case ENOTDIR:
		return "a part of the path is not a folder";
	case EROFS:
		return "the disk is read-only";
	case ENAMETOOLONG:
		return "the file name is too long";
	case ELOOP:
		return "too many symbolic links in the path";
	case EIO:
		return "the disk reported an error";
	default:
		return strerror(err);
	}
}

static int
save_fail(char **cause, const char *path, int err)
{
	char *q = sanitize(path, strlen(path), 200);

	*cause = xasprintf("cannot save to '%s': %s", q, save_reason(err));
	free(q);
	return -1;
}

int
report_save(const char *path, const char *text, int overwrite, char **cause)
{
	size_t len = text ? strlen(text) : 0, off = 0;
	int fd, err, flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY;
	struct stat st;

	*cause = NULL;
	if (path == NULL || *path == '\0') {
		*cause = xstrdup("cannot save: no file name was given");
		return -1;
	}
	flags |= overwrite ? O_TRUNC : O_EXCL;
	do
		fd = open(path, flags, 0644);
	while (fd == -1 && errno == EINTR);
	if (fd == -1) {
		err = errno;
		/* O_EXCL says EEXIST for a folder too; tell them apart. */
		if (err == EEXIST) {
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				return save_fail(cause, path, EISDIR);
			return 1;
		}
		return save_fail(cause, path, err);
	}
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			goto fail;
		}
		off += (size_t)n;
	}
	/* EINVAL: not a file that can be synced (a pipe, /dev/null). */
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
		err = errno;
		goto fail;
	}
	if (close(fd) != 0 && errno != EINTR) {
		err = errno;
		fd = -1;
		goto fail;
	}
	return 0;

fail:
	if (fd != -1)
		close(fd);
	/* Do not leave half a report behind that we created ourselves. */
	if (!overwrite)
		unlink(path);
	return save_fail(cause, path, err);
}
