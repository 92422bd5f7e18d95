/* target.c: what the user typed -> host and port (see target.h).
 *
 * People paste whatever their browser or a ticket shows them, so we accept
 * host, host:port, [v6]:port, a bare IPv6 literal and URLs, and explain
 * every refusal in plain words quoting what was typed (sanitized: argv can
 * hold terminal escapes too). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idn.h"
#include "netpath/starttls.h"
#include "sanitize.h"
#include "target.h"
#include "util.h"

#define HOST_MAX 253

/* URL schemes whose TLS port we know; plain ones get an explanation. */
static const struct {
	const char *scheme;
	int port;
	int app; /* the protocol behind TLS at once */
} scheme_ports[] = {
	{ "https", 443, 0 }, { "wss", 443, 0 },
	{ "imaps", 993, STARTTLS_IMAP }, { "pop3s", 995, STARTTLS_POP3 },
	{ "smtps", 465, STARTTLS_SMTP }, { "ldaps", 636, STARTTLS_LDAP },
	{ "ftps", 990, STARTTLS_FTP },
};

/* Schemes that start TLS with STARTTLS, on curl's default ports. */
static const struct {
	const char *scheme;
	int port;
	int proto;
} starttls_schemes[] = {
	{ "smtp", 25, STARTTLS_SMTP }, { "imap", 143, STARTTLS_IMAP },
	{ "pop3", 110, STARTTLS_POP3 }, { "ftp", 21, STARTTLS_FTP },
	{ "ldap", 389, STARTTLS_LDAP }, { "xmpp", 5222, STARTTLS_XMPP },
	{ "postgres", 5432, STARTTLS_POSTGRES },
	{ "postgresql", 5432, STARTTLS_POSTGRES },
};

static const struct {
	const char *scheme;
	const char *tls;
} plain_schemes[] = {
	{ "http", "https" }, { "ws", "wss" },
};

/* The input quoted for a message: sanitized and cut short. */
static char *
quote(const char *s, size_t len)
{
	return sanitize(s, len, 80);
}

/* msg has one "%s", replaced by the quoted argument (not printf: the
 * messages are ours, but the build forbids non-literal formats). */
static int
fail(char **cause, const char *msg, const char *arg, size_t arglen)
{
	char *q = quote(arg, arglen);
	const char *at = strstr(msg, "%s");
	struct strbuf b = { 0 };

	if (at == NULL)
		at = msg + strlen(msg);
	strbuf_add(&b, msg, (size_t)(at - msg));
	strbuf_puts(&b, q);
	if (*at != '\0')
		strbuf_puts(&b, at + 2);
	*cause = strbuf_steal(&b);
	free(q);
	return -1;
}

/* "443" -> 443; only digits, 1-65535. */
static int
port_parse(const char *s, size_t len, int *port, char **cause)
{
	long v = 0;

	if (len == 0) {
		*cause = xstrdup("the port number is missing after ':'");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return fail(cause, "'%s' is not a port number (use "
			    "digits, 1 to 65535)", s, len);
		if (v <= 65535)
			v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return fail(cause, "port %s is out of range (ports are 1 to "
		    "65535)", s, len);
	*port = (int)v;
	return 0;
}

static int
all_numeric(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

static int
is_ipv6(const char *s)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN + 64];
	const char *pct = strchr(s, '%');
	size_t n = pct ? (size_t)(pct - s) : strlen(s);

	/* A zone id (fe80::1%eth0) is allowed: letters, digits, . _ - */
	if (pct != NULL) {
		if (pct[1] == '\0')
			return 0;
		for (const char *z = pct + 1; *z; z++)
			if (!isalnum((unsigned char)*z) && !strchr("._-", *z))
				return 0;
	}
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1;
}

/* Lowercase, drop one trailing dot, check what a host name may hold.
 * A name typed in Unicode becomes its IDN A-label. Returns a
 * new string or NULL with *cause. */
