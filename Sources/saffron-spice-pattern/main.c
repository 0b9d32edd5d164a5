/* saffron-spice-pattern: a synthetic SPICE desktop. One QXL display shows colour bars over a band with a frame
 * counter and a bouncing box, redrawn --fps times a second; clients need the ticket from SAFFRON_PATTERN_TICKET.
 * Stands in for a VM where booting many is too heavy: gateway load tests, benchmarks with real SPICE traffic. */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <spice.h>
#include <spice/protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "display.h"
#include "loop.h"
#include "pattern.h"

#define TICKET_VARIABLE "SAFFRON_PATTERN_TICKET"

typedef struct {
    const char *listen;
    int port, fps, width, height, ticket_seconds;
} Options;

static const char usage[] =
    "usage: saffron-spice-pattern [--listen ADDR] [--port N] [--fps N] [--size WxH] [--ticket-seconds N]\n"
    "Serves a moving test pattern over SPICE. The SPICE ticket (password) is read from the environment variable\n"
    TICKET_VARIABLE " and is required. Prints \"listening on ADDR:PORT\" once clients can connect.\n"
    "  --listen ADDR         address to listen on (default 127.0.0.1)\n"
    "  --port N              TCP port, 0 for any free one (default 0)\n"
    "  --fps N               display updates per second, 1-120 (default 30)\n"
    "  --size WxH            display size, 64x48 to 4096x4096 (default 640x480)\n"
    "  --ticket-seconds N    the ticket expires N seconds after start; 0 never (default 0)\n";

static _Noreturn void fail(int status, const char *message) {
    fprintf(stderr, "saffron-spice-pattern: %s\n", message);
    exit(status);
}

static int number(const char *text, int min, int max, const char *what) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || end == text || *end || value < min || value > max) {
        char message[160];
        snprintf(message, sizeof message, "%s must be a number from %d to %d, not '%s'", what, min, max, text);
        fail(2, message);
    }
    return (int)value;
}

static Options parse(int argc, char **argv) {
    Options o = {.listen = "127.0.0.1", .port = 0, .fps = 30, .width = 640, .height = 480};
    static const struct option longs[] = {
        {"listen", required_argument, 0, 'l'}, {"port", required_argument, 0, 'p'},
        {"fps", required_argument, 0, 'f'},    {"size", required_argument, 0, 's'},
        {"ticket-seconds", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'l': o.listen = optarg; break;
        case 'p': o.port = number(optarg, 0, 65535, "--port"); break;
        case 'f': o.fps = number(optarg, 1, 120, "--fps"); break;
        case 't': o.ticket_seconds = number(optarg, 0, 100000000, "--ticket-seconds"); break;
        case 's': {
            char *x = strchr(optarg, 'x');
            if (!x) fail(2, "--size must look like 640x480");
            *x = '\0';
            o.width = number(optarg, 64, 4096, "--size width");
            o.height = number(x + 1, 48, 4096, "--size height");
            break;
        }
        case 'h': fputs(usage, stdout); exit(0);
        default: fail(2, "unknown option (see --help)");
        }
    }
    if (optind < argc) fail(2, "unexpected argument (see --help)");
    return o;
}

/* Takes the ticket out of the environment, wiping the original so it does not linger in /proc/PID/environ. */
static char *take_ticket(void) {
    char *value = getenv(TICKET_VARIABLE);
    if (!value || !*value) fail(2, TICKET_VARIABLE " is not set: refusing to serve SPICE without a ticket");
    if (strlen(value) > SPICE_MAX_PASSWORD_LENGTH) fail(2, TICKET_VARIABLE " is longer than SPICE's 60 bytes");
    char *ticket = strdup(value);
    if (!ticket) fail(1, "out of memory");
    memset(value, 0, strlen(value));
    unsetenv(TICKET_VARIABLE);
    return ticket;
}

