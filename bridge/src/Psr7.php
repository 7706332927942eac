<?php

declare(strict_types=1);

namespace H2srv\Bridge;

use H2srv\Request;
use H2srv\Response;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestFactoryInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Message\StreamFactoryInterface;
use Psr\Http\Message\StreamInterface;
use Psr\Http\Message\UploadedFileFactoryInterface;

/** PSR-7 messages from and to h2srv's Request and Response, with any PSR-17 implementation. */
final class Psr7
{
    /** Bodies up to this size go out with end(); larger or unsized ones are streamed. */
    public const END_MAX = 65536; // bytes

    /** The request attribute that keeps an upload's temporary files until the request is gone. */
    public const UPLOADS = 'h2srv.uploads';

    /**
     * The PSR-7 request for $req: method, URI, protocol version, headers, cookies, query
     * parameters, server parameters, the body as a stream (a spooled one read from its file),
     * and the parsed body of a form (multipart uploads as UploadedFileInterface, read from the
     * body a chunk at a time into temporary files that go when the request object does).
     */
    public static function serverRequest(
        Request $req,
        ServerRequestFactoryInterface $requests,
        StreamFactoryInterface $streams,
        UploadedFileFactoryInterface $files,
    ): ServerRequestInterface {
        $server = ServerParams::of($req);
        $query = $req->query();
        $uri = $req->scheme() . '://' . ($req->authority() ?? $server['SERVER_NAME'] ?: 'localhost')
            . $req->path() . ($query !== '' ? '?' . $query : '');
        $psr = $requests->createServerRequest($req->method(), $uri, $server)
            ->withProtocolVersion(substr($req->protocol(), 5))
            ->withCookieParams($req->cookies())
            ->withQueryParams($req->queryParams());
        foreach ($req->headers() as $name => $value) {
            $psr = $psr->withHeader($name, $name === 'cookie' ? $value : array_map('trim', self::split($name, $value)));
        }
        if ($req->authority() !== null) {
            $psr = $psr->withHeader('host', $req->authority());
        }
        $spooled = $req->bodyFile();
        $psr = $psr->withBody($spooled !== null ? $streams->createStreamFromFile($spooled, 'rb') : $streams->createStream($req->body()));

        $type = $req->header('content-type') ?? '';
        if (preg_match('#^\s*application/x-www-form-urlencoded#i', $type)) {
            parse_str($req->body(), $form);
            return $psr->withParsedBody($form);
        }
        $boundary = Multipart::boundary($type);
        if ($boundary === null) {
            return $psr;
        }
        $parser = new Multipart();
        $in = $spooled !== null ? fopen($spooled, 'rb') : self::memory($req->body());
        try {
            $parts = $parser->parse($in, $boundary, sys_get_temp_dir());
        } finally {
            fclose($in);
        }
        $tree = [];
        foreach ($parts['files'] as $f) {
            $stream = $f['error'] === UPLOAD_ERR_OK ? $streams->createStreamFromFile($f['path'], 'rb') : $streams->createStream('');
            Multipart::insert($tree, $f['name'], $files->createUploadedFile($stream, $f['size'], $f['error'],
                $f['filename'], $f['type']));
        }
        return $psr->withParsedBody($parts['fields'])->withUploadedFiles($tree)
            ->withAttribute(self::UPLOADS, new Uploads($parser));
    }

    /**
     * Sends $psr through $res: the status, every header value (several set-cookie), and the
     * body: small ones with end(), a stream over a plain file with sendFile(), anything else
     * with stream(), read a chunk at a time as the peer takes it.
     */
    public static function send(ResponseInterface $psr, Response $res): void
    {
        $res->status($psr->getStatusCode());
        foreach ($psr->getHeaders() as $name => $values) {
            $name = strtolower((string)$name);
            if (Headers::ours($name)) {
                continue;
            }
            foreach ($values as $value) {
                $res->header($name, (string)$value);
            }
        }
        $body = $psr->getBody();
        $file = self::plainFile($body);
        if ($file !== null) {
            $res->sendFile($file);
            return;
        }
        $size = $body->getSize();
        if ($size !== null && $size <= self::END_MAX) {
            if ($body->isSeekable()) {
                $body->rewind();
            }
            $res->end($body->getContents());
            return;
        }
        if ($body->isSeekable()) {
            $body->rewind();
        }
        $res->stream(static function () use ($body): ?string {
            while (!$body->eof()) {
                $chunk = $body->read(self::END_MAX);
                if ($chunk !== '') {
                    return $chunk;
                }
            }
            $body->close();
            return null;
        });
    }

    /** The path of a body that is a whole regular file read from its start, else null. */
    private static function plainFile(StreamInterface $body): ?string
    {
        $meta = $body->getMetadata();
        if (!is_array($meta) || ($meta['wrapper_type'] ?? '') !== 'plainfile' || !isset($meta['uri'])) {
            return null;
        }
        $path = (string)$meta['uri'];
        if (!is_file($path) || $body->getSize() !== filesize($path) || ($body->isSeekable() && $body->tell() !== 0)) {
            return null;
        }
        return $path;
    }

    /** @return list<string> a field's values: set-cookie and the like stay whole */
    private static function split(string $name, string $value): array
    {
        return in_array($name, ['set-cookie', 'date', 'expires', 'if-modified-since', 'if-unmodified-since',
            'last-modified', 'retry-after', 'user-agent'], true) ? [$value] : explode(',', $value);
    }

    /** @return resource */
    private static function memory(string $bytes)
    {
        $in = fopen('php://memory', 'w+b');
        fwrite($in, $bytes);
        rewind($in);
        return $in;
    }
}