static char *
host_normalize(const char *s, size_t len, char **cause)
{
	char *h;
	size_t label = 0;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0) {
		*cause = xstrdup("the server name is empty");
		return NULL;
	}
	if (len > HOST_MAX) {
		fail(cause, "the server name '%s' is too long (at most 253 "
		    "characters)", s, len);
		return NULL;
	}
	h = xstrndup(s, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c == '.') {
			if (label == 0)
				goto empty_label;
			label = 0;
			continue;
		}
		if (c >= 0x80 || isalnum(c) || c == '-' || c == '_') {
			h[i] = (char)tolower(c);
			if (++label > 63 && c < 0x80) {
				fail(cause, "a part of '%s' between dots is "
				    "longer than 63 characters", s, len);
				goto out;
			}
			continue;
		}
		if (c == ' ' || c == '\t')
			fail(cause, "the server name '%s' contains a space",
			    s, len);
		else if (c < 0x20 || c == 0x7f)
			fail(cause, "the server name '%s' contains a control "
			    "character", s, len);
		else {
			char *q = quote(s, len);
			*cause = xasprintf("the server name '%s' contains "
			    "'%c', which cannot be in a host name", q, c);
			free(q);
		}
		goto out;
	}
	if (label == 0)
		goto empty_label;
	/* An international name: DNS, SNI and certificates use the
	 * A-label, as browsers and curl send it (idn.h). */
	if (idn_is_idn(h)) {
		char *why = NULL, *a = idn_to_alabel(h, &why);

		if (a == NULL) {
			char *q = quote(s, len);
			*cause = xasprintf("'%s' is not a valid international "
			    "domain name (%s)", q, why);
			free(q);
			free(why);
			goto out;
		}
		free(h);
		h = a;
	}
	if (all_numeric(h)) {
		struct in_addr a;
		if (inet_pton(AF_INET, h, &a) != 1) {
			fail(cause, "'%s' looks like an IPv4 address but is "
			    "not a valid one", s, len);
			goto out;
		}
	}
	return h;

empty_label:
	fail(cause, "the server name '%s' has an empty part (two dots in a "
	    "row, or a leading dot)", s, len);
out:
	free(h);
	return NULL;
}

