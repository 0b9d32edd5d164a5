#include "websocket_rules.h"

/* Close codes a peer may send on the wire (RFC 6455 section 7.4 and IANA's registry), so ours may echo them: not
 * 1004-1006 or 1015 (reserved, never sent), nor the unassigned 1016-2999, nor anything outside 1000-4999. */
bool websocket_valid_close_code(uint16_t code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/* Whether `bytes` are well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF, no
 * sequence cut short. */
bool websocket_valid_utf8(const uint8_t *bytes, size_t length) {
    size_t at = 0;
    while (at < length) {
        uint8_t lead = bytes[at];
        if (lead < 0x80) {
            at++;
            continue;
        }
        /* How many bytes follow the lead, and the range the first of them must fall in (the others: 0x80-0xBF). */
        size_t extra;
        uint8_t low = 0x80, high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            if (lead == 0xE0) low = 0xA0;   /* overlong below U+0800 */
            if (lead == 0xED) high = 0x9F;  /* surrogates U+D800-U+DFFF */
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            if (lead == 0xF0) low = 0x90;   /* overlong below U+10000 */
            if (lead == 0xF4) high = 0x8F;  /* past U+10FFFF */
        } else {
            return false;  /* a continuation byte first, an overlong C0/C1, or F5-FF */
        }
        if (length - at - 1 < extra) return false;
        for (size_t index = 1; index <= extra; index++) {
            uint8_t next = bytes[at + index];
            if (next < (index == 1 ? low : 0x80) || next > (index == 1 ? high : 0xBF)) return false;
        }
        at += 1 + extra;
    }
    return true;
}
