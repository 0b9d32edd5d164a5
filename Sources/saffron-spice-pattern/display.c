/* The QXL side: spice-server's display worker thread pulls draw commands from a small queue that the main
 * thread fills; each command owns a copy of its pixels and is freed when the worker releases it. */
#include "display.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { queue_capacity = 64, memslot_group = 0 };

struct Display {
    QXLInstance qxl;  /* first: the callbacks get this pointer back */
    pthread_mutex_t lock;
    QXLCommandExt queue[queue_capacity];
    int head, count;
    uint32_t *surface;  /* the primary surface's memory: spice-server renders into it */
    uint64_t next_image;
};

/* A draw command and everything it points at, in one allocation freed on release. */
typedef struct {
    QXLDrawable drawable;  /* first: release_info.id holds the address of the whole */
    QXLImage image;
    uint32_t pixels[];
} Draw;

static Display *display_of(QXLInstance *qin) { return (Display *)qin; }

static void attached_worker(QXLInstance *qin) { (void)qin; }
static void set_compression_level(QXLInstance *qin, int level) { (void)qin, (void)level; }

static void get_init_info(QXLInstance *qin, QXLDevInitInfo *info) {
    (void)qin;
    /* One memslot covering the whole address space: QXL addresses are plain pointers here. */
    *info = (QXLDevInitInfo){.num_memslots_groups = 1, .num_memslots = 1, .memslot_gen_bits = 1,
                             .memslot_id_bits = 1, .qxl_ram_size = ~0u, .internal_groupslot_id = 0,
                             .n_surfaces = 1};
}

static int get_command(QXLInstance *qin, QXLCommandExt *cmd) {
    Display *d = display_of(qin);
    pthread_mutex_lock(&d->lock);
    int got = d->count > 0;
    if (got) {
        *cmd = d->queue[d->head];
        d->head = (d->head + 1) % queue_capacity;
        d->count--;
    }
    pthread_mutex_unlock(&d->lock);
    return got;
}

/* 1 asks for a wakeup when the next command is queued; 0 says there is one already. */
static int req_cmd_notification(QXLInstance *qin) {
    Display *d = display_of(qin);
    pthread_mutex_lock(&d->lock);
    int empty = d->count == 0;
    pthread_mutex_unlock(&d->lock);
    return empty;
}

static void release_resource(QXLInstance *qin, QXLReleaseInfoExt release) {
    (void)qin;
    free((void *)(uintptr_t)release.info->id);
}

static int get_cursor_command(QXLInstance *qin, QXLCommandExt *cmd) { (void)qin, (void)cmd; return 0; }
static int req_cursor_notification(QXLInstance *qin) { (void)qin; return 1; }
static void notify_update(QXLInstance *qin, uint32_t update_id) { (void)qin, (void)update_id; }
static int flush_resources(QXLInstance *qin) { (void)qin; return 0; }
static void async_complete(QXLInstance *qin, uint64_t cookie) { (void)qin, (void)cookie; }
static void update_area_complete(QXLInstance *qin, uint32_t surface_id, QXLRect *rects, uint32_t count) {
    (void)qin, (void)surface_id, (void)rects, (void)count;
}
static void set_client_capabilities(QXLInstance *qin, uint8_t present, uint8_t caps[SPICE_CAPABILITIES_SIZE]) {
    (void)qin, (void)present, (void)caps;
}
static int client_monitors_config(QXLInstance *qin, VDAgentMonitorsConfig *config) {
    (void)qin, (void)config;
    return 0;  /* the display keeps its size whatever the client's window */
}

static const QXLInterface qxl_interface = {
    .base = {.type = SPICE_INTERFACE_QXL, .description = "saffron test pattern",
             .major_version = SPICE_INTERFACE_QXL_MAJOR, .minor_version = SPICE_INTERFACE_QXL_MINOR},
    .attached_worker = attached_worker,
    .set_compression_level = set_compression_level,
    .get_init_info = get_init_info,
    .get_command = get_command,
    .req_cmd_notification = req_cmd_notification,
    .release_resource = release_resource,
    .get_cursor_command = get_cursor_command,
    .req_cursor_notification = req_cursor_notification,
    .notify_update = notify_update,
    .flush_resources = flush_resources,
    .async_complete = async_complete,
    .update_area_complete = update_area_complete,
    .set_client_capabilities = set_client_capabilities,
    .client_monitors_config = client_monitors_config,
};

