--TEST--
Certificates by SNI and RSA beside ECDSA: exact names and one-label wildcards (case-insensitive) get their certificate, other names and no SNI the default, refused with unrecognized_name under sni_strict (no SNI still served); a default given as an RSA and an ECDSA pair serves the one the client's signature algorithms take; option errors name the option
--SKIPIF--
<?php $needs = ['curl', 'openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$dir = sys_get_temp_dir() . '/h2srv-sni-' . getmypid();
@mkdir($dir);
function make(string $dir, string $name, string $type): array
{
    $alg = $type === 'rsa' ? '-newkey rsa:2048' : '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1';
    exec("openssl req -x509 $alg -nodes -days 1 -subj /CN=$name -keyout $dir/$name.key -out $dir/$name.pem 2>/dev/null");
    return ["$dir/$name.pem", "$dir/$name.key"];
}
[$rsaC, $rsaK] = make($dir, 'default-rsa', 'rsa');
[$ecC, $ecK] = make($dir, 'default-ecdsa', 'ec');
[$aC, $aK] = make($dir, 'exact-a', 'ec');
[$wC, $wK] = make($dir, 'wild-org', 'ec');

/** The CN of the certificate the server presents, or how the handshake ended. */
function served(int $port, ?string $sni, array $extra = []): string
{
    $args = ['openssl', 's_client', '-connect', "127.0.0.1:$port", '-alpn', 'h2', ...$extra];
    $args = array_merge($args, $sni === null ? ['-noservername'] : ['-servername', $sni]);
    [$rc, $out, $err] = h2srv_run($args, '');
    if (preg_match('/-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----/s', $out, $m)) {
        return openssl_x509_parse($m[0])['subject']['CN'] ?? '?';
    }
    return preg_match('/tlsv1 (unrecognized name):.*alert number 112/', $err, $m) ? "refused: $m[1]" : 'failed: ' . trim($err);
}

$sites = [
    ['hosts' => ['a.example.com', 'A.Example.Net'], 'cert' => $aC, 'key' => $aK],
    ['hosts' => ['*.example.org'], 'cert' => $wC, 'key' => $wK],
];
$code = '$server->handle(fn($req, $res) => $res->end("ok"));';
foreach ([false, true] as $strict) {
    $srv = new TestServer($code, ['cert' => [$rsaC, $ecC], 'key' => [$rsaK, $ecK], 'certificates' => $sites, 'sni_strict' => $strict]);
    echo $strict ? "sni_strict:\n" : "default:\n";
    foreach (['a.example.com', 'a.example.net', 'x.example.org', 'X.EXAMPLE.ORG', 'b.x.example.org', 'example.org', 'other.test', null] as $name) {
        echo '  ', $name ?? '(no SNI)', ' -> ', served($srv->port, $name), "\n";
    }
    $srv->stop();
}

// The default pair: OpenSSL offers what the client's signature algorithms take.
$srv = new TestServer($code, ['cert' => [$rsaC, $ecC], 'key' => [$rsaK, $ecK]]);
echo 'only ECDSA offered -> ', served($srv->port, 'localhost', ['-sigalgs', 'ECDSA+SHA256']), "\n";
echo 'only RSA-PSS offered -> ', served($srv->port, 'localhost', ['-sigalgs', 'RSA-PSS+SHA256']), "\n";
echo 'curl: ', h2srv_curl($srv->url('/'))[1], "\n";
$srv->stop();

foreach ([
    ['cert' => [$rsaC, $ecC], 'key' => $rsaK],
    ['certificates' => [['hosts' => [], 'cert' => $aC, 'key' => $aK]]],
    ['certificates' => [['hosts' => ['a.*.org'], 'cert' => $aC, 'key' => $aK]]],
    ['certificates' => [['hosts' => ['a.example.com'], 'cert' => $aC]]],
    ['certificates' => [['hosts' => ['a.example.com'], 'cert' => "$dir/missing.pem", 'key' => $aK]]],
    ['sni_strict' => 'yes'],
] as $bad) {
    try {
        new H2srv\Server($bad + ['listen' => '127.0.0.1:0', 'cert' => $rsaC, 'key' => $rsaK]);
        echo "accepted\n";
    } catch (H2srv\Exception $e) {
        echo str_replace($dir, 'DIR', $e->getMessage()), "\n";
    }
}
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
default:
  a.example.com -> exact-a
  a.example.net -> exact-a
  x.example.org -> wild-org
  X.EXAMPLE.ORG -> wild-org
  b.x.example.org -> default-ecdsa
  example.org -> default-ecdsa
  other.test -> default-ecdsa
  (no SNI) -> default-ecdsa
sni_strict:
  a.example.com -> exact-a
  a.example.net -> exact-a
  x.example.org -> wild-org
  X.EXAMPLE.ORG -> wild-org
  b.x.example.org -> refused: unrecognized name
  example.org -> refused: unrecognized name
  other.test -> refused: unrecognized name
  (no SNI) -> default-ecdsa
only ECDSA offered -> default-ecdsa
only RSA-PSS offered -> default-rsa
curl: ok
options "cert" and "key" list 2 and 1 file(s): give one key per cert, in the same order
option "certificates"[0]["hosts"] must be a non-empty list of names
option "certificates"[0]["hosts"] holds "a.*.org", which is neither a name nor a one-label wildcard ("*.example.org")
option "certificates"[0] needs "key"
cert file "DIR/missing.pem" is not readable: No such file or directory
option "sni_strict" must be a bool, got string
