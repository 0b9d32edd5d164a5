/* A small synchronous LDAP client over libldap for password checks: connect (ldap:// with optional StartTLS, or
 * ldaps://), simple bind, and searches that return each entry's DN or the values of one attribute. */
#ifndef SAFFRON_LDAP_H
#define SAFFRON_LDAP_H

#include <stddef.h>

typedef struct SaffronLDAP SaffronLDAP;

/* Connects to `uri`; with `start_tls` upgrades with StartTLS. `ca_file` (may be NULL) is the CA to trust. Returns
 * NULL with LDAP's words in `error` when the server cannot be reached or TLS fails. */
SaffronLDAP *saffron_ldap_open(const char *uri, int start_tls, const char *ca_file, int timeout_seconds, char *error,
                               size_t error_length);

/* Simple bind; `dn` NULL or empty binds anonymously. Returns 0, 49 (invalid credentials), or another LDAP code. */
int saffron_ldap_bind(SaffronLDAP *ldap, const char *dn, const char *password, char *error, size_t error_length);

/* Searches the subtree of `base` with `filter`; calls `found` with each entry's DN (`attribute` NULL) or with each
 * value of `attribute`. Returns 0 or an LDAP code. */
int saffron_ldap_search(SaffronLDAP *ldap, const char *base, const char *filter, const char *attribute,
                        void (*found)(void *context, const char *value), void *context, char *error,
                        size_t error_length);

void saffron_ldap_close(SaffronLDAP *ldap);

#endif
