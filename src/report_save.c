/* report_save.c: write a report to a file (see report.h).
 *
 * A report is often saved next to other files the user cares about, so we
 * never replace one by accident, never write through a symbolic link the
 * user did not confirm, and never leave a file half written: the report
 * goes to a temporary file in the same folder, is synced, and only then
 * renamed over the name (the old file stays whole until that instant). A
 * "saved" message means the bytes are on disk. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
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
	case EPIPE:
		return "nothing is reading from it";
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

static int
write_all(int fd, const char *text, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

/* Not a regular file (a device such as /dev/null, a FIFO): there is no
 * old file to keep, so write in place. O_NONBLOCK: a FIFO nobody reads is
 * an error (ENXIO), not a hang. */
static int
save_special(const char *path, const char *text, size_t len, char **cause)
{
	int fd, err;

	do
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
		    O_NOCTTY);
	while (fd == -1 && errno == EINTR);
	if (fd == -1)
		return save_fail(cause, path, errno == ENXIO ? EPIPE : errno);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (write_all(fd, text, len) != 0) {
		err = errno;
		close(fd);
		return save_fail(cause, path, err);
	}
	if (close(fd) != 0 && errno != EINTR)
		return save_fail(cause, path, errno);
	return 0;
}

/* The mode a new file gets from open(..., 0666): mkstemp makes 0600. */
static mode_t
new_file_mode(void)
{
	mode_t m = umask(022);

	umask(m);
	return 0666 & ~m;
}

/* Write text to a temporary file in dir; *tmp is its name. */
static int
save_temp(const char *dir, const char *text, size_t len, mode_t mode,
    char **tmp)
{
	int fd, err;

	*tmp = xasprintf("%s/.tlsmedic-save.XXXXXX", dir);
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd == -1)
		goto fail_noclose;
	if (fchmod(fd, mode) != 0 || write_all(fd, text, len) != 0 ||
	    fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0 && errno != EINTR) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	err = errno;
	if (fd != -1)
		close(fd);
	unlink(*tmp);
	errno = err;
fail_noclose:
	err = errno;
	free(*tmp);
	*tmp = NULL;
	errno = err;
	return -1;
}

/* The link's target, relative to the link's folder; caller frees. */
static char *
link_target(const char *path)
{
	char buf[4096], *copy, *dir, *out;
	ssize_t n = readlink(path, buf, sizeof buf - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	if (buf[0] == '/')
		return xstrdup(buf);
	copy = xstrdup(path);
	dir = dirname(copy);
	out = xasprintf("%s/%s", dir, buf);
	free(copy);
	return out;
}

static int
save_at(const char *path, const char *text, int flags, int depth,
    char **cause)
{
	size_t len = text ? strlen(text) : 0;
	struct stat st;
	int exists, err;
	char *copy, *tmp = NULL;

	if (lstat(path, &st) == 0)
		exists = 1;
	else if (errno == ENOENT)
		exists = 0;
	else
		return save_fail(cause, path, errno);
	if (exists && S_ISLNK(st.st_mode)) {
		char *target;
		int rc;

		if (!(flags & REPORT_SAVE_FOLLOW))
			return 2;
		if (depth >= 8 || (target = link_target(path)) == NULL)
			return save_fail(cause, path, ELOOP);
		rc = save_at(target, text, flags | REPORT_SAVE_REPLACE,
		    depth + 1, cause);
		free(target);
		return rc;
	}
	if (exists && S_ISDIR(st.st_mode))
		return save_fail(cause, path, EISDIR);
	if (exists && !(flags & REPORT_SAVE_REPLACE))
		return 1;
	if (exists && !S_ISREG(st.st_mode))
		return save_special(path, text, len, cause);

	copy = xstrdup(path);
	if (save_temp(dirname(copy), text, len, exists ?
	    (st.st_mode & 07777) : new_file_mode(), &tmp) != 0) {
		err = errno;
		free(copy);
		/* A missing folder says ENOENT for the temporary file. */
		return save_fail(cause, path, err);
	}
	if (exists)
		err = rename(tmp, path) == 0 ? 0 : errno;
	else if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
	    RENAME_NOREPLACE) == 0)
		err = 0;
	else if (errno == EINVAL || errno == ENOSYS) {
		/* A file system without RENAME_NOREPLACE: link() does not
		 * replace either. */
		err = link(tmp, path) == 0 ? 0 : errno;
		unlink(tmp);
	} else
		err = errno;
	if (err != 0)
		unlink(tmp);
	free(tmp);
	if (err == EEXIST) { /* created meanwhile: ask again */
		free(copy);
		return 1;
	}
	if (err == 0) {
		/* The new name itself must survive a crash too. */
		int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
		if (dfd != -1) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	free(copy);
	return err ? save_fail(cause, path, err) : 0;
}

int
report_save(const char *path, const char *text, int flags, char **cause)
{
	*cause = NULL;
	if (path == NULL || *path == '\0') {
		*cause = xstrdup("cannot save: no file name was given");
		return -1;
	}
	return save_at(path, text, flags, 0, cause);
}
