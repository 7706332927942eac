--TEST--
Session tickets every process shares: a TLS 1.3 session resumes on another worker, across a SIGHUP reload, and on a second server that reads the same ticket_keys file (nginx's 80-byte format); with ticket_rotation, a ticket still resumes in the next period and no longer two periods later; a bad key file is refused naming it
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$code = '$server->handle(fn($req, $res) => $res->end(json_encode(["pid" => getmypid(), "resumed" => $req->tls()["resumed"]])));';

/** The two connections' pids and whether the second one resumed, as the server saw it. */
function resume(int $port, ?int $port2 = null, float $delay = 0): array
{
    [$rc, $out] = h2srv_py('h2peer.py', [(string)$port, 'resumed', '/', $port2 ? (string)$port2 : '-', (string)$delay]);
    $lines = explode("\n", trim($out));
    $a = json_decode($lines[0] ?? '', true);
    $b = json_decode($lines[1] ?? '', true);
    return [$a['pid'] ?? 0, $b['pid'] ?? 0, $b ? ($b['resumed'] ? 'resumed' : 'full handshake') : "failed: $out"];
}

$srv = new TestServer($code, ['workers' => 2, 'dispatch' => 'connection']);
h2srv_eventually(fn() => count(h2srv_children($srv->pid())) === 2, 3);
[$p1, $p2, $how] = resume($srv->port);
echo "two workers: $how, ", $p1 && $p2 && $p1 !== $p2 ? 'on the other worker' : 'on the same worker', "\n";
$srv->stop();

$srv = new TestServer($code);
[$rc, $out] = h2srv_py('h2peer.py', [(string)$srv->port, 'resumed', '/', '-', '0.8']);
echo 'sanity, one process: ', str_contains($out, '"resumed":true') ? 'resumed' : 'full handshake', "\n";
// Across a reload: the ticket is issued before the SIGHUP (the first response has come back),
// offered after it (1 s later).
$py = proc_open(['/usr/bin/python3', __DIR__ . '/inc/h2peer.py', (string)$srv->port, 'resumed', '/', '-', '1.0'], [1 => ['pipe', 'w']], $pipes);
$first = fgets($pipes[1]);
h2srv_kill($srv->pid(), 1);
$out = $first . stream_get_contents($pipes[1]);
proc_close($py);
echo 'across a reload: ', str_contains($out, '"resumed":true') ? 'resumed' : "full handshake ($out)", ', reload logged: ',
    str_contains($srv->stderr(), 'reload failed') ? 'failed' : 'ok', "\n";
$srv->stop();

$keys = sys_get_temp_dir() . '/h2srv-ticket-keys-' . getmypid();
file_put_contents($keys, random_bytes(80) . random_bytes(80));
$a = new TestServer($code, ['ticket_keys' => $keys]);
$b = new TestServer($code, ['ticket_keys' => $keys]);
echo 'second server with the same key file: ', resume($a->port, $b->port)[2], "\n";
$c = new TestServer($code);
echo 'a server without it: ', resume($a->port, $c->port)[2], "\n";
$a->stop(); $b->stop(); $c->stop();

$srv = new TestServer($code, ['ticket_rotation' => 2]);
// Periods are whole multiples of 2 s of the clock. Issued early in one period (the client
// starts just after a period began), offered 2 s later: in the next period, where the previous
// key still resumes; offered 4.5 s later: two periods on, where it no longer does.
usleep((int)((2 - fmod(microtime(true), 2)) * 1e6) + 50000);
echo 'rotation 2 s, offered 2 s later: ', resume($srv->port, null, 2.0)[2], "\n";
echo 'rotation 2 s, offered 4.5 s later: ', resume($srv->port, null, 4.5)[2], "\n";
$srv->stop();

file_put_contents($keys, random_bytes(48));
try {
    new H2srv\Server(['listen' => '127.0.0.1:0', 'cert' => h2srv_cert()[0], 'key' => h2srv_cert()[1], 'ticket_keys' => $keys]);
    echo "accepted\n";
} catch (H2srv\Exception $e) {
    echo str_replace($keys, 'FILE', $e->getMessage()), "\n";
}
unlink($keys);
?>
--EXPECT--
two workers: resumed, on the other worker
sanity, one process: resumed
across a reload: resumed, reload logged: ok
second server with the same key file: resumed
a server without it: full handshake
rotation 2 s, offered 2 s later: resumed
rotation 2 s, offered 4.5 s later: full handshake
ticket_keys file "FILE" must hold 1 to 8 keys of 80 bytes each (as nginx's ssl_session_ticket_key), not 48 bytes
