#define _GNU_SOURCE
#include "relay.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

/* Registers, re-registers or removes an end so epoll reports exactly `wanted`. An end that wants nothing is removed,
 * so a hung-up socket cannot wake the worker over and over. */
void relay_set_interest(Relay *relay, int side, uint32_t wanted) {
    if (relay->interest[side] == wanted) return;
    struct epoll_event event = {.events = wanted, .data.ptr = &relay->end[side]};
    int operation = wanted == 0 ? EPOLL_CTL_DEL : relay->interest[side] == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    epoll_ctl(relay->epoll_fd, operation, relay->fd[side], &event);
    relay->interest[side] = wanted;
}

/* What each end must wait for: readable while its outgoing direction has room, writable while the incoming one holds
 * bytes it could not write yet. */
static void update_interest(Relay *relay) {
    uint32_t wanted[2] = {0, 0};
    for (int from = 0; from < 2; from++) {
        Direction *direction = &relay->direction[from];
        if (direction->held > 0) wanted[1 - from] |= EPOLLOUT;
        else if (!direction->source_ended) wanted[from] |= EPOLLIN;
    }
    relay_set_interest(relay, CLIENT, wanted[CLIENT]);
    relay_set_interest(relay, TARGET, wanted[TARGET]);
}

/* Writes all of `bytes` to a socket that has just been connected (its buffer is empty); false when it could not. */
static bool send_whole(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t sent = send(fd, bytes, length, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return false;
        bytes += sent;
        length -= (size_t)sent;
    }
    return true;
}

