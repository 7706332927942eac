<?php

use App\Notes;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Cookie;
use Illuminate\Support\Facades\Route;

Route::get('/hello', fn() => response("hello\n", 200, ['content-type' => 'text/plain']));

Route::get('/hello/{name}', fn(Request $request, string $name) => response()->json([
    'hello' => $name, 'protocol' => $request->getProtocolVersion(), 'secure' => $request->secure(),
    'query' => $request->query(),
]))->where('name', '[A-Za-z0-9-]{1,64}');

Route::post('/json', function (Request $request) {
    $in = $request->json()->all();
    abort_if($in === [], 400, 'the body is not a JSON object');
    return response()->json(['received' => $in, 'keys' => count($in)], 201);
});

Route::post('/form', fn(Request $request) => response()->json(['fields' => $request->post()]));

Route::post('/upload', function (Request $request) {
    $file = $request->file('file');
    abort_if($file === null || !$file->isValid(), 400, 'no file in the "file" field');
    $dir = storage_path('uploads');
    @mkdir($dir, 0700, true);
    // Moved into place under a name of ours: the client's name is only reported.
    $moved = $file->move($dir, bin2hex(random_bytes(8)) . '.bin');
    $result = ['name' => $file->getClientOriginalName(), 'size' => $moved->getSize(),
        'md5' => md5_file($moved->getPathname()), 'title' => $request->post('title')];
    unlink($moved->getPathname());
    return response()->json($result);
});

Route::get('/cookie/set', function (Request $request) {
    Cookie::queue('flavour', (string)$request->query('v', 'vanilla'), 60);
    return response("set\n")->cookie('size', 'large', 60);
});

Route::get('/cookie/get', fn(Request $request) => response()->json($request->cookies->all()));

Route::get('/redirect', fn() => redirect('/hello'));

Route::get('/boom', function () {
    throw new RuntimeException('boom from the route');
});

Route::get('/stream', function (Request $request) {
    $pause = min(1000, (int)$request->query('pause_ms', 300));
    return response()->stream(function () use ($pause): void {
        for ($i = 1; $i <= 3; $i++) {
            echo "chunk $i at ", number_format(microtime(true), 3, '.', ''), "\n";
            flush();
            usleep($pause * 1000);
        }
    }, 200, ['content-type' => 'text/plain']);
});

Route::get('/download/{name}', function (string $name) {
    $dir = (string)env('APP_FILES_DIR', storage_path('files'));
    $path = realpath("$dir/$name");
    abort_if($path === false || !str_starts_with($path, realpath($dir) . '/') || !is_file($path), 404);
    return response()->file($path);
})->where('name', '[a-z0-9][a-z0-9.-]{0,63}');

// State a request stores: in the container (an instance) and in a service it resolves.
Route::get('/note/set/{value}', function (string $value) {
    app()->instance('note', $value);
    app()->singleton(Notes::class);
    app(Notes::class)->value = $value;
    return response("stored $value\n");
})->where('value', '[a-z0-9]{1,32}');

Route::get('/note/get', fn() => response('note: ' . (app()->bound('note') ? app('note') : 'none')
    . ', service: ' . (app()->bound(Notes::class) ? (app(Notes::class)->value ?? 'empty') : 'unbound') . "\n"));

Route::get('/memory', fn() => response()->json(['pid' => getmypid(), 'memory' => memory_get_usage()]));
