#define _GNU_SOURCE
#include "relay.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* How many empty pipes a worker keeps for its next tunnels. */
#define SPARE_PIPES 64

/* A request from another thread to a worker: open a relay, start or stop accepting, decide a pending request, close
 * a relay, or stop. */
typedef struct Command {
    enum { OPEN, LISTEN, UNLISTEN, GRANT, REFUSE, CLOSE, CLOSE_WEBSOCKET, STOP } kind;
    Relay *relay;
    uint64_t id;
    /* GRANT: where to connect and what it is sent first; REFUSE: the reply (owned by the command). */
    struct sockaddr_storage target;
    socklen_t target_length;
    char preface[128];
    size_t preface_length;
    char *reply;
    size_t reply_length;
    /* CLOSE_WEBSOCKET: the Close frame's code and reason. */
    uint16_t code;
    size_t reason_length;
    char reason[WS_CONTROL_PAYLOAD];
    struct Command *next;
} Command;

struct Worker {
    SpliceEngine *engine;
    /* Its place among the workers: the ids of the relays it accepts are this modulo the worker count. */
    int index;
    /* Accepting on the engine's listening socket; paused while out of descriptors. */
    bool listening, listening_paused;
    uint64_t accepted;
    pthread_t thread;
    int epoll_fd;
    /* Written to wake the worker when commands are queued. */
    int wake_fd;
    pthread_mutex_t lock;
    Command *commands, *last_command;
    /* The worker's live relays, for close requests and the idle sweep. */
    Relay *relays;
    /* Relays ended during this round of events, freed once the round is over: a later event of the same round may
     * still point at them. */
    Relay *ended;
    /* Empty pipes kept from ended tunnels for the next ones: making a pipe and sizing it costs more than the
     * rest of opening a tunnel to a desktop on this host. */
    int spare_pipes[SPARE_PIPES][2];
    int spare_pipe_count;
};

struct SpliceEngine {
    /* The options, the tunnel replies pointing at the engine's own copies. */
    SpliceEngineOptions options;
    WebSocketLimits websocket_limits;
    Worker *workers;
    int worker_count;
    /* Spreads new relays over the workers. */
    unsigned next_worker;
    pthread_mutex_t lock;
    /* The listening socket the workers accept on, or -1; its address marks its events in the workers' epolls. */
    int listen_fd;
    /* Workers yet to stop accepting, counted down under `lock` as splice_engine_unlisten waits. */
    int unlisten_pending;
    pthread_cond_t unlistened;
};

static int64_t now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

bool worker_take_pipe(Worker *worker, int ends[2]) {
    if (worker->spare_pipe_count == 0) return false;
    worker->spare_pipe_count--;
    ends[0] = worker->spare_pipes[worker->spare_pipe_count][0];
    ends[1] = worker->spare_pipes[worker->spare_pipe_count][1];
    return true;
}

/* Keeps an ended tunnel's pipes that are known empty (nothing held) for the next tunnels. A WebSocket relay's are
 * not kept: it may drop what its pipe holds at its end. */
static void keep_pipes(Worker *worker, Relay *relay) {
    if (relay->is_websocket) return;
    for (int side = 0; side < 2; side++) {
        Direction *direction = &relay->direction[side];
        if (direction->pipe[0] < 0 || direction->held > 0 || worker->spare_pipe_count == SPARE_PIPES) continue;
        worker->spare_pipes[worker->spare_pipe_count][0] = direction->pipe[0];
        worker->spare_pipes[worker->spare_pipe_count][1] = direction->pipe[1];
        worker->spare_pipe_count++;
        direction->pipe[0] = direction->pipe[1] = -1;
    }
}

static void forget(Worker *worker, Relay *relay) {
    if (relay->previous) relay->previous->next = relay->next;
    else worker->relays = relay->next;
    if (relay->next) relay->next->previous = relay->previous;
}

/* Closes the relay's sockets (so whoever reads the report finds them closed), reports the end, and leaves the relay
 * to be freed after this round of events. */
