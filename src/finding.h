/* finding.h: the finding ids -- a public contract (man page, JSON, help/).
 *
 * One X-macro lists every id with its default owner and severity; the enum,
 * the id strings and the defaults are all generated from it, so adding a
 * finding touches this table, one help/ entry and the check that raises it. */
#ifndef TLSMEDIC_FINDING_H
#define TLSMEDIC_FINDING_H

enum owner { OWNER_CLIENT, OWNER_SERVER, OWNER_NETWORK, OWNER_COUNT };
enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

/* X(ENUM, "id", default owner, default severity) -- decision-tree order. */
#define FINDING_TABLE(X)                                                       \
	X(NET_DNS, "net.dns", OWNER_CLIENT, SEV_ERROR)                         \
	X(NET_REFUSED, "net.refused", OWNER_SERVER, SEV_ERROR)                 \
	X(NET_TIMEOUT, "net.timeout", OWNER_NETWORK, SEV_ERROR)                \
	X(NET_RESET, "net.reset", OWNER_NETWORK, SEV_ERROR)                    \
	X(NET_NOT_TLS, "net.not_tls", OWNER_SERVER, SEV_ERROR)                 \
	X(NET_NO_STARTTLS, "net.no_starttls", OWNER_SERVER, SEV_ERROR)         \
	X(NET_STARTTLS_REFUSED, "net.starttls_refused", OWNER_SERVER,          \
	  SEV_ERROR)                                                           \
	X(NET_WRONG_SECURITY, "net.wrong_security", OWNER_CLIENT, SEV_ERROR)   \
	X(NET_PROXY_AUTH, "net.proxy_auth", OWNER_NETWORK, SEV_ERROR)          \
	X(NET_PROXY_REFUSED, "net.proxy_refused", OWNER_NETWORK, SEV_ERROR)    \
	X(NET_PROXY_REQUIRED, "net.proxy_required", OWNER_CLIENT, SEV_WARNING) \
	X(NET_ADDRESS_DOWN, "net.address_down", OWNER_SERVER, SEV_ERROR)       \
	X(NET_ADDRESSES_DIFFER, "net.addresses_differ", OWNER_SERVER,          \
	  SEV_ERROR)                                                           \
	X(CLOCK_SKEW, "clock.skew", OWNER_CLIENT, SEV_ERROR)                   \
	X(MITM_INTERCEPTION, "mitm.interception", OWNER_NETWORK, SEV_WARNING)  \
	X(PROTOCOL_MISMATCH, "protocol.mismatch", OWNER_SERVER, SEV_ERROR)     \
	X(PROTOCOL_LEGACY, "protocol.legacy", OWNER_SERVER, SEV_WARNING)       \
	X(PROTOCOL_NO_TLS13, "protocol.no_tls13", OWNER_SERVER, SEV_INFO)      \
	X(PROTOCOL_TLS13_ONLY, "protocol.tls13_only", OWNER_SERVER, SEV_INFO)  \
	X(PROTOCOL_MALFORMED, "protocol.malformed", OWNER_SERVER, SEV_ERROR)   \
	X(PROTOCOL_REFUSED, "protocol.refused", OWNER_SERVER, SEV_ERROR)       \
	X(CIPHER_MISMATCH, "cipher.mismatch", OWNER_SERVER, SEV_ERROR)         \
	X(CIPHER_WEAK, "cipher.weak", OWNER_SERVER, SEV_WARNING)               \
	X(CIPHER_WEAK_DH, "cipher.weak_dh", OWNER_SERVER, SEV_WARNING)         \
	X(CERT_HOSTNAME, "cert.hostname", OWNER_SERVER, SEV_ERROR)             \
	X(CERT_EXPIRED, "cert.expired", OWNER_SERVER, SEV_ERROR)               \
	X(CERT_NOT_YET_VALID, "cert.not_yet_valid", OWNER_SERVER, SEV_ERROR)   \
	X(CERT_SELF_SIGNED, "cert.self_signed", OWNER_SERVER, SEV_ERROR)       \
	X(CERT_UNTRUSTED_ROOT, "cert.untrusted_root", OWNER_SERVER, SEV_ERROR) \
	X(CERT_CHAIN_INCOMPLETE, "cert.chain.incomplete", OWNER_SERVER,        \
	  SEV_ERROR)                                                           \
	X(CERT_CHAIN_ORDER, "cert.chain.order", OWNER_SERVER, SEV_WARNING)     \
	X(CERT_CHAIN_INVALID_ISSUER, "cert.chain.invalid_issuer", OWNER_SERVER, \
	  SEV_ERROR)                                                           \
	X(CERT_PURPOSE, "cert.purpose", OWNER_SERVER, SEV_ERROR)               \
	X(CERT_MALFORMED, "cert.malformed", OWNER_SERVER, SEV_ERROR)           \
	X(CERT_CRITICAL_EXTENSION, "cert.critical_extension", OWNER_SERVER,    \
	  SEV_ERROR)                                                           \
	X(CERT_SECOND_OPINION, "cert.second_opinion", OWNER_SERVER,            \
	  SEV_WARNING)                                                         \
	X(CERT_REVOKED, "cert.revoked", OWNER_SERVER, SEV_ERROR)               \
	X(CERT_WEAK_SIGNATURE, "cert.weak_signature", OWNER_SERVER, SEV_ERROR) \
	X(CERT_WEAK_KEY, "cert.weak_key", OWNER_SERVER, SEV_ERROR)             \
	X(CERT_PATH_CONFUSION, "cert.path_confusion", OWNER_CLIENT,            \
	  SEV_WARNING)                                                         \
	X(SNI_REQUIRED, "sni.required", OWNER_SERVER, SEV_WARNING)             \
	X(SNI_DEFAULT_CERT, "sni.default_cert", OWNER_SERVER, SEV_WARNING)     \
	X(CLIENT_CERT_REQUIRED, "client_cert.required", OWNER_CLIENT,          \
	  SEV_ERROR)                                                           \
	/* from the wizard's questions (answers.h), not from probes */         \
	X(CLIENT_BROWSER, "client.browser", OWNER_CLIENT, SEV_WARNING)         \
	X(CLIENT_OUTDATED, "client.outdated", OWNER_CLIENT, SEV_WARNING)     \
	X(CLIENT_LOCAL, "client.local", OWNER_CLIENT, SEV_WARNING)           \
	X(CLIENT_SCANNING, "client.scanning", OWNER_CLIENT, SEV_WARNING)     \
	X(NET_FILTER, "net.filter", OWNER_NETWORK, SEV_WARNING)

#define FINDING_ENUM(e, s, o, v) FINDING_##e,
enum finding_id { FINDING_TABLE(FINDING_ENUM) FINDING_COUNT };
#undef FINDING_ENUM

/* Static strings; never NULL for a valid id. */
const char *finding_id_str(enum finding_id id);
enum owner finding_default_owner(enum finding_id id);
enum severity finding_default_severity(enum finding_id id);
/* Returns -1 when the string names no finding. */
int finding_id_parse(const char *s);

const char *owner_str(enum owner o);     /* "client" "server" "network" */
const char *owner_title(enum owner o);   /* "For you", "For the site owner"... */
const char *severity_str(enum severity s); /* "info" "warning" "error" */

#endif
