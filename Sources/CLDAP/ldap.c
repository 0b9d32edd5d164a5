#define LDAP_DEPRECATED 0
#include "saffron_ldap.h"

#include <ldap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

struct SaffronLDAP {
    LDAP *handle;
    int timeout_seconds;
};

static void say(char *error, size_t length, const char *text) {
    if (!error || length == 0) return;
    strncpy(error, text ? text : "LDAP failure", length - 1);
    error[length - 1] = '\0';
}

SaffronLDAP *saffron_ldap_open(const char *uri, int start_tls, const char *ca_file, int timeout_seconds, char *error,
                               size_t error_length) {
    LDAP *handle = NULL;
    int status = ldap_initialize(&handle, uri);
    if (status != LDAP_SUCCESS) {
        say(error, error_length, ldap_err2string(status));
        return NULL;
    }
    int version = LDAP_VERSION3;
    ldap_set_option(handle, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(handle, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    struct timeval timeout = {timeout_seconds, 0};
    ldap_set_option(handle, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(handle, LDAP_OPT_TIMEOUT, &timeout);
    int demand = LDAP_OPT_X_TLS_DEMAND;
    ldap_set_option(handle, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
    if (ca_file && *ca_file) ldap_set_option(handle, LDAP_OPT_X_TLS_CACERTFILE, ca_file);
    int fresh = 0;
    ldap_set_option(handle, LDAP_OPT_X_TLS_NEWCTX, &fresh);
    if (start_tls) {
        status = ldap_start_tls_s(handle, NULL, NULL);
        if (status != LDAP_SUCCESS) {
            say(error, error_length, ldap_err2string(status));
            ldap_unbind_ext_s(handle, NULL, NULL);
            return NULL;
        }
    }
    SaffronLDAP *ldap = calloc(1, sizeof *ldap);
    if (!ldap) {
        ldap_unbind_ext_s(handle, NULL, NULL);
        say(error, error_length, "out of memory");
        return NULL;
    }
    ldap->handle = handle;
    ldap->timeout_seconds = timeout_seconds;
    return ldap;
}

int saffron_ldap_bind(SaffronLDAP *ldap, const char *dn, const char *password, char *error, size_t error_length) {
    struct berval credentials = {0, NULL};
    if (password) {
        credentials.bv_val = (char *)password;
        credentials.bv_len = strlen(password);
    }
    int status = ldap_sasl_bind_s(ldap->handle, dn && *dn ? dn : NULL, LDAP_SASL_SIMPLE, &credentials, NULL, NULL, NULL);
    if (status != LDAP_SUCCESS) say(error, error_length, ldap_err2string(status));
    return status;
}

int saffron_ldap_search(SaffronLDAP *ldap, const char *base, const char *filter, const char *attribute,
                        void (*found)(void *context, const char *value), void *context, char *error,
                        size_t error_length) {
    char *attributes[] = {attribute ? (char *)attribute : LDAP_NO_ATTRS, NULL};
    struct timeval timeout = {ldap->timeout_seconds, 0};
    LDAPMessage *result = NULL;
    int status = ldap_search_ext_s(ldap->handle, base, LDAP_SCOPE_SUBTREE, filter, attributes, 0, NULL, NULL, &timeout,
                                   1000, &result);
    if (status != LDAP_SUCCESS && status != LDAP_SIZELIMIT_EXCEEDED) {
        say(error, error_length, ldap_err2string(status));
        if (result) ldap_msgfree(result);
        return status;
    }
    for (LDAPMessage *entry = ldap_first_entry(ldap->handle, result); entry; entry = ldap_next_entry(ldap->handle, entry)) {
        if (!attribute) {
            char *dn = ldap_get_dn(ldap->handle, entry);
            if (dn) {
                found(context, dn);
                ldap_memfree(dn);
            }
            continue;
        }
        struct berval **values = ldap_get_values_len(ldap->handle, entry, attribute);
        for (int index = 0; values && values[index]; index++) {
            char *value = strndup(values[index]->bv_val, values[index]->bv_len);
            if (value) {
                found(context, value);
                free(value);
            }
        }
        if (values) ldap_value_free_len(values);
    }
    ldap_msgfree(result);
    return LDAP_SUCCESS;
}

void saffron_ldap_close(SaffronLDAP *ldap) {
    if (!ldap) return;
    ldap_unbind_ext_s(ldap->handle, NULL, NULL);
    free(ldap);
}