static void finish(Worker *worker, Relay *relay, SpliceEvent event, int error) {
    if (relay->connect_error) {  /* a WebSocket relay that never connected, closed after its Close handshake */
        event = SPLICE_FAILED;
        error = relay->connect_error;
    }
    forget(worker, relay);
    keep_pipes(worker, relay);
    relay_close(relay);
    relay->next = worker->ended;
    worker->ended = relay;
    const SpliceEngineOptions *options = &worker->engine->options;
    options->callback(options->context, relay->id, event, error, relay->direction[CLIENT].moved,
                      relay->direction[TARGET].moved, relay->websocket ? relay->websocket->close_code : 0);
}

static void free_ended(Worker *worker) {
    while (worker->ended) {
        Relay *next = worker->ended->next;
        relay_free(worker->ended);
        worker->ended = next;
    }
}

static void enqueue(Worker *worker, Command *command) {
    pthread_mutex_lock(&worker->lock);
    if (worker->last_command) worker->last_command->next = command;
    else worker->commands = command;
    worker->last_command = command;
    pthread_mutex_unlock(&worker->lock);
    uint64_t one = 1;
    (void)!write(worker->wake_fd, &one, sizeof one);
}

static void adopt(Worker *worker, Relay *relay) {
    relay->worker = worker;
    relay->next = worker->relays;
    if (worker->relays) worker->relays->previous = relay;
    worker->relays = relay;
}

/* Reports what handling an event did to a relay, and frees it once ended. */
static void settle(Worker *worker, Relay *relay, RelayStatus status, int error) {
    const SpliceEngineOptions *options = &worker->engine->options;
    switch (status) {
    case RELAY_LIVE: break;
    case RELAY_OPENED: options->callback(options->context, relay->id, SPLICE_OPENED, 0, 0, 0, 0); break;
    case RELAY_FAILED: finish(worker, relay, SPLICE_FAILED, error); break;
    case RELAY_ENDED: finish(worker, relay, SPLICE_CLOSED, error); break;
    }
}

/* Starts connecting a relay the worker holds to its target, and finishes at once when the target already answered. */
static void connect_relay(Worker *worker, Relay *relay) {
    int64_t now = now_ms();
    int error = 0;
    if (!relay_begin(relay, worker->epoll_fd, now)) {
        /* The failure reply still goes out: the client asked and deserves an answer. */
        if (relay_refuse(relay, errno, worker->engine->options.pipe_bytes, &worker->engine->websocket_limits, now,
                         &error) != RELAY_LIVE) {
            finish(worker, relay, SPLICE_FAILED, error);
        }
    } else if (relay->connected_at_once) {
        settle(worker, relay,
               relay_handle(relay, TARGET, EPOLLOUT, now, worker->engine->options.pipe_bytes,
                            &worker->engine->websocket_limits, &error),
               error);
    }
}

static void start_relay(Worker *worker, Relay *relay) {
    adopt(worker, relay);
    connect_relay(worker, relay);
}

static char *copy(const void *bytes, size_t length) {
    char *copied = malloc(length ? length : 1);
    if (copied && length) memcpy(copied, bytes, length);
    return copied;
}

/* A relay of `client_fd` with no target socket and no pipes yet; NULL when out of memory. */
static Relay *new_relay(uint64_t id, int client_fd) {
    Relay *relay = calloc(1, sizeof *relay);
    if (!relay) return NULL;
    relay->id = id;
    relay->fd[CLIENT] = client_fd;
    relay->fd[TARGET] = -1;
    for (int side = 0; side < 2; side++) {
        relay->end[side] = (RelayEnd){.relay = relay, .side = side};
        relay->direction[side].pipe[0] = relay->direction[side].pipe[1] = -1;
    }
    return relay;
}

static void read_request(Worker *worker, Relay *relay);

/* Starts reading an accepted client's request. */
static void start_request(Worker *worker, Relay *relay) {
    adopt(worker, relay);
    relay->epoll_fd = worker->epoll_fd;
    relay->request_deadline_ms = now_ms() + worker->engine->options.request_timeout_ms;
    /* Accepting waited for the client's first bytes: read them before asking epoll to wait for more. */
    read_request(worker, relay);
}

/* Answers a request with a refusal and ends the relay. */
static void refuse_request(Worker *worker, Relay *relay, const void *reply, size_t length) {
    request_answer(relay, reply, length);
    finish(worker, relay, SPLICE_FAILED, EACCES);
}

