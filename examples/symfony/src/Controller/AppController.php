<?php

declare(strict_types=1);

namespace App\Controller;

use App\Service\Notes;
use Symfony\Component\HttpFoundation\BinaryFileResponse;
use Symfony\Component\HttpFoundation\Cookie;
use Symfony\Component\HttpFoundation\File\UploadedFile;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\RedirectResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpFoundation\StreamedResponse;
use Symfony\Component\HttpKernel\Exception\BadRequestHttpException;
use Symfony\Component\HttpKernel\Exception\NotFoundHttpException;

final class AppController
{
    public function __construct(private Notes $notes, private string $filesDir)
    {
    }

    public function hello(): Response
    {
        return new Response("hello\n", 200, ['content-type' => 'text/plain']);
    }

    public function greet(string $name, Request $request): JsonResponse
    {
        return new JsonResponse(['hello' => $name, 'protocol' => $request->getProtocolVersion(),
            'secure' => $request->isSecure(), 'query' => $request->query->all()]);
    }

    public function json(Request $request): JsonResponse
    {
        $in = json_decode($request->getContent(), true);
        if (!is_array($in)) {
            throw new BadRequestHttpException('the body is not a JSON object');
        }
        return new JsonResponse(['received' => $in, 'keys' => count($in)], 201);
    }

    public function form(Request $request): JsonResponse
    {
        return new JsonResponse(['fields' => $request->request->all()]);
    }

    public function upload(Request $request): JsonResponse
    {
        $file = $request->files->get('file');
        if (!$file instanceof UploadedFile || !$file->isValid()) {
            throw new BadRequestHttpException('no file in the "file" field');
        }
        // Moved into place under a name of ours: the client's name is only reported.
        $dir = $this->filesDir . '/uploads';
        @mkdir($dir, 0700, true);
        $moved = $file->move($dir, bin2hex(random_bytes(8)) . '.bin');
        $result = ['name' => $file->getClientOriginalName(), 'size' => $moved->getSize(),
            'md5' => md5_file($moved->getPathname()), 'title' => $request->request->get('title')];
        unlink($moved->getPathname());
        return new JsonResponse($result);
    }

    public function cookieSet(Request $request): Response
    {
        $response = new Response("set\n");
        $response->headers->setCookie(Cookie::create('flavour', (string)$request->query->get('v', 'vanilla')));
        $response->headers->setCookie(Cookie::create('size', 'large'));
        return $response;
    }

    public function cookieGet(Request $request): JsonResponse
    {
        return new JsonResponse($request->cookies->all());
    }

    public function redirect(): RedirectResponse
    {
        return new RedirectResponse('/hello', 302);
    }

    public function boom(): Response
    {
        throw new \RuntimeException('boom from the controller');
    }

    public function stream(Request $request): StreamedResponse
    {
        $pause = min(1000, (int)$request->query->get('pause_ms', 300));
        return new StreamedResponse(static function () use ($pause): void {
            for ($i = 1; $i <= 3; $i++) {
                echo "chunk $i at ", number_format(microtime(true), 3, '.', ''), "\n";
                flush();
                usleep($pause * 1000);
            }
        }, 200, ['content-type' => 'text/plain']);
    }

    public function download(string $name): BinaryFileResponse
    {
        $path = realpath($this->filesDir . '/' . $name);
        if ($path === false || !str_starts_with($path, realpath($this->filesDir) . '/') || !is_file($path)) {
            throw new NotFoundHttpException("no file \"$name\"");
        }
        return new BinaryFileResponse($path);
    }

    public function noteSet(string $value): Response
    {
        $this->notes->set($value);
        return new Response('stored ' . $this->notes->get() . "\n");
    }

    public function noteGet(): Response
    {
        return new Response('note: ' . ($this->notes->get() ?? 'none') . "\n");
    }

    public function memory(): JsonResponse
    {
        return new JsonResponse(['pid' => getmypid(), 'memory' => memory_get_usage()]);
    }
}
