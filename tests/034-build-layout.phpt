--TEST--
The README's commands: the release module at modules/h2srv.so loads into a plain php (no sanitizer runtime needed, also while the ASan suite runs from its own build directory), and serves examples/hello.php as the Quickstart says
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$root = dirname(__DIR__);
$release = "$root/modules/h2srv.so";
echo 'modules/h2srv.so built: ', is_file($release) ? 'yes' : 'no', "\n";
// A module linked against ASan aborts in a php without the runtime preloaded.
[$rc, $out, $err] = h2srv_run(['env', '-u', 'LD_PRELOAD', PHP_BINARY, '-n', '-d', "extension=$release", '-r',
    'echo extension_loaded("h2srv") ? "loaded" : "not loaded";']);
echo 'plain php -d extension=$PWD/modules/h2srv.so: ', $out, $rc === 0 ? '' : " (rc $rc: " . trim($err) . ')', "\n";
[$rc, $out] = h2srv_run(['sh', '-c', 'readelf -d ' . escapeshellarg($release) . ' | grep -c "NEEDED.*lib[au]*san" || true']);
echo 'sanitizer runtimes it needs: ', trim($out), "\n";
?>
--EXPECT--
modules/h2srv.so built: yes
plain php -d extension=$PWD/modules/h2srv.so: loaded
sanitizer runtimes it needs: 0
