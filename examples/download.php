<?php
// Serves the files of one directory for download (GET /name), read into memory per request.
// php -d extension=h2srv.so examples/download.php [directory]
$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
$root = realpath($argv[1] ?? __DIR__);
$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'   => "$dir/cert.pem",
    'key'    => "$dir/key.pem",
]);
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($root): void {
    $name = basename(rawurldecode($req->path()));    // no directories in the name...
    // ...and the file it resolves to (a symlink is followed) must lie inside $root.
    $file = $name === '' || $name[0] === '.' ? false : realpath("$root/$name");
    if ($file === false || !str_starts_with($file, "$root/") || !is_file($file) || !is_readable($file)) {
        $res->status(404)->header('content-type', 'text/plain')->end("not found\n");
        return;
    }
    $res->header('content-type', 'application/octet-stream')
        ->header('content-disposition', 'attachment; filename="' . addcslashes($name, '"\\') . '"')
        ->end(file_get_contents($file));
});
$server->run();
