<?php
// Accepts uploads (PUT /name, up to 64 MiB) into a directory and answers with their SHA-256.
// php -d extension=h2srv.so examples/upload.php [directory]
//   curl -k --http2 -T file https://127.0.0.1:8443/file
$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
$into = $argv[1] ?? sys_get_temp_dir();
$server = new H2srv\Server([
    'listen'        => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'          => "$dir/cert.pem",
    'key'           => "$dir/key.pem",
    'max_body_size' => 64 << 20,   // larger bodies get 413 before they are read
]);
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($into): void {
    $name = basename($req->path());
    if ($req->method() !== 'PUT' || $name === '' || $name[0] === '.') {
        $res->status(405)->header('allow', 'PUT')->end("PUT /name\n");
        return;
    }
    file_put_contents("$into/$name", $req->body());
    $res->status(201)->header('content-type', 'text/plain')->end(hash('sha256', $req->body()) . "\n");
});
$server->run();
