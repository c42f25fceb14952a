// Temporary directories for one test file, all removed once its tests are done.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** Call at a test file's top level; returns a maker of fresh directories named pierre-<purpose>-*. */
export function scratchDirectories(): (purpose: string) => string {
  const created: string[] = [];
  afterAll(() => {
    for (const dir of created) rmSync(dir, { recursive: true, force: true });
  });
  return (purpose) => {
    const dir = mkdtempSync(join(tmpdir(), `pierre-${purpose}-`));
    created.push(dir);
    return dir;
  };
}