bool relay_begin(Relay *relay, int epoll_fd, int64_t now_ms) {
    relay->epoll_fd = epoll_fd;
    /* splice(2) blocks on a blocking socket even with SPLICE_F_NONBLOCK: both ends must be non-blocking. */
    int flags = fcntl(relay->fd[CLIENT], F_GETFL);
    if (flags < 0 || (!(flags & O_NONBLOCK) && fcntl(relay->fd[CLIENT], F_SETFL, flags | O_NONBLOCK) < 0)) return false;
    const struct sockaddr *target = (const struct sockaddr *)&relay->target;
    int fd = socket(target->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    relay->fd[TARGET] = fd;
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (connect(fd, target, relay->target_length) < 0 && errno != EINPROGRESS) return false;
    relay->connecting = true;
    relay->last_activity_ms = now_ms;
    /* A target on this host has answered before connect(2) returns: then no round through epoll is needed. */
    struct pollfd ready = {.fd = fd, .events = POLLOUT};
    relay->connected_at_once = poll(&ready, 1, 0) == 1;
    if (!relay->connected_at_once) relay_set_interest(relay, TARGET, EPOLLOUT);
    return true;
}

RelayStatus relay_refuse(Relay *relay, int failure, int pipe_bytes, const WebSocketLimits *limits, int64_t now_ms,
                         int *error) {
    send_whole(relay->fd[CLIENT], relay->failed_reply, relay->failed_reply_length);
    *error = failure;
    /* A browser was sent a Close: its answer is awaited, as after any Close of ours. */
    if (relay->is_websocket && websocket_begin(relay, limits, NULL, 0, now_ms)) {
        relay->connecting = false;
        relay->connect_error = failure;
        websocket_await_close(relay, limits, now_ms);
        return websocket_pump(relay, limits, pipe_bytes, now_ms, error) == WS_LIVE ? RELAY_LIVE : RELAY_FAILED;
    }
    return RELAY_FAILED;
}

/* Makes the pipes, sends the replies and starts relaying once the target answered. */
static RelayStatus finish_connecting(Relay *relay, int pipe_bytes, const WebSocketLimits *limits, int64_t now_ms,
                                     int *error) {
    int failure = 0;
    socklen_t length = sizeof failure;
    if (getsockopt(relay->fd[TARGET], SOL_SOCKET, SO_ERROR, &failure, &length) < 0) failure = errno;
    if (failure == EINPROGRESS || failure == EALREADY) return RELAY_LIVE;
    relay->connecting = false;
    relay_set_interest(relay, TARGET, 0);
    if (failure != 0) return relay_refuse(relay, failure, pipe_bytes, limits, now_ms, error);
    for (int from = 0; from < 2; from++) {
        if (from == CLIENT && relay->is_websocket) continue;  /* browser frames are read and unmasked in user space */
        int *ends = relay->direction[from].pipe;
        if (worker_take_pipe(relay->worker, ends)) continue;
        if (pipe2(ends, O_NONBLOCK | O_CLOEXEC) < 0) {
            *error = errno;
            return RELAY_ENDED;
        }
        fcntl(ends[1], F_SETPIPE_SZ, pipe_bytes);  /* a hint: the kernel's default size serves as well */
    }
    if (relay->preface && !send_whole(relay->fd[TARGET], relay->preface, relay->preface_length)) {
        *error = errno ? errno : EPIPE;
        return RELAY_ENDED;
    }
    if (!send_whole(relay->fd[CLIENT], relay->opened_reply, relay->opened_reply_length)) {
        *error = errno ? errno : EPIPE;
        return RELAY_ENDED;
    }
    relay->last_activity_ms = now_ms;
    if (relay->is_websocket) {
        /* What the browser sent early is framed: it goes through the parser like everything after it. */
        if (!websocket_begin(relay, limits, relay->early_bytes, relay->early_bytes_length, now_ms)) {
            *error = ENOMEM;
            return RELAY_ENDED;
        }
        free(relay->early_bytes);
        relay->early_bytes = NULL;
        return websocket_pump(relay, limits, pipe_bytes, now_ms, error) == WS_LIVE ? RELAY_OPENED : RELAY_ENDED;
    }
    if (!send_whole(relay->fd[TARGET], relay->early_bytes, relay->early_bytes_length)) {
        *error = errno ? errno : EPIPE;
        return RELAY_ENDED;
    }
    relay->direction[CLIENT].moved += relay->early_bytes_length;
    free(relay->early_bytes);
    relay->early_bytes = NULL;
    update_interest(relay);
    return RELAY_OPENED;
}

/* Moves what it can from one end to the other. Returns 0, or the errno of a failed socket. A bounded number of rounds
 * keeps one busy relay from starving the worker's others; epoll reports the end again while it is still ready. */
static int pump(Relay *relay, int from, int pipe_bytes, int64_t now_ms) {
    Direction *direction = &relay->direction[from];
    int source = relay->fd[from], destination = relay->fd[1 - from];
    for (int round = 0; round < 8; round++) {
        if (direction->held > 0) {
            ssize_t moved = splice(direction->pipe[0], NULL, destination, NULL, direction->held,
                                   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (moved < 0) return errno == EAGAIN ? 0 : errno;
            direction->held -= (size_t)moved;
            direction->moved += (uint64_t)moved;
            relay->last_activity_ms = now_ms;
            if (direction->held > 0) continue;
        }
        if (direction->source_ended) {
            if (!direction->finished) shutdown(destination, SHUT_WR);
            direction->finished = true;
            return 0;
        }
        ssize_t taken = splice(source, NULL, direction->pipe[1], NULL, (size_t)pipe_bytes,
                               SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (taken < 0) return errno == EAGAIN ? 0 : errno;
        if (taken == 0) direction->source_ended = true;
        direction->held += (size_t)taken;
    }
    return 0;
}

RelayStatus relay_handle(Relay *relay, int side, uint32_t events, int64_t now_ms, int pipe_bytes,
                         const WebSocketLimits *limits, int *error) {
    if (relay->connecting) {
        return side == TARGET ? finish_connecting(relay, pipe_bytes, limits, now_ms, error) : RELAY_LIVE;
    }
    if (relay->is_websocket) {
        return websocket_handle(relay, side, events, limits, pipe_bytes, now_ms, error) == WS_LIVE ? RELAY_LIVE
                                                                                                 : RELAY_ENDED;
    }
    (void)events;
    for (int from = 0; from < 2; from++) {
        int failure = pump(relay, from, pipe_bytes, now_ms);
        if (failure != 0) {
            *error = failure;
            return RELAY_ENDED;
        }
    }
    if (relay->direction[0].finished && relay->direction[1].finished) {
        *error = 0;
        return RELAY_ENDED;
    }
    update_interest(relay);
    return RELAY_LIVE;
}

void relay_close(Relay *relay) {
    for (int side = 0; side < 2; side++) {
        /* Closing a socket leaves its epoll registration in place while another descriptor of it is open (the
         * handshake's, until NIO closes it), and events would then name a freed relay: unregister first. */
        if (relay->fd[side] >= 0) relay_set_interest(relay, side, 0);
        if (relay->fd[side] >= 0) close(relay->fd[side]);
        relay->fd[side] = -1;
        for (int end = 0; end < 2; end++) {
            if (relay->direction[side].pipe[end] >= 0) close(relay->direction[side].pipe[end]);
            relay->direction[side].pipe[end] = -1;
        }
    }
    relay->closed = true;
}

void relay_free(Relay *relay) {
    websocket_free(relay->websocket);
    free(relay->opened_reply);
    free(relay->failed_reply);
    free(relay->early_bytes);
    free(relay->preface);
    free(relay->request);
    free(relay->refusal);
    free(relay);
}
