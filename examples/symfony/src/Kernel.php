<?php

declare(strict_types=1);

namespace App;

use Symfony\Bundle\FrameworkBundle\FrameworkBundle;
use Symfony\Bundle\FrameworkBundle\Kernel\MicroKernelTrait;
use Symfony\Component\DependencyInjection\Loader\Configurator\ContainerConfigurator;
use Symfony\Component\HttpKernel\Kernel as BaseKernel;
use Symfony\Component\Routing\Loader\Configurator\RoutingConfigurator;

final class Kernel extends BaseKernel
{
    use MicroKernelTrait;

    public function registerBundles(): iterable
    {
        yield new FrameworkBundle();
    }

    public function getProjectDir(): string
    {
        return dirname(__DIR__);
    }

    /** Cache and logs outside the checkout, per user: the app's directory may be read-only. */
    public function getCacheDir(): string
    {
        return sys_get_temp_dir() . '/h2srv-example-symfony-' . getmyuid() . '/cache/' . $this->environment;
    }

    public function getLogDir(): string
    {
        return sys_get_temp_dir() . '/h2srv-example-symfony-' . getmyuid() . '/log';
    }

    protected function configureContainer(ContainerConfigurator $c): void
    {
        $c->extension('framework', [
            'secret' => '%env(APP_SECRET)%',
            'http_method_override' => false,
            'router' => ['utf8' => true],
            'php_errors' => ['log' => true],
        ]);
        // Defaults for the environment variables; a deployment sets its own APP_SECRET.
        $c->parameters()->set('env(APP_SECRET)', 'example-only-not-a-secret');
        $c->parameters()->set('env(APP_FILES_DIR)', '%kernel.project_dir%/var/files');
        $c->parameters()->set('app.files_dir', '%env(APP_FILES_DIR)%');
        $services = $c->services()->defaults()->autowire()->autoconfigure();
        $services->set(Service\Notes::class);
        $services->set(Controller\AppController::class)->public()->tag('controller.service_arguments')
            ->arg('$filesDir', '%app.files_dir%');
    }

    protected function configureRoutes(RoutingConfigurator $routes): void
    {
        $c = Controller\AppController::class;
        $routes->add('hello', '/hello')->controller("$c::hello")->methods(['GET', 'HEAD']);
        $routes->add('greet', '/hello/{name}')->controller("$c::greet")->requirements(['name' => '[A-Za-z0-9-]{1,64}']);
        $routes->add('json', '/json')->controller("$c::json")->methods(['POST']);
        $routes->add('form', '/form')->controller("$c::form")->methods(['POST']);
        $routes->add('upload', '/upload')->controller("$c::upload")->methods(['POST']);
        $routes->add('cookie_set', '/cookie/set')->controller("$c::cookieSet");
        $routes->add('cookie_get', '/cookie/get')->controller("$c::cookieGet");
        $routes->add('redirect', '/redirect')->controller("$c::redirect");
        $routes->add('boom', '/boom')->controller("$c::boom");
        $routes->add('stream', '/stream')->controller("$c::stream");
        $routes->add('download', '/download/{name}')->controller("$c::download")->requirements(['name' => '[a-z0-9][a-z0-9.-]{0,63}']);
        $routes->add('note_set', '/note/set/{value}')->controller("$c::noteSet")->requirements(['value' => '[a-z0-9]{1,32}']);
        $routes->add('note_get', '/note/get')->controller("$c::noteGet");
        $routes->add('memory', '/memory')->controller("$c::memory");
    }
}
