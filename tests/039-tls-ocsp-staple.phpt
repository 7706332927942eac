--TEST--
OCSP stapling from a file: a client that asks (s_client -status) gets the DER response given as the certificate's ocsp option, also for an SNI entry's certificate; a server without one sends none; SIGHUP re-reads the file; a file that holds no OCSP response is refused naming it
--SKIPIF--
<?php $needs = ['openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$d = sys_get_temp_dir() . '/h2srv-ocsp-' . getmypid();
@mkdir($d);
$ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
$sh = fn(string $cmd) => exec("cd $d && $cmd 2>/dev/null");
$sh("openssl req -x509 $ec -days 2 -subj /CN=test-ca -keyout ca.key -out ca.pem");
foreach (['srv' => '10', 'site' => '11'] as $name => $serial) {
    $sh("openssl req $ec -subj /CN=$name -keyout $name.key -out $name.csr");
    $sh("openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -set_serial 0x$serial -days 1 -out $name.pem");
}
/** A DER OCSP response for $name, signed by the CA, saying $status. */
function respond(string $d, string $name, string $serial, string $status): void
{
    $exp = gmdate('ymdHis', time() + 86400) . 'Z';
    $line = $status === 'good' ? "V\t$exp\t\t$serial\tunknown\t/CN=$name" : "R\t$exp\t" . gmdate('ymdHis') . "Z\t$serial\tunknown\t/CN=$name";
    file_put_contents("$d/index.txt", "$line\n");
    exec("cd $d && openssl ocsp -issuer ca.pem -cert $name.pem -reqout $name.req -no_nonce 2>/dev/null"
        . " && openssl ocsp -index index.txt -rsigner ca.pem -rkey ca.key -CA ca.pem -reqin $name.req -respout $name.der -ndays 1 2>/dev/null");
}
respond($d, 'srv', '10', 'good');
respond($d, 'site', '11', 'good');

function status(int $port, string $sni): string
{
    [$rc, $out] = h2srv_run(['openssl', 's_client', '-connect', "127.0.0.1:$port", '-alpn', 'h2', '-servername', $sni, '-status'], '');
    if (str_contains($out, 'OCSP response: no response sent')) {
        return 'no staple';
    }
    preg_match('/OCSP Response Status: (\w+)/', $out, $r);
    preg_match('/Cert Status: (\w+)/', $out, $c);
    return 'staple: ' . ($r[1] ?? '?') . ', cert ' . ($c[1] ?? '?');
}

$code = '$server->handle(fn($req, $res) => $res->end("ok"));';
$srv = new TestServer($code, ['cert' => "$d/srv.pem", 'key' => "$d/srv.key", 'ocsp' => "$d/srv.der",
    'certificates' => [['hosts' => ['site.test'], 'cert' => "$d/site.pem", 'key' => "$d/site.key", 'ocsp' => "$d/site.der"]]]);
echo 'default certificate: ', status($srv->port, 'localhost'), "\n";
echo 'SNI entry: ', status($srv->port, 'site.test'), "\n";
respond($d, 'srv', '10', 'revoked');
h2srv_kill($srv->pid(), 1);
usleep(300000);
echo 'after SIGHUP with a new response: ', status($srv->port, 'localhost'), "\n";
$srv->stop();

$srv = new TestServer($code, ['cert' => "$d/srv.pem", 'key' => "$d/srv.key"]);
echo 'no ocsp option: ', status($srv->port, 'localhost'), "\n";
$srv->stop();

foreach ([['ocsp' => "$d/srv.pem"], ['ocsp' => ["$d/srv.der", "$d/site.der"]]] as $bad) {
    try {
        new H2srv\Server($bad + ['listen' => '127.0.0.1:0', 'cert' => "$d/srv.pem", 'key' => "$d/srv.key"]);
        echo "accepted\n";
    } catch (H2srv\Exception $e) {
        echo str_replace($d, 'DIR', $e->getMessage()), "\n";
    }
}
array_map('unlink', glob("$d/*"));
rmdir($d);
?>
--EXPECT--
default certificate: staple: successful, cert good
SNI entry: staple: successful, cert good
after SIGHUP with a new response: staple: successful, cert revoked
no ocsp option: no staple
ocsp file "DIR/srv.pem" holds no DER OCSP response
option "ocsp" must name one OCSP response per cert file (1), in the same order
