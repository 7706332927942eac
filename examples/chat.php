<?php
// A chat room over WebSockets, served by several workers: each message goes to every member,
// whichever worker holds its socket (Server::sendTo() reaches the others' sockets).
//   GET /        a page to chat from (open it in two browser tabs)
//   WS  /chat    the room: every text message sent is relayed to all members
// php -d extension=h2srv.so examples/chat.php   (https://127.0.0.1:8443/)
// Members are listed in a file shared by the workers (a real deployment would use Redis or
// a database); ids are WebSocket::id(), which name the worker's process.
declare(strict_types=1);

$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
$members = tempnam(sys_get_temp_dir(), 'h2srv-chat-'); // made before the workers fork: one room
register_shutdown_function(function () use ($members): void {
    if (getmypid() === $GLOBALS['supervisor']) {
        @unlink($members);
    }
});
$GLOBALS['supervisor'] = getmypid();

/** Runs $change on the member list under an exclusive lock; returns the list after it. */
function members(string $file, ?callable $change = null): array
{
    $f = fopen($file, 'c+');
    flock($f, $change ? LOCK_EX : LOCK_SH);
    $list = array_filter(explode("\n", stream_get_contents($f)));
    if ($change) {
        $list = $change($list);
        ftruncate($f, 0);
        rewind($f);
        fwrite($f, implode("\n", $list));
    }
    flock($f, LOCK_UN);
    fclose($f);
    return $list;
}

$server = new H2srv\Server([
    'listen'   => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'     => "$dir/cert.pem",
    'key'      => "$dir/key.pem",
    'workers'  => 2,
]);
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server, $members): void {
    if ($req->path() !== '/chat') {
        $res->header('content-type', 'text/html; charset=utf-8')->end(<<<'HTML'
            <!doctype html><meta charset="utf-8"><title>h2srv chat</title>
            <ul id="log"></ul><form id="f"><input id="m" autocomplete="off"><button>send</button></form>
            <script>
            const ws = new WebSocket("wss://" + location.host + "/chat");
            ws.onmessage = (e) => { const li = document.createElement("li"); li.textContent = e.data; log.append(li); };
            f.onsubmit = (e) => { e.preventDefault(); ws.send(m.value); m.value = ""; };
            </script>
            HTML);
        return;
    }
    if (!$req->isWebSocket()) {
        $res->status(426)->header('upgrade', 'websocket')->end("a WebSocket endpoint\n");
        return;
    }
    $ws = $res->acceptWebSocket();
    $id = $ws->id();
    members($members, fn(array $l) => [...$l, $id]);
    $ws->send("welcome $id");
    $ws->onMessage(function (string $text, bool $binary) use ($server, $members, $id): void {
        if ($binary || strlen($text) > 4096) {
            return; // text lines only
        }
        foreach (members($members) as $to) {
            $server->sendTo($to, "$id: $text");
        }
    });
    $ws->onClose(function () use ($members, $id): void {
        members($members, fn(array $l) => array_values(array_diff($l, [$id])));
    });
});
$server->run();
