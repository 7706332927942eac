#ifndef H2SRV_WS_FRAME_H
#define H2SRV_WS_FRAME_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "ws/deflate.h"

/*
 * RFC 6455 framing, with no I/O: a client's frames read incrementally (unmasked, checked,
 * fragments assembled into whole messages, text validated as UTF-8 as it arrives), and the
 * headers of the server's frames. The abuse policy of a WebSocket is here: every frame the RFC
 * forbids ends the socket with its close code (§7.4.1), and a message past |max_message| with
 * 1009, so a peer can make us hold at most one message of that size per socket.
 */

#define H2SRV_WS_OP_CONT 0x0
#define H2SRV_WS_OP_TEXT 0x1
#define H2SRV_WS_OP_BINARY 0x2
#define H2SRV_WS_OP_CLOSE 0x8
#define H2SRV_WS_OP_PING 0x9
#define H2SRV_WS_OP_PONG 0xA

#define H2SRV_WS_MAX_CONTROL 125         /* bytes of a control frame's payload (§5.5) */
#define H2SRV_WS_MAX_MESSAGE (16 * 1024 * 1024) /* bytes; option websocket_max_message */
#define H2SRV_WS_HEADER_MAX 14           /* bytes of the largest frame header */

/* Close codes (RFC 6455 §7.4.1). */
#define H2SRV_WS_NORMAL 1000
#define H2SRV_WS_GOING_AWAY 1001
#define H2SRV_WS_PROTOCOL_ERROR 1002
#define H2SRV_WS_NO_STATUS 1005          /* never sent: a close frame without a code */
#define H2SRV_WS_ABNORMAL 1006           /* never sent: the socket went without a close frame */
#define H2SRV_WS_INVALID_DATA 1007
#define H2SRV_WS_TOO_BIG 1009
#define H2SRV_WS_INTERNAL 1011

/* What one step of the reader found. */
typedef enum {
	H2SRV_WS_NEED_MORE,    /* every byte given was taken: nothing complete yet */
	H2SRV_WS_MESSAGE,      /* a whole data message lies in |msg| (|done_op| says text or binary) */
	H2SRV_WS_PING,         /* a ping: its payload lies in |ctl| */
	H2SRV_WS_PONG,
	H2SRV_WS_CLOSE,        /* a close frame, checked: |close_code| and the reason in |ctl| */
	H2SRV_WS_ERROR         /* a protocol violation: end with |close_code| */
} h2srv_ws_event_t;

/* One direction of a client's frames, being read. */
typedef struct h2srv_ws_reader {
	uint8_t hdr[H2SRV_WS_HEADER_MAX];
	uint8_t hlen;          /* header bytes gathered */
	uint8_t op;            /* opcode of the frame being read */
	bool fin;
	bool in_payload;       /* the header is complete: |left| payload bytes follow */
	uint8_t mask[4];
	uint64_t left;
	uint32_t moff;         /* where in the mask the next payload byte is */
	uint8_t msg_op;        /* TEXT or BINARY while a message is being assembled, else 0 */
	uint8_t done_op;       /* with H2SRV_WS_MESSAGE: TEXT or BINARY */
	bool deflate_ok;       /* permessage-deflate was agreed: RSV1 marks a compressed message */
	bool compressed;       /* the message being assembled is compressed (checked once inflated) */
	uint32_t utf8;         /* the text validator's state across fragments */
	uint64_t max_message;
	h2srv_buf_t msg;       /* the message assembled so far */
	uint8_t ctl[H2SRV_WS_MAX_CONTROL];
	uint8_t ctl_len;
	uint16_t close_code;
	const char *why;       /* with H2SRV_WS_ERROR: what the peer did, for the close reason */
} h2srv_ws_reader_t;

/* Reads from |p|; returns the first event found and sets |*used| to the bytes taken. The
 * caller takes a MESSAGE's bytes from |msg| before the next call. */
h2srv_ws_event_t h2srv_ws_read(h2srv_ws_reader_t *r, const uint8_t *p, size_t len, size_t *used);

/* Writes the header of an unmasked, final frame of |op| carrying |len| bytes into |out|;
 * returns its length (2, 4 or 10). */
size_t h2srv_ws_header(uint8_t out[H2SRV_WS_HEADER_MAX], uint8_t op, uint64_t len);

/* Whether |p| is whole, valid UTF-8. */
bool h2srv_ws_utf8(const char *p, size_t len);

/* Whether |code| may be sent in a close frame (§7.4). */
bool h2srv_ws_code_ok(uint16_t code);

/* ---- what one socket holds (ws/socket.h runs it) ---- */

#define H2SRV_WS_KEEP_CAP (64 * 1024)    /* bytes of assembly buffer kept between messages */

/* Kinds of inbox entries. */
#define H2SRV_WS_IN_TEXT 0
#define H2SRV_WS_IN_BINARY 1
#define H2SRV_WS_IN_CLOSE 2                /* payload: the code (2 bytes, big-endian), the reason */

/* One inbox entry; its payload follows. */
typedef struct h2srv_ws_in {
	uint32_t len;
	uint32_t kind;
} h2srv_ws_in_t;

/* WebSocket counters a server keeps across its sockets, read by stats(). */
typedef struct h2srv_ws_stats {
	uint64_t open;
	uint64_t total;
	uint64_t messages_in, messages_out;
	uint64_t bytes_in, bytes_out;
	uint64_t errors;           /* sockets a peer's protocol error ended */
} h2srv_ws_stats_t;

typedef struct h2srv_ws {
	h2srv_ws_reader_t rd;
	h2srv_buf_t inbox;         /* h2srv_ws_in_t entries for the PHP side */
	size_t inbox_off;          /* bytes of |inbox| already taken */
	h2srv_ws_stats_t *stats;
	uint64_t last_in;          /* ms: bytes last came from the peer */
	uint64_t ping_at;          /* ms: our keepalive ping went out unanswered; 0 if none */
	uint64_t closed_at;        /* ms: our close frame went out */
	bool close_sent;           /* our close frame is queued: nothing more goes out */
	bool close_heard;          /* the peer's close frame, or the end of its side, came */
	bool told;                 /* the close entry is in the inbox */
	h2srv_ws_deflate_t *deflate; /* permessage-deflate, NULL when not agreed */
} h2srv_ws_t;

/* Frees the socket (its stream is being recycled). */
void h2srv_ws_free(h2srv_ws_t *ws);

#endif