/* host, host:port, [v6], [v6]:port, bare v6 (unless in_url). */
static int
authority_parse(const char *s, size_t len, int in_url, struct target *t,
    char **cause)
{
	const char *colon = NULL;
	size_t ncolons = 0;

	if (len == 0) {
		*cause = xstrdup("no server name was given");
		return -1;
	}
	if (s[0] == '[') {
		const char *end = memchr(s, ']', len);
		char *addr;

		if (end == NULL)
			return fail(cause, "'%s' opens '[' for an IPv6 address "
			    "but never closes it with ']'", s, len);
		addr = xstrndup(s + 1, (size_t)(end - s - 1));
		if (!is_ipv6(addr)) {
			fail(cause, "'%s' is not a valid IPv6 address", addr,
			    strlen(addr));
			free(addr);
			return -1;
		}
		end++;
		if (end < s + len) {
			if (*end != ':') {
				free(addr);
				return fail(cause, "unexpected text after ']' "
				    "in '%s' (expected ':port')", s, len);
			}
			if (port_parse(end + 1, len - (size_t)(end + 1 - s),
			    &t->port, cause) != 0) {
				free(addr);
				return -1;
			}
		}
		for (char *p = addr; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		t->host = addr;
		return 0;
	}
	for (size_t i = 0; i < len; i++)
		if (s[i] == ':') {
			ncolons++;
			if (colon == NULL)
				colon = s + i;
		}
	if (ncolons >= 2) {
		char *addr = xstrndup(s, len);

		if (in_url || !is_ipv6(addr)) {
			free(addr);
			return fail(cause, "'%s' has several ':'; write an IPv6 "
			    "address in brackets, e.g. [2001:db8::1]:443",
			    s, len);
		}
		for (char *p = addr; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		t->host = addr;
		return 0;
	}
	if (colon != NULL) {
		if (colon == s)
			return fail(cause, "no server name before the port in "
			    "'%s'", s, len);
		if (port_parse(colon + 1, len - (size_t)(colon + 1 - s),
		    &t->port, cause) != 0)
			return -1;
		len = (size_t)(colon - s);
	}
	t->host = host_normalize(s, len, cause);
	return t->host ? 0 : -1;
}

int
target_parse(const char *s, struct target *t, char **cause)
{
	const char *sep, *auth, *end, *at;
	size_t len;
	int in_url = 0;

	*cause = NULL;
	memset(t, 0, sizeof *t);
	t->port = 443;
	if (s == NULL)
		s = "";
	/* Copy-paste brings spaces along. */
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (len == 0) {
		*cause = xstrdup("no server was given; type a name like "
		    "example.org or a URL like https://example.org/");
		return -1;
	}

	auth = s;
	sep = strstr(s, "://");
	/* Only letters, digits, + - . make a scheme (not "a/b?u=https://"). */
	for (const char *q = s; sep != NULL && q < sep; q++)
		if (!isalnum((unsigned char)*q) && !strchr("+-.", *q))
			sep = NULL;
	if (sep != NULL && sep < s + len) {
		size_t slen = (size_t)(sep - s);
		size_t i;

		in_url = 1;
		for (i = 0; i < sizeof plain_schemes / sizeof *plain_schemes;
		    i++) {
			if (strlen(plain_schemes[i].scheme) == slen &&
			    strncasecmp(s, plain_schemes[i].scheme, slen) == 0) {
				*cause = xasprintf("%s:// is a plain, "
				    "unencrypted connection; tlsmedic tests "
				    "TLS. Try %s:// instead",
				    plain_schemes[i].scheme,
				    plain_schemes[i].tls);
				return -1;
			}
		}
		for (i = 0; i < sizeof starttls_schemes /
		    sizeof *starttls_schemes; i++) {
			if (strlen(starttls_schemes[i].scheme) == slen &&
			    strncasecmp(s, starttls_schemes[i].scheme,
			    slen) == 0)
				break;
		}
		if (i < sizeof starttls_schemes / sizeof *starttls_schemes) {
			t->port = starttls_schemes[i].port;
			t->starttls = starttls_schemes[i].proto;
			auth = sep + 3;
			goto scheme_done;
		}
		for (i = 0; i < sizeof scheme_ports / sizeof *scheme_ports;
		    i++) {
			if (strlen(scheme_ports[i].scheme) == slen &&
			    strncasecmp(s, scheme_ports[i].scheme, slen) == 0)
				break;
		}
		if (i == sizeof scheme_ports / sizeof *scheme_ports)
			return fail(cause, "tlsmedic does not know the URL "
			    "scheme '%s'; use https://, or host:port",
			    s, slen);
		t->port = scheme_ports[i].port;
		t->starttls = -1;
		t->app = scheme_ports[i].app;
		auth = sep + 3;
	}
scheme_done:
	/* The authority ends at the path, query or fragment. A bare name
	 * with a path (example.org/login) is accepted as well. Browsers
	 * (the WHATWG URL standard) read '\\' as '/' in https and wss URLs
	 * and in what is typed without a scheme: "https://a.test\\@b.test/"
	 * goes to a.test, and so must we. */
	for (end = auth; end < s + len && !strchr("/?#\\", *end); end++)
		;
	if (in_url) {
		/* user:password@ is not ours to use; as in WHATWG, the last
		 * '@' of the authority ends it. */
		at = NULL;
		for (const char *p = auth; p < end; p++)
			if (*p == '@')
				at = p;
		if (at != NULL)
			auth = at + 1;
	} else if (memchr(auth, '@', (size_t)(end - auth)) != NULL)
		return fail(cause, "'%s' looks like an e-mail address; give "
		    "the server's name, e.g. example.org", s, len);
	if (authority_parse(auth, (size_t)(end - auth), in_url, t, cause)
	    != 0) {
		target_clear(t);
		return -1;
	}
	return 0;
}

void
target_clear(struct target *t)
{
	free(t->host);
	t->host = NULL;
	t->port = 0;
}

int
resolve_parse(const char *s, struct resolve *r, char **cause)
{
	const char *p, *hend, *pend;
	struct target t;
	char *addr;
	struct in_addr a4;

	*cause = NULL;
	memset(r, 0, sizeof *r);
	if (s == NULL || *s == '\0') {
		*cause = xstrdup("--resolve needs HOST:PORT:ADDRESS, e.g. "
		    "example.org:443:192.0.2.10");
		return -1;
	}
	/* HOST, optionally in brackets for an IPv6 literal. */
	if (*s == '[') {
		hend = strchr(s, ']');
		if (hend == NULL || hend[1] != ':')
			goto shape;
		pend = strchr(hend + 2, ':');
		p = s;
		hend++;
	} else {
		hend = strchr(s, ':');
		if (hend == NULL)
			goto shape;
		pend = strchr(hend + 1, ':');
		p = s;
	}
	if (pend == NULL)
		goto shape;
	memset(&t, 0, sizeof t);
	{
		char *auth = xstrndup(p, (size_t)(pend - p));
		int rc = authority_parse(auth, strlen(auth), 1, &t, cause);

		free(auth);
		if (rc != 0)
			return -1;
	}
	if (hend + 1 == pend) {
		target_clear(&t);
		*cause = xstrdup("--resolve: the port is missing; use "
		    "HOST:PORT:ADDRESS");
		return -1;
	}

	/* ADDRESS: IPv4, [IPv6] or bare IPv6; several separated by commas
	 * (as curl), e.g. for the servers of a round-robin name. */
	{
		struct strbuf list = { 0 };
		const char *q = pend + 1;
		int count = 0;

		do {
			size_t len = strcspn(q, ",");
			if (len >= 2 && q[0] == '[' && q[len - 1] == ']')
				addr = xstrndup(q + 1, len - 2);
			else if (q[0] == '[') {
				target_clear(&t);
				strbuf_free(&list);
				return fail(cause, "--resolve: '%s' is not an "
				    "address in brackets like [2001:db8::1]",
				    q, len);
			} else
				addr = xstrndup(q, len);
			if (*addr == '\0') {
				*cause = xstrdup("--resolve: an address is "
				    "missing; use HOST:PORT:ADDRESS[,ADDRESS]");
				strbuf_free(&list);
				goto bad_addr;
			}
			if (inet_pton(AF_INET, addr, &a4) != 1 &&
			    !is_ipv6(addr)) {
				fail(cause, "--resolve: '%s' is not an IP "
				    "address (a name is not allowed here)",
				    addr, strlen(addr));
				strbuf_free(&list);
				goto bad_addr;
			}
			if (++count > 8) {
				*cause = xstrdup("--resolve: at most 8 "
				    "addresses");
				strbuf_free(&list);
				goto bad_addr;
			}
			for (char *c = addr; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			strbuf_printf(&list, "%s%s", list.len ? "," : "", addr);
			free(addr);
			q += len;
		} while (*q++ == ',');
		addr = strbuf_steal(&list);
	}
	r->host = t.host;
	r->port = t.port;
	r->addr = addr;
	return 0;

bad_addr:
	free(addr);
	target_clear(&t);
	return -1;
shape:
	return fail(cause, "--resolve wants HOST:PORT:ADDRESS, e.g. "
	    "example.org:443:192.0.2.10; got '%s'", s, strlen(s));
}

void
resolve_clear(struct resolve *r)
{
	free(r->host);
	free(r->addr);
	memset(r, 0, sizeof *r);
}
