#ifndef H2SRV_H2_RECENT_H
#define H2SRV_H2_RECENT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/*
 * What the peer did with its most recent stream ids. nghttp2 forgets a stream once it closes
 * (we keep no closed streams), so on its own it ignores any later frame on that id. RFC 9113
 * wants more: a HEADERS on an id the peer skipped is a PROTOCOL_ERROR (§5.1.1), and DATA or
 * HEADERS on a stream the peer itself ended (END_STREAM or RST_STREAM) is STREAM_CLOSED (§5.1).
 * What crossed our own RST_STREAM must still be ignored, so the two cases are told apart here.
 *
 * Two bits per id for the last H2SRV_RECENT_IDS odd ids below the highest one opened; older ids
 * are ignored, as nghttp2 does. 80 bytes per connection, O(1) per frame in the steady state.
 */
#define H2SRV_RECENT_IDS 256

typedef struct h2srv_recent {
	int32_t last_id;                         /* highest stream id the peer opened, or 0 */
	uint64_t opened[H2SRV_RECENT_IDS / 64];  /* the peer sent HEADERS for it */
	uint64_t ended[H2SRV_RECENT_IDS / 64];   /* the peer sent END_STREAM or RST_STREAM on it */
	/* The frame boundaries of the peer's bytes: nghttp2 drops DATA on a stream it forgot
	 * without any callback, so DATA frame headers are looked at before nghttp2 gets them. */
	uint32_t left;                           /* payload (or preface) bytes still to come */
	uint8_t hd[9];                           /* the next frame header, as far as it came */
	uint8_t hd_len;
} h2srv_recent_t;

static inline uint32_t h2srv_recent_slot(int32_t id)
{
	return ((uint32_t)id >> 1) % H2SRV_RECENT_IDS;
}

static inline bool h2srv_recent_bit(const uint64_t *bits, int32_t id)
{
	uint32_t i = h2srv_recent_slot(id);
	return (bits[i / 64] >> (i % 64)) & 1;
}

static inline void h2srv_recent_set(uint64_t *bits, int32_t id, bool on)
{
	uint32_t i = h2srv_recent_slot(id);
	uint64_t m = (uint64_t)1 << (i % 64);
	bits[i / 64] = on ? bits[i / 64] | m : bits[i / 64] & ~m;
}

/* A HEADERS frame on |id|, higher than any id before: the odd ids skipped are closed unused. */
static inline void h2srv_recent_open(h2srv_recent_t *r, int32_t id)
{
	if (id - r->last_id > 2 * H2SRV_RECENT_IDS) {
		memset(r->opened, 0, sizeof(r->opened));
		memset(r->ended, 0, sizeof(r->ended));
	} else {
		for (int32_t skipped = r->last_id ? r->last_id + 2 : 1; skipped < id; skipped += 2) {
			h2srv_recent_set(r->opened, skipped, false);
			h2srv_recent_set(r->ended, skipped, false);
		}
	}
	h2srv_recent_set(r->opened, id, true);
	h2srv_recent_set(r->ended, id, false);
	r->last_id = id;
}

/* Whether |id| (odd, not above last_id) is recent enough to have its bits here. */
static inline bool h2srv_recent_known(const h2srv_recent_t *r, int32_t id)
{
	return r->last_id - id < 2 * H2SRV_RECENT_IDS;
}

/* The peer ended |id| itself: END_STREAM, or its RST_STREAM. */
static inline void h2srv_recent_end(h2srv_recent_t *r, int32_t id)
{
	if (id <= r->last_id && h2srv_recent_known(r, id)) {
		h2srv_recent_set(r->ended, id, true);
	}
}

#endif
