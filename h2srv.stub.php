<?php

/**
 * @generate-class-entries
 */

namespace H2srv {
    /** Every error that PHP code can cause: bad options, bad headers, misuse of a response. */
    class Exception extends \RuntimeException {}

    /**
     * @strict-properties
     * @not-serializable
     */
    final class Server
    {
        /** Validates the options, loads the certificate and binds the listener. */
        public function __construct(array $options) {}

        /** Sets the callable run for every complete request: fn(Request $req, Response $res): void. */
        public function handle(callable $handler): static {}

        /** Serves until stop(), SIGINT or SIGTERM, then returns once in-flight streams are done. */
        public function run(): void {}

        /** Stops accepting, sends GOAWAY, lets in-flight streams finish; run() then returns. */
        public function stop(): void {}

        /**
         * Calls $callback() once, $ms milliseconds from now, on the server's loop; returns an id
         * for cancel(). A handler can keep its Response and end() it from here.
         */
        public function after(int $ms, callable $callback): int {}

        /** Calls $callback() every $ms milliseconds until cancel(); returns its id. */
        public function every(int $ms, callable $callback): int {}

        /** Cancels a timer from after() or every(); returns whether it was still pending. */
        public function cancel(int $id): bool {}

        /**
         * The counters of every process of the server added up (with several workers: all of
         * them, from shared memory), plus "processes": each live process's own, and "worker"
         * and "pid" of the process that runs the call.
         * @return array<string, int|array<string, int>|list<array<string, int|array<string, int>>>>
         */
        public function stats(): array {}

        /** The same counters in the Prometheus text exposition format, one series per worker. */
        public function metrics(): string {}

        /**
         * Sends a message to the open WebSocket $id (WebSocket::id()) of this process, from a
         * handler, a timer or another socket's callback; false when the socket is unknown here,
         * closing, or past its high-water mark (the message is queued all the same then).
         */
        public function sendTo(string $id, string $data, bool $binary = false): bool {}
    }

    /**
     * @strict-properties
     * @not-serializable
     */
    final class Request
    {
        private function __construct() {}

        public function method(): string {}

        /** The :path without its query string. */
        public function path(): string {}

        /** The raw query string, '' if none. */
        public function query(): string {}

        /** A header by case-insensitive name; repeated headers joined with ", " (cookie with "; "). */
        public function header(string $name): ?string {}

        /** @return array<string, string> lower-case name => value */
        public function headers(): array {}

        /** The whole body; a spooled one (see bodyFile()) is read back from its file. */
        public function body(): string {}

        /** The temporary file holding a body larger than body_buffer_size, or null when the body is in memory; the file is removed when the request ends (rename() it to keep it). */
        public function bodyFile(): ?string {}

        /** Bytes of request body received. */
        public function bodySize(): int {}

        /** @return array<string, string> the request's trailer fields (after its body), lower-case name => value */
        public function trailers(): array {}

        /** The query string decoded as parse_str() does. */
        public function queryParams(): array {}

        /** @return array<string, string> cookie name => URL-decoded value; the first of a repeated name wins */
        public function cookies(): array {}

        /** The :scheme the client sent ("https"). */
        public function scheme(): string {}

        /** Always "HTTP/2". */
        public function protocol(): string {}

        public function authority(): ?string {}

        public function remoteAddress(): string {}

        /**
         * What the TLS handshake settled (null on h2c): protocol ("TLSv1.3"), cipher (OpenSSL's
         * name), alpn, sni (null when none was sent), resumed, and client_cert: null, or for a
         * verified client certificate subject and issuer (RFC 2253), serial (hex), not_before and
         * not_after (Unix times), sha256 (hex fingerprint of the DER) and pem.
         * @return array<string, string|bool|null|array<string, string|int>>|null
         */
        public function tls(): ?array {}