/* Connects a granted request to `target`; `preface` goes to it first, then the bytes after the request's head. */
static void grant_request(Worker *worker, Relay *relay, const struct sockaddr_storage *target, socklen_t length,
                          const char *preface, size_t preface_length) {
    const SpliceEngineOptions *options = &worker->engine->options;
    relay->requesting = relay->awaiting_verdict = false;
    if (preface_length > 0) {
        relay->preface = copy(preface, preface_length);
        relay->preface_length = relay->preface ? preface_length : 0;
    }
    if (length == 0 || length > sizeof relay->target || (preface_length > 0 && !relay->preface) ||
        !request_keep_early_bytes(relay) ||
        !(relay->opened_reply = copy(options->tunnel_opened_reply, options->tunnel_opened_reply_length)) ||
        !(relay->failed_reply = copy(options->tunnel_failed_reply, options->tunnel_failed_reply_length))) {
        finish(worker, relay, SPLICE_FAILED, length == 0 || length > sizeof relay->target ? EINVAL : ENOMEM);
        return;
    }
    relay->opened_reply_length = options->tunnel_opened_reply_length;
    relay->failed_reply_length = options->tunnel_failed_reply_length;
    memcpy(&relay->target, target, length);
    relay->target_length = length;
    connect_relay(worker, relay);
}

/* A 431 for a request head over REQUEST_HEAD_LIMIT. */
static const char too_large_reply[] =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 36\r\nContent-Type: text/plain\r\n"
    "Connection: close\r\n\r\n431 Request Header Fields Too Large\n";

/* Reads more of an accepted client's request and, once its head is complete, has it decided. */
static void read_request(Worker *worker, Relay *relay) {
    int error = 0;
    switch (request_read(relay, &error)) {
    case REQUEST_INCOMPLETE: relay_set_interest(relay, CLIENT, EPOLLIN); return;
    case REQUEST_FAILED: finish(worker, relay, SPLICE_FAILED, error); return;
    case REQUEST_TOO_LARGE:
        request_answer(relay, too_large_reply, sizeof too_large_reply - 1);
        finish(worker, relay, SPLICE_FAILED, EMSGSIZE);
        return;
    case REQUEST_COMPLETE: break;
    }
    relay_set_interest(relay, CLIENT, 0);
    if (relay->refusal) {
        refuse_request(worker, relay, relay->refusal, relay->refusal_length);
        return;
    }
    const SpliceEngineOptions *options = &worker->engine->options;
    SpliceRequestAnswer answer;
    answer.verdict = SPLICE_PENDING;
    answer.target_length = 0;
    answer.preface_length = 0;
    answer.reply_length = 0;
    options->request_callback(options->context, relay->id, relay->request, relay->head_length, &answer);
    switch (answer.verdict) {
    case SPLICE_GRANT:
        grant_request(worker, relay, &answer.target, answer.target_length, answer.preface,
                      answer.preface_length < sizeof answer.preface ? answer.preface_length : sizeof answer.preface);
        break;
    case SPLICE_REFUSE:
        refuse_request(worker, relay, answer.reply,
                       answer.reply_length < sizeof answer.reply ? answer.reply_length : sizeof answer.reply);
        break;
    default: relay->awaiting_verdict = true; break;
    }
}

static Relay *find(Worker *worker, uint64_t id) {
    for (Relay *relay = worker->relays; relay; relay = relay->next) {
        if (relay->id == id) return relay;
    }
    return NULL;
}

/* Ends a relay from outside its sockets' events: a close request, the idle sweep or the engine stopping. */
static void cut(Worker *worker, Relay *relay, int error) {
    if (relay->requesting) {
        finish(worker, relay, SPLICE_FAILED, error);
    } else if (relay->connecting) {
        (void)!send(relay->fd[CLIENT], relay->failed_reply, relay->failed_reply_length, MSG_NOSIGNAL | MSG_DONTWAIT);
        finish(worker, relay, SPLICE_FAILED, error);
    } else {
        finish(worker, relay, SPLICE_CLOSED, error);
    }
}

