/* Timers and watches live in linked lists; removing one only marks it, and marked entries are freed between
 * iterations, so a callback may add or remove anything, itself included. Used from the main thread only,
 * except channel_event, which spice-server may call from its worker threads. */
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct SpiceTimer {
    SpiceTimerFunc func;
    void *opaque;
    uint64_t due;  /* 0: not armed */
    bool removed;
    SpiceTimer *next;
};

struct SpiceWatch {
    int fd, mask;
    SpiceWatchFunc func;
    void *opaque;
    bool removed;
    SpiceWatch *next;
};

static SpiceTimer *timers;
static SpiceWatch *watches;
static int watch_count;
static bool quitting;

uint64_t loop_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *must_alloc(size_t size) {
    void *p = calloc(1, size);
    if (!p) {
        fputs("saffron-spice-pattern: out of memory\n", stderr);
        abort();
    }
    return p;
}

static SpiceTimer *timer_add(SpiceTimerFunc func, void *opaque) {
    SpiceTimer *t = must_alloc(sizeof *t);
    *t = (SpiceTimer){.func = func, .opaque = opaque, .next = timers};
    timers = t;
    return t;
}

void loop_timer_start_at(SpiceTimer *t, uint64_t due) { t->due = due ? due : 1; }
static void timer_start(SpiceTimer *t, uint32_t ms) { loop_timer_start_at(t, loop_now() + (uint64_t)ms * 1000000u); }
static void timer_cancel(SpiceTimer *t) { t->due = 0; }
static void timer_remove(SpiceTimer *t) { t->due = 0, t->removed = true; }

static SpiceWatch *watch_add(int fd, int mask, SpiceWatchFunc func, void *opaque) {
    SpiceWatch *w = must_alloc(sizeof *w);
    *w = (SpiceWatch){.fd = fd, .mask = mask, .func = func, .opaque = opaque, .next = watches};
    watches = w;
    watch_count++;
    return w;
}

static void watch_update_mask(SpiceWatch *w, int mask) { w->mask = mask; }
static void watch_remove(SpiceWatch *w) { w->removed = true, w->mask = 0; }

static void channel_event(int event, SpiceChannelEventInfo *info) {
    (void)event, (void)info;  /* spice-server logs what matters itself */
}

static SpiceCoreInterface core = {
    .base = {.type = SPICE_INTERFACE_CORE, .description = "saffron poll loop",
             .major_version = SPICE_INTERFACE_CORE_MAJOR, .minor_version = SPICE_INTERFACE_CORE_MINOR},
    .timer_add = timer_add,
    .timer_start = timer_start,
    .timer_cancel = timer_cancel,
    .timer_remove = timer_remove,
    .watch_add = watch_add,
    .watch_update_mask = watch_update_mask,
    .watch_remove = watch_remove,
    .channel_event = channel_event,
};

SpiceCoreInterface *loop_core(void) { return &core; }
void loop_quit(void) { quitting = true; }

static void sweep(void) {
    for (SpiceTimer **t = &timers; *t;) {
        SpiceTimer *dead = *t;
        if (dead->removed) *t = dead->next, free(dead);
        else t = &dead->next;
    }
    for (SpiceWatch **w = &watches; *w;) {
        SpiceWatch *dead = *w;
        if (dead->removed) *w = dead->next, free(dead), watch_count--;
        else w = &dead->next;
    }
}

/* Milliseconds until the earliest armed timer, rounded up; -1 when none is armed. */
static int poll_timeout(uint64_t now) {
    uint64_t earliest = 0;
    for (SpiceTimer *t = timers; t; t = t->next)
        if (t->due && (!earliest || t->due < earliest)) earliest = t->due;
    if (!earliest) return -1;
    if (earliest <= now) return 0;
    uint64_t ms = (earliest - now + 999999u) / 1000000u;
    return ms > 60000 ? 60000 : (int)ms;
}

static void run_due_timers(void) {
    uint64_t now = loop_now();
    for (SpiceTimer *t = timers; t; t = t->next)
        if (!t->removed && t->due && t->due <= now) {
            t->due = 0;
            t->func(t->opaque);
        }
}

void loop_run(void) {
    struct pollfd *fds = NULL;
    SpiceWatch **owners = NULL;
    int capacity = 0;
    while (!quitting) {
        if (watch_count > capacity) {
            capacity = watch_count * 2;
            fds = realloc(fds, capacity * sizeof *fds);
            owners = realloc(owners, capacity * sizeof *owners);
            if (!fds || !owners) abort();
        }
        int n = 0;
        for (SpiceWatch *w = watches; w; w = w->next) {
            if (w->removed || !w->mask) continue;
            short events = (w->mask & SPICE_WATCH_EVENT_READ ? POLLIN : 0) |
                           (w->mask & SPICE_WATCH_EVENT_WRITE ? POLLOUT : 0);
            fds[n] = (struct pollfd){.fd = w->fd, .events = events};
            owners[n++] = w;
        }
        if (poll(fds, n, poll_timeout(loop_now())) < 0 && errno != EINTR) {
            perror("saffron-spice-pattern: poll");
            abort();
        }
        run_due_timers();
        for (int i = 0; i < n && !quitting; i++) {
            SpiceWatch *w = owners[i];
            short got = fds[i].revents;
            if (!got || w->removed) continue;
            /* Errors and hangups go to whichever side is watched, so the owner reads or writes and sees them. */
            int event = 0;
            if (got & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) event |= SPICE_WATCH_EVENT_READ;
            if (got & (POLLOUT | POLLHUP | POLLERR | POLLNVAL)) event |= SPICE_WATCH_EVENT_WRITE;
            event &= w->mask;
            if (event) w->func(w->fd, event, w->opaque);
        }
        sweep();
    }
    free(fds);
    free(owners);
}
