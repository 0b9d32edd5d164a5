/* Checks a password through PAM: pam_authenticate and pam_acct_mgmt of one service, answering every hidden prompt
 * with the password. */
#ifndef SAFFRON_PAM_H
#define SAFFRON_PAM_H

#include <stddef.h>

/* 0 when `password` is `user`'s and the account may log in now; otherwise PAM's error code, with PAM's words for it
 * in `error` (NUL-terminated, cut to `error_length`). Blocks for as long as the PAM modules take (pam_unix waits
 * about two seconds after a wrong password). */
int saffron_pam_check(const char *service, const char *user, const char *password, char *error, size_t error_length);

/* saffron_pam_check, also giving the account's name as PAM holds it once the stack has run (PAM_USER, which modules
 * such as pam_sss or pam_winbind may have rewritten) in `account` (NUL-terminated, cut to `account_length`). */
int saffron_pam_check_account(const char *service, const char *user, const char *password, char *account,
                              size_t account_length, char *error, size_t error_length);

#endif
