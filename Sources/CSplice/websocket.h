/* The WebSocket side of a relay: the browser speaks RFC 6455 frames, the desktop plain bytes. Desktop bytes go to the
 * browser as binary frames with splice(2) (the frame header is written, then the payload moved from the pipe);
 * browser frames are read, unmasked in place and written to the desktop, and control frames answered here. */
#ifndef SAFFRON_WEBSOCKET_H
#define SAFFRON_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Relay Relay;

/* The largest control frame (RFC 6455 section 5.5): payload of at most 125 bytes, header of at most 6 from a browser
 * (masked) and 4 from us. */
enum { WS_CONTROL_PAYLOAD = 125, WS_OUTBOX = 4 * (4 + WS_CONTROL_PAYLOAD) };

/* Desktop bytes up to this many are copied into one frame written whole; more are spliced. Room is kept in front
 * of the payload for the longest header such a frame needs. */
enum { WS_COPIED_PAYLOAD = 4096, WS_COPIED_HEADER = 4 };

/* Where the closing handshake stands. */
typedef enum {
    /* Bytes flow both ways. */
    WS_OPEN,
    /* We sent (or queued) our Close; the desktop is closed; waiting for the browser's Close or the grace period. */
    WS_AWAITING_CLOSE,
    /* The closing handshake is complete or the browser broke the protocol: close once the outbox is flushed (and the
     * desktop took what the browser sent before a Close of its own). */
    WS_CLOSE_AFTER_FLUSH,
} WebSocketPhase;

typedef struct {
    /* Browser to desktop. [0, ready): unmasked payload for the desktop; [parsed, filled): bytes not yet parsed. */
    uint8_t *inbound;
    size_t inbound_capacity, ready, parsed, filled;
    /* The browser frame being parsed: its header so far, then its payload. */
    uint8_t header[14];
    size_t header_have;
    bool in_payload;
    uint64_t payload_left;
    uint8_t mask[4];
    unsigned mask_at;
    uint8_t opcode;
    /* A binary message's first frame came without FIN: its continuations are due, and no other message may begin
     * before its last (RFC 6455 section 5.4). */
    bool message_open;
    uint8_t control[WS_CONTROL_PAYLOAD];
    size_t control_have;
    /* Desktop to browser, one frame at a time: a copied one (header and payload in `copied`, from copied_start to
     * copied_end) while the desktop sends little, or a spliced one (its payload in the pipe, `held` bytes of the
     * direction, after `frame_header`) while it streams. */
    bool copying;
    uint8_t copied[WS_COPIED_HEADER + WS_COPIED_PAYLOAD];
    size_t copied_start, copied_end;
    uint8_t frame_header[10];
    size_t frame_header_length, frame_header_sent;
    /* Some of the frame under way was sent: it must be finished before anything else goes. */
    bool frame_begun;
    /* The last take from the desktop found its socket drained: no other is tried in this round of events. */
    bool desktop_drained;
    /* Control frames for the browser, sent between data frames. */
    uint8_t outbox[WS_OUTBOX];
    size_t outbox_length;
    WebSocketPhase phase;
    /* The code of the Close frame queued for the browser, 0 before one was. */
    uint16_t close_code;
    int64_t close_deadline_ms, next_ping_ms;
    /* The browser closed its connection or it failed. */
    bool browser_gone;
    /* The browser's Close came after data still in [0, ready): the desktop is closed once it took that data (RFC 6455
     * sections 1.4 and 7.1), or when the closing grace passed. */
    bool desktop_owed;
} WebSocket;

/* The engine-wide WebSocket settings. */
typedef struct {
    size_t max_frame;
    int ping_interval_ms;
    int close_grace_ms;
} WebSocketLimits;

/* Sets up a relay's WebSocket state with `early` bytes (sent by the browser before the relay began) to be parsed
 * first; false when memory ran out or `early` does not fit the inbound buffer. */
bool websocket_begin(Relay *relay, const WebSocketLimits *limits, const void *early, size_t early_length,
                     int64_t now_ms);

/* What pumping a WebSocket relay left it in. */
typedef enum {
    WS_LIVE,
    /* Done: free the relay (`error` says why: 0 after a complete closing handshake). */
    WS_ENDED,
} WebSocketStatus;

/* Moves what it can both ways, answers control frames and registers the ends for what they wait on. */
WebSocketStatus websocket_pump(Relay *relay, const WebSocketLimits *limits, int pipe_bytes, int64_t now_ms,
                               int *error);

/* Queues our Close frame (`code`, `reason`), closes the desktop's connection and waits for the browser's answer. */
void websocket_terminate(Relay *relay, const WebSocketLimits *limits, uint16_t code, const char *reason,
                         size_t reason_length, int64_t now_ms);

/* Handles epoll's `events` for one end: moves only the directions they concern. */
WebSocketStatus websocket_handle(Relay *relay, int side, uint32_t events, const WebSocketLimits *limits, int pipe_bytes,
                                 int64_t now_ms, int *error);

/* For a browser already sent a Close (with its 101, the desktop unreachable): waits for its answer. */
void websocket_await_close(Relay *relay, const WebSocketLimits *limits, int64_t now_ms);

/* Timers: the closing grace (WS_ENDED when it passed), keep-alive pings and the idle timeout (a Close 4408). */
WebSocketStatus websocket_tick(Relay *relay, const WebSocketLimits *limits, int idle_timeout_ms, int pipe_bytes,
                               int64_t now_ms, int *error);

void websocket_free(WebSocket *websocket);

#endif
