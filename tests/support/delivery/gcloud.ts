import { execFileSync } from "node:child_process";

/** Tests that drive the real gcloud CLI are skipped, visibly, on a machine without it. */
export const gcloudInstalled = (() => {
  try {
    execFileSync("gcloud", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
