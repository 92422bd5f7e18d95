/* second.h: a second opinion on a built path from wolfSSL's certificate
 * manager, verifying as a client does (signatures from the trusted root
 * down, host name, serverAuth). tlsmedic calls a chain good only when
 * its own rules and this verifier agree. */
#ifndef TLSMEDIC_X509_SECOND_H
#define TLSMEDIC_X509_SECOND_H

#include "trust_int.h"
#include "x509/path.h"

enum second_kind {
	SECOND_AGREES,     /* wolfSSL accepts the chain too */
	SECOND_REFUSES,    /* wolfSSL refuses it: clients on it will fail */
	SECOND_WOLF_BUG,   /* refuses by a known wolfSSL defect (wrong
	                    * name-constraint matching) */
	SECOND_WOLF_LIMIT  /* cannot check it (key size, curve, memory) */
};

struct second_opinion {
	enum second_kind kind;
	int code;         /* wolfSSL's error code, 0 when it agrees */
	size_t pos;       /* the path position it refused */
	char reason[160]; /* wolfSSL's words and what was asked */
};

/* pb must end at a trust anchor (pb->anchor). hostname may be NULL. */
void second_opinion(const struct path *pb, const char *hostname,
    struct second_opinion *out);

#endif
