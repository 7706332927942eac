#ifndef H2SRV_WS_SOCKET_H
#define H2SRV_WS_SOCKET_H

#include "h2/stream.h"
#include "ws/frame.h"

/*
 * A WebSocket carried by one stream: an RFC 8441 extended CONNECT on HTTP/2, or an HTTP/1.1
 * connection after its 101. The stream's request body is the client's frames and its response
 * body the server's. This is the transport's part (no PHP): it reads the frames, answers pings
 * and closes, keeps the socket alive with pings of its own, and leaves whole messages in
 * |inbox| for the PHP side, which it then tells through side.h's input call.
 *
 * Memory per socket is bounded: the message being assembled (up to max_message), the messages
 * waiting for the PHP side (reading stops past H2SRV_WS_INBOX_HIGH, and the window is credited
 * only as they are taken), and what waits to be sent (send() says false past H2SRV_FED_HIGH,
 * and a peer that does not read its pongs is not read either past H2SRV_WS_OUT_HIGH).
 */

#define H2SRV_WS_INBOX_HIGH (1024 * 1024)  /* bytes of messages waiting for PHP; past it the
                                            * client's bytes stay uncredited */
#define H2SRV_WS_OUT_HIGH (256 * 1024)    /* bytes waiting to go past which the peer's frames are
                                            * not read: its pings would each add a pong */
#define H2SRV_WS_CLOSE_WAIT_MS 5000        /* ms the peer has to end its side after the close */
#define H2SRV_WS_TRIM_MS 1000              /* ms of quiet after which a socket's buffers go */

/* Makes |s| a WebSocket once its handshake response is submitted (a fed body); |max_message|
 * bounds a message, |deflate| is what permessage-deflate agreed (NULL: not used). Bytes that
 * came ahead are read at the next h2srv_ws_recv(). */
void h2srv_ws_open(h2srv_stream_t *s, uint64_t max_message, h2srv_ws_stats_t *stats, uint64_t now,
	const h2srv_ws_deflate_t *deflate);

/* Reads the client's frames waiting in the stream's body: messages into the inbox, pings
 * answered, a close answered and the socket ended, a protocol error ended with its code. Stops
 * (the rest stays, uncredited) while the inbox or the output is past its high-water mark. */
void h2srv_ws_recv(h2srv_stream_t *s, uint64_t now);

/* Sends one message (text or binary); returns false once the bytes waiting to go pass
 * H2SRV_FED_HIGH (the message is queued all the same), or when the socket is closing. */
bool h2srv_ws_send(h2srv_stream_t *s, bool binary, const char *p, size_t len);

/* Starts the closing handshake with |code| and |reason| (at most 123 bytes, cut there). */
void h2srv_ws_close(h2srv_stream_t *s, uint16_t code, const char *reason, size_t len);

/* The next whole inbox entry: its header copied into |in|, its payload (in->len bytes)
 * returned; NULL when there is none. Consumed with h2srv_ws_taken(). */
const char *h2srv_ws_peek(h2srv_stream_t *s, h2srv_ws_in_t *in);

/* The entry h2srv_ws_peek() returned is handled: the bytes behind it are credited. */
void h2srv_ws_taken(h2srv_stream_t *s);

/* Keepalive: a socket silent for |idle| ms gets a ping; one silent for another |idle| after
 * it, or a closed one whose peer did not end its side, is reset. A socket quiet for
 * H2SRV_WS_TRIM_MS gives back its empty buffers. */
void h2srv_ws_sweep(h2srv_stream_t *s, uint64_t now, uint64_t idle);

/* The stream is gone: if the PHP side was never told of a close, an abnormal one (1006) is
 * put in the inbox for it. */
void h2srv_ws_gone(h2srv_stream_t *s);

#endif
