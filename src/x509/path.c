/* path.c: the path builder (see path.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "x509/path.h"

/* Go stops at 100 signature checks per chain; a chain we judge has at
 * most a few dozen certificates, each tried against each. */
#define SIG_BUDGET 400

int
path_node_init(struct path_node *nd, const struct cert_info *ci)
{
	const unsigned char *p = ci->der;

	memset(nd, 0, sizeof *nd);
	nd->ci = ci;
	(void)x509_parse(&nd->xc, ci->der, ci->der_len);
	if (ci->der == NULL || ci->der_len == 0 || ci->der_len > INT_MAX ||
	    cert_id_get(ci->der, ci->der_len, &nd->id) != 0)
		return -1;
	nd->x = wolfSSL_X509_d2i(NULL, p, (int)ci->der_len);
	if (nd->x == NULL)
		return -1;
	nd->ok = 1;
	nd->self_signed = nd->id.self_issued && cert_signs(nd->x, nd->x);
	return 0;
}

void
path_node_free(struct path_node *nd)
{
	wolfSSL_X509_free(nd->x);
	x509_cert_free(&nd->xc);
	nd->x = NULL;
}

int
path_same_hash(const unsigned char *a, const unsigned char *b)
{
	return memcmp(a, b, CERT_HASH_LEN) == 0;
}

int
path_node_root(const struct path_node *nd)
{
	if (nd->ok)
		return nd->self_signed;
	return nd->xc.subject.p != NULL && x509_self_issued(&nd->xc);
}

/* wolfSSL is built with RSA_MAX_SIZE 4096: a signature by a larger key
 * fails to verify (BUFFER_E) though nothing is wrong with it. */
static int
beyond_math(const struct x509_cert *issuer)
{
	return (issuer->key == X509_KEY_RSA ||
	    issuer->key == X509_KEY_RSA_PSS) && issuer->key_bits > 4096;
}

/* An anchor's subject is nd's issuer, compared as our parser reads them
 * (for certificates wolfSSL cannot read). */
static int
anchor_named(const struct trust_anchor *a, const struct path_node *nd)
{
	struct x509_cert ac;
	int eq;

	if (nd->xc.issuer.p == NULL)
		return 0;
	(void)x509_parse(&ac, a->der, a->der_len);
	eq = ac.subject.p != NULL && x509_name_eq(&ac.subject,
	    &nd->xc.issuer);
	x509_cert_free(&ac);
	return eq;
}

static int
anchor_beyond_math(const struct trust_anchor *a)
{
	struct x509_cert ac;
	int big;

	(void)x509_parse(&ac, a->der, a->der_len);
	big = beyond_math(&ac);
	x509_cert_free(&ac);
	return big;
}

const struct trust_anchor *
path_anchor_for(const struct trust *t, const struct path_node *nd,
    size_t *named)
{
	const struct trust_anchor *found = NULL;
	size_t nn = 0;

	for (size_t i = 0; t != NULL && i < trust_nanchors(t); i++) {
		const struct trust_anchor *a = trust_anchor(t, i);

		if (!nd->ok) {
			if (anchor_named(a, nd)) {
				nn++;
				found = found ? found : a;
			}
			continue;
		}
		if (!path_same_hash(a->id.subject, nd->id.issuer))
			continue;
		nn++;
		if (found == NULL && (cert_signs(trust_anchor_x509(t, a),
		    nd->x) || anchor_beyond_math(a)))
			found = a;
	}
	if (named != NULL)
		*named = nn;
	return found;
}

/* Did c issue cur? By name and signature when wolfSSL reads both. */
static int
issued(struct path *p, const struct path_node *c,
    const struct path_node *cur, int *by_name, int *budget)
{
	if (c->ok && cur->ok && !beyond_math(&c->xc)) {
		if (!path_same_hash(c->id.subject, cur->id.issuer))
			return 0;
		if (--*budget < 0) {
			p->budget_out = 1;
			return 0;
		}
		return cert_signs(c->x, cur->x);
	}
	*by_name = 1;
	return c->xc.subject.p != NULL && cur->xc.issuer.p != NULL &&
	    x509_name_eq(&c->xc.subject, &cur->xc.issuer);
}

void
path_build(struct path *p, const struct chain *ch, const struct trust *t)
{
	struct path_node *nodes;
	size_t n = ch->n;
	int budget = SIG_BUDGET;

	memset(p, 0, sizeof *p);
	p->n = n;
	p->nodes = nodes = xcalloc(n, sizeof *nodes);
	p->idx = xcalloc(n, sizeof *p->idx);
	p->used = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++)
		(void)path_node_init(&nodes[i], &ch->certs[i]);

	/* Walk up from the leaf: stop at the first certificate a trusted
	 * root signed (as current clients do), else follow the issuer among
	 * the certificates sent, preferring the next one. */
	p->idx[p->np++] = 0;
	p->used[0] = 1;
	for (;;) {
		const struct path_node *cur = &nodes[p->idx[p->np - 1]];
		size_t next = p->idx[p->np - 1] + 1, pick = n;
		int by_name = 0, pick_by_name = 0;

		if ((p->anchor = path_anchor_for(t, cur, NULL)) != NULL) {
			p->by_name |= !cur->ok || anchor_beyond_math(p->anchor);
			break;
		}
		if (path_node_root(cur))
			break;
		for (size_t j = 0; j < n; j++) {
			by_name = 0;
			if (p->used[j] || !issued(p, &nodes[j], cur, &by_name,
			    &budget))
				continue;
			if (pick == n || j == next) {
				pick = j;
				pick_by_name = by_name;
			}
		}
		if (pick == n)
			break;
		p->idx[p->np++] = pick;
		p->used[pick] = 1;
		p->by_name |= pick_by_name;
	}
	/* A copy of the trusted root sent along belongs to the chain; a
	 * cross-signed copy (same name and key, another issuer) is what
	 * older clients need, harmless to the others: neither is a stray,
	 * and only the self-signed copy is judged with the path. */
	if (p->anchor != NULL) {
		const struct trust_anchor *a = p->anchor;
		const struct path_node *top = &nodes[p->idx[p->np - 1]];

		if (top->self_signed && path_same_hash(top->id.key, a->id.key))
			p->anchor_sent = 1;
		for (size_t j = 0; j < n; j++) {
			int dup = 0; /* a second copy is still a stray */

			if (p->used[j] || !nodes[j].ok ||
			    !path_same_hash(nodes[j].id.subject,
				a->id.subject) ||
			    !path_same_hash(nodes[j].id.key, a->id.key))
				continue;
			for (size_t k = 0; k < n; k++)
				dup |= p->used[k] && nodes[k].ok &&
				    path_same_hash(nodes[k].id.der,
					nodes[j].id.der);
			if (dup)
				continue;
			p->used[j] = 1;
			if (nodes[j].self_signed && !p->anchor_sent) {
				p->idx[p->np++] = j;
				p->anchor_sent = 1;
			}
		}
	}
}

void
path_free(struct path *p)
{
	for (size_t i = 0; i < p->n; i++)
		path_node_free(&p->nodes[i]);
	free(p->nodes);
	free(p->idx);
	free(p->used);
	memset(p, 0, sizeof *p);
}