/* Starts the closing handshake of a live WebSocket relay: our Close frame, then the browser's answer or the grace. */
static void say_goodbye(Worker *worker, Relay *relay, uint16_t code, const char *reason, size_t reason_length) {
    const WebSocketLimits *limits = &worker->engine->websocket_limits;
    int64_t now = now_ms();
    websocket_terminate(relay, limits, code, reason, reason_length, now);
    int error = 0;
    if (websocket_pump(relay, limits, worker->engine->options.pipe_bytes, now, &error) == WS_ENDED) {
        finish(worker, relay, SPLICE_CLOSED, error);
    }
}

/* Registers the engine's listening socket with this worker's epoll, or removes it. */
static void watch_listener(Worker *worker, bool watch) {
    int listen_fd = worker->engine->listen_fd;
    struct epoll_event event = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = &worker->engine->listen_fd};
    epoll_ctl(worker->epoll_fd, watch ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, listen_fd, &event);
}

/* Starts or stops accepting; a stop is acknowledged to splice_engine_unlisten. */
static void set_listening(Worker *worker, bool listening) {
    SpliceEngine *engine = worker->engine;
    if (listening && !worker->listening) watch_listener(worker, true);
    if (!listening && worker->listening && !worker->listening_paused) watch_listener(worker, false);
    worker->listening = listening;
    worker->listening_paused = false;
    if (listening) return;
    pthread_mutex_lock(&engine->lock);
    engine->unlisten_pending--;
    pthread_cond_broadcast(&engine->unlistened);
    pthread_mutex_unlock(&engine->lock);
}

/* Accepts the clients waiting on the listening socket (a bounded number per round, so relays are not starved): each
 * is admitted, then its request is read. */
static void accept_clients(Worker *worker) {
    SpliceEngine *engine = worker->engine;
    const SpliceEngineOptions *options = &engine->options;
    for (int round = 0; round < 32 && worker->listening && !worker->listening_paused; round++) {
        struct sockaddr_storage peer;
        socklen_t length = sizeof peer;
        int fd = accept4(engine->listen_fd, (struct sockaddr *)&peer, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO || errno == EPERM) continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* Out of descriptors or memory: stop listening until the next sweep rather than spin; the backlog
                 * keeps the clients. */
                watch_listener(worker, false);
                worker->listening_paused = true;
            }
            return;  /* EAGAIN: the backlog is empty, or another worker took the client */
        }
        uint64_t id = ++worker->accepted * (uint64_t)engine->worker_count + (uint64_t)worker->index;
        Relay *relay = new_relay(id, fd);
        if (!relay) {
            close(fd);
            continue;
        }
        relay->requesting = true;
        char text[64] = "unknown";
        address_text(&peer, text, sizeof text);
        SpliceRequestAnswer answer;
        answer.verdict = SPLICE_PENDING;
        answer.reply_length = 0;
        options->admit_callback(options->context, id, text, &answer);
        if (answer.verdict == SPLICE_REFUSE) {
            relay->refusal_length = answer.reply_length < sizeof answer.reply ? answer.reply_length : sizeof answer.reply;
            relay->refusal = copy(answer.reply, relay->refusal_length);
            if (!relay->refusal) {
                adopt(worker, relay);
                finish(worker, relay, SPLICE_FAILED, ENOMEM);
                continue;
            }
        }
        start_request(worker, relay);
    }
}

/* Runs queued commands; false once told to stop. */
static bool run_commands(Worker *worker) {
    uint64_t count;
    (void)!read(worker->wake_fd, &count, sizeof count);
    pthread_mutex_lock(&worker->lock);
    Command *command = worker->commands;
    worker->commands = worker->last_command = NULL;
    pthread_mutex_unlock(&worker->lock);
    bool running = true;
    while (command) {
        Command *next = command->next;
        if (command->kind == OPEN) {
            start_relay(worker, command->relay);
        } else if (command->kind == LISTEN || command->kind == UNLISTEN) {
            set_listening(worker, command->kind == LISTEN);
        } else if (command->kind == GRANT || command->kind == REFUSE) {
            Relay *relay = find(worker, command->id);
            if (relay && relay->awaiting_verdict && command->kind == GRANT) {
                grant_request(worker, relay, &command->target, command->target_length, command->preface,
                              command->preface_length);
            } else if (relay && relay->awaiting_verdict) {
                refuse_request(worker, relay, command->reply, command->reply_length);
            }
            free(command->reply);
        } else if (command->kind == CLOSE) {
            Relay *relay = find(worker, command->id);
            if (relay) cut(worker, relay, ECANCELED);
        } else if (command->kind == CLOSE_WEBSOCKET) {
            Relay *relay = find(worker, command->id);
            if (relay && (relay->connecting || !relay->websocket)) {
                cut(worker, relay, ECANCELED);
            } else if (relay) {
                say_goodbye(worker, relay, command->code, command->reason, command->reason_length);
            }
        } else {
            running = false;
        }
        free(command);
        command = next;
    }
    return running;
}

