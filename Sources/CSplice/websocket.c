#define _GNU_SOURCE
#include "websocket.h"

#include <errno.h>
#include <fcntl.h>  /* splice */
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "relay.h"
#include "websocket_rules.h"

enum {
    OPCODE_CONTINUATION = 0x0,
    OPCODE_TEXT = 0x1,
    OPCODE_BINARY = 0x2,
    OPCODE_CLOSE = 0x8,
    OPCODE_PING = 0x9,
    OPCODE_PONG = 0xA,
};

/* Browser bytes held before they reach the desktop: input events and clipboard, never a display stream. */
static const size_t inbound_capacity = 16 * 1024;

bool websocket_begin(Relay *relay, const WebSocketLimits *limits, const void *early, size_t early_length,
                     int64_t now_ms) {
    WebSocket *websocket = calloc(1, sizeof *websocket);
    if (!websocket) return false;
    relay->websocket = websocket;
    websocket->inbound_capacity = inbound_capacity;
    websocket->inbound = malloc(inbound_capacity);
    if (!websocket->inbound || early_length > inbound_capacity) return false;
    memcpy(websocket->inbound, early, early_length);
    websocket->filled = early_length;
    websocket->phase = WS_OPEN;
    websocket->copying = true;
    websocket->next_ping_ms = limits->ping_interval_ms > 0 ? now_ms + limits->ping_interval_ms : INT64_MAX;
    return true;
}

void websocket_free(WebSocket *websocket) {
    if (!websocket) return;
    free(websocket->inbound);
    free(websocket);
}

/* Writes a frame header for `length` payload bytes of `opcode` (never masked: we are the server); returns its size. */
static size_t frame_header(uint8_t *out, uint8_t opcode, uint64_t length) {
    out[0] = 0x80 | opcode;
    if (length < 126) {
        out[1] = (uint8_t)length;
        return 2;
    }
    if (length <= 0xFFFF) {
        out[1] = 126;
        out[2] = (uint8_t)(length >> 8);
        out[3] = (uint8_t)length;
        return 4;
    }
    out[1] = 127;
    for (int index = 0; index < 8; index++) out[2 + index] = (uint8_t)(length >> (56 - 8 * index));
    return 10;
}

/* Queues a control frame for the browser; dropped when the outbox is full (pings and pongs only: a Close is queued
 * at most once, first). */
static void queue_control(WebSocket *websocket, uint8_t opcode, const uint8_t *payload, size_t length) {
    if (length > WS_CONTROL_PAYLOAD) length = WS_CONTROL_PAYLOAD;
    if (websocket->outbox_length + 2 + length > sizeof websocket->outbox) return;
    uint8_t *out = websocket->outbox + websocket->outbox_length;
    size_t header = frame_header(out, opcode, length);
    memcpy(out + header, payload, length);
    websocket->outbox_length += header + length;
}

static void queue_close(WebSocket *websocket, uint16_t code, const char *reason, size_t reason_length) {
    uint8_t payload[WS_CONTROL_PAYLOAD];
    if (reason_length > WS_CONTROL_PAYLOAD - 2) reason_length = WS_CONTROL_PAYLOAD - 2;
    payload[0] = (uint8_t)(code >> 8);
    payload[1] = (uint8_t)code;
    memcpy(payload + 2, reason, reason_length);
    /* A Close goes out as soon as the data frame under way is complete: pings and pongs not yet sent are dropped. */
    websocket->outbox_length = 0;
    websocket->close_code = code;
    queue_control(websocket, OPCODE_CLOSE, payload, 2 + reason_length);
}

/* Closes the desktop's connection; what its pipe still holds for the browser is sent on. */
static void close_target(Relay *relay) {
    if (relay->fd[TARGET] < 0) return;
    relay_set_interest(relay, TARGET, 0);
    close(relay->fd[TARGET]);
    relay->fd[TARGET] = -1;
}

/* Closes the desktop's connection and drops what the browser sent that it has not taken. */
static void drop_desktop(Relay *relay) {
    close_target(relay);
    relay->websocket->ready = 0;
    relay->websocket->desktop_owed = false;
}

/* Ends the exchange from our side: Close frame, and the browser's answer awaited (or not). The desktop is closed at
 * once, nothing more from the browser reaching it, unless `deliver` (the browser's own Close): then it is closed
 * once it took the data that came before the Close. */
