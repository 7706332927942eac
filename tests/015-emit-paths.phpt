--TEST--
The gather emit at byte_cap 1024 and 65536, and the drain path, deliver the same bytes for small and large bodies
--SKIPIF--
<?php $needs = ['curl', 'nghttp']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$code = <<<'PHP'
$bodies = ['/3' => "ok\n", '/big' => ''];
// One implode, not an append per piece: under the ASan suite (no Zend allocator) each append
// copies the whole string (27 s for test 015's 5000 pieces on a loaded machine, while the first
// client waited, past its 20 s).
$bodies['/big'] = implode('', array_map(fn($i) => sha1((string)$i) . str_repeat(chr(65 + $i % 26), 300), range(0, 4999)));
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($bodies): void {
    $res->header('x-sha1', sha1($bodies[$req->path()]))->end($bodies[$req->path()]);
});
PHP;
$variants = [
    'gather, byte_cap 1024' => [['byte_cap' => 1024], []],
    'gather, byte_cap 65536' => [['byte_cap' => 65536], []],
    'drain' => [[], ['h2srv.tls_emit' => 'drain']],
];
foreach ($variants as $name => [$opts, $ini]) {
    $srv = new TestServer($code, $opts, $ini);
    $ok = [];
    foreach (['/3', '/big'] as $path) {
        [$rc, $out, $err] = h2srv_curl($srv->url($path), ['-D', '-']);
        $exact = $rc === 0 && preg_match('/x-sha1: (\w+)/', $out, $m)
            && sha1(substr($out, strpos($out, "\r\n\r\n") + 4)) === $m[1];
        // (a failure says what the client saw)
        $ok[] = $path . '=' . ($exact ? 'exact' : sprintf('WRONG(curl exit %d, %s%s)', $rc, json_encode(substr($out, 0, 300)), trim($err)));
    }
    // 40 concurrent streams on one connection through the same path.
    $urls = array_map(fn($i) => $srv->url(($i % 2 ? '/big' : '/3') . "?i=$i"), range(1, 40));
    [$rc, $out] = h2srv_run(array_merge(['nghttp', '-n', '-s'], $urls));
    $ok[] = 'streams=' . preg_match_all('/^\s+\d+\s.*\s200\s/m', $out);
    echo "$name: ", implode(' ', $ok), "\n";
}
?>
--EXPECT--
gather, byte_cap 1024: /3=exact /big=exact streams=40
gather, byte_cap 65536: /3=exact /big=exact streams=40
drain: /3=exact /big=exact streams=40
