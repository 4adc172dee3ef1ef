#!/usr/bin/env node
require('../dist/watchdog/src/main.js');
