<?php

// No sessions in this app; the cookie jar reads its defaults from here.
return [
    'driver' => 'array',
    'lifetime' => 120,
    'path' => '/',
    'domain' => null,
    'secure' => null,
    'same_site' => 'lax',
];
