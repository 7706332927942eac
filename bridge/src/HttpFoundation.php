<?php

declare(strict_types=1);

namespace H2srv\Bridge;

use H2srv\Request;
use H2srv\Response;
use Symfony\Component\HttpFoundation\BinaryFileResponse;
use Symfony\Component\HttpFoundation\File\UploadedFile;
use Symfony\Component\HttpFoundation\Request as SymfonyRequest;
use Symfony\Component\HttpFoundation\Response as SymfonyResponse;
use Symfony\Component\HttpFoundation\StreamedResponse;

/**
 * HttpFoundation requests from h2srv requests, and HttpFoundation responses (Symfony's and
 * Laravel's, which extend them) sent through h2srv: shared by the Symfony and Laravel bridges.
 *
 * @internal
 */
final class HttpFoundation
{
    /** The request attribute that keeps an upload's temporary files until the request is gone. */
    public const UPLOADS = '_h2srv_uploads';

    /** Whether a StreamedResponse is between two chunks in this process (see streamed()). */
    private static bool $suspended = false;

    /**
     * The HttpFoundation request for $req, built directly (no superglobal is read or written):
     * query, parsed form (multipart parts a chunk at a time, files as UploadedFile in test
     * mode, so that move() takes them), cookies, server parameters and the body (a spooled one
     * as a stream over its file).
     *
     * @param class-string<SymfonyRequest> $class
     * @param class-string<UploadedFile> $fileClass
     */
    public static function request(Request $req, string $class = SymfonyRequest::class,
        string $fileClass = UploadedFile::class): SymfonyRequest
    {
        $type = $req->header('content-type') ?? '';
        $post = [];
        $files = [];
        $parser = null;
        $spooled = $req->bodyFile();
        $content = $spooled !== null ? fopen($spooled, 'rb') : $req->body();
        if (preg_match('#^\s*application/x-www-form-urlencoded#i', $type)) {
            parse_str(is_string($content) ? $content : $req->body(), $post);
        } elseif (($boundary = Multipart::boundary($type)) !== null) {
            $parser = new Multipart();
            $in = is_string($content) ? fopen('data://application/octet-stream;base64,' . base64_encode($content), 'rb') : $content;
            $parts = $parser->parse($in, $boundary, sys_get_temp_dir());
            fclose($in);
            $content = '';
            $post = $parts['fields'];
            foreach ($parts['files'] as $f) {
                Multipart::insert($files, $f['name'], $f['error'] === UPLOAD_ERR_NO_FILE ? null
                    : new $fileClass($f['path'], $f['filename'], $f['type'], $f['error'], true));
            }
        }
        $sf = new $class($req->queryParams(), $post, [], $req->cookies(), $files, ServerParams::of($req), $content);
        if ($parser !== null) {
            $sf->attributes->set(self::UPLOADS, new Uploads($parser));
        }
        return $sf;
    }

    /**
     * Sends $sf through $res after prepare(): status, headers, cookies, and the body: a
     * BinaryFileResponse with sendFile() (a range as a stream of its slice), a StreamedResponse
     * through stream() as its callback produces, anything else with end().
     */
    public static function send(SymfonyResponse $sf, SymfonyRequest $request, Response $res): void
    {
        $sf->prepare($request);
        $res->status($sf->getStatusCode());
        foreach ($sf->headers->allPreserveCaseWithoutCookies() as $name => $values) {
            $name = strtolower((string)$name);
            if (Headers::ours($name)) {
                continue;
            }
            foreach ($values as $value) {
                $res->header($name, (string)$value);
            }
        }
        foreach ($sf->headers->getCookies() as $cookie) {
            $res->header('set-cookie', (string)$cookie);
        }
        if ($sf instanceof BinaryFileResponse) {
            self::file($sf, $res);
        } elseif ($sf instanceof StreamedResponse) {
            $res->stream(self::streamed($sf));
        } else {
            $res->end((string)$sf->getContent());
        }
    }

    private static function file(BinaryFileResponse $sf, Response $res): void
    {
        $path = $sf->getFile()->getPathname();
        // prepare() settles a Range into these; BinaryFileResponse has no getter for them.
        [$offset, $maxlen, $delete] = (fn() => [$this->offset, $this->maxlen, $this->deleteFileAfterSend])->call($sf);
        $size = filesize($path);
        if ($offset === 0 && ($maxlen === -1 || $maxlen >= $size)) {
            $res->sendFile($path); // opened before it returns: the file may go now
        } else {
            $in = fopen($path, 'rb');
            fseek($in, $offset);
            $left = $maxlen === -1 ? $size - $offset : $maxlen;
            $res->stream(static function () use ($in, &$left): ?string {
                $chunk = $left > 0 ? fread($in, min(Psr7::END_MAX, $left)) : '';
                if ($chunk === false || $chunk === '') {
                    fclose($in);
                    return null;
                }
                $left -= strlen($chunk);
                return $chunk;
            });
        }
        if ($delete) {
            @unlink($path);
        }
    }

    /**
     * A StreamedResponse's callback run in a Fiber, its output handed over as it is printed:
     * the output handler suspends the fiber with each piece, and the producer resumes it for the
     * next. Output buffering is one stack per process, so while one stream is suspended a second
     * runs its callback to the end at once and sends what it printed.
     */
    private static function streamed(StreamedResponse $sf): \Closure
    {
        if (self::$suspended) {
            ob_start();
            try {
                $sf->sendContent();
            } finally {
                $all = (string)ob_get_clean();
            }
            $sent = false;
            return static function () use (&$sent, $all): ?string {
                if ($sent || $all === '') {
                    return null;
                }
                $sent = true;
                return $all;
            };
        }
        $fiber = new \Fiber(static function () use ($sf): void {
            ob_start(static function (string $buf): string {
                if ($buf !== '') {
                    \Fiber::suspend($buf);
                }
                return '';
            }, 1);
            try {
                $sf->sendContent();
            } finally {
                ob_end_clean();
            }
        });
        return static function () use ($fiber): ?string {
            self::$suspended = false;
            $chunk = $fiber->isStarted() ? $fiber->resume() : $fiber->start();
            if ($fiber->isTerminated()) {
                return null;
            }
            self::$suspended = true;
            return $chunk;
        };
    }
}
