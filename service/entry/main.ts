// Process entry point for `npm start` (tsx, from source). The container runs the bundle instead:
// `node dist/main.js`, built from bundle-main.ts.
import { startService } from "../start.js";

void startService();
