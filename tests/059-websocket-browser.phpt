--TEST--
Headless Chromium opens a wss:// WebSocket from a page served over HTTP/2 and echoes 1000 messages through it, text and binary, up to 1 MiB: the socket goes as an RFC 8441 extended CONNECT over the page's own HTTP/2 connection, with permessage-deflate (fewer bytes on the wire than in the messages)
--SKIPIF--
<?php $needs = ['chromium']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$root = sys_get_temp_dir() . '/h2srv-wsbrowser-' . getmypid();
@mkdir($root, 0755, true);
$page = <<<'HTML'
<!doctype html><html><body><p id="out">not run</p><script>
const report = (what) => fetch("/result", {method: "POST", body: what});
const ws = new WebSocket("wss://" + location.host + "/ws");
ws.binaryType = "arraybuffer";
let i = 0, sent, t0;
const n = 1000;
function next() {
  if (i === n) { report("echoed " + n + " messages"); ws.close(1000, "done"); return; }
  const size = (i * 7919) % (1 << 20) + 1;
  if (i % 2) { sent = new Uint8Array(size); for (let k = 0; k < size; k += 997) sent[k] = (i + k) & 255; }
  else { sent = "é".repeat(size >> 1) + i; }
  ws.send(sent);
}
ws.onopen = next;
ws.onmessage = (e) => {
  let ok;
  if (i % 2) { const got = new Uint8Array(e.data); ok = got.length === sent.length && got.every((b, k) => b === sent[k]); }
  else { ok = e.data === sent; }
  if (!ok) { report("message " + i + " came back wrong"); ws.close(); return; }
  i++; next();
};
ws.onerror = () => { report("error after " + i); };
</script></body></html>
HTML;
file_put_contents("$root/index.html", $page);
$srv = new TestServer(<<<PHP
\$server->handle(function (H2srv\Request \$req, H2srv\Response \$res) use (\$server): void {
    if (\$req->isWebSocket()) {
        echo "websocket: {\$req->method()} {\$req->protocol()} from {\$req->remoteAddress()}\\n";
        \$ws = \$res->acceptWebSocket(['compression' => true]);
        \$ws->onMessage(fn(string \$d, bool \$b) => \$ws->send(\$d, \$b));
        \$ws->onClose(function (int \$code) use (\$server) {
            echo "message bytes out: {\$server->stats()['websockets']['bytes_out']}\\n";
            echo "closed \$code\\n";
        });
        return;
    }
    if (\$req->path() === '/result') {
        echo "result: {\$req->body()}\\n";
        \$res->end();
        return;
    }
    echo "page: {\$req->protocol()} from {\$req->remoteAddress()}\\n";
    \$res->header('content-type', 'text/html')->end(file_get_contents('$root/index.html'));
});
PHP, ['access_log' => "$root/access.log"]);
$env = getenv();
unset($env['LD_PRELOAD']); // Chromium is no PHP: an ASan run's preloads stay out of it
// The browser stays up (a debugging port keeps headless Chromium open) until the page reports.
// Under the ASan suite the echoes alone take about 50 s, more on a busy machine: room for that.
$p = proc_open(['timeout', '150', 'chromium', '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--ignore-certificate-errors', "--user-data-dir=$root/profile", '--remote-debugging-port=0',
    $srv->url('/index.html')], [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null, $env);
h2srv_eventually(fn() => preg_match('/^closed \d+$/m', $srv->stdout()) === 1, 140);
proc_terminate($p);
proc_close($p);
$srv->stop();
$log = $srv->stdout();
echo preg_match('/^result: (.*)$/m', $log, $m) ? $m[1] : "no result: $log", "\n";
preg_match('/^page: (\S+) from (\S+)$/m', $log, $page);
preg_match('/^websocket: (\S+) (\S+) from (\S+)$/m', $log, $sock);
echo "page over $page[1]; the socket: $sock[1] over $sock[2], ", $sock[3] === $page[2] ? "on the page's connection" : "on another connection ($sock[3] vs $page[2])", "\n";
echo preg_match('/^closed (\d+)$/m', $log, $m) ? "closed $m[1]\n" : "not closed\n";
// permessage-deflate: the socket's bytes on the wire (its access-log line) against its messages'
preg_match('/^message bytes out: (\d+)$/m', $log, $msg);
preg_match('/ CONNECT \S+ 200 (\d+) /', (string)file_get_contents("$root/access.log"), $wire);
echo 'compressed on the wire: ', isset($wire[1], $msg[1]) && $wire[1] < $msg[1] / 2 ? 'yes' : 'no (' . json_encode([$wire, $msg]) . ')', "\n";
exec('rm -rf ' . escapeshellarg($root));
?>
--EXPECT--
echoed 1000 messages
page over HTTP/2; the socket: CONNECT over HTTP/2, on the page's connection
closed 1000
compressed on the wire: yes
