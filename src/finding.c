/* finding.c: strings and defaults generated from FINDING_TABLE. */
#include <string.h>

#include "finding.h"

#define FINDING_ROW(e, s, o, v) { s, o, v },
static const struct {
	const char *id;
	enum owner owner;
	enum severity severity;
} finding_rows[FINDING_COUNT] = { FINDING_TABLE(FINDING_ROW) };
#undef FINDING_ROW

const char *
finding_id_str(enum finding_id id)
{
	if ((unsigned)id >= FINDING_COUNT)
		return "unknown";
	return finding_rows[id].id;
}

enum owner
finding_default_owner(enum finding_id id)
{
	return finding_rows[id].owner;
}

enum severity
finding_default_severity(enum finding_id id)
{
	return finding_rows[id].severity;
}

int
finding_id_parse(const char *s)
{
	for (int i = 0; i < FINDING_COUNT; i++)
		if (strcmp(finding_rows[i].id, s) == 0)
			return i;
	return -1;
}

const char *
owner_str(enum owner o)
{
	static const char *const names[] = { "client", "server", "network" };
	return (unsigned)o < OWNER_COUNT ? names[o] : "unknown";
}

const char *
owner_title(enum owner o)
{
	static const char *const names[] = { "For you", "For the site owner",
		"For your network admin" };
	return (unsigned)o < OWNER_COUNT ? names[o] : "Other";
}

const char *
severity_str(enum severity s)
{
	static const char *const names[] = { "info", "warning", "error" };
	return (unsigned)s <= SEV_ERROR ? names[s] : "unknown";
}
