--TEST--
Cleartext HTTP/2 (h2c, prior knowledge) next to TLS: several listeners (TLS, h2c on IPv4 and IPv6 on one port), curl --http2-prior-knowledge and h2load with 0 errors, large and slowly read responses byte-exact on both emit paths, an HTTP/1.1 client on an h2c port with http1 => false and a TLS client on an h2c port turned away, two workers on both listeners replaced by a reload, and the listen/tls option errors
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$code = <<<'PHP'
// 8 MiB, numbered: a lost or doubled slice shows. (Built in one go: appending 8192 times is
// slow under the ASan run, where realloc always copies.)
$big = implode('', array_map(fn($i) => str_pad((string)$i, 1024, '.'), range(0, 8191)));
$small = str_repeat('s', 3);
$mid = str_repeat('m', 65536);
$server->handle(function ($req, $res) use ($big, $small, $mid) {
    match ($req->path()) {
        '/big' => $res->end($big),
        '/3' => $res->end($small),
        '/64k' => $res->end($mid),
        default => $res->end($req->scheme() . ' ' . $req->protocol() . ' from ' . $req->remoteAddress()),
    };
});
PHP;
$h2c = h2srv_free_port();
$want = hash('sha256', implode('', array_map(fn($i) => str_pad((string)$i, 1024, '.'), range(0, 8191))));
$sum = fn(string $url, array $more = []) => explode(' ', h2srv_run(['sh', '-c',
    'curl -sS ' . implode(' ', array_map('escapeshellarg', [...$more, $url])) . ' | sha256sum'])[1])[0] === $want ? 'byte-exact' : 'WRONG';

foreach (['gather', 'drain'] as $mode) {
    $srv = new TestServer($code, ['listen' => [['address' => "127.0.0.1:$h2c", 'tls' => false, 'http1' => false],
        ['address' => "[::1]:$h2c", 'tls' => false]]], ['h2srv.tls_emit' => $mode]);
    echo "== $mode\n";
    [$rc, $out, $err] = h2srv_curl($srv->url('/'));
    echo 'TLS:  ', $out ?: "curl exit $rc: $err", "\n";
    foreach (["127.0.0.1:$h2c", "[::1]:$h2c"] as $a) {
        echo "h2c $a: ", h2srv_run(['curl', '-sS', '--http2-prior-knowledge', "http://$a/"])[1], "\n";
    }
    echo 'h2c 8 MiB: ', $sum("http://127.0.0.1:$h2c/big", ['--http2-prior-knowledge']),
        ', read at 16 MiB/s: ', $sum("http://127.0.0.1:$h2c/big", ['--http2-prior-knowledge', '--limit-rate', '16M']),
        ', over TLS: ', $sum($srv->url('/big'), ['-k', '--http2']), "\n";
    foreach (['/3' => 100000, '/64k' => 20000, '/big' => 200] as $path => $n) {
        $r = h2srv_h2load(['-n', (string)$n, '-c', '10', '-m', '32', "http://127.0.0.1:$h2c$path"]);
        echo "h2load h2c $path: ", $r['done'] ?? $r['output'], " done, {$r['failed']} failed, {$r['errored']} errored, {$r['2xx']} 2xx\n";
    }
    if ($mode === 'gather') {
        // Not HTTP/2 on an h2c port that takes no HTTP/1.1: no preface, so the connection ends
        // and nothing is served.
        [$rc] = h2srv_run(['curl', '-sS', '--http1.1', '--max-time', '5', "http://127.0.0.1:$h2c/"]);
        echo 'HTTP/1.1 on the h2c port: ', $rc !== 0 && $rc !== 124 ? 'turned away' : "curl exit $rc", "\n";
        [$rc] = h2srv_run(['curl', '-sSk', '--http2', '--max-time', '5', "https://127.0.0.1:$h2c/"]);
        echo 'TLS on the h2c port: ', $rc !== 0 && $rc !== 124 ? 'turned away' : "curl exit $rc", "\n";
        echo 'still serving: ', h2srv_run(['curl', '-sS', '--http2-prior-knowledge', "http://127.0.0.1:$h2c/"])[1], "\n";
    }
    echo 'exit code: ', $srv->stop(), "\n";
}

// Two workers share both listeners; a reload (SIGHUP) replaces them on both.
$srv = new TestServer('$server->handle(fn($req, $res) => $res->end((string)getmypid()));',
    ['workers' => 2, 'dispatch' => 'connection', 'listen' => [['address' => "127.0.0.1:$h2c", 'tls' => false]]]);
