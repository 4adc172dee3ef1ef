// Copies the console's index.html and style.css beside its compiled modules, so dist/console/ is the whole UI.
const fs = require('node:fs');
const path = require('node:path');

const from = path.join(__dirname, 'public');
const to = path.join(__dirname, '..', 'dist', 'console');
fs.mkdirSync(to, { recursive: true });
for (const name of fs.readdirSync(from)) fs.copyFileSync(path.join(from, name), path.join(to, name));