/* Closes relays that moved nothing for the idle timeout and connections past their connect deadline; runs the
 * WebSocket relays' timers (pings, the idle Close, the closing grace). */
static void sweep(Worker *worker, int64_t now) {
    int idle_timeout = worker->engine->options.idle_timeout_ms;
    int connect_timeout = worker->engine->options.connect_timeout_ms;
    if (worker->listening && worker->listening_paused) {
        watch_listener(worker, true);
        worker->listening_paused = false;
    }
    Relay *relay = worker->relays;
    while (relay) {
        Relay *next = relay->next;
        int64_t quiet = now - relay->last_activity_ms;
        if (relay->requesting) {
            if (now >= relay->request_deadline_ms) cut(worker, relay, ETIMEDOUT);
        } else if (relay->connecting) {
            if (quiet >= connect_timeout) cut(worker, relay, ETIMEDOUT);
        } else if (relay->websocket) {
            int error = 0;
            if (websocket_tick(relay, &worker->engine->websocket_limits, idle_timeout, worker->engine->options.pipe_bytes,
                               now, &error) == WS_ENDED) {
                finish(worker, relay, SPLICE_CLOSED, error);
            }
        } else if (idle_timeout > 0 && quiet >= idle_timeout) {
            cut(worker, relay, ETIMEDOUT);
        }
        relay = next;
    }
}

static void *worker_main(void *argument) {
    Worker *worker = argument;
    /* splice(2) into a socket the peer reset raises SIGPIPE on the calling thread; here it stays blocked, unseen. */
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, NULL);

    int pipe_bytes = worker->engine->options.pipe_bytes;
    struct epoll_event events[256];
    int64_t next_sweep = now_ms() + 250;
    bool running = true;
    while (running) {
        int ready = epoll_wait(worker->epoll_fd, events, 256, 250);
        int64_t now = now_ms();
        for (int index = 0; index < ready; index++) {
            RelayEnd *end = events[index].data.ptr;
            if (end == NULL) {
                running = run_commands(worker) && running;
                continue;
            }
            if ((void *)end == (void *)&worker->engine->listen_fd) {
                accept_clients(worker);
                continue;
            }
            int error = 0;
            Relay *relay = end->relay;
            if (relay->closed) continue;  /* ended earlier in this round */
            if (relay->requesting) {
                if (!relay->awaiting_verdict) read_request(worker, relay);
                continue;
            }
            settle(worker, relay,
                   relay_handle(relay, end->side, events[index].events, now, pipe_bytes,
                                &worker->engine->websocket_limits, &error),
                   error);
        }
        if (now >= next_sweep) {
            sweep(worker, now);
            next_sweep = now + 250;
        }
        free_ended(worker);
    }
    while (worker->relays) cut(worker, worker->relays, ECANCELED);
    free_ended(worker);
    while (worker->spare_pipe_count > 0) {
        worker->spare_pipe_count--;
        close(worker->spare_pipes[worker->spare_pipe_count][0]);
        close(worker->spare_pipes[worker->spare_pipe_count][1]);
    }
    return NULL;
}