static void close_with(Relay *relay, const WebSocketLimits *limits, WebSocketPhase phase, uint16_t code,
                       const char *reason, size_t reason_length, bool deliver, int64_t now_ms) {
    WebSocket *websocket = relay->websocket;
    if (websocket->phase != WS_OPEN) return;
    queue_close(websocket, code, reason, reason_length);
    websocket->phase = phase;
    websocket->close_deadline_ms = now_ms + limits->close_grace_ms;
    if (deliver && websocket->ready > 0 && relay->fd[TARGET] >= 0) websocket->desktop_owed = true;
    else drop_desktop(relay);
}

static void start_closing(Relay *relay, const WebSocketLimits *limits, WebSocketPhase phase, uint16_t code,
                          const char *reason, int64_t now_ms) {
    close_with(relay, limits, phase, code, reason, strlen(reason), false, now_ms);
}

/* The browser broke the protocol: Close with `code`, then close without waiting for an answer. When our Close went
 * before, no second one is sent: the connection closes once the outbox is flushed. In the open phase, data of the
 * browser's that the desktop has not taken yet is dropped with the desktop's connection (a broken stream's earlier
 * bytes are not worth holding the connection for); bytes after a good Close of the browser's change nothing. */
static void fail(Relay *relay, const WebSocketLimits *limits, uint16_t code, const char *reason, int64_t now_ms) {
    if (relay->websocket->phase == WS_AWAITING_CLOSE) relay->websocket->phase = WS_CLOSE_AFTER_FLUSH;
    start_closing(relay, limits, WS_CLOSE_AFTER_FLUSH, code, reason, now_ms);
    relay->websocket->parsed = relay->websocket->filled;  /* the rest is not read */
    relay->websocket->browser_gone = true;                 /* nor anything further */
}

void websocket_terminate(Relay *relay, const WebSocketLimits *limits, uint16_t code, const char *reason,
                         size_t reason_length, int64_t now_ms) {
    close_with(relay, limits, WS_AWAITING_CLOSE, code, reason, reason_length, false, now_ms);
}

void websocket_await_close(Relay *relay, const WebSocketLimits *limits, int64_t now_ms) {
    WebSocket *websocket = relay->websocket;
    websocket->phase = WS_AWAITING_CLOSE;
    websocket->close_deadline_ms = now_ms + limits->close_grace_ms;
    close_target(relay);
}

/* The browser's Close in the open phase (RFC 6455 sections 5.5.1 and 7.4): a body is empty (answered with 1000) or
 * a valid code and a UTF-8 reason (the code echoed); anything else fails the connection. Data the browser sent before
 * a good Close still goes to the desktop (sections 1.4 and 7.1). */
static void browser_close(Relay *relay, const WebSocketLimits *limits, int64_t now_ms) {
    WebSocket *websocket = relay->websocket;
    uint16_t code = 1000;
    if (websocket->control_have == 1) {
        fail(relay, limits, 1002, "Close body of one byte", now_ms);
        return;
    }
    if (websocket->control_have >= 2) {
        code = (uint16_t)(websocket->control[0] << 8 | websocket->control[1]);
        if (!websocket_valid_close_code(code)) {
            fail(relay, limits, 1002, "invalid close code", now_ms);
            return;
        }
        if (!websocket_valid_utf8(websocket->control + 2, websocket->control_have - 2)) {
            fail(relay, limits, 1007, "Close reason not UTF-8", now_ms);
            return;
        }
    }
    close_with(relay, limits, WS_CLOSE_AFTER_FLUSH, code, "", 0, true, now_ms);
    websocket->browser_gone = true;
}

/* A complete control frame from the browser. Returns true when the closing handshake is complete. */
static bool control_frame(Relay *relay, const WebSocketLimits *limits, int64_t now_ms) {
    WebSocket *websocket = relay->websocket;
    switch (websocket->opcode) {
    case OPCODE_PING:
        if (websocket->phase == WS_OPEN) queue_control(websocket, OPCODE_PONG, websocket->control, websocket->control_have);
        return false;
    case OPCODE_CLOSE:
        if (websocket->phase == WS_AWAITING_CLOSE) return true;
        if (websocket->phase == WS_OPEN) browser_close(relay, limits, now_ms);
        return false;
    default:  /* a pong */
        return false;
    }
}

/* Reads one frame header from [parsed, filled); false while it is incomplete. Sets `*bad` when the browser broke
 * the protocol (the relay is then failing). */
