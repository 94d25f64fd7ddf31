/**
 * Action tests call `run()`, whose `core.setFailed` sets `process.exitCode = 1` on purpose. On a 2-core
 * machine jest runs the files in band, in one process, so a file that ends on an expected failure would
 * make the whole run exit 1 with every test passed. Each file starts and ends with a clean exit code;
 * jest's own exit code comes from the test results, never from this.
 */
beforeAll(() => {
  process.exitCode = undefined;
});

afterAll(() => {
  process.exitCode = undefined;
});