$pids = fn() => array_unique(array_merge(...array_map(fn() => [h2srv_curl($srv->url('/'))[1],
    h2srv_run(['curl', '-sS', '--http2-prior-knowledge', "http://127.0.0.1:$h2c/"])[1]], range(1, 10))));
$before = $pids();
$workers = h2srv_children($srv->pid());
echo 'workers: ', count($workers), ', answering on both listeners: ', !array_diff($before, array_map('strval', $workers)) ? "yes\n" : 'no (' . implode(',', $before) . ")\n";
h2srv_kill($srv->pid(), SIGHUP);
echo 'after SIGHUP, new workers answer on both: ', h2srv_eventually(function () use ($pids, $workers) {
    $now = $pids();
    return $now && !array_intersect($now, array_map('strval', $workers)) && !in_array('', $now, true);
}, 10) ? "yes\n" : "no\n";
echo 'exit code: ', $srv->stop(), "\n";

[$cert, $key] = h2srv_cert();
$port = h2srv_free_port();
$cases = [
    'h2c only, no cert' => ['listen' => "127.0.0.1:$port", 'tls' => false],
    'TLS listener without cert' => ['listen' => ["127.0.0.1:$port", ['address' => "127.0.0.1:$h2c", 'tls' => false]], 'tls' => true],
    'h2c entry next to a TLS default, no key' => ['listen' => [['address' => "127.0.0.1:$h2c", 'tls' => false], "127.0.0.1:$port"], 'cert' => $cert],
    'tls not a bool' => ['listen' => "127.0.0.1:$port", 'tls' => 'no', 'cert' => $cert, 'key' => $key],
    'empty list' => ['listen' => [], 'cert' => $cert, 'key' => $key],
    'entry with an unknown key' => ['listen' => [['address' => "127.0.0.1:$port", 'proto' => 'h2c']], 'cert' => $cert, 'key' => $key],
    'entry without an address' => ['listen' => [['tls' => false]], 'cert' => $cert, 'key' => $key],
    'same address twice' => ['listen' => ["127.0.0.1:$port", "127.0.0.1:$port"], 'cert' => $cert, 'key' => $key],
];
foreach ($cases as $name => $opts) {
    try {
        $s = new H2srv\Server($opts);
        echo "$name: accepted\n";
        unset($s);
    } catch (H2srv\Exception $e) {
        echo "$name: ", $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
== gather
TLS:  https HTTP/2 from 127.0.0.1
h2c 127.0.0.1:%d: http HTTP/2 from 127.0.0.1
h2c [::1]:%d: http HTTP/2 from ::1
h2c 8 MiB: byte-exact, read at 16 MiB/s: byte-exact, over TLS: byte-exact
h2load h2c /3: 100000 done, 0 failed, 0 errored, 100000 2xx
h2load h2c /64k: 20000 done, 0 failed, 0 errored, 20000 2xx
h2load h2c /big: 200 done, 0 failed, 0 errored, 200 2xx
HTTP/1.1 on the h2c port: turned away
TLS on the h2c port: turned away
still serving: http HTTP/2 from 127.0.0.1
exit code: 0
== drain
TLS:  https HTTP/2 from 127.0.0.1
h2c 127.0.0.1:%d: http HTTP/2 from 127.0.0.1
h2c [::1]:%d: http HTTP/2 from ::1
h2c 8 MiB: byte-exact, read at 16 MiB/s: byte-exact, over TLS: byte-exact
h2load h2c /3: 100000 done, 0 failed, 0 errored, 100000 2xx
h2load h2c /64k: 20000 done, 0 failed, 0 errored, 20000 2xx
h2load h2c /big: 200 done, 0 failed, 0 errored, 200 2xx
exit code: 0
workers: 2, answering on both listeners: yes
after SIGHUP, new workers answer on both: yes
exit code: 0
h2c only, no cert: accepted
TLS listener without cert: option "cert" is required for a TLS listener
h2c entry next to a TLS default, no key: option "key" is required for a TLS listener
tls not a bool: option "tls" must be a bool, got string
empty list: option "listen" takes 1 to 16 addresses, got 0
entry with an unknown key: option "listen" takes "ip:port", ["address" => "ip:port", "tls" => bool, "http1" => bool], or a list of them
entry without an address: option "listen" takes "ip:port", ["address" => "ip:port", "tls" => bool, "http1" => bool], or a list of them
same address twice: cannot listen on 127.0.0.1:%d: address already in use
