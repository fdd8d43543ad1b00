/** Ends a jest run with one plain line, `tests: N passed, N failed`, that any CI log reader understands. */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const suffix = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests}${results.numRuntimeErrorTestSuites ? ` + ${results.numRuntimeErrorTestSuites} suites` : ''} failed${suffix}\n`);
  }
}