Display *display_start(SpiceServer *server, const Pattern *pattern) {
    Display *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->surface = calloc((size_t)pattern->width * pattern->height, sizeof *d->surface);
    if (!d->surface) {
        free(d);
        return NULL;
    }
    pthread_mutex_init(&d->lock, NULL);
    d->qxl.base.sif = &qxl_interface.base;
    d->qxl.id = 0;
    if (spice_server_add_interface(server, &d->qxl.base) != 0) {
        fprintf(stderr, "saffron-spice-pattern: spice-server refused the QXL display\n");
        exit(1);
    }
    QXLDevMemSlot slot = {.slot_group_id = memslot_group, .slot_id = 0, .generation = 0, .virt_start = 0,
                          .virt_end = ~(uintptr_t)0, .addr_delta = 0, .qxl_ram_size = ~0u};
    spice_qxl_add_memslot(&d->qxl, &slot);
    QXLDevSurfaceCreate primary = {
        .width = pattern->width, .height = pattern->height, .stride = pattern->width * 4,
        .format = SPICE_SURFACE_FMT_32_xRGB, .mouse_mode = 1, .mem = (uintptr_t)d->surface,
        .group_id = memslot_group};
    spice_qxl_create_primary_surface(&d->qxl, 0, &primary);
    display_draw(d, pattern, (PatternRect){0, 0, pattern->width, pattern->height});
    return d;
}

bool display_has_room(Display *d, int commands) {
    pthread_mutex_lock(&d->lock);
    bool room = d->count + commands <= queue_capacity;
    pthread_mutex_unlock(&d->lock);
    return room;
}

void display_draw(Display *d, const Pattern *pattern, PatternRect r) {
    int width = r.right - r.left, height = r.bottom - r.top;
    if (width <= 0 || height <= 0) return;
    Draw *draw = calloc(1, sizeof *draw + (size_t)width * height * sizeof(uint32_t));
    if (!draw) return;  /* a frame lost to memory pressure; the next one repaints its area */
    for (int y = 0; y < height; y++)
        memcpy(&draw->pixels[(size_t)y * width], &pattern->pixels[(size_t)(r.top + y) * pattern->width + r.left],
               (size_t)width * sizeof(uint32_t));

    QXLImage *image = &draw->image;
    image->descriptor = (QXLImageDescriptor){.id = ++d->next_image, .type = SPICE_IMAGE_TYPE_BITMAP,
                                             .width = width, .height = height};
    image->bitmap = (QXLBitmap){.format = SPICE_BITMAP_FMT_32BIT, .flags = QXL_BITMAP_DIRECT | QXL_BITMAP_TOP_DOWN,
                                .x = width, .y = height, .stride = width * 4, .data = (uintptr_t)draw->pixels};

    QXLDrawable *drawable = &draw->drawable;
    drawable->release_info.id = (uintptr_t)draw;
    drawable->surface_id = 0;
    drawable->effect = QXL_EFFECT_OPAQUE;
    drawable->type = QXL_DRAW_COPY;
    drawable->bbox = (QXLRect){.top = r.top, .left = r.left, .bottom = r.bottom, .right = r.right};
    drawable->clip.type = SPICE_CLIP_TYPE_NONE;
    for (int i = 0; i < 3; i++) drawable->surfaces_dest[i] = -1;
    drawable->u.copy.src_bitmap = (uintptr_t)image;
    drawable->u.copy.src_area = (QXLRect){.top = 0, .left = 0, .bottom = height, .right = width};
    drawable->u.copy.rop_descriptor = SPICE_ROPD_OP_PUT;
    drawable->u.copy.scale_mode = SPICE_IMAGE_SCALE_MODE_NEAREST;

    pthread_mutex_lock(&d->lock);
    if (d->count == queue_capacity) {
        pthread_mutex_unlock(&d->lock);
        free(draw);
        return;
    }
    d->queue[(d->head + d->count) % queue_capacity] = (QXLCommandExt){
        .cmd = {.data = (uintptr_t)drawable, .type = QXL_CMD_DRAW}, .group_id = memslot_group};
    d->count++;
    pthread_mutex_unlock(&d->lock);
    spice_qxl_wakeup(&d->qxl);
}