        /**
         * Whether this is a WebSocket handshake that acceptWebSocket() can take: an HTTP/2
         * extended CONNECT with :protocol websocket (RFC 8441), or an HTTP/1.1 GET with
         * Upgrade: websocket (RFC 6455), version 13.
         */
        public function isWebSocket(): bool {}

        /**
         * The body as it arrives: $onChunk(string $chunk) for each piece, then $onEnd(array
         * $trailers). For a path under the early_dispatch option the handler runs at the
         * request's headers and the pieces follow; the peer's flow-control window is credited
         * as they are handed over, so at most a window (1 MiB) waits per request. Otherwise the
         * body is complete already and both callbacks run now.
         */
        public function onBody(callable $onChunk, ?callable $onEnd = null): void {}
    }

    /**
     * @strict-properties
     * @not-serializable
     */
    final class Response
    {
        private function __construct() {}

        public function status(int $code): static {}

        public function header(string $name, string $value): static {}

        /**
         * Adds a trailer field, sent in a HEADERS frame after the body (gRPC's grpc-status).
         * Call before end(), stream() or sendFile().
         */
        public function trailer(string $name, string $value): static {}

        /** Sends the headers and $body; a response ends exactly once. */
        public function end(string $body = ""): void {}

        /**
         * Sends the headers now and a body of unknown length: $producer() is called whenever
         * the peer's flow-control window has room for more and returns the next chunk, null or
         * '' at the end, or false to pause until resume(). At most about 64 KiB wait per stream.
         */
        public function stream(callable $producer): void {}

        /**
         * Whether this response may be compressed (option compression); true by default.
         * Call before end() or stream().
         */
        public function compress(bool $on): static {}

        /** After the producer of stream() returned false: call it again. */
        public function resume(): void {}

        /**
         * Sends a regular file, read in chunks as the peer's window opens, with content-length
         * (and content-type, if given). A file that cannot be opened throws before any header.
         */
        public function sendFile(string $path, ?string $contentType = null): void {}

        /**
         * Sends the headers (first call) and $chunk now; false once the bytes waiting to go pass
         * about 64 KiB (the chunk is kept all the same): onDrain() then says when to go on.
         * end() ends the body, with the trailers set by then.
         */
        public function write(string $chunk): bool {}

        /** $callback() runs when a write() that said false has drained. */
        public function onDrain(callable $callback): static {}

        /**
         * Accepts the WebSocket handshake (see Request::isWebSocket()): 200 on HTTP/2, 101 on
         * HTTP/1.1. Options: subprotocol (one the client offered), compression (bool: take the
         * client's permessage-deflate offer, if it makes one). A handshake the handler does not
         * accept is answered with the status it set, 403 unless set.
         */
        public function acceptWebSocket(array $options = []): WebSocket {}
    }

    /**
     * An accepted WebSocket. h2srv reads and writes the frames: the callbacks see whole
     * messages; pings are answered, text is checked as UTF-8, protocol errors close the socket
     * with their code (RFC 6455 section 7.4), and a silent peer is pinged (websocket_idle_timeout).
     * @strict-properties
     * @not-serializable
     */
    final class WebSocket
    {
        private function __construct() {}

        /** A name for Server::sendTo(), unique in the server's life. */
        public function id(): string {}

        /** $callback(string $data, bool $binary) for each message. */
        public function onMessage(callable $callback): void {}

        /** $callback(int $code, string $reason) once, when the socket has closed (1006: without a close frame). */
        public function onClose(callable $callback): void {}

        /**
         * Sends a text message (valid UTF-8, or an H2srv\Exception) or a binary one; false once
         * the bytes waiting to go pass about 64 KiB (the message is kept all the same: onDrain()
         * says when to go on), or when the socket is closing.
         */
        public function send(string $data, bool $binary = false): bool {}

        /** $callback() when a send() that said false has drained. */
        public function onDrain(callable $callback): void {}

        /** Starts the closing handshake; onClose follows with the peer's answer. */
        public function close(int $code = 1000, string $reason = ""): void {}
    }
}
