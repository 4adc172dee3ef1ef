#!/usr/bin/env node
require('../dist/gateway/src/main.js');
