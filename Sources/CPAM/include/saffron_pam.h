/* Checks a password through PAM: pam_authenticate and pam_acct_mgmt of one service, answering every hidden prompt
 * with the password. */
#ifndef SAFFRON_PAM_H
#define SAFFRON_PAM_H

#include <stddef.h>

/* 0 when `password` is `user`'s and the account may log in now; otherwise PAM's error code, with PAM's words for it
 * in `error` (NUL-terminated, cut to `error_length`). Blocks for as long as the PAM modules take (pam_unix waits
 * about two seconds after a wrong password). */
int saffron_pam_check(const char *service, const char *user, const char *password, char *error, size_t error_length);

#endif
