--TEST--
request dispatch: a deploy is a symlink switch and a SIGHUP; code loaded in bootstrap from the release directory is loaded fresh by each new worker, so the new release answers, with 0 failed requests during the switch
--SKIPIF--
<?php $needs = ['h2load']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$dir = sys_get_temp_dir() . '/h2srv-deploy-' . getmypid();
@mkdir("$dir/releases/1", 0777, true);
@mkdir("$dir/releases/2", 0777, true);
$app = fn(string $v) => "<?php\nfunction app_version(): string { return '$v'; }\nclass App { const VERSION = '$v'; }\n";
file_put_contents("$dir/releases/1/app.php", $app('release 1'));
file_put_contents("$dir/releases/2/app.php", $app('release 2'));
symlink("$dir/releases/1", "$dir/current");
// As the README shows it: the application is loaded in bootstrap, which runs in each worker once
// it has started, never in the supervisor, so a new worker inherits none of it.
$srv = new TestServer(<<<PHP
function load_release(int \$worker): void { require '$dir/current/app.php'; }
\$server->handle(fn(\$req, \$res) => \$res->end(app_version() . ', ' . App::VERSION));
PHP, ['workers' => 2, 'dispatch' => 'request', 'bootstrap' => 'load_release']);
echo 'before: ', h2srv_curl($srv->url('/'))[1], "\n";

$load = proc_open(['h2load', '-D', '2', '-c', '4', '-m', '8', $srv->url('/')], [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
usleep(500000);
// The deploy: the new release behind the symlink (switched atomically), then a reload.
symlink("$dir/releases/2", "$dir/next");
rename("$dir/next", "$dir/current");
h2srv_kill($srv->pid(), 1);
$out = stream_get_contents($pipes[1]);
proc_close($load);
preg_match('/requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/', $out, $m);
echo 'during the switch: ', $m[1] > 1000 && $m[1] === $m[2] ? 'every request done' : "$m[1] done", ", $m[3] failed, $m[4] errored\n";
echo 'after: ', h2srv_eventually(fn() => h2srv_curl($srv->url('/'))[1] === 'release 2, release 2', 5) ? h2srv_curl($srv->url('/'))[1] : 'still ' . h2srv_curl($srv->url('/'))[1], "\n";
echo 'exit code: ', $srv->stop(), "\n";
unlink("$dir/current");
array_map('unlink', glob("$dir/releases/*/app.php"));
array_map('rmdir', glob("$dir/releases/*"));
rmdir("$dir/releases");
rmdir($dir);
?>
--EXPECT--
before: release 1, release 1
during the switch: every request done, 0 failed, 0 errored
after: release 2, release 2
exit code: 0
