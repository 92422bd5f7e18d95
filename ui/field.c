/* field.c: a one-line text box (see field.h). */
#include <string.h>

#include "field.h"

void
field_set(struct field *f, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n >= FIELD_MAX)
		n = FIELD_MAX - 1;
	/* never end in the middle of a code point */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		memcpy(f->buf, s, n);
	f->buf[n] = '\0';
	f->len = f->cur = n;
}

static size_t
encode(long c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static size_t
prev_cp(const struct field *f, size_t at)
{
	while (at > 0) {
		at--;
		if (((unsigned char)f->buf[at] & 0xc0) != 0x80)
			break;
	}
	return at;
}

static size_t
next_cp(const struct field *f, size_t at)
{
	if (at < f->len)
		at++;
	while (at < f->len && ((unsigned char)f->buf[at] & 0xc0) == 0x80)
		at++;
	return at;
}

int
field_key(struct field *f, long key)
{
	size_t p;
	char enc[4];
	size_t n;

	switch (key) {
	case FK_LEFT:
		p = prev_cp(f, f->cur);
		break;
	case FK_RIGHT:
		p = next_cp(f, f->cur);
		break;
	case FK_HOME:
		p = 0;
		break;
	case FK_END:
		p = f->len;
		break;
	case FK_BACKSPACE:
		if (f->cur == 0)
			return 0;
		p = prev_cp(f, f->cur);
		memmove(f->buf + p, f->buf + f->cur, f->len - f->cur + 1);
		f->len -= f->cur - p;
		f->cur = p;
		return 1;
	case FK_DELETE:
		if (f->cur == f->len)
			return 0;
		p = next_cp(f, f->cur);
		memmove(f->buf + f->cur, f->buf + p, f->len - p + 1);
		f->len -= p - f->cur;
		return 1;
	case FK_KILL:
		if (f->len == 0)
			return 0;
		f->buf[0] = '\0';
		f->len = f->cur = 0;
		return 1;
	default:
		if (key < 0x20 || key == 0x7f || (key >= 0x80 && key < 0xa0) ||
		    key > 0x10ffff || (key >= 0xd800 && key <= 0xdfff))
			return 0;
		n = encode(key, enc);
		if (f->len + n >= FIELD_MAX)
			return 0;
		memmove(f->buf + f->cur + n, f->buf + f->cur,
		    f->len - f->cur + 1);
		memcpy(f->buf + f->cur, enc, n);
		f->len += n;
		f->cur += n;
		return 1;
	}
	if (p == f->cur)
		return 0;
	f->cur = p;
	return 1;
}

size_t
field_col(const struct field *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->cur; i++)
		if (((unsigned char)f->buf[i] & 0xc0) != 0x80)
			n++;
	return n;
}
