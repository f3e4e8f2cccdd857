// Shared by the Node tests of the JavaScript API.
import assert from 'node:assert/strict';

/** Calls fn, expects a thrown Error with `code`, returns it. */
export function throwsCode(fn, code) {
  let caught;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof Error, `expected an Error, got ${caught}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}