static bool parse_header(Relay *relay, const WebSocketLimits *limits, int64_t now_ms, bool *bad) {
    WebSocket *websocket = relay->websocket;
    while (websocket->parsed < websocket->filled) {
        size_t need = 2;
        if (websocket->header_have >= 2) {
            uint8_t length = websocket->header[1] & 0x7F;
            need = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + ((websocket->header[1] & 0x80) ? 4 : 0);
        }
        if (websocket->header_have >= need) break;
        websocket->header[websocket->header_have++] = websocket->inbound[websocket->parsed++];
        if (websocket->header_have == 2 && !(websocket->header[1] & 0x80)) {
            fail(relay, limits, 1002, "unmasked client frame", now_ms);
            *bad = true;
            return false;
        }
    }
    uint8_t *header = websocket->header;
    if (websocket->header_have < 2) return false;
    uint8_t short_length = header[1] & 0x7F;
    size_t extended = short_length == 126 ? 2 : short_length == 127 ? 8 : 0;
    if (websocket->header_have < 2 + extended + 4) return false;

    bool fin = header[0] & 0x80;
    uint8_t opcode = header[0] & 0x0F;
    uint64_t length = short_length;
    if (extended) {
        length = 0;
        for (size_t index = 0; index < extended; index++) length = length << 8 | header[2 + index];
    }
    const char *problem = NULL;
    uint16_t code = 1002;
    if (header[0] & 0x70) problem = "reserved bits set";
    else if (opcode != OPCODE_CONTINUATION && opcode != OPCODE_TEXT && opcode != OPCODE_BINARY &&
             opcode != OPCODE_CLOSE && opcode != OPCODE_PING && opcode != OPCODE_PONG) problem = "unknown opcode";
    else if (opcode >= OPCODE_CLOSE && (!fin || length > WS_CONTROL_PAYLOAD)) problem = "bad control frame";
    else if (opcode < OPCODE_CLOSE && length > limits->max_frame) {
        problem = "frame too large";
        code = 1009;
    } else if (opcode == OPCODE_CONTINUATION && !websocket->message_open) {
        problem = "continuation without a message";
    } else if ((opcode == OPCODE_TEXT || opcode == OPCODE_BINARY) && websocket->message_open) {
        problem = "new message inside a fragmented one";
    } else if (opcode == OPCODE_TEXT) {
        /* SPICE is binary and the subprotocol is `binary`: text is data the gateway does not take (section 7.4.1). */
        problem = "text frames not supported";
        code = 1003;
    }
    if (problem) {
        fail(relay, limits, code, problem, now_ms);
        *bad = true;
        return false;
    }
    if (opcode < OPCODE_CLOSE) websocket->message_open = !fin;
    memcpy(websocket->mask, header + 2 + extended, 4);
    websocket->mask_at = 0;
    websocket->opcode = opcode;
    websocket->payload_left = length;
    websocket->control_have = 0;
    websocket->in_payload = true;
    websocket->header_have = 0;
    return true;
}

/* Parses what the browser sent: data payloads are unmasked and moved down to [0, ready), control frames handled.
 * Returns true when the closing handshake is complete. */
static bool parse(Relay *relay, const WebSocketLimits *limits, int64_t now_ms) {
    WebSocket *websocket = relay->websocket;
    while (websocket->parsed < websocket->filled || (websocket->in_payload && websocket->payload_left == 0)) {
        if (!websocket->in_payload) {
            bool bad = false;
            if (!parse_header(relay, limits, now_ms, &bad)) return false;
        }
        size_t available = websocket->filled - websocket->parsed;
        size_t take = websocket->payload_left < available ? (size_t)websocket->payload_left : available;
        uint8_t *bytes = websocket->inbound + websocket->parsed;
        for (size_t index = 0; index < take; index++) bytes[index] ^= websocket->mask[(websocket->mask_at + index) & 3];
        websocket->mask_at = (unsigned)((websocket->mask_at + take) & 3);
        websocket->parsed += take;
        websocket->payload_left -= take;
        if (websocket->opcode >= OPCODE_CLOSE) {
            memcpy(websocket->control + websocket->control_have, bytes, take);
            websocket->control_have += take;
        } else if (websocket->phase == WS_OPEN) {
            memmove(websocket->inbound + websocket->ready, bytes, take);
            websocket->ready += take;
        }
        if (websocket->payload_left > 0) return false;
        websocket->in_payload = false;
        if (websocket->opcode >= OPCODE_CLOSE && control_frame(relay, limits, now_ms)) return true;
    }
    return false;
}

