#include "saffron_pam.h"

#include <security/pam_appl.h>
#include <stdlib.h>
#include <string.h>

/* Answers hidden prompts with the password and visible ones with nothing; messages are ignored. */
static int converse(int count, const struct pam_message **messages, struct pam_response **responses, void *password) {
    struct pam_response *answers = calloc((size_t)count, sizeof *answers);
    if (!answers) return PAM_BUF_ERR;
    for (int index = 0; index < count; index++) {
        if (messages[index]->msg_style == PAM_PROMPT_ECHO_OFF) {
            answers[index].resp = strdup(password);
            if (!answers[index].resp) {
                for (int earlier = 0; earlier < index; earlier++) free(answers[earlier].resp);
                free(answers);
                return PAM_BUF_ERR;
            }
        }
    }
    *responses = answers;
    return PAM_SUCCESS;
}

int saffron_pam_check(const char *service, const char *user, const char *password, char *error, size_t error_length) {
    return saffron_pam_check_account(service, user, password, NULL, 0, error, error_length);
}

int saffron_pam_check_account(const char *service, const char *user, const char *password, char *account,
                              size_t account_length, char *error, size_t error_length) {
    struct pam_conv conversation = {converse, (void *)password};
    pam_handle_t *handle = NULL;
    int status = pam_start(service, user, &conversation, &handle);
    if (status == PAM_SUCCESS) status = pam_authenticate(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
    if (status == PAM_SUCCESS) status = pam_acct_mgmt(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
    if (status == PAM_SUCCESS && account && account_length > 0) {
        const void *name = NULL;
        if (pam_get_item(handle, PAM_USER, &name) != PAM_SUCCESS || !name) name = user;
        strncpy(account, name, account_length - 1);
        account[account_length - 1] = '\0';
    }
    if (status != PAM_SUCCESS && error && error_length > 0) {
        const char *text = pam_strerror(handle, status);
        strncpy(error, text ? text : "PAM failure", error_length - 1);
        error[error_length - 1] = '\0';
    }
    if (handle) pam_end(handle, status);
    return status;
}
