#include "pattern.h"

#include <stdlib.h>

/* Saturated colours a test can find on the screen: white, yellow, cyan, green, magenta, red, blue. */
static const uint32_t bar_colours[] = {0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff};
enum { bar_count = sizeof bar_colours / sizeof bar_colours[0], counter_digits = 8 };
static const uint32_t band_colour = 0x202020, ink = 0xffffff;

/* Digits 0-9 in a 3x5 font: five rows of three bits, top row in the high bits. */
static const uint16_t glyphs[10] = {
    075557, 026227, 071747, 071717, 055711, 074717, 074757, 071111, 075757, 075717,
};

static void fill(Pattern *p, PatternRect r, uint32_t colour) {
    if (r.left < 0) r.left = 0;
    if (r.top < 0) r.top = 0;
    if (r.right > p->width) r.right = p->width;
    if (r.bottom > p->height) r.bottom = p->height;
    for (int y = r.top; y < r.bottom; y++)
        for (int x = r.left; x < r.right; x++) p->pixels[(size_t)y * p->width + x] = colour;
}

static PatternRect box_rect(const Pattern *p) {
    return (PatternRect){p->box_x, p->box_top, p->box_x + p->box_size, p->box_top + p->box_size};
}

static void draw_counter(Pattern *p) {
    fill(p, p->counter, band_colour);
    uint64_t value = p->frame;
    for (int digit = counter_digits - 1; digit >= 0; digit--, value /= 10) {
        uint16_t glyph = glyphs[value % 10];
        int left = p->counter.left + digit * 4 * p->scale;
        for (int row = 0; row < 5; row++)
            for (int col = 0; col < 3; col++)
                if (glyph & (1u << (14 - row * 3 - col))) {
                    int x = left + col * p->scale, y = p->counter.top + row * p->scale;
                    fill(p, (PatternRect){x, y, x + p->scale, y + p->scale}, ink);
                }
    }
}

/* The box bounces between the left and right edges: one crossing every `box_step` frames per pixel of travel. */
static int box_position(const Pattern *p) {
    int travel = p->width - p->box_size;
    if (travel <= 0) return 0;
    uint64_t at = (p->frame * (uint64_t)p->box_step) % (2 * (uint64_t)travel);
    return at <= (uint64_t)travel ? (int)at : (int)(2 * (uint64_t)travel - at);
}

int pattern_init(Pattern *p, int width, int height, int fps) {
    *p = (Pattern){.width = width, .height = height};
    p->pixels = malloc((size_t)width * height * sizeof *p->pixels);
    if (!p->pixels) return -1;
    p->band_top = height * 2 / 3;
    for (int i = 0; i < bar_count; i++)
        fill(p, (PatternRect){i * width / bar_count, 0, (i + 1) * width / bar_count, p->band_top}, bar_colours[i]);
    fill(p, (PatternRect){0, p->band_top, width, height}, band_colour);

    int band = height - p->band_top, half = band / 2;
    p->scale = half / 7 > 0 ? half / 7 : 1;
    int left = p->scale, top = p->band_top + (half - 5 * p->scale) / 2;
    p->counter = (PatternRect){left, top, left + counter_digits * 4 * p->scale, top + 5 * p->scale};
    p->box_size = half * 4 / 5 > 0 ? half * 4 / 5 : 1;
    p->box_top = p->band_top + half + (band - half - p->box_size) / 2;
    int travel = width - p->box_size, per_crossing = 2 * (fps > 0 ? fps : 1);
    p->box_step = travel / per_crossing > 0 ? travel / per_crossing : 1;
    p->box_x = box_position(p);
    fill(p, box_rect(p), ink);
    draw_counter(p);
    return 0;
}

int pattern_step(Pattern *p, PatternRect changed[2]) {
    PatternRect old = box_rect(p);
    p->frame++;
    fill(p, old, band_colour);
    p->box_x = box_position(p);
    PatternRect now = box_rect(p);
    fill(p, now, ink);
    draw_counter(p);
    changed[0] = p->counter;
    changed[1] = (PatternRect){old.left < now.left ? old.left : now.left, old.top,
                               old.right > now.right ? old.right : now.right, old.bottom};
    for (int i = 0; i < 2; i++) {  /* clip to the screen: a tiny --size can push the counter off it */
        if (changed[i].right > p->width) changed[i].right = p->width;
        if (changed[i].bottom > p->height) changed[i].bottom = p->height;
    }
    return 2;
}

void pattern_free(Pattern *p) {
    free(p->pixels);
    p->pixels = NULL;
}
