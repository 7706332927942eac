--TEST--
Headless Chromium loads a page from a static mount over HTTP/2: its script and stylesheet arrive coded with brotli from their precompressed siblings and run once decoded; a reload revalidates with a conditional request answered 304; the handler is never called for the page's files
--SKIPIF--
<?php $needs = ['chromium', 'brotli']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$root = sys_get_temp_dir() . '/h2srv-browser-' . getmypid();
@mkdir("$root/pub", 0755, true);
file_put_contents("$root/pub/index.html", '<!doctype html><html><head><link rel="stylesheet" href="style.css">'
    . '<script src="app.js"></script></head><body><p id="out">not run</p></body></html>');
file_put_contents("$root/pub/style.css", str_repeat("body { color: rgb(1, 2, 3); }\n", 200));
// The first load reloads the page once; the second reports what the browser got.
file_put_contents("$root/pub/app.js", <<<'JS'
document.addEventListener("DOMContentLoaded", () => {
  const n = Number(sessionStorage.getItem("loads") || 0) + 1;
  sessionStorage.setItem("loads", n);
  document.getElementById("out").textContent = "load " + n + ": app.js ran, color " + getComputedStyle(document.body).color;
  if (n === 1) { setTimeout(() => location.reload(), 200); }
});
JS . str_repeat("// padding\n", 300));
exec('cd ' . escapeshellarg("$root/pub") . ' && brotli -k style.css app.js');
$srv = new TestServer(<<<'PHP'
$server->handle(function ($req, $res) {
    echo "handler: {$req->path()}\n";
    $res->status(404)->end("no such file\n");
});
PHP, ['static' => ['/' => "$root/pub"], 'access_log' => "$root/access.log"]);
// Chromium is no PHP: the sanitizer runtimes an ASan run preloads into php stay out of it.
$env = getenv();
unset($env['LD_PRELOAD']);
// Chromium trusts the test certificate by its key rather than ignoring certificate errors:
// it never stores a response that came with a certificate error, so a reload would have
// nothing to revalidate.
$pem = openssl_pkey_get_details(openssl_pkey_get_public(file_get_contents(h2srv_cert()[0])))['key'];
$spki = base64_encode(hash('sha256', base64_decode(preg_replace('/-----[^-]+-----|\s/', '', $pem)), true));
$p = proc_open(['timeout', '60', 'chromium', '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    "--ignore-certificate-errors-spki-list=$spki", "--user-data-dir=$root/profile", '--virtual-time-budget=5000', '--dump-dom',
    $srv->url('/index.html')], [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null, $env);
$dom = stream_get_contents($pipes[1]);
proc_close($p);
$srv->stop();
echo preg_match('#<p id="out">([^<]*)#', $dom, $m) ? $m[1] : "no page: $dom", "\n";
$lines = file("$root/access.log", FILE_IGNORE_NEW_LINES);
$seen = [];
foreach ($lines as $line) {
    [, , $method, $path, $status, $bytes, , , $proto] = explode(' ', $line);
    $seen[$path][] = [(int)$status, (int)$bytes, $proto];
}
foreach (['style.css', 'app.js'] as $f) {
    $first = $seen["/$f"][0];
    echo "/$f first: $first[0] $first[2], ", $first[1] === filesize("$root/pub/$f.br") ? 'the brotli sibling' : "$first[1] bytes", "\n";
}
$revalidated = array_filter(array_merge(...array_values($seen)), fn($r) => $r[0] === 304);
echo 'on the reload: ', count($revalidated) > 0 ? 'revalidated with 304' : 'nothing revalidated: ' . json_encode($seen), "\n";
preg_match_all('/^handler: (\S+)$/m', $srv->stdout(), $h);
echo 'handler calls for the page\'s files: ', count(array_intersect($h[1], ['/index.html', '/style.css', '/app.js'])), "\n";
exec('rm -rf ' . escapeshellarg($root));
?>
--EXPECT--
load 2: app.js ran, color rgb(1, 2, 3)
/style.css first: 200 HTTP/2, the brotli sibling
/app.js first: 200 HTTP/2, the brotli sibling
on the reload: revalidated with 304
handler calls for the page's files: 0
