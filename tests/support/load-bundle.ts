// Child-process side of code-cache.test.ts: loads the bundle named on the command line through the code
// cache (writing the cache first when asked) and prints what it saw. A new process per load is a new V8,
// as on a real cold start, so nothing compiled by an earlier load can stand in for the cache.
import { loadBundle } from "../../service/boot/code-cache.js";

const [bundlePath, mode] = process.argv.slice(2);
const bundle = loadBundle<{ describe(): string }>(bundlePath!);
if (mode === "write") bundle.writeCodeCache();
process.stdout.write(`${JSON.stringify({ codeCache: bundle.codeCache, description: bundle.exports.describe() })}\n`);
