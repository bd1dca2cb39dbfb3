// The test-VM tooling fails with one error class, so a test or a developer sees which step broke
// (a missing tool, a package apt cannot find, QEMU refusing to start) in one line. It is
// development tooling, not vmtel: its code is kept out of vmtel's user-facing ERROR_CODES table.

export type TestVmErrorCode = 'TEST_VM_TOOL_MISSING' | 'TEST_VM_TOOL_FAILED' | 'TEST_VM_INPUT_MISSING';

export class TestVmError extends Error {
  override readonly name = 'TestVmError';
  readonly code: TestVmErrorCode;

  constructor(code: TestVmErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${message} [${code}]`, options);
    this.code = code;
  }
}
