<?php
// gRPC streaming with no gRPC library: a request body read as it arrives (early_dispatch and
// Request::onBody), response messages pushed as they are ready (Response::write), the status
// in trailers. Messages are gRPC's length-prefixed frames around opaque bytes (a real service
// would put protobuf inside; the framing is all the server needs to know).
//   POST /echo.Echo/Collect  client streaming: answers one message, "<count> <sha256 of all>"
//   POST /echo.Echo/Chat     bidirectional: answers each message at once with "echo: <message>"
// php -d extension=h2srv.so examples/grpc-bidi.php   (cleartext HTTP/2 on 127.0.0.1:50051)
declare(strict_types=1);

/** Splits a gRPC body into messages as its bytes arrive, in whatever pieces. */
final class GrpcFrames
{
    private string $buf = '';

    /** @return list<string> the messages completed by $chunk */
    public function push(string $chunk): array
    {
        $this->buf .= $chunk;
        $out = [];
        while (strlen($this->buf) >= 5) {
            ['flag' => $flag, 'len' => $len] = unpack('Cflag/Nlen', $this->buf);
            if ($flag !== 0) {
                throw new UnexpectedValueException('compressed messages are not accepted');
            }
            if ($len > 4 * 1024 * 1024) {
                throw new LengthException("message of $len bytes is over the 4 MiB limit");
            }
            if (strlen($this->buf) < 5 + $len) {
                break;
            }
            $out[] = substr($this->buf, 5, $len);
            $this->buf = substr($this->buf, 5 + $len);
        }
        return $out;
    }

    /** Whether a message was cut off by the end of the body. */
    public function pending(): bool
    {
        return $this->buf !== '';
    }

    public static function frame(string $message): string
    {
        return pack('CN', 0, strlen($message)) . $message;
    }
}

function grpc_status(H2srv\Response $res, int $code, string $message = ''): void
{
    $res->trailer('grpc-status', (string)$code);
    if ($message !== '') {
        $res->trailer('grpc-message', rawurlencode($message));
    }
}

$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:50051',
    'tls' => false,
    'early_dispatch' => ['/echo.Echo/'],
]);
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $method = $req->path();
    if ($req->method() !== 'POST' || !str_starts_with((string)$req->header('content-type'), 'application/grpc')) {
        $res->status(415)->end("gRPC only\n");
        return;
    }
    $res->header('content-type', 'application/grpc');
    $frames = new GrpcFrames();
    $done = false;
    $fail = function (Throwable $e) use ($res, &$done): void {
        $done = true;
        grpc_status($res, 3, $e->getMessage()); // INVALID_ARGUMENT
        $res->end();
    };
    switch ($method) {
    case '/echo.Echo/Collect':
        $count = 0;
        $hash = hash_init('sha256');
        $req->onBody(function (string $chunk) use ($frames, &$count, $hash): void {
            foreach ($frames->push($chunk) as $m) {
                $count++;
                hash_update($hash, $m);
            }
        }, function () use ($res, $frames, &$count, $hash): void {
            $res->write(GrpcFrames::frame($count . ' ' . hash_final($hash)));
            grpc_status($res, $frames->pending() ? 13 : 0, $frames->pending() ? 'truncated message' : '');
            $res->end();
        });
        return;
    case '/echo.Echo/Chat':
        $res->write(''); // the headers now: the client may wait for them before it sends
        $req->onBody(function (string $chunk) use ($frames, $res, $fail, &$done): void {
            if ($done) {
                return; // answered already: the rest is read and dropped
            }
            try {
                foreach ($frames->push($chunk) as $m) {
                    $res->write(GrpcFrames::frame('echo: ' . $m));
                }
            } catch (UnexpectedValueException | LengthException $e) {
                $fail($e);
            }
        }, function () use ($res, &$done): void {
            if (!$done) {
                grpc_status($res, 0);
                $res->end();
            }
        });
        return;
    }
    $res->write('');
    grpc_status($res, 12, "no method $method"); // UNIMPLEMENTED
    $res->end();
});
$server->run();
