// Entry point of the in-host suite: VS Code loads this file (extensionTestsPath) INSIDE the extension host and
// calls run(). Plain JS, no build step. mocha is resolved from the repository's node_modules (a devDependency).
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  if (process.env.E2E_GREP) mocha.grep(new RegExp(process.env.E2E_GREP));
  // a Restricted Mode run (run-tests.js --untrusted) has its own files: the rest of the suite needs a trusted workspace
  const suffix = process.env.E2E_UNTRUSTED === '1' ? '.untrusted.js' : '.test.js';
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(suffix))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    let runner;
    try {
      runner = mocha.run((failures) => {
        const s = runner.stats;
        if (s.pending) console.log(`(${s.pending} pending)`);
        // the harness (run-tests.js) and CI read this exact line
        console.log(`vscode-integration: ${s.passes} passed, ${s.failures} failed`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (s.passes === 0) reject(new Error('no test ran'));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      console.log('vscode-integration: 0 passed, 1 failed');
      reject(err);
    }
  });
};
