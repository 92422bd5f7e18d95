/* idn.c: see idn.h. */
#include <idn2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idn.h"
#include "util.h"

int
idn_is_idn(const char *host)
{
	const char *p;

	if (host == NULL)
		return 0;
	for (p = host; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return 1;
	for (p = host; p != NULL; p = strchr(p, '.')) {
		if (*p == '.')
			p++;
		if (strncasecmp(p, "xn--", 4) == 0)
			return 1;
	}
	return 0;
}

char *
idn_to_alabel(const char *host, char **cause)
{
	char *out = NULL, *ret;
	int rc;

	*cause = NULL;
	/* Non-transitional, as browsers: "straße" stays ß (xn--strae-oqa). */
	rc = idn2_to_ascii_8z(host, &out, IDN2_NONTRANSITIONAL |
	    IDN2_NFC_INPUT);
	if (rc != IDN2_OK) {
		*cause = xstrdup(idn2_strerror(rc));
		return NULL;
	}
	ret = xstrdup(out);
	idn2_free(out);
	for (char *p = ret; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return ret;
}

char *
idn_to_ulabel(const char *host)
{
	char *out = NULL, *ret;

	if (host == NULL || !idn_is_idn(host))
		return NULL;
	if (idn2_to_unicode_8z8z(host, &out, 0) != IDN2_OK || out == NULL)
		return NULL;
	ret = strcmp(out, host) != 0 ? xstrdup(out) : NULL;
	idn2_free(out);
	return ret;
}
