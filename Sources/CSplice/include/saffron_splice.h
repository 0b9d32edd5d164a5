/* A relay between pairs of TCP sockets that moves data with splice(2) through a pipe per direction, so relayed
 * bytes never enter user space: byte tunnels, and WebSockets whose frames from the target side are spliced behind
 * their headers. Worker threads each run an epoll loop over their relays. */
#ifndef SAFFRON_SPLICE_H
#define SAFFRON_SPLICE_H

#include <stdbool.h>
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

/* `close_code`: for a WebSocket relay's SPLICE_CLOSED, the code of the Close frame the engine sent the browser (its
 * own, or the browser's echoed); 0 when it sent none (the browser's connection broke first) and for tunnels. */
typedef void (*SpliceCallback)(void *context, uint64_t relay, SpliceEvent event, int error, uint64_t bytes_up,
                               uint64_t bytes_down, uint16_t close_code);

/* What becomes of a CONNECT request the engine read (see splice_engine_listen). */
typedef enum {
    /* Connect to `target` and relay; the client gets the engine's tunnel replies. */
    SPLICE_GRANT = 1,
    /* Send `reply` and close; the relay reports SPLICE_FAILED with EACCES. */
    SPLICE_REFUSE = 2,
    /* Decided later, by splice_engine_grant or splice_engine_refuse (or the request timeout). */
    SPLICE_PENDING = 3,
} SpliceVerdict;

/* The request callback's answer, filled in by the callback: a granted request's target and the bytes the target is sent
 * first (a PROXY protocol line naming the client, or none); a refused one's reply. */
typedef struct {
    SpliceVerdict verdict;
    struct sockaddr_storage target;
    socklen_t target_length;
    char preface[128];
    size_t preface_length;
    char reply[512];
    size_t reply_length;
} SpliceRequestAnswer;

/* Decides a request whose head (`head`, through its blank line) the engine read, on the worker thread that read it:
 * at once, or SPLICE_PENDING. */
typedef void (*SpliceRequestCallback)(void *context, uint64_t relay, const char *head, size_t head_length,
                                      SpliceRequestAnswer *answer);

/* Told of each client a worker accepted (see splice_engine_listen), from `peer` (its address as text), before its
 * request is read: SPLICE_REFUSE with a reply answers the request with it without asking (a client holding its share
 * of connections, a proxy stopping); anything else lets the request be read and decided. */
typedef void (*SpliceAdmitCallback)(void *context, uint64_t relay, const char *peer, SpliceRequestAnswer *answer);

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
    /* Accepted clients (splice_engine_listen): how long reading and deciding the request may take, who admits the
     * client and who decides its request, and what a granted client is sent once its target answers or when it
     * does not (both copied). */
    int request_timeout_ms;
    SpliceAdmitCallback admit_callback;
    SpliceRequestCallback request_callback;
    const void *tunnel_opened_reply;
    size_t tunnel_opened_reply_length;
    const void *tunnel_failed_reply;
    size_t tunnel_failed_reply_length;
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
 * relays between it and `client_fd`, which the engine now owns. Once connected it sends `preface` to the target (raw,
 * before anything of the client's), `opened_reply` to the client and `early_bytes` (what the client sent after its
 * request) on to the target; when connecting fails it sends `failed_reply` and closes the client (a WebSocket client,
 * sent a Close, once it answers). The buffers are copied. Returns 0, or -1 with errno (the fd is then closed). */
int splice_engine_open(SpliceEngine *engine, SpliceRelayKind kind, uint64_t relay, int client_fd,
                       const struct sockaddr *target, socklen_t target_length, const void *preface,
                       size_t preface_length, const void *opened_reply, size_t opened_reply_length,
                       const void *failed_reply, size_t failed_reply_length, const void *early_bytes,
                       size_t early_bytes_length);

/* Accepts tunnel clients on `listen_fd` (which stays the caller's) on the workers themselves, so a tunnel lives on
 * one thread from accept to close; the kernel hands a connection over once its first bytes arrived
 * (TCP_DEFER_ACCEPT). Each client is admitted by the admit callback, then its HTTP request head is read and the
 * request callback grants a target, refuses, or decides later. Relay ids are the engine's. Every relay ends with one
 * SPLICE_FAILED or SPLICE_CLOSED event: a request that is refused (EACCES), too large (EMSGSIZE), not complete in
 * time (ETIMEDOUT) or abandoned by the client (ECONNABORTED) fails. Returns 0, or -1 with errno. */
int splice_engine_listen(SpliceEngine *engine, int listen_fd);

/* Stops accepting and returns once no worker touches the listening socket any more (it may then be closed). */
void splice_engine_unlisten(SpliceEngine *engine);

/* Grants a request left SPLICE_PENDING: connects to `target`, sends it `preface` first (copied; at most 128 bytes) and
 * relays. Ignored unless the relay awaits its verdict. */
void splice_engine_grant(SpliceEngine *engine, uint64_t relay, const struct sockaddr *target, socklen_t target_length,
                         const void *preface, size_t preface_length);

/* Refuses a request left SPLICE_PENDING with `reply` (copied). Ignored unless the relay awaits its verdict. */
void splice_engine_refuse(SpliceEngine *engine, uint64_t relay, const void *reply, size_t reply_length);

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

/* The peer of connected socket `fd` as address text (an IPv4 client of a dual-stack socket as IPv4) into `text`;
 * false when it has none or `room` is too small. */
bool splice_peer_address(int fd, char *text, size_t room);

/* Stops accepting (shutting the listening socket down), waits for the thread and frees the acceptor. */
void splice_acceptor_stop(SpliceAcceptor *acceptor);

#endif
