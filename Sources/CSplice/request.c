#define _GNU_SOURCE
#include "relay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The CONNECT request of a client the engine accepted itself: its head is read here, in as few reads as the client
 * allows; deciding it is the engine's request callback's job. */

RequestProgress request_read(Relay *relay, int *error) {
    if (!relay->request && !(relay->request = malloc(REQUEST_HEAD_LIMIT))) {
        *error = ENOMEM;
        return REQUEST_FAILED;
    }
    for (;;) {
        size_t room = REQUEST_HEAD_LIMIT - relay->request_length;
        if (room == 0) return REQUEST_TOO_LARGE;
        ssize_t got = recv(relay->fd[CLIENT], relay->request + relay->request_length, room, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return REQUEST_INCOMPLETE;
        if (got <= 0) {
            *error = got == 0 ? ECONNABORTED : errno;
            return REQUEST_FAILED;
        }
        /* The blank line may straddle two reads: look again from the last three bytes already read. */
        size_t from = relay->request_length >= 3 ? relay->request_length - 3 : 0;
        relay->request_length += (size_t)got;
        const char *end = memmem(relay->request + from, relay->request_length - from, "\r\n\r\n", 4);
        if (end) {
            relay->head_length = (size_t)(end + 4 - relay->request);
            return REQUEST_COMPLETE;
        }
    }
}

bool request_keep_early_bytes(Relay *relay) {
    size_t length = relay->request_length - relay->head_length;
    char *early = malloc(length ? length : 1);
    if (!early) return false;
    memcpy(early, relay->request + relay->head_length, length);
    free(relay->early_bytes);
    relay->early_bytes = early;
    relay->early_bytes_length = length;
    free(relay->request);
    relay->request = NULL;
    relay->request_length = relay->head_length = 0;
    return true;
}

void request_answer(Relay *relay, const void *reply, size_t length) {
    const char *bytes = reply;
    while (length > 0) {
        ssize_t sent = send(relay->fd[CLIENT], bytes, length, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return;
        bytes += sent;
        length -= (size_t)sent;
    }
}
