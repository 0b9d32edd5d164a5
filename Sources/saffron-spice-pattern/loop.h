/* A poll() event loop that serves as spice-server's SpiceCoreInterface (timers and fd watches). */
#ifndef SAFFRON_LOOP_H
#define SAFFRON_LOOP_H

#include <spice.h>
#include <stdint.h>

/* The core interface to give spice_server_init; the program uses the same timers and watches. */
SpiceCoreInterface *loop_core(void);

/* Nanoseconds on the monotonic clock. */
uint64_t loop_now(void);

/* Arms `timer` for the absolute monotonic time `due` (ns): frame ticks without drift. */
void loop_timer_start_at(SpiceTimer *timer, uint64_t due);

/* Runs timers and watches until loop_quit() is called (from one of them). */
void loop_run(void);
void loop_quit(void);

#endif
