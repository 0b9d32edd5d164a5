/* One QXL display on a SPICE server, fed with the pattern's pixels as draw commands. */
#ifndef SAFFRON_DISPLAY_H
#define SAFFRON_DISPLAY_H

#include <spice.h>
#include <stdbool.h>

#include "pattern.h"

typedef struct Display Display;

/* Adds a QXL display to `server` with a primary surface of the pattern's size, and queues the whole pattern. */
Display *display_start(SpiceServer *server, const Pattern *pattern);

/* True when `commands` more draw commands fit in the queue the display worker has not taken yet. */
bool display_has_room(Display *display, int commands);

/* Queues the pattern's pixels inside `rect` as one draw command and wakes the display worker. */
void display_draw(Display *display, const Pattern *pattern, PatternRect rect);

#endif
