/* sanitize.c: see sanitize.h. A hand-rolled UTF-8 decoder, because
 * mbrtowc depends on the locale and we must be strict in every locale. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "sanitize_invisible.h"
#include "util.h"

/* Invisible or direction-changing (Cf, Zl, Zp, other default-ignorable
 * code points): they can hide or reorder text on screen. */
static int
is_invisible(uint32_t cp)
{
	size_t lo = 0, hi = sizeof invisible / sizeof *invisible;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < invisible[mid].lo)
			hi = mid;
		else if (cp > invisible[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Decode one UTF-8 sequence; returns its length, or 0 if invalid. */
static size_t
utf8_decode(const unsigned char *p, size_t left, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		n = 2, c = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3, c = p[0] & 0x0f, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4, c = p[0] & 0x07, min = 0x10000;
	} else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static char *
sanitize_impl(const char *s, size_t len, size_t max_out, int ascii)
{
	struct strbuf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	char tmp[16];

	if (max_out < 8)
		max_out = 8;
	strbuf_add(&b, "", 0);
	while (i < len) {
		uint32_t cp;
		size_t n = s ? utf8_decode(p + i, len - i, &cp) : 0;
		const char *out;
		size_t outlen;

		if (n == 0) {
			snprintf(tmp, sizeof tmp, "\\x%02X", p[i]);
			out = tmp, outlen = 4, n = 1;
		} else if (cp < 0x20 || cp == 0x7f) {
			snprintf(tmp, sizeof tmp, "\\x%02X", (unsigned)cp);
			out = tmp, outlen = 4;
		} else if (cp == '\\') {
			out = "\\\\", outlen = 2;
		} else if ((cp >= 0x80 && cp < 0xa0) || is_invisible(cp) ||
		    (ascii && cp >= 0x80)) {
			/* C1 controls, invisible characters, line separators
			 * and bidi controls can reorder or hide text. */
			outlen = (size_t)snprintf(tmp, sizeof tmp, "\\u{%X}",
			    (unsigned)cp);
			out = tmp;
		} else {
			out = (const char *)p + i, outlen = n;
		}
		if (b.len + outlen > max_out - 3) {
			strbuf_puts(&b, "...");
			break;
		}
		strbuf_add(&b, out, outlen);
		i += n;
	}
	return strbuf_steal(&b);
}

char *
sanitize(const char *s, size_t len, size_t max_out)
{
	return sanitize_impl(s, len, max_out, 0);
}

char *
sanitize_ascii(const char *s, size_t len, size_t max_out)
{
	return sanitize_impl(s, len, max_out, 1);
}

/* 1 when s is what sanitize() makes: valid UTF-8 without C0, DEL, C1, line
 * separators or bidi controls. */
static int
is_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0) || (cp >= 0x2028 &&
		    cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return 0;
		i += n;
	}
	return 1;
}

char *
sanitize_once(const char *s, size_t max_out, int ascii)
{
	struct strbuf b = { 0 };
	size_t len = s ? strlen(s) : 0, i = 0;

	if (max_out < 8)
		max_out = 8;
	if (!is_clean(s, len))
		return sanitize_impl(s, len, max_out, ascii);
	strbuf_add(&b, "", 0);
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i,
		    &cp);
		char tmp[16];
		const char *out = s + i;
		size_t outlen = n;

		if (ascii && cp >= 0x80) {
			outlen = (size_t)snprintf(tmp, sizeof tmp, "\\u{%X}",
			    (unsigned)cp);
			out = tmp;
		}
		strbuf_add(&b, out, outlen);
		i += n;
	}
	if (b.len > max_out) {
		/* cut at a code point, as sanitize() does */
		size_t cut = max_out - 3;

		while (cut > 0 && ((unsigned char)b.s[cut] & 0xc0) == 0x80)
			cut--;
		b.len = cut;
		b.s[cut] = '\0';
		strbuf_puts(&b, "...");
	}
	return strbuf_steal(&b);
}
