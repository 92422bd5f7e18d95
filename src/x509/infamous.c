/* infamous.c: matching the infamous-root table (see infamous.h). */
#include <string.h>

#include "x509/infamous.h"

const struct infamous_root *
infamous_match(const char *dn, const char *spki_hex)
{
	for (size_t i = 0; i < infamous_nroots; i++) {
		const struct infamous_root *e = &infamous_roots[i];

		if (e->spki_sha256 != NULL) {
			if (spki_hex != NULL &&
			    strcmp(e->spki_sha256, spki_hex) == 0)
				return e;
			continue;
		}
		if (dn != NULL && strcasestr(dn, e->pattern) != NULL)
			return e;
	}
	return NULL;
}