/* Browser to desktop. Returns 0, or the errno of the browser's socket; sets `*done` once the closing handshake is
 * complete or the browser is gone. */
static int pump_up(Relay *relay, const WebSocketLimits *limits, int64_t now_ms, bool *done) {
    WebSocket *websocket = relay->websocket;
    Direction *direction = &relay->direction[CLIENT];
    bool drained = false;
    for (int round = 0;; round++) {
        if (parse(relay, limits, now_ms)) {
            *done = true;
            return 0;
        }
        /* Close the gap of parsed headers and dropped payloads between the ready bytes and the unparsed ones. */
        size_t unparsed = websocket->filled - websocket->parsed;
        memmove(websocket->inbound + websocket->ready, websocket->inbound + websocket->parsed, unparsed);
        websocket->parsed = websocket->ready;
        websocket->filled = websocket->ready + unparsed;
        if (websocket->ready > 0 && relay->fd[TARGET] >= 0) {
            ssize_t sent = send(relay->fd[TARGET], websocket->inbound, websocket->ready, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (sent < 0 && errno != EAGAIN) {
                drop_desktop(relay);  /* and the browser hears 1000, unless it closed first */
                start_closing(relay, limits, WS_AWAITING_CLOSE, 1000, "desktop closed the connection", now_ms);
            } else if (sent > 0) {
                memmove(websocket->inbound, websocket->inbound + sent, websocket->filled - (size_t)sent);
                websocket->ready -= (size_t)sent;
                websocket->parsed -= (size_t)sent;
                websocket->filled -= (size_t)sent;
                direction->moved += (uint64_t)sent;
                relay->last_activity_ms = now_ms;
            }
        }
        /* The desktop took everything the browser sent before its Close: now it is closed. */
        if (websocket->desktop_owed && websocket->ready == 0) drop_desktop(relay);
        /* Every read is parsed before returning: unparsed bytes would wait for an event that never comes. A bounded
         * number of reads keeps one busy browser from starving the worker's other relays. */
        if (round == 7 || drained || websocket->browser_gone || websocket->filled == websocket->inbound_capacity) {
            return 0;
        }
        size_t room = websocket->inbound_capacity - websocket->filled;
        ssize_t taken = recv(relay->fd[CLIENT], websocket->inbound + websocket->filled, room, MSG_DONTWAIT);
        if (taken < 0) return errno == EAGAIN ? 0 : errno;
        if (taken == 0) {
            websocket->browser_gone = true;
            *done = true;
            return 0;
        }
        websocket->filled += (size_t)taken;
        drained = (size_t)taken < room;  /* epoll reports the socket again if more arrives */
    }
}

/* Sends what is left of `bytes`; returns 0 when all went, EAGAIN when the socket is full, or another errno. */
static int send_rest(int fd, const uint8_t *bytes, size_t length, size_t *sent, int flags) {
    while (*sent < length) {
        ssize_t wrote = send(fd, bytes + *sent, length - *sent, MSG_NOSIGNAL | MSG_DONTWAIT | flags);
        if (wrote < 0) return errno;
        *sent += (size_t)wrote;
    }
    return 0;
}

/* Sends what is left of the frame under way: a copied one whole, or a spliced one's header and then its payload
 * from the pipe. Returns 0 after progress, EAGAIN when the browser's socket is full, or another errno. */
static int send_frame(Relay *relay, int64_t now_ms) {
    WebSocket *websocket = relay->websocket;
    Direction *direction = &relay->direction[TARGET];
    int browser = relay->fd[CLIENT];
    if (websocket->copied_end > 0) {
        size_t before = websocket->copied_start;
        int failure = send_rest(browser, websocket->copied, websocket->copied_end, &websocket->copied_start, 0);
        websocket->frame_begun = websocket->copied_start > before || websocket->frame_begun;
        if (failure == 0) {
            websocket->copied_start = websocket->copied_end = 0;
            websocket->frame_begun = false;
        }
        return websocket->copied_start > before || failure == 0 ? 0 : failure;
    }
    if (websocket->frame_header_sent < websocket->frame_header_length) {
        websocket->frame_begun = true;  /* at worst a byte early: nothing may come between header and payload anyway */
        return send_rest(browser, websocket->frame_header, websocket->frame_header_length,
                         &websocket->frame_header_sent, MSG_MORE);
    }
    ssize_t moved = splice(direction->pipe[0], NULL, browser, NULL, direction->held, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (moved < 0) return errno;
    direction->held -= (size_t)moved;
    direction->moved += (uint64_t)moved;
    relay->last_activity_ms = now_ms;
    if (direction->held == 0) websocket->frame_begun = false;
    return 0;
}

/* Whether a frame is under way (partly sent or waiting to be). */
static bool frame_under_way(const Relay *relay) {
    return relay->websocket->copied_end > 0 || relay->direction[TARGET].held > 0;
}

/* Takes what the desktop sent as the next frame: small amounts are copied (one read, the frame then written whole in
 * one call), a stream is spliced into the pipe. Returns 0 after progress, EAGAIN when there was nothing to take, or
 * -1 when the desktop's connection ended or failed. */
static int take_frame(Relay *relay, const WebSocketLimits *limits, int pipe_bytes, int64_t now_ms) {
    WebSocket *websocket = relay->websocket;
    Direction *direction = &relay->direction[TARGET];
    if (websocket->copying) {
        size_t room = WS_COPIED_PAYLOAD < limits->max_frame ? WS_COPIED_PAYLOAD : limits->max_frame;
        ssize_t taken = recv(relay->fd[TARGET], websocket->copied + WS_COPIED_HEADER, room, MSG_DONTWAIT);
        if (taken < 0 && errno == EAGAIN) {
            websocket->desktop_drained = true;
            return EAGAIN;
        }
        if (taken <= 0) return -1;
        uint8_t header[10];
        size_t length = frame_header(header, OPCODE_BINARY, (uint64_t)taken);
        memcpy(websocket->copied + WS_COPIED_HEADER - length, header, length);
        websocket->copied_start = WS_COPIED_HEADER - length;
        websocket->copied_end = WS_COPIED_HEADER + (size_t)taken;
        direction->moved += (uint64_t)taken;
        relay->last_activity_ms = now_ms;
        if ((size_t)taken == room) websocket->copying = false;  /* more is coming: a stream, spliced from now on */
        websocket->desktop_drained = (size_t)taken < room;
        return 0;
    }
    size_t room = (size_t)pipe_bytes < limits->max_frame ? (size_t)pipe_bytes : limits->max_frame;
    ssize_t taken = splice(relay->fd[TARGET], NULL, direction->pipe[1], NULL, room, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (taken < 0 && errno == EAGAIN) {
        websocket->desktop_drained = true;
        return EAGAIN;
    }
    if (taken <= 0) return -1;
    direction->held = (size_t)taken;
    websocket->frame_header_length = frame_header(websocket->frame_header, OPCODE_BINARY, (uint64_t)taken);
    websocket->frame_header_sent = 0;
    if ((size_t)taken < WS_COPIED_PAYLOAD) websocket->copying = true;  /* the stream paused: back to copying */
    websocket->desktop_drained = (size_t)taken < room;
    return 0;
}

/* Desktop to browser: frames of what the desktop sent, one at a time, and our control frames between them. Returns
 * 0, or the errno of the browser's socket; sets `*done` when a closing relay has flushed everything it had to send. */
static int pump_down(Relay *relay, const WebSocketLimits *limits, int pipe_bytes, int64_t now_ms, bool *done) {
    WebSocket *websocket = relay->websocket;
    Direction *direction = &relay->direction[TARGET];
    websocket->desktop_drained = false;
    for (int round = 0; round < 16; round++) {
        bool progress = false;
        /* Once our Close is queued no data frame may start: desktop bytes not yet framed stay in the pipe. */
        bool started = websocket->frame_begun;
        if (websocket->phase != WS_OPEN && !started) websocket->copied_start = websocket->copied_end = direction->held = 0;
        if (!started && websocket->outbox_length > 0) {
            /* At a frame boundary: our control frames go first. */
            size_t sent = 0;
            int failure = send_rest(relay->fd[CLIENT], websocket->outbox, websocket->outbox_length, &sent, 0);
            memmove(websocket->outbox, websocket->outbox + sent, websocket->outbox_length - sent);
            websocket->outbox_length -= sent;
            if (failure && failure != EAGAIN) return failure;
            progress = failure == 0;
        } else if (frame_under_way(relay)) {
            int failure = send_frame(relay, now_ms);
            if (failure && failure != EAGAIN) return failure;
            progress = failure == 0;
        }
        bool flushed = !frame_under_way(relay) && websocket->outbox_length == 0;
        if (websocket->phase == WS_CLOSE_AFTER_FLUSH && flushed && !websocket->desktop_owed) {
            *done = true;
            return 0;
        }
        if (websocket->phase == WS_OPEN && direction->source_ended && flushed) {
            start_closing(relay, limits, WS_AWAITING_CLOSE, 1000, "desktop closed the connection", now_ms);
            continue;
        }
        if (websocket->phase == WS_OPEN && !direction->source_ended && !frame_under_way(relay) &&
            !websocket->desktop_drained) {
            int taken = take_frame(relay, limits, pipe_bytes, now_ms);
            if (taken == -1) direction->source_ended = true;  /* an orderly end or a failure: the browser hears 1000 */
            progress = progress || taken != EAGAIN;
        }
        if (!progress) return 0;
    }
    return 0;
}

/* Registers each end for what it waits on. */
static void update_interest(Relay *relay) {
    WebSocket *websocket = relay->websocket;
    Direction *down = &relay->direction[TARGET];
    bool browser_owed = frame_under_way(relay) || websocket->outbox_length > 0;
    bool browser_readable = !websocket->browser_gone && websocket->filled < websocket->inbound_capacity;
    relay_set_interest(relay, CLIENT, (browser_readable ? EPOLLIN : 0) | (browser_owed ? EPOLLOUT : 0));
    if (relay->fd[TARGET] >= 0) {
        bool desktop_readable = websocket->phase == WS_OPEN && !down->source_ended && !browser_owed;
        relay_set_interest(relay, TARGET, (desktop_readable ? EPOLLIN : 0) | (websocket->ready > 0 ? EPOLLOUT : 0));
    }
}

/* Pumps the directions asked for, and the browser's direction too whenever there is a control frame to send or the
 * closing handshake began. */
static WebSocketStatus pump(Relay *relay, const WebSocketLimits *limits, int pipe_bytes, int64_t now_ms, bool up,
                            bool down, int *error) {
    WebSocket *websocket = relay->websocket;
    bool done = false;
    int failure = up ? pump_up(relay, limits, now_ms, &done) : 0;
    down = down || websocket->outbox_length > 0 || websocket->phase != WS_OPEN;
    if (failure == 0 && !done && down) failure = pump_down(relay, limits, pipe_bytes, now_ms, &done);
    if (failure != 0 || done) {
        *error = failure;
        return WS_ENDED;
    }
    update_interest(relay);
    return WS_LIVE;
}

WebSocketStatus websocket_pump(Relay *relay, const WebSocketLimits *limits, int pipe_bytes, int64_t now_ms,
                               int *error) {
    return pump(relay, limits, pipe_bytes, now_ms, true, true, error);
}

WebSocketStatus websocket_handle(Relay *relay, int side, uint32_t events, const WebSocketLimits *limits, int pipe_bytes,
                                 int64_t now_ms, int *error) {
    bool trouble = events & (EPOLLERR | EPOLLHUP);
    bool up = trouble || (side == CLIENT ? (events & EPOLLIN) : (events & EPOLLOUT));
    bool down = trouble || (side == TARGET ? (events & EPOLLIN) : (events & EPOLLOUT));
    return pump(relay, limits, pipe_bytes, now_ms, up, down, error);
}

WebSocketStatus websocket_tick(Relay *relay, const WebSocketLimits *limits, int idle_timeout_ms, int pipe_bytes,
                               int64_t now_ms, int *error) {
    WebSocket *websocket = relay->websocket;
    if (websocket->phase != WS_OPEN) {
        if (now_ms < websocket->close_deadline_ms) return WS_LIVE;
        *error = ETIMEDOUT;
        return WS_ENDED;
    }
    if (idle_timeout_ms > 0 && now_ms - relay->last_activity_ms >= idle_timeout_ms) {
        start_closing(relay, limits, WS_AWAITING_CLOSE, 4408, "idle timeout", now_ms);
    } else if (now_ms >= websocket->next_ping_ms) {
        queue_control(websocket, OPCODE_PING, NULL, 0);
        websocket->next_ping_ms = now_ms + limits->ping_interval_ms;
    } else {
        return WS_LIVE;
    }
    return websocket_pump(relay, limits, pipe_bytes, now_ms, error);
}