SpliceEngine *splice_engine_start(const SpliceEngineOptions *options) {
    SpliceEngine *engine = calloc(1, sizeof *engine);
    if (!engine) return NULL;
    engine->options = *options;
    engine->options.tunnel_opened_reply = copy(options->tunnel_opened_reply, options->tunnel_opened_reply_length);
    engine->options.tunnel_failed_reply = copy(options->tunnel_failed_reply, options->tunnel_failed_reply_length);
    if (!engine->options.tunnel_opened_reply || !engine->options.tunnel_failed_reply) {
        free((void *)engine->options.tunnel_opened_reply);
        free((void *)engine->options.tunnel_failed_reply);
        free(engine);
        errno = ENOMEM;
        return NULL;
    }
    engine->websocket_limits = (WebSocketLimits){
        .max_frame = options->websocket_max_frame > 0 ? (size_t)options->websocket_max_frame : 1 << 20,
        .ping_interval_ms = options->websocket_ping_interval_ms,
        .close_grace_ms = options->websocket_close_grace_ms,
    };
    engine->worker_count = options->workers > 0 ? options->workers : 1;
    engine->workers = calloc((size_t)engine->worker_count, sizeof *engine->workers);
    if (!engine->workers) {
        free((void *)engine->options.tunnel_opened_reply);
        free((void *)engine->options.tunnel_failed_reply);
        free(engine);
        return NULL;
    }
    pthread_mutex_init(&engine->lock, NULL);
    pthread_cond_init(&engine->unlistened, NULL);
    engine->listen_fd = -1;
    for (int index = 0; index < engine->worker_count; index++) {
        Worker *worker = &engine->workers[index];
        worker->engine = engine;
        worker->index = index;
        pthread_mutex_init(&worker->lock, NULL);
        worker->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        worker->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        struct epoll_event wake = {.events = EPOLLIN, .data.ptr = NULL};
        if (worker->epoll_fd < 0 || worker->wake_fd < 0 ||
            epoll_ctl(worker->epoll_fd, EPOLL_CTL_ADD, worker->wake_fd, &wake) < 0 ||
            (errno = pthread_create(&worker->thread, NULL, worker_main, worker)) != 0) {
            int error = errno;
            engine->worker_count = index;  /* stop the workers already running */
            if (worker->epoll_fd >= 0) close(worker->epoll_fd);
            if (worker->wake_fd >= 0) close(worker->wake_fd);
            splice_engine_stop(engine);
            errno = error;
            return NULL;
        }
    }
    return engine;
}

int splice_engine_open(SpliceEngine *engine, SpliceRelayKind kind, uint64_t id, int client_fd,
                       const struct sockaddr *target, socklen_t target_length, const void *preface,
                       size_t preface_length, const void *opened_reply, size_t opened_reply_length,
                       const void *failed_reply, size_t failed_reply_length, const void *early_bytes,
                       size_t early_bytes_length) {
    Relay *relay = new_relay(id, client_fd);
    Command *command = calloc(1, sizeof *command);
    if (!relay || !command || target_length > sizeof relay->target) {
        int error = relay && command ? EINVAL : ENOMEM;
        free(relay);
        free(command);
        close(client_fd);
        errno = error;
        return -1;
    }
    relay->is_websocket = kind == SPLICE_WEBSOCKET;
    memcpy(&relay->target, target, target_length);
    relay->target_length = target_length;
    relay->opened_reply = copy(opened_reply, opened_reply_length);
    relay->opened_reply_length = opened_reply_length;
    relay->failed_reply = copy(failed_reply, failed_reply_length);
    relay->failed_reply_length = failed_reply_length;
    relay->early_bytes = copy(early_bytes, early_bytes_length);
    relay->early_bytes_length = early_bytes_length;
    if (preface_length > 0) {
        relay->preface = copy(preface, preface_length);
        relay->preface_length = preface_length;
    }
    if (!relay->opened_reply || !relay->failed_reply || !relay->early_bytes || (preface_length > 0 && !relay->preface)) {
        relay_close(relay);
        relay_free(relay);
        free(command);
        errno = ENOMEM;
        return -1;
    }
    pthread_mutex_lock(&engine->lock);
    Worker *worker = &engine->workers[engine->next_worker++ % (unsigned)engine->worker_count];
    pthread_mutex_unlock(&engine->lock);
    command->kind = OPEN;
    command->relay = relay;
    enqueue(worker, command);
    return 0;
}

/* The worker an accepted relay lives on (its id was made so), so decisions about it go to that worker alone. */
static Worker *home_of(SpliceEngine *engine, uint64_t id) {
    return &engine->workers[id % (uint64_t)engine->worker_count];
}

