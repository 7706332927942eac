<?php

declare(strict_types=1);

namespace Example\Psr15;

use Psr\Http\Message\ResponseFactoryInterface;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Message\StreamFactoryInterface;
use Psr\Http\Message\UploadedFileInterface;
use Psr\Http\Server\RequestHandlerInterface;

/** A small PSR-15 application written against PSR-7/PSR-17 interfaces only. */
final class App implements RequestHandlerInterface
{
    public function __construct(
        private ResponseFactoryInterface&StreamFactoryInterface $factory,
        private string $filesDir,
    ) {
    }

    public function handle(ServerRequestInterface $request): ResponseInterface
    {
        $path = $request->getUri()->getPath();
        $method = $request->getMethod();
        if ($path === '/hello') {
            return $this->text("hello\n");
        }
        if (preg_match('#^/hello/([A-Za-z0-9-]{1,64})$#', $path, $m)) {
            return $this->json(['hello' => $m[1], 'protocol' => $request->getProtocolVersion() === '2' ? 'HTTP/2'
                : 'HTTP/' . $request->getProtocolVersion(), 'query' => $request->getQueryParams()]);
        }
        if ($path === '/json' && $method === 'POST') {
            $in = json_decode((string)$request->getBody(), true);
            return is_array($in) ? $this->json(['received' => $in, 'keys' => count($in)], 201) : $this->text("not JSON\n", 400);
        }
        if ($path === '/form' && $method === 'POST') {
            return $this->json(['fields' => $request->getParsedBody()]);
        }
        if ($path === '/upload' && $method === 'POST') {
            $file = $request->getUploadedFiles()['file'] ?? null;
            if (!$file instanceof UploadedFileInterface || $file->getError() !== UPLOAD_ERR_OK) {
                return $this->text("no file in the \"file\" field\n", 400);
            }
            // Moved into place under a name of ours: the client's name is only reported.
            @mkdir($this->filesDir . '/uploads', 0700, true);
            $target = $this->filesDir . '/uploads/' . bin2hex(random_bytes(8)) . '.bin';
            $file->moveTo($target);
            $result = ['name' => $file->getClientFilename(), 'size' => filesize($target), 'md5' => md5_file($target),
                'title' => $request->getParsedBody()['title'] ?? null];
            unlink($target);
            return $this->json($result);
        }
        if ($path === '/cookie/set') {
            $v = rawurlencode((string)($request->getQueryParams()['v'] ?? 'vanilla'));
            return $this->text("set\n")->withAddedHeader('set-cookie', "flavour=$v; Path=/; HttpOnly")
                ->withAddedHeader('set-cookie', 'size=large; Path=/; HttpOnly');
        }
        if ($path === '/cookie/get') {
            return $this->json($request->getCookieParams());
        }
        if ($path === '/redirect') {
            return $this->factory->createResponse(302)->withHeader('location', '/hello');
        }
        if ($path === '/boom') {
            throw new \RuntimeException('boom from the PSR-15 app');
        }
        if ($path === '/stream') {
            $pause = min(1000, (int)($request->getQueryParams()['pause_ms'] ?? 300));
            return $this->factory->createResponse(200)->withHeader('content-type', 'text/plain')
                ->withBody(new ChunkStream((static function () use ($pause): \Generator {
                    for ($i = 1; $i <= 3; $i++) {
                        if ($i > 1) {
                            usleep($pause * 1000);
                        }
                        yield "chunk $i at " . number_format(microtime(true), 3, '.', '') . "\n";
                    }
                })()));
        }
        if (preg_match('#^/download/([a-z0-9][a-z0-9.-]{0,63})$#', $path, $m)) {
            $file = realpath($this->filesDir . '/' . $m[1]);
            if ($file === false || !str_starts_with($file, realpath($this->filesDir) . '/') || !is_file($file)) {
                return $this->text("not found\n", 404);
            }
            return $this->factory->createResponse(200)->withHeader('content-type', 'application/octet-stream')
                ->withBody($this->factory->createStreamFromFile($file, 'rb'));
        }
        if ($path === '/memory') {
            return $this->json(['pid' => getmypid(), 'memory' => memory_get_usage()]);
        }
        return $this->text("not found\n", 404);
    }

    private function text(string $body, int $status = 200): ResponseInterface
    {
        return $this->factory->createResponse($status)->withHeader('content-type', 'text/plain')
            ->withBody($this->factory->createStream($body));
    }

    /** @param array<mixed> $data */
    private function json(array $data, int $status = 200): ResponseInterface
    {
        return $this->factory->createResponse($status)->withHeader('content-type', 'application/json')
            ->withBody($this->factory->createStream(json_encode($data, JSON_THROW_ON_ERROR)));
    }
}
