#define _GNU_SOURCE
#include "relay.h"

#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct SpliceAcceptor {
    int listen_fd;
    SpliceAcceptCallback accepted;
    void *context;
    pthread_t thread;
};

static void *accept_loop(void *argument) {
    SpliceAcceptor *acceptor = argument;
    for (;;) {
        int fd = accept4(acceptor->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            acceptor->accepted(acceptor->context, fd);
        } else if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            /* Out of descriptors or memory: back off briefly rather than spin; the backlog keeps the clients. */
            nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
        } else if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO && errno != EPERM) {
            return NULL;  /* the listening socket was shut down */
        }
    }
}

SpliceAcceptor *splice_acceptor_start(int listen_fd, SpliceAcceptCallback accepted, void *context) {
    SpliceAcceptor *acceptor = calloc(1, sizeof *acceptor);
    if (!acceptor) return NULL;
    *acceptor = (SpliceAcceptor){.listen_fd = listen_fd, .accepted = accepted, .context = context};
    int error = pthread_create(&acceptor->thread, NULL, accept_loop, acceptor);
    if (error != 0) {
        free(acceptor);
        errno = error;
        return NULL;
    }
    return acceptor;
}

void splice_acceptor_stop(SpliceAcceptor *acceptor) {
    shutdown(acceptor->listen_fd, SHUT_RDWR);  /* wakes accept() with EINVAL */
    pthread_join(acceptor->thread, NULL);
    free(acceptor);
}

bool address_text(const struct sockaddr_storage *address, char *text, size_t room) {
    if (address->ss_family == AF_INET) {
        return inet_ntop(AF_INET, &((const struct sockaddr_in *)address)->sin_addr, text, (socklen_t)room) != NULL;
    }
    if (address->ss_family == AF_INET6) {
        const struct in6_addr *ip = &((const struct sockaddr_in6 *)address)->sin6_addr;
        /* An IPv4 client of a dual-stack socket is named as IPv4, as the rest of the broker names it. */
        if (IN6_IS_ADDR_V4MAPPED(ip)) return inet_ntop(AF_INET, &ip->s6_addr[12], text, (socklen_t)room) != NULL;
        return inet_ntop(AF_INET6, ip, text, (socklen_t)room) != NULL;
    }
    return false;
}

bool splice_peer_address(int fd, char *text, size_t room) {
    struct sockaddr_storage peer;
    socklen_t length = sizeof peer;
    if (getpeername(fd, (struct sockaddr *)&peer, &length) < 0) return false;
    return address_text(&peer, text, room);
}

int splice_bound_port(int fd) {
    struct sockaddr_storage local;
    socklen_t length = sizeof local;
    if (getsockname(fd, (struct sockaddr *)&local, &length) < 0) return -1;
    if (local.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&local)->sin_port);
    if (local.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&local)->sin6_port);
    return -1;
}
