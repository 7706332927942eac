--TEST--
Bad options throw H2srv\Exception naming the problem: missing/unreadable files, bad listen, port in use, unknown option, wrong types
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
[$cert, $key] = h2srv_cert();
$port = h2srv_free_port();
$ok = ['listen' => "127.0.0.1:$port", 'cert' => $cert, 'key' => $key];
$unreadable = sys_get_temp_dir() . '/h2srv-unreadable-' . getmypid() . '.pem';
file_put_contents($unreadable, "not a key\n");
$cases = [
    'missing cert' => ['cert' => '/nonexistent/cert.pem'] + $ok,
    'missing key' => ['key' => '/nonexistent/key.pem'] + $ok,
    'key is not a key' => ['key' => $unreadable] + $ok,
    'key of another cert' => ['key' => $cert] + $ok,
    'bad listen' => ['listen' => 'localhost'] + $ok,
    'bad port' => ['listen' => '127.0.0.1:99999'] + $ok,
    'bad host' => ['listen' => 'example.com:443'] + $ok,
    'unknown option' => $ok + ['max_streams' => 10],
    'positional option' => $ok + [0 => 'x'],
    'wrong type' => ['byte_cap' => '16k'] + $ok,
    'out of range' => ['max_concurrent_streams' => 0] + $ok,
    'no listen' => ['cert' => $cert, 'key' => $key],
    'bad timeout' => ['read_timeout' => -1] + $ok,
    'timeout not a number' => ['idle_timeout' => '5s'] + $ok,
    'bad workers' => ['workers' => 'many'] + $ok,
    'too many workers' => ['workers' => 100000] + $ok,
    'bootstrap not callable' => ['bootstrap' => 'no_such_function'] + $ok,
    'bad max_connections' => ['max_connections' => 0] + $ok,
    'bad glitch_budget' => ['glitch_budget' => 0] + $ok,
    'missing upload_dir' => ['upload_dir' => '/nonexistent/dir'] + $ok,
    'upload_dir is a file' => ['upload_dir' => $unreadable] + $ok,
    'bad body_buffer_size' => ['body_buffer_size' => -1] + $ok,
];
foreach ($cases as $name => $opts) {
    try {
        new H2srv\Server($opts);
        echo "$name: no exception\n";
    } catch (H2srv\Exception $e) {
        echo "$name: ", $e->getMessage(), "\n";
    }
}
$first = new H2srv\Server($ok);
try {
    new H2srv\Server($ok);
} catch (H2srv\Exception $e) {
    echo "port in use: ", $e->getMessage(), "\n";
}
try {
    $first->run();
} catch (H2srv\Exception $e) {
    echo "run without handler: ", $e->getMessage(), "\n";
}
try {
    $first->__construct($ok);
} catch (H2srv\Exception $e) {
    echo "constructed twice: ", $e->getMessage(), "\n";
}
var_dump(is_subclass_of(H2srv\Exception::class, RuntimeException::class));
unlink($unreadable);
?>
--EXPECTF--
missing cert: cert file "/nonexistent/cert.pem" is not readable: No such file or directory
missing key: key file "/nonexistent/key.pem" is not readable: No such file or directory
key is not a key: key file "%s" holds no usable private key: %s
key of another cert: key file "%s" holds no usable private key: %s
bad listen: option "listen" must be "ip:port" or "[ipv6]:port", got "localhost"
bad port: option "listen" must be "ip:port" or "[ipv6]:port", got "127.0.0.1:99999"
bad host: option "listen" must be "ip:port" or "[ipv6]:port", got "example.com:443"
unknown option: unknown option "max_streams"
positional option: unknown option 0 (options are named)
wrong type: option "byte_cap" must be an int, got string
out of range: option "max_concurrent_streams" must be between 1 and 2147483647, got 0
no listen: option "listen" is required
bad timeout: option "read_timeout" must be between 0 and 86400 seconds, got -1
timeout not a number: option "idle_timeout" must be a number of seconds, got string
bad workers: option "workers" must be an int or "auto", got string
too many workers: option "workers" must be between 0 and 256, got 100000
bootstrap not callable: option "bootstrap" must be callable: function "no_such_function" not found or invalid function name
bad max_connections: option "max_connections" must be between 1 and 2147483647, got 0
bad glitch_budget: option "glitch_budget" must be between 1 and 2147483647, got 0
missing upload_dir: option "upload_dir" "/nonexistent/dir" is not a writable directory: No such file or directory
upload_dir is a file: option "upload_dir" "%s" is not a writable directory: not a directory
bad body_buffer_size: option "body_buffer_size" must be between 0 and 9223372036854775807, got -1
port in use: cannot listen on 127.0.0.1:%d: address already in use
run without handler: no handler: call handle() before run()
constructed twice: the server is already constructed
bool(true)
