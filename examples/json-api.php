<?php
// A small JSON API routed on method and path, with a per-worker in-memory store.
// php -d extension=h2srv.so examples/json-api.php, then:
//   curl -k --http2 -d '{"title":"milk"}' https://127.0.0.1:8443/todos
//   curl -k --http2 https://127.0.0.1:8443/todos
$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'   => "$dir/cert.pem",
    'key'    => "$dir/key.pem",
]);
$todos = [];
$lastId = 0; // ids are never reused, so a deleted todo's id stays gone
$json = function (H2srv\Response $res, int $status, mixed $data): void {
    $res->status($status)->header('content-type', 'application/json')->end(json_encode($data) . "\n");
};
// path pattern => method => action
$routes = [
    '/todos' => [
        'GET' => function (H2srv\Request $req, H2srv\Response $res) use (&$todos, $json): void {
            $json($res, 200, array_values($todos));
        },
        'POST' => function (H2srv\Request $req, H2srv\Response $res) use (&$todos, &$lastId, $json): void {
            $in = json_decode($req->body(), true);
            if (!is_array($in) || !is_string($in['title'] ?? null)) {
                $json($res, 400, ['error' => 'expected {"title": string}']);
                return;
            }
            $todo = ['id' => ++$lastId, 'title' => $in['title']];
            $todos[$todo['id']] = $todo;
            $json($res, 201, $todo);
        },
    ],
    '/todos/{id}' => [
        'GET' => function (H2srv\Request $req, H2srv\Response $res, int $id) use (&$todos, $json): void {
            isset($todos[$id]) ? $json($res, 200, $todos[$id]) : $json($res, 404, ['error' => 'no such todo']);
        },
        'DELETE' => function (H2srv\Request $req, H2srv\Response $res, int $id) use (&$todos, $json): void {
            if (!isset($todos[$id])) {
                $json($res, 404, ['error' => 'no such todo']);
                return;
            }
            unset($todos[$id]);
            $res->status(204)->end();
        },
    ],
];
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($routes, $json): void {
    $id = preg_match('#^/todos/([1-9][0-9]{0,17})$#', $req->path(), $m) ? (int)$m[1] : null;
    $pattern = $id === null ? $req->path() : '/todos/{id}';
    if (!isset($routes[$pattern])) {
        $json($res, 404, ['error' => 'no route for ' . $req->path()]);
        return;
    }
    $action = $routes[$pattern][$req->method()] ?? null;
    if ($action === null) {
        $res->header('allow', implode(', ', array_keys($routes[$pattern])));
        $json($res, 405, ['error' => $req->method() . ' is not allowed here']);
        return;
    }
    $id === null ? $action($req, $res) : $action($req, $res, $id);
});
$server->run();