/* Tells every worker to start or stop accepting. */
static int tell_listening(SpliceEngine *engine, bool listening) {
    for (int index = 0; index < engine->worker_count; index++) {
        Command *command = calloc(1, sizeof *command);
        if (!command) return -1;
        command->kind = listening ? LISTEN : UNLISTEN;
        enqueue(&engine->workers[index], command);
    }
    return 0;
}

int splice_engine_listen(SpliceEngine *engine, int listen_fd) {
    int flags = fcntl(listen_fd, F_GETFL);
    if (flags < 0 || fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) < 0) return -1;
    /* A client is handed over once its request has arrived: one wake-up reads it (a hint; without it, two). */
    int seconds = engine->options.request_timeout_ms / 1000 > 0 ? engine->options.request_timeout_ms / 1000 : 1;
    setsockopt(listen_fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds, sizeof seconds);
    engine->listen_fd = listen_fd;
    return tell_listening(engine, true);
}

void splice_engine_unlisten(SpliceEngine *engine) {
    pthread_mutex_lock(&engine->lock);
    engine->unlisten_pending = engine->worker_count;
    pthread_mutex_unlock(&engine->lock);
    if (tell_listening(engine, false) < 0) return;  /* out of memory: the workers stop at splice_engine_stop */
    pthread_mutex_lock(&engine->lock);
    while (engine->unlisten_pending > 0) pthread_cond_wait(&engine->unlistened, &engine->lock);
    pthread_mutex_unlock(&engine->lock);
}

void splice_engine_grant(SpliceEngine *engine, uint64_t id, const struct sockaddr *target, socklen_t target_length,
                         const void *preface, size_t preface_length) {
    Command *command = calloc(1, sizeof *command);
    if (!command) return;  /* the request timeout ends the relay */
    command->kind = GRANT;
    command->id = id;
    if (target_length <= sizeof command->target) {
        memcpy(&command->target, target, target_length);
        command->target_length = target_length;
    }
    if (preface_length <= sizeof command->preface) {
        memcpy(command->preface, preface, preface_length);
        command->preface_length = preface_length;
    }
    enqueue(home_of(engine, id), command);
}

void splice_engine_refuse(SpliceEngine *engine, uint64_t id, const void *reply, size_t reply_length) {
    Command *command = calloc(1, sizeof *command);
    if (!command) return;
    command->kind = REFUSE;
    command->id = id;
    command->reply = copy(reply, reply_length);
    command->reply_length = command->reply ? reply_length : 0;
    enqueue(home_of(engine, id), command);
}

void splice_engine_close_websocket(SpliceEngine *engine, uint64_t id, uint16_t code, const char *reason,
                                   size_t reason_length) {
    if (reason_length > WS_CONTROL_PAYLOAD - 2) reason_length = WS_CONTROL_PAYLOAD - 2;
    for (int index = 0; index < engine->worker_count; index++) {
        Command *command = calloc(1, sizeof *command);
        if (!command) continue;
        command->kind = CLOSE_WEBSOCKET;
        command->id = id;
        command->code = code;
        memcpy(command->reason, reason, reason_length);
        command->reason_length = reason_length;
        enqueue(&engine->workers[index], command);
    }
}

void splice_engine_close(SpliceEngine *engine, uint64_t id) {
    /* Only the worker holding the relay finds it; the others look and ignore the request. */
    for (int index = 0; index < engine->worker_count; index++) {
        Command *command = calloc(1, sizeof *command);
        if (!command) continue;
        command->kind = CLOSE;
        command->id = id;
        enqueue(&engine->workers[index], command);
    }
}

void splice_engine_stop(SpliceEngine *engine) {
    for (int index = 0; index < engine->worker_count; index++) {
        Command *command = calloc(1, sizeof *command);
        Worker *worker = &engine->workers[index];
        if (command) {
            command->kind = STOP;
            enqueue(worker, command);
        }
        pthread_join(worker->thread, NULL);
        close(worker->epoll_fd);
        close(worker->wake_fd);
        pthread_mutex_destroy(&worker->lock);
    }
    pthread_mutex_destroy(&engine->lock);
    pthread_cond_destroy(&engine->unlistened);
    free((void *)engine->options.tunnel_opened_reply);
    free((void *)engine->options.tunnel_failed_reply);
    free(engine->workers);
    free(engine);
}
