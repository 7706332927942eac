<?php
// Accepts uploads (PUT /name, up to 4 GiB) into a directory and answers with their SHA-256.
// Bodies over 1 MiB are spooled to a file as they arrive and moved into place: memory stays flat.
// php -d extension=h2srv.so examples/upload.php [directory]
//   curl -k --http2 -T file https://127.0.0.1:8443/file
$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
$into = $argv[1] ?? sys_get_temp_dir();
$server = new H2srv\Server([
    'listen'           => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'             => "$dir/cert.pem",
    'key'              => "$dir/key.pem",
    'max_body_size'    => 4 << 30,   // larger bodies get 413 before they are read
    'body_buffer_size' => 1 << 20,   // larger bodies are spooled to a file...
    'upload_dir'       => $into,     // ...here, so that rename() below is cheap
]);
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($into): void {
    $name = basename($req->path());
    if ($req->method() !== 'PUT' || $name === '' || $name[0] === '.') {
        $res->status(405)->header('allow', 'PUT')->end("PUT /name\n");
        return;
    }
    $spooled = $req->bodyFile();
    if ($spooled === null) {
        file_put_contents("$into/$name", $req->body());
    } else {
        rename($spooled, "$into/$name");
        // The spool file was private (0600) while it was h2srv's; stored, it gets the mode
        // any new file gets here, like the small uploads written above.
        chmod("$into/$name", 0666 & ~umask());
    }
    $res->status(201)->header('content-type', 'text/plain')->end(hash_file('sha256', "$into/$name") . "\n");
});
$server->run();
