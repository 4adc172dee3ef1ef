#!/usr/bin/env node
require('../dist/cli/src/main.js').main();
