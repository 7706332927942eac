#ifndef H2SRV_WS_DEFLATE_H
#define H2SRV_WS_DEFLATE_H

#include <stdint.h>
#include <stdbool.h>
#include <zlib.h>
#include "buf.h"

/*
 * permessage-deflate (RFC 7692) for one socket. The server always compresses without context
 * takeover, so one deflater per window size serves every socket of the process; the client's
 * messages need a context of their own per socket unless it agreed to client_no_context_takeover
 * (then one process-wide inflater serves too). Inflating stops at the message limit: a small
 * compressed message cannot make us hold more than websocket_max_message.
 */

#define H2SRV_WS_DEFLATE_MIN 64          /* bytes; shorter messages go uncompressed (RSV1 clear) */
#define H2SRV_WS_CLIENT_BITS 12          /* the client's window we ask for (client_max_window_bits) */

typedef struct h2srv_ws_deflate {
	z_stream *in;                    /* this socket's inflater (context takeover), NULL until used */
	uint8_t client_bits;             /* the client's window: 9..15 */
	uint8_t server_bits;             /* ours: 9..15 */
	bool client_no_takeover;         /* each client message starts afresh */
} h2srv_ws_deflate_t;

/* The negotiation: reads the client's Sec-WebSocket-Extensions |offers| and, if one
 * permessage-deflate offer is acceptable, fills |d| and writes the answer's value into |answer|
 * (of |cap| bytes); returns whether one was taken. */
bool h2srv_ws_deflate_negotiate(const char *offers, size_t len, h2srv_ws_deflate_t *d, char *answer, size_t cap);

/* Inflates a whole compressed message |p| into |out| (emptied first); returns 0, -1 when it is
 * corrupt, or -2 when it would pass |max| bytes. */
int h2srv_ws_inflate(h2srv_ws_deflate_t *d, const char *p, size_t n, h2srv_buf_t *out, uint64_t max);

/* Deflates a whole message into |out| (emptied first); returns 0 or -1. */
int h2srv_ws_deflate(const h2srv_ws_deflate_t *d, const char *p, size_t n, h2srv_buf_t *out);

/* Frees the socket's part. */
void h2srv_ws_deflate_free(h2srv_ws_deflate_t *d);

#endif
