#!/usr/bin/env node
'use strict';

const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
if (!fs.existsSync(entry)) {
  console.error(
    'smp: the TypeScript sources are not built yet; run `npm run build` (npm ci does it too).',
  );
  process.exit(2);
}
require(entry).main(process.argv);
