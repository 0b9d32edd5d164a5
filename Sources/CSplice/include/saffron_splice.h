/* A relay between pairs of TCP sockets that moves data with splice(2) through a pipe per direction, so relayed
 * bytes never enter user space: byte tunnels, and WebSockets whose frames from the target side are spliced behind
 * their headers. Worker threads each run an epoll loop over their relays. */
#ifndef SAFFRON_SPLICE_H
#define SAFFRON_SPLICE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct SpliceEngine SpliceEngine;

/* What became of a relay, reported once per event through the engine's callback, on a worker thread. */
typedef enum {
    /* The target connection is up, the opening reply was sent to the client and bytes flow. */
    SPLICE_OPENED = 1,
    /* Connecting to the target failed (error is an errno value); the failure reply was sent and both ends closed
     * (a WebSocket relay reports it once the browser answered its Close, or the close grace passed). */
    SPLICE_FAILED = 2,
    /* The relay ended (error is 0 for an orderly end, ETIMEDOUT when idle, ECANCELED when closed on request, or the
     * errno of a socket error); both ends are closed. The last event of every opened relay. */
    SPLICE_CLOSED = 3,
} SpliceEvent;

typedef void (*SpliceCallback)(void *context, uint64_t relay, SpliceEvent event, int error, uint64_t bytes_up,
                               uint64_t bytes_down);

typedef struct {
    /* Worker threads, each with its own epoll loop; relays are spread over them. */
    int workers;
    /* Bytes each direction may hold in its pipe (rounded by the kernel to pages); also the largest single move. */
    int pipe_bytes;
    /* A relay moving no byte either way for this long is closed; 0 never. */
    int idle_timeout_ms;
    /* How long connecting to a target may take. */
    int connect_timeout_ms;
    /* WebSocket relays: the largest frame payload either way (0: 1 MiB), how often the browser is pinged (0 never),
     * and how long a Close of ours waits for the browser's answer. */
    int websocket_max_frame;
    int websocket_ping_interval_ms;
    int websocket_close_grace_ms;
    SpliceCallback callback;
    void *context;
} SpliceEngineOptions;

/* Starts the workers; NULL with errno set when a thread, epoll or eventfd could not be made. */
SpliceEngine *splice_engine_start(const SpliceEngineOptions *options);

/* What a relay's client speaks. */
typedef enum {
    /* Bytes, relayed as they come (a CONNECT tunnel). */
    SPLICE_TUNNEL = 0,
    /* WebSocket frames: the client is a browser whose upgrade was answered. Desktop bytes reach it as binary frames
     * (at most websocket_max_frame each); the payloads of its frames reach the target; pings are answered; the idle
     * timeout, a target hanging up and a failure of the protocol end the relay with a Close frame (4408, 1000, 1002
     * or 1009). */
    SPLICE_WEBSOCKET = 1,
} SpliceRelayKind;

/* Connects to `target` for the relay `relay` (an id of the caller's choosing, unique while the relay lives) and
 * relays between it and `client_fd`, which the engine now owns. Once connected it sends `opened_reply` to the client
 * and `early_bytes` (what the client sent after its request) on to the target; when connecting fails it sends
 * `failed_reply` and closes the client (a WebSocket client, sent a Close, once it answers). The buffers are copied.
 * Returns 0, or -1 with errno (the fd is then closed). */
int splice_engine_open(SpliceEngine *engine, SpliceRelayKind kind, uint64_t relay, int client_fd,
                       const struct sockaddr *target, socklen_t target_length, const void *opened_reply,
                       size_t opened_reply_length, const void *failed_reply, size_t failed_reply_length,
                       const void *early_bytes, size_t early_bytes_length);

/* Ends a WebSocket relay with a Close frame of `code` and `reason` (at most 123 bytes): the desktop's connection is
 * closed at once, the browser's once it answers or the close grace passed; SPLICE_CLOSED follows. A relay still
 * connecting is closed with its failure reply. */
void splice_engine_close_websocket(SpliceEngine *engine, uint64_t relay, uint16_t code, const char *reason,
                                   size_t reason_length);

/* Asks for the relay to be closed; its SPLICE_CLOSED (or SPLICE_FAILED) event follows. Unknown ids are ignored. */
void splice_engine_close(SpliceEngine *engine, uint64_t relay);

/* Closes every relay (reporting each), stops the workers and frees the engine. */
void splice_engine_stop(SpliceEngine *engine);

/* Accepts connections on a listening socket on a thread of its own, handing each new socket to `accepted`. */
typedef struct SpliceAcceptor SpliceAcceptor;
typedef void (*SpliceAcceptCallback)(void *context, int fd);

/* Starts accepting on `listen_fd` (which stays the caller's); NULL with errno set when the thread could not start. */
SpliceAcceptor *splice_acceptor_start(int listen_fd, SpliceAcceptCallback accepted, void *context);

/* The local port a socket is bound to (IPv4 or IPv6), or -1. */
int splice_bound_port(int fd);

/* Stops accepting (shutting the listening socket down), waits for the thread and frees the acceptor. */
void splice_acceptor_stop(SpliceAcceptor *acceptor);

#endif
