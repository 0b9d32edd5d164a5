/* One relay: a client socket, a target socket and a pipe per direction, pumped with splice(2) by one worker. */
#ifndef SAFFRON_RELAY_H
#define SAFFRON_RELAY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "saffron_splice.h"
#include "websocket.h"

enum { CLIENT = 0, TARGET = 1 };

typedef struct Relay Relay;
typedef struct Worker Worker;

/* What epoll hands back for a socket: the relay and which of its two ends. */
typedef struct {
    Relay *relay;
    int side;
} RelayEnd;

/* Bytes moving from one end to the other through a pipe. */
typedef struct {
    int pipe[2];
    /* Bytes in the pipe not yet written to the destination. */
    size_t held;
    /* The source sent its FIN. */
    bool source_ended;
    /* The FIN was passed on (shutdown(SHUT_WR) of the destination), after everything held. */
    bool finished;
    uint64_t moved;
} Direction;

struct Relay {
    uint64_t id;
    Worker *worker;
    int epoll_fd;
    /* Set for a WebSocket relay (the client is a browser); NULL for a byte tunnel. */
    WebSocket *websocket;
    bool is_websocket;
    int fd[2];
    RelayEnd end[2];
    /* The epoll events each end is registered for; 0 when it is not registered. */
    uint32_t interest[2];
    /* [0]: client to target, [1]: target to client. */
    Direction direction[2];
    /* An accepted client whose request head is still being read, or whose request awaits its verdict. */
    bool requesting;
    bool awaiting_verdict;
    /* The request head read so far (and what followed it), with the head's length once complete; and a refusal
     * to answer instead of asking. */
    char *request;
    size_t request_length, head_length;
    char *refusal;
    size_t refusal_length;
    bool connecting;
    /* The target answered within connect(2) (one on this host): finish connecting without waiting for epoll. */
    bool connected_at_once;
    /* Connecting failed (an errno value); a WebSocket relay lives on until the browser answered its Close. */
    int connect_error;
    /* Its sockets are closed; it waits to be freed. */
    bool closed;
    /* When an accepted client's request must be read and decided by. */
    int64_t request_deadline_ms;
    int64_t last_activity_ms;
    struct sockaddr_storage target;
    socklen_t target_length;
    /* What the target is sent first once connected, before anything of the client's (or NULL). */
    char *preface;
    size_t preface_length;
    char *opened_reply, *failed_reply, *early_bytes;
    size_t opened_reply_length, failed_reply_length, early_bytes_length;
    Relay *previous, *next;
};

/* An empty pipe the worker kept from an ended tunnel, if it has one; false when a new one must be made. */
bool worker_take_pipe(Worker *worker, int ends[2]);

/* Starts connecting to the target and registers the target socket (unless `connected_at_once`); false (with errno)
 * when that failed at once. */
bool relay_begin(Relay *relay, int epoll_fd, int64_t now_ms);

/* What handling an event did to a relay. */
typedef enum {
    RELAY_LIVE,
    /* Connected and replied to the client: report SPLICE_OPENED, the relay lives on. */
    RELAY_OPENED,
    /* Connecting failed: report SPLICE_FAILED and free the relay. */
    RELAY_FAILED,
    /* Both directions finished, or a socket failed: report SPLICE_CLOSED and free the relay. */
    RELAY_ENDED,
} RelayStatus;

/* Connecting failed with `failure`: sends the failure reply. A byte tunnel then ends (RELAY_FAILED); a WebSocket
 * relay waits for the browser's answer to the Close it was sent (RELAY_LIVE), and reports SPLICE_FAILED at its end. */
RelayStatus relay_refuse(Relay *relay, int failure, int pipe_bytes, const WebSocketLimits *limits, int64_t now_ms,
                         int *error);

/* Handles epoll's `events` for one end; sets `*error` (an errno value, 0 for an orderly end) unless RELAY_LIVE. */
RelayStatus relay_handle(Relay *relay, int side, uint32_t events, int64_t now_ms, int pipe_bytes,
                         const WebSocketLimits *limits, int *error);

/* Registers, re-registers or removes an end so epoll reports exactly `wanted`. */
void relay_set_interest(Relay *relay, int side, uint32_t wanted);

/* How reading a request head went. */
typedef enum {
    REQUEST_INCOMPLETE,
    REQUEST_COMPLETE,
    /* The head outgrew REQUEST_HEAD_LIMIT. */
    REQUEST_TOO_LARGE,
    /* The client hung up or its socket failed (`*error`). */
    REQUEST_FAILED,
} RequestProgress;

/* The largest request head an accepted client may send, with the bytes that follow it in the same reads. */
#define REQUEST_HEAD_LIMIT 8192

/* Reads what the client sent so far; once the head's blank line arrived, `head_length` is set. */
RequestProgress request_read(Relay *relay, int *error);

/* Makes the bytes after the head the relay's early bytes and frees the request buffer; false when out of memory. */
bool request_keep_early_bytes(Relay *relay);

/* Sends a reply to the client while it is still in its request (best effort: a reply fits the socket buffer). */
void request_answer(Relay *relay, const void *reply, size_t length);

/* A socket address's IP address as text (an IPv4-mapped IPv6 address as IPv4); false for other families. */
bool address_text(const struct sockaddr_storage *address, char *text, size_t room);

/* Closes both ends and the pipes; epoll forgets closed fds. */
void relay_close(Relay *relay);

/* Frees a closed relay. */
void relay_free(Relay *relay);

#endif
