--TEST--
Large uploads: a 1 GiB body spooled to a file in upload_dir and checksummed with the server's memory bounded, the body_buffer_size boundary, body() reading a spooled body back, a deferred handler still finding its file, rename() keeping it, and the file removed when the request ends or the upload is cut off
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$tmp = sys_get_temp_dir() . '/h2srv-uploads-' . getmypid();
$up = "$tmp/spool";
@mkdir($up, 0700, true);
$big = "$tmp/1g";
$fh = fopen($big, 'w');
$chunk = random_bytes(1 << 20);
for ($i = 0; $i < 1024; $i++) {
    fwrite($fh, $i . substr($chunk, strlen((string)$i))); // each MiB differs: a lost or doubled one shows
}
fclose($fh);
$srv = new TestServer(<<<PHP
\$up = '$up'; \$tmp = '$tmp';
PHP . <<<'PHP'
$server->handle(function ($req, $res) use ($server, $up, $tmp) {
    $f = $req->bodyFile();
    switch ($req->path()) {
    case '/sum':
        $res->end(json_encode(['where' => $f === null ? 'memory' : (dirname($f) === $up ? 'upload_dir' : $f),
            'size' => $req->bodySize(), 'sha256' => $f === null ? hash('sha256', $req->body()) : hash_file('sha256', $f)]));
        return;
    case '/body':
        $res->end(hash('sha256', $req->body()) . ($f === null ? ' from memory' : ' read back from the file'));
        return;
    case '/later':
        $server->after(50, function () use ($req, $res, $f) {
            $res->end(is_file($f) ? hash_file('sha256', $f) : 'the file is gone');
        });
        return;
    case '/keep':
        rename($f, "$tmp/kept");
        $res->end('kept');
        return;
    }
});
PHP, ['upload_dir' => $up, 'body_buffer_size' => 1 << 20, 'max_body_size' => 2 << 30]);
$spooled = fn() => array_values(array_diff(scandir($up), ['.', '..']));
$hwm = fn() => h2srv_tree_rss_kb($srv->pid(), 'VmHWM');
$asan = getenv('H2SRV_SERVER_PRELOAD') !== false;
$upload = fn(string $path, string $file, array $more = []) => h2srv_curl($srv->url($path), ['-T', $file, ...$more]);

file_put_contents("$tmp/warm", str_repeat('w', 3 << 20));
$upload('/sum', "$tmp/warm"); // warm up buffers and pools
$rss0 = h2srv_tree_rss_kb($srv->pid());
[$rc, $out, $err] = $upload('/sum', $big);
$r = json_decode($out, true) ?? ['where' => "curl exit $rc: $err"];
echo "1 GiB: {$r['where']}, ", $r['size'] ?? '?', ' bytes, ', ($r['sha256'] ?? '') === hash_file('sha256', $big) ? 'checksum matches' : 'WRONG checksum',
    ', peak memory ', $asan || $hwm() - $rss0 < 32 * 1024 ? "under 32 MiB over idle\n" : 'grew ' . ($hwm() - $rss0) . " KiB\n";
echo 'after the response the spool file is ', h2srv_eventually(fn() => !$spooled(), 2) ? "removed\n" : "still there\n";

foreach ([1000, 1 << 20, (1 << 20) + 1] as $n) {
    file_put_contents("$tmp/body", random_bytes($n));
    $r = json_decode($upload('/sum', "$tmp/body")[1], true);
    echo "$n bytes: {$r['where']}, {$r['size']} bytes, ", $r['sha256'] === hash_file('sha256', "$tmp/body") ? "checksum matches\n" : "WRONG checksum\n";
}
file_put_contents("$tmp/body", random_bytes(3 << 20));
[$rc, $out] = $upload('/body', "$tmp/body");
echo 'body() of 3 MiB: ', str_replace(hash_file('sha256', "$tmp/body"), 'checksum matches,', $out), "\n";
[$rc, $out] = $upload('/later', "$tmp/body");
echo 'answered 50 ms later: ', $out === hash_file('sha256', "$tmp/body") ? 'the file was still there' : $out, "\n";
[$rc, $out] = $upload('/keep', "$tmp/body");
echo "rename(): $out, ", is_file("$tmp/kept") && hash_file('sha256', "$tmp/kept") === hash_file('sha256', "$tmp/body") ? 'the moved file is whole' : 'the moved file is missing or wrong',
    ', ', h2srv_eventually(fn() => !$spooled(), 2) ? "nothing left in upload_dir\n" : "upload_dir not empty\n";

// A client that gives up mid-upload: its partial file goes with the stream.
$p = proc_open(['curl', '-sSk', '--http2', '--limit-rate', '4M', '--max-time', '3', '-T', $big, '-o', '/dev/null', $srv->url('/sum')],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
echo 'cut-off upload: spooled while it arrives ', h2srv_eventually(fn() => count($spooled()) === 1, 3) ? 'yes' : 'no';
$rc = proc_close($p);
echo ", curl exit $rc, then ", h2srv_eventually(fn() => !$spooled(), 2) ? "removed\n" : "still there\n";

echo 'exit code: ', $srv->stop(), "\n";
echo $srv->stdout();
@rmdir($up);
array_map('unlink', glob("$tmp/*") ?: []);
@rmdir($tmp);
?>
--EXPECT--
1 GiB: upload_dir, 1073741824 bytes, checksum matches, peak memory under 32 MiB over idle
after the response the spool file is removed
1000 bytes: memory, 1000 bytes, checksum matches
1048576 bytes: memory, 1048576 bytes, checksum matches
1048577 bytes: upload_dir, 1048577 bytes, checksum matches
body() of 3 MiB: checksum matches, read back from the file
answered 50 ms later: the file was still there
rename(): kept, the moved file is whole, nothing left in upload_dir
cut-off upload: spooled while it arrives yes, curl exit 28, then removed
exit code: 0
run returned
