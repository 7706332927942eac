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
$json = function (H2srv\Response $res, int $status, mixed $data): void {
    $res->status($status)->header('content-type', 'application/json')->end(json_encode($data) . "\n");
};
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use (&$todos, $json): void {
    $route = $req->method() . ' ' . preg_replace('#/\d+$#', '/{id}', $req->path());
    $id = (int)basename($req->path());
    switch ($route) {
        case 'GET /todos':
            $json($res, 200, array_values($todos));
            return;
        case 'POST /todos':
            $in = json_decode($req->body(), true);
            if (!is_array($in) || !is_string($in['title'] ?? null)) {
                $json($res, 400, ['error' => 'expected {"title": string}']);
                return;
            }
            $todo = ['id' => count($todos) + 1, 'title' => $in['title']];
            $todos[$todo['id']] = $todo;
            $json($res, 201, $todo);
            return;
        case 'GET /todos/{id}':
            isset($todos[$id]) ? $json($res, 200, $todos[$id]) : $json($res, 404, ['error' => 'no such todo']);
            return;
        case 'DELETE /todos/{id}':
            unset($todos[$id]);
            $res->status(204)->end();
            return;
    }
    $json($res, 404, ['error' => "no route for $route"]);
});
$server->run();
