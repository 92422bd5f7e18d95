/* path.h: build the certification path from what the server sent and
 * the trust store -- by names and signatures, never by dates or policy
 * (an expired or non-CA intermediate must be judged as such, not lost as
 * "missing"). A certificate wolfSSL cannot read is linked by name alone
 * (our own parser), so it is judged rather than reported as missing.
 * Signature checks are budgeted: a hostile chain cannot make us spin. */
#ifndef TLSMEDIC_X509_PATH_H
#define TLSMEDIC_X509_PATH_H

#include <stddef.h>

#include "model.h"
#include "trust_int.h"
#include "x509/cert.h"
#include "x509/wolf.h"

struct path_node {
	const struct cert_info *ci;
	WOLFSSL_X509 *x;     /* NULL when wolfSSL cannot read it */
	struct cert_id id;
	int ok;              /* wolfSSL parsed it */
	int self_signed;     /* self-issued and the signature verifies */
	struct x509_cert xc; /* our own parse (always attempted) */
};

struct path {
	struct path_node *nodes; /* as sent */
	size_t n;
	size_t *idx;             /* the path, leaf first: indexes in nodes */
	size_t np;
	unsigned char *used;     /* nodes[i] belongs to the chain */
	const struct trust_anchor *anchor; /* trusted root over the top */
	int anchor_sent;         /* ... and the server sent it too */
	int by_name;             /* a link rests on names alone */
	int budget_out;          /* gave up: too many signature checks */
};

/* One node: 0 when wolfSSL reads ci, -1 when only our parser does.
 * path_node_free() either way. */
int path_node_init(struct path_node *nd, const struct cert_info *ci);
void path_node_free(struct path_node *nd);

/* Build p from ch (n > 0) and t (may be NULL). path_free() after. */
void path_build(struct path *p, const struct chain *ch,
    const struct trust *t);
void path_free(struct path *p);

/* The anchor whose key signs nd (by name when wolfSSL cannot read nd),
 * or NULL. *named counts anchors carrying nd's issuer name. */
const struct trust_anchor *path_anchor_for(const struct trust *t,
    const struct path_node *nd, size_t *named);
int path_same_hash(const unsigned char *a, const unsigned char *b);
/* The node is self-issued (by wolfSSL's verified view or our parse). */
int path_node_root(const struct path_node *nd);

#endif