/* A non-blocking listening socket on addr:port; prints where it listens. */
static int listen_on(const char *addr, int port) {
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
    struct addrinfo *found;
    int rc = getaddrinfo(addr, service, &hints, &found);
    if (rc) {
        fprintf(stderr, "saffron-spice-pattern: --listen %s: %s\n", addr, gai_strerror(rc));
        exit(2);
    }
    int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
        bind(fd, found->ai_addr, found->ai_addrlen) < 0 || listen(fd, 64) < 0) {
        fprintf(stderr, "saffron-spice-pattern: cannot listen on %s port %d: %s\n", addr, port, strerror(errno));
        exit(1);
    }
    freeaddrinfo(found);

    struct sockaddr_storage bound;
    socklen_t length = sizeof bound;
    char host[INET6_ADDRSTRLEN];
    getsockname(fd, (struct sockaddr *)&bound, &length);
    getnameinfo((struct sockaddr *)&bound, length, host, sizeof host, service, sizeof service,
                NI_NUMERICHOST | NI_NUMERICSERV);
    printf(bound.ss_family == AF_INET6 ? "listening on [%s]:%s\n" : "listening on %s:%s\n", host, service);
    fflush(stdout);
    return fd;
}

/* Each accepted connection goes to spice-server as if it had accepted it itself: it asks for the ticket. */
static void accept_clients(int fd, int event, void *opaque) {
    (void)event;
    SpiceServer *server = opaque;
    int client;
    while ((client = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
        if (spice_server_add_client(server, client, 0) < 0) close(client);
}

static void on_signal(int fd, int event, void *opaque) {
    (void)event, (void)opaque;
    struct signalfd_siginfo info;
    if (read(fd, &info, sizeof info) == sizeof info) loop_quit();
}

typedef struct {
    Pattern pattern;
    Display *display;
    SpiceTimer *timer;
    uint64_t period, due;
} Ticker;

/* One frame: advance the pattern and send what changed, unless the worker is behind (then the frame is skipped). */
static void tick(void *opaque) {
    Ticker *t = opaque;
    PatternRect changed[2];
    if (display_has_room(t->display, 2)) {
        int count = pattern_step(&t->pattern, changed);
        for (int i = 0; i < count; i++) display_draw(t->display, &t->pattern, changed[i]);
    }
    uint64_t now = loop_now();
    t->due += t->period;
    if (t->due <= now) t->due = now + t->period;  /* fell behind: skip, do not burst */
    loop_timer_start_at(t->timer, t->due);
}

int main(int argc, char **argv) {
    Options options = parse(argc, argv);
    char *ticket = take_ticket();

    /* Before spice-server starts threads, so they inherit the mask and only the signalfd sees these. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    int signals = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signals < 0) fail(1, "signalfd failed");

    SpiceServer *server = spice_server_new();
    /* Ticketing, never spice_server_set_noauth: a client without the ticket gets no display. */
    if (spice_server_set_ticket(server, ticket, options.ticket_seconds, 0, 0) != 0)
        fail(1, "spice-server refused the ticket");
    memset(ticket, 0, strlen(ticket));
    free(ticket);
    spice_server_set_name(server, "saffron test pattern");
    SpiceCoreInterface *core = loop_core();
    if (spice_server_init(server, core) != 0) fail(1, "spice_server_init failed");

    static Ticker ticker;
    if (pattern_init(&ticker.pattern, options.width, options.height, options.fps) != 0) fail(1, "out of memory");
    ticker.display = display_start(server, &ticker.pattern);
    if (!ticker.display) fail(1, "out of memory");
    spice_server_vm_start(server);

    int listener = listen_on(options.listen, options.port);
    core->watch_add(listener, SPICE_WATCH_EVENT_READ, accept_clients, server);
    core->watch_add(signals, SPICE_WATCH_EVENT_READ, on_signal, NULL);
    ticker.period = 1000000000u / options.fps;
    ticker.due = loop_now() + ticker.period;
    ticker.timer = core->timer_add(tick, &ticker);
    loop_timer_start_at(ticker.timer, ticker.due);

    loop_run();
    close(listener);
    spice_server_vm_stop(server);
    spice_server_destroy(server);
    pattern_free(&ticker.pattern);
    return 0;
}
