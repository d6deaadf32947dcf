// Karma for the dashboard's component and service specs (spec/demo/), run by `ng test demo`
// (@angular/build:karma, AOT) from scripts/test-demo.mjs, in headless Chromium with
// SwiftShader's WebGL (CHROME_BIN; see scripts/test-browser.mjs). A reporter writes the counts
// to .tmp/results/demo.json.
const { mkdirSync, writeFileSync } = require('node:fs');

function CountsReporter(baseReporterDecorator) {
  baseReporterDecorator(this);
  const counts = { passed: 0, failed: 0 };
  this.onSpecComplete = (_browser, result) => {
    if (result.skipped) return;
    if (result.success) counts.passed++;
    else counts.failed++;
  };
  this.onBrowserError = () => counts.failed++;
  this.onRunComplete = (_browsers, results) => {
    if (results.error) counts.failed++;
    mkdirSync('.tmp/results', { recursive: true });
    writeFileSync('.tmp/results/demo.json', JSON.stringify(counts));
  };
}
CountsReporter.$inject = ['baseReporterDecorator'];

module.exports = function (config) {
  config.set({
    frameworks: ['jasmine'],
    plugins: [require('karma-jasmine'), require('karma-chrome-launcher'), { 'reporter:counts': ['type', CountsReporter] }],
    reporters: ['dots', 'counts'],
    browsers: ['ChromiumHeadlessSwiftShader'],
    customLaunchers: {
      ChromiumHeadlessSwiftShader: {
        base: 'Chrome',
        flags: ['--headless=new', '--no-sandbox', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      },
    },
    client: { jasmine: { random: false, timeoutInterval: 60000 } },
    singleRun: true,
    browserNoActivityTimeout: 300000,
  });
};
