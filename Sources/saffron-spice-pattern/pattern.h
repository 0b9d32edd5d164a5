/* The moving test pattern: colour bars over a band with a frame counter and a bouncing box, in xRGB pixels. */
#ifndef SAFFRON_PATTERN_H
#define SAFFRON_PATTERN_H

#include <stdint.h>

/* A rectangle of pixels, right and bottom exclusive. */
typedef struct {
    int left, top, right, bottom;
} PatternRect;

typedef struct {
    int width, height;
    uint32_t *pixels;     /* width * height, row by row, 0x00RRGGBB */
    uint64_t frame;
    int band_top;         /* rows from here down change; the bars above never do */
    int scale;            /* size of one pixel of the counter's 3x5 font */
    PatternRect counter;  /* where the frame counter is drawn */
    int box_top, box_size, box_x, box_step;
} Pattern;

/* Draws frame 0 of a width x height pattern whose box crosses the screen in two seconds at `fps`. 0, or -1. */
int pattern_init(Pattern *pattern, int width, int height, int fps);

/* Draws the next frame; stores the rectangles that changed in `changed` and returns how many there are. */
int pattern_step(Pattern *pattern, PatternRect changed[2]);

void pattern_free(Pattern *pattern);

#endif
