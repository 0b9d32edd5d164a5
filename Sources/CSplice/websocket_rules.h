/* What RFC 6455 allows in a browser's Close frame, apart from the framing: its code and its reason's encoding. */
#ifndef SAFFRON_WEBSOCKET_RULES_H
#define SAFFRON_WEBSOCKET_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether `code` may be sent on the wire (RFC 6455 section 7.4 and IANA's registry), so ours may echo it. */
bool websocket_valid_close_code(uint16_t code);

/* Whether `bytes` are well-formed UTF-8 (RFC 3629). */
bool websocket_valid_utf8(const uint8_t *bytes, size_t length);

#endif
